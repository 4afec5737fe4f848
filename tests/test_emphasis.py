"""Inline emphasis (issue 16 item 7), read back from the PDF: **bold** in the bold face,
{kai:…} in 楷体, [.着重号.] as one round dot under the centre of each character, escapes
printed as written; markup that does not balance is a located error and a lint finding."""
from __future__ import annotations

import pickle
import subprocess
import sys

import pdfplumber
import pytest

from issuekit import ROOT, article, build, page, write_issue

PARA = ("区委书记强调，要**把群众满意作为第一标准**，做到[.件件有着落、事事.]有回音。"
        "她说：{kai:“社区是城市治理的最后一公里，**群众的事**没有小事。”}")
ESCAPED = r"星号照印\*\*不加粗，方括号\[.也照印.]，花括号\{kai:照印}。"


def _issue(tmp_path, paragraphs):
    art = article("a", {"column": 1, "line": 1, "span": 2, "lines": 30}, paragraphs=paragraphs)
    return write_issue(tmp_path, [page(2, [art])])


def _body_chars(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        pg = pdf.pages[0]
        chars = [c for c in pg.chars if abs(c["size"] - 9.0) < 0.01 and c["top"] > 60]
        return chars, pg.curves, float(pg.height)


def _find(chars, text):
    """The chars that spell `text` (the first run of them, reading order by top then x)."""
    left = min(c["x0"] for c in chars)
    # column by column (tabloid columns: 11 characters of 9 pt and a 1-character gutter)
    seq = sorted(chars, key=lambda c: ((c["x0"] - left) // 108, round(c["top"]), c["x0"]))
    s = "".join(c["text"] for c in seq)
    at = s.find(text)
    assert at >= 0, (text, s)
    return seq[at:at + len(text)]


def test_bold_kai_and_dots_on_the_pdf(tmp_path):
    path = _issue(tmp_path, [PARA, ESCAPED])
    build(path)
    chars, curves, height = _body_chars(path.with_suffix(".pdf"))
    bold = _find(chars, "把群众满意作为第一标准")
    assert all("Serif" in c["fontname"] and "Bold" in c["fontname"] for c in bold)
    plain = _find(chars, "区委书记强调")
    assert all("Regular" in c["fontname"] for c in plain)
    kai = _find(chars, "社区是城市治理的最后一公里")
    assert all("Kai" in c["fontname"] for c in kai)
    both = _find(chars, "群众的事")         # bold inside kai: 黑体
    assert all("Sans" in c["fontname"] and "Bold" in c["fontname"] for c in both)
    # 着重号: one dot per character, centred under it, just below the em box
    dotted = _find(chars, "件件有着落、事事")
    assert len(curves) == len(dotted) - 1              # none under the 、
    for c in dotted:
        if c["text"] == "、":
            continue
        centre = (c["x0"] + c["x1"]) / 2
        dot = [d for d in curves if abs((d["x0"] + d["x1"]) / 2 - centre) < 0.3
               and c["bottom"] < (d["top"] + d["bottom"]) / 2 < c["bottom"] + 3.0]
        assert len(dot) == 1, (c["text"], centre)
        assert 0.8 < dot[0]["x1"] - dot[0]["x0"] < 2.0            # a dot, not a rule
    # escapes print as written, in the body face, with no dots
    lit = _find(chars, "星号照印**不加粗，方括号[.也照印.]，花括号{kai:照印}。")
    assert all("Regular" in c["fontname"] for c in lit)


def test_glyph_dots_survive_the_worker_pickle():
    from layout.compose.items import TextLine
    from layout.text.line import Glyph
    ln = TextLine(1.0, 2.0, [Glyph("件", "serif", 9.0, 0.0, True), Glyph("x", "serif", 9.0, 9.0)])
    back = pickle.loads(pickle.dumps(ln))
    assert [g.dots for g in back.glyphs] == [True, False]


@pytest.mark.parametrize("para, at", [("要**把群众满意作为第一标准，做到。", 1),
                                      ("她说：{kai:社区是城市治理", 3),
                                      ("做到[.件件有着落。", 2),
                                      ("交叉**粗{kai:楷**体}", 11)])
def test_unbalanced_markup_is_a_located_error_and_a_lint_finding(tmp_path, para, at):
    path = _issue(tmp_path, ["第一段。", para])
    out = tmp_path / "o.pdf"
    p = subprocess.run([sys.executable, "-m", "layout", "build", str(path), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert f"paragraph 2, character {at + 1}" in p.stderr and "issue.yaml:" in p.stderr, p.stderr
    assert not out.exists()
    p = subprocess.run([sys.executable, "-m", "layout", "lint", str(path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 1 and "emphasis markup" in p.stdout, p.stdout
    assert "half-width" not in p.stdout          # the markup's : is not copy


def test_lint_reads_balanced_markup_as_no_finding(tmp_path):
    path = _issue(tmp_path, [PARA, r"星号照印\*\*不加粗，方括号\[.也照印.]。"])
    p = subprocess.run([sys.executable, "-m", "layout", "lint", str(path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stdout


# Captions (issue 16): the same markup and escape; bold in a 楷体 caption is 黑体
CAPTION = r"张艳敏**听取汇报**，[.网格化.]治理\*\*照印。"


def _caption_issue(tmp_path, caption):
    ph = {"file": str(ROOT / "examples" / "photos" / "zhishu.jpg"), "caption": caption,
          "credit": "某某 摄", "place": {"column": 1, "span": 2, "line": 1, "lines": 12}}
    art = article("a", {"column": 1, "line": 1, "span": 2, "lines": 30}, photos=[ph])
    return write_issue(tmp_path, [page(2, [art])])


def test_caption_emphasis_on_the_pdf(tmp_path):
    path = _caption_issue(tmp_path, CAPTION)
    build(path)                        # the build's invariants compare the caption as printed
    with pdfplumber.open(path.with_suffix(".pdf")) as pdf:
        pg = pdf.pages[0]
        (img,) = pg.images
        chars = [c for c in pg.chars if img["bottom"] < c["top"] < img["bottom"] + 30]
        curves = pg.curves
    text = "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))
    assert text.startswith("张艳敏听取汇报，网格化治理**照印。")
    bold = _find(chars, "听取汇报")
    assert all("Sans" in c["fontname"] and "Bold" in c["fontname"] for c in bold)
    assert all("Kai" in c["fontname"] for c in _find(chars, "张艳敏"))
    assert all("Kai" in c["fontname"] for c in _find(chars, "**照印"))
    dotted = _find(chars, "网格化")
    assert len(curves) == 3
    for c in dotted:
        centre = (c["x0"] + c["x1"]) / 2
        assert [d for d in curves if abs((d["x0"] + d["x1"]) / 2 - centre) < 0.3]


def test_unbalanced_caption_markup_is_a_located_error_and_a_lint_finding(tmp_path):
    path = _caption_issue(tmp_path, "张艳敏**听取汇报")
    out = tmp_path / "o.pdf"
    p = subprocess.run([sys.executable, "-m", "layout", "build", str(path), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    line = next(k + 1 for k, ln in enumerate(path.read_text(encoding="utf-8").splitlines())
                if "caption:" in ln)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert f"issue.yaml:{line}:" in p.stderr and "caption, character 4" in p.stderr, p.stderr
    assert not out.exists()
    p = subprocess.run([sys.executable, "-m", "layout", "lint", str(path)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 1 and "photo 1 caption" in p.stdout and "emphasis markup" in p.stdout
    ok = _caption_issue(tmp_path, CAPTION)
    p = subprocess.run([sys.executable, "-m", "layout", "lint", str(ok)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stdout
