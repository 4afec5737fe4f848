"""The baseline grid: where a line of type stands on a grid line of the page.

A line's baseline is its grid line's top plus half the leading plus the em box's ascent, so
body lines, captions and bylines of every module share the page's one grid.
"""
from __future__ import annotations

from ..model.document import Geometry

# The ideographic em box's top above the baseline, in em: 0.88 for the bundled faces (Noto CJK,
# LXGW WenKai; `text.fonts.Face.ascent` reads it from each face's OS/2 table).
ASCENT = 0.88


def baseline(geo: Geometry, row: int, size: float) -> float:
    """Baseline of a line of `size` on grid line `row`: the em box is centred in the pitch."""
    return geo.line_top(row) + (geo.line_pitch - size) / 2 + ASCENT * size
