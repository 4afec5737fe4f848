"""Lines stand on the grid by the em box of the font that sets them (issue 15, item 4): a house
serif whose ideographic em box differs from the bundled faces' (another baseline, another
unitsPerEm) has each glyph's em box centred on its grid line, as the bundled faces' are, and
a glyph that falls back to a bundled face shares that box. Read back from the PDF."""
from __future__ import annotations

import json

import pdfplumber
import pytest

from fontkit import build_font
from issuekit import article, page, write_issue
from test_house_fonts import HOUSE, _run

PARA = "区委书记带队到街道𠮷，3月到工地。" * 3

# (font options, the em box's top above the baseline in em that the font itself says)
HOUSES = {
    # BASE ideo/idtp at 2048 units/em: 0.86 / 0.14; OS/2 and hhea say other things
    "BASE": (dict(upem=2048, base=(-287, 1761), typo=(1700, -600), hhea=(1900, -500)),
             1761 / 2048),
    # no BASE; the OS/2 typo box spans the em from the baseline up: 1.0 / 0.0
    "OS/2": (dict(typo=(1000, 0), hhea=(1100, -300)), 1.0),
    # neither: hhea 900/−300, scaled to one em: 0.75 / 0.25
    "hhea": (dict(typo=(800, -100), hhea=(900, -300)), 0.75),
}


def _centres_off_grid(chars, geo, ascent_of) -> list[float]:
    """How far each glyph's em box centre lies from the middle of a grid line, pt."""
    out = []
    for c in chars:
        top = ascent_of(c)
        centre = top + c["size"] / 2
        k = round((centre - geo.margin_top - geo.line_pitch / 2) / geo.line_pitch)
        out.append(centre - (geo.line_top(k + 1) + geo.line_pitch / 2))
    return out


@pytest.mark.parametrize("source", list(HOUSES))
def test_house_serif_em_box_centred_on_the_grid(tmp_path, source):
    opts, house_ascent = HOUSES[source]
    d = tmp_path / "fonts"
    d.mkdir()
    build_font(d / "house.ttf", HOUSE, "HouseSerif", **opts)
    house = article("a1", {"column": 1, "span": 3, "line": 1, "lines": 20}, paragraphs=[PARA],
                    headline="示例标题", byline="记者 宋雨桐")
    issue = write_issue(tmp_path, [page(2, [house])],
                        fonts={"serif": {"file": "fonts/house.ttf"}})
    r = _run("build", str(issue), "-o", "out.pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    r = _run("fonts", str(issue), "--format", "json", cwd=tmp_path)
    faces = json.loads(r.stdout)["roles"]["serif"]["faces"]
    assert faces[0]["em_box"]["from"] == source                       # `paiban fonts` says so
    assert abs(faces[0]["em_box"]["ascent"] - house_ascent) < 1e-9
    assert faces[1]["em_box"] == {"ascent": 0.88, "descent": 0.12, "from": "BASE"}
    from layout.model.load import load_issue
    geo = load_issue(issue).pages[0].geometry
    with pdfplumber.open(tmp_path / "out.pdf") as pdf:
        h = float(pdf.pages[0].height)
        chars = [c for c in pdf.pages[0].chars      # body size, in the modules (no page head)
                 if abs(c["size"] - 9) < 0.3 and c["top"] > geo.margin_top]
    house_chars = [c for c in chars if c["fontname"].endswith("+HouseSerif")]
    fallback = [c for c in chars if c["fontname"].endswith("+NotoSerifCJKsc-Regular")]
    bundled_chars = [c for c in chars if "WenKai" in c["fontname"]]     # the byline: kai
    assert len(house_chars) > 20 and fallback and bundled_chars
    # the house font's em box: its baseline (the text matrix) less its ascent
    off = _centres_off_grid(house_chars, geo,
                            lambda c: h - c["matrix"][5] - house_ascent * c["size"])
    assert max(map(abs, off)) < 0.01, (source, off[:5])
    # a bundled face's char box (from its descriptor's Descent, −0.12 em) is its em box, text
    # rise included: a fallback glyph in a house line, and the byline in the bundled kai
    for group in (fallback, bundled_chars):
        off = _centres_off_grid(group, geo, lambda c: c["top"])
        assert max(map(abs, off)) < 0.01, (source, off[:5])
