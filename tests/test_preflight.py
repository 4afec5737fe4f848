"""The PDF/X preflight: every rule with a passing and a failing PDF.

The passing file is a reportlab page finished by layout.output.pdfx; each failing file breaks
one rule on purpose, drawn with reportlab or edited with pikepdf.
"""
from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from datetime import datetime
from pathlib import Path
from typing import Callable

import numpy as np
import pikepdf
import pytest
from PIL import Image, ImageCms
from pikepdf import Array, Dictionary, Name

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from layout.checks.preflight import RULES, preflight, preflight_command  # noqa: E402
from layout.output.color import cmyk_image  # noqa: E402
from layout.output.pdfx import PrintSettings, finish  # noqa: E402
from fontkit import build_font  # noqa: E402

DATE = datetime(2023, 3, 17)


# --------------------------------------------------------------------------- building PDFs
@pytest.fixture(scope="session")
def font(tmp_path_factory) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "PaibanPre" not in pdfmetrics.getRegisteredFontNames():
        path = build_font(tmp_path_factory.mktemp("pfont") / "PaibanPre.ttf", name="PaibanPre")
        pdfmetrics.registerFont(TTFont("PaibanPre", str(path)))
    return "PaibanPre"


def _photo(w: int, h: int, rgb: bool = False, full_ink: bool = False) -> Image.Image:
    rng = np.random.default_rng(7)
    im = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
    if rgb:
        return im
    if full_ink:
        return Image.new("CMYK", (w, h), (255, 255, 255, 255))
    return cmyk_image(im, None, 240)


def draw(font: str, extra: Callable | None = None, *, black=(0, 0, 0, 1),
         overprint: bool = True) -> bytes:
    """A clean page (100 % K text with overprint, a tint, a 240-ppi CMYK photo) plus extra(c)."""
    from reportlab.lib.colors import CMYKColor
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(300, 200), invariant=1, initialFontName=font)
    if overprint:
        c.setFillOverprint(True)
        c.setOverprintMask(1)
    c.setFillColor(CMYKColor(*black))
    c.setFont(font, 20)
    c.drawString(20, 150, "Abc 中文𠮷")
    c.setFillOverprint(False)            # only 100 % K overprints: the tint knocks out
    c.setFillColorCMYK(0.3, 0.2, 0, 0)
    c.rect(20, 20, 50, 40, stroke=0, fill=1)
    c.drawImage(ImageReader(_photo(120, 80)), 150, 20, width=36, height=24)   # 240 ppi
    if extra is not None:
        extra(c)
    c.showPage()
    c.save()
    return buf.getvalue()


def finished(tmp_path: Path, raw: bytes, standard: str = "x1a", name: str = "t.pdf",
             **settings) -> Path:
    p = tmp_path / name
    p.write_bytes(finish(raw, settings=PrintSettings(standard=standard, **settings),
                         title="管城新闻", date=DATE))
    return p


def edit(path: Path, fn: Callable[[pikepdf.Pdf], None], name: str = "edited.pdf",
         **save) -> Path:
    out = path.with_name(name)
    with pikepdf.open(path) as pdf:
        fn(pdf)
        kw = {"object_stream_mode": pikepdf.ObjectStreamMode.disable}
        kw.update(save)
        save = {}
        if "encryption" not in kw:
            kw["stream_decode_level"] = pikepdf.StreamDecodeLevel.none
        pdf.save(out, **kw, **save)
    return out


def failed(path: Path, profile: str = "x1a", **kw) -> set[str]:
    return preflight(path, profile, **kw).rules_failed()


@pytest.fixture(scope="session")
def good(font, tmp_path_factory) -> dict[str, Path]:
    d = tmp_path_factory.mktemp("good")
    return {std: finished(d, draw(font), std, name=f"good-{std}.pdf") for std in ("x1a", "x4")}


@pytest.fixture
def g(good, tmp_path) -> Path:
    """A private copy of the good X-1a file."""
    p = tmp_path / "good.pdf"
    p.write_bytes(good["x1a"].read_bytes())
    return p


