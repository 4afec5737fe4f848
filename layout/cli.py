"""The `paiban` command. Imports of the heavy stages happen inside the commands, so that
`paiban --help` and error paths stay quick."""
from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from .errors import PaibanError, os_error


EXIT_INTERNAL = 3      # a bug in paiban, not in the input (0 ok, 1 findings/overflow, 2 bad input,
                       # 4 the system refused to read or write a file)


def _fail(err: PaibanError) -> None:
    click.echo(str(err), err=True)
    sys.exit(err.exit_code)


class _Guarded(click.Group):
    """Every command runs guarded: a PaibanError is its located message and its exit code (2
    bad input, 3 InternalError, 4 the system refused); an OSError naming a file (or a full
    disk) is the system's answer, not a bug (exit 2 or 4, `errors.os_error`); any other
    exception is a short "internal error" and exit 3, with the traceback only under
    PAIBAN_DEBUG=1."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except PaibanError as e:
            _fail(e)
        except Exception as e:
            err = os_error(e) if isinstance(e, OSError) else None
            if err is not None:
                _fail(err)
            if os.environ.get("PAIBAN_DEBUG") == "1":
                raise
            msg = str(e).strip().splitlines()[0][:300] if str(e).strip() else ""
            click.echo(f"paiban: internal error: {type(e).__name__}{': ' + msg if msg else ''}\n"
                       "  hint: this is a bug in paiban, not in your file; please report it with the "
                       "issue file attached (run with PAIBAN_DEBUG=1 to see the traceback)", err=True)
            sys.exit(EXIT_INTERNAL)


@click.group(cls=_Guarded, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="paiban")
@click.option("--no-daemon", is_flag=True,
              help="Run in this process even when a warm engine runs (also PAIBAN_NO_DAEMON=1).")
def main(no_daemon: bool) -> None:
    """paiban 排版: typesets Chinese newspaper pages from an issue file (YAML) into PDF."""


@main.command()
@click.argument("issue_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(path_type=Path),
              help="PDF to write (default: the issue file's name with .pdf; - for standard "
                   "output); with --split, the folder.")
@click.option("--split", is_flag=True,
              help="One PDF/X file per page into the folder -o names, named by print.split_names, "
                   "with manifest.json; written as a set.")
@click.option("--allow-overflow", is_flag=True, help="Exit 0 even when an article does not fit.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Compose pages in this many worker processes (same output as one); 0: one per "
                   "CPU core for issues of 12 pages or more.")
@click.option("--proof", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a proof PDF here, with the proof marks (超版 tags); the print file "
                   "never has them.")
@click.option("--png", "png_dir", type=click.Path(file_okay=False, path_type=Path),
              help="Also write one PNG per page into this folder (page-N.png), for CI artifacts "
                   "and review comments.")
@click.option("--dpi", type=click.IntRange(10, 1200), default=72, show_default=True,
              help="Resolution of the --png images.")
def build(issue_file: Path, output: Path | None, allow_overflow: bool, jobs: int,
          proof: Path | None, split: bool, png_dir: Path | None, dpi: int) -> None:
    """Typeset ISSUE_FILE into a PDF."""
    from .build import build_issue
    from .outfile import is_stdout

    if split and (output is None or is_stdout(output)):
        raise click.BadParameter("--split needs the folder to write into: -o DIR",
                                 param_hint="-o")
    out = output or issue_file.with_suffix(".pdf")
    clash = proof and {out.resolve(): "the print file",
                       issue_file.resolve(): "the issue file"}.get(proof.resolve())
    if clash:
        raise click.BadParameter(f"{proof} is {clash}; give the proof a file of its own",
                                 param_hint="--proof")
    to_stdout = is_stdout(out)           # then every message goes to standard error
    # --png renders the file just written: the print file, else the proof
    png_source = proof if split or to_stdout or (out.exists() and not out.is_file()) else out
    if png_dir is not None and png_source is None:
        raise click.BadParameter(f"the PDF goes to {out}, which cannot be read back: write it "
                                 "to a file (-o), or also write a proof (--proof)",
                                 param_hint="--png")
    try:
        result = build_issue(issue_file, None if split else out, jobs=jobs, proof=proof,
                             split=out if split else None)
    except PaibanError as e:
        _fail(e)
    for line in result.notes:
        click.echo(line, err=True)
    for line in result.summary_lines():
        click.echo(line, err=to_stdout or not result.fits or result.missing)
    written = f"{len(result.files)} files and manifest.json into {out}" if split else (
        "standard output" if str(out) == "-" else out)
    click.echo(f"wrote {written} ({len(result.pages)} "
               f"page{'s' if len(result.pages) != 1 else ''}, {result.size // 1024} KiB)",
               err=to_stdout)
    if proof is not None:
        click.echo(f"wrote proof {proof}", err=to_stdout)
    if png_dir is not None:
        from .serve.render import write_pngs
        for path in write_pngs(png_source, png_dir, [cp.page.number for cp in result.pages], dpi):
            click.echo(f"wrote {path}", err=to_stdout)
    if (not result.fits and not allow_overflow) or result.missing:
        sys.exit(1)


@main.command()
@click.argument("issue_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json", "junit", "github"]),
              default="text", show_default=True, help="Report format.")
@click.option("-o", "--output", "report_file", type=click.Path(dir_okay=False, path_type=Path),
              help="Write the report to this file (default: standard output).")
@click.option("--pdf", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write a proof PDF: the typeset pages with proof marks (no PDF by default).")
@click.option("--underfull", "underfull_lines", type=click.IntRange(0), default=None,
              help="Empty lines an article may leave before it is underfull (default 3).")
@click.option("--min-ppi", type=click.IntRange(1), default=None,
              help="Resolution floor of a photo in its frame (default: the issue's print.min_ppi, "
                   "else 200).")
@click.option("--ignore", multiple=True, metavar="KIND",
              help="Do not report this kind of finding (repeatable): overflow, underfull, "
                   "headline, widow, orphan, short-strip, headline-break, missing-glyph, "
                   "low-resolution, strip-resolved.")
@click.option("--orphans", is_flag=True,
              help="Also report a paragraph's first line alone at the foot of a column.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="Compose pages in this many worker processes (same report as one); 0: one per "
                   "CPU core for issues of 12 pages or more.")
def check(issue_file: Path, fmt: str, report_file: Path | None, pdf: Path | None,
          underfull_lines: int | None, min_ppi: int | None, ignore: tuple[str, ...],
          orphans: bool, jobs: int) -> None:
    """Typeset ISSUE_FILE and report what does not fit: exit 0 all fit, 1 findings, 2 invalid
    input. See docs/check.md."""
    from .checks.report import KINDS, UNDERFULL_LINES, Settings, render, write_report
    from .outfile import is_stdout, refuse_inputs
    from .pipeline import check_issue

    bad = [k for k in ignore if k not in KINDS]
    if bad:
        raise click.BadParameter(f"unknown kind {bad[0]!r}; kinds: {', '.join(KINDS)}",
                                 param_hint="--ignore")
    if pdf is not None and is_stdout(pdf) and (report_file is None or is_stdout(report_file)):
        raise click.BadParameter("the PDF and the report cannot both go to standard output: "
                                 "write the report to a file with -o", param_hint="--pdf")
    if report_file is not None:
        refuse_inputs(report_file, [(issue_file, "the issue file", issue_file)])
    settings = Settings(underfull_lines=UNDERFULL_LINES if underfull_lines is None else underfull_lines,
                        min_ppi=min_ppi, ignore=tuple(ignore), orphans=orphans)
    report = check_issue(issue_file, settings, pdf=pdf, jobs=jobs)
    if report.error is not None:
        click.echo(str(report.error), err=True)      # the message, located, on standard error
        if fmt == "text" and report_file is None:
            sys.exit(report.exit_code)
    write_report(render(report, fmt), report_file)
    sys.exit(report.exit_code)


@main.command()
@click.argument("issue_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="PDF to write (default: the issue file's name with .pdf).")
@click.option("-j", "--jobs", type=click.IntRange(0), default=0, show_default=True,
              help="As for build.")
@click.option("--interval", type=click.FloatRange(0.05, 10.0), default=0.2, show_default=True,
              help="Seconds between looks at the files.")
def watch(issue_file: Path, output: Path | None, jobs: int, interval: float) -> None:
    """Build ISSUE_FILE, then rebuild whenever it, its photos or its printer settings change
    (a proof in about a tenth of a second; Ctrl-C stops)."""
    from .watch import watch as run

    from .engine.control import hosted

    out = output or issue_file.with_suffix(".pdf")
    click.echo(f"watching {issue_file} (Ctrl-C to stop)")
    try:
        with hosted():      # `paiban build` and `check` use this warm engine meanwhile
            run(issue_file, out, jobs=jobs, interval=interval, echo=click.echo)
    except KeyboardInterrupt:
        click.echo("stopped")


@main.command()
@click.argument("issue_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("-f", "--format", "fmt", type=click.Choice(["text", "json"]), default="text",
              show_default=True, help="Report format.")
def fonts(issue_file: Path, fmt: str) -> None:
    """List the faces ISSUE_FILE sets its text in, per role (its fonts: section over the bundled
    faces): files, formats, glyphs, and what each covers of GB 2312, GBK, 通用规范汉字表 and
    GB 18030 level 1. See docs/fonts.md."""
    from .text.coverage import fonts_command_run

    click.echo(fonts_command_run(issue_file, fmt), nl=False)


@main.command()
@click.argument("issue_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--port", type=click.IntRange(0, 65535), default=0, show_default=True,
              help="Port on 127.0.0.1 (0: a free one).")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the PDF here on every good build (default: kept in memory).")
@click.option("--dpi", type=click.IntRange(20, 600), default=96, show_default=True,
              help="Resolution of the page images in the browser.")
@click.option("-j", "--jobs", type=click.IntRange(0), default=1, show_default=True,
              help="As for build.")
def serve(issue_file: Path, port: int, output: Path | None, dpi: int, jobs: int) -> None:
    """Show ISSUE_FILE in the browser and rebuild it on every save: pages, grid, modules and
    what does not fit, marked where it is (docs/serve.md). Ctrl-C stops."""
    from .engine.control import hosted
    from .serve.app import serve as run

    with hosted():          # `paiban build` and `check` use this warm engine meanwhile
        run(issue_file, port=port, output=output, dpi=dpi, jobs=jobs, echo=click.echo)


@main.group()
def daemon() -> None:
    """The warm engine `build` and `check` use when it runs (see docs/serve.md)."""


@daemon.command("start")
@click.option("--idle", type=click.FloatRange(0), default=900, show_default=True,
              help="Stop after this many seconds without a command (0: never).")
def daemon_start(idle: float) -> None:
    """Start the engine in the background (nothing happens if one runs)."""
    from .client import RuntimeDirError
    from .engine.control import start

    try:
        st, started = start(idle=idle)
    except RuntimeDirError as e:
        raise PaibanError(str(e), hint="remove it or set PAIBAN_RUNTIME_DIR to a private folder")
    if st is None:
        raise PaibanError("the engine did not start", hint="see the engine's log in the runtime "
                          "folder (engine-*.log); commands still run without it")
    click.echo(f"engine {'started' if started else 'already running'}: pid {st['pid']}, "
               f"version {st['version']}")


@daemon.command("status")
def daemon_status() -> None:
    """Say whether an engine runs (exit 0) or not (exit 1)."""
    import time

    from .client import RuntimeDirError, runtime_dir
    from .engine.control import status

    try:
        st = status(runtime_dir(create=False))
    except RuntimeDirError:
        st = None
    if st is None:
        click.echo("no engine running")
        sys.exit(1)
    idle = f", stops after {st['idle']:g} s unused" if st.get("idle") else ""
    click.echo(f"engine running: pid {st['pid']}, version {st['version']}, up "
               f"{time.time() - st['started']:.0f} s{', hosted by serve/watch' if st.get('hosted') else ''}"
               f"{idle}; socket {st['socket']}; {st.get('requests', 0)} requests, "
               f"{st.get('spared', 0)} of them served by a warmed spare worker")


@daemon.command("stop")
def daemon_stop() -> None:
    """Stop the running engine."""
    from .client import RuntimeDirError
    from .engine.control import stop

    try:
        pid = stop()
    except RuntimeDirError:
        pid = None
    click.echo("no engine running" if pid is None else f"stopped engine (pid {pid})")


class _Lazy(click.Command):
    """A command whose module (and its imports) loads only when the command runs."""

    def __init__(self, name: str, target: str, short_help: str = ""):
        self._target = target
        self._short = short_help
        super().__init__(name)

    def _real(self) -> click.Command:
        import importlib
        module, attr = self._target.split(":")
        return getattr(importlib.import_module(module), attr)

    def get_params(self, ctx):
        return self._real().get_params(ctx)

    def get_short_help_str(self, limit: int = 45) -> str:
        # `paiban --help` lists it without importing it (the preflight pulls in numpy, pikepdf).
        return self._short or self._real().get_short_help_str(limit)

    def invoke(self, ctx):
        return self._real().invoke(ctx)

    def parse_args(self, ctx, args):
        return self._real().parse_args(ctx, args)

    def get_help(self, ctx):
        return self._real().get_help(ctx)


main.add_command(_Lazy("preflight", "layout.checks.preflight:preflight_command",
                       "Check FILE against PDF/X and the printer's rules."))
main.add_command(_Lazy("lint", "layout.checks.lint:lint_command"))
main.add_command(_Lazy("plan", "layout.plan.command:plan_command",
                       "Plan the modules of the unplaced articles (自动组版)."))

if __name__ == "__main__":
    main()
