"""A child process's output for the tests, read line by line on a thread as it comes, so a test
can wait for a line without blocking on a process that keeps running (serve, watch)."""
from __future__ import annotations

import queue
import subprocess
import threading
import time


class Lines:
    def __init__(self, proc: subprocess.Popen):
        self.proc = proc
        self.q: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.proc.stdout:
            self.q.put(line.rstrip("\n"))

    def wait_for(self, needle: str, timeout: float = 60) -> str:
        """The first line holding needle; fails when the process ends or timeout passes first."""
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            try:
                line = self.q.get(timeout=0.2)
            except queue.Empty:
                if self.proc.poll() is not None and self.q.empty():
                    break
                continue
            self.seen.append(line)
            if needle in line:
                return line
        raise AssertionError(f"no line with {needle!r} in {timeout} s; output: {self.seen}")