# --------------------------------------------------------------------------- passing
@pytest.mark.parametrize("standard", ["x1a", "x4"])
def test_good_file_passes_every_rule(good, standard):
    rep = preflight(good[standard], standard)
    assert rep.passed and rep.findings == [], rep.to_text()
    assert rep.exit_code == 0 and rep.pages == 1


@pytest.mark.parametrize("rule", sorted(RULES))
def test_each_rule_passes_on_good_file(good, rule):
    for std in ("x1a", "x4"):
        assert rule not in failed(good[std], std)


# --------------------------------------------------------------------------- failing, per rule
def test_file_rule(tmp_path, g):
    bad = tmp_path / "not.pdf"
    bad.write_bytes(b"this is not a PDF")
    assert failed(bad) == {"file"}
    enc = edit(g, lambda pdf: None, "enc.pdf",
               encryption=pikepdf.Encryption(owner="o", user="", R=4))
    assert "file" in failed(enc)


def test_version_rule(g, good):
    assert "version" in failed(edit(g, lambda pdf: None, "v14.pdf", force_version="1.4"))
    assert "version" in failed(good["x4"], "x1a")          # 1.6 is not X-1a
    x4 = edit(good["x4"], lambda pdf: None, "v17.pdf", force_version="1.7")
    assert "version" in failed(x4, "x4")

    objstm = edit(g, lambda pdf: None, "objstm.pdf",
                  object_stream_mode=pikepdf.ObjectStreamMode.generate)
    data = objstm.read_bytes()
    assert data.startswith(b"%PDF-1.5") and b"/ObjStm" in data
    objstm.write_bytes(b"%PDF-1.3" + data[8:])          # a 1.3 header on 1.5 structures
    rep = preflight(objstm)
    assert rep.rules_failed() == {"version"}
    assert any("object streams" in f.message for f in rep.findings)
    assert any("cross-reference stream" in f.message for f in rep.findings)     # (both, one pass)

    def cat_version(pdf):
        pdf.Root.Version = Name("/1.4")
    assert "version" in failed(edit(g, cat_version, "cat.pdf"))


def test_pdfx_id_rule(g, good):
    def no_conformance(pdf):
        del pdf.trailer.Info["/GTS_PDFXConformance"]
    assert failed(edit(g, no_conformance)) == {"pdfx-id"}

    def wrong_version(pdf):
        pdf.trailer.Info.GTS_PDFXVersion = "PDF/X-3:2002"
    assert failed(edit(g, wrong_version)) == {"pdfx-id"}

    def no_xmp(pdf):
        del pdf.Root["/Metadata"]
    assert "pdfx-id" in failed(edit(good["x4"], no_xmp, "x4.pdf"), "x4")


def test_title_rule(g):
    def no_title(pdf):
        del pdf.trailer.Info["/Title"]
    assert failed(edit(g, no_title)) == {"title"}


def test_dates_rule(g):
    def bad_date(pdf):
        pdf.trailer.Info.ModDate = "yesterday"
        del pdf.trailer.Info["/CreationDate"]
    rep = preflight(edit(g, bad_date))
    assert rep.rules_failed() == {"dates"}
    assert len([f for f in rep.findings if f.kind == "dates"]) == 2


def test_trapped_rule(g):
    def unknown(pdf):
        pdf.trailer.Info.Trapped = Name.Unknown
    assert failed(edit(g, unknown)) == {"trapped"}

    def missing(pdf):
        del pdf.trailer.Info["/Trapped"]
    assert failed(edit(g, missing, "m.pdf")) == {"trapped"}


def test_file_id_rule(g, tmp_path):
    data = g.read_bytes()
    m = re.search(rb"/ID \[<[0-9a-f]+><[0-9a-f]+>\]", data)
    assert m
    p = tmp_path / "noid.pdf"
    p.write_bytes(data[:m.start()] + b" " * (m.end() - m.start()) + data[m.end():])
    assert failed(p) == {"file-id"}


