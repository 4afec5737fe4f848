"""The exact refinement of a structure found: each article's headline chosen among the leaves of
its own cell (the head its span carries, a step smaller, or raised on more lines) so that heads
fall with importance and neighbouring heads do not meet (碰题).

The guillotine programme picks each cell's cheapest leaf before it knows the others; these rules
are between pairs of articles, so they are settled here, on the whole page, where every cell's
height, and so the structure, stays as found. Coordinate descent in importance order, a fixed
number of rounds: deterministic.
"""
from __future__ import annotations

from .search import W_BUMP, _similar, falls
from .variants import Leaf

ROUNDS = 3
PAIR_TERMS = ("heads", "area", "bump")      # terms between articles, computed here


def page_terms(cells: list[tuple[Leaf, int, int]], rank: list) -> dict[str, int]:
    """heads, area (search.falls) and bump over every pair of the page's cells ((leaf, column,
    line)): 碰题 where two modules side by side start at the same line with heads alike."""
    out: dict[str, int] = {}
    sigs = [((lf.index, lf.head_size, lf.span * lf.lines),) for lf, _, _ in cells]
    for a in range(len(cells)):
        for b in range(a + 1, len(cells)):
            for k, v in falls(rank, sigs[a], sigs[b]):
                out[k] = out.get(k, 0) + v
            (la, ca, ya), (lb, cb, yb) = cells[a], cells[b]
            if ya == yb and (cb == ca + la.span or ca == cb + lb.span) and \
                    _similar(la.head_size, lb.head_size):
                out["bump"] = out.get("bump", 0) + W_BUMP
    return out


def refine(cells: list[tuple[Leaf, int, int]], table, rank: list):
    """The cells with each leaf replaced by the leaf of the same cell (another head size) that
    lowers the page's cost most; the cells and their pair terms."""
    cells = list(cells)

    def cost(cs) -> int:
        return sum(lf.cost for lf, _, _ in cs) + sum(page_terms(cs, rank).values())

    best = cost(cells)
    order = sorted(range(len(cells)), key=lambda k: (rank[cells[k][0].index] is None,
                                                      rank[cells[k][0].index] or 0, k))
    def alts(k: int) -> list[Leaf]:
        """The cheapest leaf of each other head size in cell k's cell."""
        leaf, sizes, out = cells[k][0], {cells[k][0].head_size}, []
        for alt in table[leaf.index][leaf.span].get(leaf.cell, ()):
            if alt.head_size not in sizes:
                sizes.add(alt.head_size)
                out.append(alt)
        return out

    def beside(k: int) -> list[int]:
        (lk, ck, yk) = cells[k]
        return [m for m, (lm, cm, ym) in enumerate(cells)
                if ym == yk and (cm == ck + lk.span or ck == cm + lm.span)]

    for _ in range(ROUNDS):
        changed = False
        for k in order:
            _, col, line = cells[k]
            for alt in alts(k):
                trial = cells[:k] + [(alt, col, line)] + cells[k + 1:]
                tries = [trial]
                for m in beside(k):         # and a neighbour's head moved with it (碰题)
                    for other in alts(m):
                        two = list(trial)
                        two[m] = (other, cells[m][1], cells[m][2])
                        tries.append(two)
                for t in tries:
                    c = cost(t)
                    if c < best:
                        best, cells, changed = c, t, True
        if not changed:
            break
    return cells, page_terms(cells, rank)
