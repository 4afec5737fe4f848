"""An article's body as the flow pours it: its paragraphs set at the column's measure, each
paragraph prepared once and kept (`text.paragraph.Paragraph`), so that setting one again a line
longer or shorter (against 孤行) or at a continuation's measure re-uses its candidate lines."""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from ..model.document import Article, Geometry
from ..text.byline import byline_groups
from ..text.paragraph import Paragraph, SetLine, group_pieces, set_groups_right
from ..text.prepare import Style

if TYPE_CHECKING:
    from ..house import House

# Roles (the house gives their faces: layout/house.py)
BODY_FACE = "serif"
LEAD_IN_FACE = "sans-bold"
BYLINE_FACE = "kai"


INTERTITLE_FACE = "sans-bold"       # 小标题: bold 黑体 at the body size, on the grid
BOLD_FACE = "serif-bold"
BOLD_IN_KAI_FACE = "sans-bold"      # there is no bold 楷体: bold inside a kai span is 黑体


def emphasis_pieces(text: str, spans, body: Style, house: "House") -> list[tuple[str, Style]]:
    """A paragraph's (or a caption's) text as styled pieces: **bold**, [.着重号.] dots, {kai:…}
    (text/markup.py); bold in 楷体 is 黑体."""
    from ..text.markup import runs

    in_kai = body.face == house.face(BYLINE_FACE)          # a 楷体 caption or body (faces resolved)
    out = []
    for run, kinds in runs(text, spans):
        face = body.face
        if "kai" in kinds or (in_kai and "bold" in kinds):
            face = house.face(BOLD_IN_KAI_FACE if "bold" in kinds else BYLINE_FACE)
        elif "bold" in kinds:
            face = house.face(BOLD_FACE)
        out.append((run, replace(body, face=face, dots="dots" in kinds) if kinds else body))
    return out


class Body:
    """An article's body as set paragraphs (each a list of lines) plus the byline lines. A
    paragraph may be re-set one line longer or shorter to keep its last line off a column top."""

    def __init__(self, geo: Geometry, art: Article, width: float, house: "House"):
        size = art.body_size or geo.body_size
        t = art.typography
        body = house.style(art.body_face or BODY_FACE, size, level=t.level,
                           punctuation=t.punctuation, latin_gap=t.latin_gap, digit_gap=t.digit_gap)
        self.style = body
        self.byline_face = house.face(BYLINE_FACE)
        self.width = width
        self.indent = 2 * size
        self.drop_opening = t.drop_opening
        self.texts: list[Paragraph] = []      # each paragraph prepared once, set often
        self.paragraphs: list[list[SetLine]] = []
        self.adjusted: set[int] = set()
        missing: list[str] = []
        in_bracket = art.byline_position == "after_dateline" and bool(art.byline)
        self.intertitles = art.intertitles
        for n, para in enumerate(art.paragraphs):
            text = emphasis_pieces(para, art.emphasis[n] if art.emphasis else (),
                                   replace(body, face=house.face(INTERTITLE_FACE))
                                   if n in art.intertitles else body, house)
            pieces = text
            keep: list[tuple[int, int]] = []
            if n == 0 and art.dateline:
                lead = (art.dateline, replace(body, face=house.face(LEAD_IN_FACE)))
                if in_bracket:
                    # 本报讯（记者 冉红政 通讯员 姜璞）3月14日，…: names never broken.
                    kai = replace(body, face=self.byline_face)
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
                    pieces += [("）", kai), *text]
                else:
                    pieces = [lead, ("\u3000", body), *text]
            self.texts.append(Paragraph(pieces, keep))
            sp = self._set(n)
            self.paragraphs.append(sp.lines)
            missing += sp.missing
        self.byline: list[SetLine] = []
        self.groups = byline_groups(art.byline) if art.byline and not in_bracket else []
        if self.groups:
            sp = set_groups_right(self.groups, replace(body, face=self.byline_face), width,
                                  kind="byline")
            self.byline = sp.lines
            missing += sp.missing
        self.missing = sorted(set(missing))

    def copy(self) -> "Body":
        """The same setting, to be poured on its own: the prepared paragraphs (and the
        candidate lines they keep) are shared, the settings and their adjustments are not."""
        new = object.__new__(Body)
        new.__dict__.update(self.__dict__)
        new.paragraphs = list(self.paragraphs)
        new.adjusted = set(self.adjusted)
        return new

    def _set(self, p: int, looseness: int = 0, width: float | None = None, offset: int = 0,
             first_line: int = 0):
        """Paragraph `p` set (from character `offset` on, its lines counted from
        `first_line`), each line told its paragraph and place in it."""
        width = self.width if width is None else width
        text = self.texts[p].tail(offset) if offset else self.texts[p]
        title = p in self.intertitles
        sp = text.set(width, indent=0.0 if first_line or title else self.indent,
                      drop_opening=self.drop_opening, looseness=looseness)
        if sp is not None:
            for k, ln in enumerate(sp.lines):
                ln.para, ln.line, ln.keep = p, first_line + k, title
            if title and not first_line:
                # the space before it: a blank body line (columns.arrange drops it at a top)
                sp.lines.insert(0, SetLine([], width=width, last=True, kind="space"))
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
            out += set_groups_right(self.groups, replace(self.style, face=self.byline_face), width,
                                    kind="byline").lines
        return out
