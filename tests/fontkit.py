"""A tiny TrueType font for tests that need a PDF with an embedded font (PDF/X finishing,
preflight), built with fontTools in a temporary folder."""
from __future__ import annotations

from pathlib import Path


def build_font(path: Path, chars: str = "ABCabc 中文吉𠮷", name: str = "PaibanTest") -> Path:
    """A tiny TrueType font (glyf outlines) with a glyph for each of ``chars``."""
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cps = sorted({ord(c) for c in chars})
    names = [".notdef"] + [f"u{cp:05X}" if cp > 0xFFFF else f"uni{cp:04X}" for cp in cps]
    fb = FontBuilder(1000, isTTF=True)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(dict(zip(cps, names[1:])))
    glyphs = {}
    for i, n in enumerate(names):
        pen = TTGlyphPen(None)
        if n != "uni0020":
            pen.moveTo((100, 0))
            pen.lineTo((100, 700))
            pen.lineTo((800 - 10 * i, 700))
            pen.lineTo((800 - 10 * i, 0))
            pen.closePath()
        glyphs[n] = pen.glyph()
    fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (1000, 100) for n in names})
    fb.setupHorizontalHeader(ascent=880, descent=-120)
    fb.setupNameTable({"familyName": name, "styleName": "Regular", "uniqueFontIdentifier": name,
                       "fullName": name, "psName": name})
    fb.setupOS2(sTypoAscender=880, sTypoDescender=-120, usWinAscent=880, usWinDescent=120)
    fb.setupPost()
    fb.save(str(path))
    return path
