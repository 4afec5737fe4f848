"""`paiban lint` (issue 3): findings on a crafted file, --fix re-parsed equal to the expected
text, comments and layout kept, idempotent, atomic; exit codes 0 / 1 / 2."""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from layout.checks.lint import check_text, fix_file, fixable, lint_file
from layout.cli import main

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"

CRAFTED = """\
# 测试稿 (comments must survive --fix)
paper: 管城新闻
date: 2023-03-17

pages:
  - number: 3
    section: 要闻
    articles:
      # the second story
      - id: shangpinfang
        module: {column: 6, span: 3, line: 1, lines: 64}
        headline: 管城回族区举办 第二场商品房推介活动   # a space in a headline is deliberate
        subhead: "共10个项目参与,推出1967套、约10万平方米优质房源"
        dateline: 本报讯
        paragraphs:
          - 3月14日上午,管城回族区第二场商品房推介活动启动仪式召开。此次活动共有10个项目参与, 推出1967套。
          - 区长丁晓永表示(见图),房地产业是国民经济的支柱型产业;要实现“稳得住“向“管得好”转变。
          - 会议于10:30开始，圆周率3.14，网址www.gov.cn，他说"你好"。
          - 《人民日报》报道 了此事，（记者 张三
          - “这是第一段引文，
          - “这是第二段引文。”
          - 他问：为什么?答案是:没有答案!
        byline: 记者 冉红政 通讯员 姜璞 文/图
        photos:
          - file: photos/x.jpg
            caption: 活动现场 。
            credit: 冉红政 摄
"""

EXPECTED = {
    "subhead": "共10个项目参与，推出1967套、约10万平方米优质房源",
    "headline": "管城回族区举办 第二场商品房推介活动",
    "paragraphs": [
        "3月14日上午，管城回族区第二场商品房推介活动启动仪式召开。此次活动共有10个项目参与，推出1967套。",
        "区长丁晓永表示（见图），房地产业是国民经济的支柱型产业；要实现“稳得住”向“管得好”转变。",
        "会议于10:30开始，圆周率3.14，网址www.gov.cn，他说“你好”。",
        "《人民日报》报道了此事，（记者 张三",
        "“这是第一段引文，",
        "“这是第二段引文。”",
        "他问：为什么？答案是：没有答案！",
    ],
    "caption": "活动现场。",
}


@pytest.fixture
def crafted(tmp_path):
    p = tmp_path / "issue.yaml"
    p.write_text(CRAFTED, encoding="utf-8")
    return p


def _line_of(text: str, needle: str) -> int:
    return next(k + 1 for k, ln in enumerate(text.splitlines()) if needle in ln)


def test_findings_on_a_crafted_file(crafted):
    found = lint_file(crafted)
    got = {(f.article, f.extra["field"], f.extra["offset"], f.kind) for f in found}
    want = {
        ("shangpinfang", "subhead", 9, "half-width"),
        ("shangpinfang", "paragraph 1", 8, "half-width"),
        ("shangpinfang", "paragraph 1", 44, "half-width"),
        ("shangpinfang", "paragraph 2", 8, "half-width"),
        ("shangpinfang", "paragraph 2", 11, "half-width"),
        ("shangpinfang", "paragraph 2", 12, "half-width"),
        ("shangpinfang", "paragraph 2", 28, "half-width"),
        ("shangpinfang", "paragraph 2", 36, "quote-direction"),
        ("shangpinfang", "paragraph 3", 35, "half-width"),
        ("shangpinfang", "paragraph 3", 38, "half-width"),
        ("shangpinfang", "paragraph 4", 9, "space"),
        ("shangpinfang", "paragraph 4", 14, "unbalanced"),
        ("shangpinfang", "paragraph 7", 7, "half-width"),
        ("shangpinfang", "paragraph 7", 11, "half-width"),
        ("shangpinfang", "paragraph 7", 16, "half-width"),
        ("shangpinfang", "photo 1 caption", 5, "space"),
    }
    assert got == want
    # Positions: the file line of each finding, and the column of the character itself.
    src = CRAFTED.splitlines()
    for f in found:
        line = src[f.line - 1]
        assert f.line == _line_of(CRAFTED, line)
        if f.kind == "half-width":
            assert line[f.column - 1] in ',;:?!()."', (f, line[f.column - 1])
    sub = next(f for f in found if f.extra["field"] == "subhead")
    assert (sub.line, sub.column) == (13, 27)
    # Not findings: a headline's deliberate space, 10:30, 3.14, www.gov.cn, （记者 张三,
    # a quotation running over two paragraphs (“ on each, ” on the last only).
    assert not any(f.extra["field"] == "headline" for f in found)
    assert not any(f.extra["field"] in ("paragraph 5", "paragraph 6") for f in found)
    # Every finding says what --fix does or what to do by hand.
    assert all(f.extra["fix"] for f in found)
    assert [f for f in found if not fixable(f)] == [
        next(f for f in found if f.kind == "unbalanced")]


