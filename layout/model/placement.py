"""Placement checks on a loaded issue, and the links between the parts of a jumped article.

Errors name the module ids and point at the file line of the module at fault:
  - a module on page 1 that reaches into the masthead (报头);
  - a photo that leaves its module (its height by aspect ratio included) or overlaps another
    photo of the module or the vertical headline's columns;
  - a continuation (`continued_from`) whose article is unknown, not on an earlier page, itself
    a continuation, or continued twice.
Overlapping modules and modules that leave the type area are refused while loading
(load.py); a value that is not a whole grid unit (off the grid) is refused there too.
"""
from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

from ..errors import IssueFileError
from .document import Article, Box, Geometry, Issue, Photo

# How far a photo's picture may be cropped off its own aspect, as a share of that height (less,
# more): the planner's photo variants and the 碎栏 resolution of hand-made modules keep to it.
CROP = (0.2, 0.5)
MIN_PICTURE = 5         # fewest grid lines a picture takes


def image_rows(geo: Geometry, span: int, aspect: float) -> int:
    """Grid lines a picture `span` columns wide and of width/height `aspect` takes: its frame
    runs from the first line's em-box top to the last line's em-box bottom."""
    height = geo.span_width(span) / aspect
    return max(1, round((height - geo.body_size) / geo.line_pitch) + 1)


def photo_aspect(photo: Photo) -> float:
    """The photo's aspect: the one the issue file gives, or the image's own as shown (its EXIF
    orientation applied; the loader's inspection, remembered)."""
    return photo.aspect or sum(picture_aspect(f) for f in photo.files)


def picture_aspect(file) -> float:
    """A picture's own aspect as shown (its EXIF orientation applied; the loader's
    inspection, remembered), whatever the issue file gives for its frame."""
    from .photos import inspect_photo

    info = inspect_photo(file)
    return info.width / info.height if info.height else 1.0


def contained(x: float, y: float, w: float, h: float, aspect: float):
    """`fit: contain`: the largest box of `aspect` (width / height) inside the frame x, y, w, h —
    the whole picture, letterboxed, nothing cropped (charts, maps): centred across, at the
    frame's foot, so that its caption follows it (what is left of a line stays above)."""
    if aspect > w / h:
        ch = w / aspect
        return x, y + h - ch, w, ch
    cw = h * aspect
    return x + (w - cw) / 2, y, cw, h


def contained_rows(geo: Geometry, rows: int, width: float, aspect: float) -> int:
    """`fit: contain`: the grid lines of a frame `rows` lines high and `width` pt wide once it
    gives up the whole lines a picture of `aspect` leaves empty (at least 3)."""
    need = max(1, math.ceil((width / aspect - geo.body_size) / geo.line_pitch - 1e-6) + 1)
    return max(3, min(rows, need))


def photo_lines(geo: Geometry, photo: Photo, default_span: int) -> int:
    """The photo's drawn height in lines when `place` has no `lines`: the picture by its
    aspect and one caption line at least (compose knows the caption's lines and checks again)."""
    span = photo.place.span if photo.place else default_span
    return image_rows(geo, span, photo_aspect(photo)) + (1 if (photo.caption or photo.credit) else 0)


def _fail(message: str, where, hint: str = ""):
    raise IssueFileError(message, where=where, hint=hint)


def photo_past_foot(art: Article, photo: Photo, need: int, left: int, deck_rows: int | None = None
                    ) -> None:
    """The error for a photo whose picture and caption, `need` lines from its place's `line`
    on, run past the `left` lines its module has below the deck: located at the photo's
    place, with the lines it needs and the lines there are.
    `deck_rows` None: checked while loading, before the deck is set (a first fence; the
    composition checks again with the deck and the caption as set)."""
    pl = photo.place or Box(1, 1, 1, 0)
    room = left - pl.line + 1
    if need <= room:
        return
    below = "" if deck_rows is None else f" below its {deck_rows}-line deck"
    fix = f"give the place `lines: {room}` (the picture is cropped to fit)" if room >= 5 else \
        "start the photo higher (line:)"
    _fail(f"a photo of {art.id!r} ({Path(photo.file).name}) leaves its module: from line "
          f"{pl.line} it needs {need} lines for the picture and its caption, the module has "
          f"{room} left there{below}",
          pl.source or photo.source,
          f"{fix}, make it narrower (span:), or make the module {need - room} lines taller")


