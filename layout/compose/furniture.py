"""Page furniture: the running head (报眉) over a double rule, the masthead (报头) on page 1,
and hairlines between modules."""
from __future__ import annotations

import datetime as dt

from ..model.document import Box, Geometry, Issue, Page
from ..text.paragraph import set_line
from ..text.prepare import Style
from .items import ComposedPage, Rule, TextLine

WEEKDAYS = "一二三四五六日"
HAIRLINE = 0.3
MASTHEAD_ROWS = 12           # grid lines the masthead takes on page 1


def chinese_date(iso: str) -> str:
    """2023-03-17 → 2023年3月17日 星期五"""
    d = dt.date.fromisoformat(iso)
    return f"{d.year}年{d.month}月{d.day}日\u3000星期{WEEKDAYS[d.weekday()]}"


def _place(out: ComposedPage, text: str, style: Style, x: float, baseline: float, *,
           align: str = "left", kind: str = "furniture") -> float:
    line = set_line(text, style)
    if align == "right":
        x -= line.width
    elif align == "center":
        x -= line.width / 2
    out.lines.append(TextLine(x, baseline, line.glyphs, kind))
    return line.width


def running_head(out: ComposedPage, issue: Issue, page: Page) -> None:
    geo = page.geometry
    if page.number == 1:
        masthead(out, issue, page)
        return
    left = geo.margin_left
    right = left + geo.type_width
    top = geo.margin_top
    base = top - 16.0
    w = _place(out, page.section, Style(face="sans-bold", size=16.0), left, base)
    _place(out, f"第{page.number}版", Style(face="sans-bold", size=10.5), left + w + 9, base)
    _place(out, issue.paper, Style(face="serif-bold", size=12.0), left + geo.type_width / 2, base,
           align="center")
    info = chinese_date(issue.date)
    if page.editors:
        info += "\u3000" + "\u3000".join(f"{role}：{name}" for role, name in page.editors)
    _place(out, info, Style(face="serif", size=9.0), right, base, align="right")
    out.rules.append(Rule(left, top - 9.0, right, top - 9.0, 1.2))
    out.rules.append(Rule(left, top - 7.2, right, top - 7.2, 0.4))


def masthead(out: ComposedPage, issue: Issue, page: Page) -> None:
    """报头: the paper's name large at the top left of page 1, the date, issue number and page
    count beside it, a heavy rule below. It takes the first MASTHEAD_ROWS grid lines."""
    geo = page.geometry
    left = geo.margin_left
    right = left + geo.type_width
    top = geo.margin_top
    height = MASTHEAD_ROWS * geo.line_pitch
    name_size = min(72.0, height * 0.55)
    _place(out, issue.paper, Style(face="serif-bold", size=name_size), left,
           top + height * 0.62, kind="masthead")
    info_x = right
    lines = [chinese_date(issue.date)]
    if issue.number:
        lines.append(issue.number)
    lines.append(f"今日{issue.page_count or len(issue.pages)}版")
    y = top + height * 0.30
    for text in [t for t in lines if t]:
        _place(out, text, Style(face="sans-bold", size=12.0), info_x, y, align="right",
               kind="masthead")
        y += 18.0
    rule_y = top + height - geo.line_pitch / 2
    out.rules.append(Rule(left, rule_y, right, rule_y, 2.0))


def module_rules(out: ComposedPage, geo: Geometry, modules: list[Box]) -> None:
    """Hairlines between neighbouring modules: in the gutter between side-by-side modules and
    through the blank line between stacked ones."""
    for a in modules:
        for b in modules:
            if a is b:
                continue
            lines = (max(a.line, b.line), min(a.last_line, b.last_line))
            if b.column == a.last_column + 1 and lines[0] <= lines[1]:
                x = geo.column_x(b.column) - geo.gutter / 2
                out.rules.append(Rule(x, geo.line_top(lines[0]), x, geo.line_top(lines[1] + 1),
                                      HAIRLINE))
            cols = (max(a.column, b.column), min(a.last_column, b.last_column))
            gap = b.line - a.last_line - 1
            if cols[0] <= cols[1] and 0 <= gap <= 2:
                y = geo.line_top(a.last_line + 1) + gap * geo.line_pitch / 2
                out.rules.append(Rule(geo.column_x(cols[0]), y,
                                      geo.column_x(cols[1]) + geo.column_width, y, HAIRLINE))
