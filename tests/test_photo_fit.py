"""Photos `fit: contain` (issue 16 item 10): a chart or a map is printed whole — every pixel
column and row of the picture reaches the PDF, letterboxed at its frame's foot — while
`fit: cover` (the default) crops it to fill the frame. Read back from the built PDF."""
from __future__ import annotations

from pathlib import Path

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


def test_contain_prints_the_whole_picture_at_its_frame_foot(tmp_path):
    (x0, top, x1, bottom), pix = _built(tmp_path, "contain")
    (tmp_path / "cover").mkdir()
    (cx0, ctop, cx1, cbottom), _ = _built(tmp_path / "cover", None)
    # The cover frame is the frame: contain keeps its width and the picture's own aspect.
    assert (x1 - x0) / (bottom - top) == pytest.approx(W / H, rel=1e-3)
    assert x0 == pytest.approx(cx0) and x1 == pytest.approx(cx1)
    assert bottom - top < cbottom - ctop
    # at the frame's foot, its caption under it as under a cropped photo; the air above (the
    # frame keeps its lines: given to the text they would leave the module emptier)
    assert bottom == pytest.approx(cbottom, abs=0.01) and top > ctop
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


PHOTOS = __import__("issuekit").PHOTOS


def _photo_page(tmp_path, ph):
    art = article("a", {"column": 1, "span": 4, "line": 1, "lines": 40}, photos=[ph])
    out = tmp_path / "out.pdf"
    build_issue(write_issue(tmp_path, [page(2, [art])]), out)
    with pdfplumber.open(out) as pdf:
        pg = pdf.pages[0]
        imgs = sorted(pg.images, key=lambda i: i["x0"])
        h = float(pg.height)
        cap = [dict(c, baseline=h - c["matrix"][5]) for c in pg.chars if c["text"] in "说明摄"]
    return imgs, cap


@pytest.mark.parametrize("side", ["right", "left"])
def test_caption_beside_a_narrow_photo(tmp_path, side):
    from layout.model.geometry import PRESETS

    geo = PRESETS["tabloid"]
    ph = {"file": str(PHOTOS / "zhishu.jpg"), "caption": "图片说明", "credit": "某某 摄",
          "place": {"column": 1, "span": 2, "line": 1, "lines": 10}, "caption_side": side}
    (img,), cap = _photo_page(tmp_path, ph)
    assert cap
    # the picture takes one grid column, the caption the other, level with its foot
    assert img["x1"] - img["x0"] == pytest.approx(geo.column_width, abs=0.01)
    cap_x = geo.column_x(2) if side == "right" else geo.column_x(1)
    assert img["x0"] == pytest.approx(geo.column_x(1) if side == "right" else geo.column_x(2))
    assert all(cap_x - 0.5 <= c["x0"] < cap_x + geo.column_width for c in cap)
    assert all(img["top"] < c["baseline"] <= img["bottom"] + 0.5 for c in cap)
    assert max(c["baseline"] for c in cap) > img["bottom"] - geo.line_pitch


def test_a_group_of_photos_under_one_caption(tmp_path):
    files = ["zhishu.jpg", "hubian.jpg", "yundong-hui.jpg"]
    ph = {"file": str(PHOTOS / files[0]), "group": [str(PHOTOS / f) for f in files[1:]],
          "caption": "组图说明", "credit": "某某 摄", "place": {"column": 1, "span": 4, "line": 1}}
    imgs, cap = _photo_page(tmp_path, ph)
    assert len(imgs) == 3
    # side by side: one top and foot, in order with a gap, each as wide as its aspect asks
    assert len({round(i["top"], 2) for i in imgs}) == 1 and len({round(i["bottom"], 2)
                                                                 for i in imgs}) == 1
    for a, b in zip(imgs, imgs[1:]):
        assert b["x0"] - a["x1"] == pytest.approx(4.5, abs=0.01)
    for i in imgs:
        sw, sh = i["srcsize"]
        assert (i["x1"] - i["x0"]) / (i["bottom"] - i["top"]) == pytest.approx(sw / sh, rel=0.02)
    # one caption (说明 once), under the group
    assert "".join(c["text"] for c in cap if c["text"] in "说明") == "说明"
    assert all(c["baseline"] > imgs[0]["bottom"] for c in cap)


