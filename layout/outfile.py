"""Writing a file the user owns: whole or not at all, never over an input, never leaving litter.

- A regular file (or a new one) is written to a temporary file beside it and renamed over it,
  so a failed, killed or vetoed build leaves the previous file as it was. The temporary name is
  short (`.paiban-PID-XXXXXXXX.tmp`), so any valid output name works, and carries the writer's
  pid, so the next write into that folder removes what a killed (SIGKILL) writer left.
- A symbolic link stays a link: its target is written atomically, as editors do.
- `-` is standard output; a character device (/dev/null, a terminal) or a pipe is written
  through, never replaced by a regular file; a block device or a folder is refused.
- A new file gets the mode the user's umask gives (0666 & ~umask), as any new file does.
- SIGTERM and SIGHUP while the temporary file exists remove it, then end the process by that
  signal (SIGINT does the same through KeyboardInterrupt).
- OS errors become one located message naming the path (`layout.errors.os_error`).
"""
from __future__ import annotations

import errno
import os
import re
import signal
import stat
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable

from .errors import PaibanError, os_error

_TEMP = re.compile(r"\.paiban-(\d+)-[0-9a-f]{8}\.tmp")
STALE = 3600.0             # s: a temporary file this old is litter whoever made it (pid reused)
OLD_STALE = 600.0          # s: an old-style name has no pid; no build runs for ten minutes


def is_stdout(path: Path | str) -> bool:
    """`-`, or a path that is this process's standard output (/dev/stdout, /proc/self/fd/1)."""
    if str(path) == "-":
        return True
    try:
        return os.path.samestat(os.stat(path), os.fstat(1))
    except (OSError, ValueError):
        return False


def refuse_inputs(output: Path | None, inputs: Iterable[tuple[Path, str, object]]) -> None:
    """Refuse an output that is one of the build's inputs (path, what it is, where it is named):
    the same path once links are followed, or the same file (device and inode: a hard link).
    None (no such output) and standard output pass."""
    if output is None or is_stdout(output):
        return
    real = os.path.realpath(output)
    try:
        st = os.stat(output)
        st = st if stat.S_ISREG(st.st_mode) else None      # a terminal may be stdin and stdout
    except (OSError, ValueError):
        st = None
    for path, what, where in inputs:
        same = os.path.realpath(path) == real
        if not same and st is not None:
            try:
                same = os.path.samestat(st, os.stat(path))
            except (OSError, ValueError):
                pass
        if same:
            raise PaibanError(f"the output {output} is {what}; paiban never writes over an input",
                              where=where, hint="name another file for the output")


def write_atomic(path: Path, data: bytes, *, check: Callable[[Path], None] | None = None,
                 mode: int | None = None) -> None:
    """Write `data` to `path` (see the module's docstring). `check(tmp)` may veto the file
    before it replaces anything; `mode` gives the file those permission bits instead of the
    umask's (a rewritten issue file keeps its own)."""
    path = Path(path)
    try:
        with _signals_remove_temp():
            if is_stdout(path):
                sys.stdout.flush()
                _through(sys.stdout.buffer, data, check)
                return
            try:
                st = os.stat(path)          # through links, also /dev/fd/N of a pipe
            except FileNotFoundError:
                st = None
            if st is not None and stat.S_ISDIR(st.st_mode):
                raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
            if st is not None and stat.S_ISBLK(st.st_mode):
                raise PaibanError(f"{path} is a block device; paiban writes a file, a character "
                                  "device or standard output (-)")
            if st is not None and not stat.S_ISREG(st.st_mode):
                with open(path, "wb") as f:                  # a terminal, /dev/null, a pipe
                    _through(f, data, check)
                return
            target = Path(os.path.realpath(path)) if os.path.islink(path) else path
            sweep(target.parent, target.name)
            replace(target, data, mode=mode, check=check)
    except OSError as e:
        if e.errno in (errno.ENOENT, errno.ENOTDIR) and not path.parent.is_dir():
            raise PaibanError(f"the output folder {path.parent} does not exist", where=path,
                              hint="create it first, or write elsewhere") from None
        raise os_error(e, path, "cannot write") from None


