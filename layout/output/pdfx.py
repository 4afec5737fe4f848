"""Print-ready finishing: turn reportlab's PDF into PDF/X-1a:2001 or PDF/X-4.

reportlab writes the pages; :func:`finish` post-processes the file with pikepdf (qpdf):

* header version (1.3 for X-1a, 1.6 for X-4), Info dictionary (Title, Creator, Producer, dates
  from the issue date, Trapped, GTS keys), XMP identification for X-4;
* exactly one ``/GTS_PDFX`` OutputIntent with the embedded CMYK output profile;
* TrimBox and BleedBox on every page; with a bleed or crop marks the MediaBox grows around the
  trim and the content is shifted with a ``cm`` prefix; crop marks in registration colour
  (``/Separation /All``) outside the bleed;
* font fix-ups: a correct ToUnicode CMap (UTF-16 surrogate pairs beyond the BMP, blocks of at
  most 100 entries), and subset tags unique per font program and file;
* removal of what PDF/X forbids or does not need (JavaScript, actions, annotations, neutral
  PDF-1.4 transparency keys reportlab writes, unused font resources);
* deterministic output: no wall clock, trailer ``/ID`` from a hash of the content, classic xref,
  no object streams, Flate only.

The result is checked by :mod:`layout.checks.preflight`.
"""
from __future__ import annotations

import hashlib
import io
import re
import os
from datetime import date as date_type
from datetime import datetime, timedelta, timezone
from typing import Mapping

import pikepdf
from pikepdf import Array, Dictionary, Name, Stream, String

from layout import __version__

from ..model.printing import (DEFAULT_CONDITION, DEFAULT_CONDITION_ID,  # noqa: F401 (re-exported)
                              DEFAULT_PROFILE, ICC_REGISTRY, MM, STANDARDS, PrintSettings,
                              icc_description, read_profile)

MARK_LENGTH = 5.0 * MM     # length of a crop mark line
MARK_GAP = 3.0 * MM        # distance of the marks from the trim when there is no bleed
MARK_WIDTH = 0.25          # pt
REG_NAME = "/PaibanRegistration"


# --------------------------------------------------------------------------- finish
def finish(pdf_bytes: bytes, *, settings: PrintSettings, title: str, date: datetime,
           trim_boxes: list[tuple[float, float, float, float]] | None = None) -> bytes:
    """Return ``pdf_bytes`` finished as PDF/X (``settings.standard``).

    ``date`` gives CreationDate and ModDate (a naive datetime is taken as UTC). ``trim_boxes``
    gives each page's trim box; without it the trim is the MediaBox. With ``bleed_mm`` > 0 or
    ``crop_marks`` the caller's page (its MediaBox or given trim) is the trimmed size, and the
    MediaBox is enlarged around it.
    """
    pdf = pikepdf.open(io.BytesIO(pdf_bytes))
    if trim_boxes is not None and len(trim_boxes) != len(pdf.pages):
        raise ValueError(f"trim_boxes: {len(trim_boxes)} boxes for {len(pdf.pages)} pages")
    _strip_forbidden(pdf, settings)
    _fix_fonts(pdf)
    _set_boxes(pdf, settings, trim_boxes)
    _set_output_intent(pdf, settings)
    _set_info(pdf, settings, title, date)
    if "/ID" in pdf.trailer:
        del pdf.trailer["/ID"]   # the /ID is derived from the content (`_content_id`)

    def save(**how) -> bytes:
        out = io.BytesIO()
        # Streams we create are compressed as we make them (_flate); asking qpdf to compress
        # would make it re-encode every photo (0.15 s each) for nothing.
        pdf.save(out, force_version=settings.pdf_version, fix_metadata_version=False,
                 compress_streams=False,
                 stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable,
                 normalize_content=False, linearize=False, qdf=False, **how)
        return out.getvalue()

    data = _content_id(save(static_id=True))
    return data if data is not None else save(deterministic_id=True)


# What qpdf writes for `static_id`: both halves of the /ID the same fixed string.
_STATIC_ID = b"<31415926535897932384626433832795>"


