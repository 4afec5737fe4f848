"""`paiban plan`, `plan --write`, and build/check planning what is unplaced: the seed page and
the 4-page example with their modules left out, and generated pages (hypothesis)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from layout.cli import main
from layout.pipeline import compose_issue
from layout.model.load import load_issue
from layout.plan.planner import DoesNotFit

from layout.plan.search import W_AREA, W_HEADS
from planhelp import bumps, falling, overlaps, strips_under_photos

ROOT = Path(__file__).resolve().parents[1]
PLANNED = ROOT / "examples" / "seed-planned.yaml"
EXAMPLE = ROOT / "examples" / "tabloid-4pages.yaml"


def copy_planned(tmp_path: Path) -> Path:
    """examples/seed-planned.yaml beside the seed's photos, as the example names them."""
    (tmp_path / "issues").mkdir()
    shutil.copytree(ROOT / "issues" / "photos", tmp_path / "issues" / "photos")
    (tmp_path / "examples").mkdir()
    dest = tmp_path / "examples" / "seed-planned.yaml"
    shutil.copy(PLANNED, dest)
    return dest


def test_plan_prints_modules_heads_and_score_terms():
    result = subprocess.run([sys.executable, "-m", "layout", "plan", str(PLANNED)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    out = result.stdout
    row = re.search(r"wanggehua\s+col 1 span (\d) line 1 lines (\d+)\s+col \d span \d line 1 "
                    r"lines \d+\s+(\d+) pt", out)
    assert row, out
    assert "term" in out and "chosen" in out and "runner-up" in out and "total" in out
    for aid in ("shangpinfang", "lishi-wenhua", "baojiaolou"):
        assert aid in out


def test_seed_planned_passes_check_and_is_the_plan():
    """build/check plan the unplaced page the same way `plan` does (same input, same plan)."""
    result = CliRunner().invoke(main, ["check", str(PLANNED), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json
    rep = json.loads(result.output)
    arts = [a for p in rep["pages"] for a in p["articles"]]
    assert {a["id"] for a in arts} >= {"wanggehua", "shangpinfang", "lishi-wenhua", "baojiaolou"}
    issue = load_issue(PLANNED)
    mods = {a.id: a.module for a in issue.pages[0].articles}
    out = CliRunner().invoke(main, ["plan", str(PLANNED)]).output
    for aid, m in mods.items():
        assert re.search(rf"{aid}\s+col {m.column} span {m.span} line {m.line} lines {m.lines}",
                         out), (aid, out)
    cp = compose_issue(issue)[0]
    assert not [s for s in strips_under_photos(cp) if 0 < s[1] < 5] and not bumps(cp)


def test_plan_write_keeps_comments_and_builds_the_same_pdf(tmp_path):
    issue = copy_planned(tmp_path)
    before = issue.read_text(encoding="utf-8")
    a, b = tmp_path / "a.pdf", tmp_path / "b.pdf"
    assert CliRunner().invoke(main, ["build", str(issue), "-o", str(a)]).exit_code == 0
    result = CliRunner().invoke(main, ["plan", str(issue), "--write"])
    assert result.exit_code == 0, result.output
    after = issue.read_text(encoding="utf-8")
    # every comment line kept, and only lines added
    assert [ln for ln in before.splitlines() if ln.strip().startswith("#")] == \
        [ln for ln in after.splitlines() if ln.strip().startswith("#")]
    assert len(after.splitlines()) > len(before.splitlines())
    assert "module: {column: 1, span:" in after and "place: {column:" in after
    data = yaml.safe_load(after)
    assert all("module" in art for p in data["pages"] for art in p["articles"])
    again = CliRunner().invoke(main, ["plan", str(issue)])
    assert again.exit_code == 0 and "nothing to plan" in again.output
    assert CliRunner().invoke(main, ["build", str(issue), "-o", str(b)]).exit_code == 0
    assert a.read_bytes() == b.read_bytes()         # the locked file is the planned page


def test_plan_does_not_fit_says_what_to_cut(tmp_path):
    issue = copy_planned(tmp_path)
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    for art in data["pages"][0]["articles"]:
        art["paragraphs"] = art["paragraphs"] * 3
    issue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    before = issue.read_bytes()
    result = CliRunner().invoke(main, ["plan", str(issue), "--write"])
    assert result.exit_code == 1, result.output
    assert "删约" in result.output and "字" in result.output
    assert issue.read_bytes() == before                 # never cut, never written
    built = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert built.exit_code == 1 and "删约" in built.output and "Traceback" not in built.output
    assert not (tmp_path / "x.pdf").exists()
    # paiban check: text that does not fit is a finding (exit 1), not a broken file (exit 2)
    checked = CliRunner().invoke(main, ["check", str(issue), "--format", "json"])
    assert checked.exit_code == 1 and "删约" in checked.output


def test_four_page_example_with_every_module_left_out_passes_check(tmp_path):
    """Every article's module and photo place removed (continuations and ads kept), the
    vertical-head article (jiuye) and the 破栏 one (gongjiao, `columns: 2` kept) too; the 报眼
    hinted `zone: ear`."""
    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    freed = 0
    for page in data["pages"]:
        for art in page["articles"]:
            art.pop("module")
            freed += 1
            for ph in art.get("photos") or []:
                ph.pop("place", None)
            if art["id"] == "daodu":
                art["zone"] = "ear"
    assert freed >= 10
    shutil.copytree(ROOT / "examples" / "photos", tmp_path / "photos")
    issue = tmp_path / "free.yaml"
    issue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code == 0, result.output
    assert "no findings" in result.output
    for cp in compose_issue(load_issue(issue)):
        assert not bumps(cp), cp.page.number
        assert not [s for s in strips_under_photos(cp) if 0 < s[1] < 5], cp.page.number
        jiuye = next((a for a in cp.page.articles if a.id == "jiuye"), None)
        if jiuye is not None:       # its 竖题 drawn top to bottom in the module's right column
            geo, m = cp.page.geometry, jiuye.module
            head = [ln for ln in cp.lines if ln.article == "jiuye" and ln.kind == "headline"]
            right = geo.column_x(m.last_column)
            assert len({round(ln.baseline) for ln in head}) >= 5
            assert all(right - 1 <= ln.x <= right + geo.column_width for ln in head)
            assert m.span >= 2
        gongjiao = next((a for a in cp.page.articles if a.id == "gongjiao"), None)
        if gongjiao is not None:    # 破栏: its body in its own 2 columns across the module
            assert gongjiao.columns == 2
            geo = cp.page.geometry
            xs = sorted({ln.x for ln in cp.lines if ln.article == "gongjiao" and ln.kind == "body"})
            starts = [x for k, x in enumerate(xs) if not k or x - xs[k - 1] > 2 * geo.body_size + 1]
            own, step = geo.own_columns(gongjiao.module.span, 2)
            assert len(starts) == 2 and own > geo.column_width       # (indents aside)
            assert starts[1] - starts[0] == pytest.approx(step, abs=0.5)


def test_vertical_head_with_a_photo_is_planned_beside_the_head(tmp_path):
    """The example's 竖题 article (jiuye, head in the right column) unplaced, given a photo and
    two paragraphs fewer: planned, it passes check, and in the PDF its picture lies inside the
    module, at the top, clear of the head's column."""
    import json

    import pdfplumber

    data = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    art = next(a for p in data["pages"] for a in p["articles"] if a["id"] == "jiuye")
    art.pop("module")
    art["paragraphs"] = art["paragraphs"][:5]
    art["photos"] = [{"file": "photos/hubin-shichang.png", "caption": "招聘会现场，求职者在展位前咨询。",
                      "credit": "宋雨桐 摄"}]
    shutil.copytree(ROOT / "examples" / "photos", tmp_path / "photos")
    issue = tmp_path / "free.yaml"
    issue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    planned = CliRunner().invoke(main, ["plan", str(issue)])
    assert planned.exit_code == 0, planned.output
    assert re.search(r"jiuye +col \d span \d line \d+ lines \d+ +col \d", planned.output)
    checked = json.loads(CliRunner().invoke(main, ["check", str(issue), "--format", "json"]).output)
    rep = next(a for p in checked["pages"] for a in p["articles"] if a["id"] == "jiuye")
    assert rep["findings"] == [] and rep["figures"]["overflow_lines"] == 0
    assert rep["figures"]["underfull_lines"] <= 3 and rep["photos"][0]["ppi"] >= 200
    cp = next(c for c in compose_issue(load_issue(issue)) if c.page.number == 2)
    geo, m = cp.page.geometry, next(a for a in cp.page.articles if a.id == "jiuye").module
    left, head = geo.column_x(m.column), geo.column_x(m.last_column)     # head: right column
    top, foot = geo.line_top(m.line), geo.line_top(m.last_line + 1)
    out = tmp_path / "x.pdf"
    assert CliRunner().invoke(main, ["build", str(issue), "-o", str(out)]).exit_code == 0
    with pdfplumber.open(out) as pdf:
        page = pdf.pages[1]
        pics = [im for im in page.images if im["x0"] >= left - 1 and im["top"] < foot
                and im["x1"] <= left + geo.span_width(m.span) + 1]
        heads = [c for c in page.chars if c["x0"] >= head - 1 and top <= c["top"] < foot
                 and c["size"] > 2 * geo.body_size]
    assert len(pics) == 1 and heads
    pic = pics[0]
    assert top - 1 <= pic["top"] < top + geo.line_pitch and pic["bottom"] <= foot
    assert pic["x1"] <= head                # beside the head's column, never over it
    assert all(c["x0"] >= pic["x1"] for c in heads)


# --- properties over generated pages ---------------------------------------------------------

HAN = "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量"
para = st.lists(st.sampled_from(list(HAN) + ["，"] * 6), min_size=80, max_size=300).map(
    lambda t: "".join(t).strip("，") + "。")


@st.composite
def page_st(draw):
    n = draw(st.integers(2, 5))
    arts = []
    for k in range(n):
        a = {"id": f"a{k}", "headline": "".join(draw(st.lists(st.sampled_from(list(HAN)),
                                                               min_size=5, max_size=14))),
             "paragraphs": draw(st.lists(para, min_size=2, max_size=7))}
        if draw(st.booleans()):
            a["kicker"] = "".join(draw(st.lists(st.sampled_from(list(HAN)), min_size=4, max_size=12)))
        kind = draw(st.sampled_from(["plain", "photo", "photos", "vertical", "vertical-photo"]))
        if kind in ("photo", "photos", "vertical-photo"):
            a["photos"] = [{"file": "photos/p.jpg", "caption": "图片说明文字。"}]
        if kind == "photos":        # two photos: planned side by side in one row
            a["photos"].append({"file": "photos/p.jpg", "caption": "另一张图片的说明。"})
        if kind.startswith("vertical") and k:   # 竖题 (not the lead), its photo beside it
            a["headline_vertical"] = {"side": "right", "columns": 1}
        arts.append(a)
    locked = draw(st.booleans())
    if locked:                      # one article locked in the top-right corner
        arts[-1]["module"] = {"column": 5, "span": 2, "line": 1, "lines": draw(st.integers(20, 40))}
        arts[-1].pop("photos", None)
    ad = draw(st.sampled_from([None, 20, 30]))
    page = {"number": 2, "section": "要闻", "geometry": "tabloid", "articles": arts}
    if ad:
        page["ads"] = [{"id": "ad", "module": {"column": 1, "span": 6, "line": 81 - ad,
                                               "lines": ad}, "file": "photos/p.jpg"}]
    return page


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(page=page_st())
def test_generated_pages_plan_into_the_type_area(tmp_path_factory, page):
    from PIL import Image

    folder = tmp_path_factory.mktemp("gen")
    (folder / "photos").mkdir()
    Image.new("RGB", (1600, 1200), (120, 140, 160)).save(folder / "photos" / "p.jpg")
    path = folder / "issue.yaml"
    data = {"paper": "示例报", "date": "2025-04-18", "pages": [page]}
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    locked = {a["id"]: a["module"] for a in page["articles"] if "module" in a}
    plans: list = []
    try:
        issue = load_issue(path, plans=plans)
    except DoesNotFit as e:                     # reported, with what to cut
        assert "删约" in str(e) or "do not fit" in str(e)
        return
    again = load_issue(path)
    pg = issue.pages[0]
    assert [a.module for a in pg.articles] == [a.module for a in again.pages[0].articles]
    geo = pg.geometry
    boxes = [a.module for a in pg.articles] + [ad.module for ad in pg.ads]
    assert not overlaps(boxes)
    for b in boxes:
        assert b.column >= 1 and b.last_column <= geo.columns and b.line >= 1
        assert b.last_line <= geo.lines
    for a in pg.articles:
        if a.id in locked:
            m = locked[a.id]
            assert (a.module.column, a.module.span, a.module.line, a.module.lines) == (
                m["column"], m["span"], m["line"], m["lines"])
    cp = compose_issue(issue)[0]
    for r in cp.reports:
        if r.id not in locked:
            assert r.overflow_lines == 0 and r.underfull_lines <= 3, r
    # heads and area fall with importance, or the plan says by how much they do not (read
    # from the composed page); the lead's head is the largest
    order = [a["id"] for a in page["articles"] if a["id"] not in locked]
    up_heads, up_area = falling(cp, order)
    terms = plans[0].terms
    assert (terms.get("heads", 0), terms.get("area", 0)) == (W_HEADS * up_heads, W_AREA * up_area)
    sizes = {ln.article: ln.glyphs[0].size for ln in cp.lines if ln.kind == "headline" and ln.glyphs}
    assert all(sizes[order[0]] > sizes[a] for a in order[1:] if a in sizes)


def _hinted(tmp_path: Path, hints: dict) -> Path:
    tmp_path.mkdir(exist_ok=True)
    issue = copy_planned(tmp_path)
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    for art in data["pages"][0]["articles"]:
        art.update(hints.get(art["id"], {}))
    issue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return issue


def _beside(a, b) -> bool:
    """Side by side (sharing a vertical edge over some lines) or one above the other."""
    a, b = sorted((a, b), key=lambda x: (x.column, x.line))
    side = b.column == a.last_column + 1 and not (b.last_line < a.line or a.last_line < b.line)
    above = b.line == a.last_line + 2 and not (b.last_column < a.column or a.last_column < b.column)
    return side or above


def test_priority_and_span_hints_steer_the_plan(tmp_path):
    """priority: the article named 头条 goes top left; span: the module takes a span in range."""
    issue = _hinted(tmp_path, {"baojiaolou": {"priority": 1}, "wanggehua": {"span": [3, 4]}})
    m = {a.id: a.module for a in load_issue(issue).pages[0].articles}
    assert (m["baojiaolou"].column, m["baojiaolou"].line) == (1, 1)
    assert 3 <= m["wanggehua"].span <= 4
    cp = compose_issue(load_issue(issue))[0]
    assert all(r.overflow_lines == 0 and r.underfull_lines <= 3 for r in cp.reports)


def test_keep_with_puts_the_pair_together(tmp_path):
    """Unhinted, the lead and the last story stand corner to corner; keep_with brings them
    together."""
    plain = {a.id: a.module for a in load_issue(_hinted(tmp_path / "a", {})).pages[0].articles}
    assert not _beside(plain["wanggehua"], plain["baojiaolou"])
    issue = _hinted(tmp_path / "b", {"wanggehua": {"keep_with": "baojiaolou"}})
    m = {a.id: a.module for a in load_issue(issue).pages[0].articles}
    assert _beside(m["wanggehua"], m["baojiaolou"]), m
    cp = compose_issue(load_issue(issue))[0]
    assert all(r.overflow_lines == 0 and r.underfull_lines <= 3 for r in cp.reports)


def _photo_boxes(pdf: Path, page: int = 0) -> list[tuple[float, float, float, float, float]]:
    """(x0, top, x1, bottom, ppi) of every image drawn on the page, read back from the PDF."""
    import pdfplumber

    with pdfplumber.open(pdf) as doc:
        pg = doc.pages[page]
        return [(im["x0"], im["top"], im["x1"], im["bottom"],
                 min(im["srcsize"][0] / (im["width"] / 72), im["srcsize"][1] / (im["height"] / 72)))
                for im in pg.images]


def test_article_with_two_photos_is_planned(tmp_path):
    """A second photo for the lead, both unplaced: planned side by side in one row under its
    deck, each picture sharp enough, captions under each, no 碎栏; check passes (JSON), and the
    PDF read back shows the two pictures in the lead's module at one height."""
    issue = copy_planned(tmp_path)
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    lead = data["pages"][0]["articles"][0]
    lead["photos"].append({"file": "../issues/photos/lishi-wenhua.jpg",
                           "caption": "潮河水系及路网建设现场。", "credit": "冉红政 摄"})
    issue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    import json
    checked = CliRunner().invoke(main, ["check", str(issue), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    rep = json.loads(checked.output)
    assert not [f for p in rep["pages"] for f in p.get("findings", [])], rep
    loaded = load_issue(issue)
    art = loaded.pages[0].articles[0]
    places = [ph.place for ph in art.photos]
    assert len(places) == 2 and all(places)
    assert places[0].line == places[1].line and places[0].lines == places[1].lines
    assert places[0].column + places[0].span == places[1].column          # side by side
    cp = compose_issue(loaded)[0]
    assert not [s for s in strips_under_photos(cp) if 0 < s[1] < 5]
    reps = {r.id: r for r in cp.reports}
    assert reps[art.id].overflow_lines == 0 and reps[art.id].underfull_lines <= 3
    pdf = tmp_path / "two.pdf"
    assert CliRunner().invoke(main, ["build", str(issue), "-o", str(pdf)]).exit_code == 0
    geo = loaded.pages[0].geometry
    m = art.module
    x0 = geo.margin_left + (m.column - 1) * (geo.column_width + geo.gutter)
    x1 = x0 + geo.span_width(m.span)
    inside = [b for b in _photo_boxes(pdf) if x0 - 1 <= b[0] and b[2] <= x1 + 1
              and b[1] < geo.margin_top + m.lines * geo.line_pitch]
    assert len(inside) == 2, inside
    (a, b) = sorted(inside)
    assert abs(a[1] - b[1]) < 1 and abs(a[3] - b[3]) < 1 and a[2] < b[0]
    assert min(a[4], b[4]) >= 199


def test_caption_beside_the_picture_is_planned(tmp_path):
    """caption_side: right on an unplaced photo (was a located error): the plan gives the photo
    a place of 2 columns or more, the caption in the column right of the picture, level with
    its foot; check passes (JSON)."""
    issue = copy_planned(tmp_path)
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    art = next(a for a in data["pages"][0]["articles"] if a["id"] == "lishi-wenhua")
    art["photos"][0]["caption_side"] = "right"
    issue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    import json
    checked = CliRunner().invoke(main, ["check", str(issue), "--format", "json"])
    assert checked.exit_code == 0, checked.output
    assert not [f for p in json.loads(checked.output)["pages"] for f in p["findings"]]
    loaded = load_issue(issue)
    place = next(a for a in loaded.pages[0].articles if a.id == "lishi-wenhua").photos[0].place
    assert place.span >= 2
    cp = compose_issue(loaded)[0]
    pic = next(p for p in cp.pictures if p.article == "lishi-wenhua")
    cap = [ln for ln in cp.lines if ln.article == "lishi-wenhua" and ln.kind == "caption"]
    assert cap and all(ln.x >= pic.x + pic.width for ln in cap)
    assert max(ln.baseline for ln in cap) <= pic.y + pic.height + 1
    assert not [s for s in strips_under_photos(cp) if 0 < s[1] < 5]
