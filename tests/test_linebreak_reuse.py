"""A paragraph set again (one line longer or shorter against 孤行) re-uses the candidate lines
measured the first time, and gets exactly the lines a fresh setting gets (issue 7)."""
from __future__ import annotations

import layout.text.linebreak as linebreak
from layout.text.paragraph import Paragraph, set_paragraph
from layout.text.prepare import Style

TEXT = ("管城回族区深入推进网格化管理，把服务送到群众家门口。今年以来，全区共排查各类问题1,234件，"
        "办结率达到98.6%；“小网格”撬动“大治理”，群众满意度持续提升。社区干部说：“我们要把每一件"
        "小事都办好。”（完）") * 3

def _lines(sp):
    return [(ln.text, [round(g.x, 6) for g in ln.glyphs], ln.x, ln.cost) for ln in sp.lines]

def test_variants_measure_nothing_again_and_match_fresh_settings(monkeypatch):
    calls = []
    real = linebreak.line_cost

    def counting(*a, **k):
        calls.append(1)
        return real(*a, **k)

    monkeypatch.setattr(linebreak, "line_cost", counting)
    para = Paragraph([(TEXT, Style())])
    base = para.set(117.0, indent=18.0)
    measured = len(calls)
    assert measured > 0
    longer = para.set(117.0, indent=18.0, looseness=1)
    shorter = para.set(117.0, indent=18.0, looseness=-1)
    assert len(calls) == measured            # the variants measured no candidate line again
    assert longer is not None and len(longer.lines) == len(base.lines) + 1
    for loose, got in ((0, base), (1, longer), (-1, shorter)):
        fresh = set_paragraph([(TEXT, Style())], 117.0, indent=18.0, looseness=loose)
        assert (fresh is None) == (got is None)
        if got is not None:
            assert _lines(got) == _lines(fresh)

def test_another_measure_is_measured_afresh(monkeypatch):
    para = Paragraph([(TEXT, Style())])
    a = para.set(117.0, indent=18.0)
    b = para.set(90.0, indent=18.0)
    assert len(b.lines) > len(a.lines)
    assert _lines(b) == _lines(set_paragraph([(TEXT, Style())], 90.0, indent=18.0))


def test_pointer_over_short_lines_finds_the_same_candidates(monkeypatch):
    """Candidates skips starts that make lines under SHORT_LINE with a pointer when no width or
    gap is negative; testing every start (the path for a negative gap) finds the same lines."""
    from layout.text.prepare import prepare

    for width, text in ((117.0, TEXT), (63.0, TEXT[:90]), (200.0, TEXT + "iPhone 15 与 GDP")):
        atoms = prepare([(text, Style())]).atoms
        fast = linebreak.Candidates(atoms, width - 18.0, width, False, False, False)
        assert fast.prefix.monotone

        class Plain(linebreak._Prefix):
            __slots__ = ()

            def __init__(self, atoms):
                super().__init__(atoms)
                self.monotone = False

        monkeypatch.setattr(linebreak, "_Prefix", Plain)
        plain = linebreak.Candidates(atoms, width - 18.0, width, False, False, False)
        monkeypatch.undo()
        assert not plain.prefix.monotone
        assert fast.edges == plain.edges and fast.ends == plain.ends
