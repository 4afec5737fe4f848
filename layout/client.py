"""The `paiban` entry point: hand `build` and `check` to a warm engine when one runs, else run
the command in this process.

A cold command spends ~0.2 s importing click, PyYAML, reportlab and pikepdf before any work. A
warm engine (`paiban daemon start`, or the one `serve` and `watch` host) has paid that once; this
module, standard library only, finds it through a state file in a private runtime folder, sends
one JSON request over its Unix socket with this process's standard input, output and error
passed along (SCM_RIGHTS: the engine's worker writes to them directly, so the bytes are the
ones a cold run writes) and exits with the code the engine sends back. No engine, a dead one, a
refused or slow connection, another version of the code: the command runs here, as before.
Nothing here imports click, yaml or the pipeline until it knows it must work in process.
"""
from __future__ import annotations

import os
import stat
import sys

# No json, no socket: their imports (re, enum, the IntEnum conversion of socket's constants) cost
# 7 ms of a 20 ms client, a tenth of the whole budget a warm build aims at. The C modules
# under them (_json, _socket) are all the client needs; they are imported where an engine is
# found, so without one the command costs what it cost before this module existed.

ROUTED = ("build", "check")          # the commands an engine runs; the rest run here
CONNECT_TIMEOUT = 1.0                # s: a connection, and the engine's answer to a request
LOCALE_VARS = ("LANG", "LANGUAGE", "LC_ALL", "LC_CTYPE", "LC_MESSAGES", "LC_NUMERIC",
               "LC_COLLATE", "LC_TIME", "PYTHONIOENCODING", "PYTHONUTF8")
PACKAGE = os.path.dirname(os.path.abspath(__file__))


class RuntimeDirError(Exception):
    """The runtime folder is not private to this user (or cannot be made)."""


def runtime_dir(create: bool = True) -> str:
    """The private folder for the engine's socket and state: PAIBAN_RUNTIME_DIR, else
    $XDG_RUNTIME_DIR/paiban, else /tmp/paiban-UID. It must be a folder (not a link) owned by
    this user with no access for others (0700); anything else is refused, since whoever can
    write there could stand in for the engine."""
    path = os.environ.get("PAIBAN_RUNTIME_DIR")
    if not path:
        base = os.environ.get("XDG_RUNTIME_DIR")
        path = os.path.join(base, "paiban") if base else f"/tmp/paiban-{os.getuid()}"
    if create:
        try:
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
        except OSError as e:
            raise RuntimeDirError(f"{path}: cannot create the runtime folder: {e.strerror}")
    try:
        st = os.lstat(path)
    except OSError as e:
        raise RuntimeDirError(f"{path}: {e.strerror}")
    if not stat.S_ISDIR(st.st_mode) or st.st_uid != os.getuid() or st.st_mode & 0o077:
        raise RuntimeDirError(f"{path}: the runtime folder must be a folder of yours with mode "
                              f"0700 (it is {stat.filemode(st.st_mode)}, owner {st.st_uid})")
    return path


def engine_key() -> str:
    """One engine per user, interpreter and copy of the code."""
    import zlib
    ident = f"{interpreter()}|{PACKAGE}".encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(ident):08x}"


def interpreter() -> str:
    """This interpreter, whatever name started it: `paiban`'s script runs bin/python3, `python -m
    layout` bin/python, the same program (its real path) in the same environment (its prefix),
    and both must find the same engine."""
    return f"{os.path.realpath(sys.executable)}|{sys.prefix}"


def paths(folder: str) -> dict[str, str]:
    base = os.path.join(folder, f"engine-{engine_key()}")
    return {"state": base + ".json", "socket": base + ".sock", "lock": base + ".lock",
            "log": base + ".log", "imports": base + ".imports"}


def code_version() -> str:
    """The package version and a fingerprint of its code on disk (names, sizes, mtimes of the
    .py files): an engine started before an edit is another version."""
    import zlib
    from layout import __version__
    acc = 0
    for root, dirs, files in os.walk(PACKAGE):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__")))
        for name in sorted(files):
            if name.endswith(".py"):
                p = os.path.join(root, name)
                try:
                    st = os.stat(p)
                except OSError:
                    continue
                acc = zlib.crc32(f"{p}|{st.st_size}|{st.st_mtime_ns};".encode(
                    "utf-8", "surrogateescape"), acc)
    return f"{__version__}+{acc:08x}"


