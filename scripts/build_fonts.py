#!/usr/bin/env python3
"""Build the fonts bundled in fonts/ from Debian font packages.

    python scripts/build_fonts.py [--debs DIR] [--out DIR] [--jobs N]

Without --debs the two packages are fetched with
``apt-get download fonts-noto-cjk fonts-lxgw-wenkai`` into a temporary folder.
Each .deb is unpacked with ``dpkg-deb -x``.

For every output face:

1. pick the face (the SC face of a Noto CJK .ttc, found by its name table);
2. subset it with fontTools.subset (repertoire below, GSUB features
   vert/vrt2/fwid/hwid/locl, no hinting, few name records);
3. remap the proportional punctuation (— · and, where needed, quotes) in the
   cmap to full-width glyphs;
4. convert CFF outlines to TrueType (glyf) quadratic outlines with cu2qu
   (max error 1 unit) -- reportlab cannot embed CFF;
5. save with pinned head timestamps, so that the same input gives
   byte-identical output.

Then fonts/SOURCES.json, fonts/README.md and the licence files are written.
"""
from __future__ import annotations

import argparse
import copy
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from fontTools import subset
from fontTools.misc.timeTools import timestampSinceEpoch
from fontTools.pens.boundsPen import BoundsPen
from fontTools.pens.cu2quPen import Cu2QuPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont, newTable

ROOT = Path(__file__).resolve().parent.parent

NOTO_PKG = "fonts-noto-cjk"
KAI_PKG = "fonts-lxgw-wenkai"

# Renamed because the package's copyright file lists "LXGW" and "霞鹜" as
# Reserved Font Names (OFL 1.1) and a subset is a Modified Version.  The file
# name stays LXGWWenKai-Regular.ttf because the engine loads it by path.
KAI_FAMILY = "Paiban WenKai"
KAI_PSNAME = "PaibanWenKai-Regular"

FACES = [
    dict(out="NotoSerifCJKsc-Regular.ttf", package=NOTO_PKG,
         member="usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
         family="Noto Serif CJK SC", subfamily="Regular", hanzi="gb18030-1+tgh",
         role="body text (Song/Ming, 宋体)"),
    dict(out="NotoSerifCJKsc-Bold.ttf", package=NOTO_PKG,
         member="usr/share/fonts/opentype/noto/NotoSerifCJK-Bold.ttc",
         family="Noto Serif CJK SC", subfamily="Bold", hanzi="gb18030-1+tgh",
         role="headlines (标宋-style)"),
    dict(out="NotoSansCJKsc-Bold.ttf", package=NOTO_PKG,
         member="usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
         family="Noto Sans CJK SC", subfamily="Bold", hanzi="gb18030-1+tgh",
         role="黑体: kickers, datelines (本报讯), running heads"),
    dict(out="LXGWWenKai-Regular.ttf", package=KAI_PKG,
         member="usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf",
         family="LXGW WenKai", subfamily="Regular", hanzi="gb18030-1+tgh",
         role="楷体: bylines, captions",
         rename=(KAI_FAMILY, KAI_PSNAME)),
]

LICENCES = {
    NOTO_PKG: dict(
        out="LICENSE-NotoCJK.txt",
        fonts="NotoSerifCJKsc-Regular.ttf, NotoSerifCJKsc-Bold.ttf, NotoSansCJKsc-Bold.ttf",
        notice=("Copyright 2014-2021 Adobe (http://www.adobe.com/), with Reserved Font\n"
                "Name 'Source'.  (upstream noto-cjk licence; the fonts' name table says\n"
                "\"© 2014-2021 Adobe (http://www.adobe.com/).\", the Debian copyright file\n"
                "\"2010-2012, Google Corporation\")\n"
                "Noto is a trademark of Google Inc.\n"
                "\n"
                "These files are Modified Versions (subset, converted to TrueType outlines,\n"
                "cmap of a few punctuation marks pointed at their full-width glyphs).\n"
                "They do not use the Reserved Font Name 'Source'."),
        license_tag="SIL-1.1"),
    KAI_PKG: dict(
        out="LICENSE-LXGWWenKai.txt",
        fonts="LXGWWenKai-Regular.ttf (family name in the font: %s)" % KAI_FAMILY,
        notice=("Copyright 2021-2023 LXGW (https://github.com/lxgw/LxgwWenKai)\n"
                "Copyright 2020 The Klee Project Authors (https://github.com/fontworks-fonts/Klee)\n"
                "\n"
                "The Debian copyright file lists \"霞鹜\" and \"LXGW\" as Reserved Font Names\n"
                "(\"Fonts rebuilt from unmodified source code are allowed to use Reserved\n"
                "Font Names\"); upstream's OFL.txt has no such clause.  Taking the stricter\n"
                "reading: this file is a Modified Version (subset, full-width punctuation\n"
                "added), so its name table calls it \"%s\" (PostScript name\n"
                "%s).  Only the file name keeps \"LXGWWenKai\" as a pointer to\n"
                "its source." % (KAI_FAMILY, KAI_PSNAME)),
        license_tag="OFL-1.1"),
}

