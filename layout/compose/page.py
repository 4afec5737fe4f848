"""Page composition: the articles of a page placed from their measured content (`layout.measure`)
and flowed bodies (`layout.flow`) — decks, photos, body lines — and the ads and furniture.

Every body line, caption line and byline of the page sits on the one baseline grid of the page
geometry: a line's baseline is its grid line's top plus half the leading plus the face's
ascent. Decks and photos take whole grid lines, so the grid runs unbroken beneath them.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..flow.body import BODY_FACE
from ..flow.carry import continued_body
from ..flow.article import pour_article
from ..flow.grid import ascent, baseline, line_face
from ..measure import ArticleContent, PhotoContent, measure
from ..model.document import Article, Box, Geometry, Issue, Page
from ..model.placement import contained, photo_past_foot, picture_aspect
from ..text.paragraph import set_line
from .deck import DeckBlock
from .furniture import RED, WHITE, box_frame, editors_credit, module_rules, running_head
from .items import BLACK, ArticleReport, ComposedPage, Fill, Picture, TextLine
from .strips import photo_box, resolve_strips
from .vertical import as_deck_block, set_vertical_deck

if TYPE_CHECKING:
    from ..house import House


def compose_page(issue: Issue, page: Page, carry: dict | None = None, *,
                 house: "House") -> ComposedPage:
    """One page: its articles, ads and furniture, in the faces and styles of `house`. `carry`
    holds what jumped articles of earlier pages hand on (article id → `flow.carry.Carry`);
    this page's jumps are added to it."""
    geo = page.geometry
    carry = {} if carry is None else carry
    out = ComposedPage(page=page, width=geo.page_width, height=geo.page_height)
    used: list[Box] = []
    boxed: list[Box] = []
    for art in page.articles:
        rep, height = _compose_article(out, geo, art, issue, carry, house=house, resolve=True)
        out.reports.append(rep)
        used.append(Box(art.module.column, art.module.span, art.module.line, height))
        if art.box:
            boxed.append(used[-1])
    for ad in page.ads:
        _compose_ad(out, geo, ad, house)
        used.append(ad.module)
    running_head(out, issue, page, house)
    editors_credit(out, issue, page, house)
    module_rules(out, geo, used, boxed, page.rules)
    return out


def _compose_ad(out: ComposedPage, geo: Geometry, ad, house: "House") -> None:
    """Ad artwork fills its module (cropped to its shape, centred); a label such as 广告 or
    公益广告, when given, takes the module's first line, flush right."""
    m = ad.module
    half_lead = (geo.line_pitch - geo.body_size) / 2
    first = m.line
    x = geo.column_x(m.column)
    w = geo.span_width(m.span)
    if ad.label:
        label = set_line(ad.label, house.style(BODY_FACE, geo.body_size))
        base = baseline(geo, first, geo.body_size, line_face(label.glyphs))
        out.lines.append(TextLine(x + w - label.width, base, label.glyphs, "furniture", ad.id))
        first += 1
    top = geo.line_top(first) + half_lead
    bottom = geo.line_top(m.last_line) + half_lead + geo.body_size
    out.pictures.append(Picture(ad.file, x, top, w, bottom - top, (0.5, 0.5), ad.id))


def _compose_article(out: ComposedPage, geo: Geometry, art: Article, issue: Issue,
                     carry: dict | None = None, *, house: "House", resolve: bool = False):
    """Measure the article for its span, place its deck and photos, pour its body around them
    and place the lines; returns its report and the module lines in use. `resolve`: a photo
    that leaves a 碎栏 may change height (compose/strips.py; not in the planner's trials)."""
    carry = {} if carry is None else carry
    mod = art.module
    content = measure(art, mod.span, geo, house=house, issue=issue)
    rep = ArticleReport(id=art.id, module=mod)
    area = _area(geo, art, content.inset)
    blocked: list[Box] = []
    deck = _place_deck(out, geo, content, area, blocked, rep, house)
    if resolve:
        rep.resolved = resolve_strips(geo, issue, content, area.box, area.x, deck.rows, blocked,
                                      out.page.number, house=house)
    photos = [_place_photo(out, geo, content, ph, area, deck.rows) for ph in content.photos]
    blocked += photos
    height, missing = _place_body(out, geo, content, area, deck.rows, blocked, carry, rep, photos,
                                  house)
    rep.missing = sorted(set(missing))
    if art.box:
        # The frame is the editor's shape: it runs to the module's foot.
        height = mod.lines
        box_frame(out, geo, mod, height, art.box_style)
    if art.tint:
        out.fills.insert(0, _tint(geo, art, height))      # under the reversed head's block
    rep.rows_used = height
    return rep, height


