"""Paragraphs and bylines set into lines of a given measure."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import classify as C
from .line import TIGHT, Glyph, measure, place
from .linebreak import LINE_PENALTY, Candidates, _Prefix, break_paragraph
from .prepare import DATELINE_PENALTY, Style, prepare


@dataclass
class SetLine:
    glyphs: list[Glyph]
    x: float = 0.0                 # offset of the line inside the column (indent, right alignment)
    width: float = 0.0             # the measure the line was set to
    last: bool = False             # a paragraph's last line (not justified)
    loose: float = 0.0             # extra space per junction, in em (0 for a tight line)
    kind: str = "body"             # body | byline | caption | head
    size: float = 9.0
    cost: float = 0.0              # the line's badness as the breaker judged it
    start: int = 0                 # offset of its first character in the paragraph's text
    natural: float = 0.0           # width of what it holds, unjustified, pt
    para: int = -1                 # the article paragraph it belongs to (-1: none; see TextLine)
    line: int = 0                  # its index in that paragraph (0: the first line)
    keep: bool = False             # an intertitle's line: kept with the line after it

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


class _Unplaced:
    """A line's glyphs before they are placed: most lines set are only weighed (the looseness
    variants against 孤行, the 碎栏 trials), never drawn, so `place` runs on first use."""
    __slots__ = ("atoms", "metrics")

    def __init__(self, atoms, metrics):
        self.atoms, self.metrics = atoms, metrics


def _get_glyphs(line: SetLine) -> list[Glyph]:
    g = line._glyphs
    if g.__class__ is _Unplaced:
        g = line._glyphs = place(g.atoms, g.metrics)
    return g


def _set_glyphs(line: SetLine, glyphs) -> None:
    line._glyphs = glyphs


SetLine.glyphs = property(_get_glyphs, _set_glyphs)    # (the dataclass's __init__ sets it)


@dataclass
class SetParagraph:
    lines: list[SetLine]
    missing: list[str] = field(default_factory=list)
    emergency: bool = False        # a prohibition gave way: something was wider than the line


# Line penalties tried, in order, to make a paragraph one line longer or shorter.
_LOOSER = (-40.0, -150.0, -600.0, -3000.0)
_TIGHTER = (80.0, 300.0, 1500.0, 8000.0)


def set_paragraph(pieces: list[tuple[str, Style]], width: float, *, indent: float = 0.0,
                  kind: str = "body", justify_last: bool = False,
                  drop_opening: bool = False, looseness: int = 0,
                  rest_indent: float = 0.0,
                  keep: list[tuple[int, int]] | None = None) -> SetParagraph | None:
    """Break and justify one paragraph (see `Paragraph.set`). `keep` lists (start, end)
    character offsets, in the pieces' text run together, of stretches never broken (names in
    a bracketed byline)."""
    return Paragraph(pieces, keep).set(width, indent=indent, kind=kind, justify_last=justify_last,
                                       drop_opening=drop_opening, looseness=looseness,
                                       rest_indent=rest_indent)


class Paragraph:
    """A paragraph's text, prepared and measured once however often it is set: an article's
    body sets a paragraph again one line longer or shorter (against 孤行), and each setting at
    the same measure re-uses the atoms and the candidate lines (`Candidates`) of the first."""

    def __init__(self, pieces: list[tuple[str, Style]], keep: list[tuple[int, int]] | None = None):
        self.pieces = pieces
        self.keep = keep
        self._prepared: dict = {}      # longest unit → (Prepared, atoms' character offsets)
        self._candidates: dict = {}    # (longest unit, measures, options, emergency) → Candidates

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.pieces)

    def _prepare(self, max_unit: float):
        got = self._prepared.get(max_unit)
        if got is None:
            prep = prepare(self.pieces, max_unit=max_unit)
            text = self.text
            starts = _offsets(prep.atoms, text)
            # kept stretches and datelines (据新华社南京10月15日电: one group, issue 16)
            datelines = list(C.DATELINE.finditer(text))
            keep = (self.keep or []) + [m.span() for m in datelines]
            # where a dateline wider than its line may yet break, at a price
            inner = {m.end(g) for m in datelines for g in ("agency", "place")
                     if m.group(g)} | {m.start() + m.group().find("月") + 1 for m in datelines
                                       if m.group("agency")}
            if keep:
                for a, at in zip(prep.atoms, starts):
                    if any(s <= at and at + len(a.text) < e for s, e in keep):
                        a.breakable = False       # no break inside a kept stretch
                        if at + len(a.text) in inner:
                            a.breakable, a.penalty = True, DATELINE_PENALTY
            got = self._prepared[max_unit] = (prep, starts)
        return got

    def tail(self, offset: int) -> "Paragraph":
        """The paragraph from character `offset` on (where a line of an earlier setting
        starts), its pieces' styles and kept stretches as they were."""
        pieces, pos = [], 0
        for text, style in self.pieces:
            if pos + len(text) > offset:
                pieces.append((text[max(0, offset - pos):], style))
            pos += len(text)
        keep = [(max(0, s - offset), e - offset) for s, e in self.keep or () if e > offset]
        return Paragraph(pieces, keep or None)

    def set(self, width: float, *, indent: float = 0.0, kind: str = "body",
            justify_last: bool = False, drop_opening: bool = False, looseness: int = 0,
            rest_indent: float = 0.0) -> SetParagraph | None:
        """Break and justify the paragraph. `indent` (pt) is taken from its first line (段首缩进,
        2 em in body text); `rest_indent` (pt) from every later line (凸排: a hanging indent for
        lists and Q&A when `indent` is 0). `justify_last` spreads the last line too (均排).

        `looseness` ±1 asks for the best setting with one line more or fewer than the optimum
        (to move a paragraph's last line off a column top); None when there is none that has
        no more loose lines (Han gaps over ⅛ em) than the optimum."""
        # a unit wider than the narrowest line is split (a URL after the 2-em indent still fits)
        max_unit = min(width - indent, width - rest_indent)
        prep, starts = self._prepare(max_unit)
        atoms = prep.atoms
        first_w, rest_w = width - indent, width - rest_indent

        def candidates(emergency: bool) -> Candidates:
            key = (max_unit, first_w, rest_w, justify_last, drop_opening, emergency)
            found = self._candidates.get(key)
            if found is None:
                found = self._candidates[key] = Candidates(atoms, first_w, rest_w, drop_opening,
                                                           justify_last, emergency)
            return found

        def breaks(penalty: float = LINE_PENALTY):
            return break_paragraph(atoms, first_w, rest_w, last_justified=justify_last,
                                   drop_opening=drop_opening, line_penalty=penalty,
                                   candidates=candidates)

        brk = breaks()
        if looseness:
            want = len(brk.ends) + looseness
            for pen in (_LOOSER if looseness > 0 else _TIGHTER):
                alt = breaks(pen)
                if (len(alt.ends) == want and all(not m.too_long for m in alt.metrics)
                        and _loose_lines(alt, atoms) <= _loose_lines(brk, atoms)):
                    brk = alt
                    break
            else:
                return None
        lines = []
        for n, m in enumerate(brk.metrics):
            em = atoms[m.end - 1].size
            lines.append(SetLine(_Unplaced(atoms, m), x=indent if n == 0 else rest_indent,
                                 width=m.width, last=m.last, loose=m.even / em, kind=kind,
                                 size=em, cost=m.cost, start=starts[m.start], natural=m.natural))
        return SetParagraph(lines, prep.missing, brk.emergency)


