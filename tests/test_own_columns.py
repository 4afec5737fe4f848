"""破栏 (issue 16 item 8): an article's body in its own number of equal columns across its
module, every line still on the page's baseline grid. Read back from the built PDF: the
columns' left edges, their width in characters, the baselines; and the text in reading order
(the build's invariants read an article's own columns, not the grid's)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from issuekit import TEXT, article, build, page, write_issue

from layout.model.geometry import PRESETS

GEO = PRESETS["tabloid"]          # 6 columns of 11 characters, 1-character gutters, 9 pt
EM = GEO.body_size


def _own_lines(chars, span, count, chars_per_col, top=11, lines=60):
    """The 9 pt characters of a module at column 1, grouped by own column (from their x: the
    columns are `chars_per_col` characters wide at equal pitch across the span) and baseline:
    {(column, baseline): text}. Also any character outside every column."""
    left = GEO.column_x(1)
    pitch = (GEO.span_width(span) - count * chars_per_col * EM) / max(1, count - 1) \
        + chars_per_col * EM
    out, stray = {}, []
    for c in sorted(chars, key=lambda c: c["x0"]):
        if abs(c["size"] - EM) > 0.05 or not GEO.line_top(top) < c["baseline"] \
                < GEO.line_top(top + lines) or c["x0"] > GEO.column_x(span + 1) - GEO.gutter:
            continue
        col = int((c["x0"] - left + 0.5) // pitch)
        # (a mark at a line's end is set half an em wide: its glyph box may run past the edge)
        if c["x0"] > left + col * pitch + (chars_per_col - 0.5) * EM + 0.5:
            stray.append(c["text"])
        key = (col, round(c["baseline"], 1))
        out[key] = out.get(key, "") + c["text"]
    return out, stray


@pytest.mark.parametrize("span,count,chars", [(5, 4, 14), (5, 2, 29), (2, 3, 7)])
def test_own_columns_stand_at_equal_pitch_on_the_grid(tmp_path, span, count, chars):
    arts = [article("a", {"column": 1, "span": span, "line": 11, "lines": 60}, columns=count,
                    paragraphs=[TEXT] * 6),
            article("b", {"column": 6, "span": 1, "line": 11, "lines": 60})]
    _, (page_chars,) = build(write_issue(tmp_path, [page(1, arts)]))
    lines, stray = _own_lines(page_chars, span, count, chars)
    assert not stray                             # nothing past a column's right edge
    assert {col for col, _ in lines} == set(range(count))
    assert max(len(t) for t in lines.values()) in (chars, chars + 1)   # full lines (a digit pair)
    # every baseline on the page's grid
    grid = {round(GEO.line_top(r) + (GEO.line_pitch - EM) / 2 + 0.88 * EM, 1)
            for r in range(1, GEO.lines + 1)}
    assert {b for _, b in lines} <= grid


def test_text_reads_in_own_column_order(tmp_path):
    """3 own columns across 2 grid columns: two of them start within one grid column; the
    build's invariants read them in order (before, they saw the text scrambled and stopped
    the build)."""
    arts = [article("a", {"column": 1, "span": 2, "line": 11, "lines": 40}, columns=3)]
    _, (chars,) = build(write_issue(tmp_path, [page(1, arts)]))
    lines, _ = _own_lines(chars, 2, 3, 7, lines=40)
    body = "".join(t for _, t in sorted(lines.items()))
    assert body == TEXT * 2


@pytest.mark.parametrize("value,message", [
    (12, "'columns' is 12; it must be 1 … 10"),
    (4, "4 columns across 2 grid columns would be 5 characters wide; a column needs at least 6"),
])
def test_bad_columns_are_located_errors(tmp_path, value, message):
    from layout.cli import main

    span = 5 if value == 12 else 2
    arts = [article("a", {"column": 1, "span": span, "line": 11, "lines": 40}, columns=value)]
    path = write_issue(tmp_path, [page(1, arts)])
    res = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2, res.output
    assert "issue.yaml:" in res.output and message in res.output
