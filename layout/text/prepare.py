"""Paragraph preparation: text → atoms with widths, trimmable blanks, gaps and break opportunities.

An atom is the smallest thing a line holds whole: one Han character, one punctuation mark, or an
unbreakable unit (a Latin word, a number with its signs, ——, ……, a URL). Between two atoms sits
a junction: a gap (Han–Latin spacing, a word space), and a break opportunity unless clreq's
prohibitions forbid it. Widths are in points at the atom's size.
"""
from __future__ import annotations

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


@dataclass
class Style:
    """How a run of text is set: face, size and the clreq settings."""
    face: str = "serif"
    size: float = 9.0
    level: str = "basic"            # none | basic | GB | strict
    punctuation: str = "quanjiao"   # quanjiao 全角 | kaiming 开明 | banjiao 半角
    latin_gap: float = 0.25         # Han ↔ Latin letter, em
    digit_gap: float = 0.0          # Han ↔ digit, em (mainland papers set 3月14日 tight)


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
    gap: float = 0.0                # natural gap after the atom, pt
    gap_shrink: float = 0.0
    gap_shrink_class: int = -1
    gap_stretch: float = 0.0
    gap_stretch_class: int = -1
    breakable: bool = True          # a line may break after this atom
    kind: str = "han"               # han | punct | latin | space | unit
    split: bool = False             # a piece of a unit too wide for the line: may break anywhere


@dataclass
class Prepared:
    atoms: list[Atom]
    missing: list[str] = field(default_factory=list)   # characters no bundled face has


_ASCII_RUN = re.compile(r"[!-~]+")
_NUMBER = re.compile(r"[￥¥$＄±+−＋]?[0-9]+(?:[.,:][0-9]+)*[%％‰°℃℉]?")


def _units(text: str) -> list[tuple[str, str]]:
    """Split text into (kind, string) units: han, punct, latin, space, dash/ellipsis pairs."""
    out: list[tuple[str, str]] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
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
    """An ASCII run without spaces: a URL or e-mail address stays whole; otherwise numbers and
    words are units and a lone bracket or mark keeps its own atom (so it can take kinsoku)."""
    if "://" in run or "@" in run or run.startswith("www."):
        return [("latin", run)]
    out = []
    for m in re.finditer(r"[A-Za-z0-9]+(?:[-'.,:/+&_][A-Za-z0-9]+)*[%]?|[+±$][0-9][0-9.,]*%?|.", run):
        tok = m.group()
        out.append(("latin" if (tok[0].isalnum() or len(tok) > 1) else "punct", tok))
    return out


def prepare(pieces: list[tuple[str, Style]], *, missing: list[str] | None = None,
            max_unit: float | None = None) -> Prepared:
    """Turn styled pieces of one paragraph into atoms.

    `max_unit`: a unit wider than this (a URL longer than the column) is split into characters
    so that the line can still be set.
    """
    atoms: list[Atom] = []
    styles: list[Style] = []
    miss = missing if missing is not None else []
    for text, style in pieces:
        for kind, s in _units(text):
            if kind == "space":
                if atoms:
                    _space_after(atoms[-1], style)
                continue
            atom = _make_atom(kind, s, style, miss)
            if max_unit and atom.width > max_unit and len(s) > 1:
                for ch in s:
                    piece = _make_atom("latin", ch, style, miss)
                    piece.split = True
                    atoms.append(piece)
                    styles.append(style)
                continue
            atoms.append(atom)
            styles.append(style)
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


def _make_atom(kind: str, s: str, style: Style, miss: list[str]) -> Atom:
    width, face_key = _width(s, style.face, style.size, miss)
    atom = Atom(text=s, face=face_key, size=style.size, width=width, kind=kind)
    if kind == "punct" and len(s) == 1:
        _punct(atom, style)
    return atom


