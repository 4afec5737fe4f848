"""An article's own grid: the cells its body is poured into when they are not the page's.

- 破栏 (`columns:`): k equal columns across the module (`Geometry.own_columns`), numbered
  from 1; a photo or a 竖题 takes every own column it overlaps.
- A module grid (`body_style.size` too large for the page's pitch): m body lines to every n
  grid lines (`Geometry.module_grid`), counted from the first grid line under the deck, so
  the module's lines meet the page's grid every n grid lines; a photo takes every module line
  it overlaps.

The flow (`pour`) works in these cells as in grid cells; `OwnGrid` maps grid boxes to them and
them back to positions on the page. Without either, it is the page's grid itself.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

from ..model.document import Box, Geometry
from .grid import ascent


@dataclass
class OwnGrid:
    geo: Geometry
    area: Box                     # the module's grid box for text (inside a frame)
    x: float                      # the text's left edge, pt
    inset: float                  # pt a frame or tint takes at each side
    columns: int = 0              # own columns; 0: the grid's
    size: float = 0.0             # body size; 0: the page's
    deck_rows: int = 0            # grid lines the deck takes: own lines start under them
    lefts: list[float] = field(init=False)

    def __post_init__(self):
        geo = self.geo
        self.n, self.m = geo.module_grid(self.size or geo.body_size)
        self.pitch = geo.line_pitch * self.n / self.m
        if self.columns:
            self.width, step = geo.own_columns(self.area.span, self.columns, self.inset)
            self.lefts = [self.x + c * step for c in range(self.columns)]
        else:
            self.width = geo.column_width - 2 * self.inset
            self.lefts = [geo.column_x(c) + self.inset
                          for c in range(self.area.column, self.area.last_column + 1)]

    @property
    def origin(self) -> int:
        """The grid line own line `origin` stands on: the first under the deck."""
        return self.area.line + self.deck_rows

    @property
    def box(self) -> Box:
        """The module under its deck in own cells: columns from the area's first (1 for own
        columns), lines from `origin`, the own lines wholly inside the module."""
        a = self.area
        return Box(a.column if not self.columns else 1, len(self.lefts), self.origin,
                   max(0, a.lines - self.deck_rows) * self.m // self.n, a.source)

    def grid_lines(self, own_lines: int) -> int:
        """Grid lines of the module in use when `own_lines` own lines are (the deck's too)."""
        return self.deck_rows + math.ceil(own_lines * self.n / self.m)

    def to_own(self, b: Box) -> Box | None:
        """The own cells a grid box (a photo, a vertical head) overlaps; None: none."""
        geo, a = self.geo, self.area
        x0, x1 = geo.column_x(b.column), geo.column_x(b.last_column) + geo.column_width
        hit = [c for c, x in enumerate(self.lefts) if x < x1 - 0.01 and x + self.width > x0 + 0.01]
        if not hit:
            return None
        o = self.origin
        first = o + (max(b.line, o) - o) * self.m // self.n
        last = o + math.ceil((b.last_line - o + 1) * self.m / self.n) - 1
        if last < first:
            return None                  # above the own lines (beside the deck)
        c0 = hit[0] + (1 if self.columns else a.column)
        return Box(c0, len(hit), first, last - first + 1)

    def left(self, col: int) -> float:
        """Left edge of own column `col`."""
        return self.lefts[col - (1 if self.columns else self.area.column)]

    def baseline(self, row: int, size: float, face: str | None = None) -> float:
        """Baseline of a line of `size` on own line `row`: the em box of `face` centred in the
        pitch."""
        top = self.geo.line_top(self.origin) + (row - self.origin) * self.pitch
        return top + (self.pitch - size) / 2 + ascent(face) * size
