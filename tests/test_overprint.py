"""Only 100 % K overprints (issue 11, defect 3, and the "Ink" invariant).

The folio 第N版 is white type reversed out of a black block. With overprint on for the whole
page (OP true, OPM 1) a white fill changes no plate, so the plates showed a solid black tab.
Ghostscript's overprint simulation shows what the plates get; the preflight's "overprint" rule
refuses white or colour painted with overprint on, and warns of thin rules in two inks.
"""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner
from pikepdf import Dictionary

from layout.checks.preflight import preflight

GS = shutil.which("gs")


# --------------------------------------------------------------------------- Ghostscript
def render_cmyk(pdf: Path, overprint: str, page: int, out_dir: Path) -> np.ndarray:
    """Page `page` (1-based) at 72 dpi (1 px = 1 pt) as C, M, Y, K bytes."""
    from PIL import Image

    out = out_dir / f"{pdf.stem}-{page}-{overprint}.tif"
    subprocess.run([GS, "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc", "-r72",
                    f"-dOverprint=/{overprint}", f"-dFirstPage={page}", f"-dLastPage={page}",
                    f"-sOutputFile={out}", str(pdf)], check=True, timeout=120)
    with Image.open(out) as im:
        assert im.mode == "CMYK"
        return np.asarray(im).copy()


def white_chars(pdf: Path, page: int) -> list[dict]:
    with pdfplumber.open(pdf) as doc:
        return [c for c in doc.pages[page - 1].chars
                if tuple(c["non_stroking_color"] or ()) == (0, 0, 0, 0)]


def assert_plates_match_the_plain_render(pdf: Path, page: int, tmp_path: Path) -> np.ndarray:
    """The page's plates (the simulated render), once checked against the plain render."""
    plain = render_cmyk(pdf, "disable", page, tmp_path)
    plates = render_cmyk(pdf, "simulate", page, tmp_path)
    assert plain.shape == plates.shape
    differ = (plain != plates).any(axis=2)
    # Overprinting 100 % K over something changes the pixel's C, M, Y only: K stays solid.
    assert (plain[differ][:, 3] == 255).all() and (plates[differ][:, 3] == 255).all(), (
        f"{int(differ.sum())} pixels change under overprint simulation where no solid K is")
    return plates


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed")
def test_seed_folio_is_white_on_the_plates(seed_pdf, tmp_path):
    path, _ = seed_pdf
    plates = assert_plates_match_the_plain_render(path, 1, tmp_path)
    folio = white_chars(path, 1)
    assert "".join(c["text"] for c in folio) == "第3版"
    x0, x1 = int(min(c["x0"] for c in folio)), int(max(c["x1"] for c in folio)) + 1
    y0, y1 = int(min(c["top"] for c in folio)), int(max(c["bottom"] for c in folio)) + 1
    tab = plates[y0:y1, x0:x1]
    white = (tab == 0).all(axis=2).sum()
    black = (tab[:, :, 3] == 255).sum()
    # the type is open paper on every plate, inside a solid black block
    assert white > 0.1 * tab[:, :, 0].size and black > 0.3 * tab[:, :, 0].size


@pytest.mark.skipif(GS is None, reason="Ghostscript (gs) is not installed")
@pytest.mark.parametrize("page", [1, 2, 3, 4])
def test_example_plates_match_the_plain_render(example_pdf, tmp_path, page):
    """The tabloid: a red masthead on the front, folios reversed out on the other pages."""
    path, _, _ = example_pdf
    assert_plates_match_the_plain_render(path, page, tmp_path)


# --------------------------------------------------------------------------- preflight rules
def one_page_pdf(path: Path, content: bytes, **states: dict) -> Path:
    """A one-page PDF with this content stream and these ExtGStates (name → entries)."""
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    page.obj.Contents = pdf.make_stream(content)
    page.obj.Resources = Dictionary(ExtGState=Dictionary(
        {f"/{name}": Dictionary(entries) for name, entries in states.items()}))
    pdf.save(path)
    return path


OP = {"/OP": True, "/op": True, "/OPM": 1}
KO = {"/OP": False, "/op": False}


def ink_findings(path: Path, **kw) -> list[tuple[str, str]]:
    return sorted((f.kind, f.severity) for f in preflight(path, **kw).findings
                  if f.kind in ("overprint", "thin-rule", "proof-marks"))