def _content_id(data: bytes) -> bytes | None:
    """The file with qpdf's static /ID replaced by one derived from its content: the first 16
    bytes of the SHA-256 of the whole file (as written with the static /ID), in both halves.
    qpdf's own deterministic /ID is an MD5 of the file, 4.5 ms for a page with photos; SHA-256
    takes a third of that. The replacement has the same length, so no offset moves. None when
    the trailer is not as expected (then qpdf derives it)."""
    import hashlib

    at = data.rfind(b"trailer")
    tail = data[at:] if at >= 0 else b""
    ids = b"/ID [" + _STATIC_ID + _STATIC_ID + b"]"
    if at < 0 or tail.count(ids) != 1 or tail.count(_STATIC_ID) != 2:
        return None
    digest = b"<" + hashlib.sha256(data).hexdigest()[:32].encode("ascii") + b">"
    return data[:at] + tail.replace(ids, b"/ID [" + digest + digest + b"]")


def _flate(pdf: pikepdf.Pdf, data: bytes) -> Stream:
    """A new stream holding `data`, Flate-compressed."""
    import zlib

    return _flated(pdf, zlib.compress(data, 9))


def _flated(pdf: pikepdf.Pdf, z: bytes) -> Stream:
    """A new stream holding `z`, data already Flate-compressed."""
    stream = pdf.make_stream(z)
    stream.Filter = Name.FlateDecode
    return stream


# --------------------------------------------------------------------------- clean-up
_NEUTRAL_TRANSPARENCY = {"/CA": 1, "/ca": 1, "/BM": "/Normal", "/SMask": "/None",
                         "/AIS": False, "/TK": True}


def _strip_forbidden(pdf: pikepdf.Pdf, settings: PrintSettings) -> None:
    root = pdf.Root
    for key in ("/OpenAction", "/AA", "/AcroForm", "/Outlines", "/Threads", "/Perms",
                "/Collection"):
        if key in root:
            del root[key]
    if "/Names" in root:
        names = root.Names
        for key in ("/JavaScript", "/EmbeddedFiles"):
            if key in names:
                del names[key]
    if settings.standard == "x1a" and "/Metadata" in root:
        # XMP is PDF 1.4; X-1a:2001 identifies itself in the Info dictionary
        del root["/Metadata"]
    if "/PageMode" in root and root.PageMode == Name.UseOutlines:
        root.PageMode = Name.UseNone
    for page in pdf.pages:
        obj = page.obj
        for key in ("/Annots", "/AA", "/Trans", "/Dur", "/PieceInfo"):
            if key in obj:
                del obj[key]
        _drop_unused_fonts(pdf, page)
    if settings.standard == "x1a":
        for obj in pdf.objects:
            if isinstance(obj, Dictionary) and obj.get("/Type") == Name.ExtGState:
                _neutral_gs(obj)
        for page in pdf.pages:
            res = page.obj.get("/Resources")
            if isinstance(res, Dictionary) and "/ExtGState" in res:
                for gs in res.ExtGState.values():
                    if isinstance(gs, Dictionary):
                        _neutral_gs(gs)


def _neutral_gs(gs: Dictionary) -> None:
    """Remove PDF 1.4 transparency keys that have their neutral value (reportlab writes
    ``/CA 1 /ca 1`` for colours with the default alpha)."""
    for key, neutral in _NEUTRAL_TRANSPARENCY.items():
        if key not in gs:
            continue
        v = gs[key]
        if isinstance(neutral, bool):
            same = bool(v) == neutral
        elif isinstance(neutral, str):
            same = str(v) == neutral or (isinstance(v, Array) and len(v) == 1
                                         and str(v[0]) == neutral)
        else:
            try:
                same = float(v) == neutral
            except (TypeError, ValueError):
                same = False
        if same:
            del gs[key]


_SHOW = {"Tj", "TJ", "'", '"'}


def _font_use(ops) -> tuple[set[str], set[str]] | None:
    """(fonts selected with Tf, fonts current when text is shown), q/Q aware."""
    selected: set[str] = set()
    shown: set[str] = set()
    cur: str | None = None
    stack: list[str | None] = []
    for operands, op in ops:
        o = str(op)
        if o == "q":
            stack.append(cur)
        elif o == "Q":
            cur = stack.pop() if stack else cur
        elif o == "Tf" and operands and isinstance(operands[0], Name):
            cur = str(operands[0])
            selected.add(cur)
        elif o in _SHOW and cur is not None:
            shown.add(cur)
    return selected, shown