def test_output_intent_rule(g):
    def none(pdf):
        del pdf.Root["/OutputIntents"]
    assert failed(edit(g, none, "none.pdf")) == {"output-intent"}

    def two(pdf):
        oi = pdf.Root.OutputIntents[0]
        pdf.Root.OutputIntents.append(pdf.make_indirect(Dictionary(oi)))
    assert failed(edit(g, two, "two.pdf")) == {"output-intent"}

    def rgb_profile(pdf):
        icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
        s = pdf.make_stream(icc)
        s.N = 3
        pdf.Root.OutputIntents[0].DestOutputProfile = s
    rep = preflight(edit(g, rgb_profile, "rgb.pdf"))
    assert rep.rules_failed() == {"output-intent"}
    msgs = " ".join(f.message for f in rep.findings)
    assert "'mntr'" in msgs and "'RGB '" in msgs and "/N is 3" in msgs

    def no_profile(pdf):
        del pdf.Root.OutputIntents[0]["/DestOutputProfile"]
    assert failed(edit(g, no_profile, "np.pdf")) == {"output-intent"}


def test_boxes_rule(g, font, tmp_path):
    def no_trim(pdf):
        del pdf.pages[0].obj["/TrimBox"]
    rep = preflight(edit(g, no_trim, "a.pdf"))
    assert rep.rules_failed() == {"boxes"} and rep.findings[0].page == 1

    def both(pdf):
        pdf.pages[0].obj.ArtBox = pdf.pages[0].obj.TrimBox
    assert failed(edit(g, both, "b.pdf")) == {"boxes"}

    def trim_outside_bleed(pdf):
        pdf.pages[0].obj.TrimBox = Array([-5, 0, 300, 200])
    assert failed(edit(g, trim_outside_bleed, "c.pdf")) == {"boxes"}

    def bleed_outside_media(pdf):
        pdf.pages[0].obj.BleedBox = Array([0, 0, 400, 200])
    assert failed(edit(g, bleed_outside_media, "d.pdf")) == {"boxes"}
    # a plain reportlab page has no TrimBox at all
    raw = tmp_path / "raw.pdf"
    raw.write_bytes(draw(font))
    assert "boxes" in failed(raw)
    # with bleed and crop marks the boxes nest
    assert "boxes" not in failed(finished(tmp_path, draw(font), bleed_mm=3, crop_marks=True))


def test_fonts_embedded_rule(font, tmp_path):
    def helvetica(c):
        c.setFont("Helvetica", 10)
        c.drawString(20, 100, "not embedded")
    rep = preflight(finished(tmp_path, draw(font, helvetica)))
    assert "fonts-embedded" in rep.rules_failed()
    assert any("Helvetica" in f.message for f in rep.findings if f.kind == "fonts-embedded")


def test_fonts_tounicode_rule(g):
    def drop(pdf):
        for f in pdf.pages[0].Resources.Font.values():
            del f["/ToUnicode"]
    assert failed(edit(g, drop)) == {"fonts-tounicode"}


def test_rgb_rule(font, tmp_path):
    def rgb_rule(c):
        c.setStrokeColorRGB(1, 0, 0)
        c.line(20, 100, 280, 100)
    rep = preflight(finished(tmp_path, draw(font, rgb_rule), name="a.pdf"))
    assert rep.rules_failed() == {"rgb"}
    assert "RG" in rep.findings[0].message

    def rgb_image(c):
        from reportlab.lib.utils import ImageReader
        c.drawImage(ImageReader(_photo(60, 60, rgb=True)), 100, 100, width=20, height=20)
    assert "rgb" in failed(finished(tmp_path, draw(font, rgb_image), name="b.pdf"))
    assert "rgb" in failed(finished(tmp_path, draw(font, rgb_image), "x4", name="c.pdf"), "x4")


