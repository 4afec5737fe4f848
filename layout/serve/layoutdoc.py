"""The layout document the browser draws its overlay from: per page the grid, the module boxes
with their article ids and file:line, the photo frames and the findings placed on the page.

Everything the browser needs from composition goes through `layout_document`, the one adapter
between the composed pages (`ComposedPage`), the check's page results (`analyse_page`) and the
browser: when composition changes shape, this function is what follows it. Lengths are PDF
points from the top-left of the trimmed page; `offset` places the trimmed page on the rendered
one (a bleed or crop marks enlarge the MediaBox around it).
"""
from __future__ import annotations

import os
from pathlib import Path

from ..checks.report import PageResult


def where(src, fallback: Path, base: Path) -> dict:
    """file:line:column of a Source or a Finding (or of a bare path: line 0), the file
    relative to the issue's folder."""
    file = getattr(src, "file", None) or (src if isinstance(src, (str, Path)) else None) \
        or fallback
    try:
        name = os.path.relpath(Path(file).resolve(), base)
    except ValueError:
        name = str(file)
    return {"file": name, "line": getattr(src, "line", 0) or 0,
            "column": getattr(src, "column", 0) or 0}


def _box(geo, box) -> list[float]:
    return [round(geo.column_x(box.column), 2), round(geo.line_top(box.line), 2),
            round(geo.span_width(box.span), 2), round(box.lines * geo.line_pitch, 2)]


def layout_document(issue, pages: list, results: list[PageResult],
                    frames: list[tuple[tuple[float, float], tuple[float, float]]]) -> dict:
    """`pages` (ComposedPage) with their `results` (analyse_page, same order) and `frames`
    (per rendered page: the MediaBox size and the trim's top-left offset in it, pt)."""
    base = Path(issue.path).resolve().parent
    out = []
    for index, (cp, res, (media, offset)) in enumerate(zip(pages, results, frames)):
        page, geo = cp.page, cp.page.geometry
        modules, findings = [], []
        boxes = {}
        for item in res.items:
            boxes[item.id] = _box(geo, item.module)
            modules.append({"id": item.id, "kind": item.kind, "box": boxes[item.id],
                            **where(item.source, issue.path, base)})
        photos = [{"article": p.article, "name": Path(p.path).name,
                   "box": [round(p.x, 2), round(p.y, 2), round(p.width, 2), round(p.height, 2)]}
                  for p in cp.pictures]
        for item, f in [(i, f) for i in res.items for f in i.findings] + \
                       [(None, f) for f in res.findings]:
            box = boxes.get(item.id) if item is not None else None
            if "grid_column" in f.extra and "grid_line" in f.extra:      # widow, orphan: the line
                x = geo.column_x(f.extra["grid_column"])
                box = [round(x, 2), round(geo.line_top(f.extra["grid_line"]), 2),
                       round(geo.column_width, 2), round(geo.line_pitch, 2)]
            elif "photo" in f.extra:       # at a photo: its file (low resolution), its number
                mine = [ph for ph in photos if ph["article"] == (item.id if item else "")]
                which = f.extra["photo"]
                if isinstance(which, int) and 1 <= which <= len(mine):
                    box = mine[which - 1]["box"]
                elif isinstance(which, str):
                    box = next((ph["box"] for ph in mine if ph["name"] == Path(which).name), box)
            findings.append({"kind": f.kind, "severity": f.severity, "message": f.message,
                             "id": item.id if item is not None else "", "box": box,
                             **where(f, issue.path, base)})
        out.append({
            "index": index, "number": page.number, "section": page.section,
            "media": [round(media[0], 2), round(media[1], 2)],
            "offset": [round(offset[0], 2), round(offset[1], 2)],
            "size": [round(cp.width, 2), round(cp.height, 2)],
            "grid": {"columns": [[round(geo.column_x(c), 2), round(geo.column_width, 2)]
                                 for c in range(1, geo.columns + 1)],
                     "top": round(geo.margin_top, 2), "pitch": geo.line_pitch,
                     "lines": geo.lines},
            "modules": modules, "photos": photos, "findings": findings,
            **where(page.source, issue.path, base),
        })
    return {"paper": issue.paper, "date": issue.date, "pages": out}
