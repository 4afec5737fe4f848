"""The files the user owns, and truthful exit codes: the process under hostile conditions.

Each test runs the real command (a subprocess, or a forked child that drops root) and looks at
the files on disk: an input is never written over, a device node or a symbolic link is never
replaced by a regular file, a killed build leaves no temporary file, and an OS condition (full
disk, read-only folder, `ulimit -f`, permission denied) is a one-line message naming the path
and the OS error with exit 2 or 4, never "internal error … a bug" (exit 3).
"""
from __future__ import annotations

import errno
import os
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from issue_fixtures import article, han, issue, photo, write

ROOT = Path(__file__).resolve().parents[1]
PROFILE = ROOT / "layout" / "data" / "paiban-newsprint-tr002.icc"
ROOT_USER = hasattr(os, "geteuid") and os.geteuid() == 0


def paiban(*args, cwd, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args)], cwd=cwd,
                          capture_output=True, timeout=120, **kw)


def err(r) -> str:
    return r.stderr.decode("utf-8", "replace")


def assert_truthful(r, code: int, *needles: str) -> None:
    """Exit `code`, no traceback, no 'a bug', and the message says each of `needles`."""
    text = err(r)
    assert r.returncode == code, text
    assert "Traceback" not in text and "internal error" not in text and "bug" not in text
    for n in needles:
        assert n in text, text


