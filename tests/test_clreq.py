"""clreq conformance, read back from the PDF (issue 3; docs/clreq.md names each test).

One specimen page is built through `layout.build.build_issue` from an issue file written here:
one article per column, each with its own text and `typography:` settings. The tests read the
glyphs' x positions and advances back with pdfplumber, the way luatex-cn tests its output.
Every check has a negative control: the same check run on a deliberately wrong setting or a
hand-made wrong layout must fail, proving that the check can fail.
"""
from __future__ import annotations

import copy

import pytest

from layout.text import classify as C
from layout.text.fonts import load_face

from clreq_specimen import (TOL, Char, Line, article, build, edge_violations, end_mark_violations,
                            end_violations, grid_violations, han_gaps, indent_violations,
                            paragraph_marks, punctuated_text, split_units, start_violations,
                            trimmed_right, unit_gap_violations)

EM = 9.0
LEVELS = ("basic", "none", "GB", "strict")

# Push in before pushing out (先挤进后推出): 2 + 1 + 8 = 11 em fill the indented first line
# exactly, so the second ， would open line 2; squeezing the first ， by ½ em takes it back.
PUSH_IN = "甲乙，丙丁戊己庚辛壬癸，子丑寅卯辰巳午未申酉戌亥天地玄黄宇宙洪荒。"
# 孤字: 11 + 13 + 1 Han characters; the last line must not hold one character alone.
ORPHAN = "天地玄黄宇宙洪荒日月盈" + "昃辰宿列张寒来暑往秋收冬藏" + "余"

UNITS = ["2023", "3.14159", "1,967", "5.2%", "−5℃", "12℃", "￥120", "+86", "30°",
         "www.gov.cn", "news@example.com", "Python",
         "GDP", "——", "……", "New", "York", "Times"]
UNIT_TEXT = [
    "2023年3月14日，全区GDP增长5.2%，气温从−5℃升到12℃，坡度30°，门票￥120元，咨询电话+86"
    "热线，圆周率取3.14159，共1,967套房源。",
    "详情见www.gov.cn或来信news@example.com咨询。",
    "他用Python写了一个程序，又读了New York Times上的报道——据说很有意思……后来呢？",
    "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥GDP天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往",
]
# Single-line paragraphs (set at their natural width): pairs of marks, ½-em marks, chains.
PAIRS = ["甲。”乙", "甲”，乙", "甲）（乙", "甲，“乙", "甲》《乙", "甲（“乙", "甲”）乙", "甲、《乙",
         "甲》，乙", "甲）。乙"]
SINGLES = ["甲·乙", "甲/乙", "甲／乙", "甲–乙", "甲？！乙", "甲！！！乙", "甲，乙", "甲乙丙丁",
           "甲GDP乙", "甲3月乙", "（GDP）", "甲，GDP。"]
DROP_TEXT = ["“天地玄黄”，宇宙洪荒。日月盈昃，辰宿列张，寒来暑往，秋收冬藏（闰余成岁）。律吕调阳，"
             "云腾致雨（露结为霜），金生丽水（玉出昆冈）。剑号巨阙，珠称夜光（果珍李柰），菜重芥姜。"
             "海咸河淡（鳞潜羽翔），龙师火帝（鸟官人皇）。始制文字，乃服衣裳（推位让国）。",
             # 11 + 13 Han characters fill two lines exactly: line 3 opens with （
             "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏（闰余成岁）律吕调阳云腾致，"
             "雨露结为霜，金生丽水，玉出昆冈。剑号巨阙，珠称夜光。"]


@pytest.fixture(scope="module")
def spec(tmp_path_factory):
    folder = tmp_path_factory.mktemp("clreq")
    text = [PUSH_IN, ORPHAN] + [punctuated_text(s, 300) for s in (1, 2, 3)]
    arts = [article(f"lv-{lv}", k + 1, text, typography={"level": lv})
            for k, lv in enumerate(LEVELS)]
    arts.append(article("units", 5, UNIT_TEXT))
    arts.append(article("pairs", 6, PAIRS + SINGLES))
    arts.append(article("drop", 7, DROP_TEXT * 2, typography={"drop_opening": True}))
    arts.append(article("kaiming", 8, PAIRS[:5], lines=40, typography={"punctuation": "kaiming"}))
    arts.append(article("banjiao", 8, PAIRS[:5], line=41, lines=40,
                        typography={"punctuation": "banjiao"}))
    arts.append(article("nodrop", 8, DROP_TEXT, line=81, lines=35))
    return build(folder, arts)


