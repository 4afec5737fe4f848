"""Invariants of a composed page, checked on every build and every check before anything is
written: what the page draws is what the issue file says, or the build says why not.

- glyphs: every character drawn has a glyph in the face that draws it (else it prints as
  nothing or a box). A missing glyph is the input's doing (a character no font has): it is
  reported per article (`ArticleReport.missing`, page furniture in `ComposedPage.missing`) and
  fails the build like an overflow.
- text: for each article, the characters drawn, in reading order (columns left to right, lines
  top to bottom, across a jump), equal its source (deck, dateline, paragraphs, byline,
  captions, credits): nothing dropped, added, reordered or changed, and two Latin words the
  source keeps apart are not run together. Text not drawn must be accounted for: overset
  (reported as overflow) or carried to a continuation.
- geometry: every item an article or ad draws lies inside its module, and no two modules
  overlap.

A text or geometry violation is paiban's own fault: `InvariantError` (exit 3) names the
invariant, the page and the article, and nothing is written.

These rules are written from what the issue file means, not from how composition works, so
that a composition bug cannot hide behind them.
"""
from __future__ import annotations

import unicodedata

from ..errors import InternalError
from ..flow.grid import ascent, line_face
from ..model.document import Article, Box, Issue
from ..model.placement import continuation_of, short_headline
from ..text.byline import byline_groups
from ..text.fonts import load_face

SLACK = 0.5            # pt: rounding of positions
WORD_GAP = 0.1         # em: at least this much blank between two Latin words the source separates
DECK_KINDS = ("kicker", "headline", "subhead")
BODY_KINDS = ("body", "byline")
HANGING = ("、", "，", "。", "．", ",", ".")


class InvariantError(InternalError):
    """paiban drew something the issue file does not say: a bug (exit 3)."""

    def __init__(self, invariant: str, page: int, item: str, detail: str):
        super().__init__(
            f"invariant '{invariant}' failed on page {page}, {item}: {detail}; nothing was written",
            hint="this is a bug in paiban, not in your file: please report it with the issue file")
        self.invariant = invariant


# ---------------------------------------------------------------------------------------------
# glyphs

def missing_glyphs(cp) -> dict[str, list[str]]:
    """Characters drawn in a face that has no glyph for them, per article id ("" for the page
    furniture), each once, in order of appearance."""
    out: dict[str, list[str]] = {}
    faces: dict[str, object] = {}
    for ln in cp.lines:
        if ln.kind == "proof":
            continue
        for g in ln.glyphs:
            face = faces.get(g.face)
            if face is None:
                face = faces[g.face] = load_face(g.face)
            cmap = face.gids
            for ch in g.text:
                if ord(ch) not in cmap and not ch.isspace():
                    seen = out.setdefault(ln.article, [])
                    if ch not in seen:
                        seen.append(ch)
    return out


# ---------------------------------------------------------------------------------------------
# text

