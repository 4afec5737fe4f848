"""Composition that lost or altered text (issue 11, defects 1, 2, 6, 7, 10), tested on the PDF:
a photo past its module's foot, a jump re-set from glyphs, a broken credit, widows missed in
boxed modules, bylines and editors' credits cut."""
from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema
import pdfplumber
from click.testing import CliRunner

from issuekit import PHOTOS, TEXT, article, page, write_issue
from layout.cli import main
from layout.model.geometry import PRESETS
from pdfread import chars_with_baseline

TAB = PRESETS["tabloid"]
KAI = "WenKai"                      # the bundled Kai face's PostScript name


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def page_chars(pdf: Path, n: int = 0) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        return chars_with_baseline(doc.pages[n])


def in_box(chars, geo, column: int, span: int, line: int, lines: int) -> list[dict]:
    """Characters drawn inside a grid box (a line-end mark's blank half may pass the edge)."""
    x0, x1 = geo.column_x(column), geo.column_x(column) + geo.span_width(span)
    y0, y1 = geo.line_top(line), geo.line_top(line + lines)
    return [c for c in chars if x0 - 0.05 <= c["x0"] and c["x1"] <= x1 + c["size"] / 2 + 0.05
            and y0 - 0.05 <= c["top"] and c["bottom"] <= y1 + 0.05]


