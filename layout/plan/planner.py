"""Plan a page: the free rectangles, the variants, the search, the check by composition, and
what to cut when the articles cannot all fit."""
from __future__ import annotations

from dataclasses import dataclass, field, replace

from ..errors import IssueFileError
from ..model.document import Article, Box, Issue, Page, PlanHints
from ..model.printing import issue_min_ppi
from . import measure
from .refine import PAIR_TERMS, refine
from .search import W_ORDER_DOWN, W_ORDER_RIGHT, Problem, Tree, falls
from .variants import MAX_UNDERFULL, Leaf, leaves

MAX_DIVISIONS = 6       # ways of dividing the free part of a page that are planned
MIN_REGION = 8          # a free rectangle lower than this (cell lines) is a gap, not a space
class DoesNotFit(IssueFileError):
    """The unplaced articles of a page cannot all fit: like an overflow, exit 1."""

    exit_code = 1


W_EMPTY = 2000          # a free rectangle left empty
MAX_ASSIGN = 1024       # assignments of articles to rectangles tried one by one
RETRIES = 12            # structures re-searched after the composition refused a module
W_LEAD_LOW = 1000       # the lead not in the page's first free room (top left)
W_WIDER = 150           # per column an article is wider than the lead
W_LEAD_NARROW = 40      # per column the lead is narrower than the widest it could take


@dataclass
class Placement:
    id: str
    module: Box
    photo: Box | None               # the planned photo's place, relative to the module
    head_size: float
    cap: float | None
    deck_lines: int | None          # grid lines the deck is given (air), None: as it needs
    underfull: int
    lines_needed: int
    raised: bool = False            # the head set above what the span's fitting chooses
    more: tuple[Box, ...] = ()      # the further photos' places, in their order

    @property
    def photos(self) -> tuple[Box, ...]:
        return ((self.photo,) + self.more) if self.photo is not None else ()


@dataclass
class PagePlan:
    number: int
    placements: list[Placement] = field(default_factory=list)
    terms: dict[str, int] = field(default_factory=dict)
    runner_up: dict[str, int] | None = None
    cuts: list[str] = field(default_factory=list)       # what to cut, when nothing fits
    lead_span: int = 0

    @property
    def feasible(self) -> bool:
        return not self.cuts

    @property
    def cost(self) -> int:
        return sum(self.terms.values())


def free_articles(page: Page) -> list[Article]:
    return [a for a in page.articles if a.module is None]


def importance(page: Page) -> list[Article]:
    """The page's articles most important first: `priority` where given (1 = 头条), else
    their order on the page."""
    def key(ia):
        i, a = ia
        p = a.hints.priority if a.hints and a.hints.priority else None
        return (0, p, i) if p is not None else (1, i, i)
    return [a for _, a in sorted(enumerate(page.articles), key=key)]


def fixed_boxes(issue: Issue, page: Page) -> list[Box]:
    """What the plan keeps: locked modules, ads, the masthead on page 1."""
    out = [a.module for a in page.articles if a.module is not None] + [ad.module for ad in page.ads]
    if page.number == 1:
        mh = issue.masthead
        out.append(Box(1, min(mh.span or page.geometry.columns, page.geometry.columns), 1, mh.lines))
    return out


