"""Page composition: modules with their decks, photos and body columns, and the furniture.

Every body line, caption line and byline of the page sits on the one baseline grid of the page
geometry: a line's baseline is its grid line's top plus half the leading plus the face's
ascent. Decks and photos take whole grid lines, so the grid runs unbroken beneath them.
"""
from __future__ import annotations

import math
import os
import re
from dataclasses import replace

from ..model.document import Article, Box, Geometry, Issue, Page, PartStyle
from ..model.placement import (continuation_of, image_rows, photo_aspect, photo_past_foot,
                               short_headline)
from ..flow.columns import balanced_height, slots, widows
from ..text.paragraph import (Paragraph, SetLine, group_pieces, set_caption, set_groups_right,
                              set_line)
from ..text.prepare import Style
from .deck import DeckBlock, DeckLine, fit_lines, part_spec, set_deck
from .furniture import box_frame, editors_credit, module_rules, running_head
from .items import ArticleReport, ComposedPage, Picture, TextLine
from .vertical import as_deck_block, set_vertical_deck

BODY_FACE = "serif"
LEAD_IN_FACE = "sans-bold"
CAPTION_FACE = "kai"
BYLINE_FACE = "kai"
ASCENT = 0.88                  # the ideographic em box's top above the baseline, in em
JUMP_FACE = "kai"
JUMP_SIZE = 9.0
BYLINE_ROLES = ("本报记者", "记者", "通讯员", "实习生", "本报通讯员", "特约记者", "见习记者", "摄影", "文/图", "文／图", "图/文")


def baseline(geo: Geometry, row: int, size: float) -> float:
    """Baseline of a line of `size` on grid line `row`: the em box is centred in the pitch."""
    return geo.line_top(row) + (geo.line_pitch - size) / 2 + ASCENT * size


# Below this many pages, starting workers costs more than it saves: on the 2-vCPU machine the
# benchmarks run on, 8 pages checked in 0.52 s in one process and 0.56–0.75 s in two; 16 pages
# in 1.0 s and 0.8 s.
AUTO_MIN_PAGES = 12


def auto_jobs(pages: int) -> int:
    """Worker processes for `--jobs 0` (the default): one per CPU this process may use, for
    issues of AUTO_MIN_PAGES pages or more."""
    if pages < AUTO_MIN_PAGES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, pages))


def compose_issue(issue: Issue, jobs: int = 1, then=None) -> list:
    """Pages in page-number order (a jump's first part before its continuation), returned in
    the order of the issue file. With `jobs` > 1 (0: `auto_jobs`), pages are composed in that
    many worker processes: pages linked by jumps (转版) go to one worker together, in page
    order, since a continuation needs what its first part left over; the result is the same as
    a serial run.

    `then(page)`, when given, is applied to each composed page where it was composed, and its
    results are returned instead of the pages: `paiban check` analyses pages in the workers and
    gets back its findings, not 50,000 glyphs per 16 pages it would not use."""
    groups = page_groups(issue)
    if jobs == 0:
        jobs = auto_jobs(len(issue.pages))
    if jobs > 1 and len(groups) > 1:
        import gc
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Objects made so far are left out of the workers' garbage collection: collecting
        # them would write to every one and copy the parent's memory into each worker.
        gc.freeze()
        try:
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(min(jobs, len(groups)), mp_context=ctx) as pool:
                parts = list(pool.map(_compose_group, [issue] * len(groups), groups,
                                      [then] * len(groups)))
        finally:
            gc.unfreeze()
    else:
        parts = [_compose_group(issue, g, then) for g in groups]
    done = dict(item for part in parts for item in part)
    return [done[p.number] for p in issue.pages]


def page_groups(issue: Issue) -> list[list[int]]:
    """Page numbers in groups that must be composed together (joined by jumps), each in page
    order; groups in the order of their first page."""
    parent = {p.number: p.number for p in issue.pages}

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    where = {a.id: p.number for p in issue.pages for a in p.articles}
    for p in issue.pages:
        for a in p.articles:
            # continued_from names the first part's article; continued_on is a page number
            for other in (where.get(a.continued_from), a.continued_on):
                if other in parent:
                    parent[root(other)] = root(p.number)
    groups: dict[int, list[int]] = {}
    for n in sorted(parent):
        groups.setdefault(root(n), []).append(n)
    return sorted(groups.values())