def _plain(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum() or unicodedata.category(ch)[0] in "LN" and ord(ch) < 0x2E80


def word_breaks(source: str) -> set[int]:
    """Indices into `_plain(source)` of characters the source separates by white space from a
    preceding character, both Latin letters or digits ("open source" → {4})."""
    out: set[int] = set()
    n = 0
    gap = False
    prev = ""
    for ch in source:
        if ch.isspace():
            gap = True
            continue
        if gap and prev and _latin(prev) and _latin(ch):
            out.add(n)
        gap = False
        prev = ch
        n += 1
    return out


class Drawn:
    """The characters of some lines, in order, with where each glyph run starts and ends."""

    def __init__(self, lines):
        self.text: list[str] = []
        self.where: list[tuple[int, int]] = []      # per character: (line, glyph) index
        self.lines = lines
        for li, ln in enumerate(lines):
            for gi, g in enumerate(ln.glyphs):
                for ch in g.text:
                    if not ch.isspace():
                        self.text.append(ch)
                        self.where.append((li, gi))

    def string(self) -> str:
        return "".join(self.text)

    def gap_before(self, k: int) -> float | None:
        """Blank in em between character k−1 and k; None where a line ends between them."""
        (l0, g0), (l1, g1) = self.where[k - 1], self.where[k]
        if l0 != l1:
            return None
        if g0 == g1:
            return 0.0
        ln = self.lines[l0]
        a, b = ln.glyphs[g0], ln.glyphs[g1]
        return (b.x - a.x - _advance(a)) / b.size


def _reading_order(lines, geo, art: Article | None = None):
    """Body lines in reading order: column by column, top to bottom. The columns are the grid's,
    or an article's own (破栏, `columns:`): equal columns across its module."""
    left, pitch = geo.margin_left, geo.column_width + geo.gutter
    if art is not None and art.columns:
        from ..measure.article import text_inset

        left = geo.column_x(art.module.column)
        pitch = geo.own_columns(art.module.span, art.columns, text_inset(geo, art))[1]
    return sorted(lines, key=lambda ln: (int((ln.x - left + SLACK) // pitch), ln.baseline))


def _deck_order(lines, vertical: bool):
    if not vertical:
        return sorted(lines, key=lambda ln: (round(ln.baseline, 1), ln.x))

    def centre_top(ln):
        g = ln.glyphs[0]
        a = ascent(line_face(ln.glyphs))
        if ln.angle:                     # a Latin run turned clockwise: x is its em box's left
            return ln.x + (a - 0.5) * g.size, ln.baseline
        last = ln.glyphs[-1]
        return ln.x + (g.x + last.x + _ink(last)[1]) / 2, ln.baseline - a * g.size

    # columns right to left (cells of one column share their centre), top to bottom in each
    cells = sorted(((*centre_top(ln), ln) for ln in lines if ln.glyphs), key=lambda c: -c[0])
    columns: list[list] = []
    for c in cells:
        if columns and columns[-1][0][0] - c[0] < 0.5 * c[2].glyphs[0].size:
            columns[-1].append(c)
        else:
            columns.append([c])
    return [c[2] for col in columns for c in sorted(col, key=lambda c: c[1])]


# A vertical head sets marks in their vertical forms and quotes as corner brackets (clreq 3.1.5).
_QUOTES = str.maketrans({q: '"' for q in "“”‘’「」『』"})


def _upright(s: str) -> str:
    return unicodedata.normalize("NFKC", s).translate(_QUOTES)


def _compare(drawn: Drawn, source: str, *, whole: bool, page: int, item: str, what: str,
             vertical: bool = False, start: int = 0) -> int:
    """Check that `drawn` is `source` from its `start`th character (to its end, where `whole`,
    else a beginning of that); returns how many of the source's characters were drawn."""
    got = drawn.string()
    want = _plain(source)[start:]
    if vertical:
        got, want = _upright(got), _upright(want)
    if got != want[:len(got)] or (whole and len(got) != len(want)):
        k = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        raise InvariantError("text", page, item,
                             f"{what} drawn as …{got[max(0, k - 8):k + 12]!r}… where the issue file "
                             f"has …{want[max(0, k - 8):k + 12]!r}… (character {k + 1})")
    if not vertical:
        for k in (b - start for b in word_breaks(source)):
            if 0 < k < len(got):
                gap = drawn.gap_before(k)
                if gap is not None and gap < WORD_GAP:
                    raise InvariantError("text", page, item,
                                         f"{what}: the words at {want[max(0, k - 10):k + 10]!r} "
                                         "are run together (the issue file has a space)")
    return len(got)


def body_source(art: Article) -> str:
    """The text an article's body columns print: dateline, paragraphs, byline (or the byline in
    brackets after the dateline)."""
    if art.byline_position == "after_dateline" and art.byline and art.dateline:
        head = art.dateline + "（" + "".join(byline_groups(art.byline)) + "）"
        return head + "".join(art.paragraphs)
    return art.dateline + "".join(art.paragraphs) + art.byline


def verify_page(issue: Issue, cp) -> dict:
    """Check the glyphs, text and geometry invariants of one composed page; fills in the
    reports' missing characters. Returns what `verify_jumps` needs: for a jumping article, how
    many characters of its body this page drew; for a continuation, what it drew."""
    page = cp.page
    geo = page.geometry
    boxes = [(a.id, a.module) for a in page.articles] + [(a.id, a.module) for a in page.ads]
    for i, (ia, a) in enumerate(boxes):
        for ib, b in boxes[i + 1:]:
            if a.overlaps(b):
                raise InvariantError("geometry", page.number, f"modules {ia} and {ib}",
                                     "the two modules overlap")
    lost = missing_glyphs(cp)
    cp.missing = lost.get("", [])
    reports = {r.id: r for r in cp.reports}
    by_article: dict[str, list] = {}
    for ln in cp.lines:
        by_article.setdefault(ln.article, []).append(ln)
    pics: dict[str, list] = {}
    for p in cp.pictures:
        pics.setdefault(p.article, []).append(p)
    drawn: dict = {}
    for art in page.articles:
        rep = reports.get(art.id)
        if rep is not None:
            rep.missing = list(lost.get(art.id, []))
        lines = by_article.get(art.id, [])
        item = f"article {art.id}"
        _verify_decks(issue, art, lines, page.number, item, rep)
        _verify_captions(art, lines, pics.get(art.id, []), page.number, item)
        body = Drawn(_reading_order([ln for ln in lines if ln.kind in BODY_KINDS], geo, art))
        if art.continued_from:
            drawn[art.id] = body              # checked with its first part: verify_jumps
        else:
            n = _compare(body, body_source(art), whole=False, page=page.number, item=item,
                         what="the body")
            short = len(_plain(body_source(art))) - n
            if short and rep is not None and not (rep.overflow_lines or rep.carried_lines):
                raise InvariantError("text", page.number, item,
                                     f"{short} characters of the body are not drawn, and no "
                                     "overflow or jump accounts for them")
            if art.continued_on:
                drawn[art.id] = n
        _verify_inside(art.module, lines, pics.get(art.id, []), page.number, item, geo,
                       skip_kinds=() if rep is None or rep.deck_fits else DECK_KINDS)
    for ad in page.ads:
        _verify_inside(ad.module, by_article.get(ad.id, []), pics.get(ad.id, []), page.number,
                       f"ad {ad.id}", geo)
    return drawn


def verify_jumps(issue: Issue, pages, drawn: dict) -> None:
    """A jumped article's continuations go on where the part before stopped, and all the
    parts together draw its whole body, unless the last part overflows."""
    reports = {r.id: r for cp in pages for r in cp.reports}
    number = {a.id: cp.page.number for cp in pages for a in cp.page.articles}
    for cp in pages:
        for art in cp.page.articles:
            if not art.continued_on or art.continued_from or art.id not in drawn:
                continue
            src = body_source(art)
            n = drawn[art.id]
            last = reports.get(art.id)
            for part in (a for p in issue.pages for a in p.articles if a.continued_from == art.id):
                if part.id in drawn:
                    n += _compare(drawn[part.id], src, whole=False, page=number[part.id],
                                  item=f"article {part.id}", what=f"the continuation of {art.id}",
                                  start=n)
                    last = reports.get(part.id)
            total = len(_plain(src))
            if n != total and not (n < total and last is not None and last.overflow_lines):
                raise InvariantError("text", cp.page.number, f"article {art.id}",
                                     f"its parts draw {n} of the body's {total} characters")


def _verify_decks(issue, art, lines, page, item, rep) -> None:
    parts = {k: [ln for ln in lines if ln.kind == k] for k in DECK_KINDS}
    if art.continued_from:
        first = continuation_of(issue, art)
        want = {"headline": short_headline(first[1], art) if first else ""}
    else:
        want = {"kicker": art.deck.kicker, "headline": art.deck.headline,
                "subhead": art.deck.subhead}
    vertical = art.deck.vertical is not None and not art.continued_from
    for kind in DECK_KINDS:
        drawn = Drawn(_deck_order(parts[kind], vertical))
        _compare(drawn, want.get(kind, ""), whole=True, page=page, item=item,
                 what=f"the {kind}", vertical=vertical)


def _verify_captions(art, lines, pictures, page, item) -> None:
    """Each caption line lies under its photo, or beside it (`caption_side`), and each photo's
    lines read as its caption and credit. A photo's frame is the union of its pictures' frames
    (a 组图's several; a picture printed whole, `fit: contain`, stands inside its frame)."""
    frames, at = [], 0
    for ph in art.photos:
        mine = pictures[at:at + len(ph.files)]
        at += len(ph.files)
        boxes = [p.frame or (p.x, p.y, p.width, p.height) for p in mine]
        if boxes:
            frames.append((ph, min(b[0] for b in boxes), min(b[1] for b in boxes),
                           max(b[0] + b[2] for b in boxes), max(b[1] + b[3] for b in boxes)))
    got: list[list] = [[] for _ in frames]
    for ln in (ln for ln in lines if ln.kind in ("caption", "credit")):
        best = None
        for k, (ph, x0, y0, x1, y1) in enumerate(frames):
            d = None
            if x0 - SLACK <= ln.x <= x1 and ln.baseline > y1:
                d = ln.baseline - y1
            elif ph.caption_side == "right" and ln.x >= x1 - SLACK and ln.baseline > y0:
                d = ln.x - x1
            elif ph.caption_side == "left" and _extent(ln)[2] <= x0 + SLACK and ln.baseline > y0:
                d = x0 - _extent(ln)[2]
            if d is not None and (best is None or d < best[0]):
                best = (d, k)
        if best is None:
            raise InvariantError("geometry", page, item,
                                 f"the caption line {ln.text[:12]!r} is under or beside none of "
                                 "its photos")
        got[best[1]].append(ln)
    for k, ((ph, *_), mine) in enumerate(zip(frames, got)):
        drawn = Drawn(sorted(mine, key=lambda ln: (round(ln.baseline, 1), ln.x)))
        _compare(drawn, ph.caption + ph.credit, whole=True, page=page, item=item,
                 what=f"the caption of photo {k + 1}")


# ---------------------------------------------------------------------------------------------
# geometry

def module_rect(geo, m: Box) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a module in pt from the page's top left."""
    left = geo.column_x(m.column)
    return left, geo.line_top(m.line), left + geo.span_width(m.span), geo.line_top(m.line + m.lines)


def _extent(ln) -> tuple[float, float, float, float]:
    size = max(g.size for g in ln.glyphs)
    if ln.angle:                       # a Latin run turned to read downward in a vertical head
        g = ln.glyphs[-1]
        length = g.x + _advance(g)
        return ln.x, ln.baseline, ln.x + size, ln.baseline + length
    first, last = ln.glyphs[0], ln.glyphs[-1]
    left = ln.x + first.x + _ink(first)[0]
    right = ln.x + last.x + _ink(last)[1]
    if last.text in HANGING:
        right -= last.size             # a mark hung past the measure (clreq: 行尾点号悬挂)
    a = ascent(line_face(ln.glyphs))      # every glyph's em box is moved onto the line's
    return left, ln.baseline - a * size, right, ln.baseline + (1 - a) * size


def _ink(g) -> tuple[float, float]:
    """Left and right edges of a glyph run from its origin, in pt: a mark's ink as the font
    draws it (an opening bracket at a line start may drop its blank half past the edge)."""
    face = load_face(g.face)
    if len(g.text) == 1 and g.text in face.ink and g.gid is None:   # not a vertical alternate
        lo, hi = face.ink[g.text]
        return lo * g.size, hi * g.size
    return 0.0, _advance(g)


def _advance(g) -> float:
    """A glyph run's advance in pt (what its face has of it)."""
    face = load_face(g.face)
    return sum(face.advance(ch) for ch in g.text if face.has(ch)) * g.size


def _verify_inside(m: Box, lines, pictures, page, item, geo, skip_kinds=()) -> None:
    left, top, right, bottom = module_rect(geo, m)

    def inside(x0, y0, x1, y1) -> bool:
        return (x0 >= left - SLACK and y0 >= top - SLACK and x1 <= right + SLACK
                and y1 <= bottom + SLACK)

    for ln in lines:
        if not ln.glyphs or ln.kind in skip_kinds or ln.kind == "proof":
            continue
        if not inside(*_extent(ln)):
            raise InvariantError("geometry", page, item,
                                 f"the {ln.kind} line {ln.text[:12]!r} lies outside the module "
                                 f"(column {m.column}, span {m.span}, line {m.line}, "
                                 f"{m.lines} lines)")
    for p in pictures:
        if not inside(p.x, p.y, p.x + p.width, p.y + p.height):
            raise InvariantError("geometry", page, item,
                                 f"the photo {p.path.name} lies outside the module (column "
                                 f"{m.column}, span {m.span}, line {m.line}, {m.lines} lines)")
