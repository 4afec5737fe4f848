"""碎栏 resolved in hand-made modules (issue 16 item 5, layout/compose/strips.py): a photo that
leaves a strip of fewer than 5 text lines is made taller (its strip's text moves on) or shorter
(the strip grows to 5), within its crop limits; what was done is a `strip-resolved` notice of
`paiban check` and a line of the build's summary; `strips: keep` leaves the photo as placed."""
from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pdfplumber
import pytest
from click.testing import CliRunner

from issue_fixtures import article, han, issue, paragraph_chars, photo, write
from layout.cli import main
from layout.model.load import load_issue

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"
REPORT_SCHEMA = json.loads((ROOT / "docs" / "check-report.schema.json").read_text(encoding="utf-8"))


def run(*args):
    return CliRunner().invoke(main, [*map(str, args)])


def check_json(path: Path) -> tuple[int, dict]:
    r = run("check", path, "--format", "json")
    data = json.loads(r.stdout)
    jsonschema.Draft202012Validator(REPORT_SCHEMA).validate(data)
    return r.exit_code, data


def findings(data: dict, aid: str) -> list[dict]:
    return [f for p in data["pages"] for a in p["articles"] if a["id"] == aid
            for f in a["findings"]]


def picture_and_lines_under(pdf: Path, k: int = 0) -> tuple[float, list[float]]:
    """The height (pt) of the page's k-th picture and the baselines of the body-size text in its
    columns below it."""
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        img = sorted(page.images, key=lambda i: (i["top"], i["x0"]))[k]
        under = sorted({round(c["bottom"], 1) for c in page.chars
                        if img["x0"] - 1 < c["x0"] < img["x1"] and c["top"] > img["bottom"]
                        and abs(c["size"] - 9) < 0.1})
        return img["height"], under


def two_columns(tmp_path: Path, lines: int, paras: list[int], keep: bool = False,
                line: int = 1) -> Path:
    """A 2-column module of `lines` grid lines; in its first column a 3:4 photo of 15 picture
    lines (no caption; its natural height there is 13 lines, so 10 to 20 are within its crop);
    paragraphs of the given numbers of lines."""
    photo(tmp_path / "photos", "p.jpg", (1200, 1600))
    ph = {"file": "photos/p.jpg", "place": {"column": 1, "span": 1, "line": line, "lines": 16}}
    if keep:
        ph["strips"] = "keep"
    art = article("s", (1, 2, 1, lines),
                  [han(paragraph_chars(n), 7 * i) for i, n in enumerate(paras)], photos=[ph])
    return write(tmp_path, issue([art]))


def pitch_of(path: Path) -> tuple[float, float]:
    geo = load_issue(path).pages[0].geometry
    return geo.line_pitch, geo.body_size


def test_a_photo_takes_its_strip_to_the_module_foot(tmp_path):
    # 20 lines of text; the photo leaves 2 of them under it: it grows 4 lines, to the foot, and
    # the 2 lines move on to the second column
    path = two_columns(tmp_path, 24, [10, 10])
    pitch, body = pitch_of(path)
    out = tmp_path / "out.pdf"
    r = run("build", path, "-o", out)
    assert r.exit_code == 0, r.output
    assert "碎栏已处理：图1下第1栏原剩 2 行，图1加高 4 行 (short strip resolved" in r.output
    height, under = picture_and_lines_under(out)
    assert height == pytest.approx((15 + 4 - 1) * pitch + body)
    assert under == []
    code, data = check_json(path)
    [f] = findings(data, "s")
    assert (code, data["status"], f["kind"], f["severity"]) == (0, "ok", "strip-resolved", "notice")
    assert (f["lines"], f["change"], f["paragraphs"], f["grid_columns"]) == (2, 4, [], [1, 1])
    assert data["summary"]["notices"] == 1 and data["summary"]["findings"] == 0
    assert f["line"] > 0                                  # at the photo in the issue file


def test_strips_keep_leaves_the_photo_as_placed(tmp_path):
    path = two_columns(tmp_path, 24, [10, 10], keep=True)
    pitch, body = pitch_of(path)
    out = tmp_path / "out.pdf"
    assert run("build", path, "-o", out).exit_code == 0
    height, under = picture_and_lines_under(out)
    assert height == pytest.approx((15 - 1) * pitch + body)
    assert len(under) == 2                                # the strip, reported
    code, data = check_json(path)
    assert code == 1
    kinds = [(f["kind"], f.get("lines")) for f in findings(data, "s")]
    assert ("short-strip", 2) in kinds and "strip-resolved" not in {k for k, _ in kinds}


def test_a_photo_made_shorter_leaves_five_lines_under_it(tmp_path):
    # 23 lines of text, 1 slot empty: a 4-line strip; taller runs over, 2 lines shorter leaves
    # 5 under it (and 3 slots empty, as the check allows)
    path = two_columns(tmp_path, 24, [12, 11])
    pitch, body = pitch_of(path)
    out = tmp_path / "out.pdf"
    r = run("build", path, "-o", out)
    assert r.exit_code == 0 and "图1减高 2 行" in r.output, r.output
    height, under = picture_and_lines_under(out)
    assert height == pytest.approx((15 - 2 - 1) * pitch + body)
    assert len(under) >= 5
    code, data = check_json(path)
    assert code == 0
    assert [(f["kind"], f["change"]) for f in findings(data, "s")] == [("strip-resolved", -2)]


