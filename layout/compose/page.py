"""Page composition: modules with their decks, photos and body columns, and the furniture.

Every body line, caption line and byline of the page sits on the one baseline grid of the page
geometry: a line's baseline is its grid line's top plus half the leading plus the face's
ascent. Decks and photos take whole grid lines, so the grid runs unbroken beneath them.
"""
from __future__ import annotations

import re
from dataclasses import replace

from ..model.document import Article, Box, Geometry, Issue, Page
from ..flow.columns import balanced_height, slots
from ..text.paragraph import SetLine, set_groups_right, set_line, set_paragraph
from ..text.prepare import Style
from .deck import set_deck
from .furniture import running_head, module_rules
from .items import ArticleReport, ComposedPage, Picture, TextLine

BODY_FACE = "serif"
LEAD_IN_FACE = "sans-bold"
CAPTION_FACE = "kai"
BYLINE_FACE = "kai"
ASCENT = 0.88                  # the ideographic em box's top above the baseline, in em
BYLINE_ROLES = ("本报记者", "记者", "通讯员", "实习生", "本报通讯员", "特约记者", "见习记者", "摄影", "文/图", "文／图", "图/文")


def baseline(geo: Geometry, row: int, size: float) -> float:
    """Baseline of a line of `size` on grid line `row`: the em box is centred in the pitch."""
    return geo.line_top(row) + (geo.line_pitch - size) / 2 + ASCENT * size


def compose_issue(issue: Issue) -> list[ComposedPage]:
    return [compose_page(issue, page) for page in issue.pages]


def compose_page(issue: Issue, page: Page) -> ComposedPage:
    geo = page.geometry
    out = ComposedPage(page=page, width=geo.page_width, height=geo.page_height)
    used: list[Box] = []
    for art in page.articles:
        rep, height = _compose_article(out, geo, art, issue)
        out.reports.append(rep)
        used.append(Box(art.module.column, art.module.span, art.module.line, height))
    for ad in page.ads:
        _compose_ad(out, geo, ad)
        used.append(ad.module)
    running_head(out, issue, page)
    module_rules(out, geo, used)
    return out


def _compose_ad(out: ComposedPage, geo: Geometry, ad) -> None:
    """Ad artwork fills its module (cropped to its shape, centred); a label such as 广告 or
    公益广告, when given, takes the module's first line, flush right."""
    m = ad.module
    half_lead = (geo.line_pitch - geo.body_size) / 2
    first = m.line
    x = geo.column_x(m.column)
    w = geo.span_width(m.span)
    if ad.label:
        label = set_line(ad.label, Style(face=BODY_FACE, size=geo.body_size))
        out.lines.append(TextLine(x + w - label.width, baseline(geo, first, geo.body_size),
                                  label.glyphs, "furniture", ad.id))
        first += 1
    top = geo.line_top(first) + half_lead
    bottom = geo.line_top(m.last_line) + half_lead + geo.body_size
    out.pictures.append(Picture(ad.file, x, top, w, bottom - top, (0.5, 0.5), ad.id))


def byline_groups(byline: str) -> list[str]:
    """"记者 冉红政 通讯员 姜璞 文/图" → ["记者 冉红政", "通讯员 姜璞", "文/图"]: a role word starts a
    group; names stay with their role and are never broken."""
    words = byline.split()
    groups: list[list[str]] = []
    for w in words:
        if not groups or w in BYLINE_ROLES or re.fullmatch(r"[文图摄影/／]+", w):
            groups.append([w])
        else:
            groups[-1].append(w)
    return [" ".join(g) for g in groups]


class Body:
    """An article's body as set paragraphs (each a list of lines) plus the byline lines. A
    paragraph may be re-set one line longer or shorter to keep its last line off a column top."""

    def __init__(self, geo: Geometry, art: Article, width: float):
        size = geo.body_size
        t = art.typography
        body = Style(face=BODY_FACE, size=size, level=t.level, punctuation=t.punctuation,
                     latin_gap=t.latin_gap, digit_gap=t.digit_gap)
        self.width = width
        self.indent = 2 * size
        self.drop_opening = t.drop_opening
        self.pieces: list[list[tuple[str, Style]]] = []
        self.paragraphs: list[list[SetLine]] = []
        self.adjusted: set[int] = set()
        missing: list[str] = []
        for n, para in enumerate(art.paragraphs):
            pieces = [(para, body)]
            if n == 0 and art.dateline:
                pieces = [(art.dateline, replace(body, face=LEAD_IN_FACE)), ("\u3000", body),
                          (para, body)]
            sp = set_paragraph(pieces, width, indent=self.indent, drop_opening=self.drop_opening)
            self.pieces.append(pieces)
            self.paragraphs.append(sp.lines)
            missing += sp.missing
        self.byline: list[SetLine] = []
        if art.byline:
            sp = set_groups_right(byline_groups(art.byline), replace(body, face=BYLINE_FACE),
                                  width, kind="byline")
            self.byline = sp.lines
            missing += sp.missing
        self.missing = sorted(set(missing))

    def lines(self) -> list[SetLine]:
        return [ln for p in self.paragraphs for ln in p] + self.byline

    def owner(self, index: int) -> tuple[int, int]:
        """(paragraph, line within it) of body line `index`; (-1, k) for the byline."""
        for p, lines in enumerate(self.paragraphs):
            if index < len(lines):
                return p, index
            index -= len(lines)
        return -1, index

    def reset(self, p: int, looseness: int) -> bool:
        """Set paragraph `p` one line longer (+1) or shorter (−1); False when it cannot be."""
        if p in self.adjusted:
            return False
        sp = set_paragraph(self.pieces[p], self.width, indent=self.indent,
                           drop_opening=self.drop_opening, looseness=looseness)
        if sp is None:
            return False
        self.paragraphs[p] = sp.lines
        self.adjusted.add(p)
        return True


