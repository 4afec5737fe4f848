"""Page furniture: the running head (报眉) over a double rule, the masthead (报头) on page 1,
and hairlines between modules."""
from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..flow.grid import ascent, line_face
from ..model.document import Box, Geometry, Issue, Page
from ..text.paragraph import set_line
from ..text.prepare import Style
from .items import ComposedPage, Overset, Rule, TextLine

if TYPE_CHECKING:
    from ..house import House

WEEKDAYS = "一二三四五六日"
HAIRLINE = 0.3


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


RED = (0.0, 1.0, 1.0, 0.0)
WHITE = (0.0, 0.0, 0.0, 0.0)


@dataclass(frozen=True)
class HeadStyle:
    """The running head's (报眉) and the editors' line's house style, pt: one named table (a
    House holds one: layout/house.py)."""
    gap: float = 8.0             # the thick rule's distance above the type area
    raise_: float = 5.0          # the head's baseline above the thick rule
    thick: float = 1.5           # the double rule under the head: thick, then thin
    thin: float = 0.4
    rule_step: float = 2.2       # from the thick rule to the thin one
    folio_size: float = 10.5     # 第N版, reversed out of a black block
    block_pad: float = 12.0      # the block's width beyond the folio's
    block_h: float = 17.0
    folio_x: float = 6.0         # the folio from the block's left edge
    folio_drop: float = 4.0      # the folio's baseline below the block's middle
    section_size: float = 16.0
    section_gap: float = 8.0     # between the block and the section name
    name_size: float = 11.0      # the paper's name, and the date after it
    date_size: float = 9.0
    name_gap: float = 12.0
    editors_size: float = 7.5    # 责任编辑 …: in the head's middle, or under page 1's type area
    editors_gap: float = 12.0    # free on each side of the editors' line in the head
    foot_rule: float = 3.0       # page 1: the rule's distance under the type area
    foot_base: float = 14.0      # page 1: the editors' baseline under the type area



@dataclass(frozen=True)
class MastheadStyle:
    """Page 1's masthead (报头), pt unless said: one named table."""
    info_size: float = 10.5      # date, issue number, 今日N版: flush right, one under another
    info_step: float = 18.0      # from one info line to the next
    info_drop: float = 4.0       # the info lines' middle below the masthead's middle
    info_gap: float = 36.0       # at least this between the name and the info block
    name_max: float = 96.0       # the name's largest size
    name_tracking: float = 0.06  # em between the name's characters
    name_drop: float = 4.0       # the name's em box below the masthead's top
    air: float = 1.2             # grid lines under the name (2.2 with a subtitle)
    sub_air: float = 2.2
    sub_size: float = 9.0
    sub_gap: float = 14.0        # the subtitle's baseline below the name's em box
    divider_x: float = 14.0      # the hairline left of the info block
    divider_trim: tuple[float, float] = (6.0, 4.0)   # its top and bottom ends drawn in
    divider: float = 0.5
    thick: float = 2.5           # the double rule under the masthead: thick, then thin
    thin: float = 0.5
    rule_step: float = 3.0
    rule_lift: float = 1.5       # the thick rule above the middle of the last grid line



def one_ink(color: tuple[float, float, float, float]) -> tuple[float, float, float, float]:
    """The colour of a rule under 1 pt: only the colour's strongest ink (red M+Y: M), since two
    inks cannot register on so thin a line (preflight "thin-rule")."""
    keep = max(range(4), key=lambda i: color[i])
    return tuple(v if i == keep else 0.0 for i, v in enumerate(color))


