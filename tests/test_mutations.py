"""Property test: whatever is done to a valid issue file — keys dropped, values of the wrong
type, junk inserted, the file truncated — `paiban build` answers with exit code 0, 1 or 2 and
a message, never an exception; and the output PDF is either the complete new one or the old
one untouched, never half written."""
from __future__ import annotations

import copy
import shutil
import tempfile
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from issue_fixtures import article, dump, han, issue, photo
from layout.cli import main

OLD_PDF = b"%PDF-1.4\n% the previous build\n%%EOF\n"

BASE = issue([
    article("a", (1, 2, 1, 30), [han(40), han(25, 40)], kicker="引题", subhead="副题",
            dateline="本报讯", byline="记者 张三",
            photos=[{"file": "photos/p.jpg", "caption": "图片说明", "credit": "张三 摄",
                     "place": {"column": 1, "span": 2, "line": 1, "lines": 10},
                     "focus": [0.5, 0.4]}],
            typography={"level": "strict", "latin_gap": 0.25}),
    article("b", (3, 1, 1, 20), han(30, 7), headline_size="小二"),
], section="要闻", editors={"责任编辑": "王某"}, typography={"punctuation": "kaiming"})

JUNK = st.one_of(
    st.none(), st.booleans(),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12),
    st.sampled_from(["", " ", "12 mmm", "小五", "9pt", "2023-02-30", "photos/p.jpg", "../x.jpg",
                     "broadsheet", "tabloid", "strict", "*", "&a", "- x", "{", "]", "\t", "\x85",
                     "\u3000", "𪚥", "\U000F0000", "😀", "a: b"]),
    st.lists(st.integers(-3, 200), max_size=4),
    st.dictionaries(st.sampled_from(["column", "span", "line", "lines", "x"]),
                    st.integers(-3, 200), max_size=4),
)


def _containers(node, path=()):
    """Every (path, container) of the nested data, the root included."""
    yield path, node
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in list(items):
        if isinstance(v, (dict, list)):
            yield from _containers(v, path + (k,))


@st.composite
def mutated(draw) -> bytes:
    data = copy.deepcopy(BASE)
    for _ in range(draw(st.integers(1, 3))):
        conts = list(_containers(data))
        _, node = draw(st.sampled_from(conts))
        keys = list(node.keys()) if isinstance(node, dict) else list(range(len(node)))
        op = draw(st.sampled_from(["drop", "junk", "add", "dup"]))
        if op == "drop" and keys:
            del node[draw(st.sampled_from(keys))]
        elif op == "junk" and keys:
            node[draw(st.sampled_from(keys))] = draw(JUNK)
        elif op == "add":
            if isinstance(node, dict):
                node[draw(st.sampled_from(["headlin", "colum", "id", "pages", "typography",
                                           "photos", "x"]))] = draw(JUNK)
            else:
                node.append(draw(JUNK))
        elif op == "dup" and isinstance(node, list) and node:
            node.append(copy.deepcopy(node[draw(st.integers(0, len(node) - 1))]))
    text = dump(data).encode("utf-8")
    edit = draw(st.sampled_from(["none", "none", "truncate", "insert", "delete", "bytes"]))
    if edit == "truncate":
        text = text[: draw(st.integers(0, len(text)))]
    elif edit == "insert":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.text(max_size=8)).encode("utf-8", "surrogatepass") + text[at:]
    elif edit == "delete":
        a = draw(st.integers(0, len(text)))
        text = text[:a] + text[a + draw(st.integers(1, 40)):]
    elif edit == "bytes":
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(st.binary(min_size=1, max_size=6)) + text[at:]
    return text


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    d = tmp_path_factory.mktemp("mutations")
    photo(d / "photos", "p.jpg", (600, 400))
    return d


def test_base_issue_builds(workdir):
    case = Path(tempfile.mkdtemp(dir=workdir))
    shutil.copytree(workdir / "photos", case / "photos")
    (case / "issue.yaml").write_bytes(dump(BASE).encode("utf-8"))
    r = CliRunner().invoke(main, ["build", str(case / "issue.yaml"), "-o", str(case / "out.pdf")])
    assert r.exit_code in (0, 1), r.output


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=mutated())
def test_mutated_issue_never_crashes(workdir, text):
    case = Path(tempfile.mkdtemp(dir=workdir))
    try:
        (case / "photos").symlink_to(workdir / "photos")
        (case / "issue.yaml").write_bytes(text)
        out = case / "out.pdf"
        out.write_bytes(OLD_PDF)
        r = CliRunner().invoke(main, ["build", str(case / "issue.yaml"), "-o", str(out)])
        assert r.exit_code in (0, 1, 2), r.output
        assert r.exception is None or isinstance(r.exception, SystemExit), repr(r.exception)
        assert "Traceback" not in r.output
        pdf = out.read_bytes()
        if r.exit_code == 2:
            assert pdf == OLD_PDF
            assert "error: " in r.output
        else:
            assert pdf.startswith(b"%PDF-") and pdf.rstrip().endswith(b"%%EOF") and pdf != OLD_PDF
        leftovers = sorted(p.name for p in case.iterdir())
        assert leftovers == ["issue.yaml", "out.pdf", "photos"], leftovers
    finally:
        shutil.rmtree(case, ignore_errors=True)


# Values a valid file may hold, drawn at random: text of any kind in every text field, modules
# anywhere on the grid. These reach composition and output.
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=60)


@st.composite
def varied(draw) -> bytes:
    data = copy.deepcopy(BASE)
    a, b = data["pages"][0]["articles"]
    for art in (a, b):
        for key in ("headline", "kicker", "subhead", "dateline", "byline"):
            if draw(st.booleans()):
                art[key] = draw(ANY_TEXT)
        art["paragraphs"] = draw(st.lists(ANY_TEXT, min_size=1, max_size=4))
    col = draw(st.integers(1, 8))
    span = draw(st.integers(1, 9 - col))
    line = draw(st.integers(1, 115))
    b["module"] = {"column": col, "span": span, "line": line,
                   "lines": draw(st.integers(1, 116 - line))}
    if draw(st.booleans()):
        a["photos"][0]["caption"] = draw(ANY_TEXT)
    data["pages"][0]["editors"] = {draw(ANY_TEXT) or "编辑": draw(ANY_TEXT)}
    return dump(data).encode("utf-8")


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=varied())
def test_varied_issue_never_crashes(workdir, text):
    test_mutated_issue_never_crashes.hypothesis.inner_test(workdir, text)
