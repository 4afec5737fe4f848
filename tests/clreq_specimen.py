"""Helpers for the clreq tests: build a small issue through `layout.build.build_issue`, read its
glyphs back out of the PDF with pdfplumber, and judge them the way luatex-cn's clreq tests do
(glyph x positions and advances). Each check returns its violations, so that a test can show
both that the real layout passes and that a deliberately wrong one fails (the negative control).
"""
from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from layout.model.geometry import PRESETS
from layout.text import classify as C
from layout.text.fonts import load_face

BODY = 9.0
TOL = 0.01                      # pt: what "on the edge", "on the grid" and "no gap" allow


def body_face():
    return load_face("serif")


def write_issue(folder: Path, articles: list[dict], *, geometry: str = "broadsheet",
                typography: dict | None = None, name: str = "specimen.yaml") -> Path:
    # page 2: a running head, not the masthead of page 1 (which takes the top grid lines)
    page = {"number": 2, "section": "测试", "geometry": geometry, "articles": articles}
    issue = {"paper": "排版测试", "date": "2024-01-01", "pages": [page]}
    if typography:
        issue["typography"] = typography
    path = folder / name
    path.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def article(aid: str, column: int, paragraphs: list[str], *, span: int = 1, line: int = 1,
            lines: int = 115, typography: dict | None = None, headline: str = "样张") -> dict:
    a = {"id": aid, "module": {"column": column, "span": span, "line": line, "lines": lines},
         "headline": headline, "paragraphs": paragraphs}
    if typography:
        a["typography"] = typography
    return a


@dataclass
class Char:
    text: str
    x0: float                   # glyph origin, pt from the page's left edge
    x1: float                   # origin + advance
    y: float                    # baseline, pt from the page's top edge
    font: str
    size: float


@dataclass
class Line:
    chars: list[Char]
    column: int                 # grid column (1-based)
    row: float                  # grid line (1-based) the baseline sits on; fractional if off-grid

    @property
    def text(self) -> str:
        return "".join(c.text for c in self.chars)


