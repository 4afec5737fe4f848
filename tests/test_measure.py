"""The measure stage: an article's figures for a span agree with the page the build draws, and
measuring one article at many spans with a memo gives what measuring afresh gives."""
from __future__ import annotations

import pytest

from layout.house import BUNDLED
from layout.measure import measure
from layout.model.load import load_issue

DECK_KINDS = ("kicker", "headline", "subhead")


def _figures(c):
    return (c.deck_rows, c.deck.headline_size, c.deck.headline_lines, c.body_lines,
            c.photo_rows, [[(k, ln.text) for k, ln in p.caption] for p in c.photos],
            [ln.text for ln in c.body.lines()])


def test_measure_is_what_the_build_draws(seed_pdf, seed_issue):
    """Deck rows, headline, picture rows and caption lines of every seed article measured at
    its module's span are those of the page `paiban build` wrote."""
    _, result = seed_pdf
    cp = result.pages[0]
    geo = cp.page.geometry
    for art in cp.page.articles:
        c = measure(art, art.module.span, geo, house=BUNDLED, issue=seed_issue)
        rep = next(r for r in cp.reports if r.id == art.id)
        assert (c.deck.headline_size, c.deck.headline_lines) == (rep.headline_size,
                                                                rep.headline_lines)
        mine = [ln for ln in cp.lines if ln.article == art.id]
        body_top = geo.line_top(art.module.line + c.deck_rows)
        assert c.deck_rows > 0
        assert all(ln.baseline < body_top for ln in mine if ln.kind in DECK_KINDS)
        assert all(ln.baseline > body_top for ln in mine if ln.kind in ("body", "byline"))
        pics = [p for p in cp.pictures if p.article == art.id]
        assert len(pics) == len(c.photos)
        changed = {r.photo - 1: r.change for r in rep.resolved}     # 碎栏 resolved (strips.py)
        for k, (pic, ph) in enumerate(zip(pics, c.photos)):
            rows = ph.image_rows + changed.get(k, 0)
            assert pic.height == pytest.approx((rows - 1) * geo.line_pitch + geo.body_size)
        captions = [ln.text for ln in mine if ln.kind in ("caption", "credit")]
        assert captions == [ln.text for p in c.photos for _, ln in p.caption]
        # the body as first set: the flow re-sets a paragraph at most a line longer or shorter
        assert abs(c.body_lines - rep.lines_needed) <= len(art.paragraphs)


def test_measure_at_spans_1_to_8_with_a_memo(seed_issue):
    """A planner's calls: one memo per article, every span; a pour that re-sets a paragraph of
    one measured body does not change the body the memo hands out next."""
    geo = seed_issue.pages[0].geometry
    for art in seed_issue.pages[0].articles:
        memo: dict = {}
        for span in range(1, 9):
            assert (_figures(measure(art, span, geo, house=BUNDLED, memo=memo))
                    == _figures(measure(art, span, geo, house=BUNDLED)))
        c = measure(art, 3, geo, house=BUNDLED, memo=memo)
        before = _figures(c)
        assert any(c.body.reset(p, +1) for p in range(len(art.paragraphs)))
        assert _figures(c) != before
        assert _figures(measure(art, 3, geo, house=BUNDLED, memo=memo)) == before