def test_rgb_rule_colour_spaces(g):
    def icc_space(pdf):
        s = pdf.make_stream(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
        s.N = 3
        pdf.pages[0].Resources.ColorSpace = Dictionary(CS0=Array([Name.ICCBased, s]))
    rep = preflight(edit(g, icc_space))
    assert rep.rules_failed() == {"rgb"}                       # X-1a: no ICC-based colour
    rep4 = preflight(edit(g, icc_space, "x4.pdf"), "x4")
    assert "rgb" not in rep4.rules_failed()                    # X-4: allowed, a warning
    assert any(f.kind == "rgb" and f.severity == "warning" for f in rep4.findings)


def test_transparency_rule(font, tmp_path):
    def alpha(c):
        c.setFillAlpha(0.5)
        c.setFillColorCMYK(0, 1, 0, 0)
        c.rect(100, 100, 40, 40, stroke=0, fill=1)
    raw = draw(font, alpha)
    rep = preflight(finished(tmp_path, raw, name="a.pdf"))
    assert "transparency" in rep.rules_failed()
    assert "transparency" not in failed(finished(tmp_path, raw, "x4", name="b.pdf"), "x4")


def test_transparency_rule_soft_mask_and_group(g):
    def smask(pdf):
        img = next(iter(pdf.pages[0].Resources.XObject.values()))
        img.SMask = pdf.make_stream(b"\xff" * 4, Type=Name.XObject, Subtype=Name.Image,
                                    Width=2, Height=2, ColorSpace=Name.DeviceGray,
                                    BitsPerComponent=8)
    assert "transparency" in failed(edit(g, smask, "a.pdf"))

    def group(pdf):
        pdf.pages[0].obj.Group = Dictionary(S=Name.Transparency, CS=Name.DeviceCMYK)
    assert "transparency" in failed(edit(g, group, "b.pdf"))

    def blend(pdf):
        gs = pdf.pages[0].Resources.ExtGState
        gs.Mult = Dictionary(Type=Name.ExtGState, BM=Name.Multiply)
    assert "transparency" in failed(edit(g, blend, "c.pdf"))


def _lzw(data: bytes) -> bytes:
    """A valid LZW stream of literal codes (9 bits; fine for short data)."""
    codes = [256] + list(data) + [257]
    bits = "".join(f"{c:09b}" for c in codes)
    bits += "0" * (-len(bits) % 8)
    return bytes(int(bits[i:i + 8], 2) for i in range(0, len(bits), 8))


def test_filters_rule(g, good):
    def lzw(pdf):
        s = pdf.make_stream(b"")
        s.write(_lzw(b"q Q"), filter=Name.LZWDecode)
        pdf.pages[0].obj.Contents = Array([pdf.pages[0].obj.Contents, s]) \
            if not isinstance(pdf.pages[0].obj.Contents, Array) \
            else Array([*pdf.pages[0].obj.Contents, s])
    p = edit(g, lzw, "lzw.pdf", compress_streams=False)   # else qpdf turns LZW into Flate
    with pikepdf.open(p) as pdf:                       # the stream really is LZW and decodes
        assert pdf.pages[0].obj.Contents[-1].read_bytes() == b"q Q"
    assert failed(p) == {"filters"}
    assert "filters" in failed(edit(good["x4"], lzw, "lzw4.pdf", compress_streams=False), "x4")

    def jbig2(pdf):
        pdf.Root.Junk = pdf.make_stream(b"\0", Filter=Name.JBIG2Decode)
    assert failed(edit(g, jbig2, "j.pdf")) == {"filters"}
    assert "filters" not in failed(edit(good["x4"], jbig2, "j4.pdf"), "x4")


def test_javascript_rule(g):
    def js(pdf):
        pdf.Root.OpenAction = Dictionary(S=Name.JavaScript, JS="app.alert('hi')")
    assert failed(edit(g, js)) == {"javascript"}

    def names(pdf):
        pdf.Root.Names = Dictionary(JavaScript=Dictionary(Names=Array([])))
    assert failed(edit(g, names, "n.pdf")) == {"javascript"}


def test_annotations_rule(g):
    def link(pdf, rect=(10, 10, 50, 50)):
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.Link, Rect=Array(list(rect)), Border=Array([0, 0, 0])))])
    assert failed(edit(g, link)) == {"annotations"}

    def printer_mark(pdf):
        pdf.pages[0].obj.Annots = Array([pdf.make_indirect(Dictionary(
            Type=Name.Annot, Subtype=Name.PrinterMark, Rect=Array([0, 0, 10, 10])))])
    assert "annotations" not in failed(edit(g, printer_mark, "pm.pdf"))