LAYOUT_FEATURES = ["vert", "vrt2", "fwid", "hwid", "locl"]
# locl is kept for the language system of the face itself only (ZHS); the
# JAN/KOR/ZHT/ZHH locl lookups would pull in ~17,600 glyphs of other regions.
KEEP_LANGSYS = {"ZHS "}
NAME_IDS = [0, 1, 2, 3, 4, 5, 6, 7, 13, 14]

# Code points whose cmap glyph must be full-width (advance = em).
FULLWIDTH = [0x2018, 0x2019, 0x201C, 0x201D, 0x2014, 0x2026, 0x00B7]
OPENING_QUOTES = {0x2018, 0x201C}   # ink in the right half of the em
CLOSING_QUOTES = {0x2019, 0x201D}   # ink in the left half of the em
# Two- and three-em dashes: remapped to their fwid forms (2 em / 3 em) too,
# so that a 破折号 can be set as one unbroken U+2E3A.
MULTI_EM = {0x2E3A: 2, 0x2E3B: 3}

METRICS_CHARS = "，。、；：？！“”‘’（）《》【】「」—…·"

MAX_ERR = 1.0  # cu2qu maximum error, font units
SIZE_BUDGET = 50_000_000   # bytes of fonts/ (README: Size budget)


# --------------------------------------------------------------------------
# repertoire

def dbcs_chars(codec: str) -> set[int]:
    """All characters of the valid double-byte codes of a Python codec."""
    out = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                s = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1:
                out.add(ord(s))
    return out


def is_hanzi(cp: int) -> bool:
    return 0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF


def hanzi_set(codec: str) -> set[int]:
    return {cp for cp in dbcs_chars(codec) if is_hanzi(cp)}


# 通用规范汉字表 (2013): the state's list of 8,105 general-use characters, derived from Unihan's
# kTGH field (`--unihan`); checked in so that tests and `paiban fonts` need no Unihan.
TGH_FILE = "tgh-2013.txt"
UNIHAN = "/usr/share/unicode/Unihan_OtherMappings.txt.bz2"   # Debian package unicode-data
URO_GBK = range(0x4E00, 0x9FA6)      # CJK Unified Ideographs of Unicode 1.1: GB 18030 level 1
EXT_A = range(0x3400, 0x4DB6)        # Extension A of Unicode 3.0: GB 18030 level 1


