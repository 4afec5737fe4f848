"""Automatic page make-up (自动组版): modules for the articles an issue file leaves unplaced.

measure.py reads an article's figures off paiban's own composition; variants.py turns them into
the module heights an article can take at each span; search.py finds the page structure (a
guillotine dynamic programme) and verifies it by composing; explain.py prints the plan.
docs/planning.md describes the rules and the score terms.
"""
from __future__ import annotations


def plan_unplaced(issue, plans: list | None = None):
    """The issue with its unplaced articles planned (the loader calls this before its placement
    checks). `plans` collects each page's PagePlan. A page whose articles cannot all fit is an
    error (exit 1) that says per article what to cut."""
    if not any(a.module is None for p in issue.pages for a in p.articles):
        return issue
    from .planner import DoesNotFit, plan_issue

    issue, got = plan_issue(issue)
    if plans is not None:
        plans.extend(got)
    bad = [p for p in got if not p.feasible]
    if bad:
        page = next(pg for pg in issue.pages if pg.number == bad[0].number)
        raise DoesNotFit(f"page {bad[0].number}: the unplaced articles do not fit (the editor "
                         "decides what to change): " + "; ".join(bad[0].cuts), where=page.source,
                         hint="shorten the articles, move one to another page, or place some by "
                              "hand (module:)")
    return issue
