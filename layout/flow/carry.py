"""Jumps (转版): what a first part hands on to its continuation, and the jump lines."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..text.paragraph import SetLine, set_line
from .body import Body

if TYPE_CHECKING:
    from ..house import House

JUMP_FACE = "kai"                   # a role: the house gives its face
JUMP_SIZE = 9.0


class Carry:
    """What a jumped article hands on to its continuation: its remaining body lines."""

    def __init__(self, body: Body, index: int, page: int):
        self.body = body
        self.index = index          # first body line not set on the first page
        self.page = page

    def lines(self, width: float) -> list[SetLine]:
        return self.body.rest(self.index, width)


class Lines:
    """A continuation's body: lines handed on by the first part, after its 上接 line."""

    def __init__(self, lines: list[SetLine]):
        self._lines = lines
        self.missing: list[str] = []
        self.paragraphs = [lines]

    def lines(self) -> list[SetLine]:
        return self._lines


def jump_line(text: str, width: float, align: str, kind: str, house: "House") -> SetLine:
    ln = set_line(text, house.style(JUMP_FACE, JUMP_SIZE))
    x = width - ln.width if align == "right" else 0.0
    return SetLine(ln.glyphs, x=x, width=width, last=True, kind=kind, size=JUMP_SIZE)


def continued_body(carry: Carry | None, from_page: int, width: float, house: "House") -> Lines:
    """A continuation's body `width` wide: its 上接第N版 line, then what the first part left."""
    lines_in = carry.lines(width) if carry else []
    return Lines([jump_line(f"（上接第{from_page}版）", width, "left", "jump", house)] + lines_in)


def jump_to_line(page: int, width: float, house: "House") -> SetLine:
    """下转第N版: the first part's last slot, flush right."""
    return jump_line(f"（下转第{page}版）", width, "right", "jump", house)