def write_tgh(unihan: Path, out: Path) -> int:
    """Derive the list file from Unihan (kTGH = "2013:<number in the table>")."""
    import bz2
    rows = []
    opener = bz2.open if unihan.suffix == ".bz2" else open
    with opener(unihan, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkTGH\t" in line:
                cp, _, value = line.rstrip("\n").split("\t")
                for v in value.split():
                    year, num = v.split(":")
                    if year == "2013":
                        rows.append((int(num), int(cp[2:], 16)))
    rows.sort()
    if len(rows) != 8105 or [n for n, _ in rows] != list(range(1, 8106)):
        raise SystemExit(f"{unihan}: expected kTGH 2013:1..8105, found {len(rows)} entries")
    version = ""
    try:
        version = subprocess.run(["dpkg-query", "-W", "-f", "${Version}", "unicode-data"],
                                 capture_output=True, text=True).stdout.strip()
    except OSError:
        pass
    head = ["# 通用规范汉字表 (2013): its 8,105 characters in the table's order (number 1-8105).",
            f"# Derived by scripts/build_fonts.py --unihan from the kTGH field of {unihan.name}",
            f"# (Debian package unicode-data {version or '?'}, the Unicode Character Database's Unihan).",
            "# Unicode data: (c) Unicode, Inc., Unicode License (https://www.unicode.org/copyright.html).",
            "# Each line: number, code point, character."]
    body = [f"{n:04d} U+{cp:04X} {chr(cp)}" for n, cp in rows]
    out.write_text("\n".join(head + body) + "\n", encoding="utf-8")
    return len(rows)


def read_tgh(path: Path) -> list[int]:
    """The code points of the list file, in the table's order."""
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            out.append(int(line.split()[1][2:], 16))
    return out


def hanzi_repertoire(tgh: list[int]) -> set[int]:
    """Hanzi wanted in every face (kept where the source has them): GBK's, GB 18030 level 1's
    (CJK Unified Ideographs U+4E00-9FA5 and Extension A U+3400-4DB5) and the 通用规范汉字表's
    (77 more of Extension A, U+9FCD-9FCF and 196 beyond the BMP)."""
    return hanzi_set("gbk") | set(URO_GBK) | set(EXT_A) | set(tgh)


def common_repertoire() -> set[int]:
    """Non-hanzi characters wanted in every face (kept where present)."""
    r = set(range(0x20, 0x7F))                 # ASCII
    r |= set(range(0xA0, 0x100))               # Latin-1 Supplement
    r |= set(range(0x2000, 0x2070))            # General Punctuation
    r |= set(range(0x20A0, 0x20C0))            # Currency Symbols (€)
    r |= set(range(0x2100, 0x2150))            # Letterlike (℃ №)
    r |= set(range(0x2150, 0x2190))            # Number Forms (Ⅰ Ⅱ)
    r |= set(range(0x2190, 0x2200))            # Arrows
    r |= set(range(0x2460, 0x2500))            # Enclosed Alphanumerics (①)
    r |= set(range(0x25A0, 0x2600))            # Geometric Shapes (■□▲△◆◇○●)
    r |= {0x2605, 0x2606, 0x260E, 0x2640, 0x2642}  # ★☆☎♀♂
    r |= {0x2E3A, 0x2E3B}                      # ⸺ ⸻
    r |= set(range(0x3000, 0x3040))            # CJK Symbols and Punctuation
    r |= set(range(0x3220, 0x3244))            # ㈠ … parenthesized ideographs
    r |= set(range(0x3280, 0x32B1))            # ㊀ … circled ideographs
    r |= set(range(0xFE10, 0xFE1A))            # Vertical Forms
    r |= set(range(0xFE30, 0xFE50))            # CJK Compatibility Forms
    r |= set(range(0xFF00, 0xFFF0))            # Halfwidth and Fullwidth Forms
    r |= {cp for cp in dbcs_chars("gbk") if not is_hanzi(cp)}  # GBK symbols,
    # Greek, Cyrillic, pinyin, bopomofo, box drawing, compatibility ideographs
    r.add(0x20BB7)                             # 𠮷 (beyond the BMP: test data)
    # what `paiban fonts` counts as GB 2312 and GBK: every character the codecs encode in two
    # bytes (also ・ U+30FB, which gb2312 encodes as A1A4, and ≒ U+2252, which gbk encodes)
    sys.path.insert(0, str(ROOT))
    from layout.text.coverage import double_byte
    r |= double_byte("gb2312") | double_byte("gbk")
    return r


# --------------------------------------------------------------------------
# helpers

def sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def english_name(font: TTFont, name_id: int) -> str | None:
    rec = font["name"].getName(name_id, 3, 1, 0x409)
    return rec.toUnicode() if rec else None


def open_face(path: Path, family: str, subfamily: str) -> tuple[TTFont, int]:
    if path.suffix.lower() == ".ttc":
        from fontTools.ttLib import TTCollection
        coll = TTCollection(str(path), lazy=True)
        n = len(coll.fonts)
        coll.close()
        for i in range(n):
            probe = TTFont(str(path), fontNumber=i, lazy=True)
            if english_name(probe, 1) == family and english_name(probe, 2) == subfamily:
                probe.close()
                return TTFont(str(path), fontNumber=i), i
            probe.close()
        raise SystemExit(f"{path}: no face '{family}' / '{subfamily}'")
    font = TTFont(str(path))
    if english_name(font, 1) != family:
        raise SystemExit(f"{path}: family is {english_name(font, 1)!r}, expected {family!r}")
    return font, -1


def single_subst(font: TTFont, tag: str) -> list[dict]:
    """The mapping dicts of all single-substitution subtables of a GSUB feature."""
    if "GSUB" not in font:
        return []
    table = font["GSUB"].table
    indices = set()
    for rec in table.FeatureList.FeatureRecord:
        if rec.FeatureTag == tag:
            indices.update(rec.Feature.LookupListIndex)
    maps = []
    for li in sorted(indices):
        lookup = table.LookupList.Lookup[li]
        for st in lookup.SubTable:
            if lookup.LookupType == 7:
                st = st.ExtSubTable
            if type(st).__name__ == "SingleSubst":
                maps.append(st.mapping)
    return maps


def first_mapping(maps: list[dict], glyph: str) -> str | None:
    for m in maps:
        if glyph in m:
            return m[glyph]
    return None


def glyph_bounds(font: TTFont, name: str):
    gs = font.getGlyphSet()
    pen = BoundsPen(gs)
    gs[name].draw(pen)
    return pen.bounds


def unicode_cmaps(font: TTFont):
    return [t for t in font["cmap"].tables if t.isUnicode() and t.format != 14]


def remap(font: TTFont, cp: int, glyph: str) -> None:
    for t in unicode_cmaps(font):
        if cp in t.cmap:
            t.cmap[cp] = glyph


def prune_langsys(font: TTFont) -> None:
    for tag in ("GSUB", "GPOS"):
        if tag not in font:
            continue
        for sr in font[tag].table.ScriptList.ScriptRecord:
            recs = [r for r in sr.Script.LangSysRecord if r.LangSysTag in KEEP_LANGSYS]
            sr.Script.LangSysRecord = recs
            sr.Script.LangSysCount = len(recs)


# --------------------------------------------------------------------------
# full-width punctuation

def fullwidth_punctuation(font: TTFont) -> list[str]:
    """Point the cmap of FULLWIDTH (and MULTI_EM) code points at full-width
    glyphs.  Uses the font's 'fwid' feature; where the font has no fwid
    form, a full-width copy of the proportional glyph is added (ink moved to
    the side of the em the mark belongs to).  Returns a log."""
    em = font["head"].unitsPerEm
    cmap = font.getBestCmap()
    hmtx = font["hmtx"]
    fwid = single_subst(font, "fwid")
    log = []
    targets = {cp: 1 for cp in FULLWIDTH}
    targets.update(MULTI_EM)
    for cp, n_em in sorted(targets.items()):
        g = cmap.get(cp)
        if g is None:
            continue
        if hmtx[g][0] == n_em * em:
            log.append(f"U+{cp:04X} {g} already {hmtx[g][0]}")
            continue
        g2 = first_mapping(fwid, g)
        if g2 is not None and hmtx[g2][0] == n_em * em:
            remap(font, cp, g2)
            log.append(f"U+{cp:04X} {g} ({hmtx[g][0]}) -> fwid {g2} ({hmtx[g2][0]})")
            continue
        if n_em != 1:
            log.append(f"U+{cp:04X} {g} ({hmtx[g][0]}) left as is: no fwid form")
            continue
        g2 = add_fullwidth_copy(font, cp, g)
        remap(font, cp, g2)
        log.append(f"U+{cp:04X} {g} ({hmtx[g][0]}) -> new {g2} ({hmtx[g2][0]})")
    return log


def add_fullwidth_copy(font: TTFont, cp: int, src: str) -> str:
    """Add a glyph with advance = em holding src's outline, placed like the
    font's own full-width brackets: opening quotes end where （ ends, closing
    quotes start where ） starts, anything else is centred."""
    if "glyf" not in font:
        raise SystemExit("full-width copies are implemented for glyf fonts only")
    em = font["head"].unitsPerEm
    glyf, hmtx = font["glyf"], font["hmtx"]
    cmap = font.getBestCmap()
    xmin, _, xmax, _ = glyph_bounds(font, src)
    if cp in OPENING_QUOTES:
        right_edge = glyph_bounds(font, cmap[0xFF08])[2]      # （
        new_xmin = right_edge - (xmax - xmin)
    elif cp in CLOSING_QUOTES:
        new_xmin = glyph_bounds(font, cmap[0xFF09])[0]        # ）
    else:
        new_xmin = (em - (xmax - xmin)) / 2
    dx = round(new_xmin - xmin)
    name = f"uni{cp:04X}.fwid"
    g = copy.deepcopy(glyf[src])
    if g.isComposite():
        for c in g.components:
            c.x += dx
    else:
        g.coordinates.translate((dx, 0))
    g.recalcBounds(glyf)
    order = font.getGlyphOrder() + [name]
    font.setGlyphOrder(order)
    glyf.glyphOrder = order
    glyf[name] = g
    hmtx[name] = (em, g.xMin)
    if "vmtx" in font:
        font["vmtx"][name] = font["vmtx"][src]
    if "GDEF" in font and font["GDEF"].table.GlyphClassDef is not None:
        cd = font["GDEF"].table.GlyphClassDef.classDefs
        if src in cd:
            cd[name] = cd[src]
    for tag in ("vert", "vrt2"):       # vertical text: same vertical form
        for m in single_subst(font, tag):
            if src in m:
                m[name] = m[src]
    return name


# --------------------------------------------------------------------------
# CFF -> glyf

def cff_to_glyf(font: TTFont) -> None:
    """Replace CFF outlines by quadratic TrueType outlines (in place)."""
    order = font.getGlyphOrder()
    gs = font.getGlyphSet()
    glyf = newTable("glyf")
    glyf.glyphOrder = order
    glyf.glyphs = {}
    for name in order:
        pen = TTGlyphPen(None)
        # CFF contours run counter-clockwise, TrueType clockwise: reverse.
        gs[name].draw(Cu2QuPen(pen, MAX_ERR, reverse_direction=True))
        glyf.glyphs[name] = pen.glyph(dropImpliedOnCurves=True)
    vorg = font["VORG"] if "VORG" in font else None
    for name in order:
        g = glyf.glyphs[name]
        if g.numberOfContours == 0:
            continue
        g.recalcBounds(glyf)
        adv, _ = font["hmtx"][name]
        font["hmtx"][name] = (adv, g.xMin)
        if vorg is not None and "vmtx" in font:
            origin = vorg.VOriginRecords.get(name, vorg.defaultVertOriginY)
            vadv, _ = font["vmtx"][name]
            font["vmtx"][name] = (vadv, origin - g.yMax)
    del font["CFF "]
    if vorg is not None:
        del font["VORG"]       # CFF-only table
    font["glyf"] = glyf
    font["loca"] = newTable("loca")
    maxp = font["maxp"]
    maxp.tableVersion = 0x00010000
    for attr in ("maxZones",):
        setattr(maxp, attr, 1)
    for attr in ("maxTwilightPoints", "maxStorage", "maxFunctionDefs",
                 "maxInstructionDefs", "maxStackElements",
                 "maxSizeOfInstructions", "maxComponentElements",
                 "maxComponentDepth", "maxPoints", "maxContours",
                 "maxCompositePoints", "maxCompositeContours"):
        setattr(maxp, attr, 0)
    font["head"].glyphDataFormat = 0
    font.sfntVersion = "\x00\x01\x00\x00"


# --------------------------------------------------------------------------
# one face

def build_face(face: dict, src: str, out: str, modified: int, repertoire: list[int]) -> dict:
    t0 = time.monotonic()
    font, index = open_face(Path(src), face["family"], face["subfamily"])
    was_cff = "CFF " in font
    cmap = font.getBestCmap()
    wanted = sorted(set(repertoire) & set(cmap))
    prune_langsys(font)

    opts = subset.Options()
    opts.layout_features = LAYOUT_FEATURES
    # Hinting is dropped.  A CFF source keeps its hints through the subsetter
    # (removing CFF hints is slow) and is desubroutinized (faster than pruning
    # subroutines): its outlines are redrawn into glyf below, and the pen
    # ignores hints, so the output carries none either way.
    opts.hinting = was_cff
    opts.desubroutinize = was_cff
    opts.name_IDs = NAME_IDS
    opts.name_languages = [0x0409]
    opts.glyph_names = False
    opts.notdef_outline = True
    opts.recalc_timestamp = False
    opts.drop_tables = opts.drop_tables + ["gasp", "fpgm", "prep", "cvt ", "hdmx", "LTSH", "VDMX"]
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=wanted)
    sub.subset(font)
    t1 = time.monotonic()

    punct_log = fullwidth_punctuation(font)
    if was_cff:
        cff_to_glyf(font)
    t2 = time.monotonic()

    post = font["post"]
    post.formatType = 3.0
    for attr in ("extraNames", "mapping", "glyphOrder"):
        if hasattr(post, attr):
            delattr(post, attr)

    name = font["name"]
    if "rename" in face:
        family, psname = face["rename"]
        version = english_name(font, 5) or ""
        for rec in list(name.names):
            if rec.nameID in (1, 3, 4, 6, 16, 17):
                name.removeNames(nameID=rec.nameID)
        name.setName(family, 1, 3, 1, 0x409)
        name.setName(f"{family} {face['subfamily']}" if face["subfamily"] != "Regular" else family, 4, 3, 1, 0x409)
        name.setName(psname, 6, 3, 1, 0x409)
        name.setName(f"{psname};subset of {face['family']} {version.split(';')[0]} by paiban", 3, 3, 1, 0x409)
    else:
        v = english_name(font, 5)
        if v:
            name.setName(v + ";paiban subset, TrueType outlines", 5, 3, 1, 0x409)
    for rec in list(name.names):            # Windows Unicode English only
        if (rec.platformID, rec.platEncID, rec.langID) != (3, 1, 0x409):
            name.names.remove(rec)

    font["head"].modified = modified
    font.recalcTimestamp = False          # keep the pinned head.modified
    font.save(out, reorderTables=True)
    font.close()
    t3 = time.monotonic()
    return dict(out=face["out"], face_index=index, source_format="CFF" if was_cff else "glyf",
                punct_log=punct_log, wanted=len(wanted),
                times=dict(subset=round(t1 - t0, 1), convert=round(t2 - t1, 1), save=round(t3 - t2, 1)))


