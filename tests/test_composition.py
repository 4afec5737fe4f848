"""Page composition (issue 4), read back from the PDFs: decks, photos, furniture, boxes,
bylines. Most tests read the 4-page tabloid example; a few build small issues of their own."""
from __future__ import annotations

import pytest

from layout.errors import IssueFileError
from layout.model.load import load_issue

from issuekit import PHOTOS, article, build, page, write_issue
from pdfread import lines_of


def _squash(s: str) -> str:
    return "".join(s.split()).replace("\u3000", "")


def _module_rect(geo, box):
    x0 = geo.column_x(box.column)
    return x0, geo.line_top(box.line), x0 + geo.span_width(box.span), geo.line_top(box.line + box.lines)


def _inside(c, rect, tol=0.05):
    x0, top, x1, bottom = rect
    return x0 - tol <= c["x0"] and c["x1"] <= x1 + tol and top - tol <= c["top"] and c["bottom"] <= bottom + tol


def _article(issue, aid):
    for n, p in enumerate(issue.pages):
        for a in p.articles:
            if a.id == aid:
                return n, p, a
    raise KeyError(aid)


def _report(result, aid):
    return next(r for p in result.pages for r in p.reports if r.id == aid)


def _deck_chars(pages, issue, aid, body_size=9.0):
    n, p, a = _article(issue, aid)
    rect = _module_rect(p.geometry, a.module)
    return [c for c in pages[n]["chars"] if _inside(c, rect) and c["size"] > body_size + 0.5]


# --- decks ------------------------------------------------------------------------------------

def test_deck_order_and_sizes(example_pdf, example_pages):
    """引题 above 主题 above 副题; the kicker in the house style (小四 = 12 pt, sans-bold), the
    subhead at most 四号 (14 pt), the headline the largest and centred on its span."""
    _, result, issue = example_pdf
    n, p, a = _article(issue, "jiaoyu")
    deck = _deck_chars(example_pages, issue, "jiaoyu")
    kicker = [c for c in deck if abs(c["size"] - 12.0) < 0.01]
    rep = _report(result, "jiaoyu")
    head = [c for c in deck if abs(c["size"] - rep.headline_size) < 0.01]
    geo = p.geometry
    body_top = min(c["top"] for c in example_pages[n]["chars"]
                   if abs(c["size"] - 9) < 0.01 and _inside(c, _module_rect(geo, a.module)))
    sub = [c for c in example_pages[n]["chars"] if 12.0 < c["size"] <= 14.0 + 0.01
           and _inside(c, _module_rect(geo, a.module)) and c["top"] < body_top]
    assert _squash("".join(c["text"] for c in kicker)) == _squash(a.deck.kicker)
    assert _squash("".join(c["text"] for c in head)) == _squash(a.deck.headline)
    assert _squash("".join(c["text"] for c in sub)) == _squash(a.deck.subhead)
    assert max(c["bottom"] for c in kicker) <= min(c["top"] for c in head)
    assert max(c["bottom"] for c in head) <= min(c["top"] for c in sub)
    assert rep.headline_size > 14.0 and rep.headline_fits
    assert all("WenKai" in c["fontname"] or "Kai" in c["fontname"] for c in sub)
    # Centred: the head's lines sit symmetrically in the span (within a point).
    x0, _, x1, _ = _module_rect(geo, a.module)
    for line in lines_of(head):
        assert abs((line[0]["x0"] - x0) - (x1 - line[-1]["x1"])) < 1.0


def test_main_heads_fit_their_span(example_pdf, example_pages):
    _, result, issue = example_pdf
    checked = 0
    for n, p in enumerate(issue.pages):
        for a in p.articles:
            if not a.deck.headline or a.deck.vertical:
                continue
            rep = _report(result, a.id)
            assert rep.headline_fits, a.id
            x0, _, x1, _ = _module_rect(p.geometry, a.module)
            head = [c for c in example_pages[n]["chars"] if abs(c["size"] - rep.headline_size) < 0.01
                    and x0 - 50 < c["x0"] < x1 + 50 and c["text"].strip()]
            head = [c for c in head if _inside(c, (x0, p.geometry.line_top(a.module.line), x1,
                                                    p.geometry.line_top(a.module.last_line + 1)))]
            assert head, a.id
            assert min(c["x0"] for c in head) >= x0 - 0.01 and max(c["x1"] for c in head) <= x1 + 0.01
            assert len({round(c["baseline"], 1) for c in head}) == rep.headline_lines <= 3
            checked += 1
    assert checked >= 10