def running_head(out: ComposedPage, issue: Issue, page: Page, house: "House") -> None:
    """报眉 over a thick and a thin rule: at the outer edge (left on even pages, right on odd
    ones) the folio 第N版 reversed out of a black block and the section name; at the inner
    edge the paper's name and the date with the weekday. Page 1 has the masthead instead."""
    geo = page.geometry
    if page.number == 1:
        masthead(out, issue, page, house)
        return
    left = geo.margin_left
    right = left + geo.type_width
    top = geo.margin_top
    h = house.head
    rule_y = top - h.gap
    base = rule_y - h.raise_                      # baseline of the head's text
    outer_left = page.number % 2 == 0
    folio = set_line(f"第{page.number}版", house.style("sans-bold", h.folio_size))
    block_w = folio.width + h.block_pad
    block_h = h.block_h
    section = (set_line(page.section, house.style("sans-bold", h.section_size))
               if page.section else None)
    name = set_line(issue.paper, house.style("serif-bold", h.name_size))
    date = set_line(chinese_date(issue.date), house.style("serif", h.date_size))
    if outer_left:
        bx = left
        sx = left + block_w + h.section_gap
        ix_right = right
    else:
        bx = right - block_w
        sx = bx - h.section_gap - (section.width if section else 0.0)
        ix_right = None
    mid = rule_y - h.thick / 2 - block_h / 2      # the block sits on the thick rule
    out.rules.append(Rule(bx, mid, bx + block_w, mid, block_h))     # a filled block
    out.lines.append(TextLine(bx + h.folio_x, mid + h.folio_drop, folio.glyphs, "furniture",
                              color=WHITE))
    if section:
        out.lines.append(TextLine(sx, base, section.glyphs, "furniture"))
    # Paper name and date at the inner edge.
    gap = h.name_gap
    if outer_left:
        x = ix_right - date.width
        out.lines.append(TextLine(x, base, date.glyphs, "furniture"))
        out.lines.append(TextLine(x - gap - name.width, base, name.glyphs, "furniture"))
    else:
        out.lines.append(TextLine(left, base, name.glyphs, "furniture"))
        out.lines.append(TextLine(left + name.width + gap, base, date.glyphs, "furniture"))
    out.rules.append(Rule(left, rule_y, right, rule_y, h.thick))
    out.rules.append(Rule(left, rule_y + h.rule_step, right, rule_y + h.rule_step, h.thin))


def editors_credit(out: ComposedPage, issue: Issue, page: Page, house: "House") -> None:
    """责任编辑 / 美术编辑 / 校对, in the order the issue file gives them: in the running head's
    middle on inner pages (between the section name and the paper's name), at the foot of
    page 1 (under the type area, flush right). Entries are whole: those that do not fit the
    line are not printed and are recorded as `Overset` (build and check report them)."""
    if not page.editors:
        return
    geo = page.geometry
    h = house.head
    style = house.style("kai", h.editors_size)
    entries = [f"{role}：{name}" for role, name in page.editors]
    if page.number != 1:
        mid = geo.margin_left + geo.type_width / 2
        base = geo.margin_top - h.gap - h.raise_
        room = 2 * _head_room(out, mid, base, gap=h.editors_gap)
    else:
        room = geo.type_width
    text, shown = _whole_entries(entries, style, room)
    if shown < len(entries):
        rest = "\u3000".join(entries[shown:])
        width = set_line(rest, style).width
        out.overset.append(Overset("editors", len(entries) - shown, len(entries),
                                   sum(1 for ch in rest if not ch.isspace()),
                                   max(1, math.ceil(width / max(room, style.size)))))
    if not text:
        return
    if page.number != 1:
        _place(out, text, style, mid, base, align="center")
        return
    right = geo.margin_left + geo.type_width
    base = geo.margin_top + geo.type_height + h.foot_base
    _place(out, text, style, right, base, align="right")
    y = geo.margin_top + geo.type_height + h.foot_rule
    out.rules.append(Rule(geo.margin_left, y, right, y, h.thin))


def _head_room(out: ComposedPage, mid: float, base: float, gap: float) -> float:
    """Half the width free around `mid` on the running head's baseline: up to the section name
    on one side and the paper's name and date on the other, less `gap` (an em per glyph is
    allowed for, never less than a glyph takes)."""
    half = mid
    for ln in out.lines:
        if ln.article or abs(ln.baseline - base) > 0.01 or not ln.glyphs:
            continue
        left = ln.x + ln.glyphs[0].x
        right = ln.x + max(g.x + g.size * len(g.text) for g in ln.glyphs)
        if right <= mid:
            half = min(half, mid - right - gap)
        elif left >= mid:
            half = min(half, left - mid - gap)
        else:
            half = 0.0
    return max(0.0, half)


