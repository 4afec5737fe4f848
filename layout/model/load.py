"""Issue file → model: parse YAML (safe loader only), validate, and build the data classes.

Every error names the file, line and column, says what is wrong and how to fix it.
"""
from __future__ import annotations

import datetime as dt
import difflib
import os
import re
import stat
from pathlib import Path

import yaml

from ..errors import IssueFileError
from ..text.classify import LEVELS
from dataclasses import replace

from .housefonts import house_fonts
from .document import (Ad, Article, Box, Deck, Issue, Masthead, Page, PartStyle, Photo, Source,
                       Typography, VerticalHead)
from . import lookalikes
from .geometry import PRESETS, parse_size
from .photos import PhotoError, inspect_photo
from .hints import article_hints, check_page_hints, span_range
from .placement import check_placement

# Text that could never be set is refused: every character of an article is set (the
# overflow counted too), at about 1 KB and 40 µs each.
MAX_ARTICLE_CHARS = 50_000
MAX_ALIASES = 100          # an alias bomb ("billion laughs") is refused long before it costs
MAX_BYTES = 20 * 1024 * 1024
# What the document may hold with every alias written out (values + characters): as much as a
# file may. Fewer than MAX_ALIASES aliases can still nest to 10^10 values; nothing downstream
# (the loader, print settings, messages that quote a value) may ever be handed such a thing.
MAX_EXPANDED = MAX_BYTES

ISSUE_KEYS = {"paper", "date", "number", "page_count", "pages", "print", "typography", "fonts",
              "masthead", "deck_style"}
PAGE_KEYS = {"number", "section", "geometry", "editors", "articles", "typography", "ads",
             "deck_style", "continuations", "inks", "rules"}
# 转版: the part of an article that goes on on a later page; its text comes from the first part.
CONTINUATION_KEYS = {"id", "module", "continued_from", "short_headline", "photos", "box"}
AD_KEYS = {"id", "module", "file", "label"}
ARTICLE_KEYS = {"id", "module", "kicker", "headline", "subhead", "headline_size", "dateline",
                "byline", "paragraphs", "photos", "typography",
                "deck_style", "headline_vertical", "byline_position", "box", "short_headline",
                "priority", "span", "zone", "keep_with",    # the planner's hints
                "deck_lines",
                "tint", "headline_reverse", "columns", "body_style"}
DECK_PARTS = ("kicker", "headline", "subhead")
PART_STYLE_KEYS = {"face", "size", "min_size", "max_size", "tracking", "lines"}
BODY_STYLE_KEYS = {"face", "size"}
FACES = ("serif", "serif-bold", "sans-bold", "kai", "fangsong")
VERTICAL_KEYS = {"side", "columns"}
MASTHEAD_KEYS = {"span", "lines", "subtitle", "color"}
BYLINE_POSITIONS = ("end", "after_dateline")
TYPOGRAPHY_KEYS = {"level", "punctuation", "latin_gap", "digit_gap", "drop_opening"}
PUNCTUATION = ("quanjiao", "kaiming", "banjiao")
PHOTO_KEYS = {"file", "caption", "credit", "place", "focus", "aspect", "span", "ink", "fit",
              "caption_side", "group", "strips"}
PHOTO_FITS = ("cover", "contain")
PHOTO_STRIPS = ("resolve", "keep")    # 碎栏: the photo's height may change (compose/strips.py)
CAPTION_SIDES = ("below", "right", "left")
INK_CHOICES = ("k", "cmyk")       # a photo's `ink:`, a page's `inks:` (docs/print.md)
BOX_KEYS = {"column", "span", "line", "lines"}


class _Map(dict):
    """A mapping that remembers where it and each of its keys stand in the file."""
    mark: tuple[int, int] = (0, 0)
    key_marks: dict               # key → where its value starts
    key_starts: dict              # key → where the key itself starts


class _Seq(list):
    mark: tuple[int, int] = (0, 0)
    item_marks: list


class _Refused(yaml.MarkedYAMLError):
    """Valid YAML an issue file may not hold: reported with its own message and hint."""

    def __init__(self, problem: str, mark, hint: str):
        super().__init__(None, None, problem, mark)
        self.hint = hint


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, recording positions and counting aliases."""

    def __init__(self, stream):
        super().__init__(stream)
        self.aliases = 0

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            self.aliases += 1
            if self.aliases > MAX_ALIASES:
                ev = self.peek_event()
                raise _Refused(f"more than {MAX_ALIASES} aliases (*name): refused as a possible "
                               "alias bomb", ev.start_mark,
                               "write the values out instead of repeating *aliases")
        return super().compose_node(parent, index)


def _construct_mapping(loader, node, deep=False):
    m = _Map()
    m.mark = (node.start_mark.line + 1, node.start_mark.column + 1)
    m.key_marks = {}
    m.key_starts = {}
    m.raw = {}
    for key_node, value_node in node.value:
        if key_node.tag == "tag:yaml.org,2002:merge":
            raise _Refused("merge keys (<<: *name) are not supported in an issue file",
                           key_node.start_mark, "write the keys out in this mapping (copy them "
                           "from the one the alias names); an article's style can be shared "
                           "with deck_style and typography on the page or the issue instead")
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise yaml.constructor.ConstructorError(None, None, "a key must be a plain value",
                                                    key_node.start_mark)
        if key in m:
            raise yaml.constructor.ConstructorError(
                None, None, f"key {key!r} appears twice in this mapping", key_node.start_mark)
        m[key] = loader.construct_object(value_node, deep=True)
        if _number_as_written(value_node) is not None:
            m.raw[key] = value_node.value
        m.key_marks[key] = (value_node.start_mark.line + 1, value_node.start_mark.column + 1)
        m.key_starts[key] = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
    return m


def _construct_sequence(loader, node, deep=False):
    s = _Seq(loader.construct_object(child, deep=True) for child in node.value)
    s.mark = (node.start_mark.line + 1, node.start_mark.column + 1)
    s.item_marks = [(c.start_mark.line + 1, c.start_mark.column + 1) for c in node.value]
    s.raw = {k: c.value for k, c in enumerate(node.value) if _number_as_written(c) is not None}
    return s


_NUMBER_TAGS = ("tag:yaml.org,2002:int", "tag:yaml.org,2002:float")


def _number_as_written(node) -> str | None:
    """A plain scalar YAML reads as a number (3.10, 1_000, .inf, 0012, 12:30): its text as
    written, which a text field keeps (3.10 stays 3.10, not 3.1). (A plain style is None in
    PyYAML's parser, "" in libyaml's.)"""
    if isinstance(node, yaml.ScalarNode) and node.tag in _NUMBER_TAGS and not node.style:
        return node.value
    return None


_SURROGATE = re.compile("[\ud800-\udfff]")


def _construct_str(loader, node):
    """Text; a UTF-16 surrogate pair written as two escapes ("\\ud83d\\ude00") is the
    character it encodes, a lone surrogate ("\\ud800") is refused: it is not a character,
    and no font, PDF string or terminal can hold it."""
    value = loader.construct_scalar(node)
    if _SURROGATE.search(value):
        data = value.encode("utf-16-le", "surrogatepass")
        try:
            value = data.decode("utf-16-le")
        except UnicodeDecodeError as e:
            bad = int.from_bytes(data[e.start:e.start + 2], "little")
            raise _Refused(f"the text holds U+{bad:04X}, half of a UTF-16 surrogate pair, "
                           "which is not a character", node.start_mark,
                           "write the character itself, its \\U escape (\\U0001F600) or "
                           "both halves of the pair (\\ud83d\\ude00)") from None
    return value


MAX_DIGITS = 1000          # no number field needs more; Python refuses int("9" * 4301)


def _construct_int(loader, node):
    value = loader.construct_scalar(node)
    if len(value) > MAX_DIGITS:
        raise _Refused(f"a number of {len(value)} digits: no field takes a number that long",
                       node.start_mark, "if it is text, quote it ('…')")
    return yaml.constructor.SafeConstructor.construct_yaml_int(loader, node)


# libyaml's parser (when PyYAML has it) reads a 16-page issue ten times faster than the pure
# Python one. It is used only for files without anchors (&name), where no alias can occur, so
# the alias guard in `_Loader.compose_node` has nothing to count; and any error it meets is
# raised again by the Python loader, whose messages the hints and the tests know.
_CLoader = None
if getattr(yaml, "__with_libyaml__", False):
    class _CLoader(yaml.CSafeLoader):             # type: ignore[no-redef]
        """The same constructors over libyaml's parser."""