def test_decks_take_whole_lines(example_pdf, example_pages):
    """Every body line of every page sits on the page's one baseline grid, so the first body
    line under a deck too: the deck took a whole number of lines."""
    _, _, issue = example_pdf
    for n, p in enumerate(issue.pages):
        geo = p.geometry
        first = geo.margin_top + (geo.line_pitch - geo.body_size) / 2 + 0.88 * geo.body_size
        top = geo.line_top(issue.masthead.lines + 1) if p.number == 1 else geo.margin_top
        body = [c for c in example_pages[n]["chars"] if abs(c["size"] - geo.body_size) < 0.01
                and top < c["top"] < geo.margin_top + geo.type_height and c["upright"]]
        assert len(body) > 1000
        for c in body:
            k = (c["baseline"] - first) / geo.line_pitch
            assert abs(k - round(k)) * geo.line_pitch < 0.01, (n + 1, c["text"], c["baseline"])


def test_deck_style_tracking_and_face(example_pdf, example_pages):
    """今日导读: deck_style headline {size: 小三, face: sans-bold, tracking: 0.3}: 15 pt glyphs
    1.3 em apart."""
    _, _, issue = example_pdf
    head = [c for c in _deck_chars(example_pages, issue, "daodu") if abs(c["size"] - 15.0) < 0.01]
    assert "".join(c["text"] for c in head) == "今日导读"
    steps = [b["x0"] - a["x0"] for a, b in zip(head, head[1:])]
    assert all(abs(s - 1.3 * 15) < 0.05 for s in steps), steps


def test_hao_sizes_and_style_keys_load(tmp_path):
    path = write_issue(tmp_path, [page(2, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 40},
                       deck_style={"headline": {"size": "小一", "face": "kai", "tracking": 0.05},
                                   "kicker": {"max_size": "四号", "min_size": 10}},
                       kicker="引题")])])
    a = load_issue(path).pages[0].articles[0]
    assert a.deck.headline_style.size == 24.0 and a.deck.headline_style.face == "kai"
    assert a.deck.headline_style.tracking == 0.05
    assert a.deck.kicker_style.max_size == 14.0 and a.deck.kicker_style.min_size == 10.0


@pytest.mark.parametrize("style, message", [
    ({"headline": {"face": "comic"}}, "face 'comic' is not one of"),
    ({"headline": {"size": "大五"}}, "is not a size"),
    ({"headline": {"tracking": 3}}, "tracking must be"),
    ({"headline": {"min_size": 30, "max_size": 20}}, "larger than max_size"),
    ({"title": {"size": 20}}, "unknown key 'title'"),
])
def test_deck_style_errors(tmp_path, style, message):
    path = write_issue(tmp_path, [page(2, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 40},
                                                   deck_style=style)])])
    with pytest.raises(IssueFileError, match=message):
        load_issue(path)


def test_head_that_cannot_fit_is_reported_not_shrunk(tmp_path):
    path = write_issue(tmp_path, [page(2, [article(
        "narrow", {"column": 1, "span": 1, "line": 1, "lines": 40},
        headline="这是一个在一栏里怎么也排不下的非常非常长的主标题",
        deck_style={"headline": {"min_size": 20, "lines": 2}})])])
    result, pages = build(path)
    rep = result.pages[0].reports[0]
    assert rep.headline_fits is False
    assert rep.headline_size == 20.0
    assert any(abs(c["size"] - 20.0) < 0.01 for c in pages[0])


def test_head_breaks_between_words(tmp_path):
    """No spaces: the head breaks between words (支部 / 建设 stay whole), lines balanced."""
    from layout.compose.deck import fit_lines, part_spec
    from layout.house import BUNDLED
    from layout.model.document import PartStyle
    spec = part_spec("headline", PartStyle(), span=2, house=BUNDLED)
    fit = fit_lines("加强五星支部建设推动基层治理现代化", spec, 2 * 99 + 9)
    assert fit.fits and len(fit.lines) == 2
    assert fit.lines == ["加强五星支部建设", "推动基层治理现代化"]
    for text in ("发动群众依靠群众打造共治共建共享治理新格局", "党建引领五星支部创建工作推进会"):
        for width in (150, 200, 260):
            f = fit_lines(text, spec, width)
            cuts = [sum(len(x) for x in f.lines[:k]) for k in range(1, len(f.lines))]
            for word in ("支部", "建设", "群众", "治理", "格局", "创建", "推进"):
                at = text.find(word)
                if at >= 0:
                    assert not any(at < c < at + len(word) for c in cuts), (text, width, f.lines)


