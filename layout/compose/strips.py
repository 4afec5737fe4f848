"""碎栏 resolved in hand-made modules (issue 16 item 5).

A strip of fewer than MIN_STRIP text lines under (or over) a photo reads as a few lines cut off
from the rest. Where a module the editor placed leaves one, the composition tries, for that
photo, every picture height within its crop limits — taller, so that the strip's columns become
picture and their text moves on (up to the module's foot), or shorter, so that the strip grows
to MIN_STRIP lines — and with each, when the text then runs over or leaves the module emptier,
up to MAX_RESETS paragraphs set a line shorter or longer (`Body.reset`, as the flow does
against 孤行). It takes the trial that leaves no strip at the photo, no new strip, no overflow,
no more widows or loose lines, and no more empty lines than before or than the check allows —
the fewest paragraphs re-set, then the smallest change of the picture. What was done is
reported (`Resolution`, `paiban check`'s `strip-resolved`, the build's summary); when nothing
works — or the text runs over, which the editor cuts first — the strip stays and `check`
reports it (`short-strip`).

Limits, as the planner's (`plan/variants.py`): the picture between 0.8 and 1.5 times the height
its own aspect gives at its width, at least MIN_PICTURE lines, and its resolution in the frame
at least the issue's `print: min_ppi` (else 200; a shorter frame never lowers it). Only a single
picture cropped to fill its frame (`fit: cover`) is resized: a chart under `contain` would only
gain air, and a 组图's pictures share the height. A photo marked `strips: keep` stays as placed;
continuations and articles that jump are left alone (their text moves on to another page).

First, a picture under `fit: contain` that leaves whole lines of its frame empty gives them up
where the text takes them as well as before (by the same measure); else it stands at its
frame's foot (`model/placement.contained`).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
from itertools import islice
from typing import TYPE_CHECKING

from ..flow.article import Fare, pour_article
from ..flow.columns import MIN_STRIP
from ..model.document import Box, Geometry, Issue
from ..model.placement import CROP, MIN_PICTURE, contained_rows, image_rows, picture_aspect
from ..model.printing import issue_min_ppi

if TYPE_CHECKING:
    from ..house import House

MAX_RESETS = 2     # paragraphs a trial may set a line shorter or longer
MAX_HEIGHTS = 24   # picture heights tried per photo, nearest the editor's first (bounded time)


@dataclass(frozen=True)
class Resolution:
    """A strip resolved: the photo (from 1), where its strip was, what was changed."""
    photo: int
    side: str                     # under | over
    first: int                    # grid columns of the strip
    last: int
    lines: int                    # text lines the strip had
    change: int                   # grid lines the picture was made taller (< 0: shorter)
    resets: tuple[tuple[int, int], ...] = ()    # (paragraph from 1, +1 longer | −1 shorter)


def resolution_text(r: Resolution) -> str:
    """What an editor reads: 碎栏已处理：图1下第1–2栏原剩 2 行，图1加高 2 行，第3段紧排一行."""
    cols = f"{r.first}" if r.first == r.last else f"{r.first}–{r.last}"
    zh, en = [], []
    if r.change:
        n = abs(r.change)
        zh.append(f"图{r.photo}{'加高' if r.change > 0 else '减高'} {n} 行")
        en.append(f"photo {r.photo} made {n} line{'s' if n != 1 else ''} "
                  f"{'taller' if r.change > 0 else 'shorter'}")
    for para, d in r.resets:
        zh.append(f"第{para}段{'紧排' if d < 0 else '松排'}一行")
        en.append(f"paragraph {para} set one line {'shorter' if d < 0 else 'longer'}")
    where = "下" if r.side == "under" else "上"
    return (f"碎栏已处理：图{r.photo}{where}第{cols}栏原剩 {r.lines} 行，{'，'.join(zh)} (short strip "
            f"resolved: {r.lines} text line{'s' if r.lines != 1 else ''} {r.side} photo "
            f"{r.photo} in column{'s' if r.first != r.last else ''} {cols}; {', '.join(en)})")


def resolution_data(r: Resolution) -> dict:
    """The figures of `paiban check`'s strip-resolved finding (docs/check-report.schema.json)."""
    return {"photo": r.photo, "side": r.side, "grid_columns": [r.first, r.last],
            "lines": r.lines, "change": r.change,
            "paragraphs": [{"paragraph": p, "lines": d} for p, d in r.resets]}


