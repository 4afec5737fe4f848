"""Loose lines on the seed page, before and after (issue 3).

"Before" is a naive greedy breaker on the same text in the same 13-character columns: fill each
line with as many characters as fit at their full advances (no punctuation compression, no
line-end trim), move a character down where a prohibited mark would open or close a line
(basic level, push-out only), then justify by spacing every junction of the line evenly.
"After" is the seed page as paiban sets it, read back from the PDF.

A line is loose when the space between two consecutive Han glyphs beyond their advances exceeds
¼ em (typography.md §3). Only lines that are justified count (not a paragraph's last line).

Run as a script to print the figures that docs/clreq.md reports:
    python tests/test_clreq_loose.py
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from layout.text import classify as C  # noqa: E402
from layout.text.fonts import load_face  # noqa: E402
from layout.text.prepare import SHRINK_SPACE, Style, prepare  # noqa: E402

SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"
LOOSE_EM = 0.25


@dataclass
class GreedyLine:
    text: str
    even: float              # extra space per junction, pt
    last: bool
    han_pairs: int           # junctions between two Han characters


def _advance(atom) -> float:
    face = load_face(atom.face)
    return sum(face.advance(ch) if face.has(ch) else 1.0 for ch in atom.text) * atom.size


def greedy(pieces: list[tuple[str, Style]], width: float, indent: float) -> list[GreedyLine]:
    """The naive baseline: greedy fill at full advances, push-out for prohibitions, even
    justification."""
    atoms = prepare(pieces).atoms
    n = len(atoms)
    widths = [_advance(a) for a in atoms]
    gaps = [a.gap if a.gap_shrink_class == SHRINK_SPACE else 0.0 for a in atoms]
    out: list[GreedyLine] = []
    i = 0
    while i < n:
        w = width - (indent if not out else 0.0)
        j, total = i, 0.0
        while j < n and total + widths[j] + (gaps[j - 1] if j > i else 0.0) <= w + 1e-6:
            total += widths[j] + (gaps[j - 1] if j > i else 0.0)
            j += 1
        if j == i:
            j = i + 1                                  # a unit wider than the line
        elif j < n:
            k = j                                      # push out until the break is allowed
            while k > i + 1 and not atoms[k - 1].breakable:
                k -= 1
            if atoms[k - 1].breakable:
                j = k
        line = atoms[i:j]
        natural = sum(widths[i:j]) + sum(gaps[i:j - 1])
        last = j >= n
        junctions = j - i - 1
        even = 0.0 if last or junctions == 0 else max(0.0, w - natural) / junctions
        pairs = sum(1 for a, b in zip(line, line[1:]) if a.kind == "han" and b.kind == "han"
                    and C.is_han(a.text) and C.is_han(b.text))
        out.append(GreedyLine("".join(a.text for a in line), even, last, pairs))
        i = j
    return out


def greedy_lines(text: str, chars: int, *, indent: int = 2, size: float = 9.0) -> list[str]:
    return [ln.text for ln in greedy([(text, Style(size=size))], chars * size, indent * size)]


def seed_paragraphs():
    """Each article's body paragraphs as the composer sets them (dateline first), with the
    column width, from the seed issue."""
    from dataclasses import replace

    from layout.model.load import load_issue
    issue = load_issue(SEED)
    page = issue.pages[0]
    geo = page.geometry
    out = []
    for art in page.articles:
        t = art.typography
        body = Style(face="serif", size=geo.body_size, level=t.level, punctuation=t.punctuation,
                     latin_gap=t.latin_gap, digit_gap=t.digit_gap)
        for n, para in enumerate(art.paragraphs):
            pieces = [(para, body)]
            if n == 0 and art.dateline:
                pieces = [(art.dateline, replace(body, face="sans-bold")), ("\u3000", body),
                          (para, body)]
            out.append(pieces)
    return out, geo


@dataclass
class Stats:
    """Justified lines with Han pairs, and how many have Han gaps beyond their advances."""
    lines: int = 0
    spaced: int = 0          # any extra space between Han glyphs (> 0.01 pt)
    over_eighth: int = 0     # > ⅛ em
    loose: int = 0           # > ¼ em: the issue's measure of a loose line
    widest: float = 0.0      # em

    def add(self, gap_pt: float, em: float) -> None:
        self.lines += 1
        self.spaced += gap_pt > 0.01
        self.over_eighth += gap_pt > em / 8 + 0.01
        self.loose += gap_pt > LOOSE_EM * em + 0.01
        self.widest = max(self.widest, gap_pt / em)

    def row(self, name: str) -> str:
        def pc(k):
            return f"{k} / {self.lines} ({k / self.lines:.1%})"
        return (f"| {name} | {pc(self.loose)} | {pc(self.over_eighth)} | {pc(self.spaced)} | "
                f"{self.widest:.3f} em |")


def greedy_stats() -> Stats:
    paras, geo = seed_paragraphs()
    st = Stats()
    for pieces in paras:
        for ln in greedy(pieces, geo.column_width, 2 * geo.body_size):
            if not ln.last and ln.han_pairs:
                st.add(ln.even, geo.body_size)
    return st


def pdf_stats(pdf: Path) -> Stats:
    """The seed page's justified body lines, read from the PDF."""
    from clreq_specimen import from_pdf, han_gaps, paragraph_marks

    spec = from_pdf(pdf, SEED)
    em = spec.geometry.body_size
    st = Stats()
    for aid in spec.modules:
        lines = spec.lines(aid)
        for ln, (_, last) in zip(lines, paragraph_marks(spec, lines)):
            g = han_gaps(ln)
            if not last and g:
                st.add(max(g), em)
    return st


