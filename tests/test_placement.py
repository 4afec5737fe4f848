"""Placement errors name the module ids (layout/model/placement.py and the loader)."""
from __future__ import annotations

import pytest

from layout.errors import IssueFileError
from layout.model.load import load_issue

from issuekit import PHOTOS, article, page, write_issue


def _err(tmp_path, pages, **kw) -> str:
    path = write_issue(tmp_path, pages, **kw)
    with pytest.raises(IssueFileError) as e:
        load_issue(path)
    return str(e.value)


def test_module_over_the_masthead(tmp_path):
    msg = _err(tmp_path, [page(1, [article("toutiao", {"column": 1, "span": 6, "line": 8, "lines": 20})])])
    assert "'toutiao' overlaps the masthead" in msg and "issue.yaml:" in msg
    # beside a narrower masthead (报眼) it is fine
    ok = write_issue(tmp_path, [page(1, [article("baoyan", {"column": 5, "span": 2, "line": 1, "lines": 10})])],
                     masthead={"span": 4, "lines": 12})
    assert load_issue(ok).pages[0].articles[0].id == "baoyan"
    msg = _err(tmp_path, [page(1, [article("x", {"column": 4, "span": 3, "line": 1, "lines": 10})])],
               masthead={"span": 4, "lines": 12})
    assert "'x' overlaps the masthead" in msg and "column 5" in msg


def test_modules_overlap(tmp_path):
    msg = _err(tmp_path, [page(2, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 20}),
                                   article("b", {"column": 3, "span": 3, "line": 10, "lines": 20})])])
    assert "modules 'a' and 'b' overlap" in msg


def test_module_leaves_the_type_area(tmp_path):
    msg = _err(tmp_path, [page(2, [article("wide", {"column": 4, "span": 4, "line": 1, "lines": 20})])])
    assert "'wide'" in msg and "runs past the last column" in msg
    msg = _err(tmp_path, [page(2, [article("tall", {"column": 1, "span": 2, "line": 70, "lines": 20})])])
    assert "'tall'" in msg and "runs past the last line" in msg


def test_module_off_the_grid(tmp_path):
    msg = _err(tmp_path, [page(2, [article("half", {"column": 1, "span": 2, "line": 3.5, "lines": 20})])])
    assert "'half'" in msg and "whole number" in msg


def test_photo_leaves_its_module(tmp_path):
    photo = {"file": str(PHOTOS / "yundong-hui.jpg"), "caption": "图片说明",
             "place": {"column": 1, "span": 3, "line": 1}, "aspect": "4:3"}
    msg = _err(tmp_path, [page(2, [article("short", {"column": 1, "span": 3, "line": 1, "lines": 20},
                                           photos=[photo])])])
    assert "a photo of 'short' (yundong-hui.jpg) leaves its module" in msg
    # the photo's own aspect when none is given (4:3 here as well)
    del photo["aspect"]
    msg = _err(tmp_path, [page(2, [article("short", {"column": 1, "span": 3, "line": 1, "lines": 20},
                                           photos=[photo])])])
    assert "leaves its module" in msg
    photo["place"] = {"column": 2, "span": 3, "line": 1, "lines": 10}
    msg = _err(tmp_path, [page(2, [article("narrow", {"column": 1, "span": 3, "line": 1, "lines": 40},
                                           photos=[photo])])])
    assert "'narrow'" in msg


def test_photos_overlap_and_vertical_head(tmp_path):
    ph = lambda col: {"file": str(PHOTOS / "zhishu.jpg"), "place": {"column": col, "span": 2, "line": 1, "lines": 12}}
    msg = _err(tmp_path, [page(2, [article("two", {"column": 1, "span": 4, "line": 1, "lines": 40},
                                           photos=[ph(1), ph(2)])])])
    assert "two photos of 'two' overlap" in msg
    msg = _err(tmp_path, [page(2, [article("vh", {"column": 1, "span": 4, "line": 1, "lines": 40},
                                           headline_vertical=True, photos=[ph(3)])])])
    assert "'vh'" in msg and "vertical headline" in msg


@pytest.mark.parametrize("extra, message", [
    ({"byline_position": "top"}, "byline_position 'top'"),
    ({"byline_position": "after_dateline"}, "needs both a dateline and a byline"),
    ({"box": "yes"}, "box must be true or false"),
    ({"headline_vertical": {"side": "top"}}, "side 'top'"),
    ({"headline_vertical": {"columns": 3}}, "leaves no room for the body"),
    ({"photos": [{"file": str(PHOTOS / "zhishu.jpg"), "aspect": "wide"}]}, "is not a width:height ratio"),
])
def test_new_keys_are_validated(tmp_path, extra, message):
    msg = _err(tmp_path, [page(2, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 40}, **extra)])])
    assert message in msg


def test_masthead_keys_are_validated(tmp_path):
    msg = _err(tmp_path, [page(2, [article("a", {"column": 1, "span": 3, "line": 1, "lines": 40})])],
               masthead={"colour": "red"})
    assert "unknown key 'colour' in masthead" in msg and "color" in msg
