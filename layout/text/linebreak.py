"""Paragraph breaking: total-fit (Knuth–Plass style) over the break opportunities.

Every candidate line is judged by how it would be justified (`line.fit`, through `line_cost`): shrinking punctuation
is cheap, stretching Han gaps is dear, a line that cannot be set is impossible. Dynamic
programming over break positions picks the breaks with the least total cost for the whole
paragraph, so an early choice never leaves a loose line later. A one-character last line (孤字)
carries a heavy penalty.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import accumulate
from typing import Callable

from . import classify as C
from .line import INFEASIBLE, SHRINK_ORDER, STRETCH_ORDER, LineMetrics, fit, line_cost, measure
from .prepare import Atom

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
                    line_penalty: float = LINE_PENALTY,
                    candidates: "Callable[[bool], Candidates] | None" = None) -> Breaks:
    """Choose line ends for `atoms`. The first line is `first_width` wide, the others `width`.
    `line_penalty` is what each line costs: a negative one asks for a looser paragraph with
    more lines, a large one for a tighter paragraph with fewer (used against 孤行).
    `candidates(emergency)` gives this paragraph's candidate lines at this measure when the
    caller keeps them, so that setting it again at another penalty measures nothing again."""
    if candidates is None:
        def candidates(emergency: bool) -> Candidates:
            return Candidates(atoms, first_width, width, drop_opening, last_justified, emergency)
    brk = candidates(False).best(line_penalty)
    if any(m.too_long for m in brk.metrics):
        # Nothing fits within the prohibitions: let them give way, at a heavy price per break.
        brk = candidates(True).best(line_penalty)
        brk.emergency = True
    return brk


class Candidates:
    """Every line of a paragraph worth considering at one measure, with its cost.

    What a line costs (`line_cost`) and which lines are possible do not depend on the line
    penalty, so they are measured once; `best` then runs the dynamic programming over them for
    any penalty — the looseness variants against 孤行 re-use one measurement."""

    def __init__(self, atoms: list[Atom], first_width: float, width: float,
                 drop_opening: bool, last_justified: bool, emergency: bool):
        self.atoms, self.first_width, self.width = atoms, first_width, width
        self.drop_opening, self.last_justified = drop_opening, last_justified
        n = self.n = len(atoms)
        self.prefix = prefix = _Prefix(atoms)
        # Break opportunities: after atom k (end index k+1) when atoms[k].breakable; the end.
        # When nothing fits, any other break at EMERGENCY_PENALTY — never after an opening
        # bracket or quote.
        self.ends = ends = [k + 1 for k in range(n - 1) if atoms[k].breakable or (
            emergency and atoms[k].text[-1] not in C.NEVER_END)] + [n]
        if n == 0:
            ends.clear()                          # an empty paragraph has no lines
        # edges[e]: the lines ending at ends[e], in the order the search met them, as
        # (start, cost, extra); a start of -1 - i marks "nothing fits: set atoms i.. alone".
        self.edges: list[list[tuple[int, float, float]]] = []
        self._best: dict[float, Breaks] = {}
        starts = [0]            # every end so far starts a line (each is reachable)
        pw, pg = prefix.width, prefix.gap
        short_first, short_rest = SHORT_LINE * first_width, SHORT_LINE * width
        # With no negative width or gap, a line gets shorter as its start moves right and longer
        # as its end does (in floating point too: rounding is monotone). Then the starts after
        # `near` make lines under SHORT_LINE and are not visited, and `near` only moves right
        # as the end does. (Otherwise every start is tested on its own.)
        monotone = prefix.monotone
        near = 1
        for j in ends:
            last = j == n
            set_last = last and not last_justified
            # the cost of a line ending at j (`line_cost` without its call when no mark hangs)
            hangs = atoms[j - 1].hang
            found: list[tuple[int, float, float]] = []
            only_first = False
            # what the break itself costs: a forbidden one, one inside a URL or a split unit
            brk = 0.0 if last else (
                atoms[j - 1].penalty if atoms[j - 1].breakable else EMERGENCY_PENALTY)
            k = len(starts)
            if monotone and not last:
                while near < k and not (pw[j] - pw[starts[near]] + pg[j - 1] - pg[starts[near]]
                                        < short_rest):
                    near += 1
                k = near
            while k > 0:
                k -= 1
                i = starts[k]
                if only_first and i != 0:
                    continue
                w = first_width if i == 0 else width
                if not last and (i == 0 or not monotone) and pw[j] - pw[i] + pg[j - 1] - pg[i] < (
                        short_first if i == 0 else short_rest):
                    # A line under SHORT_LINE of its measure would need gaps of ⅓ em and more;
                    # measured only when nothing else ends here (second pass below).
                    continue
                if hangs:
                    cost = line_cost(atoms, prefix, i, j, w, last=set_last,
                                     drop_opening=drop_opening)
                else:
                    cost = fit(atoms, prefix, i, j, w, set_last, drop_opening, True, None)[0]
                if cost == INFEASIBLE:
                    # Earlier starts make only longer lines — but a first line wider than the
                    # rest (a hanging indent, 凸排) may still hold them.
                    if first_width > width and i != 0:
                        only_first = True
                        continue
                    break
                found.append((i, cost, _last_line_penalty(atoms, i, j) if last else brk))
            if not found and not last:
                for i in reversed(starts):          # the short lines skipped above
                    w = first_width if i == 0 else width
                    cost = line_cost(atoms, prefix, i, j, w, last=False, drop_opening=drop_opening)
                    if cost == INFEASIBLE:
                        break
                    found.append((i, cost, brk))
            if not found:
                # Nothing fits (a unit wider than the line): set it alone, overfull.
                found.append((-1 - starts[-1], 0.0, 0.0))
            self.edges.append(found)
            starts.append(j)

    def best(self, line_penalty: float) -> Breaks:
        """The breaks of least total cost when each line costs `line_penalty` more."""
        found = self._best.get(line_penalty)
        if found is None:
            found = self._best[line_penalty] = self._best_for(line_penalty)
        return found

    def _best_for(self, line_penalty: float) -> Breaks:
        n = self.n
        if n == 0:
            return Breaks([], [])
        best = [INFEASIBLE] * (n + 1)
        back = [-1] * (n + 1)
        best[0] = 0.0
        for j, found in zip(self.ends, self.edges):
            cand_cost, cand_from = INFEASIBLE, -1
            for i, cost, extra in found:
                if i < 0:
                    cand_from = -1 - i
                    cand_cost = best[cand_from] + 1e6
                    break
                cost = best[i] + cost + line_penalty
                if extra:
                    cost += extra
                if cost < cand_cost:
                    cand_cost, cand_from = cost, i
            best[j], back[j] = cand_cost, cand_from
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
            w = self.first_width if i == 0 else self.width
            metrics.append(measure(self.atoms, self.prefix, i, j, w,
                                   last=(j == n and not self.last_justified),
                                   drop_opening=self.drop_opening))
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
    """Prefix sums over the atoms, so a candidate line is measured in constant time.
    `shrink_order` and `stretch_order` are SHRINK_ORDER and STRETCH_ORDER less the classes no
    atom of the paragraph has (most paragraphs have no word space and no Latin)."""
    __slots__ = ("width", "gap", "shrink", "gap_shrink", "gap_stretch", "flex",
                 "shrink_order", "stretch_order", "monotone")

    def __init__(self, atoms: list[Atom]):
        from .prepare import N_SHRINK, N_STRETCH
        n = len(atoms)
        widths = [a.width for a in atoms]
        gaps = [a.gap for a in atoms]
        self.width = list(accumulate(widths, initial=0.0))
        self.gap = list(accumulate(gaps, initial=0.0))
        # no negative advance or gap: natural widths grow with a line's length (Candidates)
        self.monotone = min(widths, default=0.0) >= 0.0 and min(gaps, default=0.0) >= 0.0
        # junctions that take even spacing
        self.flex = list(accumulate((1 if a.flex else 0 for a in atoms), initial=0))
        zeros = [0.0] * (n + 1)
        self.shrink = [zeros] * N_SHRINK
        self.gap_shrink = [zeros] * N_SHRINK
        self.gap_stretch = [zeros] * N_STRETCH
        for c in {a.shrink_class for a in atoms if a.shrink_class >= 0}:
            self.shrink[c] = list(accumulate(
                (a.shrink if a.shrink_class == c else 0.0 for a in atoms), initial=0.0))
        for c in {a.gap_shrink_class for a in atoms if a.gap_shrink_class >= 0}:
            self.gap_shrink[c] = list(accumulate(
                (a.gap_shrink if a.gap_shrink_class == c else 0.0 for a in atoms), initial=0.0))
        for c in {a.gap_stretch_class for a in atoms if a.gap_stretch_class >= 0}:
            self.gap_stretch[c] = list(accumulate(
                (a.gap_stretch if a.gap_stretch_class == c else 0.0 for a in atoms), initial=0.0))
        self.shrink_order = tuple((g, c) for g, c in SHRINK_ORDER
                                  if (self.gap_shrink if g else self.shrink)[c] is not zeros)
        self.stretch_order = tuple(c for c in STRETCH_ORDER if self.gap_stretch[c] is not zeros)

    def min_width(self, i: int, j: int) -> float:
        total_shrink = sum(s[j] - s[i] for s in self.shrink) + sum(
            s[j - 1] - s[i] for s in self.gap_shrink)
        return self.width[j] - self.width[i] + self.gap[j - 1] - self.gap[i] - total_shrink