# --------------------------------------------------------------------------
# packages

def get_debs(debs_dir: str | None, tmp: Path) -> dict[str, Path]:
    if debs_dir is None:
        dl = tmp / "debs"
        dl.mkdir()
        os.chmod(tmp, 0o755)     # let apt's sandbox user (_apt) write here
        os.chmod(dl, 0o777)
        subprocess.run(["apt-get", "download", NOTO_PKG, KAI_PKG], cwd=dl, check=True)
        debs_dir = str(dl)
    found = {}
    for pkg in (NOTO_PKG, KAI_PKG):
        hits = sorted(Path(debs_dir).glob(f"{pkg}_*.deb"))
        if len(hits) != 1:
            raise SystemExit(f"need exactly one {pkg}_*.deb in {debs_dir}, found {len(hits)}")
        found[pkg] = hits[0]
    return found


def deb_field(deb: Path, field: str) -> str:
    return subprocess.run(["dpkg-deb", "-f", str(deb), field], check=True,
                          capture_output=True, text=True).stdout.strip()


def licence_text(copyright_file: Path, tag: str) -> str:
    """The 'License: <tag>' paragraph of a Debian copyright file, unwrapped."""
    lines = copyright_file.read_text(encoding="utf-8").splitlines()
    # the stand-alone paragraph, not the "License:" field of a Files: stanza
    start = next(i for i, line in enumerate(lines)
                 if line == f"License: {tag}" and (i == 0 or not lines[i - 1].strip())) + 1
    body = []
    for line in lines[start:]:
        if not line.startswith(" "):
            break
        body.append("" if line.strip() == "." else line[1:])
    while body and not body[-1].strip():
        body.pop()
    return "\n".join(body) + "\n"