def test_greedy_baseline_is_looser():
    st = greedy_stats()
    assert st.lines > 150
    assert st.spaced / st.lines > 0.1


def test_seed_page_has_no_loose_line(seed_pdf):
    path, _ = seed_pdf
    after, before = pdf_stats(path), greedy_stats()
    assert after.lines > 150
    assert after.loose == 0, f"{after.loose} of {after.lines} justified lines have Han gaps over ¼ em"
    assert after.widest <= LOOSE_EM
    # Fewer lines spaced out at all than the greedy baseline.
    assert after.spaced / after.lines < before.spaced / before.lines


def _face_digest() -> str:
    import hashlib
    return hashlib.sha256(load_face("serif").path.read_bytes()).hexdigest()[:12]


def test_doc_reports_the_measured_figures(seed_pdf):
    """docs/clreq.md gives the table for each set of faces it was measured with, named by the
    body face's sha256; for the faces in use, the rows are what this measures. Under faces it
    has no table for, the check is skipped, saying how to refresh the doc."""
    import pytest
    doc = (ROOT / "docs" / "clreq.md").read_text(encoding="utf-8")
    digest = _face_digest()
    at = doc.find(f"sha256 {digest}")
    if at < 0:
        pytest.skip(f"docs/clreq.md has no loose-line table for the body face {digest}: add one "
                    "with `python tests/test_clreq_loose.py`")
    table = doc[at:doc.find("\n\n", doc.find("| setting |", at))]
    path, _ = seed_pdf
    assert greedy_stats().row("greedy (before)") in table
    assert pdf_stats(path).row("paiban (after)") in table


if __name__ == "__main__":
    import tempfile

    from layout.build import build_issue
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "seed.pdf"
        build_issue(SEED, out)
        after = pdf_stats(out)
    print(f"body face sha256 {_face_digest()}")
    print("| setting | Han gaps > ¼ em | > ⅛ em | spaced at all | widest Han gap |")
    print("|---|---|---|---|---|")
    print(greedy_stats().row("greedy (before)"))
    print(after.row("paiban (after)"))