_DELIM = rb"\s/\[\]<>(){}%"
_FONT_OPS = re.compile(
    rb"(?<![^" + _DELIM + rb"])(?:(/[^" + _DELIM + rb"]+)\s+[-+]?(?:\d+\.?\d*|\.\d+)\s+Tf"
    rb"|(q|Q|Tj|TJ|'|\"))(?![^" + _DELIM + rb"])")
_NOT_SIMPLE = re.compile(rb"[(%]|(?<![^" + _DELIM + rb"])BI(?![^" + _DELIM + rb"])")


def _font_use_fast(data: bytes) -> tuple[set[str], set[str]] | None:
    """What `_font_use` finds, by scanning the bytes of a content stream without literal
    strings, comments or inline images (the text paiban writes: hex strings in TJ arrays);
    None for any other content, which is then parsed."""
    if b"(" in data or b"%" in data or (b"BI" in data and _NOT_SIMPLE.search(data)):
        return None
    selected: set[str] = set()
    shown: set[str] = set()
    cur: str | None = None
    stack: list[str | None] = []
    n_tf = 0
    for m in _FONT_OPS.finditer(data):
        name, o = m.group(1), m.group(2)
        if name is not None:
            if b"#" in name:
                return None     # an escaped name: let qpdf spell it
            cur = name.decode("latin-1")
            selected.add(cur)
            n_tf += 1
        elif o == b"q":
            stack.append(cur)
        elif o == b"Q":
            cur = stack.pop() if stack else cur
        elif cur is not None:
            shown.add(cur)
    if n_tf != data.count(b"Tf") and n_tf != len(
            re.findall(rb"(?<![^" + _DELIM + rb"])Tf(?![^" + _DELIM + rb"])", data)):
        return None     # a Tf whose operands are not a name and a number: parse it
    return selected, shown


def _drop_unused_fonts(pdf: pikepdf.Pdf, page: pikepdf.Page) -> None:
    """reportlab lists Helvetica (not embedded) on every page and selects it in an empty
    ``BT /F1 12 Tf 14.4 TL ET`` even when it shows no text in it: drop such fonts from the
    page's resources and their ``Tf`` from its content."""
    res = page.obj.get("/Resources")
    if not isinstance(res, Dictionary) or "/Font" not in res:
        return
    ops = None
    try:
        use = _font_use_fast(b"\n".join(_contents(page)))
    except Exception:  # noqa: BLE001 - e.g. a stream that does not decode: parse the page
        use = None
    if use is None:
        try:
            ops = pikepdf.parse_content_stream(page)
        except Exception:  # noqa: BLE001 - unparsable content: keep every font
            return
        use = _font_use(ops)
    selected, shown = use
    fonts = res.Font
    unused = {k for k in fonts.keys() if k not in shown}
    if not unused:
        return
    # forms and patterns may use the page's fonts: keep any font named in an XObject's content
    for xo in (res.get("/XObject") or {}).values() if isinstance(res.get("/XObject"),
                                                                  Dictionary) else ():
        if isinstance(xo, pikepdf.Stream) and xo.get("/Subtype") == Name.Form \
                and "/Resources" not in xo:
            return
    new_fonts = Dictionary({k: fonts[k] for k in fonts.keys() if k not in unused})
    new_res = Dictionary({k: res[k] for k in res.keys()})   # a page's own copy
    if len(new_fonts):
        new_res.Font = new_fonts
    else:
        del new_res["/Font"]
    page.obj.Resources = new_res
    if unused & selected:
        if ops is None:
            try:
                ops = pikepdf.parse_content_stream(page)
            except Exception:  # noqa: BLE001
                return
        kept = [ins for ins in ops
                if not (str(ins[1]) == "Tf" and ins[0] and str(ins[0][0]) in unused)]
        page.obj.Contents = _flate(pdf, pikepdf.unparse_content_stream(kept))