def regions(page: Page, fixed: list[Box]) -> list[list[Box]]:
    """The ways straight cuts divide the free part of the page into rectangles (cells: a
    module and the blank line under it), each in reading order; at most MAX_DIVISIONS. A fixed
    cell in a corner leaves two ways (the room beside it full height, or the room below it full
    width). A layout no straight cuts divide is an error."""
    geo = page.geometry
    cells = [Box(b.column, b.span, b.line, b.lines + 1) for b in fixed]

    def cut(r: Box, inside: list[Box]) -> list[list[Box]]:
        if not inside:
            return [[r] if r.lines >= MIN_REGION else []]
        if len(inside) == 1 and inside[0] == Box(r.column, r.span, r.line, r.lines):
            return [[]]
        ways: list[list[Box]] = []
        for y in sorted({c.line for c in inside} | {c.line + c.lines for c in inside}):
            if r.line < y < r.line + r.lines and all(c.line >= y or c.line + c.lines <= y
                                                     for c in inside):
                top = cut(Box(r.column, r.span, r.line, y - r.line), [c for c in inside if c.line < y])
                bot = cut(Box(r.column, r.span, y, r.line + r.lines - y),
                          [c for c in inside if c.line >= y])
                ways += [a + b for a in top for b in bot]
        for x in sorted({c.column for c in inside} | {c.column + c.span for c in inside}):
            if r.column < x < r.column + r.span and all(c.column >= x or c.column + c.span <= x
                                                        for c in inside):
                left = cut(Box(r.column, x - r.column, r.line, r.lines),
                           [c for c in inside if c.column < x])
                right = cut(Box(x, r.column + r.span - x, r.line, r.lines),
                            [c for c in inside if c.column >= x])
                ways += [a + b for a in left for b in right]
        if not ways:
            c = inside[0]
            raise IssueFileError(
                f"page {page.number}: the fixed modules leave a free space the planner cannot "
                f"divide by straight cuts (around columns {c.column}–{c.column + c.span - 1}, "
                f"lines {c.line}–{c.line + c.lines - 2})", where=page.source,
                hint="give the articles there a module: by hand, or move the locked module to "
                     "an edge")
        return ways

    out: list[list[Box]] = []
    for way in cut(Box(1, geo.columns, 1, geo.lines + 1), cells):
        way = sorted(way, key=lambda b: (b.line, b.column))
        if way not in out:
            out.append(way)
    return out[:MAX_DIVISIONS]


def _check_article(art: Article) -> None:
    why = ("a continuation" if art.continued_from else
           "破栏 (columns:) with a vertical headline" if art.deck.vertical and art.columns else "")
    if why:
        raise IssueFileError(f"article {art.id!r} has no module: the planner does not place {why}",
                             where=art.source, hint="give it a module: {column, span, line, lines}")
    if any(p.place is not None for p in art.photos):
        raise IssueFileError(f"article {art.id!r} has no module but a photo with a place: a place "
                             "is relative to its module", where=art.source,
                             hint="give the article a module too, or leave out the photo's place")


