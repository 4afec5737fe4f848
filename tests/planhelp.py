"""Helpers for the planner's tests: a composed page read for the rules an art director checks
(碎栏, 碰题, overlaps), from the composed lines, never from the plan's own figures."""
from __future__ import annotations

from collections import defaultdict

from layout.model.document import Box


def strips_under_photos(cp) -> list[tuple[str, int]]:
    """(article, body lines) of each column strip under a photo: the body lines drawn below the
    picture's frame in the picture's columns, per grid column."""
    geo = cp.page.geometry
    out = []
    for pic in cp.pictures:
        art = next((a for a in cp.page.articles if a.id == pic.article), None)
        if art is None:
            continue
        pitch = geo.column_width + geo.gutter
        first = int((pic.x - geo.margin_left + 0.5) // pitch) + 1
        last = int((pic.x + pic.width - geo.margin_left - 0.5) // pitch) + 1
        per_col: dict[int, int] = defaultdict(int)
        for ln in cp.lines:
            if ln.article != art.id or ln.kind != "body" or ln.baseline <= pic.y + pic.height:
                continue
            col = int((ln.x - geo.margin_left + 0.5) // pitch) + 1
            if first <= col <= last:
                per_col[col] += 1
        out += [(art.id, n) for _, n in sorted(per_col.items())]
    return out


def heads(cp) -> dict[str, tuple[float, float]]:
    """article → (top of its main headline, its size), read from the drawn lines."""
    out = {}
    for ln in cp.lines:
        if ln.kind == "headline" and ln.glyphs:
            top = ln.baseline - ln.glyphs[0].size
            if ln.article not in out or top < out[ln.article][0]:
                out[ln.article] = (top, ln.glyphs[0].size)
    return out


def bumps(cp, ratio: float = 0.8) -> list[tuple[str, str]]:
    """碰题: side-by-side modules whose headlines of similar size stand at the same height."""
    hs = heads(cp)
    mods = {a.id: a.module for a in cp.page.articles}
    out = []
    for a, (ta, sa) in hs.items():
        for b, (tb, sb) in hs.items():
            ma, mb = mods[a], mods[b]
            side = mb.column == ma.last_column + 1 and not (
                mb.last_line < ma.line or ma.last_line < mb.line)
            if side and abs(ta - tb) < max(sa, sb) and min(sa, sb) >= ratio * max(sa, sb):
                out.append((a, b))
    return out


def falling(cp, order: list[str]) -> tuple[int, int]:
    """(pairs whose less important article has the larger headline, pairs whose less important
    article has the larger module) among the articles `order` names, most important first:
    sizes read from the drawn headline lines, areas from the composed page's modules."""
    hs = heads(cp)
    mods = {a.id: a.module for a in cp.page.articles}
    size = {a: hs[a][1] for a in order if a in hs}
    heads_up = area_up = 0
    for k, a in enumerate(order):
        for b in order[k + 1:]:
            heads_up += size.get(b, 0) > size.get(a, 0)
            area_up += mods[b].span * mods[b].lines > mods[a].span * mods[a].lines
    return heads_up, area_up


def overlaps(boxes: list[Box]) -> list[tuple[Box, Box]]:
    return [(a, b) for i, a in enumerate(boxes) for b in boxes[i + 1:] if a.overlaps(b)]
