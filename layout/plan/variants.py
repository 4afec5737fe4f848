"""An article's variants: at each span, the module heights it can take and what each costs.

A variant is a span, a headline size (the one the deck fits to the span, or a step smaller so
that it stays below the lead's), and for a photo its span, side and height (cropped at most
CROP off its own aspect). Its module holds the deck, the photo under the deck and the body in
the columns left: slots = span × (lines − deck) − photo span × photo rows. It fits when the
body fills the slots to within MAX_UNDERFULL lines — never past them (no overflow) — and no
strip of fewer than MIN_STRIP lines stands under the photo (碎栏).

Each variant has a *cell* height: its module, the blank line under it (the rule between
stacked modules) and up to MAX_HOLE lines left empty below. Cells tile the free area exactly.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from ..model.document import Article, Geometry
from ..model.placement import CROP, MIN_PICTURE
from ..model.printing import MIN_PPI
from . import measure

BUMP_RATIO = 0.8        # heads within this ratio of each other are alike (碰题 side by side)
MAX_UNDERFULL = 3       # empty body lines an article may leave (paiban check's default)
MIN_STRIP = 5           # fewest text lines under a photo (碎栏 below this)
MAX_HOLE = 2            # empty lines a cell may leave under its module
MAX_ALTERNATIVES = 8    # leaves kept per cell height, for the check by composition
MAX_AIR = 3             # grid lines of air a deck may be given beyond what it needs

# Score weights (integers; see docs/planning.md). Leaf terms:
W_UNDERFULL = 4         # per underfull line, squared
W_HOLE = 40             # per line left empty under a module
W_AIR = 12              # per line of air given to a deck
W_CROP = 3              # per picture line off the photo's own aspect
W_HEAD_STEP = 25        # per step the headline is set below what its span carries
W_RAISE = 10            # per step it is set above what the span's fitting chooses
W_NARROW = 150          # a one-column module for more than a brief
W_PHOTO_SPAN = 20       # per column the photo is off about 3/5 of the module
W_TALL = 2              # per line a module is taller than 12 lines per column


@dataclass(frozen=True)
class Leaf:
    """One article in one cell: what the plan writes and what it costs."""
    index: int                      # the article's index among the page's free articles
    span: int
    lines: int                      # module lines
    cell: int                       # cell lines: module, blank line, hole
    head_size: float
    cap: float | None               # headline size cap applied (None: the natural size)
    deck: int                       # grid lines of the deck, air included
    air: int                        # of which air beyond what the deck needs
    photo: tuple[int, int, int] | None    # (column, span, lines) relative to the module
    underfull: int
    terms: tuple[tuple[str, int], ...]
    raised: bool = False            # the head set at `cap`, above the fitting's choice
    more: tuple = ()                # further photos' (column, span, lines), in their order

    @property
    def places(self) -> tuple:
        """Every planned photo's (column, span, lines), in the article's order."""
        return ((self.photo,) + self.more) if self.photo else ()

    @property
    def cost(self) -> int:
        return sum(v for _, v in self.terms)

    @property
    def hole(self) -> int:
        return self.cell - self.lines - 1


def _scale(ms: measure.Measure) -> tuple[float, ...]:
    """The head sizes in steps, largest first: the house's scale (the issue's, as set)."""
    return ms.house.deck.headline.sizes


def head_steps(scale, natural: float, cap: float) -> int:
    return sum(1 for s in scale if cap <= s < natural)


def leaves(ms: measure.Measure, art: Article, index: int, span: int, max_cell: int,
           head_below: float | None = None, photo_span: tuple[int, int] | None = None,
           min_ppi: int = MIN_PPI, jumps: tuple[int, int] | None = None,
           lines: int | None = None, smaller: bool = True) -> dict[int, list[Leaf]]:
    """The leaves of each cell height for `art` at `span`, cheapest first; `head_below`: its
    headline must be smaller than this (the lead's). `jumps`: the article goes on on a later page (转版):
    its module is filled to the foot and the rest carried, so it fits wherever its slots are
    within this range (what leaves the continuation filled). `lines`: the body lines to plan
    for, where composition found more than the measure (a paragraph re-set against a widow).
    `smaller`: also the head a step smaller (not for the lead, whose head is the largest)."""
    out: dict[int, list[Leaf]] = {}
    if art.deck.vertical:
        _vertical(out, ms, art, index, span, max_cell, lines or ms.body_lines(art, span),
                  head_below, photo_span, min_ppi)
        return _ranked(out)
    natural = ms.head(art, span)
    heads = _heads(ms, art, span, natural, head_below)
    for cap, hd, raised in heads if smaller else heads[:1]:
        _fill(out, ms, art, index, span, max_cell, natural, hd, cap, photo_span, min_ppi,
              jumps, lines, raised)
    return _ranked(out)


def _heads(ms: measure.Measure, art: Article, span: int, natural, head_below: float | None):
    """(cap, head, raised) options: the head the span carries (held below the lead's), one
    clearly smaller (below BUMP_RATIO of it) — what keeps two neighbouring heads apart (碰题) —
    and one larger, on more lines (the largest the span carries, held below the lead's) — what
    lets heads fall with importance where a short head fits one line small."""
    out = []
    cap = None
    hd = natural
    if head_below is not None and natural.size >= head_below:
        cap = next((s for s in _scale(ms) if s < head_below), None)
        if cap is None:
            return []
        hd = ms.head(art, span, cap)
        if hd.size >= head_below:
            return []
    if not hd.fits:
        return []
    out.append((cap, hd, False))
    if not (art.deck.headline and art.deck.headline_size is None
            and art.deck.headline_style.size is None):
        return out
    step = next((s for s in _scale(ms) if s < BUMP_RATIO * hd.size), None)
    if step is not None:
        small = ms.head(art, span, step)
        if small.fits and small.size < hd.size:
            out.append((step, small, False))
    top = min(ms.house.deck.head_cap(span), art.deck.headline_style.max_size or 1e9)
    for size in [s for s in _scale(ms) if hd.size < s <= top
                 and (head_below is None or s < head_below)][:3]:
        big = ms.head(art, span, size, raised=True)
        if big.fits and big.size > hd.size:
            out.append((size, big, True))
            break
    return out


def _fill(out, ms, art, index, span, max_cell, natural, hd, cap, photo_span, min_ppi, jumps,
          lines, raised) -> None:
    """The leaves of one head option, added to `out` by cell height."""
    base: list[tuple[str, int]] = []
    if raised:
        base.append(("head", W_RAISE * head_steps(_scale(ms), hd.size, natural.size)))
    elif cap is not None:
        base.append(("head", W_HEAD_STEP * head_steps(_scale(ms), natural.size, hd.size)))
    geo = ms.geo
    n = lines or ms.body_lines(art, span)
    frame = measure.frame_rows(art)
    per = art.columns or span           # body columns across the module (破栏: its own)
    if art.columns and (jumps or not _wide(geo, art, span)):
        return
    if span == 1 and n > 40:
        base.append(("shape", W_NARROW))

    def keep(k: int, photo, under: int, terms: list[tuple[str, int]], others=()) -> None:
        """Body rows `k` under the deck: every amount of air and hole that fits."""
        for air in range(MAX_AIR + 1):
            lines = frame + hd.rows + air + k
            tall = max(0, lines - 24 * span)
            more = terms + ([("shape", W_TALL * tall)] if tall else []) + (
                [("air", W_AIR * air)] if air else [])
            for hole in range(MAX_HOLE + 1):
                cell = lines + 1 + hole
                if cell > max_cell:
                    break
                t = tuple(base + more + ([("white", W_HOLE * hole)] if hole else []))
                leaf = Leaf(index, span, lines, cell, hd.size, cap, hd.rows + air, air, photo,
                            under, t, raised, others)
                out.setdefault(cell, []).append(leaf)

    free = [p for p in art.photos if p.place is None]
    if jumps and not free:
        for k in range(MIN_STRIP, (n - 1) // span + 1):
            if jumps[0] <= span * k <= jumps[1]:
                keep(k, None, 0, [])
        return
    if not free:
        k = math.ceil(n / per) if n else 1
        under = per * k - n
        if under <= MAX_UNDERFULL:
            keep(k, None, under, [("white", W_UNDERFULL * under * under)])
        if span == 1:           # one column: a few more lines still within the limit
            for extra in range(1, MAX_UNDERFULL - under + 1):
                u = under + extra
                keep(k + extra, None, u, [("white", W_UNDERFULL * u * u)])
        return
    if len(free) > 1:
        _row(keep, ms, art, span, free, n, min_ppi, jumps)
        return
    photo = free[0]
    lo, hi = photo_span or (1, span)
    if art.columns:             # 破栏: a photo across the module, the own columns under it
        lo = hi = span
    if photo.caption_side != "below":
        lo = max(lo, 2)         # a column for the caption beside the picture
    pixels = measure.photo_pixels(photo)
    for ps in range(max(lo, -(-span // 3)), min(span, hi) + 1):     # a third of the module at least
        pic0, cap_rows, pic_span, least = ms.photo_rows(art, photo, ps)
        pics = range(max(MIN_PICTURE, least, math.floor(pic0 * (1 - CROP[0]))),
                     math.ceil(pic0 * (1 + CROP[1])) + 1)
        sides = (1,) if ps == span else (1, span - ps + 1)
        want = max(2, round(span * 3 / 5)) if span > 1 else 1
        for pic in pics:
            if pixels and not _sharp(geo, pixels, pic_span, pic, min_ppi):
                continue
            box = pic + cap_rows + 1               # picture, caption, a blank line
            for k in range(1, 200):                # body rows under the deck
                if box - 1 > k:
                    continue                       # the picture and caption must fit
                strip = k - box
                if 0 < strip < MIN_STRIP or (ps == span and strip < MIN_STRIP and n):
                    continue
                slots = per * (k - min(box, k)) if ps == span else span * k - ps * min(box, k)
                if jumps:
                    if max(MIN_STRIP, jumps[0]) <= slots <= min(n - 1, jumps[1]) and (
                            strip >= MIN_STRIP or ps < span):
                        for side in sides:
                            keep(k, (side, ps, box), 0, [("photo", W_CROP * abs(pic - pic0)
                                                           + W_PHOTO_SPAN * abs(ps - want))])
                    if slots >= min(n, jumps[1]):
                        break
                    continue
                if slots < n:
                    continue
                under = slots - n
                if under > MAX_UNDERFULL:
                    break
                terms = [("white", W_UNDERFULL * under * under), ("photo", W_CROP * abs(pic - pic0)
                         + W_PHOTO_SPAN * abs(ps - want))]
                for side in sides:
                    # the empty lines fall at the foot of the last column: under a photo that
                    # covers it they shorten its strip (碎栏 below MIN_STRIP)
                    if side + ps - 1 == span and 0 < strip - under < MIN_STRIP:
                        continue
                    keep(k, (side, ps, box), under, terms)


def _vertical(out, ms, art: Article, index: int, span: int, max_cell: int, n: int,
              head_below: float | None, photo_span=None, min_ppi: int = MIN_PPI) -> None:
    """The leaves of an article with a vertical headline (竖题): no deck over the span; the head
    takes its columns at one edge for as many lines as it is long (set for each module height,
    as composition sets it), the body the other columns and the lines under the head — none,
    or at least MIN_STRIP (no 碎栏). Its photos stand at the top of the other columns, beside
    the head (`_beside`), the body under them none or MIN_STRIP lines at least. Its size, set
    with the module, is capped below `head_below` (the lead's) as a horizontal head's is."""
    vh = art.deck.vertical
    cols = vh.columns
    if span <= cols:
        return
    cap = next((s for s in _scale(ms) if s < head_below), None) if head_below else None
    if head_below and cap is None:
        return
    if cap is not None:
        art = measure.capped(art, cap)
    free = [p for p in art.photos if p.place is None]
    rest = span - cols                  # the columns beside the head
    first = cols + 1 if vh.side == "left" else 1
    shapes = _beside(ms, art, rest, free, photo_span, min_ppi) if free else [((), 0, 0)]
    if not shapes:
        return
    most = max(sum(sp) * box for sp, box, _ in shapes)
    frame = measure.frame_rows(art)
    for k in range(MIN_STRIP, max_cell):             # flow lines
        if rest * k - most > n + MAX_UNDERFULL:
            break
        vb = ms.vertical(art, span, k + frame)
        strip = k - vb.rows
        if not vb.headline_fits or strip < 0 or 0 < strip < MIN_STRIP or (
                head_below and vb.headline_size >= head_below):
            continue
        for spans, box, cost in shapes:
            pstrip = k - box
            if box - 1 > k or 0 < pstrip < MIN_STRIP:
                continue                # the picture and caption fit, no 碎栏 under them
            under = span * k - cols * vb.rows - sum(spans) * min(box, k) - n
            if not 0 <= under <= MAX_UNDERFULL:
                continue
            ends = {first} if sum(spans) == rest else {first, first + rest - sum(spans)}
            for start in sorted(ends):
                # the empty lines fall at the foot of the last column: under a photo there
                # they shorten its strip (碎栏 below MIN_STRIP)
                if start + sum(spans) - 1 == span and 0 < pstrip - under < MIN_STRIP:
                    continue
                places = tuple((start + sum(spans[:i]), s, box) for i, s in enumerate(spans))
                _vertical_leaf(out, art, index, span, max_cell, k + frame, vb, cap, under,
                               cost, places)


def _vertical_leaf(out, art, index, span, max_cell, lines, vb, cap, under, cost,
                   places) -> None:
    """A 竖题 article's leaf at every hole under its module that fits the cell."""
    terms = [("white", W_UNDERFULL * under * under)] if under else []
    if cost:
        terms.append(("photo", cost))
    if lines > 24 * span:
        terms.append(("shape", W_TALL * (lines - 24 * span)))
    for hole in range(MAX_HOLE + 1):
        cell = lines + 1 + hole
        if cell > max_cell:
            break
        t = tuple(terms + ([("white", W_HOLE * hole)] if hole else []))
        out.setdefault(cell, []).append(Leaf(
            index, span, lines, cell, vb.headline_size, cap, 0, 0,
            places[0] if places else None, under, t, False, places[1:]))


def _beside(ms, art: Article, rest: int, photos, photo_span, min_ppi: int) -> list:
    """(spans, frame lines, photo cost) of the photos in one row in `rest` columns beside a
    vertical head: one photo a third of them at least (within its `span` hint), several across
    them all, each picture within its crop range and sharp enough, its caption attached, and
    their frames one height."""
    geo = ms.geo
    if len(photos) == 1:
        lo, hi = photo_span or (1, rest)
        divisions = [(ps,) for ps in range(max(lo, -(-rest // 3)), min(rest, hi) + 1)]
    else:
        divisions = list(_compositions(rest, len(photos))) if rest >= len(photos) else []
    out = []
    for spans in divisions:
        fits, costs = [], []
        for ph, s in zip(photos, spans):
            if s < 2 and ph.caption_side != "below":
                break
            pic0, cap, pic_span, least = ms.photo_rows(art, ph, s)
            pixels = measure.photo_pixels(ph)
            want = max(2, round(rest * 3 / 5)) if rest > 1 and len(photos) == 1 else s
            got = {}
            for pic in range(max(MIN_PICTURE, least, math.floor(pic0 * (1 - CROP[0]))),
                             math.ceil(pic0 * (1 + CROP[1])) + 1):
                if not pixels or _sharp(geo, pixels, pic_span, pic, min_ppi):
                    got[pic + cap + 1] = W_CROP * abs(pic - pic0) + W_PHOTO_SPAN * abs(s - want)
            fits.append(got)
        else:
            for box in sorted(set.intersection(*(set(f) for f in fits))):
                out.append((spans, box, sum(f[box] for f in fits)))
    return out


def _row(keep, ms, art: Article, span: int, photos, n: int, min_ppi: int, jumps) -> None:
    """Several photos side by side in one row under the deck, across the module, each its own
    span (a column at least) and their frames one height: each picture within its crop range
    and sharp enough, each caption under its picture, the body under the row in every column,
    MIN_STRIP lines at least (no 碎栏). (Not for the first part of a jump.)"""
    if jumps or span < len(photos):
        return
    geo = ms.geo
    per = art.columns or span
    for spans in _compositions(span, len(photos)):
        fits, pic0s, caps = [], [], []
        for ph, s in zip(photos, spans):
            if s < 2 and ph.caption_side != "below":
                break
            pic0, cap, pic_span, least = ms.photo_rows(art, ph, s)
            pixels = measure.photo_pixels(ph)
            fits.append({pic + cap + 1 for pic in range(
                max(MIN_PICTURE, least, math.floor(pic0 * (1 - CROP[0]))),
                math.ceil(pic0 * (1 + CROP[1])) + 1)
                if not pixels or _sharp(geo, pixels, pic_span, pic, min_ppi)})
            pic0s.append(pic0)
            caps.append(cap)
        else:
            _row_leaves(keep, spans, fits, pic0s, caps, n, per)


def _row_leaves(keep, spans, fits, pic0s, caps, n: int, per: int) -> None:
    """The leaves of one division of the row: every common frame height."""
    for box in sorted(set.intersection(*fits)):
        k = box + max(MIN_STRIP, math.ceil(n / per))
        under = per * (k - box) - n
        if under > MAX_UNDERFULL or 0 < k - box - under < MIN_STRIP:
            continue            # (the empty lines shorten the last column's strip)
        crop = sum(W_CROP * abs(box - cap - 1 - p0) for cap, p0 in zip(caps, pic0s))
        places = tuple((1 + sum(spans[:i]), s, box) for i, s in enumerate(spans))
        keep(k, places[0], under, [("white", W_UNDERFULL * under * under),
                                   ("photo", crop)], places[1:])


def _wide(geo: Geometry, art: Article, span: int) -> bool:
    """破栏: the article's own columns across `span` hold the fewest characters a column may."""
    from ..model.load import MIN_COLUMN_CHARS     # the loader's rule for a module given

    width, _ = geo.own_columns(span, art.columns)
    return width >= MIN_COLUMN_CHARS * geo.body_size


def _compositions(total: int, parts: int):
    """Every way of writing `total` as `parts` positive numbers, in a fixed order."""
    if parts == 1:
        yield (total,)
        return
    for first in range(1, total - parts + 2):
        for rest in _compositions(total - first, parts - 1):
            yield (first,) + rest


def _ranked(out: dict[int, list[Leaf]]) -> dict[int, list[Leaf]]:
    """Each cell height's leaves, cheapest first, at most MAX_ALTERNATIVES and the cheapest of
    each head size: the search costs the first (or a smaller head against 碰题); the check by
    composition falls back on the others (same cell and head, other columns)."""
    ranked = {}
    for cell, ls in out.items():
        ls = sorted(ls, key=lambda lf: (lf.cost, _order(lf)))
        keep = ls[:MAX_ALTERNATIVES]
        sizes = {lf.head_size for lf in keep}
        for lf in ls[MAX_ALTERNATIVES:]:        # and the cheapest of every other head size
            if lf.head_size not in sizes:
                sizes.add(lf.head_size)
                keep.append(lf)
        ranked[cell] = keep
    return ranked


def _sharp(geo: Geometry, pixels: tuple[int, int], span: int, pic: int, min_ppi: int) -> bool:
    """At or above `min_ppi` in a frame `span` columns by `pic` lines (cropped to fill it)."""
    w = geo.span_width(span)
    h = (pic - 1) * geo.line_pitch + geo.body_size
    scale = max(w / pixels[0], h / pixels[1])       # pt per pixel
    return 72 / scale >= min_ppi - 1e-6


def _order(leaf: Leaf) -> tuple:
    """A fixed tie-break among leaves of equal cost."""
    return (leaf.air, leaf.lines, leaf.places, leaf.cap or 0, leaf.raised)
