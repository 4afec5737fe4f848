"""An article measured for a span: everything that does not depend on where its module stands.

`measure(article, span, geo)` sets the deck at the span's width, breaks the paragraphs and the
byline at the column's width (each paragraph prepared once, its candidate lines kept, so that
the flow's re-settings cost little) and sets each photo's caption and credit at the photo's
width. What it returns, `ArticleContent`, answers a planner's questions — how many body lines
the text needs (`body_lines`), how many grid lines the deck and the photos take (`deck_rows`,
`photo_rows`) — and is what the flow (`layout.flow.pour`) pours and composition places.

Calling it for one article at many spans is cheap with a `memo` (a dict the caller keeps): the
body depends on the column's width only, so it is broken once; decks and captions are set once
per width. Everything is set in the faces and styles of the House it is given (layout/house.py),
which is part of the memo's keys.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..compose.deck import DeckBlock, set_continuation_deck, set_deck
from ..compose.vertical import VerticalBlock, set_vertical_deck
from ..flow.body import Body, emphasis_pieces
from ..model.document import Article, Box, Geometry, Issue, Photo
from ..model.placement import continuation_of, image_rows, photo_aspect, short_headline
from ..text.paragraph import SetLine, set_caption

if TYPE_CHECKING:
    from ..house import House

CAPTION_FACE = "kai"


@dataclass
class PhotoContent:
    """A photo measured: its place in the module, the picture's rows, its caption lines."""
    photo: Photo
    place: Box                    # in the module: column 1, line 1 is its top left below the deck
    width: float                  # pt: the picture's
    caption: list[tuple[int, SetLine]]   # (row from the photo's top, line)
    caption_rows: int             # rows under the picture (0: the caption beside it)
    image_rows: int
    missing: list[str] = field(default_factory=list)
    picture_dx: float = 0.0       # pt from the place's left edge: the picture's
    caption_dx: float = 0.0       # and the caption's

    @property
    def rows(self) -> int:
        """Grid lines the photo takes: picture, caption and a blank line below."""
        return self.image_rows + self.caption_rows + 1


@dataclass
class ArticleContent:
    """An article measured for `span` columns."""
    article: Article
    span: int
    inset: float                  # pt at each side a box's frame takes
    width: float                  # the deck's measure, pt
    column_width: float           # the body's measure, pt
    deck: DeckBlock               # a vertical head: empty (it is set where the module stands)
    photos: list[PhotoContent]
    body: Body | None             # None: a continuation, whose body its first part hands on
    source: tuple[int, Article] | None = None   # a continuation's (page, first part)
    vertical: VerticalBlock | None = None       # a vertical head, when `lines` was given

    @property
    def deck_rows(self) -> int:
        """Grid lines the deck takes across the span (0 for a vertical head)."""
        return self.deck.rows

    @property
    def body_lines(self) -> int:
        """Body lines the text needs at the column's width, byline included (as first set:
        the flow may set a paragraph a line longer or shorter against a widow)."""
        return len(self.body.lines()) if self.body is not None else 0

    @property
    def photo_rows(self) -> list[int]:
        """Grid lines each photo takes (picture, caption, the blank line below)."""
        return [p.rows for p in self.photos]