def photo_box(area: Box, ph, deck_rows: int) -> Box:
    """The grid lines and columns a measured photo (`PhotoContent`) takes in its module: picture,
    caption and the blank line below."""
    pl = ph.place
    return Box(area.column + pl.column - 1, pl.span, area.line + deck_rows + pl.line - 1, ph.rows)


def resolve_strips(geo: Geometry, issue: Issue, content, area: Box, x: float, deck_rows: int,
                   blocked: list[Box], page: int, *, house: "House") -> list[Resolution]:
    """Resolve the 碎栏 of a hand-made article before it is placed: `content`'s photos and body
    are replaced by the ones resolved (its deck is set, `blocked` holds a vertical head)."""
    art = content.article
    if content.source or art.continued_on or content.body is None or not content.photos:
        return []

    def trial(photos, body) -> Fare:
        boxes = [photo_box(area, p, deck_rows) for p in photos]
        return pour_article(geo, area, x, content.inset, art, deck_rows, blocked + boxes, boxes,
                            body, page=page, width=content.column_width, house=house)

    from ..checks.report import UNDERFULL_LINES         # the check's threshold, one definition

    base = trial(content.photos, content.body.copy())
    for k, ph in enumerate(content.photos):
        # `fit: contain`: the frame gives up the whole lines the picture leaves empty where the
        # text takes them as well as before (else the picture stands at its frame's foot)
        if ph.photo.fit != "contain" or not _resizable(ph, "contain"):
            continue
        rows = contained_rows(geo, ph.image_rows, ph.width, picture_aspect(ph.photo.file))
        if rows >= ph.image_rows:
            continue
        moved = _resized(ph, rows, "under")
        photos = content.photos[:k] + [moved] + content.photos[k + 1:]
        fare = trial(photos, content.body.copy())
        if _better(fare, base, -1, len(base.strips), max(base.underfull, UNDERFULL_LINES)):
            content.photos[k], base = moved, fare
    done: list[Resolution] = []
    ranked: dict[int, list[tuple[float, int]]] = {}
    # text that runs over is the editor's to cut first: its strips are only reported
    for k in sorted({s[0] for s in base.strips}) if not base.overflow else ():
        ph = content.photos[k]
        mine = [s for s in base.strips if s[0] == k]
        if not _resizable(ph):
            continue
        room = max(base.underfull, UNDERFULL_LINES)
        best = None
        for rows in islice(_heights(geo, issue, ph), MAX_HEIGHTS):
            moved = _resized(ph, rows, mine[0][1])
            if moved is None or not _free(area, deck_rows, content.photos, k, moved, blocked):
                continue
            photos = content.photos[:k] + [moved] + content.photos[k + 1:]
            fare, body, resets = trial(photos, content.body.copy()), None, ()
            for resets in _resets(content.body, ranked, fare, room):
                body = content.body.copy()
                if resets and not all(body.reset(p, d) for p, d in resets):
                    continue
                fare = trial(photos, body) if resets else fare
                if _better(fare, base, k, len(base.strips) - len(mine), room):
                    key = (len(resets), abs(rows - ph.image_rows), fare.underfull, rows)
                    if best is None or key < best[0]:
                        best = (key, moved, body, resets, rows - ph.image_rows)
                    break
        if best is None:
            continue
        _, moved, body, resets, change = best
        content.photos[k] = moved
        content.body = body
        done.append(Resolution(k + 1, mine[0][1], min(s[2] for s in mine),
                               max(s[3] for s in mine), min(s[4] for s in mine), change,
                               tuple((p + 1, d) for p, d in resets)))
        base = trial(content.photos, content.body.copy())
        ranked = {}                      # the body has changed: its paragraphs ranked again
    return done


def _resizable(ph, fit: str = "cover") -> bool:
    p = ph.photo
    return p.strips != "keep" and p.fit == fit and not p.group and ph.place is not None


