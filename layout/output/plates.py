"""Which plates a page prints on: photos marked `ink: k`, and black-only pages (`inks: k` on a
page or in the printer file), where anything in cyan, magenta or yellow is an error naming it.
"""
from __future__ import annotations

from pathlib import Path

from ..errors import IssueFileError

MM = 25.4 / 72


def picture_key(pic) -> tuple:
    """How the PDF writer asks for a picture (image_loader's arguments)."""
    return (str(pic.path), round(pic.width, 3), round(pic.height, 3), tuple(pic.focus))


def black_pictures(pages) -> set[tuple]:
    """The pictures (picture_key) of photos marked `ink: k`."""
    out = set()
    for cp in pages:
        marked = {(a.id, Path(f)) for a in cp.page.articles for ph in a.photos
                  if ph.ink == "k" for f in ph.files}
        out |= {picture_key(p) for p in cp.pictures if (p.article, Path(p.path)) in marked}
    return out


def black_only(page, settings) -> bool:
    """The page prints in black alone: its own `inks:`, else the printer file's."""
    return (page.inks or settings.inks) == "k"


def check_black_pages(pages, settings, stream_of) -> None:
    """Refuse colour on a black-only page: text, rules and pictures with C, M or Y, each named
    with where the issue file describes it. `stream_of(picture)`: its PhotoStream."""
    for cp in pages:
        if not black_only(cp.page, settings):
            continue
        items = {a.id: a for a in cp.page.articles}
        items.update({ad.id: ad for ad in cp.page.ads})
        found: list[tuple[str, object]] = []
        seen = set()
        for ln in cp.lines:
            if any(ln.color[:3]) and (ln.article, ln.kind) not in seen:
                seen.add((ln.article, ln.kind))
                what = f"{ln.kind} of {ln.article!r}" if ln.article else f"page {ln.kind}"
                found.append((f"the {what} is in {_cmyk(ln.color)}",
                              getattr(items.get(ln.article), "source", None)))
        for r in cp.rules:
            if any(r.color[:3]):
                found.append((f"a {r.width:g} pt rule at {r.x1 * MM:.0f} mm, {r.y1 * MM:.0f} mm "
                               f"from the top left is in {_cmyk(r.color)}", None))
        for f in cp.fills:
            if any(f.color[:3]):
                found.append((f"the tint or head block of {f.article!r} is in {_cmyk(f.color)}",
                              getattr(items.get(f.article), "source", None)))
        for pic in cp.pictures:
            if stream_of(pic).cmy:
                item = items.get(pic.article)
                kind = "artwork of ad" if item in cp.page.ads else "photo of"
                found.append((f"the {kind} {pic.article!r} ({Path(pic.path).name}) has colour",
                              next((ph.source for ph in getattr(item, "photos", ())
                                    if Path(pic.path) in map(Path, ph.files) and ph.source),
                                   getattr(item, "source", None))))
        if found:
            where = next((w for _, w in found if w is not None), cp.page.source)
            raise IssueFileError(
                f"第{cp.page.number}版 is black only (inks: k) but prints in cyan, magenta or "
                "yellow: " + "; ".join(m for m, _ in found[:6])
                + (f"; and {len(found) - 6} more" if len(found) > 6 else ""), where=where,
                hint="mark a colour photo `ink: k`, set text and rules in black, or print the "
                     "page in four colours (inks: cmyk)")


def _cmyk(c) -> str:
    return "C{:.0f} M{:.0f} Y{:.0f} K{:.0f}".format(*(v * 100 for v in c))