# --------------------------------------------------------------------------- fonts
def _font_dicts(pdf: pikepdf.Pdf) -> list[Dictionary]:
    """Every font dictionary in the file, Type0 ones with their descendants after them."""
    out = []
    for obj in pdf.objects:
        if isinstance(obj, Dictionary) and obj.get("/Type") == Name.Font:
            out.append(obj)
    return out


def _program_digest(font: Dictionary, memo: dict) -> bytes:
    """SHA-256 of the font's embedded program as the file holds it: its filters and their
    parameters, then its bytes undecoded — the same program gives the same digest, and a
    subset tag needs no more (inflating the page's four programs to hash them took 3 ms); of
    nothing for a font without one. `memo`: by stream, for a Type0 font and its descendant,
    which share one, and for the two passes of `_fix_fonts`."""
    desc = font.get("/FontDescriptor")
    if desc is None and "/DescendantFonts" in font:
        desc = font.DescendantFonts[0].get("/FontDescriptor")
    for key in ("/FontFile2", "/FontFile3", "/FontFile") if desc is not None else ():
        if key in desc:
            stream = desc[key]
            og = stream.objgen if stream.is_indirect else None
            if og is not None and og in memo:
                return memo[og]
            how = repr((key, str(stream.get("/Filter")), str(stream.get("/DecodeParms")),
                        str(stream.get("/Subtype"))))
            digest = hashlib.sha256(how.encode() + b"\0" + stream.read_raw_bytes()).digest()
            if og is not None:
                memo[og] = digest
            return digest
    return hashlib.sha256(b"").digest()


_TAG = re.compile(r"^[A-Z]{6}\+")


def _fix_fonts(pdf: pikepdf.Pdf) -> None:
    fonts = _font_dicts(pdf)
    for f in fonts:
        if "/ToUnicode" in f and isinstance(f.ToUnicode, pikepdf.Stream):
            try:
                z = _fixed_tounicode(_decoded(f.ToUnicode))
            except Exception:  # noqa: BLE001 - leave a CMap we cannot read as it is
                continue
            if z is not None:
                f.ToUnicode = _flated(pdf, z)
    # subset tags: unique per font program and file, derived from content hashes
    doc = hashlib.sha256()
    for page in pdf.pages:
        for c in _contents(page):
            doc.update(c)
    progs = {}
    memo: dict = {}
    for f in fonts:
        base = str(f.get("/BaseFont", ""))[1:]
        if _TAG.match(base) and "/DescendantFonts" not in f:
            progs[id(f)] = _program_digest(f, memo)
    for f in fonts:
        doc.update(progs.get(id(f), b""))
    doc_digest = doc.digest()
    used: set[str] = set()
    for f in fonts:
        base = str(f.get("/BaseFont", ""))[1:]
        if not _TAG.match(base) or str(f.get("/Subtype")) in ("/CIDFontType0", "/CIDFontType2"):
            continue   # descendants are renamed with their Type0 parent
        desc_fonts = list(f.DescendantFonts) if "/DescendantFonts" in f else []
        seed = hashlib.sha256(_program_digest(f, memo) + doc_digest + base[7:].encode()).digest()
        n = 0
        while True:
            tag = _letters(hashlib.sha256(seed + n.to_bytes(4, "big")).digest())
            if tag not in used:
                break
            n += 1
        used.add(tag)
        newname = f"{tag}+{base[7:]}"
        f.BaseFont = Name("/" + newname)
        for d in [f, *desc_fonts]:
            dbase = str(d.get("/BaseFont", ""))[1:]
            if d is not f and _TAG.match(dbase):
                dbase = f"{tag}+{dbase[7:]}"
                d.BaseFont = Name("/" + dbase)
            elif d is f:
                dbase = newname
            fd = d.get("/FontDescriptor")
            if fd is not None and _TAG.match(str(fd.get("/FontName", ""))[1:]):
                fd.FontName = Name(f"/{tag}+{str(fd.FontName)[8:]}")