def body_lines(geo: Geometry, art: Article, width: float) -> tuple[list[SetLine], list[str]]:
    body = Body(geo, art, width)
    return body.lines(), body.missing


def widow_at(body: Body, cells: list[tuple[int, int]]) -> int | None:
    """A paragraph whose last line stands alone at the top of a column (孤行): its index."""
    lines = body.lines()
    for k in range(1, min(len(lines), len(cells))):
        if cells[k][0] != cells[k - 1][0]:          # line k opens a new column
            p, i = body.owner(k)
            if p >= 0 and i == len(body.paragraphs[p]) - 1 and i > 0:
                return p
    return None


def _flow(mod: Box, deck_rows: int, blocked: list[Box], body: Body):
    """Balance the columns and keep paragraphs' last lines off column tops: re-set the
    offending paragraph one line shorter (pulling the line back) or longer, and pour again."""
    for _ in range(8):
        lines = body.lines()
        height = balanced_height(mod, deck_rows, blocked, len(lines))
        cells = slots(mod, deck_rows, blocked, height)
        p = widow_at(body, cells)
        if p is None or not (body.reset(p, -1) or body.reset(p, +1)):
            return lines, height, cells
    lines = body.lines()
    height = balanced_height(mod, deck_rows, blocked, len(lines))
    return lines, height, slots(mod, deck_rows, blocked, height)


def _compose_article(out: ComposedPage, geo: Geometry, art: Article, issue: Issue):
    mod = art.module
    rep = ArticleReport(id=art.id, module=mod)
    width = geo.span_width(mod.span)
    deck = set_deck(art.deck, width, mod.span, geo.line_pitch)
    rep.headline_size, rep.headline_fits = deck.headline_size, deck.headline_fits
    x0 = geo.column_x(mod.column)
    top = geo.line_top(mod.line)
    for dl in deck.lines:
        x = x0 + (width - dl.width) / 2
        out.lines.append(TextLine(x, top + dl.top + ASCENT * dl.size, dl.glyphs, dl.kind, art.id))

    # Photos: absolute boxes, the picture above its caption, a blank line below.
    blocked: list[Box] = []
    col_w = geo.column_width
    cap_style = Style(face=CAPTION_FACE, size=geo.body_size)
    missing: list[str] = []
    for ph in art.photos:
        pl = ph.place or Box(1, min(mod.span, 2), 1, 16)
        box = Box(mod.column + pl.column - 1, pl.span, mod.line + deck.rows + pl.line - 1, pl.lines)
        blocked.append(box)
        pw = geo.span_width(box.span)
        caption = ph.caption + (("\u3000" + ph.credit) if ph.credit else "")
        cap = set_paragraph([(caption, cap_style)], pw, kind="caption") if caption else None
        cap_rows = len(cap.lines) if cap else 0
        if cap:
            missing += cap.missing
        img_rows = max(1, box.lines - cap_rows - 1)
        half_lead = (geo.line_pitch - geo.body_size) / 2
        y_top = geo.line_top(box.line) + half_lead
        y_bot = geo.line_top(box.line + img_rows - 1) + half_lead + geo.body_size
        px = geo.column_x(box.column)
        out.pictures.append(Picture(ph.file, px, y_top, pw, y_bot - y_top, ph.focus, art.id))
        if cap:
            for k, ln in enumerate(cap.lines):
                row = box.line + img_rows + k
                out.lines.append(TextLine(px + ln.x, baseline(geo, row, ln.size), ln.glyphs,
                                          "caption", art.id))

    body = Body(geo, art, col_w)
    missing += body.missing
    lines, height, cells = _flow(mod, deck.rows, blocked, body)
    rep.lines_needed = len(lines)
    rep.lines_available = len(slots(mod, deck.rows, blocked))
    for ln, (col, row) in zip(lines, cells):
        out.lines.append(TextLine(geo.column_x(col) + ln.x, baseline(geo, row, ln.size), ln.glyphs,
                                  ln.kind, art.id))
        if ln.loose > 0.25:
            rep.loose_lines += 1
    if len(lines) > len(cells):
        rest = lines[len(cells):]
        rep.overflow_lines = len(rest)
        rep.overflow_chars = sum(len(g.text) for ln in rest for g in ln.glyphs)
    rep.underfull_lines = max(0, rep.lines_available - len(lines))
    rep.missing = sorted(set(missing))
    return rep, height
