"""Vertical headlines (竖题), read back from the PDF: glyphs top to bottom, columns right to
left, vertical punctuation forms, digits and Latin as a reader expects, the body beside."""
from __future__ import annotations

from issuekit import article, build, page, write_issue


def glyphs_for(pdf, font: str) -> dict[str, set[int]]:
    """Text → the glyph ids a PDF's embedded `font` draws for it (from its ToUnicode map)."""
    import re

    import pikepdf

    out: dict[str, set[int]] = {}
    with pikepdf.open(pdf) as doc:
        for pg in doc.pages:
            for _, f in pg.Resources.Font.items():
                if str(f.BaseFont).endswith("+" + font):
                    cmap = f.ToUnicode.read_bytes().decode()
                    for gid, hexs in re.findall(r"<([0-9A-F]{4})> <([0-9A-F]+)>", cmap):
                        out.setdefault(bytes.fromhex(hexs).decode("utf-16-be"), set()).add(
                            int(gid, 16))
    return out


def _cmap(name: str) -> dict[int, int]:
    """Code point → glyph id of a bundled font, read with fontTools."""
    from pathlib import Path

    from fontTools.ttLib import TTFont

    tt = TTFont(str(Path(__file__).resolve().parents[1] / "fonts" / name), lazy=True)
    return {cp: tt.getGlyphID(g) for cp, g in tt.getBestCmap().items()}


def _columns(chars, size):
    """Head glyphs of `size` grouped into columns (by x centre), right to left, each top to bottom."""
    cols: list[list[dict]] = []
    for c in sorted(chars, key=lambda c: -(c["x0"] + c["x1"]) / 2):
        if abs(c["size"] - size) > 0.01 or not c["upright"]:
            continue
        xc = (c["x0"] + c["x1"]) / 2
        for col in cols:
            if abs((col[0]["x0"] + col[0]["x1"]) / 2 - xc) < size * 0.3:
                col.append(c)
                break
        else:
            cols.append([c])
    return [sorted(col, key=lambda c: c["top"]) for col in cols]


def test_example_vertical_head_reads_top_to_bottom_right_to_left(example_pdf, example_pages):
    _, result, issue = example_pdf
    art = next(a for a in issue.pages[1].articles if a.id == "jiuye")
    rep = next(r for r in result.pages[1].reports if r.id == "jiuye")
    assert rep.headline_fits and rep.headline_size >= 24
    chars = example_pages[1]["chars"]
    cols = _columns(chars, rep.headline_size)
    text = "".join(c["text"] for col in cols for c in col)
    assert text == art.deck.headline.replace(" ", "")
    for col in cols:                    # strictly downward, one em per cell at least
        tops = [c["top"] for c in col]
        assert all(b - a >= rep.headline_size - 0.01 for a, b in zip(tops, tops[1:]))
    # The kicker: its own column, right of the headline, smaller.
    kick = [c for c in chars if c["text"] in art.deck.kicker and 10 < c["size"] < rep.headline_size
            and c["x0"] > max(c2["x1"] for col in cols for c2 in col) - 0.01]
    assert "".join(c["text"] for c in sorted(kick, key=lambda c: c["top"])) == art.deck.kicker
    # The head stands at the module's right edge; the body beside it never enters its cells.
    geo = issue.pages[1].geometry
    m = art.module
    right = geo.column_x(m.last_column) + geo.column_width
    head_cells = [c for col in cols for c in col]
    assert max(c["x1"] for c in kick) <= right + 0.01
    assert min(c["x0"] for c in head_cells) >= geo.column_x(m.last_column) - 0.01
    bottom = max(c["bottom"] for c in head_cells)
    body = [c for c in chars if abs(c["size"] - 9) < 0.01 and c["x0"] >= geo.column_x(m.last_column) - 0.01
            and geo.line_top(m.line) <= c["top"] <= bottom]
    assert not body


def test_vertical_forms_digits_and_latin(tmp_path):
    head = "春天，“5G”基站建到村口 2025年APEC会议"
    path = write_issue(tmp_path, [page(2, [article(
        "v", {"column": 1, "span": 3, "line": 1, "lines": 60}, headline=head,
        headline_vertical={"side": "right", "columns": 1},
        deck_style={"headline": {"size": 24, "lines": 3}})])])
    result, pages = build(path)
    chars = pages[0]
    assert result.pages[0].reports[0].headline_fits
    upright = [c for c in chars if abs(c["size"] - 24) < 0.01 and c["upright"]]
    texts = "".join(c["text"] for c in upright)
    # the marks are the face's vertical alternates (GSUB vert), the text the source's: ， and
    # “ ” extract as written; the glyphs are those of ︐ and (GB/T 15834) of ﹃ ﹄
    assert "，" in texts and "“" in texts and "”" in texts
    drawn = glyphs_for(path.with_suffix(".pdf"), "NotoSerifCJKsc-Bold")
    cmap = _cmap("NotoSerifCJKsc-Bold.ttf")
    for ch, form in (("，", "\ufe10"), ("“", "\ufe43"), ("”", "\ufe44")):
        assert drawn[ch] == {cmap[ord(form)]}, ch
    # 5G: upright side by side in one cell (纵中横)
    five = next(c for c in chars if c["text"] == "5")
    g = next(c for c in chars if c["text"] == "G")
    assert five["upright"] and abs(five["top"] - g["top"]) < 0.5 and g["x0"] > five["x0"]
    # 2025 and APEC: rotated, reading downward (pdfplumber: not upright)
    rot = [c for c in chars if c["text"] in "2025APEC" and not c["upright"]]
    assert "".join(c["text"] for c in sorted(rot, key=lambda c: c["top"])) == "2025APEC"
    assert all(abs(c["matrix"][0]) < 1e-6 and c["matrix"][1] < 0 for c in rot)
    # Reading order over the columns: right to left, each top to bottom.
    order = []
    cols = _columns([c for c in chars if abs(c["size"] - 24) < 0.05 or c in rot], 24)
    xs = [sum(c["x0"] for c in col) / len(col) for col in cols]
    assert xs == sorted(xs, reverse=True)
    for col in cols:
        order += [c["text"] for c in col]
    got = "".join(order)
    assert got.startswith("春天，“")


def test_left_vertical_head_and_body_on_its_right(tmp_path):
    path = write_issue(tmp_path, [page(2, [article(
        "v", {"column": 2, "span": 3, "line": 5, "lines": 40}, headline="左边的竖题",
        headline_vertical={"side": "left"})])])
    result, pages = build(path)
    from layout.model.geometry import PRESETS
    geo = PRESETS["tabloid"]
    head = [c for c in pages[0] if c["size"] > 12 and c["top"] > geo.margin_top]
    assert head and all(geo.column_x(2) - 0.01 <= c["x0"] and c["x1"] <= geo.column_x(2) + geo.column_width + 0.01
                        for c in head)
    assert "".join(c["text"] for c in sorted(head, key=lambda c: c["top"])) == "左边的竖题"