def plan_page(issue: Issue, page: Page, memo: dict | None = None, house=None) -> PagePlan:
    """The plan of the page's unplaced articles. `memo`: the measure stage's, kept across the
    pages of one plan (its keys hold the widths, so pages of other geometries may share it);
    `house`: the issue's (layout/house.py), made from the issue when not given."""
    free = free_articles(page)
    plan = PagePlan(page.number)
    if not free:
        return plan
    for art in free:
        _check_article(art)
    geo = page.geometry
    order = importance(page)
    rank_of = {a.id: k for k, a in enumerate(order)}
    # 报眼 (zone: ear) is no contender for the lead: it goes beside the masthead.
    free.sort(key=lambda a: (_zone(a) == "ear", rank_of[a.id]))
    lead = next((a for a in order if _zone(a) != "ear"), order[0])
    divisions = [d for d in regions(page, fixed_boxes(issue, page)) if d]
    if not divisions:
        plan.cuts = [f"page {page.number}: no free space is left for "
                     + ", ".join(a.id for a in free)]
        return plan
    ms = measure.Measure(geo, issue, memo, house)
    min_ppi = issue_min_ppi(issue)
    jumps = {a.continued_from: pg.number for pg in issue.pages for a in pg.articles
             if a.continued_from}
    carry = {a.id: _carry(issue, ms, a) for a in free if a.id in jumps}
    banned: set[tuple[int, int, int]] = set()
    counts: dict[tuple[int, int], int] = {}     # body lines as composed, where they differ
    if lead.module is not None:
        configs = [(lead.module.span, ms.head(lead, lead.module.span).size, None)]
    else:
        # the lead takes half the page's columns or more (unless its hint says otherwise)
        spans = [s for s in _spans(lead, geo.columns) if 2 * s >= geo.columns] or list(
            _spans(lead, geo.columns))
        configs = [(s, ms.head(lead, s).size, s) for s in sorted(spans, reverse=True)]
    if lead.deck.vertical:      # a 竖题's size is set with its module: no cap from it
        configs = [(s, None, ls) for s, _, ls in configs]
    searched: dict = {}         # (division, config) → its search, kept while still valid
    made: dict = {}             # leaves by (article, span, room height, head cap, count)
    for _ in range(RETRIES):
        found = []
        for d, rooms in enumerate(divisions):
            for top_span, head, lead_span in configs:
                key = (d, top_span)
                if key not in searched:
                    searched[key] = _search(ms, page, free, rank_of, rooms, top_span, head,
                                            lead_span, banned, min_ppi, carry, counts, made)
                got = searched[key]
                if got is not None:
                    found.append([got[0], top_span, got[1], dict(got[2]), got[3], key])
        widest = max((f[1] for f in found), default=0)
        for f in found:             # the lead as wide as it can be
            if f[1] < widest and lead.module is None:
                f[3] = dict(f[3], lead=W_LEAD_NARROW * (widest - f[1]))
                f[0] += f[3]["lead"]
        if not found:
            plan.cuts = cut_advice(ms, page, free, divisions[0])
            return plan
        for f in found:             # heads settled on the whole page (refine.py)
            f.append(f[3])          # f[6]: the search's own extra terms
            f[0], f[3] = _refined(f[2], f[3], f[4], problems_rank(free, rank_of))
        found.sort(key=lambda f: (f[0], -f[1]))
        cost, top_span, layouts, (cells, terms), table = found[0][:5]
        placements, bad, swapped = _verify(issue, page, free, cells, jumps, table, ms.house)
        if bad:
            # A paragraph re-set against a widow changed the count: search again with the
            # count the composition found, and without the module it refused.
            for i, s, cell, needed in bad:
                banned.add((i, s, cell))
                counts[(i, s)] = max(counts.get((i, s), 0), needed)
            # searched again: where the layout found used an article's leaves at a span
            # whose count changed. The other searches stand (striking leaves they did not
            # use cannot change them; the changed count might offer them other leaves: a
            # bounded approximation, for time)
            touched = {(i, s) for i, s, _, _ in bad}
            for f in found:
                if any((leaf.index, leaf.span) in touched
                       for room, tree, _ in f[2]
                       for leaf, _, _ in tree.leaves(room.column, room.line, room.span,
                                                     room.lines)):
                    searched.pop(f[5], None)
            continue
        plan.placements = placements
        plan.lead_span = top_span
        plan.terms = terms
        for old, new in swapped:        # leaves the composition made us take instead
            for k, v in old.terms:      # (a term of 0 is not kept in plan.terms)
                plan.terms[k] = plan.terms.get(k, 0) - v
            for k, v in new.terms:
                plan.terms[k] = plan.terms.get(k, 0) + v
        plan.terms = {k: v for k, v in plan.terms.items() if v}
        plan.runner_up = _runner_up(found, free, rank_of)
        return plan
    raise IssueFileError(f"page {page.number}: no plan the composition accepts was found",
                         where=page.source, hint="give some of the articles a module by hand")


def _carry(issue: Issue, ms: measure.Measure, art: Article) -> tuple[int, int]:
    """The body slots a jumped article's first part may have so that its continuation is
    filled to within MAX_UNDERFULL lines: the first part keeps slots − 1 lines and its 下转
    line, the continuation takes a 上接 line and the rest."""
    for pg in issue.pages:
        for c in pg.articles:
            if c.continued_from == art.id and c.module is not None:
                room = measure.compose_in(issue, pg, c, ms.house).lines_available
                n = ms.body_lines(art)
                return n + 2 - room, n + 2 - room + MAX_UNDERFULL
    return 1, 1 << 30


def _zone(art: Article) -> str:
    return art.hints.zone if art.hints else ""


def _spans(art: Article, columns: int) -> range:
    h = art.hints
    lo, hi = (h.span if h and h.span else (1, columns))
    return range(max(1, lo), min(columns, hi) + 1)


