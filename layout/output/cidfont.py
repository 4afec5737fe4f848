"""One embedded font per face: Type0 / CIDFontType2 (TrueType outlines) or CIDFontType0 (CFF
outlines, as a CID-keyed CFF in FontFile3/CIDFontType0C) / Identity-H, written into reportlab's PDF.

reportlab's own TrueType embedding parses the whole font in Python on every run and splits a
face into simple fonts of 256 codes each, with a ToUnicode map that is wrong beyond the BMP.
Here the content stream shows glyph ids (2 bytes each); the font program is a subset made by
HarfBuzz (uharfbuzz) keeping the original glyph ids, so no re-encoding is needed; widths come
from the same metrics that layout used; ToUnicode is written with UTF-16 surrogate pairs.
The subset tag is derived from the face and the glyphs used, so builds are byte-identical.
A member of a font collection is subset from its collection; a font whose licence bits forbid
subsetting (OS/2 fsType 0x0100) is embedded whole (layout/text/fontfile.py).
"""
from __future__ import annotations

import hashlib
import zlib

from ..text.fonts import Face, face_info, load_face


SUBSET_LEVEL = 6     # zlib level of font programs: 0.5 % larger than 9, at half the time


def _harfbuzz_identity() -> str:
    """Which HarfBuzz would subset (its compiled module's name, size and time), found without
    importing it."""
    import importlib.util
    import os

    spec = importlib.util.find_spec("uharfbuzz")
    if spec is None or not spec.submodule_search_locations:
        return "none"
    folder = list(spec.submodule_search_locations)[0]
    parts = []
    for name in sorted(os.listdir(folder)):
        if name.startswith("_harfbuzz"):
            st = os.stat(os.path.join(folder, name))
            parts.append(f"{name}:{st.st_size}:{st.st_mtime_ns}")
    return ";".join(parts) or folder


