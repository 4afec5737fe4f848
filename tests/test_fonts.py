"""The bundled fonts in fonts/ (built by scripts/build_fonts.py)."""
from __future__ import annotations

import hashlib
import io
import json
from functools import lru_cache
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"

# every file, and whether it carries all of GBK's hanzi (else GB 2312 only)
BUNDLED = {
    "NotoSerifCJKsc-Regular.ttf": True,
    "NotoSerifCJKsc-Bold.ttf": True,
    "NotoSansCJKsc-Bold.ttf": True,
    "LXGWWenKai-Regular.ttf": True,   # GBK fits in the size budget (fonts/README.md)
}
FULLWIDTH = "‘’“”—…·"
OPENING, CLOSING = "“‘", "”’"
SAMPLE = "本报讯（记者 王小明）“新闻——报道”：‘引号’、《人民日报》【头条】「引」…… 让·雅克 ℃ ① 𠮷 ABC 123"


def _dbcs_hanzi(codec: str) -> frozenset[int]:
    out = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            if trail == 0x7F:
                continue
            try:
                s = bytes((lead, trail)).decode(codec)
            except UnicodeDecodeError:
                continue
            if len(s) == 1 and (0x4E00 <= ord(s) <= 0x9FFF or 0x3400 <= ord(s) <= 0x4DBF):
                out.add(ord(s))
    return frozenset(out)


@lru_cache(None)
def hanzi(codec: str) -> frozenset[int]:
    return _dbcs_hanzi(codec)


@lru_cache(None)
def font(name: str) -> TTFont:
    return TTFont(str(FONTS / name), lazy=True)


@lru_cache(None)
def cmap(name: str) -> dict[int, str]:
    return font(name).getBestCmap()


@lru_cache(None)
def sources() -> dict:
    return json.loads((FONTS / "SOURCES.json").read_text(encoding="utf-8"))


params = pytest.mark.parametrize("name", sorted(BUNDLED))


def test_gb_sets_sane():
    assert len(hanzi("gb2312")) == 6763
    assert len(hanzi("gbk")) >= 20902
    assert hanzi("gb2312") <= hanzi("gbk")


@params
def test_truetype_outlines(name):
    f = font(name)
    assert f.sfntVersion == "\x00\x01\x00\x00"
    assert "glyf" in f and "loca" in f
    assert "CFF " not in f and "CFF2" not in f
    assert f["maxp"].tableVersion == 0x00010000
    assert f["post"].formatType == 3.0
    for tag in ("name", "OS/2", "hhea", "hmtx", "cmap", "head"):
        assert tag in f


@params
def test_gb2312_hanzi(name):
    missing = hanzi("gb2312") - set(cmap(name))
    assert not missing, f"{len(missing)} missing, e.g. {''.join(map(chr, sorted(missing)[:20]))}"


@params
def test_gbk_hanzi(name):
    if not BUNDLED[name]:
        pytest.skip("GB 2312 face")
    missing = hanzi("gbk") - set(cmap(name))
    assert not missing, f"{len(missing)} missing, e.g. {''.join(map(chr, sorted(missing)[:20]))}"


@params
def test_other_repertoire(name):
    c = cmap(name)
    need = set(range(0x20, 0x7F)) | {ord(ch) for ch in "，。、；：？！（）《》【】「」℃‰％°±×÷№①⑳■□▲△◆◇○●★☆"}
    need |= {0x3000, 0x3001, 0x3002, 0x300C, 0x300D, 0xFF01, 0xFF1F, 0xFE10, 0xFE19, 0x20BB7}
    missing = need - set(c)
    assert not missing, [hex(cp) for cp in sorted(missing)]


@params
def test_fullwidth_punctuation(name):
    f, c = font(name), cmap(name)
    em = f["head"].unitsPerEm
    glyf = f["glyf"]
    for ch in FULLWIDTH:
        g = c[ord(ch)]
        assert f["hmtx"][g][0] == em, (ch, f["hmtx"][g][0])
        glyph = glyf[g]
        if ch in OPENING:
            assert glyph.xMin >= em / 2, (ch, glyph.xMin)
        if ch in CLOSING:
            assert glyph.xMax <= em / 2, (ch, glyph.xMax)


@params
def test_reportlab_embeds(name):
    from pypdf import PdfReader
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont
    from reportlab.pdfgen import canvas

    rl_name = "test-" + name.removesuffix(".ttf")
    if rl_name not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(RLTTFont(rl_name, str(FONTS / name)))
    # full-width marks measured by reportlab too
    for ch in FULLWIDTH:
        assert pdfmetrics.stringWidth(ch, rl_name, 10) == pytest.approx(10)
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(rl_name, 12)
    c.drawString(50, 750, SAMPLE)
    c.showPage()
    c.save()
    reader = PdfReader(io.BytesIO(buf.getvalue()))
    fonts = [ref.get_object() for ref in reader.pages[0]["/Resources"]["/Font"].values()]
    # reportlab also lists its initial font (Helvetica, not embedded)
    fonts = [fd for fd in fonts if fd["/BaseFont"] != "/Helvetica"]
    assert fonts
    psname = sources()["fonts"][name]["postscript_name"]
    for fd in fonts:          # reportlab splits a TTF into 256-glyph subsets
        assert fd["/Subtype"] == "/TrueType"
        assert str(fd["/BaseFont"]).split("+")[-1] == psname
        desc = fd["/FontDescriptor"].get_object()
        assert "/FontFile2" in desc
        assert len(desc["/FontFile2"].get_object().get_data()) > 0