def read_state(folder: str) -> dict | None:
    """The running engine's state (pid, socket, version, interpreter, token), or None."""
    state = read_private(paths(folder)["state"])
    return state if isinstance(state, dict) else None


def read_private(path: str):
    """The JSON value in one of the engine's files, or None. The file must be this user's and
    private, like its folder."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if st.st_uid != os.getuid() or st.st_mode & 0o077 or st.st_size > 65536:
            return None
        return loads(os.read(fd, 65536).decode("utf-8"))
    except (OSError, ValueError):
        return None
    finally:
        os.close(fd)


def request_env() -> dict[str, str]:
    """What of this process's environment the engine's worker takes on: paiban's own settings
    and the locale; nothing else crosses (no PATH, no credentials)."""
    return {k: v for k, v in os.environ.items() if k.startswith("PAIBAN_") or k in LOCALE_VARS}


def dumps(value) -> str:
    """json.dumps(value) (ASCII, compact) for what a request holds: dicts, lists, strings,
    integers, booleans and None. The strings are escaped by json's own C function."""
    from _json import encode_basestring_ascii as quote
    if isinstance(value, str):
        return quote(value)
    if value is None or isinstance(value, bool):
        return {None: "null", True: "true", False: "false"}[value]
    if isinstance(value, int):
        return int.__repr__(value)
    if isinstance(value, dict):
        return "{" + ",".join(f"{quote(str(k))}:{dumps(v)}" for k, v in value.items()) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ",".join(dumps(v) for v in value) + "]"
    raise TypeError(f"cannot send a {type(value).__name__}")


class _Decoding:
    """What json's C scanner reads off its decoder: plain JSON, strict strings."""
    strict, object_hook, object_pairs_hook = True, None, None
    parse_float, parse_int = float, int

    @staticmethod
    def parse_constant(name: str):
        raise ValueError(f"{name} is not JSON")


def loads(text: str):
    """json.loads(text) by json's own C scanner, without importing json (and re)."""
    from _json import make_scanner
    try:
        value, end = make_scanner(_Decoding())(text, len(text) - len(text.lstrip(" \t\r\n")))
    except StopIteration:
        raise ValueError("not JSON") from None
    if text[end:].strip(" \t\r\n"):
        raise ValueError("extra data after the JSON value")
    return value


def connect(state: dict, timeout: float = CONNECT_TIMEOUT):
    """A connected Unix socket (_socket's: no context manager, close() it)."""
    import _socket
    s = _socket.socket(_socket.AF_UNIX, _socket.SOCK_STREAM)
    s.settimeout(timeout)
    try:
        s.connect(state["socket"])
    except BaseException:
        s.close()
        raise
    return s


def send_request(s, req: dict, fds: list[int] | None = None) -> None:
    data = dumps(req).encode("utf-8") + b"\n"
    if fds:           # what socket.send_fds does: SCM_RIGHTS with an array of C ints
        import _socket
        rights = b"".join(fd.to_bytes(4, sys.byteorder, signed=True) for fd in fds)
        sent = s.sendmsg([data], [(_socket.SOL_SOCKET, _socket.SCM_RIGHTS, rights)])
        data = data[sent:]
    if data:
        s.sendall(data)


class Replies:
    """The engine's answers on one connection: one JSON object a line."""

    def __init__(self, s):
        self.s, self.buf = s, b""

    def next(self) -> dict | None:
        while b"\n" not in self.buf:
            chunk = self.s.recv(65536)
            if not chunk:
                return None
            self.buf += chunk
            if len(self.buf) > 1 << 20:
                return None
        line, self.buf = self.buf.split(b"\n", 1)
        try:
            msg = loads(line.decode("utf-8"))
        except ValueError:          # UnicodeDecodeError included
            return None
        return msg if isinstance(msg, dict) else None


