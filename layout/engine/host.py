"""The engine process: `python -m layout.engine.host [--idle S] [--parent PID]`.

It takes the engine's lock (a second engine for the same key exits at once), warms the pipeline,
listens on a Unix socket in the private runtime folder and writes the state file (0600: pid,
socket, version, interpreter, token). Each connection is checked (the peer is this user) and
handed to a worker, which reads the request, checks the token, the code version and the
fonts, answers `accepted` and runs the command with the client's standard streams, working
folder and PAIBAN_*/locale environment, then sends the exit code. The worker is a spare forked
ahead of the request (`Spare`), which has warmed itself while the machine was idle, or, when
none is ready, a child forked for the request. The engine stops on SIGTERM,
after `idle` seconds without a request, when the process that hosts it (`--parent`) is gone, or
when its code or fonts change on disk.
"""
from __future__ import annotations

import argparse
import fcntl
import gc
import hmac
import io
import json
import os
import secrets
import select
import signal
import socket
import struct
import sys
import threading
import time

from ..client import (LOCALE_VARS, PACKAGE, RuntimeDirError, code_version, dumps, interpreter,
                      paths, read_private, runtime_dir)

MAX_REQUEST = 1 << 20        # bytes: a request is a command line, never more
MAX_REPORT = 60000           # bytes: a worker's list of imports (less than a pipe holds)
REQUEST_TIMEOUT = 5.0        # s: a client that sends nothing is dropped (by its worker)
TICK = 0.5                   # s: how often the engine looks at its idle time, parent and fonts
LOCK_WAIT = 30.0             # s: a starting or stopping engine has this long to finish
DEFAULT_IDLE = 900.0         # s: `paiban daemon start` stops after 15 minutes unused
SPARE_HEAP = 32 << 20        # bytes of heap a spare worker touches before it is ready
SPARE_FAILURES = 3           # spares that die unready before the engine stops making them

WARM_ISSUE = """\
paper: 预热
date: 2024-01-01
pages:
  - number: 2
    section: 要闻
    geometry: tabloid
    articles:
      - id: a
        module: {column: 1, span: 3, line: 1, lines: 20}
        kicker: 引题
        headline: 主题文字
        subhead: 副题
        dateline: 本报讯
        paragraphs: [“测试”，文字排版（2024年）ABC 123。, 第二段文字。]
        byline: 记者 某某
"""


def font_fingerprint() -> list:
    """The bundled faces as this environment finds them (PAIBAN_FONT_DIR, each file's size,
    mtime and inode). Face metrics are kept in memory by face name, so a worker whose faces
    differ from the engine's cannot use the warm state."""
    from ..text.fonts import FACE_FILES, font_dir

    d = font_dir()
    out: list = [str(d)]
    for name in sorted(FACE_FILES.values()):
        try:
            st = os.stat(d / name)
            out.append([name, st.st_size, st.st_mtime_ns, st.st_ino])
        except OSError:
            out.append([name, None])
    return out


def warm_up() -> list[str]:
    """Run `build` and `check` of a small page through the CLI once, as a client's request
    runs them, so that every worker starts with their imports done and their code paths warm
    (reportlab and pikepdf set-up, face metrics). Through the CLI, not the functions under it,
    so that a change of those cannot leave the engine cold unnoticed. The caches this fills are
    keyed by content or by the face files, which workers check. Returns the commands that
    failed, with what they said (also on standard error: the engine's log)."""
    import tempfile

    try:
        import pypdfium2  # noqa: F401   (build --png)
    except ImportError:
        pass
    failed = []
    with tempfile.TemporaryDirectory(prefix="paiban-warm-") as tmp:
        issue = os.path.join(tmp, "warm.yaml")
        with open(issue, "w", encoding="utf-8") as f:
            f.write(WARM_ISSUE)
        for args in (["build", issue, "-o", os.path.join(tmp, "warm.pdf"), "--allow-overflow"],
                     ["check", issue]):
            said = io.StringIO()
            saved = sys.stdout, sys.stderr, sys.argv
            sys.stdout = sys.stderr = said
            try:
                code = _run_cli(args, "paiban")
            finally:
                sys.stdout, sys.stderr, sys.argv = saved
            if code not in (0, 1):        # warming is an optimisation, never a failure
                failed.append(f"{args[0]} (exit {code}): {said.getvalue()[-2000:]}")
    for f in failed:
        print(f"paiban engine: the warm-up {f}", file=sys.stderr)
    return failed