def test_fix_gives_the_expected_text_and_keeps_comments(crafted):
    before = crafted.read_text(encoding="utf-8")
    made, left = fix_file(crafted)
    assert made == 15
    assert [f.kind for f in left] == ["unbalanced"]
    after = crafted.read_text(encoding="utf-8")
    art = yaml.safe_load(after)["pages"][0]["articles"][0]
    assert art["subhead"] == EXPECTED["subhead"]
    assert art["headline"] == EXPECTED["headline"]
    assert art["paragraphs"] == EXPECTED["paragraphs"]
    assert art["photos"][0]["caption"] == EXPECTED["caption"]
    # Comments, flow mappings, quoting and blank lines stay; only lines with fixes change.
    comments = [ln for ln in before.splitlines() if "#" in ln]
    assert all(c in after.splitlines() for c in comments if "headline" in c or c.lstrip().startswith("#"))
    changed = [a for a, b in zip(before.splitlines(), after.splitlines()) if a != b]
    assert len(before.splitlines()) == len(after.splitlines())
    assert len(changed) == 7
    assert 'subhead: "共10个' in after                  # double quotes kept
    assert "{column: 6, span: 3, line: 1, lines: 64}" in after


def test_fix_is_idempotent_and_atomic(crafted):
    os.chmod(crafted, 0o640)
    fix_file(crafted)
    once = crafted.read_bytes()
    made, left = fix_file(crafted)
    assert made == 0 and crafted.read_bytes() == once
    assert stat.S_IMODE(crafted.stat().st_mode) == 0o640
    assert [p.name for p in crafted.parent.iterdir()] == [crafted.name]   # no temp file left


def test_fix_restores_the_seed_copy(tmp_path):
    """The seed page's copy with its full-width marks turned back into the ASCII slips of
    the extracted text: --fix gives back the issue file byte for byte."""
    src = SEED.read_text(encoding="utf-8")
    lines = src.splitlines(keepends=True)
    slipped = []
    n = 0
    for ln in lines:
        if re.match(r"\s+- [^a-z]", ln) or re.match(r"\s+(subhead|caption):", ln):
            new = ln.replace("，", ",").replace("；", ";").replace("（", "(").replace("）", ")")
            n += new != ln
            slipped.append(new)
        else:
            slipped.append(ln)
    assert n > 10
    p = tmp_path / SEED.name
    p.write_text("".join(slipped), encoding="utf-8")
    found = lint_file(p)
    assert len(found) > 150 and all(fixable(f) for f in found)
    fix_file(p)
    assert p.read_text(encoding="utf-8") == src


def test_cli_exit_codes(crafted, tmp_path):
    r = CliRunner()
    res = r.invoke(main, ["lint", str(SEED)])
    assert res.exit_code == 0, res.output
    res = r.invoke(main, ["lint", str(crafted)])
    assert res.exit_code == 1
    assert "shangpinfang paragraph 1, character 8" in res.output
    assert f"{crafted}:16:" in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("paper: x\npages: [\n", encoding="utf-8")
    res = r.invoke(main, ["lint", str(bad)])
    assert res.exit_code == 2 and "bad.yaml:" in res.output
    res = r.invoke(main, ["lint", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2
    notissue = tmp_path / "list.yaml"
    notissue.write_text("- a\n- b\n", encoding="utf-8")
    assert r.invoke(main, ["lint", str(notissue)]).exit_code == 2
    res = r.invoke(main, ["lint", "--fix", str(crafted)])
    assert res.exit_code == 1 and "fixed 15 findings" in res.output
    assert "（ without ）" in res.output


def test_check_text_cases():
    def kinds(t, name="paragraph 1"):
        return [(f.extra["offset"], f.kind) for f in check_text(t, name)]
    assert kinds("参与,推出") == [(3, "half-width")]
    assert kinds("Hello, world") == []
    assert kinds("共1,967套") == []
    assert kinds("it’s“好”") == []
    assert kinds("“五星“支部") == [(4, "quote-direction")]
    assert kinds("《人民日报") == [(1, "unbalanced")]
    assert kinds("人民日报》") == [(5, "unbalanced")]
    assert kinds("一 二", "headline") == []
    assert kinds("一 二") == [(2, "space")]
    assert kinds("甲　乙") == [(2, "space")]


def test_continuations_and_short_headlines_are_read(tmp_path):
    p = tmp_path / "c.yaml"
    p.write_text("""\
paper: 管城新闻
date: 2023-03-17
pages:
  - number: 1
    articles:
      - id: a
        module: {column: 1, span: 2, line: 1, lines: 20}
        headline: 标题
        short_headline: 短 标题
        paragraphs:
          - 甲乙,丙丁
  - number: 2
    continuations:
      - id: a-2
        continued_from: a
        module: {column: 1, span: 2, line: 1, lines: 20}
        photos:
          - file: x.jpg
            caption: 图为现场,摄于上午
""", encoding="utf-8")
    found = {(f.article, f.extra["field"], f.kind) for f in lint_file(p)}
    assert found == {("a", "paragraph 1", "half-width"), ("a-2", "photo 1 caption", "half-width")}


@pytest.mark.parametrize("bom", [b"", b"\xef\xbb\xbf"], ids=["no-bom", "bom"])
@pytest.mark.parametrize("newline", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_fix_keeps_bom_and_line_endings(tmp_path, bom, newline):
    """--fix changes the text it fixes and nothing else: a byte-order mark stays, CRLF line
    endings stay CRLF on every line (ruamel.yaml writes LF and no mark)."""
    plain = tmp_path / "plain.yaml"
    plain.write_bytes(CRAFTED.encode("utf-8"))
    fix_file(plain)
    want = bom + plain.read_bytes().replace(b"\n", newline)
    p = tmp_path / "issue.yaml"
    p.write_bytes(bom + CRAFTED.encode("utf-8").replace(b"\n", newline))
    made, _ = fix_file(p)
    assert made == 15
    assert p.read_bytes() == want
    assert p.read_bytes().count(b"\r\n") == (want.count(b"\n") if newline == b"\r\n" else 0)