def test_ink_limit_rule(font, tmp_path):
    def registration_black(c):
        c.setFillColorCMYK(1, 1, 1, 1)
        c.rect(100, 100, 40, 40, stroke=0, fill=1)
    rep = preflight(finished(tmp_path, draw(font, registration_black), name="a.pdf"))
    assert rep.rules_failed() == {"ink-limit"}
    assert "400 %" in rep.findings[0].message
    # the limit is a setting
    def rich(c):
        c.setFillColorCMYK(0.6, 0.5, 0.5, 0.6)          # 220 %
        c.rect(100, 100, 40, 40, stroke=0, fill=1)
    p = finished(tmp_path, draw(font, rich), name="b.pdf")
    assert "ink-limit" not in failed(p, ink_limit=240)
    assert "ink-limit" in failed(p, ink_limit=200)


def test_ink_limit_rule_images(font, tmp_path):
    from reportlab.lib.utils import ImageReader

    def heavy(c):
        c.drawImage(ImageReader(_photo(60, 40, full_ink=True)), 100, 100, width=18, height=12)
    rep = preflight(finished(tmp_path, draw(font, heavy), name="a.pdf"))
    assert rep.rules_failed() == {"ink-limit"}
    assert "image" in rep.findings[0].message

    def converted(c):
        big = Image.new("RGB", (60, 40), (0, 0, 0))      # pure black through the profile
        c.drawImage(ImageReader(cmyk_image(big, None, 240)), 100, 100, width=18, height=12)
    assert "ink-limit" not in failed(finished(tmp_path, draw(font, converted), name="b.pdf"))


def _image_keys(path: Path, over: bool, limit: float = 240.0) -> dict:
    """A known-images table (as the build passes it) recording, for every image in `path`, a
    measure against `limit` with all of its pixels over it (`over`) or none."""
    from layout.checks.preflight import InkMeasure, image_key

    out = {}
    with pikepdf.open(path) as pdf:
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image:
                n = int(obj.Width) * int(obj.Height)
                out[image_key(obj)] = InkMeasure(obj.Width, obj.Height, limit, n if over else 0,
                                                 n, 1020 if over else 0)
    return out


def test_known_images_skip_only_byte_identical_streams(font, tmp_path):
    """The build's own preflight is given the ink measure of the photos it separated; it takes
    it instead of decoding only for a stream byte-identical to one of them, measured against
    the same limit: an unknown or altered image is decoded and measured as always."""
    from reportlab.lib.utils import ImageReader

    def heavy(c):
        c.drawImage(ImageReader(_photo(60, 40, full_ink=True)), 100, 100, width=18, height=12)
    bad = finished(tmp_path, draw(font, heavy), name="bad.pdf")
    good = finished(tmp_path, draw(font), name="good.pdf")
    # the table is used: identical bytes recorded within the limit are not decoded again
    assert "ink-limit" not in failed(bad, ink_limit=240, known_images=_image_keys(bad, False))
    # an image not in the table (only the good file's photo is) is still caught
    rep = preflight(bad, ink_limit=240, known_images=_image_keys(good, False))
    assert rep.rules_failed() == {"ink-limit"} and "image" in rep.findings[0].message
    # a record made against another limit is not taken
    assert "ink-limit" in failed(bad, ink_limit=240, known_images=_image_keys(bad, False, 300))
    # the record is what is reported
    assert "ink-limit" in failed(good, ink_limit=240, known_images=_image_keys(good, True))

    # the same pixels, compressed differently: not byte-identical, so the table is not trusted
    def recompress(pdf):
        import zlib
        for obj in pdf.objects:
            if isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == Name.Image:
                obj.write(zlib.compress(obj.read_bytes(), 1), filter=Name.FlateDecode)
    changed = edit(bad, recompress, "changed.pdf")
    assert "ink-limit" in failed(changed, ink_limit=240, known_images=_image_keys(bad, False))
    assert "ink-limit" not in failed(changed, ink_limit=240,
                                     known_images=_image_keys(changed, False))


