"""The House (layout/house.py): a paper's faces and styles passed down the stages as a value.
Two issues with different houses composed in one process, interleaved, each get their own faces
and widths, byte for byte what each gets alone; a house's furniture and deck styles are the ones
drawn; the planner measures in the issue's house; a house sent to another process brings its
fonts with it."""
from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pdfplumber

from fontkit import build_font
from issuekit import PHOTOS, TEXT, article, page, write_issue

ROOT = Path(__file__).resolve().parents[1]
HEAD = "区委书记带队督导"


def _font(tmp: Path, advance: int) -> dict:
    """A house serif with every character of the test text, each `advance` units of 1000 wide."""
    d = tmp / "fonts"
    d.mkdir(parents=True, exist_ok=True)
    chars = "".join(sorted(set(TEXT + HEAD)))
    return {"file": str(build_font(d / "house.ttf", chars, "HouseSerif", advance=advance)
                        .relative_to(tmp))}


def _issue(tmp: Path, fonts: dict | None, module: dict | None = None, **kw) -> Path:
    tmp.mkdir(parents=True, exist_ok=True)
    a = article("a1", module or {"column": 1, "span": 3, "line": 1, "lines": 30},
                paragraphs=[TEXT, TEXT, TEXT], headline=HEAD)
    b = article("b1", {"column": 4, "span": 3, "line": 1, "lines": 30}, paragraphs=[TEXT])
    return write_issue(tmp, [page(2, [a, b])], **({"fonts": fonts} if fonts else {}), **kw)


def _cli_build(issue: Path, out: Path) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), PAIBAN_NO_DAEMON="1")
    r = subprocess.run([sys.executable, "-m", "layout", "build", str(issue), "-o", str(out),
                        "--allow-overflow"], cwd=issue.parent, env=env, capture_output=True,
                       text=True, timeout=600)
    assert r.returncode == 0, r.stderr


def _body(pdf: Path) -> list[tuple[str, str, float, float]]:
    """(character, font, x, top) of the body text (the 9 pt characters below the heads)."""
    with pdfplumber.open(pdf) as doc:
        return [(c["text"], c["fontname"].split("+")[-1], round(c["x0"], 2), round(c["top"], 2))
                for c in doc.pages[0].chars if abs(c["size"] - 9.0) < 0.01 and c["top"] > 100]


def test_two_houses_interleaved_in_one_process(tmp_path):
    """A house serif 0.8 em wide and the bundled serif: built alone (each in its own process)
    and built interleaved in this one (A, B, A, B), the PDFs are the same bytes; A's body is in
    the house font and narrower, B's in the bundled face."""
    from layout.build import build_issue

    house = _issue(tmp_path / "a", {"serif": _font(tmp_path / "a", 800)})
    bundled = _issue(tmp_path / "b", None)
    alone = {}
    for name, issue in (("a", house), ("b", bundled)):
        alone[name] = tmp_path / f"{name}-alone.pdf"
        _cli_build(issue, alone[name])
    for k in range(2):
        for name, issue in (("a", house), ("b", bundled)):
            out = tmp_path / f"{name}-{k}.pdf"
            build_issue(issue, out)
            assert out.read_bytes() == alone[name].read_bytes(), (name, k)
    a, b = _body(alone["a"]), _body(alone["b"])
    assert {f for ch, f, _, _ in a if ch in TEXT and "\u4e00" <= ch <= "\u9fff"} == {"HouseSerif"}
    assert "HouseSerif" not in {f for _, f, _, _ in b}
    # 区委 of the first paragraph: 0.8 em apart in A, 1 em in B (9 pt; justification aside)
    def step(chars):
        i = next(k for k, c in enumerate(chars) if c[0] == "区" and chars[k + 1][0] == "委")
        return chars[i + 1][2] - chars[i][2]

    assert abs(step(a) - 7.2) < 0.6 and abs(step(b) - 9.0) < 0.6, (step(a), step(b))


