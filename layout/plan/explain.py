"""`paiban plan`: the plan printed for the editor — modules, photo places, headline sizes, and
the score terms of the chosen layout next to the runner-up's."""
from __future__ import annotations

from .planner import PagePlan


def _box(b) -> str:
    return f"col {b.column} span {b.span} line {b.line} lines {b.lines}" if b else "-"


def render(plans: list[PagePlan]) -> str:
    out = []
    for plan in plans:
        if not plan.feasible:
            out.append(f"第{plan.number}版: the articles do not fit (the editor decides what to "
                       "change):")
            out += [f"  {c}" for c in plan.cuts]
            continue
        out.append(f"第{plan.number}版: {len(plan.placements)} articles planned")
        rows = [("article", "module", "photo", "head", "deck", "empty")]
        for p in plan.placements:
            rows.append((p.id, _box(p.module), "; ".join(_box(b) for b in p.photos) or "-", f"{p.head_size:g} pt"
                         + (" (raised)" if p.raised else " (capped)" if p.cap else ""),
                         f"{p.deck_lines} lines" if p.deck_lines else "as set",
                         f"{p.underfull} lines"))
        out += _table(rows)
        out.append("  score (lower is better; docs/planning.md):")
        names = sorted(set(plan.terms) | set(plan.runner_up or {}))
        rows = [("term", "chosen", "runner-up")]
        for n in names:
            rows.append((n, str(plan.terms.get(n, 0)),
                         str(plan.runner_up.get(n, 0)) if plan.runner_up is not None else "-"))
        rows.append(("total", str(plan.cost), str(sum(plan.runner_up.values()))
                     if plan.runner_up is not None else "-"))
        out += ["  " + r for r in _table(rows)]
    return "\n".join(out)


def _table(rows) -> list[str]:
    widths = [max(_width(r[k]) for r in rows) for k in range(len(rows[0]))]
    return ["  " + "  ".join(c + " " * (w - _width(c)) for c, w in zip(r, widths)).rstrip()
            for r in rows]


def _width(text: str) -> int:
    """Columns a string takes in a terminal: CJK characters two."""
    return sum(2 if ord(ch) > 0x2E7F else 1 for ch in text)
