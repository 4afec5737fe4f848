"""The page structure: a memoised guillotine dynamic programme over the free rectangles.

The fixed items (masthead, ads, locked modules) cut the type area into free rectangles
(`regions`); the free articles go into them in order of importance, reading order (区序). In a
rectangle w columns by h cell lines, a set S of articles is either one article's leaf (its
module spans w columns, its cell is h lines), or split: across (the part on top holds S's most
important article) or down (the left part holds it), both parts tiled again. So every
rectangle's top-left article is its most important, and the lead (头条) is top left.

Heights are exact grid lines. Which heights a set can fill at a width is a bitset (an int),
computed first; the costed programme then only visits splits whose parts can be filled. The
structure found is composed article by article (measure.compose_in); a module the real
composition does not accept (a re-set paragraph changed the count) is struck from its
article's leaves and the search runs again.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .variants import BUMP_RATIO, Leaf

# Split terms (integers; docs/planning.md).
W_THROUGH = 120         # a straight cut across the whole page (通线, 断版), not a 通栏 band
W_ORDER_DOWN = 60       # a less important article above a more important one
W_ORDER_RIGHT = 15      # a less important article left of a more important one
W_BUMP = 400            # 碰题: headlines of similar size side by side at the same height
W_TOUCH = 300           # two photos touching
W_KEEP = 200            # a keep_with pair split into parts of several articles each
W_ZONE = 1000           # an article out of the zone its hint asks for
W_HEADS = 150           # per pair: the less important article's headline the larger
W_AREA = 10             # per pair: the less important article's module the larger
EXACT = 5               # sets of articles split every way; larger: into runs of the order
W_FOOT = 30             # per line a free rectangle is left short at its foot
MAX_FOOT = 6            # lines it may be left short


@dataclass
class Tree:
    kind: str                       # leaf | across | down | foot (the region left short)
    cost: int
    leaf: Leaf | None = None
    first: "Tree | None" = None     # top or left
    second: "Tree | None" = None    # bottom or right
    at: int = 0                     # the first part's height (across) or width (down)
    terms: tuple[tuple[str, int], ...] = ()     # this node's own terms
    sig: tuple = ()                 # (article, head size, module area) of each of its leaves

    def __post_init__(self):
        if self.leaf is not None:
            self.sig = ((self.leaf.index, self.leaf.head_size, self.leaf.span * self.leaf.lines),)
        else:
            self.sig = self.first.sig + (self.second.sig if self.second is not None else ())

    def top_left(self) -> Leaf:
        return self.leaf if self.kind == "leaf" else self.first.top_left()

    def top_right(self) -> Leaf:
        if self.kind == "leaf":
            return self.leaf
        return (self.first if self.kind in ("across", "foot") else self.second).top_right()

    def all_terms(self) -> dict[str, int]:
        out: dict[str, int] = {}
        stack = [self]
        while stack:
            t = stack.pop()
            for k, v in (t.leaf.terms if t.leaf else ()) + t.terms:
                out[k] = out.get(k, 0) + v
            stack += [x for x in (t.first, t.second) if x is not None]
        return out

    def leaves(self, col: int, line: int, w: int, h: int):
        """(leaf, column, line) of every article, in the tree's order."""
        if self.kind == "leaf":
            return [(self.leaf, col, line)]
        if self.kind == "foot":                 # the region left `at` lines short
            return self.first.leaves(col, line, w, h - self.at)
        if self.kind == "across":
            return (self.first.leaves(col, line, w, self.at)
                    + self.second.leaves(col, line + self.at, w, h - self.at))
        return (self.first.leaves(col, line, self.at, h)
                + self.second.leaves(col + self.at, line, w - self.at, h))


def _bits(mask: int):
    while mask:
        low = mask & -mask
        yield low.bit_length() - 1
        mask ^= low