# --------------------------------------------------------------------------
# report

def face_report(path: Path, tgh: list[int]) -> dict:
    f = TTFont(str(path))
    cmap = f.getBestCmap()
    em = f["head"].unitsPerEm
    metrics = []
    for ch in METRICS_CHARS:
        g = cmap.get(ord(ch))
        if g is None:
            metrics.append((ch, None, None, None))
            continue
        b = glyph_bounds(f, g)
        metrics.append((ch, f["hmtx"][g][0], b[0] if b else None, b[2] if b else None))
    cps = set(cmap)
    r = dict(glyphs=f["maxp"].numGlyphs, codepoints=len(cps), em=em,
             gbk_hanzi=len(hanzi_set("gbk") & cps), gb2312_hanzi=len(hanzi_set("gb2312") & cps),
             u20bb7=0x20BB7 in cps, metrics=metrics, tgh=len(set(tgh) & cps),
             uro=len(set(URO_GBK) & cps), ext_a=len(set(EXT_A) & cps),
             tables=sorted(t for t in f.keys() if t != "GlyphOrder"),
             family=english_name(f, 1), psname=english_name(f, 6))
    # sanity checks
    assert "glyf" in f and "CFF " not in f and f.sfntVersion == "\x00\x01\x00\x00", path
    assert f["maxp"].tableVersion == 0x00010000 and f["post"].formatType == 3.0, path
    for cp in FULLWIDTH:
        g = cmap[cp]
        assert f["hmtx"][g][0] == em, (path, hex(cp), f["hmtx"][g][0])
        b = glyph_bounds(f, g)
        if cp in OPENING_QUOTES:
            assert b[0] >= em / 2, (path, hex(cp), b)
        if cp in CLOSING_QUOTES:
            assert b[2] <= em / 2, (path, hex(cp), b)
    f.close()
    return r


