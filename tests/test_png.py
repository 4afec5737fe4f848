"""`paiban build --png DIR`: one image per page, for CI artifacts (issue 18)."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "tabloid-4pages.yaml"


def _paiban(*args, cwd=ROOT):
    env = dict(os.environ, PAIBAN_NO_DAEMON="1")
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=300)


def test_png_per_page_at_the_dpi(tmp_path, example_pdf):
    pdf, result, issue = example_pdf
    r = _paiban("build", EXAMPLE, "-o", tmp_path / "t.pdf", "--png", tmp_path / "png",
                "--dpi", 30, "--allow-overflow")
    assert r.returncode == 0, r.stderr
    numbers = [p.number for p in issue.pages]
    files = sorted((tmp_path / "png").iterdir())
    assert [f.name for f in files] == sorted(f"page-{n}.png" for n in numbers)
    from pypdf import PdfReader
    box = PdfReader(str(tmp_path / "t.pdf")).pages[0].mediabox
    for f in files:
        assert f"wrote {tmp_path / 'png' / f.name}" in r.stdout
        img = Image.open(f)
        assert img.format == "PNG"
        assert abs(img.width - float(box.width) * 30 / 72) <= 1
        assert abs(img.height - float(box.height) * 30 / 72) <= 1
        lo, hi = img.convert("L").getextrema()
        assert lo < 100 and hi > 200             # type on paper, not a blank image
    # the same input gives the same images
    again = _paiban("build", EXAMPLE, "-o", tmp_path / "t2.pdf", "--png", tmp_path / "png2",
                    "--dpi", 30, "--allow-overflow")
    assert again.returncode == 0
    for f in files:
        assert (tmp_path / "png2" / f.name).read_bytes() == f.read_bytes()


def test_png_needs_a_pdf_it_can_read_back(tmp_path):
    r = _paiban("build", EXAMPLE, "-o", "-", "--png", tmp_path / "png")
    assert r.returncode == 2
    assert "--png" in r.stderr and "cannot be read back" in r.stderr
    assert not (tmp_path / "png").exists()
