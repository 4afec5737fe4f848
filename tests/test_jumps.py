"""Jumps (转版): 下转第X版 where an article breaks off, 上接第X版 with the short headline where it
goes on, page numbers filled in from the issue file; the text runs on unbroken."""
from __future__ import annotations

import pytest

from layout.errors import IssueFileError
from layout.model.load import load_issue

from issuekit import TEXT, article, build, page, write_issue


def _squash(s: str) -> str:
    return "".join(s.split()).replace("\u3000", "")


def _in_module(chars, geo, box):
    x0 = geo.column_x(box.column)
    x1 = x0 + geo.span_width(box.span)
    # (a line-end closing mark's advance reaches half an em past the edge: its blank half)
    return [c for c in chars if x0 - 0.05 <= c["x0"] and c["x1"] <= x1 + c["size"] / 2 + 0.05
            and geo.line_top(box.line) - 0.05 <= c["top"] and c["bottom"] <= geo.line_top(box.line + box.lines) + 0.05]


def _reading_order(chars, geo):
    col = lambda c: int((c["x0"] - geo.margin_left + geo.gutter / 2) // (geo.column_width + geo.gutter))
    return "".join(c["text"] for c in sorted(chars, key=lambda c: (col(c), round(c["baseline"], 1), c["x0"])))


def test_example_jump_lines_name_the_right_pages(example_pdf, example_pages):
    _, result, issue = example_pdf
    first = next(a for a in issue.pages[0].articles if a.id == "jiaoyu")
    cont = next(a for a in issue.pages[3].articles if a.id == "jiaoyu-jump")
    geo = issue.pages[0].geometry
    rep1 = next(r for r in result.pages[0].reports if r.id == "jiaoyu")
    rep4 = next(r for r in result.pages[3].reports if r.id == "jiaoyu-jump")
    assert (rep1.jump_to, rep4.jump_from) == (4, 1) and rep1.carried_lines > 10
    p1 = _in_module(example_pages[0]["chars"], geo, first.module)
    p4 = _in_module(example_pages[3]["chars"], geo, cont.module)
    t1, t4 = _reading_order(p1, geo), _reading_order(p4, geo)
    assert t1.endswith("（下转第4版）")
    assert "（上接第1版）" in t4
    # 下转 at the foot of the last column, flush right; 上接 opens the continuation's body.
    jump = [c for c in p1 if c["top"] > geo.line_top(first.module.last_line)
            and c["x0"] >= geo.column_x(first.module.last_column) - 0.05]
    assert "".join(c["text"] for c in sorted(jump, key=lambda c: c["x0"])) == "（下转第4版）"
    last_col_right = geo.column_x(first.module.last_column) + geo.column_width
    close = max(jump, key=lambda c: c["x0"])
    assert close["text"] == "）" and abs(close["x0"] + close["size"] / 2 - last_col_right) < 0.6
    assert min(c["top"] for c in jump) > geo.line_top(first.module.last_line)
    # The short headline over the continuation, then 上接.
    head = sorted((c for c in p4 if c["size"] > 12), key=lambda c: (round(c["top"]), c["x0"]))
    assert "".join(c["text"] for c in head) == "新建改建二十所中小学校"
    jin = [c for c in p4 if c["text"] == "接"][0]
    assert jin["top"] > max(c["bottom"] for c in head)
    # The text runs on: first part + continuation = the article's paragraphs and byline.
    pic = next(pc for pc in result.pages[0].pictures if pc.article == "jiaoyu")
    body1 = [c for c in p1 if abs(c["size"] - 9) < 0.01 and not (
        pic.x - 0.1 <= c["x0"] <= pic.x + pic.width and pic.y + pic.height <= c["top"] <= pic.y + pic.height + 36)]
    body4 = [c for c in p4 if abs(c["size"] - 9) < 0.01]
    whole = _squash(_reading_order(body1, geo).replace("（下转第4版）", "")
                    + _reading_order(body4, geo).replace("（上接第1版）", ""))
    want = _squash("".join(first.paragraphs))
    assert _squash("本报讯（记者程晓岚通讯员马骏）") + want == whole


def test_page_numbers_come_from_the_issue(tmp_path):
    long = [TEXT * 3] * 6
    path = write_issue(tmp_path, [
        page(5, [article("a", {"column": 1, "span": 2, "line": 1, "lines": 30},
                         headline="长文章 第一部分", paragraphs=long)]),
        page(9, [article("a2", {"column": 3, "span": 3, "line": 1, "lines": 40},
                         continued_from="a", short_headline="长文章续")]),
    ])
    issue = load_issue(path)
    assert issue.pages[0].articles[0].continued_on == 9
    result, pages = build(path)
    t5 = _squash("".join(c["text"] for c in pages[0]))
    t9 = _squash("".join(c["text"] for c in pages[1]))
    assert "（下转第9版）" in t5 and "（上接第5版）" in t9 and "长文章续" in t9
    assert result.pages[1].reports[0].overflow_lines == 0


def test_short_headline_defaults_to_first_phrase(tmp_path):
    from layout.model.placement import short_headline
    path = write_issue(tmp_path, [
        page(1, [article("a", {"column": 1, "span": 3, "line": 13, "lines": 20},
                         headline="头版长标题 后面还有一句", paragraphs=[TEXT * 4] * 4)]),
        page(2, [article("b", {"column": 1, "span": 3, "line": 1, "lines": 40},
                         continued_from="a")]),
    ])
    issue = load_issue(path)
    assert short_headline(issue.pages[0].articles[0]) == "头版长标题"


@pytest.mark.parametrize("pages, message", [
    ([page(2, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 20})]),
      page(3, [article("b", {"column": 1, "span": 3, "line": 1, "lines": 20},
                       continued_from="zzz")])], "continues 'zzz', which is not in the issue"),
    ([page(3, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 20})]),
      page(2, [article("b", {"column": 1, "span": 3, "line": 1, "lines": 20},
                       continued_from="a")])], "a jump goes to a later page"),
    ([page(2, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 20})]),
      page(3, [article("b", {"column": 1, "span": 3, "line": 1, "lines": 20},
                       continued_from="a"),
               article("c", {"column": 4, "span": 3, "line": 1, "lines": 20},
                       continued_from="a")])], "is continued twice"),
    ([page(2, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 20})]),
      page(3, [article("b", {"column": 1, "span": 3, "line": 1, "lines": 20}, continued_from="a",
                       paragraphs=["多余的正文"])])], "unknown key 'paragraphs' in a continuation"),
])
def test_jump_errors(tmp_path, pages, message):
    path = write_issue(tmp_path, pages)
    with pytest.raises(IssueFileError, match=message):
        load_issue(path)
