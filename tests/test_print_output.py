"""The seed page and the example, as a print shop gets them (issue 5): PDF/X-1a and PDF/X-4
both pass the preflight, builds are byte-identical, an Extension B name extracts."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest

from layout.build import build_issue
from layout.checks.preflight import preflight

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"
EXAMPLE = ROOT / "examples" / "tabloid-4pages.yaml"


def _with_print(src: Path, tmp: Path, settings: str) -> Path:
    """A copy of an issue file in `tmp` with a `print:` section, its photos still found."""
    text = src.read_text(encoding="utf-8")
    for folder in ("photos/", "images/"):
        text = text.replace(f"file: {folder}", f"file: {src.parent / folder}/")
        text = text.replace(f"group: [{folder}", f"group: [{src.parent / folder}/")
    out = tmp / src.name
    out.write_text(text + "\nprint:\n" + settings, encoding="utf-8")
    return out


@pytest.mark.parametrize("standard", ["x1a", "x4"])
@pytest.mark.parametrize("src", [SEED, EXAMPLE], ids=["seed", "tabloid"])
def test_passes_preflight(tmp_path, src, standard):
    issue = _with_print(src, tmp_path, f"  standard: {standard}\n")
    out = tmp_path / "out.pdf"
    build_issue(issue, out)
    rep = preflight(out, standard)
    assert rep.passed, rep.to_text()
    pdf = pikepdf.open(out)
    assert pdf.pdf_version == ("1.3" if standard == "x1a" else "1.6")
    assert len(pdf.Root.OutputIntents) == 1
    for page in pdf.pages:
        assert "/TrimBox" in page and "/BleedBox" in page
    if shutil.which("pdfinfo"):
        info = subprocess.run(["pdfinfo", str(out)], capture_output=True, text=True).stdout
        assert ("PDF/X-1:2001" if standard == "x1a" else "PDF/X-4") in info


def test_bleed_and_crop_marks(tmp_path):
    issue = _with_print(SEED, tmp_path, "  bleed: 3mm\n  crop_marks: true\n")
    out = tmp_path / "out.pdf"
    build_issue(issue, out)
    assert preflight(out, "x1a").passed
    pdf = pikepdf.open(out)
    page = pdf.pages[0]
    media, bleed, trim = ([float(v) for v in page[k]] for k in ("/MediaBox", "/BleedBox", "/TrimBox"))
    assert media[2] - media[0] > bleed[2] - bleed[0] > trim[2] - trim[0]
    assert abs((bleed[2] - bleed[0]) - (trim[2] - trim[0]) - 2 * 3 * 72 / 25.4) < 0.01


def test_two_builds_are_byte_identical(tmp_path):
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    build_issue(SEED, a)
    build_issue(SEED, b)
    assert a.read_bytes() == b.read_bytes()
    # Negative control: another date is another file.
    other = tmp_path / "other.yaml"
    other.write_text(_with_print(SEED, tmp_path, "  standard: x1a\n").read_text(encoding="utf-8")
                     .replace("date: 2023-03-17", "date: 2023-03-18"), encoding="utf-8")
    c = tmp_path / "c.pdf"
    build_issue(other, c)
    assert c.read_bytes() != a.read_bytes()


def test_extension_b_name_round_trips(tmp_path):
    """𠮷 (U+20BB7, beyond the BMP) in a byline extracts as itself."""
    issue = tmp_path / "extb.yaml"
    issue.write_text(
        "paper: 测试报\ndate: 2023-03-17\npages:\n  - number: 2\n    section: 要闻\n"
        "    articles:\n      - id: extb\n        module: {column: 1, span: 2, line: 1, lines: 20}\n"
        "        headline: 吉祥如意\n        paragraphs: [𠮷野家门店今日开业，顾客盈门。]\n"
        "        byline: 记者 𠮷田\n", encoding="utf-8")
    out = tmp_path / "extb.pdf"
    result = build_issue(issue, out)
    assert result.fits and not any(r.missing for p in result.pages for r in p.reports)
    from pypdf import PdfReader
    text = PdfReader(out).pages[0].extract_text()
    assert "𠮷野家" in text and "𠮷田" in text
    if shutil.which("pdftotext"):
        raw = subprocess.run(["pdftotext", "-enc", "UTF-8", str(out), "-"], capture_output=True,
                             text=True).stdout
        assert "𠮷" in raw


def test_printer_file(tmp_path):
    """`print:` may name a printer file: the shop's settings kept once for every issue."""
    (tmp_path / "printer.yaml").write_text("standard: x4\nink_limit: 220\n", encoding="utf-8")
    issue = tmp_path / "seed.yaml"
    text = _with_print(SEED, tmp_path, "  standard: x1a\n").read_text(encoding="utf-8")
    issue.write_text(text.replace("\nprint:\n  standard: x1a\n", "\nprint: printer.yaml\n"),
                     encoding="utf-8")
    out = tmp_path / "out.pdf"
    build_issue(issue, out)
    assert pikepdf.open(out).pdf_version == "1.6"
    assert preflight(out, "x4", ink_limit=220).passed
    (tmp_path / "printer.yaml").write_text("standard: x9\n", encoding="utf-8")
    from layout.errors import IssueFileError
    with pytest.raises(IssueFileError, match="printer.yaml"):
        build_issue(issue, tmp_path / "bad.pdf")
    assert not (tmp_path / "bad.pdf").exists()


def test_own_preflight_catches_a_photo_changed_after_separation(tmp_path, monkeypatch):
    """The build's preflight does not decode the photos it separated itself (it knows their
    ink), but a photo stream that is not byte-identical to what was separated — here one
    replaced by full ink after finishing — is decoded and stops the build."""
    import io
    import zlib

    import layout.output.pdfx as pdfx
    from layout.errors import InternalError

    real = pdfx.finish

    def finish_then_spoil(data, **kw):
        pdf = pikepdf.open(io.BytesIO(real(data, **kw)))
        img = next(o for o in pdf.objects if isinstance(o, pikepdf.Stream)
                   and o.get("/Subtype") == pikepdf.Name.Image)
        img.write(zlib.compress(b"\xff" * (int(img.Width) * int(img.Height) * 4)),
                  filter=pikepdf.Name.FlateDecode)
        if "/Decode" in img:            # a CMYK JPEG's inverting /Decode would make it no ink
            del img.Decode
        buf = io.BytesIO()
        pdf.save(buf, stream_decode_level=pikepdf.StreamDecodeLevel.none,
                 object_stream_mode=pikepdf.ObjectStreamMode.disable)
        return buf.getvalue()

    monkeypatch.setattr(pdfx, "finish", finish_then_spoil)
    out = tmp_path / "out.pdf"
    with pytest.raises(InternalError, match="ink-limit"):
        build_issue(SEED, out)
    assert not out.exists()


def test_photo_cache_keeps_the_largest_ink(tmp_path, monkeypatch):
    """The photo cache keeps, with the pixels, their largest total ink as measured on them;
    a stream read back from disk is the one that was made."""
    import zlib

    import layout.output.images as images

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path))
    photo = ROOT / "issues" / "photos" / "gongyi.jpg"
    made = images.photo_stream(photo, 200, 150, ink_limit=240)
    assert made.max_ink == images.max_total_ink(zlib.decompress(made.data))
    assert made.max_ink <= 240 / 100 * 255
    monkeypatch.setattr(images, "_streams", {})            # a new process: from the disk
    again = images.photo_stream(photo, 200, 150, ink_limit=240)
    assert again is not made and again == made and again.key == made.key
