"""The seed page, end to end (issue 2): read back from the PDF, not from internals."""
from __future__ import annotations

import shutil
import subprocess

import pikepdf
import pytest
from pypdf import PdfReader

from layout.text.byline import byline_groups
from layout.model.geometry import MM
from layout.text.classify import no_end, no_start

from pdfread import lines_of


def _squash(s: str) -> str:
    return "".join(s.split()).replace("\u3000", "")


def _article_texts(issue):
    """Each article's text in reading order: deck, captions, body (dateline first), byline."""
    out = {}
    for art in issue.pages[0].articles:
        parts = [art.deck.kicker, art.deck.headline, art.deck.subhead]
        parts += [ph.caption + ph.credit for ph in art.photos]
        parts += [art.dateline] + list(art.paragraphs) + [art.byline]
        out[art.id] = [_squash(p) for p in parts if p]
    return out


def test_page_size_is_broadsheet(seed_pdf):
    path, _ = seed_pdf
    pdf = pikepdf.open(path)
    assert len(pdf.pages) == 1
    x0, y0, x1, y1 = (float(v) for v in pdf.pages[0].MediaBox)
    assert (x0, y0) == (0, 0)
    assert abs(x1 - 390 * MM) < 0.01 and abs(y1 - 550 * MM) < 0.01


def test_every_font_embedded(seed_pdf):
    path, _ = seed_pdf
    pdf = pikepdf.open(path)
    seen = 0
    for page in pdf.pages:
        for name, font in page.Resources.Font.items():
            fonts = [font]
            if "/DescendantFonts" in font:
                fonts = list(font.DescendantFonts)
            for f in fonts:
                fd = f.get("/FontDescriptor")
                assert fd is not None, f"{name} ({f.get('/BaseFont')}) has no FontDescriptor"
                assert any(k in fd for k in ("/FontFile", "/FontFile2", "/FontFile3")), \
                    f"{name} ({f.get('/BaseFont')}) is not embedded"
                assert "/ToUnicode" in font, f"{name} has no ToUnicode map"
                seen += 1
    assert seen >= 4
    names = {str(f.get("/BaseFont")) for p in pdf.pages for f in p.Resources.Font.values()}
    assert not any("Helvetica" in n for n in names)
    assert any("NotoSerifCJK" in n for n in names)
    assert any("WenKai" in n for n in names)


def test_text_round_trip_in_reading_order(seed_pdf, seed_issue):
    """pypdf reads the content stream in order: every article comes back whole and in order."""
    path, _ = seed_pdf
    text = _squash(PdfReader(path).pages[0].extract_text())
    for aid, parts in _article_texts(seed_issue).items():
        pos = 0
        for part in parts:
            at = text.find(part, pos)
            assert at >= 0, f"{aid}: {part[:20]}… not found (in order) in the extracted text"
            pos = at + len(part)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler-utils not installed")
def test_pdftotext_reading_order(seed_pdf, seed_issue):
    path, _ = seed_pdf
    raw = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"],
                         capture_output=True, text=True, check=True).stdout
    text = _squash(raw)
    for aid, parts in _article_texts(seed_issue).items():
        for part in parts[-3:]:          # body end and byline: the flow came through
            assert part in text, f"{aid}: {part[:20]}… missing from pdftotext -raw"
        body = "".join(parts)
        assert sum(1 for p in parts if p in text) == len(parts), aid
        assert len(body) > 100


def test_no_prohibited_mark_at_line_start_or_end(seed_chars):
    chars, _, _ = seed_chars
    bad = []
    for line in lines_of(chars, size=9.0):
        s = "".join(c["text"] for c in line)
        if s[0] in no_start("basic"):
            bad.append(("start", s))
        if s[-1] in no_end("basic"):
            bad.append(("end", s))
    assert not bad, bad[:5]


def test_glyphs_inside_their_modules(seed_chars, seed_issue):
    """The characters inside each module's rectangle are that article's text, all of it."""
    chars, _, height = seed_chars
    page = seed_issue.pages[0]
    geo = page.geometry
    texts = _article_texts(seed_issue)
    claimed = 0
    for art in page.articles:
        m = art.module
        x0, x1 = geo.column_x(m.column), geo.column_x(m.column) + geo.span_width(m.span)
        top, bottom = geo.line_top(m.line), geo.line_top(m.line + m.lines)
        # A line-end mark keeps only its inked half (½ em): its blank half may pass the edge.
        inside = [c for c in chars
                  if x0 - 0.01 <= c["x0"]
                  and c["x1"] - (c["size"] / 2 if c["text"] in "，。、；：？！”’）》」』" else 0) <= x1 + 0.01
                  and top - 0.01 <= c["top"] and height - c["baseline"] <= bottom + 0.01]
        claimed += len(inside)
        got = sorted(c["text"] for c in inside if c["text"].strip() and c["text"] != "\u3000")
        want = sorted("".join(texts[art.id]))
        assert got == want, f"{art.id}: {len(got)} chars inside its module, text has {len(want)}"
    # Nothing else on the page but furniture above the type area and the ads' labels.
    outside = [c for c in chars if height - c["baseline"] > geo.margin_top]
    labels = sum(len(ad.label) for ad in page.ads)
    assert claimed + labels == len(outside)


