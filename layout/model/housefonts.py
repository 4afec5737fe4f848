"""The `fonts:` section of an issue: the paper's own fonts, per face role.

    fonts:
      serif: {file: fonts/FZBaoSong.ttf}                                  # one font
      serif-bold: [{file: fonts/FZXBS.otf}, {file: fonts/Song.ttc, index: 1}]   # a chain
      fangsong: fonts/FZFangSong.ttf                                      # a path alone

or `fonts: house-fonts.yaml`, a file holding that mapping (kept once, named by every issue, as a
printer file is). Paths are relative to the file that names them. A role's chain ends in the
bundled faces (text/fonts.py), so a character the house fonts lack is still set. Each file is
checked here (text/fontfile.py): an unusable one is an error at the line that names it.
"""
from __future__ import annotations

import re
from pathlib import Path

FONT_KEYS = {"file", "index"}
_ROLE = re.compile(r"^[a-z][a-z0-9-]{0,39}$")


def house_fonts(ctx, data, issue_path: Path) -> dict[str, str]:
    """role → chain key (text/fonts.py) of the issue's `fonts:` section; {} without one."""
    from ..text.fonts import register_chain, register_file

    raw = data.get("fonts")
    if raw is None:
        return {}
    base = issue_path.parent
    mark = ctx.at(data, "fonts")
    if isinstance(raw, str):
        from .load import _Ctx, read_yaml

        hpath = (base / raw).resolve()
        if not hpath.is_file():
            what = "is not a regular file" if hpath.exists() else "not found"
            ctx.fail(f"house fonts file {what}: {hpath}", mark,
                     "fonts: names a YAML file mapping face roles to font files, relative to "
                     "the issue file")
        raw = read_yaml(hpath)
        ctx, base, mark = _Ctx(hpath), hpath.parent, (1, 1)
    if not isinstance(raw, dict) or not raw:
        ctx.fail("fonts must map face roles (serif, serif-bold, sans-bold, kai, fangsong …) to "
                 "font files", mark, "e.g. serif: {file: fonts/FZBaoSong.ttf}")
    out = {}
    for role, spec in raw.items():
        at = ctx.at(raw, role)
        if not isinstance(role, str) or not _ROLE.match(role):
            ctx.fail(f"fonts: {role!r} is not a face role (lower-case letters, digits, '-')", at)
        items = spec if isinstance(spec, list) else [spec]
        if not items:
            ctx.fail(f"fonts {role}: the list of fonts is empty", at)
        keys = []
        for item in items:
            where = ctx.src(getattr(item, "mark", None) or at)
            if isinstance(item, str):
                item = {"file": item}
            if not isinstance(item, dict):
                ctx.fail(f"fonts {role}: a font is {{file: …, index: …}} or a path, not "
                         f"{type(item).__name__}", at)
            ctx.mapping(item, f"a font of {role}", getattr(item, "mark", None) or at,
                        FONT_KEYS, ("file",))
            index = None
            if "index" in item:
                index = ctx.integer(item, "index", f"a font of {role}", 0, 9999)
            keys.append(register_file(base / str(item["file"]), index, where))
        out[role] = register_chain(role, keys)
    return out
