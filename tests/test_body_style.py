"""Per-article body style (issue 16 item 9): `body_style: {face, size}` — 评论 in 楷体, 短讯
smaller — read back from the built PDF: the body's font and size, its lines on the page's grid
where the pitch allows, else on the module grid (m lines to n grid lines, meeting the page's
grid every n grid lines)."""
from __future__ import annotations

import pytest
from click.testing import CliRunner

from issuekit import TEXT, article, build, page, write_issue

from layout.flow.grid import ASCENT
from layout.model.geometry import PRESETS

GEO = PRESETS["tabloid"]          # 9 pt body on a 12 pt pitch


def _body(chars, column, span, size):
    """Characters of `size` between grid columns column … column+span−1, below the deck."""
    x0, x1 = GEO.column_x(column), GEO.column_x(column + span) - GEO.gutter / 2
    return [c for c in chars if abs(c["size"] - size) < 0.01 and x0 - 0.5 <= c["x0"] < x1
            and c["baseline"] > GEO.line_top(15)]


@pytest.fixture(scope="module")
def page_chars(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("body")
    arts = [article("pinglun", {"column": 1, "span": 2, "line": 11, "lines": 40},
                    body_style={"face": "kai"}),
            article("duanxun", {"column": 3, "span": 2, "line": 11, "lines": 40},
                    body_style={"size": "六号"}),
            article("big", {"column": 5, "span": 2, "line": 11, "lines": 40},
                    body_style={"size": 12}, paragraphs=[TEXT] * 2)]
    _, (chars,) = build(write_issue(tmp, [page(1, arts)]))
    return chars


def _centres(chars):
    """Em-box centres of the lines (from the top), one per baseline."""
    return sorted({round(c["baseline"] - ASCENT * c["size"] + c["size"] / 2, 2) for c in chars})


def test_kai_body(page_chars):
    body = _body(page_chars, 1, 2, 9.0)
    assert body and all("Kai" in c["fontname"] for c in body)
    # on the page's grid: each line's em box centred on a grid line
    for y in _centres(body):
        assert ((y - GEO.margin_top) / GEO.line_pitch - 0.5) % 1 == pytest.approx(0, abs=1e-3)


def test_smaller_body_on_the_page_grid(page_chars):
    body = _body(page_chars, 3, 2, 7.5)                  # 六号
    assert len(body) > 100 and all("Serif" in c["fontname"] for c in body)
    centres = _centres(body)
    for y in centres:
        assert ((y - GEO.margin_top) / GEO.line_pitch - 0.5) % 1 == pytest.approx(0, abs=1e-3)
    # more characters a line than at 9 pt: 99 pt / 7.5 pt
    rows = {}
    for c in body:
        if c["x0"] < GEO.column_x(4) - GEO.gutter / 2:
            rows[round(c["baseline"], 1)] = rows.get(round(c["baseline"], 1), 0) + 1
    assert max(rows.values()) >= 13


def test_large_body_on_a_module_grid(page_chars):
    body = _body(page_chars, 5, 2, 12.0)
    assert body
    n, m = GEO.module_grid(12.0)
    assert (n, m) == (5, 4)                              # 12 pt needs 14.4 pt: 15 pt lines
    centres = _centres([c for c in body if c["x0"] < GEO.column_x(6) - GEO.gutter / 2])
    steps = {round(b - a, 2) for a, b in zip(centres, centres[1:])}
    assert steps == {15.0}
    # the module grid meets the page's: every 4th line's top is a grid line's top
    top = centres[0] - 7.5
    assert ((top - GEO.margin_top) / GEO.line_pitch) % 1 == pytest.approx(0, abs=1e-3)


@pytest.mark.parametrize("style,message", [
    ({"size": 4}, "size 4 pt is not between 6 and 18 pt"),
    ({"face": "comic"}, "face 'comic' is not one of"),
    ({"leading": 2}, "leading"),
])
def test_bad_body_style_is_a_located_error(tmp_path, style, message):
    from layout.cli import main

    arts = [article("a", {"column": 1, "span": 2, "line": 11, "lines": 40}, body_style=style)]
    path = write_issue(tmp_path, [page(1, arts)])
    res = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2, res.output
    assert "issue.yaml:" in res.output and message in res.output