def _compose_group(issue: Issue, numbers: list[int], then=None) -> list[tuple[int, object]]:
    from ..checks.invariants import verify_jumps, verify_page

    by_number = {p.number: p for p in issue.pages}
    carry: dict[str, Carry] = {}
    composed = []
    drawn: dict = {}
    for n in numbers:
        cp = compose_page(issue, by_number[n], carry)
        drawn.update(verify_page(issue, cp))
        composed.append(cp)
    verify_jumps(issue, composed, drawn)         # the group holds every part of its jumps
    return [(cp.page.number, then(cp) if then is not None else cp) for cp in composed]


def compose_page(issue: Issue, page: Page, carry: dict | None = None) -> ComposedPage:
    geo = page.geometry
    carry = {} if carry is None else carry
    out = ComposedPage(page=page, width=geo.page_width, height=geo.page_height)
    used: list[Box] = []
    boxed: list[Box] = []
    for art in page.articles:
        rep, height = _compose_article(out, geo, art, issue, carry)
        out.reports.append(rep)
        used.append(Box(art.module.column, art.module.span, art.module.line, height))
        if art.box:
            boxed.append(used[-1])
    for ad in page.ads:
        _compose_ad(out, geo, ad)
        used.append(ad.module)
    running_head(out, issue, page)
    editors_credit(out, issue, page)
    module_rules(out, geo, used, boxed)
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


class Carry:
    """What a jumped article hands on to its continuation: its remaining body lines."""

    def __init__(self, body: "Body", index: int, page: int):
        self.body = body
        self.index = index          # first body line not set on the first page
        self.page = page

    def lines(self, width: float) -> list[SetLine]:
        return self.body.rest(self.index, width)


