"""竖题 in a house font's own vertical metrics (issue 15, item 4): an OpenType/CFF headline face
with vmtx advance heights of 1.2 em, VORG origins (0.95 em, one glyph 0.70 em) and a GSUB
`vert` alternate for ， steps, hangs and substitutes its glyphs by them; read from the PDF."""
from __future__ import annotations

import pdfplumber
import pytest

from fontkit import build_vertical_font
from issuekit import article, page, write_issue
from test_house_fonts import _run
from test_vertical import glyphs_for

HEAD = "区委，书记"
SIZE = 24.0


def _head(tmp, fonts) -> list[dict]:
    """The headline's characters, top to bottom, with their baselines from the page top."""
    issue = write_issue(tmp, [page(2, [article(
        "v", {"column": 1, "span": 3, "line": 1, "lines": 60}, headline=HEAD,
        headline_vertical={"side": "right", "columns": 1},
        deck_style={"headline": {"size": SIZE, "lines": 1}})])], fonts=fonts)
    r = _run("build", str(issue), "-o", "out.pdf", cwd=tmp)
    assert r.returncode == 0, r.stderr
    with pdfplumber.open(tmp / "out.pdf") as pdf:
        h = float(pdf.pages[0].height)
        chars = [dict(c, baseline=h - c["matrix"][5]) for c in pdf.pages[0].chars
                 if abs(c["size"] - SIZE) < 0.01]
    return sorted(chars, key=lambda c: c["baseline"])


@pytest.fixture(scope="module")
def both(tmp_path_factory):
    bundled = _head(tmp_path_factory.mktemp("bundled"), None)
    tmp = tmp_path_factory.mktemp("house")
    (tmp / "fonts").mkdir()
    build_vertical_font(tmp / "fonts" / "v.otf", HEAD, "HouseVertical", vadvance=1200,
                        vorigin=950, origins={"书": 700}, vert="，")
    house = _head(tmp, {"serif-bold": {"file": "fonts/v.otf"}})
    return bundled, house, tmp


def test_cells_step_by_vmtx_and_hang_from_vorg(both):
    bundled, house, _ = both
    assert "".join(c["text"] for c in house) == HEAD == "".join(c["text"] for c in bundled)
    assert all(c["fontname"].endswith("+HouseVertical") for c in house)
    # the same cell tops: 1 em cells hung 0.88 em (bundled) against 1.2 em cells hung from
    # VORG, 0.95 em, and 0.70 em for 书 (tracking between cells is the same in both)
    hung = {"书": 0.70}
    top_b = top_h = None
    for k, (b, c) in enumerate(zip(bundled, house)):
        cell_b = b["baseline"] - 0.88 * SIZE
        cell_h = c["baseline"] - hung.get(c["text"], 0.95) * SIZE
        if k == 0:
            assert abs(cell_b - cell_h) < 0.01
            top_b, top_h = cell_b, cell_h
        else:
            assert abs((cell_h - top_h) - (cell_b - top_b) - 0.2 * SIZE * k) < 0.01, c["text"]
    # centred across the column as the bundled face's cells are
    for b, c in zip(bundled, house):
        assert abs((b["x0"] + b["x1"]) / 2 - (c["x0"] + c["x1"]) / 2) < 0.01


def test_comma_is_the_fonts_vertical_alternate(both):
    _, house, tmp = both
    from fontTools.ttLib import TTFont
    tt = TTFont(str(tmp / "fonts" / "v.otf"))
    alt = tt.getGlyphID(tt.getBestCmap()[ord("，")] + ".vert")
    drawn = glyphs_for(tmp / "out.pdf", "HouseVertical")
    assert drawn["，"] == {alt}                  # the vert glyph, extracting as ，
    assert "\ufe10" not in "".join(c["text"] for c in house)
