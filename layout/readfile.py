"""Reading a file whose size is bounded: its type and size are checked before a byte is read, so
a device (/dev/zero), a FIFO or a 3 GB sparse file costs neither unbounded time nor memory."""
from __future__ import annotations

import os
import stat
from pathlib import Path


class NotReadable(ValueError):
    """The file is not a regular file, or is larger than the caller's limit; says which."""


def read_bounded(path: Path, limit: int) -> bytes:
    """The bytes of the regular file `path`, at most `limit` of them (never more is read).
    Raises NotReadable ("is a folder", "is not a regular file …", "is N MB …") or OSError."""
    # O_NONBLOCK: opening a FIFO must not wait for a writer
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise NotReadable("is a folder")
        if not stat.S_ISREG(st.st_mode):
            raise NotReadable("is not a regular file (a device, pipe or socket)")
        if st.st_size > limit:
            raise NotReadable(f"is {_size(st.st_size)}, more than the {_size(limit)} allowed")
        chunks, left = [], limit + 1          # one byte more: a file that grew is seen
        while left > 0:
            b = os.read(fd, min(left, 1 << 20))
            if not b:
                break
            chunks.append(b)
            left -= len(b)
        data = b"".join(chunks)
        if len(data) > limit:
            raise NotReadable(f"is more than the {_size(limit)} allowed")
        return data
    finally:
        os.close(fd)


def _size(n: int) -> str:
    return f"{n / 2 ** 20:.0f} MB" if n >= 2 ** 20 else f"{n} bytes"
