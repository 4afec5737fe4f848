"""Reading typeset lines back out of a PDF, for the tests."""
from __future__ import annotations

from collections import defaultdict


def lines_of(chars, *, size: float | None = None, tol: float = 0.05):
    """Group characters into lines: same baseline and the same grid column (x gaps under 6 pt).
    Returns lists of chars, each sorted left to right."""
    rows = defaultdict(list)
    for c in chars:
        if size is not None and abs(c["size"] - size) > tol:
            continue
        rows[round(c["baseline"], 1)].append(c)
    out = []
    for _, cs in sorted(rows.items(), key=lambda kv: -kv[0]):
        cs.sort(key=lambda c: c["x0"])
        cur = [cs[0]]
        for c in cs[1:]:
            if c["x0"] - cur[-1]["x1"] > 6.0:
                out.append(cur)
                cur = [c]
            else:
                cur.append(c)
        out.append(cur)
    return out


def chars_with_baseline(page) -> list[dict]:
    """A pdfplumber page's characters, each with 'baseline': its distance from the page top."""
    h = float(page.height)
    return [dict(c, baseline=h - c["matrix"][5]) for c in page.chars]
