"""The bundled faces against the national standards, from lists, not from the fonts: every
character of the 通用规范汉字表 (fonts/tgh-2013.txt, derived from Unihan's kTGH field) in
serif, serif-bold, sans-bold and kai; GB 18030 level 1 (U+4E00–9FA5, Extension A U+3400–4DB5)
in serif, serif-bold and sans-bold, with kai falling back to serif where LXGW WenKai lacks one."""
from __future__ import annotations

import bz2
from functools import lru_cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
TGH = ROOT / "fonts" / "tgh-2013.txt"
UNIHAN = Path("/usr/share/unicode/Unihan_OtherMappings.txt.bz2")
FILES = {"serif": "NotoSerifCJKsc-Regular.ttf", "serif-bold": "NotoSerifCJKsc-Bold.ttf",
         "sans-bold": "NotoSansCJKsc-Bold.ttf", "kai": "LXGWWenKai-Regular.ttf"}
GB18030_1 = set(range(0x4E00, 0x9FA6)) | set(range(0x3400, 0x4DB6))


@lru_cache(None)
def tgh() -> list[tuple[int, int]]:
    rows = []
    for line in TGH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            num, cp, ch = line.split()
            assert cp == f"U+{ord(ch):04X}", line
            rows.append((int(num), ord(ch)))
    return rows


@lru_cache(None)
def cmap(role: str) -> frozenset[int]:
    return frozenset(TTFont(str(ROOT / "fonts" / FILES[role]), lazy=True).getBestCmap())


def test_the_list_is_the_standard():
    """8,105 characters numbered 1–8105, no repeats; among them 䶮 (Extension A, used in
    names), 𬌗 (Extension E) and 龚; the 6,763 of GB 2312 are nearly all in it."""
    rows = tgh()
    assert [n for n, _ in rows] == list(range(1, 8106))
    cps = {cp for _, cp in rows}
    assert len(cps) == 8105
    assert {0x4DAE, 0x2C317, ord("龚")} <= cps
    gb2312 = {cp for cp in cps if _encodes(cp, "gb2312")}
    assert len(gb2312) > 6500


def _encodes(cp: int, codec: str) -> bool:
    try:
        chr(cp).encode(codec)
        return True
    except UnicodeEncodeError:
        return False


@pytest.mark.skipif(not UNIHAN.exists(), reason="Debian package unicode-data not installed")
def test_the_list_matches_unihan():
    found = {}
    with bz2.open(UNIHAN, "rt", encoding="utf-8") as f:
        for line in f:
            if "\tkTGH\t" in line:
                cp, _, value = line.rstrip("\n").split("\t")
                found[int(cp[2:], 16)] = int(value.split(":")[1])
    assert sorted((n, cp) for cp, n in found.items()) == tgh()


@pytest.mark.parametrize("role", list(FILES))
def test_every_character_of_the_standard(role):
    missing = [cp for _, cp in tgh() if cp not in cmap(role)]
    assert not missing, f"{FILES[role]} lacks {len(missing)}: " + "".join(map(chr, missing[:40]))


@pytest.mark.parametrize("role", ["serif", "serif-bold", "sans-bold"])
def test_gb18030_level_1(role):
    missing = sorted(GB18030_1 - cmap(role))
    assert not missing, f"{FILES[role]} lacks {len(missing)}, first U+{missing[0]:04X}"


def test_kai_falls_back_to_serif_for_extension_a():
    """What LXGW WenKai lacks of GB 18030 level 1 is set from the serif face."""
    from layout.text.fonts import face_for

    lacking = sorted(GB18030_1 - cmap("kai"))
    assert lacking                              # the source has only part of Extension A
    for cp in lacking[::97] + [lacking[-1]]:
        assert face_for("kai", chr(cp)) == "serif"
    assert face_for("kai", "䶮") == "kai"       # in the standard: Kai's own