def _loose_lines(brk, atoms) -> int:
    """Justified lines of a setting whose Han gaps take more than ⅛ em of even spacing."""
    return sum(1 for m in brk.metrics
               if not m.last and m.even > TIGHT * atoms[m.end - 1].size + 1e-6)


def _offsets(atoms, text: str) -> list[int]:
    """Where each atom's text starts in `text` (atoms hold the text verbatim, less spaces)."""
    out, pos = [], 0
    for a in atoms:
        at = text.find(a.text, pos)
        if at < 0:                   # not expected; keep the offsets increasing
            at = pos
        out.append(at)
        pos = at + len(a.text)
    return out


def _natural(text: str, style: Style) -> float:
    """Width of `text` set solid on one line, pt."""
    atoms = prepare([(text, style)]).atoms
    return sum(a.width + a.gap for a in atoms) - (atoms[-1].gap if atoms else 0.0)


def group_pieces(group: str, style: Style, width: float) -> list[str]:
    """A group wider than the measure (记者 and thirty names) in pieces that fit, broken only
    between its words: a name is never broken, and the role keeps its first name."""
    if _natural(group, style) <= width + 1e-6:
        return [group]
    words = group.split()
    out = [words[0]]
    for w in words[1:]:
        role_alone = len(out) == 1 and out[0] == words[0]
        if role_alone or _natural(out[-1] + " " + w, style) <= width + 1e-6:
            out[-1] += " " + w
        else:
            out.append(w)
    return out