def _face():
    return load_face("serif")


def _full(ch: str) -> bool:
    """Is `ch` a full-width mark in the body face (so that clreq's em rules apply to it)?"""
    f = _face()
    return f.has(ch) and f.advance(ch) > 0.95


def _para_lines(spec, aid):
    """Lines grouped into paragraphs."""
    lines = spec.lines(aid)
    paras, cur = [], []
    for ln, (first, _) in zip(lines, paragraph_marks(spec, lines)):
        if first and cur:
            paras.append(cur)
            cur = []
        cur.append(ln)
    if cur:
        paras.append(cur)
    return paras


def _shifted(lines: list[Line], k: int, dx: float, dy: float = 0.0) -> list[Line]:
    """A hand-made wrong layout: line k's last glyph moved by dx (and the line by dy)."""
    out = copy.deepcopy(lines)
    c = out[k].chars[-1]
    c.x0 += dx
    c.x1 += dx
    if dy:
        out[k].row += dy
    return out


# --- the page as a whole ---------------------------------------------------------------------

def test_every_article_complete(spec):
    """No character lost, doubled or reordered on the way to the PDF."""
    for aid, paras in (("units", UNIT_TEXT), ("pairs", PAIRS + SINGLES)):
        got = "".join(ln.text for ln in spec.lines(aid))
        assert got == "".join("".join(p.split()) for p in paras)


def test_baselines_on_the_grid(spec):
    lines = spec.lines()
    assert len(lines) > 200
    assert grid_violations(spec, lines) == []
    # Negative control: a line 0.05 pt off its grid line is caught.
    assert grid_violations(spec, _shifted(lines, 3, 0, dy=0.05 / spec.geometry.line_pitch))


def test_first_line_indent_two_em(spec):
    for aid in ("lv-basic", "units", "pairs"):
        paras = _para_lines(spec, aid)
        lines = [ln for p in paras for ln in p]
        firsts = [k == 0 for p in paras for k in range(len(p))]
        assert len(paras) >= 4
        assert indent_violations(spec, lines, firsts) == []
        # Negative control: the same lines judged as if none opened a paragraph.
        assert indent_violations(spec, lines, [False] * len(lines))


def test_no_blank_line_between_paragraphs(spec):
    """clreq first_line_indents: no extra space between paragraphs — consecutive rows."""
    for aid in ("lv-basic", "pairs"):
        rows = [round(ln.row) for ln in spec.lines(aid)]
        assert rows == list(range(rows[0], rows[0] + len(rows)))


# --- justification -----------------------------------------------------------------------------

def test_justified_lines_end_on_the_column_edge(spec):
    for aid in ("lv-basic", "lv-GB", "lv-strict", "units", "drop"):
        lines = spec.lines(aid)
        assert sum(1 for _, last in paragraph_marks(spec, lines) if not last) > 10
        assert edge_violations(spec, lines) == [], aid
    # Negative control: one line's last glyph 0.02 pt too far right fails.
    lines = spec.lines("lv-basic")
    k = next(k for k, (_, last) in enumerate(paragraph_marks(spec, lines)) if not last)
    assert edge_violations(spec, _shifted(lines, k, 0.02))


def test_line_end_mark_takes_half_em(spec):
    lines = [ln for lv in LEVELS for ln in spec.lines(f"lv-{lv}")]
    ends = [ln for ln, (_, last) in zip(lines, paragraph_marks(spec, lines))
            if not last and C.punct_class(ln.chars[-1].text) in ("pause", "stop", "closing")]
    assert len(ends) > 20
    assert end_mark_violations(spec, lines) == []
    # Negative control: a mark set full width at the line end (its origin ½ em further left,
    # as an engine that does not trim would place it) is caught.
    k = lines.index(ends[0])
    wrong = copy.deepcopy(lines)
    wrong[k].chars[-1].x0 -= EM / 2
    assert end_mark_violations(spec, wrong)


def test_solid_setting_of_han_characters(spec):
    """principles_of_arrangement_of_han_characters: a line at its natural width (a paragraph's
    last) sets Han characters frame to frame, without extra space."""
    lines = spec.lines("lv-basic")
    lasts = [ln for ln, (_, last) in zip(lines, paragraph_marks(spec, lines)) if last]
    gaps = [g for ln in lasts for g in han_gaps(ln)]
    assert len(gaps) > 10 and max(abs(g) for g in gaps) < TOL


