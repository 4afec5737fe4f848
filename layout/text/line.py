"""One line: how atoms i..j fill a measure (justification in clreq's order), and where each
glyph then goes.

Shrink before stretching. Shrink: word spaces to ¼ em, interpuncts, brackets, ，、；：, Han–Latin
gaps to ⅛ em, 。？！ — each class evenly down to its limit (a line-end mark has already given
up its blank half). Stretch: word spaces to ½ em, Han–Latin gaps, and only then, as the last
resort, every junction of the line evenly — never inside an atom (a Latin word, a number, ——).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .prepare import (N_SHRINK, N_STRETCH, SHRINK_BRACKET, SHRINK_HANLATIN, SHRINK_MIDDLE,
                      SHRINK_PAUSE, SHRINK_SPACE, SHRINK_STOP, STRETCH_HANLATIN, STRETCH_SPACE,
                      Atom)

# (is a gap, class) in the order they give way.
SHRINK_ORDER = ((True, SHRINK_SPACE), (False, SHRINK_MIDDLE), (False, SHRINK_BRACKET),
                (False, SHRINK_PAUSE), (True, SHRINK_HANLATIN), (False, SHRINK_STOP))
STRETCH_ORDER = (STRETCH_SPACE, STRETCH_HANLATIN)

LOOSE = 0.25    # em of extra space per Han gap at which a line counts as loose (typography.md §3)


@dataclass
class LineMetrics:
    start: int
    end: int                       # exclusive
    width: float                   # the measure, pt
    natural: float                 # pt, line-end and line-start trims applied
    last: bool                     # a paragraph's last line: set flush left, not stretched
    too_long: bool = False
    cost: float = 0.0
    shrink_ratio: list[float] = field(default_factory=lambda: [0.0] * N_SHRINK)
    gap_shrink_ratio: list[float] = field(default_factory=lambda: [0.0] * N_SHRINK)
    stretch_ratio: list[float] = field(default_factory=lambda: [0.0] * N_STRETCH)
    even: float = 0.0              # extra space at every junction, pt (last resort)
    drop_start: bool = False

    @property
    def loose(self) -> float:
        """The even extra per junction in em (0 for a line that needed none)."""
        return self.even


def measure(atoms: list[Atom], pre, i: int, j: int, width: float, *, last: bool,
            drop_opening: bool = False) -> LineMetrics:
    first, final = atoms[i], atoms[j - 1]
    em = final.size
    natural = pre.width[j] - pre.width[i] + pre.gap[j - 1] - pre.gap[i] - final.end_trim
    drop = drop_opening and first.start_trim > 0
    if drop:
        natural -= first.start_trim
    m = LineMetrics(i, j, width, natural, last, drop_start=drop)
    if natural > width + 1e-6:
        need = natural - width
        used = 0.0
        for is_gap, c in SHRINK_ORDER:
            if is_gap:
                avail = pre.gap_shrink[c][j - 1] - pre.gap_shrink[c][i]
            else:
                avail = pre.shrink[c][j] - pre.shrink[c][i]
                if final.shrink_class == c and final.end_trim > 0:
                    avail -= final.shrink       # that blank is gone already
                if drop and first.shrink_class == c:
                    avail -= first.shrink
            if avail <= 1e-9:
                continue
            t = min(need, avail)
            (m.gap_shrink_ratio if is_gap else m.shrink_ratio)[c] = t / avail
            need -= t
            used += t
            if need <= 1e-9:
                break
        if need > 1e-6:
            m.too_long = True
            return m
        m.cost = 8.0 * used / em
        return m
    if last:
        return m
    deficit = width - natural
    if deficit <= 1e-6:
        return m
    spent = 0.0
    for c in STRETCH_ORDER:
        avail = pre.gap_stretch[c][j - 1] - pre.gap_stretch[c][i]
        if avail <= 1e-9:
            continue
        t = min(deficit, avail)
        m.stretch_ratio[c] = t / avail
        deficit -= t
        spent += t
        if deficit <= 1e-9:
            break
    m.cost = 4.0 * spent / em
    if deficit > 1e-6:
        junctions = j - 1 - i
        if junctions == 0:
            m.cost += 1e5
            return m
        m.even = deficit / junctions
        e = m.even / em / LOOSE
        m.cost += 100.0 * e * e * e
    return m


@dataclass(slots=True)
class Glyph:
    text: str        # one atom's text (a Han character, a mark, a Latin word)
    face: str
    size: float
    x: float         # left edge of the glyph run's origin, from the line start, pt


def place(atoms: list[Atom], m: LineMetrics) -> list[Glyph]:
    """Positions of the line's atoms once justified."""
    out: list[Glyph] = []
    x = 0.0
    for k in range(m.start, m.end):
        a = atoms[k]
        w = a.width
        off = a.offset
        if a.shrink > 0 and a.shrink_class >= 0:
            is_final_trim = k == m.end - 1 and a.end_trim > 0
            is_start_drop = k == m.start and m.drop_start
            if not (is_final_trim or is_start_drop):
                s = a.shrink * m.shrink_ratio[a.shrink_class]
                w -= s
                if a.shrink_class in (SHRINK_BRACKET,) and a.start_trim > 0:
                    off -= s                     # an opening mark gives up its left blank
                elif a.shrink_class == SHRINK_MIDDLE:
                    off -= s / 2
        if k == m.start and m.drop_start:
            w -= a.start_trim
            off -= a.start_trim
        out.append(Glyph(a.text, a.face, a.size, x + off))
        x += w
        if k < m.end - 1:
            g = a.gap
            if a.gap_shrink_class >= 0:
                g -= a.gap_shrink * m.gap_shrink_ratio[a.gap_shrink_class]
            if a.gap_stretch_class >= 0:
                g += a.gap_stretch * m.stretch_ratio[a.gap_stretch_class]
            x += g + m.even
    return out
