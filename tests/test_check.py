"""`paiban check`: the figures an editor cuts by, the report formats, exit codes."""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from issue_fixtures import (DECK_ROWS_ONE_COLUMN, article, han, issue, line_of, paragraph_chars,
                            photo, write)
from layout.checks.report import MIN_PPI, SCHEMA, UNDERFULL_LINES, Settings, widows_and_orphans
from layout.cli import main
from layout.pipeline import check_issue

ROOT = Path(__file__).resolve().parents[1]
REPORT_SCHEMA = json.loads((ROOT / "docs" / "check-report.schema.json").read_text(encoding="utf-8"))
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"


def check(*args: str):
    return CliRunner().invoke(main, ["check", *map(str, args)])


def check_json(*args: str) -> tuple[int, dict]:
    r = check(*args, "--format", "json")
    data = json.loads(r.stdout)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(data)
    return r.exit_code, data


def the_article(data: dict, aid: str) -> dict:
    return next(a for p in data["pages"] for a in p["articles"] if a["id"] == aid)


# A one-column module of 10 lines: 3 lines of deck (a one-word headline), 7 body lines.
MODULE = (1, 1, 1, 10)
SLOTS = MODULE[3] - DECK_ROWS_ONE_COLUMN


@pytest.fixture
def one_line_over(tmp_path):
    """8 lines of text (11 + 7 × 13 = 102 characters) in 7 slots: exactly one line too long,
    and the line that does not fit holds 13 characters."""
    text = han(paragraph_chars(SLOTS + 1))
    assert len(text) == 102
    return write(tmp_path, issue([article("brief", MODULE, text)]))


def test_report_schema_is_a_valid_schema():
    jsonschema.Draft202012Validator.check_schema(REPORT_SCHEMA)
    assert REPORT_SCHEMA["properties"]["schema"]["const"] == SCHEMA == "paiban-check/1"


def test_one_line_too_long_reports_one_line(one_line_over):
    code, data = check_json(one_line_over)
    assert code == 1
    a = the_article(data, "brief")
    assert a["figures"]["lines_available"] == SLOTS == 7
    assert a["figures"]["lines_needed"] == 8
    assert a["figures"]["overflow_lines"] == 1
    assert a["figures"]["overflow_chars"] == 13
    assert a["fits"] is False
    [f] = a["findings"]
    assert (f["kind"], f["severity"], f["lines"], f["chars"]) == ("overflow", "error", 1, 13)
    assert f["message"].startswith("超 1 行，约 13 字")
    assert data["summary"] == {"pages": 1, "articles": 1, "ads": 0, "fit": 0, "overflow": 1,
                               "findings": 1, "errors": 1, "warnings": 0, "notices": 0,
                               "by_kind": {"overflow": 1}}
    assert (data["status"], data["exit_code"]) == ("findings", 1)


def test_exactly_full_fits_and_exits_0(tmp_path):
    path = write(tmp_path, issue([article("brief", MODULE, han(paragraph_chars(SLOTS)))]))
    r = check(path)
    assert r.exit_code == 0, r.output
    assert "brief: ok (7 of 7 lines)" in r.stdout
    assert "all 1 articles fit; no findings" in r.stdout
    code, data = check_json(path)
    assert code == 0 and data["status"] == "ok" and data["summary"]["findings"] == 0
    assert the_article(data, "brief")["figures"]["underfull_lines"] == 0


def test_three_lines_over(tmp_path):
    path = write(tmp_path, issue([article("brief", MODULE, han(paragraph_chars(SLOTS + 3)))]))
    r = check(path)
    assert r.exit_code == 1
    assert "超 3 行，约 39 字 (overflows by 3 lines, about 39 characters)" in r.stdout


def test_underfull_threshold(tmp_path):
    text = han(paragraph_chars(5))
    at = write(tmp_path, issue([article("brief", (1, 1, 1, DECK_ROWS_ONE_COLUMN + 5
                                                  + UNDERFULL_LINES), text)]), "at.yaml")
    over = write(tmp_path, issue([article("brief", (1, 1, 1, DECK_ROWS_ONE_COLUMN + 5
                                                    + UNDERFULL_LINES + 1), text)]), "over.yaml")
    assert check(at).exit_code == 0
    code, data = check_json(over)
    assert code == 1
    [f] = the_article(data, "brief")["findings"]
    assert (f["kind"], f["lines"], f["chars"], f["threshold"]) == ("underfull", 4, 4 * 13, 3)
    assert f["message"].startswith("空 4 行，约缺 52 字")
    assert check(over, "--underfull", "4").exit_code == 0
    assert check(over, "--ignore", "underfull").exit_code == 0