@params
def test_sources_sha256(name):
    entry = sources()["fonts"][name]
    h = hashlib.sha256((FONTS / name).read_bytes()).hexdigest()
    assert h == entry["sha256"]
    assert (FONTS / name).stat().st_size == entry["size"]
    for key in ("package", "version", "source_path", "source_sha256"):
        assert entry[key]


def test_licences_and_readme():
    for lic in sources()["licences"].values():
        text = (FONTS / lic).read_text(encoding="utf-8")
        assert "SIL OPEN FONT LICENSE Version 1.1" in text
        assert "Copyright" in text
    readme = (FONTS / "README.md").read_text(encoding="utf-8")
    for name in BUNDLED:
        assert name in readme


def test_size_budget():
    """fonts/README.md states the budget (50 MB) and why."""
    total = sum(p.stat().st_size for p in FONTS.rglob("*") if p.is_file())
    assert total < 50_000_000


def test_file_digest_is_remembered_and_renewed_when_the_file_changes(tmp_path, monkeypatch):
    """Fonts are hashed once per machine (the digest is kept under the file's path, size, mtime
    and inode); a font rewritten in place — even at the same size — is hashed afresh."""
    import os

    from layout.text.fonts import file_digest

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    f = tmp_path / "face.ttf"
    f.write_bytes(b"A" * 1000)
    first = file_digest(f)
    assert first == hashlib.sha256(b"A" * 1000).hexdigest()
    from layout.cache import entry_path
    assert len(list(entry_path("digests", "x").parent.iterdir())) == 1
    assert file_digest(f) == first                      # from the memo
    st = f.stat()
    f.write_bytes(b"B" * 1000)                          # same size, new content
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert file_digest(f) == hashlib.sha256(b"B" * 1000).hexdigest()


@pytest.mark.parametrize("key", ["serif", "serif-bold", "sans-bold", "kai"])
def test_shipped_metrics_match_the_font(key):
    """fonts/metrics/*.json.gz hold what fontTools reads from the bundled fonts (rebuilt fonts
    need `python -m layout.text.fonts`): a first build needs no fontTools parse."""
    from layout.text import fonts as F

    p = F.font_dir() / F.FACE_FILES[key]
    shipped = F.read_shipped(key, p, F.file_digest(p), F._marks_key())
    assert shipped is not None, "stale or missing fonts/metrics: run python -m layout.text.fonts"
    assert shipped == F._read_face(key, p)


def test_a_record_with_a_number_that_is_not_an_int_is_refused():
    """Metrics records come from a folder others may write: a bool, float or string where
    the record holds integers, or a glyph id past the advances, makes the record unusable
    (None: read the font instead)."""
    import gzip
    import json

    from layout.text import fonts as F

    p = F.font_dir() / F.FACE_FILES["kai"]
    raw = F.shipped_path(p).read_bytes()
    args = ("kai", p)
    good = F.face_from_record(*args, raw, F.file_digest(p), F._marks_key())
    assert good is not None
    for where, bad in ((("gid_advances", 5), 600.5), (("gid_advances", 9), True),
                       (("cmap", 1, 3), "7"), (("units_per_em",), 1000.0), (("bbox", 2), None),
                       (("cmap", 1, 4), 10 ** 6)):        # a glyph with no advance
        rec = json.loads(gzip.decompress(raw))
        obj = rec
        for k in where[:-1]:
            obj = obj[k]
        obj[where[-1]] = bad
        tampered = gzip.compress(json.dumps(rec).encode())
        assert F.face_from_record(*args, tampered, F.file_digest(p), F._marks_key()) is None, where


def test_empty_cache_uses_shipped_metrics_and_falls_back(tmp_path, monkeypatch):
    from layout.text import fonts as F

    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))
    calls = []
    real = F._read_face
    monkeypatch.setattr(F, "_read_face", lambda k, p, *i: calls.append(k) or real(k, p, *i))
    F.load_face.cache_clear()
    try:
        F.load_face("kai")
        assert calls == []                          # from fonts/metrics, not fontTools
        # a font that is not the one the metrics were made from is read afresh
        copy = tmp_path / "fonts" / F.FACE_FILES["kai"]
        copy.parent.mkdir()
        copy.write_bytes((F.font_dir() / F.FACE_FILES["kai"]).read_bytes() + b"\0\0\0\0")
        shutil_metrics = copy.parent / "metrics"
        shutil_metrics.mkdir()
        (shutil_metrics / F.shipped_path(copy).name).write_bytes(
            F.shipped_path(F.font_dir() / F.FACE_FILES["kai"]).read_bytes())
        F.load_face("kai", str(copy))
        assert calls == ["kai"]
    finally:
        F.load_face.cache_clear()