def _whole_entries(entries: list[str], style: Style, room: float) -> tuple[str, int]:
    """The line of the first entries that fit `room`, and how many they are."""
    sep = "\u3000"
    # the most entries that fit: a binary search on the count, up to what could fit at all
    # (no character is narrower than a quarter em)
    hi, chars = 0, 0
    while hi < len(entries) and chars <= room / (style.size / 4):
        chars += len(entries[hi]) + 1
        hi += 1
    lo = 0
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if set_line(sep.join(entries[:mid]), style).width <= room + 1e-6:
            lo = mid
        else:
            hi = mid - 1
    return sep.join(entries[:lo]), lo


def masthead(out: ComposedPage, issue: Issue, page: Page, house: "House") -> None:
    """报头: the paper's name large (red by default), a subtitle under it, and at the right the
    date with the weekday, the issue number and 今日N版, over a thick and a thin rule. It takes
    the masthead's grid lines (issue masthead.lines) and columns (masthead.span; the rest of
    the top of the page is left to a module, the 报眼)."""
    geo = page.geometry
    mh = issue.masthead
    span = min(mh.span or geo.columns, geo.columns)
    left = geo.margin_left
    right = left + geo.span_width(span)
    top = geo.margin_top
    height = mh.lines * geo.line_pitch
    color = RED if mh.color == "red" else (0.0, 0.0, 0.0, 1.0)
    info = [chinese_date(issue.date)]
    if issue.number:
        info.append(issue.number)
    info.append(f"今日{issue.page_count or len(issue.pages)}版")
    m = house.masthead
    info_style = house.style("sans-bold", m.info_size)
    info_w = max(set_line(t, info_style).width for t in info)
    # The name: as large as the room left of the info block allows.
    room = right - left - info_w - m.info_gap
    sub = mh.subtitle
    name_h = height - geo.line_pitch * (m.sub_air if sub else m.air)
    size = min(name_h / 1.0, m.name_max)
    probe = set_line(issue.paper, house.style("serif-bold", size),
                     tracking=size * m.name_tracking)
    if probe.width > room:
        size *= room / probe.width
    name = set_line(issue.paper, house.style("serif-bold", size),
                    tracking=size * m.name_tracking)
    name_ascent = ascent(line_face(name.glyphs))
    name_base = top + m.name_drop + name_ascent * size
    out.lines.append(TextLine(left, name_base, name.glyphs, "masthead", color=color))
    if sub:
        _place(out, sub, house.style("serif", m.sub_size), left,
               name_base + (1 - name_ascent) * size + m.sub_gap, kind="masthead")
    # The info block, flush right, with a hairline at its left.
    n = len(info)
    step = m.info_step
    y = top + (height - geo.line_pitch - step * (n - 1)) / 2 + m.info_drop
    for t in info:
        _place(out, t, info_style, right, y, align="right", kind="masthead")
        y += step
    vx = right - info_w - m.divider_x
    out.rules.append(Rule(vx, top + m.divider_trim[0], vx,
                          top + height - geo.line_pitch - m.divider_trim[1], m.divider))
    rule_y = top + height - geo.line_pitch / 2 - m.rule_lift
    out.rules.append(Rule(left, rule_y, right, rule_y, m.thick, color))
    out.rules.append(Rule(left, rule_y + m.rule_step, right, rule_y + m.rule_step, m.thin,
                          one_ink(color)))


# Rule styles (model/load.RULE_STYLES: `box:` of an article, `rules:` of a page), all in black
# alone: a rule under 1 pt must be in one ink (docs/print.md). "plain" is the 0.8 pt frame of
# `box: true`.
THICK, THIN, PAIR_GAP = 1.5, 0.5, 1.2          # 文武线: thick and thin, the white between
DOT, DOT_STEP = 1.0, 2.5                       # dotted: round dots of DOT pt every DOT_STEP pt
WAVE_STEP, WAVE_AMP = 2.0, 1.2                 # 花线: a zigzag, half-period and amplitude, pt


