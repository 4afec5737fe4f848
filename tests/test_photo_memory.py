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
        a = np.asarray(im.as_pil_image(), dtype=np.int32)
        a = a.sum(axis=2) if a.ndim == 3 else a      # a grey photo: DeviceGray
        assert a.std() > 20


def _one_image_pdf(path: Path, data: bytes, side: int, filt: str) -> None:
    """A 720 pt page filled by one side×side 8-bit DeviceCMYK image of encoded `data`."""
    pdf = pikepdf.Pdf.new()
    img = pikepdf.Stream(pdf, data)
    img.Type, img.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
    img.Width = img.Height = side
    img.ColorSpace, img.BitsPerComponent = pikepdf.Name.DeviceCMYK, 8
    img.Filter = pikepdf.Name(filt)
    pdf.add_blank_page(page_size=(720, 720))
    pg = pdf.pages[0]
    pg.Resources = pikepdf.Dictionary(XObject=pikepdf.Dictionary(Im0=img))
    pg.Contents = pikepdf.Stream(pdf, b"q 720 0 0 720 0 0 cm /Im0 Do Q")
    pdf.save(path)


def _huge_cmyk_pdf(path: Path, side: int = 12000) -> None:
    """A page holding one side×side 8-bit CMYK image (1.6 GB decoded for 20000²), Flate
    compressed in pieces; its top 1 % of rows is 100 % of each ink (400 %), the rest blank."""
    import zlib

    comp = zlib.compressobj(1)
    dark = side // 100
    parts = [comp.compress(b"\xff" * (side * 4 * dark))]
    blank = b"\0" * (side * 4 * 500)
    for y in range(dark, side, 500):
        parts.append(comp.compress(blank[:side * 4 * min(500, side - y)]))
    parts.append(comp.flush())
    _one_image_pdf(path, b"".join(parts), side, "/FlateDecode")


def test_preflight_of_a_huge_image_bounded_and_exact(tmp_path):
    """paiban preflight decoded an image whole (3.1 GB for 20000², 1.4 GB for this 12000²);
    under 1 GiB it then found nothing (the MemoryError left the image unmeasured). Inflated
    in pieces, it is measured exactly: 1.0 % of its pixels over the limit."""
    pdf = tmp_path / "huge.pdf"
    _huge_cmyk_pdf(pdf)
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1]),
           "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    code = RUN.replace('"build", {issue!r}, "-o", {out!r}', '"preflight", {issue!r}')
    r = subprocess.run([sys.executable, "-c", code.format(limit=LIMIT, issue=str(pdf))],
                       capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 1, r.stdout + r.stderr[-2000:]
    assert "a CMYK image (12000×12000) has 1.0% of its pixels over 240 % ink (max 400 %)" \
        in r.stdout
    assert int(r.stderr.rsplit("maxrss", 1)[1]) * 1024 < LIMIT


def test_preflight_samples_a_large_cmyk_jpeg(tmp_path):
    """A DCT image over INK_DECODE_PIXELS is measured at a DCT scale (block means): a dark
    band of 3 % of the rows is still found, with its ink."""
    import io

    from layout.checks.preflight import INK_DECODE_PIXELS, preflight

    side = 4200
    assert side * side > INK_DECODE_PIXELS
    a = np.zeros((side, side, 4), np.uint8)
    a[: side * 3 // 100] = 255
    buf = io.BytesIO()
    Image.fromarray(a, "CMYK").save(buf, "JPEG", quality=90)
    path = tmp_path / "jpeg.pdf"
    _one_image_pdf(path, buf.getvalue(), side, "/DCTDecode")
    found = [f.message for f in preflight(path).findings if f.kind == "ink-limit"]
    assert len(found) == 1 and f"a CMYK image ({side // 2}×{side // 2}) has 3." in found[0], found