def test_missing_glyph(tmp_path):
    path = write(tmp_path, issue([article("brief", (1, 2, 1, 20), han(20) + "\U000F0000" + han(8))]))
    code, data = check_json(path)
    assert code == 1
    [f] = [f for f in the_article(data, "brief")["findings"] if f["kind"] == "missing-glyph"]
    assert (f["char"], f["codepoint"]) == ("\U000F0000", "U+F0000")
    r = check(path)
    assert "U+F0000" in r.stdout


def test_headline_that_does_not_fit(tmp_path):
    path = write(tmp_path, issue([article("brief", (1, 1, 1, 20), han(30),
                                          headline=han(40, 50))]))
    code, data = check_json(path)
    a = the_article(data, "brief")
    if a["figures"]["headline_fits"]:
        pytest.skip("the deck breaks this head after all")
    assert code == 1
    [f] = [f for f in a["findings"] if f["kind"] == "headline"]
    assert f["span"] == 1 and f["severity"] == "error"


def test_low_resolution_photo(tmp_path):
    photo(tmp_path / "photos", "small.jpg", (300, 200))
    art = article("brief", (1, 2, 1, 40), han(200),
                  photos=[{"file": "photos/small.jpg", "caption": "图片说明",
                           "place": {"column": 1, "span": 2, "line": 1, "lines": 12}}])
    path = write(tmp_path, issue([art]))
    report = check_issue(path)
    [pic] = [p for p in report.pages[0].items[0].photos]
    w_in, h_in = pic.frame[0] / 72, pic.frame[1] / 72
    # Cover fit: the image's aspect (1.5) against the frame's decides which side is cut.
    want = 300 / w_in if pic.frame[0] / pic.frame[1] >= 1.5 else 200 / h_in
    assert abs(pic.ppi - want) < 1.5
    assert pic.ppi < MIN_PPI
    code, data = check_json(path)
    assert code == 1
    [f] = [f for f in the_article(data, "brief")["findings"] if f["kind"] == "low-resolution"]
    assert f["ppi"] == int(pic.ppi) and f["min_ppi"] == MIN_PPI and f["pixels"] == [300, 200]
    assert f["line"] == line_of(path, "file: photos/small.jpg")
    assert check(path, "--min-ppi", str(int(pic.ppi)), "--ignore", "underfull").exit_code == 0


def test_good_photo_passes(tmp_path):
    photo(tmp_path / "photos", "big.jpg", (1200, 800))
    art = article("brief", (1, 2, 1, 40), han(paragraph_chars(2)),
                  photos=[{"file": "photos/big.jpg",
                           "place": {"column": 1, "span": 2, "line": 1, "lines": 12}}])
    report = check_issue(write(tmp_path, issue([art])),
                         Settings(underfull_lines=999, ignore=("short-strip",)))
    [pic] = report.pages[0].items[0].photos
    assert pic.ppi > MIN_PPI
    assert report.exit_code == 0, [f.message for f in report.findings()]


# ---------------------------------------------------------------------------------------------
# Widows and orphans, on composed lines made by hand

def _page_with(lines_spec, module=(1, 2, 1, 12)):
    """A composed page whose article 'a' has body lines at (column, row, first-of-paragraph),
    each told its paragraph, its line in it and whether it is the last, as composition does."""
    from layout.compose.items import ArticleReport, ComposedPage, TextLine
    from layout.model.document import Box, Page
    from layout.model.geometry import PRESETS
    from layout.text.line import Glyph

    geo = PRESETS["broadsheet"]
    box = Box(*module)
    page = Page(number=2, section="", geometry=geo, articles=())
    cp = ComposedPage(page=page, width=geo.page_width, height=geo.page_height)
    para, line = -1, 0
    for n, (col, row, first) in enumerate(lines_spec):
        para, line = (para + 1, 0) if first else (para, line + 1)
        last = n == len(lines_spec) - 1 or lines_spec[n + 1][2]
        x = geo.column_x(col) + (2 * geo.body_size if first else 0.0)
        cp.lines.append(TextLine(x, geo.line_top(row) + 10.5, [Glyph(han(1, n), "serif", 9.0, 0.0)],
                                 "body", "a", para=para, line=line, last=last))
    rep = ArticleReport(id="a", module=box, lines_needed=len(lines_spec))
    return cp, rep, geo


