"""docs/clreq.md keeps itself honest: every test it names exists, every clause row has a status,
and the counts and the share in its Result table are the table's own."""
from __future__ import annotations

import ast
import re
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "clreq.md"
COUNTED = ("supported", "partial", "not supported")


def rows():
    out = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.fullmatch(r"[0-9A]+\.[0-9]+", cells[0]):
            out.append(dict(zip(("id", "section", "requirement", "status", "test", "issue"), cells)))
    return out


@lru_cache(maxsize=None)
def _functions(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}


def test_every_named_test_exists():
    seen = 0
    for r in rows():
        if r["status"] not in COUNTED or r["status"] == "not supported":
            continue
        refs = [t.strip() for t in r["test"].split(";")]
        assert refs and all("::" in t for t in refs), r["id"]
        for ref in refs:
            file, name = ref.split("::")
            name = name.split("[")[0]
            assert name in _functions(ROOT / file), f"{r['id']}: {ref} does not exist"
            seen += 1
    assert seen > 80


def test_ids_unique_and_statuses_known():
    ids = [r["id"] for r in rows()]
    assert len(ids) == len(set(ids))
    for r in rows():
        assert r["status"] in COUNTED or r["status"].startswith("n/a") or r["status"] == "not counted", r
        if r["status"] in ("supported", "partial"):
            assert r["issue"] in ("yes", "always", "engine"), r["id"]


def test_result_table_matches_the_rows():
    rs = rows()
    n = {s: sum(1 for r in rs if r["status"] == s) for s in COUNTED}
    applicable = sum(n.values())
    na = sum(1 for r in rs if r["status"].startswith("n/a"))
    book = sum(1 for r in rs if r["status"] == "n/a (book)")
    doc = DOC.read_text(encoding="utf-8")
    assert f"| applicable | {applicable} |" in doc
    assert f"| supported | {n['supported']} |" in doc
    assert f"| partial | {n['partial']} |" in doc
    assert f"| not supported | {n['not supported']} |" in doc
    assert f"| n/a (not counted) | {na} |" in doc
    share = 100 * n["supported"] / applicable
    assert f"{n['supported']} / {applicable} = {share:.1f} %" in doc
    assert share >= 95.0
    alt = 100 * n["supported"] / (applicable + book)
    assert f"{n['supported']} / {applicable + book} = {alt:.1f} %" in doc
    assert f"Were the {book} book-pagination" in doc
