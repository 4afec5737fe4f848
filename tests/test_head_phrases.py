"""Headlines break at phrases (issue 16 item 4), read back from the PDF: the editor's spaces
are the only breaks while a smaller size keeps every phrase whole, `|` forces a break, terms
and names stay whole without spaces, and a head that breaks only inside a likely term is a
finding of paiban check."""
from __future__ import annotations

import json
import subprocess
import sys
from collections import defaultdict

from issuekit import ROOT, article, build, page, write_issue


def _head_lines(chars, body: float = 9.0):
    """Lines of head glyphs (larger than the body), top to bottom: (text, size)."""
    rows = defaultdict(list)
    for c in chars:
        if c["size"] > body + 2 and c["upright"]:
            rows[round(c["baseline"], 1)].append(c)
    out = [("".join(c["text"] for c in sorted(cs, key=lambda c: c["x0"])
                    if not c["text"].isspace()), cs[0]["size"]) for _, cs in sorted(rows.items())]
    return [(t, s) for t, s in out if t != "要闻"]        # not the running head's section


def _issue(tmp_path, headline: str, span: int, **kw):
    art = article("a", {"column": 1, "line": 1, "span": span, "lines": 30},
                  headline=headline, **kw)
    return write_issue(tmp_path, [page(2, [art])])


def test_spaces_keep_phrases_whole_at_a_smaller_size(tmp_path):
    # was: 有力量　万华凤凰 / 城社区志愿者在行动 (a place name split, at 20 pt)
    _, pages = build(_issue(tmp_path, "有力量 万华凤凰城社区志愿者在行动", 2))
    lines = _head_lines(pages[0])
    assert [t for t, _ in lines] == ["有力量", "万华凤凰城社区志愿者在行动"], lines
    assert all(s < 18 for _, s in lines)          # smaller than the scale's floor, not split


def test_forced_break_and_escaped_bar(tmp_path):
    _, pages = build(_issue(tmp_path, r"青岚湖畔|春光正好 A\|B", 4))
    assert [t for t, _ in _head_lines(pages[0])] == ["青岚湖畔", "春光正好A|B"]


def test_terms_stay_whole_without_spaces(tmp_path):
    # was: 一季度全区社会消费品 / 零售总额增长百分之六点九
    head = "一季度全区社会消费品零售总额增长百分之六点九"
    _, pages = build(_issue(tmp_path, head, 3))
    lines = [t for t, _ in _head_lines(pages[0])]
    assert "".join(lines) == head and len(lines) == 2
    cut = len(lines[0])
    at = head.index("社会消费品零售总额")
    assert not at < cut < at + len("社会消费品零售总额"), lines


def test_vertical_head_keeps_terms_whole(tmp_path):
    # was: a 竖题 broken 分党组 / 书记
    head = "区政协分党组书记带队督导"
    path = _issue(tmp_path, head, 3, headline_vertical={"side": "right", "columns": 2})
    result, pages = build(path)
    rep = result.pages[0].reports[0]
    from test_vertical import _columns
    cols = ["".join(c["text"] for c in col) for col in _columns(pages[0], rep.headline_size)]
    assert "".join(cols) == head and len(cols) == 2, cols
    cut = len(cols[0])
    at = head.index("分党组书记")
    assert not at < cut < at + len("分党组书记"), cols


def test_check_reports_a_head_broken_inside_a_term(tmp_path):
    path = _issue(tmp_path, "副区长兼分党组书记王立新调研", 2)   # 副区长兼分 / 党组书记…
    p = subprocess.run([sys.executable, "-m", "layout", "check", str(path), "--format", "json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    doc = json.loads(p.stdout)
    found = [f for pg in doc["pages"] for a in pg["articles"] for f in a["findings"]
             if f["kind"] == "headline-break"]
    assert found and "|" in found[0]["at"], p.stdout[:2000]
    assert p.returncode == 1
