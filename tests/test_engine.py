"""The warm engine behind `paiban build` and `check` (issue 18): the same bytes and messages as a
cold run, a fall back to the process when it is gone, a restart when the code changed, many
clients at once, and a bad client that cannot hurt it. Every engine a test starts is stopped by
it; each test has its own runtime folder."""
from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"
TIMEOUT = 300


def _env(run: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != "PAIBAN_NO_DAEMON"}
    env["PAIBAN_RUNTIME_DIR"] = str(run)
    env.update(extra)
    return env


def paiban(env, *args, cwd=ROOT, **kw):
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd, env=env,
                          capture_output=True, timeout=TIMEOUT, **kw)


def _state(run: Path) -> dict:
    [f] = run.glob("engine-*.json")
    return json.loads(f.read_text())


def _requests(env, cwd=ROOT) -> int:
    """Connections the engine accepted, this status request included."""
    return _status(env, cwd)["requests"]


def _status(env, cwd=ROOT) -> dict:
    code = ("import json, layout.client as c; from layout.engine.control import status; "
            "print(json.dumps(status(c.runtime_dir(create=False))))")
    r = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                       timeout=60, cwd=cwd)      # (python -c imports layout from cwd first)
    return json.loads(r.stdout)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:       # a zombie (nobody reaped it yet) is gone too
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return True


def _stop(env, run: Path) -> None:
    pids = [json.loads(f.read_text()).get("pid") for f in run.glob("engine-*.json")]
    paiban(env, "daemon", "stop")
    for pid in pids:
        end = time.monotonic() + 10
        while pid and _alive(pid) and time.monotonic() < end:
            time.sleep(0.05)
        if pid and _alive(pid):
            os.kill(pid, signal.SIGKILL)


@pytest.fixture
def engine(tmp_path):
    run = tmp_path / "run"
    env = _env(run)
    r = paiban(env, "daemon", "start", "--idle", "120")
    assert r.returncode == 0, r.stderr
    assert b"engine started: pid" in r.stdout
    try:
        yield env, run
    finally:
        _stop(env, run)


def test_runtime_folder_and_state_are_private(engine):
    env, run = engine
    assert run.stat().st_mode & 0o777 == 0o700
    st = _state(run)
    for f in run.iterdir():
        if f.suffix in (".json", ".sock", ".lock", ".log", ".imports"):
            assert f.stat().st_mode & 0o077 == 0, f
    assert st["interpreter"] == sys.executable and len(st["token"]) >= 32
    assert _alive(st["pid"])


def test_same_bytes_and_messages_as_a_cold_run(engine, tmp_path):
    env, run = engine
    cold_env = dict(env, PAIBAN_NO_DAEMON="1")
    before = _requests(env)
    warm = paiban(env, "build", SEED, "-o", tmp_path / "warm.pdf")
    after = _requests(env)
    cold = paiban(cold_env, "build", SEED, "-o", tmp_path / "cold.pdf")
    assert after == before + 2                  # the build and the status went to the engine
    assert (warm.returncode, cold.returncode) == (0, 0)
    assert (tmp_path / "warm.pdf").read_bytes() == (tmp_path / "cold.pdf").read_bytes()
    assert warm.stdout.replace(b"warm.pdf", b"X") == cold.stdout.replace(b"cold.pdf", b"X")
    assert warm.stderr == cold.stderr and b"Traceback" not in warm.stderr
    # check's report, to standard output, and its exit code; relative paths from the cwd
    w = paiban(env, "check", "issues/guancheng-2023-03-17.yaml", "--format", "json")
    c = paiban(cold_env, "check", "issues/guancheng-2023-03-17.yaml", "--format", "json")
    assert (w.returncode, w.stdout, w.stderr) == (c.returncode, c.stdout, c.stderr)
    assert _requests(env) == after + 2
    # bad input: the same located message on standard error, exit 2, from another folder
    bad = tmp_path / "bad.yaml"
    bad.write_text("paper: x\npages: [\n", encoding="utf-8")
    w = paiban(env, "build", "bad.yaml", cwd=tmp_path)
    c = paiban(cold_env, "build", "bad.yaml", cwd=tmp_path)
    assert w.returncode == c.returncode == 2
    assert w.stderr == c.stderr and b"bad.yaml" in w.stderr
    # the PDF on standard output, byte for byte
    w = paiban(env, "build", SEED, "-o", "-")
    assert w.returncode == 0 and w.stdout == (tmp_path / "cold.pdf").read_bytes()