def _search(ms, page, free, rank_of, rooms, top_span, head, lead_span, banned, min_ppi, carry,
            counts, made):
    """The best layout of every room for one choice of the lead's span: (cost, [(room, tree,
    runner-up tree or None)]) or None. The lead goes into the main room; the others into
    any room (every split tried while there are few, else runs of the importance order)."""
    geo = page.geometry
    n = len(free)
    table = []
    for i, art in enumerate(free):
        row = {}
        is_lead = lead_span is not None and i == 0
        for s in ([lead_span] if is_lead else _spans(art, geo.columns)):
            key = (i, s, max(r.lines for r in rooms), None if is_lead else head,
                   counts.get((i, s)))
            if key not in made:         # the same leaves for every lead span they agree on
                made[key] = leaves(ms, art, i, s, key[2], key[3],
                                   photo_span=art.hints.photo_span if art.hints else None,
                                   min_ppi=min_ppi, jumps=carry.get(art.id), lines=key[4],
                                   smaller=not is_lead)
            ls = made[key]
            ls = {h: alts for h, alts in ls.items() if (i, s, h) not in banned}
            if s > top_span:        # wider than the lead: a band at the foot, at a price
                wide = ("lead", W_WIDER * (s - top_span))
                ls = {h: [replace(lf, terms=lf.terms + (wide,)) for lf in alts]
                      for h, alts in ls.items()}
            if ls:
                row[s] = ls
        table.append(row)
    rank = [rank_of[a.id] for a in free]
    zones = [a.hints.zone if a.hints else "" for a in free]
    index_of = {a.id: i for i, a in enumerate(free)}
    keep = [0] * n
    for i, a in enumerate(free):
        j = index_of.get(a.hints.keep_with) if a.hints and a.hints.keep_with else None
        if j is not None:
            keep[i] |= 1 << j
            keep[j] |= 1 << i
    problems = [Problem(table, rank, r.span, r.lines, geo.columns, zones,
                        keep if any(keep) else []) for r in rooms]
    # 报眼 rooms: beside the masthead on page 1; only a zone: ear article goes there, and it
    # takes part in no reading order.
    ears = {k for k, r in enumerate(rooms)
            if page.number == 1 and r.line == 1 and 2 * r.span < geo.columns}
    mains = [k for k in range(len(rooms)) if k not in ears] or [0]
    if zones and zones[0] == "ear":             # only the 报眼 to place
        mains = sorted(ears) or mains
    best = None
    seen = set()
    for main in mains:
        for where in _assignments(n, len(rooms), main):
            if where in seen or any((zones[i] == "ear") != (where[i] in ears) for i in range(n)):
                continue
            seen.add(where)
            extra = _room_order(rooms, where, rank, ears)
            if main != mains[0] and lead_span is not None:
                extra["lead"] = W_LEAD_LOW          # the lead not in the first room
            empty = len(rooms) - len(set(where))
            if empty:
                extra["white"] = W_EMPTY * empty
            total, parts = sum(extra.values()), []
            if best is not None and total >= best[0]:
                continue
            for k, (room, prob) in enumerate(zip(rooms, problems)):
                mask = sum(1 << i for i in range(n) if where[i] == k)
                if not mask:
                    continue
                opts = prob.solve(mask)
                if not opts:
                    break
                total += opts[0].cost
                parts.append((room, opts[0], opts[1] if len(opts) > 1 else None))
            else:
                for k, (_, a, _) in enumerate(parts):      # heads and area across rooms
                    for _, b, _ in parts[k + 1:]:
                        for name, v in falls(problems[0]._falls, a.sig, b.sig):
                            extra[name] = extra.get(name, 0) + v
                            total += v
                if best is None or total < best[0]:
                    best = (total, parts, extra, table)
    return best