def test_strips_must_be_resolve_or_keep(tmp_path):
    path = two_columns(tmp_path, 24, [10, 10], keep=True)
    path.write_text(path.read_text(encoding="utf-8").replace("strips: keep", "strips: maybe"),
                    encoding="utf-8")
    r = run("build", path, "-o", tmp_path / "out.pdf")
    line = next(k + 1 for k, ln in enumerate(path.read_text(encoding="utf-8").splitlines())
                if "strips:" in ln)
    assert r.exit_code == 2
    assert f"issue.yaml:{line}:" in r.output and "strips 'maybe' is not one of resolve, keep" \
        in r.output
    assert not (tmp_path / "out.pdf").exists()


def test_seed_page_strip_resolved_and_the_other_reported(tmp_path):
    """lishi-wenhua's photo takes its 2-line strip (2 lines taller, paragraph 3 a line tighter);
    wanggehua's 3-line strip cannot be resolved (3 taller runs over by 7 lines, 2 shorter
    leaves 7 empty) and stays a warning."""
    code, data = check_json(SEED)
    assert code == 1
    [f] = findings(data, "lishi-wenhua")
    assert (f["kind"], f["lines"], f["change"], f["paragraphs"]) == (
        "strip-resolved", 2, 2, [{"paragraph": 3, "lines": -1}])
    assert [g["kind"] for g in findings(data, "wanggehua")] == ["widow", "short-strip"]
    assert (data["summary"]["warnings"], data["summary"]["notices"]) == (2, 1)
    out = tmp_path / "seed.pdf"
    assert run("build", SEED, "-o", out).exit_code == 0
    height, under = picture_and_lines_under(out, 2)       # wanggehua's, shangpinfang's, this
    assert height == pytest.approx((17 + 2 - 1) * 12 + 9)
    assert len(under) == 2                                # its caption's lines, no text


def test_a_photo_takes_the_strip_over_it(tmp_path):
    # the photo from the 5th line under the deck: 4 text lines over it; it grows up by 4 to the
    # deck (its foot stays), and those lines move on
    path = two_columns(tmp_path, 24, [10, 10], line=5)
    pitch, body = pitch_of(path)
    out = tmp_path / "out.pdf"
    r = run("build", path, "-o", out)
    assert r.exit_code == 0 and "碎栏已处理：图1上第1栏原剩 4 行，图1加高 4 行" in r.output, r.output
    with pdfplumber.open(out) as doc:
        page = doc.pages[0]
        (img,) = page.images
        over = [c for c in page.chars if img["x0"] - 1 < c["x0"] < img["x1"]
                and c["bottom"] < img["top"] and abs(c["size"] - 9) < 0.1]
    assert img["height"] == pytest.approx((15 + 4 - 1) * pitch + body)
    assert over == []
    code, data = check_json(path)
    assert code == 0 and [(f["side"], f["change"]) for f in findings(data, "s")] == [("over", 4)]


def test_text_that_runs_over_is_cut_first(tmp_path):
    # 24 lines of text where 22 fit: a smaller photo would make room, but the overflow is the
    # editor's to cut (the copy changes); the strip is reported, the photo left as placed
    path = two_columns(tmp_path, 23, [12, 12])
    code, data = check_json(path)
    kinds = [(f["kind"], f.get("lines")) for f in findings(data, "s")]
    assert code == 1 and ("overflow", 2) in kinds and ("short-strip", 3) in kinds
    assert "strip-resolved" not in {k for k, _ in kinds}


def test_a_notice_fails_no_format(tmp_path):
    """The notice is a GitHub ::notice, no JUnit failure, and alone it exits 0."""
    import xml.etree.ElementTree as ET

    r = run("check", SEED, "--format", "github")
    assert [ln for ln in r.output.splitlines() if ln.startswith("::notice ")
            and "strip-resolved" in ln and "lishi-wenhua" in ln]
    r = run("check", SEED, "--format", "junit")
    root = ET.fromstring(r.output.split("\n", 1)[1])
    case = next(c for c in root.iter("testcase") if c.get("name") == "lishi-wenhua")
    assert case.find("failure") is None
    path = two_columns(tmp_path, 24, [10, 10])
    r = run("check", path)
    assert r.exit_code == 0 and ": notice: s: 碎栏已处理" in r.output
    assert r.output.rstrip().endswith("all 1 articles fit; no findings; 1 notice")


@pytest.mark.parametrize("value", ["abc", "1.5", "0", "true"])     # as written in the YAML
def test_a_bad_min_ppi_is_the_located_error_not_a_crash(tmp_path, value):
    """The 碎栏 resolution (and the planner) read print: min_ppi before the print section is
    read as a whole: a bad value must reach that reader, which says where it is (exit 2), not
    end the build as an internal error (exit 3), and must not change how the page is planned."""
    import shutil

    shutil.copytree(SEED.parent / "photos", tmp_path / "photos")
    for name, source in (("seed.yaml", SEED), ("planned.yaml",
                                               ROOT / "examples" / "seed-planned.yaml")):
        text = source.read_text(encoding="utf-8")
        if source.parent != SEED.parent:
            text = text.replace("../issues/photos/", "photos/")
        text = text.replace("\ndate:", f"\nprint:\n  min_ppi: {value}\ndate:", 1)
        (tmp_path / name).write_text(text, encoding="utf-8")
    r = run("build", tmp_path / "seed.yaml", "-o", tmp_path / "out.pdf")
    assert r.exit_code == 2, r.output
    assert "seed.yaml:" in r.output and "print.min_ppi" in r.output
    assert "internal error" not in r.output and not (tmp_path / "out.pdf").exists()
    planned = run("plan", tmp_path / "planned.yaml")
    good = run("plan", ROOT / "examples" / "seed-planned.yaml")
    assert planned.exit_code == good.exit_code == 0, planned.output
    assert planned.stdout.replace(str(tmp_path), "") == good.stdout.replace(
        str(ROOT / "examples"), ""), planned.output