def human(n: int) -> str:
    return f"{n / 1e6:.2f} MB"


def write_readme(out_dir: Path, entries: list[dict], reports: dict, logs: dict) -> None:
    def render(total: int) -> str:
        L = []
        L.append("# Bundled fonts\n")
        L.append("Layout must not depend on system fonts, so paiban ships its default faces here.\n"
                 "All files are **generated** by `scripts/build_fonts.py` from Debian packages;\n"
                 "do not edit them by hand.\n")
        L.append("| file | use | glyphs | code points | size |")
        L.append("|---|---|---:|---:|---:|")
        for e in entries:
            r = reports[e["file"]]
            L.append(f"| `{e['file']}` | {e['role']} | {r['glyphs']} | {r['codepoints']} | {e['size']:,} B ({human(e['size'])}) |")
        L.append("")
        L.append(f"Total size of `fonts/` (all files, this README included): **{total:,} bytes ({human(total)})**.\n")
        L.append("## Sources\n")
        L.append("| file | package | version | source file in package | face | SHA-256 of source file |")
        L.append("|---|---|---|---|---|---|")
        for e in entries:
            face = f"index {e['face_index']} of the .ttc" if e["face_index"] >= 0 else "single font"
            L.append(f"| `{e['file']}` | {e['package']} | {e['version']} | `/{e['source_path']}` | {face} (\"{e['source_family']}\" {e['source_subfamily']}) | `{e['source_sha256']}` |")
        L.append("")
        L.append("SHA-256 of the outputs and of the .deb files: `SOURCES.json`.\n")
        L.append("`metrics/*.json.gz`: each face's advances, glyph ids and punctuation ink as paiban "
                 "reads them, with the font's SHA-256 (`python -m layout.text.fonts` writes them); "
                 "a first build uses them instead of parsing the fonts.\n")
        L.append("## What was done\n")
        L.append("* **Subset first** (fontTools.subset), then converted: the Noto CJK faces are CFF\n"
                 "  (which reportlab cannot embed) and are converted to TrueType quadratic outlines with\n"
                 f"  cu2qu (max error {MAX_ERR:g} font unit, contours reversed for TrueType winding):\n"
                 "  `glyf`/`loca`, `maxp` 1.0, `post` format 3, sfnt version 0x00010000, no `CFF `/`VORG`;\n"
                 "  hmtx/vmtx side bearings recomputed from the new outlines (vertical origin from `VORG`).\n"
                 "  LXGW WenKai is already TrueType and is only subset.\n"
                 "* Hinting dropped. Kept GSUB features: " + ", ".join(f"`{t}`" for t in LAYOUT_FEATURES) +
                 " (`locl` for the ZHS language system only; the JAN/KOR/ZHT/ZHH `locl`\n"
                 "  forms of other regions are not needed and would add ~17,600 glyphs). GPOS keeps only\n"
                 "  Noto's small `vert` feature. Kept tables: name (IDs " + ", ".join(map(str, NAME_IDS)) +
                 ", English), OS/2, hhea, vhea/vmtx, GDEF, BASE.\n"
                 "* `head.modified` is pinned to the source file's date in the package, `head.created`\n"
                 "  is the source's own: same packages in, byte-identical files out.\n")
        L.append("### Repertoire\n")
        L.append("* Every face, where its source has them: every hanzi of **GBK** (all valid GBK\n"
                 "  double-byte codes decoded with Python's `gbk` codec: 20,902, which includes the 6,763 of\n"
                 "  GB 2312), **GB 18030 level 1** (CJK Unified Ideographs U+4E00–9FA5 and Extension A\n"
                 "  U+3400–4DB5: 27,484) and the **通用规范汉字表** (2013, 8,105 characters, listed in\n"
                 f"  `{TGH_FILE}`, derived from Unihan's `kTGH` field: 276 of them are outside GBK, 77 in\n"
                 "  Extension A, U+9FCD–9FCF and 196 beyond the BMP). The Noto sources have all of them;\n"
                 "  LXGW WenKai has the whole 通用规范汉字表 but only "
                 f"{min(r['ext_a'] for r in reports.values()):,} of Extension A's 6,582, and paiban\n"
                 "  sets the rest of a Kai run from the serif face (layout/text/fonts.py, FALLBACK).\n"
                 "* All faces, where the source has them: ASCII, Latin-1, General Punctuation,\n"
                 "  Currency Symbols, Letterlike Symbols, Number Forms, Arrows, Enclosed Alphanumerics,\n"
                 "  Geometric Shapes, ★☆☎♀♂, ⸺⸻, CJK Symbols and Punctuation, ㈠–㈩ and circled ideographs\n"
                 "  (U+3220–3243, U+3280–32B0), Vertical Forms (U+FE10–FE19), CJK Compatibility Forms\n"
                 "  (U+FE30–FE4F), Halfwidth and Fullwidth Forms, every non-hanzi character of GBK\n"
                 "  (Greek, Cyrillic, pinyin, bopomofo, box drawing, math, compatibility ideographs) and\n"
                 "  every character Python's `gb2312` and `gbk` codecs encode in two bytes (what\n"
                 "  `paiban fonts` counts as GB 2312 and GBK: also ・ U+30FB and ≒ U+2252), and\n"
                 "  U+20BB7 𠮷 (beyond the BMP; test data). Plus whatever the kept GSUB features reach\n"
                 "  (vertical forms, full-/half-width forms).\n")
        L.append("**Size budget: 50 MB for `fonts/`.** GB 18030 level 1 adds Extension A (6,582 complex,\n"
                 "rarely set ideographs, ~3 MB per Noto face) to the GBK repertoire: that is what a paper\n"
                 "needs for names and places that a character list cannot foresee, and the whole of it costs\n"
                 "about a quarter more than GBK alone. Larger sets (Extension B: 42,711 more ideographs)\n"
                 "would double the size for characters that papers set from their own house fonts.\n")
        L.append("| file | GBK hanzi | GB 2312 hanzi | U+4E00–9FA5 | Ext A U+3400–4DB5 | 通用规范汉字表 | U+20BB7 |")
        L.append("|---|---:|---:|---:|---:|---:|---|")
        for e in entries:
            r = reports[e["file"]]
            L.append(f"| `{e['file']}` | {r['gbk_hanzi']} | {r['gb2312_hanzi']} | {r['uro']} | {r['ext_a']} | {r['tgh']} | {'yes' if r['u20bb7'] else 'no'} |")
        L.append("")
        L.append("### Full-width punctuation\n")
        L.append("Chinese text wants ‘’“”—…· one em wide. Where a face maps one of these to a\n"
                 "proportional glyph, the cmap is pointed at the face's `fwid` glyph; where a face has\n"
                 "no `fwid` form (LXGW WenKai quotes and ·), a full-width copy of the glyph is added,\n"
                 "with the ink of “‘ ending where （ ends, of ”’ starting where ） starts, · centred\n"
                 "(and the `vert` substitution of the original copied to it). U+2E3A ⸺ / U+2E3B ⸻ are\n"
                 "mapped to their 2-em / 3-em `fwid` forms in the Noto faces: an unbroken 破折号.\n"
                 "Two U+2014 in a row leave a gap of ~140–150 units in the Noto faces (ink 71–929\n"
                 "or 74–926 of the em); in LXGW WenKai they join (ink 2–998).\n")
        for e in entries:
            L.append(f"Changes in `{e['file']}`:\n")
            for line in logs[e["file"]]:
                L.append(f"* {line}")
            L.append("")
        L.append("#### Advance and ink extents after the build (font units, em = 1000)\n")
        L.append("Each cell: advance / xMin–xMax of the ink.\n")
        L.append("| mark | " + " | ".join(f"`{e['file'].removesuffix('.ttf')}`" for e in entries) + " |")
        L.append("|---|" + "---|" * len(entries))
        for i, ch in enumerate(METRICS_CHARS):
            cells = []
            for e in entries:
                _, adv, x0, x1 = reports[e["file"]]["metrics"][i]
                cells.append("–" if adv is None else f"{adv} / {x0:g}–{x1:g}" if x0 is not None else f"{adv} / empty")
            L.append(f"| {ch} U+{ord(ch):04X} | " + " | ".join(cells) + " |")
        L.append("")
        L.append("## Licences\n")
        L.append("Both fonts are under the SIL Open Font License 1.1: `LICENSE-NotoCJK.txt`,\n"
                 "`LICENSE-LXGWWenKai.txt` (copyright notices + licence text from the packages'\n"
                 "`/usr/share/doc/*/copyright`). Debian lists \"LXGW\" and \"霞鹜\" as Reserved Font Names, so the\n"
                 f"Kai subset calls itself \"{KAI_FAMILY}\" in its name table.\n")
        L.append("## Rebuild\n")
        L.append("```sh\n"
                 "python scripts/build_fonts.py                # apt-get download the packages\n"
                 "python scripts/build_fonts.py --debs DIR     # or use fonts-noto-cjk_*.deb, fonts-lxgw-wenkai_*.deb in DIR\n"
                 "python -m pytest tests/test_fonts.py -q\n"
                 "```\n")
        L.append("Needs Python 3.10+, fontTools, dpkg-deb (and apt-get without `--debs`).\n"
                 "A build takes about 4 minutes on 2 cores (per Noto Serif face ~50 s subsetting,\n"
                 "~90 s cu2qu conversion, ~20 s saving). Output is checked at the end (glyf, no CFF,\n"
                 "full-width advances, quote ink sides).\n")
        return "\n".join(L)

    readme = out_dir / "README.md"
    others = sum(p.stat().st_size for p in out_dir.iterdir() if p.is_file() and p.name != "README.md")
    total = others
    for _ in range(10):
        text = render(total).encode("utf-8")
        new_total = others + len(text)
        if new_total == total:
            break
        total = new_total
    readme.write_bytes(text)


