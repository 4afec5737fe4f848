"""The issue file is read by libyaml's parser when PyYAML has it (ten times faster on a long
issue) and by PyYAML's Python parser otherwise, or when the file has anchors (the alias guard
counts aliases in the Python composer) or an error (whose message the hints know). Both must give
the same values and the same positions, or errors would point at the wrong line."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import layout.model.load as load

REPO = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not yaml.__with_libyaml__, reason="PyYAML built without libyaml")


def _same(a, b) -> bool:
    """Equal values, types and recorded marks, all the way down."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return (list(a) == list(b) and a.mark == b.mark and a.key_marks == b.key_marks
                and a.key_starts == b.key_starts and all(_same(a[k], b[k]) for k in a))
    if isinstance(a, list):
        return (len(a) == len(b) and a.mark == b.mark and a.item_marks == b.item_marks
                and all(_same(x, y) for x, y in zip(a, b)))
    return a == b


def _python_only(monkeypatch, path):
    monkeypatch.setattr(load, "_CLoader", None)
    return load.read_yaml(path)


@pytest.mark.parametrize("name", ["issues/guancheng-2023-03-17.yaml",
                                  "examples/tabloid-4pages.yaml"])
def test_c_and_python_parsers_agree_on_values_and_marks(name, monkeypatch):
    path = REPO / name
    fast = load.read_yaml(path)
    slow = _python_only(monkeypatch, path)
    assert _same(fast, slow)
    assert fast["pages"].mark == slow["pages"].mark


def test_c_parser_is_used_for_a_plain_file(monkeypatch):
    used = []

    class Spy(load._CLoader):
        def __init__(self, stream):
            used.append(True)
            super().__init__(stream)

    monkeypatch.setattr(load, "_CLoader", Spy)
    load.read_yaml(REPO / "issues/guancheng-2023-03-17.yaml")
    assert used


def test_anchors_go_through_the_guarded_python_parser(tmp_path, monkeypatch):
    # 101 aliases: the guard must refuse them, which only the Python composer counts.
    body = "a: &x 1\nb: [" + ", ".join(["*x"] * 101) + "]\n"
    p = tmp_path / "bomb.yaml"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(load.IssueFileError, match="aliases"):
        load.read_yaml(p)


def test_a_yaml_error_reads_the_same_through_either_path(tmp_path, monkeypatch):
    p = tmp_path / "bad.yaml"
    p.write_text("issue:\n  date: 2023-03-17\n   paper: x\n", encoding="utf-8")
    with pytest.raises(load.IssueFileError) as fast:
        load.read_yaml(p)
    with pytest.raises(load.IssueFileError) as slow:
        _python_only(monkeypatch, p)
    assert str(fast.value) == str(slow.value)
    assert "line" in str(fast.value) or ":3:" in str(fast.value)