def test_even_spacing_only_as_last_resort(spec):
    """A justified line needing space takes it between Han characters evenly, and its Han gaps
    stay under ¼ em (no loose line); a line that was shrunk has no Han gaps at all."""
    for lv in LEVELS:
        lines = spec.lines(f"lv-{lv}")
        for ln, (_, last) in zip(lines, paragraph_marks(spec, lines)):
            g = han_gaps(ln)
            if last or not g:
                continue
            assert max(g) - min(g) < TOL, (ln.text, g)          # evenly
            assert max(g) <= EM / 4 + TOL, (ln.text, max(g) / EM)
    # Negative control: the check sees spacing where there is some (the orphan paragraph's
    # first line had to be spaced out to carry a character down).
    orphan = _para_lines(spec, "lv-basic")[1]
    assert max(han_gaps(orphan[1])) > 0.05


# --- prohibitions ------------------------------------------------------------------------------

@pytest.mark.parametrize("level", ["basic", "GB", "strict"])
def test_no_prohibited_mark_at_line_start_or_end(spec, level):
    lines = spec.lines(f"lv-{level}")
    marks = paragraph_marks(spec, lines)
    assert start_violations(lines, level) == []
    assert end_violations(lines, level, marks) == []
    # Negative control: the same text set with no prohibitions breaks these rules.
    none = spec.lines("lv-none")
    nmarks = paragraph_marks(spec, none)
    assert start_violations(none, level) or end_violations(none, level, nmarks)


def test_levels_differ_as_clreq_says(spec):
    """none < basic < GB < strict: each stricter level's rules are broken by the looser ones'
    layouts of the same text, or at least never by its own."""
    none = spec.lines("lv-none")
    assert start_violations(none, "basic")        # the text does put marks at line starts
    for level in ("basic", "GB", "strict"):
        assert start_violations(spec.lines(f"lv-{level}"), level) == []


def test_push_in_before_push_out(spec):
    """A ， that would open a line is squeezed back onto the previous line (先挤进), not the
    previous line's last character pushed down (后推出)."""
    for level in ("basic", "GB", "strict"):
        first = _para_lines(spec, f"lv-{level}")[0]
        assert first[0].text.endswith("癸，"), first[0].text
    # Negative control: with no prohibitions, the ， opens line 2.
    first = _para_lines(spec, "lv-none")[0]
    assert first[1].text.startswith("，")


def test_no_orphan_character(spec):
    """孤字: no paragraph's last line holds one character (with or without a mark)."""
    def orphans(paras):
        return [p[-1].text for p in paras if len(p) > 1
                and sum(1 for c in p[-1].chars if C.punct_class(c.text) is None) < 2]

    for lv in LEVELS:
        assert orphans(_para_lines(spec, f"lv-{lv}")) == []
    # Negative control: the greedy layout of the same paragraph leaves 余 alone.
    from test_clreq_loose import greedy_lines
    assert greedy_lines(ORPHAN, 13, indent=2)[-1] == "余"


# --- units and mixed text -------------------------------------------------------------------------

def test_no_unit_split(spec):
    lines = spec.lines("units")
    assert split_units(lines, UNITS) == []
    # Negative control: the same units sought in the text cut where the lines break, as an
    # engine that broke anywhere would cut it, are found split.
    flat = "".join(ln.text for ln in lines)
    cut = [Line([Char(ch, 0, 0, 0, "", EM) for ch in flat[k:k + 7]], 1, 1)
           for k in range(0, len(flat), 7)]
    assert split_units(cut, UNITS)


def test_no_gap_inside_latin_words_and_numbers(spec):
    lines = spec.lines("units")
    stretched = [ln for ln in lines if han_gaps(ln) and max(han_gaps(ln)) > 0.05]
    assert stretched, "the specimen should have a line spaced out around its units"
    assert unit_gap_violations(lines, UNITS) == []
    # Negative control: the check finds the gaps of a spaced-out line when asked about Han.
    ln = stretched[0]
    assert unit_gap_violations([ln], [ln.text[k:k + 2] for k in range(len(ln.text) - 1)
                                      if C.is_han(ln.text[k]) and C.is_han(ln.text[k + 1])])


