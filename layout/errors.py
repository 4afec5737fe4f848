"""User-facing errors: what is wrong, where (file:line:column) and how to fix it.

The CLI prints these without a traceback and exits with code 2 (4: the system refused to read or
write a file; 3: a bug).
"""
from __future__ import annotations

import errno


class PaibanError(Exception):
    """An error the user can fix: bad input, a missing file."""

    exit_code = 2

    def __init__(self, message: str, *, where: object = None, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.where = where
        self.hint = hint

    def __str__(self) -> str:
        head = f"{self.where}: error: {self.message}" if self.where else f"error: {self.message}"
        return head + (f"\n  hint: {self.hint}" if self.hint else "")


class IssueFileError(PaibanError):
    """The issue file is not valid."""


class InternalError(PaibanError):
    """paiban made something it should not have (its own PDF failed its preflight): a bug."""

    exit_code = 3


class SystemRefusedError(PaibanError):
    """The operating system refused to read or write a file (disk full, file size limit,
    read-only file system, permission denied, I/O error): neither bad input nor a bug."""

    exit_code = 4


# A path that names nothing usable is a mistake in the command line or the issue file (exit 2);
# every other OS error is the system refusing (exit 4).
_PATH_ERRNOS = {errno.ENOENT, errno.ENOTDIR, errno.EISDIR, errno.ENAMETOOLONG, errno.ELOOP}
_SYSTEM_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EIO, errno.EACCES,
                  errno.EPERM, errno.EMFILE, errno.ENFILE}
_HINTS = {
    errno.ENOENT: "check the path: the folder must exist",
    errno.ENOTDIR: "check the path: a part of it is a file, not a folder",
    errno.EISDIR: "name a file, not a folder",
    errno.ENAMETOOLONG: "use a shorter name",
    errno.ELOOP: "a symbolic link in the path points in a circle",
    errno.ENOSPC: "the disk is full: free some space, or write elsewhere",
    errno.EDQUOT: "the disk quota is used up: free some space, or write elsewhere",
    errno.EFBIG: "the file is larger than this process may write (ulimit -f) or the file "
                 "system holds",
    errno.EROFS: "the file system is read-only: write elsewhere",
    errno.EACCES: "check the permissions of the file and of its folder",
    errno.EPERM: "check the permissions of the file and of its folder",
}


def os_error(e: OSError, path: object = None, doing: str = "") -> PaibanError | None:
    """An OSError as the user's error: the path, what was being done and the OS's words, exit 2
    for a path that names nothing usable, 4 for the system refusing. None for an OSError that
    names no file and no system condition (that may be a bug)."""
    path = path if path is not None else e.filename
    if path is None and e.errno not in _SYSTEM_ERRNOS:
        return None
    name = errno.errorcode.get(e.errno or 0, "")
    what = (e.strerror or str(e)) + (f" [{name}]" if name else "")
    cls = PaibanError if e.errno in _PATH_ERRNOS else SystemRefusedError
    return cls(f"{doing}: {what}" if doing else what, where=path, hint=_HINTS.get(e.errno, ""))