def falls(rank: list, a: tuple, b: tuple) -> list[tuple[str, int]]:
    """Headline size and area falling with importance, between the articles of two parts
    (their trees' `sig`): W_HEADS per pair whose less important article has the larger head,
    W_AREA per pair whose less important article has the larger module. An article of rank
    None (the 报眼) takes no part."""
    heads = area = 0
    for i, hi, ai in a:
        if rank[i] is None:
            continue
        for j, hj, aj in b:
            if rank[j] is None:
                continue
            if rank[j] < rank[i]:
                hi, ai, hj, aj = hj, aj, hi, ai
            heads += hj > hi
            area += aj > ai
    return ([("heads", W_HEADS * heads)] if heads else []) + (
        [("area", W_AREA * area)] if area else [])


def _similar(a: float, b: float) -> bool:
    return min(a, b) >= BUMP_RATIO * max(a, b)


@dataclass
class Problem:
    """One region's search: `table[i][w]` the leaves of free article i at span w by cell
    height (cheapest first); `rank[i]` its importance (0 = most important); zone hints per article."""
    table: list[dict[int, dict[int, Leaf]]]
    rank: list[int]
    width: int                      # the region's columns
    height: int                     # the region's cell lines
    page_columns: int
    zones: list[str] = field(default_factory=list)
    keep: list[int] = field(default_factory=list)   # per article: its keep_with partners (mask)
    _feas: dict = field(default_factory=dict)
    _best: dict = field(default_factory=dict)
    _lb: dict = field(default_factory=dict)

    def __post_init__(self):
        n = len(self.rank)
        self._zoned = sum(1 << i for i in range(n) if self.zones and self.zones[i])
        self._falls = [None if self.zones and self.zones[i] == "ear" else self.rank[i]
                       for i in range(n)]
        self._better = [sum(1 << j for j in range(n) if self.rank[j] < self.rank[i])
                        for i in range(n)]
        self._leaf_min = [min((alts[0].cost for row in self.table[i].values()
                               for alts in row.values()), default=0) for i in range(n)]

    def first(self, mask: int) -> int:
        return min(_bits(mask), key=lambda i: (self.rank[i], i))

    def parts(self, mask: int):
        """The first (top or left) parts a split of `mask` may have: every subset holding its
        most important article; a set of more than EXACT articles splits only into runs of its
        importance order (a priority-order programme), its smaller parts every way again."""
        order = sorted(_bits(mask), key=lambda i: (self.rank[i], i))
        if len(order) > EXACT:
            t = 0
            for i in order[:-1]:
                t |= 1 << i
                yield t
            return
        lead = 1 << order[0]
        rest = mask ^ lead
        sub = rest
        while True:
            if lead | sub != mask:
                yield lead | sub
            if sub == 0:
                break
            sub = (sub - 1) & rest

    def feasible(self, mask: int, w: int) -> int:
        """Bitset of the cell heights (≤ the region's) that `mask` can fill at width w."""
        key = (mask, w)
        got = self._feas.get(key)
        if got is not None:
            return got
        full = (1 << (self.height + 1)) - 1
        out = 0
        if mask & (mask - 1) == 0:
            i = mask.bit_length() - 1
            for h in self.table[i].get(w, {}):
                out |= 1 << h
        else:
            for t in self.parts(mask):
                u = mask ^ t
                a = self.feasible(t, w)
                if a:
                    b = self.feasible(u, w)
                    if b:
                        for h in _bits(a):
                            out |= (b << h) & full
                for wl in range(1, w):
                    a = self.feasible(t, wl)
                    if a:
                        out |= a & self.feasible(u, w - wl)
        self._feas[key] = out
        return out

    def solve(self, mask: int) -> list[Tree]:
        """Layouts of the whole region, best first (the best of each root split). The region
        may be left short at its foot by up to MAX_FOOT lines (a page with little text)."""
        out = []
        for short in range(min(MAX_FOOT, self.height - 1) + 1):
            for t in self._options(mask, self.width, self.height - short, True, True, root=True):
                if short:
                    t = Tree("foot", t.cost + W_FOOT * short, first=t, at=short,
                             terms=(("white", W_FOOT * short),))
                out.append(t)
            if len(out) >= 2:
                break
        return sorted(out, key=lambda t: t.cost)

    def best(self, mask: int, w: int, h: int, top: bool, bottom: bool) -> Tree | None:
        if not mask & self._zoned:
            top = bottom = False
        key = (mask, w, h, top, bottom)
        got = self._best.get(key, self)
        if got is self:
            opts = self._options(mask, w, h, top, bottom)
            got = self._best[key] = opts[0] if opts else None
        return got

    def _options(self, mask, w, h, top, bottom, root=False) -> list[Tree]:
        """The best layout of `mask` in w × h (at the root: the best of each split, sorted).
        A split whose parts' lower bounds already cost more than the best found is skipped:
        the result is the same, found sooner."""
        if not (self.feasible(mask, w) >> h) & 1:
            return []
        if mask & (mask - 1) == 0:
            i = mask.bit_length() - 1
            leaf = self.table[i][w][h][0]
            terms = []
            z = self.zones[i]
            if (z == "top" and not top) or (z == "bottom" and not bottom):
                terms.append(("zone", W_ZONE))
            t = Tree("leaf", leaf.cost + sum(v for _, v in terms), leaf=leaf, terms=tuple(terms))
            return [t]
        cands: list[tuple] = []          # (cost, tie-break, kind, first, second, at, terms)
        bound = [None]
        for t_mask in self.parts(mask):
            u_mask = mask ^ t_mask
            self._across(cands, bound, root, t_mask, u_mask, w, h, top, bottom)
            self._down(cands, bound, root, t_mask, u_mask, w, h, top, bottom)
        cands.sort(key=lambda c: (c[0], c[1]))
        if not root:
            cands = cands[:1]
        return [Tree(c[2], c[0], first=c[3], second=c[4], at=c[5], terms=c[6]) for c in cands]

    def _smaller_head(self, tree: Tree, corner: str, other: float) -> Tree | None:
        """`tree` with the article at its top `corner` given the cheapest leaf of the same cell
        whose head is smaller and not like `other`; None when it has none."""
        leaf = tree.top_left() if corner == "left" else tree.top_right()
        alts = [a for a in self.table[leaf.index][leaf.span][leaf.cell]
                if a.head_size < leaf.head_size and not _similar(a.head_size, other)]
        if not alts:
            return None
        return _replace_corner(tree, corner, alts[0])

    def _lower(self, mask: int) -> int:
        """A lower bound of any layout of `mask`: its articles' cheapest leaves."""
        got = self._lb.get(mask)
        if got is None:
            got = self._lb[mask] = sum(self._leaf_min[i] for i in _bits(mask))
        return got

    def _add(self, cands, bound, root, cand) -> None:
        if root:
            cands.append(cand)
            return
        if bound[0] is None or (cand[0], cand[1]) < bound[0]:
            bound[0] = (cand[0], cand[1])
            cands[:] = [cand]

    def _order_terms(self, t_mask: int, u_mask: int, weight: int) -> list:
        """区序: pairs with the article in `u_mask` (below or right) more important; and
        keep_with pairs split apart where neither part is the one article (then they can
        hardly stand side by side)."""
        inv = sum((u_mask & self._better[x]).bit_count() for x in _bits(t_mask))
        out = [("order", weight * inv)] if inv else []
        if self.keep and t_mask & (t_mask - 1) and u_mask & (u_mask - 1):
            apart = sum((u_mask & self.keep[x]).bit_count() for x in _bits(t_mask))
            if apart:
                out.append(("keep", W_KEEP * apart))
        return out

    @staticmethod
    def _beaten(root: bool, bound, cost: int, tie) -> bool:
        """A candidate of at least `cost` cannot replace the best found (not at the root, where
        every split is kept)."""
        return not root and bound[0] is not None and (cost, tie) >= bound[0]

    def _across(self, cands, bound, root, t_mask, u_mask, w, h, top, bottom):
        a = self.feasible(t_mask, w)
        b = self.feasible(u_mask, w)
        if not a or not b:
            return
        terms = self._order_terms(t_mask, u_mask, W_ORDER_DOWN)
        band = lambda m: m & (m - 1) == 0           # a single article: a 通栏 band
        if w == self.page_columns and not band(t_mask) and not band(u_mask):
            terms.append(("cut", W_THROUGH))
        own = sum(v for _, v in terms)
        floor = own + self._lower(t_mask) + self._lower(u_mask)
        terms = tuple(terms)
        for ht in _bits(a & ((1 << h) - 1)):
            if not (b >> (h - ht)) & 1:
                continue
            if not root and bound[0] is not None and floor > bound[0][0]:
                return
            first = self.best(t_mask, w, ht, top, False)
            second = self.best(u_mask, w, h - ht, False, bottom)
            base = first.cost + second.cost + own
            if self._beaten(root, bound, base, (0, ht, t_mask)):
                continue            # the pair terms only add: it cannot win
            more = falls(self._falls, first.sig, second.sig)
            self._add(cands, bound, root, (base + sum(v for _, v in more), (0, ht, t_mask),
                                           "across", first, second, ht, terms + tuple(more)))

    def _down(self, cands, bound, root, t_mask, u_mask, w, h, top, bottom):
        order = None
        for wl in range(1, w):
            if not ((self.feasible(t_mask, wl) & self.feasible(u_mask, w - wl)) >> h) & 1:
                continue
            if order is None:
                order = self._order_terms(t_mask, u_mask, W_ORDER_RIGHT)
                floor = sum(v for _, v in order) + self._lower(t_mask) + self._lower(u_mask)
            if not root and bound[0] is not None and floor > bound[0][0]:
                return
            first = self.best(t_mask, wl, h, top, bottom)
            second = self.best(u_mask, w - wl, h, top, bottom)
            if self._beaten(root, bound, first.cost + second.cost + sum(v for _, v in order),
                            (1, wl, t_mask)):
                continue            # what follows only adds: it cannot win
            terms = list(order)
            left, right = first.top_right(), second.top_left()
            if _similar(left.head_size, right.head_size):
                # 碰题: a head a step smaller on either side, or the penalty, what costs less
                fixes = []
                alt = self._smaller_head(second, "left", left.head_size)
                if alt is not None:
                    fixes.append((alt.cost - second.cost, 0, first, alt))
                alt = self._smaller_head(first, "right", right.head_size)
                if alt is not None:
                    fixes.append((alt.cost - first.cost, 1, alt, second))
                fixes.append((W_BUMP, 2, first, second))
                extra, kind, first, second = min(fixes, key=lambda f: f[:2])
                if kind == 2:
                    terms.append(("bump", W_BUMP))
                left, right = first.top_right(), second.top_left()
            if _touch(left, right):
                terms.append(("photos", W_TOUCH))
            if h == self.height and h * 2 > self.height and self.width == self.page_columns:
                terms.append(("cut", W_THROUGH))
            terms += falls(self._falls, first.sig, second.sig)
            self._add(cands, bound, root, (first.cost + second.cost + sum(v for _, v in terms),
                                           (1, wl, t_mask), "down", first, second, wl,
                                           tuple(terms)))


def _replace_corner(tree: Tree, corner: str, leaf: Leaf) -> Tree:
    """`tree` with its top-left (corner "left") or top-right ("right") leaf replaced."""
    if tree.kind == "leaf":
        return Tree("leaf", tree.cost - tree.leaf.cost + leaf.cost, leaf=leaf, terms=tree.terms)
    go_first = corner == "left" or tree.kind in ("across", "foot")
    old = (tree.first if go_first else tree.second)
    new = _replace_corner(old, corner, leaf)
    return Tree(tree.kind, tree.cost - old.cost + new.cost,
                first=new if go_first else tree.first, second=tree.second if go_first else new,
                at=tree.at, terms=tree.terms)


def _touch(left: Leaf, right: Leaf) -> bool:
    """The photos of two side-by-side modules, both at their tops, meet across the gutter."""
    if left.photo is None or right.photo is None:
        return False
    lc, ls, lr = left.places[-1]            # the rightmost of a row
    rc, _, rr = right.photo
    if lc + ls - 1 != left.span or rc != 1:
        return False
    return left.deck < right.deck + rr - 1 and right.deck < left.deck + lr - 1