def _fixed_tounicode(data: bytes) -> bytes | None:
    """`fix_tounicode(data)` Flate-compressed as `_flate` does, None when the CMap is already
    clean. A page's four CMaps take 5 ms to parse and write again, the same every time the
    page is built, so the answer is kept in the cache folder by the SHA-256 of the CMap."""
    import zlib

    from ..cache import entry_path, read_entry, write_entry

    cached = entry_path("tounicode", hashlib.sha256(b"tounicode1|" + data).hexdigest())
    raw = read_entry(cached)
    if raw is not None and raw[:1] in (b"=", b"+"):
        return raw[1:] if raw[:1] == b"+" else None
    fixed = fix_tounicode(data)
    z = zlib.compress(fixed, 9) if fixed != data else None
    write_entry(cached, b"=" if z is None else b"+" + z)
    return z


def _decoded(stream: Stream) -> bytes:
    """`stream.read_bytes()`: a complete plain Flate stream (no parameters, nothing after its
    end) inflated by zlib itself, the same bytes in a fifth of the time qpdf takes (5 ms for a
    page's largest font program); any other stream by qpdf."""
    import zlib

    f = stream.get("/Filter")
    if "/DecodeParms" not in stream and "/DP" not in stream and (
            f == Name.FlateDecode or (isinstance(f, Array) and len(f) == 1
                                      and f[0] == Name.FlateDecode)):
        d = zlib.decompressobj()
        try:
            out = d.decompress(stream.read_raw_bytes())
        except zlib.error:
            out = None
        if out is not None and d.eof and not d.unused_data:
            return out
    return stream.read_bytes()


def _letters(digest: bytes) -> str:
    return "".join(chr(ord("A") + b % 26) for b in digest[:6])


def _contents(page: pikepdf.Page) -> list[bytes]:
    c = page.obj.get("/Contents")
    if c is None:
        return []
    if isinstance(c, Array):
        return [_decoded(s) for s in c]
    return [_decoded(c)]


_HEX = rb"<([0-9A-Fa-f\s]*)>"


_HEXDIGITS = frozenset("0123456789ABCDEF")


def _cp_to_utf16(hexstr: str) -> str:
    """A bfchar/bfrange destination as UTF-16BE hex.

    reportlab writes the code point in hex, which is UTF-16BE only inside the BMP: ``<20BB7>``
    for U+20BB7 must be the surrogate pair ``<D842DFB7>``."""
    h = hexstr.upper()
    if len(h) == 4 and not ("D800" <= h <= "DFFF") and all(c in _HEXDIGITS for c in h):
        return h                    # a BMP code point: already UTF-16BE (the common case)
    h = re.sub(r"\s", "", h)
    if len(h) % 4 == 0 and h and _valid_utf16(h):
        return h
    cp = int(h, 16)
    if cp > 0x10FFFF or 0xD800 <= cp <= 0xDFFF:
        raise ValueError(f"ToUnicode destination <{h}> is not a code point")
    return chr(cp).encode("utf-16-be").hex().upper()


def _valid_utf16(h: str) -> bool:
    try:
        bytes.fromhex(h).decode("utf-16-be")
        return True
    except UnicodeDecodeError:
        return False


def parse_tounicode(data: bytes) -> tuple[list[tuple[bytes, bytes]], dict[bytes, str]]:
    """Parse a ToUnicode CMap: (codespace ranges, {code bytes: UTF-16BE hex destination})."""
    text = data
    spaces: list[tuple[bytes, bytes]] = []
    for block in re.findall(rb"begincodespacerange(.*?)endcodespacerange", text, re.S):
        hexes = re.findall(_HEX, block)
        for lo, hi in zip(hexes[0::2], hexes[1::2]):
            spaces.append((bytes.fromhex(lo.decode()), bytes.fromhex(hi.decode())))
    mapping: dict[bytes, str] = {}
    for block in re.findall(rb"beginbfchar(.*?)endbfchar", text, re.S):
        hexes = re.findall(_HEX, block)
        for src, dst in zip(hexes[0::2], hexes[1::2]):
            mapping[bytes.fromhex(re.sub(rb"\s", b"", src).decode())] = _cp_to_utf16(dst.decode())
    for block in re.findall(rb"beginbfrange(.*?)endbfrange", text, re.S):
        for m in re.finditer(rb"<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*"
                             rb"(<[0-9A-Fa-f\s]*>|\[[^\]]*\])", block):
            lo = bytes.fromhex(m.group(1).decode())
            hi = bytes.fromhex(m.group(2).decode())
            width = len(lo)
            a, b = int.from_bytes(lo, "big"), int.from_bytes(hi, "big")
            dst = m.group(3)
            if dst.startswith(b"["):
                items = re.findall(_HEX, dst)
                for i, code in enumerate(range(a, b + 1)):
                    if i < len(items):
                        mapping[code.to_bytes(width, "big")] = _cp_to_utf16(items[i].decode())
            else:
                first = _cp_to_utf16(dst[1:-1].decode())
                s = bytes.fromhex(first).decode("utf-16-be")
                for i, code in enumerate(range(a, b + 1)):
                    t = s[:-1] + chr(ord(s[-1]) + i)
                    mapping[code.to_bytes(width, "big")] = t.encode("utf-16-be").hex().upper()
    return spaces, mapping


