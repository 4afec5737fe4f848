"""Headline decks: 引题 kicker, 主题 headline, 副题 subhead, stacked above the body and taking a
whole number of body lines so that the columns below stay on the page grid.

Each part has a style (face, size or a range of sizes, tracking, at most so many lines): the
house defaults below, overridden by the issue file's `deck_style` (issue, page, article). The
main headline is fitted to its span: the largest size of the scale whose lines fit, one line
preferred unless more lines allow a clearly larger size. Where a head breaks:

  1. a space is the editor's break (or, on one line, a 1-em gap) — a head breaks only there
     as long as that fits at all at its smallest size (so a head without spaces stays on one
     line while it can);
  2. otherwise between words, never inside one (支部, 建设): word boundaries come from
     compose/segment.py, whose word list is read only when such a break is needed;
  3. never against clreq's line-start/line-end rules.
Lines are balanced: of the breaks that fit, the one whose longest line is shortest. A head
that does not fit at its smallest size is set at that size anyway and reported
(`headline_fits` False): the check shows it; nothing shrinks it silently.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from functools import lru_cache

from ..model.document import Deck, PartStyle
from ..text.line import Glyph
from ..text.paragraph import set_line
from ..text.prepare import Style, prepare

HEAD_SCALE = (72.0, 60.0, 54.0, 48.0, 42.0, 36.0, 32.0, 28.0, 26.0, 24.0, 22.0, 20.0, 18.0)
HEAD_MIN = 18.0
# The largest head a span carries (a one-column brief does not get 初号).
HEAD_CAP = {1: 20.0, 2: 26.0, 3: 32.0, 4: 36.0, 5: 42.0, 6: 42.0, 7: 48.0, 8: 48.0}
LINE_PREFERENCE = 0.78        # each extra line must buy this much larger a size
WORD_BREAK = 0.95             # a break between words (not at a space) costs this factor
FILL = 0.94                   # a head line uses at most this share of the span


@dataclass(frozen=True)
class PartSpec:
    """A deck part, resolved: what fit_lines works with."""
    kind: str                     # kicker | headline | subhead
    face: str
    sizes: tuple[float, ...]      # largest first
    tracking: float = 0.0         # em
    max_lines: int = 2
    lead: float = 1.3             # line height, em


DEFAULTS = {
    "kicker": PartSpec("kicker", "sans-bold", (15.0, 14.0, 13.0, 12.0), 0.0, 2, 1.3),
    "headline": PartSpec("headline", "serif-bold", HEAD_SCALE, 0.0, 2, 1.15),
    "subhead": PartSpec("subhead", "kai", (15.0, 14.0, 13.0, 12.0), 0.0, 2, 1.3),
}


def part_spec(kind: str, style: PartStyle, span: int | None = None,
              fixed: float | None = None) -> PartSpec:
    """The house default for `kind` with the issue file's style over it. `span` caps the head's
    size (HEAD_CAP) unless the style sets max_size; `fixed` is the old headline_size key."""
    base = DEFAULTS[kind]
    size = style.size or fixed
    if size:
        sizes: tuple[float, ...] = (size,)
    else:
        top = style.max_size or (HEAD_CAP.get(span, 48.0) if kind == "headline" and span else None)
        low = style.min_size or (HEAD_MIN if kind == "headline" else base.sizes[-1])
        scale = base.sizes
        if style.max_size and style.max_size not in scale:
            scale = (style.max_size,) + scale
        if style.min_size and style.min_size not in scale:
            scale = scale + (style.min_size,)
        sizes = tuple(sorted({s for s in scale if (top is None or s <= top) and s >= low},
                             reverse=True)) or (low,)
    return PartSpec(kind, style.face or base.face, sizes,
                    base.tracking if style.tracking is None else style.tracking,
                    style.lines or base.max_lines, base.lead)


@dataclass
class Fit:
    size: float
    lines: list[str]
    fits: bool


def _phrases(text: str) -> list[str]:
    return [p for p in text.replace("\u3000", " ").split(" ") if p]


@lru_cache(maxsize=4096)
def _em_width(text: str, face: str, tracking: float) -> float:
    """Natural width of a head line in em, tracking included: widths scale with the size, so
    one measure serves every size of the scale."""
    return set_line(text, Style(face=face, size=1.0), tracking=tracking).width


def line_width(text: str, face: str, size: float, tracking: float) -> float:
    """Natural width of a head line, pt, tracking included."""
    return _em_width(text, face, tracking) * size


@lru_cache(maxsize=512)
def _clreq_breaks(text: str) -> frozenset[int]:
    """Character offsets inside `text` where clreq allows a break (atom boundaries)."""
    atoms = prepare([(text, Style(face="serif", size=10.0))]).atoms
    out, pos = set(), 0
    for a in atoms[:-1]:
        pos += len(a.text)
        if a.breakable:
            out.add(pos)
    return frozenset(out)


def _word_breaks(phrase: str) -> list[int]:
    from .segment import boundaries

    return sorted(boundaries(phrase) & _clreq_breaks(phrase))


def _candidates(phrases: list[str], words: bool) -> list[tuple[int, bool]]:
    """Break candidates as (offset in the phrases run together, is a word break): the phrase
    boundaries (spaces), and with `words` the word boundaries inside phrases."""
    out, pos = [], 0
    for k, p in enumerate(phrases):
        if k:
            out.append((pos, False))
        if words:
            out += [(pos + off, True) for off in _word_breaks(p)]
        pos += len(p)
    return out


def _cut(phrases: list[str], breaks) -> list[str]:
    """The lines of `phrases` broken at `breaks` (sorted candidates); phrases that share a line
    are joined by an ideographic space (the editor's gap)."""
    starts, pos = set(), 0
    for p in phrases:
        starts.add(pos)
        pos += len(p)
    flat = "".join(phrases)
    edges = [0] + [off for off, _ in breaks] + [len(flat)]
    lines = []
    for a, b in zip(edges, edges[1:]):
        pieces, cur = [], ""
        for i in range(a, b):
            if i in starts and i > a and cur:
                pieces.append(cur)
                cur = ""
            cur += flat[i]
        pieces.append(cur)
        lines.append("\u3000".join(x for x in pieces if x))
    return lines


def fit_lines(text: str, spec: PartSpec, width: float, *, measure=None, fill: float = FILL) -> Fit:
    """The best size and lines for `text` in `width`. `measure(line, face, size, tracking)`
    gives a line's length (horizontal width by default; the vertical head passes its own)."""
    measure = measure or line_width
    phrases = _phrases(text)
    if not phrases:
        return Fit(spec.sizes[0], [], True)
    limit = width * fill
    one = "\u3000".join(phrases)

    def best_for(words: bool):
        cands = _candidates(phrases, words)
        best = None
        for k in range(1, spec.max_lines + 1):
            if k - 1 > len(cands):
                break
            layouts = []
            for breaks in itertools.combinations(cands, k - 1):
                lines = _cut(phrases, breaks)
                if all(lines):
                    layouts.append((sum(1 for b in breaks if b[1]), lines))
            if not layouts:
                continue
            for size in spec.sizes:
                scored = []
                for nword, lines in layouts:
                    ws = [measure(t, spec.face, size, spec.tracking) for t in lines]
                    if max(ws) <= limit:
                        # Balanced: shortest longest line, then the least spread; fewer word breaks.
                        scored.append((nword, max(ws), max(ws) - min(ws), lines))
                if scored:
                    nword, _, _, lines = min(scored, key=lambda s: (s[0], round(s[1], 1), s[2]))
                    score = size * LINE_PREFERENCE ** (k - 1) * WORD_BREAK ** nword
                    if best is None or score > best[0] + 1e-9:
                        best = (score, size, lines)
                    break
        return best

    best = best_for(False)
    # Word breaks only where the editor's breaks give nothing that fits: a head without spaces
    # stays on one line while it fits at its smallest size (the editor wrote no break).
    if best is None and spec.max_lines > 1:
        best = best_for(True)
    if best is not None:
        return Fit(best[1], best[2], True)
    # Nothing fits: the smallest size, the most balanced break it has (reported, not shrunk).
    low = spec.sizes[-1]
    cands = _candidates(phrases, spec.max_lines > 1)
    options = [[one]]
    for k in range(2, spec.max_lines + 1):
        options += [_cut(phrases, b) for b in itertools.combinations(cands, k - 1)]
    options = [o for o in options if all(o)]
    lines = min(options, key=lambda o: max(measure(t, spec.face, low, spec.tracking) for t in o))
    return Fit(low, lines, False)


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
    headline_lines: int = 0


def deck_specs(deck: Deck, span: int) -> dict[str, PartSpec]:
    return {
        "kicker": part_spec("kicker", deck.kicker_style),
        "headline": part_spec("headline", deck.headline_style, span, deck.headline_size),
        "subhead": part_spec("subhead", deck.subhead_style),
    }


def set_deck(deck: Deck, width: float, span: int, pitch: float) -> DeckBlock:
    block = DeckBlock()
    specs = deck_specs(deck, span)
    y = 0.0
    stack: list[tuple[str, float, PartSpec]] = []
    for kind, text in (("kicker", deck.kicker), ("headline", deck.headline),
                       ("subhead", deck.subhead)):
        if not text:
            continue
        spec = specs[kind]
        fit = fit_lines(text, spec, width)
        if kind == "headline":
            block.headline_size, block.headline_fits = fit.size, fit.fits
            block.headline_lines = len(fit.lines)
        stack += [(t, fit.size, spec) for t in fit.lines]
    prev_kind = None
    for text, size, spec in stack:
        if prev_kind is not None and prev_kind != spec.kind:
            y += size * 0.25            # a little air between the parts of the deck
        line = set_line(text, Style(face=spec.face, size=size), tracking=spec.tracking * size)
        top = y + size * (spec.lead - 1) / 2
        block.lines.append(DeckLine(line.glyphs, line.width, size, top, spec.kind))
        y += size * spec.lead
        prev_kind = spec.kind
    if not stack:
        return block
    # Whole body lines, with at least half a line of air below the deck; `deck.lines` more
    # (the planner's air around a head), the deck centred in them.
    block.rows = max(math.ceil((y + pitch * 0.75) / pitch), deck.lines or 0)
    shift = (block.rows * pitch - y - pitch * 0.5) / 2
    for ln in block.lines:
        ln.top += shift
    return block
