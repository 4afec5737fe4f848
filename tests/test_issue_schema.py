"""The issue file's JSON Schema (docs/issue.schema.json): shipped up to date, in agreement with
the loader, and the seed issue validates against it."""
from __future__ import annotations

import copy
import json
from pathlib import Path

import jsonschema
import pytest

from issue_fixtures import article, issue, han, write
from layout.errors import IssueFileError
from layout.model import load, schema
from layout.model.load import load_issue, read_yaml

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "docs" / "issue.schema.json"
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"


def plain(x):
    """The loader's mappings and lists (which carry their positions) as plain JSON values."""
    if isinstance(x, dict):
        return {k: plain(v) for k, v in x.items()}
    if isinstance(x, list):
        return [plain(v) for v in x]
    return x


@pytest.fixture(scope="module")
def validator():
    sch = json.loads(SHIPPED.read_text(encoding="utf-8"))
    jsonschema.Draft7Validator.check_schema(sch)
    return jsonschema.Draft7Validator(sch)


def test_shipped_schema_is_up_to_date():
    assert SHIPPED.read_text(encoding="utf-8") == schema.dumps(), (
        "docs/issue.schema.json is out of date: run python -m layout.model.schema")
    assert schema.main(["--check"]) == 0


def test_seed_issue_validates(validator):
    data = plain(read_yaml(SEED))
    errors = [e.message for e in validator.iter_errors(data)]
    assert errors == []


def test_every_loader_key_is_in_the_schema(validator):
    defs = validator.schema["definitions"]
    assert set(validator.schema["properties"]) == load.ISSUE_KEYS
    for name, (keyset, _, _) in schema._MAPPINGS.items():
        if name != "issue":
            assert set(defs[name]["properties"]) == getattr(load, keyset), name
    for name, d in [("issue", validator.schema), *defs.items()]:
        for key, prop in d["properties"].items():
            assert prop, f"{name}.{key} has no type in the schema"


def minimal(tmp_path) -> dict:
    from issue_fixtures import photo
    photo(tmp_path / "photos", "p.jpg", (600, 400))
    a = article("a", (1, 2, 1, 30), han(40), photos=[{"file": "photos/p.jpg",
                                                     "place": {"column": 1, "span": 2, "line": 1,
                                                               "lines": 10}}])
    return issue([a], ads=[{"id": "ad", "module": {"column": 5, "span": 2, "line": 1, "lines": 10},
                            "file": "photos/p.jpg"}])


def _paths(data: dict):
    """(path, mapping) of every mapping in a minimal issue, by $defs name."""
    page = data["pages"][0]
    art = page["articles"][0]
    return {"issue": data, "page": page, "article": art, "photo": art["photos"][0],
            "box": art["module"], "ad": page["ads"][0]}


def test_required_keys_agree_with_the_loader(tmp_path, validator):
    """Dropping a key the schema requires is an error for the loader too, and the reverse."""
    base = minimal(tmp_path)
    assert list(validator.iter_errors(base)) == []
    load_issue(write(tmp_path, base))
    for name, mapping in _paths(base).items():
        req = set((validator.schema if name == "issue" else validator.schema["definitions"][name])
                  .get("required", []))
        for key in list(mapping):
            data = copy.deepcopy(base)
            del _paths(data)[name][key]
            schema_ok = not list(validator.iter_errors(data))
            try:
                load_issue(write(tmp_path, data))
                loader_ok = True
            except IssueFileError as e:
                loader_ok = f"missing {key!r}" not in e.message
            assert schema_ok == (key not in req), f"{name}.{key}"
            assert loader_ok == (key not in req), f"{name}.{key}"


def test_schema_refuses_what_the_loader_refuses(tmp_path, validator):
    base = minimal(tmp_path)
    cases = [
        ("article", "headlin", "短讯"),                   # unknown key
        ("box", "column", 9),                            # off the grid
        ("box", "lines", "ten"),                         # wrong type
        ("article", "headline_size", "12 mmm"),          # bad unit
        ("photo", "focus", [2, 0.5]),
        ("page", "geometry", "broadshet"),
    ]
    for name, key, value in cases:
        data = copy.deepcopy(base)
        _paths(data)[name][key] = value
        assert list(validator.iter_errors(data)), f"schema accepts {name}.{key} = {value!r}"
        with pytest.raises(IssueFileError):
            load_issue(write(tmp_path, data))


@pytest.mark.parametrize("size", ["12mm", "9pt", "小五", "36", 36, 12.5, "4.2 mm"])
def test_sizes_the_loader_accepts_validate(tmp_path, validator, size):
    data = minimal(tmp_path)
    data["pages"][0]["articles"][0]["headline_size"] = size
    assert list(validator.iter_errors(data)) == []
    load_issue(write(tmp_path, data))


def test_yaml_language_server_comment_documented():
    doc = (ROOT / "docs" / "issue-format.md").read_text(encoding="utf-8")
    assert "# yaml-language-server: $schema=" in doc


def test_print_section_follows_the_print_settings(tmp_path, validator):
    """`print:` keys are PrintSettings.from_mapping's; the schema and the finisher agree on a
    known and an unknown key."""
    from layout.output.pdfx import PrintSettings

    props = validator.schema["definitions"]["print"]["properties"]
    assert set(props) == set(schema.print_keys()) and "standard" in props
    data = minimal(tmp_path)
    for value in ("x1a", "X4", "PDF/X-1a:2001"):
        data["print"] = {"standard": value}
        assert not list(validator.iter_errors(data)), value
        PrintSettings.from_mapping(data["print"])
    data["print"] = {"standrad": "x4"}
    assert list(validator.iter_errors(data))
    with pytest.raises(ValueError, match="unknown key"):
        PrintSettings.from_mapping(data["print"])
