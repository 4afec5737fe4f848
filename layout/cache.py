"""The cache folder: what paiban derives from fonts and photos (face metrics, font subsets,
separated photos, photo checks), kept between runs. Every entry is keyed by the SHA-256 of its
source, so the cache changes what a build costs, never what it writes; a read-only or missing
folder only makes builds slower."""
from __future__ import annotations

import os
from pathlib import Path


def cache_dir() -> Path:
    """Where derived font data is kept: PAIBAN_CACHE_DIR, else $XDG_CACHE_HOME/paiban."""
    env = os.environ.get("PAIBAN_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "paiban"


_digests: dict[bytes, str] = {}     # this process's answers, by the same identity


def file_digest(p: Path) -> str:
    """SHA-256 of a file, remembered on disk under its path, size, mtime and inode (as git's
    index does), so the 39 MB of bundled fonts are not hashed again by every process (0.04 s).
    A file that is rewritten gets a new mtime and is hashed afresh."""
    import hashlib

    st = p.stat()
    ident = f"{p.resolve()}|{st.st_size}|{st.st_mtime_ns}|{st.st_ino}".encode("utf-8", "replace")
    known = _digests.get(ident)              # a photo placed on 16 pages is asked 16 times
    if known is not None:
        return known
    memo = cache_dir() / "digests" / hashlib.sha1(ident).hexdigest()
    try:
        digest = memo.read_text(encoding="ascii")
        if len(digest) == 64:
            _digests[ident] = digest
            return digest
    except OSError:
        pass
    h = hashlib.sha256()
    with open(p, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    digest = _digests[ident] = h.hexdigest()
    write_atomic(memo, digest.encode("ascii"))
    return digest


def write_atomic(path: Path, data: bytes) -> None:
    """Write a cache entry whole or not at all; a read-only cache just goes without."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, path)
    except OSError:
        pass
