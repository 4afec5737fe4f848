"""`paiban watch`: build an issue, then build it again whenever one of its files changes.

An editor proofing a page changes a headline, saves, and looks. A new `paiban build` process
pays 0.3 s of start-up (interpreter, imports, font metrics) before it sets a line; a watching
process has paid it once, so each rebuild costs what the work costs (0.12 s for the seed page).
The files watched are the ones the last build read: the issue file, its printer file and
output profile, every photo and ad. Changes are noticed by polling their size and mtime, which
needs nothing beyond the standard library and works on every file system.

A rebuild that fails (a YAML mistake half-way through an edit) reports the error and keeps the
previous PDF, as `paiban build` does; the next save is built again.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Callable

from .errors import PaibanError, os_error

SETTLE = 0.05        # s: a file must stay unchanged this long before a rebuild (editors that
                     # write a file in two steps would otherwise be caught half-way)


def watch(issue_file: Path, output: Path, *, jobs: int = 0, interval: float = 0.2,
          echo: Callable[[str], None] = print, builds: int | None = None) -> None:
    """Build `issue_file` into `output`, then rebuild on every change, until interrupted (or
    after `builds` builds)."""
    from .build import build_issue, compose, inputs, print_settings
    from .outfile import is_stdout, refuse_inputs

    issue_file = Path(issue_file)
    if is_stdout(output):
        raise PaibanError("watch writes its PDF again on every change: name a file with -o, "
                          "not standard output")
    refuse_inputs(output, [(issue_file, "the issue file", issue_file)])
    watched: set[Path] = {issue_file}
    done = 0
    while True:
        t0 = time.perf_counter()
        # the files as this build finds them: a save during the build is a change to build
        seen = _state(watched | {issue_file})
        try:
            issue, pages = compose(issue_file, jobs)
            result = build_issue(issue_file, output, composed=(issue, pages))
            watched = {Path(p) for p, _, _ in inputs(issue, print_settings(issue))}
            stamp = time.strftime("%H:%M:%S")
            echo(f"[{stamp}] wrote {output} in {time.perf_counter() - t0:.2f} s")
            for line in result.summary_lines():
                echo(f"  {line}")
        except (PaibanError, OSError) as e:
            # an OS error (a file made unreadable, a full disk) is reported like bad input:
            # the next save may find it gone
            err = os_error(e) if isinstance(e, OSError) else e
            if err is None:
                raise
            watched.add(issue_file)
            echo(str(err))
            echo("  (the previous PDF is kept; waiting for the file to change)")
        done += 1
        if builds is not None and done >= builds:
            return
        # files the build found that were not watched before are taken as they are now
        baseline = {**_state(watched), **{p: v for p, v in seen.items() if p in watched}}
        _wait_for_change(watched, baseline, interval)


def _state(paths: set[Path]) -> dict[Path, tuple[int, int] | None]:
    out: dict[Path, tuple[int, int] | None] = {}
    for p in paths:
        try:
            st = p.stat()
            out[p] = (st.st_mtime_ns, st.st_size)
        except OSError:
            out[p] = None          # gone for now (an editor's save-by-rename): a change too
    return out


def _wait_for_change(paths: set[Path], before: dict, interval: float) -> None:
    while True:
        time.sleep(interval)
        now = _state(paths)
        if now != before:
            # let the writer finish: wait until the files hold still
            while True:
                time.sleep(SETTLE)
                later = _state(paths)
                if later == now:
                    return
                now = later