def fix_tounicode(data: bytes) -> bytes:
    """A clean ToUnicode CMap: UTF-16BE destinations (surrogate pairs beyond the BMP), no
    entries mapping to U+0000, blocks of at most 100 entries (Adobe TN 5014)."""
    spaces, mapping = parse_tounicode(data)
    if not mapping:
        return data
    if not spaces:
        width = max(len(k) for k in mapping)
        spaces = [(b"\0" * width, b"\xff" * width)]
    items = sorted((k, v) for k, v in mapping.items() if v and int(v, 16) != 0)
    lines = [
        "/CIDInit /ProcSet findresource begin",
        "12 dict begin",
        "begincmap",
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def",
        "/CMapName /Adobe-Identity-UCS def",
        "/CMapType 2 def",
        f"{len(spaces)} begincodespacerange",
    ]
    lines += [f"<{lo.hex().upper()}> <{hi.hex().upper()}>" for lo, hi in spaces]
    lines.append("endcodespacerange")
    for i in range(0, len(items), 100):
        chunk = items[i:i + 100]
        lines.append(f"{len(chunk)} beginbfchar")
        lines += [f"<{k.hex().upper()}> <{v}>" for k, v in chunk]
        lines.append("endbfchar")
    lines += ["endcmap", "CMapName currentdict /CMap defineresource pop", "end", "end", ""]
    return "\n".join(lines).encode("ascii")


# --------------------------------------------------------------------------- boxes & marks
def _box(a) -> tuple[float, float, float, float]:
    x0, y0, x1, y1 = (float(v) for v in a)
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _fmt(v: float) -> str:
    s = f"{v:.4f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _set_boxes(pdf: pikepdf.Pdf, settings: PrintSettings,
               trim_boxes: list[tuple[float, float, float, float]] | None) -> None:
    bleed = settings.bleed_mm * MM
    enlarge = bleed > 0 or settings.crop_marks
    gap = max(bleed + 1.0 * MM, MARK_GAP) if settings.crop_marks else 0.0
    margin = bleed
    if settings.crop_marks:
        margin = gap + MARK_LENGTH + 1.0 * MM
    bleed, gap, margin = round(bleed, 4), round(gap, 4), round(margin, 4)
    for i, page in enumerate(pdf.pages):
        obj = page.obj
        media = _box(obj.get("/MediaBox", page.mediabox))
        for key in ("/CropBox", "/ArtBox"):
            if key in obj:
                del obj[key]
        trim = _box(trim_boxes[i]) if trim_boxes is not None else media
        if not enlarge:
            obj.TrimBox = Array([*trim])
            obj.BleedBox = Array([*trim])
            continue
        # the caller's page is the trim: shift it so the new MediaBox starts at 0 0
        dx, dy = round(margin - trim[0], 4), round(margin - trim[1], 4)
        w, h = trim[2] - trim[0], trim[3] - trim[1]
        new_trim = (trim[0] + dx, trim[1] + dy, trim[2] + dx, trim[3] + dy)
        prefix = pdf.make_stream(f"q 1 0 0 1 {_fmt(dx)} {_fmt(dy)} cm\n".encode())
        suffix_ops = "\nQ\n"
        if settings.crop_marks:
            suffix_ops += _crop_marks(new_trim, gap)
            _add_registration(pdf, obj)
        suffix = pdf.make_stream(suffix_ops.encode())
        old = obj.get("/Contents")
        parts = [prefix]
        if isinstance(old, Array):
            parts += list(old)
        elif old is not None:
            parts.append(old)
        parts.append(suffix)
        obj.Contents = Array(parts)
        obj.MediaBox = Array([0, 0, new_trim[2] + margin, new_trim[3] + margin])
        obj.TrimBox = Array([*new_trim])
        obj.BleedBox = Array([new_trim[0] - bleed, new_trim[1] - bleed,
                              new_trim[2] + bleed, new_trim[3] + bleed])