def ask(folder: str, req: dict, timeout: float = CONNECT_TIMEOUT) -> dict | None:
    """One control request (status, stop) to the running engine; None if there is none."""
    state = read_state(folder)
    if state is None:
        return None
    try:
        s = connect(state, timeout)
    except (OSError, KeyError, TypeError):
        return None
    try:
        send_request(s, dict(req, token=state.get("token", "")))
        return Replies(s).next()
    except OSError:
        return None
    finally:
        s.close()


def _command(args: list[str]) -> str | None:
    """The subcommand named by `args` (options before it are the group's)."""
    for a in args:
        if a == "--no-daemon":
            continue
        return None if a.startswith("-") else a
    return None


def run_remote(args: list[str]) -> int | None:
    """Run `paiban ARGS` in the warm engine; None when it cannot (then run it here)."""
    if os.name != "posix":
        return None                  # Unix sockets and passed descriptors: POSIX only
    try:
        folder = runtime_dir(create=False)
    except RuntimeDirError:
        return None
    state = read_state(folder)
    if state is None or state.get("environment") != interpreter():
        return None
    try:
        cwd = os.getcwd()
    except OSError:
        return None                  # a folder removed under the shell: let the command say so
    version = code_version()
    req = {"op": "run", "token": state.get("token", ""), "version": version,
           "args": args, "prog_name": prog_name(), "cwd": cwd,
           "env": request_env(),
           "encodings": [[f.encoding, f.errors] if f is not None else None
                         for f in (sys.stdin, sys.stdout, sys.stderr)]}
    try:
        s = connect(state)
    except (OSError, KeyError, TypeError):
        return None
    try:
        try:
            send_request(s, req, [0, 1, 2])
            replies = Replies(s)
            first = replies.next()              # the engine's yes or no, within the timeout
            if first is None or not first.get("accepted"):
                if first is not None and first.get("declined") == "version":
                    _restart(folder, state)
                return None
            s.settimeout(None)                  # a build takes what it takes
            last = replies.next()
        except OSError:
            return None
    finally:
        s.close()
    if last is None or not isinstance(last.get("exit"), int):
        # the worker died under us (killed): build here; writes are atomic, so nothing is lost
        sys.stderr.write("paiban: the engine stopped during the command; running it here\n")
        return None
    return last["exit"]


def _restart(folder: str, state: dict) -> None:
    """An engine of another version of the code: it has stopped itself; start one of this
    version in the background (the command itself runs here), with the old one's idle time (a
    hosted one had none: the default)."""
    from layout.engine.control import spawn
    try:
        spawn(folder, idle=state.get("idle") or None)
    except OSError:
        pass                         # no new engine: commands run in their own process


def prog_name() -> str:
    """The name click would give this program in its messages (as click derives it), so that
    the engine's worker says `python -m layout` or `paiban` as this process would."""
    path = sys.argv[0] if sys.argv and sys.argv[0] else "paiban"
    pkg = getattr(sys.modules.get("__main__"), "__package__", None)
    if not pkg:
        return os.path.basename(path)
    name = os.path.splitext(os.path.basename(path))[0]
    return f"python -m {(pkg if name == '__main__' else pkg + '.' + name).lstrip('.')}"


def _exit(code: int):
    """End the process after a command the engine ran: this process made no file and set no
    exit handler, so the interpreter's own tear-down (1.7 ms of a 0.13 s build) is skipped."""
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--no-daemon" in args[1:]:    # accepted anywhere; click knows it before the command
        args = ["--no-daemon"] + [a for a in args if a != "--no-daemon"]
    if (_command(args) in ROUTED and "--no-daemon" not in args
            and os.environ.get("PAIBAN_NO_DAEMON") != "1"):
        try:
            code = run_remote(args)
        except KeyboardInterrupt:    # the worker sees the connection close and stops too
            return 130
        if code is not None:
            if argv is None:         # the process's own command: end it now
                _exit(code)
            return code
    from layout.cli import main as cli_main
    return cli_main(args=args, prog_name=prog_name())