def styled_rules(x1: float, y1: float, x2: float, y2: float, style: str,
                 inward: int = 1) -> list[Rule]:
    """A horizontal or vertical rule in `style` along x1, y1 → x2, y2. `inward` (+1 / −1): the
    side (towards larger / smaller x or y across the rule) a 文武线 puts its thin line on."""
    vertical = x1 == x2
    length = abs(y2 - y1) if vertical else abs(x2 - x1)

    def at(along: float, across: float) -> tuple[float, float]:
        return ((x1 + across, min(y1, y2) + along) if vertical
                else (min(x1, x2) + along, y1 + across))

    if style == "thick-thin":
        off = (THICK + THIN) / 2 + PAIR_GAP
        return [Rule(*at(0, 0), *at(length, 0), THICK),
                Rule(*at(0, inward * off), *at(length, inward * off), THIN)]
    if style == "dotted":
        return [Rule(*at(0, 0), *at(length, 0), DOT, dash=(0.0, DOT_STEP))]
    if style == "flower":
        n = max(2, round(length / WAVE_STEP))
        pts = [at(length * i / n, WAVE_AMP * (1 if i % 2 else -1) / 2) for i in range(n + 1)]
        return [Rule(*a, *b, THIN) for a, b in zip(pts, pts[1:])]
    return [Rule(x1, y1, x2, y2, HAIRLINE if style == "hairline" else 0.8)]


def box_frame(out: ComposedPage, geo: Geometry, mod: Box, rows: int,
              style: str = "plain") -> None:
    """The frame of a boxed module (`box: true` or a rule style): through the middle of its
    first and last line, on its outer column edges; the text inside is set half an em in from
    it. A 文武线 frame has its thick line outside."""
    x1 = geo.column_x(mod.column)
    x2 = geo.column_x(mod.last_column) + geo.column_width
    y1 = geo.line_top(mod.line) + geo.line_pitch / 2
    y2 = geo.line_top(mod.line + rows - 1) + geo.line_pitch / 2
    if style == "plain":
        w = 0.8           # the corners closed: the horizontals run half a stroke past
        for r in ((x1 - w / 2, y1, x2 + w / 2, y1), (x1 - w / 2, y2, x2 + w / 2, y2),
                  (x1, y1, x1, y2), (x2, y1, x2, y2)):
            out.rules.append(Rule(*r, w))
        return
    for r, inward in (((x1, y1, x2, y1), 1), ((x1, y2, x2, y2), -1),
                      ((x1, y1, x1, y2), 1), ((x2, y1, x2, y2), -1)):
        out.rules += styled_rules(*r, style, inward)


def module_rules(out: ComposedPage, geo: Geometry, modules: list[Box],
                 boxed: list[Box] = (), style: str = "hairline") -> None:
    """Rules between neighbouring modules (hairlines, or the page's `rules:` style): in the
    gutter between side-by-side modules and through the blank line between stacked ones. A
    boxed module has its frame instead."""
    for a in modules:
        for b in modules:
            if a is b or a in boxed or b in boxed:
                continue
            lines = (max(a.line, b.line), min(a.last_line, b.last_line))
            if b.column == a.last_column + 1 and lines[0] <= lines[1]:
                x = geo.column_x(b.column) - geo.gutter / 2
                out.rules += styled_rules(x, geo.line_top(lines[0]), x,
                                          geo.line_top(lines[1] + 1), style)
            cols = (max(a.column, b.column), min(a.last_column, b.last_column))
            gap = b.line - a.last_line - 1
            if cols[0] <= cols[1] and 0 <= gap <= 2:
                y = geo.line_top(a.last_line + 1) + gap * geo.line_pitch / 2
                out.rules += styled_rules(geo.column_x(cols[0]), y,
                                          geo.column_x(cols[1]) + geo.column_width, y, style)