def test_pages_of_two_houses_interleaved(tmp_path):
    """compose_page with each issue's House, page by page in turn: every line the same as
    composing each issue on its own (the house is an argument, not a setting of the process)."""
    from layout.compose.page import compose_page
    from layout.house import House
    from layout.model.load import load_issue
    from layout.pipeline import compose_issue

    issues = [load_issue(_issue(tmp_path / "a", {"serif": _font(tmp_path / "a", 700)})),
              load_issue(_issue(tmp_path / "b", None))]
    houses = [House.of(i) for i in issues]
    assert houses[0] != houses[1] and houses[1] == House.of(issues[1])

    def lines(cp):
        return [(ln.x, ln.baseline, [(g.face, g.text, g.x) for g in ln.glyphs]) for ln in cp.lines]

    mixed = [[], []]
    for _ in range(2):
        for k in (0, 1):
            mixed[k].append(lines(compose_page(issues[k], issues[k].pages[0], house=houses[k])))
    for k in (0, 1):
        assert mixed[k][0] == mixed[k][1] == lines(compose_issue(issues[k])[0])
    assert lines(compose_issue(issues[0])[0]) != lines(compose_issue(issues[1])[0])


def test_furniture_and_deck_styles_come_from_the_house(tmp_path):
    """A house whose running head stands 12 pt higher and whose headlines are set in 楷体: the
    composed page has its head 12 pt higher and its headline in the kai face; the rest alike."""
    from layout.compose.deck import DeckStyle
    from layout.compose.furniture import HeadStyle
    from layout.compose.page import compose_page
    from layout.house import BUNDLED
    from layout.model.load import load_issue

    issue = load_issue(_issue(tmp_path, None))
    pg = issue.pages[0]
    head = replace(BUNDLED, head=HeadStyle(gap=HeadStyle().gap + 12.0))
    kai = replace(BUNDLED, deck=DeckStyle(headline=replace(DeckStyle().headline, face="kai")))
    base, higher, kaihead = (compose_page(issue, pg, house=h) for h in (BUNDLED, head, kai))

    def furniture(cp):
        return [(ln.x, round(ln.baseline, 3)) for ln in cp.lines if ln.kind == "furniture"]

    assert furniture(base) and len(furniture(base)) == len(furniture(higher))
    assert [(x, round(y - 12.0, 3)) for x, y in furniture(base)] == furniture(higher)
    assert [ln.baseline for ln in base.lines if ln.article] == \
        [ln.baseline for ln in higher.lines if ln.article]

    def head_faces(cp):
        return {g.face for ln in cp.lines if ln.kind == "headline" for g in ln.glyphs}

    assert head_faces(base) == {BUNDLED.face("serif-bold")}
    assert head_faces(kaihead) == {BUNDLED.face("kai")}


def test_planner_measures_in_the_issues_house(tmp_path):
    """An unplaced article in a house serif 0.7 em wide, under an ad: the plan counts the body
    lines the page is composed with. (It used to measure in the bundled faces, 1 em a
    character, and asked the editor to cut 187 characters that fit.)"""
    from layout.model.load import load_issue
    from layout.pipeline import compose_issue

    a = article("a1", None, paragraphs=[TEXT] * 12, headline=HEAD)
    del a["module"]
    ad = {"id": "ad", "module": {"column": 1, "span": 6, "line": 1, "lines": 62},
          "file": str(PHOTOS / "chunjing.jpg")}
    issue_file = write_issue(tmp_path, [page(2, [a], ads=[ad])],
                             fonts={"serif": _font(tmp_path, 700)})
    plans: list = []
    issue = load_issue(issue_file, plans)
    (placement,) = plans[0].placements
    (rep,) = compose_issue(issue)[0].reports
    assert placement.lines_needed == rep.lines_needed
    assert rep.underfull_lines == placement.underfull


SPAWNED = r"""
import pickle, sys
from layout.text.paragraph import set_line
house = pickle.loads(sys.stdin.buffer.read())
ln = set_line("区委书记", house.style("serif", 10.0))
print(ln.width, sorted({g.face for g in ln.glyphs}) == [house.face("serif")])
"""


def test_a_house_sent_to_a_new_process_brings_its_fonts(tmp_path):
    """Unpickled in a process that never read the issue, the house sets its serif from the
    house font (its registry entries travel with it)."""
    import pickle

    from layout.house import House
    from layout.text import fonts as F

    chars = "".join(sorted(set(TEXT)))
    key = F.register_file(build_font(tmp_path / "narrow.ttf", chars, "Narrow", advance=800))
    house = House.with_fonts({"serif": F.register_chain("serif", [key])})
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    r = subprocess.run([sys.executable, "-c", SPAWNED], input=pickle.dumps(house), env=env,
                       capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stdout.decode().split() == ["32.0", "True"]
