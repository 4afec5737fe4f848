"""Overprint, decided by an object's colour: the one rule the PDF writer follows and the
preflight checks (docs/print.md).

Only 100 % K (C = M = Y = 0, K at least SOLID_K; or DeviceGray black) overprints, so black type
and rules never leave a white gap on the plates when they are out of register. Everything else
knocks out: a white folio reversed out of a black block must clear the black plate under it,
which an overprinting white (OP true, OPM 1: a zero component leaves its plate alone) does not.
"""
from __future__ import annotations

SOLID_K = 0.99                  # K at or above this counts as 100 % black

# The two graphics states the writer switches between (ExtGState resource names and entries).
OVERPRINT = "PBop"
KNOCKOUT = "PBko"
STATES = {OVERPRINT: {"OP": "true", "op": "true", "OPM": "1"},
          KNOCKOUT: {"OP": "false", "op": "false"}}


def overprints(color: tuple) -> bool:
    """Whether an object in this colour overprints: CMYK (4 values) or grey (1 value, 0 black)."""
    if len(color) == 4:
        c, m, y, k = color
        return c == 0 and m == 0 and y == 0 and k >= SOLID_K
    if len(color) == 1:
        return color[0] <= 1.0 - SOLID_K
    return False


class InkState:
    """The overprint state along one page's content stream: `set(colour)` returns the `gs`
    operator that puts the state right for an object in that colour, or "" when it already is.
    A page starts in the PDF default (overprint off)."""

    def __init__(self) -> None:
        self.current = KNOCKOUT

    def set(self, color: tuple) -> str:
        want = OVERPRINT if overprints(color) else KNOCKOUT
        if want == self.current:
            return ""
        self.current = want
        return f"/{want} gs"