def temps(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def small_issue(folder: Path, **page) -> Path:
    return write(folder, issue([article("a", (1, 2, 1, 20), han(30))], **page))


@pytest.fixture
def shared(tmp_path):
    """A folder the user `nobody` can read (tmp_path's parents are root's own)."""
    d = Path(tempfile.mkdtemp(prefix="paiban-out-", dir="/tmp"))
    d.chmod(0o755)
    yield d
    shutil.rmtree(d, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# 1. An output that is one of the build's inputs is refused, and the input is left as it was

@pytest.fixture
def full_issue(tmp_path):
    """An issue with a photo, an ad, a printer file and an output profile of its own."""
    photo(tmp_path / "photos", "p.jpg", (400, 300))
    photo(tmp_path / "photos", "ad.jpg", (400, 300))
    shutil.copy(PROFILE, tmp_path / "news.icc")
    (tmp_path / "printer.yaml").write_text("profile: news.icc\n", encoding="utf-8")
    art = article("a", (1, 2, 1, 30), han(60),
                  photos=[{"file": "photos/p.jpg", "caption": "图片说明",
                           "place": {"column": 1, "span": 2, "line": 1, "lines": 8}}])
    data = issue([art], ads=[{"id": "ad1", "module": {"column": 3, "span": 2, "line": 1,
                                                       "lines": 10}, "file": "photos/ad.jpg"}])
    data["print"] = "printer.yaml"
    return write(tmp_path, data)


@pytest.mark.parametrize("target, what, where", [
    ("issue.yaml", "the issue file", "issue.yaml"),
    ("photos/p.jpg", "a photo of article a", "issue.yaml:"),
    ("photos/ad.jpg", "the artwork of ad ad1", "issue.yaml:"),
    ("printer.yaml", "the printer file", "issue.yaml"),
    ("news.icc", "the output profile", "printer.yaml"),
    ("link-to-photo.jpg", "a photo of article a", "issue.yaml:"),    # a symbolic link to it
    ("hard-link.yaml", "the issue file", "issue.yaml"),             # the same inode
])
@pytest.mark.parametrize("command", ["build", "check"])
def test_an_input_is_never_the_output(full_issue, command, target, what, where):
    folder = full_issue.parent
    (folder / "link-to-photo.jpg").symlink_to(folder / "photos" / "p.jpg")
    os.link(full_issue, folder / "hard-link.yaml")
    before = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    opt = "-o" if command == "build" else "--pdf"
    r = paiban(command, "issue.yaml", opt, target, cwd=folder)
    assert_truthful(r, 2, what, "never writes over an input")
    assert err(r).startswith(where) or err(r).startswith(str(folder / where))
    after = {p: p.read_bytes() for p in folder.rglob("*") if p.is_file()}
    assert after == before
    assert temps(folder) == [] and temps(folder / "photos") == []


def test_a_bundled_font_is_never_the_output(tmp_path):
    fonts = tmp_path / "fonts"
    shutil.copytree(ROOT / "fonts", fonts)
    face = next(fonts.glob("*.ttf"))
    before = face.read_bytes()
    small_issue(tmp_path)
    r = paiban("build", "issue.yaml", "-o", face, cwd=tmp_path,
               env={**os.environ, "PAIBAN_FONT_DIR": str(fonts)})
    assert_truthful(r, 2, "the bundled font", "never writes over an input")
    assert face.read_bytes() == before


def test_default_output_is_the_input(tmp_path):
    """`paiban build issue.pdf`: the default output (the issue file's name with .pdf) is the
    issue file itself."""
    src = small_issue(tmp_path)
    src.rename(tmp_path / "issue.pdf")
    before = (tmp_path / "issue.pdf").read_bytes()
    r = paiban("build", "issue.pdf", cwd=tmp_path)
    assert_truthful(r, 2, "issue.pdf: error: the output issue.pdf is the issue file")
    assert (tmp_path / "issue.pdf").read_bytes() == before


def test_watch_refuses_its_input(full_issue):
    from layout.watch import watch

    folder = full_issue.parent
    before = (folder / "photos" / "p.jpg").read_bytes()
    said: list[str] = []
    watch(full_issue, folder / "photos" / "p.jpg", builds=1, echo=said.append)
    assert any("a photo of article a; paiban never writes over an input" in s for s in said)
    assert (folder / "photos" / "p.jpg").read_bytes() == before
    r = paiban("watch", "issue.yaml", "-o", "issue.yaml", cwd=folder)    # exits at once
    assert_truthful(r, 2, "the issue file")


def test_check_report_is_not_written_over_the_issue_file(tmp_path):
    src = small_issue(tmp_path)
    before = src.read_bytes()
    r = paiban("check", "issue.yaml", "-o", "issue.yaml", cwd=tmp_path)
    assert_truthful(r, 2, "the issue file")
    assert src.read_bytes() == before


# ---------------------------------------------------------------------------------------------
# 2. Standard output, character devices and symbolic links

def test_dash_is_standard_output(tmp_path):
    small_issue(tmp_path)
    r = paiban("build", "issue.yaml", "-o", "-", cwd=tmp_path)
    assert r.returncode == 0, err(r)
    assert "wrote standard output" in err(r)                   # messages go to stderr
    assert not (tmp_path / "-").exists()
    assert paiban("build", "issue.yaml", "-o", "file.pdf", cwd=tmp_path).returncode == 0
    assert r.stdout == (tmp_path / "file.pdf").read_bytes()    # the same PDF, nothing mixed in
    # /dev/stdout redirected to a file is the same stream, not a path to rename over
    with open(tmp_path / "redirected.pdf", "wb") as f:
        r = subprocess.run([sys.executable, "-m", "layout", "build", "issue.yaml", "-o",
                            "/dev/stdout"], cwd=tmp_path, stdout=f, stderr=subprocess.PIPE)
    assert r.returncode == 0, err(r)
    assert (tmp_path / "redirected.pdf").read_bytes() == (tmp_path / "file.pdf").read_bytes()
    r = paiban("build", "issue.yaml", "-o", "/dev/stdout", cwd=tmp_path)     # into a pipe
    assert r.returncode == 0, err(r)
    assert r.stdout == (tmp_path / "file.pdf").read_bytes()


def _device(path: Path, minor: int) -> Path:
    """A character device node of our own (1, minor: 3 null, 7 full), never /dev's."""
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, minor))
    except (PermissionError, OSError) as e:
        pytest.skip(f"cannot make a device node here: {e}")
    return path


def test_character_device_is_written_through(tmp_path):
    small_issue(tmp_path)
    null = _device(tmp_path / "null", 3)
    r = paiban("build", "issue.yaml", "-o", null, cwd=tmp_path)
    assert r.returncode == 0, err(r)
    assert stat.S_ISCHR(null.lstat().st_mode)
    assert temps(tmp_path) == []


def test_full_device_is_a_clean_os_error(tmp_path):
    small_issue(tmp_path)
    full = _device(tmp_path / "full", 7)
    r = paiban("build", "issue.yaml", "-o", full, cwd=tmp_path)
    assert_truthful(r, 4, f"{full}: error: cannot write: No space left on device")
    assert stat.S_ISCHR(full.lstat().st_mode)                  # still the device, not a file
    assert len(err(r).strip().splitlines()) == 2               # the message and its hint


