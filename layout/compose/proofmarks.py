"""Proof marks set and placed: where an article overflows its module, a red "超版" tag with the
figure the editor cuts by ("超版 超3行 约38字") stands in the page margin (likewise "缺字 U+4DAE"
for a character no font has, "标题 排不下" for a deck that does not fit), outside the type area,
level with the module's bottom edge, with a leader to the type area's edge. This module sets the
tags' text and places them; output/proof.py only draws them, into a proof (never the print file).
"""
from __future__ import annotations

from dataclasses import dataclass

from ..text.paragraph import set_line
from ..text.prepare import Style
from .items import ComposedPage, TextLine

PROOF_RED = (0.0, 1.0, 1.0, 0.0)
TAG_FACE = "sans-bold"        # the bundled face (a face key): proof marks are not the paper's type
HEAD_SIZE = 9.0             # "超版"
FIGURE_SIZE = 7.0           # "超3行" / "约38字"
PAD = 2.0                   # inside the tag's frame, pt
GAP = 4.0                   # between the tag and the type area, pt


@dataclass(frozen=True)
class ProofMark:
    """One tag, on the page (y down, pt): its frame, its leader and its set lines."""
    article: str
    x: float                # the frame's left edge
    bottom: float           # the frame's bottom edge
    width: float
    height: float
    leader: tuple[float, float, float, float]   # x1, y1, x2, y2
    lines: tuple[TextLine, ...]


def proof_tags(page: ComposedPage) -> list[tuple[str, list[str], object]]:
    """(article id, the tag's lines, module) of every article that overflows its module, has a
    deck that does not fit it, or draws a character no font has."""
    tags = []
    for r in page.reports:
        if r.overflow_lines > 0:
            tags.append((r.id, tag_text(r.overflow_lines, r.overflow_chars), r.module))
        if not r.deck_fits:
            tags.append((r.id, ["标题", "排不下"], r.module))
        if r.missing:
            codes = [f"U+{ord(ch):04X}" for ch in r.missing[:3]]
            more = [f"等{len(r.missing)}字"] if len(r.missing) > 3 else []
            tags.append((r.id, ["缺字"] + codes + more, r.module))
    return tags


def tag_text(lines: int, chars: int) -> list[str]:
    return ["超版", f"超{lines}行", f"约{chars}字"]


def proof_marks(page: ComposedPage) -> list[ProofMark]:
    """The page's tags, set (shrunk to fit the margin) and stacked so none covers another."""
    geo = page.page.geometry
    left_edge = geo.margin_left
    right_edge = geo.margin_left + geo.type_width
    room = max(12.0, geo.margin_left - GAP - 2 * PAD - 1.0)   # the tag's text width at most
    used: dict[str, list[tuple[float, float]]] = {"left": [], "right": []}
    marks = []
    for art_id, texts, mod in proof_tags(page):
        sizes = [HEAD_SIZE] + [FIGURE_SIZE] * (len(texts) - 1)
        widest = max(set_line(t, Style(face=TAG_FACE, size=s)).width for t, s in zip(texts, sizes))
        scale = min(1.0, room / widest) if widest > 0 else 1.0
        sizes = [s * scale for s in sizes]
        sets = [set_line(t, Style(face=TAG_FACE, size=s)) for t, s in zip(texts, sizes)]
        w = max(s.width for s in sets) + 2 * PAD
        h = sum(s * 1.2 for s in sizes) + 2 * PAD
        centre = geo.column_x(mod.column) + geo.span_width(mod.span) / 2
        side = "left" if centre < geo.page_width / 2 else "right"
        bottom = geo.line_top(mod.line + mod.lines)          # the module's bottom edge
        # Tags on one side never overlap: move a tag up past any it would cover.
        top = bottom - h
        for a, b in sorted(used[side], key=lambda ab: -ab[1]):
            if top < b and bottom > a:
                bottom = a - 1.0
                top = bottom - h
        used[side].append((top, bottom))
        x0 = left_edge - GAP - w if side == "left" else right_edge + GAP
        # The leader runs to the type area at the module's bottom edge.
        lead_y = geo.line_top(mod.line + mod.lines)
        lx1, lx2 = (x0 + w, left_edge) if side == "left" else (right_edge, x0)
        lines = []
        y = top + PAD
        for s, size in zip(sets, sizes):
            y += size * 1.2
            x = x0 + (w - s.width) / 2
            lines.append(TextLine(x, y - size * 0.25, s.glyphs, "proof", art_id, PROOF_RED))
        marks.append(ProofMark(art_id, x0, bottom, w, h, (lx1, bottom, lx2, lead_y),
                               tuple(lines)))
    return marks
