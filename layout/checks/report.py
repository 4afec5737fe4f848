"""`paiban check`'s analysis of composed pages: per page and article, what a layout editor must
act on — overflow (超版) with the figure to cut by, underfull modules, headlines that do not fit
their span, widows and orphans, missing glyphs, photos below the resolution floor.

The report is one `CheckReport`; `render(report, fmt)` turns it into text, JSON (schema
"paiban-check/1", docs/check-report.schema.json), JUnit XML or GitHub workflow annotations.
Exit codes: 0 nothing found, 1 findings, 2 invalid input (3, an internal error, is the CLI's).
The pages come from the pipeline (`layout.pipeline.check_issue`); nothing here composes.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from ..compose.items import ArticleReport, ComposedPage, overset_text
from ..compose.strips import resolution_data, resolution_text
from ..text.fonts import fallback_glyphs
from ..errors import PaibanError
from ..model.document import Article, Geometry, Source
from ..model.printing import MIN_PPI
from .finding import Finding, rel as _rel, spot, where as _where

SCHEMA = "paiban-check/1"

# An article with MORE than this many empty body lines left in its module is underfull: the
# editor should add text or shrink the module. 3 lines is what a 补白 or a looser setting of one
# paragraph takes up without being seen; more shows as a hole in the page.
UNDERFULL_LINES = 3
# Orphans — a paragraph's first line alone at the foot of a column — are tolerated in Chinese
# newspaper setting (孤行 is the paragraph's LAST line at a column top), and the composition does
# not avoid them; they are reported only when asked (Settings.orphans, `--orphans`).
REPORT_ORPHANS = False

# Every kind of finding, and how serious it is (GitHub annotation level; all fail the check).
SEVERITY = {
    "overflow": "error",          # 超版: text does not fit its module
    "headline": "error",          # the headline does not fit its span at the smallest size
    "missing-glyph": "error",     # a character no bundled font has (it would print as nothing)
    "underfull": "warning",       # more than UNDERFULL_LINES empty lines in the module
    "widow": "warning",           # 孤行: a paragraph's last line alone at the top of a column
    "orphan": "warning",          # a paragraph's first line alone at the foot of a column (opt-in)
    "short-strip": "warning",     # 碎栏: fewer than 5 text lines under or over a photo
    "headline-break": "warning",  # the head breaks only next to a lone character (副|区长)
    "low-resolution": "warning",  # a photo below MIN_PPI in its frame
    "strip-resolved": "notice",   # 碎栏 the composition resolved: what it changed (fails nothing)
}
KINDS = tuple(SEVERITY)

EXIT_OK, EXIT_FINDINGS, EXIT_INVALID = 0, 1, 2


@dataclass
class Settings:
    underfull_lines: int = UNDERFULL_LINES
    min_ppi: int | None = None    # None: the print.min_ppi, else MIN_PPI
    ignore: tuple[str, ...] = ()
    orphans: bool = REPORT_ORPHANS


def finding(kind: str, message: str, source: Source | None = None,
            data: dict | None = None) -> Finding:
    """A check finding: its severity is its kind's, its figures (by kind, see the JSON schema)
    the finding's extra. analyse_page adds the page, article and module."""
    return Finding.at(source, kind, SEVERITY[kind], message, extra=data or {})


@dataclass
class PhotoResult:
    file: Path
    source: Source | None
    pixels: tuple[int, int]
    frame: tuple[float, float]    # pt
    ppi: float


@dataclass
class ItemResult:
    """One article (or ad) of a page, with its figures and findings."""
    id: str
    kind: str                     # article | ad
    source: Source | None
    module: object                # Box
    report: ArticleReport | None = None
    photos: list[PhotoResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    fallbacks: list[dict] = field(default_factory=list)   # text/fonts.py: fallback_glyphs

    @property
    def fits(self) -> bool:
        return self.report is None or self.report.fits

    @property
    def ok(self) -> bool:
        return not any(f.fails for f in self.findings)


@dataclass
class PageResult:
    number: int
    section: str
    geometry: str
    source: Source | None
    items: list[ItemResult] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)   # page furniture

    @property
    def articles(self) -> list[ItemResult]:
        return [i for i in self.items if i.kind == "article"]

    @property
    def ads(self) -> list[ItemResult]:
        return [i for i in self.items if i.kind == "ad"]


