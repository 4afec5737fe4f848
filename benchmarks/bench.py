"""paiban against Typst and WeasyPrint on the same work: the seed page and a 16-page issue.

    python benchmarks/bench.py [--runs 5] [--json out.json] [--peers/--no-peers] [--pages 16]

For paiban (always run from this checkout: cwd and PYTHONPATH are the repository):
  whole process  `python -m layout build X -o Y --allow-overflow`: interpreter start, imports,
                 font loading, layout, PDF, PDF/X finishing, preflight, write. Median/min/max of N.
  warm engine    the same commands with a warm engine running (`paiban daemon start` in a
                 private runtime folder; stopped after): the client hands the command over.
                 The other paiban series run with an empty runtime folder (no engine).
  in process     one child imports layout.build once and calls build_issue(X, Y) N times
                 (the first call pays font loading and lazy imports; median of all N calls,
                 the first call shown apart).
  check only     `python -m layout check X` as a whole process when that command exists;
                 otherwise `layout.build.compose(X)` (layout without PDF) in a whole process,
                 labelled "compose only".
  peak memory    ru_maxrss of the whole-process build child (os.wait4), largest of the N runs.
  measure        one child measures the seed's longest article at spans 1–8
                 (`layout.measure.measure`, one memo for the 8 calls, as a page planner does),
                 20 times after one untimed round; median, and the same without a memo.
For the peers (when `typst` / `weasyprint` are importable and the Noto CJK and LXGW fonts are
installed), the recipe in /work/shared/bench/peers/ is run in the same run: `<engine>_page.py
[--pages 16]` as a whole process and its `bench.py --inproc` for the in-process figure, with
PEERS_OUT pointing to a temporary folder. Nothing here asserts a time: it measures and prints.
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = REPO / "issues" / "guancheng-2023-03-17.yaml"
PEERS = Path(os.environ.get("PAIBAN_PEERS_DIR", "/work/shared/bench/peers"))
PEER_ENGINES = {"typst": ("typst", "Typst"), "weasy": ("weasyprint", "WeasyPrint")}
# The font files the peer recipe names (peers/geometry.py FONT_FILES).
PEER_FONTS = ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
              "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc",
              "/usr/share/fonts/truetype/lxgw-wenkai/LXGWWenKai-Regular.ttf")

sys.path.insert(0, str(HERE))
from make_issue import count_chars, write_issue  # noqa: E402

# In-process child: import once, time N calls of build_issue.
WARM = r"""
import json, sys, time
from pathlib import Path
t0 = time.perf_counter()
from layout.build import build_issue
imp = time.perf_counter() - t0
src, out, n = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
ts = []
for _ in range(n):
    t0 = time.perf_counter()
    build_issue(src, out)
    ts.append(time.perf_counter() - t0)
print(json.dumps({"import": imp, "runs": ts}))
"""
# In-process child: an article measured at spans 1-8 (what a page planner asks of it).
MEASURE = r"""
import json, statistics, sys, time
from pathlib import Path
from layout.house import House
from layout.measure import measure
from layout.model.load import load_issue
issue = load_issue(Path(sys.argv[1]))
house = House.of(issue)
page = issue.pages[0]
art = max(page.articles, key=lambda a: sum(map(len, a.paragraphs)))
def spans(memo):
    for span in range(1, 9):
        measure(art, span, page.geometry, house=house, issue=issue, memo=memo)
spans({})
out = {"article": art.id, "chars": sum(map(len, art.paragraphs))}
for key, memo in (("memo", dict), ("no_memo", lambda: None)):
    ts = []
    for _ in range(int(sys.argv[2])):
        t0 = time.perf_counter()
        spans(memo())
        ts.append(time.perf_counter() - t0)
    out[key] = ts
print(json.dumps(out))
"""
COMPOSE = "import sys; from layout.build import compose; compose(sys.argv[1])"
ENV_INFO = r"""
import json, os, layout
from layout.text.fonts import font_dir
d = font_dir()
print(json.dumps({"layout": layout.__file__, "font_dir": str(d),
                  "font_files": sorted(p.name for p in d.glob("*") if p.is_file()) if d.is_dir() else []}))
