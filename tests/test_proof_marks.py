"""`paiban build` never loses text in silence: what fits is set, the overflow is tagged in red
in the margin ("超版 超N行 约M字"), and the command exits 1 unless --allow-overflow."""
from __future__ import annotations

import pdfplumber
import pytest
from click.testing import CliRunner

from issue_fixtures import DECK_ROWS_ONE_COLUMN, article, han, issue, paragraph_chars, write
from layout.cli import main
from layout.model.geometry import PRESETS

GEO = PRESETS["broadsheet"]
SLOTS = 10 - DECK_ROWS_ONE_COLUMN


def build(*args):
    return CliRunner().invoke(main, ["build", *map(str, args)])


def words(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        return page.extract_words(extra_attrs=["non_stroking_color", "size"]), page


@pytest.fixture
def two_modules(tmp_path):
    """'left' (column 1) one line over; 'right' (column 8, lines 21–40) three lines over."""
    arts = [article("left", (1, 1, 1, 10), han(paragraph_chars(SLOTS + 1))),
            article("right", (8, 1, 21, 10), han(paragraph_chars(SLOTS + 3), 30))]
    return write(tmp_path, issue(arts))


def test_overflow_exits_1_and_still_writes_the_pdf(two_modules, tmp_path):
    out = tmp_path / "out.pdf"
    r = build(two_modules, "-o", out)
    assert r.exit_code == 1
    assert out.read_bytes().startswith(b"%PDF")
    assert "left: 超 1 行，约 13 字" in r.stderr and "right: 超 3 行，约 39 字" in r.stderr
    r = build(two_modules, "-o", out, "--allow-overflow")
    assert r.exit_code == 0


def test_fitting_issue_exits_0_without_marks(tmp_path):
    path = write(tmp_path, issue([article("ok", (1, 1, 1, 10), han(paragraph_chars(SLOTS)))]))
    out = tmp_path / "ok.pdf"
    assert build(path, "-o", out).exit_code == 0
    ws, _ = words(out)
    assert not any("超版" in w["text"] for w in ws)


def test_tags_in_the_margin_at_the_module_foot(two_modules, tmp_path):
    out = tmp_path / "out.pdf"
    build(two_modules, "-o", out)
    ws, page = words(out)
    tags = [w for w in ws if w["text"] == "超版"]
    assert len(tags) == 2
    left, right = sorted(tags, key=lambda w: w["x0"])
    type_left, type_right = GEO.margin_left, GEO.margin_left + GEO.type_width
    # Outside the type area, on the module's side of the page.
    assert left["x1"] < type_left and right["x0"] > type_right
    assert 0 <= left["x0"] and right["x1"] <= float(page.width)
    # Level with the module's bottom edge: the tag ends at it (pdfplumber's y runs down).
    for tag, module in ((left, (1, 10)), (right, (21, 10))):
        foot = GEO.line_top(module[0] + module[1])
        figures = [w for w in ws if abs(w["x0"] - tag["x0"]) < 8 and 0 < w["top"] - tag["top"] < 25]
        assert figures, "the figure lines sit under 超版"
        assert foot - 30 < tag["top"] < foot
        assert max(w["bottom"] for w in figures) <= foot + 0.5
    texts = {w["text"] for w in ws}
    assert {"超1行", "约13字", "超3行", "约39字"} <= texts
    # CMYK red.
    for w in ws:
        if w["text"] in ("超版", "超1行", "约13字"):
            assert tuple(w["non_stroking_color"]) == (0, 1, 1, 0)


def test_what_fits_is_set(two_modules, tmp_path):
    """The lines that fit are on the page; the tag says how much did not."""
    out = tmp_path / "out.pdf"
    build(two_modules, "-o", out)
    with pdfplumber.open(out) as pdf:
        chars = [c for c in pdf.pages[0].chars if abs(c["size"] - 9) < 0.01
                 and GEO.column_x(1) - 1 < c["x0"] < GEO.column_x(1) + GEO.column_width]
    text = "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))
    assert han(paragraph_chars(SLOTS)) in text
    assert han(paragraph_chars(SLOTS + 1)) not in text


def test_tags_do_not_overlap(tmp_path):
    """Two overflowing modules ending on the same line on one side: the tags stack."""
    arts = [article("a", (1, 1, 1, 10), han(paragraph_chars(SLOTS + 1))),
            article("b", (2, 1, 1, 10), han(paragraph_chars(SLOTS + 2), 7))]
    path = write(tmp_path, issue(arts))
    out = tmp_path / "o.pdf"
    build(path, "-o", out)
    ws, _ = words(out)
    tags = sorted((w for w in ws if w["text"] == "超版"), key=lambda w: w["top"])
    assert len(tags) == 2
    assert tags[1]["top"] - tags[0]["top"] > 20