def set_groups_right(groups: list[str], style: Style, width: float, *, kind: str) -> SetParagraph:
    """A byline: groups ("记者 冉红政", "通讯员 姜璞", "文/图") never broken inside, filled from the
    end so that the last line is full, each line flush right. A group wider than the measure
    breaks between its names (`group_pieces`): a byline wraps, it is never cut."""
    sep = style.size * 0.5
    groups = [piece for g in groups for piece in group_pieces(g, style, width)]
    sets = [prepare([(g, style)]) for g in groups]
    widths = [sum(a.width + a.gap for a in p.atoms) - (p.atoms[-1].gap if p.atoms else 0)
              for p in sets]
    missing = [ch for p in sets for ch in p.missing]
    rows: list[list[int]] = []
    cur: list[int] = []
    cur_w = 0.0
    for k in reversed(range(len(groups))):
        w = widths[k] + (sep if cur else 0.0)
        if cur and cur_w + w > width + 1e-6:
            rows.append(cur)
            cur, cur_w = [], 0.0
            w = widths[k]
        cur.insert(0, k)
        cur_w += w
    if cur:
        rows.append(cur)
    rows.reverse()
    lines = []
    for row in rows:
        glyphs: list[Glyph] = []
        x = 0.0
        for k in row:
            atoms = sets[k].atoms
            pre = _Prefix(atoms)
            m = measure(atoms, pre, 0, len(atoms), widths[k] + 1e-3, last=True)
            for g in place(atoms, m):
                glyphs.append(Glyph(g.text, g.face, g.size, g.x + x, g.dots))
            x += widths[k] + sep
        total = x - sep
        lines.append(SetLine(glyphs, x=max(0.0, width - total), width=width, last=True,
                             kind=kind, size=style.size, natural=total))
    return SetParagraph(lines, missing)


def set_caption(caption: str, credit: str, style: Style, width: float, pieces=None
                ) -> tuple[list[tuple[int, SetLine]], list[str]]:
    """A photo's caption and its credit (冉红政 摄): the caption set as a paragraph, the credit
    one unbreakable group flush right — on the caption's last line when it fits there at least
    1 em from the text, else on a line of its own. (row under the picture, line) pairs, and
    the characters no face has. `pieces`: the caption as styled runs (its inline emphasis)."""
    out: list[tuple[int, SetLine]] = []
    missing: list[str] = []
    if caption:
        sp = set_paragraph(pieces or [(caption, style)], width, kind="caption")
        out += list(enumerate(sp.lines))
        missing += sp.missing
    if credit:
        cr = set_groups_right([credit], style, width, kind="credit")
        missing += cr.missing
        row = len(out)
        if out and len(cr.lines) == 1:
            last = out[-1][1]
            if last.x + last.natural + style.size + cr.lines[0].natural <= width + 1e-6:
                row -= 1
        out += [(row + k, ln) for k, ln in enumerate(cr.lines)]
    return out, sorted(set(missing))


def set_line(text: str, style: Style, *, tracking: float = 0.0) -> SetLine:
    """One unbroken line at its natural width, with `tracking` pt added between atoms."""
    prep = prepare([(text, style)])
    atoms = prep.atoms
    glyphs: list[Glyph] = []
    x = 0.0
    for k, a in enumerate(atoms):
        glyphs.append(Glyph(a.text, a.face, a.size, x + a.offset, a.dots))
        if k == len(atoms) - 1:
            x += a.width - a.end_trim
        else:
            x += a.width + a.gap + tracking
    line = SetLine(glyphs, width=x, last=True, kind="head", size=style.size)
    return line


def set_tupai(label: str, text: str, style: Style, width: float, *,
              label_chars: int = 3) -> SetParagraph:
    """凸排 (clreq first_line_indents, tupai/itemization): a label such as a speaker's name,
    its colon, then the text; the second and later lines are indented by the label's width,
    `label_chars` characters plus the colon. A shorter name is spaced out to that width (张三 →
    张　三), a longer one sets the indent by its own width."""
    em = style.size
    name = label.rstrip("：:")
    if 1 < len(name) < label_chars:
        gaps = len(name) - 1
        extra = label_chars - len(name)
        # spread the missing ems over the name's junctions with ideographic spaces when they
        # divide evenly, otherwise justify the label line as a whole
        if extra % gaps == 0:
            name = ("\u3000" * (extra // gaps)).join(name)
    head = name + "："
    indent_em = max(label_chars, len(name)) + 1
    return set_paragraph([(head + text, style)], width, indent=0.0,
                         rest_indent=indent_em * em)