def test_client_does_not_import_the_pipeline_when_the_engine_runs(engine, tmp_path):
    env, run = engine
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "layout", "build", str(SEED),
                        "-o", str(tmp_path / "a.pdf")], env=env, capture_output=True, text=True,
                       timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    imported = {line.split("|")[-1].strip() for line in r.stderr.splitlines()
                if line.startswith("import time:")}
    assert "layout.client" in imported
    assert not imported & {"click", "yaml", "reportlab", "pikepdf", "layout.cli"}, imported
    # nor json and socket: their imports (re, enum) were a third of the client's time
    assert not imported & {"json", "socket", "re", "enum"}, imported
    # without an engine the same command imports click (it runs in process)
    r = subprocess.run([sys.executable, "-X", "importtime", "-m", "layout", "--no-daemon",
                        "build", str(SEED), "-o", str(tmp_path / "b.pdf")], env=env,
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 0
    assert "click" in {line.split("|")[-1].strip() for line in r.stderr.splitlines()}


def test_falls_back_when_the_engine_is_killed(engine, tmp_path):
    env, run = engine
    pid = _state(run)["pid"]
    os.kill(pid, signal.SIGKILL)
    end = time.monotonic() + 10
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.05)
    assert (run / f"{next(run.glob('engine-*.json')).stem}.sock").exists()   # left behind
    r = paiban(env, "build", SEED, "-o", tmp_path / "k.pdf")
    assert r.returncode == 0, r.stderr
    assert b"Traceback" not in r.stderr and b"error" not in r.stderr
    ref = paiban(dict(env, PAIBAN_NO_DAEMON="1"), "build", SEED, "-o", tmp_path / "ref.pdf")
    assert (tmp_path / "k.pdf").read_bytes() == (tmp_path / "ref.pdf").read_bytes()
    assert paiban(env, "daemon", "status").returncode == 1


def test_a_bad_client_never_kills_the_engine(engine):
    env, run = engine
    st = _state(run)
    sock_path = st["socket"]

    def talk(data: bytes | None) -> bytes:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        s.settimeout(10)
        s.connect(sock_path)
        if data is not None:
            s.sendall(data)
        s.shutdown(socket.SHUT_WR)
        out = b""
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            out += chunk
        s.close()
        return out

    assert talk(b"not json\n") == b'{"declined": "token"}\n'
    assert talk(None) == b'{"declined": "token"}\n'
    assert talk(b"\xff" * 100000) == b'{"declined": "token"}\n'
    assert talk(json.dumps({"op": "stop", "token": "0" * 32}).encode() + b"\n") == \
        b'{"declined": "token"}\n'
    # the right token, but a command the engine does not run, or no streams passed
    tok = st["token"]
    assert talk(json.dumps({"op": "run", "token": tok, "args": ["lint", "x"], "env": {},
                            "cwd": "/"}).encode() + b"\n") == b'{"declined": "request"}\n'
    assert talk(json.dumps({"op": "frobnicate", "token": tok}).encode() + b"\n") == \
        b'{"declined": "op"}\n'
    assert _alive(st["pid"])
    assert paiban(env, "daemon", "status").returncode == 0


