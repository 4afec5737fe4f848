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

import bisect
import math
from dataclasses import dataclass, field
from functools import lru_cache

from ..model.document import Deck, PartStyle
from ..text.fonts import resolve
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
    return _em_width(text, resolve(face), tracking) * size   # keyed by the face, not the role


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


SLACK = 1.0                   # em: a line this far over the limit stays over it whatever it
                              # takes on (an added character outweighs the squeeze of a mark)


EVEN_CUT = 200                # characters: see _most_balanced


class _Breaks:
    """The lines a head can be broken into: the text of line [a, b) (offsets in the phrases
    run together) and its length at a size, each made and measured once. Phrases that share a
    line are joined by an ideographic space (the editor's gap)."""

    def __init__(self, phrases: list[str], cands, spec: PartSpec, measure, limit: float):
        self.flat = "".join(phrases)
        self.n = len(self.flat)
        starts, pos = [], 0
        for p in phrases:
            starts.append(pos)
            pos += len(p)
        self.starts = starts[1:]
        self.offs = [off for off, _ in cands]
        self.word = [w for _, w in cands]
        self.spec, self.measure, self.limit = spec, measure, limit
        self._text: dict = {}
        self._width: dict = {}
        self._need: dict = {}

    def text(self, a: int, b: int) -> str:
        t = self._text.get((a, b))
        if t is None:
            cuts = [a, *self.starts[bisect.bisect_right(self.starts, a):
                                    bisect.bisect_left(self.starts, b)], b]
            t = self._text[a, b] = "\u3000".join(self.flat[x:y] for x, y in zip(cuts, cuts[1:]))
        return t

    def width(self, a: int, b: int, size: float) -> float:
        w = self._width.get((a, b, size))
        if w is None:
            w = self._width[a, b, size] = self.measure(self.text(a, b), self.spec.face, size,
                                                       self.spec.tracking)
        return w

    def lines(self, breaks) -> list[str]:
        edges = [0, *(off for off, _ in breaks), self.n]
        return [self.text(a, b) for a, b in zip(edges, edges[1:])]

    def need(self, i: int, size: float, cap: int, limit: float | None = None) -> int:
        """Lines (at most `cap`) that the text from candidate i (-1: the start) needs at
        `size` with none longer than `limit`, each as long as fits: a lower bound on any
        layout of it (greedy is optimal when a longer line is never shorter). Each start is
        counted once per size and limit."""
        limit = self.limit if limit is None else limit
        got, asked = self._need.get((i, size, limit), (0, 0))
        if not asked or (got >= asked and cap > asked):       # not counted, or counted short
            got = self._greedy(i, size, cap, limit)
            self._need[i, size, limit] = (got, cap)
        return min(got, cap)

    def _greedy(self, i: int, size: float, cap: int, limit: float) -> int:
        count = 0
        while True:
            a = self.offs[i] if i >= 0 else 0
            count += 1
            if count >= cap:
                return cap
            furthest, stop = None, False
            for j in range(i + 1, len(self.offs)):
                w = self.width(a, self.offs[j], size)
                if w > limit + SLACK * size:
                    stop = True
                    break
                if w <= limit:
                    furthest = j
            if not stop and self.width(a, self.n, size) <= limit:
                return count
            if furthest is None:
                return cap
            i = furthest


def _search(br: _Breaks, k: int, seg_ok, key, best=None):
    """The layout of k lines (k - 1 breaks, in itertools.combinations order) with the smallest
    `key(lines' lengths, word breaks)`, the first of equals: depth first. `seg_ok(a, b, j, i)`
    gives line j+1 = [a, b) (ending at candidate i; None for the last line) its length, or
    refuses it (None: skip it; False: and every longer one); a line refused and a partial
    layout whose key is no better than the best so far are cut off (every part of the key
    only grows as lines are added)."""
    n, offs = br.n, br.offs
    widths: list[float] = []
    chosen: list[int] = []

    def rec(i0: int, a: int, nword: int):
        nonlocal best
        j = len(chosen)
        if j == k - 1:
            ok = seg_ok(a, n, j)
            if ok is None or ok is False:
                return
            widths.append(ok)
            kv = key(widths, nword)
            widths.pop()
            if best is None or kv < best[0]:
                best = (kv, tuple(chosen))
            return
        for i in range(i0, len(offs) - (k - 2 - j)):
            ok = seg_ok(a, offs[i], j, i)
            if ok is False:
                break
            if ok is None:
                continue
            widths.append(ok)
            nw = nword + br.word[i]
            if best is None or key(widths, nw) < best[0]:
                chosen.append(i)
                rec(i + 1, offs[i], nw)
                chosen.pop()
            widths.pop()

    rec(0, 0, 0)
    return best


