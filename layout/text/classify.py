"""Character classes of Chinese text layout (clreq §3.1, GB/T 15834), and the line-breaking
prohibitions (行首行尾禁则) at clreq's four strictness levels.

The classes decide three things: where a line may break, which half of a full-width mark is
blank (and so may be trimmed), and where Han–Latin spacing goes.
"""
from __future__ import annotations

import unicodedata

# --- punctuation classes -----------------------------------------------------------------
# Opening brackets and quotes: ink in the right half, the left half is blank.
OPENING = set("“‘（〔［｛【〖《〈「『｟〘〚")
# Closing brackets and quotes: ink in the left half, the right half is blank.
CLOSING = set("”’）〕］｝】〗》〉」』｠〙〛")
# Mainland pause and stop marks sit in the lower left of the em box: the right half is blank.
PAUSE = set("、，；：")      # 、，；： shrink before 。？！ (clreq shrink order)
STOP = set("。．！？")
# Centred marks with blank on both sides.
MIDDLE_DOT = set("·・‧")
# Marks that join: never at a line start.
CONNECTOR = set("～〜–-")
SOLIDUS = set("/／")
# Two-em marks that are one unbreakable unit when doubled.
DASH = "\u2014"          # —, doubled: ——
TWO_EM_DASH = "\u2E3A"   # ⸺
ELLIPSIS = "\u2026"      # …, doubled: ……
MIDLINE_ELLIPSIS = "\u22EF"  # ⋯, doubled: ⋯⋯

# Marks that make a number one unit with it (clreq: "a number with ％ ‰ ° ℃ after it, or ￥ ＄ ± + − before it").
NUMBER_SUFFIX = set("%％‰°℃℉")
NUMBER_PREFIX = set("￥¥$＄±+−＋")
NUMBER_INNER = set(".,:")      # 3.14, 1,967, 10:30


def is_han(ch: str) -> bool:
    """Han ideographs and the other full-width letters set like them (kana, hangul, 〇)."""
    cp = ord(ch)
    return (0x4E00 <= cp <= 0x9FFF or 0x3400 <= cp <= 0x4DBF or 0x20000 <= cp <= 0x3134F
            or 0xF900 <= cp <= 0xFAFF or 0x3040 <= cp <= 0x30FF or 0xAC00 <= cp <= 0xD7AF
            or ch == "〇" or 0x2E80 <= cp <= 0x2FDF or 0x3100 <= cp <= 0x312F)


def is_fullwidth_symbol(ch: str) -> bool:
    """Full-width forms and CJK symbols that take a whole em (not punctuation classes)."""
    cp = ord(ch)
    return (0xFF01 <= cp <= 0xFF60 or 0x3000 <= cp <= 0x303F or 0x2460 <= cp <= 0x24FF
            or 0x25A0 <= cp <= 0x25FF or 0x2600 <= cp <= 0x26FF or ch in "※№℃")


def is_latin(ch: str) -> bool:
    """Letters and digits of Western scripts (set proportionally, with Han–Latin spacing)."""
    if ch.isascii():
        return ch.isalnum()
    cat = unicodedata.category(ch)
    return cat[0] == "L" and not is_han(ch) and ord(ch) < 0x2E80


def punct_class(ch: str) -> str | None:
    if ch in OPENING:
        return "opening"
    if ch in CLOSING:
        return "closing"
    if ch in PAUSE:
        return "pause"
    if ch in STOP:
        return "stop"
    if ch in MIDDLE_DOT:
        return "middle"
    return None


# --- line-breaking prohibitions (clreq §3.1.7 / typography.md §1) -------------------------
LEVELS = ("none", "basic", "GB", "strict")

_BASIC_NO_START = (CLOSING | PAUSE | STOP | MIDDLE_DOT | CONNECTOR | SOLIDUS
                   | set(")]}>!?,.;:%") | NUMBER_SUFFIX)
_BASIC_NO_END = OPENING | set("([{<") | NUMBER_PREFIX


def no_start(level: str) -> frozenset[str]:
    """Characters that must not begin a line at `level`."""
    if level == "none":
        return frozenset()
    s = set(_BASIC_NO_START)
    if level == "strict":
        s |= {DASH, TWO_EM_DASH, ELLIPSIS, MIDLINE_ELLIPSIS}
    return frozenset(s)


def no_end(level: str) -> frozenset[str]:
    """Characters that must not end a line at `level`."""
    if level == "none":
        return frozenset()
    s = set(_BASIC_NO_END)
    if level in ("GB", "strict"):
        s |= SOLIDUS
    return frozenset(s)
