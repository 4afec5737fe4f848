"""Column flow: the body-line slots of a module, and lines poured into them.

A module is a rectangle of grid cells. Its deck takes the top rows across the span; photos take
rectangles of whole columns and lines. What is left, column by column from the left and top to
bottom in each column, are the slots: one body line each, every one on the page's baseline grid.
"""
from __future__ import annotations

from ..model.document import Box


def slots(module: Box, deck_rows: int, blocked: list[Box], height: int | None = None
          ) -> list[tuple[int, int]]:
    """(column, line) cells free for body text, in reading order. `height` limits the module to
    its first `height` lines (used to balance the columns)."""
    h = module.lines if height is None else height
    first = module.line + deck_rows
    last = module.line + h - 1
    rows = range(first, last + 1)
    out = []
    for col in range(module.column, module.last_column + 1):
        # the blocked lines of this column, found once (not once per cell)
        taken: set[int] = set()
        for b in blocked:
            if b.column <= col <= b.last_column:
                taken.update(range(b.line, b.last_line + 1))
        out += [(col, row) for row in rows if row not in taken]
    return out


def free_count(module: Box, deck_rows: int, blocked: list[Box], height: int | None = None
               ) -> int:
    """len(slots(...)), counted per column without listing the cells (the balancing asks it
    for each height it tries)."""
    first = module.line + deck_rows
    last = module.line + (module.lines if height is None else height) - 1
    n = 0
    for col in range(module.column, module.last_column + 1):
        taken: set[int] = set()
        for b in blocked:
            if b.column <= col <= b.last_column:
                taken.update(range(max(b.line, first), min(b.last_line, last) + 1))
        n += max(0, last - first + 1) - len(taken)
    return n


def balanced_height(module: Box, deck_rows: int, blocked: list[Box], lines_needed: int) -> int:
    """The fewest module lines whose slots hold `lines_needed` lines, so that the columns end
    level; the full height when even that is not enough (the article overflows)."""
    floor = deck_rows + max((b.last_line - module.line + 1 for b in blocked), default=0)
    lo, hi = max(floor, deck_rows + 1), module.lines
    if lo > hi or free_count(module, deck_rows, blocked, hi) < lines_needed:
        return module.lines
    while lo < hi:
        mid = (lo + hi) // 2
        if free_count(module, deck_rows, blocked, mid) >= lines_needed:
            hi = mid
        else:
            lo = mid + 1
    return lo


# Intertitles (小标题): a blank line of kind "space" stands before each (Body), whose lines are
# marked `keep`; poured, the space
# is dropped at a column top, and an intertitle whose lines and the first line after it do not
# fit in what is left of its column starts the next one (blank lines where it would have been).

def arrange(lines, cells, blank):
    """`lines` as they go into `cells`: spaces before intertitles kept or dropped, intertitles
    kept with the line after them. `blank()` makes a blank line."""
    out = []
    i = 0
    while i < len(lines):
        ln = lines[i]
        k = len(out)
        if ln.kind != "space" or k >= len(cells):
            out.append(ln)
            i += 1
            continue
        col = cells[k][0]
        if k == 0 or cells[k - 1][0] != col:
            i += 1                               # at a column top: no space
            continue
        j = i + 1
        while j < len(lines) and lines[j].keep:
            j += 1
        group = j - i + (1 if j < len(lines) else 0)     # space, title lines, next line
        left = 0
        while k + left < len(cells) and cells[k + left][0] == col:
            left += 1
        if group > left and k + left < len(cells):
            out += [blank() for _ in range(left)]       # the title opens the next column
            i += 1
        else:
            out.append(ln)
            i += 1
    return out


# Widows and orphans, one definition for the composition (which avoids widows) and for
# `paiban check` (which reports what is left). `lines` are in reading order, each with `para`,
# `line` and `last` (SetLine, TextLine); `columns[k]` is the grid column of lines[k].

def widows(lines, columns) -> list[int]:
    """孤行: a paragraph's last line (of two or more) that opens a column."""
    return [k for k in range(1, min(len(lines), len(columns)))
            if columns[k] != columns[k - 1] and lines[k].para >= 0 and lines[k].last
            and lines[k].line > 0]


def orphans(lines, columns) -> list[int]:
    """A paragraph's first line (of two or more) that closes a column, the paragraph going on
    in the next."""
    return [k for k in range(min(len(lines), len(columns)) - 1)
            if columns[k + 1] != columns[k] and lines[k].para >= 0 and lines[k].line == 0
            and not lines[k].last]


# 碎栏: a run of fewer than MIN_STRIP text lines in a column, directly under or over a photo
# (issue 16): read as a few lines cut off from the rest, often across several columns.
MIN_STRIP = 5


def short_strips(cells: list[tuple[int, int]], photos: list[Box]
                 ) -> list[tuple[int, str, int, int, int]]:
    """(photo index, "under" | "over", first column, last column, lines) of each strip of
    fewer than MIN_STRIP text lines next to a photo; `cells` are the (column, grid line) of the
    text lines, `photos` the grid boxes the photos take (caption and the blank below included).
    Neighbouring columns with the same strip against the same photo are reported once."""
    rows: dict[int, list[int]] = {}
    for col, row in cells:
        rows.setdefault(col, []).append(row)
    found: dict[tuple[int, str, int], list[int]] = {}
    for col, rs in sorted(rows.items()):
        rs.sort()
        runs, start = [], rs[0]
        for a, b in zip(rs, rs[1:] + [None]):
            if b != a + 1:
                runs.append((start, a))
                start = b
        for first, last in runs:
            n = last - first + 1
            if n >= MIN_STRIP:
                continue
            for k, p in enumerate(photos):
                if not p.column <= col <= p.last_column:
                    continue
                side = "under" if first == p.last_line + 1 else "over" if last == p.line - 1 else ""
                if side:
                    found.setdefault((k, side, n), []).append(col)
    return [(k, side, cols[0], cols[-1], n) for (k, side, n), cols in sorted(found.items())]
