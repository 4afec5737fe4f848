"""Where a build with a warm engine spends its time: the client's process, and the phases of
the build in the engine's worker.

    python benchmarks/engine_phases.py [ISSUE] [--runs 7]

Three series, median of N, interleaved round by round:
  python start      `python -c pass`: the interpreter and `site`, what any Python client pays
  warm engine       `python -m layout build ISSUE -o X --allow-overflow` with a real engine
                    (`paiban daemon start` in a private runtime folder, one untimed request so
                    it has learned that request's imports, as `bench.py`'s untimed round does)
  worker            the same command in a child forked from a process prepared as the engine
                    prepares itself (warm-up, the imports the first request taught it,
                    gc.freeze, glibc told to keep freed memory), which first warms itself as
                    the engine's spare worker does (`Spare._warm` in a thread at idle
                    priority), a timer around each phase of `build_issue`
"client, socket and fork" is warm engine − worker: the client's imports and its request, the
engine's accept and fork, the worker reading the request and answering. Timers wrap the module
functions build_issue calls (as of the commit written against): if the build changes shape,
phases may read 0 and land in "rest". A measuring aid, not a test.
"""
from __future__ import annotations

import argparse
import gc
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
SEED = REPO / "issues" / "guancheng-2023-03-17.yaml"
sys.path.insert(0, str(REPO))

# (module, function, label): what build_issue calls, in the order it calls it
PHASES = [("layout.model.load", "load_issue", "read the issue file (YAML, model)"),
          ("layout.pipeline", "compose_issue", "compose (decks, line breaking, flow)"),
          ("layout.output.pdf", "render_pdf", "PDF writing (reportlab, photos from the cache)"),
          ("layout.output.pdfx", "finish", "PDF/X finishing (pikepdf)"),
          ("layout.checks.preflight", "preflight", "the build's own preflight of the file"),
          ("layout.checks.preflight", "measure_image_ink",
           "  of which: images decoded to measure their ink")]


def _env(runtime: Path) -> dict:
    env = dict(os.environ, PAIBAN_RUNTIME_DIR=str(runtime))
    env.pop("PAIBAN_NO_DAEMON", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO)] + [p for p in env.get("PYTHONPATH", "").split(
        os.pathsep) if p])
    return env


def _wall(cmd, env) -> float:
    t = time.perf_counter()
    subprocess.run(cmd, env=env, cwd=REPO, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)
    return time.perf_counter() - t


def _timers() -> dict:
    """Wrap each phase's function with a timer; the totals, by label, in the returned dict."""
    import importlib

    spent: dict = {}
    for mod, name, label in PHASES:
        owner = importlib.import_module(mod)
        if "." in name:
            cls, name = name.split(".")
            owner = getattr(owner, cls, None)
        f = getattr(owner, name, None) if owner is not None else None
        if f is None:
            continue

        def timed(*a, _f=f, _label=label, **k):
            t = time.perf_counter()
            try:
                return _f(*a, **k)
            finally:
                spent[_label] = spent.get(_label, 0.0) + time.perf_counter() - t
        setattr(owner, name, timed)
    return spent


def _forked(args: list[str], spent: dict | None) -> tuple[float, dict, list[str]]:
    """Run `paiban ARGS` in a forked child as the engine's worker does: (wall s, phase times,
    modules it imported)."""
    from layout.engine.host import _run_cli, learnable

    r, w = os.pipe()
    t = time.perf_counter()
    pid = os.fork()
    if pid == 0:
        os.close(r)
        sys.stdout = sys.stderr = open(os.devnull, "w")
        if spent is not None:                  # as the engine's spare, before its request
            import threading

            from layout.engine.host import Spare
            warm = threading.Thread(target=Spare._warm)
            warm.start()
            warm.join()
            spent.clear()                      # (the warm-up's own build is not the request's)
            t = time.perf_counter()
        before = set(sys.modules)
        _run_cli(args, "paiban")
        out = {"wall": time.perf_counter() - t, "spent": spent or {},
               "learned": sorted(n for n, m in list(sys.modules.items())
                                 if n not in before and learnable(n, m))}
        os.write(w, json.dumps(out).encode())
        os._exit(0)
    os.close(w)
    data = b""
    while chunk := os.read(r, 1 << 16):
        data += chunk
    os.close(r)
    os.waitpid(pid, 0)
    out = json.loads(data)
    return out["wall"], out["spent"], out["learned"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("issue", nargs="?", type=Path, default=SEED)
    ap.add_argument("--runs", type=int, default=7)
    a = ap.parse_args()
    work = Path(tempfile.mkdtemp(prefix="paiban-engine-phases-"))
    runtime = work / "run"
    runtime.mkdir(mode=0o700)
    env = _env(runtime)
    os.environ.update({k: v for k, v in env.items() if k.startswith("PAIBAN_")})
    py = sys.executable
    build = ["build", str(a.issue.resolve()), "-o", str(work / "out.pdf"), "--allow-overflow"]

    # the emulated engine: warmed, taught by one request, frozen; then the timers
    from layout.engine.host import _keep_freed_memory, warm_up
    import importlib
    warm_up()
    _keep_freed_memory()
    for name in _forked(build, None)[2]:
        importlib.import_module(name)
    spent = _timers()
    gc.collect()
    gc.freeze()

    subprocess.run([py, "-m", "layout", "daemon", "start", "--idle", "600"], env=env, cwd=REPO,
                   check=True, stdout=subprocess.DEVNULL)
    try:
        _wall([py, "-m", "layout", *build], env)              # untimed: the engine learns
        rows: dict[str, list[float]] = {"python start": [], "warm engine": [], "worker": []}
        phases: dict[str, list[float]] = {label: [] for _, _, label in PHASES}
        for _ in range(a.runs):
            rows["python start"].append(_wall([py, "-c", "pass"], env))
            rows["warm engine"].append(_wall([py, "-m", "layout", *build], env))
            wall, got, _ = _forked(build, spent)
            rows["worker"].append(wall)
            for label in phases:
                phases[label].append(got.get(label, 0.0))
    finally:
        subprocess.run([py, "-m", "layout", "daemon", "stop"], env=env, cwd=REPO,
                       stdout=subprocess.DEVNULL)
    top = [label for _, _, label in PHASES if not label.startswith(" ")]
    # the differences per round (the medians of separate series do not add up)
    rows["client"] = [t - w - p for t, w, p in zip(rows["warm engine"], rows["worker"],
                                                   rows["python start"])]
    rows["rest"] = [w - sum(phases[label][i] for label in top)
                    for i, w in enumerate(rows["worker"])]
    med = {k: statistics.median(v) for k, v in {**rows, **phases}.items()}
    total = med["warm engine"]
    print(f"{a.issue.name}: median of {a.runs}, load average {os.getloadavg()[0]:.1f}")
    print("| where | s | share of the warm-engine build |")
    print("|---|---|---|")
    lines = [("**whole process, warm engine**", "warm engine"),
             ("python start (`python -c pass`)", "python start"),
             ("client imports, socket, accept, hand-off or fork, request (by difference)", "client"),
             ("the build in the worker", "worker"),
             *[(label, label) for _, _, label in PHASES],
             ("rest of the worker (CLI, inputs, photos check, write and rename)", "rest")]
    for text, key in lines:
        print(f"| {text} | {med[key]:.3f} | {med[key] / total:.0%} |")

if __name__ == "__main__":
    main()
