"""A `paiban serve` process for the tests: started on a copy of an issue in a temporary folder,
its URL read from its first line, stopped (SIGTERM, then SIGKILL) when the test ends."""
from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

from proclines import Lines

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"
EXAMPLE = ROOT / "examples" / "tabloid-4pages.yaml"


class Served:
    def __init__(self, tmp: Path, issue: Path = SEED, *, engine: bool = False):
        self.tmp = tmp
        shutil.copytree(issue.parent / "photos", tmp / "photos")
        self.issue = tmp / "i.yaml"
        self.text = issue.read_text(encoding="utf-8")
        self.issue.write_text(self.text, encoding="utf-8")
        self.env = dict(os.environ, PAIBAN_RUNTIME_DIR=str(tmp / "run"))
        if not engine:
            self.env["PAIBAN_NO_DAEMON"] = "1"

    def __enter__(self) -> "Served":
        self.proc = subprocess.Popen([sys.executable, "-m", "layout", "serve", str(self.issue)],
                                     cwd=self.tmp, env=self.env, stdout=subprocess.PIPE,
                                     stderr=subprocess.STDOUT, text=True)
        self.lines = Lines(self.proc)
        line = self.wait_for("serving ", 60)
        self.url = re.search(r"(http://127\.0\.0\.1:(\d+)/\?token=(\S+))", line)[1]
        self.port = int(re.search(r":(\d+)/", self.url)[1])
        self.token = self.url.rsplit("=", 1)[1]
        self.origin = f"http://127.0.0.1:{self.port}"
        return self

    def __exit__(self, *exc) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=15)

    def wait_for(self, needle: str, timeout: float = 60) -> str:
        return self.lines.wait_for(needle, timeout)

    def save(self, text: str) -> None:
        """Save as editors do: a new file renamed over the old one."""
        tmp = self.issue.with_name(".i.yaml.swp")
        tmp.write_text(text, encoding="utf-8")
        os.replace(tmp, self.issue)

    def headers(self) -> dict:
        return {"Cookie": f"paiban_token={self.token}"}


def overflowing(text: str) -> str:
    """The seed with article baojiaolou's module cut from 34 lines to 20: it overflows."""
    old = "module: {column: 6, span: 3, line: 45, lines: 34}"
    assert old in text
    return text.replace(old, "module: {column: 6, span: 3, line: 45, lines: 20}")


def line_of(text: str, needle: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), 1) if needle in line)