def test_symlink_stays_a_link_and_its_target_is_written(tmp_path):
    small_issue(tmp_path)
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "page.pdf"
    target.write_bytes(b"the previous PDF")
    link = tmp_path / "page.pdf"
    link.symlink_to(Path("real") / "page.pdf")
    r = paiban("build", "issue.yaml", "-o", link, cwd=tmp_path)
    assert r.returncode == 0, err(r)
    assert link.is_symlink() and os.readlink(link) == str(Path("real") / "page.pdf")
    assert target.read_bytes().startswith(b"%PDF")
    assert temps(tmp_path) == [] and temps(tmp_path / "real") == []
    dangling = tmp_path / "new.pdf"                             # a link to a file not yet there
    dangling.symlink_to(tmp_path / "real" / "new.pdf")
    assert paiban("build", "issue.yaml", "-o", dangling, cwd=tmp_path).returncode == 0
    assert dangling.is_symlink() and (tmp_path / "real" / "new.pdf").read_bytes()[:4] == b"%PDF"


# ---------------------------------------------------------------------------------------------
# 3. A killed build leaves nothing behind

# A build that pauses once its PDF is complete and checked, just before it would replace the
# output: the moment a temporary file exists. It says so on stderr.
PAUSED = """
import os, sys, time
real = os.replace
def paused(src, dst, *a, **k):
    if str(dst).endswith("out.pdf"):
        sys.stderr.write("PAUSED\\n"); sys.stderr.flush(); time.sleep(60)
    return real(src, dst, *a, **k)
os.replace = paused
from layout.cli import main
main(["build", "issue.yaml", "-o", "out.pdf"], prog_name="paiban")
"""


def _paused_build(folder: Path) -> subprocess.Popen:
    p = subprocess.Popen([sys.executable, "-c", PAUSED], cwd=folder, stderr=subprocess.PIPE)
    line = p.stderr.readline()
    assert line == b"PAUSED\n", line + p.stderr.read()
    assert temps(folder), "the build should hold a temporary file now"
    return p


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGHUP, signal.SIGINT])
def test_signal_removes_the_temporary_file(tmp_path, sig):
    small_issue(tmp_path)
    (tmp_path / "out.pdf").write_bytes(b"the previous PDF")
    p = _paused_build(tmp_path)
    p.send_signal(sig)
    p.wait(timeout=30)
    if sig != signal.SIGINT:
        assert p.returncode == -sig            # ends by the signal, as it would have
    else:
        assert p.returncode != 0
    assert temps(tmp_path) == []
    assert (tmp_path / "out.pdf").read_bytes() == b"the previous PDF"


def test_leftovers_of_sigkill_are_swept_by_the_next_build(tmp_path):
    small_issue(tmp_path)
    p = _paused_build(tmp_path)
    p.kill()
    p.wait(timeout=30)
    left = temps(tmp_path)
    assert left
    # a live writer's file (this process is alive), an old-style leftover of this output more
    # than ten minutes old, a fresh one (perhaps a live older paiban), another program's file
    live = tmp_path / f".paiban-{os.getpid()}-0123abcd.tmp"
    stale, fresh = tmp_path / ".out.pdf.a1b2c3d4.tmp", tmp_path / ".out.pdf.zz99yy88.tmp"
    other = tmp_path / ".notes.txt.a1b2c3d4.tmp"
    for f in (live, stale, fresh, other):
        f.write_bytes(b"x")
    hour_ago = time.time() - 3600
    os.utime(stale, (hour_ago, hour_ago))
    os.utime(other, (hour_ago, hour_ago))
    r = paiban("build", "issue.yaml", "-o", "out.pdf", cwd=tmp_path)
    assert r.returncode == 0, err(r)
    assert temps(tmp_path) == sorted(f.name for f in (live, fresh, other))


# ---------------------------------------------------------------------------------------------
# 4. Names and modes