def test_spaces_are_the_editors_breaks_and_no_word_list_needed():
    from layout.compose import segment
    from layout.compose.deck import fit_lines, part_spec
    from layout.house import BUNDLED
    from layout.model.document import PartStyle
    segment._model.cache_clear()
    spec = part_spec("headline", PartStyle(), span=4, house=BUNDLED)
    fit = fit_lines("高效统筹 靠前服务 高质高效完成保交楼任务", spec, 4 * 117 + 27)
    assert fit.lines == ["高效统筹\u3000靠前服务", "高质高效完成保交楼任务"]
    assert segment._model.cache_info().currsize == 0      # the word list was not read


def test_segmenter():
    from layout.compose.segment import boundaries, segment
    assert segment("加强支部建设") == ["加强", "支部", "建设"]
    # 张 艳 敏: single characters the list does not join stay together (a name)
    assert not boundaries("张艳敏调研督导") & {1, 2}


# --- photos -----------------------------------------------------------------------------------

def _photo_checks(issue, pages, result):
    """Every picture inside its module, its caption (Kai) right under it, no body text over it."""
    checked = 0
    for n, p in enumerate(issue.pages):
        geo = p.geometry
        h = pages[n]["height"]
        imgs = pages[n]["images"]
        for a in p.articles:
            rect = _module_rect(geo, a.module)
            for ph in a.photos:
                cands = [i for i in imgs if rect[0] - 0.01 <= i["x0"] and i["x1"] <= rect[2] + 0.01
                         and rect[1] - 0.01 <= i["top"] and i["bottom"] <= rect[3] + 0.01]
                assert cands, (a.id, ph.file.name)
                img = cands[0]
                imgs = [i for i in imgs if i is not img]
                cap = _squash(ph.caption + ph.credit)
                below = [c for c in pages[n]["chars"] if img["x0"] - 0.01 <= c["x0"]
                         and c["x1"] <= img["x1"] + 0.01 and img["bottom"] <= c["top"] <= img["bottom"] + 60
                         and "Kai" in c["fontname"]]
                text = _squash("".join(c["text"] for c in sorted(below, key=lambda c: (round(c["top"]), c["x0"]))))
                assert text.startswith(cap[:12]), (a.id, text[:20])
                over = [c for c in pages[n]["chars"] if c["x1"] > img["x0"] + 0.1 and c["x0"] < img["x1"] - 0.1
                        and c["bottom"] > img["top"] + 0.1 and c["top"] < img["bottom"] - 0.1]
                assert not over, (a.id, "".join(c["text"] for c in over)[:20])
                # The caption ends above the next body line of its columns: no overlap.
                cap_chars = [c for c in below if c["top"] >= img["bottom"]]
                for c in pages[n]["chars"]:
                    if c in cap_chars or abs(c["size"] - 9) > 0.01:
                        continue
                    for k in cap_chars:
                        assert not (c["x1"] > k["x0"] + 0.1 and c["x0"] < k["x1"] - 0.1
                                    and c["bottom"] > k["top"] + 0.1 and c["top"] < k["bottom"] - 0.1)
                checked += 1
    return checked


def test_photos_in_frame_captions_under(example_pdf, example_pages):
    _, result, issue = example_pdf
    assert _photo_checks(issue, example_pages, result) >= 7


def test_photo_height_by_aspect(example_pdf, example_pages):
    """yundong: place without lines, aspect 4:3 → the frame is 4:3 to within half a line."""
    _, _, issue = example_pdf
    n, p, a = _article(issue, "yundong")
    img = [i for i in example_pages[n]["images"] if i["width"] > 400][0]
    want = p.geometry.span_width(4) / (4 / 3)
    assert abs(img["height"] - want) <= p.geometry.line_pitch / 2 + 0.01


