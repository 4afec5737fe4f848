"""Real copy (issue 16 items 1-3 and "Measured"): the corpus of tests/data/real-copy.txt set
at 8-20 characters per line, and set on a page and read back from the PDF, judged clause by
clause by copycheck.py (the rules as data in layout.text.classify)."""
from __future__ import annotations

from pathlib import Path

import pytest

import copycheck as J
from clreq_specimen import article, build, paragraph_marks
from layout.text.paragraph import Paragraph, set_paragraph
from layout.text.prepare import Style

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"
EM = 9.0


def test_corpus_is_real_copy():
    paras = J.corpus()
    text = "".join(paras)
    assert len(paras) >= 30
    for needle in ("://", "www.", "@", "%", "km", "—", "“", "（", "据新华社"):
        assert needle in text


@pytest.fixture(scope="module")
def settings():
    """(text, measure in characters, looseness, lines) for every setting the engine offers:
    the optimum, and one line longer and shorter where it offers them."""
    out = []
    style = Style()
    for text in J.corpus():
        para = Paragraph([(text, style)])
        for chars in J.MEASURES:
            for looseness in (0, -1, 1):
                sp = para.set(chars * EM, indent=2 * EM, looseness=looseness)
                if sp is not None:
                    out.append((text, chars, looseness, sp.lines))
    return out


def _all(settings, judge):
    found = []
    for text, chars, looseness, lines in settings:
        found += [f"{chars} {looseness:+d} {f}" for f in judge(text, chars, [ln.text for ln in lines])]
    return found


def test_no_kinsoku_violation(settings):
    assert _all(settings, lambda t, c, ls: J.kinsoku(ls)) == []


def test_no_line_ends_with_an_opening_mark(settings):
    assert _all(settings, lambda t, c, ls: J.opening_at_end(ls)) == []


def test_no_number_range_or_dateline_broken(settings):
    assert _all(settings, lambda t, c, ls: J.broken_groups(t, ls, (c - 2, c))) == []


def test_urls_break_only_after_their_marks(settings):
    found = _all(settings, lambda t, c, ls: J.url_breaks(t, ls, (c - 2, c)))
    assert found == []
    # and they do break there: a URL is not kept whole at the price of a loose line
    assert any(ln.text.endswith(("/", ".")) and "." in ln.text
               for _, _, _, lines in settings for ln in lines[:-1])


def test_a_variant_is_never_looser_than_the_optimum(settings):
    """The flow's re-set one line longer or shorter (孤行, balancing) brings no loose line."""
    def loose(lines):
        return sum(1 for ln in lines if not ln.last and J.is_loose(J.set_line_gaps(ln)))
    best = {(t, c): loose(ls) for t, c, lo, ls in settings if lo == 0}
    worse = [(c, lo) for t, c, lo, ls in settings if lo and loose(ls) > best[(t, c)]]
    assert worse == []


def test_loose_judge_reads_the_set_glyphs():
    """Negative control: the judge sees loose glyphs — a paragraph's Han characters spread
    over a line far wider than they fill — and a median, not a single wide gap."""
    sp = set_paragraph([("测试文字排版" * 3, Style())], 13 * EM, justify_last=True)
    assert all(J.is_loose(J.set_line_gaps(ln)) for ln in sp.lines[1:])
    assert J.is_loose([0.2, 0.2, 0.0]) and not J.is_loose([0.1, 0.3, 0.0])


@pytest.mark.parametrize("chars", [12, 13, 14])
def test_dateline_kept_on_its_line(chars):
    """据新华社南京10月15日电 after a 2-em indent: the whole dateline on the first line where
    it fits, else broken after 月 or the place, never with 电 alone (as before at 13)."""
    text = "据新华社南京10月15日电 今年1—3月份，江苏省规模以上工业增加值同比增长7.2%。"
    sp = set_paragraph([(text, Style())], chars * EM, indent=2 * EM)
    lines = [ln.text for ln in sp.lines]
    assert J.broken_groups(text, lines, (chars - 2, chars)) == []
    assert not lines[1].startswith("电")
    if J.natural_em("据新华社南京10月15日电") <= chars - 2:
        assert lines[0].startswith("据新华社南京10月15日电")


def test_number_and_unit_across_a_space_stay_together():
    text = "这条线路全长约" + "测" * 8 + "380 km，设计时速350 km/h。"
    for chars in J.MEASURES:
        sp = set_paragraph([(text, Style())], chars * EM, indent=2 * EM)
        lines = [ln.text for ln in sp.lines]
        assert not any(ln.startswith("km") for ln in lines[1:]), (chars, lines)


def test_emergency_never_ends_a_line_with_an_opening_mark():
    """A run of opening marks wider than the line makes the prohibitions give way; the line
    ends still avoid the opening marks."""
    text = "测试“《（【「『〔［｛〖测试文字"
    sp = set_paragraph([(text, Style())], 4 * EM)
    lines = [ln.text for ln in sp.lines]
    assert J.opening_at_end(lines) == [], lines


# --- on the page, read back from the PDF --------------------------------------------------

@pytest.fixture(scope="module")
def corpus_page(tmp_path_factory):
    """Each column an article of every eighth paragraph; three with a dateline in its own
    face (the issue file's `dateline:`). (paragraph text, its lines from the PDF) pairs."""
    paras = J.corpus()
    # (columns whose first paragraph has no dateline of its own)
    datelines = {1: "新华社南京10月15日电", 2: "据新华社北京3月14日电", 4: "本报讯"}
    arts = []
    for col in range(8):
        a = article(f"a{col}", col + 1, paras[col::8], lines=115)
        if col in datelines:
            a["dateline"] = datelines[col]
        arts.append(a)
    spec = build(tmp_path_factory.mktemp("realcopy"), arts)
    out = []
    for col in range(8):
        lines = spec.lines(f"a{col}")
        chunk = paras[col::8]
        if col in datelines:
            chunk = [datelines[col] + chunk[0]] + chunk[1:]
        paras_lines, cur = [], []
        for ln, (_, last) in zip(lines, paragraph_marks(spec, lines)):
            cur.append(ln.text.replace("\u3000", ""))     # the space after a dateline
            if last:
                paras_lines.append(cur)
                cur = []
        out += list(zip(chunk, paras_lines))
    return out


def test_pdf_sets_every_paragraph(corpus_page):
    for text, lines in corpus_page:
        assert "".join(lines) == J._no_space(text)


@pytest.mark.parametrize("clause", ["kinsoku", "opening", "groups", "urls"])
def test_pdf_clauses(corpus_page, clause):
    found = []
    for text, lines in corpus_page:
        found += {"kinsoku": lambda: J.kinsoku(lines),
                  "opening": lambda: J.opening_at_end(lines),
                  "groups": lambda: J.broken_groups(text, lines, (11, 13)),
                  "urls": lambda: J.url_breaks(text, lines, (11, 13))}[clause]()
    assert found == []


def test_seed_page_has_no_loose_line(seed_pdf):
    """No justified line of the seed page has a median Han gap over ⅛ em (before: three,
    "火车站周边，实地督导网" at 0.2 em)."""
    path, _ = seed_pdf
    loose, total = J.page_loose_lines(path, SEED)
    assert total > 150
    assert loose == []
