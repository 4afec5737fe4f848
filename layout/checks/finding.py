"""One finding, whichever tool found it: `paiban check` (the composed pages), `paiban lint`
(the copy in the issue file) and `paiban preflight` (a PDF) report the same type, so a reader
of any of them (the text and JSON formats, the browser overlay of `paiban serve`, a CI job)
sees the same fields: what was found (`kind`: check's overflow, lint's half-width, preflight's
rule), how bad (`severity`), the message, where (file:line:column, page, article, module), and
in `extra` what only that tool knows (check's figures, lint's field, offset and fix)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ..model.document import Source

SEVERITIES = ("error", "warning", "notice")
SHARED_KEYS = ("kind", "severity", "message", "file", "line", "column", "page", "article")


@dataclass
class Finding:
    kind: str                     # check: overflow …; lint: half-width …; preflight: its rule
    severity: str                 # error | warning | notice (says what was done; fails nothing)
    message: str
    file: str = ""                # the file it points into; "": the tool's input
    line: int = 0                 # 1-based; 0: the file as a whole
    column: int = 0
    page: int | None = None       # 版次 (check) or 1-based PDF page (preflight); None: no page
    article: str = ""             # the article's (or ad's) id
    box: object = None            # the article's module (Box) on the page grid
    extra: dict = field(default_factory=dict)   # what only this tool knows, by kind

    @property
    def fails(self) -> bool:
        """Errors and warnings fail the tool; a notice says what was done."""
        return self.severity != "notice"

    @classmethod
    def at(cls, source: Source | None, kind: str, severity: str, message: str,
           **more) -> "Finding":
        """A finding at a Source of the issue file (None: the file as a whole)."""
        if source is None:
            return cls(kind, severity, message, **more)
        return cls(kind, severity, message, str(source.file), source.line, source.column,
                   **more)

    def location(self, fallback: Path | str) -> tuple[str, int, int]:
        """file (relative to the working folder when inside it), line, column; the file
        `fallback` (the tool's input) when the finding names none."""
        return rel(self.file or fallback), self.line, self.column

    def spot(self, fallback: Path | str) -> str:
        """file:line:column as the text formats print it."""
        return spot(*self.location(fallback))

    def to_json(self, fallback: Path | str) -> dict:
        """The shared keys (SHARED_KEYS), then `extra`: what is the tool's own."""
        file, line, col = self.location(fallback)
        d = {"kind": self.kind, "severity": self.severity, "message": self.message,
             "file": file, "line": line, "column": col, "page": self.page,
             "article": self.article}
        d.update(self.extra)
        return d


def rel(path: Path | str) -> str:
    """A path as given, or relative to the working folder when it lies inside it."""
    p = Path(path)
    if p.is_absolute():
        try:
            return str(p.relative_to(Path.cwd()))
        except ValueError:
            return str(p)
    return str(p)


def where(src: Source | None, fallback: Path | str) -> tuple[str, int, int]:
    """file, line, column of a Source of the issue file; `fallback` when there is none."""
    if src is None:
        return rel(fallback), 0, 0
    return rel(src.file), src.line, src.column


def spot(file: str, line: int, column: int) -> str:
    """file:line:column, file:line or file, as much as is known."""
    return f"{file}:{line}:{column}" if line and column else (f"{file}:{line}" if line else file)
