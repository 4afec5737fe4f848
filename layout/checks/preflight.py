"""Rule-based PDF/X preflight (PDF/X-1a:2001 or PDF/X-4) for paiban's output, with pikepdf.

``preflight(path, profile)`` returns a :class:`Report`; each :class:`Finding` (the one type of
checks/finding.py) names its rule (`kind`), its page (1-based, or None for the whole file) and
what is wrong. The report passes when no finding is an error. ``RULES`` lists every rule with
what it checks; ``docs/print.md`` has the table. No open-source tool certifies PDF/X: this checks every item paiban's printers ask for;
the printer's own preflight decides.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

import click
import pikepdf
from pikepdf import Array, Dictionary, Name, Stream

from layout.model.printing import MIN_PPI
from layout.output.ink import SOLID_K, overprints

from .finding import Finding

RULES: dict[str, str] = {
    "file": "the file opens as a PDF and is not encrypted",
    "version": "header (and catalog /Version) is PDF 1.3 for X-1a, at most 1.6 for X-4; "
               "X-1a: no object or cross-reference streams, no optional content",
    "pdfx-id": "X-1a: Info GTS_PDFXVersion 'PDF/X-1:2001' and GTS_PDFXConformance "
               "'PDF/X-1a:2001'; X-4: XMP pdfxid:GTS_PDFXVersion 'PDF/X-4'",
    "title": "Info /Title (and dc:title in XMP for X-4) is present and not empty",
    "dates": "Info /CreationDate and /ModDate are valid PDF dates (XMP dates for X-4)",
    "trapped": "Info /Trapped is /True or /False",
    "file-id": "the trailer has an /ID of two strings",
    "output-intent": "exactly one /GTS_PDFX OutputIntent with OutputConditionIdentifier and an "
                     "embedded DestOutputProfile (/N 4, ICC class 'prtr', colour space 'CMYK')",
    "boxes": "every page has a TrimBox or an ArtBox, not both; TrimBox ⊆ BleedBox ⊆ MediaBox",
    "fonts-embedded": "every font is embedded (FontFile/FontFile2/FontFile3; Type0 through "
                      "its descendant)",
    "fonts-tounicode": "every font has a ToUnicode map",
    "rgb": "no RGB: no rg/RG operators, no DeviceRGB (X-1a: nor CalRGB, CalGray, Lab, "
           "ICCBased) in colour spaces, images, shadings, Separation/DeviceN alternates",
    "transparency": "X-1a: no soft masks (images or ExtGState), CA/ca < 1, blend modes other "
                    "than Normal, transparency groups",
    "filters": "no LZWDecode; X-1a also no JBIG2Decode or JPXDecode",
    "javascript": "no JavaScript and no document or page actions",
    "annotations": "no annotations inside the BleedBox (TrapNet and PrinterMark excepted)",
    "ink-limit": "vector CMYK colours (k/K, scn in DeviceCMYK) and CMYK images stay within the "
                 "total ink limit",
    "image-ppi": "every contone image is placed at or above the minimum effective resolution",
    "black-text": "text in black is 100 % K only (no rich black) and overprints "
                  "(op/OP true and OPM 1 in the ExtGState in effect)",
    "overprint": "only 100 % K overprints: a fill, stroke or text in white or any other colour "
                 "painted with overprint on (op for fills, OP for strokes) is an error",
    "thin-rule": "warning: a stroke thinner than 1 pt in two or more inks (it cannot register "
                 "on newsprint)",
    "small-text": "warning: text under 12 pt in two or more inks (it cannot register on "
                  "newsprint: set it in one ink)",
    "proof-marks": "a print file has no proof marks (marked content /PaibanProof); a proof "
                   "(preflight --proof) is checked without this rule",
}

# tolerances, documented in docs/print.md
INK_TOLERANCE_VECTOR = 0.5      # percentage points over the limit accepted for vector colours
INK_TOLERANCE_PIXEL = 2.0       # a pixel counts as over the limit only beyond limit + 2 points
INK_OVER_FRACTION = 0.005       # an image fails when more than 0.5 % of its pixels are over
BLACK_K = SOLID_K               # K at or above this counts as "black" (layout/output/ink.py)
THIN_RULE = 1.0                 # pt: a stroke thinner than this should be in one ink
SMALL_TEXT = 12.0               # pt: text smaller than this should be in one ink
PROOF_TAG = "/PaibanProof"      # the marked content of proof marks (layout/output/proof.py)
# CMYK images are measured without decoding them whole: an 8-bit Flate or unfiltered stream is
# inflated in pieces of INK_PIECE bytes (exact); any other image of more than
# INK_DECODE_PIXELS pixels is a JPEG decoded at ½–⅛ scale (sampled: DCT block means) or, other
# filters, not measured (a warning). A 20000² image took 3.1 GB decoded whole.
INK_PIECE = 1 << 24
INK_DECODE_PIXELS = 1 << 24
DEFAULT_INK_LIMIT = 240.0       # a file whose output condition paiban does not know
LINE_ART_PPI = 600              # 1-bit images: warning below this


@dataclass
class Report:
    path: str
    profile: str
    pages: int = 0
    findings: list[Finding] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]

    @property
    def passed(self) -> bool:
        return not self.errors

    @property
    def exit_code(self) -> int:
        return 0 if self.passed else 1

    def rules_failed(self) -> set[str]:
        return {f.kind for f in self.errors}

    def add(self, rule: str, page: int | None, message: str, severity: str = "error") -> None:
        f = Finding(rule, severity, message, page=page)
        if f not in self.findings:
            self.findings.append(f)

    def to_text(self) -> str:
        name = "PDF/X-1a:2001" if self.profile == "x1a" else "PDF/X-4"
        n_err = len(self.errors)
        n_warn = len(self.findings) - n_err
        head = (f"{self.path}: {name} preflight {'PASS' if self.passed else 'FAIL'} "
                f"({self.pages} page{'s' if self.pages != 1 else ''}, {n_err} error"
                f"{'s' if n_err != 1 else ''}, {n_warn} warning{'s' if n_warn != 1 else ''})")
        lines = [head]
        for f in sorted(self.findings, key=lambda f: (f.page or 0, f.kind)):
            where = f"page {f.page}" if f.page is not None else "file"
            lines.append(f"  {f.severity.upper():7} [{f.kind}] {where}: {f.message}")
        return "\n".join(lines) + "\n"

    def to_json(self) -> str:
        return json.dumps({
            "file": self.path,
            "profile": self.profile,
            "passed": self.passed,
            "pages": self.pages,
            # each finding: the keys all tools share (checks/finding.py), and its rule again
            "findings": [{**f.to_json(self.path), "rule": f.kind} for f in self.findings],
            "rules": sorted(RULES),
        }, ensure_ascii=False, indent=2)


# --------------------------------------------------------------------------- entry point
MAX_PDF_BYTES = 1 << 30          # a newspaper page is tens of MB; qpdf would scan a larger file


def unreadable(path: str | Path) -> str | None:
    """Why `path` cannot be checked without reading it whole or waiting on it (a FIFO, a device,
    a folder, a file over MAX_PDF_BYTES, no %PDF- header in its first KiB); None if it can."""
    import os
    import stat

    try:
        st = os.stat(path)
    except OSError as e:
        return f"cannot be read: {e.strerror}"
    if not stat.S_ISREG(st.st_mode):
        kind = ("a folder" if stat.S_ISDIR(st.st_mode) else "a FIFO" if stat.S_ISFIFO(st.st_mode)
                else "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode)
                else "not a regular file")
        return f"is {kind}, not a PDF file"
    if st.st_size > MAX_PDF_BYTES:
        return (f"is {st.st_size / (1 << 30):.1f} GiB: larger than the {MAX_PDF_BYTES >> 30} GiB "
                "a page file may be")
    try:
        with open(path, "rb") as f:
            head = f.read(1024)
    except OSError as e:
        return f"cannot be read: {e.strerror}"
    if b"%PDF-" not in head:
        return "is not a PDF file (no %PDF- header at its start)"
    return None


def preflight(path: str | Path, profile: str = "x1a", *, min_ppi: int = MIN_PPI,
              ink_limit: float | None = None, known_images: Mapping[str, Any] | None = None,
              proof: bool = False) -> Report:
    """Check the file at `path`. `ink_limit` None: the limit of the output condition the file
    names (OutputConditionIdentifier: ISOnewspaper26v4 240 %, WAN-IFRAnewspaper26v5 220 %, …),
    else DEFAULT_INK_LIMIT. `proof`: the file is a proof, not for the plant: its proof
    marks are expected (no "proof-marks" rule, no "thin-rule" warning inside them).
    `known_images` (the build's own check only): the `InkMeasure` the build made, with
    `measure_image_ink`, of image streams it separated itself, keyed by `image_key` (their
    exact compressed bytes and decoding entries). An image whose key is there, measured
    against this ink limit, is not decoded again; any other image — unknown, or changed by
    one byte — is decoded and measured."""
    profile = profile.lower().replace("-", "").replace("pdf/", "")
    if profile not in ("x1a", "x4"):
        raise ValueError(f"profile: {profile!r} is not x1a or x4")
    rep = Report(str(path), profile)
    problem = unreadable(path)
    if problem:
        rep.add("file", None, problem)
        return rep
    try:
        pdf = pikepdf.open(path)
    except pikepdf.PasswordError:
        rep.add("file", None, "the file is encrypted")
        return rep
    except Exception as e:  # noqa: BLE001
        rep.add("file", None, f"cannot be read as PDF: {e}")
        return rep
    with pdf:
        rep.pages = len(pdf.pages)
        if pdf.is_encrypted:
            rep.add("file", None, "the file is encrypted; PDF/X forbids encryption")
        _check_version(pdf, path, profile, rep)
        _check_later_features(pdf, path, profile, rep)
        _check_info(pdf, profile, rep)
        _check_output_intent(pdf, rep)
        if ink_limit is None:
            ink_limit = condition_limit(pdf)
        _check_javascript(pdf, rep)
        _check_filters(pdf, profile, rep)
        checked: dict = {}
        for i, page in enumerate(pdf.pages, start=1):
            _check_boxes(page, i, rep)
            _check_annotations(page, i, rep)
            _check_page_resources(page, i, profile, rep)
            _Interpreter(page, i, profile, min_ppi, ink_limit, rep, checked,
                         known_images, proof).run()
    return rep


# --------------------------------------------------------------------------- document rules
def _header_version(path: str | Path) -> str | None:
    with open(path, "rb") as f:
        head = f.read(1024)
    m = re.search(rb"%PDF-(\d\.\d)", head)
    return m.group(1).decode() if m else None


def _check_version(pdf: pikepdf.Pdf, path: str | Path, profile: str, rep: Report) -> None:
    v = _header_version(path) or pdf.pdf_version
    cat = pdf.Root.get("/Version")
    versions = [v] + ([str(cat)[1:]] if cat is not None else [])
    for ver in versions:
        if profile == "x1a" and ver != "1.3":
            rep.add("version", None, f"PDF version {ver}; PDF/X-1a:2001 requires 1.3")
        if profile == "x4":
            try:
                ok = tuple(int(x) for x in ver.split(".")) <= (1, 6)
            except ValueError:
                ok = False
            if not ok:
                rep.add("version", None, f"PDF version {ver}; PDF/X-4 allows at most 1.6")


_LATER_TYPES = re.compile(rb"/Type\s*/(ObjStm|XRef)")


def _check_later_features(pdf: pikepdf.Pdf, path: str | Path, profile: str,
                          rep: Report) -> None:
    """Features newer than the allowed version (X-1a: PDF 1.3)."""
    if profile != "x1a":
        return
    with open(path, "rb") as f:
        data = f.read()
    found = set()                 # one pass over the file for both (megabytes of photos)
    for m in _LATER_TYPES.finditer(data):
        found.add(m.group(1))
        if len(found) == 2:
            break
    if b"ObjStm" in found:
        rep.add("version", None, "object streams (PDF 1.5) in a PDF/X-1a:2001 file")
    if b"XRef" in found:
        rep.add("version", None, "a cross-reference stream (PDF 1.5) in a PDF/X-1a:2001 file")
    if "/OCProperties" in pdf.Root:
        rep.add("version", None, "optional content (PDF 1.5) in a PDF/X-1a:2001 file")


_PDF_DATE = re.compile(r"^D:\d{4}(\d{2}(\d{2}(\d{2}(\d{2}(\d{2})?)?)?)?)?"
                       r"([Zz]|[+-]\d{2}'?(\d{2}'?)?)?$")
_XMP_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?"
                       r"(Z|[+-]\d{2}:\d{2})?)?)?)?$")


def _info_str(info: Any, key: str) -> str | None:
    if info is None or key not in info:
        return None
    v = info[key]
    return str(v)


def _check_info(pdf: pikepdf.Pdf, profile: str, rep: Report) -> None:
    info = pdf.trailer.get("/Info")
    if not isinstance(info, Dictionary):
        info = None
        rep.add("pdfx-id" if profile == "x1a" else "title", None, "no Info dictionary")
    xmp = _xmp(pdf)
    if profile == "x1a":
        v = _info_str(info, "/GTS_PDFXVersion")
        c = _info_str(info, "/GTS_PDFXConformance")
        if v != "PDF/X-1:2001":
            rep.add("pdfx-id", None, f"Info GTS_PDFXVersion is {v!r}, not 'PDF/X-1:2001'")
        if c != "PDF/X-1a:2001":
            rep.add("pdfx-id", None, f"Info GTS_PDFXConformance is {c!r}, not 'PDF/X-1a:2001'")
    else:
        xv = _xmp_value(xmp, "GTS_PDFXVersion")
        if xmp is None and _info_str(info, "/GTS_PDFXConformance") == "PDF/X-1a:2001":
            rep.add("pdfx-id", None, "the file is PDF/X-1a:2001 (Info GTS_PDFXConformance), "
                                     "not PDF/X-4: check it with --profile x1a, or build it "
                                     "as X-4 with `standard: x4` in the print settings")
        elif xmp is None:
            rep.add("pdfx-id", None, "no XMP metadata stream in the catalog")
        elif xv is None or not xv.startswith("PDF/X-4"):
            rep.add("pdfx-id", None, f"XMP pdfxid:GTS_PDFXVersion is {xv!r}, not 'PDF/X-4'")
        iv = _info_str(info, "/GTS_PDFXVersion")
        if iv is not None and xv is not None and iv != xv:
            rep.add("pdfx-id", None, f"Info GTS_PDFXVersion {iv!r} differs from XMP {xv!r}")
    title = _info_str(info, "/Title")
    if not title or not title.strip():
        rep.add("title", None, "Info /Title is missing or empty")
    if profile == "x4" and xmp is not None and not _xmp_value(xmp, "title"):
        rep.add("title", None, "XMP dc:title is missing")
    for key in ("/CreationDate", "/ModDate"):
        d = _info_str(info, key)
        if d is None:
            rep.add("dates", None, f"Info {key[1:]} is missing")
        elif not _PDF_DATE.match(d):
            rep.add("dates", None, f"Info {key[1:]} {d!r} is not a PDF date (D:YYYYMMDDHHmmSS)")
    if profile == "x4" and xmp is not None:
        for key in ("CreateDate", "ModifyDate"):
            d = _xmp_value(xmp, key)
            if d is None or not _XMP_DATE.match(d):
                rep.add("dates", None, f"XMP xmp:{key} is {d!r}, not an XMP date")
    t = info.get("/Trapped") if info is not None else None
    if t is None:
        rep.add("trapped", None, "Info /Trapped is missing (must be /True or /False)")
    elif str(t) not in ("/True", "/False", "True", "False"):
        rep.add("trapped", None, f"Info /Trapped is {t}, must be /True or /False")
    tid = pdf.trailer.get("/ID")
    if not (isinstance(tid, Array) and len(tid) == 2
            and all(isinstance(x, pikepdf.String) for x in tid)):
        rep.add("file-id", None, "the trailer has no /ID of two strings")


def _xmp(pdf: pikepdf.Pdf) -> str | None:
    m = pdf.Root.get("/Metadata")
    if not isinstance(m, Stream):
        return None
    try:
        return m.read_bytes().decode("utf-8", "replace")
    except Exception:  # noqa: BLE001
        return None


def _xmp_value(xmp: str | None, name: str) -> str | None:
    """Value of an XMP property written as element or attribute (any prefix)."""
    if xmp is None:
        return None
    m = re.search(r"<(?:\w+:)?" + name + r"\b[^>]*>(.*?)</(?:\w+:)?" + name + ">", xmp, re.S)
    if m:
        inner = re.sub(r"<[^>]+>", "", m.group(1)).strip()
        return inner or None
    m = re.search(r"\b(?:\w+:)?" + name + r"\s*=\s*\"([^\"]*)\"", xmp)
    return m.group(1) if m else None


def condition_limit(pdf: pikepdf.Pdf) -> float:
    """The ink limit of the output condition the file's OutputIntent names, if paiban knows it
    (layout.model.printing.CONDITIONS), else DEFAULT_INK_LIMIT."""
    from layout.model.printing import known_condition

    for oi in pdf.Root.get("/OutputIntents") or []:
        if isinstance(oi, Dictionary) and oi.get("/S") == Name.GTS_PDFX:
            c = known_condition(str(oi.get("/OutputConditionIdentifier", "")))
            if c is not None:
                return c.ink_limit
    return DEFAULT_INK_LIMIT


def _check_output_intent(pdf: pikepdf.Pdf, rep: Report) -> None:
    intents = pdf.Root.get("/OutputIntents")
    gts = [oi for oi in (intents or []) if isinstance(oi, Dictionary)
           and oi.get("/S") == Name.GTS_PDFX]
    if len(gts) != 1:
        rep.add("output-intent", None, f"{len(gts)} /GTS_PDFX OutputIntents; exactly one needed")
        return
    oi = gts[0]
    if not str(oi.get("/OutputConditionIdentifier", "")).strip():
        rep.add("output-intent", None, "the OutputIntent has no OutputConditionIdentifier")
    prof = oi.get("/DestOutputProfile")
    if not isinstance(prof, Stream):
        rep.add("output-intent", None, "the OutputIntent has no embedded DestOutputProfile")
        return
    if prof.get("/N") != 4:
        rep.add("output-intent", None, f"DestOutputProfile /N is {prof.get('/N')}, not 4")
    try:
        head = prof.read_bytes()[:128]
    except Exception as e:  # noqa: BLE001
        rep.add("output-intent", None, f"DestOutputProfile cannot be read: {e}")
        return
    if len(head) < 128 or head[36:40] != b"acsp":
        rep.add("output-intent", None, "DestOutputProfile is not an ICC profile")
        return
    cls, space = head[12:16], head[16:20]
    if cls != b"prtr":
        rep.add("output-intent", None,
                f"DestOutputProfile class is {cls.decode('latin-1')!r}, not 'prtr' (output)")
    if space != b"CMYK":
        rep.add("output-intent", None,
                f"DestOutputProfile colour space is {space.decode('latin-1')!r}, not 'CMYK'")


_FONT_WIDTHS = ("/W", "/W2", "/Widths")     # numbers only: nothing in them is a resource


def _walk(obj: Any, seen: set, depth: int = 0) -> Iterator[Any]:
    """Every dictionary/stream reachable from obj (not through /Parent, nor into a font's
    width arrays, thousands of numbers in a CID font)."""
    if depth > 60:
        return
    if isinstance(obj, (Dictionary, Stream)):
        og = obj.objgen if obj.is_indirect else None
        if og is not None:
            if og in seen:
                return
            seen.add(og)
        yield obj
        font = obj.get("/Type") == Name.Font
        for k in list(obj.keys()):
            if k in ("/Parent", "/P") or (font and k in _FONT_WIDTHS):
                continue
            v = obj[k]
            if isinstance(v, (Dictionary, Stream, Array)):
                yield from _walk(v, seen, depth + 1)
    elif isinstance(obj, Array):
        for x in obj:
            if isinstance(x, (Dictionary, Stream, Array)):
                yield from _walk(x, seen, depth + 1)


def _check_javascript(pdf: pikepdf.Pdf, rep: Report) -> None:
    root = pdf.Root
    names = root.get("/Names")
    if isinstance(names, Dictionary) and "/JavaScript" in names:
        rep.add("javascript", None, "the catalog's name tree has JavaScript")
    for key in ("/OpenAction", "/AA"):
        if key in root:
            rep.add("javascript", None, f"the catalog has an action ({key[1:]})")
    for obj in pdf.objects:
        if isinstance(obj, (Dictionary, Stream)) and obj.get("/S") == Name.JavaScript:
            rep.add("javascript", None, "a JavaScript action is in the file")
            break
    for i, page in enumerate(pdf.pages, start=1):
        if "/AA" in page.obj:
            rep.add("javascript", i, "the page has additional actions (AA)")


def _filters_of(s: Stream) -> list[str]:
    f = s.get("/Filter")
    if f is None:
        return []
    return [str(x) for x in f] if isinstance(f, Array) else [str(f)]


def _check_filters(pdf: pikepdf.Pdf, profile: str, rep: Report) -> None:
    bad = {"/LZWDecode": "LZWDecode"}
    if profile == "x1a":
        bad.update({"/JBIG2Decode": "JBIG2Decode (PDF 1.4)", "/JPXDecode": "JPXDecode (PDF 1.5)"})
    found: dict[str, int] = {}
    for obj in pdf.objects:
        if isinstance(obj, Stream):
            for f in _filters_of(obj):
                if f in bad:
                    found[f] = found.get(f, 0) + 1
    # inline images too
    for f, n in sorted(found.items()):
        rep.add("filters", None, f"{n} stream{'s' if n > 1 else ''} use{'s' if n == 1 else ''} "
                                 f"the forbidden filter {bad[f]}")


# --------------------------------------------------------------------------- page rules
def _rect(a: Any) -> tuple[float, float, float, float] | None:
    try:
        x0, y0, x1, y1 = (float(v) for v in a)
    except Exception:  # noqa: BLE001
        return None
    return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))


def _inside(a, b, tol=0.01) -> bool:
    return (a[0] >= b[0] - tol and a[1] >= b[1] - tol and a[2] <= b[2] + tol
            and a[3] <= b[3] + tol)


def _inherited(page: pikepdf.Page, key: str) -> Any:
    node = page.obj
    for _ in range(64):
        if key in node:
            return node[key]
        node = node.get("/Parent")
        if node is None:
            return None
    return None


def _bleed_box(page: pikepdf.Page):
    media = _rect(_inherited(page, "/MediaBox"))
    crop = _rect(_inherited(page, "/CropBox")) or media
    bleed = _rect(page.obj.get("/BleedBox")) or crop
    return media, bleed


def _check_boxes(page: pikepdf.Page, i: int, rep: Report) -> None:
    obj = page.obj
    media, bleed = _bleed_box(page)
    if media is None:
        rep.add("boxes", i, "no valid MediaBox")
        return
    has_trim, has_art = "/TrimBox" in obj, "/ArtBox" in obj
    if has_trim and has_art:
        rep.add("boxes", i, "both TrimBox and ArtBox; PDF/X wants exactly one (TrimBox)")
    if not has_trim and not has_art:
        rep.add("boxes", i, "no TrimBox (nor ArtBox)")
    if "/BleedBox" in obj and _rect(obj.BleedBox) is None:
        rep.add("boxes", i, "the BleedBox is not a rectangle")
    if bleed is not None and not _inside(bleed, media):
        rep.add("boxes", i, f"BleedBox {_r(bleed)} is not inside MediaBox {_r(media)}")
    inner = obj.get("/TrimBox") if has_trim else obj.get("/ArtBox")
    name = "TrimBox" if has_trim else "ArtBox"
    if inner is not None:
        r = _rect(inner)
        if r is None:
            rep.add("boxes", i, f"the {name} is not a rectangle")
        elif r[2] - r[0] <= 0 or r[3] - r[1] <= 0:
            rep.add("boxes", i, f"the {name} {_r(r)} is empty")
        elif bleed is not None and not _inside(r, bleed):
            rep.add("boxes", i, f"{name} {_r(r)} is not inside BleedBox {_r(bleed)}")


def _r(b) -> str:
    return "[" + " ".join(f"{v:g}" for v in b) + "]"


def _check_annotations(page: pikepdf.Page, i: int, rep: Report) -> None:
    annots = page.obj.get("/Annots")
    if not isinstance(annots, Array):
        return
    _, bleed = _bleed_box(page)
    for a in annots:
        if not isinstance(a, Dictionary):
            continue
        sub = str(a.get("/Subtype", ""))
        if sub in ("/TrapNet", "/PrinterMark"):
            continue
        r = _rect(a.get("/Rect", [0, 0, 0, 0]))
        if r is None or bleed is None or (r[2] > bleed[0] and r[0] < bleed[2]
                                          and r[3] > bleed[1] and r[1] < bleed[3]):
            rep.add("annotations", i, f"a {sub[1:] or 'untyped'} annotation inside the bleed")


# colour spaces ---------------------------------------------------------------
_RGB_X1A = {"/DeviceRGB", "/CalRGB", "/CalGray", "/Lab", "/ICCBased"}


def _cs_problem(cs: Any, profile: str, depth: int = 0) -> str | None:
    """Why a colour space is not allowed, or None. DeviceRGB is refused under both profiles;
    under X-1a also every device-independent space (CalRGB, CalGray, Lab, ICCBased); under X-4
    these are allowed but RGB ones are reported as warnings (see ``_severity``)."""
    if depth > 8 or cs is None:
        return None
    if isinstance(cs, Name):
        n = str(cs)
        if n in ("/DeviceRGB", "/RGB"):
            return "DeviceRGB"
        if n in ("/CalRGB", "/CalGray", "/Lab"):
            return n[1:] if profile == "x1a" else None
        return None
    if isinstance(cs, Array) and len(cs):
        fam = str(cs[0])
        if fam == "/ICCBased":
            n = cs[1].get("/N") if len(cs) > 1 and isinstance(cs[1], Stream) else None
            if profile == "x1a":
                return f"ICCBased (N={n})"
            return "ICCBased RGB" if n == 3 else None
        if fam in ("/CalRGB", "/CalGray", "/Lab"):
            if profile == "x1a":
                return fam[1:]
            return "CalRGB" if fam == "/CalRGB" else None
        if fam == "/DeviceRGB":
            return "DeviceRGB"
        if fam == "/Indexed" and len(cs) > 1:
            p = _cs_problem(cs[1], profile, depth + 1)
            return f"Indexed on {p}" if p else None
        if fam == "/Separation" and len(cs) > 2:
            p = _cs_problem(cs[2], profile, depth + 1)
            return f"Separation {cs[1]} with alternate {p}" if p else None
        if fam == "/DeviceN" and len(cs) > 2:
            p = _cs_problem(cs[2], profile, depth + 1)
            return f"DeviceN with alternate {p}" if p else None
        if fam == "/Pattern" and len(cs) > 1:
            return _cs_problem(cs[1], profile, depth + 1)
    return None


def _severity(problem: str, profile: str) -> str:
    """RGB through an ICC profile or CalRGB is legal in PDF/X-4: a warning for newsprint."""
    if profile == "x4" and "DeviceRGB" not in problem:
        return "warning"
    return "error"


def _check_page_resources(page: pikepdf.Page, i: int, profile: str, rep: Report) -> None:
    """Colour spaces, images, shadings, fonts, ExtGStates, groups reachable from the page."""
    if profile == "x1a":
        g = page.obj.get("/Group")
        if isinstance(g, Dictionary) and g.get("/S") == Name.Transparency:
            rep.add("transparency", i, "the page is a transparency group")
    res = _inherited(page, "/Resources")
    seen: set = set()
    for obj in _walk(res, seen) if res is not None else ():
        typ = obj.get("/Type")
        sub = obj.get("/Subtype")
        if isinstance(obj, Stream) and sub == Name.Image:
            _check_image_dict(obj, i, profile, rep)
        elif isinstance(obj, Stream) and sub == Name.Form:
            g = obj.get("/Group")
            if profile == "x1a" and isinstance(g, Dictionary) and g.get("/S") == Name.Transparency:
                rep.add("transparency", i, "a form XObject is a transparency group")
        elif typ == Name.Font or ("/BaseFont" in obj and "/Subtype" in obj):
            _check_font(obj, i, rep)
        elif typ == Name.ExtGState or any(k in obj for k in ("/CA", "/ca", "/BM", "/SMask",
                                                            "/OPM")):
            if profile == "x1a":
                _check_gs_transparency(obj, i, rep)
        if "/ShadingType" in obj:
            p = _cs_problem(obj.get("/ColorSpace"), profile)
            if p:
                rep.add("rgb", i, f"a shading in {p}", _severity(p, profile))
        if "/ColorSpace" in obj and isinstance(obj.get("/ColorSpace"), Dictionary):
            for name, cs in obj.ColorSpace.items():
                p = _cs_problem(cs, profile)
                if p:
                    rep.add("rgb", i, f"colour space {name} is {p}", _severity(p, profile))


def _check_image_dict(img: Stream, i: int, profile: str, rep: Report) -> None:
    if img.get("/ImageMask") is True:
        return
    p = _cs_problem(img.get("/ColorSpace"), profile)
    if p:
        rep.add("rgb", i, f"an image ({img.get('/Width')}×{img.get('/Height')}) in {p}",
                _severity(p, profile))
    if profile == "x1a":
        if "/SMask" in img:
            rep.add("transparency", i, "an image with a soft mask (SMask)")
        if img.get("/SMaskInData", 0) not in (0,):
            rep.add("transparency", i, "an image with SMaskInData")


def _check_gs_transparency(gs: Dictionary, i: int, rep: Report) -> None:
    sm = gs.get("/SMask")
    if sm is not None and str(sm) != "/None":
        rep.add("transparency", i, "an ExtGState with a soft mask (SMask)")
    for key in ("/CA", "/ca"):
        if key in gs:
            try:
                v = float(gs[key])
            except (TypeError, ValueError):
                continue
            if v < 1.0:
                rep.add("transparency", i, f"an ExtGState with {key[1:]} {v:g} (< 1)")
    bm = gs.get("/BM")
    if bm is not None:
        modes = [str(x) for x in bm] if isinstance(bm, Array) else [str(bm)]
        if modes and modes[0] not in ("/Normal", "/Compatible"):
            rep.add("transparency", i, f"an ExtGState with blend mode {modes[0][1:]}")


def _check_font(font: Dictionary, i: int, rep: Report) -> None:
    sub = str(font.get("/Subtype", ""))
    name = str(font.get("/BaseFont", "?"))[1:]
    if sub in ("/CIDFontType0", "/CIDFontType2"):
        return  # checked through its Type0 parent
    if sub == "/Type3":
        if "/ToUnicode" not in font:
            rep.add("fonts-tounicode", i, f"Type3 font {font.get('/Name', '')} has no ToUnicode")
        return
    desc = font.get("/FontDescriptor")
    if sub == "/Type0":
        df = font.get("/DescendantFonts")
        desc = df[0].get("/FontDescriptor") if isinstance(df, Array) and len(df) else None
    embedded = isinstance(desc, Dictionary) and any(
        isinstance(desc.get(k), Stream) for k in ("/FontFile", "/FontFile2", "/FontFile3"))
    if not embedded:
        rep.add("fonts-embedded", i, f"font {name} ({sub[1:]}) is not embedded")
    if "/ToUnicode" not in font:
        rep.add("fonts-tounicode", i, f"font {name} has no ToUnicode map")


# --------------------------------------------------------------------------- content streams
@dataclass
class _GState:
    ctm: tuple = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    fill_cs: str = "/DeviceGray"
    fill: tuple = (0.0,)
    stroke_cs: str = "/DeviceGray"
    stroke: tuple = (0.0,)
    op: bool = False
    OP: bool = False
    opm: int = 0
    render: int = 0
    width: float = 1.0          # line width, user space
    font_size: float = 0.0      # Tf
    tm: tuple = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)   # text matrix (its scale; BT resets it)

    def copy(self) -> "_GState":
        return _GState(**self.__dict__)


def _mul(m, n):
    a, b, c, d, e, f = m
    A, B, C, D, E, F = n
    return (a * A + b * C, a * B + b * D, c * A + d * C, c * B + d * D,
            e * A + f * C + E, e * B + f * D + F)


# The operators the interpreter acts on (`_run`); qpdf drops every other one while parsing, so
# text positioning, paths and the like never reach Python. BI ID EI: inline images.
_ACTIVE_OPS = ("q Q cm rg RG k K g G cs CS sc scn SC SCN gs Tr Tj TJ ' \" Do sh BI ID EI "
               "w S s f F f* B B* b b* BMC BDC EMC BT Tf Tm")
_FILLS = {"f", "F", "f*", "B", "B*", "b", "b*"}      # path painting that fills
_STROKES = {"S", "s", "B", "B*", "b", "b*"}          # and that strokes
_INITIAL = {"/DeviceGray": (0.0,), "/DeviceCMYK": (0.0, 0.0, 0.0, 1.0),
            "/DeviceRGB": (0.0, 0.0, 0.0)}           # a colour space's colour after cs/CS


class _Interpreter:
    """Walks a page's content (and its form XObjects) tracking the graphics state."""

    def __init__(self, page: pikepdf.Page, index: int, profile: str, min_ppi: int,
                 ink_limit: float, rep: Report, checked_images: dict | None = None,
                 known_images: Mapping[str, Any] | None = None, proof: bool = False) -> None:
        self.page, self.i, self.profile = page, index, profile
        self.proof = proof
        self.marked: list[str] = []     # the open marked-content tags
        self.min_ppi, self.ink_limit, self.rep = min_ppi, ink_limit, rep
        # Images whose ink was measured, shared by the pages of a file: a photo placed on
        # several pages is decoded once (its placement and ppi are checked on every page).
        self.checked_images: dict[tuple, float] = {} if checked_images is None else checked_images
        self.known_images = known_images or {}
        self.counts: dict[str, int] = {}

    def run(self) -> None:
        res = _inherited(self.page, "/Resources")
        try:
            ops = pikepdf.parse_content_stream(self.page, _ACTIVE_OPS)
        except Exception as e:  # noqa: BLE001
            self.rep.add("file", self.i, f"the content stream cannot be parsed: {e}")
            return
        self._run(ops, res if isinstance(res, Dictionary) else Dictionary(), _GState(), 0, set())

    def _note(self, rule: str, msg: str, severity: str = "error", limit: int = 5) -> None:
        n = self.counts.get(rule + msg, 0)
        self.counts[rule + msg] = n + 1
        if n == 0 and sum(1 for f in self.rep.findings
                          if f.kind == rule and f.page == self.i) < limit:
            self.rep.add(rule, self.i, msg, severity)

    def _colour_space(self, name: Any, res: Dictionary) -> Any:
        n = str(name)
        if n in ("/DeviceGray", "/DeviceRGB", "/DeviceCMYK", "/Pattern", "/G", "/RGB",
                 "/CMYK"):
            return {"/G": "/DeviceGray", "/RGB": "/DeviceRGB", "/CMYK": "/DeviceCMYK"}.get(n, n)
        css = res.get("/ColorSpace")
        if isinstance(css, Dictionary) and n in css:
            return css[n]
        return n

    def _run(self, ops, res: Dictionary, gs: _GState, depth: int, forms: set) -> None:
        stack: list[_GState] = []
        for operands, op in ops:
            op = str(op)
            if op == "q":
                stack.append(gs.copy())
            elif op == "Q":
                if stack:
                    gs = stack.pop()
            elif op == "cm" and len(operands) == 6:
                gs.ctm = _mul(tuple(float(x) for x in operands), gs.ctm)
            elif op in ("rg", "RG"):
                self._note("rgb", f"RGB colour operator {op} {' '.join(_num(x) for x in operands)}")
                if op == "rg":
                    gs.fill_cs, gs.fill = "/DeviceRGB", tuple(float(x) for x in operands)
                else:
                    gs.stroke_cs, gs.stroke = "/DeviceRGB", tuple(float(x) for x in operands)
            elif op in ("k", "K"):
                vals = tuple(float(x) for x in operands)
                self._ink(vals, op)
                if op == "k":
                    gs.fill_cs, gs.fill = "/DeviceCMYK", vals
                else:
                    gs.stroke_cs, gs.stroke = "/DeviceCMYK", vals
            elif op in ("g", "G"):
                vals = tuple(float(x) for x in operands)
                if op == "g":
                    gs.fill_cs, gs.fill = "/DeviceGray", vals
                else:
                    gs.stroke_cs, gs.stroke = "/DeviceGray", vals
            elif op in ("cs", "CS") and operands:
                cs = self._colour_space(operands[0], res)
                p = _cs_problem(Name(cs) if isinstance(cs, str) else cs, self.profile)
                if p:
                    self._note("rgb", f"colour space {operands[0]} is {p}",
                               _severity(p, self.profile))
                key = cs if isinstance(cs, str) else (
                    "/" + str(cs[0])[1:] if isinstance(cs, Array) and len(cs) else "?")
                if isinstance(cs, Array) and len(cs) and str(cs[0]) == "/ICCBased":
                    n = cs[1].get("/N") if isinstance(cs[1], Stream) else None
                    key = {1: "/DeviceGray", 3: "/DeviceRGB", 4: "/DeviceCMYK"}.get(n, key)
                if op == "cs":
                    gs.fill_cs, gs.fill = key, _INITIAL.get(key, ())
                else:
                    gs.stroke_cs, gs.stroke = key, _INITIAL.get(key, ())
            elif op in ("sc", "scn", "SC", "SCN"):
                vals = tuple(float(x) for x in operands if _isnum(x))
                fill = op in ("sc", "scn")
                cs = gs.fill_cs if fill else gs.stroke_cs
                if cs == "/DeviceCMYK" and len(vals) == 4:
                    self._ink(vals, op)
                if fill:
                    gs.fill = vals
                else:
                    gs.stroke = vals
            elif op == "gs" and operands:
                egs = res.get("/ExtGState", {}).get(str(operands[0])) \
                    if isinstance(res.get("/ExtGState"), Dictionary) else None
                if isinstance(egs, Dictionary):
                    if "/OP" in egs:
                        gs.OP = bool(egs.OP)
                        if "/op" not in egs:
                            gs.op = bool(egs.OP)
                    if "/op" in egs:
                        gs.op = bool(egs.op)
                    if "/OPM" in egs:
                        gs.opm = int(egs.OPM)
            elif op == "Tr" and operands:
                gs.render = int(operands[0])
            elif op == "BT":
                gs.tm = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
            elif op == "Tf" and len(operands) == 2 and _isnum(operands[1]):
                gs.font_size = float(operands[1])
            elif op == "Tm" and len(operands) == 6 and all(_isnum(x) for x in operands):
                gs.tm = tuple(float(x) for x in operands)
            elif op in ("Tj", "TJ", "'", '"'):
                self._text(gs)
                self._paint(gs, "text", fill=gs.render in (0, 2, 4, 6),
                            stroke=gs.render in (1, 2, 5, 6))
            elif op == "w" and operands and _isnum(operands[0]):
                gs.width = float(operands[0])
            elif op in _FILLS or op in _STROKES:
                self._paint(gs, "a path", fill=op in _FILLS, stroke=op in _STROKES)
            elif op in ("BMC", "BDC"):
                self._begin_marked(str(operands[0]) if operands else "")
            elif op == "EMC":
                if self.marked:
                    self.marked.pop()
            elif op == "Do" and operands:
                xo = res.get("/XObject", {}).get(str(operands[0])) \
                    if isinstance(res.get("/XObject"), Dictionary) else None
                if isinstance(xo, Stream):
                    if xo.get("/Subtype") == Name.Image:
                        self._image(xo, gs, res)
                    elif xo.get("/Subtype") == Name.Form and depth < 12 \
                            and xo.objgen not in forms:
                        self._form(xo, res, gs, depth, forms)
            elif op == "INLINE IMAGE":
                self._inline(operands[0], gs, res)
            elif op == "sh" and operands:
                pass  # shading colour spaces are checked with the resources

    def _form(self, xo: Stream, res: Dictionary, gs: _GState, depth: int, forms: set) -> None:
        g = gs.copy()
        m = xo.get("/Matrix")
        if isinstance(m, Array) and len(m) == 6:
            g.ctm = _mul(tuple(float(x) for x in m), g.ctm)
        fres = xo.get("/Resources")
        try:
            ops = pikepdf.parse_content_stream(xo, _ACTIVE_OPS)
        except Exception:  # noqa: BLE001
            return
        self._run(ops, fres if isinstance(fres, Dictionary) else res, g, depth + 1,
                  forms | {xo.objgen})

    # ---- rules applied while interpreting
    def _begin_marked(self, tag: str) -> None:
        self.marked.append(tag)
        if tag == PROOF_TAG and not self.proof:
            self._note("proof-marks", "proof marks (marked content /PaibanProof) in a print "
                                      "file: they would print on the plate; send the file "
                                      "`paiban build` writes, not the proof")

    def _paint(self, gs: _GState, what: str, *, fill: bool, stroke: bool) -> None:
        """Overprint and thin-rule rules for one painting operation."""
        for on, cs, v, flag, kind in ((fill, gs.fill_cs, gs.fill, gs.op, "fill"),
                                      (stroke, gs.stroke_cs, gs.stroke, gs.OP, "stroke")):
            if not on or (what == "text" and kind == "fill" and _rich_black(cs, v)):
                continue                # rich black text: the black-text rule's finding
            if flag and not (cs in ("/DeviceCMYK", "/DeviceGray") and overprints(v)):
                self._note("overprint", f"{what} {kind} in {_colour(cs, v)} overprints "
                                        f"({'op' if kind == 'fill' else 'OP'} true, OPM "
                                        f"{gs.opm}): only 100 % K may; white or colour must "
                                        "knock out")
        if stroke and what == "a path" and _inks(gs.stroke_cs, gs.stroke) >= 2 \
                and not (self.proof and PROOF_TAG in self.marked):
            a, b, c, d, _, _ = gs.ctm
            width = gs.width * math.sqrt(abs(a * d - b * c))
            if width < THIN_RULE:
                self._note("thin-rule", f"a {width:.2g} pt rule in "
                                        f"{_colour(gs.stroke_cs, gs.stroke)}, "
                                        f"{_inks(gs.stroke_cs, gs.stroke)} inks: a rule under "
                                        f"{THIN_RULE:g} pt should be in one ink",
                           severity="warning")

    def _ink(self, vals: tuple, op: str) -> None:
        tac = sum(vals) * 100.0
        if tac > self.ink_limit + INK_TOLERANCE_VECTOR:
            self._note("ink-limit", f"CMYK colour {' '.join(_num(v) for v in vals)} {op} has "
                                    f"{tac:.0f} % ink (limit {self.ink_limit:g} %)")

    def _text(self, gs: _GState) -> None:
        if gs.render in (1, 3, 5, 7):       # stroke only, invisible, or clip without fill
            return
        cs, v = gs.fill_cs, gs.fill
        if _inks(cs, v) >= 2 and not (self.proof and PROOF_TAG in self.marked):
            a, b, c, d, _, _ = _mul(gs.tm, gs.ctm)
            size = abs(gs.font_size) * math.sqrt(abs(a * d - b * c))
            if 0 < size < SMALL_TEXT:
                self._note("small-text", f"{size:.3g} pt text in {_colour(cs, v)}, "
                                         f"{_inks(cs, v)} inks: type under {SMALL_TEXT:g} pt "
                                         "should be in one ink", severity="warning")
        if cs == "/DeviceCMYK" and len(v) == 4:
            c, m, y, k = v
            if k >= BLACK_K and (c > 0 or m > 0 or y > 0):
                self._note("black-text", f"text in rich black {' '.join(_num(x) for x in v)} k; "
                                         "black text must be 0 0 0 1 k")
                return
            if k >= BLACK_K:
                if not gs.op or gs.opm != 1:
                    self._note("black-text", "black text does not overprint (the ExtGState in "
                                             f"effect has op {str(gs.op).lower()}, OPM {gs.opm}; "
                                             "needs op true, OPM 1)")
        elif cs == "/DeviceGray" and len(v) == 1 and v[0] <= 1.0 - BLACK_K:
            if not gs.op:
                self._note("black-text", "black text (0 g) does not overprint (needs an "
                                         "ExtGState with op true and OPM 1)")
            elif gs.opm != 1:
                self._note("black-text", "black text overprints but OPM is not 1")

    def _image(self, xo: Stream, gs: _GState, res: Dictionary) -> None:
        self._placed(xo.get("/Width"), xo.get("/Height"), xo.get("/BitsPerComponent", 8),
                     xo.get("/ImageMask") is True, gs)
        key = xo.objgen
        if key in self.checked_images:
            return
        self.checked_images[key] = 0.0
        known = self._known_measure(xo) if self.known_images else None
        self._ink_report(known or measure_image_ink(xo, lambda: pikepdf.PdfImage(xo),
                                                    self.ink_limit))

    def _known_measure(self, xo: Stream) -> "InkMeasure | None":
        """The build's record of `measure_image_ink` for `xo`, when `xo` is byte for byte the
        stream the build measured, with the same decoding entries, against this ink limit."""
        key = image_key(xo)
        m = self.known_images.get(key) if key else None
        return m if isinstance(m, InkMeasure) and m.ink_limit == self.ink_limit else None

    def _inline(self, iimg: Any, gs: _GState, res: Dictionary) -> None:
        try:
            w, h = iimg.width, iimg.height
            bpc = iimg.bits_per_component
            mask = bool(iimg.image_mask)
        except Exception:  # noqa: BLE001
            return
        self._placed(w, h, bpc, mask, gs)
        try:
            cs = iimg.obj.get("/ColorSpace", iimg.obj.get("/CS"))
        except Exception:  # noqa: BLE001
            cs = None
        if cs is not None and not mask:
            cs = self._colour_space(cs, res) if isinstance(cs, Name) else cs
            p = _cs_problem(Name(cs) if isinstance(cs, str) else cs, self.profile)
            if p:
                self._note("rgb", f"an inline image in {p}", _severity(p, self.profile))
        try:
            filt = iimg.filters
        except Exception:  # noqa: BLE001
            filt = []
        for f in filt:
            if str(f) in ("/LZWDecode", "/LZW") or (
                    self.profile == "x1a" and str(f) in ("/JBIG2Decode", "/JPXDecode")):
                self._note("filters", f"an inline image uses the forbidden filter {f}")
        self._ink_report(measure_image_ink(None, lambda: iimg, self.ink_limit))

    def _placed(self, w: Any, h: Any, bpc: Any, mask: bool, gs: _GState) -> None:
        try:
            w, h, bpc = int(w), int(h), int(bpc or 1)
        except (TypeError, ValueError):
            return
        a, b, c, d, _, _ = gs.ctm
        wpt, hpt = math.hypot(a, b), math.hypot(c, d)
        if wpt <= 0 or hpt <= 0:
            return
        ppi = min(w / (wpt / 72.0), h / (hpt / 72.0))
        size = f"{w}×{h} px at {wpt / 72 * 25.4:.1f}×{hpt / 72 * 25.4:.1f} mm"
        if mask or bpc == 1:
            if ppi < LINE_ART_PPI:
                self._note("image-ppi", f"a 1-bit image {size}: {ppi:.0f} ppi, line art wants "
                                        f"{LINE_ART_PPI}", severity="warning")
        elif ppi < self.min_ppi - 0.5:
            self._note("image-ppi", f"an image {size}: {ppi:.0f} ppi, below {self.min_ppi} ppi")

    def _ink_report(self, m: "InkMeasure") -> None:
        if m.unmeasured is not None:
            self._note("ink-limit", f"a CMYK image ({m.width}×{m.height}, {m.unmeasured})"
                                    " is too large to measure its ink: not checked",
                       severity="warning")
        elif m.pixels and m.over / m.pixels > INK_OVER_FRACTION:
            self._note("ink-limit", f"a CMYK image ({m.width}×{m.height}) has "
                                    f"{m.over / m.pixels:.1%} of its pixels over "
                                    f"{self.ink_limit:g} % ink (max {m.top / 255 * 100:.0f} %)")


# --------------------------------------------------------------------------- image ink

@dataclass(frozen=True)
class InkMeasure:
    """What `measure_image_ink` found in one image against `ink_limit` percent: of its
    `pixels`, `over` are beyond the limit and its tolerance, `top` is the largest total ink
    (0–1020); `unmeasured`: too large to measure (its filters), else None. A picture that is
    not CMYK, or cannot be decoded, has no pixels measured."""
    width: int
    height: int
    ink_limit: float
    over: int = 0
    pixels: int = 0
    top: int = 0
    unmeasured: str | None = None

    def as_json(self) -> str:
        from dataclasses import asdict

        return json.dumps(asdict(self), sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> "InkMeasure | None":
        """The measure written by `as_json`; None for anything else."""
        try:
            d = json.loads(text)
            m = cls(**d)
        except (ValueError, TypeError):
            return None
        ints = (m.width, m.height, m.over, m.pixels, m.top)
        if not all(type(v) is int and v >= 0 for v in ints) or m.over > m.pixels \
                or type(m.ink_limit) not in (int, float) \
                or not (m.unmeasured is None or type(m.unmeasured) is str):
            return None
        return m


# In the key of a measure kept between runs (layout/output/images.py): the measuring changed.
INK_MEASURE_VERSION = 1


def image_key(xo: Stream) -> str | None:
    """`layout.output.images.stream_key` of an image XObject: a hash of its exact compressed
    bytes and of the entries that decide how they decode; None for an image with entries the
    key does not cover (decode parameters, masks) or that cannot be read."""
    from layout.output.images import stream_key

    if any(k in xo for k in ("/DecodeParms", "/DP", "/ImageMask", "/Mask")):
        return None
    w, h, bpc, cs = (xo.get(k) for k in ("/Width", "/Height", "/BitsPerComponent",
                                          "/ColorSpace"))
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (w, h, bpc)) \
            or not isinstance(cs, Name):
        return None
    try:
        decode = [float(v) for v in xo.Decode] if "/Decode" in xo else None
        return stream_key(xo.read_raw_bytes(), w, h, bpc, str(cs), _filters_of(xo), decode)
    except Exception:  # noqa: BLE001
        return None


def measure_image_ink(xo: Stream | None, make, ink_limit: float) -> InkMeasure:
    """The total ink of a CMYK image's pixels against `ink_limit` percent: the image XObject
    `xo` (None: an inline image), `make()` giving its pikepdf image. A pure function of the
    stream's bytes and decoding entries (and the limit), so the build keeps the measure of a
    photo it separated, by `image_key`, and its preflight need not decode it again."""
    limit = (ink_limit + INK_TOLERANCE_PIXEL) / 100.0 * 255.0   # a pixel over it is over
    try:
        pimg = make()
        none = InkMeasure(pimg.width, pimg.height, ink_limit)
        cs = pimg.colorspace
        if cs != "/DeviceCMYK" and not (pimg.icc is not None and pimg.mode == "CMYK"):
            if pimg.mode != "CMYK":
                return none
        if xo is not None:
            streamed = _streamed_ink(xo, pimg, limit)
            if streamed is not None:
                return InkMeasure(pimg.width, pimg.height, ink_limit, *streamed)
        big = pimg.width * pimg.height > INK_DECODE_PIXELS
        if big and xo is not None and _filters_of(xo) == ["/DCTDecode"] \
                and "/Decode" not in xo:
            im = _jpeg_sample(xo.read_raw_bytes(), pimg.width * pimg.height)
        elif big:
            return InkMeasure(pimg.width, pimg.height, ink_limit, unmeasured=" ".join(
                _filters_of(xo)) if xo is not None else "")
        else:
            try:
                im = pimg.as_pil_image(apply_mask=False)
            except TypeError:   # older pikepdf
                im = pimg.as_pil_image()
    except Exception:  # noqa: BLE001 - images we cannot decode are not measured
        return InkMeasure(0, 0, ink_limit)
    if im.mode != "CMYK":
        return none
    import numpy as np

    # Total ink per pixel in 0..1020 (4 × 255), compared in integers: a float image of a
    # broadsheet photo costs 0.1 s, this a fifth of it.
    raw = np.asarray(im, dtype=np.uint8)
    if not raw.size:
        return none
    a = raw.sum(axis=2, dtype=np.uint16)
    return InkMeasure(im.width, im.height, ink_limit, int(np.count_nonzero(a > limit)), a.size,
                      int(a.max()))


def _streamed_ink(xo: Stream, pimg, limit: float) -> tuple[int, int, int] | None:
    """(over, pixels, top) of an 8-bit CMYK image stored raw or Flate-compressed without a
    predictor, inflated in pieces: exact, in bounded memory. None: not such an image."""
    import zlib

    import numpy as np

    filters = _filters_of(xo)
    if pimg.bits_per_component != 8 or filters not in ([], ["/FlateDecode"]) \
            or any(k in xo for k in ("/Decode", "/DecodeParms", "/DP")):
        return None
    raw = xo.read_raw_bytes()
    if filters:
        inflate = zlib.decompressobj()
        pieces = _inflated(inflate, raw)
    else:
        pieces = (raw[i:i + INK_PIECE] for i in range(0, len(raw), INK_PIECE))
    left, carry = pimg.width * pimg.height * 4, b""
    over = pixels = top = 0
    for piece in pieces:
        piece = carry + piece[:left]
        left -= len(piece) - len(carry)
        cut = len(piece) - len(piece) % 4
        carry = piece[cut:]
        a = np.frombuffer(piece, dtype=np.uint8, count=cut).reshape(-1, 4)
        if a.size:
            t = a.sum(axis=1, dtype=np.uint16)
            over += int(np.count_nonzero(t > limit))
            pixels += len(t)
            top = max(top, int(t.max()))
        if left <= 0:
            break
    return over, pixels, top


def _inflated(inflate, raw: bytes):
    """The inflated bytes of `raw` in pieces of at most INK_PIECE bytes."""
    data = raw
    while data:
        yield inflate.decompress(data, INK_PIECE)
        data = inflate.unconsumed_tail
    yield inflate.flush()


def _jpeg_sample(raw: bytes, pixels: int):
    """A CMYK JPEG decoded at the DCT scale (½, ¼, ⅛) that brings it to INK_DECODE_PIXELS or
    fewer: its pixels are the means of 2×2 to 8×8 blocks, so a few dark pixels in a light area
    weigh less than in the full image (documented in docs/print.md)."""
    import io

    from PIL import Image

    im = Image.open(io.BytesIO(raw))
    scale = next((s for s in (2, 4, 8) if pixels / (s * s) <= INK_DECODE_PIXELS), 8)
    im.draft(im.mode, (max(1, im.width // scale), max(1, im.height // scale)))
    im.load()
    return im


def _rich_black(cs: str, v: tuple) -> bool:
    return cs == "/DeviceCMYK" and len(v) == 4 and v[3] >= BLACK_K and any(v[:3])


def _inks(cs: str, v: tuple) -> int:
    """How many process inks a DeviceCMYK colour uses (other spaces: 1)."""
    return sum(1 for x in v if x > 0) if cs == "/DeviceCMYK" and len(v) == 4 else 1


def _colour(cs: str, v: tuple) -> str:
    if cs == "/DeviceCMYK" and len(v) == 4:
        return "white (0 0 0 0 k)" if not any(v) else f"CMYK {' '.join(_num(x) for x in v)}"
    if cs == "/DeviceGray" and len(v) == 1:
        return f"grey {_num(v[0])}" + (" (white)" if v[0] >= 1 else "")
    return f"{cs[1:] if cs.startswith('/') else cs} {' '.join(_num(x) for x in v)}".strip()


def _isnum(x: Any) -> bool:
    try:
        float(x)
        return True
    except (TypeError, ValueError):
        return False


def _num(x: Any) -> str:
    try:
        return f"{float(x):g}"
    except (TypeError, ValueError):
        return str(x)


# --------------------------------------------------------------------------- CLI
@click.command("preflight")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--profile", type=click.Choice(["x1a", "x4"]), default="x1a", show_default=True,
              help="PDF/X-1a:2001 or PDF/X-4")
@click.option("--format", "format", type=click.Choice(["text", "json"]), default="text",
              show_default=True)
@click.option("--min-ppi", type=int, default=MIN_PPI, show_default=True,
              help="minimum effective image resolution")
@click.option("--ink-limit", type=float, default=None,
              help="total area coverage limit, percent (default: the limit of the output "
                   "condition the file names, such as 220 for WAN-IFRAnewspaper26v5, else 240)")
@click.option("--proof", is_flag=True,
              help="FILE is a proof (paiban build --proof): its proof marks are expected")
def preflight_command(file: str, profile: str, format: str, min_ppi: int = MIN_PPI,
                      ink_limit: float | None = None, proof: bool = False) -> None:
    """Check FILE against PDF/X and the printer's rules. Exit 0 pass, 1 fail."""
    from ..errors import PaibanError

    problem = unreadable(file)
    if problem:                      # not a PDF to judge: the command line is wrong (exit 2)
        raise PaibanError(problem, where=file,
                          hint="give paiban preflight a PDF file, such as the one paiban build wrote")
    rep = preflight(file, profile, min_ppi=min_ppi, ink_limit=ink_limit, proof=proof)
    click.echo(rep.to_json() if format == "json" else rep.to_text(), nl=False)
    raise SystemExit(rep.exit_code)
