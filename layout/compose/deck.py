"""Headline decks: 引题 kicker, 主题 headline, 副题 subhead, stacked above the body and taking a
whole number of body lines so that the columns below stay on the page grid.

The main headline is fitted to its span: the largest size of the scale whose lines fit. A
space in a headline is the editor's break or gap: the head breaks there first, and a one-line
head shows it as a 1-em gap.
"""
from __future__ import annotations

import math
from functools import lru_cache
from dataclasses import dataclass, field

from ..model.document import Deck
from ..text.line import Glyph
from ..text.paragraph import measure_text, set_line
from ..text.prepare import Style, prepare

HEAD_SCALE = (48.0, 42.0, 36.0, 32.0, 28.0, 26.0, 24.0, 22.0, 20.0, 18.0)
HEAD_MIN = 18.0
# The largest head a span carries (a one-column brief does not get 初号).
HEAD_CAP = {1: 20.0, 2: 26.0, 3: 32.0, 4: 36.0, 5: 42.0, 6: 42.0, 7: 48.0, 8: 48.0}
TWO_LINE_PREFERENCE = 0.78    # a two-line head must be this much larger to beat one line
KICKER = Style(face="sans-bold", size=15.0)
SUBHEAD = Style(face="kai", size=15.0)
HEAD_FACE = "serif-bold"
FILL = 0.94                   # a head line uses at most this share of the span


@dataclass
class DeckLine:
    glyphs: list[Glyph]
    width: float
    size: float
    top: float                # em-box top, pt below the deck's top
    kind: str


@dataclass
class DeckBlock:
    lines: list[DeckLine] = field(default_factory=list)
    rows: int = 0             # body lines the deck takes (air below included)
    headline_size: float = 0.0
    headline_fits: bool = True


def _phrases(text: str) -> list[str]:
    return [p for p in text.replace("\u3000", " ").split(" ") if p]


def _join(phrases: list[str]) -> str:
    return "\u3000".join(phrases)


def _splits(phrases: list[str], k: int) -> list[list[str]]:
    """All ways to cut the phrase list into k consecutive lines."""
    n = len(phrases)
    if k == 1:
        return [[_join(phrases)]]
    out = []
    for cut in range(1, n - k + 2):
        for rest in _splits(phrases[cut:], k - 1):
            out.append([_join(phrases[:cut])] + rest)
    return out


def _char_splits(text: str, style: Style) -> list[list[str]]:
    """Two-line splits of a head without spaces, at the break opportunities nearest the middle."""
    atoms = prepare([(text, style)]).atoms
    cands = []
    acc = ""
    for k, a in enumerate(atoms[:-1]):
        acc += a.text
        if a.breakable:
            cands.append(acc)
    mid = len(text) / 2
    cands.sort(key=lambda s: abs(len(s) - mid))
    return [[c, text[len(c):]] for c in cands[:3]]


@lru_cache(maxsize=4096)
def _em_width(text: str, face: str) -> float:
    """Natural width of a head line in em: widths scale with the size, so one measure serves
    every size of the scale."""
    return measure_text(text, Style(face=face, size=1.0))


def fit_lines(text: str, face: str, width: float, sizes, max_lines: int):
    """The best (size, lines) for `text` in `width`: the largest size that fits, one line
    preferred unless two lines allow a clearly larger size. None when nothing fits."""
    phrases = _phrases(text)
    best = None
    for k in range(1, max_lines + 1):
        if k == 1:
            layouts = [[_join(phrases)]]
        elif len(phrases) >= k:
            layouts = _splits(phrases, k)
        elif k == 2 and best is None:
            # No phrase breaks and one line does not fit: break between characters.
            layouts = _char_splits(_join(phrases), Style(face=face, size=10.0))
        else:
            layouts = []
        for size in sizes:
            fitting = [lay for lay in layouts
                       if max(_em_width(t, face) for t in lay) * size <= width * FILL]
            if fitting:
                # Balanced lines: the layout whose longest line is shortest.
                lay = min(fitting, key=lambda l: max(_em_width(t, face) for t in l))
                score = size * (1.0 if k == 1 else TWO_LINE_PREFERENCE)
                if best is None or score > best[0]:
                    best = (score, size, lay)
                break
    return None if best is None else (best[1], best[2])


def set_deck(deck: Deck, width: float, span: int, pitch: float) -> DeckBlock:
    block = DeckBlock()
    y = 0.0
    stack: list[tuple[str, float, str, str]] = []   # (text, size, face, kind)
    if deck.kicker:
        fit = fit_lines(deck.kicker, KICKER.face, width, (KICKER.size, 14.0, 13.0, 12.0), 2)
        size, lines = fit if fit else (12.0, [deck.kicker])
        stack += [(t, size, KICKER.face, "kicker") for t in lines]
    if deck.headline:
        cap = HEAD_CAP.get(span, 48.0)
        if deck.headline_size:
            sizes = (deck.headline_size,)
        else:
            sizes = tuple(s for s in HEAD_SCALE if s <= cap)
        fit = fit_lines(deck.headline, HEAD_FACE, width, sizes, 2)
        if fit is None:
            block.headline_fits = False
            size, lines = sizes[-1], [deck.headline]
        else:
            size, lines = fit
        block.headline_size = size
        stack += [(t, size, HEAD_FACE, "headline") for t in lines]
    if deck.subhead:
        fit = fit_lines(deck.subhead, SUBHEAD.face, width, (SUBHEAD.size, 14.0, 13.0, 12.0), 2)
        size, lines = fit if fit else (12.0, [deck.subhead])
        stack += [(t, size, SUBHEAD.face, "subhead") for t in lines]
    prev_kind = None
    for text, size, face, kind in stack:
        lead = 1.15 if kind == "headline" else 1.3
        if prev_kind is not None and prev_kind != kind:
            y += size * 0.25            # a little air between the parts of the deck
        line = set_line(text, Style(face=face, size=size))
        top = y + size * (lead - 1) / 2
        block.lines.append(DeckLine(line.glyphs, line.width, size, top, kind))
        y += size * lead
        prev_kind = kind
    if not stack:
        return block
    # Whole body lines, with at least half a line of air below the deck.
    block.rows = math.ceil((y + pitch * 0.75) / pitch)
    shift = (block.rows * pitch - y - pitch * 0.5) / 2
    for ln in block.lines:
        ln.top += shift
    return block