def test_longest_valid_name_works(tmp_path):
    small_issue(tmp_path)
    name = "页" * 82 + ".pdf"                                   # 250 bytes in UTF-8
    assert len(name.encode()) == 250
    r = paiban("build", "issue.yaml", "-o", name, cwd=tmp_path)
    assert r.returncode == 0, err(r)
    assert (tmp_path / name).read_bytes()[:4] == b"%PDF"


@pytest.mark.parametrize("umask", [0o022, 0o002, 0o077])
def test_new_pdf_gets_the_umask_mode(tmp_path, umask):
    small_issue(tmp_path)
    (tmp_path / "old.pdf").write_bytes(b"x")
    (tmp_path / "old.pdf").chmod(0o600)                          # as earlier versions wrote it
    for name in ("new.pdf", "old.pdf"):
        r = paiban("build", "issue.yaml", "-o", name, cwd=tmp_path,
                   preexec_fn=lambda: os.umask(umask))
        assert r.returncode == 0, err(r)
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~umask


# ---------------------------------------------------------------------------------------------
# 5. OS conditions are not bugs

def test_missing_folder_and_long_name_are_path_mistakes(tmp_path):
    small_issue(tmp_path)
    r = paiban("build", "issue.yaml", "-o", "nowhere/out.pdf", cwd=tmp_path)
    assert_truthful(r, 2, "nowhere/out.pdf: error: the output folder nowhere does not exist")
    r = paiban("build", "issue.yaml", "-o", "a" * 252 + ".pdf", cwd=tmp_path)
    assert_truthful(r, 2, "File name too long")
    assert temps(tmp_path) == []


def test_file_size_limit(tmp_path):
    import resource

    small_issue(tmp_path)
    (tmp_path / "out.pdf").write_bytes(b"the previous PDF")
    limit = lambda: resource.setrlimit(resource.RLIMIT_FSIZE, (50_000, 50_000))  # noqa: E731
    r = paiban("build", "issue.yaml", "-o", "out.pdf", cwd=tmp_path, preexec_fn=limit)
    assert_truthful(r, 4, "out.pdf: error: cannot write: File too large")
    assert (tmp_path / "out.pdf").read_bytes() == b"the previous PDF"
    assert temps(tmp_path) == []


def test_full_disk_in_process(tmp_path, monkeypatch):
    """ENOSPC while the temporary file is written (as on a full disk), through the CLI."""
    from click.testing import CliRunner

    import layout.outfile as outfile
    from layout.cli import main

    small_issue(tmp_path)
    (tmp_path / "out.pdf").write_bytes(b"the previous PDF")

    def full(f, data):
        f.write(data[:1000])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(outfile, "_write_all", full)
    for args in (["build", str(tmp_path / "issue.yaml"), "-o", str(tmp_path / "out.pdf")],
                 ["check", str(tmp_path / "issue.yaml"), "--pdf", str(tmp_path / "out.pdf")]):
        r = CliRunner().invoke(main, args)
        assert r.exit_code == 4, r.output
        assert "out.pdf: error: cannot write: No space left on device [ENOSPC]" in r.output
        assert "bug" not in r.output
        assert (tmp_path / "out.pdf").read_bytes() == b"the previous PDF"
        assert temps(tmp_path) == []


@pytest.fixture
def mounted(tmp_path):
    """Mount a tmpfs (options given to the returned function); skipped where not permitted."""
    points = []

    def mount(options: str) -> Path:
        point = tmp_path / f"mnt{len(points)}"
        point.mkdir()
        r = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(point)],
                           capture_output=True)
        if r.returncode != 0:
            pytest.skip(f"cannot mount a tmpfs here: {err(r).strip()}")
        points.append(point)
        return point

    yield mount
    for p in points:
        subprocess.run(["umount", str(p)], capture_output=True)


def test_full_disk(tmp_path, mounted):
    small_issue(tmp_path)
    disk = mounted("size=64k")
    (disk / "out.pdf").write_bytes(b"the previous PDF")
    r = paiban("build", "issue.yaml", "-o", disk / "out.pdf", cwd=tmp_path)
    assert_truthful(r, 4, "cannot write: No space left on device [ENOSPC]")
    assert (disk / "out.pdf").read_bytes() == b"the previous PDF"
    assert temps(disk) == []