def learnable(name: str, module) -> bool:
    """A module a worker imported that the engine may import ahead of the next request: a
    plain dotted name whose file is in the standard library, the site packages or paiban
    itself, never one found through a worker's working folder."""
    if not all(part.isidentifier() for part in name.split(".")):
        return False
    origin = getattr(getattr(module, "__spec__", None), "origin", None)
    if not isinstance(origin, str) or not os.path.isabs(origin):
        return False                 # built in, frozen, a namespace package: nothing to win
    return origin.startswith(_import_roots())


def _import_roots() -> tuple[str, ...]:
    import sysconfig

    roots = {os.path.join(sysconfig.get_paths()[k], "") for k in
             ("stdlib", "platstdlib", "purelib", "platlib")}
    return tuple(roots | {os.path.join(PACKAGE, "")})


class Engine:
    def __init__(self, folder: str, idle: float, parent: int | None):
        self.folder, self.idle, self.parent = folder, idle, parent
        self.paths = paths(folder)
        self.stop = False
        self.children: dict[int, int] = {}   # worker pid → the pipe it reports its imports on
        self.reports: dict[int, bytearray] = {}   # pipe → what came so far
        self.learned: set[str] = set()       # modules workers imported, imported here too
        self.last = time.monotonic()
        self.requests = 0            # connections accepted (status reports it)
        self.spared = 0              # of which a warmed spare served
        self.pid = os.getpid()
        self.spare: _SpareHandle | None = None
        self.spare_failures = 0
        self.listening: socket.socket | None = None

    # ------------------------------------------------------------------ life
    def run(self) -> int:
        lock = os.open(self.paths["lock"], os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        if not self._lock(lock):
            os.close(lock)
            print("paiban engine: another engine is running for this copy of paiban",
                  file=sys.stderr)
            return 0
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
            signal.signal(sig, self._on_signal)
        warm_up()
        self._learn(read_private(self.paths["imports"]), save=False)
        self.version = code_version()
        self.fonts = font_fingerprint()
        self.token = secrets.token_hex(16)
        self.started = time.time()
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            os.unlink(self.paths["socket"])
        except FileNotFoundError:
            pass
        old = os.umask(0o177)
        try:
            sock.bind(self.paths["socket"])
        finally:
            os.umask(old)
        sock.listen(64)
        self.listening = sock
        self._write_state()
        _keep_freed_memory()
        self._freeze()
        try:
            self._loop(sock)
        finally:
            self._drop_spare()
            self._cleanup(sock)
            os.close(lock)
        return 0

    @staticmethod
    def _freeze() -> None:
        gc.collect()
        gc.freeze()        # workers share the warm heap instead of copying it on first collect

    def _learn(self, names, save: bool = True) -> None:
        """Import what a worker's command imported that the engine had not (numpy and PIL's
        plugins for a page with photos: 0.1 s of each request otherwise), so the next
        workers start with it; kept in the runtime folder for the next engine. A name that no
        longer imports is forgotten."""
        if not isinstance(names, list):
            return
        import importlib

        new = sorted({n for n in names if isinstance(n, str) and n not in self.learned
                      and all(p.isidentifier() for p in n.split("."))})
        for name in new:
            try:
                if name not in sys.modules:
                    importlib.import_module(name)
                self.learned.add(name)
            except Exception as e:            # noqa: BLE001 - an optimisation, never a failure
                print(f"paiban engine: not importing {name}: {e}", file=sys.stderr)
        if new and save:
            self._freeze()
            self._drop_spare()                # forked before these imports: a new one comes
            try:
                _write_private(self.paths["imports"], sorted(self.learned))
            except OSError as e:
                print(f"paiban engine: cannot keep the list of imports: {e}", file=sys.stderr)

    def _lock(self, lock: int) -> bool:
        """Take the engine's lock. Held by an engine that answers: False (it runs, we are
        not needed). Held by one that does not answer, it is starting (warming) or stopping (a
        restart): wait for it, a bounded time."""
        from .control import status

        end = time.monotonic() + LOCK_WAIT
        while True:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if status(self.folder) is not None or time.monotonic() > end:
                    return False
                time.sleep(0.1)

    def _on_signal(self, signum, frame) -> None:
        self.stop = True

    def _write_state(self) -> None:
        state = {"pid": os.getpid(), "socket": self.paths["socket"], "version": self.version,
                 "interpreter": sys.executable, "environment": interpreter(), "token": self.token, "started": self.started,
                 "idle": self.idle, "hosted": self.parent is not None}
        _write_private(self.paths["state"], state)

    def _cleanup(self, sock: socket.socket) -> None:
        sock.close()
        from ..client import read_state
        state = read_state(self.folder)
        if state is not None and state.get("pid") == os.getpid():
            for key in ("state", "socket"):
                try:
                    os.unlink(self.paths[key])
                except OSError:
                    pass

    def _loop(self, sock: socket.socket) -> None:
        while not self.stop:
            try:
                spare = [self.spare.chan] if self.spare is not None else []
                ready, _, _ = select.select([sock, *self.reports, *spare], [], [], TICK)
            except InterruptedError:
                ready = []
            for fd in ready:
                if fd in self.reports:
                    self._report(fd)
                elif self.spare is not None and fd is self.spare.chan:
                    self._spare_said()
            self._reap()
            if self.stop or self._stale():
                break
            if not self.children:
                self._new_spare()    # while no request runs: its warm-up would slow one down
            if sock in ready:
                self.last = time.monotonic()
                self._accept(sock)
            elif (not self.children and self.idle
                  and time.monotonic() - self.last >= self.idle):
                break

    def _stale(self) -> bool:
        """Looked at on every turn, requests or not: the serve/watch that hosts us is gone, or
        the face files differ from the metrics warmed in memory."""
        if self.parent is not None and os.getppid() != self.parent:
            return True
        return font_fingerprint() != self.fonts

    def _report(self, fd: int) -> None:
        """Read a worker's report of its imports; at its end (the worker is gone), learn it."""
        try:
            data = os.read(fd, 65536)
        except OSError:
            data = b""
        buf = self.reports[fd]
        if data and len(buf) + len(data) <= MAX_REPORT:
            buf += data
            return
        os.close(fd)
        del self.reports[fd]
        if not data:
            try:
                names = json.loads(buf)
            except ValueError:
                return                        # a worker killed while writing
            self._learn(names)

    def _reap(self) -> None:
        for pid in list(self.children):
            try:
                done, _ = os.waitpid(pid, os.WNOHANG)
            except ChildProcessError:
                done = pid
            if done:
                self.children.pop(pid)

    def _accept(self, sock: socket.socket) -> None:
        try:
            conn, _ = sock.accept()
        except OSError:
            return
        try:
            # Linux tells who connected; elsewhere the 0700 folder and the token must do
            peercred = getattr(socket, "SO_PEERCRED", None)
            uid = os.getuid() if peercred is None else struct.unpack("3i", conn.getsockopt(
                socket.SOL_SOCKET, peercred, struct.calcsize("3i")))[1]
            if uid != os.getuid():
                conn.close()       # not this user's process: no answer
                return
            self.requests += 1
            if self._to_spare(conn):
                return
            r, w = os.pipe()
        except OSError:
            conn.close()
            return
        pid = self._fork(lambda: Worker(self, conn, w).run(), r)
        if pid is None:
            for fd in (r, w):
                os.close(fd)
            conn.close()
            return
        os.close(w)
        self.children[pid] = r
        self.reports[r] = bytearray()
        conn.close()

    def _fork(self, run, *close) -> int | None:
        """A child that lets go of the engine's descriptors (the listening socket, workers'
        report pipes, the spare's channel) and of `close`, calls `run` and exits (1 if it
        raised); its pid, None when it could not be forked."""
        try:
            pid = os.fork()
        except OSError:
            return None
        if pid == 0:
            code = 0
            try:
                spare = [self.spare.chan, self.spare.report] if self.spare is not None else []
                for f in [self.listening, *close, *self.reports, *spare]:
                    try:
                        f.close() if isinstance(f, socket.socket) else os.close(f)
                    except OSError:
                        pass
                run()
            except BaseException:
                code = 1
            finally:
                os._exit(code)
        return pid

    # ------------------------------------------------------------------ the spare worker

    def _new_spare(self) -> None:
        """Fork the next request's worker, unless there is one: it warms itself at idle
        priority (`Spare`) and says when it is ready. Not after SPARE_FAILURES spares died:
        then every request forks its own worker, as without spares."""
        if self.spare is not None or self.spare_failures >= SPARE_FAILURES or self.stop:
            return
        try:
            chan, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        except OSError:
            return
        try:
            r, w = os.pipe()
        except OSError:
            chan.close()
            theirs.close()
            return
        pid = self._fork(lambda: Spare(self, theirs, w).run(), chan, r)
        if pid is None:
            for f in (chan, theirs):
                f.close()
            for fd in (r, w):
                os.close(fd)
            return
        theirs.close()
        os.close(w)
        self.spare = _SpareHandle(pid, chan, r)

    def _spare_said(self) -> None:
        """The spare is ready (one byte), or gone (end of file: it died while warming)."""
        sp = self.spare
        try:
            data = sp.chan.recv(16)
        except OSError:
            data = b""
        if data:
            sp.ready = True
            return
        self.spare_failures += 1
        self._drop_spare()

    def _to_spare(self, conn: socket.socket) -> bool:
        """Hand an accepted connection to the ready spare, which becomes a worker like any
        other (the next spare is forked once no worker runs). False: no spare is ready."""
        sp = self.spare
        if sp is None or not sp.ready:
            return False
        try:
            # with what the spare's copy of the engine cannot know (status reports it)
            socket.send_fds(sp.chan, [f"{self.requests} {self.spared + 1}".encode()],
                            [conn.fileno()])
        except OSError:
            self._drop_spare()
            return False
        sp.chan.close()
        self.spared += 1
        self.children[sp.pid] = sp.report
        self.reports[sp.report] = bytearray()
        self.spare = None
        conn.close()
        return True

    def _drop_spare(self) -> None:
        sp, self.spare = self.spare, None
        if sp is None:
            return
        sp.chan.close()
        os.close(sp.report)
        try:
            os.kill(sp.pid, signal.SIGKILL)      # idle, or warming: nothing of a request's
        except OSError:
            pass
        try:
            os.waitpid(sp.pid, 0)
        except ChildProcessError:
            pass


def _keep_freed_memory() -> None:
    """glibc: large blocks from the heap, and freed memory kept, so that a worker's buffers
    (the PDF, photo streams: megabytes, copied a few times) re-use pages it has touched: every
    page a forked process touches first costs it a page fault (1–3 µs each; a seed-page build
    in a fresh worker took 7,000–9,000). Elsewhere: nothing."""
    try:
        import ctypes

        libc = ctypes.CDLL(None)
        libc.mallopt(-3, 64 << 20)      # M_MMAP_THRESHOLD: mmap only above 64 MiB
        libc.mallopt(-1, 256 << 20)     # M_TRIM_THRESHOLD: give back only above 256 MiB
        libc.mallopt(-8, 1)             # M_ARENA_MAX: one heap, also for the spare's warm-up
    except (OSError, AttributeError, ImportError):
        pass


class Spare:
    """The next request's worker, forked before the request comes. A fresh fork pays for each
    page of memory it touches first (copy-on-write of the engine's heap, new heap for the
    build): 0.02–0.03 s of a seed-page build. The spare pays that in advance — it runs the
    engine's warm-up build (`warm_up`: a page of its own, never a request's) and touches
    SPARE_HEAP of heap — in a thread at idle priority (SCHED_IDLE: it runs only on a core
    nothing else wants), then says it is ready and waits for a connection. It keeps nothing
    of a request: each serves one and exits, as a forked worker does."""

    def __init__(self, engine: "Engine", chan: socket.socket, report: int):
        self.engine, self.chan, self.report = engine, chan, report

    def run(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGHUP, signal.SIGINT):
            signal.signal(sig, signal.SIG_DFL)
        warm = threading.Thread(target=self._warm)
        warm.start()
        warm.join()
        self.chan.sendall(b"r")
        try:
            msg, fds, _, _ = socket.recv_fds(self.chan, 64, 1)
        except OSError:
            return
        if len(fds) != 1:                 # the engine has gone (or dropped us)
            return
        self.chan.close()
        counts = msg.split()
        if len(counts) == 2 and all(c.isdigit() for c in counts):
            self.engine.requests, self.engine.spared = map(int, counts)
        Worker(self.engine, socket.socket(fileno=fds[0]), self.report, spare=True).run()

    @staticmethod
    def _warm() -> None:
        try:        # the calling thread only (Linux): the request runs at normal priority
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))
        except (AttributeError, OSError):
            pass
        warm_up()
        heap = bytearray(SPARE_HEAP)      # written through: its pages are this process's now
        del heap


