"""How paiban's cost grows: time per page and per 1,000 characters, 1 to 64 pages.

    python benchmarks/scaling.py [--pages 1,2,4,8,16,32,64] [--runs 3] [--json out.json]

Each issue is the seed page repeated (benchmarks/make_issue.py). Each figure is a whole-process
build (`python -m layout build X -o Y --allow-overflow`, this checkout), median of --runs,
with the font metric cache filled by an untimed build first.
"Marginal" is the cost of the pages added since the previous row, per page: it leaves out
what every run pays once (interpreter, imports, font loading).
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench import Series, git_commit, loadavg, paiban_env  # noqa: E402
from make_issue import count_chars, write_issue  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pages", default="1,2,4,8,16,32,64", help="comma-separated page counts")
    ap.add_argument("--runs", type=int, default=3, help="runs per size (default 3)")
    ap.add_argument("--json", type=Path, help="write the figures and raw runs here")
    ap.add_argument("--workdir", type=Path, help="keep issue files and PDFs here (default: a temp folder)")
    a = ap.parse_args(argv)
    sizes = [int(x) for x in a.pages.split(",")]
    work = a.workdir or Path(tempfile.mkdtemp(prefix="paiban-scaling-"))
    work.mkdir(parents=True, exist_ok=True)
    env = paiban_env(work / "font-cache")
    rows = []
    # Untimed: fill the font metric cache (and the OS file cache) first.
    warm = write_issue(1, work / "warmup.yaml")
    Series([sys.executable, "-m", "layout", "build", str(warm), "-o", str(work / "warmup.pdf"),
            "--allow-overflow"], env=env).once(record=False)
    for n in sizes:
        issue = write_issue(n, work / f"issue{n}.yaml")
        out = work / f"issue{n}.pdf"
        s = Series([sys.executable, "-m", "layout", "build", str(issue), "-o", str(out), "--allow-overflow"], env=env)
        load = loadavg()
        for _ in range(a.runs):
            s.once()
        r = s.result()
        rows.append({"pages": n, "characters": count_chars(issue), **r, "pdf_bytes": out.stat().st_size,
                     "load": [load[:1], loadavg()[:1]]})
        print(f"{n} pages: {r['median']:.2f} s", file=sys.stderr, flush=True)
        if a.json:
            a.json.write_text(json.dumps({"commit": git_commit(), "rows": rows}, indent=1))

    fonts = os.environ.get("PAIBAN_FONT_DIR")
    print(f"paiban {git_commit()}, whole process, median of {a.runs}"
          + (f"; PAIBAN_FONT_DIR={fonts} (stand-in fonts, not representative)" if fonts else ""))
    print()
    print("| pages | characters | build s (median) | CPU s | s per page | s per 1,000 chars "
          "| marginal s per page | peak MB | PDF KiB |")
    print("|---|---|---|---|---|---|---|---|---|")
    prev = None
    for r in rows:
        marg = "–" if prev is None else f"{(r['median'] - prev['median']) / (r['pages'] - prev['pages']):.3f}"
        print(f"| {r['pages']} | {r['characters']:,} | {r['median']:.2f} | {r['cpu']:.2f} | "
              f"{r['median'] / r['pages']:.3f} | {r['median'] / r['characters'] * 1000:.3f} | {marg} | "
              f"{r['peak_rss'] / 2**20:.0f} | {r['pdf_bytes'] / 1024:.0f} |")
        prev = r
    if len(rows) >= 2:
        xs, ys = [r["pages"] for r in rows], [r["median"] for r in rows]
        mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
        slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)
        print(f"\nleast-squares line through the medians: {my - slope * mx:.2f} s + {slope:.3f} s per page")
    return 0


if __name__ == "__main__":
    sys.exit(main())