def test_image_ppi_rule(font, tmp_path):
    from reportlab.lib.utils import ImageReader

    def at_150(c):
        # 150 px over 1 inch
        c.drawImage(ImageReader(_photo(150, 100)), 100, 60, width=72, height=48)
    rep = preflight(finished(tmp_path, draw(font, at_150), name="a.pdf"))
    assert rep.rules_failed() == {"image-ppi"}
    assert "150 ppi" in rep.findings[0].message
    p = finished(tmp_path, draw(font), name="b.pdf")           # its photo is at 240 ppi
    assert "image-ppi" not in failed(p)
    assert "image-ppi" in failed(p, min_ppi=300)

    def scaled_by_cm(c):
        c.saveState()
        c.translate(100, 60)
        c.scale(2, 2)                                         # 300 px over 2 × 72 pt = 150 ppi
        c.drawImage(ImageReader(_photo(300, 200)), 0, 0, width=72, height=48)
        c.restoreState()
    assert "image-ppi" in failed(finished(tmp_path, draw(font, scaled_by_cm), name="c.pdf"))


def test_black_text_rule(font, tmp_path):
    rep = preflight(finished(tmp_path, draw(font, black=(0.5, 0.4, 0.4, 1)), name="a.pdf"))
    assert rep.rules_failed() == {"black-text"}
    assert "rich black" in rep.findings[0].message
    rep = preflight(finished(tmp_path, draw(font, overprint=False), name="b.pdf"))
    assert rep.rules_failed() == {"black-text"}
    assert "overprint" in rep.findings[0].message

    def gray_black(c):
        c.setFillGray(0)
        c.drawString(20, 100, "Abc")
    rep = preflight(finished(tmp_path, draw(font, gray_black, overprint=False), name="c.pdf"))
    assert "black-text" in rep.rules_failed()

    def overprint_reset(c):
        c.setFillOverprint(False)
        c.setFillColorCMYK(0, 0, 0, 1)
        c.drawString(20, 100, "Abc")
    assert "black-text" in failed(finished(tmp_path, draw(font, overprint_reset), name="d.pdf"))

    def colour_text(c):
        c.setFillColorCMYK(0, 1, 1, 0)                      # red text: not black, fine
        c.drawString(20, 100, "Abc")
    assert "black-text" not in failed(finished(tmp_path, draw(font, colour_text), name="e.pdf"))


def test_overprint_rule(font, tmp_path):
    def white_overprints(c):
        c.setFillOverprint(True)
        c.setFillColorCMYK(0, 0, 0, 0)
        c.rect(100, 100, 40, 20, stroke=0, fill=1)
    rep = preflight(finished(tmp_path, draw(font, white_overprints), name="a.pdf"))
    assert rep.rules_failed() == {"overprint"} and "white (0 0 0 0 k)" in rep.findings[0].message

    def red_stroke_overprints(c):
        c.setStrokeOverprint(True)
        c.setStrokeColorCMYK(0, 1, 1, 0)
        c.setLineWidth(2)
        c.line(20, 100, 200, 100)
    assert failed(finished(tmp_path, draw(font, red_stroke_overprints), name="b.pdf")) == {
        "overprint"}

    def white_knocks_out(c):
        c.setFillColorCMYK(0, 0, 0, 0)
        c.rect(100, 100, 40, 20, stroke=0, fill=1)
    assert preflight(finished(tmp_path, draw(font, white_knocks_out), name="c.pdf")).passed


def test_thin_rule_rule(font, tmp_path):
    def rule(colour, width):
        def extra(c):
            c.setStrokeColorCMYK(*colour)
            c.setLineWidth(width)
            c.line(20, 100, 200, 100)
        return extra
    rep = preflight(finished(tmp_path, draw(font, rule((0, 1, 1, 0), 0.5)), name="a.pdf"))
    assert rep.passed and [(f.kind, f.severity) for f in rep.findings] == [("thin-rule",
                                                                             "warning")]
    for i, (colour, width) in enumerate((((0, 1, 1, 0), 1.0), ((0, 1, 0, 0), 0.5))):
        rep = preflight(finished(tmp_path, draw(font, rule(colour, width)), name=f"{i}.pdf"))
        assert rep.passed and not rep.findings