def column_lines(chars, geo) -> list[tuple[int, float, list[dict]]]:
    """(grid column, baseline, chars left to right) of each drawn line, in reading order."""
    rows: dict = {}
    for c in chars:
        col = int((c["x0"] - geo.margin_left + geo.gutter / 2) // (geo.column_width + geo.gutter)) + 1
        rows.setdefault((col, round(c["baseline"], 1)), []).append(c)
    return [(col, base, sorted(cs, key=lambda c: c["x0"])) for (col, base), cs in sorted(rows.items())]


def spaced(cs: list[dict]) -> str:
    """A line's text with a space where two Latin letters or digits stand apart (a word space)."""
    out = ""
    for a, b in zip([None] + cs[:-1], cs):
        if a is not None and a["text"].isascii() and b["text"].isascii() \
                and a["text"].isalnum() and b["text"].isalnum() and b["x0"] - a["x1"] > 1.0:
            out += " "
        out += b["text"]
    return out


def squash(s: str) -> str:
    return re.sub(r"\s+", "", s)


def after(s: str, n: int) -> str:
    """`s` from its n-th character not a space on."""
    seen = 0
    for i, ch in enumerate(s):
        if not ch.isspace():
            if seen == n:
                return s[i:]
            seen += 1
    return ""


def words(s: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", s)


# ---------------------------------------------------------------------------------------------
# Defect 1: a photo whose height follows its aspect never runs past its module's foot

PHOTO_ISSUE = """\
paper: 示例新闻
date: 2025-04-18
pages:
  - number: 2
    section: 要闻
    geometry: tabloid
    articles:
      - id: top
        module: {{column: 1, span: 3, line: 1, lines: 31}}
        kicker: 引题在这里
        headline: 一个很长的标题
        paragraphs: ["{text}"]
        photos:
          - file: {photo}
            aspect: "{aspect}"
            caption: 湖边的景色，一张较高的照片。
            credit: 冉红政 摄
            place: {{column: 1, span: 3, line: 1}}
      - id: below
        module: {{column: 1, span: 3, line: 33, lines: 20}}
        kicker: 下一篇的引题
        headline: 下一篇
        paragraphs: ["{text}"]
"""


def test_photo_past_the_module_foot_is_a_located_error(tmp_path):
    """A square picture over three columns needs 27 lines and its caption; below a deck the
    module of 31 lines has fewer left. It used to be drawn over the next article's kicker."""
    path = tmp_path / "issue.yaml"
    path.write_text(PHOTO_ISSUE.format(text=TEXT, photo=PHOTOS / "hubian.jpg", aspect="1:1"),
                    encoding="utf-8")
    place_line = path.read_text(encoding="utf-8").splitlines().index(
        "            place: {column: 1, span: 3, line: 1}") + 1
    out = tmp_path / "issue.pdf"
    for cmd in (["build", path, "-o", out], ["check", path]):
        r = run(*cmd)
        assert r.exit_code == 2, r.output
        msg = r.output
        assert f"issue.yaml:{place_line}:" in msg
        assert "a photo of 'top' (hubian.jpg) leaves its module" in msg
        m = re.search(r"it needs (\d+) lines for the picture and its caption, the module has "
                      r"(\d+) left there below its (\d+)-line deck", msg)
        assert m and int(m[1]) > int(m[2]) and int(m[2]) + int(m[3]) == 31, msg
        assert "hint: give the place `lines:" in msg and "Traceback" not in msg
    assert not out.exists()


def test_photo_that_fits_keeps_its_caption_inside_the_module(tmp_path):
    path = tmp_path / "issue.yaml"
    path.write_text(PHOTO_ISSUE.format(text=TEXT, photo=PHOTOS / "hubian.jpg", aspect="2:1"),
                    encoding="utf-8")
    out = tmp_path / "issue.pdf"
    r = run("build", path, "-o", out)
    assert r.exit_code in (0, 1), r.output          # (1: the photo's resolution)
    kai = [c for c in page_chars(out) if KAI in c["fontname"]]
    assert "".join(c["text"] for c in kai).startswith("湖边的景色")
    assert max(c["bottom"] for c in kai) <= TAB.line_top(32)


# ---------------------------------------------------------------------------------------------
# Defect 2: a continuation at another measure is set again from the source text

NAMES = "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉"
LATIN = ("开源社区的 open source software 项目，由 Linux Foundation 支持，"
         "采用 free and open licences 发布。")


def test_jump_into_a_boxed_continuation_keeps_spaces_faces_and_names(tmp_path):
    byline = "记者 " + " ".join(n + "明" for n in NAMES) + " 通讯员 马骏"
    paras = [LATIN + TEXT, LATIN * 2 + TEXT, TEXT + LATIN]
    path = write_issue(tmp_path, [
        page(2, [article("a", {"column": 1, "span": 1, "line": 1, "lines": 6},
                         headline="开源", dateline="本报讯", byline=byline,
                         byline_position="after_dateline", paragraphs=paras)]),
        page(3, [article("a2", {"column": 1, "span": 3, "line": 1, "lines": 60},
                         continued_from="a", box=True)]),
    ])
    out = tmp_path / "issue.pdf"
    r = run("build", path, "-o", out)
    assert r.exit_code == 0, r.output
    first = in_box(page_chars(out, 0), TAB, 1, 1, 1, 6)
    cont = in_box(page_chars(out, 1), TAB, 1, 3, 1, 60)
    body = lambda cs: [c for c in cs if abs(c["size"] - 9) < 0.01]
    t1 = "\n".join(spaced(cs) for _, _, cs in column_lines(body(first), TAB))
    t2 = "\n".join(spaced(cs) for _, _, cs in column_lines(body(cont), TAB))
    assert t1.endswith("（下转第3版）") and t2.startswith("（上接第2版）")
    t1, t2 = t1[:-len("（下转第3版）")], t2[len("（上接第2版）"):]
    source = "本报讯（" + byline + "）" + "".join(paras)
    # Nothing dropped, added or changed: the first part and the continuation are the source.
    assert squash(t1 + t2) == squash(source)
    # Word spaces kept: the continuation's Latin words are the source remainder's words.
    remainder = after(source, len(squash(t1)))
    assert squash(remainder) == squash(t2)
    assert words(t2) == words(remainder) and "opensourcesoftware" not in t2
    # The byline's names that run on are set in Kai, each name on one line.
    lines2 = [squash(spaced(cs)) for _, _, cs in column_lines(body(cont), TAB)]
    kai2 = "".join(c["text"] for c in body(cont) if KAI in c["fontname"])
    on = [n + "明" for n in NAMES if n + "明" in t2]
    assert on, "the test wants names in the continuation"
    for name in on:
        assert name in kai2 and any(name in ln for ln in lines2)
    assert "通讯员马骏" in squash(kai2)


# ---------------------------------------------------------------------------------------------
# Defect 6: a credit is one unbreakable group, flush right under the picture

def test_seed_credits_whole_and_flush_right(seed_pdf, seed_issue):
    path, result = seed_pdf
    with pdfplumber.open(path) as pdf:
        chars = chars_with_baseline(pdf.pages[0])
    geo = seed_issue.pages[0].geometry
    arts = {a.id: a for a in seed_issue.pages[0].articles}
    checked = 0
    for pic in result.pages[0].pictures:
        art = arts.get(pic.article)
        if art is None or not art.photos:
            continue
        credit = squash(art.photos[0].credit)
        under = [c for c in chars if KAI in c["fontname"] and pic.x - 0.5 <= c["x0"]
                 and c["x1"] <= pic.x + pic.width + 0.5
                 and pic.y + pic.height < c["top"] < pic.y + pic.height + 4 * geo.line_pitch]
        rows: dict = {}
        for c in under:
            rows.setdefault(round(c["baseline"], 1), []).append(c)
        last = sorted(rows[max(rows)], key=lambda c: c["x0"])
        text = "".join(c["text"] for c in last)
        assert text.endswith(credit), (pic.article, text)
        k = len(last) - len(credit)
        assert abs(last[-1]["x1"] - (pic.x + pic.width)) < 0.6          # flush right
        if k > 0:                                   # beside the caption: at least 1 em away
            assert last[k]["x0"] - last[k - 1]["x1"] >= geo.body_size - 0.05
        checked += 1
    assert checked == 3


def test_credit_goes_to_its_own_line_when_the_last_line_is_full():
    from layout.text.paragraph import set_caption
    from layout.text.prepare import Style

    st = Style(face="kai", size=9.0)
    width = 11 * 9.0
    lines, _ = set_caption("一" * 11 + "二" * 8, "冉红政 摄", st, width)   # 8 + 1 em + 4 > 11
    assert [ln.kind for _, ln in lines] == ["caption", "caption", "credit"]
    assert [row for row, _ in lines] == [0, 1, 2]
    credit = lines[-1][1]
    assert abs(credit.x + credit.natural - width) < 0.01
    lines, _ = set_caption("一" * 11 + "二" * 5, "冉红政 摄", st, width)    # 5 + 1 + 4 <= 11
    assert [row for row, _ in lines] == [0, 1, 1]


# ---------------------------------------------------------------------------------------------
# Defect 7: widows in boxed modules are found (from the composition's paragraph indices)

def _pdf_widows(chars, geo, paragraphs: list[str]) -> set[tuple[int, int]]:
    """(paragraph from 1, grid column) of each widow, read off the PDF and the source alone:
    a line starts a paragraph where the text read so far reaches a paragraph's start."""
    lines = column_lines([c for c in chars if abs(c["size"] - 9) < 0.01], geo)
    starts, pos = {}, 0
    for n, p in enumerate(paragraphs):
        starts[pos] = n
        pos += len(squash(p))
    out, pos, para, count = set(), 0, -1, {}
    info = []
    for col, _, cs in lines:
        if pos in starts:
            para = starts[pos]
        info.append((col, para))
        count[para] = count.get(para, 0) + 1
        pos += len(squash("".join(c["text"] for c in cs)))
    for k in range(1, len(info)):
        col, para = info[k]
        ends = k == len(info) - 1 or info[k + 1][1] != para
        if col != info[k - 1][0] and ends and count[para] > 1:
            out.add((para + 1, col))
    return out


def test_widows_in_a_boxed_module_are_reported(tmp_path, monkeypatch):
    import layout.flow.pour as pour
    from layout.checks.report import Settings
    from layout.pipeline import check_issue

    monkeypatch.setattr(pour, "widow_at", lambda body, cells: None)   # leave them in
    paras = [TEXT[:40], TEXT + TEXT[:9], TEXT[:30], TEXT + TEXT[:20], TEXT[:50], TEXT[:64]]
    found = None
    for lines in range(14, 30):
        path = write_issue(tmp_path, [page(2, [article(
            "boxed", {"column": 1, "span": 3, "line": 1, "lines": lines}, box=True,
            headline="题", paragraphs=paras)])])
        out = tmp_path / "issue.pdf"
        report = check_issue(path, Settings(underfull_lines=999), pdf=out)
        want = _pdf_widows(in_box(page_chars(out), TAB, 1, 3, 1, lines), TAB, paras)
        if want:
            found = (report, want)
            break
    assert found, "no module height left a widow"
    report, want = found
    got = {(f.extra["paragraph"], f.extra["grid_column"])
           for f in report.pages[0].items[0].findings if f.kind == "widow"}
    assert got == want


def test_boxed_example_knows_every_paragraph_start(example_pdf):
    """The example's boxed articles: every paragraph's first line is known to the check."""
    _, result, issue = example_pdf
    boxed = [(p, a) for p, ip in zip(result.pages, issue.pages) for a in ip.articles if a.box]
    assert boxed
    for cp, art in boxed:
        firsts = [ln for ln in cp.lines if ln.article == art.id and ln.para >= 0 and ln.line == 0]
        assert [ln.para for ln in firsts] == list(range(len(art.paragraphs)))
        assert [squash(ln.text) for ln in firsts] == [
            squash((art.dateline if n == 0 and art.dateline else "") + p)[:len(squash(ln.text))]
            for n, (ln, p) in enumerate(zip(firsts, art.paragraphs))]


# ---------------------------------------------------------------------------------------------
# Defect 10: text that does not fit its place is a finding, never cut silently

BIG_NAMES = [n + "明" for n in "甲乙丙丁戊己庚辛壬癸子丑寅卯辰巳午未申酉戌亥金木水火土日月星"]


def test_a_byline_of_thirty_names_wraps_and_prints_them_all(tmp_path):
    path = write_issue(tmp_path, [page(2, [
        article("a", {"column": 1, "span": 2, "line": 1, "lines": 40},
                byline="记者 " + " ".join(BIG_NAMES)),
        article("b", {"column": 3, "span": 2, "line": 1, "lines": 40}, dateline="本报讯",
                byline="记者 " + " ".join(BIG_NAMES), byline_position="after_dateline")])])
    out = tmp_path / "issue.pdf"
    r = run("build", path, "-o", out)
    assert r.exit_code == 0, r.output
    chars = page_chars(out)
    for col in (1, 3):
        lines = [squash("".join(c["text"] for c in cs))
                 for _, _, cs in column_lines(in_box(chars, TAB, col, 2, 1, 40), TAB)]
        for name in BIG_NAMES:
            assert sum(name in ln for ln in lines) == 1, (col, name)      # printed, unbroken
    r = run("check", path, "--ignore", "underfull")
    assert r.exit_code == 0, r.output


def test_a_byline_that_does_not_fit_is_an_overflow(tmp_path):
    path = write_issue(tmp_path, [page(2, [
        article("a", {"column": 1, "span": 1, "line": 1, "lines": 12}, paragraphs=[TEXT[:20]],
                byline="记者 " + " ".join(BIG_NAMES))])])
    r = run("check", path, "--format", "json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1
    [f] = [f for f in data["pages"][0]["articles"][0]["findings"] if f["kind"] == "overflow"]
    out = tmp_path / "issue.pdf"
    assert run("build", path, "-o", out).exit_code == 1
    printed = squash("".join(c["text"] for c in in_box(page_chars(out), TAB, 1, 1, 1, 12)))
    missing = [n for n in BIG_NAMES if n not in printed]
    assert missing and f["chars"] >= sum(len(n) for n in missing)


def test_editors_that_do_not_fit_are_reported_not_cut(tmp_path):
    editors = {f"校对{i}": f"王{i}" for i in range(2000)}
    path = write_issue(tmp_path, [page(2, [article("a", {"column": 1, "span": 2, "line": 1,
                                                         "lines": 40})], editors=editors)])
    out = tmp_path / "issue.pdf"
    r = run("build", path, "-o", out)
    assert r.exit_code == 1 and out.exists()
    m = re.search(r"(\d+) of 2000 entries", r.output)
    assert m, r.output
    with pdfplumber.open(out) as pdf:
        pg = pdf.pages[0]
        head = [c for c in chars_with_baseline(pg) if abs(c["size"] - 7.5) < 0.01]
        text = "".join(c["text"] for c in sorted(head, key=lambda c: c["x0"]))
        assert all(0 <= c["x0"] and c["x1"] <= float(pg.width) for c in head)
    printed = re.findall(r"校对(\d+)：王(\d+)", text)
    assert printed and all(a == b for a, b in printed)               # whole entries only
    assert [int(a) for a, _ in printed] == list(range(len(printed)))
    assert len(printed) + int(m[1]) == 2000
    r = run("check", path, "--format", "json", "--ignore", "underfull")
    data = json.loads(r.stdout)
    schema = json.loads((Path(__file__).parents[1] / "docs" / "check-report.schema.json")
                        .read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert r.exit_code == 1
    [f] = data["pages"][0]["findings"]
    assert f["kind"] == "overflow" and f["entries"] == 2000 - len(printed)
