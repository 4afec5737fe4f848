"""Page composition: modules with their decks, photos and body columns, and the furniture.

Every body line, caption line and byline of the page sits on the one baseline grid of the page
geometry: a line's baseline is its grid line's top plus half the leading plus the face's
ascent. Decks and photos take whole grid lines, so the grid runs unbroken beneath them.
"""
from __future__ import annotations

import re

from ..model.document import Article, Box, Geometry, Issue, Page
from ..flow.columns import balanced_height, slots
from ..text.paragraph import SetLine, set_groups_right, set_paragraph
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
    running_head(out, issue, page)
    module_rules(out, geo, used)
    return out


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


def body_lines(geo: Geometry, art: Article, width: float) -> tuple[list[SetLine], list[str]]:
    """The article's body set into lines of one column's measure: paragraphs with a 2-em indent
    (the dateline as a bold lead-in), then the byline flush right."""
    size = geo.body_size
    body = Style(face=BODY_FACE, size=size)
    lines: list[SetLine] = []
    missing: list[str] = []
    for n, para in enumerate(art.paragraphs):
        pieces = [(para, body)]
        if n == 0 and art.dateline:
            pieces = [(art.dateline, Style(face=LEAD_IN_FACE, size=size)), ("\u3000", body), (para, body)]
        sp = set_paragraph(pieces, width, indent=2 * size)
        lines += sp.lines
        missing += sp.missing
    if art.byline:
        sp = set_groups_right(byline_groups(art.byline), Style(face=BYLINE_FACE, size=size), width,
                              kind="byline")
        lines += sp.lines
        missing += sp.missing
    return lines, sorted(set(missing))


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

    lines, miss = body_lines(geo, art, col_w)
    missing += miss
    height = balanced_height(mod, deck.rows, blocked, len(lines))
    cells = slots(mod, deck.rows, blocked, height)
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