@dataclass
class CheckReport:
    file: Path
    settings: Settings
    paper: str = ""
    date: str = ""
    number: str = ""
    pages: list[PageResult] = field(default_factory=list)
    error: PaibanError | None = None
    pdf: Path | None = None

    def findings(self) -> list[Finding]:
        return [f for p in self.pages for f in p.findings + [f for i in p.items for f in i.findings]]

    @property
    def exit_code(self) -> int:
        if self.error is not None:
            # text that cannot fit (the planner's DoesNotFit) is a finding, not a broken file
            return EXIT_FINDINGS if self.error.exit_code == EXIT_FINDINGS else EXIT_INVALID
        return EXIT_FINDINGS if any(f.fails for f in self.findings()) else EXIT_OK

    @property
    def status(self) -> str:
        return {EXIT_OK: "ok", EXIT_FINDINGS: "findings", EXIT_INVALID: "invalid"}[self.exit_code]


# ---------------------------------------------------------------------------------------------
# Analysing composed pages (`layout.pipeline.check_issue` composes them and hands them here)

def analyse_page(cp: ComposedPage, settings: Settings) -> PageResult:
    page = cp.page
    geo = page.geometry
    res = PageResult(page.number, page.section, geo.name, page.source)
    by_id = {a.id: a for a in page.articles}
    for rep in cp.reports:
        art = by_id.get(rep.id)
        src = art.source if art is not None else rep.module.source
        item = ItemResult(rep.id, "article", src, rep.module, rep)
        item.findings += _article_findings(rep, art, cp, geo, settings, src)
        item.photos = _photos(cp, rep.id, art, settings)
        item.findings += _low_res(item.photos, settings)
        item.fallbacks = fallback_glyphs(ln for ln in cp.lines if ln.article == rep.id)
        res.items.append(item)
    for ad in getattr(page, "ads", ()):
        item = ItemResult(ad.id, "ad", ad.source, ad.module)
        item.photos = _photos(cp, ad.id, None, settings, ad_source=ad.source)
        item.findings += _low_res(item.photos, settings)
        res.items.append(item)
    res.findings += [_missing(ch, page.source) for ch in cp.missing]   # running head, editors
    for o in cp.overset:
        res.findings.append(finding("overflow", f"{o.part}: {overset_text(o)}", page.source,
                                    {"lines": o.lines, "chars": o.chars, "entries": o.entries}))
    for item in res.items:
        for f in item.findings:
            f.page, f.article, f.box = page.number, item.id, item.module
    for f in res.findings:
        f.page = page.number
    if settings.ignore:
        for item in res.items:
            item.findings = [f for f in item.findings if f.kind not in settings.ignore]
        res.findings = [f for f in res.findings if f.kind not in settings.ignore]
    return res


def _article_findings(rep: ArticleReport, art: Article | None, cp: ComposedPage, geo: Geometry,
                      settings: Settings, src: Source | None) -> list[Finding]:
    out: list[Finding] = []
    if rep.overflow_lines:
        out.append(finding("overflow", overflow_text(rep.overflow_lines, rep.overflow_chars),
                           src,
                           {"lines": rep.overflow_lines, "chars": rep.overflow_chars}))
    elif rep.underfull_lines > settings.underfull_lines:
        chars = rep.underfull_lines * geo.chars_per_column
        out.append(finding(
            "underfull", f"空 {rep.underfull_lines} 行，约缺 {chars} 字 (underfull: "
            f"{rep.underfull_lines} empty lines, about {chars} characters short)", src,
            {"lines": rep.underfull_lines, "chars": chars, "threshold": settings.underfull_lines}))
    if rep.deck_over:
        out.append(finding(
            "headline", f"标题区高出模块 {rep.deck_over} 行 (the deck needs {rep.deck_over} more "
            f"line{'s' if rep.deck_over != 1 else ''} than the module has: make the module taller "
            "or the headline smaller)", src, {"lines": rep.deck_over}))
    if not rep.headline_fits:
        span = rep.module.span
        out.append(finding(
            "headline", f"主题在 {span} 栏内排不下，{rep.headline_size:g}pt 仍超宽 (the headline "
            f"does not fit its {span}-column span even at {rep.headline_size:g} pt)", src,
            {"size": rep.headline_size, "span": span}))
    if rep.headline_weak:
        out.append(finding(
            "headline-break", f"主题只能在词内断行：{rep.headline_weak} (the headline breaks only "
            f"inside a likely name or term at {rep.headline_weak}: put a space or | where it "
            "should break)", src, {"at": rep.headline_weak}))
    for kind, para, col, row, text in widows_and_orphans(cp, rep, geo):
        if kind == "orphan" and not settings.orphans:
            continue
        if kind == "widow":
            msg = (f"孤行：第{para}段末行“{_short(text)}”在第{col}栏栏首 (widow: the last line of "
                   f"paragraph {para} stands alone at the top of column {col})")
        else:
            msg = (f"段首行落在第{col}栏栏尾：第{para}段“{_short(text)}” (orphan: the first line of "
                   f"paragraph {para} stands alone at the foot of column {col})")
        out.append(finding(kind, msg, src, {"paragraph": para, "grid_column": col,
                                            "grid_line": row, "text": text}))
    for photo, side, first, last, lines in rep.strips:
        # located at the photo's place, where the fix is made
        at = art.photos[photo - 1].source if art is not None and len(art.photos) >= photo else None
        out.append(_strip(photo, side, first, last, lines, at or src))
    for r in rep.resolved:
        at = art.photos[r.photo - 1].source if art is not None else None
        out.append(finding("strip-resolved", resolution_text(r), at or src, resolution_data(r)))
    for ch in rep.missing:
        out.append(_missing(ch, src))
    return out