class Body:
    """An article's body as set paragraphs (each a list of lines) plus the byline lines. A
    paragraph may be re-set one line longer or shorter to keep its last line off a column top."""

    def __init__(self, geo: Geometry, art: Article, width: float):
        size = geo.body_size
        t = art.typography
        body = Style(face=BODY_FACE, size=size, level=t.level, punctuation=t.punctuation,
                     latin_gap=t.latin_gap, digit_gap=t.digit_gap)
        self.style = body
        self.width = width
        self.indent = 2 * size
        self.drop_opening = t.drop_opening
        self.texts: list[Paragraph] = []      # each paragraph prepared once, set often
        self.paragraphs: list[list[SetLine]] = []
        self.adjusted: set[int] = set()
        missing: list[str] = []
        in_bracket = art.byline_position == "after_dateline" and bool(art.byline)
        for n, para in enumerate(art.paragraphs):
            pieces = [(para, body)]
            keep: list[tuple[int, int]] = []
            if n == 0 and art.dateline:
                lead = (art.dateline, replace(body, face=LEAD_IN_FACE))
                if in_bracket:
                    # 本报讯（记者 冉红政 通讯员 姜璞）3月14日，…: names never broken.
                    kai = replace(body, face=BYLINE_FACE)
                    pieces = [lead, ("（", kai)]
                    pos = len(art.dateline) + 1
                    groups = byline_groups(art.byline)
                    for k, g in enumerate(groups):
                        txt = g + (" " if k < len(groups) - 1 else "")
                        pieces.append((txt, kai))
                        words = g.split()
                        if len(group_pieces(g, kai, width)) > 1:
                            # too wide for a line: the role with its first name, then each name
                            words = [" ".join(words[:2])] + words[2:]
                        else:
                            words = [g]
                        at = 0
                        for w in words:
                            at = g.find(w, at)
                            keep.append((pos + at, pos + at + len(w)))
                            at += len(w)
                        pos += len(txt)
                    pieces += [("）", kai), (para, body)]
                else:
                    pieces = [lead, ("\u3000", body), (para, body)]
            self.texts.append(Paragraph(pieces, keep))
            sp = self._set(n)
            self.paragraphs.append(sp.lines)
            missing += sp.missing
        self.byline: list[SetLine] = []
        self.groups = byline_groups(art.byline) if art.byline and not in_bracket else []
        if self.groups:
            sp = set_groups_right(self.groups, replace(body, face=BYLINE_FACE), width,
                                  kind="byline")
            self.byline = sp.lines
            missing += sp.missing
        self.missing = sorted(set(missing))

    def _set(self, p: int, looseness: int = 0, width: float | None = None, offset: int = 0,
             first_line: int = 0):
        """Paragraph `p` set (from character `offset` on, its lines counted from
        `first_line`), each line told its paragraph and place in it."""
        width = self.width if width is None else width
        text = self.texts[p].tail(offset) if offset else self.texts[p]
        sp = text.set(width, indent=0.0 if first_line else self.indent,
                      drop_opening=self.drop_opening, looseness=looseness)
        if sp is not None:
            for k, ln in enumerate(sp.lines):
                ln.para, ln.line = p, first_line + k
        return sp

    def lines(self) -> list[SetLine]:
        return [ln for p in self.paragraphs for ln in p] + self.byline

    def owner(self, index: int) -> tuple[int, int]:
        """(paragraph, line within it) of body line `index`; (-1, k) for the byline."""
        for p, lines in enumerate(self.paragraphs):
            if index < len(lines):
                return p, index
            index -= len(lines)
        return -1, index

    def variant(self, p: int, looseness: int) -> list[SetLine] | None:
        """Paragraph `p` set one line longer (+1) or shorter (−1); None when it cannot be (or
        was adjusted already)."""
        if p in self.adjusted:
            return None
        sp = self._set(p, looseness)
        return None if sp is None else sp.lines

    def reset(self, p: int, looseness: int) -> bool:
        """Set paragraph `p` one line longer (+1) or shorter (−1); False when it cannot be."""
        lines = self.variant(p, looseness)
        if lines is None:
            return False
        self.paragraphs[p] = lines
        self.adjusted.add(p)
        return True

    def rest(self, index: int, width: float) -> list[SetLine]:
        """The body lines from `index` on, for a continuation `width` wide: the same lines when
        the measure is the same, else the rest of the text set again from its source — the
        broken paragraph from the character its first unset line starts with, faces, word
        spaces and unbreakable names as the issue file has them."""
        lines = self.lines()
        if index >= len(lines):
            return []
        if abs(width - self.width) < 0.01:
            return lines[index:]
        p, i = self.owner(index)
        if p < 0:
            return self.byline[i:]
        at = self.paragraphs[p][i]
        out = list(self._set(p, width=width, offset=at.start, first_line=at.line).lines)
        for q in range(p + 1, len(self.paragraphs)):
            out += self._set(q, width=width).lines
        if self.groups:
            out += set_groups_right(self.groups, replace(self.style, face=BYLINE_FACE), width,
                                    kind="byline").lines
        return out


class Lines:
    """A continuation's body: lines handed on by the first part, after its 上接 line."""

    def __init__(self, lines: list[SetLine]):
        self._lines = lines
        self.missing: list[str] = []
        self.paragraphs = [lines]

    def lines(self) -> list[SetLine]:
        return self._lines


def widow_at(body: Body, cells: list[tuple[int, int]]) -> int | None:
    """A paragraph whose last line stands alone at the top of a column (孤行): its index."""
    if not isinstance(body, Body):
        return None
    lines = body.lines()
    found = widows(lines, [col for col, _ in cells])
    return lines[found[0]].para if found else None


SLACK_COST = 10.0   # badness of one more empty line at the foot of a balanced module