def _crop_marks(trim: tuple[float, float, float, float], gap: float) -> str:
    x0, y0, x1, y1 = trim
    L = MARK_LENGTH
    ops = [f"q {REG_NAME} CS 1 SCN {_fmt(MARK_WIDTH)} w 0 J 0 j [] 0 d"]
    for x, y, sx, sy in ((x0, y0, -1, -1), (x1, y0, 1, -1), (x0, y1, -1, 1), (x1, y1, 1, 1)):
        # horizontal mark on the trim line y, outside in x; vertical on x, outside in y
        ops.append(f"{_fmt(x + sx * gap)} {_fmt(y)} m {_fmt(x + sx * (gap + L))} {_fmt(y)} l S")
        ops.append(f"{_fmt(x)} {_fmt(y + sy * gap)} m {_fmt(x)} {_fmt(y + sy * (gap + L))} l S")
    ops.append("Q\n")
    return "\n".join(ops)


def _registration_space(pdf: pikepdf.Pdf) -> Array:
    fn = Dictionary(FunctionType=2, Domain=Array([0, 1]), C0=Array([0, 0, 0, 0]),
                    C1=Array([1, 1, 1, 1]), N=1)
    return Array([Name.Separation, Name.All, Name.DeviceCMYK, pdf.make_indirect(fn)])


def _add_registration(pdf: pikepdf.Pdf, page: Dictionary) -> None:
    res = page.get("/Resources")
    new_res = Dictionary({k: res[k] for k in res.keys()}) if isinstance(res, Dictionary) \
        else Dictionary()
    cs = new_res.get("/ColorSpace")
    new_cs = Dictionary({k: cs[k] for k in cs.keys()}) if isinstance(cs, Dictionary) \
        else Dictionary()
    if not hasattr(pdf, "_paiban_reg"):
        pdf._paiban_reg = pdf.make_indirect(_registration_space(pdf))  # type: ignore[attr-defined]
    new_cs[REG_NAME] = pdf._paiban_reg  # type: ignore[attr-defined]
    new_res.ColorSpace = new_cs
    page.Resources = new_res


# --------------------------------------------------------------------------- intent & info
def _set_output_intent(pdf: pikepdf.Pdf, settings: PrintSettings) -> None:
    icc = read_profile(settings.profile)     # bounded, and checked again: it may have changed
    from .flate import compress_cached

    stream = pdf.make_stream(compress_cached(icc, 9))   # the same bytes in every build
    stream.Filter = Name.FlateDecode
    stream.N = 4
    intent = Dictionary(
        Type=Name.OutputIntent,
        S=Name.GTS_PDFX,
        OutputConditionIdentifier=String(settings.output_condition_identifier),
        OutputCondition=String(settings.output_condition),
        RegistryName=String(settings.registry_name),
        Info=String(settings.output_condition),
        DestOutputProfile=stream,
    )
    pdf.Root.OutputIntents = Array([pdf.make_indirect(intent)])


CHINA_TZ = timezone(timedelta(hours=8))


def issue_datetime(day: date_type | datetime, env: Mapping[str, str] | None = None
                   ) -> datetime:
    """The date to stamp in the file: ``SOURCE_DATE_EPOCH`` when set (reproducible builds),
    else the issue date at 00:00 China Standard Time (UTC+8)."""
    env = os.environ if env is None else env
    sde = env.get("SOURCE_DATE_EPOCH", "").strip()
    if sde:
        try:
            return datetime.fromtimestamp(int(sde), tz=timezone.utc)
        except (ValueError, OverflowError, OSError) as e:
            raise ValueError(f"SOURCE_DATE_EPOCH: {sde!r} is not a Unix time") from e
    if isinstance(day, datetime):
        return day if day.tzinfo else day.replace(tzinfo=CHINA_TZ)
    return datetime(day.year, day.month, day.day, tzinfo=CHINA_TZ)


