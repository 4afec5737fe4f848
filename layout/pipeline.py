"""Running the stages over an issue: pages composed in worker processes (jumps kept together),
each page's invariants verified where it was composed, and `paiban check` wired on the pages
composed (the check analyses what it is given; `check_issue`).

load (`model.load`) → measure → flow → compose (`compose.page.compose_page`, per page) →
invariants (`checks.invariants`) → output (`build.build_issue`) or the check report. The issue's
House (layout/house.py: faces, deck and furniture styles) is made once here and handed to every
page, in this process or a worker.
"""
from __future__ import annotations

import os
from pathlib import Path

from .model.document import Issue

# Below this many pages, starting workers costs more than it saves: on the 2-vCPU machine the
# benchmarks run on, 8 pages checked in 0.52 s in one process and 0.56–0.75 s in two; 16 pages
# in 1.0 s and 0.8 s.
AUTO_MIN_PAGES = 12


def auto_jobs(pages: int) -> int:
    """Worker processes for `--jobs 0` (the default): one per CPU this process may use, for
    issues of AUTO_MIN_PAGES pages or more."""
    if pages < AUTO_MIN_PAGES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cpus = os.cpu_count() or 1
    return max(1, min(cpus, pages))


def compose_issue(issue: Issue, jobs: int = 1, then=None) -> list:
    """Pages in page-number order (a jump's first part before its continuation), returned in
    the order of the issue file. With `jobs` > 1 (0: `auto_jobs`), pages are composed in that
    many worker processes: pages linked by jumps (转版) go to one worker together, in page
    order, since a continuation needs what its first part left over; the result is the same as
    a serial run.

    `then(page)`, when given, is applied to each composed page where it was composed, and its
    results are returned instead of the pages: `paiban check` analyses pages in the workers and
    gets back its findings, not 50,000 glyphs per 16 pages it would not use."""
    from .house import House

    house = House.of(issue)             # the paper's faces and styles, for every page and worker
    groups = page_groups(issue)
    if jobs == 0:
        jobs = auto_jobs(len(issue.pages))
    if jobs > 1 and len(groups) > 1:
        import gc
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        # Objects made so far are left out of the workers' garbage collection: collecting
        # them would write to every one and copy the parent's memory into each worker.
        gc.freeze()
        try:
            ctx = multiprocessing.get_context("fork")
            with ProcessPoolExecutor(min(jobs, len(groups)), mp_context=ctx) as pool:
                parts = list(pool.map(_compose_group, [issue] * len(groups),
                                      [house] * len(groups), groups, [then] * len(groups)))
        finally:
            gc.unfreeze()
    else:
        parts = [_compose_group(issue, house, g, then) for g in groups]
    done = dict(item for part in parts for item in part)
    return [done[p.number] for p in issue.pages]


def page_groups(issue: Issue) -> list[list[int]]:
    """Page numbers in groups that must be composed together (joined by jumps), each in page
    order; groups in the order of their first page."""
    parent = {p.number: p.number for p in issue.pages}

    def root(n: int) -> int:
        while parent[n] != n:
            parent[n] = parent[parent[n]]
            n = parent[n]
        return n

    where = {a.id: p.number for p in issue.pages for a in p.articles}
    for p in issue.pages:
        for a in p.articles:
            # continued_from names the first part's article; continued_on is a page number
            for other in (where.get(a.continued_from), a.continued_on):
                if other in parent:
                    parent[root(other)] = root(p.number)
    groups: dict[int, list[int]] = {}
    for n in sorted(parent):
        groups.setdefault(root(n), []).append(n)
    return sorted(groups.values())


def _compose_group(issue: Issue, house, numbers: list[int],
                   then=None) -> list[tuple[int, object]]:
    from .checks.invariants import verify_jumps, verify_page
    from .compose import page as compose

    by_number = {p.number: p for p in issue.pages}
    carry: dict = {}                             # article id → flow.carry.Carry
    composed = []
    drawn: dict = {}
    for n in numbers:
        cp = compose.compose_page(issue, by_number[n], carry, house=house)
        drawn.update(verify_page(issue, cp))
        composed.append(cp)
    verify_jumps(issue, composed, drawn)         # the group holds every part of its jumps
    return [(cp.page.number, then(cp) if then is not None else cp) for cp in composed]


def check_issue(issue_file: Path, settings=None, *, pdf: Path | None = None, jobs: int = 1):
    """`paiban check`: load and compose the issue (and write the proof `pdf` when asked), and
    have every composed page analysed (`checks.report.analyse_page`). Invalid input does not
    raise: it is the report's `error` (exit code 2)."""
    from dataclasses import replace
    from functools import partial

    from .build import build_issue, print_settings
    from .checks.report import MIN_PPI, CheckReport, Settings, analyse_page
    from .errors import InternalError, PaibanError, SystemRefusedError
    from .model.load import load_issue

    settings = settings or Settings()
    report = CheckReport(file=Path(issue_file), settings=settings)
    try:
        issue = load_issue(Path(issue_file))
        printing = print_settings(issue)           # a bad print: section is bad input too
        if settings.min_ppi is None:
            settings = report.settings = replace(settings, min_ppi=printing.min_ppi or MIN_PPI)
        if pdf is None:
            # each page analysed where it is composed: the findings come back, not the glyphs
            results = compose_issue(issue, jobs, then=partial(analyse_page, settings=settings))
        else:
            pages = compose_issue(issue, jobs)
            results = [analyse_page(cp, settings) for cp in pages]
    except InternalError:
        raise
    except PaibanError as e:
        report.error = e
        return report
    report.paper, report.date, report.number = issue.paper, issue.date, issue.number
    report.pages = results
    if pdf is not None:
        # The proof `paiban build --proof` writes (PDF/X, preflighted), with its proof marks.
        try:
            build_issue(Path(issue_file), None, proof=Path(pdf), composed=(issue, pages))
        except (InternalError, SystemRefusedError):      # a bug, a full disk: not the input
            raise
        except PaibanError as e:
            report.error = e
            return report
        report.pdf = Path(pdf)
    return report
