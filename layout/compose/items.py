"""What page composition produces and output draws: positioned lines, rules, images.

Coordinates are in points from the page's top-left corner (y grows downward); the PDF writer
turns them over. Colours are CMYK, 0..1.
"""
from __future__ import annotations

from array import array
from dataclasses import dataclass, field
from pathlib import Path

from ..model.document import Box, Page
from ..text.line import Glyph

BLACK = (0.0, 0.0, 0.0, 1.0)


@dataclass
class TextLine:
    """One drawn line. `article` is the id of the article (or ad) that owns it, "" for page
    furniture. A body line also says where it stands in its article's text: `para`, the index
    of its paragraph in the article's `paragraphs` (0-based; -1 for every line that is not
    paragraph text: decks, bylines, captions, credits, jump lines, furniture); `line`, its
    index in that paragraph (0: the paragraph's first line; a continuation counts on from the
    first part); `last`, whether it ends the paragraph. Widows and orphans are read off these
    (`layout.flow.columns.widows`), never guessed from indents."""
    x: float
    baseline: float
    glyphs: list[Glyph]
    kind: str = "body"            # body | byline | caption | credit | jump | kicker | headline | subhead | furniture
    article: str = ""
    color: tuple[float, float, float, float] = BLACK
    angle: float = 0.0            # clockwise rotation, degrees (90: a Latin run in a vertical head)
    para: int = -1
    line: int = 0
    last: bool = False

    @property
    def text(self) -> str:
        return "".join(g.text for g in self.glyphs)

    def __reduce__(self):
        # Pages composed in worker processes come back pickled: 50,000 glyph objects for 16
        # pages took 0.33 s to pickle and unpickle one by one; as columns, a tenth of that.
        g = self.glyphs
        return (_text_line, (self.x, self.baseline, self.kind, self.article, self.color,
                             self.angle, _SEP.join(x.text for x in g), [x.face for x in g],
                             array("d", [x.size for x in g]).tobytes(),
                             array("d", [x.x for x in g]).tobytes(),
                             self.para, self.line, self.last,
                             [k for k, x in enumerate(g) if x.dots],
                             [(k, x.gid) for k, x in enumerate(g) if x.gid is not None]))


_SEP = "\x1f"     # a control character: never in text (the issue file's YAML refuses them)


def _text_line(x, baseline, kind, article, color, angle, texts, faces, sizes, xs,
               para=-1, line=0, last=False, dots=(), gids=()) -> TextLine:
    sizes, xs = array("d", sizes), array("d", xs)
    glyphs = [Glyph(t, f, s, gx) for t, f, s, gx in zip(texts.split(_SEP), faces, sizes, xs)
              ] if faces else []
    for k in dots:
        glyphs[k].dots = True
    for k, gid in gids:
        glyphs[k].gid = gid
    return TextLine(x, baseline, glyphs, kind, article, color, angle, para, line, last)


@dataclass
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float = 0.5
    color: tuple[float, float, float, float] = BLACK
    dash: tuple[float, ...] = ()  # on, off lengths in pt; drawn with round caps (0, g: dots)


@dataclass
class Fill:
    """A filled rectangle under the text: a module's tint (底纹), the block of a reversed head."""
    x: float
    y: float                      # top edge
    width: float
    height: float
    color: tuple[float, float, float, float]
    article: str = ""


@dataclass
class Picture:
    path: Path
    x: float
    y: float                      # top edge
    width: float
    height: float
    focus: tuple[float, float] = (0.5, 0.5)
    article: str = ""
    frame: tuple[float, float, float, float] | None = None   # x, y, w, h it was fitted in
    # (`fit: contain`: the picture whole, smaller than its frame)


@dataclass
class ArticleReport:
    """How an article fared: the figures `paiban check` reports."""
    id: str
    module: Box
    lines_needed: int = 0         # body lines of text, byline included
    lines_available: int = 0      # body-line slots in the module
    overflow_lines: int = 0
    overflow_chars: int = 0
    underfull_lines: int = 0      # empty slots left in the module
    headline_size: float = 0.0
    headline_fits: bool = True
    headline_weak: str = ""       # 副|区长: the head breaks inside a likely name or term
    loose_lines: int = 0          # lines whose Han gaps exceed ¼ em
    missing: list[str] = field(default_factory=list)
    headline_lines: int = 0
    deck_over: int = 0            # grid lines the deck needs beyond the module's height
    jump_to: int = 0              # 下转第N版: the page the article goes on to (0: none)
    jump_from: int = 0            # 上接第N版: the page this continuation comes from
    carried_lines: int = 0        # body lines handed on to the continuation
    rows_used: int = 0            # grid lines of the module in use (balanced columns, frame)
    # 碎栏: (photo number from 1, "under" | "over", first column, last column, lines)
    strips: list[tuple[int, str, int, int, int]] = field(default_factory=list)
    widows: int = 0               # 孤行 left in the module (the flow could not mend them)
    resolved: list = field(default_factory=list)   # 碎栏 resolved (compose/strips.Resolution)

    @property
    def fits(self) -> bool:
        return self.overflow_lines == 0

    @property
    def deck_fits(self) -> bool:
        """The headline fits its span and the deck its module's height."""
        return self.headline_fits and not self.deck_over


@dataclass
class ComposedPage:
    page: Page
    width: float
    height: float
    lines: list[TextLine] = field(default_factory=list)
    rules: list[Rule] = field(default_factory=list)
    fills: list[Fill] = field(default_factory=list)
    pictures: list[Picture] = field(default_factory=list)
    reports: list[ArticleReport] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)   # characters of the furniture no font has
    overset: list["Overset"] = field(default_factory=list)   # furniture text left unprinted


@dataclass
class Overset:
    """Page furniture that did not fit its place (the editors' credit): what was left out.
    Reported by `build` and `check` like an article's overflow."""
    part: str                     # editors
    entries: int                  # entries not printed (of `total`)
    total: int
    chars: int                    # characters not printed
    lines: int                    # lines they would take at the place's width


def overset_text(o: Overset) -> str:
    """What an editor reads: 责任编辑等 1987 of 2000 entries not printed."""
    return (f"排不下 {o.entries} 项，约 {o.chars} 字 (does not fit its place: {o.entries} of "
            f"{o.total} entries, about {o.chars} characters, not printed)")
