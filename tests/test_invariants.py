"""The invariants checked on every build (layout/checks/invariants.py): missing glyphs fail the
build with file:line; a page that draws other text than the issue file says, or an item outside
its module, is refused as a bug and nothing is written."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from layout.checks import invariants
from layout.checks.invariants import InvariantError, verify_page, word_breaks

from issuekit import TEXT, article, page, write_issue

ROOT = Path(__file__).resolve().parents[1]


def _paiban(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=300)


def _issue(tmp_path, **kw):
    return write_issue(tmp_path, [page(2, [article("a", {"column": 1, "span": 3, "line": 1,
                                                         "lines": 30}, **kw)])])


@pytest.mark.parametrize("field,text", [
    ("headline", "李𪚥当选"),              # U+2A6A5, Extension B: a name character outside
                                           # the 通用规范汉字表 (its 䶮 is in the bundled faces)
    ("kicker", "今日要闻😀"),             # an emoji
    ("subhead", "𰻞𰻞面馆开张"),          # U+30EDE, Extension G
    ("byline", "记者 王𪚥"),
])
def test_missing_glyph_fails_build_with_file_line(tmp_path, field, text):
    path = _issue(tmp_path, **{field: text})
    out = tmp_path / "out.pdf"
    r = _paiban("build", str(path), "-o", str(out))
    assert r.returncode == 1, r.stderr
    ch = next(c for c in text if ord(c) in (0x2A6A5, 0x1F600, 0x30EDE))
    assert f"U+{ord(ch):04X}" in r.stderr
    assert f"{path}:" in r.stderr                     # located at the article
    assert out.exists()                               # written, as with an overflow
    # --allow-overflow does not let a blank character through
    r2 = _paiban("build", str(path), "-o", str(out), "--allow-overflow")
    assert r2.returncode == 1
    # and paiban check reports it as a missing-glyph finding of the article
    r3 = _paiban("check", str(path), "--format", "json")
    assert r3.returncode == 1 and f"U+{ord(ch):04X}" in r3.stdout and "missing-glyph" in r3.stdout


def test_control_character_in_a_deck_is_reported(tmp_path):
    path = _issue(tmp_path, headline="a\0b标题")
    r = _paiban("build", str(path), "-o", str(tmp_path / "o.pdf"))
    assert r.returncode in (1, 2)
    assert "U+0000" in r.stderr or "control" in r.stderr.lower()


def test_clean_page_passes_and_seed_has_no_missing(seed_pdf):
    _, result = seed_pdf
    assert not result.missing
    assert all(not r.missing for p in result.pages for r in p.reports)


def test_word_breaks():
    assert word_breaks("open source software") == {4, 10}
    assert word_breaks("记者 王五 文/图") == set()
    assert word_breaks("用 Python 写") == set()           # Han–Latin spaces are not word gaps
    assert word_breaks("3 km") == {1}


def _composed(tmp_path, **kw):
    from layout.compose.page import compose_page
    from layout.house import House
    from layout.model.load import load_issue

    issue = load_issue(_issue(tmp_path, **kw))
    return issue, compose_page(issue, issue.pages[0], house=House.of(issue))


def test_dropped_character_is_caught(tmp_path):
    issue, cp = _composed(tmp_path)
    verify_page(issue, cp)                                # as composed: fine
    body = next(ln for ln in cp.lines if ln.kind == "body")
    del body.glyphs[3]
    with pytest.raises(InvariantError, match="invariant 'text'.*article a"):
        verify_page(issue, cp)


def test_reordered_lines_are_caught(tmp_path):
    issue, cp = _composed(tmp_path)
    body = [ln for ln in cp.lines if ln.kind == "body"]
    body[1].baseline, body[2].baseline = body[2].baseline, body[1].baseline
    with pytest.raises(InvariantError, match="'text'"):
        verify_page(issue, cp)


def test_latin_words_run_together_are_caught(tmp_path):
    issue, cp = _composed(tmp_path, paragraphs=["开源 open source software 的社区。" + TEXT])
    verify_page(issue, cp)
    ln = next(ln for ln in cp.lines if "source" in ln.text)
    k = next(i for i, g in enumerate(ln.glyphs) if g.text == "source")
    ln.glyphs[k - 1].text += "source"                     # "opensource" as one run
    del ln.glyphs[k]
    with pytest.raises(InvariantError, match="run together"):
        verify_page(issue, cp)


def test_caption_and_deck_changes_are_caught(tmp_path):
    photo = {"file": str(ROOT / "examples" / "photos" / "chunjing.jpg"), "caption": "学生在上课",
             "credit": "王五 摄", "place": {"column": 1, "span": 2, "line": 1, "lines": 12}}
    issue, cp = _composed(tmp_path, photos=[photo])
    verify_page(issue, cp)
    cap = next(ln for ln in cp.lines if ln.kind == "caption")
    cap.glyphs[0].text = "字"
    with pytest.raises(InvariantError, match="caption of photo 1"):
        verify_page(issue, cp)
    issue, cp = _composed(tmp_path)
    head = next(ln for ln in cp.lines if ln.kind == "headline")
    head.glyphs.pop()
    with pytest.raises(InvariantError, match="the headline"):
        verify_page(issue, cp)


def test_item_outside_its_module_is_caught(tmp_path):
    issue, cp = _composed(tmp_path)
    body = next(ln for ln in cp.lines if ln.kind == "body")
    body.baseline += 40 * 12                               # 40 lines down: past the module's foot
    with pytest.raises(InvariantError, match="geometry|text"):
        verify_page(issue, cp)
    photo = {"file": str(ROOT / "examples" / "photos" / "chunjing.jpg"),
             "place": {"column": 1, "span": 2, "line": 1, "lines": 12}}
    issue, cp = _composed(tmp_path, photos=[photo])
    cp.pictures[0].x += 300
    with pytest.raises(InvariantError, match="'geometry'.*photo"):
        verify_page(issue, cp)


def test_a_violation_in_a_build_is_exit_3_and_writes_nothing(tmp_path):
    path = _issue(tmp_path)
    out = tmp_path / "out.pdf"
    code = ("import sys\n"
            "from layout.compose import page\n"
            "real = page.compose_page\n"
            "def broken(*a, **k):\n"
            "    cp = real(*a, **k)\n"
            "    next(l for l in cp.lines if l.kind == 'body').glyphs.pop(0)\n"
            "    return cp\n"
            "page.compose_page = broken\n"
            "from layout.cli import main\n"
            f"sys.argv = ['paiban', 'build', {str(path)!r}, '-o', {str(out)!r}]\n"
            "main()\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert r.returncode == 3, r.stderr
    assert "invariant 'text'" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()


def test_module_overlap_is_caught(tmp_path, monkeypatch):
    issue, cp = _composed(tmp_path)
    from dataclasses import replace
    art = cp.page.articles[0]
    twin = replace(art, id="b")
    cp.page = replace(cp.page, articles=(art, twin))
    with pytest.raises(InvariantError, match="overlap"):
        verify_page(issue, cp)


def test_url_opening_a_paragraph_stays_in_its_column(tmp_path):
    # found by the generated issues: a URL wider than the first line's measure (after the 2-em
    # indent) but narrower than the column was not split, and ran past the column's edge
    import pdfplumber

    from layout.model.geometry import PRESETS

    path = _issue(tmp_path, paragraphs=["的的的的的的的的。", "www.example.com.cn 的的的的的的的。"])
    out = tmp_path / "out.pdf"
    r = _paiban("build", str(path), "-o", str(out))
    assert r.returncode == 0, r.stderr
    geo = PRESETS["tabloid"]
    right = geo.column_x(1) + geo.column_width
    with pdfplumber.open(out) as pdf:
        url = [c for c in pdf.pages[0].chars if c["text"] in "wexample.com.cn" and c["size"] == 9
               and c["x0"] < geo.column_x(2) - 1]
    assert url and max(c["x1"] for c in url) <= right + 0.5
