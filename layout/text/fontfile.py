"""Font files as paiban accepts them: TrueType (glyf), OpenType/CFF, and members of TrueType/
OpenType collections (.ttc/.otc), each checked before use.

A file that cannot be set and embedded is a `FontFileError` that names the file and says why:
not a font, a web font, a collection without an `index` (or with one out of range), outlines
PDF cannot embed (bitmap-only, CFF2 variable), no Unicode cmap, or licence bits (OS/2 fsType)
that forbid embedding. paiban embeds only what the font's licence bits allow:

    fsType 0x0000 installable        embedded (subset)
    fsType 0x0004 preview & print    embedded (subset): a PDF is a print/preview document
    fsType 0x0008 editable           embedded (subset)
    fsType 0x0002 restricted         refused: the licence forbids embedding
    fsType 0x0200 bitmap only        refused: only bitmaps may be embedded, paiban embeds outlines
    fsType 0x0100 no subsetting      embedded whole (all glyphs), never subset
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..errors import PaibanError

FS_RESTRICTED = 0x0002
FS_NO_SUBSET = 0x0100
FS_BITMAP_ONLY = 0x0200

_MAGIC = {b"\x00\x01\x00\x00": "TrueType", b"true": "TrueType", b"OTTO": "OpenType/CFF",
          b"ttcf": "collection"}
_WEB = {b"wOFF": "WOFF", b"wOF2": "WOFF2"}


class FontFileError(PaibanError):
    """A font file paiban cannot use (located at the file, or at the issue line naming it)."""


@dataclass(frozen=True)
class FontInfo:
    """What paiban needs to know of a usable font file, besides its metrics."""
    path: Path
    index: int | None          # member of a collection; None for a single font
    outline: str               # "glyf" | "CFF"
    members: int               # fonts in the file (1 for a single font)
    fs_type: int
    family: str
    ps_name: str
    glyphs: int

    @property
    def subset_allowed(self) -> bool:
        return not self.fs_type & FS_NO_SUBSET

    @property
    def format(self) -> str:
        kind = "TrueType (glyf)" if self.outline == "glyf" else "OpenType/CFF"
        return kind if self.index is None else f"{kind}, member {self.index} of {self.members}"


def inspect(path: Path, index: int | None = None, where: object = None) -> FontInfo:
    """Check that `path` (member `index` of a collection) can be set and embedded; raise
    FontFileError saying which and why if not. `where`: the issue line that names the file."""
    from fontTools.ttLib import TTFont, TTLibError

    loc = where or path

    def fail(why: str, hint: str = "") -> FontFileError:
        return FontFileError(f"font file {path}: {why}", where=loc if where else None, hint=hint)

    try:
        with open(path, "rb") as f:
            magic = f.read(4)
    except FileNotFoundError:
        raise fail("no such file", "check the path: it is relative to the file that names it")
    except IsADirectoryError:
        raise fail("is a folder, not a font file")
    if magic in _WEB:
        raise fail(f"a {_WEB[magic]} web font, which PDF cannot embed",
                   "use the TrueType or OpenType file the web font was made from")
    kind = _MAGIC.get(magic)
    if kind is None:
        raise fail("not a TrueType or OpenType font (the file does not start like one)",
                   "name a .ttf, .otf, .ttc or .otc file")
    members = 1
    if kind == "collection":
        from fontTools.ttLib import TTCollection
        try:
            coll = TTCollection(str(path), lazy=True)
            members = len(coll.fonts)
            names = [_name(f, 4) or "?" for f in coll.fonts]
            coll.close()
        except (TTLibError, OSError, ValueError, AssertionError, KeyError) as e:
            raise fail(f"a damaged font collection ({e})")
        listing = "; ".join(f"{i}: {n}" for i, n in enumerate(names))
        if index is None:
            raise fail(f"a collection of {members} fonts, and no index says which to use",
                       f"add `index:` with one of {listing}")
        if not 0 <= index < members:
            raise fail(f"a collection of {members} fonts has no index {index}",
                       f"use one of {listing}")
    elif index not in (None, 0):
        raise fail(f"a single font, not a collection: it has no index {index}",
                   "drop `index:` (or use 0)")
    try:
        tt = TTFont(str(path), fontNumber=index if kind == "collection" else -1, lazy=True)
        tables = set(tt.keys())
        os2 = tt["OS/2"] if "OS/2" in tt else None
        fs_type = os2.fsType if os2 is not None else 0
        cmap = tt.getBestCmap() if "cmap" in tt else None
        family = _name(tt, 1) or path.stem
        ps_name = (_name(tt, 6) or path.stem).replace(" ", "")
        glyphs = tt["maxp"].numGlyphs
        for needed in ("head", "hhea", "hmtx"):
            if needed not in tables:
                raise fail(f"no `{needed}` table: not a complete font")
        tt.close()
    except FontFileError:
        raise
    except (TTLibError, OSError, ValueError, AssertionError, KeyError, IndexError,
            TypeError, AttributeError) as e:   # fontTools' ways of meeting a damaged file
        raise fail(f"a damaged font ({type(e).__name__}: {e})")
    if "glyf" in tables:
        outline = "glyf"
    elif "CFF " in tables:
        outline = "CFF"
    elif "CFF2" in tables:
        raise fail("CFF2 outlines (a variable OpenType font), which PDF cannot embed",
                   "make a static instance (fonttools varLib.instancer) and name that")
    elif tables & {"EBDT", "CBDT", "sbix", "bdat"}:
        raise fail("a bitmap-only font: it has no outlines to print",
                   "use an outline (TrueType or OpenType/CFF) font")
    else:
        raise fail("no outlines (neither glyf nor CFF)")
    if not cmap:
        raise fail("no Unicode cmap: paiban cannot tell which glyph sets which character")
    if fs_type & FS_RESTRICTED:
        raise fail(f"its licence bits forbid embedding (OS/2 fsType 0x{fs_type:04X}: restricted "
                   "licence embedding), and a print file must embed every font",
                   "ask the font's vendor for an embeddable licence/version of the font")
    if fs_type & FS_BITMAP_ONLY:
        raise fail(f"its licence bits allow embedding bitmaps only (OS/2 fsType 0x{fs_type:04X}), "
                   "and paiban embeds outlines", "ask the font's vendor for an embeddable version")
    return FontInfo(path=path, index=index if kind == "collection" else None, outline=outline,
                    members=members, fs_type=fs_type, family=family, ps_name=ps_name,
                    glyphs=glyphs)


def _name(tt, name_id: int) -> str | None:
    try:
        n = tt["name"].getDebugName(name_id) if "name" in tt else None
    except Exception:       # a damaged name table only costs the name
        return None
    return n
