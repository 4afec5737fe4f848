"""clreq clauses checked on the text engine's own output (glyph positions from `place`), for
settings the issue file does not reach yet (hanging punctuation, 凸排, grid alignment,
tracking) and for the order of the adjustments inside one line. Each test has a negative
control: the same check on a wrong setting or a hand-made wrong case fails.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from layout.text import classify as C
from layout.text.fonts import load_face
from layout.text.line import measure, place
from layout.text.linebreak import _Prefix
from layout.text.paragraph import set_groups_right, set_line, set_paragraph, set_tupai
from layout.text.prepare import (SHRINK_BRACKET, SHRINK_PAUSE, SHRINK_STOP, STRETCH_HANLATIN,
                                 STRETCH_SPACE, Style, prepare)

EM = 9.0
ST = Style(size=EM)
HAN13 = "甲乙丙丁戊己庚辛壬癸子丑寅"


def _lines(text, chars, style=ST, **kw):
    return set_paragraph([(text, style)], chars * EM, **kw).lines


def _texts(text, chars, style=ST, **kw):
    return [ln.text for ln in _lines(text, chars, style, **kw)]


def _right(g) -> float:
    face = load_face(g.face)
    return g.x + sum(face.advance(ch) for ch in g.text) * g.size


# --- hanging punctuation (off by default) -----------------------------------------------------

def test_hanging_punctuation_is_an_option():
    text = HAN13 + "，卯辰巳午未申酉戌亥。"
    # Off (the default, as in most mainland publications): the ， cannot start line 2 and
    # nothing on line 1 can shrink, so 寅 is pushed down with it.
    assert _texts(text, 13)[0] == HAN13[:-1]
    # On: the ， hangs past the line end; the 13 characters stay flush.
    lines = _lines(text, 13, replace(ST, hanging=True))
    first = lines[0]
    assert first.text == HAN13 + "，"
    assert abs(first.glyphs[-1].x - 13 * EM) < 0.01          # the mark starts at the edge
    assert abs(_right(first.glyphs[-2]) - 13 * EM) < 0.01    # 寅 ends on it
    # Negative control: the off setting's first line does not reach the edge without spacing.
    off = _lines(text, 13)[0]
    assert off.glyphs[1].x - off.glyphs[0].x > EM + 0.05


def test_hanging_never_for_a_succession_of_marks():
    text = HAN13[:-1] + "寅。”卯辰巳午未申酉戌亥。"
    lines = _lines(text, 13, replace(ST, hanging=True))
    assert all(_right(g) <= 13 * EM + 0.01 or C.punct_class(g.text) for ln in lines
               for g in ln.glyphs)
    assert not lines[0].text.endswith("。")
    assert not any(g.x >= 13 * EM - 0.01 for g in lines[0].glyphs)
    # at most one mark hangs, and only 、，。
    text = HAN13 + "；卯辰巳午未申酉戌亥。"
    assert _lines(text, 13, replace(ST, hanging=True))[0].text == HAN13[:-1]


# --- paragraphs ---------------------------------------------------------------------------------

def test_hanging_indent_and_block_indent():
    """凸排 (the second and later lines indented, e.g. 4 em for a Q&A label) and a paragraph
    indent (every line indented by the same amount)."""
    text = "问：" + "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨"
    lines = _lines(text, 13, indent=0, rest_indent=2 * EM)
    assert lines[0].x == 0 and all(ln.x == 2 * EM for ln in lines[1:])
    assert all(_right(ln.glyphs[-1]) + ln.x <= 13 * EM + 0.01 for ln in lines)
    assert abs(_right(lines[1].glyphs[-1]) + lines[1].x - 13 * EM) < 0.01
    block = _lines(text, 13, indent=2 * EM, rest_indent=2 * EM)
    assert all(ln.x == 2 * EM for ln in block)
    # a paragraph continued after an inserted quotation: no first-line indent
    cont = _lines(text, 13, indent=0)
    assert all(ln.x == 0 for ln in cont) and cont[0].glyphs[0].x == 0
    # Negative control: an ordinary paragraph's later lines start at 0.
    assert all(ln.x == 0 for ln in _lines(text, 13, indent=2 * EM)[1:])


def test_tupai_labels_take_four_characters():
    """凸排 for Q&A and scripts: 3 characters and a colon; a 2-character name spaced out."""
    body = "天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳"
    for label in ("张三", "欧阳修"):
        lines = set_tupai(label, body, ST, 13 * EM).lines
        assert lines[0].text.replace("\u3000", "").startswith(label + "：")
        colon = next(g for g in lines[0].glyphs if g.text == "：")
        assert abs(colon.x - 3 * EM) < 0.01                      # the colon in the 4th cell
        assert all(ln.x == 4 * EM for ln in lines[1:])
    # Negative control: an ordinary paragraph does not indent its later lines.
    assert all(ln.x == 0 for ln in _lines(body, 13)[1:])


def test_single_line_alignments():
    """clreq ways_of_alignments: line-start (a paragraph's last line), line-end (bylines),
    centring (decks, see test_clreq_page) and even spacing (均排) of a short line."""
    short = _lines("天地玄黄", 13)[0]
    assert short.glyphs[0].x == 0 and _right(short.glyphs[-1]) < 13 * EM - EM    # line start
    even = _lines("天地玄黄", 13, justify_last=True)[0]
    assert abs(_right(even.glyphs[-1]) - 13 * EM) < 0.01                          # 均排
    gaps = [b.x - a.x for a, b in zip(even.glyphs, even.glyphs[1:])]
    assert max(gaps) - min(gaps) < 0.01
    by = set_groups_right(["记者 张三", "通讯员 李四"], replace(ST, face="kai"), 13 * EM,
                          kind="byline").lines[0]
    assert abs(by.x + _right(by.glyphs[-1]) - 13 * EM) < 0.01                     # line end
    # Negative control: the start-aligned line is not 均排.
    assert abs(_right(short.glyphs[-1]) - 13 * EM) > EM


def test_loose_and_tight_setting():
    """clreq increased/reduced inter-character spacing: tracking for heads and captions."""
    plain = set_line("天地玄黄", ST)
    loose = set_line("天地玄黄", ST, tracking=EM / 4)
    tight = set_line("天地玄黄", ST, tracking=-EM / 10)
    step = lambda ln: ln.glyphs[1].x - ln.glyphs[0].x  # noqa: E731
    assert abs(step(plain) - EM) < 0.01
    assert abs(step(loose) - 1.25 * EM) < 0.01
    assert abs(step(tight) - 0.9 * EM) < 0.01


# --- the order of adjustments in one line ------------------------------------------------------

def _measure(text, width_em, style=ST):
    atoms = prepare([(text, style)]).atoms
    m = measure(atoms, _Prefix(atoms), 0, len(atoms), width_em * EM, last=False)
    return atoms, m


def test_shrink_order():
    """Brackets give way before ，、；：, which give way before 。？！ (clreq procedures for
    inter-character spacing reduction); each class evenly."""
    face = load_face("serif")
    if not all(face.advance(ch) > 0.95 for ch in "（），。"):
        pytest.skip("needs full-width （），。 in the body face")
    text = "甲（乙）丙，丁。戊己"          # natural: 6 Han + 4 marks = 10 em
    _, m = _measure(text, 9.75)         # ¼ em to find: the brackets' ½ + ½ em cover it
    assert m.shrink_ratio[SHRINK_BRACKET] > 0
    assert m.shrink_ratio[SHRINK_PAUSE] == 0 and m.shrink_ratio[SHRINK_STOP] == 0
    _, m = _measure(text, 8.75)          # 1¼ em: brackets to their limit, then ，
    assert m.shrink_ratio[SHRINK_BRACKET] == 1.0 and 0 < m.shrink_ratio[SHRINK_PAUSE] < 1
    assert m.shrink_ratio[SHRINK_STOP] == 0
    _, m = _measure(text, 8.25)          # 1¾ em: 。 last
    assert m.shrink_ratio[SHRINK_PAUSE] == 1.0 and m.shrink_ratio[SHRINK_STOP] > 0
    _, m = _measure(text, 7.75)          # 2¼ em: more than every blank — cannot be set
    assert m.too_long
    # Negative control: 半角 has nothing left to shrink.
    _, m = _measure(text, 9.75, replace(ST, punctuation="banjiao"))
    assert not m.too_long and all(r == 0 for r in m.shrink_ratio)
    _, m = _measure(text, 7.75, replace(ST, punctuation="banjiao"))
    assert m.too_long


def test_stretch_order():
    """Word spaces stretch first (to ½ em), then Han–Latin gaps (to ½ em), then, as the last
    resort, the other junctions evenly."""
    text = "他读New York Times报"
    atoms, m0 = _measure(text, 1)
    natural = m0.natural
    for extra, want in ((0.1, "space"), (0.5, "hanlatin"), (2.0, "even")):
        _, m = _measure(text, natural / EM + extra)
        if want == "space":
            assert 0 < m.stretch_ratio[STRETCH_SPACE] < 1 and m.stretch_ratio[STRETCH_HANLATIN] == 0
        elif want == "hanlatin":
            assert m.stretch_ratio[STRETCH_SPACE] == 1 and m.stretch_ratio[STRETCH_HANLATIN] > 0
            assert m.even == 0
        else:
            assert m.stretch_ratio[STRETCH_HANLATIN] == 1 and m.even > 0
    # Negative control: a pure Han line has nothing but even spacing.
    _, m = _measure("天地玄黄宇宙洪荒", 9)
    assert m.even > 0 and all(r == 0 for r in m.stretch_ratio)


def test_no_even_spacing_beside_connectors_and_solidi():
    """Inter-character expansion avoids connector marks, solidi and their neighbours."""
    text = "甲乙3～5丙丁/戊己"
    atoms, m = _measure(text, 14)
    assert m.even > 0
    gl = place(atoms, m)
    xs = {g.text: g.x for g in gl}
    w = {a.text: a.width for a in atoms}
    for a, b in (("3", "～"), ("～", "5"), ("丁", "/"), ("/", "戊")):
        assert abs(xs[b] - xs[a] - w[a] - (atoms[[x.text for x in atoms].index(b)].offset
                                           - atoms[[x.text for x in atoms].index(a)].offset)) < 0.01
    # Negative control: the Han junctions did take the extra space.
    assert xs["乙"] - xs["甲"] > EM + 0.05


def test_digits_set_solid_by_default_and_digit_gap_setting():
    atoms = prepare([("3月14日", ST)]).atoms
    assert all(a.gap == 0 for a in atoms)
    atoms = prepare([("3月14日", replace(ST, digit_gap=0.25))]).atoms
    assert atoms[0].gap == EM / 4 and atoms[1].gap == EM / 4


def test_grid_alignment_option():
    """Grid alignment: Han–Latin gaps of 0–½ em make each Latin run whole ems, so the Han
    characters after it stay on the em grid."""
    lines = _lines("甲GDP乙丙Python语言New York丁", 30, replace(ST, grid=True))
    for g in lines[0].glyphs:
        if C.is_han(g.text[0]):
            assert abs(g.x / EM - round(g.x / EM)) < 0.001, g.text
    # Negative control: without it, 乙 falls off the grid.
    off = _lines("甲GDP乙丙Python语言New York丁", 30)[0]
    x = next(g.x for g in off.glyphs if g.text == "乙")
    assert abs(x / EM - round(x / EM)) > 0.01


# --- units, marks and their classes ----------------------------------------------------------

def test_annotation_marks_stay_with_their_text():
    for text in ("甲乙丙①丁", "甲乙丙[1]丁", "甲乙丙［2］丁", "甲乙丙³丁"):
        atoms = prepare([(text, ST)]).atoms
        k = [a.text for a in atoms].index("丙")
        assert not atoms[k].breakable, text
    # an enumerator after a pause mark is not an annotation
    atoms = prepare([("甲；②乙", ST)]).atoms
    assert atoms[1].breakable or not C.may_start("②", "basic")
    assert atoms[1].text == "；"
    # Negative control: an ordinary character after 丙 may start a line.
    atoms = prepare([("甲乙丙丁", ST)]).atoms
    assert atoms[2].breakable


def test_unit_wider_than_the_line_is_split_as_a_remedy():
    """A URL longer than the column cannot stay whole: it is broken (only then)."""
    url = "https://www.example.com/news/2023/03/14/guancheng.html"
    lines = _lines("见" + url + "。", 13)
    assert "".join(ln.text for ln in lines) == "见" + url + "。"
    assert len(lines) > 1 and not any(url in ln.text for ln in lines)
    assert all(_right(ln.glyphs[-1]) <= 13 * EM + 0.01 for ln in lines[:-1])
    # Negative control: a URL that fits stays whole.
    assert any("www.gov.cn" in t for t in _texts("见到了www.gov.cn。", 13))


def test_prohibition_gives_way_only_when_nothing_fits():
    """clreq: with three marks together (。』」) the prohibition may be ignored as a remedy —
    paiban does so only when no line could be set otherwise."""
    sp = set_paragraph([("甲乙丙丁戊。』」", ST)], 5 * EM)
    assert not sp.emergency
    sp = set_paragraph([("。』」。』」", ST)], 2 * EM)
    assert sp.emergency


def test_four_em_ellipsis_paragraph():
    """GB/T 15834 §5.1.5: two ellipses (…………) take 4 em and a line of their own."""
    lines = _lines("…………", 13, indent=2 * EM)
    assert len(lines) == 1 and lines[0].text == "…………"
    g = lines[0].glyphs
    assert abs(_right(g[-1]) - 4 * EM) < 0.01 * EM


PAUSE_STOP = "。．，、：；！‼？⁇"
BRACKETS = "「」『』“”‘’（）《》〈〉【】〖〗〔〕［］｛｝"
UNITS = ["⸺", "——", "……", "⋯⋯"]


def test_punctuation_tables():
    """clreq's appendix tables, mark by mark: pause/stop marks never start a line; brackets
    open or close; 2-em marks are one unbreakable atom; connectors never start a line;
    interpuncts and solidi take ½ em."""
    for ch in PAUSE_STOP:
        assert C.punct_class(ch) in ("pause", "stop") and not C.may_start(ch, "basic"), ch
    for k, ch in enumerate(BRACKETS):
        want = "opening" if k % 2 == 0 else "closing"
        assert C.punct_class(ch) == want, ch
        if want == "opening":
            assert not C.may_end(ch, "basic")
        else:
            assert not C.may_start(ch, "basic")
    for u in UNITS:
        atoms = prepare([("甲" + u + "乙", ST)]).atoms
        assert [a.text for a in atoms] == ["甲", u, "乙"]
        assert C.may_start(u, "basic") and not C.may_start(u, "strict")
    for ch in "～-–":
        assert not C.may_start(ch, "basic")
    assert not C.may_start("—", "basic")           # a lone — is GB's long connector
    for ch in "·・‧/／":
        prep = prepare([("甲" + ch + "乙", ST)])
        atoms = prep.atoms
        face = load_face(atoms[1].face)
        if not face.has(ch):          # ・ (U+30FB) is not in GBK: the bundled faces lack it
            assert ch in prep.missing  # and it is reported, never dropped in silence
            continue
        lo, hi = face.ink.get(ch, (0, face.advance(ch)))
        assert abs(atoms[1].width - max(0.5, hi - lo) * EM) < 1e-6, ch
        assert not C.may_start(ch, "basic")
    assert C.may_end("/", "basic") and not C.may_end("/", "GB")
    # Negative control: a Han character is none of these.
    assert C.punct_class("中") is None and C.may_start("中", "strict")


def test_quotes_are_opening_and_closing_marks():
    """“ and ” act as brackets in Chinese text (not UAX #14's ambiguous quotes): after ，“ no
    break; ” never opens a line."""
    atoms = prepare([("他说，“测试”。", ST)]).atoms
    t = [a.text for a in atoms]
    assert atoms[t.index("，")].breakable            # ，| “测 is a fine break
    assert not atoms[t.index("“")].breakable         # “ | 测 is not (Typst's old bug)
    assert not atoms[t.index("试")].breakable        # ” may not start a line
    # Negative control: at the none level all three are break opportunities.
    atoms = prepare([("他说，“测试”。", replace(ST, level="none"))]).atoms
    assert atoms[t.index("“")].breakable


def _mainland(ch: str, ink) -> bool:
    """Mainland positions in horizontal text: pause/stop marks and closing brackets in the left
    half of the em, opening brackets in the right half."""
    lo, hi = ink
    if C.punct_class(ch) == "opening":
        return lo >= 0.45
    return hi <= 0.55


def test_mainland_mark_positions_in_the_bundled_faces():
    """clreq glyphs_sizes_and_positions…: the body and heading faces draw the full-width marks
    where mainland typesetting puts them, which is where the engine trims their blanks."""
    for key in ("serif", "serif-bold", "sans-bold", "kai"):
        face = load_face(key)
        for ch in "，。、：；！？（）《》【】〔〕「」『』“”‘’":
            if not face.has(ch) or face.advance(ch) < 0.95 or ch not in face.ink:
                continue
            assert _mainland(ch, face.ink[ch]), (key, ch, face.ink[ch])
    # Negative control: a Taiwan-style centred comma is not in the mainland position.
    assert not _mainland("，", (0.4, 0.6))
