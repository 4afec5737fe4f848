"""Copy lint (`paiban lint ISSUE.yaml [--fix]`): the slips of news copy that typesetting cannot
mend by itself, found in an issue file's text and, where the fix is certain, fixed in place.

- half-width ASCII punctuation next to Chinese text: , ; : ? ! ( ) . and "…" ("参与,推出" →
  "参与，推出"); a space left after such a mark goes with it;
- unbalanced quotes and brackets: “ without ”, （ without ）, 《 without 》, and a quote
  typed the wrong way round (“五星“ → “五星”) — clreq's multi-paragraph quotation (an opening
  mark on every paragraph, the closing one on the last only) is not a finding;
- stray spaces inside Chinese text (between two Chinese characters or marks) in paragraphs and
  captions (headlines, bylines and credits use spaces on purpose);
- inline emphasis markup in paragraphs and captions (**bold**, [.着重.], {kai:…};
  text/markup.py) that does not balance; the other checks read them with the markup masked out.

Each finding names the article, the field (paragraph N, headline …), the character offset in
that field, the file line and column, and the fix. Exit status: 0 clean, 1 findings, 2 the file
cannot be read as an issue. `--fix` rewrites the file through ruamel.yaml's round trip, so that
comments, blank lines, quoting and indentation stay as they were, and writes it atomically.
"""
from __future__ import annotations

import codecs
import io
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

import yaml

from ..errors import IssueFileError, PaibanError
from ..model.load import read_bytes, read_text, yaml_error
from ..text import classify as C
from ..text.markup import MarkupError, masked, parse
from .finding import Finding

HALF_TO_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）",
                ".": "。"}
SPACES = " \t\u00a0\u3000"
PAIRS = {"（": "）", "《": "》", "〈": "〉", "【": "】", "〔": "〕", "［": "］", "｛": "｝",
         "「": "」", "『": "』", "〖": "〗"}
CLOSERS = {v: k for k, v in PAIRS.items()}
QUOTES = (("“", "”"), ("‘", "’"))
# Fields whose spaces are deliberate: a headline's space is the editor's break or gap; bylines
# and credits separate names with spaces.
SPACED_FIELDS = ("kicker", "headline", "subhead", "dateline", "byline", "credit")
# A space after a role word inside running text is the convention of credits: （记者 张三）.
from ..text.byline import CREDIT_ROLES as ROLES  # noqa: E402


def is_cjk(ch: str) -> bool:
    """A Chinese character or a full-width mark (the context in which ASCII marks are slips)."""
    if not ch:
        return False
    cp = ord(ch)
    return (C.is_han(ch) or C.punct_class(ch) is not None or 0x3000 < cp <= 0x303F
            or 0xFF01 <= cp <= 0xFF60 or ch in "——……")


@dataclass
class Edit:
    start: int                  # offsets in the field's text
    end: int
    new: str


def _found(offset: int, kind: str, message: str, fix: str, edits: list[Edit] = ()) -> Finding:
    """A lint finding (layout/checks/finding.py); lint_file adds the article and file:line.
    Markup that does not balance the loader refuses (an error); the rest is a warning."""
    return Finding(kind, "error" if kind == "markup" else "warning", message,
                   extra={"field": "", "offset": offset, "fix": fix, "edits": list(edits)})


def fixable(f: Finding) -> bool:
    """--fix mends it (else it is for the editor, by hand)."""
    return bool(f.extra["edits"])


def to_text(f: Finding) -> str:
    x = f.extra
    return (f"{f.spot(f.file)}: {f.article} {x['field']}, character {x['offset']}: {f.message}"
            f" — {'fix' if fixable(f) else 'by hand'}: {x['fix']}")


def to_json(findings: list[Finding], path: Path) -> str:
    """`paiban lint --format json`: the file and its findings, each with the keys every tool's
    findings share (checks/finding.py) and lint's own: field, offset, fix,
    edits, fixable."""
    out = []
    for f in findings:
        d = f.to_json(path)
        d["edits"] = [asdict(e) for e in f.extra["edits"]]   # offsets in the field's text
        d["fixable"] = fixable(f)
        out.append(d)
    return json.dumps({"file": str(path), "findings": out}, ensure_ascii=False, indent=2) + "\n"


# --- the checks, on one field's text -----------------------------------------------------------