def _tint(geo: Geometry, art: Article, rows: int) -> Fill:
    """底纹: the module's columns and lines in use (inside a box's frame: from rule to rule)."""
    mod = art.module
    x1, x2 = geo.column_x(mod.column), geo.column_x(mod.last_column) + geo.column_width
    y1 = geo.line_top(mod.line)
    y2 = geo.line_top(mod.line + rows)
    if art.box:
        y1, y2 = y1 + geo.line_pitch / 2, y2 - geo.line_pitch / 2
    return Fill(x1, y1, x2 - x1, y2 - y1, art.tint, art.id)


@dataclass
class _Area:
    """Where an article's content goes: its module less a box's frame — the frame takes the
    module's first and last line and half an em at each side, so its columns are one character
    narrower, centred in their grid columns."""
    box: Box                      # the lines and columns the deck, photos and body share
    x: float                      # left edge of the content, pt
    top: float                    # top of its first grid line, pt


def _area(geo: Geometry, art: Article, inset: float) -> _Area:
    mod = art.module
    box = Box(mod.column, mod.span, mod.line + 1, mod.lines - 2, mod.source) if art.box else mod
    return _Area(box, geo.column_x(mod.column) + inset, geo.line_top(box.line))


def _place_deck(out: ComposedPage, geo: Geometry, content: ArticleContent, area: _Area,
                blocked: list[Box], rep: ArticleReport, house: "House") -> DeckBlock:
    """The deck: horizontal over the span, centred; or vertical in whole columns at one edge,
    whose columns are then blocked for the body. Its figures go to the report."""
    art, flow_mod, inset = content.article, area.box, content.inset
    vh = art.deck.vertical
    deck = content.deck
    if vh and not content.source:
        cols = vh.columns
        hcol = flow_mod.last_column - cols + 1 if vh.side == "right" else flow_mod.column
        hx = geo.column_x(hcol) + (inset if vh.side == "left" else 0.0)
        hw = geo.span_width(cols) - inset
        half_lead = (geo.line_pitch - geo.body_size) / 2
        vb = set_vertical_deck(art.deck, vh, geo, hx, hw, area.top + half_lead,
                               flow_mod.lines * geo.line_pitch - 2 * half_lead, art.id,
                               house=house)
        out.lines += vb.lines
        rep.deck_over = max(0, vb.rows - flow_mod.lines)
        blocked.append(Box(hcol, cols, flow_mod.line, min(vb.rows, flow_mod.lines)))
        deck = as_deck_block(vb)
    rep.headline_size, rep.headline_fits = deck.headline_size, deck.headline_fits
    rep.headline_weak = deck.headline_weak
    rep.headline_lines = deck.headline_lines
    rep.deck_over = max(rep.deck_over, deck.rows - flow_mod.lines)
    colour = BLACK
    if art.headline_reverse and deck.lines:
        # reversed out of a block over the deck's lines less the air below it: white type,
        # which knocks out (output/ink.py)
        out.fills.append(Fill(area.x, area.top, content.width,
                              deck.rows * geo.line_pitch - geo.line_pitch / 2,
                              RED if art.headline_reverse == "red" else BLACK, art.id))
        colour = WHITE
    for dl in deck.lines:
        x = area.x + (content.width - dl.width) / 2
        out.lines.append(TextLine(x, area.top + dl.top + ascent(line_face(dl.glyphs)) * dl.size, dl.glyphs, dl.kind,
                                  art.id, colour))
    return deck


