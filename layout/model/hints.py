"""The planner's hints in an issue file (docs/planning.md): read and checked, each error located.

An article: `priority: 1` (1 = 头条), `span: 3` or `span: [3, 5]`, `zone: top|bottom|ear` (ear: the 报眼 beside the masthead),
`keep_with: ID` (a sidebar beside another article of the page). A photo: `span: 2` or
`span: [2, 3]`. A hint that contradicts what the file fixes (a module of another span) is an
error, as is a hint the planner does not know.
"""
from __future__ import annotations

from .document import Article, Box, PlanHints

ARTICLE_HINTS = {"priority", "span", "zone", "keep_with"}
PHOTO_HINTS = {"span"}
ZONES = ("top", "bottom", "ear")     # ear: 报眼, beside the masthead on page 1


def span_range(ctx, m, key: str, what: str, columns: int) -> tuple[int, int] | None:
    """`span: 3` or `span: [2, 4]`, within the page's columns."""
    v = m.get(key)
    if v is None:
        return None
    if isinstance(v, int) and not isinstance(v, bool):
        v = [v, v]
    if (not isinstance(v, list) or len(v) != 2
            or not all(isinstance(x, int) and not isinstance(x, bool) for x in v)):
        ctx.fail(f"{what}: {key} must be a number of columns or a range [lowest, highest]",
                 ctx.at(m, key), f"for example {key}: [2, 4]")
    lo, hi = v
    if not 1 <= lo <= hi <= columns:
        ctx.fail(f"{what}: {key} [{lo}, {hi}] is not a range of columns 1 … {columns}",
                 ctx.at(m, key), "write the lowest first; a page has "
                 f"{columns} columns")
    return lo, hi


def article_hints(ctx, a, what: str, module: Box | None, columns: int,
                  photo_spans: list[tuple[int, int] | None]) -> PlanHints | None:
    if not any(k in a for k in ARTICLE_HINTS) and not any(photo_spans):
        return None
    priority = ctx.integer(a, "priority", what, 1, 999) if a.get("priority") is not None else 0
    span = span_range(ctx, a, "span", what, columns)
    zone = ctx.text(a, "zone", what)
    if zone and zone not in ZONES:
        ctx.fail(f"{what}: zone {zone!r} is not one of {', '.join(ZONES)}", ctx.at(a, "zone"))
    if span and module is not None and not span[0] <= module.span <= span[1]:
        ctx.fail(f"{what}: span {list(span)} contradicts its module's span {module.span}",
                 ctx.at(a, "span"), "leave out the module to have it planned, or the span hint")
    ph = next((p for p in photo_spans if p), None)
    if ph and span and ph[0] > span[1]:
        ctx.fail(f"{what}: a photo of at least {ph[0]} columns does not fit a module of at most "
                 f"{span[1]}", ctx.at(a, "span"), "widen the span range or narrow the photo's")
    marks = tuple((k, ctx.src(ctx.at(a, k))) for k in ("keep_with", "priority") if k in a)
    return PlanHints(priority=priority, span=span, zone=zone,
                     keep_with=ctx.text(a, "keep_with", what), photo_span=ph, marks=marks)


def check_page_hints(ctx, articles: list[Article]) -> None:
    """Hints that name other articles of the page: keep_with, and priorities given twice."""
    ids = {a.id for a in articles}
    seen: dict[int, str] = {}
    for a in articles:
        h = a.hints
        if h is None:
            continue
        if h.keep_with and (h.keep_with not in ids or h.keep_with == a.id):
            ctx.fail(f"article {a.id!r}: keep_with {h.keep_with!r} is not another article of "
                     "its page", _mark(h, "keep_with"), "name the id of an article on the same page")
        if h.priority:
            if h.priority in seen:
                ctx.fail(f"article {a.id!r}: priority {h.priority} is given to {seen[h.priority]!r} "
                         "too", _mark(h, "priority"), "give each article its own priority (1 = 头条)")
            seen[h.priority] = a.id


def _mark(h: PlanHints, key: str):
    s = dict(h.marks).get(key)
    return (s.line, s.column) if s and s.line else None