for _cls in (_Loader, _CLoader):
    if _cls is None:
        continue
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping)
    _cls.add_constructor(yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _construct_sequence)
    # Dates stay strings: the model keeps ISO text; the loader checks it.
    _cls.add_constructor("tag:yaml.org,2002:timestamp",
                         lambda loader, node: loader.construct_scalar(node))
    _cls.add_constructor("tag:yaml.org,2002:str", _construct_str)
    _cls.add_constructor("tag:yaml.org,2002:int", _construct_int)


class _Ctx:
    faces = FACES

    def __init__(self, path: Path):
        self.path = path
        self.continued_from: dict[str, tuple] = {}     # continuation id → where it names its article

    def src(self, mark) -> Source:
        return Source(self.path, *mark) if mark else Source(self.path)

    def fail(self, message: str, mark=None, hint: str = ""):
        found = self._lookalike(mark)
        if found:                  # (an article's list written with — reads as text)
            column, problem, fix = found
            raise IssueFileError(problem, where=self.src((mark[0], column)), hint=fix)
        raise IssueFileError(message, where=self.src(mark), hint=hint)

    def _lookalike(self, mark):
        """A look-alike character on the line an error points at (lookalikes.py)."""
        if not mark or not mark[0]:
            return None
        try:
            lines = read_text(self.path).splitlines()
        except IssueFileError:
            return None
        return lookalikes.lookalike(lines[mark[0] - 1]) if mark[0] <= len(lines) else None

    def at(self, m, key):
        if isinstance(m, _Map) and key in m.key_marks:
            return m.key_marks[key]
        return getattr(m, "mark", None)

    def mapping(self, value, what: str, mark, known: set[str], required: tuple[str, ...] = ()):
        if not isinstance(value, dict):
            self.fail(f"{what} must be a mapping (key: value lines), not {_kind(value)}", mark)
        for key in value:
            if key not in known:
                near = difflib.get_close_matches(str(key), sorted(known), n=1, cutoff=0.6)
                hint = f"did you mean {near[0]}?" if near else "known keys: " + ", ".join(sorted(known))
                self.fail(f"unknown key {key!r} in {what}", getattr(value, "key_starts", {}).get(
                    key, mark), hint)
        for key in required:
            if key not in value or value[key] is None or (isinstance(value[key], str)
                                                          and not value[key].strip()):
                self.fail(f"{what} is missing {key!r}", getattr(value, "mark", mark),
                          f"add a line '{key}: …'")
        return value

    def text(self, m, key, what: str, default: str = "") -> str:
        v = m.get(key, default)
        if v is None:
            return default
        if not _scalar(v):
            self.fail(f"{what} {key!r} must be text, not {_kind(v)}", self.at(m, key))
        return _as_written(m, key, v).strip()

    def integer(self, m, key, what: str, lo: int = 1, hi: int | None = None) -> int:
        v = m.get(key)
        if isinstance(v, bool) or not isinstance(v, int):
            self.fail(f"{what} {key!r} must be a whole number, not {_kind(v)}", self.at(m, key))
        if v < lo or (hi is not None and v > hi):
            rng = f"{lo} … {hi}" if hi is not None else f"at least {lo}"
            self.fail(f"{what} {key!r} is {v}; it must be {rng}", self.at(m, key))
        return v


def _emphasis(ctx, paras, k: int, text: str, what: str):
    """A paragraph's plain text and emphasis spans (text/markup.py); markup that does not
    balance is an error at the paragraph."""
    return _marked(ctx, text, paras.item_marks[k] if isinstance(paras, _Seq) else None,
                   f"{what}: paragraph {k + 1}")


def _marked(ctx, text: str, where, what: str):
    """Text with inline emphasis (a paragraph, a caption): its plain text and spans
    (text/markup.py); markup that does not balance is an error at `where`."""
    from ..text.markup import MarkupError, parse

    try:
        return parse(text)
    except MarkupError as e:
        ctx.fail(f"{what}, character {e.offset + 1}: {e}", where,
                 "close it (**bold**, [.着重.], {kai:楷体}) or write a backslash before the "
                 "character to print it as it is (\\*, \\[, \\{)")


def _head(text: str) -> str:
    """A deck part: `|` is the editor's forced break without a gap, kept as a newline (white
    space: what the invariants compare skips it); `\\|` is a bar."""
    return "|".join(p.replace("|", "\n") for p in text.split("\\|"))


def _as_written(container, key, v) -> str:
    """A text value as the file writes it: a number typed where text is meant keeps its
    digits (3.10, 1_000, .inf), not Python's reading of them (3.1, 1000, inf)."""
    raw = getattr(container, "raw", {}).get(key)
    return raw if raw is not None else str(v)


