"""PDF/X finishing (layout.output.pdfx), photo colour (layout.output.color), bundled profile."""
from __future__ import annotations

import hashlib
import io
import re
import shutil
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from layout.checks.preflight import preflight  # noqa: E402
from layout.output.color import cmyk_image, ink_coverage_max, limit_ink  # noqa: E402
from layout.output.pdfx import (DEFAULT_PROFILE, MM, PrintSettings, finish,  # noqa: E402
                                fix_tounicode, issue_datetime, parse_tounicode,
                                pdf_date)
from fontkit import build_font  # noqa: E402

DATE = datetime(2023, 3, 17, 5, 0, 0, tzinfo=timezone(timedelta(hours=8)))
TEXT = "Abc 中文𠮷吉"


# --------------------------------------------------------------------------- helpers
@pytest.fixture(scope="session")
def font(tmp_path_factory) -> str:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    path = build_font(tmp_path_factory.mktemp("font") / "PaibanTest.ttf")
    if "PaibanTestPdfx" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("PaibanTestPdfx", str(path)))
    return "PaibanTestPdfx"


def cmyk_photo(w: int = 120, h: int = 80) -> Image.Image:
    rng = np.random.default_rng(5)
    rgb = Image.fromarray(rng.integers(0, 256, (h, w, 3), dtype=np.uint8), "RGB")
    return cmyk_image(rgb, DEFAULT_PROFILE, 240)


def page_pdf(font: str, text: str = TEXT, size=(300, 200), photo: bool = True) -> bytes:
    """A reportlab page the way the engine draws: CMYK only, 100 % K text with overprint,
    an embedded TrueType font, a CMYK photo at 240 ppi."""
    from reportlab.lib.colors import CMYKColor
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=size, invariant=1, initialFontName=font)
    c.setFillOverprint(True)
    c.setStrokeOverprint(True)
    c.setOverprintMask(1)
    c.setFillColor(CMYKColor(0, 0, 0, 1))
    c.setFont(font, 20)
    c.drawString(20, 150, text)
    c.setStrokeColorCMYK(0, 0, 0, 1)
    c.setLineWidth(1)
    c.line(20, 140, 280, 140)
    c.setFillOverprint(False)            # only 100 % K overprints: the tint knocks out
    c.setFillColorCMYK(0.2, 0.1, 0, 0)
    c.rect(20, 20, 60, 40, stroke=0, fill=1)
    if photo:
        c.drawImage(ImageReader(cmyk_photo()), 150, 20, width=36, height=24)  # 240 ppi
    c.showPage()
    c.save()
    return buf.getvalue()


def write(tmp_path: Path, data: bytes, name: str = "out.pdf") -> Path:
    p = tmp_path / name
    p.write_bytes(data)
    return p


# --------------------------------------------------------------------------- finishing
@pytest.mark.parametrize("standard", ["x1a", "x4"])
def test_finished_page_passes_preflight(font, tmp_path, standard):
    out = finish(page_pdf(font), settings=PrintSettings(standard=standard), title="管城新闻 第3版",
                 date=DATE)
    path = write(tmp_path, out)
    rep = preflight(path, standard)
    assert rep.passed, rep.to_text()
    assert rep.findings == []
    with pikepdf.open(path) as pdf:
        assert pdf.check_pdf_syntax() == []
        assert pdf.pdf_version == ("1.3" if standard == "x1a" else "1.6")
        info = pdf.docinfo
        assert str(info.Title) == "管城新闻 第3版"
        assert str(info.CreationDate) == "D:20230317050000+08'00'" == str(info.ModDate)
        assert str(info.Trapped) == "/False"
        ois = pdf.Root.OutputIntents
        assert len(ois) == 1 and ois[0].S == pikepdf.Name.GTS_PDFX
        assert ois[0].DestOutputProfile.N == 4
        assert ois[0].DestOutputProfile.read_bytes() == DEFAULT_PROFILE.read_bytes()
        if standard == "x1a":
            assert str(info.GTS_PDFXVersion) == "PDF/X-1:2001"
            assert str(info.GTS_PDFXConformance) == "PDF/X-1a:2001"
            assert "/Metadata" not in pdf.Root
        else:
            xmp = pdf.Root.Metadata.read_bytes().decode()
            assert "<pdfxid:GTS_PDFXVersion>PDF/X-4</pdfxid:GTS_PDFXVersion>" in xmp
            assert "2023-03-17T05:00:00+08:00" in xmp
        for page in pdf.pages:
            assert list(page.TrimBox) == list(page.MediaBox) == list(page.BleedBox)
    raw = out
    assert b"/LZWDecode" not in raw and b"/ObjStm" not in raw and b"/XRef" not in raw


