"""Real copy (issue 16, "Measured"): the corpus of tests/data/real-copy.txt set at 8–20
characters per line, and the seed page, judged by tests/copycheck.py.

Prints, for the settings the composer uses (the optimum, and each paragraph one line longer and
shorter where the engine offers that against 孤行 or for balancing): kinsoku violations, lines
ending in an opening mark, broken numbers/ranges/datelines, URL breaks not after / . - _ ? & = #,
and loose lines (median Han gap > ⅛ em). The seed page's loose lines are read from its PDF.

    python benchmarks/real_copy.py [--no-seed] [-v]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

import copycheck as J  # noqa: E402
from layout.text.paragraph import Paragraph  # noqa: E402
from layout.text.prepare import Style  # noqa: E402

SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"


def corpus_figures(verbose: bool = False) -> Counter:
    style = Style()
    em = style.size
    c: Counter = Counter()
    for text in J.corpus():
        para = Paragraph([(text, style)])
        for chars in J.MEASURES:
            for looseness in (0, -1, 1):
                sp = para.set(chars * em, indent=2 * em, looseness=looseness)
                if sp is None:
                    continue
                key = "optimum" if looseness == 0 else "variant"
                c[f"{key} settings"] += 1
                lines = [ln.text for ln in sp.lines]
                found = {"kinsoku": J.kinsoku(lines), "opening at end": J.opening_at_end(lines),
                         "broken groups": J.broken_groups(text, lines, (chars - 2, chars)),
                         "bad URL breaks": J.url_breaks(text, lines, (chars - 2, chars))}
                for ln in sp.lines:
                    gaps = J.set_line_gaps(ln)
                    if ln.last or not gaps:
                        continue
                    c[f"{key} justified lines"] += 1
                    if J.is_loose(gaps):
                        found.setdefault("loose", []).append(
                            f"{statistics.median(gaps):.3f} em {ln.text}")
                for name, items in found.items():
                    c[f"{key} {name}"] += len(items)
                    if verbose:
                        for it in items:
                            print(f"{chars:2d} {looseness:+d} {name}: {it}")
    return c


def seed_loose() -> tuple[int, int]:
    """(loose justified lines, justified lines with Han pairs) of the seed page's PDF."""
    from layout.build import build_issue
    with tempfile.TemporaryDirectory() as d:
        out = Path(d) / "seed.pdf"
        build_issue(SEED, out)
        loose, total = J.page_loose_lines(out, SEED)
    return len(loose), total


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--no-seed", action="store_true", help="skip building the seed page")
    ap.add_argument("-v", "--verbose", action="store_true", help="list every finding")
    args = ap.parse_args()
    c = corpus_figures(args.verbose)
    print(f"corpus: {len(J.corpus())} paragraphs at {J.MEASURES.start}–{J.MEASURES.stop - 1} "
          "characters per line")
    print("| setting | settings | justified lines | loose (median Han gap > ⅛ em) | kinsoku | "
          "opening mark at end | broken number/range/dateline | URL break elsewhere |")
    print("|---|---|---|---|---|---|---|---|")
    for key in ("optimum", "variant"):
        print(f"| {key} | {c[key + ' settings']} | {c[key + ' justified lines']} | "
              f"{c[key + ' loose']} | {c[key + ' kinsoku']} | {c[key + ' opening at end']} | "
              f"{c[key + ' broken groups']} | {c[key + ' bad URL breaks']} |")
    if not args.no_seed:
        loose, total = seed_loose()
        print(f"seed page: {loose} loose of {total} justified lines")


if __name__ == "__main__":
    main()
