"""PDF output with reportlab: composed pages → PDF bytes.

Text goes out one TJ array per line and face (no per-character operators): each glyph's
position is reached from the previous one with a TJ adjustment. Colours are DeviceCMYK only,
text and rules 100 % K with overprint, and every font is embedded (the bundled faces, as
TrueType subsets).
"""
from __future__ import annotations

import io
from pathlib import Path

from ..compose.items import ComposedPage, TextLine
from ..text.fonts import FACE_FILES, font_dir, load_face

FONT_PREFIX = "paiban-"


def _register(face_key: str):
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    name = FONT_PREFIX + face_key
    try:
        return pdfmetrics.getFont(name)
    except KeyError:
        pass
    font = TTFont(name, str(load_face(face_key).path))
    pdfmetrics.registerFont(font)
    return font


class _TextWriter:
    """Writes positioned glyph runs as compact PDF text operators."""

    def __init__(self, canvas):
        self.canvas = canvas
        self.doc = canvas._doc
        self.fonts: dict[str, object] = {}
        self.enc: dict[tuple[str, str], list[tuple[int, bytes]]] = {}

    def _encode(self, face: str, ch: str) -> tuple[int, bytes]:
        """(subset, byte) of one character in reportlab's simple-font subsets of `face`."""
        key = (face, ch)
        hit = self.enc.get(key)
        if hit is None:
            font = self.fonts.get(face) or self.fonts.setdefault(face, _register(face))
            (subset, b), = font.splitString(ch, self.doc)
            hit = self.enc[key] = (subset, b if isinstance(b, bytes) else b.encode("latin-1"))
        return hit

    def line(self, ln: TextLine, page_height: float) -> str:
        if not ln.glyphs:
            return ""
        out = ["BT", "%s %s %s %s k" % tuple(_num(c) for c in ln.color)]
        x0 = ln.x + ln.glyphs[0].x
        out.append(f"1 0 0 1 {_num(x0)} {_num(page_height - ln.baseline)} Tm")
        cur_font = None
        pen = x0                     # where the next glyph lands with no adjustment
        arr: list[str] = []
        run = bytearray()
        for g in ln.glyphs:
            face = load_face(g.face)
            want = ln.x + g.x
            for ch in g.text:
                subset, b = self._encode(g.face, ch)
                font_id = (g.face, subset, g.size)
                if font_id != cur_font:
                    if run:
                        arr.append("(" + _escape(bytes(run)) + ")")
                        run.clear()
                    if arr:
                        out.append("[" + " ".join(arr) + "] TJ")
                        arr = []
                    name = self.fonts[g.face].getSubsetInternalName(subset, self.doc)
                    out.append(f"{name} {_num(g.size)} Tf")
                    cur_font = font_id
                adj = (want - pen) / g.size * 1000
                if abs(adj) > 0.01:
                    if run:
                        arr.append("(" + _escape(bytes(run)) + ")")
                        run.clear()
                    arr.append(_num(-adj))
                run += b
                adv = (face.advance(ch) if face.has(ch) else 1.0) * g.size
                pen = want + adv
                want = pen
        if run:
            arr.append("(" + _escape(bytes(run)) + ")")
        if arr:
            out.append("[" + " ".join(arr) + "] TJ")
        out.append("ET")
        return "\n".join(out)


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _escape(b: bytes) -> str:
    out = []
    for c in b:
        if c in (0x28, 0x29, 0x5C):
            out.append("\\" + chr(c))
        elif c < 32 or c > 126:
            out.append("\\%03o" % c)
        else:
            out.append(chr(c))
    return "".join(out)


def render_pdf(pages: list[ComposedPage], *, title: str = "", image_loader=None) -> bytes:
    """The pages as one PDF (bytes). `image_loader(path, w_pt, h_pt, focus)` returns a PIL image
    cropped to the frame (default: `layout.output.images.prepare_picture`)."""
    from reportlab.pdfgen.canvas import Canvas

    from .images import prepare_picture
    load = image_loader or prepare_picture
    _register("serif")
    buf = io.BytesIO()
    first = pages[0]
    canv = Canvas(buf, pagesize=(first.width, first.height), invariant=1,
                  initialFontName=FONT_PREFIX + "serif", initialFontSize=9, pageCompression=1)
    canv.setTitle(title)
    canv.setCreator("paiban")
    canv.setProducer("paiban")
    writer = _TextWriter(canv)
    for page in pages:
        canv.setPageSize((page.width, page.height))
        canv.setFillOverprint(True)
        canv.setStrokeOverprint(True)
        canv.setOverprintMask(1)
        for pic in page.pictures:
            from reportlab.lib.utils import ImageReader
            img = load(pic.path, pic.width, pic.height, pic.focus)
            canv.drawImage(ImageReader(img), pic.x, page.height - pic.y - pic.height,
                           pic.width, pic.height)
        ops = []
        for r in page.rules:
            ops.append("%s %s %s %s K %s w %s %s m %s %s l S" % (
                *(_num(c) for c in r.color), _num(r.width), _num(r.x1), _num(page.height - r.y1),
                _num(r.x2), _num(page.height - r.y2)))
        for ln in page.lines:
            ops.append(writer.line(ln, page.height))
        canv._code.append("\n".join(op for op in ops if op))
        canv.showPage()
    canv.save()
    return buf.getvalue()