def test_han_latin_spacing(spec):
    """Han ↔ Latin letters: ⅛–½ em (¼ em at natural width); none at a line start or end,
    none next to ，。 or inside brackets; Han ↔ digits set solid (the default, docs/clreq.md)."""
    paras = {ln.text: ln for ln in spec.lines("pairs")}
    ln = paras["甲GDP乙"]
    gap_l = ln.chars[1].x0 - ln.chars[0].x1
    gap_r = ln.chars[4].x0 - ln.chars[3].x1
    assert abs(gap_l - EM / 4) < TOL and abs(gap_r - EM / 4) < TOL
    ln = paras["甲3月乙"]
    assert all(abs(b.x0 - a.x1) < TOL for a, b in zip(ln.chars, ln.chars[1:]))
    ln = paras["（GDP）"]
    assert abs(ln.chars[1].x0 - ln.chars[0].x1) < TOL and abs(ln.chars[4].x0 - ln.chars[3].x1) < TOL
    ln = paras["甲，GDP。"]
    assert abs(ln.chars[2].x0 - ln.chars[1].x1) < TOL and abs(ln.chars[5].x0 - ln.chars[4].x1) < TOL
    # In justified lines: every Han–letter gap within ⅛–½ em, and no gap at the line ends.
    for line in spec.lines("units"):
        cs = line.chars
        for a, b in zip(cs, cs[1:]):
            if (C.is_han(a.text) and b.text.isascii() and b.text.isalpha()) or (
                    a.text.isascii() and a.text.isalpha() and C.is_han(b.text)):
                assert EM / 8 - TOL <= b.x0 - a.x1 <= EM / 2 + TOL, (line.text, b.x0 - a.x1)
    # Negative control: the 1-em gap of a hand-made layout is outside the range.
    assert not (EM / 8 - TOL <= EM <= EM / 2 + TOL)
    assert abs(paras["甲GDP乙"].chars[1].x0 - paras["甲GDP乙"].chars[0].x0 - EM / 4) > 0.5


# --- punctuation widths ---------------------------------------------------------------------------

def _pair_width(ln: Line, k: int) -> float:
    """From the origin of the mark at k to the origin of the character after the pair."""
    return ln.chars[k + 2].x0 - ln.chars[k].x0


def test_adjacent_marks_take_one_and_a_half_em(spec):
    """Two full-width marks side by side take 1.5 em, not 2 (every pair class); the opening
    mark gives up its outer blank so that brackets hug their text."""
    lines = {ln.text: ln for ln in spec.lines("pairs")}
    checked = 0
    for p in PAIRS:
        a, b = p[1], p[2]
        ln = lines[p]
        # Space the pair takes: from the start of the first mark's frame to the next character.
        took = ln.chars[3].x0 - ln.chars[1].x0
        if _full(a) and _full(b):
            assert abs(took - 1.5 * EM) < TOL, (p, took / EM)
            checked += 1
        else:           # a proportional mark in this font: the pair keeps its advances
            assert took <= (_face().advance(a) + _face().advance(b)) * EM + TOL
    assert checked >= 5
    # Negative control: 半角 sets each mark at ½ em, so its pairs take 1 em and fail the check.
    for p in PAIRS[:5]:
        ln = {x.text: x for x in spec.lines("banjiao")}[p]
        took = ln.chars[3].x0 - ln.chars[1].x0
        if _full(p[1]) and _full(p[2]):
            assert abs(took - 1.5 * EM) > 0.25 * EM, p


def test_presets_kaiming_and_banjiao(spec):
    """开明: 。？！ keep 1 em, other marks ½ em; 半角: every mark ½ em (pairs 1 em)."""
    kai = {x.text: x for x in spec.lines("kaiming")}
    ban = {x.text: x for x in spec.lines("banjiao")}
    # "甲。”乙": kaiming — 。 1 em, ” ½ em → 1.5 em; banjiao — ½ + ½.
    for table, want in ((kai, 1.5), (ban, 1.0)):
        ln = table["甲。”乙"]
        if _full("。") and _full("”"):
            assert abs(ln.chars[3].x0 - ln.chars[1].x0 - want * EM) < TOL
    # "甲”，乙": kaiming — ½ + ½; banjiao — ½ + ½.
    for table in (kai, ban):
        ln = table["甲”，乙"]
        if _full("”") and _full("，"):
            assert abs(ln.chars[3].x0 - ln.chars[1].x0 - 1.0 * EM) < TOL
    # Negative control: quanjiao (the default) is not 开明: ”， takes 1.5 em there.
    q = {x.text: x for x in spec.lines("pairs")}["甲”，乙"]
    if _full("”") and _full("，"):
        assert abs(q.chars[3].x0 - q.chars[1].x0 - 1.0 * EM) > 0.25 * EM