def _flow(mod: Box, deck_rows: int, blocked: list[Box], body, full: bool = False):
    """Balance the columns and keep paragraphs' last lines off column tops: re-set the
    offending paragraph one line shorter (pulling the line back) or longer, and pour again.
    `full`: the module is filled to its foot (a jump's first part), not balanced."""
    slack = 0      # lines added to the balanced height (columns break elsewhere)

    def pour(extra: int = 0):
        lines = body.lines()
        height = mod.lines if full else min(
            mod.lines, balanced_height(mod, deck_rows, blocked, len(lines)) + slack + extra)
        return lines, height, slots(mod, deck_rows, blocked, height)

    for _ in range(8):
        lines, height, cells = pour()
        p = widow_at(body, cells)
        if p is None:
            return lines, height, cells
        # Candidates: the paragraph itself or one of the two before it, one line shorter or
        # longer, or the columns one line taller; the one that removes this widow at the least
        # extra badness wins (a looser paragraph elsewhere often costs less than loosening
        # this one, and a line left empty at the foot of the last column less than either).
        best = None
        if not full and height < mod.lines and widow_at(body, pour(1)[2]) != p:
            best = (SLACK_COST, None, None)
        for q in range(p, max(-1, p - 3), -1):
            for looseness in (-1, +1):
                alt = body.variant(q, looseness)
                if alt is None:
                    continue
                extra = sum(ln.cost for ln in alt) - sum(ln.cost for ln in body.paragraphs[q])
                old = body.paragraphs[q]
                body.paragraphs[q] = alt
                gone = widow_at(body, pour()[2]) != p
                body.paragraphs[q] = old
                if gone and (best is None or extra < best[0]):
                    best = (extra, q, alt)
        if best is None:
            return lines, height, cells
        if best[1] is None:
            slack += 1
            continue
        _, q, alt = best
        body.paragraphs[q] = alt
        body.adjusted.add(q)
    lines = body.lines()
    height = mod.lines if full else balanced_height(mod, deck_rows, blocked, len(lines))
    return lines, height, slots(mod, deck_rows, blocked, height)


def _jump_line(text: str, width: float, align: str, kind: str) -> SetLine:
    ln = set_line(text, Style(face=JUMP_FACE, size=JUMP_SIZE))
    x = width - ln.width if align == "right" else 0.0
    return SetLine(ln.glyphs, x=x, width=width, last=True, kind=kind, size=JUMP_SIZE)


def _continuation_deck(text: str, width: float, span: int, pitch: float) -> DeckBlock:
    """A continuation's head: the headline's short form, smaller than a first-page head."""
    spec = part_spec("headline", PartStyle(max_size=min(24.0, 8.0 + 4.0 * span), min_size=12.0))
    block = DeckBlock()
    if not text:
        return block
    fit = fit_lines(text, spec, width)
    y = 0.0
    for t in fit.lines:
        ln = set_line(t, Style(face=spec.face, size=fit.size))
        block.lines.append(DeckLine(ln.glyphs, ln.width, fit.size, y + fit.size * 0.075, "headline"))
        y += fit.size * spec.lead
    block.headline_size, block.headline_fits, block.headline_lines = fit.size, fit.fits, len(fit.lines)
    block.rows = math.ceil((y + pitch * 0.75) / pitch)
    shift = (block.rows * pitch - y - pitch * 0.5) / 2
    for ln in block.lines:
        ln.top += shift
    return block