def check_text(text: str, fieldname: str, *, continued: bool = False) -> list[Finding]:
    """Findings for one field. `continued`: the next paragraph opens with “ (a multi-paragraph
    quotation), so an unclosed “ at this paragraph's end is right."""
    out: list[Finding] = []
    if fieldname.startswith("paragraph") or fieldname.endswith(" caption"):
        out += _markup(text)
        text = masked(text)             # offsets kept: the markup's characters stand aside
    out += _half_width(text)
    # Brackets are judged with the half-width marks already full width; one-for-one
    # substitutions only, so that offsets stay those of the text as written.
    fixed = apply(text, [e for f in out for e in f.extra["edits"]
                         if e.end - e.start == len(e.new)])
    if not any(fieldname.endswith(s) for s in SPACED_FIELDS):
        out += _spaces(text)
    out += _balance(fixed, text, continued)
    for f in out:
        f.extra["field"] = fieldname
    return out


def _markup(text: str) -> list[Finding]:
    try:
        parse(text)
    except MarkupError as e:
        return [_found(e.offset + 1, "markup", f"emphasis markup: {e}",
                        "close it (**bold**, [.着重.], {kai:楷体}) or put a backslash before the "
                        "character to print it as it is")]
    return []


def _half_width(text: str) -> list[Finding]:
    out = []
    n = len(text)

    def near_cjk(i: int) -> bool:
        return is_cjk(_neighbour(text, i, -1)) or is_cjk(_neighbour(text, i, +1))

    # Parentheses go in pairs: if either end of a pair touches Chinese, both become full width.
    pairs: dict[int, int] = {}
    stack = []
    for i, ch in enumerate(text):
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[j], pairs[i] = i, j
    quotes = [i for i, ch in enumerate(text) if ch == '"']
    for i, ch in enumerate(text):
        prev, nxt = text[i - 1] if i else "", text[i + 1] if i + 1 < n else ""
        if ch in ",;:?!":
            if not near_cjk(i) or (prev.isdigit() and nxt.isdigit()):
                continue
        elif ch == ".":
            # 工作. → 。 (not 3.14, www.gov.cn, or a Western abbreviation)
            after = _neighbour(text, i, +1)
            if not (is_cjk(prev) and (not after or is_cjk(after))):
                continue
        elif ch in "()":
            j = pairs.get(i)
            if not (near_cjk(i) or (j is not None and near_cjk(j))):
                continue
        elif ch == '"':
            if not near_cjk(i):
                continue
            k = quotes.index(i)
            full = "“" if k % 2 == 0 else "”"
            out.append(_found(i + 1, "half-width", 'ASCII quote " in Chinese text',
                               f'" → {full}', [Edit(i, i + 1, full)]))
            continue
        else:
            continue
        full = HALF_TO_FULL[ch]
        edits = [Edit(i, i + 1, full)]
        # a space typed after (or before) the mark goes with it
        j = i + 1
        while j < n and text[j] in SPACES:
            j += 1
        if j > i + 1 and ch not in "(":
            edits.append(Edit(i + 1, j, ""))
        k = i
        while k > 0 and text[k - 1] in SPACES:
            k -= 1
        if k < i and ch not in ")":
            edits.insert(0, Edit(k, i, ""))
        out.append(_found(i + 1, "half-width",
                           f"half-width {ch!r} next to Chinese text", f"{ch!r} → {full!r}"
                           + (" and the space beside it" if len(edits) > 1 else ""), edits))
    return out


def _neighbour(text: str, i: int, step: int) -> str:
    """The nearest character on one side of i, across spaces."""
    j = i + step
    while 0 <= j < len(text) and text[j] in SPACES:
        j += step
    return text[j] if 0 <= j < len(text) else ""


def _spaces(text: str) -> list[Finding]:
    out = []
    i, n = 0, len(text)
    while i < n:
        if text[i] not in SPACES:
            i += 1
            continue
        j = i
        while j < n and text[j] in SPACES:
            j += 1
        before, after = text[i - 1] if i else "", text[j] if j < n else ""
        if i and j < n and is_cjk(before) and is_cjk(after) and before not in ",;:?!()." \
                and after not in ",;:?!()." and not text[:i].endswith(ROLES):
            what = "ideographic space" if "\u3000" in text[i:j] else "space"
            out.append(_found(i + 1, "space", f"stray {what} inside Chinese text "
                               f"({before}{text[i:j]!r}{after})", "remove it", [Edit(i, j, "")]))
        i = j
    return out