class _SpareHandle:
    """The engine's view of its spare: the process, its channel, its imports' pipe."""
    __slots__ = ("pid", "chan", "report", "ready")

    def __init__(self, pid: int, chan: socket.socket, report: int):
        self.pid, self.chan, self.report, self.ready = pid, chan, report, False


class Worker:
    """One request, in a forked child of the engine (a spare, or one forked for it)."""

    def __init__(self, engine: Engine, conn: socket.socket, report: int, spare: bool = False):
        self.engine, self.conn, self.report = engine, conn, report
        self.spare = spare           # a warmed spare took this request (status says so)
        self.done = False

    def stop_engine(self) -> None:
        if os.getppid() == self.engine.pid:        # never another process that took its pid
            os.kill(self.engine.pid, signal.SIGTERM)

    def reply(self, msg: dict) -> None:
        self.conn.sendall(json.dumps(msg).encode("utf-8") + b"\n")

    def run(self) -> None:
        for sig in (signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, signal.SIG_DFL)
        signal.signal(signal.SIGINT, signal.default_int_handler)
        req, fds = self._read()
        try:
            if req is None or not hmac.compare_digest(str(req.get("token", "")),
                                                      self.engine.token):
                self.reply({"declined": "token"})
                return
            op = req.get("op")
            if op == "status":
                e = self.engine
                self.reply({"pid": e.pid, "version": e.version, "started": e.started,
                            "idle": e.idle, "hosted": e.parent is not None,
                            "requests": e.requests, "spared": e.spared,
                            "worker": "spare" if self.spare else "forked",
                            "modules": sorted(e.learned),
                            "socket": e.paths["socket"]})
            elif op == "stop":
                self.reply({"stopping": self.engine.pid})
                self.stop_engine()
            elif op == "run":
                self._run(req, fds)
            else:
                self.reply({"declined": "op"})
        finally:
            for fd in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass

    def _read(self) -> tuple[dict | None, list[int]]:
        self.conn.settimeout(REQUEST_TIMEOUT)
        buf, fds = b"", []
        try:
            while b"\n" not in buf and len(buf) < MAX_REQUEST:
                data, got, _, _ = socket.recv_fds(self.conn, 65536, 3)
                fds += got
                if not data:
                    break
                buf += data
            req = json.loads(buf.split(b"\n", 1)[0])
        except (OSError, ValueError):
            return None, fds
        return (req if isinstance(req, dict) else None), fds

    def _valid_run(self, req: dict, fds: list[int]) -> str:
        args, env, cwd = req.get("args"), req.get("env"), req.get("cwd")
        if (len(fds) != 3 or not isinstance(args, list) or not all(isinstance(a, str) for a in args)
                or not isinstance(env, dict) or not isinstance(cwd, str)
                or not all(isinstance(k, str) and isinstance(v, str) for k, v in env.items())):
            return "request"
        from ..client import ROUTED, _command
        if _command(args) not in ROUTED:
            return "command"
        if req.get("version") != self.engine.version:
            return "version"
        return ""

    def _run(self, req: dict, fds: list[int]) -> None:
        bad = self._valid_run(req, fds)
        if bad == "version":
            # the code on disk is not what this engine runs: it stops, the client starts anew
            self.reply({"declined": bad})
            self.stop_engine()
            return
        if bad:
            self.reply({"declined": bad})
            return
        for k in [k for k in os.environ if k.startswith("PAIBAN_") or k in LOCALE_VARS]:
            del os.environ[k]
        os.environ.update({k: v for k, v in req["env"].items()
                           if k.startswith("PAIBAN_") or k in LOCALE_VARS})
        try:
            os.chdir(req["cwd"])
        except OSError:
            self.reply({"declined": "cwd"})
            return
        if font_fingerprint() != self.engine.fonts:
            self.reply({"declined": "fonts"})
            return
        self.reply({"accepted": True})
        for i, fd in enumerate(fds):
            os.dup2(fd, i)
        _standard_streams(req.get("encodings"))
        threading.Thread(target=self._watch_client, daemon=True).start()
        before = set(sys.modules)
        code = _run_cli(req["args"], str(req.get("prog_name") or "paiban"))
        self.done = True
        self.reply({"exit": code})
        self._report_imports(before)

    def _report_imports(self, before: set[str]) -> None:
        """Tell the engine what this command imported (after the client has its answer)."""
        names = sorted(n for n, m in list(sys.modules.items())
                       if n not in before and learnable(n, m))
        data = dumps(names).encode("utf-8")
        if names and len(data) <= MAX_REPORT:
            try:
                os.write(self.report, data)      # fits the pipe: never blocks
            except OSError:
                pass

    def _watch_client(self) -> None:
        """A client that goes away (Ctrl-C) interrupts its command, as Ctrl-C would a cold run."""
        try:
            self.conn.settimeout(None)
            while self.conn.recv(1024):
                pass
        except OSError:
            pass
        if not self.done:
            os.kill(os.getpid(), signal.SIGINT)