def measure(article: Article, span: int, geo: Geometry, *, house: "House",
            issue: Issue | None = None, lines: int | None = None,
            memo: dict | None = None) -> ArticleContent:
    """`article` measured for a module `span` columns wide on a page of `geo`, in `house`.

    `issue`: for a continuation (`continued_from`), where its first part is found (its deck is
    then the short headline; without it the article is measured as a first part). `lines`: the
    module's height, needed only to set a vertical head (`ArticleContent.vertical`).
    `memo`: a dict kept across calls (a planner trying spans); the caller owns it."""
    memo = {} if memo is None else memo
    inset = text_inset(geo, article)
    width = geo.span_width(span) - 2 * inset
    col_w = (geo.own_columns(span, article.columns, inset)[0] if article.columns
             else geo.column_width - 2 * inset)
    source = continuation_of(issue, article) if article.continued_from and issue else None
    vertical = None
    if source:
        text = short_headline(source[1], article)
        deck = _memo(memo, ("cont", text, width, span, geo.line_pitch, house),
                     lambda: set_continuation_deck(text, width, span, geo.line_pitch, house))
    elif article.deck.vertical:
        deck = DeckBlock()
        if lines is not None:
            vertical = _vertical(article, geo, inset, lines, house)
    else:
        deck = _memo(memo, ("deck", article.deck, width, span, geo.line_pitch, house),
                     lambda: set_deck(article.deck, width, span, geo.line_pitch, house))
    photos = [_memo(memo, ("photo", ph, span, inset, geo, house),
                    lambda ph=ph: _photo(ph, span, inset, inset > 0, geo, house))
              for ph in article.photos]
    body = None
    if not source:
        key = ("body", article.paragraphs, article.dateline, article.byline,
               article.byline_position, article.typography, geo.body_size, col_w,
               article.body_face, article.body_size, house)
        body = _memo(memo, key, lambda: Body(geo, article, col_w, house)).copy()
    return ArticleContent(article, span, inset, width, col_w, deck, photos, body, source, vertical)


def text_inset(geo: Geometry, article: Article) -> float:
    """A boxed or tinted module's text stands half an em in from its frame or tint's edge."""
    return geo.body_size / 2 if article.box or article.tint else 0.0


def _memo(memo: dict, key, make):
    got = memo.get(key)
    if got is None:
        got = memo[key] = make()
    return got


def _photo(ph: Photo, span: int, inset: float, boxed: bool, geo: Geometry,
           house: "House") -> PhotoContent:
    """The picture above its caption: rows from the place's `lines` (the caption never runs out
    of them: at least 3 for the picture), else from the photo's aspect at its width."""
    pl = ph.place or Box(1, min(span, 2), 1, 0)
    frame = 2 * inset if boxed else 0.0
    beside = ph.caption_side != "below"
    pic_span = pl.span - 1 if beside else pl.span
    pw = geo.span_width(pic_span) - frame
    cap_w = geo.column_width - frame if beside else pw
    style = house.style(CAPTION_FACE, geo.body_size)
    cap, missing = set_caption(ph.caption, ph.credit, style, cap_w,
                               emphasis_pieces(ph.caption, ph.caption_spans, style, house))
    cap_lines = max((row + 1 for row, _ in cap), default=0)
    cap_rows = 0 if beside else cap_lines
    if pl.lines:
        img_rows = max(3, pl.lines - cap_rows - 1)
    else:
        img_rows = image_rows(geo, pic_span, photo_aspect(ph))
    pic_dx = cap_dx = 0.0
    if beside:
        # a caption in the column beside a narrow picture, level with the picture's foot
        img_rows = max(img_rows, cap_lines)
        cap = [(img_rows - cap_lines + row, ln) for row, ln in cap]
        step = geo.column_width + geo.gutter
        pic_dx, cap_dx = (0.0, (pl.span - 1) * step) if ph.caption_side == "right" else (step, 0.0)
    else:
        cap = [(img_rows + row, ln) for row, ln in cap]
    return PhotoContent(ph, pl, pw, cap, cap_rows, img_rows, missing, pic_dx, cap_dx)


def _vertical(article: Article, geo: Geometry, inset: float, lines: int,
              house: "House") -> VerticalBlock:
    """The vertical head set for a module of `lines` grid lines (drawn at the origin)."""
    vh = article.deck.vertical
    half_lead = (geo.line_pitch - geo.body_size) / 2
    flow_lines = lines - 2 if article.box else lines
    return set_vertical_deck(article.deck, vh, geo, 0.0, geo.span_width(vh.columns) - inset,
                             half_lead, flow_lines * geo.line_pitch - 2 * half_lead, article.id,
                             house=house)
