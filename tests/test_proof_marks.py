"""`paiban build` never loses text in silence: what fits is set, the overflow is reported and
the command exits 1 unless --allow-overflow; the proof (`build --proof FILE`, `check --pdf FILE`)
tags it in red in the margin ("超版 超N行 约M字"). The print file never carries a proof mark
(issue 11, defect 4): overset text is simply not printed, and the preflight refuses a print file
with marked content /PaibanProof."""
from __future__ import annotations

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from issue_fixtures import DECK_ROWS_ONE_COLUMN, article, han, issue, paragraph_chars, write
from layout.cli import main
from layout.model.geometry import PRESETS

GEO = PRESETS["broadsheet"]
SLOTS = 10 - DECK_ROWS_ONE_COLUMN


def build(*args):
    return CliRunner().invoke(main, ["build", *map(str, args)])


def words(pdf_path):
    with pdfplumber.open(pdf_path) as pdf:
        page = pdf.pages[0]
        return page.extract_words(extra_attrs=["non_stroking_color", "size", "tag"]), page


def marked_content_tags(pdf_path) -> list[str]:
    """The marked-content tags (BMC/BDC) in every page's content stream."""
    with pikepdf.open(pdf_path) as pdf:
        return [str(operands[0]) for page in pdf.pages
                for operands, op in pikepdf.parse_content_stream(page, "BMC BDC")]


@pytest.fixture
def two_modules(tmp_path):
    """'left' (column 1) one line over; 'right' (column 8, lines 21–40) three lines over."""
    arts = [article("left", (1, 1, 1, 10), han(paragraph_chars(SLOTS + 1))),
            article("right", (8, 1, 21, 10), han(paragraph_chars(SLOTS + 3), 30))]
    return write(tmp_path, issue(arts))


def test_overflow_exits_1_and_still_writes_the_pdf(two_modules, tmp_path):
    out = tmp_path / "out.pdf"
    r = build(two_modules, "-o", out)
    assert r.exit_code == 1
    assert out.read_bytes().startswith(b"%PDF")
    assert "left: 超 1 行，约 13 字" in r.stderr and "right: 超 3 行，约 39 字" in r.stderr
    r = build(two_modules, "-o", out, "--allow-overflow")
    assert r.exit_code == 0


@pytest.mark.parametrize("allow", [False, True])
def test_print_file_has_no_proof_marks(two_modules, tmp_path, allow):
    """Defect 4: the 超版 tag went to the plate. The print file is clean, with or without
    --allow-overflow, and passes the preflight's proof-marks rule."""
    from layout.checks.preflight import preflight

    out = tmp_path / "print.pdf"
    r = build(two_modules, "-o", out, *(["--allow-overflow"] if allow else []))
    assert r.exit_code == (0 if allow else 1)
    ws, _ = words(out)
    assert ws, "the text that fits is printed"
    assert not [w for w in ws if "超" in w["text"]
                or tuple(w["non_stroking_color"] or ()) == (0, 1, 1, 0)]
    assert "/PaibanProof" not in marked_content_tags(out)
    assert "proof-marks" not in {f.kind for f in preflight(out).findings}


def test_fitting_issue_exits_0_without_marks(tmp_path):
    path = write(tmp_path, issue([article("ok", (1, 1, 1, 10), han(paragraph_chars(SLOTS)))]))
    out = tmp_path / "ok.pdf"
    assert build(path, "-o", out).exit_code == 0
    ws, _ = words(out)
    assert not any("超版" in w["text"] for w in ws)


def test_tags_in_the_margin_at_the_module_foot(two_modules, tmp_path):
    out = tmp_path / "proof.pdf"
    r = build(two_modules, "-o", tmp_path / "print.pdf", "--proof", out)
    assert r.exit_code == 1 and f"wrote proof {out}" in r.stdout
    ws, page = words(out)
    tags = [w for w in ws if w["text"] == "超版"]
    assert len(tags) == 2
    left, right = sorted(tags, key=lambda w: w["x0"])
    type_left, type_right = GEO.margin_left, GEO.margin_left + GEO.type_width
    # Outside the type area, on the module's side of the page.
    assert left["x1"] < type_left and right["x0"] > type_right
    assert 0 <= left["x0"] and right["x1"] <= float(page.width)
    # Level with the module's bottom edge: the tag ends at it (pdfplumber's y runs down).
    for tag, module in ((left, (1, 10)), (right, (21, 10))):
        foot = GEO.line_top(module[0] + module[1])
        figures = [w for w in ws if abs(w["x0"] - tag["x0"]) < 8 and 0 < w["top"] - tag["top"] < 25]
        assert figures, "the figure lines sit under 超版"
        assert foot - 30 < tag["top"] < foot
        assert max(w["bottom"] for w in figures) <= foot + 0.5
    texts = {w["text"] for w in ws}
    assert {"超1行", "约13字", "超3行", "约39字"} <= texts
    # CMYK red, inside the proof's marked content.
    for w in ws:
        if w["text"] in ("超版", "超1行", "约13字"):
            assert tuple(w["non_stroking_color"]) == (0, 1, 1, 0)
            assert w["tag"] == "PaibanProof"