class EmbeddedFace:
    """A face as used in one document: the glyphs it needs, and its PDF objects at the end."""

    def __init__(self, face_key: str, internal_name: str):
        self.face: Face = load_face(face_key)
        self.key = face_key
        info = face_info(face_key)                       # None: a bundled face (glyf, subset)
        self.cff = info is not None and info.outline == "CFF"
        self.whole = info is not None and not info.subset_allowed
        self.name = internal_name          # resource name, e.g. PB1
        self.used: dict[int, str] = {}     # glyph id → the text it stands for
        self._codes: dict[str, tuple[str, float]] = {}

    def code(self, ch: str) -> tuple[str, float]:
        """(the glyph's 2-byte code in hex, its advance in em), remembered per character; the
        glyph is marked used for the subset."""
        c = self._codes.get(ch)
        if c is None:
            f = self.face
            gid = f.gids.get(ord(ch), 0)
            if gid not in self.used:
                self.used[gid] = ch
            c = self._codes[ch] = (gid.to_bytes(2, "big").hex(),
                                   f.gid_advance(gid) / f.units_per_em)
        return c

    def glyph(self, ch: str, gid: int) -> tuple[str, float]:
        """As `code`, for a glyph given by id (a vertical alternate) that stands for `ch`."""
        if gid not in self.used:
            self.used[gid] = ch
        f = self.face
        return gid.to_bytes(2, "big").hex(), f.gid_advance(gid) / f.units_per_em

    # --- PDF objects ----------------------------------------------------------------------
    def tag(self) -> str:
        h = hashlib.sha256(self.face.ps_name.encode() + b"|" +
                           b",".join(str(g).encode() for g in sorted(self.used))).digest()
        return "".join(chr(65 + b % 26) for b in h[:6])

    def font_program(self) -> bytes:
        import uharfbuzz as hb

        blob = hb.Blob.from_file_path(str(self.face.path))
        face = hb.Face(blob, self.face.index or 0)
        inp = hb.SubsetInput()
        for gid in (range(len(self.face.gid_advances)) if self.whole else self.used):
            inp.glyph_set.add(gid)
        inp.flags = hb.SubsetFlags.RETAIN_GIDS | hb.SubsetFlags.NO_HINTING
        drop = inp.sets(hb.SubsetInputSets.DROP_TABLE_TAG)
        for tag in ("GSUB", "GPOS", "GDEF", "BASE", "JSTF", "vhea", "vmtx", "VORG", "DSIG",
                    "kern", "name", "post", "gasp", "hdmx", "LTSH", "VDMX", "cmap"):
            drop.add(hb.ot_tag_from_string(tag) if hasattr(hb, "ot_tag_from_string")
                     else int.from_bytes(tag.encode(), "big"))
        out = hb.subset(face, inp)
        if out is None:
            raise RuntimeError(f"HarfBuzz could not subset {self.face.path}")
        return cid_keyed_cff(out.blob.data) if self.cff else out.blob.data

    def compressed_program(self) -> tuple[int, bytes]:
        """(length of the font program, the program Flate-compressed). Subsetting needs
        HarfBuzz (0.015 s to import) and with compression costs 0.03 s for the four faces of a
        page, so the result is kept in the cache folder, keyed by the SHA-256 of the font
        file, the glyph ids, and HarfBuzz's own library file (an entry: the program's length
        and the compressed program). The cache never changes the output, only its cost."""
        import struct

        from ..cache import drop_entry, entry_path, file_digest, read_entry, write_entry

        key = hashlib.sha256("|".join([
            "subset2", file_digest(self.face.path), str(self.face.index), str(self.cff),
            str(self.whole), _harfbuzz_identity(), str(SUBSET_LEVEL),
            ",".join(map(str, sorted(self.used)))]).encode()).hexdigest()
        path = entry_path("subsets", f"{key}.bin")
        raw = read_entry(path)
        if raw is not None:
            if len(raw) > 4:
                return struct.unpack(">I", raw[:4])[0], raw[4:]
            drop_entry(path, "too short")
        program = self.font_program()
        z = zlib.compress(program, SUBSET_LEVEL)
        write_entry(path, struct.pack(">I", len(program)) + z)
        return len(program), z

    def widths(self) -> list:
        """The W array: runs of consecutive glyph ids with their widths (1000 units/em)."""
        scale = 1000.0 / self.face.units_per_em
        out: list = []
        run_start, run = None, []
        for gid in sorted(self.used):
            w = self.face.gid_advance(gid) * scale
            w = int(w) if w == int(w) else round(w, 3)
            if run_start is not None and gid == run_start + len(run):
                run.append(w)
            else:
                if run:
                    out += [run_start, run]
                run_start, run = gid, [w]
        if run:
            out += [run_start, run]
        return out

    def to_unicode(self) -> bytes:
        lines = [
            "/CIDInit /ProcSet findresource begin", "12 dict begin", "begincmap",
            "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
            "/CMapName /Adobe-Identity-UCS def", "/CMapType 2 def",
            "1 begincodespacerange", "<0000> <FFFF>", "endcodespacerange",
        ]
        items = sorted(self.used.items())
        for k in range(0, len(items), 100):
            chunk = items[k:k + 100]
            lines.append(f"{len(chunk)} beginbfchar")
            for gid, text in chunk:
                lines.append(f"<{gid:04X}> <{text.encode('utf-16-be').hex().upper()}>")
            lines.append("endbfchar")
        lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end"]
        return "\n".join(lines).encode("ascii")

    def addObjects(self, doc) -> None:  # noqa: N802 (reportlab's hook name)
        """Called by reportlab when the document is saved (we sit in doc.delayedFonts)."""
        from reportlab.pdfbase import pdfdoc as P

        f = self.face
        base = f"{self.tag()}+{f.ps_name}"
        length, z = self.compressed_program()
        ff = P.PDFStream(content=z, filters=[])
        ff.dictionary["Filter"] = P.PDFName("FlateDecode")
        if self.cff:
            ff.dictionary["Subtype"] = P.PDFName("CIDFontType0C")
        else:
            ff.dictionary["Length1"] = length
        scale = 1000.0 / f.units_per_em
        desc = P.PDFDictionary({
            "Type": P.PDFName("FontDescriptor"),
            "FontName": P.PDFName(base),
            "Flags": 4,
            "FontBBox": P.PDFArray([round(v * scale) for v in f.bbox]),
            "ItalicAngle": 0,
            "Ascent": round(f.typo_ascender * scale),
            "Descent": round(f.typo_descender * scale),
            "CapHeight": round(f.cap_height * scale),
            "StemV": 80,
        })
        program = "FontFile3" if self.cff else "FontFile2"
        desc.dict[program] = doc.Reference(ff, f"{program}:{self.name}")
        cid = P.PDFDictionary({
            "Type": P.PDFName("Font"),
            "Subtype": P.PDFName("CIDFontType0" if self.cff else "CIDFontType2"),
            "BaseFont": P.PDFName(base),
            "CIDSystemInfo": P.PDFDictionary({"Registry": P.PDFString("Adobe"),
                                              "Ordering": P.PDFString("Identity"),
                                              "Supplement": 0}),
            "FontDescriptor": doc.Reference(desc, f"FontDescriptor:{self.name}"),
            "DW": 1000,
            "W": _w_array(self.widths()),       # bytes: reportlab writes them as they are
        })
        if not self.cff:          # a CID-keyed CFF maps CIDs to glyphs by its own charset
            cid.dict["CIDToGIDMap"] = P.PDFName("Identity")
        tu = P.PDFStream(content=zlib.compress(self.to_unicode(), 9), filters=[])
        tu.dictionary["Filter"] = P.PDFName("FlateDecode")
        font = P.PDFDictionary({
            "Type": P.PDFName("Font"),
            "Subtype": P.PDFName("Type0"),
            "BaseFont": P.PDFName(base),
            "Encoding": P.PDFName("Identity-H"),
            "DescendantFonts": P.PDFArray([doc.Reference(cid, f"CIDFont:{self.name}")]),
            "ToUnicode": doc.Reference(tu, f"ToUnicode:{self.name}"),
        })
        doc.idToObject["BasicFonts"].dict[self.name] = doc.Reference(font, self.name)


