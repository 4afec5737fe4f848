"""Intertitles (小标题, issue 16 item 6), read back from the PDF: `{intertitle: …}` items set in
bold 黑体 at the body size, flush left, on the grid, with a blank line before them (none at a
column top), never the last line of a column (kept with the line after them)."""
from __future__ import annotations

import subprocess
import sys

import pdfplumber
import pytest

from issuekit import ROOT, TEXT, article, page, write_issue

PITCH = 12.0                       # the tabloid grid


def _issue(tmp_path, paragraphs, lines=24):
    art = article("a", {"column": 1, "line": 1, "span": 2, "lines": lines},
                  paragraphs=paragraphs)
    return write_issue(tmp_path, [page(2, [art])])


def _build(path):
    out = path.with_suffix(".pdf")
    p = subprocess.run([sys.executable, "-m", "layout", "build", str(path), "-o", str(out)],
                       capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    return out


def _columns(pdf_path):
    """Body lines (9 pt) per column, left to right: [(baseline, x0, text, fontnames)]."""
    with pdfplumber.open(pdf_path) as pdf:
        pg = pdf.pages[0]
        chars = [c for c in pg.chars if abs(c["size"] - 9.0) < 0.01 and c["top"] > 60]
        h = float(pg.height)
    left = min(c["x0"] for c in chars)
    cols: dict[int, dict[float, list]] = {}
    for c in chars:
        col = int((c["x0"] - left) // 108)
        cols.setdefault(col, {}).setdefault(round(h - c["matrix"][5], 2), []).append(c)
    out = []
    for col in sorted(cols):
        rows = []
        for base, cs in sorted(cols[col].items()):
            cs.sort(key=lambda c: c["x0"])
            rows.append((base, cs[0]["x0"], "".join(c["text"] for c in cs),
                         {c["fontname"].split("+")[-1] for c in cs}))
        out.append(rows)
    return out


def test_intertitle_face_grid_and_space_before(tmp_path):
    pdf = _build(_issue(tmp_path, [TEXT, {"intertitle": "一、把群众满意作为标准"}, TEXT, TEXT]))
    cols = _columns(pdf)
    rows = next(col for col in cols if "一、把群众满意作为标准" in [r[2] for r in col])
    k = [r[2] for r in rows].index("一、把群众满意作为标准")
    base, x0, _, fonts = rows[k]
    assert fonts and all("Sans" in f and "Bold" in f for f in fonts), fonts
    first = cols[0][0]
    assert abs(x0 - min(r[1] for r in rows)) < 0.5                 # flush left, no indent
    assert k > 0
    assert abs((base - first[0]) / PITCH - round((base - first[0]) / PITCH)) < 1e-3   # on grid
    prev = rows[k - 1]
    if prev[0] < base:                                               # same column: a line of air
        assert abs(base - prev[0] - 2 * PITCH) < 0.01
    assert all("Regular" in f for f in rows[k + 1][3])               # the text after: body face


@pytest.mark.parametrize("extra", range(0, 180, 11))
def test_intertitle_never_closes_a_column(tmp_path, extra):
    """The first paragraph grows character by character: wherever the title lands, it is not
    the last line of a column, and a column never opens with the blank before it."""
    paras = [(TEXT * 3)[:40 + extra], {"intertitle": "二、让服务走到家门口"}, TEXT, TEXT]
    pdf = _build(_issue(tmp_path, paras, lines=30))
    cols = _columns(pdf)
    top = min(col[0][0] for col in cols)
    for col in cols:
        texts = [r[2] for r in col]
        if "二、让服务走到家门口" in texts:
            k = texts.index("二、让服务走到家门口")
            assert k < len(texts) - 1, (extra, texts[-3:])           # a line follows it
            if k == 0:
                assert abs(col[0][0] - top) < 0.01                  # at the column's top line
            else:
                assert abs(col[k][0] - col[k - 1][0] - 2 * PITCH) < 0.01
            return
    raise AssertionError("the intertitle was not drawn")


def test_intertitle_item_errors_are_located(tmp_path):
    path = _issue(tmp_path, [TEXT, {"intertitel": "一、标题"}])
    p = subprocess.run([sys.executable, "-m", "layout", "build", str(path), "-o",
                        str(tmp_path / "o.pdf")], capture_output=True, text=True, cwd=ROOT,
                       timeout=120)
    assert p.returncode == 2 and "Traceback" not in p.stderr
    assert "issue.yaml:" in p.stderr and "intertitel" in p.stderr and "intertitle" in p.stderr
