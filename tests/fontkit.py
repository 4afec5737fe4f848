"""Tiny fonts for tests, built with fontTools in a temporary folder: TrueType (glyf), OpenType/CFF
and collections (.ttc) of them, for tests that need a PDF with an embedded font (PDF/X finishing,
preflight) or a paper's own fonts in every format."""
from __future__ import annotations

from pathlib import Path


def _builder(chars: str, name: str, *, cff: bool, advance: int, fs_type: int, box: int,
             upem: int = 1000, typo: tuple[int, int] = (880, -120),
             hhea: tuple[int, int] = (880, -120)):
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.t2CharStringPen import T2CharStringPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    cps = sorted({ord(c) for c in chars})
    names = [".notdef"] + [f"u{cp:05X}" if cp > 0xFFFF else f"uni{cp:04X}" for cp in cps]
    fb = FontBuilder(upem, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap(dict(zip(cps, names[1:])))
    glyphs = {}
    for i, n in enumerate(names):
        pen = T2CharStringPen(advance, None) if cff else TTGlyphPen(None)
        if n != "uni0020":
            # CFF runs counter-clockwise, TrueType clockwise; the width tells the glyphs apart
            pts = [(100, 0), (100, box), (box - 10 * i, box), (box - 10 * i, 0)]
            pen.moveTo(pts[0])
            for p in (pts[:0:-1] if cff else pts[1:]):
                pen.lineTo(p)
            pen.closePath()
        glyphs[n] = pen.getCharString() if cff else pen.glyph()
    if cff:
        fb.setupCFF(name, {"FullName": name}, glyphs, {})
    else:
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (advance, 100) for n in names})
    fb.setupHorizontalHeader(ascent=hhea[0], descent=hhea[1])
    fb.setupNameTable({"familyName": name, "styleName": "Regular", "uniqueFontIdentifier": name,
                       "fullName": name, "psName": name})
    fb.setupOS2(sTypoAscender=typo[0], sTypoDescender=typo[1], usWinAscent=max(typo[0], 0),
                usWinDescent=max(-typo[1], 0), fsType=fs_type)
    fb.setupPost()
    return fb


def build_font(path: Path, chars: str = "ABCabc 中文吉𠮷", name: str = "PaibanTest", *,
               cff: bool = False, advance: int | None = None, fs_type: int = 0, box: int = 800,
               upem: int = 1000, typo: tuple[int, int] = (880, -120),
               hhea: tuple[int, int] = (880, -120),
               base: tuple[int | None, int | None] | None = None) -> Path:
    """A tiny font with a glyph for each of ``chars``: TrueType (glyf outlines), or OpenType
    with CFF outlines (``cff``); every glyph ``advance`` units wide (default: the em, ``upem``).
    ``typo`` and ``hhea``: the OS/2 typo and hhea ascender and descender; ``base``: the BASE
    table's ideographic em box bottom and top (``ideo``, ``idtp``; either may be None)."""
    fb = _builder(chars, name, cff=cff, advance=upem if advance is None else advance,
                  fs_type=fs_type, box=box, upem=upem, typo=typo, hhea=hhea)
    if base is not None:
        from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
        tags = [t for t, v in zip(("ideo", "idtp"), base) if v is not None]
        vals = [str(v) for v in base if v is not None]
        addOpenTypeFeaturesFromString(fb.font, (
            f"table BASE {{ HorizAxis.BaseTagList {' '.join(tags)};\n"
            f"  HorizAxis.BaseScriptList hani {tags[0]} {' '.join(vals)}; }} BASE;"))
    fb.save(str(path))
    return path


def build_collection(path: Path, members: list[Path]) -> Path:
    """A font collection (.ttc) of the fonts ``members``, in that order."""
    from fontTools.ttLib import TTCollection, TTFont

    coll = TTCollection()
    coll.fonts = [TTFont(str(m)) for m in members]
    coll.save(str(path))
    return path


def build_vertical_font(path: Path, chars: str, name: str, *, vadvance: int, vorigin: int,
                        origins: dict[str, int], vert: str) -> Path:
    """An OpenType/CFF font (em = 1000) with vertical metrics: every glyph ``vadvance`` high
    (vmtx), hung from ``vorigin`` (VORG) except the characters of ``origins``; and a vertical
    alternate (GSUB vert, glyph ``<name>.vert``, narrower than the horizontal one) for each
    character of ``vert``."""
    from fontTools.feaLib.builder import addOpenTypeFeaturesFromString
    from fontTools.pens.t2CharStringPen import T2CharStringPen

    fb = _builder(chars, name, cff=True, advance=1000, fs_type=0, box=800)
    cmap = fb.font.getBestCmap()
    order = fb.font.getGlyphOrder()
    alts = [f"{cmap[ord(c)]}.vert" for c in vert]
    charstrings = {n: fb.font["CFF "].cff.topDictIndex[0].CharStrings[n] for n in order}
    for a in alts:
        pen = T2CharStringPen(1000, None)
        pen.moveTo((600, 700))
        for p in ((800, 700), (800, 500), (600, 500)):
            pen.lineTo(p)
        pen.closePath()
        charstrings[a] = pen.getCharString()
    fb = _builder(chars, name, cff=True, advance=1000, fs_type=0, box=800)
    fb.setupGlyphOrder(order + alts)
    fb.setupCharacterMap({cp: g for cp, g in cmap.items()})
    fb.setupCFF(name, {"FullName": name}, charstrings, {})
    fb.setupHorizontalMetrics({n: (1000, 100) for n in order + alts})
    fb.setupVerticalHeader(ascent=vadvance // 2, descent=-(vadvance // 2))
    fb.setupVerticalMetrics({n: (vadvance, 0) for n in order + alts})
    fb.setupVerticalOrigins({cmap[ord(c)]: o for c, o in origins.items()}, vorigin)
    addOpenTypeFeaturesFromString(fb.font, "feature vert { %s } vert;" % " ".join(
        f"sub {cmap[ord(c)]} by {a};" for c, a in zip(vert, alts)))
    fb.save(str(path))
    return path