def _place_photo(out: ComposedPage, geo: Geometry, content: ArticleContent, ph: PhotoContent,
                 area: _Area, deck_rows: int) -> Box:
    """A photo at its place below the deck: the picture, its caption lines under it, a blank
    line below; returns the grid lines and columns it takes."""
    art, flow_mod = content.article, area.box
    # Never drawn past the module's foot (over the next module): an error in the file. (The
    # blank line under the caption is air above body text; at the foot it may fall outside.)
    photo_past_foot(art, ph.photo, ph.image_rows + ph.caption_rows, flow_mod.lines - deck_rows,
                    deck_rows)
    box = photo_box(flow_mod, ph, deck_rows)
    half_lead = (geo.line_pitch - geo.body_size) / 2
    y_top = geo.line_top(box.line) + half_lead
    y_bot = geo.line_top(box.line + ph.image_rows - 1) + half_lead + geo.body_size
    px = geo.column_x(box.column) + content.inset
    for f, frame in _pictures(ph, px + ph.picture_dx, y_top, y_bot - y_top, geo.body_size / 2):
        fitted = contained(*frame, picture_aspect(f)) if ph.photo.fit == "contain" else frame
        out.pictures.append(Picture(f, *fitted, ph.photo.focus, art.id,
                                    frame if fitted != frame else None))
    for row, ln in ph.caption:
        base = baseline(geo, box.line + row, ln.size, line_face(ln.glyphs))
        out.lines.append(TextLine(px + ph.caption_dx + ln.x, base, ln.glyphs, ln.kind, art.id))
    return box


def _pictures(ph: PhotoContent, x: float, y: float, h: float, gap: float):
    """(file, frame x, y, width, height) of a photo's pictures: one, or a 组图's side by side,
    each as wide as its aspect asks, `gap` apart."""
    files = ph.photo.files
    aspects = [picture_aspect(f) for f in files]
    room = ph.width - gap * (len(files) - 1)
    for f, a in zip(files, aspects):
        w = room * a / sum(aspects) if len(files) > 1 else ph.width
        yield f, (x, y, w, h)
        x += w + gap


def _place_body(out: ComposedPage, geo: Geometry, content: ArticleContent, area: _Area,
                deck_rows: int, blocked: list[Box], carry: dict, rep: ArticleReport,
                photos: list[Box], house: "House") -> tuple[int, list[str]]:
    """The body poured into the module's slots (a continuation's: what its first part
    carried, after its 上接 line) and placed; the figures go to the report. Returns the module
    lines in use and the characters no face has."""
    art = content.article
    col_w = content.column_width
    if content.source:
        rep.jump_from = content.source[0]
        body = continued_body(carry.get(art.continued_from), content.source[0], col_w, house)
    else:
        body = content.body
    missing = [ch for p in content.photos for ch in p.missing] + body.missing
    # on the article's own grid: 破栏 columns, a module grid of lines (layout/flow/own.py)
    fare = pour_article(geo, area.box, area.x, content.inset, art, deck_rows, blocked, photos,
                        body, page=out.page.number, width=col_w, house=house)
    own, poured = fare.own, fare.poured
    rep.lines_needed = poured.needed
    rep.lines_available = poured.available
    if poured.carry is not None:
        carry[art.id] = poured.carry
        rep.jump_to = art.continued_on
        rep.carried_lines = poured.carried
    rep.strips = [(k + 1, *rest) for k, *rest in fare.strips]
    rep.widows = fare.widows
    for ln, col, row in poured.placed:
        if ln.kind == "space":
            continue                    # the blank before an intertitle: nothing drawn
        out.lines.append(TextLine(own.left(col) + ln.x,
                                  own.baseline(row, ln.size, line_face(ln.glyphs)), ln.glyphs, ln.kind, art.id,
                                  para=ln.para, line=ln.line, last=ln.last and ln.para >= 0))
    if poured.overset:
        rep.overflow_lines = len(poured.overset)
        rep.overflow_chars = sum(len(g.text) for ln in poured.overset for g in ln.glyphs)
    rep.underfull_lines = fare.underfull
    rep.loose_lines = fare.loose
    return own.grid_lines(poured.height), missing

