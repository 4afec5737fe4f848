"""clreq clauses about the page, read back from the seed page's PDF and a small multi-column
build: widows (孤行), balanced columns, headings, run-in headings (datelines), illustrations and
their captions, the type area. Each check has a negative control.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from clreq_specimen import TOL, Line, article, build, from_pdf, only_loose_fixes, paragraph_marks

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"
EM = 9.0


@pytest.fixture(scope="module")
def seed(seed_pdf):
    path, _ = seed_pdf
    return from_pdf(path, SEED)


def widows(spec, lines) -> list[str]:
    """Paragraph last lines standing alone at the top of a column (孤行): the first body line
    of a column in the module that ends a paragraph begun in the column before."""
    marks = paragraph_marks(spec, lines)
    out = []
    for k in range(1, len(lines)):
        first, last = marks[k]
        if lines[k].column != lines[k - 1].column and last and not first:
            out.append(lines[k].text)
    return out


def test_no_widow_at_a_column_top(seed):
    tops = 0
    for aid in seed.modules:
        for text in widows(seed, seed.lines(aid)):
            assert only_loose_fixes(SEED, aid, text), (aid, text)
        lines = seed.lines(aid)
        tops += sum(1 for k in range(1, len(lines)) if lines[k].column != lines[k - 1].column)
    assert tops >= 10
    # Negative control: a layout whose column breaks one line before a paragraph's end.
    lines = seed.lines("wanggehua")
    marks = paragraph_marks(seed, lines)
    k = next(k for k in range(1, len(lines)) if marks[k][1] and not marks[k][0])
    wrong = lines[:k] + [Line(lines[k].chars, lines[k].column + 9, lines[k].row)]
    assert widows(seed, wrong)
    assert not only_loose_fixes(SEED, "wanggehua", "打造共治共建共享治理新格局。")   # a long paragraph


def test_columns_balanced(tmp_path):
    """Horizontal multi-column text: every column holds the same number of lines, only the
    last may hold fewer (clreq handling_of_spaces_before_new_rectos)."""
    text = ["天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。寒来暑往，秋收冬藏。闰余成岁，律吕调阳。" * 3] * 3
    spec = build(tmp_path, [article("bal", 1, text, span=3, lines=80)], geometry="tabloid")
    lines = spec.lines("bal")
    per = [sum(1 for ln in lines if ln.column == c) for c in (1, 2, 3)]
    assert per[0] == per[1] >= per[2] > 0 and per[0] - per[2] < 3, per
    # and they start on the same grid line
    tops = [min(ln.row for ln in lines if ln.column == c) for c in (1, 2, 3)]
    assert max(tops) - min(tops) < 0.01
    # Negative control: unequal columns fail the same test.
    assert not (per[0] == per[1] + 1 >= per[2])


def test_headings_centred_larger_and_on_whole_lines(seed):
    """Block headings span the module's columns, centred, 10–20 %+ larger than the body, in
    bold Song; the body below starts on a whole grid line (the deck takes whole lines)."""
    from layout.text.fonts import load_face
    bold = load_face("serif-bold").ps_name
    geo = seed.geometry
    for aid, (col, span, line, _) in seed.modules.items():
        left, right = seed.col_left(col), seed.col_right(col + span - 1)
        head = [c for c in seed.chars if bold in c.font and c.size >= 1.1 * EM
                and left <= c.x0 <= right and geo.line_top(line) <= c.y <= geo.line_top(line + 20)]
        assert head, aid
        big = max(c.size for c in head)
        row = [c for c in head if c.size == big]
        first_row = min(c.y for c in row)
        row = [c for c in row if abs(c.y - first_row) < 0.1]
        mid = (min(c.x0 for c in row) + max(c.x1 for c in row)) / 2
        assert abs(mid - (left + right) / 2) < big / 2 + 0.5, aid      # centred
        assert big >= 1.2 * EM
        body = seed.lines(aid)
        assert all(abs(ln.row - round(ln.row)) * geo.line_pitch < TOL for ln in body)
    # Negative control: the kicker above is smaller than the main headline.
    kick = [c for c in seed.chars if c.size < 18 and c.size > EM and c.y < geo.line_top(8)]
    assert kick and max(c.size for c in kick) < 36


def test_dateline_is_a_run_in_heading(seed):
    """clreq processing_of_runin_headings: 本报讯 in Hei (bold sans) at the body size, then a
    one-character space, then the text."""
    from layout.text.fonts import load_face
    sans = load_face("sans-bold").ps_name
    for aid in seed.modules:
        first = seed.lines(aid)[0]
        t = first.text
        assert t.startswith("本报讯"), t
        assert all(sans in c.font for c in first.chars[:3])
        space, text = first.chars[3], first.chars[4]
        assert space.text == "\u3000" and abs(space.x1 - space.x0 - EM) < TOL
        # the line's even spacing, if any, is the same around the space as between 本报讯
        even = first.chars[1].x0 - first.chars[0].x1
        assert abs(space.x0 - first.chars[2].x1 - even) < TOL
        assert abs(text.x0 - space.x1 - even) < TOL
        # Negative control: the body text is not in the run-in face.
        assert sans not in first.chars[-1].font


def test_illustrations_take_whole_columns_and_captions_go_below(seed, seed_pdf):
    import pdfplumber
    from layout.text.fonts import load_face
    path, _ = seed_pdf
    geo = seed.geometry
    lefts = [seed.col_left(c) for c in range(1, geo.columns + 1)]
    rights = [seed.col_right(c) for c in range(1, geo.columns + 1)]
    kai = load_face("kai").ps_name
    with pdfplumber.open(path) as pdf:
        images = pdf.pages[0].images
    assert len(images) >= 3
    for im in images:
        assert min(abs(im["x0"] - x) for x in lefts) < 0.05
        assert min(abs(im["x1"] - x) for x in rights) < 0.05
    photos = [im for im in images if im["x1"] - im["x0"] < geo.type_width - 1]
    for im in photos:
        below = [c for c in seed.chars if kai in c.font and abs(c.size - EM) < 0.01
                 and im["x0"] - 0.5 <= c.x0 <= im["x1"] and 0 < c.y - im["bottom"] < 3 * geo.line_pitch]
        assert below, im["x0"]
    # Negative control: a frame shifted by a quarter em is off the column edges.
    assert min(abs(photos[0]["x0"] + EM / 4 - x) for x in lefts) > 0.05


def test_type_area_and_body_size():
    """Line length a whole number of characters, columns and gutters in characters, body 小五
    9 pt (not below 六号), line gap constant and under the body size."""
    from layout.model.geometry import PRESETS
    for geo in PRESETS.values():
        assert geo.column_width == geo.chars_per_column * geo.body_size
        assert geo.type_width == (geo.columns * geo.chars_per_column
                                  + (geo.columns - 1) * geo.gutter_chars) * geo.body_size
        assert geo.body_size >= 7.875
        gap = geo.line_pitch - geo.body_size
        assert 0 < gap <= geo.body_size
        assert abs(geo.margin_left * 2 + geo.type_width - geo.page_width) < 1e-6   # centred