def test_widow_detected():
    # Paragraph 1: five lines down column 1 and its last line alone at the top of column 2.
    spec = [(1, 4, True), (1, 5, False), (1, 6, False), (1, 7, False), (1, 8, False),
            (2, 4, False), (2, 5, True), (2, 6, False)]
    cp, rep, geo = _page_with(spec)
    assert widows_and_orphans(cp, rep, geo) == [("widow", 1, 2, 4, han(1, 5))]


def test_orphan_detected():
    # Paragraph 2 opens on the last line of column 1 and goes on in column 2.
    spec = [(1, 4, True), (1, 5, False), (1, 6, True), (2, 4, False), (2, 5, False)]
    cp, rep, geo = _page_with(spec)
    assert widows_and_orphans(cp, rep, geo) == [("orphan", 2, 1, 6, han(1, 2))]


def test_no_widow_for_a_clean_break():
    spec = [(1, 4, True), (1, 5, False), (2, 4, True), (2, 5, False)]
    cp, rep, geo = _page_with(spec)
    assert widows_and_orphans(cp, rep, geo) == []


def test_widow_reported_by_check(monkeypatch, tmp_path):
    """The finding as the editor sees it (the composition avoids widows where it can, so the
    lines are taken from the hand-made page above)."""
    from layout.checks import report as rep_mod

    path = write(tmp_path, issue([article("a", (1, 2, 1, 12), han(60))]))
    spec = [(1, 4, True), (1, 5, False), (1, 6, False), (2, 4, False), (2, 5, True)]
    cp, _, _ = _page_with(spec)
    monkeypatch.setattr(rep_mod, "widows_and_orphans",
                        lambda c, r, g: widows_and_orphans(cp, r, g))
    code, data = check_json(path)
    [f] = [f for f in the_article(data, "a")["findings"] if f["kind"] == "widow"]
    assert (f["paragraph"], f["grid_column"], f["grid_line"]) == (1, 2, 4)
    assert f["message"].startswith("孤行：第1段末行")


def test_orphans_reported_only_when_asked(monkeypatch, tmp_path):
    from layout.checks import report as rep_mod

    path = write(tmp_path, issue([article("a", (1, 2, 1, 12), han(60))]))
    spec = [(1, 4, True), (1, 5, False), (1, 6, True), (2, 4, False), (2, 5, False)]
    cp, _, _ = _page_with(spec)
    monkeypatch.setattr(rep_mod, "widows_and_orphans",
                        lambda c, r, g: widows_and_orphans(cp, r, g))
    code, data = check_json(path, "--ignore", "underfull")
    assert code == 0 and data["settings"]["orphans"] is False
    code, data = check_json(path, "--ignore", "underfull", "--orphans")
    assert code == 1
    [f] = the_article(data, "a")["findings"]
    assert (f["kind"], f["paragraph"], f["grid_column"], f["grid_line"]) == ("orphan", 2, 1, 6)


# ---------------------------------------------------------------------------------------------
# Formats

def test_junit(one_line_over, tmp_path):
    fits = article("fits", (3, 1, 1, 10), han(paragraph_chars(SLOTS)))
    data = yaml.safe_load(one_line_over.read_text(encoding="utf-8"))
    data["pages"][0]["articles"].append(fits)
    path = write(tmp_path, data, "two.yaml")
    out = tmp_path / "report.xml"
    r = check(path, "--format", "junit", "-o", out)
    assert r.exit_code == 1
    root = ET.parse(out).getroot()
    assert root.tag == "testsuites"
    cases = {c.get("name"): c for c in root.iter("testcase")}
    assert {"brief", "fits", "furniture"} <= set(cases)
    fail = cases["brief"].find("failure")
    assert fail is not None and fail.get("type") == "overflow"
    assert fail.get("message").startswith("超 1 行，约 13 字")
    assert "lines needed 8, available 7, overflow 1 lines / 13 chars" in fail.text
    assert cases["brief"].get("line") == str(line_of(path, "id: brief"))
    assert cases["fits"].find("failure") is None
    assert root.get("tests") == "3" and root.get("failures") == "1"