def pdf_date(date: datetime) -> str:
    if date.tzinfo is None:
        date = date.replace(tzinfo=timezone.utc)
    off = date.utcoffset()
    assert off is not None
    mins = int(off.total_seconds() // 60)
    sign = "+" if mins >= 0 else "-"
    mins = abs(mins)
    if mins == 0:
        tz = "Z"
    else:
        tz = f"{sign}{mins // 60:02d}'{mins % 60:02d}'"
    # the year by hand: strftime's %Y writes 999, not 0999, on glibc
    return f"D:{date.year:04d}" + date.strftime("%m%d%H%M%S") + tz


def xmp_date(date: datetime) -> str:
    if date.tzinfo is None:
        date = date.replace(tzinfo=timezone.utc)
    s = date.isoformat(timespec="seconds")
    return s.replace("+00:00", "Z")


def _set_info(pdf: pikepdf.Pdf, settings: PrintSettings, title: str, date: datetime) -> None:
    d = pdf_date(date)
    producer = f"paiban {__version__} (reportlab, pikepdf)"
    info = Dictionary(
        Title=String(title),
        Creator=String("paiban"),
        Producer=String(producer),
        CreationDate=String(d),
        ModDate=String(d),
        Trapped=Name("/False"),
        GTS_PDFXVersion=String(settings.pdfx_version),
    )
    if settings.standard == "x1a":
        info.GTS_PDFXConformance = String("PDF/X-1a:2001")
    pdf.trailer.Info = pdf.make_indirect(info)
    if settings.standard == "x4":
        pdf.Root.Metadata = _xmp_stream(pdf, settings, title, date, producer)


def _xml(s: str) -> str:
    return (s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&quot;"))


# The namespace of paiban's name-based (version 5) UUIDs: uuid5(NAMESPACE_URL, this URL).
UUID_NAMESPACE = "https://paiban.example/xmp-id"


def _uuid_from(data: bytes) -> str:
    """An RFC 4122 UUID, version 5 (name-based, SHA-1), named by the SHA-256 of `data`: the
    same content gives the same identifier, and it carries a valid version and variant."""
    import uuid

    ns = uuid.uuid5(uuid.NAMESPACE_URL, UUID_NAMESPACE)
    return f"uuid:{uuid.uuid5(ns, hashlib.sha256(data).hexdigest())}"


def _xmp_stream(pdf: pikepdf.Pdf, settings: PrintSettings, title: str, date: datetime,
                producer: str) -> pikepdf.Stream:
    d = xmp_date(date)
    digest = hashlib.sha256()
    for page in pdf.pages:
        for c in _contents(page):
            digest.update(c)
    digest.update(title.encode())
    doc_id = _uuid_from(b"doc" + digest.digest())
    inst_id = _uuid_from(b"instance" + digest.digest() + d.encode())
    xmp = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:pdf="http://ns.adobe.com/pdf/1.3/"
    xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/"
    xmlns:pdfxid="http://www.npes.org/pdfx/ns/id/">
   <dc:format>application/pdf</dc:format>
   <dc:title><rdf:Alt><rdf:li xml:lang="x-default">{_xml(title)}</rdf:li></rdf:Alt></dc:title>
   <xmp:CreateDate>{d}</xmp:CreateDate>
   <xmp:ModifyDate>{d}</xmp:ModifyDate>
   <xmp:MetadataDate>{d}</xmp:MetadataDate>
   <xmp:CreatorTool>paiban</xmp:CreatorTool>
   <pdf:Producer>{_xml(producer)}</pdf:Producer>
   <pdf:Trapped>False</pdf:Trapped>
   <xmpMM:DocumentID>{doc_id}</xmpMM:DocumentID>
   <xmpMM:InstanceID>{inst_id}</xmpMM:InstanceID>
   <xmpMM:VersionID>1</xmpMM:VersionID>
   <xmpMM:RenditionClass>default</xmpMM:RenditionClass>
   <pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    s = pdf.make_stream(xmp.encode("utf-8"))
    s.Type = Name.Metadata
    s.Subtype = Name.XML
    return s
