"""Pouring a body into a module: the columns balanced, paragraphs' last lines kept off column
tops (孤行), the rest of a jumped article carried to its continuation.

`pour` returns the lines placed in their (column, grid line) slots, each still knowing its
paragraph and its line in it (`SetLine.para`, `.line`, `.last`), and what did not fit.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..model.document import Box
from ..text.paragraph import SetLine
from .body import Body
from .carry import Carry, jump_to_line
from .columns import arrange, balanced_height, slots, widows

if TYPE_CHECKING:
    from ..house import House

SLACK_COST = 10.0   # badness of one more empty line at the foot of a balanced module


@dataclass
class Poured:
    """A body poured into a module."""
    placed: list[tuple[SetLine, int, int]]          # (line, column, grid line), reading order
    overset: list[SetLine] = field(default_factory=list)   # lines with no slot (超版)
    height: int = 0               # module lines in use (the balanced height)
    needed: int = 0               # body lines the text takes, byline included
    available: int = 0            # body-line slots of the whole module
    carry: Carry | None = None    # what a jumped article hands on
    carried: int = 0              # body lines handed on

    @property
    def set_lines(self) -> int:
        """Lines set for this module: placed and overset (a jump line included)."""
        return len(self.placed) + len(self.overset)


def widow_at(body, cells: list[tuple[int, int]]) -> int | None:
    """A paragraph whose last line stands alone at the top of a column (孤行): its index."""
    if not isinstance(body, Body):
        return None
    lines = arrange(body.lines(), cells, _blank)        # as they go into the cells
    found = widows(lines, [col for col, _ in cells])
    return lines[found[0]].para if found else None


def pour(mod: Box, deck_rows: int, blocked: list[Box], body, *, jump_to: int = 0,
         page: int = 0, width: float = 0.0, house: "House") -> Poured:
    """Pour `body` (a `Body`, or a continuation's `carry.Lines`) into the slots of `mod` below
    its `deck_rows` and around the `blocked` boxes (photos, a vertical head). `jump_to`: the
    page the article goes on to (下转): the module is filled to its foot, and when the text
    does not fit, its last slot says where the rest goes and the rest is carried (`Poured.carry`,
    page `page`, lines `width` wide, its 下转 line in `house`'s faces)."""
    jumping = bool(jump_to)
    lines, height, cells = balance(mod, deck_rows, blocked, body, full=jumping)
    out = Poured([], height=height, needed=len(lines),
                 available=len(slots(mod, deck_rows, blocked)))
    if jumping and len(lines) > len(cells) and cells:
        keep_n = len(cells) - 1
        # the first line handed on, as an index into the body's own lines (arrange adds and
        # drops blank lines)
        raw = {id(ln): k for k, ln in enumerate(body.lines())}
        at = next((raw[id(ln)] for ln in lines[keep_n:] if id(ln) in raw), len(raw))
        out.carry = Carry(body, at, page)
        out.carried = len(raw) - at
        lines = lines[:keep_n] + [jump_to_line(jump_to, width, house)]
    out.placed = [(ln, col, row) for ln, (col, row) in zip(lines, cells)]
    out.overset = lines[len(cells):]
    return out


def balance(mod: Box, deck_rows: int, blocked: list[Box], body, full: bool = False):
    """Balance the columns and keep paragraphs' last lines off column tops: re-set the
    offending paragraph one line shorter (pulling the line back) or longer, and pour again.
    `full`: the module is filled to its foot (a jump's first part), not balanced."""
    slack = 0      # lines added to the balanced height (columns break elsewhere)

    def fill(extra: int = 0):
        return _fill(mod, deck_rows, blocked, body, full, slack + extra)

    def widow(extra: int = 0):
        return widow_at(body, fill(extra)[2])

    for _ in range(8):
        lines, height, cells = fill()
        p = widow_at(body, cells)
        if p is None:
            return lines, height, cells
        # Candidates: the paragraph itself or one of the two before it, one line shorter or
        # longer, or the columns one line taller; the one that removes this widow at the least
        # extra badness wins (a looser paragraph elsewhere often costs less than loosening
        # this one, and a line left empty at the foot of the last column less than either).
        best = None
        if not full and height < mod.lines and widow(1) != p:
            best = (SLACK_COST, None, None)
        for q in range(p, max(-1, p - 3), -1):
            for looseness in (-1, +1):
                alt = body.variant(q, looseness)
                if alt is None:
                    continue
                extra = sum(ln.cost for ln in alt) - sum(ln.cost for ln in body.paragraphs[q])
                old = body.paragraphs[q]
                body.paragraphs[q] = alt
                gone = widow() != p
                body.paragraphs[q] = old
                if gone and (best is None or extra < best[0]):
                    best = (extra, q, alt)
        if best is None:
            return lines, height, cells
        if best[1] is None:
            slack += 1
            continue
        _, q, alt = best
        body.paragraphs[q] = alt
        body.adjusted.add(q)
    return _fill(mod, deck_rows, blocked, body, full, 0)


def _fill(mod: Box, deck_rows: int, blocked: list[Box], body, full: bool, slack: int):
    """(lines as arranged, height, cells): the balanced height (plus `slack`) for the body's
    lines once intertitles are kept with what follows them (columns.arrange), which can change
    how many lines there are: settled in a few rounds."""
    raw = body.lines()
    lines = raw
    for _ in range(4):
        height = mod.lines if full else min(
            mod.lines, balanced_height(mod, deck_rows, blocked, len(lines)) + slack)
        cells = slots(mod, deck_rows, blocked, height)
        new = arrange(raw, cells, _blank)
        settled = len(new) == len(lines)
        lines = new
        if settled:
            break
    return lines, height, cells


def _blank() -> SetLine:
    return SetLine([], last=True, kind="space")