def replace(target: Path, data: bytes, *, mode: int | None = None,
            check: Callable[[Path], None] | None = None) -> None:
    """The atomic step every writer of paiban shares (outputs here, cache entries in
    layout/cache.py): `data` into a new temporary file beside `target`, vetoed or not by
    `check`, then renamed over it; the temporary file never outlives a failure."""
    tmp = _temp_file(target.parent, data, mode)
    try:
        if check is not None:
            check(tmp)
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise


def sweep(folder: Path, name: str) -> None:
    """Remove what killed writers left in `folder`: temporary files whose process is gone (or
    older than STALE: the pid was reused), and the `.NAME.XXXXXXXX.tmp` files of output `name`
    that earlier versions named without a pid, once older than OLD_STALE. A live writer's
    temporary file is left alone."""
    now = time.time()
    old = re.compile(rf"\.{re.escape(name)}\.[a-z0-9_]{{8}}\.tmp")
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for e in entries:
        m = _TEMP.fullmatch(e.name)
        try:
            if m and (not _alive(int(m.group(1))) or now - e.stat().st_mtime > STALE):
                _unlink(e.path)
            elif old.fullmatch(e.name) and now - e.stat().st_mtime > OLD_STALE:
                _unlink(e.path)
        except OSError:
            pass


def _temp_file(folder: Path, data: bytes, mode: int | None) -> Path:
    """A new file in `folder` holding `data`; created 0666 so that the umask (and a default
    ACL) gives its mode, as for any new file."""
    while True:
        tmp = folder / f".paiban-{os.getpid()}-{os.urandom(4).hex()}.tmp"   # (secrets' way)
        try:
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as f:
            if mode is not None:
                os.fchmod(f.fileno(), mode)
            _write_all(f, data)
    except BaseException:
        _unlink(tmp)
        raise
    return tmp


def _write_all(f, data: bytes) -> None:
    f.write(data)
    f.flush()


def _through(f, data: bytes, check) -> None:
    """Write to a stream (standard output, a device, a pipe); a `check` vetoes a copy in the
    temporary folder first, since what is written to a stream cannot be taken back."""
    if check is not None:
        import tempfile                  # (here: `paiban check` would import it for nothing)

        tmp = _temp_file(Path(tempfile.gettempdir()), data, None)
        try:
            check(tmp)
        finally:
            _unlink(tmp)
    _write_all(f, data)


def _alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except (ProcessLookupError, OverflowError):
        return False
    except PermissionError:
        return True                  # another user's process
    return True


def _unlink(p) -> None:
    try:
        os.unlink(p)
    except OSError:
        pass


class _Signalled(BaseException):
    def __init__(self, signum: int):
        super().__init__(signum)
        self.signum = signum


def _raise(signum, _frame):
    raise _Signalled(signum)


@contextmanager
def _signals_remove_temp():
    """SIGTERM and SIGHUP become an exception while the body runs, so that its clean-up runs;
    then the process ends by the same signal, as it would have. Handlers someone else set (or
    SIG_IGN, as nohup sets) are left alone."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    saved = {}
    for s in (signal.SIGTERM, getattr(signal, "SIGHUP", signal.SIGTERM)):
        if signal.getsignal(s) is signal.SIG_DFL:
            saved[s] = signal.signal(s, _raise)
    try:
        yield
    except _Signalled as e:
        for s, h in saved.items():
            signal.signal(s, h)
        saved = {}
        os.kill(os.getpid(), e.signum)
        raise SystemExit(128 + e.signum) from None    # if the signal is blocked
    finally:
        for s, h in saved.items():
            signal.signal(s, h)
