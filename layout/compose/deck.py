"""Headline decks: 引题 kicker, 主题 headline, 副题 subhead, stacked above the body and taking a
whole number of body lines so that the columns below stay on the page grid.

Each part has a style (face, size or a range of sizes, tracking, at most so many lines): the
house's (`DeckStyle`, held by the House: layout/house.py), overridden by the issue file's
`deck_style` (issue, page, article). The main headline is fitted to its span: the largest size
of the scale whose lines fit, one line preferred unless more lines allow a clearly larger size.
Where a head breaks:

  0. `|` or a newline in the head (the loader turns `|` into a newline; `\\|` keeps a bar)
     is a forced break: those are the lines, at the largest size where each fits;
  1. a space is the editor's break (or, on one line, a 1-em gap) — a head breaks only there
     as long as that fits at all, down to PHRASE_FLOOR below its smallest size: a smaller
     size rather than a phrase split (so a head without spaces stays on one line while it can);
  2. otherwise between words, never inside one (支部, 建设): word boundaries come from
     compose/segment.py, whose word list is read only when such a break is needed. Breaks
     are ranked (BREAK_COST): after a punctuation mark, then next to a function word, then
     between two words, last next to a lone character (副|区长, 分|党组: most often inside a
     name or term); the fit records the weakest break it took (`weak`) for the check;
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
from typing import TYPE_CHECKING

from ..model.document import Deck, PartStyle
from ..text.line import Glyph
from ..text.paragraph import set_line
from ..text.prepare import Style, prepare

if TYPE_CHECKING:
    from ..house import House

HEAD_SCALE = (72.0, 60.0, 54.0, 48.0, 42.0, 36.0, 32.0, 28.0, 26.0, 24.0, 22.0, 20.0, 18.0)
LINE_PREFERENCE = 0.78        # each extra line must buy this much larger a size
WORD_BREAK = 0.95             # a break between words (not at a space) costs this factor
# Costs of break candidates: a space, after a punctuation mark, next to a function word,
# between two words, next to a lone character (the head reads as split inside a term).
SPACE, PUNCT, FUNCTION, WORDS, LONE = 0, 1, 2, 3, 5
FUNCTION_CHARS = frozenset("的地得在和与及并或为向把让从对将到是兼被给以于等而又也都就还之")
PHRASE_FLOOR = (0.9, 0.8, 0.75)  # sizes below the smallest a head with spaces may take
FILL = 0.94                   # a head line uses at most this share of the span (fit_lines' default)


@dataclass(frozen=True)
class PartSpec:
    """A deck part, resolved: what fit_lines works with."""
    kind: str                     # kicker | headline | subhead
    face: str
    sizes: tuple[float, ...]      # largest first
    tracking: float = 0.0         # em
    max_lines: int = 2
    lead: float = 1.3             # line height, em
    floor: tuple[float, ...] = ()  # smaller sizes that keep the editor's phrases whole


@dataclass(frozen=True)
class DeckStyle:
    """A house's deck style: each part's default (face by role, sizes, tracking, lines,
    leading), the headline's smallest size and the largest a span carries, the share of the
    span a head line may use."""
    kicker: PartSpec = PartSpec("kicker", "sans-bold", (15.0, 14.0, 13.0, 12.0), 0.0, 2, 1.3)
    headline: PartSpec = PartSpec("headline", "serif-bold", HEAD_SCALE, 0.0, 2, 1.15)
    subhead: PartSpec = PartSpec("subhead", "kai", (15.0, 14.0, 13.0, 12.0), 0.0, 2, 1.3)
    head_min: float = 18.0
    # the largest head a span carries (a one-column brief does not get 初号); wider: cap_wide
    cap: tuple[float, ...] = (20.0, 26.0, 32.0, 36.0, 42.0, 42.0, 48.0, 48.0)
    cap_wide: float = 48.0
    fill: float = FILL

    def head_cap(self, span: int) -> float:
        return self.cap[span - 1] if 1 <= span <= len(self.cap) else self.cap_wide


def part_spec(kind: str, style: PartStyle, span: int | None = None,
              fixed: float | None = None, *, house: "House") -> PartSpec:
    """The house's default for `kind` with the issue file's style over it, its face resolved
    to the house's face key. `span` caps the head's size (DeckStyle.head_cap) unless the style
    sets max_size; `fixed` is the old headline_size key."""
    deck = house.deck
    base = getattr(deck, kind)
    size = style.size or fixed
    if size:
        sizes: tuple[float, ...] = (size,)
    else:
        top = style.max_size or (deck.head_cap(span) if kind == "headline" and span else None)
        low = style.min_size or (deck.head_min if kind == "headline" else base.sizes[-1])
        scale = base.sizes
        if style.max_size and style.max_size not in scale:
            scale = (style.max_size,) + scale
        if style.min_size and style.min_size not in scale:
            scale = scale + (style.min_size,)
        sizes = tuple(sorted({s for s in scale if (top is None or s <= top) and s >= low},
                             reverse=True)) or (low,)
    # an editor who set the size or its floor gets no smaller one
    floor = () if size or style.min_size else tuple(
        sorted({round(sizes[-1] * k * 2) / 2 for k in PHRASE_FLOOR}, reverse=True))
    return PartSpec(kind, house.face(style.face or base.face), sizes,
                    base.tracking if style.tracking is None else style.tracking,
                    style.lines or base.max_lines, base.lead, floor)


@dataclass
class Fit:
    size: float
    lines: list[str]
    fits: bool
    weak: str = ""                # "副|区长": the break taken next to a lone character, if any


def _phrases(text: str) -> list[str]:
    return [p for p in text.replace("\u3000", " ").split(" ") if p]


@lru_cache(maxsize=4096)
def _em_width(text: str, face: str, tracking: float) -> float:
    """Natural width of a head line in em, tracking included: widths scale with the size, so
    one measure serves every size of the scale."""
    return set_line(text, Style(face=face, size=1.0), tracking=tracking).width


def line_width(text: str, face: str, size: float, tracking: float) -> float:
    """Natural width of a head line in face key `face`, pt, tracking included."""
    return _em_width(text, face, tracking) * size


@lru_cache(maxsize=512)
def _clreq_breaks(text: str) -> frozenset[int]:
    """Character offsets inside `text` where clreq allows a break (atom boundaries): the same
    in every face, so measured in the bundled serif."""
    atoms = prepare([(text, Style(face="serif", size=10.0))]).atoms
    out, pos = set(), 0
    for a in atoms[:-1]:
        pos += len(a.text)
        if a.breakable:
            out.add(pos)
    return frozenset(out)


def _word_breaks(phrase: str) -> list[tuple[int, int]]:
    """(offset, cost) of the breaks between words of `phrase` that clreq allows."""
    from .segment import segment

    words = segment(phrase)
    allowed = _clreq_breaks(phrase)
    # run[k]: how many lone characters stand together around word k (0: a word of the list)
    run = [0] * len(words)
    k = 0
    while k < len(words):
        j = k
        while j < len(words) and len(words[j]) == 1 and not _punct(words[j]):
            j += 1
        run[k:j] = [j - k] * (j - k)
        k = max(j, k + 1)
    out, pos = [], 0
    for k, (a, b) in enumerate(zip(words, words[1:])):
        pos += len(a)
        if pos not in allowed or (run[k] and run[k + 1]):
            continue          # two lone characters: most often a name the list lacks (张|艳)
        if _punct(a):
            cost = PUNCT
        elif a in FUNCTION_CHARS or b in FUNCTION_CHARS:
            cost = FUNCTION
        elif run[k] in (1, 2) or run[k + 1] in (1, 2):
            cost = LONE       # 副|区长, 凤凰|城: one or two lone characters belong to a word;
        else:                 # three or more (李晓峰) are most often a name, kept whole
            cost = WORDS
        out.append((pos, cost))
    return out


def _punct(word: str) -> bool:
    import unicodedata

    return unicodedata.category(word[-1])[0] == "P"


def _candidates(phrases: list[str], words: bool) -> list[tuple[int, int]]:
    """Break candidates as (offset in the phrases run together, cost): the phrase boundaries
    (spaces, cost 0), and with `words` the word boundaries inside phrases."""
    out, pos = [], 0
    for k, p in enumerate(phrases):
        if k:
            out.append((pos, SPACE))
        if words:
            out += [(pos + off, cost) for off, cost in _word_breaks(p)]
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


def fit_lines(text: str, spec: PartSpec, width: float, *, measure=None, fill: float = FILL,
              split: bool = True) -> Fit:
    """The best size and lines for `text` in `width`. `measure(line, face, size, tracking)`
    gives a line's length (horizontal width by default; the vertical head passes its own).
    With `split` False a head is never broken inside a phrase (None-fitting: fits False).
    Lines that cannot fit are never set out in full: the search is cut where a line runs over
    the limit, and a head that needs more lines than it may have at its smallest size is not
    searched at all, so a head of any length costs time in proportion to it."""
    measure = measure or line_width
    limit = width * fill
    forced = [t for t in (x.strip() for x in text.split("\n")) if t]
    if len(forced) > 1:
        return _forced(forced, spec, measure, limit)
    phrases = _phrases(text)
    if not phrases:
        return Fit(spec.sizes[0], [], True)
    low = spec.sizes[-1]

    def best_for(words: bool, sizes):
        br = _Breaks(phrases, _candidates(phrases, words), spec, measure, limit)
        cap = spec.max_lines + 2
        if br.need(-1, sizes[-1], cap) >= cap:
            return None               # too long at the smallest size, whatever the breaks
        best = None
        for k in range(1, spec.max_lines + 1):
            if k - 1 > len(br.offs):
                break
            for size in sizes:
                if best is not None and size * LINE_PREFERENCE ** (k - 1) <= best[0] + 1e-9:
                    break             # no smaller size can win, however clean its breaks
                def seg_ok(a, b, j, i=None, size=size):
                    w = br.width(a, b, size)
                    if w > limit:
                        return False if w > limit + SLACK * size and i is not None else None
                    # what follows candidate i must fit the lines left
                    if i is not None and br.need(i, size, k - j) > k - j - 1:
                        return None
                    return w

                # Cleanest breaks, then balanced: shortest longest line, the least spread.
                found = _search(br, k, seg_ok, lambda ws, nw: (nw, round(max(ws), 1),
                                                               max(ws) - min(ws)))
                if found is not None:
                    score = size * LINE_PREFERENCE ** (k - 1) * WORD_BREAK ** found[0][0]
                    if best is None or score > best[0] + 1e-9:
                        best = (score, size, br.lines([(br.offs[i], 0) for i in found[1]]),
                                _weak(br, found[1]))
                    if found[0][0] == 0:
                        break         # smaller sizes only lose
        return best

    # Phrases first, down to the floor: a smaller size rather than a phrase split.
    best = best_for(False, spec.sizes + (spec.floor if len(phrases) > 1 else ()))
    # Word breaks only where the editor's breaks give nothing that fits: a head without spaces
    # stays on one line while it fits at its smallest size (the editor wrote no break).
    if best is None and spec.max_lines > 1 and split:
        best = best_for(True, spec.sizes)
    if best is not None:
        return Fit(best[1], best[2], True, best[3])
    return Fit(low, _most_balanced(phrases, spec, measure, limit), False)


def _weak(br: "_Breaks", chosen) -> str:
    """The first break taken next to a lone character, shown as 副|区长 ("" if none)."""
    for i in chosen:
        if br.word[i] >= LONE:
            off = br.offs[i]
            return br.flat[max(0, off - 3):off] + "|" + br.flat[off:off + 3]
    return ""


def _forced(lines: list[str], spec: PartSpec, measure, limit: float) -> Fit:
    """The editor's forced lines (`|`, newline): the largest size at which each fits."""
    lines = ["\u3000".join(_phrases(t)) for t in lines]
    sizes = spec.sizes + spec.floor
    for size in sizes:
        if all(measure(t, spec.face, size, spec.tracking) <= limit for t in lines):
            return Fit(size, lines, True)
    return Fit(sizes[-1], lines, False)


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
    headline_weak: str = ""   # a break inside a likely name or term (Fit.weak)


