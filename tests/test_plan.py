"""The planner (layout/plan): measured figures agree with the composed page; the seed page's
articles, unplaced, are planned into a page that passes the check and an art director's rules."""
from __future__ import annotations

from dataclasses import replace

import pytest

from layout.compose.page import compose_page
from layout.house import BUNDLED
from layout.model.document import Box
from layout.plan import measure
from layout.plan.planner import apply, plan_page
from layout.plan.search import W_AREA, W_HEADS
from planhelp import bumps, falling, heads, overlaps, strips_under_photos


def unplaced(page):
    """The page with every article's module and every photo's place left out (ads kept)."""
    arts = tuple(replace(a, module=None, photos=tuple(replace(p, place=None) for p in a.photos))
                 for a in page.articles)
    return replace(page, articles=arts)


@pytest.fixture(scope="module")
def seed_plan(seed_issue):
    page = unplaced(seed_issue.pages[0])
    plan = plan_page(seed_issue, page)
    placed = apply(page, plan)
    return plan, placed, compose_page(seed_issue, placed, house=BUNDLED)


def test_measured_deck_and_slots_equal_the_composed_page(seed_issue):
    """At the hand-made modules: the adapter's deck, headline size and body-line slots are the
    composition's (slots = span × (lines − deck) − photo columns × photo rows)."""
    page = seed_issue.pages[0]
    geo = page.geometry
    cp = compose_page(seed_issue, page, house=BUNDLED)
    ms = measure.Measure(geo, seed_issue)
    for art, rep in zip(page.articles, cp.reports):
        m = art.module
        hd = ms.head(art, m.span)
        assert hd.size == rep.headline_size
        k = m.lines - hd.rows
        # a photo the composition made taller or shorter against a 碎栏 (compose/strips.py)
        grown = {r.photo - 1: r.change for r in rep.resolved}
        cells = sum(p.place.span * min(p.place.lines + grown.get(i, 0), k)
                    for i, p in enumerate(art.photos))
        assert m.span * k - cells == rep.lines_available, art.id
        # the text is broken once for any span: the same count the composition starts from
        assert abs(ms.body_lines(art) - rep.lines_needed) <= 1


def test_plan_agrees_with_the_page_line_for_line(seed_plan):
    plan, placed, cp = seed_plan
    assert plan.feasible and len(plan.placements) == 4
    reps = {r.id: r for r in cp.reports}
    for p in plan.placements:
        r = reps[p.id]
        assert r.module == p.module
        assert (r.lines_needed, r.underfull_lines, r.headline_size) == (
            p.lines_needed, p.underfull, p.head_size)


def test_seed_plan_passes_the_rules(seed_plan):
    plan, placed, cp = seed_plan
    for r in cp.reports:
        assert r.overflow_lines == 0 and r.underfull_lines <= 3 and r.deck_fits, r
    mods = {a.id: a.module for a in placed.articles}
    lead = mods["wanggehua"]
    assert (lead.column, lead.line) == (1, 1)
    assert lead.span == max(m.span for m in mods.values())
    sizes = {r.id: r.headline_size for r in cp.reports}
    assert all(sizes["wanggehua"] > s for k, s in sizes.items() if k != "wanggehua")
    assert not [s for s in strips_under_photos(cp) if 0 < s[1] < 5]          # no 碎栏
    assert not bumps(cp)                                                   # no 碰题
    assert not overlaps(list(mods.values()) + [ad.module for ad in placed.ads])
    geo = placed.geometry
    for m in mods.values():
        assert 1 <= m.column and m.last_column <= geo.columns and 1 <= m.line
        assert m.last_line <= geo.lines


def test_seed_plan_heads_fall_with_importance(seed_plan):
    """Headline size and module area fall with importance (read from the composed page): the
    second story's short head is raised on two lines above the fourth's, and what is left
    (the bottom story's head kept where its cell needs it) is what the plan reports."""
    plan, placed, cp = seed_plan
    order = [a.id for a in placed.articles]            # the page's order: its importance
    size = {a: s for a, (_, s) in heads(cp).items()}
    assert size["wanggehua"] > max(s for a, s in size.items() if a != "wanggehua")
    assert size["shangpinfang"] >= size["baojiaolou"]
    up_heads, up_area = falling(cp, order)
    assert up_heads <= 1
    assert plan.terms.get("heads", 0) == W_HEADS * up_heads
    assert plan.terms.get("area", 0) == W_AREA * up_area


