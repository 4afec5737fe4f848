"""Paragraphs and bylines set into lines of a given measure."""
from __future__ import annotations

from dataclasses import dataclass, field

from .line import Glyph, measure, place
from .linebreak import LINE_PENALTY, Candidates, _Prefix, break_paragraph
from .prepare import Style, prepare


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

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)


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
        self._prepared: dict = {}      # longest unit → Prepared
        self._candidates: dict = {}    # (longest unit, measures, options, emergency) → Candidates

    def _prepare(self, max_unit: float):
        prep = self._prepared.get(max_unit)
        if prep is None:
            prep = self._prepared[max_unit] = prepare(self.pieces, max_unit=max_unit)
            if self.keep:
                _keep_together(prep.atoms, "".join(t for t, _ in self.pieces), self.keep)
        return prep

    def set(self, width: float, *, indent: float = 0.0, kind: str = "body",
            justify_last: bool = False, drop_opening: bool = False, looseness: int = 0,
            rest_indent: float = 0.0) -> SetParagraph | None:
        """Break and justify the paragraph. `indent` (pt) is taken from its first line (段首缩进,
        2 em in body text); `rest_indent` (pt) from every later line (凸排: a hanging indent for
        lists and Q&A when `indent` is 0). `justify_last` spreads the last line too (均排).

        `looseness` ±1 asks for the best setting with one line more or fewer than the optimum
        (to move a paragraph's last line off a column top); None when there is none."""
        max_unit = max(width - indent, width - rest_indent)
        prep = self._prepare(max_unit)
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
                if len(alt.ends) == want and all(not m.too_long for m in alt.metrics):
                    brk = alt
                    break
            else:
                return None
        lines = []
        for n, m in enumerate(brk.metrics):
            glyphs = place(atoms, m)
            em = atoms[m.end - 1].size
            lines.append(SetLine(glyphs, x=indent if n == 0 else rest_indent, width=m.width,
                                 last=m.last, loose=m.even / em, kind=kind, size=em, cost=m.cost))
        return SetParagraph(lines, prep.missing, brk.emergency)


def _keep_together(atoms, text: str, keep: list[tuple[int, int]]) -> None:
    """Take away the break opportunities inside the kept stretches of `text`."""
    pos = 0
    for a in atoms:
        at = text.find(a.text, pos)
        if at < 0:
            continue
        end = at + len(a.text)
        pos = end
        if any(s <= at and end < e for s, e in keep):
            a.breakable = False


def set_groups_right(groups: list[str], style: Style, width: float, *, kind: str) -> SetParagraph:
    """A byline: groups ("记者 冉红政", "通讯员 姜璞", "文/图") never broken inside, filled from the
    end so that the last line is full, each line flush right."""
    sep = style.size * 0.5
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
                glyphs.append(Glyph(g.text, g.face, g.size, g.x + x))
            x += widths[k] + sep
        total = x - sep
        lines.append(SetLine(glyphs, x=max(0.0, width - total), width=width, last=True,
                             kind=kind, size=style.size))
    return SetParagraph(lines, missing)


def set_line(text: str, style: Style, *, tracking: float = 0.0) -> SetLine:
    """One unbroken line at its natural width, with `tracking` pt added between atoms."""
    prep = prepare([(text, style)])
    atoms = prep.atoms
    glyphs: list[Glyph] = []
    x = 0.0
    for k, a in enumerate(atoms):
        glyphs.append(Glyph(a.text, a.face, a.size, x + a.offset))
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