def fit_lines(text: str, spec: PartSpec, width: float, *, measure=None, fill: float = FILL) -> Fit:
    """The best size and lines for `text` in `width`. `measure(line, face, size, tracking)`
    gives a line's length (horizontal width by default; the vertical head passes its own).
    Lines that cannot fit are never set out in full: the search is cut where a line runs over
    the limit, and a head that needs more lines than it may have at its smallest size is not
    searched at all, so a head of any length costs time in proportion to it."""
    measure = measure or line_width
    phrases = _phrases(text)
    if not phrases:
        return Fit(spec.sizes[0], [], True)
    limit = width * fill
    low = spec.sizes[-1]

    def best_for(words: bool):
        br = _Breaks(phrases, _candidates(phrases, words), spec, measure, limit)
        cap = spec.max_lines + 2
        if br.need(-1, low, cap) >= cap:
            return None               # too long at the smallest size, whatever the breaks
        best = None
        for k in range(1, spec.max_lines + 1):
            if k - 1 > len(br.offs):
                break
            for size in spec.sizes:
                def seg_ok(a, b, j, i=None, size=size):
                    w = br.width(a, b, size)
                    if w > limit:
                        return False if w > limit + SLACK * size and i is not None else None
                    # what follows candidate i must fit the lines left
                    if i is not None and br.need(i, size, k - j) > k - j - 1:
                        return None
                    return w

                # Balanced: shortest longest line, then the least spread; fewer word breaks.
                found = _search(br, k, seg_ok, lambda ws, nw: (nw, round(max(ws), 1),
                                                               max(ws) - min(ws)))
                if found is not None:
                    nword = found[0][0]
                    score = size * LINE_PREFERENCE ** (k - 1) * WORD_BREAK ** nword
                    if best is None or score > best[0] + 1e-9:
                        best = (score, size, br.lines([(br.offs[i], 0) for i in found[1]]))
                    break
        return best

    best = best_for(False)
    # Word breaks only where the editor's breaks give nothing that fits: a head without spaces
    # stays on one line while it fits at its smallest size (the editor wrote no break).
    if best is None and spec.max_lines > 1:
        best = best_for(True)
    if best is not None:
        return Fit(best[1], best[2], True)
    return Fit(low, _most_balanced(phrases, spec, measure, limit), False)


def _most_balanced(phrases: list[str], spec: PartSpec, measure, limit: float) -> list[str]:
    """Nothing fits: the smallest size, the break whose longest line is shortest (reported,
    not shrunk). A head of more than EVEN_CUT characters that needs two lines more than it
    may have is cut into lines of equal length instead (searching it costs its length squared)."""
    low = spec.sizes[-1]
    br = _Breaks(phrases, _candidates(phrases, spec.max_lines > 1), spec, measure, limit)
    k = min(spec.max_lines, len(br.offs) + 1)
    even = [min(range(len(br.offs)), key=lambda i: abs(br.offs[i] - br.n * q / k))
            for q in range(1, k)]
    even = sorted(set(even))
    if br.n > EVEN_CUT and br.need(-1, low, spec.max_lines + 2) >= spec.max_lines + 2:
        return br.lines([(br.offs[i], 0) for i in even])
    bound = max(br.width(a, b, low) for a, b in zip([0, *(br.offs[i] for i in even)],
                                                    [*(br.offs[i] for i in even), br.n]))
    best = None
    lines = br.lines([(br.offs[i], 0) for i in even])
    for kk in range(1, spec.max_lines + 1):
        if kk - 1 > len(br.offs):
            break

        def seg_ok(a, b, j, i=None):
            w = br.width(a, b, low)
            top = best[0] if best is not None else bound
            if w > top:
                return False if w > top + SLACK * low and i is not None else None
            if i is not None and br.need(i, low, kk - j, top) > kk - j - 1:
                return None
            return w

        got = _search(br, kk, seg_ok, lambda ws, nw: max(ws), best)
        if got is not None and (best is None or got[0] < best[0]):
            best = got
            lines = br.lines([(br.offs[i], 0) for i in got[1]])
    return lines


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
    return _on_rows(block, y, pitch, deck.lines or 0)


def set_continuation_deck(text: str, width: float, span: int, pitch: float) -> DeckBlock:
    """A continuation's head: the headline's short form, smaller than a first-page head."""
    spec = part_spec("headline", PartStyle(max_size=min(24.0, 8.0 + 4.0 * span), min_size=12.0))
    block = DeckBlock()
    if not text:
        return block
    fit = fit_lines(text, spec, width)
    y = 0.0
    for t in fit.lines:
        ln = set_line(t, Style(face=spec.face, size=fit.size))
        block.lines.append(DeckLine(ln.glyphs, ln.width, fit.size, y + fit.size * 0.075, "headline"))
        y += fit.size * spec.lead
    block.headline_size, block.headline_fits, block.headline_lines = fit.size, fit.fits, len(fit.lines)
    return _on_rows(block, y, pitch)


def _on_rows(block: DeckBlock, height: float, pitch: float, rows: int = 0) -> DeckBlock:
    """The deck's lines, `height` pt tall, in whole body lines with at least half a line of air
    below them (at least `rows` lines: the planner's air around a head), centred in them."""
    block.rows = max(math.ceil((height + pitch * 0.75) / pitch), rows)
    shift = (block.rows * pitch - height - pitch * 0.5) / 2
    for ln in block.lines:
        ln.top += shift
    return block
