"""Starting, asking and stopping the engine: `paiban daemon start|status|stop`, the restart of
an engine of another code version, and the engine `serve` and `watch` host while they run."""
from __future__ import annotations

import os
import subprocess
import sys
import time
from contextlib import contextmanager

from ..client import ask, paths, read_state, runtime_dir

START_TIMEOUT = 30.0     # s: warming takes ~1 s; a loaded machine or an empty cache more


def spawn(folder: str, idle: float | None = None, parent: int | None = None) -> subprocess.Popen:
    """Start an engine process in the background, detached from this terminal, its messages in
    the runtime folder's log (0600). The engine's lock makes a second one exit at once."""
    cmd = [sys.executable, "-m", "layout.engine.host"]
    if idle is not None:
        cmd += ["--idle", str(idle)]
    if parent is not None:
        cmd += ["--parent", str(parent)]
    log = os.open(paths(folder)["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NOFOLLOW,
                  0o600)
    try:
        return subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log,
                                # its own session: Ctrl-C in the terminal of a serve or watch
                                # that hosts it does not reach its workers
                                start_new_session=True, close_fds=True,
                                env=_engine_env())
    finally:
        os.close(log)


def _engine_env() -> dict:
    """The engine's own environment: this one, with the package importable as it is here."""
    env = dict(os.environ)
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env["PYTHONPATH"] = os.pathsep.join([root] + [p for p in env.get("PYTHONPATH", "").split(
        os.pathsep) if p and p != root])
    return env


def status(folder: str) -> dict | None:
    """The running engine's answer to `status`, or None."""
    reply = ask(folder, {"op": "status"})
    return reply if reply and "pid" in reply else None


def wait_ready(folder: str, proc: subprocess.Popen | None, timeout: float = START_TIMEOUT
               ) -> dict | None:
    """The engine's status once it answers; None if it failed or did not answer in time. An
    engine that exits 0 lost the start race to another, which will answer."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        st = status(folder)
        if st is not None:
            return st
        if proc is not None and proc.poll() not in (None, 0):
            return None
        time.sleep(0.05)
    return None


def start(idle: float | None = None) -> tuple[dict | None, bool]:
    """Start an engine unless one runs: (its status, whether this call started it)."""
    folder = runtime_dir()
    st = status(folder)
    if st is not None:
        return st, False
    proc = spawn(folder, idle=idle)
    return wait_ready(folder, proc), True


def stop(timeout: float = 10.0) -> int | None:
    """Stop the running engine; its pid, or None when none ran."""
    folder = runtime_dir(create=False)
    reply = ask(folder, {"op": "stop"})
    if not reply or "stopping" not in reply:
        return None
    pid = int(reply["stopping"])
    end = time.monotonic() + timeout
    while time.monotonic() < end and read_state(folder) is not None:
        time.sleep(0.05)
    return pid


@contextmanager
def hosted():
    """The engine `serve` and `watch` host while they run (unless one runs already): started in
    the background, so the first build does not wait for it, and stopped with them."""
    from ..client import RuntimeDirError

    proc = None
    if os.environ.get("PAIBAN_NO_DAEMON") != "1" and os.name == "posix":
        try:
            folder = runtime_dir()
            if status(folder) is None:
                proc = spawn(folder, idle=0, parent=os.getpid())
        except (RuntimeDirError, OSError):
            proc = None          # no engine: commands run in their own process, as before
    try:
        yield proc
    finally:
        if proc is not None and proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
