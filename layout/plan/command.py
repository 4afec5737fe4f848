"""The `paiban plan` command (registered lazily in cli.py)."""
from __future__ import annotations

import sys
from pathlib import Path

import click


@click.command("plan")
@click.argument("issue_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--write", is_flag=True,
              help="Write the planned module:/place: values into ISSUE_FILE (comments and "
                   "layout kept), for the editor to adjust and lock.")
def plan_command(issue_file: Path, write: bool) -> None:
    """Plan the modules of the articles ISSUE_FILE leaves unplaced (自动组版) and print the
    plan: modules, photo places, headline sizes and the score terms. Exit 0 planned, 1 the
    articles do not fit (what to cut is printed), 2 invalid input."""
    from ..model.load import load_issue
    from .explain import render
    from .planner import DoesNotFit

    plans: list = []
    try:
        load_issue(issue_file, plans=plans)
    except DoesNotFit:
        click.echo(render([p for p in plans if not p.feasible]))
        sys.exit(1)
    if not plans:
        click.echo(f"{issue_file}: every article has a module; nothing to plan")
        return
    click.echo(render(plans))
    if write:
        from .write import write_plan

        n = write_plan(issue_file, plans)
        click.echo(f"wrote {n} planned values into {issue_file}")