def test_github_annotations(one_line_over):
    r = check(one_line_over, "--format", "github")
    assert r.exit_code == 1
    [ann] = [ln for ln in r.stdout.splitlines() if ln.startswith("::")]
    line = line_of(one_line_over, "id: brief")
    assert ann.startswith(f"::error file={one_line_over},line={line},")
    assert "title=paiban check%3A overflow::第2版 brief: 超 1 行，约 13 字" in ann


def test_github_invalid_input(tmp_path):
    path = tmp_path / "issue.yaml"
    path.write_text("paper: 测试报\ndate: 2023-03-17\npages:\n  - number: 2\n    articles: []\n"
                    "    colour: red\n", encoding="utf-8")
    r = check(path, "--format", "github")
    assert r.exit_code == 2
    assert r.stdout.startswith(f"::error file={path},line=6,col=5,")
    assert "unknown key 'colour'" in r.stdout


def test_json_invalid_input_validates(tmp_path):
    path = tmp_path / "issue.yaml"
    path.write_text("paper: 测试报\ndate: 2023-03-17\npages:\n  - number: 2\n    articles:\n"
                    "      - id: a\n        headlin: 短讯\n", encoding="utf-8")
    code, data = check_json(path)
    assert code == 2 and data["status"] == "invalid" and data["pages"] == []
    assert data["error"]["line"] == 7 and data["error"]["hint"] == "did you mean headline?"


def test_text_format_lines_are_located(one_line_over):
    r = check(one_line_over)
    line = line_of(one_line_over, "id: brief")
    assert f"{one_line_over}:{line}:" in r.stdout
    assert "error: brief: 超 1 行，约 13 字" in r.stdout


def test_check_writes_no_pdf_unless_asked(one_line_over, tmp_path):
    before = set(tmp_path.iterdir())
    check(one_line_over)
    assert set(tmp_path.iterdir()) == before
    pdf = tmp_path / "proof.pdf"
    code, data = check_json(one_line_over, "--pdf", pdf)
    assert code == 1 and pdf.read_bytes().startswith(b"%PDF") and data["pdf"] == str(pdf)


def test_unknown_ignore_kind(one_line_over):
    r = check(one_line_over, "--ignore", "overflows")
    assert r.exit_code == 2 and "unknown kind 'overflows'" in r.output


# ---------------------------------------------------------------------------------------------
# The seed page, and the seed with its longest article four times over

def test_seed_page_runs():
    code, data = check_json(SEED)
    assert code in (0, 1)            # the seed's layout is being tuned
    assert [a["id"] for a in data["pages"][0]["articles"]] == [
        "wanggehua", "shangpinfang", "lishi-wenhua", "baojiaolou"]


def test_seed_longest_article_four_times(tmp_path):
    from layout.build import compose

    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    arts = data["pages"][0]["articles"]
    longest = max(arts, key=lambda a: sum(len(p) for p in a["paragraphs"]))
    longest["paragraphs"] = longest["paragraphs"] * 4
    shutil.copytree(SEED.parent / "photos", tmp_path / "photos")
    path = write(tmp_path, data, "x4.yaml")

    code, rep = check_json(path)
    assert code == 1
    a = the_article(rep, longest["id"])
    fig = a["figures"]
    assert fig["overflow_lines"] == fig["lines_needed"] - fig["lines_available"] > 0
    [f] = [f for f in a["findings"] if f["kind"] == "overflow"]
    assert (f["lines"], f["chars"]) == (fig["overflow_lines"], fig["overflow_chars"])
    assert f["message"].startswith(f"超 {f['lines']} 行，约 {f['chars']} 字")
    assert f["line"] == line_of(path, f"id: {longest['id']}")
    # The characters on the page plus the characters reported over are the article's text.
    _, pages = compose(path)
    placed = sum(len(g.text.replace(" ", "").replace("\u3000", "")) for ln in pages[0].lines
                 if ln.article == longest["id"] and ln.kind in ("body", "byline") for g in ln.glyphs)
    text = "".join(longest["paragraphs"]) + longest.get("dateline", "") + longest.get("byline", "")
    assert placed + f["chars"] == len("".join(text.split()))
    # The other articles are as before.
    for other in arts:
        if other is not longest:
            assert the_article(rep, other["id"])["fits"]


