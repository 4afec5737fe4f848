"""Paragraph preparation: text → atoms with widths, trimmable blanks, gaps and break opportunities.

An atom is the smallest thing a line holds whole: one Han character, one punctuation mark, or an
unbreakable unit (a Latin word, a number with its signs, ——, ……, a URL). Between two atoms sits
a junction: a gap (Han–Latin spacing, a word space), and a break opportunity unless clreq's
prohibitions forbid it. Widths are in points at the atom's size.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from . import classify as C
from .fonts import face_for, load_face

# Shrink classes, in clreq's order (typography.md §3). Line-end marks come first and are handled
# by `end_trim`; the rest are taken evenly, class by class, down to their limits.
SHRINK_SPACE, SHRINK_MIDDLE, SHRINK_BRACKET, SHRINK_PAUSE, SHRINK_HANLATIN, SHRINK_STOP = range(6)
N_SHRINK = 6
# Stretch classes: word spaces, then Han–Latin gaps; even spacing of all junctions is last.
STRETCH_SPACE, STRETCH_HANLATIN = range(2)
N_STRETCH = 2

# What a break after an atom costs, on top of the lines' own costs (linebreak.py): inside a URL
# or e-mail address after / . - _ ? & = # — taken where it spares a line stretching (a
# line's own cost stays under about 50 unless it is loose); between the characters of a unit
# too wide for the narrowest line (a phone number after the indent) — only where the unit
# cannot be set whole on any line: even a very loose line (line.LOOSE_PENALTY) is better.
URL_PENALTY = 100.0
SPLIT_PENALTY = 1e7
# Inside a dateline too wide for its line (paragraph.py): after the agency, the place or the month.
DATELINE_PENALTY = 40000.0


@dataclass
class Style:
    """How a run of text is set: face, size and the clreq settings. `face` is a face key (a
    house's, layout/house.py: `House.style`; or a bundled face by name), never resolved here."""
    face: str = "serif"
    size: float = 9.0
    level: str = "basic"            # none | basic | GB | strict
    punctuation: str = "quanjiao"   # quanjiao 全角 | kaiming 开明 | banjiao 半角
    latin_gap: float = 0.25         # Han ↔ Latin letter, em
    digit_gap: float = 0.0          # Han ↔ number, em (mainland papers set 3月14日 solid: docs/clreq.md)
    hanging: bool = False           # a 、，。 that would overflow the line hangs past its end
    grid: bool = False              # Han–Latin gaps (0–½ em) make Latin runs whole ems (网格对齐)
    dots: bool = False              # 着重号 under each character (text/markup.py)


@dataclass(slots=True)
class Atom:
    text: str
    face: str
    size: float
    width: float                    # natural advance, pt (after adjacent-mark compression)
    offset: float = 0.0             # where the glyph is drawn relative to the atom's x (left trim)
    shrink: float = 0.0             # how much more the atom may shrink, pt
    shrink_class: int = -1
    end_trim: float = 0.0           # blank removed when the atom ends a line, pt
    start_trim: float = 0.0         # blank an opening mark may drop at a line start, pt
    lead_trim: float = 0.0          # left blank an opening mark gave up to the mark before it, pt
    gap: float = 0.0                # natural gap after the atom, pt
    gap_shrink: float = 0.0
    gap_shrink_class: int = -1
    gap_stretch: float = 0.0
    gap_stretch_class: int = -1
    breakable: bool = True          # a line may break after this atom
    kind: str = "han"               # han | punct | latin | unit | note
    flex: bool = True               # the junction after the atom takes even spacing (last resort)
    hang: bool = False              # a 、，。 that may hang past the line end
    fixed: bool = False             # an unadjustable mark (½-em interpunct, solidus, chained ？！)
    penalty: float = 0.0            # what a break after the atom costs (URL_PENALTY, SPLIT_PENALTY)
    dots: bool = False              # 着重号 under each character


@dataclass
class Prepared:
    atoms: list[Atom]
    missing: list[str] = field(default_factory=list)   # characters no bundled face has


# The basic block of CJK Unified Ideographs: most characters of a Chinese text, and no mark,
# letter or digit among them, so a character in it is a Han atom with no rule to apply.
_HAN_LO, _HAN_HI = "\u4e00", "\u9fff"
_ASCII_RUN = re.compile(r"[!-~]+")
_NOTE_REF = re.compile(r"[\[［〔][0-9]{1,3}[\]］〕]")   # [1] ［2］ 〔3〕: a note reference
_NUMBER = re.compile(r"[￥¥$＄±+−＋]?[0-9]+(?:[.,:][0-9]+)*[%％‰°℃℉]?")


def _units(text: str) -> list[tuple[str, str]]:
    """Split text into (kind, string) units: han, punct, latin, space, dash/ellipsis pairs."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if _HAN_LO <= ch <= _HAN_HI:
            # The common case first: none of the tests below could claim it.
            out.append(("han", ch))
            i += 1
            continue
        if ch == " " or ch == "\t" or ch == "\n":
            out.append(("space", " "))
            while i < n and text[i] in " \t\n":
                i += 1
            continue
        if ch in (C.DASH, C.ELLIPSIS, C.MIDLINE_ELLIPSIS) and i + 1 < n and text[i + 1] == ch:
            out.append(("unit", ch * 2))
            i += 2
            continue
        if ch == C.TWO_EM_DASH:
            out.append(("unit", ch))
            i += 1
            continue
        m = _NOTE_REF.match(text, i)
        if m and out and out[-1][0] != "space":
            out.append(("note", m.group()))
            i = m.end()
            continue
        if ch in C.NOTE_MARKS and not ch.isascii():
            out.append(("note", ch))
            i += 1
            continue
        m = _ASCII_RUN.match(text, i)
        if m and not (len(m.group()) == 1 and not m.group().isalnum()
                      and m.group() in "()[]{}<>,.;:!?\"'"):
            out.extend(_split_ascii(m.group()))
            i = m.end()
            continue
        m = _NUMBER.match(text, i)  # full-width signs before a number: ＋10％
        if m and m.end() > i + 1 and not ch.isdigit():
            out.append(("latin", m.group()))
            i = m.end()
            continue
        if ch in C.NUMBER_SUFFIX and out and out[-1][0] == "latin" and out[-1][1][-1:].isdigit():
            out[-1] = ("latin", out[-1][1] + ch)
            i += 1
            continue
        if C.punct_class(ch) or ch in C.CONNECTOR or ch in C.SOLIDUS or ch in (C.DASH, C.ELLIPSIS):
            out.append(("punct", ch))
        elif C.is_latin(ch):
            j = i
            while j < n and C.is_latin(text[j]) and not text[j].isascii():
                j += 1
            out.append(("latin", text[i:j]))
            i = j
            continue
        else:
            out.append(("han", ch))
        i += 1
    return out


def _split_ascii(run: str) -> list[tuple[str, str]]:
    """An ASCII run without spaces: a URL or e-mail address is one unit, in pieces that end
    after / . - _ ? & = # (`_url_pieces`); otherwise numbers and words are units and a lone
    bracket or mark keeps its own atom (so it can take kinsoku)."""
    if "://" in run or "@" in run or run.startswith("www."):
        return _url_pieces(run)
    out = []
    for m in re.finditer(r"[A-Za-z0-9]+(?:[-'.,:/+&_][A-Za-z0-9]+)*[%]?|[-+±$][0-9][0-9.,]*%?|.",
                         run):
        tok = m.group()
        out.append(("latin" if (tok[0].isalnum() or len(tok) > 1) else "punct", tok))
    return out


def _url_pieces(run: str) -> list[tuple[str, str]]:
    """A URL or address in pieces, each but the last ending in a mark it may break after (never
    inside a run of such marks: "://" stays whole); the last piece is kind "latin", the others
    "url" (a break after them costs URL_PENALTY)."""
    out, start = [], 0
    for k in range(len(run) - 1):
        if run[k] in C.URL_BREAK_AFTER and run[k + 1] not in C.URL_BREAK_AFTER:
            out.append(("url", run[start:k + 1]))
            start = k + 1
    out.append(("latin", run[start:]))
    return out


def prepare(pieces: list[tuple[str, Style]], *, missing: list[str] | None = None,
            max_unit: float | None = None) -> Prepared:
    """Turn styled pieces of one paragraph into atoms.

    `max_unit`: a unit wider than this (a word or a URL's piece longer than the narrowest line)
    is split into characters so that the line can still be set; a break between them costs
    SPLIT_PENALTY (taken only where the unit does not fit whole on a later, wider line).
    """
    atoms: list[Atom] = []
    styles: list[Style] = []
    miss = missing if missing is not None else []
    known_width = _WIDTHS.get
    for text, style in pieces:
        face, size = style.face, style.size
        first = len(atoms)
        for kind, s in _units(text):
            if kind == "han":
                # the common atom, made here: one character of known width (see _make_atom)
                known = known_width((s, face, size)) or _han_width(s, face, size)
                if known is not None:
                    atoms.append(Atom(s, known[1], size, known[0]))
                    styles.append(style)
                    continue
            elif kind == "space":
                if atoms:
                    _space_after(atoms[-1], style)
                continue
            atom = _make_atom(kind, s, style, miss)
            if max_unit and atom.width > max_unit and len(s) > 1:
                for ch in s:
                    piece = _make_atom("latin", ch, style, miss)
                    piece.penalty = SPLIT_PENALTY
                    atoms.append(piece)
                    styles.append(style)
                piece.penalty = atom.penalty       # the unit's own end: as it was
                continue
            atoms.append(atom)
            styles.append(style)
        if style.dots:
            for a in atoms[first:]:
                a.dots = True
    _junctions(atoms, styles)
    return Prepared(atoms, miss)


def _width(text: str, face_key: str, size: float, miss: list[str]) -> tuple[float, str]:
    """Advance of `text` in pt, and the face that sets it (a fallback where the face lacks it)."""
    face = load_face(face_key)
    if all(face.has(ch) for ch in text):
        return sum(face.advance(ch) for ch in text) * size, face_key
    w = 0.0
    used = face_key
    for ch in text:
        key = face_for(face_key, ch)
        if key is None:
            if ch not in miss:
                miss.append(ch)
            w += 1.0 * size
            continue
        used = key
        w += load_face(key).advance(ch) * size
    return w, used


# (text, face, size) → (advance in pt, face that sets it), for text the bundled faces have:
# font metrics only, the same for every paragraph (a missing character is not kept, so that
# each paragraph reports it).
_WIDTHS: dict[tuple[str, str, float], tuple[float, str]] = {}


def _han_width(ch: str, face_key: str, size: float) -> tuple[float, str] | None:
    """`_width` of one Han character its own face has, kept in _WIDTHS; None for one it lacks
    (a fallback face, or none: `_make_atom`)."""
    face = load_face(face_key)
    if not face.has(ch):
        return None
    known = _WIDTHS[(ch, face_key, size)] = (face.advance(ch) * size, face_key)
    return known


def _make_atom(kind: str, s: str, style: Style, miss: list[str]) -> Atom:
    key = (s, style.face, style.size)
    known = _WIDTHS.get(key)
    if known is None:
        before = len(miss)
        known = _width(s, style.face, style.size, miss)
        if len(miss) == before:
            _WIDTHS[key] = known
    width, face_key = known
    atom = Atom(text=s, face=face_key, size=style.size, width=width, kind=kind)
    if kind == "url":                      # a piece of a URL: Latin, breakable at a price
        atom.kind, atom.penalty = "latin", URL_PENALTY
    elif kind == "punct" and len(s) == 1:
        _punct(atom, style)
    return atom


def _punct(atom: Atom, style: Style) -> None:
    """Trimmable blanks of a full-width mark, measured from the font's ink (fonts differ)."""
    ch = atom.text
    face = load_face(atom.face)
    if not face.has(ch):
        return
    size = atom.size
    if ch in C.FIXED_HALF:
        _fixed_half(atom, face)
        return
    cls = C.punct_class(ch)
    if cls is None:
        return
    left = face.blank_left(ch) * size
    right = face.blank_right(ch) * size
    if cls == "opening":
        atom.shrink, atom.shrink_class = left, SHRINK_BRACKET
        atom.start_trim = left
    elif cls in ("closing", "pause", "stop"):
        atom.shrink = right
        atom.shrink_class = {"closing": SHRINK_BRACKET, "pause": SHRINK_PAUSE, "stop": SHRINK_STOP}[cls]
        atom.end_trim = right
        atom.hang = style.hanging and ch in C.HANGING
    # Presets: 半角 sets every mark at ½ em; 开明 all but 。？！.
    if style.punctuation == "banjiao" or (style.punctuation == "kaiming" and cls != "stop"):
        _trim_now(atom, cls)


def _fixed_half(atom: Atom, face) -> None:
    """GB's unadjustable marks — interpuncts, the short connector, solidi — take ½ em whatever
    the font's advance, the ink centred in it (a glyph whose ink is wider keeps its ink width)."""
    size = atom.size
    adv = atom.width
    lo, hi = face.ink.get(atom.text, (0.0, adv / size))
    ink = (hi - lo) * size
    w = max(size / 2, ink)
    atom.width = w
    atom.offset = (w - ink) / 2 - lo * size
    atom.fixed = True


def _trim_now(atom: Atom, cls: str) -> None:
    if cls == "opening":
        atom.width -= atom.shrink
        atom.offset -= atom.shrink
        atom.start_trim = 0.0
    else:
        atom.width -= atom.shrink
        atom.end_trim = 0.0
    atom.shrink = 0.0


def _space_after(atom: Atom, style: Style) -> None:
    em = style.size
    face = load_face(style.face)
    natural = face.advance(" ") * em if face.has(" ") else em / 3
    natural = max(natural, em / 4)
    atom.gap = natural
    atom.gap_shrink, atom.gap_shrink_class = natural - em / 4, SHRINK_SPACE
    atom.gap_stretch, atom.gap_stretch_class = max(0.0, em / 2 - natural), STRETCH_SPACE


def _is_blank_right(a: Atom) -> bool:
    return a.kind == "punct" and C.punct_class(a.text) in ("closing", "pause", "stop")


def _junctions(atoms: list[Atom], styles: list[Style]) -> None:
    """Break opportunities, Han–Latin gaps, chained ？！, adjacent-mark compression (2 em →
    1.5 em), which junctions take even spacing, and which marks may hang."""
    _chains(atoms)
    for k in range(len(atoms) - 1):
        a, b = atoms[k], atoms[k + 1]
        if (a.kind == "han" and b.kind == "han" and _HAN_LO <= a.text <= _HAN_HI
                and _HAN_LO <= b.text <= _HAN_HI):
            # Two Han characters of the basic block (most junctions): no prohibition, gap,
            # mark or connector applies — the junction stays as `Atom` made it.
            continue
        sa, sb = styles[k], styles[k + 1]
        # Prohibitions: the level of the later character governs its line start.
        if not C.may_end(a.text, sa.level) or not C.may_start(b.text, sb.level):
            a.breakable = False
        if a.gap == 0.0 and _latin_hugs(a, b):
            a.flex = False               # never space out a word, a number or "(GDP)"
            if not a.penalty:
                a.breakable = False      # (a URL's piece or a split unit: at a price)
        # A number stays with its Latin unit across a space (56 km), and a range is one group
        # (1—3月份, 2023—2024年, 8℃—10℃): no break before or after its mark.
        if _is_number(a):
            if a.gap_shrink_class == SHRINK_SPACE and b.text in C.LATIN_UNITS:
                a.breakable = False
            elif (b.kind == "punct" and b.text in C.RANGE_MARKS and b.gap == 0.0 and a.gap == 0.0
                    and k + 2 < len(atoms) and _is_number(atoms[k + 2], start=True)):
                a.breakable = b.breakable = False
        # Annotation marks stay with the text they annotate (not after 、，。: an enumerator).
        if (a.gap == 0.0 and (b.kind == "note" or b.text in C.NOTE_MARKS)
                and not (a.kind == "punct" and C.punct_class(a.text) in ("pause", "stop", "opening"))):
            a.breakable = False
            a.flex = False
        # No even spacing next to connectors and solidi (clreq, inter-character expansion).
        if _joins(a) or _joins(b):
            a.flex = False
        # Han–Latin spacing: letters latin_gap, numbers digit_gap; none at line start or end (the
        # gap belongs to the junction), none next to punctuation or inside brackets. The gap
        # stretches to ½ em but takes no even spacing on top.
        if a.gap == 0.0 and ((a.kind == "han" and b.kind == "latin")
                             or (a.kind == "latin" and b.kind == "han")):
            lat = b if b.kind == "latin" else a
            letters = any(ch.isalpha() for ch in lat.text)
            em = sa.size
            g = (sa.latin_gap if letters else sa.digit_gap) * em
            if g > 0:
                a.gap = g
                a.gap_shrink, a.gap_shrink_class = max(0.0, g - em / 8), SHRINK_HANLATIN
                a.gap_stretch = max(0.0, em / 2 - g)
                a.gap_stretch_class = STRETCH_HANLATIN
                a.flex = False
        # Two adjacent full-width marks (2 em) → 1.5 em: trim the blank between them, the
        # opening mark's where there is one (brackets keep hugging the text they enclose).
        if (a.kind == "punct" and b.kind == "punct" and a.gap == 0.0 and not a.fixed
                and not b.fixed and a.width + b.width >= 1.95 * max(a.size, b.size)):
            if C.punct_class(b.text) == "opening" and b.shrink > 0:
                b.width -= b.shrink          # ，“ ”“ （“: the opening mark's left blank goes
                b.offset -= b.shrink
                b.lead_trim = b.shrink       # (given back if a line starts with it)
                b.shrink = 0.0
                b.start_trim = 0.0
            elif _is_blank_right(a) and a.shrink > 0:
                a.width -= a.shrink          # ”， ）。 。”: the first mark's right blank goes
                a.shrink = 0.0
                a.end_trim = 0.0
        # Hanging: at most one mark, never one of a succession of marks.
        if a.kind == "punct" and b.kind == "punct":
            a.hang = b.hang = False
    _grid(atoms, styles)


def _grid(atoms: list[Atom], styles: list[Style]) -> None:
    """Grid alignment (clreq handling_of_grid_alignment…): a Latin run between two Han
    characters gets equal gaps of 0–½ em on its sides so that, with them, it takes a whole
    number of ems, and the Han characters after it stay on the em grid. The gaps are fixed."""
    n = len(atoms)
    k = 0
    while k < n - 1:
        if not (styles[k].grid and atoms[k].kind == "han" and atoms[k + 1].kind == "latin"):
            k += 1
            continue
        e = k + 1
        while e < n and atoms[e].kind == "latin":
            e += 1
        if e >= n or atoms[e].kind != "han":
            k = e
            continue
        em = atoms[k].size
        run = sum(a.width for a in atoms[k + 1:e]) + sum(a.gap for a in atoms[k + 1:e - 1])
        need = math.ceil(run / em - 1e-6) * em - run
        for a in (atoms[k], atoms[e - 1]):
            a.gap = need / 2
            a.gap_shrink = a.gap_stretch = 0.0
            a.gap_shrink_class = a.gap_stretch_class = -1
            a.flex = False
        for a in atoms[k + 1:e - 1]:               # word spaces inside the run stay as they are
            a.gap_shrink = a.gap_stretch = 0.0
            a.gap_shrink_class = a.gap_stretch_class = -1
            a.flex = False
        k = e


def _chains(atoms: list[Atom]) -> None:
    """？！ ！？ ？？ ！！ take 1 em together, three chained marks 2 em (GB/T 15834)."""
    k, n = 0, len(atoms)
    while k < n:
        if not (atoms[k].kind == "punct" and atoms[k].text in C.CHAIN):
            k += 1
            continue
        e = k
        while e + 1 < n and atoms[e + 1].kind == "punct" and atoms[e + 1].text in C.CHAIN \
                and atoms[e].gap == 0.0:
            e += 1
        if e > k:
            run = atoms[k:e + 1]
            for a in (run if len(run) == 2 else run[:-1]):
                a.width -= a.shrink
                a.end_trim = 0.0
            for a in run:
                a.shrink = 0.0                # (the last of three still ends a line at ½ em)
                a.fixed = True
            for a in run[:-1]:
                a.breakable = False
                a.flex = False
        k = e + 1


def _is_number(a: Atom, start: bool = False) -> bool:
    """Does a Latin atom end (with `start`, begin) with a number: digit, sign or % ‰ ° ℃?"""
    if a.kind != "latin":
        return False
    ch = a.text[0] if start else a.text[-1]
    return ch.isdigit() or ch in (C.NUMBER_PREFIX if start else C.NUMBER_SUFFIX)


def _joins(a: Atom) -> bool:
    return a.kind == "punct" and (a.text in C.CONNECTOR or a.text in C.SOLIDUS or a.text == C.DASH)


def _latin_hugs(a: Atom, b: Atom) -> bool:
    """No break between Latin pieces that touch without a space (a word and its brackets)."""
    return (a.kind == "latin" and b.kind == "latin") or (
        a.kind == "latin" and b.kind == "punct" and b.text in ")]},.;:!?%") or (
        a.kind == "punct" and a.text in "([{" and b.kind == "latin")