def test_jpeg_png_tiff_all_placed(example_pdf):
    import pikepdf
    path, _, issue = example_pdf
    kinds = {ph.file.suffix for p in issue.pages for a in p.articles for ph in a.photos}
    assert {".jpg", ".png", ".tif"} <= kinds
    pdf = pikepdf.open(path)
    count = sum(len([k for k, v in pg.images.items()]) for pg in pdf.pages)
    # every picture (a 组图 has several) + the ad
    assert count == sum(len(ph.files) for p in issue.pages for a in p.articles
                        for ph in a.photos) + 1


def test_focus_crop(example_pdf):
    """The lead photo (2.26:1) in a 3:2 frame is cropped around focus [0.82, 0.7]: the embedded
    image is the right-hand part of the picture, not its middle."""
    import numpy as np
    import pikepdf
    from PIL import Image

    from layout.output.images import crop_box
    path, result, issue = example_pdf
    pic = next(pc for pc in result.pages[0].pictures if pc.article == "jiaoyu")
    src = Image.open(PHOTOS / "chengqu-xuexiao.jpg").convert("RGB")
    box = crop_box(src.width, src.height, pic.width, pic.height, (0.82, 0.7))
    assert box[2] == src.width                       # pushed against the right edge
    centre = crop_box(src.width, src.height, pic.width, pic.height, (0.5, 0.5))
    pdf = pikepdf.open(path)
    imgs = [pikepdf.PdfImage(v) for v in pdf.pages[0].images.values()]
    emb = next(i for i in imgs if (i.width, i.height) == (box[2] - box[0], box[3] - box[1]))
    got = np.asarray(emb.as_pil_image().convert("L"), dtype=float).ravel()
    want = np.asarray(src.crop(box).convert("L"), dtype=float).ravel()
    middle = np.asarray(src.crop(centre).convert("L"), dtype=float).ravel()
    # Colour management changes the tones, not the picture: compare by correlation.
    assert np.corrcoef(got, want)[0, 1] > 0.95
    assert np.corrcoef(got, want)[0, 1] > np.corrcoef(got, middle)[0, 1] + 0.1


@pytest.mark.parametrize("mode", ["RGBA", "P", "L", "I;16", "CMYK"])
def test_image_modes_prepared(tmp_path, mode):
    from PIL import Image

    from layout.output.images import prepare_picture
    img = Image.new("RGB", (40, 30), (200, 50, 50))
    if mode == "I;16":
        img = Image.new("I;16", (40, 30), 30000)
        path = tmp_path / "x.tif"
        img.save(path)
    else:
        img = img.convert(mode)
        path = tmp_path / ("x.png" if mode != "CMYK" else "x.tif")
        img.save(path)
    out = prepare_picture(path, 40, 20)
    assert out.mode == "CMYK" and out.size == (40, 20)


# --- furniture --------------------------------------------------------------------------------

def _above_type_area(pages, issue, n):
    geo = issue.pages[n].geometry
    return [c for c in pages[n]["chars"] if c["bottom"] <= geo.margin_top + 0.5]


def test_running_heads_and_folios(example_pdf, example_pages):
    _, _, issue = example_pdf
    for n in range(1, 4):
        p = issue.pages[n]
        text = "".join(c["text"] for c in _above_type_area(example_pages, issue, n))
        assert f"第{p.number}版" in text
        assert p.section in text and issue.paper in text
        assert "2025年4月18日" in text and "星期五" in text
        # the folio at the outer edge: left on even pages, right on odd ones
        folio = [c for c in _above_type_area(example_pages, issue, n) if c["text"] == "版"][0]
        mid = example_pages[n]["width"] / 2
        assert (folio["x0"] < mid) == (p.number % 2 == 0)


def test_masthead_on_page_one(example_pdf, example_pages):
    _, _, issue = example_pdf
    geo = issue.pages[0].geometry
    top = [c for c in example_pages[0]["chars"]
           if c["top"] < geo.line_top(issue.masthead.lines + 1)
           and c["x1"] <= geo.column_x(1) + geo.span_width(issue.masthead.span) + 0.1]
    text = "".join(c["text"] for c in top)
    name = [c for c in top if c["size"] > 40]
    assert "".join(c["text"] for c in name) == "青岚新闻"
    for s in ("2025年4月18日", "星期五", "第2817期", "今日4版"):
        assert s in text, s
    assert not any("第1版" in "".join(c["text"] for c in _above_type_area(example_pages, issue, 0))
                   for _ in [0])