def test_check_does_not_import_the_pdf_stack():
    """`paiban check` typesets without writing a PDF: pikepdf, reportlab and numpy stay out of
    the process (0.05–0.1 s of imports a CI check would pay for nothing), and so does tempfile
    (with shutil and random under it: 4.5 ms), which only a written file needs."""
    import subprocess
    import sys

    code = ("import runpy, sys\n"
            f"sys.argv = ['paiban', 'check', {str(SEED)!r}]\n"
            "try:\n    runpy.run_module('layout', run_name='__main__')\n"
            "except SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pikepdf', 'reportlab', 'numpy', 'tempfile')\n"
            "             if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert r.stdout.strip().splitlines()[-1] == "[]", r.stdout + r.stderr


def test_photo_checks_are_remembered_by_content(tmp_path, monkeypatch):
    """A photo that passed its check is remembered under its SHA-256: checking again neither
    opens it with Pillow; the same path with other content is checked afresh."""
    import os
    import shutil

    from PIL import Image

    from layout.model import photos

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    pic = tmp_path / "p.jpg"
    shutil.copy(ROOT / "issues" / "photos" / "gongyi.jpg", pic)
    photos._inspect.cache_clear()
    first = photos.inspect_photo(pic)
    photos._inspect.cache_clear()                    # a new process
    opened = []
    real = Image.open
    monkeypatch.setattr(Image, "open", lambda *a, **k: opened.append(a[0]) or real(*a, **k))
    assert photos.inspect_photo(pic) == first and opened == []
    Image.new("RGB", (40, 30)).save(pic)             # another picture at the same path
    st = pic.stat()
    os.utime(pic, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    photos._inspect.cache_clear()
    assert (photos.inspect_photo(pic).width, photos.inspect_photo(pic).height) == (40, 30)
    assert opened
    photos._inspect.cache_clear()


# ---------------------------------------------------------------------------------------------
# 碎栏: short strips of text under or over a photo (issue 16 item 5)

def test_seed_page_short_strips_are_reported_with_the_fix():
    from layout.pipeline import check_issue as run
    report = run(SEED, Settings())
    strips = [f for f in report.findings() if f.kind == "short-strip"]
    got = {(f.extra["grid_columns"][0], f.extra["grid_columns"][1], f.extra["lines"],
            f.extra["taller"], f.extra["shorter"]) for f in strips}
    # wanggehua: 3 lines under its photo in columns 1–3 (lishi-wenhua's 2 lines in columns 1–2
    # are resolved: tests/test_strips.py)
    assert got == {(1, 3, 3, 3, 2)}
    assert all(f.line for f in strips)   # at the photo's place


@pytest.mark.parametrize("under,strip", [(26, 4), (25, 5)])
def test_short_strip_under_a_photo(tmp_path, under, strip):
    # one column, 30 lines: a photo of `under` lines (caption none, one blank) leaves the text
    # 30 - under lines under it when the text fills the column
    photo(tmp_path / "photos", "p.jpg", (1200, 1600))
    deck_rows = DECK_ROWS_ONE_COLUMN
    art = article("s", (1, 1, 1, 30 + deck_rows), han(paragraph_chars(30 - under)),
                  photos=[{"file": "photos/p.jpg", "strips": "keep",      # found, not resolved
                           "place": {"column": 1, "span": 1, "line": 1, "lines": under}}])
    report = check_issue(write(tmp_path, issue([art])), Settings(underfull_lines=999))
    kinds = [f.kind for f in report.findings()]
    got = [f for f in report.findings() if f.kind == "short-strip"]
    if strip < 5:
        assert len(got) == 1 and got[0].extra["lines"] == strip, kinds
    else:
        assert not got, kinds
