"""The planner's one adapter onto composition: an article's figures measured with paiban's own
line breaker and deck fitting, and a candidate module checked by composing the article in it.

Everything the planner knows about text comes from here, so that the plan and the page agree
line for line. (When composition exposes a public `measure` stage, only this module changes.)
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from functools import lru_cache

from ..compose.deck import set_deck
from ..compose.items import ArticleReport, ComposedPage
from ..compose.page import _compose_article
from ..flow.body import Body
from ..measure.article import CAPTION_FACE, text_inset
from ..model.document import Article, Box, Geometry, Issue, Page, Photo
from ..model.placement import image_rows, photo_aspect
from ..text.paragraph import set_caption
from ..text.prepare import Style


@dataclass(frozen=True)
class Head:
    rows: int            # grid lines the deck takes
    size: float          # the main headline's size, pt
    fits: bool
    lines: int           # lines of the main headline


def capped(art: Article, cap: float | None, rows: int | None = None) -> Article:
    """The article with its headline's size capped at `cap` pt (None: as it is) and its deck
    given `rows` grid lines (None: as many as it needs)."""
    deck = art.deck
    if cap is not None:
        deck = replace(deck, headline_style=replace(deck.headline_style, max_size=cap))
    if rows is not None:
        deck = replace(deck, lines=rows)
    return replace(art, deck=deck) if deck is not art.deck else art


inset = text_inset


def frame_rows(art: Article) -> int:
    """Grid lines a boxed module gives its frame (its first and last)."""
    return 2 if art.box else 0


def head(geo: Geometry, art: Article, span: int, cap: float | None = None, *, house) -> Head:
    """The deck over `span` columns, fitted as composition fits it (in `house`'s styles)."""
    return _head(geo, capped(art, cap).deck, geo.span_width(span) - 2 * inset(geo, art), span,
                 house)


@lru_cache(maxsize=8192)
def _head(geo: Geometry, deck, width: float, span: int, house) -> Head:
    block = set_deck(deck, width, span, geo.line_pitch, house)
    return Head(block.rows, block.headline_size, block.headline_fits, block.headline_lines)


# Body lines depend on the column width only, never on the span: an article is broken once.
_BODY: dict = {}


def body_lines(geo: Geometry, art: Article, *, house) -> int:
    """Body lines the article's text and byline take in a column of the page."""
    width = geo.column_width - 2 * inset(geo, art)
    key = (geo, width, art.paragraphs, art.dateline, art.byline, art.byline_position,
           art.typography, art.body_face, art.body_size, house)
    if key not in _BODY:
        if len(_BODY) >= 4096:          # bounded: `paiban watch` keeps this process
            _BODY.clear()
        _BODY[key] = len(Body(geo, art, width, house).lines())
    return _BODY[key]


def caption_rows(geo: Geometry, art: Article, photo: Photo, span: int, *, house) -> int:
    return _caption_rows(photo.caption, photo.credit, geo.body_size,
                         geo.span_width(span) - 2 * inset(geo, art), house.face(CAPTION_FACE))


@lru_cache(maxsize=4096)
def _caption_rows(caption: str, credit: str, size: float, width: float, face: str) -> int:
    cap, _ = set_caption(caption, credit, Style(face=face, size=size), width)
    return max((row + 1 for row, _ in cap), default=0)


def picture_rows(geo: Geometry, photo: Photo, span: int) -> int:
    """Grid lines the picture takes at its own aspect, `span` columns wide."""
    return image_rows(geo, span,
                      photo.aspect or sum(_aspect(f, _stamp(f)) for f in photo.files))


def _stamp(file) -> tuple:
    """What tells a file's versions apart (a photo replaced while `paiban watch` runs)."""
    try:
        st = os.stat(file)
        return st.st_mtime_ns, st.st_size, st.st_ino
    except OSError:
        return ()


@lru_cache(maxsize=1024)
def _aspect(file, stamp) -> float:
    return photo_aspect(Photo(file=file))


def photo_pixels(photo: Photo) -> tuple[int, int] | None:
    """The image's size in pixels (its header read only); None when it cannot be read."""
    return _pixels(photo.file, _stamp(photo.file))


@lru_cache(maxsize=1024)
def _pixels(file, stamp) -> tuple[int, int] | None:
    try:
        from PIL import Image

        with Image.open(file) as im:
            return im.size
    except (OSError, ValueError):
        return None


def compose_in(issue: Issue, page: Page, art: Article, *, house) -> ArticleReport:
    """The article composed in its (candidate) module by the real composition: its report says
    overflow, underfull lines and the rows it uses."""
    geo = page.geometry
    scratch = ComposedPage(page=page, width=geo.page_width, height=geo.page_height)
    rep, _ = _compose_article(scratch, geo, art, issue, {}, house=house)
    return rep


def placed(art: Article, module: Box, photo: Box | None, cap: float | None,
           rows: int | None = None, continued_on: int = 0) -> Article:
    """The article with a module, its (one) photo's place, its headline cap and deck rows (and
    the page it jumps to, which the loader fills in only after the plan)."""
    photos = art.photos
    if photo is not None and photos:
        photos = (replace(photos[0], place=photo),) + photos[1:]
    return replace(capped(art, cap, rows), module=module, photos=photos,
                   continued_on=continued_on or art.continued_on)
