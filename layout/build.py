"""The whole pipeline for one issue: file → model → composed pages → PDF on disk."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .compose.items import ComposedPage, overset_text
from .compose.strips import resolution_text
from .errors import InternalError
from .outfile import refuse_inputs, write_atomic


# Preflight rules that judge the content an editor supplied (a photo's resolution), not the
# file paiban wrote: the PDF is still written, as a proof, and the build reports them.
CONTENT_RULES = {"image-ppi"}


@dataclass
class BuildResult:
    pages: list[ComposedPage]
    size: int
    preflight: list = field(default_factory=list)   # content findings of the preflight
    notes: list = field(default_factory=list)       # said once: the stand-in profile
    files: list = field(default_factory=list)       # build --split: the manifest's entries

    @property
    def fits(self) -> bool:
        return not self.preflight and not any(p.overset for p in self.pages) and all(
            r.fits and r.deck_fits for p in self.pages for r in p.reports)

    @property
    def missing(self) -> bool:
        """A character prints as nothing: fails the build even with --allow-overflow."""
        return any(p.missing or any(r.missing for r in p.reports) for p in self.pages)

    def summary_lines(self) -> list[str]:
        out = [f"preflight: {f.message}" + (f" (page {f.page})" if f.page else "")
               for f in self.preflight]
        for p in self.pages:
            for o in p.overset:
                out.append(f"第{p.page.number}版 {o.part}: {overset_text(o)}")
            for r in p.reports:
                if r.overflow_lines:
                    out.append(f"第{p.page.number}版 {r.id}: 超 {r.overflow_lines} 行，约 "
                               f"{r.overflow_chars} 字 (overflows by {r.overflow_lines} lines, "
                               f"about {r.overflow_chars} characters)")
                if not r.headline_fits:
                    out.append(f"第{p.page.number}版 {r.id}: 标题排不下 (the headline does not fit its "
                               f"span at {r.headline_size:g} pt, its smallest size)")
                if r.deck_over:
                    out.append(f"第{p.page.number}版 {r.id}: 标题区高出模块 {r.deck_over} 行 (the "
                               f"deck needs {r.deck_over} more lines than the module has)")
                out += [f"第{p.page.number}版 {r.id}: {resolution_text(x)}" for x in r.resolved]
            where = {a.id: a.source for a in p.page.articles}
            for art_id, chars in [(r.id, r.missing) for r in p.reports] + [("", p.missing)]:
                src = where.get(art_id) or p.page.source
                for ch in chars:
                    out.append(f"{src}: 第{p.page.number}版 {art_id or '版面'}: 缺字 {ch!r} "
                               f"(U+{ord(ch):04X}): no font has this character; it would print "
                               "as nothing")
        return out


def compose(issue_file: Path, jobs: int = 1):
    from .model.load import load_issue
    from .pipeline import compose_issue

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


def inputs(issue, settings) -> list[tuple[Path, str, object]]:
    """The files a build of `issue` reads, as (path, what it is, where the issue names it): the
    issue file, printer file, output profile, photos, ad artwork and the house fonts."""
    where = issue.printing_source or issue.path
    out = [(Path(issue.path), "the issue file", issue.path),
           (Path(settings.profile), "the output profile (ICC)", where)]
    if issue.printing_source is not None:
        out.append((Path(issue.printing_source.file), "the printer file", issue.path))
    for page in issue.pages:
        for art in page.articles:
            out += [(Path(f), f"a photo of article {art.id}", ph.source or art.source)
                    for ph in art.photos for f in ph.files]
        out += [(Path(ad.file), f"the artwork of ad {ad.id}", ad.source) for ad in page.ads]
    from .text.fonts import house_files
    out += [(p, f"the {role} font {p.name}", issue.path) for role, p in house_files(issue.fonts)]
    return out


def font_inputs() -> list[tuple[Path, str, object]]:
    """The bundled faces a build reads (the fonts folder: PAIBAN_FONT_DIR or `fonts/`)."""
    from .text.fonts import FACE_FILES, font_dir

    return [(font_dir() / name, f"the bundled font {name}", font_dir() / name)
            for name in FACE_FILES.values()]


def build_issue(issue_file: Path, output: Path | None, *, preflight: bool = True,
                composed=None, jobs: int = 1, proof: Path | None = None,
                split: Path | None = None) -> BuildResult:
    """Typeset, render, finish as PDF/X and write `output` — only once the file has passed
    its own preflight. `composed`: (issue, pages) already composed (paiban check --pdf).
    `proof`: also write a proof there, the pages with their proof marks (`output` None: only
    the proof). The print file never has proof marks. `split`: write one PDF/X per page into
    that folder instead, with a manifest (layout/split.py)."""
    import datetime as dt
    from functools import partial

    from .output.images import photo_stream
    from .output.pdf import render_pdf
    from .output.pdfx import finish, issue_datetime
    from .output.plates import black_pictures, check_black_pages

    issue_file = Path(issue_file)
    # before composing: `paiban build issue.pdf` would otherwise write over its own issue file
    for dest in (output, proof):
        refuse_inputs(dest, [(issue_file, "the issue file", issue_file)])
    issue, pages = composed if composed is not None else compose(issue_file, jobs)
    settings = print_settings(issue)
    for dest in (output, proof):
        refuse_inputs(dest, inputs(issue, settings) + font_inputs())
    title = f"{issue.paper} {issue.date}"
    known: dict = {}                # the photos separated here: stream key → their ink measure
    black = black_pictures(pages)   # photos marked ink: k

    def loader(path, w, h, focus):
        ps = photo_stream(path, w, h, focus, profile=settings.profile,
                          ink_limit=settings.ink_limit, min_ppi=settings.min_ppi,
                          black=(str(path), round(w, 3), round(h, 3), tuple(focus)) in black,
                          compression=settings.photo_compression)
        known[ps.key] = ps.ink
        return ps

    check_black_pages(pages, settings, lambda p: loader(p.path, p.width, p.height, p.focus))

    def make(marks: bool, some=None, name: str = title) -> bytes:
        return finish(render_pdf(some or pages, title=name, image_loader=loader, proof=marks),
                      settings=settings, title=name,
                      date=issue_datetime(dt.date.fromisoformat(issue.date)))

    check = None
    content: list = []
    if preflight:
        from .checks.preflight import preflight as run_preflight

        def check(tmp: Path, proof: bool = False) -> None:
            # photos we separated ourselves are not decoded again, if their bytes are the same:
            # the preflight takes the measure made of those bytes (images.stream_ink)
            rep = run_preflight(tmp, settings.standard, min_ppi=settings.min_ppi,
                                ink_limit=settings.ink_limit, known_images=known, proof=proof)
            own = [f for f in rep.errors if f.kind not in CONTENT_RULES]
            content.extend(f for f in rep.errors if f.kind in CONTENT_RULES and f not in content)
            if own:
                raise InternalError(
                    f"the PDF failed its own {settings.pdfx_version} preflight; nothing was "
                    "written\n" + "\n".join(f"  [{f.kind}] {f.message}" for f in own),
                    hint="this is a bug in paiban: please report it with the issue file")
    notes = [stand_in_note(settings)] if settings.stand_in else []
    if split is not None:
        from .split import split_files, write_split

        files = split_files(issue, pages, settings, lambda cp, name: make(False, [cp], name))
        entries = write_split(split, files, check, inputs(issue, settings) + font_inputs(),
                              issue)
        return BuildResult(pages, sum(e["size"] for e in entries), content, notes, entries)
    data = b""
    if output is not None:
        data = make(False)
        write_atomic(output, data, check=check)
    if proof is not None:
        marked = make(True)
        write_atomic(proof, marked, check=partial(check, proof=True) if check else None)
        data = data or marked
    return BuildResult(pages, len(data), content, notes)


def stand_in_note(settings) -> str:
    """What build says once when the bundled profile separated the photos."""
    return (f"note: photos separated with paiban's stand-in profile (CGATS TR 002 data) for "
            f"{settings.output_condition_identifier}, {settings.ink_limit:g} % ink: a proof; "
            "for the plant give its profile (print: profile:)")
