"""The printer's output profile is parsed with bounds (issue 12 item 7): a bogus tag count, a
tag outside the file, random bytes after a good header, a 3 GB file — each a located error,
found at once, the file never read whole; a sound custom profile still works."""
from __future__ import annotations

import os
import random
import subprocess
import sys
import time
from pathlib import Path

import pikepdf
import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.model.printing import DEFAULT_PROFILE

ROOT = Path(__file__).resolve().parents[1]
BASE = (ROOT / "tests" / "bad_input" / "print-bad-standard.yaml").read_text(encoding="utf-8")
BASE = BASE[: BASE.index("print:")]
ICC = DEFAULT_PROFILE.read_bytes()
TAGS = int.from_bytes(ICC[128:132], "big")


def _with(data: bytes, at: int, value: int) -> bytes:
    return data[:at] + value.to_bytes(4, "big") + data[at + 4:]


def _issue(tmp_path: Path, profile: bytes | None) -> Path:
    if profile is not None:
        (tmp_path / "printer.icc").write_bytes(profile)
    issue = tmp_path / "issue.yaml"
    issue.write_text(BASE + "print:\n  profile: printer.icc\n", encoding="utf-8")
    return issue


rng = random.Random(12)
BAD = {
    "tag-count": (_with(ICC, 128, 3_000_000_000), "tag table of 3000000000 tags does not fit"),
    "random-after-header": (ICC[:128] + bytes(rng.getrandbits(8) for _ in range(len(ICC) - 128)),
                            "not a valid ICC profile"),
    "tag-outside": (_with(ICC, 136, len(ICC) - 4), "lies outside the file"),
    "header-size": (_with(ICC, 0, len(ICC) * 2), "its header gives a size of"),
    "tags-scrambled": (ICC[:132 + 12 * TAGS]
                       + bytes(rng.getrandbits(8) for _ in range(len(ICC) - 132 - 12 * TAGS)),
                       "LittleCMS cannot convert photos with it"),
    "truncated": (ICC[:40], "no ICC header"),
}


@pytest.mark.parametrize("cmd", ["build", "check"])
@pytest.mark.parametrize("kind", list(BAD))
def test_a_broken_profile_is_a_located_error(tmp_path, kind, cmd):
    """In a subprocess with a timeout: the tag-count case looped 3·10⁹ times before."""
    data, message = BAD[kind]
    issue = _issue(tmp_path, data)
    out = tmp_path / "out.pdf"
    args = [cmd, str(issue)] + (["-o", str(out)] if cmd == "build" else [])
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    t = time.perf_counter()
    r = subprocess.run([sys.executable, "-m", "layout", *args], capture_output=True, text=True,
                       env=env, timeout=60)
    assert r.returncode == 2, r.stderr
    assert f"issue.yaml:13:3: error: print.profile: {tmp_path / 'printer.icc'}" in r.stderr
    assert message in r.stderr, r.stderr
    assert time.perf_counter() - t < 30 and not out.exists()


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="names an open file by /proc")
def test_a_huge_profile_is_not_read(tmp_path, monkeypatch):
    """A 3 GB sparse file is refused by its size: the file is never read."""
    issue = _issue(tmp_path, None)
    with open(tmp_path / "printer.icc", "wb") as f:
        f.write(ICC[:128])
        f.truncate(3 * 2 ** 30)
    reads = []
    real = os.read

    def counted(fd, n):
        data = real(fd, n)
        if os.readlink(f"/proc/self/fd/{fd}").endswith("printer.icc"):
            reads.append(len(data))
        return data

    monkeypatch.setattr(os, "read", counted)
    r = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "o.pdf")])
    assert r.exit_code == 2, r.output
    assert "printer.icc is 3072 MB, more than the 32 MB allowed" in r.output
    assert sum(reads) < 2 ** 20 and not (tmp_path / "o.pdf").exists()


def test_a_sound_custom_profile_is_used(tmp_path):
    """A copy of the bundled profile as the printer's: built, embedded, its description read."""
    issue = _issue(tmp_path, ICC)
    out = tmp_path / "out.pdf"
    r = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert r.exit_code == 0, r.output
    with pikepdf.open(out) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert intent.DestOutputProfile.read_bytes() == ICC
        assert str(intent.OutputConditionIdentifier) == "Custom"
        assert str(intent.OutputCondition) == "paiban newsprint (CGATS TR 002 data) v2"
