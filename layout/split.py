"""`paiban build --split -o DIR`: one PDF/X file per page, and a manifest, written as a set.

The guarantee: the earlier set in DIR stays as it was until every page of the new one is
written and has passed its preflight, in a staging folder inside DIR
(`.paiban-split-PID-XXXXXXXX`). Only then is each page renamed into DIR (one atomic rename per
file), the manifest last (write_atomic), and the files the previous manifest listed that the
new set has not are removed. A failed build (bad input, a preflight veto, a full disk) leaves
DIR untouched; a process killed during the renames — a few milliseconds — can leave some new
pages beside the old manifest, whose SHA-256s then tell old files from new. The next build in
DIR removes a staging folder whose process is gone.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import shutil
from pathlib import Path

from .errors import PaibanError, os_error
from .outfile import _alive, refuse_inputs, write_atomic

MANIFEST = "manifest.json"
_STAGE = re.compile(r"\.paiban-split-(\d+)-[0-9a-f]{8}")


def split_files(issue, pages, settings, render) -> list[tuple[str, int, bytes]]:
    """(file name, page number, PDF bytes) of each page; `render(page, title)` makes one."""
    import datetime as dt

    from .model.printing import split_name

    day = dt.date.fromisoformat(issue.date)
    out, names = [], {}
    for cp in pages:
        n = cp.page.number
        name = split_name(settings.split_names, paper=issue.paper, date=day, page=n,
                          section=cp.page.section, edition=issue.number)
        where = issue.printing_source or issue.path
        if "/" in name or "\0" in name or name in (".", "..", MANIFEST):
            raise PaibanError(f"print.split_names gives {name!r} for page {n}: not a plain "
                              "file name", where=where, hint="change split_names or the paper")
        if name in names:
            raise PaibanError(f"print.split_names gives {name!r} for pages {names[name]} and "
                              f"{n}", where=where, hint="put {page} into split_names")
        names[name] = n
        out.append((name, n, render(cp, f"{issue.paper} {issue.date} 第{n}版")))
    return out


def write_split(folder: Path, files, check, inputs, issue) -> list[dict]:
    """Write `files` (split_files) and the manifest into `folder` as a set (module doc);
    `check(path)` vetoes a file (the preflight); `inputs` are never written over. Returns the
    manifest's entries."""
    folder = Path(folder)
    for name, _, _ in files:
        refuse_inputs(folder / name, inputs)
    refuse_inputs(folder / MANIFEST, inputs)
    try:
        if folder.exists() and not folder.is_dir():
            raise PaibanError(f"{folder} is not a folder; --split writes one file per page "
                              "into a folder", where=folder, hint="name a folder with -o")
        folder.mkdir(exist_ok=True)
        _sweep(folder)
        stage = folder / f".paiban-split-{os.getpid()}-{secrets.token_hex(4)}"
        stage.mkdir()
    except FileNotFoundError:
        raise PaibanError(f"the folder {folder.parent} does not exist", where=folder,
                          hint="create it first, or write elsewhere") from None
    except OSError as e:
        raise os_error(e, folder, "cannot write") from None
    try:
        entries = []
        for name, page, data in files:
            write_atomic(stage / name, data, check=check)
            entries.append({"file": name, "page": page,
                            "sha256": hashlib.sha256(data).hexdigest(), "size": len(data)})
        manifest = {"paper": issue.paper, "date": issue.date, "files": entries}
        old = _listed(folder / MANIFEST)
        try:
            for name, _, _ in files:
                os.replace(stage / name, folder / name)
        except OSError as e:
            raise os_error(e, folder, "cannot write") from None
        write_atomic(folder / MANIFEST, (json.dumps(manifest, ensure_ascii=False, indent=2)
                                         + "\n").encode("utf-8"))
        for name in old - {e["file"] for e in entries}:
            try:
                refuse_inputs(folder / name, inputs)
                (folder / name).unlink()
            except (OSError, PaibanError):
                pass
        return entries
    finally:
        shutil.rmtree(stage, ignore_errors=True)


def _listed(manifest: Path) -> set[str]:
    """The plain file names an earlier manifest lists (nothing if it cannot be read)."""
    try:
        files = json.loads(manifest.read_text(encoding="utf-8"))["files"]
        return {f["file"] for f in files if isinstance(f.get("file"), str)
                and "/" not in f["file"] and f["file"].lower().endswith(".pdf")}
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return set()


def _sweep(folder: Path) -> None:
    """Remove staging folders whose build is gone (killed)."""
    for e in os.scandir(folder):
        m = _STAGE.fullmatch(e.name)
        if m and e.is_dir(follow_symlinks=False) and not _alive(int(m.group(1))):
            shutil.rmtree(e.path, ignore_errors=True)