def _frame(ln: Line, k: int) -> float:
    """The room a glyph takes between its neighbours: previous glyph's end to next origin."""
    return ln.chars[k + 1].x0 - ln.chars[k - 1].x1


def test_half_em_interpunct_solidus_and_short_connector(spec):
    """GB: the interpunct ·, the solidus / ／ and the short connector – take ½ em, fixed."""
    lines = {x.text: x for x in spec.lines("pairs")}
    for p in ("甲·乙", "甲/乙", "甲／乙", "甲–乙"):
        ln = lines[p]
        face = _face()
        lo, hi = face.ink.get(p[1], (0, face.advance(p[1])))
        want = max(0.5, hi - lo) * EM
        assert abs(_frame(ln, 1) - want) < TOL, (p, _frame(ln, 1) / EM)
        # and the ink is centred in it
        centre = ln.chars[1].x0 + (lo + hi) / 2 * EM
        assert abs(centre - (ln.chars[0].x1 + want / 2)) < TOL
    # Unadjustable: in the justified (squeezed or spaced) lines of running text they keep it,
    # and no even spacing goes beside them.
    seen = 0
    for lv in LEVELS:
        for ln in spec.lines(f"lv-{lv}"):
            for k in range(1, len(ln.chars) - 1):
                ch = ln.chars[k].text
                if ch in "·/":
                    face = _face()
                    lo, hi = face.ink.get(ch, (0, face.advance(ch)))
                    assert abs(_frame(ln, k) - max(0.5, hi - lo) * EM) < TOL, (ln.text, ch)
                    seen += 1
    assert seen >= 5
    # Negative control: a full-width mark (，) takes 1 em, which this check would reject.
    assert abs(_frame(lines["甲，乙"], 1) - EM / 2) > 0.25 * EM


def test_chained_question_and_exclamation_marks(spec):
    """GB/T 15834: ？！ take 1 em together; ！！！ take 2 em."""
    lines = {x.text: x for x in spec.lines("pairs")}
    ln = lines["甲？！乙"]
    assert abs(ln.chars[3].x0 - ln.chars[1].x0 - EM) < TOL
    ln = lines["甲！！！乙"]
    assert abs(ln.chars[4].x0 - ln.chars[1].x0 - 2 * EM) < TOL
    # Negative control: two unchained full-width marks would take 2 em.
    assert abs(_frame(lines["甲，乙"], 1) * 2 - EM) > 0.5 * EM


def test_opening_bracket_at_line_start_drops_half_em(spec):
    """drop_opening: an opening bracket at a line start gives up its blank half (the first
    line after its 2-em indent too); without the setting it keeps it."""
    def starts(aid):
        out = []
        for ln, (first, _) in zip(spec.lines(aid), paragraph_marks(spec, spec.lines(aid))):
            c = ln.chars[0]
            if C.punct_class(c.text) == "opening":
                edge = spec.col_left(ln.column) + (2 * EM if first else 0)
                out.append((c.text, c.x0 - edge))
        return out

    dropped = starts("drop")
    assert len(dropped) >= 2
    firsts = [first for ln, (first, _) in zip(spec.lines("drop"), paragraph_marks(spec, spec.lines("drop")))
              if C.punct_class(ln.chars[0].text) == "opening"]
    assert any(firsts) and not all(firsts)      # after the 2-em indent, and at other line starts
    for ch, off in dropped:
        assert abs(off + _face().blank_left(ch) * EM) < TOL, (ch, off)
    # Negative control: the same text without the setting keeps the blank (offset 0).
    kept = starts("nodrop")
    assert kept and all(abs(off) < TOL for _, off in kept)
    assert any(abs(off + _face().blank_left(ch) * EM) > TOL for ch, off in kept)


def test_units_never_at_strict_line_start(spec):
    """strict: —— and …… never open a line; the text does make them want to (none level)."""
    assert not any(ln.text.startswith(("——", "……")) for ln in spec.lines("lv-strict"))


def test_end_trim_frames_match_font(spec):
    """Line-end marks are trimmed by the blank measured in the font (fonts differ), so the
    frame edge computed from the font's ink lands on the column edge."""
    lines = spec.lines("lv-basic")
    for ln, (_, last) in zip(lines, paragraph_marks(spec, lines)):
        c = ln.chars[-1]
        if last or C.punct_class(c.text) not in ("pause", "stop", "closing"):
            continue
        assert abs(trimmed_right(c, at_line_end=True) - spec.col_right(ln.column)) < TOL
