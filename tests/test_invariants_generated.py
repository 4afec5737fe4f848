"""The invariants over generated issues (hypothesis): whatever the copy, the modules, the photos,
the boxes and the jumps, composition draws exactly the issue file's text inside each module —
every generated issue is composed through compose_issue, which runs layout/checks/invariants.py
on each page and across each jump, and raises on any violation."""
from __future__ import annotations

import shutil
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.pipeline import compose_issue
from layout.model.load import load_issue

from issuekit import write_issue

ROOT = Path(__file__).resolve().parents[1]
HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
WORDS = ["open source", "free software", "GDP", "Python 3.12", "5G", "3.14", "50%", "2023—2024年",
         "1—3月份", "www.example.com.cn", "COVID-19", "iPhone 15 Pro", "A股", "10 km", "+86"]
PUNCT = list("，。、；：？！") + ["“", "”", "（", "）", "《", "》", "——", "……"]

token = st.one_of(st.sampled_from(list(HAN)), st.sampled_from(list(HAN)), st.sampled_from(list(HAN)),
                  st.sampled_from(PUNCT), st.sampled_from(WORDS).map(lambda w: f" {w} "))
paragraph = st.lists(token, min_size=8, max_size=90).map(lambda t: "".join(t).strip() + "。")
name = st.text(alphabet=HAN, min_size=2, max_size=3)
byline = st.one_of(st.just(""), st.builds(lambda r, ns: " ".join([r] + ns),
                                           st.sampled_from(["记者", "通讯员", "本报记者"]),
                                           st.lists(name, min_size=1, max_size=12)))
head = st.lists(st.sampled_from(list(HAN)), min_size=4, max_size=16).map("".join)


@st.composite
def article_st(draw, aid: str, line: int, lines: int, photos: list[Path]):
    span = draw(st.integers(2, 6))
    a = {"id": aid, "module": {"column": 1, "span": span, "line": line, "lines": lines},
         "headline": draw(head), "paragraphs": draw(st.lists(paragraph, min_size=1, max_size=5))}
    if draw(st.booleans()):
        a["kicker"] = draw(head)
    if draw(st.booleans()):
        a["subhead"] = draw(head)
    if draw(st.booleans()):
        a["dateline"] = "本报讯"
    b = draw(byline)
    if b:
        a["byline"] = b
        if a.get("dateline") and draw(st.booleans()):
            a["byline_position"] = "after_dateline"
    if draw(st.booleans()):
        a["box"] = True
    if draw(st.booleans()) and lines >= 16:
        pspan = draw(st.integers(1, span))
        ph = {"file": str(draw(st.sampled_from(photos))),
              "place": {"column": draw(st.integers(1, span - pspan + 1)), "span": pspan,
                        "line": 1, "lines": draw(st.integers(6, min(14, lines - 8)))}}
        if draw(st.booleans()):
            ph["caption"] = draw(paragraph)
        if draw(st.booleans()):
            ph["credit"] = draw(name) + " 摄"
        a["photos"] = [ph]
    return a


@st.composite
def issue_st(draw, photos: list[Path]):
    n = draw(st.integers(1, 3))
    heights = [80 // n] * n
    arts, line = [], 1
    for k, h in enumerate(heights):
        arts.append(draw(article_st(f"a{k}", line, h, photos)))
        line += h
    pages = [{"number": 2, "section": "要闻", "geometry": "tabloid", "articles": arts}]
    if draw(st.booleans()):                       # the first article jumps to page 3
        cont = {"id": "a0-jump", "continued_from": "a0",
                "module": {"column": 1, "span": draw(st.integers(2, 6)), "line": 1,
                           "lines": draw(st.integers(10, 80))}}
        if draw(st.booleans()):
            cont["box"] = True
        arts[0]["paragraphs"] = arts[0]["paragraphs"] * 4
        pages.append({"number": 3, "section": "要闻", "geometry": "tabloid", "articles": [],
                      "continuations": [cont]})
    return pages


PHOTOS = sorted((ROOT / "examples" / "photos").glob("*.jpg"))[:3]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(pages=issue_st(PHOTOS))
def test_generated_issues_keep_the_invariants(tmp_path_factory, pages):
    folder = tmp_path_factory.mktemp("gen")
    path = write_issue(folder, pages)
    issue = load_issue(path)
    composed = compose_issue(issue)              # raises InvariantError on any violation
    for cp in composed:
        assert not cp.missing and all(not r.missing for r in cp.reports)
    shutil.rmtree(folder, ignore_errors=True)
