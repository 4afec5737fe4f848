"""`paiban plan --write`: the planned values written into the issue file, through ruamel.yaml's
round trip (comments, quoting and layout kept, as `lint --fix` does) and replaced atomically.

Written per planned article: `module:` (after its id), its photo's `place:`, and where the plan
set them, `headline_size:` (a head held below the lead's) and `deck_lines:` (air given to the
deck). The file then reads back as the same page with every module locked.
"""
from __future__ import annotations

import io
from pathlib import Path

from ..checks.lint import _write_atomic, _yaml_like
from ..errors import PaibanError


def _flow(yml_map_cls, box) -> object:
    m = yml_map_cls()
    for k in ("column", "span", "line", "lines"):
        m[k] = getattr(box, k)
    m.fa.set_flow_style()
    return m


def write_plan(path: Path, plans) -> int:
    """Write the plans' values into `path`; the number of values written."""
    from ruamel.yaml.comments import CommentedMap

    src = Path(path).read_text(encoding="utf-8")
    yml = _yaml_like(src)
    doc = yml.load(src)
    by_id = {p.id: p for plan in plans for p in plan.placements}
    count = 0
    for page in doc.get("pages") or []:
        for art in page.get("articles") or []:
            p = by_id.get(art.get("id"))
            if p is None or art.get("module") is not None:
                continue
            keys = list(art.keys())
            art.insert(keys.index("id") + 1 if "id" in keys else 0, "module",
                       _flow(CommentedMap, p.module), comment="planned (paiban plan)")
            count += 1
            if p.cap is not None:
                art.insert(list(art.keys()).index("module") + 1, "headline_size", p.head_size)
                count += 1
            if p.deck_lines is not None:
                art.insert(list(art.keys()).index("module") + 1, "deck_lines", p.deck_lines)
                count += 1
            for place in p.photos:
                ph = next(x for x in art["photos"] if x.get("place") is None)
                ph["place"] = _flow(CommentedMap, place)
                count += 1
    buf = io.StringIO()
    yml.dump(doc, buf)
    out = buf.getvalue()
    if src.startswith("\ufeff"):
        out = "\ufeff" + out
    _check_same(src, out, by_id)
    _write_atomic(Path(path), out)
    return count


def _check_same(src: str, out: str, by_id) -> None:
    """The rewritten file must read as the old one plus the planned keys, nothing else."""
    import yaml

    old, new = yaml.safe_load(src), yaml.safe_load(out)
    for page in new.get("pages") or []:
        for art in page.get("articles") or []:
            if art.get("id") in by_id:
                for k in ("module", "headline_size", "deck_lines"):
                    if k in art and not _in_old(old, art["id"], k):
                        del art[k]
                for ph in art.get("photos") or []:
                    ph.pop("place", None) if not _in_old(old, art["id"], "photos") else None
    if new != old:
        raise PaibanError("plan --write: the rewritten file would not read back as the same "
                          "issue; nothing was written", hint="copy the plan's values by hand")


def _in_old(old, aid: str, key: str) -> bool:
    for page in old.get("pages") or []:
        for art in page.get("articles") or []:
            if art.get("id") == aid:
                if key == "photos":
                    return any("place" in ph for ph in art.get("photos") or [])
                return key in art
    return False