@dataclass
class Specimen:
    path: Path
    geometry: object
    chars: list[Char]
    page_height: float
    modules: dict = field(default_factory=dict)     # article id → (column, span, line, lines)

    def col_left(self, col: int) -> float:
        return self.geometry.column_x(col)

    def col_right(self, col: int) -> float:
        return self.geometry.column_x(col) + self.geometry.column_width

    def column_of(self, x: float) -> int:
        g = self.geometry
        k = int((x - g.margin_left) // (g.column_width + g.gutter)) + 1
        return max(1, min(g.columns, k))

    def row_of(self, y: float) -> float:
        g = self.geometry
        first = g.margin_top + (g.line_pitch - g.body_size) / 2 + 0.88 * g.body_size
        return (y - first) / g.line_pitch + 1

    def body_chars(self, aid: str | None = None) -> list[Char]:
        """Body-size characters in body faces (not the Kai of bylines and captions), inside
        article `aid`'s module when given."""
        kai = load_face("kai").ps_name
        out = [c for c in self.chars if abs(c.size - self.geometry.body_size) < 0.01
               and kai not in c.font and c.y > self.geometry.margin_top]
        if aid is not None:
            col, span, line, lines = self.modules[aid]
            # by the glyph's advance end: a dropped opening mark starts left of its column
            x0, x1 = self.col_left(col), self.col_right(col + span - 1) + self.geometry.gutter * 0.75
            g = self.geometry
            y0, y1 = g.line_top(line), g.line_top(line + lines)
            out = [c for c in out if x0 < c.x1 <= x1 and y0 <= c.y <= y1]
        return out

    def lines(self, aid: str | None = None) -> list[Line]:
        """Body lines in reading order: column by column, top to bottom."""
        rows: dict[tuple[int, float], list[Char]] = defaultdict(list)
        for c in self.body_chars(aid):
            rows[(self.column_of(c.x1 - 0.01), round(c.y, 2))].append(c)
        out = []
        for (col, y), cs in sorted(rows.items()):
            cs.sort(key=lambda c: c.x0)
            out.append(Line(cs, col, self.row_of(y)))
        return out


def build(folder: Path, articles: list[dict], **kw) -> Specimen:
    from layout.build import build_issue
    import pdfplumber

    issue = write_issue(folder, articles, **kw)
    out = folder / (issue.stem + ".pdf")
    build_issue(issue, out)
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[0]
        height = float(page.height)
        chars = [Char(c["text"], float(c["x0"]), float(c["x1"]), height - float(c["matrix"][5]),
                      c["fontname"], float(c["size"])) for c in page.chars]
    geo = PRESETS[kw.get("geometry", "broadsheet")]
    mods = {a["id"]: (a["module"]["column"], a["module"]["span"], a["module"]["line"],
                      a["module"]["lines"]) for a in articles}
    return Specimen(out, geo, chars, height, mods)


# --- 孤行 the flow may leave: only where mending it would bring a loose line -----------------

def only_loose_fixes(issue_file: Path, aid: str, text: str) -> bool:
    """Is every re-setting the flow could make against the 孤行 ending with `text` — its
    paragraph or one of the two before it one line longer or shorter — refused because it would
    bring a loose line (issue 16: a 孤行 is mended only where that makes no loose line)?"""
    from layout.flow.body import Body
    from layout.house import House
    from layout.model.load import load_issue
    issue = load_issue(issue_file)
    page = issue.pages[0]
    art = next(a for a in page.articles if a.id == aid)
    body = Body(page.geometry, art, page.geometry.column_width, House.of(issue))
    p = next(k for k, para in enumerate(art.paragraphs) if para.endswith(text))
    return all(body.variant(q, lo) is None for q in range(p, max(-1, p - 3), -1)
               for lo in (-1, 1))



# --- paragraphs of a column: which lines open and close a paragraph --------------------------

def paragraph_marks(spec: Specimen, lines: list[Line]) -> list[tuple[bool, bool]]:
    """(first of its paragraph, last of its paragraph) for each line, read from the indents:
    a paragraph's first line starts at least 1 em in from its column's left edge."""
    em = spec.geometry.body_size
    first = [ln.chars[0].x0 - spec.col_left(ln.column) > em - TOL for ln in lines]
    last = [first[k + 1] if k + 1 < len(lines) else True for k in range(len(lines))]
    return list(zip(first, last))


# --- frames: where a glyph's em box (after trimming) ends -----------------------------------

def trimmed_right(c: Char, *, at_line_end: bool) -> float:
    """Right edge of a glyph's frame. A mark with a blank right half (，。”）…) at a line end
    has given that blank up (GB/T 15834 §5.1.10); a ½-em mark ends ¼ em after its ink centre."""
    face = load_face_for(c)
    size = c.size
    if c.text in C.FIXED_HALF:
        lo, hi = face.ink.get(c.text, (0.0, face.advance(c.text)))
        return c.x0 + (lo + hi) / 2 * size + max(0.5, hi - lo) * size / 2
    if at_line_end and C.punct_class(c.text) in ("closing", "pause", "stop") and face.has(c.text):
        return c.x1 - face.blank_right(c.text) * size
    return c.x1


_FACES: dict[str, object] = {}


def load_face_for(c: Char):
    """The bundled face a PDF font name stands for (subset prefix ABCDEF+ dropped)."""
    if not _FACES:
        for key in ("serif", "serif-bold", "sans-bold", "kai"):
            _FACES[load_face(key).ps_name] = load_face(key)
    name = c.font.split("+", 1)[-1]
    return _FACES.get(name) or load_face("serif")


# --- the checks --------------------------------------------------------------------------

def end_mark_violations(spec: Specimen, lines: list[Line]) -> list[str]:
    """A mark with a blank right half at the end of a justified line takes at most ½ em:
    from its origin to the column edge is ≤ ½ em."""
    bad = []
    marks = paragraph_marks(spec, lines)
    for ln, (_, last) in zip(lines, marks):
        c = ln.chars[-1]
        if last or C.punct_class(c.text) not in ("closing", "pause", "stop"):
            continue
        took = spec.col_right(ln.column) - c.x0
        if took > c.size / 2 + TOL:
            bad.append(f"{ln.text}: {c.text} takes {took / c.size:.3f} em")
    return bad


def edge_violations(spec: Specimen, lines: list[Line]) -> list[str]:
    """Every line but a paragraph's last ends on its column's right edge within 0.01 pt."""
    bad = []
    for ln, (_, last) in zip(lines, paragraph_marks(spec, lines)):
        if last:
            continue
        right = trimmed_right(ln.chars[-1], at_line_end=True)
        if abs(right - spec.col_right(ln.column)) > TOL:
            bad.append(f"{ln.text}: ends {right - spec.col_right(ln.column):+.3f} pt off the edge")
    return bad


def start_violations(lines: list[Line], level: str) -> list[str]:
    """Prohibited marks at a line start (行首禁则) at `level`, unit-aware (—— and …… are
    barred only at the strict level; a lone — is a connector)."""
    bad = []
    for ln in lines:
        t = ln.text
        unit = next((u for u in ("——", "……", "⋯⋯", "⸺") if t.startswith(u)), t[0])
        if not C.may_start(unit, level):
            bad.append(t)
    return bad


def end_violations(lines: list[Line], level: str, marks) -> list[str]:
    """Prohibited marks at the end of a line that is not a paragraph's last (行尾禁则)."""
    return [ln.text for ln, (_, last) in zip(lines, marks)
            if not last and not C.may_end(ln.text[-1], level)]


def grid_violations(spec: Specimen, lines: list[Line]) -> list[str]:
    """Every baseline on the page's line grid within 0.01 pt."""
    pitch = spec.geometry.line_pitch
    return [f"{ln.text[:6]}… row {ln.row:.4f}" for ln in lines
            if abs(ln.row - round(ln.row)) * pitch > TOL]


def indent_violations(spec: Specimen, lines: list[Line], firsts: list[bool]) -> list[str]:
    """A paragraph's first line starts 2 em in; every other line at the column's left edge."""
    em = spec.geometry.body_size
    bad = []
    for ln, first in zip(lines, firsts):
        want = spec.col_left(ln.column) + (2 * em if first else 0.0)
        if abs(ln.chars[0].x0 - want) > TOL:
            bad.append(f"{ln.text[:8]}… starts {ln.chars[0].x0 - want:+.3f} pt off")
    return bad


def unit_gap_violations(lines: list[Line], units: list[str]) -> list[str]:
    """Inside each unit (a Latin word, a number with its signs, ——, ……, a URL) the glyphs
    follow each other at their advances: no gap, no overlap."""
    bad = []
    for ln in lines:
        t = ln.text
        for u in units:
            start = t.find(u)
            while start >= 0:
                cs = ln.chars[start:start + len(u)]
                for a, b in zip(cs, cs[1:]):
                    if abs(b.x0 - a.x1) > TOL:
                        bad.append(f"{u}: {b.x0 - a.x1:+.3f} pt between {a.text}{b.text}")
                start = t.find(u, start + 1)
    return bad


def split_units(lines: list[Line], units: list[str]) -> list[str]:
    """Units that do not appear whole on one line."""
    texts = [ln.text for ln in lines]
    return [u for u in units if not any(u in t for t in texts)]


def han_gaps(line: Line) -> list[float]:
    """Spacing between consecutive Han glyphs beyond their advances, pt."""
    return [b.x0 - a.x1 for a, b in zip(line.chars, line.chars[1:])
            if C.is_han(a.text) and C.is_han(b.text)]


# --- specimen text ---------------------------------------------------------------------------

HAN = ("的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也"
       "能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实")


def punctuated_text(seed: int, n: int) -> str:
    """Deterministic random Chinese text dense with marks (for the prohibition tests)."""
    rng = random.Random(seed)
    out: list[str] = []
    size = 0
    while size < n:
        word = "".join(rng.choice(HAN) for _ in range(rng.randint(1, 5)))
        r = rng.random()
        if r < 0.14:
            word = "“" + word + "”"
        elif r < 0.22:
            word = "（" + word + "）"
        elif r < 0.28:
            word = "《" + word + "》"
        elif r < 0.31:
            word += "——"
        elif r < 0.34:
            word += "……"
        elif r < 0.37:
            word += "/" + rng.choice(HAN)
        elif r < 0.39:
            word += "·" + rng.choice(HAN)
        out.append(word)
        if rng.random() < 0.75:
            out.append(rng.choice("，，，。。、；：？！"))
        size += len(out[-1]) + len(word)
    return "".join(out)


def from_pdf(pdf: Path, issue_file: Path, page_index: int = 0) -> Specimen:
    """A Specimen of an already built page: its articles' modules from the issue file."""
    import pdfplumber

    from layout.model.load import load_issue
    page = load_issue(issue_file).pages[page_index]
    with pdfplumber.open(pdf) as doc:
        p = doc.pages[page_index]
        h = float(p.height)
        chars = [Char(c["text"], float(c["x0"]), float(c["x1"]), h - float(c["matrix"][5]),
                      c["fontname"], float(c["size"])) for c in p.chars]
    mods = {a.id: (a.module.column, a.module.span, a.module.line, a.module.lines)
            for a in page.articles}
    return Specimen(pdf, page.geometry, chars, h, mods)
