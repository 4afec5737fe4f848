"""Character classes of Chinese text layout (clreq §3.1, GB/T 15834), and the line-breaking
prohibitions (行首行尾禁则) at clreq's four strictness levels.

The classes decide three things: where a line may break, which half of a full-width mark is
blank (and so may be trimmed), and where Han–Latin spacing goes.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# --- punctuation classes -----------------------------------------------------------------
# Opening brackets and quotes: ink in the right half, the left half is blank.
OPENING = set("“‘（〔［｛【〖《〈「『｟〘〚")
# Closing brackets and quotes: ink in the left half, the right half is blank.
CLOSING = set("”’）〕］｝】〗》〉」』｠〙〛")
# Mainland pause and stop marks sit in the lower left of the em box: the right half is blank.
PAUSE = set("、，；：")      # 、，；： shrink before 。？！ (clreq shrink order)
STOP = set("。．！？‼⁇⁈⁉")   # ‼ ⁇ ⁈ ⁉ take 1 em (GB/T 15834 §4.1; clreq exclamatory_question_marks)
# 、，。 may hang past the line end when hanging punctuation is on (clreq §3.1.10).
HANGING = set("、，。")
# Full-width ？ and ！ chained: two take 1 em together, three take 2 em (clreq
# exclamatory_question_marks, GB/T 15834 §4.2.2/§4.3.2).
CHAIN = set("？！")
# Centred marks with blank on both sides.
MIDDLE_DOT = set("·・‧")
# Marks that join: never at a line start. (A single U+2014 between words is GB's long
# connector: `may_start` bars it too; doubled, —— is the 2-em dash.)
CONNECTOR = set("～〜–-")
SOLIDUS = set("/／")
# Unadjustable ½-em marks of GB style: interpuncts, the short connector and solidi always take
# ½ em, the glyph centred in it (clreq h-punctuation_adjustment_space).
FIXED_HALF = MIDDLE_DOT | SOLIDUS | {"–"}
# Annotation (note) marks: kept with the text they annotate (clreq h-annotation_marks).
NOTE_MARKS = set("¹²³⁴⁵⁶⁷⁸⁹⁰*†‡") | {chr(c) for c in range(0x2460, 0x249C)}
# Two-em marks that are one unbreakable unit when doubled.
DASH = "\u2014"          # —, doubled: ——
TWO_EM_DASH = "\u2E3A"   # ⸺
ELLIPSIS = "\u2026"      # …, doubled: ……
MIDLINE_ELLIPSIS = "\u22EF"  # ⋯, doubled: ⋯⋯

# Marks that make a number one unit with it (clreq: "a number with ％ ‰ ° ℃ after it, or ￥ ＄ ± + − before it").
NUMBER_SUFFIX = set("%％‰°℃℉")
NUMBER_PREFIX = set("￥¥$＄±+−＋")
NUMBER_INNER = set(".,:")      # 3.14, 1,967, 10:30

# --- groups a line never breaks (issue 16 item 3) -------------------------------------------
# Latin units that stay with the number before them, also across a space (56 km, 12 m²).
LATIN_UNITS = frozenset((
    "km", "m", "cm", "mm", "μm", "nm", "kg", "g", "mg", "t", "km²", "m²", "m³", "cm²", "ha",
    "km/h", "m/s", "L", "ml", "mL", "W", "kW", "kWh", "MW", "GW", "V", "kV", "A", "mAh", "Hz",
    "kHz", "MHz", "GHz", "B", "KB", "MB", "GB", "TB", "bps", "Mbps", "Gbps", "dB", "ppm", "μg/m³",
    "mg/m³", "mmHg"))
# A mark between two numbers makes a range, one group: 1—3月份, 2023—2024年, 8℃—10℃, 7～8级.
RANGE_MARKS = frozenset("—～〜~–-")
# A URL or an e-mail address may break after these (no hyphen added), never inside a run of
# them ("://" stays whole).
URL_BREAK_AFTER = frozenset("/.-_?&=#")
# A dateline is one group (据新华社南京10月15日电, 本报北京3月5日讯, 本报讯). Only where it is
# wider than its line may it break: after the agency, the place (the groups' ends) or 月.
DATELINE = re.compile(
    r"(?P<agency>据?(?:新华社|中新社|人民日报|光明日报|经济日报|央视|中央广播电视总台|本报))"
    r"(?P<place>[\u4e00-\u9fff]{0,8}?)[0-9０-９]{1,2}月[0-9０-９]{1,2}日[电讯]|本报讯")


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
# Never at a line end, even when a unit wider than the line makes the prohibitions give way.
NEVER_END = frozenset(OPENING | set("([{<"))


UNITS_STRICT = {DASH * 2, TWO_EM_DASH, ELLIPSIS * 2, MIDLINE_ELLIPSIS * 2}


def may_start(text: str, level: str) -> bool:
    """May an atom whose text is `text` begin a line at `level`? The 2-em units ——, ⸺, ……, ⋯⋯
    are barred from a line start at the strict level only; a single — is a connector."""
    if not text:
        return True
    if text in UNITS_STRICT or (len(text) > 1 and text[0] in (DASH, ELLIPSIS, MIDLINE_ELLIPSIS)
                                and set(text) == {text[0]}):
        return level != "strict"
    if text == DASH:                      # a lone —: the long connector
        return level == "none"
    return text[0] not in no_start(level)


def may_end(text: str, level: str) -> bool:
    """May an atom whose text is `text` end a line at `level`?"""
    return not text or text[-1] not in no_end(level)


@lru_cache(maxsize=None)
def no_start(level: str) -> frozenset[str]:
    """Characters that must not begin a line at `level` (a lone — is a connector; for the 2-em
    units ——, ⸺, ……, ⋯⋯ see `may_start`)."""
    if level == "none":
        return frozenset()
    s = set(_BASIC_NO_START)
    if level == "strict":
        s |= {DASH, TWO_EM_DASH, ELLIPSIS, MIDLINE_ELLIPSIS}
    return frozenset(s)


@lru_cache(maxsize=None)
def no_end(level: str) -> frozenset[str]:
    """Characters that must not end a line at `level`."""
    if level == "none":
        return frozenset()
    s = set(_BASIC_NO_END)
    if level in ("GB", "strict"):
        s |= SOLIDUS
    return frozenset(s)
