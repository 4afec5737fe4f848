"""The whole pipeline for one issue: file → model → composed pages → PDF on disk."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .compose.items import ComposedPage
from .errors import PaibanError


@dataclass
class BuildResult:
    pages: list[ComposedPage]
    size: int

    @property
    def fits(self) -> bool:
        return all(r.fits for p in self.pages for r in p.reports)

    def summary_lines(self) -> list[str]:
        out = []
        for p in self.pages:
            for r in p.reports:
                if r.overflow_lines:
                    out.append(f"第{p.page.number}版 {r.id}: 超 {r.overflow_lines} 行，约 "
                               f"{r.overflow_chars} 字 (overflows by {r.overflow_lines} lines, "
                               f"about {r.overflow_chars} characters)")
                for ch in r.missing:
                    out.append(f"第{p.page.number}版 {r.id}: no bundled font has {ch!r} "
                               f"(U+{ord(ch):04X})")
        return out


def compose(issue_file: Path):
    from .compose.page import compose_issue
    from .model.load import load_issue

    issue = load_issue(issue_file)
    return issue, compose_issue(issue)


def build_issue(issue_file: Path, output: Path) -> BuildResult:
    from .output.pdf import render_pdf

    issue, pages = compose(issue_file)
    title = f"{issue.paper} {issue.date}"
    data = render_pdf(pages, title=title)
    write_atomic(output, data)
    return BuildResult(pages, len(data))


def write_atomic(path: Path, data: bytes) -> None:
    """Write to a temporary file beside `path`, then rename: a failed build never leaves a
    truncated PDF and never destroys the previous one."""
    path = Path(path)
    if path.parent and not path.parent.exists():
        raise PaibanError(f"output folder {path.parent} does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
