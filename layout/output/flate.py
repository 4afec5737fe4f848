"""Flate compression of large, unchanging blobs (the output profile), remembered on disk.

The ICC profile embedded as the OutputIntent is 430 KB; compressing it at level 9 costs
0.07 s in every build although it gives the same bytes each time. They are kept in the cache
folder under the SHA-256 of the input and the level (an entry checked on read, like every
cache entry: layout.cache). The cache never changes the output, only its cost.
"""
from __future__ import annotations

import hashlib
import zlib

_memo: dict[tuple[str, int], bytes] = {}


def compress_cached(data: bytes, level: int = 9) -> bytes:
    """``zlib.compress(data, level)``, from the disk cache when it was made before."""
    key = (hashlib.sha256(data).hexdigest(), level)
    hit = _memo.get(key)
    if hit is not None:
        return hit
    from ..cache import entry_path, read_entry, write_entry

    path = entry_path("flate", f"{key[0]}-{level}.z")
    z = read_entry(path)
    if z is None:
        z = zlib.compress(data, level)
        write_entry(path, z)
    _memo[key] = z
    return z