def _compose_article(out: ComposedPage, geo: Geometry, art: Article, issue: Issue,
                     carry: dict | None = None):
    carry = {} if carry is None else carry
    mod = art.module
    rep = ArticleReport(id=art.id, module=mod)
    # A boxed module gives its first and last line and half an em at each side to the frame:
    # its columns are one character narrower, centred in their grid columns.
    inset = geo.body_size / 2 if art.box else 0.0
    flow_mod = Box(mod.column, mod.span, mod.line + 1, mod.lines - 2, mod.source) if art.box else mod
    width = geo.span_width(mod.span) - 2 * inset
    x0 = geo.column_x(mod.column) + inset
    top = geo.line_top(flow_mod.line)
    blocked: list[Box] = []

    # The deck: horizontal over the span, vertical in whole columns at one edge, or for a
    # continuation the short headline.
    source = continuation_of(issue, art) if art.continued_from else None
    vh = art.deck.vertical
    if source:
        deck = _continuation_deck(short_headline(source[1], art), width, mod.span, geo.line_pitch)
    elif vh:
        cols = vh.columns
        hcol = flow_mod.last_column - cols + 1 if vh.side == "right" else flow_mod.column
        hx = geo.column_x(hcol) + (inset if vh.side == "left" else 0.0)
        hw = geo.span_width(cols) - inset
        half_lead = (geo.line_pitch - geo.body_size) / 2
        vb = set_vertical_deck(art.deck, vh, geo, hx, hw, top + half_lead,
                               flow_mod.lines * geo.line_pitch - 2 * half_lead, art.id)
        out.lines += vb.lines
        rep.deck_over = max(0, vb.rows - flow_mod.lines)
        blocked.append(Box(hcol, cols, flow_mod.line, min(vb.rows, flow_mod.lines)))
        deck = as_deck_block(vb)
    else:
        deck = set_deck(art.deck, width, mod.span, geo.line_pitch)
    rep.headline_size, rep.headline_fits = deck.headline_size, deck.headline_fits
    rep.headline_lines = deck.headline_lines
    rep.deck_over = max(rep.deck_over, deck.rows - flow_mod.lines)
    for dl in deck.lines:
        x = x0 + (width - dl.width) / 2
        out.lines.append(TextLine(x, top + dl.top + ASCENT * dl.size, dl.glyphs, dl.kind, art.id))

    # Photos: absolute boxes, the picture above its caption, a blank line below.
    col_w = geo.column_width - 2 * inset
    cap_style = Style(face=CAPTION_FACE, size=geo.body_size)
    missing: list[str] = []
    for ph in art.photos:
        pl = ph.place or Box(1, min(mod.span, 2), 1, 0)
        pw = geo.span_width(pl.span) - (2 * inset if art.box else 0.0)
        cap, cap_missing = set_caption(ph.caption, ph.credit, cap_style, pw)
        cap_rows = max((row + 1 for row, _ in cap), default=0)
        missing += cap_missing
        if pl.lines:
            img_rows = pl.lines - cap_rows - 1
            if img_rows < 3:                    # the caption never runs out of the box
                img_rows = 3
        else:
            img_rows = image_rows(geo, pl.span, photo_aspect(ph))
        # Never drawn past the module's foot (over the next module): an error in the file. (The
        # blank line under the caption is air above body text; at the foot it may fall outside.)
        photo_past_foot(art, ph, img_rows + cap_rows, flow_mod.lines - deck.rows, deck.rows)
        box = Box(flow_mod.column + pl.column - 1, pl.span, flow_mod.line + deck.rows + pl.line - 1,
                  img_rows + cap_rows + 1)
        blocked.append(box)
        half_lead = (geo.line_pitch - geo.body_size) / 2
        y_top = geo.line_top(box.line) + half_lead
        y_bot = geo.line_top(box.line + img_rows - 1) + half_lead + geo.body_size
        px = geo.column_x(box.column) + inset
        out.pictures.append(Picture(ph.file, px, y_top, pw, y_bot - y_top, ph.focus, art.id))
        for k, ln in cap:
            row = box.line + img_rows + k
            out.lines.append(TextLine(px + ln.x, baseline(geo, row, ln.size), ln.glyphs,
                                      ln.kind, art.id))

    # The body, and the jump lines.
    if source:
        rep.jump_from = source[0]
        got = carry.get(art.continued_from)
        lines_in = got.lines(col_w) if got else []
        jump = _jump_line(f"（上接第{source[0]}版）", col_w, "left", "jump")
        body = Lines([jump] + lines_in)
    else:
        body = Body(geo, art, col_w)
    missing += body.missing
    jumping = bool(art.continued_on)
    lines, height, cells = _flow(flow_mod, deck.rows, blocked, body, full=jumping)
    rep.lines_needed = len(lines)
    rep.lines_available = len(slots(flow_mod, deck.rows, blocked))
    if jumping and len(lines) > len(cells) and cells:
        # 下转: the last slot says where the rest goes; the rest is carried.
        keep_n = len(cells) - 1
        carry[art.id] = Carry(body, keep_n, out.page.number)
        rep.jump_to = art.continued_on
        rep.carried_lines = len(lines) - keep_n
        lines = lines[:keep_n] + [_jump_line(f"（下转第{art.continued_on}版）", col_w, "right", "jump")]
    for ln, (col, row) in zip(lines, cells):
        out.lines.append(TextLine(geo.column_x(col) + inset + ln.x, baseline(geo, row, ln.size),
                                  ln.glyphs, ln.kind, art.id, para=ln.para, line=ln.line,
                                  last=ln.last and ln.para >= 0))
        if ln.loose > 0.25:
            rep.loose_lines += 1
    if len(lines) > len(cells):
        rest = lines[len(cells):]
        rep.overflow_lines = len(rest)
        rep.overflow_chars = sum(len(g.text) for ln in rest for g in ln.glyphs)
    rep.underfull_lines = max(0, rep.lines_available - len(lines))
    rep.missing = sorted(set(missing))
    if art.box:
        # The frame is the editor's shape: it runs to the module's foot.
        height = mod.lines
        box_frame(out, geo, mod, height)
    rep.rows_used = height
    return rep, height
