"""Pages composed in worker processes give the same PDF as a serial run (issue 7)."""
from __future__ import annotations

from pathlib import Path

import yaml

from layout.build import build_issue

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"


def _three_pages(tmp: Path) -> Path:
    data = yaml.safe_load(SEED.read_text(encoding="utf-8"))
    page = data["pages"][0]
    pages = []
    for n in (2, 3, 4):
        p = yaml.safe_load(yaml.safe_dump(page, allow_unicode=True))
        p["number"] = n
        for art in p["articles"] + p.get("ads", []):
            art["id"] = f"{art['id']}-{n}"
            for ph in art.get("photos", []):
                ph["file"] = str(SEED.parent / ph["file"])
            if "file" in art:
                art["file"] = str(SEED.parent / art["file"])
        pages.append(p)
    data["pages"] = pages
    data["date"] = str(data["date"])
    out = tmp / "three.yaml"
    out.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


def test_parallel_build_is_byte_identical(tmp_path):
    issue = _three_pages(tmp_path)
    serial, parallel = tmp_path / "serial.pdf", tmp_path / "parallel.pdf"
    a = build_issue(issue, serial, jobs=1)
    b = build_issue(issue, parallel, jobs=2)
    assert len(a.pages) == len(b.pages) == 3
    assert [p.page.number for p in b.pages] == [2, 3, 4]
    assert serial.read_bytes() == parallel.read_bytes()


def test_pages_joined_by_a_jump_are_composed_together():
    from layout.pipeline import page_groups
    from layout.model.load import load_issue

    issue = load_issue(ROOT / "examples" / "tabloid-4pages.yaml")
    # page 1's lead story goes on on page 4 (转版): one worker composes 1 then 4
    assert page_groups(issue) == [[1, 4], [2], [3]]


def test_parallel_build_with_a_jump_is_byte_identical(tmp_path):
    issue = ROOT / "examples" / "tabloid-4pages.yaml"
    serial, parallel = tmp_path / "serial.pdf", tmp_path / "parallel.pdf"
    build_issue(issue, serial, jobs=1)
    build_issue(issue, parallel, jobs=3)
    assert serial.read_bytes() == parallel.read_bytes()


def test_auto_jobs():
    from layout.pipeline import auto_jobs

    assert auto_jobs(1) == 1                  # one page: no workers to start
    assert 1 <= auto_jobs(16) <= 16


def test_text_lines_survive_the_trip_from_a_worker():
    import pickle

    from layout.compose.items import TextLine
    from layout.text.line import Glyph

    line = TextLine(12.5, 300.25, [Glyph("管", "serif", 9.0, 0.0), Glyph("iPhone", "serif", 9.0, 9.3),
                                   Glyph("，", "kai", 10.5, 40.125)],
                    kind="caption", article="a1", color=(0.0, 1.0, 1.0, 0.0), angle=90.0)
    back = pickle.loads(pickle.dumps(line))
    assert back == line and back.glyphs[1].x == 9.3
    empty = TextLine(1.0, 2.0, [])
    assert pickle.loads(pickle.dumps(empty)) == empty


def test_check_in_workers_reports_as_one_process():
    """paiban check analyses each page in the worker that composed it; the report is the same."""
    from layout.checks.report import Settings, render
    from layout.pipeline import check_issue

    issue = ROOT / "examples" / "tabloid-4pages.yaml"
    one = render(check_issue(issue, Settings(), jobs=1), "json")
    three = render(check_issue(issue, Settings(), jobs=3), "json")
    assert one == three
    assert '"paper": "青岚新闻"' in one and '"pages"' in one
