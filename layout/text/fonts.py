"""The bundled faces and their metrics.

Layout reads advances and ink extents from the font files in `fonts/` (never from system
fonts), so a page breaks the same way on every machine. Faces are named by role:

    serif       Noto Serif CJK SC Regular   body text (书宋)
    serif-bold  Noto Serif CJK SC Bold      headlines (标宋)
    sans-bold   Noto Sans CJK SC Bold       kickers, datelines, running heads (黑体)
    kai         LXGW WenKai Regular         bylines and captions (楷体)

A paper's own fonts (`fonts:` in the issue file or its house file) replace these per role with a
chain of font files; which face sets a role is the house's to say (`layout/house.py`: the stages
are handed a House and set text in the keys it gives). Face identity is never the role name
alone: a house font has the key `f:<SHA-256 of the file, 16 digits>[#index]` and a role's chain
the key `c:<digest of its members>`, so everything cached by face key (metrics, widths, subsets)
stays right when two houses set the same role from different files in one process. Text set
without a house names a bundled face by its role's name ("serif"): that is a face key too.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..cache import drop_entry, entry_path, file_digest, read_entry, write_entry
from .classify import CLOSING, CONNECTOR, FIXED_HALF, MIDDLE_DOT, OPENING, PAUSE, STOP

FACE_FILES = {
    "serif": "NotoSerifCJKsc-Regular.ttf",
    "serif-bold": "NotoSerifCJKsc-Bold.ttf",
    "sans-bold": "NotoSansCJKsc-Bold.ttf",
    "kai": "LXGWWenKai-Regular.ttf",
}
# Roles a `fonts:` section may name besides the bundled ones; a role with no bundled face falls
# back to the chain of BUNDLED_FOR (仿宋 is set from 楷体 when the house has none).
BUNDLED_FOR = {"fangsong": "kai"}
# Where a face lacks a character, the next face in its chain that has it sets it.
FALLBACK = {
    "serif": ("serif-bold", "kai", "sans-bold"),
    "serif-bold": ("serif", "sans-bold", "kai"),
    "sans-bold": ("serif-bold", "serif", "kai"),
    "kai": ("serif", "serif-bold", "sans-bold"),
}

_PUNCT = OPENING | CLOSING | PAUSE | STOP | MIDDLE_DOT | FIXED_HALF | CONNECTOR | set("—…⸺⋯")


def font_dir() -> Path:
    """`fonts/` of the repository, or the folder named by PAIBAN_FONT_DIR."""
    env = os.environ.get("PAIBAN_FONT_DIR")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2] / "fonts"


@dataclass
class Face:
    key: str
    path: Path
    units_per_em: int
    ascent: float                 # the ideographic em box's top above the baseline, in em (em_box)
    gids: dict[int, int]          # code point → glyph id (the cmap)
    gid_advances: list[int]       # glyph id → advance in font units
    ps_name: str
    bbox: tuple[int, int, int, int]
    typo_ascender: int
    typo_descender: int
    cap_height: int
    ink: dict[str, tuple[float, float]] = field(default_factory=dict)  # punctuation: (xMin, xMax) in em
    index: int | None = None      # member of a font collection
    em_source: str = "OS/2"       # where `ascent` was read: BASE, OS/2, hhea or none (em_box)
    # vertical metrics (vmtx; origins from VORG or the outlines, as HarfBuzz reads them): the
    # usual (advance height, vertical origin above the baseline) in font units, None for a font
    # without vmtx; the glyphs that differ; and each glyph's vertical alternate (GSUB vrt2/vert)
    vertical: tuple[int, int] | None = None
    vexcept: dict[int, tuple[int, int]] = field(default_factory=dict)
    vert: dict[int, int] = field(default_factory=dict)

    def gid_advance(self, gid: int) -> int:
        return self.gid_advances[gid] if gid < len(self.gid_advances) else self.units_per_em

    def v_metrics(self, gid: int) -> tuple[float, float] | None:
        """(advance height, vertical origin above the baseline) of glyph `gid` in em, for
        vertical text; None for a font without vertical metrics."""
        if self.vertical is None:
            return None
        adv, origin = self.vexcept.get(gid, self.vertical)
        return adv / self.units_per_em, origin / self.units_per_em

    def has(self, ch: str) -> bool:
        return ord(ch) in self.gids

    def advance(self, ch: str) -> float:
        """Advance of `ch` in em (its glyph's: a dict of code points to advances, 29,000
        entries a CJK face, took 2 ms of each face's load)."""
        return self.gid_advances[self.gids[ord(ch)]] / self.units_per_em

    def blank_left(self, ch: str) -> float:
        """How much of the left side of a mark is blank, in em, at most half its advance."""
        adv = self.advance(ch)
        xmin, _ = self.ink.get(ch, (0.0, adv))
        return max(0.0, min(adv / 2, xmin))

    def blank_right(self, ch: str) -> float:
        adv = self.advance(ch)
        _, xmax = self.ink.get(ch, (0.0, adv))
        return max(0.0, min(adv / 2, adv - xmax))


CACHE_VERSION = 3   # bump when Face gains or changes a field (2: ink of ½-em marks and connectors;
                    # 3: the em box from BASE, OS/2 or hhea, and where it came from; vertical metrics)


# --------------------------------------------------------------------------- face keys
# Content-addressed registries: a key names a file (or a chain of keys) by its digest, so one
# process may hold every house's fonts at once and no entry ever changes. They stay global for
# that reason: text functions get keys, and look the files up here (a House carries its own
# entries to another process: `registered`, `adopt`).
_FILES: dict[str, tuple[Path, int | None]] = {}   # house face key → (file, collection index)
_CHAINS: dict[str, tuple[str, ...]] = {}          # chain key → face keys, first choice first


def register_file(path: Path, index: int | None = None, where: object = None) -> str:
    """The face key of a house font file (checked: fontfile.inspect raises a located error for
    a file paiban cannot use)."""
    from .fontfile import inspect

    path = Path(path)
    info = inspect(path, index, where)
    key = f"f:{file_digest(path)[:16]}" + (f"#{info.index}" if info.index is not None else "")
    _FILES.setdefault(key, (path, info.index))
    return key


def register_chain(role: str, keys: list[str]) -> str:
    """The key of a role's chain: the house fonts `keys`, then the bundled chain of the role."""
    base = role if role in FACE_FILES else BUNDLED_FOR.get(role, "serif")
    members = tuple(dict.fromkeys([*keys, base, *FALLBACK[base]]))
    key = "c:" + hashlib.sha256("|".join(members).encode()).hexdigest()[:16]
    _CHAINS[key] = members
    return key


ROLES = (*FACE_FILES, *BUNDLED_FOR)     # the roles every issue may name


def registered(keys) -> tuple:
    """The registry entries chain keys `keys` stand on: (chains, files), for `adopt` in another
    process (one started without the parent's memory)."""
    chains = tuple((k, _CHAINS[k]) for k in keys if k in _CHAINS)
    files = tuple((m, *_FILES[m]) for _, members in chains for m in members if m in _FILES)
    return chains, files


def adopt(entries: tuple) -> None:
    """Register what `registered` gave (the same keys for the same files: nothing changes)."""
    chains, files = entries
    for key, path, index in files:
        _FILES.setdefault(key, (Path(path), index))
    for key, members in chains:
        _CHAINS.setdefault(key, tuple(members))


def is_fallback(key: str) -> bool:
    """Whether a glyph of face `key`, set in a house's faces (chain keys, layout/house.py),
    came from a fallback (its role's first font lacked the character): text is set in chain
    keys, a fallback in a face key."""
    return not key.startswith("c:")


def chain(key: str) -> tuple[str, ...]:
    """The face keys that may set text of `key`, first choice first."""
    members = _CHAINS.get(key)
    if members is not None:
        return members
    return (key, *FALLBACK.get(key, ()))


def primary(key: str) -> str:
    """The face key of the font that sets `key` where it has the character: one embedded font
    per file, whether text names it through a chain or directly."""
    return chain(key)[0]


def house_files(chains: dict[str, str]) -> list[tuple[str, Path]]:
    """(role, file) of each house font of an issue's `fonts:` (role → chain key)."""
    return [(role, _FILES[k][0]) for role, key in chains.items() for k in chain(key)
            if k in _FILES]


def face_file(key: str) -> tuple[Path, int | None]:
    if key in _FILES:
        return _FILES[key]
    if key in FACE_FILES:
        return font_dir() / FACE_FILES[key], None
    raise KeyError(f"no face {key!r}: neither a bundled face ({', '.join(FACE_FILES)}) "
                   "nor a registered house font")


@lru_cache(maxsize=None)
def face_info(key: str):
    """Format, licence bits and names of a house font (fontfile.FontInfo); None for a bundled
    face (TrueType, subset freely: scripts/build_fonts.py makes them so)."""
    key = primary(key)
    if key not in _FILES:
        return None
    from .fontfile import inspect
    return inspect(*_FILES[key])


def load_face(key: str, path: str | None = None) -> Face:
    """A face's metrics by face key or chain key (a chain: its first font's). A bundled face's
    key is its role's name, and is never resolved through the house here: chains list it."""
    return _load_face(primary(key), path)


@lru_cache(maxsize=None)
def _load_face(key: str, path: str | None = None) -> Face:
    """A face's metrics. Reading them with fontTools costs 0.3–0.9 s per CJK face, so they are
    taken from the metrics shipped beside the bundled fonts when those were read from this very
    file, else from the cache folder (as the same gzipped JSON), keyed by the SHA-256 of the
    font file (so a changed font is read afresh)."""
    p, index = (Path(path), None) if path else face_file(key)
    if not p.exists():
        raise FileNotFoundError(
            f"font file {p} is missing: the bundled fonts live in fonts/ (see fonts/README.md)")
    digest = file_digest(p)
    # the marks whose ink is measured are part of the key: a changed set is measured afresh
    marks = _marks_key()
    face = read_shipped(key, p, digest, marks) if index is None else None
    if face is not None:
        return face
    member = "" if index is None else f"-{index}"
    cached = entry_path("metrics", f"{CACHE_VERSION}-{marks}-{digest}{member}.json.gz")
    raw = read_entry(cached)
    if raw is not None:
        face = face_from_record(key, p, raw, digest, marks, index)
        if face is not None:
            return face
        drop_entry(cached, "not the metrics of this font")
    face = _read_face(key, p, index)
    write_entry(cached, face_record(face, digest))
    return face


load_face.cache_clear = _load_face.cache_clear   # tests clear the memo as before


# --------------------------------------------------------------------------- shipped metrics
# fonts/metrics/<font>.json.gz: what _read_face reads, written when the fonts are built, so
# that no machine has to parse 48 MB of fonts with fontTools (1.4 s) before its first page.
SHIPPED_FORMAT = "paiban-face-metrics/1"


def shipped_path(p: Path) -> Path:
    return p.parent / "metrics" / f"{p.stem}.json.gz"


def _marks_key() -> str:
    import hashlib
    return hashlib.sha256("".join(sorted(_PUNCT)).encode()).hexdigest()[:8]


def face_record(face: Face, digest: str) -> bytes:
    """A face's metrics as gzipped JSON (deterministic: sorted, no timestamp)."""
    import gzip
    import json

    cps = sorted(face.gids)
    rec = {
        "format": SHIPPED_FORMAT, "sha256": digest, "marks": _marks_key(),
        "cache_version": CACHE_VERSION,
        "units_per_em": face.units_per_em, "ascent": face.ascent, "ps_name": face.ps_name,
        "em_source": face.em_source,
        "vertical": list(face.vertical) if face.vertical else None,
        "vexcept": [sorted(face.vexcept), [face.vexcept[g] for g in sorted(face.vexcept)]],
        "vert": [sorted(face.vert), [face.vert[g] for g in sorted(face.vert)]],
        "bbox": list(face.bbox), "typo_ascender": face.typo_ascender,
        "typo_descender": face.typo_descender, "cap_height": face.cap_height,
        # code points and glyph ids as differences from the previous one: short numbers
        "cmap": [[b - a for a, b in zip([0] + cps, cps)],
                 [face.gids[c] for c in cps]],
        "gid_advances": face.gid_advances,
        "ink": {ch: list(v) for ch, v in sorted(face.ink.items())},
    }
    text = json.dumps(rec, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    return gzip.compress(text.encode("utf-8"), 9, mtime=0)


def read_shipped(key: str, p: Path, digest: str, marks: str) -> Face | None:
    """The shipped metrics of font file `p`, if they were made from a file with `digest` by
    this version of the reader; None otherwise (then the font is read with fontTools)."""
    try:
        raw = shipped_path(p).read_bytes()
    except OSError:
        return None
    return face_from_record(key, p, raw, digest, marks)


def face_from_record(key: str, p: Path, raw: bytes, digest: str, marks: str,
                     index: int | None = None) -> Face | None:
    """The Face of a `face_record` made from a font file with `digest`; None when `raw` is not
    such a record (another font, another reader, or not a well-formed record at all)."""
    import gzip
    import json
    import zlib
    from itertools import accumulate

    try:
        rec = json.loads(gzip.decompress(raw))
        if (rec.get("format") != SHIPPED_FORMAT or rec.get("sha256") != digest
                or rec.get("marks") != marks or rec.get("cache_version") != CACHE_VERSION):
            return None
        steps, glyphs = rec["cmap"]
        adv = rec["gid_advances"]
        small = [rec["units_per_em"], rec["typo_ascender"], rec["typo_descender"],
                 rec["cap_height"], *rec["bbox"]]
        # every number an int (not a bool, a float or a string): the types found, in C
        types = set(map(type, small)).union(map(type, steps), map(type, glyphs), map(type, adv))
        if (not types <= {int} or rec["units_per_em"] <= 0
                or len(steps) != len(glyphs) or len(rec["bbox"]) != 4
                or min(glyphs, default=0) < 0 or max(glyphs, default=-1) >= len(adv)):
            return None
        vgids, vpairs = rec["vexcept"]
        agids, alts = rec["vert"]
        vertical = rec["vertical"]
        if (not all(type(v) is int for v in [*vgids, *agids, *alts, *(vertical or ()),
                                             *(x for p in vpairs for x in p)])
                or len(vgids) != len(vpairs) or len(agids) != len(alts)
                or any(len(p) != 2 for p in vpairs) or (vertical and len(vertical) != 2)):
            return None
        cps = list(accumulate(steps))
        gids = dict(zip(cps, glyphs))
        return Face(key=key, path=p, units_per_em=rec["units_per_em"],
                    ascent=float(rec["ascent"]),
                    gids=gids,
                    gid_advances=adv, ps_name=str(rec["ps_name"]), bbox=tuple(rec["bbox"]),
                    typo_ascender=rec["typo_ascender"], typo_descender=rec["typo_descender"],
                    cap_height=rec["cap_height"],
                    ink={str(ch): (float(a), float(b)) for ch, (a, b) in rec["ink"].items()},
                    index=index, em_source=str(rec["em_source"]),
                    vertical=tuple(vertical) if vertical else None,
                    vexcept={g: tuple(p) for g, p in zip(vgids, vpairs)},
                    vert=dict(zip(agids, alts)))
    except (OSError, EOFError, zlib.error, ValueError, KeyError, TypeError, IndexError,
            AttributeError):
        return None


def write_shipped(folder: Path | None = None) -> list[Path]:
    """Write fonts/metrics/*.json.gz for the bundled faces (scripts/build_fonts.py runs it)."""
    folder = Path(folder) if folder else font_dir()
    out = []
    for key, name in FACE_FILES.items():
        p = folder / name
        data = face_record(_read_face(key, p), file_digest(p))
        target = shipped_path(p)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        out.append(target)
    return out


def _read_face(key: str, p: Path, index: int | None = None) -> Face:
    """Read a face's metrics with fontTools (cmap, hmtx; outlines only for punctuation)."""
    from fontTools.ttLib import TTFont

    tt = TTFont(str(p), lazy=True, fontNumber=-1 if index is None else index)
    upem = tt["head"].unitsPerEm
    cmap = tt.getBestCmap()
    hmtx = tt["hmtx"].metrics
    order = tt.getGlyphOrder()
    rev = {name: i for i, name in enumerate(order)}
    gids = {cp: rev[g] for cp, g in cmap.items()}
    gid_advances = [hmtx[name][0] for name in order]
    head = tt["head"]
    ps_name = ((tt["name"].getDebugName(6) if "name" in tt else None) or p.stem).replace(" ", "")
    # a font without OS/2 (old Mac TrueType) has its vertical metrics in hhea
    os2 = tt["OS/2"] if "OS/2" in tt else None
    typo_asc = os2.sTypoAscender if os2 else tt["hhea"].ascent
    typo_desc = os2.sTypoDescender if os2 else tt["hhea"].descent
    ascent, em_source = em_box(tt)
    vertical, vexcept = _vertical_metrics(tt, p, index)
    vert = _vertical_alternates(tt)
    ink: dict[str, tuple[float, float]] = {}
    # Ink extents of the marks, from the outlines (TrueType or CFF alike).
    from fontTools.pens.boundsPen import BoundsPen
    glyphs = tt.getGlyphSet()
    for ch in _PUNCT:
        g = cmap.get(ord(ch))
        if g is None:
            continue
        pen = BoundsPen(glyphs)
        glyphs[g].draw(pen)
        if pen.bounds is None:
            continue
        ink[ch] = (pen.bounds[0] / upem, pen.bounds[2] / upem)
    tt.close()
    return Face(key=key, path=p, units_per_em=upem, ascent=ascent, gids=gids,
                gid_advances=gid_advances, ps_name=ps_name,
                bbox=(head.xMin, head.yMin, head.xMax, head.yMax),
                typo_ascender=typo_asc, typo_descender=typo_desc,
                cap_height=getattr(os2, "sCapHeight", 0) or int(0.7 * upem), ink=ink, index=index,
                em_source=em_source, vertical=vertical, vexcept=vexcept, vert=vert)


def _vertical_metrics(tt, p: Path, index: int | None):
    """The usual (advance height, vertical origin) of a font with vmtx, and the glyphs that
    differ, in font units; (None, {}) without vmtx. HarfBuzz reads them as a shaper does: the
    origin from VORG (CFF), else the glyph's top plus its vmtx top side bearing."""
    if "vmtx" not in tt:
        return None, {}
    from collections import Counter

    import uharfbuzz as hb

    font = hb.Font(hb.Face(hb.Blob.from_file_path(str(p)), index or 0))
    pairs = []
    for gid in range(len(tt.getGlyphOrder())):
        origin = font.get_glyph_v_origin(gid)
        pairs.append((-font.get_glyph_v_advance(gid), origin[1] if origin else 0))
    usual = Counter(pairs).most_common(1)[0][0] if pairs else (0, 0)
    return usual, {g: v for g, v in enumerate(pairs) if v != usual}


def _vertical_alternates(tt) -> dict[int, int]:
    """Glyph id → its vertical alternate: the single substitutions of GSUB `vrt2` (which, where
    a font has it, replaces `vert`) or `vert`, for script hani (language ZHS where the font
    tells languages apart), applied in lookup order."""
    if "GSUB" not in tt:
        return {}
    try:
        table = tt["GSUB"].table
        scripts = {r.ScriptTag: r.Script for r in table.ScriptList.ScriptRecord}
        script = scripts.get("hani") or scripts.get("DFLT")
        langs = {r.LangSysTag: r.LangSys for r in script.LangSysRecord} if script else {}
        langsys = langs.get("ZHS ") or (script.DefaultLangSys if script else None)
        records = table.FeatureList.FeatureRecord
        wanted: dict[str, list[int]] = {}
        for i in (langsys.FeatureIndex if langsys else range(len(records))):
            if records[i].FeatureTag in ("vert", "vrt2"):
                wanted.setdefault(records[i].FeatureTag, []).extend(
                    records[i].Feature.LookupListIndex)
        steps = []
        for li in sorted(set(wanted.get("vrt2") or wanted.get("vert") or ())):
            lookup, mapping = table.LookupList.Lookup[li], {}
            for st in lookup.SubTable:
                st = getattr(st, "ExtSubTable", st)
                for a, b in (getattr(st, "mapping", None) or {}).items():
                    mapping.setdefault(a, b)
            steps.append(mapping)
        rev = {name: i for i, name in enumerate(tt.getGlyphOrder())}
        out = {}
        for g in set().union(*steps):
            h = g
            for mapping in steps:
                h = mapping.get(h, h)
            if h != g:
                out[rev[g]] = rev[h]
        return out
    except (AttributeError, TypeError, KeyError, IndexError, ValueError, AssertionError):
        return {}       # a damaged GSUB costs only the alternates: marks as presentation forms


EM_ASCENT = 0.88     # the bundled faces' em box top, for a font that says nothing usable


def em_box(tt) -> tuple[float, str]:
    """The top of a font's ideographic em box above the baseline, in em, and where it was read.
    Lines are centred on the grid by this box (flow/grid.py), so it must be the box the
    designer drew the ideographs in, one em tall. In order:

    1. BASE `ideo`/`idtp` (horizontal axis, script hani, else DFLT, else the first that has
       them): the one table made to say it. With both, the box is centred between them and one
       em tall (CSS Inline 3's rule for ideographic baselines that are not one em apart); with
       one, the box runs one em from it.
    2. OS/2 sTypoAscender/sTypoDescender when they span exactly the em: CJK fonts set them to
       the em box (Noto CJK: 880/-120), as the OpenType spec recommends for CJK.
    3. hhea ascender/descender, scaled to sum to one em (CSS Inline 3's synthesis when a font
       names no ideographic baseline): these hold line spacing, not the box, so they come last.
    4. EM_ASCENT. A value that would put the baseline outside the box is skipped as damaged."""
    upem = tt["head"].unitsPerEm
    tops = []
    base = _base_ideo(tt)
    if base is not None:
        bottom, top = base
        if bottom is not None and top is not None:
            tops.append(((top + bottom + upem) / 2 / upem, "BASE"))
        elif bottom is not None:
            tops.append(((bottom + upem) / upem, "BASE"))
        elif top is not None:
            tops.append((top / upem, "BASE"))
    os2 = tt["OS/2"] if "OS/2" in tt else None
    if os2 is not None and os2.sTypoAscender - os2.sTypoDescender == upem:
        tops.append((os2.sTypoAscender / upem, "OS/2"))
    hhea = tt["hhea"]
    if hhea.ascent - hhea.descent > 0:
        tops.append((hhea.ascent / (hhea.ascent - hhea.descent), "hhea"))
    for top, source in tops:
        if 0.0 <= top <= 1.0:
            return top, source
    return EM_ASCENT, "none"


def _base_ideo(tt) -> tuple[int | None, int | None] | None:
    """(ideo, idtp) of the BASE table's horizontal axis in font units, None where absent."""
    try:
        axis = tt["BASE"].table.HorizAxis if "BASE" in tt else None
        if axis is None or axis.BaseTagList is None:
            return None
        tags = list(axis.BaseTagList.BaselineTag)
        records = {r.BaseScriptTag: r.BaseScript for r in axis.BaseScriptList.BaseScriptRecord}
        for tag in ("hani", "DFLT", *records):
            values = records.get(tag) and records[tag].BaseValues
            if not values:
                continue
            coords = [c.Coordinate for c in values.BaseCoord]
            got = tuple(coords[tags.index(t)] if t in tags and tags.index(t) < len(coords)
                        else None for t in ("ideo", "idtp"))
            if got != (None, None):
                return got
    except (AttributeError, TypeError, ValueError, KeyError, IndexError, AssertionError):
        return None   # a damaged BASE costs only itself: the next source says where the box is
    return None


def fallback_glyphs(lines) -> list[dict]:
    """The characters of composed `lines` set from a fallback font, each once, in order of
    appearance: character, code point, the font (PostScript name) and its file. Lines set
    without a house (no chain keys at all) cannot tell and give none."""
    lines = list(lines)
    if not any(g.face.startswith("c:") for ln in lines for g in ln.glyphs):
        return []
    out, seen = [], set()
    for ln in lines:
        for g in ln.glyphs:
            if not is_fallback(g.face):
                continue
            face = load_face(g.face)
            for ch in g.text:
                if (ch, g.face) not in seen and face.has(ch):
                    seen.add((ch, g.face))
                    out.append({"character": ch, "code_point": f"U+{ord(ch):04X}",
                                "font": face.ps_name, "file": str(face.path)})
    return out


def face_for(key: str, ch: str) -> str | None:
    """The face that sets `ch` for a run in face `key`: itself, a fallback, or None (missing)."""
    if load_face(key).has(ch):
        return key
    for other in chain(key)[1:]:
        if load_face(other).has(ch):
            return other
    return None


if __name__ == "__main__":
    for written in write_shipped():
        print(f"wrote {written} ({written.stat().st_size} bytes)")