"""


# ---------------------------------------------------------------------------------------------
# running children

def child_env(**extra) -> dict:
    """The environment for all children. PYTHONDONTWRITEBYTECODE is dropped, so that modules are
    compiled once and then loaded from __pycache__, as in any installed copy."""
    env = dict(os.environ, **extra)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def paiban_env(cache: Path | None = None, runtime: Path | None = None) -> dict:
    """The environment for paiban's children: this checkout first on the path; derived font
    data (the metric cache) in `cache` when given, not in the user's ~/.cache; the warm engine's
    runtime folder `runtime` (default: a private empty one, so no engine the user runs is used)."""
    env = child_env()
    env.pop("PAIBAN_NO_DAEMON", None)
    if cache is not None:
        env["PAIBAN_CACHE_DIR"] = str(cache)
    env["PAIBAN_RUNTIME_DIR"] = str(runtime or _no_engine())
    env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p])
    return env


_NO_ENGINE: list[Path] = []


def _no_engine() -> Path:
    if not _NO_ENGINE:
        _NO_ENGINE.append(Path(tempfile.mkdtemp(prefix="paiban-bench-run-")))
    return _NO_ENGINE[0]


def run_child(cmd, *, cwd=REPO, env=None, ok=(0,)):
    """Run `cmd`; return (wall seconds, CPU seconds, peak RSS in bytes of that child, stdout).

    Peak memory is the child's own ru_maxrss from wait4 (KiB on Linux), not the running
    maximum over all children that RUSAGE_CHILDREN would give."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=out, stderr=err, stdin=subprocess.DEVNULL)
        _, status, ru = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(errors="replace"), err.read().decode(errors="replace")
    if p.returncode not in ok:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {p.returncode}:\n{stderr[-3000:]}{stdout[-2000:]}")
    return wall, ru.ru_utime + ru.ru_stime, ru.ru_maxrss * 1024, stdout


def stats(ts: list[float]) -> dict:
    return {"median": statistics.median(ts), "min": min(ts), "max": max(ts), "first": ts[0], "runs": ts}


class Series:
    """Repeated whole-process runs of one command: wall time, CPU time (user+sys), peak RSS."""

    def __init__(self, cmd, **kw):
        self.cmd, self.kw = cmd, kw
        self.wall, self.cpu, self.rss = [], [], []

    def once(self, record: bool = True):
        t, c, m, _ = run_child(self.cmd, **self.kw)
        if not record:
            return
        self.wall.append(t)
        self.cpu.append(c)
        self.rss.append(m)

    def result(self) -> dict:
        return {**stats(self.wall), "cpu": stats(self.cpu)["median"], "cpu_runs": self.cpu,
                "peak_rss": max(self.rss)}


def interleave(series: dict, runs: int, warmup: bool = True) -> dict:
    """Run every series `runs` times, round-robin, so that a change in the machine's load
    (other processes) hits all engines alike; return name → result. A first, untimed round
    fills the OS file cache and paiban's font metric cache."""
    if warmup:
        for s in series.values():
            s.once(record=False)
    for _ in range(runs):
        for s in series.values():
            s.once()
    return {k: s.result() for k, s in series.items()}


def loadavg() -> list[float]:
    try:
        return list(os.getloadavg())
    except OSError:
        return []


# ---------------------------------------------------------------------------------------------
# paiban

def has_jobs_option(env) -> bool:
    r = subprocess.run([sys.executable, "-m", "layout", "build", "--help"], cwd=REPO, env=env,
                       capture_output=True, text=True)
    return r.returncode == 0 and "--jobs" in r.stdout


def has_engine(env) -> bool:
    r = subprocess.run([sys.executable, "-m", "layout", "daemon", "--help"], cwd=REPO, env=env,
                       capture_output=True)
    return r.returncode == 0


def has_check_command(env) -> bool:
    r = subprocess.run([sys.executable, "-m", "layout", "check", "--help"], cwd=REPO, env=env,
                       capture_output=True)
    return r.returncode == 0


def paiban_series(issue: Path, out: Path, check_cmd: bool, cache: Path, jobs: int = 0) -> dict:
    """Whole-process series for paiban: build, build --jobs N (when asked), and check (or
    compose only)."""
    env, py = paiban_env(cache), sys.executable
    build = [py, "-m", "layout", "build", str(issue), "-o", str(out), "--allow-overflow"]
    series = {"paiban": Series(build, env=env)}
    if jobs >= 1:
        series["paiban_jobs"] = Series(build[:-3] + ["-o", str(out.with_suffix(".jobs.pdf")),
                                                     "--allow-overflow", "--jobs", str(jobs)], env=env)
    if check_cmd:
        series["paiban_check"] = Series([py, "-m", "layout", "check", str(issue)], env=env, ok=(0, 1))
    else:
        series["paiban_check"] = Series([py, "-c", COMPOSE, str(issue)], env=env)
    return series


