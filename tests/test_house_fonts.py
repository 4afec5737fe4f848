"""A paper's own fonts (`fonts:` in the issue file): TrueType, OpenType/CFF and collection members
set a role, are embedded once each, extract exactly and pass preflight; what they lack falls back
to the bundled faces and `check --format json` says so; unusable files are located errors."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pikepdf
import pdfplumber
import pytest
import yaml

from fontkit import build_collection, build_font
from issuekit import TEXT, article, page, write_issue

ROOT = Path(__file__).resolve().parents[1]
# what the house font has: some of TEXT's hanzi and 𠮷 (beyond the BMP); not 3, 月, punctuation
HOUSE = "区委书记带队先后到街道办事处村和建设工地实地督导基层治理项目𠮷"
PARA = "区委书记带队到街道𠮷，3月到工地。"


def _run(*args, cwd: Path) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "layout", *args], cwd=cwd, env=env,
                          capture_output=True, text=True, timeout=600)


def _house_font(tmp: Path, fmt: str) -> dict:
    """The `fonts:` entry of a house serif in format `fmt` (a file in tmp/fonts)."""
    d = tmp / "fonts"
    d.mkdir(exist_ok=True)
    if fmt == "ttf":
        return {"file": str(build_font(d / "house.ttf", HOUSE, "HouseSerif").relative_to(tmp))}
    if fmt == "otf":
        return {"file": str(build_font(d / "house.otf", HOUSE, "HouseSerif", cff=True)
                            .relative_to(tmp))}
    decoy = build_font(d / "decoy.ttf", HOUSE, "DecoySerif", box=600)
    member = build_font(d / "member.ttf", HOUSE, "HouseSerif")
    build_collection(d / "house.ttc", [decoy, member])
    return {"file": "fonts/house.ttc", "index": 1}


def _issue(tmp: Path, fonts, headline: str = "示例标题", **art) -> Path:
    a = article("a1", {"column": 1, "span": 4, "line": 1, "lines": 20},
                paragraphs=[PARA], headline=headline, **art)
    return write_issue(tmp, [page(2, [a])], fonts=fonts)


def _fonts_of(pdf: Path) -> dict[str, pikepdf.Dictionary]:
    out = {}
    with pikepdf.open(pdf) as doc:
        for pg in doc.pages:
            for _, f in pg.Resources.Font.items():
                desc = f.DescendantFonts[0]
                fd = desc.FontDescriptor
                prog = fd.get("/FontFile2") or fd.get("/FontFile3")
                out.setdefault(str(f.BaseFont), dict(
                    subtype=str(desc.Subtype), file=("/FontFile2" if "/FontFile2" in fd
                                                     else "/FontFile3"),
                    program_subtype=str(prog.get("/Subtype", "")), objgen=f.objgen,
                    program=prog.read_bytes()))
    return out


@pytest.mark.parametrize("fmt", ["ttf", "otf", "ttc"])
def test_house_serif_in_each_format(tmp_path, fmt):
    issue = _issue(tmp_path, {"serif": _house_font(tmp_path, fmt)})
    r = _run("build", str(issue), "-o", "out.pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr                  # built and passed its own preflight
    fonts = _fonts_of(tmp_path / "out.pdf")
    house = [name for name in fonts if name.endswith("+HouseSerif")]
    assert len(house) == 1, list(fonts)                  # embedded once
    assert not [n for n in fonts if "Decoy" in n]        # the other member of the collection
    f = fonts[house[0]]
    if fmt == "otf":
        assert (f["subtype"], f["file"], f["program_subtype"]) == (
            "/CIDFontType0", "/FontFile3", "/CIDFontType0C")
        from fontTools.cffLib import CFFFontSet
        import io
        cff = CFFFontSet()
        cff.decompile(io.BytesIO(f["program"]), None)
        assert cff.topDictIndex[0].ROS == ("Adobe", "Identity", 0)   # CID-keyed
    else:
        assert (f["subtype"], f["file"]) == ("/CIDFontType2", "/FontFile2")
    with pdfplumber.open(tmp_path / "out.pdf") as pdf:
        chars = pdf.pages[0].chars
    text = "".join(c["text"] for c in chars)
    assert PARA in text                                   # extracts exactly, 𠮷 included
    by_char = {}
    for c in chars:
        by_char.setdefault(c["text"], set()).add(c["fontname"].split("+")[-1])
    assert by_char["区"] == {"HouseSerif"} and by_char["𠮷"] == {"HouseSerif"}
    assert by_char["月"] == {"NotoSerifCJKsc-Regular"}   # lacking: from the bundled serif
    r = _run("preflight", "out.pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stdout + r.stderr


def test_check_json_lists_fallbacks(tmp_path):
    issue = _issue(tmp_path, {"serif": _house_font(tmp_path, "ttf")})
    r = _run("check", str(issue), "--format", "json", cwd=tmp_path)
    assert r.returncode in (0, 1), r.stderr
    (art,) = json.loads(r.stdout)["pages"][0]["articles"]
    got = {(f["character"], f["code_point"], f["font"]) for f in art["fallbacks"]}
    assert ("月", "U+6708", "NotoSerifCJKsc-Regular") in got
    assert ("3", "U+0033", "NotoSerifCJKsc-Regular") in got
    assert not any(f["character"] in HOUSE for f in art["fallbacks"])
    assert all(Path(f["file"]).is_file() for f in art["fallbacks"])


def test_bundled_only_issue_has_no_fallbacks_for_body_text(tmp_path):
    issue = write_issue(tmp_path, [page(2, [article("a1", {"column": 1, "span": 4, "line": 1,
                                                          "lines": 20})])])
    r = _run("check", str(issue), "--format", "json", cwd=tmp_path)
    (art,) = json.loads(r.stdout)["pages"][0]["articles"]
    assert art["fallbacks"] == []


def test_deck_style_names_a_house_role(tmp_path):
    """fangsong (a new role) from the house sets the headline; a deck style may name it."""
    fonts = {"fangsong": _house_font(tmp_path, "ttf")}
    issue = _issue(tmp_path, fonts, headline="区委书记", deck_style={"headline": {"face": "fangsong"}})
    r = _run("build", str(issue), "-o", "out.pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    with pdfplumber.open(tmp_path / "out.pdf") as pdf:
        sizes = {}
        for c in pdf.pages[0].chars:
            sizes.setdefault(c["fontname"].split("+")[-1], set()).add(round(c["size"]))
    assert "HouseSerif" in sizes and min(sizes["HouseSerif"]) > 12    # headline sizes only


def test_two_houses_in_one_process_do_not_mix_widths(tmp_path):
    from layout.house import House
    from layout.text import fonts as F
    from layout.text.paragraph import set_line
    from layout.text.prepare import Style

    wide = build_font(tmp_path / "wide.ttf", HOUSE, "Wide", advance=1000)
    narrow = build_font(tmp_path / "narrow.ttf", HOUSE, "Narrow", advance=800)
    houses = [House.with_fonts({"serif": F.register_chain("serif", [F.register_file(f)])})
              for f in (wide, narrow)]
    widths = [set_line("区委书记", houses[k].style("serif", 10.0)).width for k in (0, 1, 0)]
    assert widths == [40.0, 32.0, 40.0]
    # the face key "serif" is the bundled face, whatever houses the process holds
    assert {g.face for g in set_line("区委书记", Style(face="serif", size=10.0)).glyphs} == {"serif"}


def _error(tmp_path, entry, *, raw: bytes | None = None) -> str:
    issue = _issue(tmp_path, {"serif": entry})
    r = _run("build", str(issue), "-o", "out.pdf", cwd=tmp_path)
    assert r.returncode == 2, (r.returncode, r.stderr)
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out.pdf").exists()
    line = next(i for i, s in enumerate(issue.read_text(encoding="utf-8").splitlines(), 1)
                if "fonts" in s)
    assert "issue.yaml:" in r.stderr
    assert int(r.stderr.split("issue.yaml:")[1].split(":")[0]) > line    # the entry's line
    return r.stderr


def test_restricted_licence_is_refused(tmp_path):
    (tmp_path / "fonts").mkdir()
    build_font(tmp_path / "fonts" / "r.ttf", HOUSE, "Restricted", fs_type=0x0002)
    err = _error(tmp_path, {"file": "fonts/r.ttf"})
    assert "fsType 0x0002" in err and "forbid embedding" in err


def test_bitmap_only_licence_is_refused(tmp_path):
    (tmp_path / "fonts").mkdir()
    build_font(tmp_path / "fonts" / "b.ttf", HOUSE, "BitmapOnly", fs_type=0x0200)
    assert "bitmaps only" in _error(tmp_path, {"file": "fonts/b.ttf"})


def test_bitmap_only_font_is_refused(tmp_path):
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.tables.DefaultTable import DefaultTable

    (tmp_path / "fonts").mkdir()
    p = build_font(tmp_path / "fonts" / "bm.ttf", HOUSE, "Bitmaps")
    tt = TTFont(str(p))
    del tt["glyf"], tt["loca"]
    for tag in ("EBDT", "EBLC"):
        t = DefaultTable(tag)
        t.data = b"\0\2\0\0"
        tt[tag] = t
    tt.save(str(p))
    assert "bitmap-only" in _error(tmp_path, {"file": "fonts/bm.ttf"})


def test_not_a_font_and_missing_file(tmp_path):
    (tmp_path / "fonts").mkdir()
    (tmp_path / "fonts" / "x.ttf").write_text("not a font\n")
    assert "not a TrueType or OpenType font" in _error(tmp_path, {"file": "fonts/x.ttf"})
    assert "no such file" in _error(tmp_path, {"file": "fonts/none.ttf"})


def test_collection_index_missing_or_out_of_range(tmp_path):
    _house_font(tmp_path, "ttc")
    err = _error(tmp_path, {"file": "fonts/house.ttc"})
    assert "collection of 2 fonts" in err and "1: HouseSerif" in err
    err = _error(tmp_path, {"file": "fonts/house.ttc", "index": 2})
    assert "no index 2" in err


def test_no_subsetting_bit_embeds_the_whole_font(tmp_path):
    (tmp_path / "fonts").mkdir()
    build_font(tmp_path / "fonts" / "w.ttf", HOUSE, "WholeSerif", fs_type=0x0100)
    issue = _issue(tmp_path, {"serif": {"file": "fonts/w.ttf"}})
    r = _run("build", str(issue), "-o", "out.pdf", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    from fontTools.ttLib import TTFont
    import io
    (prog,) = [f["program"] for n, f in _fonts_of(tmp_path / "out.pdf").items()
               if n.endswith("WholeSerif")]
    tt = TTFont(io.BytesIO(prog))
    glyf = tt["glyf"]
    drawn = [g for g in tt.getGlyphOrder() if glyf[g].numberOfContours]
    # every glyph drawn, not only those the page uses (HarfBuzz leaves .notdef empty)
    assert len(drawn) == len(set(HOUSE)) == len(tt.getGlyphOrder()) - 1


def test_house_fonts_file_named_by_the_issue(tmp_path):
    """fonts: house.yaml, paths relative to that file; `paiban fonts` lists the chain."""
    house_dir = tmp_path / "house"
    house_dir.mkdir()
    build_font(house_dir / "song.otf", HOUSE, "HouseSong", cff=True)
    (house_dir / "fonts.yaml").write_text(yaml.safe_dump({"serif": [{"file": "song.otf"}]}))
    issue = _issue(tmp_path, "house/fonts.yaml")
    r = _run("fonts", str(issue), "--format", "json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    serif = json.loads(r.stdout)["roles"]["serif"]
    first, fallback = serif["faces"][0], serif["faces"][1]
    assert first["name"] == "HouseSong" and first["format"] == "OpenType/CFF"
    assert Path(first["file"]) == house_dir / "song.otf"
    assert first["coverage"]["通用规范汉字表"] == [len(set(HOUSE)) - 1, 8105]   # 𠮷 is not in it
    assert fallback["name"] == "NotoSerifCJKsc-Regular"
    assert serif["coverage"]["通用规范汉字表"] == [8105, 8105]
    r = _run("fonts", str(issue), cwd=tmp_path)
    assert "sets HouseSong" in r.stdout and "通用规范汉字表 8,105/8,105" in r.stdout