def check_placement(issue: Issue) -> Issue:
    pages = list(issue.pages)
    by_id: dict[str, tuple[int, Article]] = {}
    for pi, page in enumerate(pages):
        for art in page.articles:
            by_id[art.id] = (pi, art)

    # Page 1: nothing in the masthead's rows and columns.
    for page in pages:
        if page.number != 1:
            continue
        geo = page.geometry
        mh = issue.masthead
        span = mh.span or geo.columns
        area = Box(1, min(span, geo.columns), 1, mh.lines)
        for item in list(page.articles) + list(page.ads):
            if item.module.overlaps(area):
                _fail(f"module {item.id!r} overlaps the masthead (报头) on page 1",
                      item.module.source,
                      f"the masthead takes columns 1–{area.last_column}, lines 1–{area.last_line}: "
                      f"start {item.id} at line {area.last_line + 1} or below"
                      + (f", or at column {area.last_column + 1}" if area.last_column < geo.columns else ""))

    # Photos inside their module, apart from each other and from a vertical head.
    for page in pages:
        geo = page.geometry
        for art in page.articles:
            mod = art.module
            boxes: list[tuple[Box, Photo]] = []
            for ph in art.photos:
                pl = ph.place or Box(1, min(mod.span, 2), 1, 0)
                drawn = pl.lines or photo_lines(geo, ph, pl.span)
                # its box: with the blank line under the caption when the height is by aspect
                box = Box(pl.column, pl.span, pl.line, pl.lines or drawn + 1, pl.source)
                name = Path(ph.file).name
                photo_past_foot(art, ph, drawn, mod.lines - (2 if art.box else 0))
                if box.last_column > mod.span:
                    _fail(f"a photo of {art.id!r} ({name}) leaves its module: it needs lines "
                          f"{box.line}–{box.last_line} and columns {box.column}–{box.last_column} "
                          f"of the module's {mod.lines} lines and {mod.span} columns",
                          ph.source, "make the photo narrower or shorter (lines:), or the module larger")
                for other, oph in boxes:
                    if other.overlaps(box):
                        _fail(f"two photos of {art.id!r} overlap ({Path(oph.file).name} and {name})",
                              ph.source)
                vh = art.deck.vertical
                if vh:
                    head = (Box(mod.span - vh.columns + 1, vh.columns, 1, mod.lines) if vh.side == "right"
                            else Box(1, vh.columns, 1, mod.lines))
                    if head.overlaps(box):
                        _fail(f"a photo of {art.id!r} ({name}) sits in the columns of its vertical "
                              "headline", ph.source, f"the head takes module columns "
                              f"{head.column}–{head.last_column}")
                boxes.append((box, ph))

    # Jumps: link each continuation to the article it continues.
    continued: dict[str, int] = {}
    for pi, page in enumerate(pages):
        for art in page.articles:
            if not art.continued_from:
                continue
            target = by_id.get(art.continued_from)
            if target is None:
                _fail(f"article {art.id!r} continues {art.continued_from!r}, which is not in the issue",
                      art.source, "continued_from names the id of the article's first part")
            tpi, first = target
            if first.continued_from:
                _fail(f"article {art.id!r} continues {first.id!r}, which is itself a continuation",
                      art.source, f"continue the first part instead: continued_from: {first.continued_from}")
            if pages[tpi].number >= page.number:
                _fail(f"article {art.id!r} on page {page.number} continues {first.id!r} on page "
                      f"{pages[tpi].number}: a jump goes to a later page", art.source)
            if first.id in continued:
                _fail(f"article {first.id!r} is continued twice (on pages {continued[first.id]} and "
                      f"{page.number})", art.source)
            continued[first.id] = page.number
    if not continued:
        return issue
    out = []
    for page in pages:
        arts = tuple(replace(a, continued_on=continued.get(a.id, 0)) for a in page.articles)
        out.append(replace(page, articles=arts))
    return replace(issue, pages=tuple(out))


def continuation_of(issue: Issue, art: Article) -> tuple[int, Article] | None:
    """(page number, first part) of a continuation entry."""
    for page in issue.pages:
        for a in page.articles:
            if a.id == art.continued_from:
                return page.number, a
    return None


def short_headline(first: Article, cont: Article | None = None) -> str:
    """The head's short form for 上接 lines: the continuation's short_headline, the first part's,
    or the headline's first phrase (up to its first space)."""
    for a in (cont, first):
        if a is not None and a.short_headline:
            return a.short_headline
    head = first.deck.headline.replace("\u3000", " ").strip()
    return head.split()[0] if head else ""

