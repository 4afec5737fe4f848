"""Flate compression of large, unchanging blobs (the output profile), remembered on disk.

The ICC profile embedded as the OutputIntent is 430 KB; compressing it at level 9 costs
0.07 s in every build although it gives the same bytes each time. They are kept in the cache
folder under the SHA-256 of the input and the level, and used only when they decompress to
exactly the input again (1 ms), so a damaged cache file cannot reach a PDF. The cache never
changes the output, only its cost.
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
    from ..cache import cache_dir, write_atomic

    path = cache_dir() / "flate" / f"{key[0]}-{level}.z"
    try:
        z = path.read_bytes()
        if zlib.decompress(z) == data:
            _memo[key] = z
            return z
    except (OSError, zlib.error):
        pass
    z = zlib.compress(data, level)
    _memo[key] = z
    write_atomic(path, z)
    return z
