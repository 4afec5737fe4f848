"""The baseline grid: where a line of type stands on a grid line of the page.

A line's em box is centred in its grid line's pitch: its baseline is the grid line's top plus
half the leading plus the em box's ascent, read from the face that sets the line
(`text.fonts.em_box`: BASE, OS/2 or hhea), so body lines, captions and bylines of every module
share the page's one grid whatever font a house sets them in.
"""
from __future__ import annotations

from ..model.document import Geometry
from ..text.fonts import EM_ASCENT, load_face

# The ideographic em box's top above the baseline, in em, of every bundled face (Noto CJK and
# LXGW WenKai: BASE ideo −120 of 1000); what a line without a face is placed by.
ASCENT = EM_ASCENT


def ascent(face: str | None) -> float:
    """The em box's top above the baseline, in em, of `face` (a face or chain key)."""
    return ASCENT if face is None else load_face(face).ascent


def line_face(glyphs) -> str | None:
    """The face whose em box places a line: the face of its first glyph set by its role's own
    font (a chain key), else of its first glyph. A glyph of another face (a fallback) is moved
    onto this box when drawn (output/pdf.py)."""
    for g in glyphs:
        if g.face.startswith("c:"):
            return g.face
    return glyphs[0].face if glyphs else None


def baseline(geo: Geometry, row: int, size: float, face: str | None = None) -> float:
    """Baseline of a line of `size` on grid line `row`: the em box of `face` centred in the
    pitch."""
    return geo.line_top(row) + (geo.line_pitch - size) / 2 + ascent(face) * size
