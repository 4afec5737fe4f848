"""Small issue files for the tests: written from a dict, loaded and built like any other."""
from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
PHOTOS = ROOT / "examples" / "photos"
TEXT = ("3月14日，区委书记带队先后到街道办事处、村和建设工地，实地督导基层治理和项目建设工作。"
        "她提出，要完善平台，加快资源整合，打通数据壁垒，推动数据归集，加强联动，提升调度能力。")


def article(aid: str, module: dict, **kw) -> dict:
    """An article entry; a continuation (continued_from) gets no headline or text unless given."""
    cont = bool(kw.get("continued_from"))
    a = {"id": aid, "module": module}
    head = kw.pop("headline", None if cont else "示例标题")
    paras = kw.pop("paragraphs", None if cont else [TEXT, TEXT])
    if head is not None:
        a["headline"] = head
    if paras is not None:
        a["paragraphs"] = paras
    a.update(kw)
    return a


def write_issue(tmp_path: Path, pages: list[dict], **kw) -> Path:
    data = {"paper": "示例新闻", "date": "2025-04-18", "number": "第1期", "pages": pages}
    data.update(kw)
    path = tmp_path / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def page(number: int, articles: list[dict], **kw) -> dict:
    """A page; entries with continued_from go to its `continuations:`."""
    p = {"number": number, "section": "要闻", "geometry": "tabloid",
         "articles": [a for a in articles if "continued_from" not in a]}
    conts = [a for a in articles if "continued_from" in a]
    if conts:
        p["continuations"] = conts
    p.update(kw)
    return p


def build(path: Path):
    """(ComposedPages, chars per page with baselines from the top) of an issue file."""
    import pdfplumber

    from pdfread import chars_with_baseline

    from layout.build import build_issue
    out = path.with_suffix(".pdf")
    result = build_issue(path, out)
    pages = []
    with pdfplumber.open(out) as pdf:
        for pg in pdf.pages:
            pages.append(chars_with_baseline(pg))
    return result, pages
