"""The model of an issue: what the YAML file says, typed.

Positions on a page are in grid units: columns and body lines, counted from 1 the way a
layout editor counts them. Lengths in points (1 pt = 1/72 in) once parsed.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Source:
    """Where a value came from in the issue file, for error messages."""
    file: Path
    line: int = 0          # 1-based; 0 when unknown
    column: int = 0

    def __str__(self) -> str:
        if self.line:
            return f"{self.file}:{self.line}:{self.column}" if self.column else f"{self.file}:{self.line}"
        return str(self.file)


MIN_LEADING = 0.2                 # em: the least space between body lines (9 pt on a 12 pt pitch: ⅓)
MODULE_GRIDS = ((5, 4), (4, 3), (3, 2), (2, 1))   # (grid lines, body lines) of a module grid


@dataclass(frozen=True)
class Geometry:
    """The page grid (版心 and 网格)."""
    name: str
    page_width: float           # pt
    page_height: float          # pt
    columns: int
    chars_per_column: int
    gutter_chars: int
    body_size: float            # pt
    line_pitch: float           # pt, baseline to baseline
    lines: int                  # body lines per column

    @property
    def column_width(self) -> float:
        return self.chars_per_column * self.body_size

    @property
    def gutter(self) -> float:
        return self.gutter_chars * self.body_size

    @property
    def type_width(self) -> float:
        return self.columns * self.column_width + (self.columns - 1) * self.gutter

    @property
    def type_height(self) -> float:
        return self.lines * self.line_pitch

    @property
    def margin_left(self) -> float:
        return (self.page_width - self.type_width) / 2

    @property
    def margin_top(self) -> float:
        # Type area centred on the sheet, a little high: the foot margin is larger.
        return (self.page_height - self.type_height) * 0.46

    def column_x(self, column: int) -> float:
        """Left edge of grid column `column` (1-based), in pt from the page's left edge."""
        return self.margin_left + (column - 1) * (self.column_width + self.gutter)

    def span_width(self, span: int) -> float:
        return span * self.column_width + (span - 1) * self.gutter

    def own_columns(self, span: int, count: int, inset: float = 0.0) -> tuple[float, float]:
        """破栏: (column width, distance from one column's left edge to the next's) of `count`
        equal columns across a module `span` grid columns wide, `inset` in from each side. A
        column holds whole characters (as many as fit with at least the grid's gutter between
        columns); what is left over widens the gutters evenly."""
        width = self.span_width(span) - 2 * inset
        chars = int((width - (count - 1) * self.gutter) / (count * self.body_size) + 1e-9)
        col = chars * self.body_size
        return col, (col + (width - count * col) / (count - 1) if count > 1 else col)

    def module_grid(self, size: float) -> tuple[int, int]:
        """(n, m): body text of `size` takes m lines to every n grid lines. (1, 1), the page's
        grid, where its pitch gives the type at least MIN_LEADING of leading; else the first
        of MODULE_GRIDS that does, lines meeting the page grid every n grid lines."""
        for n, m in ((1, 1),) + MODULE_GRIDS:
            if size * (1 + MIN_LEADING) <= self.line_pitch * n / m + 1e-9:
                return n, m
        return MODULE_GRIDS[-1]

    def line_top(self, line: int) -> float:
        """Top of grid line `line` (1-based), in pt from the page's top edge."""
        return self.margin_top + (line - 1) * self.line_pitch


@dataclass(frozen=True)
class Box:
    """A rectangle on the grid: first column, span, first line, height in lines (1-based)."""
    column: int
    span: int
    line: int
    lines: int
    source: Source | None = None

    @property
    def last_column(self) -> int:
        return self.column + self.span - 1

    @property
    def last_line(self) -> int:
        return self.line + self.lines - 1

    def overlaps(self, other: "Box") -> bool:
        return not (self.last_column < other.column or other.last_column < self.column
                    or self.last_line < other.line or other.last_line < self.line)


@dataclass(frozen=True)
class Typography:
    """clreq settings; an issue, a page or an article may set them (the nearest wins)."""
    level: str = "basic"            # line-breaking strictness: none | basic | GB | strict
    punctuation: str = "quanjiao"   # quanjiao 全角 | kaiming 开明 | banjiao 半角
    latin_gap: float = 0.25         # Han ↔ Latin letter spacing, em
    digit_gap: float = 0.0          # Han ↔ digit spacing, em
    drop_opening: bool = False      # an opening bracket at a line start drops its blank half


@dataclass(frozen=True)
class Photo:
    file: Path
    caption: str = ""
    credit: str = ""
    place: Box | None = None          # relative to the article's module (column 1, line 1 = its top left)
    focus: tuple[float, float] = (0.5, 0.5)   # point kept in view when cropping, 0..1 from top left
    source: Source | None = None
    aspect: float | None = None       # width / height of the picture when place has no `lines`
    ink: str = ""                     # "k": printed in black alone (a colour photo too)
    fit: str = "cover"                # cover: cropped to fill its frame | contain: whole, centred
    caption_side: str = "below"       # below | right | left: the caption in a column beside
    group: tuple[Path, ...] = ()      # 组图: further pictures beside `file`, under one caption
    strips: str = "resolve"           # resolve: its height may change against 碎栏 | keep: as placed
    caption_spans: tuple = ()         # the caption's inline emphasis (text/markup.py Span)

    @property
    def files(self) -> tuple[Path, ...]:
        """Its pictures: `file`, and a 组图's further ones."""
        return (self.file,) + self.group