def test_the_hand_made_seed_page_has_strips_the_rule_finds(seed_issue):
    """The check of 碎栏 can fail: the hand-made seed page has short strips under its photos."""
    cp = compose_page(seed_issue, seed_issue.pages[0], house=BUNDLED)
    assert [s for s in strips_under_photos(cp) if 0 < s[1] < 5]


def test_plan_is_deterministic(seed_issue, seed_plan):
    again = plan_page(seed_issue, unplaced(seed_issue.pages[0]))
    assert again.placements == seed_plan[0].placements and again.terms == seed_plan[0].terms


def test_locked_module_is_kept(seed_issue):
    """A module given is kept exactly; the others are planned around it."""
    page = unplaced(seed_issue.pages[0])
    hand = seed_issue.pages[0].articles[1]               # shangpinfang, with its photo's place
    arts = list(page.articles)
    arts[1] = hand
    page = replace(page, articles=tuple(arts))
    plan = plan_page(seed_issue, page)
    placed = apply(page, plan)
    assert placed.articles[1] == hand
    boxes = [a.module for a in placed.articles] + [ad.module for ad in placed.ads]
    assert not overlaps(boxes) and all(b is not None for b in boxes)
    cp = compose_page(seed_issue, placed, house=BUNDLED)
    assert all(r.overflow_lines == 0 and r.underfull_lines <= 3 for r in cp.reports)


def test_too_much_text_says_what_to_cut(seed_issue):
    """Articles that cannot all fit: the plan places nothing and says what to cut, per article."""
    page = unplaced(seed_issue.pages[0])
    arts = [replace(a, paragraphs=a.paragraphs * 3) for a in page.articles]
    plan = plan_page(seed_issue, replace(page, articles=tuple(arts)))
    assert not plan.feasible and not plan.placements
    assert any("字" in c and c.split(":")[0] in {a.id for a in arts} for c in plan.cuts)


def test_deck_lines_give_the_deck_air_centred(seed_issue):
    """`deck_lines` (Deck.lines): the deck takes that many grid lines, its lines centred in
    them; the body starts below (read from the composed page)."""
    page = seed_issue.pages[0]
    art = page.articles[3]                               # baojiaolou: no photo
    geo = page.geometry
    natural = measure.Measure(geo).head(art, art.module.span).rows

    def composed(a):
        cp = compose_page(seed_issue, replace(page, articles=(a,)), house=BUNDLED)
        heads = [ln.baseline for ln in cp.lines if ln.kind == "headline"]
        body = min(ln.baseline for ln in cp.lines if ln.kind == "body")
        return cp.reports[0], heads, body

    rep0, heads0, body0 = composed(art)
    rep3, heads3, body3 = composed(replace(art, deck=replace(art.deck, lines=natural + 3)))
    assert rep3.lines_available == rep0.lines_available - 3 * art.module.span
    assert body3 - body0 == pytest.approx(3 * geo.line_pitch)
    assert heads3[0] - heads0[0] == pytest.approx(1.5 * geo.line_pitch)


def test_photo_leaves_over_the_last_column_leave_no_short_strip(seed_issue):
    """The empty lines of a module fall at the foot of its last column: a photo over that
    column (on the right, or across) has its strip shortened by them. Every leaf the variants
    offer with such a photo is composed: the composition finds no 碎栏 in any (before, those
    leaves were refused one search round at a time)."""
    from layout.plan import variants

    page = unplaced(seed_issue.pages[0])
    art = next(a for a in page.articles if a.id == "shangpinfang")
    geo = page.geometry
    ms = measure.Measure(geo, seed_issue)
    span, tried = 3, 0
    for cell, alts in sorted(variants.leaves(ms, art, 0, span, 60).items()):
        for lf in alts:
            c, ps, rows = lf.photo
            if c + ps - 1 != span or lf.underfull == 0:
                continue
            rep = measure.compose_in(seed_issue, page, measure.placed(
                art, Box(1, span, 1, lf.lines), (Box(c, ps, 1, rows),), lf.cap,
                lf.deck if lf.air else None, raised=lf.raised), BUNDLED)
            assert not rep.strips, (lf, rep.strips)
            tried += 1
    assert tried >= 5
