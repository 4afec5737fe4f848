"""The planner's one adapter onto composition: an article's figures read off the measure stage
(`layout.measure.measure`: paiban's own deck fitting, line breaker and photo rows), and a
candidate module checked by composing the article in it.

Everything the planner knows about text comes from here, so that the plan and the page agree
line for line. A `Measure` is made per page plan and keeps the stage's memo: the body is broken
once per column width, decks and captions set once per width; a new plan (`paiban watch`, a
replaced photo or font) measures afresh.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from ..compose.items import ArticleReport, ComposedPage
from ..compose.page import _compose_article
from ..measure.article import ArticleContent, measure
from ..model.document import Article, Box, Geometry, Issue, Page, Photo

if TYPE_CHECKING:
    from ..house import House


@dataclass(frozen=True)
class Head:
    rows: int            # grid lines the deck takes
    size: float          # the main headline's size, pt
    fits: bool
    lines: int           # lines of the main headline


def capped(art: Article, cap: float | None, rows: int | None = None,
           raised: bool = False) -> Article:
    """The article with its headline's size capped at `cap` pt (None: as it is; `raised`: set
    at `cap`, above what the span's fitting chooses) and its deck given `rows` grid lines
    (None: as many as it needs)."""
    deck = art.deck
    if cap is not None:
        style = replace(deck.headline_style, max_size=cap)
        if raised:
            style = replace(style, min_size=cap)
        deck = replace(deck, headline_style=style)
    if rows is not None:
        deck = replace(deck, lines=rows)
    return replace(art, deck=deck) if deck is not art.deck else art


def frame_rows(art: Article) -> int:
    """Grid lines a boxed module gives its frame (its first and last)."""
    return 2 if art.box else 0


class Measure:
    """One page's articles measured for a plan: `layout.measure.measure` and its memo."""

    def __init__(self, geo: Geometry, issue: Issue | None = None, memo: dict | None = None,
                 house: "House | None" = None):
        from ..house import BUNDLED, House

        self.geo = geo
        self.issue = issue
        self.memo = {} if memo is None else memo
        # measured in the faces and styles the pages are set in (the memo's keys hold it)
        self.house = house or (House.of(issue) if issue is not None else BUNDLED)

    def content(self, art: Article, span: int) -> ArticleContent:
        return measure(art, span, self.geo, house=self.house, issue=self.issue, memo=self.memo)

    def head(self, art: Article, span: int, cap: float | None = None,
             raised: bool = False) -> Head:
        """The deck over `span` columns, fitted as composition fits it."""
        deck = self.content(replace(capped(art, cap, raised=raised), photos=()), span).deck
        return Head(deck.rows, deck.headline_size, deck.headline_fits, deck.headline_lines)

    def vertical(self, art: Article, span: int, lines: int):
        """The vertical head (竖题) as set in a module of `lines` grid lines (`VerticalBlock`)."""
        key = ("plan-vertical", art.deck, self.geo, lines, self.house)
        got = self.memo.get(key)
        if got is None:
            got = self.memo[key] = measure(replace(art, photos=()), span, self.geo,
                                           house=self.house, issue=self.issue,
                                           lines=lines).vertical
        return got

    def body_lines(self, art: Article, span: int = 1) -> int:
        """Body lines the article's text and byline take in a column of the page (the same at
        any span: the body is broken once), or with 破栏 (`columns:`) in one of its own columns
        across `span`."""
        return self.content(replace(art, photos=()), span if art.columns else 1).body_lines

    def photo_rows(self, art: Article, photo: Photo, span: int) -> tuple[int, int, int, int]:
        """(picture rows at its own aspect, caption rows under it, the picture's span, the
        fewest picture rows) of `photo` in a place `span` columns wide (measured as the module
        of its width: the caption depends on nothing else). A caption beside the picture
        (`caption_side`) takes a column of the place and no rows under it; the picture is at
        least as tall as it."""
        ph = replace(photo, place=Box(1, span, 1, 0))
        got = self.content(replace(art, photos=(ph,)), span).photos[0]
        if photo.caption_side == "below":
            return got.image_rows, got.caption_rows, span, 1
        lines = max((row for row, _ in got.caption), default=-1) - min(
            (row for row, _ in got.caption), default=0) + 1
        return got.image_rows, 0, span - 1, lines


def photo_pixels(photo: Photo) -> tuple[int, int] | None:
    """The image's size in pixels as shown (the loader's inspection, remembered); None when it
    cannot be read."""
    from ..model.photos import inspect_photo

    try:
        info = inspect_photo(photo.file)
    except (OSError, ValueError):
        return None
    return info.width, info.height


def compose_in(issue: Issue, page: Page, art: Article, house: "House") -> ArticleReport:
    """The article composed in its (candidate) module by the real composition, in `house`: its
    report says overflow, underfull lines and the rows it uses."""
    geo = page.geometry
    scratch = ComposedPage(page=page, width=geo.page_width, height=geo.page_height)
    rep, _ = _compose_article(scratch, geo, art, issue, {}, house=house)
    return rep


def placed(art: Article, module: Box, places: tuple[Box, ...], cap: float | None,
           rows: int | None = None, continued_on: int = 0, raised: bool = False) -> Article:
    """The article with a module, its unplaced photos given `places` in their order, its
    headline cap and deck rows (and the page it jumps to, which the loader fills in only after
    the plan)."""
    photos, left = [], list(places)
    for ph in art.photos:
        photos.append(replace(ph, place=left.pop(0)) if ph.place is None and left else ph)
    photos = tuple(photos)
    return replace(capped(art, cap, rows, raised), module=module, photos=photos,
                   continued_on=continued_on or art.continued_on)
