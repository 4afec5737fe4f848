"""`paiban watch` rebuilds when the issue file changes, keeps the last good PDF through a
broken edit, and builds again once the file is fixed (issue 7: a proof in a blink)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pypdf import PdfReader

from proclines import Lines

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"


def _text(pdf: Path) -> str:
    # lines run together: a date may be broken across two lines of a column
    return "".join("".join(p.extract_text().split()) for p in PdfReader(str(pdf)).pages)


def _save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    st = path.stat()       # a later mtime even on a coarse clock
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10_000_000))


def test_watch_rebuilds_on_change_and_survives_a_broken_edit(tmp_path):
    shutil.copytree(ROOT / "issues" / "photos", tmp_path / "photos")
    issue = tmp_path / "issue.yaml"
    original = SEED.read_text(encoding="utf-8")
    issue.write_text(original, encoding="utf-8")
    out = tmp_path / "out.pdf"
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([sys.executable, "-m", "layout", "watch", str(issue), "-o", str(out),
                             "--interval", "0.1"], cwd=ROOT, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        lines = Lines(proc)
        lines.wait_for("wrote", 120)
        assert "3月14日" in _text(out) and "3月19日" not in _text(out)

        edited = original.replace("3月14日", "3月19日", 1)
        _save(issue, edited)
        lines.wait_for("wrote", 120)
        assert "3月19日" in _text(out)

        good = out.read_bytes()
        _save(issue, edited + "\n  - broken: [\n")
        assert "YAML" in lines.wait_for("error", 120)
        lines.wait_for("previous PDF is kept", 120)
        assert out.read_bytes() == good

        _save(issue, original)
        lines.wait_for("wrote", 120)
        assert "3月19日" not in _text(out)
        assert proc.poll() is None            # still watching
    finally:
        proc.terminate()
        proc.wait(timeout=30)