@pytest.mark.parametrize("standard,subtype", [("x1a", "PDF/X-1:2001"), ("x4", "PDF/X-4")])
def test_pdfinfo_reports_subtype(font, tmp_path, standard, subtype):
    """poppler prints GTS_PDFXVersion; X-1a:2001 is version PDF/X-1:2001 with conformance
    PDF/X-1a:2001 (ISO 15930-1), so pdfinfo says 'PDF/X-1:2001' for it."""
    if not shutil.which("pdfinfo"):
        pytest.skip("pdfinfo (poppler-utils) is not installed")
    path = write(tmp_path, finish(page_pdf(font), settings=PrintSettings(standard=standard),
                                  title="t", date=DATE))
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True,
                         check=True).stdout
    m = re.search(r"^PDF subtype:\s*(.+)$", out, re.M)
    assert m and m.group(1).strip() == subtype, out
    assert re.search(r"^PDF version:\s*" + ("1.3" if standard == "x1a" else "1.6"), out, re.M)


def test_two_builds_are_byte_identical(font):
    s = PrintSettings()
    a = finish(page_pdf(font), settings=s, title="t", date=DATE)
    b = finish(page_pdf(font), settings=s, title="t", date=DATE)
    assert a == b
    s4 = PrintSettings(standard="x4", bleed_mm=3, crop_marks=True)
    assert finish(page_pdf(font), settings=s4, title="t", date=DATE) == \
        finish(page_pdf(font), settings=s4, title="t", date=DATE)


def test_file_id_follows_content(font):
    s = PrintSettings()
    a = pikepdf.open(io.BytesIO(finish(page_pdf(font), settings=s, title="t", date=DATE)))
    b = pikepdf.open(io.BytesIO(finish(page_pdf(font, text="Abc"), settings=s, title="t",
                                       date=DATE)))
    assert len(a.trailer.ID) == 2
    assert bytes(a.trailer.ID[0]) != bytes(b.trailer.ID[0])
    # both halves one string derived from the whole file: never qpdf's static stand-in
    data = finish(page_pdf(font), settings=s, title="t", date=DATE)
    [(one, two)] = re.findall(rb"/ID \[<([0-9a-f]{32})><([0-9a-f]{32})>\]", data)
    assert one == two and b"31415926535897932384626433832795" not in data
    static = data.replace(one, b"31415926535897932384626433832795")
    assert hashlib.sha256(static).hexdigest()[:32].encode() == one


def test_subset_tags_unique_and_content_derived(font):
    def tags(data):
        with pikepdf.open(io.BytesIO(data)) as pdf:
            out = []
            for page in pdf.pages:
                for f in page.Resources.Font.values():
                    assert str(f.FontDescriptor.FontName) == str(f.BaseFont)
                    out.append(str(f.BaseFont)[1:7])
            return out

    s = PrintSettings()
    raw = page_pdf(font)
    assert b"/AAAAAA+" in raw                     # what reportlab does
    t1 = tags(finish(raw, settings=s, title="t", date=DATE))
    t2 = tags(finish(page_pdf(font, text="中文 Abc"), settings=s, title="t", date=DATE))
    assert all(re.fullmatch(r"[A-Z]{6}", t) for t in t1 + t2)
    assert "AAAAAA" not in t1 + t2
    assert t1 != t2
    assert t1 == tags(finish(raw, settings=s, title="t", date=DATE))