def _heights(geo: Geometry, issue: Issue, ph):
    """Picture heights (grid lines) to try, nearest the present first, within the crop limits
    and the resolution floor."""
    p = ph.photo
    beside = p.caption_side != "below"
    natural = image_rows(geo, ph.place.span - 1 if beside else ph.place.span,
                         picture_aspect(p.file))
    rows = [r for r, _ in ph.caption]
    need = max(rows) - min(rows) + 1 if beside and rows else 0     # a caption beside: its lines
    lo = max(MIN_PICTURE, math.floor(natural * (1 - CROP[0])), need)
    hi = math.ceil(natural * (1 + CROP[1]))
    cur = ph.image_rows
    lo, hi = min(lo, cur), max(hi, cur)       # never further off than the editor set it
    floor = issue_min_ppi(issue)
    now = _ppi(geo, ph, cur)
    for rows in sorted(range(lo, hi + 1), key=lambda r: (abs(r - cur), r)):
        if rows != cur and _ppi(geo, ph, rows) >= min(floor, now) - 0.5:
            yield rows


def _ppi(geo: Geometry, ph, rows: int) -> float:
    """The picture's resolution in a frame of `rows` grid lines, cropped to fill it."""
    from ..output.images import frame_ppi

    return frame_ppi(ph.photo.file, ph.width, (rows - 1) * geo.line_pitch + geo.body_size,
                     ph.photo.focus)


def _resized(ph, rows: int, side: str):
    """The photo with a picture of `rows` lines: its foot moved (a strip under it) or its top
    (a strip over it); None when its top would leave the module."""
    d = rows - ph.image_rows
    place = ph.place
    if side == "over":
        if place.line - d < 1:
            return None
        place = replace(place, line=place.line - d)
    place = replace(place, lines=place.lines + d if place.lines else 0)
    return replace(ph, photo=replace(ph.photo, place=place), place=place, image_rows=rows,
                   caption=[(r + d, ln) for r, ln in ph.caption])


def _free(area: Box, deck_rows: int, photos, k: int, moved, blocked: list[Box]) -> bool:
    """The resized photo stays in its module and off the other photos and a vertical head."""
    box = photo_box(area, moved, deck_rows)
    if moved.image_rows + moved.caption_rows > area.last_line - box.line + 1:
        return False
    pic = Box(box.column, box.span, box.line, box.lines - 1)      # its blank line may touch
    others = [photo_box(area, p, deck_rows) for i, p in enumerate(photos) if i != k] + blocked
    return not any(pic.overlaps(o) for o in others)


def _resets(body, ranked: dict, fare: Fare, room: int):
    """Paragraph re-settings to try with a height: none; when the text runs over (or leaves
    more than `room` lines empty), that many paragraphs a line shorter (longer), cheapest first;
    when it fits but a strip stays, one or two either way. `ranked` keeps, per direction, the
    paragraphs that can be re-set by what it costs."""
    yield ()
    if fare.overflow:
        wants = [(-1, fare.overflow)]
    elif fare.underfull > room:
        wants = [(+1, fare.underfull - room)]
    elif fare.strips:
        wants = [(d, n) for d in (-1, +1) for n in range(1, MAX_RESETS + 1)]
    else:
        return
    for d, n in wants:
        if n > MAX_RESETS:
            continue
        if d not in ranked:
            ranked[d] = []
            for p, lines in enumerate(body.paragraphs):
                alt = body.variant(p, d)
                if alt is not None and len(alt) == len(lines) + d:
                    ranked[d].append((sum(ln.cost for ln in alt) - sum(ln.cost for ln in lines), p))
            ranked[d].sort()
        if len(ranked[d]) >= n:
            yield tuple(sorted((p, d) for _, p in ranked[d][:n]))


def _better(fare: Fare, base: Fare, k: int, others: int, room: int) -> bool:
    """No strip at photo `k`, none new elsewhere, no overflow, and nothing else worse."""
    return (not any(s[0] == k for s in fare.strips) and len(fare.strips) <= others
            and not fare.overflow and fare.underfull <= room and fare.widows <= base.widows
            and fare.loose <= base.loose)
