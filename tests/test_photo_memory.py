"""A build with large photos stays within 1 GB: run under RLIMIT_AS (address space) of 1 GiB.

A normal build's address space peaks near 360 MB (the seed page) with one BLAS/OpenMP thread;
before photos were decoded at the size their frame needs and separated in bands, a 60 MP
camera JPEG took 2.5 GB and a 79 MP 16-bit PNG 3.3 GB.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
from PIL import Image

from issuekit import page, write_issue

LIMIT = 1 << 30

RUN = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from layout.cli import main
try:
    main(["build", {issue!r}, "-o", {out!r}])
finally:
    print("maxrss", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, file=sys.stderr)
"""


def _photos(folder: Path) -> list[Path]:
    rng = np.random.default_rng(7)
    small = Image.fromarray(rng.integers(0, 255, (375, 500, 3), dtype=np.uint8), "RGB")
    jpeg = folder / "camera-48mp.jpg"
    small.resize((8000, 6000), Image.Resampling.BILINEAR).save(jpeg, quality=85)
    ramp = np.tile(np.linspace(0, 65535, 7000).astype("<u2"), (6000, 1))      # 42 MP
    png = folder / "grey16-42mp.png"
    Image.frombytes("I;16", (7000, 6000), ramp.tobytes()).save(png, compress_level=1)
    return [jpeg, png]


def test_large_photos_build_within_one_gigabyte(tmp_path):
    photos = _photos(tmp_path)
    arts = [{"id": f"a{k}", "module": {"column": 1, "span": 6, "line": 1 + 40 * k, "lines": 40},
             "headline": "图", "paragraphs": ["示例。"],
             "photos": [{"file": str(p), "place": {"column": 1, "span": 6, "line": 1,
                                                   "lines": 30}}]}
            for k, p in enumerate(photos)]
    issue = write_issue(tmp_path, [page(2, arts)])
    out = tmp_path / "big.pdf"
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    r = subprocess.run([sys.executable, "-c", RUN.format(limit=LIMIT, issue=str(issue),
                                                        out=str(out))],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    maxrss_kb = int(r.stderr.rsplit("maxrss", 1)[1])
    assert maxrss_kb * 1024 < LIMIT, maxrss_kb
    # the photos are printed, at the resolution the frame needs (≤ 450 ppi), not blank
    pdf = pikepdf.open(out)
    imgs = [pikepdf.PdfImage(x) for x in pdf.pages[0].images.values()]
    assert len(imgs) == 2
    for im in imgs:
        frame_mm = 250                             # six tabloid columns, about
        assert im.width / (frame_mm / 25.4) < 450
        a = np.asarray(im.as_pil_image(), dtype=np.int32).sum(axis=2)
        assert a.std() > 20