@pytest.mark.parametrize("content, found", [
    (b"/OP gs 0 0 0 0 k 10 10 50 20 re f", [("overprint", "error")]),          # white fill
    (b"/OP gs 0 0 0 1 k 10 10 50 20 re f", []),                               # 100 % K
    (b"/OP gs 1 g 10 10 50 20 re f", [("overprint", "error")]),                # white, grey
    (b"/OP gs 0 g 10 10 50 20 re f", []),
    (b"/OP gs 0 0 0 0.5 k 10 10 50 20 re f", [("overprint", "error")]),        # 50 % K
    (b"/OP gs 0 1 1 0 K 2 w 10 10 m 100 10 l S", [("overprint", "error")]),    # red stroke
    (b"/OP gs /KO gs 0 0 0 0 k 10 10 50 20 re f", []),                         # knocked out
    (b"q /OP gs Q 0 0 0 0 k 10 10 50 20 re f", []),                            # restored by Q
    (b"/OP gs 0 0 0 1 k 0 0 0 0 K 1 Tr BT /F1 9 Tf (a) Tj ET", [("overprint", "error")]),
    (b"/OP gs 0 0 0 1 k 0 0 0 0 K BT /F1 9 Tf (a) Tj ET", []),                 # filled only
])
def test_overprint_rule(tmp_path, content, found):
    path = one_page_pdf(tmp_path / "op.pdf", content, OP=OP, KO=KO)
    assert ink_findings(path) == found


def test_overprint_message_names_the_colour(tmp_path):
    path = one_page_pdf(tmp_path / "op.pdf", b"/OP gs 0 0 0 0 k 10 10 50 20 re f", OP=OP)
    (f,) = [f for f in preflight(path).findings if f.kind == "overprint"]
    assert f.page == 1 and "white (0 0 0 0 k)" in f.message and "op true, OPM 1" in f.message


@pytest.mark.parametrize("content, found", [
    (b"0 1 1 0 K 0.5 w 10 10 m 150 10 l S", [("thin-rule", "warning")]),        # M+Y 0.5 pt
    (b"0 1 1 0 K 1 w 10 10 m 150 10 l S", []),                                 # 1 pt
    (b"0 1 0 0 K 0.5 w 10 10 m 150 10 l S", []),                               # one ink
    (b"0 0 0 1 K 0.3 w 10 10 m 150 10 l S", []),                               # a K hairline
    (b"q 0.25 0 0 0.25 0 0 cm 0 1 1 0 K 2 w 10 10 m 150 10 l S Q", [("thin-rule", "warning")]),
])
def test_thin_rule_in_two_inks_is_a_warning(tmp_path, content, found):
    path = one_page_pdf(tmp_path / "rule.pdf", content)
    assert ink_findings(path) == found


def test_proof_marks_are_refused_in_a_print_file(tmp_path):
    content = b"/PaibanProof BMC 0 1 1 0 K 2 w 10 10 m 150 10 l S EMC"
    path = one_page_pdf(tmp_path / "marked.pdf", content)
    assert ink_findings(path) == [("proof-marks", "error")]
    assert ink_findings(path, proof=True) == []
    other = one_page_pdf(tmp_path / "other.pdf", content.replace(b"PaibanProof", b"Artifact"))
    assert ink_findings(other) == []


# --------------------------------------------------------------------------- our own output
def test_own_output_has_no_ink_findings(seed_pdf, example_pdf):
    assert ink_findings(seed_pdf[0]) == []
    assert ink_findings(example_pdf[0]) == []


def test_overprint_follows_the_colour(seed_pdf):
    """In the seed's content stream every white fill is painted with overprint off and every
    100 % K fill with it on (the ExtGStates the writer switches between)."""
    with pikepdf.open(seed_pdf[0]) as pdf:
        page = pdf.pages[0]
        states = page.obj.Resources.ExtGState
        on, fills = False, set()
        for operands, op in pikepdf.parse_content_stream(page, "gs k TJ"):
            if str(op) == "gs":
                on = bool(states[str(operands[0])].get("/op", False))
            elif str(op) == "k":
                colour = tuple(float(x) for x in operands)
            else:
                fills.add((colour, on))
    assert fills == {((0.0, 0.0, 0.0, 1.0), True), ((0.0, 0.0, 0.0, 0.0), False)}


def test_every_object_overprinting_fails_the_build(tmp_path, monkeypatch):
    """The invariant on every build: were the writer to overprint every object again, the
    build's own preflight stops it (exit 3, the rule named) and nothing is written."""
    import layout.output.ink as ink
    from layout.cli import main

    monkeypatch.setattr(ink, "overprints", lambda colour: True)
    out = tmp_path / "seed.pdf"
    seed = Path(__file__).resolve().parents[1] / "issues" / "guancheng-2023-03-17.yaml"
    r = CliRunner().invoke(main, ["build", str(seed), "-o", str(out)])
    assert r.exit_code == 3 and "[overprint]" in r.output and "white (0 0 0 0 k)" in r.output
    assert not out.exists()
