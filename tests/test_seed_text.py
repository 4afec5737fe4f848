"""The seed page as an issue file: every character of the seed text is in it, in order.

The seed (/work/shared/seed/guancheng-page.txt) is text extracted from a printed page: half-width
punctuation where the paper had full width, paragraphs split at column and page breaks. The issue
file (issues/guancheng-2023-03-17.yaml) restores both; these tests prove nothing else changed.
"""
from __future__ import annotations

import importlib.util
import os
import re
import sys
from pathlib import Path

import pytest
import yaml
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
ISSUE = ROOT / "issues" / "guancheng-2023-03-17.yaml"
SCRIPT = ROOT / "scripts" / "make_placeholder_photos.py"
# A copy of ../shared/seed/guancheng-page.txt, kept so that the test stands on its own.
SEED = Path(os.environ.get("PAIBAN_SEED", ROOT / "tests" / "data" / "guancheng-page.txt"))

FULL_WIDTH = str.maketrans({",": "，", ";": "；", ":": "：", "(": "（", ")": "）", "?": "？", "!": "！"})
CJK = "\u3400-\u9fff\uf900-\ufaff"

COLUMN_PT, GUTTER_PT, LINE_PT = 117, 9, 12

# Paragraphs per article once the column/page breaks are rejoined.
PARAGRAPHS = {"wanggehua": 4, "shangpinfang": 2, "lishi-wenhua": 4, "baojiaolou": 3}


@pytest.fixture(scope="module")
def issue():
    with open(ISSUE, encoding="utf-8") as f:
        return yaml.safe_load(f)


@pytest.fixture(scope="module")
def articles(issue):
    return [a for page in issue["pages"] for a in page["articles"]]


def _squeeze(s: str) -> str:
    return re.sub(r"\s+", "", s)


def test_header(issue):
    assert issue["paper"] == "管城新闻"
    assert str(issue["date"]) == "2023-03-17"
    assert re.fullmatch(r"第\d+期", issue["number"])
    (page,) = issue["pages"]
    assert (page["number"], page["section"], page["geometry"]) == (3, "要闻", "broadsheet")
    assert list(page["editors"]) == ["责任编辑", "美术编辑", "校对"]


def test_articles_and_ids(articles):
    ids = [a["id"] for a in articles]
    assert len(articles) == 4
    assert len(set(ids)) == 4
    assert ids == list(PARAGRAPHS)


def test_paragraph_counts(articles):
    assert {a["id"]: len(a["paragraphs"]) for a in articles} == PARAGRAPHS
    for a in articles:
        assert all(isinstance(p, str) and p and p == p.strip() for p in a["paragraphs"])


@pytest.mark.skipif(not SEED.is_file(), reason=f"seed text not found at {SEED} (set PAIBAN_SEED)")
def test_text_is_complete(articles):
    """Normalised seed == deck + dateline + paragraphs + byline of each article, in order."""
    seed = _squeeze(SEED.read_text(encoding="utf-8").translate(FULL_WIDTH))
    parts = []
    for a in articles:
        for key in ("kicker", "headline", "subhead"):
            parts.append(_squeeze(a.get(key) or ""))
        parts.append(a.get("dateline", ""))
        parts.extend(a["paragraphs"])
        parts.append(_squeeze(a["byline"]))
    ours = "".join(parts)
    if ours != seed:  # point at the first difference
        i = next((k for k, (x, y) in enumerate(zip(ours, seed)) if x != y), min(len(ours), len(seed)))
        pytest.fail(f"differs at {i}: issue …{ours[max(0, i - 20):i + 20]}… seed …{seed[max(0, i - 20):i + 20]}…")


def test_no_half_width_punctuation_in_chinese(articles):
    pattern = re.compile(rf"[{CJK}“”][,;:()?!]|[,;:()?!][{CJK}“”]")
    for a in articles:
        for text in [a.get("kicker", ""), a["headline"], a.get("subhead", ""), *a["paragraphs"],
                     *[p.get("caption", "") for p in a.get("photos", [])]]:
            assert not pattern.search(text or ""), (a["id"], pattern.search(text).group())


def test_paragraphs_end_a_sentence(articles):
    for a in articles:
        for p in a["paragraphs"]:
            assert p[-1] in "。！？”", (a["id"], p[-10:])


def test_photos_exist_and_are_sharp_enough(articles):
    photos = [(a, p) for a in articles for p in a.get("photos", [])]
    assert [a["id"] for a, _ in photos] == ["wanggehua", "shangpinfang", "lishi-wenhua"]
    for a, photo in photos:
        assert a["byline"].endswith("文/图")
        path = ISSUE.parent / photo["file"]
        assert path.is_file(), path
        assert photo["caption"] and photo["credit"].endswith(" 摄")
        place = photo["place"]
        frame_w = place["span"] * COLUMN_PT + (place["span"] - 1) * GUTTER_PT
        frame_h = place["lines"] * LINE_PT
        with Image.open(path) as im:
            assert im.format == "JPEG" and im.mode == "RGB"
            w, h = im.size
        assert w / (frame_w / 72) >= 150, (path, w, frame_w)
        # covering the whole frame (the engine crops to fill) keeps at least 150 ppi too
        assert min(w / frame_w, h / frame_h) * 72 >= 150, (path, w, h, frame_w, frame_h)
        assert path.stat().st_size < 400 * 1024
    assert all("photos" not in a for a in articles if not a["byline"].endswith("文/图"))


def test_photo_script_is_deterministic(tmp_path):
    spec = importlib.util.spec_from_file_location("make_placeholder_photos", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module          # dataclasses look the module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[spec.name]
    first = module.generate(tmp_path / "a")
    second = module.generate(tmp_path / "b")
    assert [p.name for p in first] == [p.name for p in second]
    for p, q in zip(first, second):
        assert p.read_bytes() == q.read_bytes(), p.name
    # The committed files are not compared byte for byte: another libjpeg may encode the
    # same pixels differently. Their size and resolution are checked above.