def _strip(photo: int, side: str, first: int, last: int, lines: int, src) -> Finding:
    """碎栏 with the fix in lines: the photo taking the strip, or leaving it MIN_STRIP lines."""
    from ..flow.columns import MIN_STRIP

    cols = f"{first}" if first == last else f"{first}–{last}"
    more = MIN_STRIP - lines
    if side == "under":
        fix_zh, fix = (f"图{photo}加高 {lines} 行或减高 {more} 行",
                       f"make photo {photo} {lines} line{'s' if lines != 1 else ''} taller or "
                       f"{more} line{'s' if more != 1 else ''} shorter")
    else:
        fix_zh, fix = (f"图{photo}上移 {lines} 行或下移 {more} 行",
                       f"move photo {photo} {lines} line{'s' if lines != 1 else ''} up or {more} "
                       f"line{'s' if more != 1 else ''} down")
    where = "下" if side == "under" else "上"
    return finding("short-strip",
                   f"碎栏：图{photo}{where}第{cols}栏只剩 {lines} 行，{fix_zh} (short strip: "
                   f"{lines} text line{'s' if lines != 1 else ''} {side} photo {photo} in "
                   f"column{'s' if first != last else ''} {cols}: {fix})", src,
                   {"photo": photo, "side": side, "grid_columns": [first, last], "lines": lines,
                    "taller" if side == "under" else "up": lines,
                    "shorter" if side == "under" else "down": more})


def overflow_text(lines: int, chars: int) -> str:
    """The figure an editor cuts by: 超 3 行，约 38 字."""
    return (f"超 {lines} 行，约 {chars} 字 (overflows by {lines} line{'s' if lines != 1 else ''}, "
            f"about {chars} characters)")


def _missing(ch: str, src: Source | None) -> Finding:
    cp = f"U+{ord(ch):04X}"
    return finding("missing-glyph", f"缺字 {ch!r} ({cp})：字库中没有 (no bundled font has "
                                    f"{ch!r} {cp})", src, {"char": ch, "codepoint": cp})


def _short(text: str, n: int = 8) -> str:
    return text if len(text) <= n else text[:n] + "…"


# ---------------------------------------------------------------------------------------------
# Widows and orphans, read off the composed lines

def widows_and_orphans(cp: ComposedPage, rep: ArticleReport, geo: Geometry
                       ) -> list[tuple[str, int, int, int, str]]:
    """(kind, paragraph, grid column, grid line, text) of each widow and orphan of an article.

    The article's lines in the column flow (body, byline, jump lines) are put back in reading
    order (column by column, top to bottom); which paragraph a line belongs to and whether it
    opens or ends it is what the composition recorded on it (TextLine.para, line, last), and a
    widow or an orphan is what `layout.flow.columns` defines — the definition the composition
    avoids widows by. Paragraphs are numbered from 1 as in the issue file.
    """
    from ..flow.columns import orphans, widows

    mod = rep.module
    placed = []
    for ln in cp.lines:
        if ln.article != rep.id or ln.kind not in ("body", "byline", "jump"):
            continue
        col = _column_of(geo, ln.x, mod.column, mod.last_column)
        if col is not None:
            placed.append((col, ln.baseline, ln))
    placed.sort(key=lambda t: (t[0], t[1]))
    lines = [ln for _, _, ln in placed]
    columns = [col for col, _, _ in placed]
    found = [("widow", k) for k in widows(lines, columns)]
    found += [("orphan", k) for k in orphans(lines, columns)]
    out = []
    for kind, k in sorted(found, key=lambda f: f[1]):
        col, base, ln = placed[k]
        out.append((kind, ln.para + 1, col, _row_of(geo, base), ln.text))
    return out