# --------------------------------------------------------------------------

def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--debs", help="folder with fonts-noto-cjk_*.deb and fonts-lxgw-wenkai_*.deb "
                                   "(default: apt-get download into a temporary folder)")
    ap.add_argument("--out", default=str(ROOT / "fonts"), help="output folder (default: fonts/)")
    ap.add_argument("--jobs", type=int, default=min(4, os.cpu_count() or 1))
    ap.add_argument("--unihan", nargs="?", const=UNIHAN, default=None,
                    help=f"first derive fonts/{TGH_FILE} from Unihan's kTGH field (default file: "
                         f"{UNIHAN}, from the Debian package unicode-data)")
    args = ap.parse_args(argv)
    out_dir = Path(args.out)
    out_dir.mkdir(parents=True, exist_ok=True)
    if args.unihan:
        n = write_tgh(Path(args.unihan), out_dir / TGH_FILE)
        print(f"{TGH_FILE}: {n} characters from {args.unihan}", flush=True)
    t_start = time.monotonic()

    with tempfile.TemporaryDirectory(prefix="build_fonts_") as tmpname:
        tmp = Path(tmpname)
        debs = get_debs(args.debs, tmp)
        pkgs = {}
        for pkg, deb in debs.items():
            root = tmp / pkg
            subprocess.run(["dpkg-deb", "-x", str(deb), str(root)], check=True)
            if deb_field(deb, "Package") != pkg:
                raise SystemExit(f"{deb} is not {pkg}")
            pkgs[pkg] = dict(deb=deb, root=root, version=deb_field(deb, "Version"))
            print(f"{pkg} {pkgs[pkg]['version']}: {deb.name}", flush=True)

        common = common_repertoire()
        hanzi = hanzi_repertoire(read_tgh(out_dir / TGH_FILE))
        jobs = []
        for face in FACES:
            pkg = pkgs[face["package"]]
            src = pkg["root"] / face["member"]
            modified = timestampSinceEpoch(int(src.stat().st_mtime))  # 1904 epoch
            jobs.append((face, str(src), str(out_dir / face["out"]), modified, sorted(common | hanzi)))

        results = {}
        with ProcessPoolExecutor(max_workers=max(1, args.jobs)) as ex:
            futs = {face["out"]: ex.submit(build_face, face, src, out, mod, rep)
                    for face, src, out, mod, rep in jobs}
            for face in FACES:
                r = futs[face["out"]].result()
                results[face["out"]] = r
                print(f"built {r['out']}: {r['times']}", flush=True)
                for line in r["punct_log"]:
                    print("   ", line)

        for pkg, lic in LICENCES.items():
            text = licence_text(pkgs[pkg]["root"] / f"usr/share/doc/{pkg}/copyright", lic["license_tag"])
            header = (f"Fonts: {lic['fonts']}\n"
                      f"Source: Debian package {pkg} {pkgs[pkg]['version']}\n\n"
                      f"{lic['notice']}\n\n")
            (out_dir / lic["out"]).write_text(header + text, encoding="utf-8")

        entries, reports, logs = [], {}, {}
        for face in FACES:
            pkg = pkgs[face["package"]]
            outp = out_dir / face["out"]
            r = results[face["out"]]
            reports[face["out"]] = face_report(outp, read_tgh(out_dir / TGH_FILE))
            logs[face["out"]] = r["punct_log"]
            entries.append(dict(
                file=face["out"], role=face["role"], size=outp.stat().st_size,
                sha256=sha256(outp), package=face["package"], version=pkg["version"],
                deb=pkg["deb"].name, deb_sha256=sha256(pkg["deb"]),
                source_path=face["member"], source_sha256=sha256(pkg["root"] / face["member"]),
                face_index=r["face_index"], source_family=face["family"],
                source_subfamily=face["subfamily"], source_format=r["source_format"],
                glyphs=reports[face["out"]]["glyphs"], codepoints=reports[face["out"]]["codepoints"],
                hanzi_repertoire=face["hanzi"].upper(),
                family=reports[face["out"]]["family"], postscript_name=reports[face["out"]]["psname"],
            ))

    sources = {
        "generator": "scripts/build_fonts.py",
        "fonts": {e["file"]: {k: e[k] for k in (
            "package", "version", "deb", "deb_sha256", "source_path", "source_sha256",
            "face_index", "source_family", "source_subfamily", "source_format",
            "sha256", "size", "glyphs", "codepoints", "hanzi_repertoire", "family",
            "postscript_name")} for e in entries},
        "licences": {pkg: lic["out"] for pkg, lic in LICENCES.items()},
    }
    (out_dir / "SOURCES.json").write_text(json.dumps(sources, indent=2, ensure_ascii=False) + "\n",
                                          encoding="utf-8")
    write_readme(out_dir, entries, reports, logs)
    # the faces' metrics, shipped so that a first build needs no fontTools parse
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from layout.text.fonts import write_shipped
    for written in write_shipped(out_dir):
        print(f"{written.relative_to(out_dir)}: {written.stat().st_size:,} B")

    total = sum(p.stat().st_size for p in out_dir.iterdir() if p.is_file())
    for e in entries:
        print(f"{e['file']}: {e['size']:,} B, {e['glyphs']} glyphs, sha256 {e['sha256']}")
    print(f"total fonts/: {total:,} B ({human(total)}); build {time.monotonic() - t_start:.0f} s")
    if total > SIZE_BUDGET:
        print(f"WARNING: fonts/ exceeds its budget of {human(SIZE_BUDGET)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
