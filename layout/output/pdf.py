"""PDF output with reportlab: composed pages → PDF bytes.

Text goes out one TJ array per line and face (no per-character operators): each glyph's
position is reached from the previous one with a TJ adjustment. Colours are DeviceCMYK only;
each object's colour decides whether it overprints (`ink.overprints`: 100 % K does, white and
colours knock out). Every font is embedded, subset (output/cidfont.py). Proof marks
(`proof.py`) are drawn only into a proof, never into the print file.
"""
from __future__ import annotations

import io
import unicodedata
from pathlib import Path

from ..compose.items import ComposedPage, TextLine
from ..flow.grid import ASCENT, ascent, line_face
from .ink import STATES, InkState
from .proof import proof_ops


class _Canvas:
    """reportlab's Canvas without its initial-font preamble (which would list a non-embedded
    Helvetica on every page)."""

    def __new__(cls, *args, **kwargs):
        from reportlab.pdfgen.canvas import Canvas

        class NoPreambleFont(Canvas):
            def _make_preamble(self):
                self._preamble = "1 0 0 1 0 0 cm"

            def _setExtGState(self, obj):
                # the overprint and knockout states (ink.STATES) on every page, beside any of
                # reportlab's own
                from reportlab.pdfbase import pdfdoc

                super()._setExtGState(obj)
                states = {n: pdfdoc.PDFDictionary(dict(d)) for n, d in STATES.items()}
                if obj.ExtGState:
                    states.update(obj.ExtGState.dict)
                obj.ExtGState = pdfdoc.PDFDictionary(states)

        return NoPreambleFont(*args, **kwargs)


class _TextWriter:
    """Writes positioned glyph runs as compact PDF text operators: one TJ array per line and
    face, glyph ids as 2-byte codes, positions reached by TJ adjustments."""

    def __init__(self, canvas):
        from .cidfont import EmbeddedFace

        self.canvas = canvas
        self.doc = canvas._doc
        self.faces: dict[str, EmbeddedFace] = {}
        self._make = EmbeddedFace
        self._colours: dict[tuple, str] = {}
        self.ink = InkState()         # overprint along the page; a new one for each page

    def _face(self, key: str):
        ef = self.faces.get(key)
        if ef is None:
            # one embedded font per font file, whether text names it by chain or by face key
            from ..text.fonts import primary
            ef = self.faces.get(primary(key))
            if ef is None:
                ef = self._make(primary(key), f"PB{len(set(map(id, self.faces.values()))) + 1}")
                self.faces[primary(key)] = ef
                self.doc.delayedFonts.append(ef)
            self.faces[key] = ef
        return ef

    def line(self, ln: TextLine, page_height: float) -> str:
        if not ln.glyphs:
            return ""
        colour = self._colours.get(ln.color)
        if colour is None:
            colour = self._colours[ln.color] = "%s %s %s %s k" % tuple(_num(c) for c in ln.color)
        out = [op] if (op := self.ink.set(ln.color)) else []
        out += ["BT", colour]
        x0 = ln.x + ln.glyphs[0].x
        if ln.angle:
            # Rotated clockwise on the page: the run reads along (cos, sin) with y downward.
            import math
            c, s = math.cos(math.radians(ln.angle)), math.sin(math.radians(ln.angle))
            px, py = ln.x + ln.glyphs[0].x * c, ln.baseline + ln.glyphs[0].x * s
            out.append(f"{_num(c)} {_num(-s)} {_num(s)} {_num(c)} {_num(px)} "
                       f"{_num(page_height - py)} Tm")
        else:
            out.append(f"1 0 0 1 {_num(x0)} {_num(page_height - ln.baseline)} Tm")
        cur = None
        a_line = ascent(line_face(ln.glyphs))
        rise = 0.0                   # a fallback face's em box moved onto the line's (Ts)
        pen = x0                     # where the next glyph lands with no adjustment
        arr: list[str] = []
        run: list[str] = []
        lx = ln.x
        for g in ln.glyphs:
            if (g.face, g.size) != cur:
                ef = self._face(g.face)
                code = ef.code
                if run:
                    arr.append("<" + "".join(run) + ">")
                    run = []
                if arr:
                    out.append("[" + " ".join(arr) + "] TJ")
                    arr = []
                out.append(f"/{ef.name} {_num(g.size)} Tf")
                cur = (g.face, g.size)
                size = g.size
                r = (a_line - ascent(g.face)) * size
                if r != rise:
                    out.append(f"{_num(r)} Ts")
                    rise = r
            want = lx + g.x
            for ch in g.text:
                adj = (want - pen) / size * 1000
                if adj > 0.01 or adj < -0.01:
                    if run:
                        arr.append("<" + "".join(run) + ">")
                        run = []
                    arr.append(_num(-adj))
                hx, adv = code(ch) if g.gid is None else ef.glyph(ch, g.gid)
                run.append(hx)
                pen = want + adv * size
                want = pen
        if run:
            arr.append("<" + "".join(run) + ">")
        if arr:
            out.append("[" + " ".join(arr) + "] TJ")
        if rise:
            out.append("0 Ts")       # text rise outlives the text object: none for the next line
        out.append("ET")
        out += [self._dots(ln, g, page_height) for g in ln.glyphs if g.dots and not ln.angle]
        return "\n".join(out)

    def _dots(self, ln: TextLine, g, page_height: float) -> str:
        """着重号: a round dot under the centre of each character (none under a mark), in the
        line's colour, in the leading below the em box (9 pt on a 12 pt pitch leaves 3 pt)."""
        ef = self._face(g.face)
        r = DOT_RADIUS * g.size
        # as far under the line's em box as under the bundled faces' (foot 0.12 em down)
        drop = DOT_DROP + (ASCENT - ascent(line_face(ln.glyphs)))
        y = page_height - ln.baseline - drop * g.size
        x = ln.x + g.x
        ops = []
        for ch in g.text:
            adv = ef.code(ch)[1] * g.size
            if not ch.isspace() and not unicodedata.category(ch).startswith("P"):
                ops.append(_circle(x + adv / 2, y, r))      # none under punctuation
            x += adv
        return "\n".join(ops)


