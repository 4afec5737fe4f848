"""The `paiban` command. Imports of the heavy stages happen inside the commands, so that
`paiban --help` and error paths stay quick."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from .errors import PaibanError


def _fail(err: PaibanError) -> None:
    click.echo(str(err), err=True)
    sys.exit(err.exit_code)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="paiban")
def main() -> None:
    """paiban 排版: typesets Chinese newspaper pages from an issue file (YAML) into PDF."""


@main.command()
@click.argument("issue_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="PDF to write (default: the issue file's name with .pdf).")
@click.option("--allow-overflow", is_flag=True, help="Exit 0 even when an article does not fit.")
def build(issue_file: Path, output: Path | None, allow_overflow: bool) -> None:
    """Typeset ISSUE_FILE into a PDF."""
    from .build import build_issue

    out = output or issue_file.with_suffix(".pdf")
    try:
        result = build_issue(issue_file, out)
    except PaibanError as e:
        _fail(e)
    for line in result.summary_lines():
        click.echo(line, err=not result.fits)
    click.echo(f"wrote {out} ({len(result.pages)} page{'s' if len(result.pages) != 1 else ''}, "
               f"{result.size // 1024} KiB)")
    if not result.fits and not allow_overflow:
        sys.exit(1)


class _Lazy(click.Command):
    """A command whose module (and its imports) loads only when the command runs."""

    def __init__(self, name: str, target: str):
        self._target = target
        super().__init__(name)

    def _real(self) -> click.Command:
        import importlib
        module, attr = self._target.split(":")
        return getattr(importlib.import_module(module), attr)

    def get_params(self, ctx):
        return self._real().get_params(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        return self._real().get_short_help_str(limit)

    def invoke(self, ctx):
        return self._real().invoke(ctx)

    def parse_args(self, ctx, args):
        return self._real().parse_args(ctx, args)

    def get_help(self, ctx):
        return self._real().get_help(ctx)


main.add_command(_Lazy("preflight", "layout.checks.preflight:preflight_command"))
main.add_command(_Lazy("lint", "layout.checks.lint:lint_command"))

if __name__ == "__main__":
    main()