def engine_series(issue: Path, out: Path, cache: Path, runtime: Path) -> dict:
    """The same commands as whole processes, handed to a warm engine (`paiban daemon start`,
    started by the caller in `runtime`)."""
    env, py = paiban_env(cache, runtime), sys.executable
    return {"paiban_engine": Series([py, "-m", "layout", "build", str(issue), "-o",
                                     str(out.with_suffix(".engine.pdf")), "--allow-overflow"],
                                    env=env),
            "paiban_engine_check": Series([py, "-m", "layout", "check", str(issue)], env=env,
                                          ok=(0, 1))}


def paiban_cold(issue: Path, out: Path, cache: Path) -> dict:
    """One whole-process build with an empty font metric cache (a first build on a machine)."""
    cache.mkdir(parents=True, exist_ok=False)
    t, c, m, _ = run_child([sys.executable, "-m", "layout", "build", str(issue), "-o", str(out), "--allow-overflow"],
                           env=paiban_env(cache))
    return {"wall": t, "cpu": c, "peak_rss": m}


def paiban_warm(issue: Path, out: Path, runs: int, cache: Path) -> dict:
    """One child: import layout.build once, call build_issue `runs` times."""
    _, _, rss, stdout = run_child([sys.executable, "-c", WARM, str(issue), str(out), str(runs)],
                                  env=paiban_env(cache))
    warm = json.loads(stdout.strip().splitlines()[-1])
    return {**stats(warm["runs"]), "import": warm["import"], "peak_rss": rss}


def paiban_measure(issue: Path, cache: Path, runs: int = 20) -> dict | None:
    """The seed's longest article measured at spans 1–8 in one child (None: no measure stage)."""
    if not (REPO / "layout" / "measure").is_dir():
        return None
    _, _, _, stdout = run_child([sys.executable, "-c", MEASURE, str(issue), str(runs)],
                                env=paiban_env(cache))
    got = json.loads(stdout.strip().splitlines()[-1])
    return {"article": got["article"], "chars": got["chars"], "memo": stats(got["memo"]),
            "no_memo": stats(got["no_memo"])}


# ---------------------------------------------------------------------------------------------
# peers

def peers_available() -> dict[str, str]:
    """engine → why it cannot run ('' when it can)."""
    why = {}
    missing_fonts = [f for f in PEER_FONTS if not Path(f).exists()]
    for engine, (module, _) in PEER_ENGINES.items():
        if not (PEERS / f"{engine}_page.py").exists():
            why[engine] = f"no {PEERS}/{engine}_page.py"
        elif importlib.util.find_spec(module) is None:
            why[engine] = f"`{module}` is not importable (pip install {module})"
        elif missing_fonts:
            why[engine] = f"peer fonts missing: {', '.join(missing_fonts)} (apt-get install fonts-noto-cjk fonts-lxgw-wenkai)"
        else:
            why[engine] = ""
    return why


def peer_out(engine: str, pages: int, outdir: Path) -> Path:
    return outdir / f"{engine}_{'page' if pages == 1 else f'issue{pages}'}.pdf"


def peer_series(engine: str, pages: int, outdir: Path) -> Series:
    """`python3 <engine>_page.py [--pages N]` as a whole process (the peers' own recipe)."""
    return Series([sys.executable, str(PEERS / f"{engine}_page.py"), "--pages", str(pages),
                   "--out", str(peer_out(engine, pages, outdir))],
                  cwd=PEERS, env=child_env(PEERS_OUT=str(outdir)))


def peer_warm(engine: str, pages: int, runs: int, outdir: Path) -> dict:
    """The peers' own in-process measurement: `bench.py --inproc ENGINE PAGES --runs N`."""
    _, _, rss, stdout = run_child([sys.executable, str(PEERS / "bench.py"), "--inproc", engine, str(pages),
                                   "--runs", str(runs)], cwd=PEERS, env=child_env(PEERS_OUT=str(outdir)))
    return {**stats(json.loads(stdout.strip().splitlines()[-1])), "peak_rss": rss}


