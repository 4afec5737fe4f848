"""An article's body poured into its module — on its own grid (`own.py`), around its deck and
photos — and how it fared: what the composition reports and what the 碎栏 resolution
(`compose/strips.py`) compares its trials by. One place for both, so a trial is the page."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..model.document import Article, Box, Geometry
from .columns import short_strips, widows
from .own import OwnGrid
from .pour import Poured, pour

if TYPE_CHECKING:
    from ..house import House

LOOSE = 0.25       # a line whose Han gaps take more than this (em) counts as loose


@dataclass
class Fare:
    own: OwnGrid
    poured: Poured
    strips: list[tuple[int, str, int, int, int]]   # columns.short_strips, photos from 0
    widows: int
    loose: int

    @property
    def overflow(self) -> int:
        return len(self.poured.overset)

    @property
    def underfull(self) -> int:
        return max(0, self.poured.available - self.poured.set_lines)


def pour_article(geo: Geometry, area: Box, x: float, inset: float, art: Article, deck_rows: int,
                 blocked: list[Box], photos: list[Box], body, *, page: int, width: float,
                 house: "House") -> Fare:
    """`body` poured into `area` (the module less a frame; text from `x`) under `deck_rows`,
    around the grid boxes `blocked` (photos and a vertical head); `photos` are the photos'
    boxes, against which 碎栏 are found."""
    own = OwnGrid(geo, area, x, inset, art.columns, art.body_size, deck_rows)
    blocked = [o for o in map(own.to_own, blocked) if o]
    photos = [own.to_own(b) or Box(0, 0, b.line, b.lines) for b in photos]   # numbered as before
    poured = pour(own.box, 0, blocked, body, jump_to=art.continued_on, page=page, width=width,
                  house=house)
    cells = [(col, row) for ln, col, row in poured.placed if ln.kind != "jump"]
    return Fare(own, poured, short_strips(cells, photos),
                len(widows([ln for ln, _, _ in poured.placed], [c for _, c, _ in poured.placed])),
                sum(1 for ln, _, _ in poured.placed if ln.kind != "space" and ln.loose > LOOSE))
