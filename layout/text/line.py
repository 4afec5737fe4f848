"""One line: how atoms i..j fill a measure (justification in clreq's order), and where each
glyph then goes.

Shrink before stretching (clreq reduction_and_expansion_of_inter-character_spacing). Shrink: a
line-end mark first gives up its blank half (½ em), then word spaces to ¼ em, interpuncts,
brackets, ，、；：, Han–Latin gaps to ⅛ em, 。？！ — each class evenly down to its limit — and then
the junctions by at most TRACK em each. Stretch:
word spaces to ½ em, Han–Latin gaps to ½ em, and only then, as the last resort, the junctions of
the line evenly — never inside an atom (a Latin word, a number, ——), never beside a connector or
a solidus.
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

LOOSE = 0.25    # em of extra space per Han gap: the scale of the even-spacing cost
# Even spacing beyond ⅛ em between Han characters shows on a grid page (issue 16): such a line
# costs LOOSE_PENALTY more, above a 孤字 (linebreak.WIDOW_PENALTY), so that the breaker moves a
# break, squeezes marks or stretches Han–Latin gaps instead wherever it can; and more again
# with the square of the excess, so that the looseness it cannot avoid is shared out rather
# than heaped on one line.
TIGHT = 0.125
LOOSE_PENALTY = 25000.0
# Last of the shrink order: the junctions that take even spacing may close by up to TRACK em
# each (0.14 pt at 9 pt, less than the side bearings of the Han glyphs, whose ink never
# touches), at TRACK_COST per em: proportional digits leave many lines a few hundredths of an
# em too long ("据新华社南京10月15日电" is 0.06 em too wide after a 2-em indent in 13 characters).
TRACK = 1 / 64
TRACK_COST = 8.0

# Costs, per em of adjustment. Pushing in — squeezing the line's marks so that a mark which may
# not open the next line stays on this one — is cheap (the later shrink classes a little
# dearer), cheaper than pushing out (a character carried down and the line spaced, which costs
# at least EVEN_PER_EM for its em). Squeezing marks only to pull one more character onto a line
# costs PULL_FACTOR times as much: a mid-line comma at half width is more visible than a few
# hundredths of an em between characters (and widths that vary line by line were one of the
# defects found in other engines). Even spacing grows with the cube of the space per gap.
SHRINK_COST = (2.0, 2.0, 2.5, 3.0, 3.0, 3.5)
PULL_FACTOR = 6.0
STRETCH_COST = 2.0
EVEN_CUBIC = 100.0
EVEN_PER_EM = 4.0


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
    even: float = 0.0              # extra space at every flexible junction, pt (last resort)
    even_all: bool = False         # no flexible junction: the extra goes to every junction
    drop_start: bool = False       # an opening mark at the line start drops its blank half
    restore: float = 0.0           # left blank given back to an opening mark at the line start
    hang: bool = False             # the last atom (、，。) hangs past the measure

    @property
    def loose(self) -> float:
        """The even extra per junction in pt (0 for a line that needed none)."""
        return self.even


INFEASIBLE = float("inf")


def measure(atoms: list[Atom], pre, i: int, j: int, width: float, *, last: bool,
            drop_opening: bool = False) -> LineMetrics:
    """How atoms i..j are justified to `width`: the ratios `place` needs, and the cost."""
    m = LineMetrics(i, j, width, 0.0, last)
    fit(atoms, pre, i, j, width, last, drop_opening, True, m)
    if _may_hang(atoms, i, j, width, m.too_long, m.natural):
        h = LineMetrics(i, j - 1, width, 0.0, last)
        fit(atoms, pre, i, j - 1, width, last, drop_opening, False, h)
        if not h.too_long and (m.too_long or h.cost < m.cost):
            h.end = j
            h.hang = True
            return h
    return m


def line_cost(atoms: list[Atom], pre, i: int, j: int, width: float, *, last: bool,
              drop_opening: bool = False) -> float:
    """`measure(...).cost` without building the metrics (INFEASIBLE when the line cannot be
    set): the line breaker asks this of tens of thousands of candidate lines per page."""
    cost, natural = fit(atoms, pre, i, j, width, last, drop_opening, True, None)
    if atoms[j - 1].hang and _may_hang(atoms, i, j, width, cost == INFEASIBLE, natural):
        h, _ = fit(atoms, pre, i, j - 1, width, last, drop_opening, False, None)
        if h != INFEASIBLE and (cost == INFEASIBLE or h < cost):
            return h
    return cost


def _may_hang(atoms, i: int, j: int, width: float, too_long: bool, natural: float) -> bool:
    # Hanging punctuation (an option, off by default): the 、，。 that does not fit sits past
    # the measure, and the rest of the line is set as if the line ended before it — when the
    # line could not hold it otherwise, or only by squeezing more than hanging costs.
    return atoms[j - 1].hang and j - 1 > i and (too_long or natural > width + 1e-6)


def fit(atoms: list[Atom], pre, i: int, j: int, width: float, last: bool,
         drop_opening: bool, trim_end: bool, m: LineMetrics | None) -> tuple[float, float]:
    """(cost, natural width) of atoms i..j set to `width`; cost INFEASIBLE when even full
    shrinking leaves the line too long. With `m`, the ratios, trims and even spacing are
    recorded there as well (one computation for the breaker and for placing glyphs)."""
    first, final = atoms[i], atoms[j - 1]
    em = final.size
    end_trim = final.end_trim if trim_end else 0.0
    natural = pre.width[j] - pre.width[i] + pre.gap[j - 1] - pre.gap[i] - end_trim
    drop = drop_opening and first.start_trim > 0
    if drop:
        natural -= first.start_trim
    # An opening mark that gave its left blank to the mark before it (，“) gets it back when a
    # line starts with it — unless opening marks drop it at line starts anyway (drop_opening).
    restore = first.lead_trim if not drop_opening else 0.0
    natural += restore
    if m is not None:
        m.natural, m.drop_start, m.restore = natural, drop, restore
    if natural > width + 1e-6:
        need = natural - width
        cost = 0.0
        # pushing in: the last atom could not have opened the next line
        factor = 1.0 if j - 1 > i and not atoms[j - 2].breakable else PULL_FACTOR
        for is_gap, c in pre.shrink_order:
            if is_gap:
                avail = pre.gap_shrink[c][j - 1] - pre.gap_shrink[c][i]
            else:
                avail = pre.shrink[c][j] - pre.shrink[c][i]
                if final.shrink_class == c and end_trim > 0:
                    avail -= final.shrink       # that blank is gone already
                if first.start_trim > 0 and first.shrink_class == c:
                    avail -= first.shrink       # a line's opening mark keeps its place
            if avail <= 1e-9:
                continue
            t = min(need, avail)
            if m is not None:
                (m.gap_shrink_ratio if is_gap else m.shrink_ratio)[c] = t / avail
            need -= t
            cost += factor * SHRINK_COST[c] * t / em
            if need <= 1e-9:
                break
        if need > 1e-6:
            junctions = pre.flex[j - 1] - pre.flex[i]
            if need > junctions * TRACK * em + 1e-9:
                if m is not None:
                    m.too_long = True
                return INFEASIBLE, natural
            cost += factor * TRACK_COST * need / em
            if m is not None:
                m.even = -need / junctions
        if m is not None:
            m.cost = cost
        return cost, natural
    if last:
        return 0.0, natural
    deficit = width - natural
    if deficit <= 1e-6:
        return 0.0, natural
    spent = 0.0
    for c in pre.stretch_order:
        avail = pre.gap_stretch[c][j - 1] - pre.gap_stretch[c][i]
        if avail <= 1e-9:
            continue
        t = min(deficit, avail)
        if m is not None:
            m.stretch_ratio[c] = t / avail
        deficit -= t
        spent += t
        if deficit <= 1e-9:
            break
    cost = STRETCH_COST * spent / em
    if deficit > 1e-6:
        junctions = pre.flex[j - 1] - pre.flex[i]
        even_all = junctions == 0
        if even_all:
            junctions = j - 1 - i
            cost += 1e3
        if junctions == 0:
            cost += 1e5
            if m is not None:
                m.even_all, m.cost = True, cost
            return cost, natural
        even = deficit / junctions
        e = even / em / LOOSE
        cost += EVEN_CUBIC * e * e * e + EVEN_PER_EM * deficit / em
        over = even / em - TIGHT
        if over > 1e-6 and not even_all:    # (a line of Latin alone: spaced, no Han gap)
            # one loose line rather than two, but not one far looser than two would be
            o = min(over / LOOSE, 2.0)      # (bounded: a 均排 line of four characters)
            cost += LOOSE_PENALTY * (1.0 + o * o)
        if m is not None:
            m.even, m.even_all = even, even_all
    if m is not None:
        m.cost = cost
    return cost, natural


@dataclass(slots=True)
class Glyph:
    text: str        # one atom's text (a Han character, a mark, a Latin word)
    face: str
    size: float
    x: float         # left edge of the glyph run's origin, from the line start, pt
    dots: bool = False   # 着重号 under each character
    gid: int | None = None   # a glyph drawn for `text` other than its cmap's (a vertical alternate)


def place(atoms: list[Atom], m: LineMetrics) -> list[Glyph]:
    """Positions of the line's atoms once justified."""
    out: list[Glyph] = []
    x = 0.0
    body_end = m.end - 1 if m.hang else m.end
    for k in range(m.start, m.end):
        a = atoms[k]
        w = a.width
        off = a.offset
        if a.shrink > 0 and a.shrink_class >= 0 and k < body_end:
            is_final_trim = k == body_end - 1 and a.end_trim > 0 and not m.hang
            is_start = k == m.start and a.start_trim > 0
            if not (is_final_trim or is_start):
                s = a.shrink * m.shrink_ratio[a.shrink_class]
                w -= s
                if a.shrink_class == SHRINK_BRACKET and a.start_trim > 0:
                    off -= s                     # an opening mark gives up its left blank
                elif a.shrink_class == SHRINK_MIDDLE:
                    off -= s / 2
        if k == m.start and m.drop_start:
            w -= a.start_trim
            off -= a.start_trim
        if k == m.start and m.restore:
            w += m.restore
            off += m.restore
        out.append(Glyph(a.text, a.face, a.size, x + off, a.dots))
        x += w
        if k < m.end - 1:
            g = a.gap
            if a.gap_shrink_class >= 0:
                g -= a.gap_shrink * m.gap_shrink_ratio[a.gap_shrink_class]
            if a.gap_stretch_class >= 0:
                g += a.gap_stretch * m.stretch_ratio[a.gap_stretch_class]
            if k < body_end - 1 and (a.flex or m.even_all):
                g += m.even
            x += g
    return out