def cid_keyed_cff(otf: bytes) -> bytes:
    """The CFF table of an OpenType/CFF font as a CID-keyed CFF whose CID of every glyph is its
    glyph id (charset cid00001, cid00002, ...), as FontFile3/CIDFontType0C wants it: the content
    stream shows glyph ids, Identity-H makes them CIDs, the charset makes them glyphs again.
    A name-keyed CFF becomes CID-keyed with one font dict holding its Private dict."""
    import io

    from fontTools.cffLib import FDArrayIndex, FDSelect, FontDict
    from fontTools.ttLib import TTFont

    tt = TTFont(io.BytesIO(otf))
    cff = tt["CFF "].cff
    top = cff.topDictIndex[0]
    cs = top.CharStrings
    old = list(top.charset)
    if not hasattr(top, "ROS"):
        fd = FontDict()
        fd.setCFF2(False)
        fd.Private = top.Private
        fd.FontMatrix = getattr(top, "FontMatrix", [0.001, 0, 0, 0.001, 0, 0])
        fd.FontName = cff.fontNames[0]
        top.FDArray = FDArrayIndex()
        top.FDArray.append(fd)
        top.FDSelect = FDSelect()
        top.FDSelect.format = 3
        top.FDSelect.gidArray = [0] * len(old)
        cs.fdSelect = top.FDSelect
        cs.fdArray = top.FDArray
        top.ROS = ("Adobe", "Identity", 0)
        del top.Private
        if hasattr(top, "Encoding"):
            del top.Encoding
    top.CIDCount = len(old)
    new = [".notdef"] + [f"cid{i:05d}" for i in range(1, len(old))]
    cs.charStrings = {n: cs.charStrings[o] for n, o in zip(new, old)}
    top.charset = new
    out = io.BytesIO()
    cff.compile(out, tt)
    return out.getvalue()


def _w_array(widths: list) -> bytes:
    """The W array as reportlab writes numbers (fp_str; an int is its str), in one join: a
    page's four W arrays formatted element by element took 8 ms."""
    from reportlab.lib.rl_accel import fp_str

    def num(v) -> str:
        return str(v) if type(v) is int else fp_str(v)

    return ("[" + " ".join("[" + " ".join(map(num, x)) + "]" if isinstance(x, list) else num(x)
                           for x in widths) + "]").encode("ascii")

