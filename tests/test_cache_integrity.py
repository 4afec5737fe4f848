"""The cache folder is never trusted (issue 12, items 13–15): every kind of entry damaged — a
flipped byte, truncated, replaced by garbage, 0xFF in a digest — is found on read, dropped,
made again and mentioned once; the build exits 0 with exactly the PDF of a clean build. No
entry is a pickle, and an entry whose values cannot be right never blames the user's photo."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from issuekit import PHOTOS, TEXT

ROOT = Path(__file__).resolve().parents[1]
# entry kinds by where they live in the cache folder (any layout version)
KINDS = {
    "digests": ("**/digests/*",),
    "photos": ("**/photos/*.bin",),
    "photo-info": ("**/photo-info/*",),
    "subsets": ("**/subsets/*",),
    "flate": ("**/flate/*",),
    "metrics": ("**/metrics/*", "**/metrics-*"),
}


def _entries(cache: Path, kind: str) -> list[Path]:
    return sorted(p for pattern in KINDS[kind] for p in cache.glob(pattern) if p.is_file())


def _issue(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copy(PHOTOS / "zhishu.jpg", folder / "p.jpg")
    art = {"id": "a", "module": {"column": 1, "span": 4, "line": 1, "lines": 40},
           "headline": "示例标题", "paragraphs": [TEXT, TEXT],
           "photos": [{"file": "p.jpg", "caption": "湖滨生态公园",
                       "place": {"column": 1, "span": 2, "line": 1, "lines": 12}}]}
    data = {"paper": "示例新闻", "date": "2025-04-18", "number": "第1期",
            "pages": [{"number": 2, "section": "要闻", "geometry": "tabloid", "articles": [art]}]}
    path = folder / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _fonts_without_metrics(folder: Path) -> Path:
    """The bundled fonts without their shipped metrics, so that face metrics come from (and go
    to) the cache folder as on a machine with fonts of its own."""
    folder.mkdir()
    src = ROOT / "fonts"
    for f in src.glob("*.ttf"):
        (folder / f.name).symlink_to(f)
    return folder


def _build(issue: Path, cache: Path, fonts: Path, out: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PAIBAN_CACHE_DIR=str(cache), PAIBAN_FONT_DIR=str(fonts),
               PYTHONPATH=str(ROOT))
    env.pop("PAIBAN_DEBUG", None)
    return subprocess.run([sys.executable, "-m", "layout", "build", str(issue), "-o", str(out),
                           "-j", "1"], capture_output=True, text=True, env=env, timeout=120)


@pytest.fixture(scope="module")
def clean(tmp_path_factory):
    """(issue, fonts, a filled cache folder, the PDF a clean build writes)."""
    tmp = tmp_path_factory.mktemp("cache-integrity")
    issue = _issue(tmp / "issue")
    fonts = _fonts_without_metrics(tmp / "fonts")
    cache = tmp / "cache"
    r = _build(issue, cache, fonts, tmp / "clean.pdf")
    assert r.returncode == 0, r.stderr
    assert "cache entry" not in r.stderr
    for kind in KINDS:
        assert _entries(cache, kind), f"the build made no {kind} entry"
    return issue, fonts, cache, (tmp / "clean.pdf").read_bytes()


def _flip(b: bytes) -> bytes:
    k = len(b) // 2
    return b[:k] + bytes([b[k] ^ 0x01]) + b[k + 1:]


DAMAGE = {
    "flip": _flip,
    "truncate": lambda b: b[: len(b) // 2],
    "garbage": lambda b: bytes((i * 37 + 11) % 256 for i in range(len(b))),
    "0xFF": lambda b: b[:-1] + (b"\xfe" if b.endswith(b"\xff") else b"\xff"),
    "empty": lambda b: b"",
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_a_damaged_entry_of_every_kind_is_rebuilt(clean, tmp_path, damage):
    """One entry of each kind damaged at once: exit 0, the clean build's PDF byte for byte,
    one line on stderr per damaged entry, and each entry good again afterwards."""
    issue, fonts, filled, reference = clean
    cache = tmp_path / "cache"
    shutil.copytree(filled, cache, symlinks=True)
    hurt = {}
    for kind in KINDS:
        entry = _entries(cache, kind)[0]
        before = entry.read_bytes()
        entry.write_bytes(DAMAGE[damage](before))
        hurt[kind] = (entry, before)

    out = tmp_path / "out.pdf"
    r = _build(issue, cache, fonts, out)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == reference
    lines = [ln for ln in r.stderr.splitlines() if "cache entry" in ln]
    assert len(lines) == len(hurt), r.stderr
    for kind, (entry, before) in hurt.items():
        said = [ln for ln in lines if str(entry) in ln]
        assert len(said) == 1 and "damaged" in said[0] and "rebuilt" in said[0], (kind, r.stderr)
        assert entry.read_bytes() == before, f"the {kind} entry was not made again"
    assert "Traceback" not in r.stderr


def test_a_foreign_file_in_place_of_an_entry_is_not_read(clean, tmp_path):
    """A FIFO (it would block a plain open) or a link to /dev/zero (it never ends) where an
    entry should be: not a regular file, so dropped at once; the build is the clean one."""
    issue, fonts, filled, reference = clean
    cache = tmp_path / "cache"
    shutil.copytree(filled, cache, symlinks=True)
    fifo = _entries(cache, "photos")[0]
    zero = _entries(cache, "metrics")[0]
    fifo.unlink()
    os.mkfifo(fifo)
    zero.unlink()
    zero.symlink_to("/dev/zero")
    out = tmp_path / "out.pdf"
    r = _build(issue, cache, fonts, out)
    assert r.returncode == 0, r.stderr
    assert out.read_bytes() == reference
    assert r.stderr.count("not a regular file") == 2, r.stderr
    assert fifo.is_file() and zero.is_file() and not zero.is_symlink()


def test_no_pickle_is_loaded_from_the_cache_folder(clean, tmp_path):
    """Face metrics are kept as gzipped JSON; a pickle in the cache folder — where paiban once
    kept metrics — is never loaded (loading it would run its code)."""
    import gzip
    import json
    import pickle

    issue, fonts, filled, reference = clean
    assert not [p for p in filled.rglob("*") if p.suffix == ".pickle"]
    for entry in _entries(filled, "metrics"):
        from layout.cache import read_entry
        assert json.loads(gzip.decompress(read_entry(entry)))["format"]

    cache = tmp_path / "cache"
    shutil.copytree(filled, cache, symlinks=True)
    marker = tmp_path / "ran"

    class Evil:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    evil = pickle.dumps(Evil())
    from layout.text.fonts import CACHE_VERSION, _marks_key
    from layout.cache import file_digest
    for ttf in fonts.glob("*.ttf"):
        name = f"metrics-v{CACHE_VERSION}-{_marks_key()}-{file_digest(ttf)}.pickle"
        (cache / name).write_bytes(evil)
    for entry in _entries(cache, "metrics"):
        if entry.suffix != ".pickle":
            entry.unlink()
    r = _build(issue, cache, fonts, tmp_path / "out.pdf")
    assert r.returncode == 0, r.stderr
    assert not marker.exists(), "a pickle from the cache folder was loaded"
    assert (tmp_path / "out.pdf").read_bytes() == reference


def test_remembered_photo_check_that_cannot_be_right_blames_the_cache(clean, tmp_path):
    """Item 15: a photo-check entry edited (its digest made to match) to say the photo is
    99999 × 99999 pixels is a damaged entry, not a fault of the user's photo."""
    import json

    from layout.cache import read_entry, write_entry

    issue, fonts, filled, reference = clean
    cache = tmp_path / "cache"
    shutil.copytree(filled, cache, symlinks=True)
    (entry,) = _entries(cache, "photo-info")
    rec = json.loads(read_entry(entry))
    real = (rec["width"], rec["height"])
    rec["width"] = rec["height"] = 99999
    write_entry(entry, json.dumps(rec).encode())
    for e in _entries(cache, "photos"):   # the separated photo too: made again from the photo
        e.unlink()
    out = tmp_path / "out.pdf"
    r = _build(issue, cache, fonts, out)
    assert r.returncode == 0, r.stderr
    assert "megapixels" not in r.stderr and "p.jpg" not in r.stderr
    assert f"cache entry {entry}" in r.stderr and "damaged" in r.stderr
    assert out.read_bytes() == reference
    again = json.loads(read_entry(entry))
    assert (again["width"], again["height"]) == real


def test_read_entry_bounds(tmp_path, monkeypatch, capsys):
    """read_entry: absent is None silently; an entry over the size bound is not read whole;
    a damaged entry is mentioned once per process however often it is asked for."""
    from layout import cache

    monkeypatch.setattr(cache, "_mentioned", set())
    assert cache.read_entry(tmp_path / "none") is None
    assert capsys.readouterr().err == ""
    e = tmp_path / "e"
    cache.write_entry(e, b"x" * 100)
    assert cache.read_entry(e) == b"x" * 100
    monkeypatch.setattr(cache, "MAX_ENTRY", 10)
    assert cache.read_entry(e) is None and not e.exists()
    cache.write_entry(e, b"x" * 100)                # over the bound: not kept at all
    assert not e.exists()
    monkeypatch.setattr(cache, "MAX_ENTRY", 1 << 20)
    for _ in range(3):
        e.write_bytes(b"garbage")
        assert cache.read_entry(e) is None
    err = capsys.readouterr().err
    assert err.count("cache entry") == 1 and err.count("\n") == 1, err