def _balance(text: str, original: str, continued: bool) -> list[Finding]:
    """Unbalanced quotes and brackets in `text` (the field once half-width marks are fixed;
    offsets are reported in it, which is the original's where no mark was removed)."""
    out = []
    for open_, close in QUOTES:
        idx = [i for i, ch in enumerate(text) if ch in (open_, close)
               and not (ch == close and _apostrophe(text, i))]
        marks = [text[i] for i in idx]
        want = [open_ if k % 2 == 0 else close for k in range(len(marks))]
        if len(marks) % 2 == 0 and marks != want and marks.count(open_) != marks.count(close):
            for i, have, w in zip(idx, marks, want):
                if have != w:
                    out.append(_found(i + 1, "quote-direction",
                                       f"{have} where the quotes need {w}", f"{have} → {w}",
                                       [Edit(i, i + 1, w)]))
            continue
        depth = 0
        for i, ch in zip(idx, marks):
            if ch == open_:
                depth += 1
            elif depth:
                depth -= 1
            else:
                out.append(_found(i + 1, "unbalanced", f"{close} without {open_}",
                                   f"add the {open_} it closes, or remove it"))
        if depth and not (continued and open_ == "“" and depth == 1):
            last = max(i for i, ch in zip(idx, marks) if ch == open_)
            out.append(_found(last + 1, "unbalanced", f"{open_} without {close}",
                               f"add the {close} that closes it"))
    stack: list[int] = []
    for i, ch in enumerate(text):
        if ch in PAIRS:
            stack.append(i)
        elif ch in CLOSERS:
            if stack and text[stack[-1]] == CLOSERS[ch]:
                stack.pop()
            else:
                out.append(_found(i + 1, "unbalanced", f"{ch} without {CLOSERS[ch]}",
                                   f"add the {CLOSERS[ch]} it closes, or remove it"))
    for i in stack:
        out.append(_found(i + 1, "unbalanced", f"{text[i]} without {PAIRS[text[i]]}",
                           f"add the {PAIRS[text[i]]} that closes it"))
    return out


def _apostrophe(text: str, i: int) -> bool:
    """’ between two Latin letters is an apostrophe (it’s), not a closing quote."""
    return 0 < i < len(text) - 1 and text[i - 1].isascii() and text[i - 1].isalpha() \
        and text[i + 1].isascii() and text[i + 1].isalpha()


def apply(text: str, edits: list[Edit]) -> str:
    """The text with non-overlapping edits applied (later ones first)."""
    out = text
    last = len(text) + 1
    for e in sorted(edits, key=lambda e: (e.start, e.end), reverse=True):
        if e.end > last:
            continue                    # overlaps an edit already made
        out = out[:e.start] + e.new + out[e.end:]
        last = e.start
    return out


# --- the issue file ---------------------------------------------------------------------------

@dataclass
class TextField:
    article: str
    name: str
    path: tuple                 # keys and indexes from the document root to the value
    text: str
    node: object                # the PyYAML scalar node (for positions)