def bench_case(issue: Path, pages: int, key: str, runs: int, work: Path, check_cmd: bool,
               engines: list[str], log, jobs: int = 0) -> dict:
    """All figures of one case; the whole-process runs of all engines are interleaved."""
    out = work / f"paiban_{key}.pdf"
    cache = work / "font-cache"
    log("  paiban build with an empty font metric cache x1")
    cold = paiban_cold(issue, out, work / f"font-cache-empty-{key}")
    series = paiban_series(issue, out, check_cmd, cache, jobs if pages > 1 else 0)
    peer_dir = work / "peers"
    peer_dir.mkdir(exist_ok=True)
    for e in engines:
        series[e] = peer_series(e, pages, peer_dir)
    runtime = Path(tempfile.mkdtemp(prefix="paiban-bench-engine-"))
    if check_cmd and has_engine(paiban_env(cache, runtime)):
        log("  starting a warm engine (paiban daemon start)")
        run_child([sys.executable, "-m", "layout", "daemon", "start", "--idle", "900"],
                  env=paiban_env(cache, runtime))
        series.update(engine_series(issue, out, cache, runtime))
    log(f"  whole process, 1 untimed + {runs} rounds of: {', '.join(series)}")
    try:
        whole = interleave(series, runs)
    finally:
        if "paiban_engine" in series:
            run_child([sys.executable, "-m", "layout", "daemon", "stop"],
                      env=paiban_env(cache, runtime))
    res = {"paiban": {"whole": whole["paiban"], "check": whole["paiban_check"], "cold": cold,
                      "pdf_bytes": out.stat().st_size}}
    if "paiban_engine" in whole:
        res["paiban"]["engine"] = whole["paiban_engine"]
        res["paiban"]["engine_check"] = whole["paiban_engine_check"]
    res["paiban"]["check"]["label"] = "check" if check_cmd else "compose only"
    if "paiban_jobs" in whole:
        res["paiban"]["jobs"] = {**whole["paiban_jobs"], "jobs": jobs}
    log(f"  paiban in process x{runs}")
    res["paiban"]["warm"] = paiban_warm(issue, out.with_suffix(".warm.pdf"), runs, cache)
    if pages == 1:
        log("  paiban measure one article at spans 1-8 x20")
        res["paiban"]["measure"] = paiban_measure(issue, cache)
    for e in engines:
        log(f"  {e} in process x{runs}")
        res[e] = {"whole": whole[e], "warm": peer_warm(e, pages, runs, peer_dir),
                  "pdf_bytes": peer_out(e, pages, peer_dir).stat().st_size}
    return res


# ---------------------------------------------------------------------------------------------
# report

def _s(x: dict | None, key="median") -> str:
    return "–" if x is None else f"{x[key]:.3f}"


def _range(x: dict | None) -> str:
    return "–" if x is None else f"{x['median']:.3f} ({x['min']:.3f}–{x['max']:.3f})"


def _ratio(a, b) -> str:
    return "–" if a is None or b is None or not b else f"{a / b:.2f}×"