DOT_RADIUS = 0.075       # em
DOT_DROP = 0.26          # em below the baseline: under the em box's foot (0.12 em)


def _circle(cx: float, cy: float, r: float) -> str:
    """A filled circle: four Bézier quarters."""
    k = 0.5523 * r
    pts = [(r, k, k, r, 0, r), (-k, r, -r, k, -r, 0), (-r, -k, -k, -r, 0, -r),
           (k, -r, r, -k, r, 0)]
    segs = " ".join(" ".join(_num(cx + x) + " " + _num(cy + y)
                             for x, y in zip(q[::2], q[1::2])) + " c" for q in pts)
    return f"{_num(cx + r)} {_num(cy)} m {segs} f"


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s


def _draw_stream(canv, ps, x: float, y: float, w: float, h: float) -> None:
    """Place a pre-compressed CMYK photo (images.PhotoStream) as an image XObject, as
    reportlab's drawImage would, without decoding and compressing it again."""
    from reportlab.pdfbase import pdfdoc

    # named by the stream key (kept with the photo): the same photo placed on 16 pages is one
    # XObject, found without hashing its megabytes again for each placement
    name = "PB" + ps.key[:16]
    doc = canv._doc
    reg = doc.getXObjectName(name)
    if reg not in doc.idToObject:
        obj = pdfdoc.PDFImageXObject(name)
        obj.width, obj.height, obj.bitsPerComponent = ps.width, ps.height, 8
        obj.colorSpace = ps.COLOR_SPACE[1:]
        obj.streamContent = ps.data
        obj._filters = tuple(f[1:] for f in ps.FILTERS)
        obj._decode = list(ps.DECODE or ())     # an inverted (Adobe) CMYK JPEG
        canv._setXObjects(obj)
        doc.Reference(obj, reg)
        doc.addForm(name, obj)
    canv.saveState()
    canv.translate(x, y)
    canv.scale(w, h)
    canv._code.append(f"/{reg} Do")
    canv.restoreState()
    canv._formsinuse.append(name)


def render_pdf(pages: list[ComposedPage], *, title: str = "", image_loader=None,
               proof: bool = False) -> bytes:
    """The pages as one PDF (bytes). `image_loader(path, w_pt, h_pt, focus)` returns a PIL image
    cropped to the frame (default: `layout.output.images.prepare_picture`). `proof`: a proof,
    with the proof marks (overflow tags); without it, the print file, which has none."""
    from reportlab import rl_config

    from .images import PhotoStream, prepare_picture
    rl_config.useA85 = 0          # binary streams: ASCII85 in pure Python costs seconds per photo
    load = image_loader or prepare_picture
    buf = io.BytesIO()
    first = pages[0]
    canv = _Canvas(buf, pagesize=(first.width, first.height), invariant=1, pageCompression=1)
    canv.setTitle(title)
    canv.setCreator("paiban")
    canv.setProducer("paiban")
    writer = _TextWriter(canv)
    for page in pages:
        canv.setPageSize((page.width, page.height))
        writer.ink = InkState()
        # tints and blocks first, under everything; their colour decides overprint as text's
        # does (a tint knocks out, the K text on it overprints)
        fills = []
        for f in page.fills:
            fills.append(writer.ink.set(f.color))
            fills.append("%s %s %s %s k %s %s %s %s re f" % (
                *(_num(c) for c in f.color), _num(f.x), _num(page.height - f.y - f.height),
                _num(f.width), _num(f.height)))
        fills.append(writer.ink.set((0.0, 0.0, 0.0, 0.0)))     # photos knock out
        canv._code.append("\n".join(op for op in fills if op))
        for pic in page.pictures:
            img = load(pic.path, pic.width, pic.height, pic.focus)
            y = page.height - pic.y - pic.height
            if isinstance(img, PhotoStream):
                _draw_stream(canv, img, pic.x, y, pic.width, pic.height)
            else:
                from reportlab.lib.utils import ImageReader
                canv.drawImage(ImageReader(img), pic.x, y, pic.width, pic.height)
        ops = []
        for r in page.rules:
            ops.append(writer.ink.set(r.color))
            if r.dash:
                ops.append("[%s] 0 d 1 J" % " ".join(_num(d) for d in r.dash))
            ops.append("%s %s %s %s K %s w %s %s m %s %s l S" % (
                *(_num(c) for c in r.color), _num(r.width), _num(r.x1), _num(page.height - r.y1),
                _num(r.x2), _num(page.height - r.y2)))
            if r.dash:
                ops.append("[] 0 d 0 J")
        for ln in page.lines:
            ops.append(writer.line(ln, page.height))
        if proof:
            ops += proof_ops(page, writer)      # 超版 tags of overflowing articles, in the margin
        canv._code.append("\n".join(op for op in ops if op))
        canv.showPage()
    canv.save()
    return buf.getvalue()