def test_body_baselines_on_one_grid(seed_chars, seed_issue):
    chars, _, height = seed_chars
    geo = seed_issue.pages[0].geometry
    body = [c for c in chars if abs(c["size"] - geo.body_size) < 0.01
            and height - c["baseline"] > geo.margin_top]
    assert len(body) > 2000
    first = geo.margin_top + (geo.line_pitch - geo.body_size) / 2 + 0.88 * geo.body_size
    off = set()
    for c in body:
        y = height - c["baseline"]
        k = (y - first) / geo.line_pitch
        assert abs(k - round(k)) * geo.line_pitch < 0.01, (c["text"], y)
        off.add(round(k))
    assert len(off) > 50


def test_justified_lines_end_on_the_column_edge(seed_chars, seed_issue):
    """Every body line that is not a paragraph's last ends flush with its column's right edge."""
    chars, _, _ = seed_chars
    geo = seed_issue.pages[0].geometry
    rights = [geo.column_x(c) + geo.column_width for c in range(1, geo.columns + 1)]
    serif = [c for c in chars if "Serif" in c["fontname"] and abs(c["size"] - 9) < 0.01]
    flush = ragged = 0
    for line in lines_of(serif, size=9.0):
        last = line[-1]
        edge = min(rights, key=lambda r: abs(r - last["x1"]))
        # A line-end mark sits in the left half of its em: its ink box is trimmed to ½ em.
        if abs(last["x1"] - edge) < 0.02 or (last["text"] in "，。、；：？！”’）》" and
                                             abs(last["x0"] + 4.5 - edge) < 0.02):
            flush += 1
        else:
            ragged += 1
    assert flush > 150
    assert ragged < flush * 0.2


def test_bylines_in_kai_flush_right(seed_chars, seed_issue):
    chars, _, _ = seed_chars
    geo = seed_issue.pages[0].geometry
    rights = [geo.column_x(c) + geo.column_width for c in range(1, geo.columns + 1)]
    kai = [c for c in chars if "WenKai" in c["fontname"] and abs(c["size"] - 9) < 0.01]
    text = "".join(c["text"] for c in kai)
    for art in seed_issue.pages[0].articles:
        for group in byline_groups(art.byline):
            assert _squash(group) in _squash(text)
    for line in lines_of(kai, size=9.0):
        s = "".join(c["text"] for c in line)
        if s.endswith("文/图") or s.endswith("刘博闻"):
            assert min(abs(r - line[-1]["x1"]) for r in rights) < 0.5, s


def _widows(chars, issue, height):
    """Columns of an article that open with the last, short line of a paragraph begun in the
    column before (a short, unindented body line under a full one): (article id, text)."""
    geo = issue.pages[0].geometry
    serif = [c for c in chars if "Serif" in c["fontname"] and abs(c["size"] - 9) < 0.01]

    def col_of(ln):
        return min(range(1, geo.columns + 1), key=lambda k: abs(geo.column_x(k) - ln[0]["x0"]))

    by_col = {}
    for line in lines_of(serif, size=9.0):
        by_col.setdefault(col_of(line), []).append(line)
    found = []
    for art in issue.pages[0].articles:
        m = art.module
        top, bottom = geo.line_top(m.line), geo.line_top(m.line + m.lines)
        cols = [[ln for ln in by_col.get(k, []) if top <= height - ln[0]["baseline"] <= bottom]
                for k in range(m.column, m.last_column + 1)]
        for prev, cur in zip(cols, cols[1:]):
            if not prev or not cur:
                continue
            first, before = cur[0], prev[-1]
            edge = geo.column_x(col_of(first)) + geo.column_width
            short = first[-1]["x1"] < edge - 9
            indented = first[0]["x0"] > geo.column_x(col_of(first)) + 1
            full = before[-1]["x1"] > geo.column_x(col_of(before)) + geo.column_width - 5
            if short and not indented and full:
                found.append((art.id, "".join(c["text"] for c in first)))
    return found


def test_no_paragraph_last_line_alone_at_a_column_top(seed_chars, seed_issue):
    """孤行: no column of an article opens with a paragraph's last line — but where every
    re-setting that would mend it brings a loose line (issue 16)."""
    from clreq_specimen import only_loose_fixes

    from conftest import SEED
    chars, _, height = seed_chars
    found = _widows(chars, seed_issue, height)
    assert all(only_loose_fixes(SEED, aid, text) for aid, text in found), found


def test_widow_check_can_fail(tmp_path, monkeypatch, seed_issue):
    """Negative control: with the avoidance switched off, the seed page has a 孤行."""
    import pdfplumber

    import layout.flow.pour as pour
    from conftest import SEED
    from layout.build import build_issue

    monkeypatch.setattr(pour, "widow_at", lambda body, cells: None)
    out = tmp_path / "seed.pdf"
    build_issue(SEED, out)
    with pdfplumber.open(out) as pdf:
        p = pdf.pages[0]
        chars = [dict(c, baseline=c["matrix"][5]) for c in p.chars]
        assert _widows(chars, seed_issue, float(p.height))