def _punct(atom: Atom, style: Style) -> None:
    """Trimmable blanks of a full-width mark, measured from the font's ink (fonts differ)."""
    ch = atom.text
    cls = C.punct_class(ch)
    if cls is None:
        return
    face = load_face(atom.face)
    if not face.has(ch):
        return
    size = atom.size
    left = face.blank_left(ch) * size
    right = face.blank_right(ch) * size
    if cls == "opening":
        atom.shrink, atom.shrink_class = left, SHRINK_BRACKET
        atom.start_trim = left
    elif cls in ("closing", "pause", "stop"):
        atom.shrink = right
        atom.shrink_class = {"closing": SHRINK_BRACKET, "pause": SHRINK_PAUSE, "stop": SHRINK_STOP}[cls]
        atom.end_trim = right
    elif cls == "middle":
        # Centred: both sides blank; it shrinks evenly from both sides to ½ em.
        both = min(left, right)
        atom.shrink, atom.shrink_class = 2 * both, SHRINK_MIDDLE
    # Presets: 半角 sets every mark at ½ em; 开明 all but 。？！.
    if style.punctuation == "banjiao" or (style.punctuation == "kaiming" and cls != "stop"):
        _trim_now(atom, cls)


def _trim_now(atom: Atom, cls: str) -> None:
    if cls == "opening":
        atom.width -= atom.shrink
        atom.offset -= atom.shrink
        atom.start_trim = 0.0
    elif cls == "middle":
        atom.width -= atom.shrink
        atom.offset -= atom.shrink / 2
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
    atom.kind = atom.kind  # the space belongs to the junction after the atom


def _is_blank_right(a: Atom) -> bool:
    return a.kind == "punct" and C.punct_class(a.text) in ("closing", "pause", "stop")


def _junctions(atoms: list[Atom], styles: list[Style]) -> None:
    """Break opportunities, Han–Latin gaps and adjacent-mark compression (2 em → 1.5 em)."""
    for k in range(len(atoms) - 1):
        a, b = atoms[k], atoms[k + 1]
        sa, sb = styles[k], styles[k + 1]
        # Prohibitions: the level of the later character governs its line start.
        if a.text[-1] in C.no_end(sa.level) or b.text[0] in C.no_start(sb.level):
            a.breakable = False
        if a.gap == 0.0 and _latin_hugs(a, b) and not (a.split and b.split):
            a.breakable = False
        # Han–Latin spacing.
        if a.gap == 0.0 and {a.kind, b.kind} == {"han", "latin"}:
            lat = b if b.kind == "latin" else a
            digit = lat.text[0 if lat is b else -1].isdigit()
            em = sa.size
            g = (sa.digit_gap if digit else sa.latin_gap) * em
            a.gap = g
            a.gap_shrink, a.gap_shrink_class = max(0.0, g - em / 8), SHRINK_HANLATIN
            a.gap_stretch = max(0.0, (em / 8 if digit else em / 2) - g)
            a.gap_stretch_class = STRETCH_HANLATIN
        # Two adjacent marks: trim the blank between them (brackets keep hugging the text).
        if a.kind == "punct" and b.kind == "punct" and a.gap == 0.0:
            if C.punct_class(b.text) == "opening" and b.shrink > 0:
                b.width -= b.shrink          # ，“ and 。“: the quote's left blank goes
                b.offset -= b.shrink
                b.shrink = 0.0
                b.start_trim = 0.0
            elif _is_blank_right(a) and a.shrink > 0:
                a.width -= a.shrink          # ”， and ）。: the first mark's right blank goes
                a.shrink = 0.0
                a.end_trim = 0.0


def _latin_hugs(a: Atom, b: Atom) -> bool:
    """No break between Latin pieces that touch without a space (a word and its brackets)."""
    return (a.kind == "latin" and b.kind == "latin") or (
        a.kind == "latin" and b.kind == "punct" and b.text in ")]},.;:!?%") or (
        a.kind == "punct" and a.text in "([{" and b.kind == "latin")