def table(results: dict) -> str:
    """The results as a Markdown table, one row per figure, ratios paiban/peer."""
    rows = ["| case | figure | paiban | Typst | WeasyPrint | paiban/Typst | paiban/WeasyPrint |",
            "|---|---|---|---|---|---|---|"]
    for case, r in results["cases"].items():
        p = r["paiban"]
        t = r.get("typst")
        w = r.get("weasy")
        name = r["title"]

        def row(fig, pv, tv, wv, fmt, val):
            rows.append(f"| {name} | {fig} | {fmt(pv)} | {fmt(tv)} | {fmt(wv)} | "
                        f"{_ratio(val(pv), val(tv))} | {_ratio(val(pv), val(wv))} |")

        med = lambda x: None if x is None else x["median"]
        cpu = lambda x: None if x is None else x["cpu"]
        row("build, whole process, s: median (min–max)", p["whole"], t and t["whole"], w and w["whole"], _range, med)
        row("build, whole process, CPU s (user+sys): median", p["whole"], t and t["whole"], w and w["whole"],
            lambda x: _s(x, "cpu"), cpu)
        if "engine" in p:
            for fig, x in (("build, whole process, warm engine (`paiban daemon`), s: median (min–max)",
                            p["engine"]),
                           ("check, whole process, warm engine, s: median (min–max)",
                            p["engine_check"])):
                rows.append(f"| {name} | {fig} | {_range(x)} | – | – | "
                            f"{_ratio(x['median'], t and t['whole']['median'])} | "
                            f"{_ratio(x['median'], w and w['whole']['median'])} |")
        rows.append(f"| {name} | build, whole process, empty font cache (1 run), s | {p['cold']['wall']:.3f} | – | – | "
                    f"{_ratio(p['cold']['wall'], t and t['whole']['median'])} | "
                    f"{_ratio(p['cold']['wall'], w and w['whole']['median'])} |")
        row("build, in process (warm), s: median", p["warm"], t and t["warm"], w and w["warm"], _s, med)
        row("build, in process, first call, s", p["warm"], t and t["warm"], w and w["warm"],
            lambda x: _s(x, "first"), lambda x: None if x is None else x["first"])
        if "jobs" in p:
            j = p["jobs"]
            rows.append(f"| {name} | build --jobs {j['jobs']}, whole process, s: median (min–max) | {_range(j)} | – | – | "
                        f"{_ratio(j['median'], t and t['whole']['median'])} | "
                        f"{_ratio(j['median'], w and w['whole']['median'])} |")
        lab = p["check"]["label"]
        rows.append(f"| {name} | {lab}, whole process, s: median (min–max) | {_range(p['check'])} | – | – | "
                    f"{_ratio(p['check']['median'], t and t['whole']['median'])} | "
                    f"{_ratio(p['check']['median'], w and w['whole']['median'])} |")
        m = p.get("measure")
        if m:
            rows.append(f"| {name} | measure one article at spans 1–8 ({m['article']}, {m['chars']} "
                        f"characters), in process, ms: median with a memo / without | "
                        f"{m['memo']['median'] * 1000:.1f} / {m['no_memo']['median'] * 1000:.1f} "
                        "| – | – | – | – |")
        mb = lambda x: None if x is None else x["peak_rss"] / 2**20
        row("peak memory (whole-process build), MB", p["whole"], t and t["whole"], w and w["whole"],
            lambda x: "–" if x is None else f"{mb(x):.0f}", mb)
        kib = lambda x: None if x is None else x["pdf_bytes"] / 1024
        row("PDF size, KiB", p, t, w, lambda x: "–" if x is None else f"{kib(x):.0f}", kib)
    return "\n".join(rows)


def targets(results: dict) -> str:
    """Issue 7's targets, read off this run (a report, not an assertion)."""
    lines = []
    for case, r in results["cases"].items():
        p, t = r["paiban"], r.get("typst")
        if t:
            x = p["whole"]["median"] / t["whole"]["median"]
            lines.append(f"- {r['title']}: build {x:.2f}× Typst (target ≤ 1.0): {'met' if x <= 1.0 else 'not met'}")
            if "engine" in p:
                x = p["engine"]["median"] / t["whole"]["median"]
                lines.append(f"- {r['title']}: build with a warm engine {x:.2f}× Typst (target ≤ 0.5): "
                             f"{'met' if x <= 0.5 else 'not met'}")
        c = p["check"]["median"] / p["whole"]["median"]
        lines.append(f"- {r['title']}: {p['check']['label']} {c:.2f}× build (target ≤ 0.6): {'met' if c <= 0.6 else 'not met'}")
        if r["pages"] >= 16:
            mb = p["whole"]["peak_rss"] / 2**20
            lines.append(f"- {r['title']}: peak memory {mb:.0f} MB (target ≤ 200 MB): {'met' if mb <= 200 else 'not met'}")
    return "\n".join(lines)


