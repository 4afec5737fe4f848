"""Paragraph breaking: total-fit (Knuth–Plass style) over the break opportunities.

Every candidate line is judged by how it would be justified (`line.fit`): shrinking punctuation
is cheap, stretching Han gaps is dear, a line that cannot be set is impossible. Dynamic
programming over break positions picks the breaks with the least total cost for the whole
paragraph, so an early choice never leaves a loose line later. A one-character last line (孤字)
carries a heavy penalty.
"""
from __future__ import annotations

from dataclasses import dataclass

from .line import LineMetrics, measure
from .prepare import Atom

INFEASIBLE = float("inf")
LINE_PENALTY = 10.0        # each line costs a little: fewer lines where all else is equal
WIDOW_PENALTY = 20000.0    # 孤字: a last line of one character (and its marks)
SHORT_LAST_PENALTY = 400.0 # a last line of two characters


EMERGENCY_PENALTY = 1e5   # a break the prohibitions forbid, taken only when nothing else fits
SHORT_LINE = 0.6          # lines filled less than this are tried only when nothing else fits


@dataclass
class Breaks:
    ends: list[int]          # exclusive end index of each line
    metrics: list[LineMetrics]
    emergency: bool = False  # a prohibition had to give way (a unit or run wider than the line)


def break_paragraph(atoms: list[Atom], first_width: float, width: float, *,
                    drop_opening: bool = False, last_justified: bool = False,
                    line_penalty: float = LINE_PENALTY) -> Breaks:
    """Choose line ends for `atoms`. The first line is `first_width` wide, the others `width`.
    `line_penalty` is what each line costs: a negative one asks for a looser paragraph with
    more lines, a large one for a tighter paragraph with fewer (used against 孤行)."""
    brk = _total_fit(atoms, first_width, width, drop_opening, last_justified, line_penalty, False)
    if any(m.too_long for m in brk.metrics):
        # Nothing fits within the prohibitions: let them give way, at a heavy price per break.
        brk = _total_fit(atoms, first_width, width, drop_opening, last_justified, line_penalty, True)
        brk.emergency = True
    return brk


def _total_fit(atoms, first_width, width, drop_opening, last_justified, line_penalty,
               emergency: bool) -> Breaks:
    n = len(atoms)
    if n == 0:
        return Breaks([], [])
    prefix = _Prefix(atoms)
    best = [INFEASIBLE] * (n + 1)
    back = [-1] * (n + 1)
    best[0] = 0.0
    # Break opportunities: after atom k (end index k+1) when atoms[k].breakable; the paragraph end.
    ends = [k + 1 for k in range(n - 1) if atoms[k].breakable or emergency] + [n]
    starts = [0]
    for j in ends:
        last = j == n
        cand_cost, cand_from = INFEASIBLE, -1
        only_first = False
        pw, pg = prefix.width, prefix.gap
        for i in reversed(starts):
            if best[i] == INFEASIBLE or (only_first and i != 0):
                continue
            w = first_width if i == 0 else width
            if (not last and pw[j] - pw[i] + pg[j - 1] - pg[i] < SHORT_LINE * w
                    and (j < n or not last_justified)):
                # A line under SHORT_LINE of its measure would need gaps of ⅓ em and more;
                # measured only when nothing else ends here (second pass below).
                continue
            m = measure(atoms, prefix, i, j, w, last=last and not last_justified,
                        drop_opening=drop_opening)
            if m.too_long:
                # Earlier starts make only longer lines — but a first line wider than the rest
                # (a hanging indent, 凸排) may still hold them.
                if first_width > width and i != 0:
                    only_first = True
                    continue
                break
            cost = best[i] + m.cost + line_penalty
            if not last and not atoms[j - 1].breakable:
                cost += EMERGENCY_PENALTY
            if last:
                cost += _last_line_penalty(atoms, i, j)
            if cost < cand_cost:
                cand_cost, cand_from = cost, i
        if cand_from < 0 and not last:
            for i in reversed(starts):          # the short lines skipped above
                if best[i] == INFEASIBLE:
                    continue
                w = first_width if i == 0 else width
                m = measure(atoms, prefix, i, j, w, last=False, drop_opening=drop_opening)
                if m.too_long:
                    break
                cost = best[i] + m.cost + line_penalty + (
                    0.0 if atoms[j - 1].breakable else EMERGENCY_PENALTY)
                if cost < cand_cost:
                    cand_cost, cand_from = cost, i
        if cand_from < 0:
            # Nothing fits (a unit wider than the line): set it alone, overfull.
            cand_from = max((i for i in starts if best[i] < INFEASIBLE), default=0)
            cand_cost = best[cand_from] + 1e6
        best[j], back[j] = cand_cost, cand_from
        starts.append(j)
    # Walk back.
    out: list[int] = []
    j = n
    while j > 0:
        out.append(j)
        j = back[j]
    out.reverse()
    metrics = []
    i = 0
    for j in out:
        w = first_width if i == 0 else width
        metrics.append(measure(atoms, prefix, i, j, w, last=(j == n and not last_justified),
                               drop_opening=drop_opening))
        i = j
    return Breaks(out, metrics)


def _last_line_penalty(atoms: list[Atom], i: int, j: int) -> float:
    chars = sum(1 for a in atoms[i:j] if a.kind != "punct")
    if chars <= 1:
        return WIDOW_PENALTY
    if chars == 2:
        return SHORT_LAST_PENALTY
    return 0.0


class _Prefix:
    """Prefix sums over the atoms, so a candidate line is measured in constant time."""
    __slots__ = ("width", "gap", "shrink", "gap_shrink", "gap_stretch", "flex")

    def __init__(self, atoms: list[Atom]):
        from .prepare import N_SHRINK, N_STRETCH
        n = len(atoms)
        self.width = [0.0] * (n + 1)
        self.gap = [0.0] * (n + 1)
        self.shrink = [[0.0] * (n + 1) for _ in range(N_SHRINK)]
        self.gap_shrink = [[0.0] * (n + 1) for _ in range(N_SHRINK)]
        self.gap_stretch = [[0.0] * (n + 1) for _ in range(N_STRETCH)]
        self.flex = [0] * (n + 1)          # junctions that take even spacing
        for k, a in enumerate(atoms):
            self.width[k + 1] = self.width[k] + a.width
            self.gap[k + 1] = self.gap[k] + a.gap
            self.flex[k + 1] = self.flex[k] + (1 if a.flex else 0)
            for c in range(N_SHRINK):
                self.shrink[c][k + 1] = self.shrink[c][k] + (a.shrink if a.shrink_class == c else 0.0)
                self.gap_shrink[c][k + 1] = self.gap_shrink[c][k] + (
                    a.gap_shrink if a.gap_shrink_class == c else 0.0)
            for c in range(N_STRETCH):
                self.gap_stretch[c][k + 1] = self.gap_stretch[c][k] + (
                    a.gap_stretch if a.gap_stretch_class == c else 0.0)

    def min_width(self, i: int, j: int) -> float:
        total_shrink = sum(s[j] - s[i] for s in self.shrink) + sum(
            s[j - 1] - s[i] for s in self.gap_shrink)
        return self.width[j] - self.width[i] + self.gap[j - 1] - self.gap[i] - total_shrink