def _column_of(geo: Geometry, x: float, first: int, last: int) -> int | None:
    for c in range(first, last + 1):
        left = geo.column_x(c)
        if left - 0.5 <= x < left + geo.column_width + geo.gutter - 0.5:
            return c
    return None


def _row_of(geo: Geometry, baseline: float) -> int:
    return int((baseline - geo.margin_top) // geo.line_pitch) + 1


# ---------------------------------------------------------------------------------------------
# Photos: effective resolution in the frame

def _photos(cp: ComposedPage, item_id: str, art: Article | None, settings: Settings, *,
            ad_source: Source | None = None) -> list[PhotoResult]:
    from ..model.photos import PhotoError, inspect_photo
    from ..output.images import frame_ppi

    sources = {}
    if art is not None:
        sources = {f: ph.source for ph in art.photos for f in ph.files}
    out = []
    for pic in cp.pictures:
        if pic.article != item_id or pic.width <= 0 or pic.height <= 0:
            continue
        try:
            info = inspect_photo(pic.path)
        except PhotoError:
            continue                      # the loader has refused it already
        ppi = frame_ppi(pic.path, pic.width, pic.height, pic.focus)
        out.append(PhotoResult(pic.path, sources.get(pic.path, ad_source),
                               (info.width, info.height), (pic.width, pic.height), ppi))
    return out


def _low_res(photos: list[PhotoResult], settings: Settings) -> list[Finding]:
    floor = settings.min_ppi or MIN_PPI
    out = []
    for ph in photos:
        if ph.ppi < floor - 0.5:                     # as the preflight's image-ppi rule
            ppi = int(ph.ppi)
            out.append(finding(
                "low-resolution", f"图片精度不足：{ph.file.name} 在版面上约 {ppi} ppi，低于 "
                f"{floor} ppi (photo {ph.file.name}: about {ppi} ppi in its frame, below "
                f"the {floor} ppi floor)", ph.source,
                {"photo": str(ph.file), "ppi": ppi, "min_ppi": floor,
                 "pixels": list(ph.pixels)}))
    return out


# ---------------------------------------------------------------------------------------------
# Output formats

FORMATS = ("text", "json", "junit", "github")


def render(report: CheckReport, fmt: str = "text") -> str:
    return {"text": to_text, "json": to_json, "junit": to_junit, "github": to_github}[fmt](report)


def _loc(src: Source | None, fallback: Path) -> str:
    return spot(*_where(src, fallback))


def _error_where(err: PaibanError, fallback: Path) -> tuple[str, int, int]:
    w = err.where
    if isinstance(w, Source):
        return _where(w, fallback)
    if w:
        return _rel(w), 0, 0
    return _rel(fallback), 0, 0


def _figures(item: ItemResult) -> str:
    r = item.report
    if r is None:
        return ", ".join(f"{ph.file.name} {ph.ppi:.0f} ppi" for ph in item.photos) or "artwork"
    return f"{r.lines_needed} of {r.lines_available} lines"


def to_text(report: CheckReport) -> str:
    out = []
    if report.error is not None:
        out.append(str(report.error))
        return "\n".join(out) + "\n"
    n_art = sum(len(p.articles) for p in report.pages)
    out.append(f"paiban check {_rel(report.file)}: {report.paper} {report.date}, "
               f"{len(report.pages)} page{'s' if len(report.pages) != 1 else ''}, "
               f"{n_art} article{'s' if n_art != 1 else ''}")
    for p in report.pages:
        out.append(f"第{p.number}版 {p.section}".rstrip())
        for f in p.findings:
            out.append(f"  {f.spot(report.file)}: {f.severity}: {f.message}")
        for item in p.items:
            loc = _loc(item.source, report.file)
            if item.ok:
                out.append(f"  {loc}: {item.id}: ok ({_figures(item)})")
            for f in item.findings:
                out.append(f"  {f.spot(report.file)}: {f.severity}: {item.id}: {f.message}")
    out.append(_summary_line(report))
    if report.pdf is not None:
        out.append(f"wrote {_rel(report.pdf)}")
    return "\n".join(out) + "\n"


def _summary_line(report: CheckReport) -> str:
    items = [i for p in report.pages for i in p.articles]
    over = sum(1 for i in items if not i.fits)
    notes = [f for f in report.findings() if not f.fails]
    fs = [f for f in report.findings() if f.fails]
    told = f"; {len(notes)} notice{'s' if len(notes) != 1 else ''}" if notes else ""
    if not fs:
        return f"all {len(items)} articles fit; no findings{told}"
    errors = sum(1 for f in fs if f.severity == "error")
    kinds = {}
    for f in fs:
        kinds[f.kind] = kinds.get(f.kind, 0) + 1
    detail = ", ".join(f"{n} {k}" for k, n in kinds.items())
    return (f"{len(items) - over} of {len(items)} articles fit; {len(fs)} finding"
            f"{'s' if len(fs) != 1 else ''} ({errors} error{'s' if errors != 1 else ''}, "
            f"{len(fs) - errors} warning{'s' if len(fs) - errors != 1 else ''}): {detail}{told}")


def _module_json(box) -> dict:
    return {"column": box.column, "span": box.span, "line": box.line, "lines": box.lines}


def _item_json(item: ItemResult, fallback: Path) -> dict:
    file, line, col = _where(item.source, fallback)
    d = {"id": item.id, "file": file, "line": line, "column": col,
         "module": _module_json(item.module), "fits": item.fits,
         "status": "ok" if item.ok else "findings"}
    if item.report is not None:
        r = item.report
        d["figures"] = {
            "lines_needed": r.lines_needed, "lines_available": r.lines_available,
            "overflow_lines": r.overflow_lines, "overflow_chars": r.overflow_chars,
            "underfull_lines": r.underfull_lines, "headline_size": r.headline_size,
            "headline_fits": r.headline_fits, "loose_lines": r.loose_lines,
        }
    d["photos"] = []
    for ph in item.photos:
        pf, pl, pc = _where(ph.source, fallback)
        d["photos"].append({"photo": _rel(ph.file), "file": pf, "line": pl,
                            "pixels": list(ph.pixels),
                            "frame_mm": [round(ph.frame[0] * 25.4 / 72, 1),
                                         round(ph.frame[1] * 25.4 / 72, 1)],
                            "ppi": round(ph.ppi, 1)})
    d["findings"] = [f.to_json(fallback) for f in item.findings]
    if item.kind == "article":
        d["fallbacks"] = item.fallbacks
    return d


def to_dict(report: CheckReport) -> dict:
    from .. import __version__

    s = report.settings
    fs = report.findings()
    by_kind: dict[str, int] = {}
    for f in fs:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    arts = [i for p in report.pages for i in p.articles]
    d = {
        "schema": SCHEMA,
        "tool": {"name": "paiban", "version": __version__},
        "issue": {"file": _rel(report.file), "paper": report.paper, "date": report.date,
                  "number": report.number},
        "settings": {"underfull_lines": s.underfull_lines, "min_ppi": s.min_ppi or MIN_PPI,
                     "ignore": list(s.ignore), "orphans": s.orphans},
        "status": report.status,
        "exit_code": report.exit_code,
        "error": None,
        "summary": {
            "pages": len(report.pages), "articles": len(arts),
            "ads": sum(len(p.ads) for p in report.pages),
            "fit": sum(1 for a in arts if a.fits), "overflow": sum(1 for a in arts if not a.fits),
            "findings": sum(1 for f in fs if f.fails),
            "errors": sum(1 for f in fs if f.severity == "error"),
            "warnings": sum(1 for f in fs if f.severity == "warning"),
            "notices": sum(1 for f in fs if not f.fails), "by_kind": by_kind,
        },
        "pages": [],
    }
    if report.error is not None:
        file, line, col = _error_where(report.error, report.file)
        d["error"] = {"message": report.error.message, "hint": report.error.hint,
                      "file": file, "line": line, "column": col}
    for p in report.pages:
        d["pages"].append({
            "number": p.number, "section": p.section, "geometry": p.geometry,
            "findings": [f.to_json(report.file) for f in p.findings],
            "articles": [_item_json(i, report.file) for i in p.articles],
            "ads": [_item_json(i, report.file) for i in p.ads],
        })
    if report.pdf is not None:
        d["pdf"] = _rel(report.pdf)
    return d


def to_json(report: CheckReport) -> str:
    return json.dumps(to_dict(report), ensure_ascii=False, indent=2) + "\n"


def to_junit(report: CheckReport) -> str:
    """JUnit XML: a test suite per page, a test case per article and ad (and one for the
    page's furniture); a failure element carries the findings with their figures. An invalid
    issue file is one test case with an error element."""
    import xml.etree.ElementTree as ET

    stem = Path(report.file).stem
    root = ET.Element("testsuites", name=f"paiban check {_rel(report.file)}")
    total = failures = errors = 0
    if report.error is not None:
        file, line, _ = _error_where(report.error, report.file)
        suite = ET.SubElement(root, "testsuite", name=_rel(report.file), tests="1", failures="0",
                              errors="1")
        case = ET.SubElement(suite, "testcase", name="issue file", classname=stem, file=file,
                             line=str(line))
        err = ET.SubElement(case, "error", message=report.error.message, type="invalid-input")
        err.text = str(report.error)
        total, errors = 1, 1
    for p in report.pages:
        suite = ET.SubElement(root, "testsuite", name=f"第{p.number}版 {p.section}".rstrip())
        cases = [(i.id, i.kind, i.source, i.findings, i) for i in p.items]
        cases.append(("furniture", "page", p.source, p.findings, None))
        n_fail = 0
        for name, kind, src, findings, item in cases:
            findings = [f for f in findings if f.fails]      # a notice passes
            file, line, _ = _where(src, report.file)
            case = ET.SubElement(suite, "testcase", name=name,
                                 classname=f"{stem}.page{p.number}.{kind}", file=file,
                                 line=str(line))
            if findings:
                n_fail += 1
                fail = ET.SubElement(case, "failure", message=findings[0].message,
                                     type=",".join(dict.fromkeys(f.kind for f in findings)))
                lines = [f"{f.spot(report.file)}: {f.severity}: {f.message}"
                         for f in findings]
                if item is not None and item.report is not None:
                    r = item.report
                    lines.append(f"figures: lines needed {r.lines_needed}, available "
                                 f"{r.lines_available}, overflow {r.overflow_lines} lines / "
                                 f"{r.overflow_chars} chars, empty {r.underfull_lines} lines, "
                                 f"headline {r.headline_size:g} pt")
                fail.text = "\n".join(lines)
        suite.set("tests", str(len(cases)))
        suite.set("failures", str(n_fail))
        suite.set("errors", "0")
        total += len(cases)
        failures += n_fail
    root.set("tests", str(total))
    root.set("failures", str(failures))
    root.set("errors", str(errors))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"


def _gh_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _gh_prop(s: str) -> str:
    return _gh_data(s).replace(":", "%3A").replace(",", "%2C")


def _gh(level: str, file: str, line: int, col: int, title: str, message: str) -> str:
    props = [f"file={_gh_prop(file)}"]
    if line:
        props.append(f"line={line}")
    if col:
        props.append(f"col={col}")
    props.append(f"title={_gh_prop(title)}")
    return f"::{level} {','.join(props)}::{_gh_data(message)}"


def to_github(report: CheckReport) -> str:
    """GitHub Actions workflow commands: one ::error / ::warning annotation per finding, on the
    article's line of the issue file; a one-line summary after them."""
    out = []
    if report.error is not None:
        file, line, col = _error_where(report.error, report.file)
        msg = report.error.message + (f" (hint: {report.error.hint})" if report.error.hint else "")
        out.append(_gh("error", file, line, col, "paiban check: invalid issue file", msg))
        return "\n".join(out) + "\n"
    for p in report.pages:
        for item_id, f in [("", f) for f in p.findings] + [
                (i.id, f) for i in p.items for f in i.findings]:
            file, line, col = f.location(report.file)
            head = f"第{p.number}版 {item_id}".rstrip()
            out.append(_gh(f.severity, file, line, col, f"paiban check: {f.kind}",
                           f"{head}: {f.message}"))
    out.append(_summary_line(report))
    return "\n".join(out) + "\n"


def write_report(text: str, path: Path | None) -> None:
    """The report to a file (atomically) or to standard output."""
    if path is None:
        import click
        click.echo(text, nl=False)
        return
    from ..outfile import write_atomic
    write_atomic(Path(path), text.encode("utf-8"))


__all__ = ["SCHEMA", "UNDERFULL_LINES", "MIN_PPI", "KINDS", "SEVERITY", "Settings", "Finding",
           "CheckReport", "analyse_page", "render", "to_dict", "overflow_text",
           "widows_and_orphans", "write_report", "FORMATS"]
