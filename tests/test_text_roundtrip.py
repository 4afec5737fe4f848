"""Text round trip read back from the PDF (issue 11): for every article of the seed page and the
4-page example, the characters the PDF draws inside the article's module are the article's
source text — nothing dropped, added or changed; the body in reading order (columns left to
right, lines top to bottom) is its dateline and paragraphs exactly. Independent of the
composer's data: pdfplumber reads the file as a reader or a RIP would."""
from __future__ import annotations

from collections import Counter

import pdfplumber
import pytest

from layout.model.placement import continuation_of, short_headline
from layout.text.markup import runs

BODY_SIZE = 9.0


def _plain(s: str) -> str:
    return "".join(ch for ch in s if not ch.isspace())


def _in(box, c, geo) -> bool:
    x0 = geo.column_x(box.column)
    x1 = x0 + geo.span_width(box.span)
    y0, y1 = geo.line_top(box.line), geo.line_top(box.line + box.lines)
    mid_x, mid_y = (c["x0"] + c["x1"]) / 2, (c["top"] + c["bottom"]) / 2
    return x0 - 0.5 <= mid_x <= x1 + 0.5 and y0 - 0.5 <= mid_y <= y1 + 0.5


def _body_order(chars, geo, art=None):
    pitch, left = geo.column_width + geo.gutter, geo.margin_left
    if art is not None and art.columns:             # 破栏: the article's own columns
        from layout.measure.article import text_inset

        pitch = geo.own_columns(art.module.span, art.columns, text_inset(geo, art))[1]
        left = geo.column_x(art.module.column)
    col = lambda c: int((c["x0"] - left + 0.5) // pitch)
    return "".join(c["text"] for c in sorted(chars, key=lambda c: (col(c), round(c["top"], 1), c["x0"])))


def _expected(issue, art) -> tuple[str, str]:
    """(everything the module prints, as a multiset source; the body's text in order)."""
    if art.continued_from:
        _, first = continuation_of(issue, art)
        return short_headline(first, art), ""
    d = art.deck
    caps = "".join(p.caption + p.credit for p in art.photos)
    body = art.dateline + "".join(art.paragraphs)
    extra = "（）" if art.byline_position == "after_dateline" and art.byline else ""
    return _plain(d.kicker + d.headline + d.subhead + body + art.byline + caps) + extra, _plain(body)


def _check_pdf(path, issue):
    with pdfplumber.open(path) as pdf:
        for page, pg in zip(issue.pages, pdf.pages):
            geo = page.geometry
            chars = [c for c in pg.chars if not c["text"].isspace()]
            for art in page.articles:
                mine = [c for c in chars if _in(art.module, c, geo)]
                printed = "".join(c["text"] for c in mine)
                want, body = _expected(issue, art)
                if art.continued_from or art.continued_on:
                    # a jumped article: its module prints a part of its text, plus 上接/下转
                    continue
                assert Counter(printed) == Counter(want), (
                    art.id, Counter(printed) - Counter(want), Counter(want) - Counter(printed))
                # the body's face (and the dateline's sans) at body size, in reading order
                # (the byline is Kai: left out unless the body is Kai too and it is at the end)
                size = art.body_size or BODY_SIZE
                kai = art.body_face == "kai"
                serif = [c for c in mine if abs(c["size"] - size) < 0.01
                         and (kai or "WenKai" not in c["fontname"])]
                extra = _plain(art.byline) if kai and art.byline_position == "end" else ""
                assert _body_order(serif, geo, art) == body + extra, art.id


def test_seed_page_round_trip(seed_pdf, seed_issue):
    path, _ = seed_pdf
    _check_pdf(path, seed_issue)


def test_example_round_trip(example_pdf):
    path, _, issue = example_pdf
    _check_pdf(path, issue)


def test_jumped_article_round_trip(example_pdf):
    """The jumped article's two parts, read back from two pages, make its text once."""
    path, _, issue = example_pdf
    parts = [(p, a) for p in issue.pages for a in p.articles if a.continued_on or a.continued_from]
    if not parts:
        pytest.skip("the example has no jump")
    with pdfplumber.open(path) as pdf:
        pages = {p.number: pg for p, pg in zip(issue.pages, pdf.pages)}
        text = ""
        first = None
        for page, art in sorted(parts, key=lambda pa: pa[1].continued_from != ""):
            geo = page.geometry
            mine = [c for c in pages[page.number].chars if not c["text"].isspace()
                    and _in(art.module, c, geo) and abs(c["size"] - BODY_SIZE) < 0.01
                    and "WenKai" not in c["fontname"]]
            text += _body_order(mine, geo)
            if not art.continued_from:
                first = art
    # Kai is the byline in brackets, the caption, the jump lines and the {kai:…} spans: the
    # text in the other faces is the dateline and the paragraphs less those spans
    spans = first.emphasis or [()] * len(first.paragraphs)
    want = "".join(t for para, sp in zip(first.paragraphs, spans)
                   for t, kinds in runs(para, sp) if "kai" not in kinds)
    assert text == _plain(first.dateline + want)