def test_many_subsets_get_distinct_tags(tmp_path_factory):
    """More than 256 characters: reportlab makes several subsets of one face."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    chars = "".join(chr(0x4E00 + i) for i in range(300))
    path = build_font(tmp_path_factory.mktemp("big") / "Big.ttf", chars, "PaibanBig")
    pdfmetrics.registerFont(TTFont("PaibanBigPdfx", str(path)))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(600, 400), invariant=1, initialFontName="PaibanBigPdfx")
    c.setFont("PaibanBigPdfx", 8)
    for row in range(10):
        c.drawString(10, 380 - 12 * row, chars[row * 30:(row + 1) * 30])
    c.showPage()
    c.save()
    out = finish(buf.getvalue(), settings=PrintSettings(), title="t", date=DATE)
    with pikepdf.open(io.BytesIO(out)) as pdf:
        names = [str(f.BaseFont) for f in pdf.pages[0].Resources.Font.values()]
    assert len(names) >= 2 and len(set(n[:7] for n in names)) == len(names)


def _type0_pdf(embedded: bool = True) -> bytes:
    """A hand-made page with a Type0/CIDFontType2 font (Identity-H), as an engine embedding
    one font per face would write."""
    pdf = pikepdf.new()
    prog = pdf.make_stream(b"\0\1\0\0 fake truetype")
    fd = pikepdf.Dictionary(Type=pikepdf.Name.FontDescriptor,
                            FontName=pikepdf.Name("/AAAAAA+Face"), Flags=4,
                            FontBBox=[0, 0, 1000, 1000], ItalicAngle=0, Ascent=880,
                            Descent=-120, CapHeight=700, StemV=80)
    if embedded:
        fd.FontFile2 = prog
    cid = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.CIDFontType2,
                             BaseFont=pikepdf.Name("/AAAAAA+Face"),
                             CIDSystemInfo=pikepdf.Dictionary(Registry="Adobe",
                                                              Ordering="Identity", Supplement=0),
                             FontDescriptor=pdf.make_indirect(fd), DW=1000,
                             CIDToGIDMap=pikepdf.Name.Identity)
    tu = pdf.make_stream(b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n"
                         b"2 beginbfchar <0001> <4E2D> <0002> <20BB7> endbfchar")
    t0 = pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type0,
                            BaseFont=pikepdf.Name("/AAAAAA+Face-Identity-H"),
                            Encoding=pikepdf.Name("/Identity-H"),
                            DescendantFonts=[pdf.make_indirect(cid)], ToUnicode=tu)
    page = pikepdf.Dictionary(Type=pikepdf.Name.Page, MediaBox=[0, 0, 200, 100],
                              Resources=pikepdf.Dictionary(
                                  Font=pikepdf.Dictionary(F1=pdf.make_indirect(t0))),
                              Contents=pdf.make_stream(b"BT /F1 12 Tf 10 50 Td <00010002> Tj ET"))
    pdf.pages.append(pikepdf.Page(page))
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def test_type0_font_tags_and_tounicode(tmp_path):
    out = finish(_type0_pdf(), settings=PrintSettings(), title="t", date=DATE)
    with pikepdf.open(io.BytesIO(out)) as pdf:
        t0 = pdf.pages[0].Resources.Font.F1
        cid = t0.DescendantFonts[0]
        tag = str(t0.BaseFont)[1:7]
        assert tag != "AAAAAA"
        assert str(t0.BaseFont) == f"/{tag}+Face-Identity-H"
        assert str(cid.BaseFont) == f"/{tag}+Face"
        assert str(cid.FontDescriptor.FontName) == f"/{tag}+Face"
        tu = t0.ToUnicode.read_bytes()
        assert b"<0002> <D842DFB7>" in tu
    rep = preflight(write(tmp_path, out, "t0.pdf"))
    assert not {"fonts-embedded", "fonts-tounicode"} & rep.rules_failed()
    bad = finish(_type0_pdf(embedded=False), settings=PrintSettings(), title="t", date=DATE)
    assert "fonts-embedded" in preflight(write(tmp_path, bad, "t0b.pdf")).rules_failed()


def test_extension_b_round_trip(font, tmp_path):
    raw = page_pdf(font)
    assert "𠮷" not in _pypdf_text(raw)             # reportlab's malformed entry
    out = finish(raw, settings=PrintSettings(), title="t", date=DATE)
    path = write(tmp_path, out)
    assert "中文𠮷吉" in _pypdf_text(out).replace(" ", "")
    with pikepdf.open(path) as pdf:
        tu = next(iter(pdf.pages[0].Resources.Font.values())).ToUnicode.read_bytes()
    assert b"<D842DFB7>" in tu and b"20BB7" not in tu
    if shutil.which("pdftotext"):
        txt = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True
                             ).stdout.decode("utf-8")
        assert "𠮷" in txt and "中文" in txt


def _pypdf_text(data: bytes) -> str:
    import pypdf
    return "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(data)).pages)


def test_extension_b_with_real_font_when_available(tmp_path):
    """With LXGW WenKai (Debian fonts-lxgw-wenkai), when installed."""
    cands = list(Path("/usr/share/fonts").rglob("LXGWWenKai-Regular.ttf"))
    if not cands:
        pytest.skip("LXGW WenKai is not installed")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(TTFont("WenKaiPdfx", str(cands[0])))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(300, 100), invariant=1, initialFontName="WenKaiPdfx")
    c.setFont("WenKaiPdfx", 20)
    c.drawString(10, 50, "吉野家𠮷野家")
    c.showPage()
    c.save()
    out = finish(buf.getvalue(), settings=PrintSettings(), title="t", date=DATE)
    assert "𠮷野家" in _pypdf_text(out)


def test_fix_tounicode_cmap():
    cmap = b"""/CIDInit /ProcSet findresource begin 12 dict begin begincmap
