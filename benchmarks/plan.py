"""How long the planner takes for one broadsheet page of K free articles (in process).

    python benchmarks/plan.py [--runs 5]

The articles are the seed page's four and the 4-page example's, their modules and photo places
left out, on a broadsheet page. So that the page is neither overset nor underset, articles
lose paragraphs from the end, the least important first, and an ad at the foot takes what the
text leaves (the first height, near the estimate, at which the page can be planned). The first
run measures the text too (cold); the median of the others is the search with the text measured
(warm). Targets (issue 14): 8 free articles ≤ 1 s, 16 ≤ 3 s. Nothing asserts: it prints.

    python benchmarks/plan.py --issue 16

also builds a 16-page issue (benchmarks/make_issue.py) with its modules given and with every
module and photo place left out, `paiban build -j 1` in a child process, median of the runs
(target: planned and built ≤ 3× the build with the modules given).
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from layout.model.load import load_issue           # noqa: E402
from layout.model.document import Box               # noqa: E402
from layout.plan.planner import plan_page          # noqa: E402


def articles():
    seed = load_issue(REPO / "issues" / "guancheng-2023-03-17.yaml")
    example = load_issue(REPO / "examples" / "tabloid-4pages.yaml")
    arts = list(seed.pages[0].articles)
    for page in example.pages:
        arts += [a for a in page.articles if not (a.deck.vertical or a.continued_from
                                                  or a.id == "daodu")]
    free = [replace(a, module=None, continued_on=0, columns=0,
                    photos=tuple(replace(p, place=None) for p in a.photos[:1]))
            for a in arts]
    return seed, free


def need(geo, arts) -> int:
    """Column lines the articles take, roughly (the planner's own estimate)."""
    from layout.plan.measure import Measure
    from layout.plan.planner import cut_advice

    msg = cut_advice(Measure(geo), replace_page(geo), arts, [Box(1, geo.columns, 1, 10 ** 4)])[0]
    return int(msg.split("fill about ")[1].split(" ")[0])


def replace_page(geo):
    from layout.model.document import Page
    return Page(number=0, section="", geometry=geo, articles=())


def fitted(page0, arts):
    """The page with `arts` trimmed to fit a broadsheet and an ad taking the rest of it."""
    geo = page0.geometry
    arts = list(arts)
    room = geo.columns * geo.lines
    while need(geo, arts) > 0.92 * room:
        # the least important article that has a paragraph to lose (news is cut from the end)
        k = max((i for i in range(len(arts)) if len(arts[i].paragraphs) > 2), default=None)
        if k is None:
            break
        arts[k] = replace(arts[k], paragraphs=arts[k].paragraphs[:-1] or arts[k].paragraphs)
    spare = room - need(geo, arts) * 1.05
    first = max(0, int(spare // geo.columns) - 1)
    # the first ad height (from the estimate down, then up) at which the page can be planned
    for ad_lines in sorted(range(0, 61, 3), key=lambda n: (abs(n - first), n)):
        ads = ()
        if ad_lines >= 12:
            ad = page0.ads[0]
            ads = (replace(ad, module=Box(1, geo.columns, geo.lines - ad_lines + 1, ad_lines)),)
        page = replace(page0, articles=tuple(arts), ads=ads)
        if plan_page(SEED, page).feasible:
            return page
    return page


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--issue", type=int, default=0, metavar="PAGES",
                    help="also time building an issue of this many pages, planned and not")
    args = ap.parse_args(argv)
    global SEED
    seed, free = articles()
    SEED = seed
    page0 = seed.pages[0]
    print(f"{'articles':>8}  {'cold s':>7}  {'warm s':>7}  result")
    for k in (4, 6, 8, 10, 12, 16):
        page = fitted(page0, free[:k])
        times, plan = [], None
        for _ in range(args.runs):
            t = time.perf_counter()
            plan = plan_page(seed, page)
            times.append(time.perf_counter() - t)
        result = (f"planned, score {plan.cost}" if plan.feasible
                  else "does not fit: " + plan.cuts[0][:60])
        warm = statistics.median(times[1:]) if len(times) > 1 else times[0]
        print(f"{k:>8}  {times[0]:7.3f}  {warm:7.3f}  {result}")
    if args.issue:
        issue_builds(args.issue, args.runs)
    return 0


def issue_builds(pages: int, runs: int) -> None:
    import subprocess
    import tempfile

    import yaml

    from make_issue import write_issue

    with tempfile.TemporaryDirectory() as tmp:
        given = write_issue(pages, Path(tmp) / "given.yaml")
        data = yaml.safe_load(given.read_text(encoding="utf-8"))
        for page in data["pages"]:
            for art in page["articles"]:
                art.pop("module", None)
                for ph in art.get("photos") or []:
                    ph.pop("place", None)
        free = Path(tmp) / "free.yaml"
        free.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
        med = {}
        for name, path in (("modules given", given), ("planned", free)):
            ts = []
            for _ in range(runs):
                t = time.perf_counter()
                subprocess.run([sys.executable, "-m", "layout", "build", str(path), "-o",
                                str(path.with_suffix(".pdf")), "-j", "1"], check=True,
                               capture_output=True, cwd=REPO)
                ts.append(time.perf_counter() - t)
            med[name] = statistics.median(ts)
            print(f"{pages}-page issue, {name}: {med[name]:.2f} s")
        print(f"planned / given: {med['planned'] / med['modules given']:.1f}×")


if __name__ == "__main__":
    raise SystemExit(main())
