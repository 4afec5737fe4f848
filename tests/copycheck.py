"""Judging set lines of real copy (issue 16 items 1-3): each clause a function over the lines'
text or glyph positions, built from the rules `layout.text.classify` holds as data, so that the
tests (on set lines and on the PDF) and benchmarks/real_copy.py count the same things.

A paragraph's lines are given as strings (what each line holds, spaces dropped) and, for the
loose figure, as gaps between adjacent Han glyphs in em.
"""
from __future__ import annotations

import re
import statistics
from pathlib import Path

from layout.text import classify as C

CORPUS = Path(__file__).parent / "data" / "real-copy.txt"
LOOSE_EM = 1 / 8            # a justified line whose median Han gap exceeds this is loose
MEASURES = range(8, 21)     # characters per line the corpus is set at


def corpus() -> list[str]:
    lines = CORPUS.read_text(encoding="utf-8").splitlines()
    return [ln for ln in lines if ln.strip() and not ln.startswith("#")]


def _units_pattern() -> str:
    return "|".join(re.escape(u) for u in sorted(C.LATIN_UNITS, key=len, reverse=True))


_NUM = (f"[{re.escape(''.join(C.NUMBER_PREFIX))}]?[0-9]+(?:[.,:][0-9]+)*"
        f"[{re.escape(''.join(C.NUMBER_SUFFIX))}]*")
# a number with its signs and Latin unit; a range of two such numbers
_NUMBER = re.compile(f"{_NUM}(?:(?:{_units_pattern()})(?![A-Za-z]))?")
_RANGE = re.compile(f"{_NUM}[{re.escape(''.join(C.RANGE_MARKS))}]{_NUM}")


def _no_space(text: str) -> str:
    return re.sub(r"\s+", "", text)


def kept_groups(text: str) -> list[tuple[str, int, int]]:
    """(clause, start, end) of every group no line may break inside, in `text` without spaces:
    numbers with their signs and units, ranges, datelines."""
    flat = _no_space(text)
    out = [("number", m.start(), m.end()) for m in _NUMBER.finditer(flat)]
    out += [("range", m.start(), m.end()) for m in _RANGE.finditer(flat)]
    out += [("dateline", m.start(), m.end()) for m in C.DATELINE.finditer(flat)]
    return out


def broken_groups(text: str, lines: list[str], widths: tuple[float, float] | None = None
                  ) -> list[str]:
    """Groups of `text` that its `lines` break inside, as 'clause: line end | next start'.
    With `widths` (first line, other lines, em at the body size) a dateline wider than the
    line it starts on may break (it cannot be kept whole)."""
    ends, at = [], 0
    for ln in lines[:-1]:
        at += len(ln)
        ends.append(at)
    out = []
    flat = _no_space(text)
    for clause, s, e in kept_groups(text):
        if clause == "dateline" and widths is not None:
            line = sum(1 for b in ends if b <= s)
            if natural_em(flat[s:e]) > widths[0 if line == 0 else 1] + 1e-6:
                continue
        for k, b in enumerate(ends):
            if s < b < e and not _unavoidable(flat, b, widths):
                out.append(f"{clause}: {lines[k][-6:]} | {lines[k + 1][:6]}")
    return out


_URL = re.compile(r"(?:https?://|www\.)[!-~]+|[A-Za-z0-9._-]+@[A-Za-z0-9.-]+")


def _unavoidable(flat: str, b: int, widths: tuple[float, float] | None) -> bool:
    """Is the break at `b` inside a piece of a URL (between marks it may break after) wider
    than a whole line, so that it must break somewhere?"""
    if widths is None:
        return False
    for m in _URL.finditer(flat):
        if m.start() < b < m.end():
            s = max([m.start()] + [k + 1 for k in range(m.start(), b)
                                   if flat[k] in C.URL_BREAK_AFTER])
            e = min([m.end()] + [k + 1 for k in range(b, m.end())
                                 if flat[k] in C.URL_BREAK_AFTER])
            return natural_em(flat[s:e]) > widths[1] + 1e-6
    return False


def natural_em(text: str) -> float:
    """Width of `text` set solid at the default body style, em."""
    from layout.text.paragraph import _natural
    from layout.text.prepare import Style
    style = Style()
    return _natural(text, style) / style.size


def _first(text: str) -> str:
    two = text[:2]
    return two if two in C.UNITS_STRICT else text[:1]


def kinsoku(lines: list[str], level: str = "basic") -> list[str]:
    """Lines that start with a mark barred from a line start or end with one barred from a
    line end (clreq's prohibitions at `level`)."""
    out = []
    for k, ln in enumerate(lines):
        if ln and k > 0 and not C.may_start(_first(ln), level):
            out.append(f"starts: {ln}")
        if ln and k < len(lines) - 1 and not C.may_end(ln[-1], level):
            out.append(f"ends: {ln}")
    return out


def opening_at_end(lines: list[str]) -> list[str]:
    """Lines (a paragraph's last one too) ending in an opening bracket or quote."""
    return [ln for ln in lines if ln and (ln[-1] in C.OPENING or ln[-1] in "([{<")]


def url_breaks(text: str, lines: list[str], widths: tuple[float, float] | None = None
               ) -> list[str]:
    """Breaks inside a URL or e-mail address anywhere but after / . - _ ? & = # (with
    `widths`, not counting those inside a piece wider than a line)."""
    flat = _no_space(text)
    ends, at = [], 0
    for ln in lines[:-1]:
        at += len(ln)
        ends.append(at)
    out = []
    for m in _URL.finditer(flat):
        for b in ends:
            if (m.start() < b < m.end() and flat[b - 1] not in C.URL_BREAK_AFTER
                    and not _unavoidable(flat, b, widths)):
                out.append(f"{flat[m.start():b]} | {flat[b:m.end()]}")
    return out


def is_loose(han_gaps_em: list[float]) -> bool:
    """A justified line is loose when the median gap between its adjacent Han characters
    exceeds ⅛ em."""
    return bool(han_gaps_em) and statistics.median(han_gaps_em) > LOOSE_EM + 1e-3


def page_loose_lines(pdf: Path, issue_file: Path) -> tuple[list[str], int]:
    """The loose justified body lines of a built page ('median em text'), read from the PDF,
    and how many justified lines with Han pairs it has."""
    from clreq_specimen import from_pdf, han_gaps, paragraph_marks
    spec = from_pdf(pdf, issue_file)
    em = spec.geometry.body_size
    loose, total = [], 0
    for aid in spec.modules:
        lines = spec.lines(aid)
        for ln, (_, last) in zip(lines, paragraph_marks(spec, lines)):
            gaps = [g / em for g in han_gaps(ln)]
            if last or not gaps:
                continue
            total += 1
            if is_loose(gaps):
                loose.append(f"{statistics.median(gaps):.3f} {ln.text}")
    return loose, total


def set_line_gaps(line) -> list[float]:
    """Gaps between adjacent Han glyphs of a `SetLine` beyond their advances, em."""
    from layout.text.fonts import load_face
    out = []
    for a, b in zip(line.glyphs, line.glyphs[1:]):
        if len(a.text) == 1 and len(b.text) == 1 and C.is_han(a.text) and C.is_han(b.text):
            adv = load_face(a.face).advance(a.text) * a.size
            out.append((b.x - a.x - adv) / line.size)
    return out