def deck_specs(deck: Deck, span: int, house: "House") -> dict[str, PartSpec]:
    return {
        "kicker": part_spec("kicker", deck.kicker_style, house=house),
        "headline": part_spec("headline", deck.headline_style, span, deck.headline_size,
                              house=house),
        "subhead": part_spec("subhead", deck.subhead_style, house=house),
    }


def set_deck(deck: Deck, width: float, span: int, pitch: float, house: "House") -> DeckBlock:
    block = DeckBlock()
    specs = deck_specs(deck, span, house)
    y = 0.0
    stack: list[tuple[str, float, PartSpec]] = []
    for kind, text in (("kicker", deck.kicker), ("headline", deck.headline),
                       ("subhead", deck.subhead)):
        if not text:
            continue
        spec = specs[kind]
        fit = fit_lines(text, spec, width, fill=house.deck.fill)
        if kind == "headline":
            block.headline_size, block.headline_fits = fit.size, fit.fits
            block.headline_lines, block.headline_weak = len(fit.lines), fit.weak
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


def set_continuation_deck(text: str, width: float, span: int, pitch: float,
                          house: "House") -> DeckBlock:
    """A continuation's head: the headline's short form, smaller than a first-page head."""
    spec = part_spec("headline", PartStyle(max_size=min(24.0, 8.0 + 4.0 * span), min_size=12.0),
                     house=house)
    block = DeckBlock()
    if not text:
        return block
    fit = fit_lines(text, spec, width, fill=house.deck.fill)
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
