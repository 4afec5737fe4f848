"""Vertical headlines (竖题): the deck set top to bottom, its columns right to left — 引题 at the
right, then 主题, then 副题 — in whole grid columns at the module's right (or left) edge.

What goes in a cell (1 em, or the glyph's vmtx advance height where the face has vertical
metrics; the glyph hangs from its vertical origin, VORG or vmtx, else from the em box's top):
  - Han characters, upright;
  - punctuation as the face's vertical alternate (GSUB vrt2/vert; the PDF's text stays the
    source character), else as its vertical presentation form (U+FE10–FE19, U+FE30–FE4F)
    where the face has it, so that ，。 sit in the upper right and brackets turn: （ → ︵.
    Quotes follow GB/T 15834-2011 for vertical text: “ ” → ﹃ ﹄ and ‘ ’ → ﹁ ﹂ (the
    alternates of 『』「」);
  - a run of one or two ASCII letters or digits (3月, 5G, 10) upright and side by side in one
    cell (纵中横, tate-chū-yoko), condensed by size when wider than the em;
  - a longer Latin word or number (2023, CBD, APEC) rotated 90° clockwise, reading down the
    column with its top to the right — how a reader turns a vertical page to read it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING

from ..flow.grid import ascent, line_face
from ..model.document import Deck, Geometry, VerticalHead
from ..text.fonts import face_for, load_face
from ..text.line import Glyph
from ..text.paragraph import set_line
from ..text.prepare import Style
from .deck import DeckBlock, PartSpec, deck_specs, fit_lines
from .items import TextLine

if TYPE_CHECKING:
    from ..house import House

VERTICAL_FORMS = {
    "，": "\ufe10", "、": "\ufe11", "。": "\ufe12", "：": "\ufe13", "；": "\ufe14", "！": "\ufe15",
    "？": "\ufe16", "〖": "\ufe17", "〗": "\ufe18", "…": "\ufe19", "‥": "\ufe30", "—": "\ufe31",
    "–": "\ufe32", "（": "\ufe35", "）": "\ufe36", "｛": "\ufe37", "｝": "\ufe38", "〔": "\ufe39",
    "〕": "\ufe3a", "【": "\ufe3b", "】": "\ufe3c", "《": "\ufe3d", "》": "\ufe3e", "〈": "\ufe3f",
    "〉": "\ufe40", "「": "\ufe41", "」": "\ufe42", "『": "\ufe43", "』": "\ufe44", "［": "\ufe47",
    "］": "\ufe48", "“": "\ufe43", "”": "\ufe44", "‘": "\ufe41", "’": "\ufe42",
}
QUOTE_BRACKETS = {"“": "『", "”": "』", "‘": "「", "’": "」"}   # GB/T 15834: set as these
VERTICAL_CAP = 48.0
TCY_MAX = 2                      # ASCII runs up to this long stand upright in one cell
_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9.%+\-]*|\s+|.", re.S)


@dataclass
class Cell:
    text: str
    mode: str                     # upright | tcy | rotated | gap
    length: float                 # along the column, em


def cells(text: str) -> list[Cell]:
    """The cells of one vertical line, in reading order (top to bottom)."""
    out = []
    for m in _TOKEN.finditer(text):
        t = m.group()
        if t.isspace():
            out.append(Cell("", "gap", 1.0 if "\u3000" in t or len(t) > 1 else 0.5))
        elif t[0].isascii() and t[0].isalnum():
            if len(t) <= TCY_MAX:
                out.append(Cell(t, "tcy", 1.0))
            else:
                out.append(Cell(t, "rotated", 0.0))    # length measured with the face
        else:
            out.append(Cell(t, "upright", 1.0))
    return out


def _form(ch: str, face: str) -> str:
    v = VERTICAL_FORMS.get(ch)
    if v and face_for(face, v) is not None:
        return v
    return ch


@lru_cache(maxsize=4096)
def _upright(ch: str, key: str) -> tuple[str, str, int | None, float, float, float]:
    """An upright cell of `ch` in face `key` (resolved): (text, face, vertical alternate glyph
    or None, horizontal advance, length along the column, origin below the cell's top), in
    em. The face's vertical alternate of the mark (of the corner bracket for a quote), else
    the presentation form, else the character itself."""
    choice = None
    for text, of in ((ch, QUOTE_BRACKETS.get(ch, ch)), (_form(ch, key), None), (ch, ch)):
        face = face_for(key, of or text)
        if face is None:
            continue
        f = load_face(face)
        # (a quote drawn as a bracket's alternate must still be a character of its face)
        alt = f.vert.get(f.gids[ord(of)]) if of and f.has(text) else None
        if of is None and text != ch or alt is not None:
            choice = (text, face, alt)
            break
    text, face, alt = choice or (ch, face_for(key, ch) or key, None)
    f = load_face(face)
    gid = alt if alt is not None else f.gids.get(ord(text))
    adv = f.gid_advance(gid) / f.units_per_em if gid is not None else 1.0
    vm = f.v_metrics(gid) if gid is not None else None
    if vm is None:                 # no vertical metrics: 1 em, hung from the em box's top
        return text, face, alt, adv, 1.0, ascent(face)
    return text, face, alt, adv, *vm


def _rotated_length(text: str, face: str, size: float) -> float:
    return set_line(text, Style(face=face, size=size)).width


def vertical_length(text: str, face: str, size: float, tracking: float) -> float:
    """Length of a vertical line, pt: 1 em per cell, rotated runs by their width, tracking
    between cells."""
    cs = cells(text)
    total = 0.0
    for c in cs:
        if c.mode == "rotated":
            total += _rotated_length(c.text, face, size)
        elif c.mode == "upright":
            total += _upright(c.text, face)[4] * size
        else:
            total += c.length * size
    return total + tracking * size * max(0, len(cs) - 1)


@dataclass
class VerticalBlock:
    lines: list[TextLine] = field(default_factory=list)
    rows: int = 0                 # grid lines the head takes, air below included
    headline_size: float = 0.0
    headline_fits: bool = True
    headline_lines: int = 0
    headline_weak: str = ""


def _place_column(text: str, spec: PartSpec, size: float, x_center: float, top: float,
                  article: str) -> tuple[list[TextLine], float]:
    """TextLines of one vertical line whose cells start at `top`; returns them and the length."""
    out = []
    y = top
    for k, c in enumerate(cells(text)):
        if k:
            y += spec.tracking * size
        if c.mode == "gap":
            y += c.length * size
            continue
        if c.mode == "rotated":
            ln = set_line(c.text, Style(face=spec.face, size=size))
            # Clockwise: the run reads downward, its em box centred on the column.
            a = ascent(line_face(ln.glyphs))
            out.append(TextLine(x_center - (a - 0.5) * size, y, ln.glyphs, spec.kind,
                                article, angle=90.0))
            y += ln.width
            continue
        if c.mode == "tcy":
            st = Style(face=spec.face, size=size)
            ln = set_line(c.text, st)
            if ln.width > size * 0.95:          # condense by size to the em
                st = replace(st, size=size * 0.95 * size / ln.width)
                ln = set_line(c.text, st)
            base = y + (size - st.size) / 2 + ascent(line_face(ln.glyphs)) * st.size
            out.append(TextLine(x_center - ln.width / 2, base, ln.glyphs, spec.kind, article))
            y += size
            continue
        text, face, alt, adv, length, origin = _upright(c.text, spec.face)
        g = Glyph(text, face, size, 0.0, gid=alt)
        out.append(TextLine(x_center - adv * size / 2, y + origin * size, [g], spec.kind,
                            article))
        y += length * size
    return out, y - top


def set_vertical_deck(deck: Deck, vh: VerticalHead, geo: Geometry, x_left: float, width: float,
                      top: float, height: float, article: str = "", *,
                      house: "House") -> VerticalBlock:
    """Set the deck in the area (x_left, top, width, height): columns right to left, centred
    in the area's width, from its top. The headline takes the largest size at which its
    columns fit the height and all the deck's columns fit the width."""
    specs = deck_specs(deck, 0, house)
    head = specs["headline"]
    if head.sizes == house.deck.headline.sizes or len(head.sizes) > 1:
        cap = deck.headline_style.max_size or VERTICAL_CAP
        head = replace(head, sizes=tuple(s for s in head.sizes if s <= cap) or head.sizes[-1:])
    parts = []
    for kind, text in (("kicker", deck.kicker), ("subhead", deck.subhead)):
        if text:
            parts.append((kind, fit_lines(text, specs[kind], height, measure=vertical_length,
                                          fill=0.98)))
    side = sum(len(f.lines) * f.size * specs[k].lead for k, f in parts)
    block = VerticalBlock()
    chosen = None
    if deck.headline:
        # the editor's phrases whole, down to the floor, before a break inside one
        passes = [(False, head.sizes + head.floor)] if " " in deck.headline.replace(
            "\u3000", " ") else []
        for split, sizes in passes + [(True, head.sizes)]:
            for s in sizes:
                fit = fit_lines(deck.headline, replace(head, sizes=(s,), floor=()), height,
                                measure=vertical_length, fill=0.98, split=split)
                if fit.fits and len(fit.lines) * s * head.lead + side <= width:
                    chosen = fit
                    break
            if chosen is not None:
                break
        if chosen is None:
            chosen = fit_lines(deck.headline, replace(head, sizes=head.sizes[-1:]), height,
                               measure=vertical_length, fill=0.98)
            chosen.fits = False
        block.headline_size, block.headline_fits = chosen.size, chosen.fits
        block.headline_lines, block.headline_weak = len(chosen.lines), chosen.weak
    order = []
    for kind, fit in parts:
        if kind == "kicker":
            order.append((specs[kind], fit))
    if chosen:
        order.append((head, chosen))
    for kind, fit in parts:
        if kind == "subhead":
            order.append((specs[kind], fit))
    total = sum(len(f.lines) * f.size * sp.lead for sp, f in order)
    x = x_left + (width + total) / 2          # right edge of the next column
    longest = 0.0
    for sp, fit in order:
        for text in fit.lines:
            col_w = fit.size * sp.lead
            lines, length = _place_column(text, sp, fit.size, x - col_w / 2, top, article)
            block.lines += lines
            longest = max(longest, length)
            x -= col_w
    block.rows = int((longest + geo.line_pitch * 0.75) // geo.line_pitch) + 1
    return block


def as_deck_block(vb: VerticalBlock) -> DeckBlock:
    return DeckBlock(rows=0, headline_size=vb.headline_size, headline_fits=vb.headline_fits,
                     headline_weak=vb.headline_weak,
                     headline_lines=vb.headline_lines)
