"""Photos `fit: contain` (issue 16 item 10): a chart or a map is printed whole — every pixel
column and row of the picture reaches the PDF, letterboxed and centred in its frame — while
`fit: cover` (the default) crops it to fill the frame. Read back from the built PDF."""
from __future__ import annotations

import numpy as np
import pdfplumber
import pikepdf
import pytest
from PIL import Image

from issuekit import article, page, write_issue

from layout.build import build_issue

W, H = 300, 100                                   # a wide bar chart: 3:1


def chart(folder):
    """Black bars on white, the first and last bar at the picture's very edges."""
    a = np.full((H, W), 255, np.uint8)
    for x0 in range(0, W, 30):
        a[H // 3:, x0:x0 + 10] = 0
    a[H // 3:, W - 10:] = 0                       # the last bar touches the right edge
    path = folder / "chart.png"
    Image.fromarray(a, "L").save(path)
    return path


def _built(tmp_path, fit):
    chart(tmp_path)
    ph = {"file": "chart.png", "place": {"column": 1, "span": 2, "line": 1, "lines": 14},
          "caption": "图表"}
    if fit:
        ph["fit"] = fit
    art = article("a", {"column": 1, "span": 4, "line": 1, "lines": 40}, photos=[ph])
    out = tmp_path / "out.pdf"
    build_issue(write_issue(tmp_path, [page(2, [art])]), out)
    with pdfplumber.open(out) as pdf:
        (img,) = pdf.pages[0].images
        bbox = (img["x0"], img["top"], img["x1"], img["bottom"])
    with pikepdf.open(out) as pdf:
        (raw,) = [pikepdf.PdfImage(x) for x in pdf.pages[0].get_images().values()]
        pix = np.asarray(raw.as_pil_image())
    return bbox, pix


def _ink(pix):
    """Per pixel: how dark (0 white … 255 black), whatever the stored colour space."""
    if pix.ndim == 2:
        return 255 - pix.astype(int)
    return pix.astype(int).sum(axis=2).clip(0, 255)   # DeviceCMYK: ink adds up


def test_contain_prints_the_whole_picture_centred_in_its_frame(tmp_path):
    (x0, top, x1, bottom), pix = _built(tmp_path, "contain")
    (tmp_path / "cover").mkdir()
    (cx0, ctop, cx1, cbottom), _ = _built(tmp_path / "cover", None)
    # The cover frame is the frame: contain keeps its width and the picture's own aspect.
    assert (x1 - x0) / (bottom - top) == pytest.approx(W / H, rel=1e-3)
    assert x0 == pytest.approx(cx0) and x1 == pytest.approx(cx1)
    assert bottom - top < cbottom - ctop
    # centred: as much air above as below
    assert top - ctop == pytest.approx(cbottom - bottom, abs=0.01)
    # every pixel: the full width and height, both edge bars there
    assert pix.shape[:2] == (H, W)
    ink = _ink(pix)
    assert ink[-1, 0] > 200 and ink[-1, -1] > 200 and ink[0, 0] < 30


def test_cover_crops_the_chart(tmp_path):
    (x0, top, x1, bottom), pix = _built(tmp_path, None)
    assert (x1 - x0) / (bottom - top) < W / H * 0.9     # the frame is taller than the chart
    assert pix.shape[1] < W                              # so its sides are cut off


def test_fit_must_be_cover_or_contain(tmp_path):
    from click.testing import CliRunner

    from layout.cli import main

    chart(tmp_path)
    ph = {"file": "chart.png", "fit": "stretch"}
    art = article("a", {"column": 1, "span": 4, "line": 1, "lines": 40}, photos=[ph])
    path = write_issue(tmp_path, [page(2, [art])])
    res = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    assert "issue.yaml:" in res.output and "fit 'stretch' is not one of cover, contain" in res.output
    assert not (tmp_path / "x.pdf").exists()