def test_read_only_file_system(tmp_path, mounted):
    small_issue(tmp_path)
    ro = mounted("ro,size=64k")
    r = paiban("build", "issue.yaml", "-o", ro / "out.pdf", cwd=tmp_path)
    assert_truthful(r, 4, f"{ro / 'out.pdf'}: error: cannot write: Read-only file system")


_warmed: list[bool] = []


def _warm_imports() -> None:
    """Build once as root in this process, so that every module a build imports is loaded
    before the child drops root: `nobody` cannot read the interpreter's library under /root."""
    if _warmed:
        return
    d = Path(tempfile.mkdtemp(prefix="paiban-warm-"))
    try:
        from layout.cli import main
        main(["build", str(small_issue(d)), "-o", str(d / "w.pdf")], prog_name="paiban",
             standalone_mode=False)
    finally:
        shutil.rmtree(d, ignore_errors=True)
    _warmed.append(True)


def as_nobody(args: list[str], cwd: Path) -> tuple[int, str]:
    """Run the CLI in a forked child that has dropped root for `nobody` (the interpreter under
    /root cannot be started by another user, so the child forks rather than execs)."""
    import pwd

    nobody = pwd.getpwnam("nobody")
    _warm_imports()
    cache = Path(tempfile.mkdtemp(prefix="paiban-nobody-cache-"))
    os.chown(cache, nobody.pw_uid, nobody.pw_gid)
    r, w = os.pipe()
    pid = os.fork()
    if pid == 0:                                               # the child: never returns
        code = 99
        try:
            os.close(r)
            out = os.fdopen(w, "w", encoding="utf-8")
            sys.stdout = sys.stderr = out
            if ROOT_USER:
                os.setgroups([])
                os.setgid(nobody.pw_gid)
                os.setuid(nobody.pw_uid)
            os.chdir(cwd)
            os.environ["PAIBAN_CACHE_DIR"] = str(cache)
            from layout.cli import main
            main(args, prog_name="paiban")
            code = 0
        except SystemExit as e:
            code = e.code if isinstance(e.code, int) else 1
        except BaseException as e:                             # noqa: BLE001
            print(f"child failed: {e!r}")
        finally:
            sys.stdout.flush()
            os._exit(code)
    os.close(w)
    with os.fdopen(r, encoding="utf-8") as f:
        text = f.read()
    _, status = os.waitpid(pid, 0)
    shutil.rmtree(cache, ignore_errors=True)
    return os.waitstatus_to_exitcode(status), text


def test_read_only_folder(shared):
    small_issue(shared)
    (shared / "ro").mkdir()
    (shared / "ro" / "out.pdf").write_bytes(b"the previous PDF")
    (shared / "ro").chmod(0o555)
    (shared / "ro" / "out.pdf").chmod(0o666)                   # the file writable, not its folder
    code, text = as_nobody(["build", "issue.yaml", "-o", "ro/out.pdf"], shared)
    assert code == 4, text
    assert "ro/out.pdf: error: cannot write: Permission denied [EACCES]" in text
    assert "bug" not in text
    assert (shared / "ro" / "out.pdf").read_bytes() == b"the previous PDF"


def test_unreadable_profile(shared):
    shutil.copy(PROFILE, shared / "news.icc")
    src = small_issue(shared)
    src.write_text(src.read_text(encoding="utf-8") + "print:\n  profile: news.icc\n",
                   encoding="utf-8")
    (shared / "news.icc").chmod(0o000)
    code, text = as_nobody(["build", "issue.yaml", "-o", "out.pdf"], shared)
    assert code == 4, text
    assert "news.icc: error: Permission denied [EACCES]" in text and "bug" not in text
    assert not (shared / "out.pdf").exists()


def test_watch_survives_an_os_error(tmp_path, monkeypatch):
    """A file made unreadable while watching is reported like a broken edit; watch goes on."""
    import layout.build as build
    from layout.watch import watch

    src = small_issue(tmp_path)

    def unreadable(*a, **k):
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(tmp_path / "p.jpg"))

    monkeypatch.setattr(build, "compose", unreadable)
    said: list[str] = []
    watch(src, tmp_path / "out.pdf", builds=1, echo=said.append)
    assert said[0].startswith(f"{tmp_path / 'p.jpg'}: error: Permission denied [EACCES]")
    assert "previous PDF is kept" in said[-1]
