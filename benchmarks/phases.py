"""Where one build's time goes, phase by phase, in one fresh process (wall and CPU seconds).

    python benchmarks/phases.py [ISSUE] [--pages N]

It repeats the steps of `layout.build.build_issue` (as of the commit it was written against)
with a timer around each: imports, reading the issue file, loading the four faces' metrics,
composition, photo separation, PDF writing, PDF/X finishing, preflight. CPU time (user+sys of
this process) is the figure to trust on a shared machine: wall time grows with other load.
If build_issue changes shape, this script may need the same change; it is a measuring aid,
not part of the benchmark's table.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

T0 = (time.perf_counter(), time.process_time())
HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))
sys.path.insert(1, str(HERE))

rows: list[tuple[str, float, float, float]] = []


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024



class phase:
    def __init__(self, name):
        self.name = name

    def __enter__(self):
        self.t = (time.perf_counter(), time.process_time())

    def __exit__(self, *exc):
        rows.append((self.name, time.perf_counter() - self.t[0], time.process_time() - self.t[1], peak_mb()))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("issue", nargs="?", type=Path, default=REPO / "issues" / "guancheng-2023-03-17.yaml")
    ap.add_argument("--pages", type=int, help="build a generated N-page issue instead")
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="paiban-phases-"))
    issue = a.issue
    if a.pages:
        from make_issue import write_issue
        issue = write_issue(a.pages, work / f"issue{a.pages}.yaml")

    with phase("imports (layout, reportlab, PIL, pikepdf; no numpy, no fontTools when warm)"):
        import datetime as dt
        from functools import partial

        import layout.build as B
        from layout.pipeline import compose_issue
        from layout.model.load import load_issue
        from layout.output.images import photo_stream
        from layout.output.pdf import render_pdf
        from layout.output.pdfx import finish, issue_datetime
        from layout.checks.preflight import preflight
        from layout.text.fonts import FACE_FILES, load_face
    with phase("read issue file (YAML, model)"):
        iss = load_issue(issue)
    with phase("load face metrics (4 faces, from the cache when warm)"):
        for key in FACE_FILES:
            load_face(key)
    with phase("compose (decks, line breaking, flow)"):
        pages = compose_issue(iss)
    settings = B.print_settings(iss)
    title = f"{iss.paper} {iss.date}"
    photo = [0.0, 0.0, 0.0]
    known: dict = {}     # as the build does: photos separated here are not decoded again

    def loader(*args, **kw):
        t = (time.perf_counter(), time.process_time())
        try:
            ps = photo_stream(*args, profile=settings.profile, ink_limit=settings.ink_limit, **kw)
            known[ps.key] = ps.ink
            return ps
        finally:
            photo[0] += time.perf_counter() - t[0]
            photo[1] += time.process_time() - t[1]
            photo[2] = max(photo[2], peak_mb())

    t = (time.perf_counter(), time.process_time())
    data = render_pdf(pages, title=title, image_loader=loader)
    w, c = time.perf_counter() - t[0], time.process_time() - t[1]
    rows.append(("photos: crop, CMYK separation, ink limit, compression (or the disk cache)",
                 photo[0], photo[1], photo[2]))
    rows.append(("PDF writing (reportlab: text, image XObjects, font subsets or the cache)", w - photo[0], c - photo[1], peak_mb()))
    with phase("PDF/X finishing (pikepdf open + save)"):
        data = finish(data, settings=settings, title=title,
                      date=issue_datetime(dt.date.fromisoformat(iss.date)))
    out = work / "out.pdf"
    out.write_bytes(data)
    with phase("preflight of the written file (its own photos not decoded)"):
        preflight(out, settings.standard, min_ppi=settings.min_ppi, ink_limit=settings.ink_limit,
                  known_images=known)
    total = (time.perf_counter() - T0[0], time.process_time() - T0[1])
    fonts = os.environ.get("PAIBAN_FONT_DIR")
    print(f"{issue.name}: {len(pages)} page(s), {len(data) // 1024} KiB"
          + (f"; PAIBAN_FONT_DIR={fonts} (stand-in fonts)" if fonts else ""))
    print("| phase | wall s | CPU s | share of CPU | peak RSS so far, MB |")
    print("|---|---|---|---|---|")
    for name, w, c, m in rows:
        print(f"| {name} | {w:.3f} | {c:.3f} | {c / total[1]:.0%} | {m:.0f} |")
    print(f"| total in this process (interpreter start not counted) | {total[0]:.3f} | {total[1]:.3f} | 100% | {peak_mb():.0f} |")


if __name__ == "__main__":
    main()
