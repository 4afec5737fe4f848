"""How long a save takes to show in the browser under `paiban serve` (issue 18's target: 0.5 s).

    python benchmarks/serve_latency.py [--runs 5] [--issue FILE]

Starts `paiban serve` on a copy of the issue (seed page by default) in a temporary folder, opens
it in chromium (playwright, the system's browser), then N times: saves the issue file as editors
do (a new file renamed over it, alternating two texts that differ in one article's module height)
and waits until the page shows the new build — images loaded and swapped in. Prints each time
and the median. Needs chromium and playwright (`apt-get install chromium`, `pip install
playwright`). Measures; asserts nothing.
"""
from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SEED = REPO / "issues" / "guancheng-2023-03-17.yaml"
OLD = "module: {column: 6, span: 3, line: 45, lines: 34}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--issue", type=Path, default=SEED)
    a = ap.parse_args(argv)
    from playwright.sync_api import sync_playwright

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    work = Path(tempfile.mkdtemp(prefix="paiban-serve-bench-"))
    shutil.copytree(a.issue.parent / "photos", work / "photos")
    text = a.issue.read_text(encoding="utf-8")
    texts = [text, text.replace(OLD, OLD.replace("34", "30"))]
    issue = work / "i.yaml"
    issue.write_text(text, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO), PAIBAN_NO_DAEMON="1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    proc = subprocess.Popen([sys.executable, "-m", "layout", "serve", str(issue)], cwd=work,
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        url = re.search(r"http://\S+", proc.stdout.readline())[0]
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium,
                                         args=["--no-sandbox"] if os.geteuid() == 0 else [])
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(url)
            page.wait_for_selector("body[data-version='1']", timeout=120_000)
            times = []
            for i in range(a.runs):
                version = 2 + i
                tmp = work / ".i.yaml.swp"
                tmp.write_text(texts[(i + 1) % 2], encoding="utf-8")
                t0 = time.perf_counter()
                os.replace(tmp, issue)
                page.wait_for_selector(f"body[data-version='{version}']", timeout=120_000,
                                       state="attached")
                times.append(time.perf_counter() - t0)
                print(f"save {i + 1}: {times[-1]:.3f} s", flush=True)
                time.sleep(0.5)
            browser.close()
        print(f"save → page in the browser, median of {a.runs}: {statistics.median(times):.3f} s "
              f"(min {min(times):.3f}, max {max(times):.3f}); load average {os.getloadavg()[0]:.1f}")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