def test_caption_side_and_group_need_a_place(tmp_path):
    from click.testing import CliRunner

    from layout.cli import main

    ph = {"file": str(PHOTOS / "zhishu.jpg"), "caption_side": "right"}
    art = article("a", {"column": 1, "span": 4, "line": 1, "lines": 40}, photos=[ph])
    path = write_issue(tmp_path, [page(2, [art])])
    res = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    assert "issue.yaml:" in res.output and "a photo with caption_side needs its place" in res.output


def test_contain_narrower_than_its_caption(tmp_path):
    """A tall chart printed whole in a wide frame is narrower than its caption, which starts
    left of it: still the photo's caption (the build's invariants)."""
    a = np.full((300, 100), 255, np.uint8)
    a[100:, 20:80] = 0
    Image.fromarray(a, "L").save(tmp_path / "tall.png")
    ph = {"file": "tall.png", "fit": "contain", "caption": "图表说明",
          "place": {"column": 1, "span": 3, "line": 1, "lines": 12}}
    imgs, cap = _photo_page(tmp_path, ph)
    (img,) = imgs
    assert cap and min(c["x0"] for c in cap) < img["x0"]


def test_the_examples_chart_stands_on_its_caption(tmp_path):
    """The tabloid's chart (page 4, `fit: contain` in 13 picture lines, 11.5 of them needed):
    no air between the chart and its caption — the gap is a cropped photo's, under 4 pt (it
    was 10.5 pt, centred)."""
    root = PHOTOS.parent.parent
    out = Path(tmp_path) / "t.pdf"
    build_issue(root / "examples" / "tabloid-4pages.yaml", out)
    with pdfplumber.open(out) as pdf:
        pg = pdf.pages[3]
        chart = min(pg.images, key=lambda i: i["top"])        # above the ad
        cap = [c for c in pg.chars if c["text"] in "青岚湖优良水质天数比例" and
               chart["x0"] - 1 < c["x0"] < chart["x1"] and c["top"] > chart["top"]]
    assert chart["srcsize"] == (1200, 800) and cap
    gap = min(c["top"] for c in cap) - chart["bottom"]
    assert 0 < gap < 4


def test_contain_gives_the_lines_it_leaves_empty_to_the_text(tmp_path):
    """A 3:1 chart in 12 picture lines needs 6: the frame gives up the other 6 lines, where
    the text that overflowed them fits (and `strips: keep` keeps the editor's frame)."""
    from issue_fixtures import han, paragraph_chars

    chart(tmp_path)
    ph = {"file": "chart.png", "fit": "contain", "caption": "图表",
          "place": {"column": 1, "span": 2, "line": 1, "lines": 14}}
    text = [han(paragraph_chars(30))]
    art = article("a", {"column": 1, "span": 2, "line": 1, "lines": 30}, photos=[ph],
                  paragraphs=text)
    out = tmp_path / "out.pdf"
    result = build_issue(write_issue(tmp_path, [page(2, [art])]), out)
    [rep] = result.pages[0].reports
    assert rep.overflow_lines == 0
    with pdfplumber.open(out) as pdf:
        (img,) = pdf.pages[0].images
        assert img["bottom"] - img["top"] == pytest.approx(5 * 12 + 9)       # 6 whole lines
        text_under = [c for c in pdf.pages[0].chars if c["top"] > img["bottom"] + 14 and
                      img["x0"] <= c["x0"] < img["x0"] + 90 and c["top"] < img["top"] + 141]
        assert text_under                     # body text where the frame's other lines were
    ph["strips"] = "keep"
    (tmp_path / "k").mkdir()
    chart(tmp_path / "k")
    kept = build_issue(write_issue(tmp_path / "k", [page(2, [art])]), tmp_path / "k" / "o.pdf")
    assert kept.pages[0].reports[0].overflow_lines > 0