1 begincodespacerange <00> <FF> endcodespacerange
3 beginbfchar <01> <4E2D> <02> <20BB7> <03> <0000> endbfchar
1 beginbfrange <10> <12> <0041> endbfrange
endcmap end end"""
    fixed = fix_tounicode(cmap)
    spaces, m = parse_tounicode(fixed)
    assert spaces == [(b"\x00", b"\xff")]
    assert m == {b"\x01": "4E2D", b"\x02": "D842DFB7", b"\x10": "0041", b"\x11": "0042",
                 b"\x12": "0043"}
    assert fix_tounicode(fixed) == fixed
    # blocks of at most 100 entries
    big = b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n250 beginbfchar\n" + \
        b"".join(b"<%04X> <%04X>\n" % (i, 0x4E00 + i) for i in range(250)) + b"endbfchar"
    out = fix_tounicode(big).decode()
    assert [int(n) for n in re.findall(r"(\d+) beginbfchar", out)] == [100, 100, 50]


def test_bleed_and_crop_marks(font, tmp_path):
    s = PrintSettings(bleed_mm=3, crop_marks=True)
    out = finish(page_pdf(font), settings=s, title="t", date=DATE)
    path = write(tmp_path, out)
    assert preflight(path, "x1a").passed
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        media = [float(v) for v in page.MediaBox]
        bleed = [float(v) for v in page.BleedBox]
        trim = [float(v) for v in page.TrimBox]
        # trim keeps the caller's page size; bleed is 3 mm around it; media holds the marks
        assert trim[2] - trim[0] == pytest.approx(300) and trim[3] - trim[1] == pytest.approx(200)
        assert bleed[0] == pytest.approx(trim[0] - 3 * MM, abs=1e-3)
        assert bleed[3] == pytest.approx(trim[3] + 3 * MM, abs=1e-3)
        assert media[0] < bleed[0] < trim[0] and media[1] < bleed[1] < trim[1]
        assert media[2] > bleed[2] > trim[2] and media[3] > bleed[3] > trim[3]
        # content shifted onto the trim
        first = page.Contents[0].read_bytes().decode()
        assert re.match(r"q 1 0 0 1 ([\d.]+) ([\d.]+) cm", first)
        assert float(first.split()[5]) == pytest.approx(trim[0])
        # marks: registration colour, 0.25 pt, entirely outside the bleed box
        cs = page.Resources.ColorSpace
        reg = [v for v in cs.values() if v[0] == pikepdf.Name.Separation]
        assert len(reg) == 1 and reg[0][1] == pikepdf.Name.All
        assert reg[0][2] == pikepdf.Name.DeviceCMYK and list(reg[0][3].C1) == [1, 1, 1, 1]
        last = page.Contents[-1].read_bytes().decode()
        assert "CS 1 SCN 0.25 w" in last
        lines = re.findall(r"([\d.]+) ([\d.]+) m ([\d.]+) ([\d.]+) l S", last)
        assert len(lines) == 8
        for x0, y0, x1, y1 in ((float(a) for a in ln) for ln in lines):
            for x, y in ((x0, y0), (x1, y1)):
                assert media[0] <= x <= media[2] and media[1] <= y <= media[3]
                inside = bleed[0] < x < bleed[2] and bleed[1] < y < bleed[3]
                assert not inside
        ops = [str(op) for _, op in pikepdf.parse_content_stream(page)]
        assert "rg" not in ops and "RG" not in ops


def test_bleed_without_marks_and_trim_boxes(font, tmp_path):
    out = finish(page_pdf(font), settings=PrintSettings(bleed_mm=3), title="t", date=DATE)
    with pikepdf.open(io.BytesIO(out)) as pdf:
        p = pdf.pages[0]
        assert float(p.MediaBox[2]) == pytest.approx(300 + 6 * MM, abs=1e-3)
        assert [float(v) for v in p.BleedBox] == pytest.approx([float(v) for v in p.MediaBox])
    out = finish(page_pdf(font), settings=PrintSettings(), title="t", date=DATE,
                 trim_boxes=[(10, 10, 290, 190)])
    path = write(tmp_path, out)
    with pikepdf.open(path) as pdf:
        assert [float(v) for v in pdf.pages[0].TrimBox] == [10, 10, 290, 190]
    assert preflight(path).passed
    with pytest.raises(ValueError):
        finish(page_pdf(font), settings=PrintSettings(), title="t", date=DATE,
               trim_boxes=[(0, 0, 1, 1), (0, 0, 1, 1)])


def test_cleanup_of_reportlab_extras(font, tmp_path):
    """Alpha-carrying colours (PDF 1.4), Helvetica listed but unused, annotations, /Trans."""
    from reportlab.lib.colors import CMYKColor
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    c = canvas.Canvas(buf, pagesize=(200, 200), invariant=1)   # no initialFontName
    c.setFillColor(CMYKColor(0, 0, 0, 1, alpha=1))
    c.setFillOverprint(True)
    c.setOverprintMask(1)
    c.setFont(font, 12)
    c.drawString(10, 100, "Abc")
    c.linkURL("https://example.org", (10, 10, 50, 50))
    c.showPage()
    c.save()
    raw = buf.getvalue()
    assert raw.startswith(b"%PDF-1.4") and b"Helvetica" in raw
    out = finish(raw, settings=PrintSettings(), title="t", date=DATE)
    path = write(tmp_path, out)
    rep = preflight(path)
    assert rep.passed, rep.to_text()
    with pikepdf.open(path) as pdf:
        page = pdf.pages[0]
        assert "/Annots" not in page.obj and "/Trans" not in page.obj
        assert [str(f.BaseFont) for f in page.Resources.Font.values()] != []
        assert not any("Helvetica" in str(f.BaseFont) for f in page.Resources.Font.values())


def test_pdf_date():
    assert pdf_date(datetime(2023, 3, 17)) == "D:20230317000000Z"
    assert pdf_date(DATE) == "D:20230317050000+08'00'"
    assert pdf_date(datetime(2023, 3, 17, tzinfo=timezone(-timedelta(hours=5, minutes=30)))) \
        == "D:20230317000000-05'30'"


def test_issue_datetime():
    from datetime import date
    assert pdf_date(issue_datetime(date(2023, 3, 17), env={})) == "D:20230317000000+08'00'"
    assert issue_datetime(date(2023, 3, 17), env={"SOURCE_DATE_EPOCH": "1679011200"}) == \
        datetime(2023, 3, 17, tzinfo=timezone.utc)
    with pytest.raises(ValueError, match="SOURCE_DATE_EPOCH"):
        issue_datetime(date(2023, 3, 17), env={"SOURCE_DATE_EPOCH": "soon"})


# --------------------------------------------------------------------------- settings
def test_settings_from_mapping(tmp_path):
    s = PrintSettings.from_mapping(None)
    assert (s.standard, s.ink_limit, s.bleed_mm, s.crop_marks, s.min_ppi) == \
        ("x1a", 240.0, 0.0, False, 200)
    assert s.profile == DEFAULT_PROFILE and s.output_condition_identifier == "CGATS TR 002"
    s = PrintSettings.from_mapping({"standard": "PDF/X-4", "ink_limit": 220, "bleed": "3mm",
                                    "crop_marks": True, "min_ppi": 150,
                                    "condition": {"identifier": "ISOnewspaper26v4",
                                                  "text": "ISO 12647-3"}})
    assert (s.standard, s.ink_limit, s.bleed_mm, s.crop_marks, s.min_ppi) == \
        ("x4", 220.0, 3.0, True, 150)
    assert s.output_condition_identifier == "ISOnewspaper26v4"
    assert s.output_condition == "ISO 12647-3"
    prof = tmp_path / "printer.icc"
    shutil.copy(DEFAULT_PROFILE, prof)
    s = PrintSettings.from_mapping({"profile": "printer.icc", "condition": "Custom"},
                                   base_dir=tmp_path)
    assert s.profile == prof and s.output_condition.startswith("paiban newsprint")


@pytest.mark.parametrize("bad,msg", [
    ({"standard": "x3"}, "print.standard"),
    ({"ink_limit": "lots"}, "print.ink_limit"),
    ({"ink_limit": 500}, "print.ink_limit"),
    ({"bleed": -1}, "print.bleed"),
    ({"bleed": "3 inches"}, "print.bleed"),
    ({"crop_marks": "yes"}, "print.crop_marks"),
    ({"min_ppi": 0}, "print.min_ppi"),
    ({"min_ppi": 1.5}, "print.min_ppi"),
    ({"profile": "missing.icc"}, "print.profile"),
    ({"condition": {"text": "no identifier"}}, "print.condition"),
    ({"colour": "cmyk"}, "unknown key"),
    ("x1a", "mapping"),
])
def test_settings_from_mapping_errors(bad, msg):
    with pytest.raises(ValueError, match=msg):
        PrintSettings.from_mapping(bad)


def test_settings_refuse_rgb_profile(tmp_path):
    from PIL import ImageCms
    p = tmp_path / "srgb.icc"
    p.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(ValueError, match="CMYK output profile"):
        PrintSettings.from_mapping({"profile": str(p)})


# --------------------------------------------------------------------------- colour & profile
def test_bundled_profile_header_and_readme():
    data = DEFAULT_PROFILE.read_bytes()
    assert data[12:16] == b"prtr" and data[16:20] == b"CMYK" and data[36:40] == b"acsp"
    assert int.from_bytes(data[:4], "big") == len(data)
    readme = (DEFAULT_PROFILE.parent / "README.md").read_text()
    assert hashlib.sha256(data).hexdigest() in readme
    assert (DEFAULT_PROFILE.parent / "LICENSE.md").is_file()


def test_cmyk_image_conversion_and_ink_limit():
    rng = np.random.default_rng(3)
    rgb = Image.fromarray(rng.integers(0, 256, (64, 64, 3), dtype=np.uint8), "RGB")
    for limit in (240.0, 200.0):
        out = cmyk_image(rgb, DEFAULT_PROFILE, limit)
        assert out.mode == "CMYK" and out.size == rgb.size
        assert ink_coverage_max(out) <= limit + 1e-9
    # paper white stays paper, black becomes a K-heavy four-colour black within the limit
    wb = cmyk_image(Image.new("RGB", (2, 1), (255, 255, 255)))
    assert wb.getpixel((0, 0)) == (0, 0, 0, 0)
    k = cmyk_image(Image.new("RGB", (1, 1), (0, 0, 0))).getpixel((0, 0))
    assert k[3] > 200 and sum(k) / 255 * 100 <= 240
    # grey, palette and alpha images convert too
    assert cmyk_image(Image.new("L", (2, 2), 128)).mode == "CMYK"
    assert cmyk_image(Image.new("RGBA", (2, 2), (0, 0, 0, 0))).getpixel((0, 0)) == (0, 0, 0, 0)


def test_limit_ink_gcr_then_scale():
    im = Image.new("CMYK", (3, 1))
    im.putpixel((0, 0), (255, 255, 255, 255))   # 400 %
    im.putpixel((1, 0), (255, 0, 255, 0))       # 200 %: under the limit, untouched
    im.putpixel((2, 0), (200, 180, 160, 100))   # 250 %
    out = limit_ink(im, 240)
    assert ink_coverage_max(out) <= 240
    assert out.getpixel((1, 0)) == (255, 0, 255, 0)
    c, m, y, k = out.getpixel((2, 0))
    assert k > 100 and c < 200                  # grey moved into K first
    assert ink_coverage_max(im) == pytest.approx(400)


@pytest.mark.parametrize("content", [
    b"BT /F1 12 Tf 14.4 TL ET",
    b"q BT /PB1 9.5 Tf [<0001> -20 <0002>] TJ ET Q BT /PB2 10 Tf ET",
    b"q /PB1 1 Tf Q <00>Tj",
    b"/PB1 1 Tf q /PB2 2 Tf Q <00>'",
    b"/F1 .5 Tf[<00>]TJ",
    b"/X#20 1 Tf <00> Tj",              # the rest are parsed by qpdf instead
    b"BT /F1 12 Tf (a) Tj ET",
    b"/F1 12 0 Tf <00> Tj",
    b"BI /W 1 /H 1 /CS /G /BPC 8 ID \x00 EI /F1 1 Tf <00> Tj",
])
def test_font_use_scan_agrees_with_the_parser(content):
    """The finisher finds the fonts a page shows by scanning paiban's simple content streams;
    where the scan answers, it answers as qpdf's parse does, and it declines the rest."""
    from layout.output.pdfx import _font_use, _font_use_fast

    pdf = pikepdf.new()
    pdf.add_blank_page()
    pdf.pages[0].obj.Contents = pdf.make_stream(content)
    fast = _font_use_fast(content)
    assert fast is None or fast == _font_use(pikepdf.parse_content_stream(pdf.pages[0]))
    assert (fast is None) == any(x in content for x in (b"#", b"(", b" 0 Tf", b"BI"))


def test_font_subset_cache(tmp_path, monkeypatch):
    """A face's subset is kept in the cache folder: the cached program is the one HarfBuzz
    makes, a damaged entry is not used, and other glyphs make another entry."""
    import zlib

    from layout.output.cidfont import EmbeddedFace

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path))
    ef = EmbeddedFace("serif", "PB1")
    for ch in "管城新闻":
        ef.code(ch)
    n, z = ef.compressed_program()
    program = ef.font_program()
    assert zlib.decompress(z) == program and n == len(program)
    from layout.cache import entry_path
    (entry,) = entry_path("subsets", "x").parent.iterdir()
    assert ef.compressed_program() == (n, z)
    entry.write_bytes(entry.read_bytes()[:-8] + b"\0" * 8)         # damaged: made again
    assert ef.compressed_program() == (n, z)
    ef.code("报")
    n2, z2 = ef.compressed_program()
    assert zlib.decompress(z2) == ef.font_program() and len(list(entry.parent.iterdir())) == 2
