"""Inline emphasis in paragraph and caption text, the one place its markup is read and taken out:

    **粗体**        bold (the body's bold face)
    [.着重号.]      emphasis dots under each character (着重号)
    {kai:说的话}    楷体, for quoted speech or a 编者按

Spans nest ({kai:……**要点**……}) but do not cross. A backslash before * [ ] { } . or \\ keeps
that character as written (\\** is two asterisks); a `.]` or `}` with no span open is text.
The loader keeps a paragraph's or a caption's plain text (what is printed, what the invariants
compare) and its spans; `paiban lint` reports markup that does not balance.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

KINDS = ("bold", "dots", "kai")
_OPEN = (("**", "bold"), ("[.", "dots"), ("{kai:", "kai"))
_CLOSE = {"bold": "**", "dots": ".]", "kai": "}"}
ESCAPABLE = "*[]{}.\\"
_STARTS = "\\" + "".join(sorted({tok[0] for tok, _ in _OPEN}))    # where markup can begin
MASK = "\ue000"          # stands in for a markup character where lint reads the text


@dataclass(frozen=True)
class Span:
    start: int           # offsets in the plain text
    end: int
    kind: str            # bold | dots | kai


class MarkupError(ValueError):
    def __init__(self, message: str, offset: int):
        super().__init__(message)
        self.offset = offset     # 0-based, in the text as written


@dataclass(frozen=True)
class Parsed:
    plain: str
    spans: tuple[Span, ...]
    marks: tuple[tuple[int, int], ...]     # the markup's characters, offsets as written


def parse(text: str) -> Parsed:
    """The plain text and spans of `text`; MarkupError where markup does not balance."""
    if not any(c in text for c in _STARTS):
        return Parsed(text, (), ())     # no opener, no escape: a closer alone is text
    out: list[str] = []
    spans: list[Span] = []
    marks: list[tuple[int, int]] = []
    stack: list[tuple[str, int, int]] = []      # (kind, plain start, offset as written)
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in ESCAPABLE:
            marks.append((i, i + 1))
            out.append(text[i + 1])
            i += 2
            continue
        top = stack[-1][0] if stack else None
        if top and text.startswith(_CLOSE[top], i):
            kind, start, _ = stack.pop()
            if start == len(out):
                raise MarkupError(f"empty {kind} markup {text[i - len(_opener(kind)):i + 2]!r}", i)
            spans.append(Span(start, len(out), kind))
            marks.append((i, i + len(_CLOSE[top])))
            i += len(_CLOSE[top])
            continue
        opened = next(((tok, kind) for tok, kind in _OPEN if text.startswith(tok, i)), None)
        if opened:
            tok, kind = opened
            if any(k == kind for k, _, _ in stack):
                # ** inside an open bold that is not the innermost span: crossing markup
                raise MarkupError(f"{tok!r} closes a {kind} span across another one", i)
            stack.append((kind, len(out), i))
            marks.append((i, i + len(tok)))
            i += len(tok)
            continue
        out.append(ch)
        i += 1
    if stack:
        kind, _, at = stack[-1]
        raise MarkupError(f"{_opener(kind)!r} ({kind}) is not closed by {_CLOSE[kind]!r}", at)
    return Parsed("".join(out), tuple(sorted(spans, key=lambda s: (s.start, -s.end))),
                  tuple(marks))


def _opener(kind: str) -> str:
    return next(tok for tok, k in _OPEN if k == kind)


def runs(text: str, spans: tuple[Span, ...]) -> list[tuple[str, frozenset[str]]]:
    """`text` cut where its emphasis changes: (run, the kinds over it)."""
    if not spans:
        return [(text, frozenset())]
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        kinds = frozenset(s.kind for s in spans if s.start <= a and b <= s.end)
        out.append((text[a:b], kinds))
    return out


_TOKENS = re.compile(r"\\[*\[\]{}.\\]|\*\*|\[\.|\.\]|\{kai:|\}")


def masked(text: str) -> str:
    """`text` with its markup's characters replaced one for one by MASK (offsets kept), for
    checks that read the copy; where the markup does not balance, whatever looks like it."""
    try:
        marks = parse(text).marks
    except MarkupError:
        marks = tuple(m.span() for m in _TOKENS.finditer(text))
    chars = list(text)
    for a, b in marks:
        chars[a:b] = MASK * (b - a)
    return "".join(chars)