def _room_order(rooms, where, rank, ears) -> dict[str, int]:
    """区序 across rooms: a more important article in a room below (or right of) another's."""
    bad = 0
    for i, ri in enumerate(where):
        for j, rj in enumerate(where):
            if ri == rj or ri in ears or rj in ears or rank[i] >= rank[j]:
                continue
            a, b = rooms[ri], rooms[rj]          # i outranks j, yet sits below or right of it
            if a.line >= b.line + b.lines:
                bad += W_ORDER_DOWN
            elif a.line >= b.line and a.column > b.column:
                bad += W_ORDER_RIGHT
    return {"order": bad} if bad else {}


def _assignments(n: int, k: int, main: int):
    """Room of each article (the lead, article 0, in the main room), in a fixed order: every
    assignment while there are at most MAX_ASSIGN, else runs of the importance order."""
    import itertools

    if k == 1:
        yield (0,) * n
        return
    if k ** (n - 1) <= MAX_ASSIGN:
        for rest in itertools.product(range(k), repeat=n - 1):
            yield (main,) + rest
        return
    order = [main] + [r for r in range(k) if r != main]
    for split in _splits(n, k):
        where = [0] * n
        for r, (a, b) in zip(order, split):
            for i in range(a, b):
                where[i] = r
        yield tuple(where)


def _splits(n: int, k: int):
    """Ways to cut range(n) into k non-empty consecutive runs, as (start, end) pairs."""
    if k == 1:
        yield [(0, n)]
        return
    for first in range(1, n - k + 2):
        for rest in _splits(n - first, k - 1):
            yield [(0, first)] + [(a + first, b + first) for a, b in rest]


def _verify(issue, page, free, cells, jumps, table, house):
    """Compose every planned article in its cell: the first of the cell's leaves (cheapest
    first) the composition accepts. The placements, the cells none was accepted in, and the
    (planned, taken) leaves where another than the cheapest was taken."""
    out, bad, swapped = [], set(), []
    for leaf, col, line in cells:
        art = free[leaf.index]
        alts = [leaf] + [a for a in table[leaf.index][leaf.span][leaf.cell]
                         if a is not leaf and a.head_size == leaf.head_size]
        for alt in alts:
            module = Box(col, alt.span, line, alt.lines)
            photos = tuple(Box(c, s, 1, n) for c, s, n in alt.places)
            rep = measure.compose_in(issue, page, measure.placed(
                art, module, photos, alt.cap, alt.deck if alt.air else None,
                jumps.get(art.id, 0), alt.raised), house)
            if not (rep.overflow_lines or rep.underfull_lines > MAX_UNDERFULL
                    or not rep.deck_fits or rep.widows or rep.strips):
                break
        else:
            bad.add((leaf.index, leaf.span, leaf.cell, rep.lines_needed))
            continue
        if alt is not leaf:
            swapped.append((leaf, alt))
        out.append(Placement(art.id, module, photos[0] if photos else None, rep.headline_size,
                             alt.cap, alt.deck if alt.air else None,
                             rep.underfull_lines, rep.lines_needed, alt.raised, photos[1:]))
    return out, bad, swapped


def problems_rank(free, rank_of) -> list:
    """Each free article's rank for the pair terms; None for the 报眼 (no part in them)."""
    return [None if _zone(a) == "ear" else rank_of[a.id] for a in free]


def _cells(layouts) -> list:
    return [c for room, tree, _ in layouts
            for c in tree.leaves(room.column, room.line, room.span, room.lines)]


def _refined(layouts, extra, table, rank) -> tuple[int, tuple[list, dict[str, int]]]:
    """A layout's cost and (cells, score terms) once its heads are refined on the whole page:
    the search's own pair terms replaced by the page's (refine.page_terms)."""
    cells, pair = refine(_cells(layouts), table, rank)
    out = {k: v for k, v in extra.items() if k not in PAIR_TERMS}
    for _, tree, _ in layouts:
        stack = [tree]
        while stack:
            t = stack.pop()
            for k, v in t.terms:
                if k not in PAIR_TERMS:
                    out[k] = out.get(k, 0) + v
            stack += [x for x in (t.first, t.second) if x is not None]
    for leaf, _, _ in cells:
        for k, v in leaf.terms:
            out[k] = out.get(k, 0) + v
    for k, v in pair.items():
        out[k] = out.get(k, 0) + v
    out = {k: v for k, v in out.items() if v}
    return sum(out.values()), (cells, out)