@dataclass(frozen=True)
class PartStyle:
    """How one part of a deck is set; None: the house default (layout/compose/deck.py)."""
    face: str | None = None         # serif | serif-bold | sans-bold | kai
    size: float | None = None       # pt: a fixed size (no fitting)
    min_size: float | None = None   # pt: the smallest size fitting may choose
    max_size: float | None = None   # pt: the largest
    tracking: float | None = None   # em added between characters
    lines: int | None = None        # at most this many lines


@dataclass(frozen=True)
class VerticalHead:
    """竖题: the deck set top to bottom, columns right to left, in whole grid columns."""
    side: str = "right"             # right | left edge of the module
    columns: int = 1                # grid columns the head takes


@dataclass(frozen=True)
class Deck:
    """Headline deck: 引题 kicker, 主题 headline, 副题 subhead."""
    kicker: str = ""
    headline: str = ""
    subhead: str = ""
    headline_size: float | None = None   # pt; None: fitted to the span
    lines: int | None = None             # body lines the deck takes; None: as needed
    kicker_style: PartStyle = field(default_factory=PartStyle)
    headline_style: PartStyle = field(default_factory=PartStyle)
    subhead_style: PartStyle = field(default_factory=PartStyle)
    vertical: VerticalHead | None = None


@dataclass(frozen=True)
class Article:
    id: str
    module: Box
    deck: Deck
    paragraphs: tuple[str, ...]
    dateline: str = ""            # 本报讯 …, set as a lead-in to the first paragraph
    byline: str = ""              # 记者 … 通讯员 … 文/图, set right-aligned after the last paragraph
    photos: tuple[Photo, ...] = ()
    typography: Typography = field(default_factory=Typography)
    source: Source | None = None
    byline_position: str = "end"  # end | after_dateline (本报讯（记者 X 通讯员 Y）…)
    box: bool = False             # box rules around the module
    continued_from: str = ""      # id of the article this entry continues (转版, 上接)
    short_headline: str = ""      # the head's short form for the jump lines (上接 …)
    continued_on: int = 0         # filled by the loader: page where this article goes on (下转)
    hints: "PlanHints | None" = None   # module None: placed by the planner (layout/plan)
    box_style: str = "plain"      # the frame's rule style (compose/furniture.RULE_STYLES)
    tint: tuple[float, float, float, float] | None = None   # 底纹: CMYK 0..1 under the module
    headline_reverse: str = ""    # "" | black | red: the deck white, reversed out of a block
    columns: int = 0              # 破栏: the body in this many equal columns; 0: the grid's
    body_face: str = ""           # the body's face (kai for 评论); "": the house body face
    body_size: float = 0.0        # pt; 0: the page's body size
    # per paragraph, its inline emphasis (text/markup.py Span: bold, dots, kai); () for none
    emphasis: tuple = ()
    intertitles: frozenset = frozenset()   # indices of paragraphs that are 小标题


@dataclass(frozen=True)
class Ad:
    """An advertisement (广告): supplied artwork placed to fill its module."""
    id: str
    module: Box
    file: Path
    label: str = ""               # printed small above the artwork (广告, 公益广告); "" for none
    source: Source | None = None


@dataclass(frozen=True)
class Page:
    number: int                   # 版次
    section: str                  # 版名
    geometry: Geometry
    articles: tuple[Article, ...]
    editors: tuple[tuple[str, str], ...] = ()   # (role, name): 责任编辑, 美术编辑, 校对 …
    ads: tuple[Ad, ...] = ()
    source: Source | None = None
    inks: str = ""                # "k": a black-only page (else the printer file's print.inks)
    rules: str = "hairline"       # style of the rules between modules (RULE_STYLES)


@dataclass(frozen=True)
class Issue:
    paper: str
    date: str                     # ISO date, 2023-03-17
    number: str                   # 总第N期 / 第N期, as printed
    pages: tuple[Page, ...]
    path: Path = field(default=Path("."))
    page_count: int = 0           # pages of the printed issue (今日N版); 0: the pages described
    printing: dict = field(default_factory=dict)   # the `print:` section, read by output.pdfx
    printing_source: Source | None = None
    masthead: "Masthead" = field(default_factory=lambda: Masthead())
    fonts: dict = field(default_factory=dict)   # `fonts:` role → chain key (text/fonts.py)


@dataclass(frozen=True)
class Masthead:
    """报头 on page 1: the paper's name large, date, issue number, page count."""
    span: int = 0                 # grid columns it takes from the left; 0: the whole width
    lines: int = 10               # grid lines it takes from the top
    subtitle: str = ""            # a line under the name (主办单位, 国内统一连续出版物号 …)
    color: str = "red"            # red | black: the name's ink


@dataclass(frozen=True)
class PlanHints:
    """What an editor tells the planner about an article it places (docs/planning.md)."""
    priority: int = 0                         # 1 = 头条; 0: by the order on the page
    span: tuple[int, int] | None = None       # the module's span, lowest and highest
    zone: str = ""                            # top | bottom: the part of the page it goes in
    keep_with: str = ""                       # id of an article it stands beside (a sidebar)
    photo_span: tuple[int, int] | None = None # the (planned) photo's span range
    marks: tuple[tuple[str, Source], ...] = ()  # where the file gives each hint
