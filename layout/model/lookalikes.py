"""Characters a Chinese input method types in place of YAML's own: a full-width colon after a
key (date：), an ideographic space in the indentation, a dash (—, －, •) for a list item's
'- '. YAML sees no structure there and fails a line or more later, or reads a list as text;
the loader asks this module about the lines near an error and names the character instead.
"""
from __future__ import annotations

import re
import unicodedata

DASHES = "—–－‐‑−―•·・"
SPACES = "\u3000\u00a0\u2002\u2003"
COLONS = "：﹕꞉"
_KEY = re.compile(r"(?:- +)?([A-Za-z_][A-Za-z0-9_]*)[ \t]*([" + COLONS + "])")   # date：


def _name(ch: str) -> str:
    return f"'{ch}' (U+{ord(ch):04X} {unicodedata.name(ch, 'UNNAMED')})"


def lookalike(line: str) -> tuple[int, str, str] | None:
    """(column, problem, fix) for the first look-alike in one line of an issue file, or None."""
    indent = len(line) - len(line.lstrip(" \t" + SPACES))
    rest = line[indent:]
    structure = rest[:2] in ("- ", "-") or _KEY.match(rest) or re.match(r"[A-Za-z_]\w*:", rest)
    for k, ch in enumerate(line[:indent]):
        # (an ideographic space opening a paragraph's text is the text's own)
        if ch in SPACES and structure:
            return (k + 1, f"the indentation holds {_name(ch)}, which YAML does not count as "
                    "indentation", "indent with ordinary spaces (turn off full-width spaces in "
                    "the input method)")
    if rest[:1] in DASHES and rest[1:2] in ("", " ", "\t", *SPACES):
        return (indent + 1, f"a list item starts with {_name(rest[0])}, not '- '",
                "start each item with an ASCII hyphen and a space: '- '")
    m = _KEY.match(rest)
    if m:
        return (indent + m.start(2) + 1, f"the key {m.group(1)!r} is followed by "
                f"{_name(m.group(2))}, not ':'",
                f"type an ASCII colon and a space: '{m.group(1)}: '")
    return None


def near(text: str, line: int, before: int = 2) -> tuple[int, int, str, str] | None:
    """(line, column, problem, fix) of a look-alike on `line` (1-based) or on one of the
    `before` non-blank lines above it, nearest first; None if there is none."""
    lines = text.splitlines()
    seen = 0
    for n in range(min(line, len(lines)), 0, -1):
        ln = lines[n - 1]
        if not ln.strip():
            continue
        found = lookalike(ln)
        if found:
            return (n, *found)
        seen += 1
        if seen > before:
            return None
    return None
