"""Proof marks drawn: the tags compose/proofmarks.py sets and places (超版, 缺字, 标题 排不下),
each a red frame, a leader to the type area and its lines of text.

Proof marks go into a proof only (`paiban build --proof FILE`, `paiban check --pdf FILE`), never
into the print file. The PDF writer of a proof calls `proof_ops(page, writer)` once per page; it
returns content-stream operators (nothing when every article fits), all inside one marked-content
sequence `/PaibanProof BMC … EMC`, which the preflight refuses in a print file. Colour: CMYK
red, 0 1 1 0, knocking out (not 100 % K: see ink.py).
"""
from __future__ import annotations

from ..compose.items import ComposedPage
from ..compose.proofmarks import PROOF_RED, proof_marks

PROOF_TAG = "PaibanProof"   # the marked-content tag around every proof mark


def proof_ops(page: ComposedPage, writer) -> list[str]:
    """PDF operators drawing the page's proof marks (y turned over for PDF)."""
    marks = proof_marks(page)
    if not marks:
        return []
    H = page.height
    ops: list[str] = [f"/{PROOF_TAG} BMC"]
    for m in marks:
        lx1, ly1, lx2, ly2 = m.leader
        ops.append(writer.ink.set(PROOF_RED))
        ops.append("q %s %s %s %s K 0.6 w %s %s %s %s re S %s %s m %s %s l S Q" % (
            *(_num(c) for c in PROOF_RED), _num(m.x), _num(H - m.bottom), _num(m.width),
            _num(m.height), _num(lx1), _num(H - ly1), _num(lx2), _num(H - ly2)))
        ops.extend(writer.line(ln, H) for ln in m.lines)
    ops.append("EMC")
    return ops


def _num(v: float) -> str:
    s = f"{v:.3f}".rstrip("0").rstrip(".")
    return "0" if s in ("-0", "") else s
