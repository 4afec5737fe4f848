"""A paragraph set with some stretches of text kept on one line (names in a bracketed byline:
本报讯（记者 冉红政 通讯员 姜璞）…). The text engine's own steps — prepare, break_paragraph,
place — are called unchanged; only the break opportunities inside the kept stretches are
taken away before breaking.
"""
from __future__ import annotations

from ..text.line import place
from ..text.linebreak import break_paragraph
from ..text.paragraph import _LOOSER, _TIGHTER, SetLine, SetParagraph
from ..text.prepare import Style, prepare


def set_paragraph_keep(pieces: list[tuple[str, Style]], width: float, *, keep: list[tuple[int, int]],
                       indent: float = 0.0, kind: str = "body", drop_opening: bool = False,
                       looseness: int = 0) -> SetParagraph | None:
    """As text.paragraph.set_paragraph; `keep` lists (start, end) character offsets of the
    pieces' text run together that must not be broken."""
    prep = prepare(pieces, max_unit=width - indent)
    atoms = prep.atoms
    text = "".join(t for t, _ in pieces)
    pos = 0
    for a in atoms:
        at = text.find(a.text, pos)
        if at < 0:
            continue
        end = at + len(a.text)
        pos = end
        if any(s <= at and end < e for s, e in keep):
            a.breakable = False
    brk = break_paragraph(atoms, width - indent, width, drop_opening=drop_opening)
    if looseness:
        want = len(brk.ends) + looseness
        for pen in (_LOOSER if looseness > 0 else _TIGHTER):
            alt = break_paragraph(atoms, width - indent, width, drop_opening=drop_opening,
                                  line_penalty=pen)
            if len(alt.ends) == want and all(not m.too_long for m in alt.metrics):
                brk = alt
                break
        else:
            return None
    lines = []
    for n, m in enumerate(brk.metrics):
        em = atoms[m.end - 1].size
        lines.append(SetLine(place(atoms, m), x=indent if n == 0 else 0.0, width=m.width,
                             last=m.last, loose=m.even / em, kind=kind, size=em, cost=m.cost))
    return SetParagraph(lines, prep.missing, brk.emergency)
