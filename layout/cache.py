"""The cache folder: what paiban derives from fonts and photos (file digests, face metrics,
font subsets and their ToUnicode CMaps, separated photos and the preflight's ink measure of
each, photo checks, the compressed output profile), kept between runs. Every entry is keyed by
the SHA-256 of its source, so the cache changes what a build costs, never what it writes; a
read-only or missing folder only makes builds slower.

The cache is never trusted: every entry is written by `write_entry` as a header (magic and the
SHA-256 of the payload) and the payload, and read back by `read_entry`, which returns the
payload only when it is a regular file of bounded size whose digest matches. A damaged entry
(a flipped bit, a truncated or foreign file) is deleted, mentioned once on stderr and made
again by the caller. Payloads are data (bytes, JSON), never pickles: a cache folder that others
can write must not be a way to run code as the user.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

FORMAT = 2              # entries of another format live elsewhere and are simply not found
_MAGIC = b"PBCACHE2"
_HEADER = len(_MAGIC) + 32
MAX_ENTRY = 1 << 29     # 512 MiB: far above any real entry; a larger file is not read


def cache_dir() -> Path:
    """Where derived font data is kept: PAIBAN_CACHE_DIR, else $XDG_CACHE_HOME/paiban."""
    env = os.environ.get("PAIBAN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "paiban"


def entry_path(kind: str, name: str) -> Path:
    """The file of entry `name` of `kind` (digests, metrics, photos, image-ink, photo-info,
    subsets, flate, tounicode)."""
    return cache_dir() / f"v{FORMAT}" / kind / name


_mentioned: set[str] = set()


def drop_entry(path: Path, why: str) -> None:
    """Delete a damaged entry and say so once per process; the caller makes it again."""
    try:
        os.unlink(path)
    except OSError:
        pass
    if str(path) not in _mentioned:
        _mentioned.add(str(path))
        print(f"paiban: cache entry {path} was damaged ({why}); rebuilt", file=sys.stderr)


def read_entry(path: Path) -> bytes | None:
    """The payload of the entry at `path`; None when there is none (or it cannot be read), or
    when it is damaged (then it is dropped: see `drop_entry`)."""
    from .readfile import NotReadable, read_bounded

    try:
        raw = read_bounded(path, MAX_ENTRY + _HEADER)
    except NotReadable as e:
        why = str(e)
    except OSError:                     # absent, or not ours to read: go without
        return None
    else:
        payload = raw[_HEADER:]
        if raw[:len(_MAGIC)] != _MAGIC:
            why = "not a paiban cache entry"
        elif hashlib.sha256(payload).digest() != raw[len(_MAGIC):_HEADER]:
            why = "its content does not match its digest"
        else:
            return payload
    drop_entry(path, why)
    return None


def write_entry(path: Path, data: bytes) -> None:
    """Keep `data` as the entry at `path`, with its digest (see `read_entry`)."""
    if len(data) <= MAX_ENTRY:
        write_atomic(path, _MAGIC + hashlib.sha256(data).digest() + data)


_digests: dict[bytes, str] = {}     # this process's answers, by the same identity


def is_sha256(text: str) -> bool:
    """`text` is a SHA-256 as hexdigest() writes it (what an entry says must look so)."""
    return len(text) == 64 and all(c in "0123456789abcdef" for c in text)


def file_digest(p: Path) -> str:
    """SHA-256 of a file, remembered on disk under its path, size, mtime and inode (as git's
    index does), so the 39 MB of bundled fonts are not hashed again by every process (0.04 s).
    A file that is rewritten gets a new mtime and is hashed afresh."""
    st = p.stat()
    ident = f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}".encode("utf-8", "replace")
    known = _digests.get(ident)              # a photo placed on 16 pages is asked 16 times
    if known is not None:
        return known
    memo = entry_path("digests", hashlib.sha1(ident).hexdigest())
    raw = read_entry(memo)
    if raw is not None:
        digest = raw.decode("latin-1")
        if is_sha256(digest):
            _digests[ident] = digest
            return digest
        drop_entry(memo, "not a SHA-256")
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    digest = _digests[ident] = h.hexdigest()
    write_entry(memo, digest.encode("ascii"))
    return digest


def write_atomic(path: Path, data: bytes) -> None:
    """Write a cache file whole or not at all, by the outputs' own atomic step; unlike an
    output, a cache that cannot be written (read-only, full) just goes without."""
    from .outfile import replace, sweep

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        sweep(path.parent, path.name)        # what a killed writer left here
        replace(path, data, mode=0o644)
    except OSError:
        pass