def read(path: Path) -> tuple[str, list[TextField]]:
    """The file's source and its text fields, in file order. Raises IssueFileError when the
    file cannot be read as an issue."""
    src = read_text(path)
    try:
        root = yaml.compose(src, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        raise yaml_error(path, src, e) from None
    except yaml.YAMLError as e:
        raise IssueFileError(f"YAML: {e}", where=path) from None
    pages = _get(root, "pages")
    if not isinstance(root, yaml.MappingNode) or not isinstance(pages, yaml.SequenceNode):
        raise IssueFileError("not an issue file: it needs a 'pages:' list", where=path,
                             hint="see docs/issue-format.md")
    fields: list[TextField] = []
    for pi, page in enumerate(pages.value):
        for listkey in ("articles", "continuations"):
            arts = _get(page, listkey)
            if not isinstance(arts, yaml.SequenceNode):
                continue
            for ai, art in enumerate(arts.value):
                if not isinstance(art, yaml.MappingNode):
                    continue
                idnode = _get(art, "id")
                aid = idnode.value if isinstance(idnode, yaml.ScalarNode) else f"{listkey} {ai + 1}"
                base = ("pages", pi, listkey, ai)
                for key in ("kicker", "headline", "subhead", "short_headline", "dateline"):
                    _scalar(fields, aid, key, base + (key,), _get(art, key))
                paras = _get(art, "paragraphs")
                if isinstance(paras, yaml.SequenceNode):
                    for k, p in enumerate(paras.value):
                        _scalar(fields, aid, f"paragraph {k + 1}", base + ("paragraphs", k), p)
                        _scalar(fields, aid, f"paragraph {k + 1}",        # {intertitle: …}
                                base + ("paragraphs", k, "intertitle"), _get(p, "intertitle"))
                _scalar(fields, aid, "byline", base + ("byline",), _get(art, "byline"))
                photos = _get(art, "photos")
                if isinstance(photos, yaml.SequenceNode):
                    for k, ph in enumerate(photos.value):
                        for key in ("caption", "credit"):
                            _scalar(fields, aid, f"photo {k + 1} {key}",
                                    base + ("photos", k, key), _get(ph, key))
    return src, fields


def _get(node, key):
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _scalar(fields, aid, name, path, node) -> None:
    if isinstance(node, yaml.ScalarNode) and node.tag == "tag:yaml.org,2002:str" and node.value:
        fields.append(TextField(aid, name, path, node.value, node))


def source_index(src: str, node, offset: int) -> int:
    """Where character `offset` of a scalar's value stands in the source: the value's
    characters are matched in order against the source between the node's marks (this
    follows folding, line breaks and quoting; an escape falls back to its neighbour)."""
    start, end = node.start_mark.index, node.end_mark.index
    p = start + (1 if node.style in ("'", '"') else 0)
    value = node.value
    for k, ch in enumerate(value[:offset + 1]):
        if ch.isspace():
            at = p
        else:
            found = src.find(ch, p, end)
            at = found if found >= 0 else p
            p = at + 1 if found >= 0 else p
        if k == offset:
            return at
    return p


def lint_file(path: Path) -> list[Finding]:
    src, fields = read(path)
    out: list[Finding] = []
    for k, f in enumerate(fields):
        nxt = fields[k + 1] if k + 1 < len(fields) else None
        continued = (f.name.startswith("paragraph") and nxt is not None and nxt.article == f.article
                     and nxt.name.startswith("paragraph") and nxt.text.lstrip().startswith("“"))
        for finding in check_text(f.text, f.name, continued=continued):
            finding.article = f.article
            idx = source_index(src, f.node, finding.extra["offset"] - 1)
            finding.line = src.count("\n", 0, idx) + 1
            finding.column = idx - (src.rfind("\n", 0, idx) + 1) + 1
            finding.file = str(path)
            out.append(finding)
    out.sort(key=lambda f: (f.line, f.column))
    return out


def fix_file(path: Path) -> tuple[int, list[Finding]]:
    """Apply every certain fix; returns (fixes made, findings left). The file is rewritten
    through ruamel.yaml's round trip (comments, quoting and layout kept) and replaced
    atomically; when nothing needs fixing it is not touched. A fix can reveal another (a
    quote turned the right way once its ASCII neighbour is full width): up to three rounds."""
    total = 0
    for _ in range(3):
        made, left = _fix_once(path)
        total += made
        if not made or not any(fixable(f) for f in left):
            break
    return total, left


def _fix_once(path: Path) -> tuple[int, list[Finding]]:
    findings = lint_file(path)
    by_field: dict[tuple, list[Edit]] = {}
    src, fields = read(path)
    index = {(f.article, f.name): f for f in fields}
    made = 0
    for fd in findings:
        if fixable(fd):
            tf = index[(fd.article, fd.extra["field"])]
            by_field.setdefault(tf.path, []).extend(fd.extra["edits"])
            made += 1
    if not by_field:
        return 0, findings
    # ruamel.yaml writes "\n" and no byte-order mark: the file keeps its own
    raw = read_bytes(path)
    newline = "\r\n" if raw.split(b"\n", 1)[0].endswith(b"\r") else "\n"
    text = _round_trip(src.replace("\r\n", "\n"),
                       {p: apply(_value_at(fields, p), e) for p, e in by_field.items()})
    bom = "\ufeff" if raw.startswith(codecs.BOM_UTF8) else ""
    _write_atomic(path, bom + text.replace("\n", newline))
    return made, lint_file(path)


def _value_at(fields: list[TextField], path: tuple) -> str:
    return next(f.text for f in fields if f.path == path)


def _round_trip(src: str, changes: dict[tuple, str]) -> str:
    """`src` with the string values at `changes`' paths replaced, through ruamel.yaml's
    round-trip mode. The indentation is the one that reproduces the file unchanged."""
    from ruamel.yaml import YAML
    from ruamel.yaml.scalarstring import ScalarString

    yml = _yaml_like(src)
    doc = yml.load(src)
    for path, new in changes.items():
        parent = doc
        for key in path[:-1]:
            parent = parent[key]
        old = parent[path[-1]]
        parent[path[-1]] = type(old)(new) if isinstance(old, ScalarString) else new
    buf = io.StringIO()
    yml.dump(doc, buf)
    out = buf.getvalue()
    # The result must read back as the same issue with only the text changed.
    want = yaml.safe_load(src)
    for path, new in changes.items():
        parent = want
        for key in path[:-1]:
            parent = parent[key]
        parent[path[-1]] = new
    if yaml.safe_load(out) != want:
        raise PaibanError("lint --fix: the rewritten file would not read back as the same "
                          "issue; nothing was written", hint="fix the findings by hand")
    return out


def _yaml_like(src: str):
    """A ruamel.yaml round-tripper whose indentation reproduces `src` (tried in turn)."""
    from ruamel.yaml import YAML

    best = None
    for mapping, sequence, offset in ((2, 4, 2), (2, 2, 0), (4, 4, 2), (4, 6, 4), (4, 4, 0),
                                      (2, 2, 2), (3, 3, 0), (4, 2, 0)):
        yml = YAML(typ="rt")
        yml.preserve_quotes = True
        yml.width = 1 << 30                  # never re-wrap a long line of Chinese text
        yml.allow_unicode = True
        yml.indent(mapping=mapping, sequence=sequence, offset=offset)
        buf = io.StringIO()
        try:
            yml.dump(yml.load(src), buf)
        except Exception:                    # noqa: BLE001 - an indentation it cannot write
            continue
        diff = _line_diff(src.lstrip("\ufeff"), buf.getvalue())
        if diff == 0:
            return yml
        if best is None or diff < best[0]:
            best = (diff, yml)
    if best is None:
        raise PaibanError("lint --fix: ruamel.yaml cannot rewrite this file")
    return best[1]


def _line_diff(a: str, b: str) -> int:
    import difflib
    return sum(1 for ln in difflib.ndiff(a.splitlines(), b.splitlines()) if ln[:1] in "+-")


def _write_atomic(path: Path, text: str) -> None:
    """The fixed file, written beside `path` and renamed over it, keeping its permissions."""
    from ..outfile import write_atomic

    write_atomic(path, text.encode("utf-8"), mode=path.stat().st_mode & 0o7777)


# --- the command -----------------------------------------------------------------------------

def _command():
    import click

    @click.command("lint")
    @click.argument("issue_file", type=click.Path(dir_okay=False, path_type=Path))
    @click.option("--fix", is_flag=True,
                  help="Rewrite the file with the certain fixes (comments and layout kept).")
    @click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text",
                  show_default=True, help="json: the findings as one JSON document.")
    def lint_command(issue_file: Path, fix: bool, fmt: str) -> None:
        """Check the copy in ISSUE_FILE: half-width punctuation in Chinese text, unbalanced
        quotes and brackets, stray spaces. Exit 0 clean, 1 findings, 2 invalid input."""
        try:
            if fix:
                made, left = fix_file(issue_file)
                if made:
                    click.echo(f"{issue_file}: fixed {made} finding{'s' if made != 1 else ''}",
                               err=fmt == "json")
            else:
                left = lint_file(issue_file)
        except PaibanError as e:
            click.echo(str(e), err=True)
            sys.exit(e.exit_code)
        if fmt == "json":
            click.echo(to_json(left, issue_file), nl=False)
        else:
            for f in left:
                click.echo(to_text(f))
        if left:
            n = sum(1 for f in left if fixable(f))
            click.echo(f"{len(left)} finding{'s' if len(left) != 1 else ''}"
                       + (f" ({n} fixable with --fix)" if n and not fix else ""), err=True)
            sys.exit(1)

    return lint_command


lint_command = _command()