def test_proof_is_refused_as_a_print_file_and_passes_as_a_proof(two_modules, tmp_path):
    from layout.checks.preflight import preflight

    proof = tmp_path / "proof.pdf"
    assert build(two_modules, "-o", tmp_path / "print.pdf", "--proof", proof).exit_code == 1
    assert marked_content_tags(proof).count("/PaibanProof") == 1
    as_print = preflight(proof)
    assert [f.kind for f in as_print.errors] == ["proof-marks"]
    r = CliRunner().invoke(main, ["preflight", str(proof)])
    assert r.exit_code == 1 and "[proof-marks]" in r.output
    as_proof = preflight(proof, proof=True)
    assert as_proof.passed and not as_proof.findings
    assert CliRunner().invoke(main, ["preflight", "--proof", str(proof)]).exit_code == 0


def test_check_pdf_writes_a_proof(two_modules, tmp_path):
    pdf = tmp_path / "check-proof.pdf"
    r = CliRunner().invoke(main, ["check", str(two_modules), "--pdf", str(pdf)])
    assert r.exit_code == 1
    ws, _ = words(pdf)
    assert sum(w["text"] == "超版" and w["tag"] == "PaibanProof" for w in ws) == 2


def test_proof_must_be_a_file_of_its_own(two_modules, tmp_path):
    out = tmp_path / "same.pdf"
    r = build(two_modules, "-o", out, "--proof", out)
    assert r.exit_code == 2 and "--proof" in r.output and "the print file" in r.output
    assert not out.exists()
    before = two_modules.read_bytes()
    r = build(two_modules, "-o", out, "--proof", two_modules)
    assert r.exit_code == 2 and "the issue file" in r.output
    assert two_modules.read_bytes() == before


def test_a_proof_mark_in_the_print_file_fails_the_build(two_modules, tmp_path, monkeypatch):
    """The invariant on every build: were the writer to put the marks into the print file, the
    build's own preflight stops it (exit 3, the rule named) and nothing is written."""
    import layout.output.pdf as pdf

    real = pdf.render_pdf
    monkeypatch.setattr(pdf, "render_pdf", lambda *a, **k: real(*a, **{**k, "proof": True}))
    out = tmp_path / "print.pdf"
    r = build(two_modules, "-o", out)
    assert r.exit_code == 3 and "[proof-marks]" in r.output
    assert not out.exists()


def test_what_fits_is_set(two_modules, tmp_path):
    """The lines that fit are on the page; the tag says how much did not."""
    out = tmp_path / "out.pdf"
    build(two_modules, "-o", out)
    with pdfplumber.open(out) as pdf:
        chars = [c for c in pdf.pages[0].chars if abs(c["size"] - 9) < 0.01
                 and GEO.column_x(1) - 1 < c["x0"] < GEO.column_x(1) + GEO.column_width]
    text = "".join(c["text"] for c in sorted(chars, key=lambda c: (round(c["top"]), c["x0"])))
    assert han(paragraph_chars(SLOTS)) in text
    assert han(paragraph_chars(SLOTS + 1)) not in text


def test_tags_do_not_overlap(tmp_path):
    """Two overflowing modules ending on the same line on one side: the tags stack."""
    arts = [article("a", (1, 1, 1, 10), han(paragraph_chars(SLOTS + 1))),
            article("b", (2, 1, 1, 10), han(paragraph_chars(SLOTS + 2), 7))]
    path = write(tmp_path, issue(arts))
    out = tmp_path / "proof.pdf"
    build(path, "-o", tmp_path / "o.pdf", "--proof", out)
    ws, _ = words(out)
    tags = sorted((w for w in ws if w["text"] == "超版"), key=lambda w: w["top"])
    assert len(tags) == 2
    assert tags[1]["top"] - tags[0]["top"] > 20


def test_print_file_is_the_same_with_or_without_a_proof(two_modules, tmp_path):
    alone, beside = tmp_path / "alone.pdf", tmp_path / "beside.pdf"
    build(two_modules, "-o", alone)
    build(two_modules, "-o", beside, "--proof", tmp_path / "proof.pdf")
    assert alone.read_bytes() == beside.read_bytes()
    assert (tmp_path / "proof.pdf").read_bytes() != alone.read_bytes()


def test_missing_glyph_is_marked_in_the_proof_only(tmp_path):
    # issue 11, defect 5: a name with 𪚥 (U+2A6A5; 䶮 of issue 11 is bundled now, issue 15)
    # fails the build and the proof marks it
    arts = [article("name", (1, 2, 11, 20), "李𪚥同志" + han(40))]
    path = write(tmp_path, issue(arts))
    out, proof = tmp_path / "print.pdf", tmp_path / "proof.pdf"
    r = build(path, "-o", out, "--proof", proof, "--allow-overflow")
    assert r.exit_code == 1 and "U+2A6A5" in r.output
    ws, _ = words(proof)
    marked = {w["text"] for w in ws if w["tag"] == "PaibanProof"}
    assert {"缺字", "U+2A6A5"} <= marked
    assert "/PaibanProof" not in marked_content_tags(out)