def _standard_streams(encodings) -> None:
    """sys.stdin/stdout/stderr on the client's descriptors with the client's encodings and
    buffering, as Python set them up in the client."""
    def stream(fd: int, mode: str, enc, line: bool):
        encoding, errors = (enc if isinstance(enc, list) and len(enc) == 2
                            else ("utf-8", "strict"))
        raw = io.FileIO(fd, mode, closefd=False)
        buf = io.BufferedReader(raw) if mode == "r" else io.BufferedWriter(raw)
        return io.TextIOWrapper(buf, encoding=encoding, errors=errors, line_buffering=line)

    encs = encodings if isinstance(encodings, list) and len(encodings) == 3 else [None] * 3
    sys.stdin = sys.__stdin__ = stream(0, "r", encs[0], False)
    sys.stdout = sys.__stdout__ = stream(1, "w", encs[1], os.isatty(1))
    sys.stderr = sys.__stderr__ = stream(2, "w", encs[2], True)


def _run_cli(args: list[str], prog_name: str) -> int:
    """`paiban ARGS` as the process's main program would run it; its exit code."""
    import traceback

    from ..cli import main
    sys.argv = [prog_name] + args
    try:
        main(args=args, prog_name=prog_name)
        code = 0
    except SystemExit as e:
        if e.code is None:
            code = 0
        elif isinstance(e.code, int):
            code = e.code & 0xFF
        else:
            print(e.code, file=sys.stderr)
            code = 1
    except KeyboardInterrupt:
        code = 130
    except BaseException:
        traceback.print_exc()
        code = 1
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except (OSError, ValueError):
            pass
    return code


def _write_private(path: str, value) -> None:
    """JSON into one of the engine's files (0600), replaced at once."""
    tmp = f"{path}.{os.getpid()}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(value, f)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m layout.engine.host")
    ap.add_argument("--idle", type=float, default=DEFAULT_IDLE,
                    help="stop after this many seconds without a request (0: never)")
    ap.add_argument("--parent", type=int, default=None,
                    help="stop when this process (the serve or watch hosting us) is gone")
    a = ap.parse_args(argv)
    try:
        folder = runtime_dir()
    except RuntimeDirError as e:
        print(f"paiban engine: {e}", file=sys.stderr)
        return 2
    return Engine(folder, a.idle, a.parent).run()


if __name__ == "__main__":
    sys.exit(main())
