"""The whole pipeline for one issue: file → model → composed pages → PDF on disk."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .compose.items import ComposedPage
from .errors import InternalError, PaibanError


# Preflight rules that judge the content an editor supplied (a photo's resolution), not the
# file paiban wrote: the PDF is still written, as a proof, and the build reports them.
CONTENT_RULES = {"image-ppi"}


@dataclass
class BuildResult:
    pages: list[ComposedPage]
    size: int
    preflight: list = field(default_factory=list)   # content findings of the preflight

    @property
    def fits(self) -> bool:
        return not self.preflight and all(r.fits for p in self.pages for r in p.reports)

    def summary_lines(self) -> list[str]:
        out = [f"preflight: {f.message}" + (f" (page {f.page})" if f.page else "")
               for f in self.preflight]
        for p in self.pages:
            for r in p.reports:
                if r.overflow_lines:
                    out.append(f"第{p.page.number}版 {r.id}: 超 {r.overflow_lines} 行，约 "
                               f"{r.overflow_chars} 字 (overflows by {r.overflow_lines} lines, "
                               f"about {r.overflow_chars} characters)")
                if not r.headline_fits:
                    out.append(f"第{p.page.number}版 {r.id}: 标题排不下 (the headline does not fit its "
                               f"span at {r.headline_size:g} pt, its smallest size)")
                for ch in r.missing:
                    out.append(f"第{p.page.number}版 {r.id}: no bundled font has {ch!r} "
                               f"(U+{ord(ch):04X})")
        return out


def compose(issue_file: Path, jobs: int = 1):
    from .compose.page import compose_issue
    from .model.load import load_issue

    issue = load_issue(issue_file)
    return issue, compose_issue(issue, jobs)


def print_settings(issue):
    """The issue's `print:` section as PrintSettings; a bad value is an error in the file."""
    from .errors import IssueFileError
    from .model.printing import PrintSettings

    try:
        return PrintSettings.from_mapping(issue.printing, base_dir=issue.path.parent)
    except ValueError as e:
        raise IssueFileError(str(e), where=issue.printing_source or issue.path) from None


def build_issue(issue_file: Path, output: Path, *, preflight: bool = True,
                composed=None, jobs: int = 1) -> BuildResult:
    """Typeset, render, finish as PDF/X and write `output` — only once the file has passed
    its own preflight. `composed`: (issue, pages) already composed (paiban check --pdf)."""
    import datetime as dt

    from .output.images import photo_stream
    from .output.pdf import render_pdf
    from .output.pdfx import finish, issue_datetime

    issue, pages = composed if composed is not None else compose(issue_file, jobs)
    settings = print_settings(issue)
    title = f"{issue.paper} {issue.date}"
    known: dict[str, int] = {}      # the photos separated here: stream key → largest ink

    def loader(path, w, h, focus):
        ps = photo_stream(path, w, h, focus, profile=settings.profile,
                          ink_limit=settings.ink_limit, min_ppi=settings.min_ppi)
        known[ps.key] = ps.max_ink
        return ps

    data = render_pdf(pages, title=title, image_loader=loader)
    data = finish(data, settings=settings, title=title,
                  date=issue_datetime(dt.date.fromisoformat(issue.date)))
    check = None
    content: list = []
    if preflight:
        from .checks.preflight import preflight as run_preflight

        def check(tmp: Path) -> None:
            # photos we separated ourselves are not decoded again, if their bytes are the same
            rep = run_preflight(tmp, settings.standard, min_ppi=settings.min_ppi,
                                ink_limit=settings.ink_limit, known_images=known)
            own = [f for f in rep.errors if f.rule not in CONTENT_RULES]
            content.extend(f for f in rep.errors if f.rule in CONTENT_RULES)
            if own:
                raise InternalError(
                    f"the PDF failed its own {settings.pdfx_version} preflight; nothing was "
                    "written\n" + "\n".join(f"  [{f.rule}] {f.message}" for f in own),
                    hint="this is a bug in paiban: please report it with the issue file")
    write_atomic(output, data, check=check)
    return BuildResult(pages, len(data), content)


def write_atomic(path: Path, data: bytes, *, check=None, mode: int | None = None) -> None:
    """Write to a temporary file beside `path`, then rename: a failed build never leaves a
    truncated PDF and never destroys the previous one. `check(tmp)` may veto the file; `mode`
    gives the new file those permission bits (a rewritten issue file keeps its own)."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise PaibanError(f"output folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        if mode is not None:
            os.chmod(tmp, mode)
        if check is not None:
            check(Path(tmp))
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