def _runner_up(found, free, rank_of) -> dict[str, int] | None:
    """The score terms of the next best layout: another root split of the first room, or the
    best layout for another span of the lead."""
    cands = []
    layouts, extra, table = found[0][2], found[0][3], found[0][4]
    if layouts[0][2] is not None:
        alt = [(layouts[0][0], layouts[0][2], None)] + layouts[1:]
        # the first entry's own extra terms, before refinement, are its search's
        cands.append(_refined(alt, found[0][6], table, problems_rank(free, rank_of)))
    if len(found) > 1:
        cands.append((found[1][0], found[1][3]))
    return min(cands, key=lambda c: c[0])[1][1] if cands else None


def cut_advice(ms: measure.Measure, page: Page, free: list[Article],
               rooms: list[Box]) -> list[str]:
    """Why the articles cannot all fit, and what the editor may do. Too much text: for the
    least important articles first, about how many characters to cut from the end (约 N 字),
    or the last paragraph when that is about as much. Too little: how much is missing. The
    plan never cuts or pads by itself."""
    geo = page.geometry
    room = sum(r.span * (r.lines - 1) for r in rooms)
    need = []
    for art in free:
        n = ms.body_lines(art)
        span = max(1, min(_spans(art, geo.columns)[-1], 3))
        photo = 0
        if art.photos:
            pic, cap = ms.photo_rows(art, art.photos[0], 2)[:2]
            photo = 2 * (pic + cap + 1)
        need.append((art, n, ms.head(art, span).rows * span + photo))
    total = sum(n + d for _, n, d in need)
    if total < room * 0.9:
        short = room - total
        return [f"page {page.number}: the articles fill about {total} of the {room} column "
                f"lines free, about {short * geo.chars_per_column} characters too little to "
                "fill it without holes: add copy, a photo or an article, or place some by hand"]
    over = max(1, total - int(room * 0.9))
    out = []
    for art, n, _ in reversed(need):
        if over <= 0:
            break
        take = min(over, n // 2)
        if take <= 0:
            continue
        last = art.paragraphs[-1] if art.paragraphs else ""
        chars = take * geo.chars_per_column
        par = f"，或删去末段（{len(last)} 字）" if last and abs(len(last) - chars) <= chars // 2 else ""
        out.append(f"{art.id}: 删约 {chars} 字{par} (cut about {chars} characters from the end)")
        over -= take
    if not out:
        out.append(f"page {page.number}: the articles do not fit the free space; give some of "
                   "them a module by hand or move one to another page")
    return out


def plan_issue(issue: Issue) -> tuple[Issue, list[PagePlan]]:
    """The issue with every unplaced article placed, and the plan of each page that had one.
    A page whose articles cannot all fit is an error that says what to cut."""
    from ..house import House

    house = House.of(issue)             # measured in the faces and styles the pages are set in
    plans, pages, memo = [], [], {}
    for page in issue.pages:
        plan = plan_page(issue, page, memo, house)
        if plan.placements or plan.cuts:
            plans.append(plan)
        pages.append(apply(page, plan) if plan.feasible else page)
    return replace(issue, pages=tuple(pages)), plans


def apply(page: Page, plan: PagePlan) -> Page:
    """The page with the plan's modules, photo places and headline sizes filled in."""
    by_id = {p.id: p for p in plan.placements}
    arts = []
    for art in page.articles:
        p = by_id.get(art.id)
        if p is None:
            arts.append(art)
            continue
        art = measure.placed(art, p.module, p.photos, None)
        if p.cap is not None:
            art = replace(art, deck=replace(art.deck, headline_size=p.head_size))
        if p.deck_lines is not None:
            art = replace(art, deck=replace(art.deck, lines=p.deck_lines))
        arts.append(art)
    return replace(page, articles=tuple(arts))
