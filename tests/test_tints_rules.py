"""Tints (底纹), heads reversed out of a block and rule styles (issue 16 item 11), read back from
the built PDF's content stream: a tint knocks out and the black text on it overprints; a
reversed head is white (knocking out) on a solid; every rule style is in black alone; the
preflight passes."""
from __future__ import annotations

import pikepdf
import pytest
from click.testing import CliRunner

from issuekit import article, page, write_issue

from layout.build import build_issue
from layout.checks.preflight import preflight
from layout.output.ink import KNOCKOUT, OVERPRINT


def _ops(pdf_path):
    """(operator, operands, overprint state, fill colour, stroke colour, line width, dash) for
    each painting operator of page 1."""
    out = []
    with pikepdf.open(pdf_path) as pdf:
        state, fill, stroke, width, dash = KNOCKOUT, None, None, 1.0, ()
        for operands, op in pikepdf.parse_content_stream(pdf.pages[0]):
            op = str(op)
            vals = [float(v) if op in ("k", "K", "w") else v for v in operands]
            if op == "gs":
                state = str(operands[0])[1:]
            elif op == "k":
                fill = tuple(vals)
            elif op == "K":
                stroke = tuple(vals)
            elif op == "w":
                width = vals[0]
            elif op == "d":
                dash = tuple(float(x) for x in operands[0])
            elif op in ("f", "S", "TJ", "Tj"):
                out.append((op, state, fill, stroke, width, dash))
    return out


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("tints")
    arts = [article("a", {"column": 1, "span": 3, "line": 1, "lines": 20}, tint=[0, 0, 20, 0],
                    headline_reverse=True),
            article("b", {"column": 4, "span": 3, "line": 1, "lines": 20}, box="thick-thin",
                    tint=10),
            article("c", {"column": 1, "span": 3, "line": 21, "lines": 20}, box="dotted",
                    headline_reverse="red"),
            article("d", {"column": 4, "span": 3, "line": 21, "lines": 20}, box="flower")]
    out = tmp / "out.pdf"
    build_issue(write_issue(tmp, [page(2, arts)]), out)
    return out


def test_a_tint_knocks_out_and_black_text_on_it_overprints(built):
    ops = _ops(built)
    fills = [o for o in ops if o[0] == "f"]
    tints = [o for o in fills if o[2] in ((0, 0, 0.2, 0), (0, 0, 0, 0.1))]
    assert len(tints) == 2
    assert all(o[1] == KNOCKOUT for o in tints)
    # the text drawn after them: black overprints, white (the reversed heads) knocks out
    text = [o for o in ops if o[0] == "TJ"]
    black = [o for o in text if o[2] == (0, 0, 0, 1)]
    white = [o for o in text if o[2] == (0, 0, 0, 0)]
    assert black and all(o[1] == OVERPRINT for o in black)
    assert white and all(o[1] == KNOCKOUT for o in white)


def test_reversed_heads_stand_on_solid_blocks(built):
    fills = [o[2] for o in _ops(built) if o[0] == "f"]
    assert (0, 0, 0, 1) in fills            # headline_reverse: true — a black block
    assert (0, 1, 1, 0) in fills            # headline_reverse: red


def test_rule_styles_are_one_ink(built):
    strokes = [o for o in _ops(built) if o[0] == "S"]
    assert all(sum(1 for c in o[3] if c > 0) == 1 for o in strokes)
    widths = {round(o[4], 2) for o in strokes}
    assert {1.5, 0.5} <= widths                          # 文武线: a thick and a thin line
    assert any(o[5] and o[5][0] == 0 for o in strokes)  # dotted: zero-length dashes, round caps
    assert len(strokes) > 100                            # 花线: the zigzag's segments


def test_preflight_passes(built):
    res = preflight(built)
    assert not [f for f in res.findings if f.severity == "error"]
    assert not [f for f in res.findings if f.kind in ("thin-rule", "small-text", "overprint")]


@pytest.mark.parametrize("entry,message", [
    ({"tint": 80}, "tint must be a K percentage or [C, M, Y, K] percentages, each 0 … 50"),
    ({"tint": [10, 0, 0]}, "tint must be a K percentage"),
    ({"box": "wavy"}, "box must be true or false, or a rule style (hairline, thick-thin, dotted, "
                        "flower), not 'wavy'"),
    ({"headline_reverse": "blue"}, "headline_reverse 'blue' is not one of black, red"),
])
def test_bad_styles_are_located_errors(tmp_path, entry, message):
    from layout.cli import main

    art = article("a", {"column": 1, "span": 3, "line": 1, "lines": 20}, **entry)
    path = write_issue(tmp_path, [page(2, [art])])
    res = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2, res.output
    assert "issue.yaml:" in res.output and message in res.output
    assert not (tmp_path / "x.pdf").exists()


def test_page_rules_style_between_modules(tmp_path):
    arts = [article("a", {"column": 1, "span": 3, "line": 1, "lines": 20}),
            article("b", {"column": 4, "span": 3, "line": 1, "lines": 20})]
    out = tmp_path / "out.pdf"
    build_issue(write_issue(tmp_path, [page(2, arts, rules="thick-thin")]), out)
    strokes = [o for o in _ops(out) if o[0] == "S"]
    # the gutter rule between a and b: a thick and a thin line, both black alone
    assert {round(o[4], 2) for o in strokes} >= {1.5, 0.5}
    assert all(o[3] == (0, 0, 0, 1) for o in strokes if round(o[4], 2) in (1.5, 0.5))


def test_a_coloured_tint_on_a_black_only_page_is_refused(tmp_path):
    from layout.cli import main

    arts = [article("a", {"column": 1, "span": 3, "line": 1, "lines": 20}, tint=[0, 0, 20, 0]),
            article("b", {"column": 4, "span": 3, "line": 1, "lines": 20}, tint=10)]
    path = write_issue(tmp_path, [page(2, arts, inks="k")])
    res = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2, res.output
    assert "the tint or head block of 'a' is in" in res.output and "'b'" not in res.output
    assert not (tmp_path / "x.pdf").exists()