def _scalar(v) -> bool:
    """Text, or a number written where text is meant (page 3, issue 1234); never true/false."""
    return isinstance(v, (str, int, float)) and not isinstance(v, bool)


def _kind(v) -> str:
    if v is None:
        return "empty"
    return {dict: "a mapping", _Map: "a mapping", list: "a list", _Seq: "a list", str: "text",
            int: "a number", float: "a number", bool: "true/false"}.get(type(v), type(v).__name__)


_YAML_HINTS = (
    ("appears twice", "delete one of the two (the second one is shown)"),
    ("could not determine a constructor", "an issue file is plain YAML: remove the tag (!…)"),
    ("undefined alias", "define the anchor (&name) before *name, or write the value out"),
    ("single document", "an issue file is one YAML document: remove the '---' line"),
    ("a key must be a plain value", "write each key as a plain word (headline: …)"),
    ("recursive node", "an alias (*name) cannot stand inside the value it names"),
)


def read_bytes(path: Path, what: str = "issue file") -> bytes:
    """The bytes of a YAML file paiban reads (issue or printer file): a regular file of at
    most MAX_BYTES, checked before anything is read (a device such as /dev/zero or a FIFO
    would be read without end, a 3 GB file whole), and never more than MAX_BYTES + 1 read."""
    try:
        # O_NONBLOCK: opening a FIFO does not wait for a writer (no effect on a regular file)
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise IssueFileError(f"no such {what}: {path}", hint="check the path") from None
    except IsADirectoryError:
        raise IssueFileError(f"{path} is a folder, not an {what}", where=Source(path)) from None
    except OSError as e:
        raise IssueFileError(f"cannot read {path}: {e.strerror}") from None
    with os.fdopen(fd, "rb") as f:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            kind = ("a folder" if stat.S_ISDIR(st.st_mode) else
                    "a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode) else
                    "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    "a socket" if stat.S_ISSOCK(st.st_mode) else "not a regular file")
            raise IssueFileError(f"{path} is {kind}, not an {what}", where=Source(path),
                                 hint=f"name the {what} itself (a .yaml file)")
        size = st.st_size
        raw = b""
        if size <= MAX_BYTES:
            try:
                raw = f.read(size + 1)          # not MAX_BYTES + 1: that allocates 20 MB
                if len(raw) > size:             # the file grew since fstat
                    raw += f.read(MAX_BYTES + 1 - len(raw))
            except OSError as e:
                raise IssueFileError(f"cannot read {path}: {e.strerror}") from None
            size = max(size, len(raw))
    if size > MAX_BYTES:
        raise IssueFileError(f"the file is {size / 1024 / 1024:.0f} MB; an {what} is text of "
                             f"at most {MAX_BYTES // 1024 // 1024} MB", where=Source(path))
    return raw


def read_text(path: Path, what: str = "issue file") -> str:
    """The issue file as text; missing, oversized and non-UTF-8 files become IssueFileErrors
    that say how to fix them (GBK/GB18030 and UTF-16/32 are recognised)."""
    raw = read_bytes(path, what)
    for bom, name in ((b"\xff\xfe\x00\x00", "UTF-32"), (b"\x00\x00\xfe\xff", "UTF-32"),
                      (b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16")):
        if raw.startswith(bom):
            raise IssueFileError(f"the file is {name} text, not UTF-8", where=Source(path, 1),
                                 hint=f"save it as UTF-8, e.g. `iconv -f {name} -t UTF-8 "
                                      f"{path.name} > utf8.yaml`")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        hint = "save the file as UTF-8"
        try:
            raw.decode("gb18030")
            hint = ("the file decodes as GBK/GB18030: convert it with "
                    f"`iconv -f GB18030 -t UTF-8 {path.name} > utf8.yaml` or save it as UTF-8")
        except UnicodeDecodeError:
            pass
        raise IssueFileError("the file is not UTF-8 text", where=Source(path, line), hint=hint) from None
    return text


def read_yaml(path: Path, what: str = "issue file"):
    """Parse the file; YAML and encoding errors become IssueFileErrors with line and column."""
    text = read_text(path, what)
    if _CLoader is not None and "&" not in text:
        loader = _CLoader(text)
        try:
            return loader.get_single_data()
        except (yaml.YAMLError, RecursionError):
            pass                      # reported below, in the Python loader's words
        finally:
            loader.dispose()
    try:
        loader = _Loader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        if loader.aliases and _expanded_size(data) > MAX_EXPANDED:
            raise IssueFileError(
                f"the aliases (*name) in this file expand to more than {MAX_EXPANDED // 1024 // 1024}"
                " MB of values: refused as a possible alias bomb", where=Source(path),
                hint="write the values out instead of repeating *aliases")
        return data
    except _Refused as e:
        mark = e.problem_mark
        raise IssueFileError(e.problem, where=Source(path, mark.line + 1, mark.column + 1),
                             hint=e.hint) from None
    except yaml.MarkedYAMLError as e:
        raise yaml_error(path, text, e) from None
    except yaml.reader.ReaderError as e:
        # A control character the YAML reader refuses: say where it is and which.
        before = text[: e.position]
        line, col = before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1
        ch = e.character if isinstance(e.character, str) else chr(e.character)
        raise IssueFileError(f"the file contains the control character U+{ord(ch):04X}, which "
                             "YAML does not allow", where=Source(path, line, col),
                             hint="delete it (it is often pasted in with text from a PDF or a "
                                  "word processor)") from None
    except yaml.YAMLError as e:
        raise IssueFileError(f"YAML: {e}", where=Source(path)) from None
    except RecursionError:
        raise IssueFileError("the YAML is nested too deeply", where=Source(path)) from None


def yaml_error(path: Path, text: str, e: yaml.MarkedYAMLError) -> IssueFileError:
    """A YAML syntax error, located; a look-alike character (date：, an ideographic space in
    the indentation, — for '- ') on the line or just above it is named instead, where it is:
    YAML itself trips over it a line or more later."""
    mark = e.problem_mark or e.context_mark
    if mark is not None:
        found = lookalikes.near(text, mark.line + 1)
        if found:
            line, col, problem, fix = found
            return IssueFileError(f"YAML syntax: {problem}", where=Source(path, line, col),
                                  hint=fix)
    msg = " ".join(x for x in (e.context, e.problem) if x) or "invalid YAML"
    hint = next((h for k, h in _YAML_HINTS if k in msg),
                "check the indentation and the quoting on that line")
    return IssueFileError(f"YAML syntax: {msg}",
                          where=Source(path, mark.line + 1, mark.column + 1) if mark else path,
                          hint=hint)


def _expanded_size(data) -> int:
    """Values plus characters of `data` with every alias written out, counted without writing
    them out (each shared node is sized once)."""
    memo: dict[int, int] = {}

    def size(x) -> int:
        if isinstance(x, (dict, list)):
            k = id(x)
            if k not in memo:
                memo[k] = MAX_EXPANDED + 1       # a node met again while sizing it: a cycle
                items = [*x.keys(), *x.values()] if isinstance(x, dict) else x
                memo[k] = 1 + sum(size(v) for v in items)
            return memo[k]
        return 1 + len(x) if isinstance(x, str) else 1

    return size(data)


def load_issue(path: str | Path, plans: list | None = None) -> Issue:
    """The issue, its unplaced articles planned (layout/plan; `plans` collects the plans)."""
    path = Path(path)
    data = read_yaml(path)
    ctx = _Ctx(path)
    if data is None:
        ctx.fail("the issue file is empty", hint="see docs/issue-format.md for the format")
    ctx.mapping(data, "the issue", getattr(data, "mark", None) or _first_line(path), ISSUE_KEYS,
                ("paper", "date", "pages"))
    date = ctx.text(data, "date", "the issue")
    try:
        dt.date.fromisoformat(date)
    except ValueError:
        ctx.fail(f"date {date!r} is not a date", ctx.at(data, "date"), "write it as 2023-03-17")
    pages_raw = data["pages"]
    if not isinstance(pages_raw, list) or not pages_raw:
        ctx.fail("'pages' must be a list of pages (lines starting with '- ')", ctx.at(data, "pages"))
    typo = _typography(ctx, data, Typography(), "the issue")
    house = house_fonts(ctx, data, path)                  # model/housefonts.py
    ctx.faces = tuple(dict.fromkeys([*FACES, *house]))    # roles a deck style may name
    styles = _deck_styles(ctx, data, {}, "the issue")
    pages = []
    ids: dict[str, tuple] = {}
    for k, p in enumerate(pages_raw):
        pages.append(_page(ctx, p, pages_raw.item_marks[k] if isinstance(pages_raw, _Seq) else None,
                           path.parent, ids, typo, styles))
    numbers = [p.number for p in pages]
    for n in set(numbers):
        if numbers.count(n) > 1:
            dup = [p for p in pages if p.number == n][1]
            ctx.fail(f"page number {n} appears twice", (dup.source.line, dup.source.column))
    ads = {ad.id for p in pages for ad in p.ads}
    for p in pages:
        for art in p.articles:
            if art.continued_from in ads:
                ctx.fail(f"article {art.id!r} continues {art.continued_from!r}, which is an ad, "
                         "not an article", ctx.continued_from.get(art.id),
                         "continued_from names the id of the article's first part")
    page_count = 0
    if "page_count" in data:
        page_count = ctx.integer(data, "page_count", "the issue", 1, 999)
    printing = data.get("print") or {}
    printing_source = ctx.src(ctx.at(data, "print")) if "print" in data else None
    if isinstance(printing, str):
        # A printer file: the print shop's settings kept once, named by every issue.
        ppath = (path.parent / printing).resolve()
        if not ppath.is_file():
            what = "is not a regular file" if ppath.exists() else "not found"
            ctx.fail(f"printer file {what}: {ppath}", ctx.at(data, "print"),
                     "print: names a YAML file of printer settings, relative to the issue file")
        printing = read_yaml(ppath, "printer file")
        if not isinstance(printing, dict):
            ctx.fail(f"{ppath} is not a printer file: it holds {_kind(printing)}, not a mapping "
                     "of printer settings", ctx.at(data, "print"),
                     "a printer file holds the keys of print: (standard, profile, ink_limit …)")
        printing_source = Source(ppath)
        if isinstance(printing, dict) and "profile" in printing and printing["profile"]:
            printing = dict(printing)
            printing["profile"] = str((ppath.parent / str(printing["profile"])).resolve())
    if not isinstance(printing, dict):
        ctx.fail("'print' must be a mapping of printer settings or the name of a printer file",
                 ctx.at(data, "print"))
    issue = Issue(paper=ctx.text(data, "paper", "the issue"), date=date,
                  number=ctx.text(data, "number", "the issue"), pages=tuple(pages), path=path,
                  page_count=page_count, printing=dict(printing),
                  printing_source=printing_source,
                  masthead=_masthead(ctx, data), fonts=house)
    from ..plan import plan_unplaced

    return check_placement(plan_unplaced(issue, plans))


def _typography(ctx: _Ctx, m, inherited: Typography, what: str) -> Typography:
    """The `typography:` section of an issue, page or article over what it inherits."""
    t = m.get("typography")
    if t is None:
        return inherited
    ctx.mapping(t, f"typography of {what}", ctx.at(m, "typography"), TYPOGRAPHY_KEYS)
    changes = {}
    for key, allowed in (("level", LEVELS), ("punctuation", PUNCTUATION)):
        if key in t:
            if not _scalar(t[key]):
                ctx.fail(f"typography {key} must be one of {', '.join(allowed)}, not {_kind(t[key])}",
                         ctx.at(t, key))
            v = str(t[key])
            if v not in allowed:
                near = difflib.get_close_matches(v, allowed, n=1, cutoff=0.4)
                ctx.fail(f"typography {key} {v!r} is not one of {', '.join(allowed)}",
                         ctx.at(t, key), f"did you mean {near[0]}?" if near else "")
            changes[key] = v
    for key in ("latin_gap", "digit_gap"):
        if key in t:
            v = t[key]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not 0 <= v <= 1:
                ctx.fail(f"typography {key} must be a number of em between 0 and 1, such as 0.25",
                         ctx.at(t, key))
            changes[key] = float(v)
    if "drop_opening" in t:
        if not isinstance(t["drop_opening"], bool):
            ctx.fail("typography drop_opening must be true or false", ctx.at(t, "drop_opening"))
        changes["drop_opening"] = t["drop_opening"]
    return replace(inherited, **changes)


def _page(ctx: _Ctx, p, mark, base: Path, ids, typo: Typography = Typography(),
          styles: dict | None = None) -> Page:
    ctx.mapping(p, "a page", mark, PAGE_KEYS, ("number", "articles"))
    number = ctx.integer(p, "number", "page", 1, 999)
    typo = _typography(ctx, p, typo, f"page {number}")
    styles = _deck_styles(ctx, p, styles or {}, f"page {number}")
    geo_name = ctx.text(p, "geometry", "page", "broadsheet")
    if geo_name not in PRESETS:
        near = difflib.get_close_matches(geo_name, PRESETS, n=1)
        ctx.fail(f"unknown geometry {geo_name!r}", ctx.at(p, "geometry"),
                 f"did you mean {near[0]}?" if near else "use broadsheet or tabloid")
    geo = PRESETS[geo_name]
    editors = ()
    if p.get("editors") is not None:
        ed = p["editors"]
        if not isinstance(ed, dict):
            ctx.fail("'editors' must be a mapping such as 责任编辑: 王某", ctx.at(p, "editors"))
        for k, v in ed.items():
            if not _scalar(v):
                ctx.fail(f"editor {k!r} must be a name (text), not {_kind(v)}", ctx.at(ed, k))
        editors = tuple((str(k), _as_written(ed, k, v).strip()) for k, v in ed.items())
    arts_raw = p["articles"]
    if not isinstance(arts_raw, list):
        ctx.fail("'articles' must be a list of articles", ctx.at(p, "articles"))
    arts = []
    for k, a in enumerate(arts_raw):
        amark = arts_raw.item_marks[k] if isinstance(arts_raw, _Seq) else ctx.at(p, "articles")
        art = _article(ctx, a, amark, base, geo, typo, styles)
        if art.id in ids:
            ctx.fail(f"article id {art.id!r} is used twice (first at line {ids[art.id][0]})",
                     amark, "give each article its own id")
        ids[art.id] = amark
        arts.append(art)
    ads_raw = p.get("ads") or []
    if not isinstance(ads_raw, list):
        ctx.fail("'ads' must be a list of ads", ctx.at(p, "ads"))
    ads = []
    for k, ad in enumerate(ads_raw):
        admark = ads_raw.item_marks[k] if isinstance(ads_raw, _Seq) else ctx.at(p, "ads")
        ctx.mapping(ad, "an ad", admark, AD_KEYS, ("id", "module", "file"))
        aid = ctx.text(ad, "id", "ad")
        if aid in ids:
            ctx.fail(f"id {aid!r} is used twice (first at line {ids[aid][0]})", admark)
        ids[aid] = admark
        file = (base / ctx.text(ad, "file", "ad")).resolve()
        if not file.exists():        # a device or FIFO: inspect_photo says what it is
            ctx.fail(f"ad artwork not found: {file}", ctx.at(ad, "file"),
                     "paths are relative to the issue file")
        _check_picture(ctx, file, ctx.at(ad, "file"))
        ads.append(Ad(id=aid, module=_box(ctx, ad["module"], ctx.at(ad, "module"), f"ad {aid!r} module",
                                          geo.columns, geo.lines),
                      file=file, label=ctx.text(ad, "label", "ad"), source=ctx.src(admark)))
    # Placement: modules must not overlap.
    conts_raw = p.get("continuations") or []
    if not isinstance(conts_raw, list):
        ctx.fail("'continuations' must be a list", ctx.at(p, "continuations"))
    for k, c in enumerate(conts_raw):
        cmark = conts_raw.item_marks[k] if isinstance(conts_raw, _Seq) else ctx.at(p, "continuations")
        art = _article(ctx, c, cmark, base, geo, typo, styles, continuation=True)
        if art.id in ids:
            ctx.fail(f"id {art.id!r} is used twice (first at line {ids[art.id][0]})", cmark)
        ids[art.id] = cmark
        arts.append(art)
    check_page_hints(ctx, arts)
    arts_and_ads = [x for x in arts + ads if x.module is not None]
    for i, a in enumerate(arts_and_ads):
        for b in arts_and_ads[i + 1:]:
            if a.module.overlaps(b.module):
                ctx.fail(f"modules {a.id!r} and {b.id!r} overlap",
                         (b.module.source.line, b.module.source.column) if b.module.source else None,
                         f"{a.id}: columns {a.module.column}–{a.module.last_column}, lines "
                         f"{a.module.line}–{a.module.last_line}; {b.id}: columns {b.module.column}–"
                         f"{b.module.last_column}, lines {b.module.line}–{b.module.last_line}")
    return Page(number=number, section=ctx.text(p, "section", "page"), geometry=geo,
                articles=tuple(arts), editors=editors, ads=tuple(ads),
                source=ctx.src(getattr(p, "mark", mark)), inks=_ink(ctx, p, "inks", "page"),
                rules=_choice(ctx, p, "rules", RULE_STYLES, "page"))


def _box(ctx: _Ctx, m, mark, what: str, cols: int, lines: int, need_lines: bool = True) -> Box:
    if need_lines:
        ctx.mapping(m, what, mark, BOX_KEYS, ("column", "span", "line", "lines"))
    else:                        # a photo's place: its height may follow its aspect
        ctx.mapping(m, what, mark, BOX_KEYS, ("column", "span", "line"))
    col = ctx.integer(m, "column", what, 1, cols)
    span = ctx.integer(m, "span", what, 1, cols)
    line = ctx.integer(m, "line", what, 1, lines)
    n = ctx.integer(m, "lines", what, 1, lines) if "lines" in m else 0
    if col + span - 1 > cols:
        ctx.fail(f"{what} runs past the last column: column {col} + span {span} needs "
                 f"{col + span - 1} columns, the grid has {cols}", ctx.at(m, "span"))
    if line + n - 1 > lines:
        ctx.fail(f"{what} runs past the last line: line {line} + {n} lines needs "
                 f"{line + n - 1}, the grid has {lines}", ctx.at(m, "lines"))
    mk = getattr(m, "mark", mark) or (0, 0)
    return Box(col, span, line, n, Source(ctx.path, *mk))


def _article(ctx: _Ctx, a, mark, base: Path, geo, typo: Typography = Typography(),
             styles: dict | None = None, continuation: bool = False) -> Article:
    if continuation:
        ctx.mapping(a, "a continuation", mark, CONTINUATION_KEYS, ("id", "module", "continued_from"))
    else:
        ctx.mapping(a, "an article", mark, ARTICLE_KEYS, ("id", "headline"))
    aid = ctx.text(a, "id", "article")
    what = f"article {aid!r}"
    if continuation:
        ctx.continued_from[aid] = ctx.at(a, "continued_from")
        if ctx.text(a, "continued_from", what) == aid:
            ctx.fail(f"{what} continues itself: continued_from names its own id",
                     ctx.at(a, "continued_from"), "continued_from names the id of the article's "
                     "first part, on an earlier page; give this continuation an id of its own")
    module = None                # left out: the planner places it
    if a.get("module") is not None or continuation:
        module = _box(ctx, a["module"], ctx.at(a, "module"), f"{what} module", geo.columns,
                      geo.lines)
    paras = a.get("paragraphs") or []
    if not isinstance(paras, list):
        ctx.fail(f"{what}: 'paragraphs' must be a list (each paragraph a line starting with '- ')",
                 ctx.at(a, "paragraphs"))
    written = []                 # (item, its text, an intertitle 小标题)
    for k, para in enumerate(paras):
        at = paras.item_marks[k] if isinstance(paras, _Seq) else ctx.at(a, "paragraphs")
        if isinstance(para, dict):
            ctx.mapping(para, f"{what} paragraph {k + 1}", at, {"intertitle"}, ("intertitle",))
            written.append((k, ctx.text(para, "intertitle", f"{what} paragraph {k + 1}"), True))
            continue
        if not isinstance(para, (str, int, float)) or isinstance(para, bool):
            ctx.fail(f"{what}: paragraph {k + 1} must be text, not {_kind(para)}", at,
                     "an intertitle (小标题) is written intertitle: …")
        written.append((k, _as_written(paras, k, para).strip(), False))
    written = [w for w in written if w[1]]
    marked = [_emphasis(ctx, paras, k, t, what) for k, t, _ in written]
    paragraphs = tuple(p.plain for p in marked)
    intertitles = frozenset(n for n, w in enumerate(written) if w[2])
    total = 0
    for k, text, _ in written:
        total += len(text)
        if total > MAX_ARTICLE_CHARS:
            ctx.fail(f"{what} runs past {MAX_ARTICLE_CHARS:,} characters of text at paragraph "
                     f"{k + 1}: paiban sets at most that many per article (about four pages of "
                     "broadsheet body text)", paras.item_marks[k] if isinstance(paras, _Seq)
                     else ctx.at(a, "paragraphs"), "split it into articles (a jump, 转版, carries "
                     "the rest to a later page), or cut it")
    if not paragraphs and not continuation:
        ctx.fail(f"{what} has no text", ctx.at(a, "paragraphs") if "paragraphs" in a else mark,
                 "add 'paragraphs:' with at least one paragraph")
    size = None
    if a.get("headline_size") is not None:
        if not _scalar(a["headline_size"]):
            ctx.fail(f"{what}: headline_size must be a size such as 36pt, 12mm or 小初, not "
                     f"{_kind(a['headline_size'])}", ctx.at(a, "headline_size"))
        try:
            size = parse_size(a["headline_size"])
        except ValueError as e:
            ctx.fail(f"{what}: headline_size: {e}", ctx.at(a, "headline_size"))
    photos_raw = a.get("photos") or []
    if not isinstance(photos_raw, list):
        ctx.fail(f"{what}: 'photos' must be a list", ctx.at(a, "photos"))
    photos = []
    for k, ph in enumerate(photos_raw):
        pmark = photos_raw.item_marks[k] if isinstance(photos_raw, _Seq) else ctx.at(a, "photos")
        photos.append(_photo(ctx, ph, pmark, base, module, what))
    hints = article_hints(ctx, a, what, module, geo.columns,
                          [span_range(ctx, ph, "span", what, geo.columns) for ph in photos_raw
                           if isinstance(ph, dict)])
    styles = _deck_styles(ctx, a, styles or {}, what)
    bpos = ctx.text(a, "byline_position", what, "end")
    if bpos not in BYLINE_POSITIONS:
        ctx.fail(f"{what}: byline_position {bpos!r} is not one of {', '.join(BYLINE_POSITIONS)}",
                 ctx.at(a, "byline_position"))
    if bpos == "after_dateline" and not (a.get("dateline") and a.get("byline")):
        ctx.fail(f"{what}: byline_position after_dateline needs both a dateline and a byline",
                 ctx.at(a, "byline_position"))
    return Article(
        id=aid, module=module,
        deck=Deck(kicker=_head(ctx.text(a, "kicker", what)),
                  headline=_head(ctx.text(a, "headline", what)),
                  subhead=_head(ctx.text(a, "subhead", what)), headline_size=size,
                  lines=ctx.integer(a, "deck_lines", what, 1, geo.lines)
                  if a.get("deck_lines") is not None else None,
                  kicker_style=styles.get("kicker", PartStyle()),
                  headline_style=styles.get("headline", PartStyle()),
                  subhead_style=styles.get("subhead", PartStyle()),
                  vertical=_vertical(ctx, a, what, module)),
        byline_position=bpos, **_module_style(ctx, a, what),
        columns=_own_columns(ctx, a, what, module, geo), **_body_style(ctx, a, what),
        continued_from=ctx.text(a, "continued_from", what),
        short_headline=ctx.text(a, "short_headline", what),
        paragraphs=paragraphs, dateline=ctx.text(a, "dateline", what),
        emphasis=tuple(p.spans for p in marked) if any(p.spans for p in marked) else (),
        intertitles=intertitles,
        byline=ctx.text(a, "byline", what), photos=tuple(photos),
        typography=_typography(ctx, a, typo, what), source=ctx.src(getattr(a, "mark", mark)),
        hints=hints)


def _photo(ctx: _Ctx, ph, mark, base: Path, module: Box, what: str) -> Photo:
    ctx.mapping(ph, f"a photo of {what}", mark, PHOTO_KEYS, ("file",))
    file = (base / ctx.text(ph, "file", "photo")).resolve()
    if file.is_dir():
        ctx.fail(f"photo {file} is a folder, not a picture", ctx.at(ph, "file"))
    if not file.exists():            # a device or FIFO: inspect_photo says what it is
        ctx.fail(f"photo file not found: {file}", ctx.at(ph, "file"),
                 "paths are relative to the issue file")
    _check_picture(ctx, file, ctx.at(ph, "file"))
    place = None
    aspect = None
    if ph.get("aspect") is not None:
        aspect = _aspect(ctx, ph, what)
    if ph.get("place") is not None and module is None:
        ctx.fail(f"{what}: a photo's place is relative to its article's module, and the article "
                 "has none", ctx.at(ph, "place"), "give the article a module, or leave out the "
                 "place to have the photo planned")
    if ph.get("place") is not None:
        place = _box(ctx, ph["place"], ctx.at(ph, "place"), f"photo place in {what}",
                     module.span, module.lines, need_lines=False)
    focus = (0.5, 0.5)
    if ph.get("focus") is not None:
        f = ph["focus"]
        if (not isinstance(f, list) or len(f) != 2
                or not all(isinstance(v, (int, float)) and not isinstance(v, bool) and 0 <= v <= 1 for v in f)):
            ctx.fail(f"{what}: photo focus must be [x, y] with both between 0 and 1",
                     ctx.at(ph, "focus"), "for example focus: [0.5, 0.3]")
        focus = (float(f[0]), float(f[1]))
    caption = _marked(ctx, ctx.text(ph, "caption", "photo"), ctx.at(ph, "caption"),
                      f"{what}: a photo's caption")
    return Photo(file=file, caption=caption.plain, caption_spans=caption.spans,
                 credit=ctx.text(ph, "credit", "photo"), place=place, focus=focus,
                 source=ctx.src(getattr(ph, "mark", mark)), aspect=aspect,
                 ink=_ink(ctx, ph, "ink", "photo"), fit=_choice(ctx, ph, "fit", PHOTO_FITS, what),
                 strips=_choice(ctx, ph, "strips", PHOTO_STRIPS, what),
                 **_photo_layout(ctx, ph, base, place, what, planned=module is None))


def _photo_layout(ctx: _Ctx, ph, base: Path, place: Box | None, what: str,
                  planned: bool = False) -> dict:
    """`caption_side:` (a caption in a column beside the picture; needs the photo's `place`)
    and `group:` (组图: further pictures side by side under one caption)."""
    out = {}
    side = _choice(ctx, ph, "caption_side", CAPTION_SIDES, what)
    if side != "below" and place is None and not planned:      # planned: the planner places it
        ctx.fail(f"{what}: a photo with caption_side needs its place", ctx.at(ph, "caption_side"),
                 "give the photo a place: {column, span, line, lines}")
    if side != "below":
        if place is not None and place.span < 2:
            ctx.fail(f"{what}: a caption beside the picture needs a place of 2 columns or more "
                     "(the caption takes one)", ctx.at(ph, "caption_side"))
        out["caption_side"] = side
    group = ph.get("group")
    if group is not None:
        if not isinstance(group, list) or not group or not all(isinstance(f, str) for f in group):
            ctx.fail(f"{what}: group must be a list of picture files", ctx.at(ph, "group"),
                     "for example group: [photos/b.jpg, photos/c.jpg]")
        files = []
        for f in group:
            file = (base / f).resolve()
            if not file.is_file():
                ctx.fail(f"photo file not found: {file}", ctx.at(ph, "group"),
                         "paths are relative to the issue file")
            _check_picture(ctx, file, ctx.at(ph, "group"))
            files.append(file)
        out["group"] = tuple(files)
    return out


def _ink(ctx: _Ctx, m, key: str, what: str) -> str:
    """A photo's `ink:` or a page's `inks:`: k (black alone) or cmyk; "" when not given."""
    v = ctx.text(m, key, what).strip().lower()
    if v and v not in INK_CHOICES:
        ctx.fail(f"{key}: {v!r} is not k (black only) or cmyk", ctx.at(m, key),
                 f"{key}: k prints the {what} in black alone")
    return v


RULE_STYLES = ("hairline", "thick-thin", "dotted", "flower")   # compose/furniture.py draws them
HEAD_BLOCKS = ("black", "red")
MAX_TINT = 50          # percent of any ink: a tint is a light ground under black text


def _module_style(ctx: _Ctx, a, what: str) -> dict:
    """`box:` (true or a rule style), `tint:` (K percent, or [C, M, Y, K] percent) and
    `headline_reverse:` (true, black or red) of an article."""
    box = a.get("box")
    if isinstance(box, str) and box not in RULE_STYLES:
        ctx.fail(f"{what}: box must be true or false, or a rule style ({', '.join(RULE_STYLES)}), "
                 f"not {box!r}", ctx.at(a, "box"), "for example box: thick-thin (文武线)")
    out = {"box": _flag(ctx, a, "box", what) if not isinstance(box, str) else True}
    if isinstance(box, str):
        out["box_style"] = box
    if a.get("tint") is not None:
        t = a["tint"]
        vals = [0, 0, 0, t] if not isinstance(t, list) else t
        if (len(vals) != 4 or not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                      and 0 <= v <= MAX_TINT for v in vals) or not any(vals)):
            ctx.fail(f"{what}: tint must be a K percentage or [C, M, Y, K] percentages, each "
                     f"0 … {MAX_TINT}", ctx.at(a, "tint"),
                     "for example tint: 10 (10 % black) or tint: [10, 0, 20, 0]")
        out["tint"] = tuple(v / 100 for v in vals)
    rev = a.get("headline_reverse")
    if rev is not None and rev is not False:
        if a.get("headline_vertical"):
            ctx.fail(f"{what}: headline_reverse is for a horizontal head, not a 竖题",
                     ctx.at(a, "headline_reverse"))
        out["headline_reverse"] = ("black" if rev is True
                                   else _choice(ctx, a, "headline_reverse", HEAD_BLOCKS, what))
    return out


MIN_COLUMN_CHARS = 6      # 破栏: the narrowest column a module's own columns may have


def _own_columns(ctx: _Ctx, a, what: str, module: Box | None, geo) -> int:
    """破栏 `columns:`: the body in this many equal columns across the module (0: the grid's)."""
    if a.get("columns") is None:
        return 0
    if module is None:          # planned: the planner takes spans where the columns are wide enough
        return ctx.integer(a, "columns", what, 1, 2 * geo.columns)
    k = ctx.integer(a, "columns", what, 1, 2 * module.span)
    width, _ = geo.own_columns(module.span, k)
    if width < MIN_COLUMN_CHARS * geo.body_size:
        ctx.fail(f"{what}: {k} columns across {module.span} grid columns would be "
                 f"{int(width / geo.body_size)} characters wide; a column needs at least "
                 f"{MIN_COLUMN_CHARS}", ctx.at(a, "columns"), "take fewer columns")
    return k


BODY_SIZES = (6.0, 18.0)     # pt: solid one-ink type ≥ 6 pt (docs/print.md)


def _body_style(ctx: _Ctx, a, what: str) -> dict:
    """`body_style: {face, size}`: the article's body face (kai for 评论) and size (smaller for
    短讯); byline and dateline keep their faces at that size."""
    b = a.get("body_style")
    if b is None:
        return {}
    where = f"body_style of {what}"
    ctx.mapping(b, where, ctx.at(a, "body_style"), BODY_STYLE_KEYS)
    out = {}
    if "face" in b:
        out["body_face"] = _face(ctx, b, where)
    if "size" in b:
        try:
            v = parse_size(b["size"])
        except ValueError as e:
            ctx.fail(f"{where}: size: {e}", ctx.at(b, "size"))
        if not BODY_SIZES[0] <= v <= BODY_SIZES[1]:
            ctx.fail(f"{where}: size {v:g} pt is not between {BODY_SIZES[0]:g} and "
                     f"{BODY_SIZES[1]:g} pt", ctx.at(b, "size"))
        out["body_size"] = v
    return out


def _face(ctx: _Ctx, m, where: str) -> str:
    """A `face:`: a bundled face or a role of the issue's `fonts:`."""
    face = str(m["face"])
    if face not in ctx.faces:
        near = difflib.get_close_matches(face, ctx.faces, n=1, cutoff=0.4)
        ctx.fail(f"{where}: face {face!r} is not one of {', '.join(ctx.faces)}",
                 ctx.at(m, "face"), f"did you mean {near[0]}?" if near else "")
    return face


def _choice(ctx: _Ctx, m, key: str, choices: tuple[str, ...], what: str) -> str:
    """A key whose value is one of `choices` (the first is the default when it is not given)."""
    v = ctx.text(m, key, what).strip().lower() or choices[0]
    if v not in choices:
        ctx.fail(f"{what}: {key} {v!r} is not one of {', '.join(choices)}", ctx.at(m, key),
                 f"for example {key}: {choices[-1]}")
    return v


def _aspect(ctx: _Ctx, ph, what: str) -> float:
    """`aspect: 4:3`, `3/2` or a number (width / height)."""
    v = ph["aspect"]
    try:
        if isinstance(v, bool):
            raise ValueError
        if isinstance(v, (int, float)):
            r = float(v)
        else:
            t = str(v).replace("：", ":").replace("/", ":").strip()
            w, _, h = t.partition(":")
            r = float(w) / float(h) if h else float(w)
        if not 0.2 <= r <= 5:
            raise ValueError
    except (ValueError, ZeroDivisionError):
        ctx.fail(f"{what}: photo aspect {v!r} is not a width:height ratio between 1:5 and 5:1",
                 ctx.at(ph, "aspect"), "for example aspect: 4:3 (quote it: '4:3')")
    return r


def _flag(ctx: _Ctx, m, key: str, what: str) -> bool:
    v = m.get(key, False)
    if v is None:
        return False
    if not isinstance(v, bool):
        ctx.fail(f"{what}: {key} must be true or false, not {_kind(v)}", ctx.at(m, key))
    return v


def _vertical(ctx: _Ctx, a, what: str, module: Box) -> VerticalHead | None:
    """`headline_vertical: true` or `{side: right|left, columns: N}`."""
    v = a.get("headline_vertical")
    if v is None or v is False:
        return None
    if v is True:
        vh = VerticalHead()
    else:
        ctx.mapping(v, f"headline_vertical of {what}", ctx.at(a, "headline_vertical"), VERTICAL_KEYS)
        side = ctx.text(v, "side", what, "right")
        if side not in ("right", "left"):
            ctx.fail(f"{what}: headline_vertical side {side!r} must be right or left", ctx.at(v, "side"))
        cols = ctx.integer(v, "columns", f"{what} headline_vertical", 1, 3) if "columns" in v else 1
        vh = VerticalHead(side=side, columns=cols)
    if module is not None and vh.columns >= module.span:     # planned: the planner's spans
        ctx.fail(f"{what}: a vertical headline of {vh.columns} column(s) leaves no room for the "
                 f"body in a module of {module.span}", ctx.at(a, "headline_vertical"),
                 "widen the module or use columns: 1")
    return vh


def _deck_styles(ctx: _Ctx, m, inherited: dict, what: str) -> dict:
    """`deck_style: {headline: {face, size, min_size, max_size, tracking, lines}, kicker: …,
    subhead: …}` of an issue, page or article over what it inherits, key by key."""
    d = m.get("deck_style")
    if d is None:
        return inherited
    ctx.mapping(d, f"deck_style of {what}", ctx.at(m, "deck_style"), set(DECK_PARTS))
    out = dict(inherited)
    for part in DECK_PARTS:
        if part not in d or d[part] is None:
            continue
        ps = d[part]
        where = f"deck_style {part} of {what}"
        ctx.mapping(ps, where, ctx.at(d, part), PART_STYLE_KEYS)
        changes = {}
        if "face" in ps:
            changes["face"] = _face(ctx, ps, where)
        for key in ("size", "min_size", "max_size"):
            if key in ps:
                try:
                    v = parse_size(ps[key])
                except ValueError as e:
                    ctx.fail(f"{where}: {key}: {e}", ctx.at(ps, key))
                if not 5 <= v <= 200:
                    ctx.fail(f"{where}: {key} {v:g} pt is not between 5 and 200 pt", ctx.at(ps, key))
                changes[key] = v
        if "tracking" in ps:
            v = ps["tracking"]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or not -0.2 <= v <= 1:
                ctx.fail(f"{where}: tracking must be a number of em between -0.2 and 1, such as 0.05",
                         ctx.at(ps, "tracking"))
            changes["tracking"] = float(v)
        if "lines" in ps:
            changes["lines"] = ctx.integer(ps, "lines", where, 1, 6)
        lo = changes.get("min_size", getattr(out.get(part), "min_size", None))
        hi = changes.get("max_size", getattr(out.get(part), "max_size", None))
        if lo and hi and lo > hi:
            ctx.fail(f"{where}: min_size {lo:g} pt is larger than max_size {hi:g} pt",
                     ctx.at(ps, "min_size" if "min_size" in ps else "max_size"))
        out[part] = replace(out.get(part, PartStyle()), **changes)
    return out


def _masthead(ctx: _Ctx, data) -> Masthead:
    m = data.get("masthead")
    if m is None:
        return Masthead()
    ctx.mapping(m, "masthead", ctx.at(data, "masthead"), MASTHEAD_KEYS)
    changes = {}
    if "span" in m:
        changes["span"] = ctx.integer(m, "span", "masthead", 1, 8)
    if "lines" in m:
        changes["lines"] = ctx.integer(m, "lines", "masthead", 6, 30)
    if "subtitle" in m:
        changes["subtitle"] = ctx.text(m, "subtitle", "masthead")
    if "color" in m:
        c = ctx.text(m, "color", "masthead")
        if c not in ("red", "black"):
            ctx.fail(f"masthead color {c!r} must be red or black", ctx.at(m, "color"))
        changes["color"] = c
    return Masthead(**changes)


def _first_line(path: Path):
    """(line, 1) of the first line that is neither blank nor a comment: where a document that
    is a bare value (not a mapping) starts."""
    try:
        lines = read_text(path).splitlines()
    except IssueFileError:
        return None
    for k, ln in enumerate(lines):
        if ln.strip() and not ln.lstrip().startswith(("#", "---", "%")):
            return (k + 1, 1)
    return None


def _check_picture(ctx: _Ctx, file: Path, mark) -> None:
    """A photo or ad must be a picture Pillow decodes, and not a decompression bomb."""
    try:
        inspect_photo(file)
    except PhotoError as e:
        ctx.fail(str(e), mark, e.hint)