def test_concurrent_clients(engine, tmp_path):
    env, run = engine
    ref = tmp_path / "ref.pdf"
    assert paiban(dict(env, PAIBAN_NO_DAEMON="1"), "build", SEED, "-o", ref).returncode == 0
    before = _requests(env)
    procs = [subprocess.Popen([sys.executable, "-m", "layout", "build", str(SEED), "-o",
                               str(tmp_path / f"c{i}.pdf")], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for i in range(4)]
    procs.append(subprocess.Popen([sys.executable, "-m", "layout", "check", str(SEED)], env=env,
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
    outs = [p.communicate(timeout=TIMEOUT) for p in procs]
    # the seed page's check has warnings (碎栏, a 孤行): exit 1, as in process
    cold_check = paiban(dict(env, PAIBAN_NO_DAEMON="1"), "check", SEED)
    assert [p.returncode for p in procs] == [0, 0, 0, 0, cold_check.returncode], outs
    assert outs[4][0] == cold_check.stdout
    for i in range(4):
        assert (tmp_path / f"c{i}.pdf").read_bytes() == ref.read_bytes()
        # the summary (the seed's 碎栏 resolved), then what was written
        assert outs[i][0].splitlines()[-1].startswith(b"wrote ")
        assert outs[i][0] == outs[0][0].replace(b"c0.pdf", f"c{i}.pdf".encode())
    assert _requests(env) == before + 6


def _children(pid: int) -> list[int]:
    try:
        return [int(c) for c in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


@pytest.mark.skipif(not Path("/proc/self/task").exists(), reason="needs Linux /proc")
def test_a_warmed_spare_serves_requests_with_the_same_bytes(engine, tmp_path):
    """The engine forks the next request's worker ahead of time; it warms itself while no
    request runs. Requests it serves write what a cold run writes, and one that is killed
    (warming or ready) costs nothing but its warm-up: the request is served all the same."""
    env, run = engine
    ref = tmp_path / "ref.pdf"
    assert paiban(dict(env, PAIBAN_NO_DAEMON="1"), "build", SEED, "-o", ref).returncode == 0
    served, spared, end = 0, _status(env)["spared"], time.monotonic() + 90
    while served < 2:
        assert time.monotonic() < end, "no request was served by a spare"
        time.sleep(0.3)
        out = tmp_path / f"s{served}.pdf"
        r = paiban(env, "build", SEED, "-o", out)
        assert r.returncode == 0 and out.read_bytes() == ref.read_bytes(), r.stderr
        st = _status(env)
        # the builds a spare served: the spares counted less the status itself
        served += st["spared"] - spared - (st["worker"] == "spare")
        spared = st["spared"]
    engine_pid = _state(run)["pid"]
    for _ in range(2):                     # the spare killed: the next request is served
        end = time.monotonic() + 30
        while not _children(engine_pid) and time.monotonic() < end:
            time.sleep(0.05)
        for pid in _children(engine_pid):
            os.kill(pid, signal.SIGKILL)
        r = paiban(env, "build", SEED, "-o", tmp_path / "k.pdf")
        assert r.returncode == 0 and (tmp_path / "k.pdf").read_bytes() == ref.read_bytes()
    assert _alive(engine_pid)
    r = paiban(env, "daemon", "status")
    assert r.returncode == 0 and b"served by a warmed spare worker" in r.stdout


def test_start_race_gives_one_engine(tmp_path):
    run = tmp_path / "run"
    env = _env(run)
    try:
        procs = [subprocess.Popen([sys.executable, "-m", "layout", "daemon", "start"], env=env,
                                  cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
                 for _ in range(3)]
        outs = [p.communicate(timeout=TIMEOUT) for p in procs]
        assert all(p.returncode == 0 for p in procs), outs
        pids = {int(o[0].split(b"pid ")[1].split(b",")[0]) for o in outs}
        assert len(pids) == 1, outs
        assert _state(run)["pid"] in pids
    finally:
        _stop(env, run)


def test_code_changed_on_disk_restarts_the_engine(tmp_path):
    # a copy of the package, so that its code can change under a running engine
    pkg = tmp_path / "pkg"
    shutil.copytree(ROOT / "layout", pkg / "layout",
                    ignore=shutil.ignore_patterns("__pycache__"))
    run = tmp_path / "run"
    env = _env(run, PYTHONPATH=str(pkg), PAIBAN_FONT_DIR=str(ROOT / "fonts"))
    try:
        r = paiban(env, "daemon", "start", cwd=tmp_path)
        assert r.returncode == 0, r.stderr
        old = _state(run)
        assert paiban(env, "build", SEED, "-o", tmp_path / "a.pdf", cwd=tmp_path).returncode == 0
        with open(pkg / "layout" / "engine" / "__init__.py", "a", encoding="utf-8") as f:
            f.write("# changed\n")
        r = paiban(env, "build", SEED, "-o", tmp_path / "b.pdf", cwd=tmp_path)
        assert r.returncode == 0, r.stderr            # built in process meanwhile
        assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
        end = time.monotonic() + 60
        new = None
        while time.monotonic() < end:
            try:
                new = _state(run)
            except (ValueError, FileNotFoundError):
                new = None
            if new and new["pid"] != old["pid"] and paiban(
                    env, "daemon", "status", cwd=tmp_path).returncode == 0:
                break
            time.sleep(0.2)
        assert new and new["pid"] != old["pid"] and new["version"] != old["version"]
        assert not _alive(old["pid"])
        before = _requests(env, tmp_path)
        assert paiban(env, "build", SEED, "-o", tmp_path / "c.pdf", cwd=tmp_path).returncode == 0
        assert _requests(env, tmp_path) == before + 2       # the new engine serves
    finally:
        _stop(env, run)


def test_a_shared_runtime_folder_is_refused(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o755)
    run.chmod(0o755)
    env = _env(run)
    r = paiban(env, "daemon", "start")
    assert r.returncode == 2
    assert b"0700" in r.stderr and b"Traceback" not in r.stderr
    r = paiban(env, "build", SEED, "-o", tmp_path / "x.pdf")    # still builds, in process
    assert r.returncode == 0, r.stderr
    assert not list(run.iterdir())


def test_files_are_read_afresh_on_every_request(engine, tmp_path):
    """An edit that keeps the file's size and mtime (a stat alone would miss it) changes what
    the engine builds: nothing is reused from the request before."""
    env, run = engine
    issue = tmp_path / "i.yaml"
    shutil.copytree(SEED.parent / "photos", tmp_path / "photos")
    text = SEED.read_text(encoding="utf-8")
    issue.write_text(text, encoding="utf-8")
    st = issue.stat()
    assert paiban(env, "build", issue, "-o", tmp_path / "a.pdf").returncode == 0
    edited = text.replace("发动群众 依靠群众", "依靠群众 发动群众", 1)
    assert edited != text and len(edited.encode()) == len(text.encode())
    issue.write_text(edited, encoding="utf-8")
    os.utime(issue, ns=(st.st_atime_ns, st.st_mtime_ns))
    before = _requests(env)
    assert paiban(env, "build", issue, "-o", tmp_path / "b.pdf").returncode == 0
    assert _requests(env) == before + 2
    cold = paiban(dict(env, PAIBAN_NO_DAEMON="1"), "build", issue, "-o", tmp_path / "c.pdf")
    assert cold.returncode == 0
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "c.pdf").read_bytes()
    assert (tmp_path / "b.pdf").read_bytes() != (tmp_path / "a.pdf").read_bytes()


def test_no_daemon_anywhere_on_the_line_runs_in_process(engine, tmp_path):
    env, run = engine
    before = _requests(env)
    for args in (["--no-daemon", "build", SEED], ["build", SEED, "--no-daemon"]):
        r = paiban(env, *args, "-o", tmp_path / "n.pdf")
        assert r.returncode == 0, r.stderr
    r = paiban(dict(env, PAIBAN_NO_DAEMON="1"), "check", SEED)
    assert r.returncode in (0, 1) and b"Traceback" not in r.stderr, r.stderr
    assert _requests(env) == before + 1          # only the status request itself


def test_watch_hosts_an_engine_and_stops_it(tmp_path):
    run = tmp_path / "run"
    env = _env(run)
    shutil.copytree(SEED.parent / "photos", tmp_path / "photos")
    issue = tmp_path / "i.yaml"
    issue.write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    assert paiban(env, "daemon", "stop").stdout == b"no engine running\n"
    proc = subprocess.Popen([sys.executable, "-m", "layout", "watch", str(issue)], cwd=tmp_path,
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        end = time.monotonic() + 120
        while paiban(env, "daemon", "status").returncode != 0 and time.monotonic() < end:
            time.sleep(0.2)
        r = paiban(env, "daemon", "status")
        assert r.returncode == 0 and b"hosted by serve/watch" in r.stdout
        pid = _state(run)["pid"]
        proc.send_signal(signal.SIGINT)            # Ctrl-C
        proc.wait(timeout=30)
        end = time.monotonic() + 30
        while _alive(pid) and time.monotonic() < end:
            time.sleep(0.1)
        assert not _alive(pid)
        assert paiban(env, "daemon", "status").stdout == b"no engine running\n"
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        _stop(env, run)


def test_warm_up_runs_build_and_check_through_the_cli(tmp_path):
    """The engine warms itself by running both commands as a request would; a failing warm-up
    (as when it called a function that had been renamed) leaves every worker cold."""
    code = ("import sys; from layout.engine.host import warm_up; failed = warm_up(); "
            "print(failed); print(sorted(m for m in ('layout.checks.report', 'layout.output.pdfx',"
            " 'pikepdf', 'reportlab.pdfgen.canvas') if m in sys.modules))")
    r = subprocess.run([sys.executable, "-c", code], env=_env(tmp_path / "run"), cwd=tmp_path,
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["[]", "['layout.checks.report', 'layout.output.pdfx', "
                                           "'pikepdf', 'reportlab.pdfgen.canvas']"]
    assert "warm-up" not in r.stderr, r.stderr


def _engine_maps(pid: int) -> str:
    return Path(f"/proc/{pid}/maps").read_text()


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc")
def test_the_engine_learns_what_a_request_imported(engine, tmp_path):
    """Photos new to the cache make a build import numpy (to separate them), which the
    warm-up page has none of: the engine imports it after the first such request (and the
    next engine at its start), so later workers do not; the bytes stay a cold run's."""
    env, run = engine
    pid = _state(run)["pid"]
    assert "numpy" not in _status(env)["modules"]
    assert "_multiarray_umath" not in _engine_maps(pid)
    # the seed page with photos no cache has seen (a byte after the JPEG's end)
    shutil.copytree(SEED.parent, tmp_path / "issue")
    for photo in (tmp_path / "issue" / "photos").glob("*.jpg"):
        photo.write_bytes(photo.read_bytes() + str(tmp_path).encode())
    issue = tmp_path / "issue" / SEED.name
    assert paiban(env, "build", issue, "-o", tmp_path / "a.pdf").returncode == 0
    end = time.monotonic() + 30
    while "numpy" not in _status(env)["modules"] and time.monotonic() < end:
        time.sleep(0.1)
    assert "numpy" in _status(env)["modules"]
    assert "_multiarray_umath" in _engine_maps(pid)            # imported in the engine itself
    [kept] = run.glob("engine-*.imports")
    assert kept.stat().st_mode & 0o777 == 0o600 and "numpy" in json.loads(kept.read_text())
    assert paiban(env, "build", issue, "-o", tmp_path / "b.pdf").returncode == 0
    cold = paiban(dict(env, PAIBAN_NO_DAEMON="1"), "build", issue, "-o", tmp_path / "c.pdf")
    assert cold.returncode == 0
    assert (tmp_path / "b.pdf").read_bytes() == (tmp_path / "c.pdf").read_bytes()
    # the next engine imports them while it starts
    _stop(env, run)
    assert paiban(env, "daemon", "start", "--idle", "120").returncode == 0
    new = _state(run)["pid"]
    assert new != pid and "numpy" in _status(env)["modules"]
    assert "_multiarray_umath" in _engine_maps(new)


def test_what_the_engine_learns_is_checked(tmp_path):
    """Only dotted names of modules from the standard library, the site packages or paiban
    itself; a module a worker found through its working folder is never imported by the
    engine, and a name that does not import is skipped without harm."""
    (tmp_path / "localmod.py").write_text("X = 1\n", encoding="utf-8")
    code = ("import sys, json; sys.path.insert(0, '.'); import localmod, numpy, fractions, layout.build; "
            "from layout.engine.host import learnable, Engine; "
            "print(json.dumps([learnable(n, sys.modules[n]) for n in "
            "('localmod', 'numpy', 'fractions', 'sys', 'layout.build')])); "
            "e = Engine(sys.argv[1], 0, None); "
            "e._learn(['no_such_module_x', 'a b', 'colorsys', 3], save=False); "
            "print(json.dumps(sorted(e.learned)))")
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    r = subprocess.run([sys.executable, "-c", code, str(run)], env=_env(run), cwd=tmp_path,
                       capture_output=True, text=True, timeout=TIMEOUT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == ["[false, true, true, false, true]", '["colorsys"]']
    assert "no_such_module_x" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.parametrize("value", [
    {"op": "run", "args": ["build", "é.yaml", "\udc80x", "\U0001f600", "a\"b\\c\n\t\x00"],
     "env": {"LANG": "zh_CN.UTF-8"}, "encodings": [["utf-8", "strict"], None], "n": -3,
     "ok": True, "no": False},
    [], {}, "", 0])
def test_the_clients_json_is_json(value):
    """The client encodes and decodes without the json module (its import costs a third of
    the client's time): the same text as json.dumps, the same values as json.loads."""
    from layout.client import dumps, loads

    text = dumps(value)
    assert text == json.dumps(value, separators=(",", ":"))
    assert loads(text) == value and loads(" \n" + json.dumps(value, indent=2) + "\n") == value
    for bad in ("", "{", "[1] 2", "NaN", '{"a": Infinity}', "'x'"):
        with pytest.raises(ValueError):
            loads(bad)


def _other_name_of_this_interpreter() -> str | None:
    """bin/python3 when this is bin/python (or the other way): the same program in the same
    environment under another name, as `paiban`'s script (python3) and `python -m` differ."""
    exe = Path(sys.executable)
    for name in ("python3", "python", f"python{sys.version_info[0]}.{sys.version_info[1]}"):
        other = exe.with_name(name)
        if other != exe and other.exists() and os.path.realpath(other) == os.path.realpath(exe):
            return str(other)
    return None


@pytest.mark.skipif(_other_name_of_this_interpreter() is None,
                    reason="no other name for this interpreter")
def test_one_engine_whatever_name_started_the_interpreter(tmp_path):
    """`paiban daemon start` through the console script (bin/python3) and `python -m layout
    build` (bin/python) are the same interpreter: the build uses that engine."""
    run = tmp_path / "run"
    env = _env(run)
    r = subprocess.run([_other_name_of_this_interpreter(), "-m", "layout", "daemon", "start",
                        "--idle", "120"], env=env, cwd=ROOT, capture_output=True, timeout=TIMEOUT)
    try:
        assert r.returncode == 0, r.stderr
        before = _requests(env)
        assert paiban(env, "build", SEED, "-o", tmp_path / "a.pdf").returncode == 0
        assert _requests(env) == before + 2          # the build and this status: the engine's
    finally:
        _stop(env, run)