def test_editors_credit(example_pdf, example_pages):
    """In the running head on inner pages, at the foot of page 1."""
    _, _, issue = example_pdf
    for n, p in enumerate(issue.pages):
        geo = p.geometry
        if p.number == 1:
            where = [c for c in example_pages[n]["chars"] if c["top"] > geo.margin_top + geo.type_height]
        else:
            where = _above_type_area(example_pages, issue, n)
        text = "".join(c["text"] for c in where)
        for role, name in p.editors:
            assert f"{role}：{name}" in text


def test_box_rules_around_a_module(example_pdf, example_pages):
    _, _, issue = example_pdf
    n, p, a = _article(issue, "duanping")
    geo = p.geometry
    x0, top, x1, bottom = _module_rect(geo, a.module)
    segs = example_pages[n]["lines"] + example_pages[n]["rects"]
    vert = [l for l in segs if abs(l["x0"] - l["x1"]) < 1.5 and l["bottom"] - l["top"] > 100]
    horiz = [l for l in segs if abs(l["top"] - l["bottom"]) < 1.5 and l["x1"] - l["x0"] > 100]
    assert any(abs(l["x0"] - x0) < 1 for l in vert) and any(abs(l["x1"] - x1) < 1 for l in vert)
    assert sum(1 for l in horiz if abs(l["x0"] - x0) < 1.5 and abs(l["x1"] - x1) < 1.5) >= 2
    body = [c for c in example_pages[n]["chars"] if _inside(c, (x0, top, x1, bottom))]
    assert body and all(x0 + 4 < c["x0"] and c["x1"] < x1 - 4 for c in body)


# --- datelines and bylines --------------------------------------------------------------------

def test_byline_in_brackets_after_the_dateline(example_pdf, example_pages):
    _, _, issue = example_pdf
    n, p, a = _article(issue, "jiaoyu")
    rect = _module_rect(p.geometry, a.module)
    body = [c for c in example_pages[n]["chars"] if _inside(c, rect) and abs(c["size"] - 9) < 0.01]
    geo = p.geometry
    col = lambda c: int((c["x0"] - geo.margin_left + geo.gutter / 2) // (geo.column_width + geo.gutter))
    body.sort(key=lambda c: (col(c), round(c["baseline"], 1), c["x0"]))
    lines = []
    for c in body:
        key = (col(c), round(c["baseline"], 1))
        if not lines or lines[-1][0] != key:
            lines.append((key, ""))
        lines[-1] = (key, lines[-1][1] + c["text"])
    lines = [t for _, t in lines]
    joined = _squash("".join(lines))
    assert "本报讯（记者程晓岚通讯员马骏）4月17日" in joined
    for name in ("程晓岚", "马骏", "记者程晓岚", "通讯员马骏"):
        assert any(name in _squash(ln) for ln in lines), name      # never broken inside
    lead = [c for c in body if c["text"] in "本报讯"][:3]
    assert all("Bold" in c["fontname"] or "Sans" in c["fontname"] for c in lead)


def test_names_never_broken_in_narrow_columns(tmp_path):
    from layout.flow.body import Body
    from layout.house import BUNDLED
    from layout.model.load import load_issue
    for k in range(6):
        path = write_issue(tmp_path, [page(2, [article(
            "a", {"column": 1, "span": 2, "line": 1, "lines": 40}, dateline="本报讯" + "讯" * 0,
            paragraphs=["甲" * k + "3月14日，" + "区委书记带队调研基层治理工作。" * 3],
            byline="记者 欧阳文博 通讯员 司马相如 见习记者 诸葛明", byline_position="after_dateline")])])
        art = load_issue(path).pages[0].articles[0]
        art = art.__class__(**{**art.__dict__, "paragraphs": ("甲" * k + art.paragraphs[0],)})
        body = Body(load_issue(path).pages[0].geometry, art, 99.0, BUNDLED)
        lines = [ln.text for ln in body.lines()]
        for name in ("欧阳文博", "司马相如", "诸葛明"):
            assert any(name in ln for ln in lines), (k, lines[:3])