def test_small_text_rule(font, tmp_path):
    """Type under 12 pt in two inks (a 9 pt red caption) cannot register: a warning."""
    def text(colour, size):
        def extra(c):
            c.setFillOverprint(False)
            c.setFillColorCMYK(*colour)
            c.setFont(font, size)
            c.drawString(20, 100, "图片说明")
        return extra
    rep = preflight(finished(tmp_path, draw(font, text((0, 1, 1, 0), 9)), name="a.pdf"))
    assert rep.passed and [(f.kind, f.severity) for f in rep.findings] == [("small-text",
                                                                             "warning")]
    for i, (colour, size) in enumerate((((0, 1, 1, 0), 12), ((0, 1, 0, 0), 9))):
        rep = preflight(finished(tmp_path, draw(font, text(colour, size)), name=f"{i}.pdf"))
        assert rep.passed and not rep.findings


def test_proof_marks_rule(g):
    def marked(pdf):
        pdf.pages[0].contents_add(pdf.make_stream(b"/PaibanProof BMC 0 0 0 1 k EMC"))
    p = edit(g, marked)
    assert failed(p) == {"proof-marks"}
    assert preflight(p, proof=True).passed


def test_every_rule_has_a_failing_test():
    """Keeps this file honest: each rule id appears in a test above that expects it to fail."""
    src = Path(__file__).read_text()
    for rule in RULES:
        name = "test_" + rule.replace("-", "_") + "_rule"
        assert f"def {name}(" in src, name


# --------------------------------------------------------------------------- reports & CLI
def test_report_formats(g):
    def no_trim(pdf):
        del pdf.pages[0].obj["/TrimBox"]
    p = edit(g, no_trim)
    rep = preflight(p)
    text = rep.to_text()
    assert "FAIL" in text and "[boxes] page 1:" in text
    data = json.loads(rep.to_json())
    assert data["passed"] is False and data["profile"] == "x1a" and data["pages"] == 1
    assert {"rule": "boxes", "kind": "boxes", "page": 1, "message": "no TrimBox (nor ArtBox)",
            "severity": "error", "file": str(p), "line": 0, "column": 0,
            "article": ""} in data["findings"]
    assert set(data["rules"]) == set(RULES)
    assert rep.exit_code == 1


def test_cli(good, g):
    from click.testing import CliRunner

    r = CliRunner().invoke(preflight_command, [str(good["x1a"])])
    assert r.exit_code == 0 and "PASS" in r.output
    r = CliRunner().invoke(preflight_command, [str(good["x4"]), "--profile", "x4",
                                               "--format", "json"])
    assert r.exit_code == 0 and json.loads(r.output)["passed"] is True
    r = CliRunner().invoke(preflight_command, [str(good["x4"]), "--profile", "x1a"])
    assert r.exit_code == 1 and "[version]" in r.output
    # the same through a subprocess, as `paiban preflight` would run
    code = ("import sys; sys.path.insert(0, %r); from layout.checks.preflight import "
            "preflight_command; preflight_command()" % str(ROOT))
    proc = subprocess.run([sys.executable, "-c", code, str(good["x4"]), "--profile", "x1a"],
                          capture_output=True, text=True)
    assert proc.returncode == 1


@pytest.mark.parametrize("make", ["device", "fifo", "sparse", "text"])
def test_preflight_refuses_what_is_not_a_pdf_at_once(tmp_path, make):
    # issue 12 item 6: /dev/zero, a FIFO and a 3 GB sparse file hung paiban preflight
    import os
    import subprocess
    import sys

    path = tmp_path / "in.pdf"
    if make == "device":
        path = Path("/dev/zero")
    elif make == "fifo":
        os.mkfifo(path)
    elif make == "sparse":
        with open(path, "wb") as f:
            f.truncate(3 << 30)
    else:
        path.write_text("not a pdf\n", encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "layout", "preflight", str(path)],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 2, r.stderr
    assert str(path) in r.stderr and "Traceback" not in r.stderr
    assert {"device": "device", "fifo": "FIFO", "sparse": "GiB", "text": "%PDF-"}[make] in r.stderr