def git_commit() -> str:
    r = subprocess.run(["git", "-C", str(REPO), "describe", "--always", "--dirty"], capture_output=True, text=True)
    return r.stdout.strip()


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5, help="runs per figure (default 5)")
    ap.add_argument("--json", type=Path, help="write all figures and raw runs here")
    ap.add_argument("--peers", action=argparse.BooleanOptionalAction, default=True,
                    help="also run the Typst and WeasyPrint recipe where installed (default: yes)")
    ap.add_argument("--peer", default=",".join(PEER_ENGINES),
                    help=f"which peers, comma-separated (default {','.join(PEER_ENGINES)})")
    ap.add_argument("--pages", type=int, default=16, help="pages of the generated issue (default 16)")
    ap.add_argument("--cases", default="seed,issue", help="which cases: seed, issue or both (default)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="also time `build --jobs N` on the generated issue, where paiban has --jobs "
                         "(default 1: one process, next to the default build, which composes in one "
                         "worker per CPU core for 4 pages or more; 0 = skip)")
    ap.add_argument("--workdir", type=Path, help="keep issue files and PDFs here (default: a temp folder)")
    a = ap.parse_args(argv)
    log = lambda msg: print(msg, file=sys.stderr, flush=True)

    work = a.workdir or Path(tempfile.mkdtemp(prefix="paiban-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    env = paiban_env()
    info = json.loads(run_child([sys.executable, "-c", ENV_INFO], env=env)[3].strip().splitlines()[-1])
    check_cmd = has_check_command(env)
    jobs = a.jobs if a.jobs >= 1 and has_jobs_option(env) else 0
    peers = peers_available() if a.peers else {}
    peers = {e: why for e, why in peers.items() if e in a.peer.split(",")}
    results = {
        "machine": {"python": platform.python_version(), "platform": platform.platform(),
                    "cpus": os.cpu_count(), "processor": _cpu_name()},
        "paiban": {"commit": git_commit(), **info, "PAIBAN_FONT_DIR": os.environ.get("PAIBAN_FONT_DIR"),
                   "check_command": check_cmd},
        "peers": {e: (why or "ran") for e, why in peers.items()},
        "runs": a.runs, "cases": {},
    }
    for e in peers:
        if not peers[e]:
            results["peers"][e] = "ran: " + _version(PEER_ENGINES[e][0])
    log(f"paiban {results['paiban']['commit']} from {info['layout']}; fonts: {info['font_dir']}")
    if os.environ.get("PAIBAN_FONT_DIR"):
        log("NOTE: PAIBAN_FONT_DIR is set: stand-in fonts, timings are not those of the bundled fonts")
    for e, why in peers.items():
        if why:
            log(f"peer {e} skipped: {why}")

    cases = []
    if "seed" in a.cases:
        cases.append(("seed", f"seed page", SEED, 1))
    if "issue" in a.cases:
        cases.append(("issue", f"{a.pages}-page issue", write_issue(a.pages, work / f"issue{a.pages}.yaml"), a.pages))
    for key, title, issue, pages in cases:
        log(f"{title}: {issue} ({count_chars(issue)} characters)")
        r = {"title": title, "issue": str(issue), "pages": pages, "characters": count_chars(issue)}
        r["load_before"] = loadavg()
        r.update(bench_case(issue, pages, key, a.runs, work, check_cmd, [e for e, why in peers.items() if not why], log,
                            jobs))
        r["load_after"] = loadavg()
        results["cases"][key] = r
        if a.json:   # keep what is done so far
            a.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))

    print(f"paiban {results['paiban']['commit']}, fonts {info['font_dir']}"
          + (" (PAIBAN_FONT_DIR: stand-in fonts, not representative)" if os.environ.get("PAIBAN_FONT_DIR") else "")
          + f"; {results['machine']['cpus']} CPUs, {results['machine']['processor']}, Python {results['machine']['python']}; "
          f"{a.runs} runs")
    if peers:
        print("peers: " + "; ".join(f"{e}: {s}" for e, s in results["peers"].items()))
    print()
    print(table(results))
    print()
    print(targets(results))
    cases = [r for r in results["cases"].values() if r.get("load_before") and r.get("load_after")]
    if cases:
        loads = "; ".join(f"{r['title']}: {r['load_before'][0]:.1f} → {r['load_after'][0]:.1f}" for r in cases)
        busy = max(max(r["load_before"][0], r["load_after"][0]) for r in cases) > (results["machine"]["cpus"] or 1)
        print(f"\nload average (1 min) before → after each case: {loads}"
              + (" (above the CPU count: other processes shared the CPUs, wall times are inflated; "
                 "compare the ratios and CPU times)" if busy else ""))
    if a.json:
        a.json.write_text(json.dumps(results, indent=1, ensure_ascii=False))
    return 0


def _cpu_name() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _version(module: str) -> str:
    from importlib.metadata import PackageNotFoundError, version
    try:
        return f"{module} {version(module)}"
    except PackageNotFoundError:
        return module


if __name__ == "__main__":
    sys.exit(main())
