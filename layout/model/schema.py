"""JSON Schema of the issue file, generated from the loader and the model, for editors:
yaml-language-server (VS Code's YAML extension, Neovim, Helix …) gives completion, hover text
and validation as the file is typed.

    python -m layout.model.schema            # writes docs/issue.schema.json
    python -m layout.model.schema --check    # exit 1 when the shipped file is out of date

What is generated from where:
- the keys of every mapping are the loader's key sets (ISSUE_KEYS, PAGE_KEYS, …), and no other
  key is allowed (`additionalProperties: false`), as the loader refuses unknown keys;
- which keys are required is read from the loader's own `ctx.mapping(…, KEYS, (required…))`
  calls (by parsing layout/model/load.py), so the two cannot drift apart;
- a key's type comes from the data class field of the same name (str → text, int → whole
  number, float → number, bool → true/false, Box → a grid box), with the exceptions listed in
  `_SPECIAL` (enumerations, units, ranges) taken from the loader's and geometry's constants.

A key the loader knows but this module cannot type is still listed (any value), so the schema
never rejects a file the loader accepts for want of a description.
"""
from __future__ import annotations

import ast
import dataclasses
import json
import sys
import types
import typing
from pathlib import Path

from . import load
from .document import Ad, Article, Box, Deck, Issue, Page, Photo, Typography
from .geometry import HAO, PRESETS
from .printing import INK_LIMITS, JPEG_QUALITY, JPEG_QUALITY_RANGE, MIN_PPI_RANGE, SPLIT_NAMES

SCHEMA_ID = "https://paiban.example/schemas/issue.schema.json"
SCHEMA_PATH = Path(__file__).resolve().parents[2] / "docs" / "issue.schema.json"

MAX_COLUMNS = max(g.columns for g in PRESETS.values())
MAX_LINES = max(g.lines for g in PRESETS.values())

# name in $defs → (the loader's key set, the data classes whose fields type its keys, title)
_MAPPINGS = {
    "issue": ("ISSUE_KEYS", (Issue,), "An issue: its paper, date and pages"),
    "page": ("PAGE_KEYS", (Page,), "A page (版): its number, section and articles"),
    "article": ("ARTICLE_KEYS", (Article, Deck), "An article: its module, deck and text"),
    "photo": ("PHOTO_KEYS", (Photo,), "A photo of an article, with its caption"),
    "ad": ("AD_KEYS", (Ad,), "An advertisement: supplied artwork filling its module"),
    "box": ("BOX_KEYS", (Box,), "A box on the page grid, counted from 1 as an editor counts"),
    "continuation": ("CONTINUATION_KEYS", (Article,),
                     "转版: where an article from an earlier page goes on (its text is that article's)"),
    "typography": ("TYPOGRAPHY_KEYS", (Typography,),
                   "clreq settings; an issue, page or article may set them (the nearest wins)"),
}

TEXT = {"type": ["string", "number"]}      # a number where text is meant is kept as written

_SIZE_PATTERN = r"^\s*[0-9]+(\.[0-9]+)?\s*(mm|pt|cm|in)?\s*$"

# name in $defs → key → the hover text editors see for it
_DESCRIPTIONS = {
    "issue": {
        "paper": "paper name, printed in the running head / masthead",
        "date": "issue date, ISO (2023-03-17); the weekday is printed in Chinese",
        "number": "issue number as printed (第1234期)",
        "page_count": "pages of the printed issue (今日N版); default: the pages described",
        "pages": "the pages of this file",
        "print": "print output settings (see the print documentation)",
        "fonts": "the paper's own fonts per face role, each a font or a fallback chain "
                 "(docs/fonts.md); or a house fonts file (YAML) naming them",
        "masthead": "报头 on page 1: span, lines, subtitle, color (docs/issue-format.md)",
        "deck_style": "house style of headline decks: kicker, headline, subhead",
    },
    "page": {
        "number": "版次: 3 for 第3版",
        "section": "版名 (要闻)",
        "geometry": "page grid: broadsheet 对开 (default) or tabloid 四开",
        "editors": "责任编辑: 王某 … printed at the foot of the page, in this order",
        "articles": "the page's articles",
        "ads": "the page's advertisements",
        "deck_style": "headline deck styles of the page's articles",
        "continuations": "转版: articles from earlier pages that go on here",
        "rules": "style of the rules between modules: hairline (default) | thick-thin "
                 "文武线 | dotted | flower 花线",
        "inks": "k: a black-only page (C, M or Y anywhere on it is an error)",
    },
    "article": {
        "id": "unique in the issue; used in messages",
        "module": "the article's box on the page grid, its deck included; left out: "
                  "planned (docs/planning.md)",
        "priority": "planner: importance, 1 = 头条; default: the order on the page",
        "span": "planner: the module's span, or a range [lowest, highest]",
        "zone": "planner: top | bottom of its free area, or ear (报眼, page 1)",
        "keep_with": "planner: id of an article it stands beside (a sidebar)",
        "deck_lines": "body lines the deck takes (air around the head); default: "
                      "as it needs",
        "kicker": "引题",
        "headline": "主题; a space is the editor's break or gap",
        "subhead": "副题",
        "headline_size": "headline size: 36pt, 12mm or a 号 name (小初); "
                         "default: fitted to the span",
        "dateline": "lead-in of the first paragraph, set in bold (本报讯)",
        "byline": "记者 … 通讯员 … 文/图, set right-aligned after the last paragraph",
        "paragraphs": "the text, one item per paragraph; inline emphasis **bold**, "
                      "[.着重号.], {kai:楷体}, a backslash before * [ ] { } . \\ prints it "
                      "as written (docs/issue-format.md); an item {intertitle: 一、…} is a 小标题",
        "photos": "the article's photos",
        "deck_style": "kicker / headline / subhead: face, size, min_size, max_size, "
                      "tracking, lines",
        "headline_vertical": "竖题: true or {side: right|left, columns: 1 … 3}",
        "byline_position": "end (default) | after_dateline: 本报讯（记者 X）…",
        "box": "box rules around the module: true, or a rule style (hairline, "
               "thick-thin 文武线, dotted, flower 花线)",
        "short_headline": "the head's short form for the 上接 line",
        "tint": "底纹: a K percentage (10) or [C, M, Y, K] percentages, each 0 … "
                f"{load.MAX_TINT}; the text stays black",
        "headline_reverse": "the deck in white, reversed out of a block: true "
                            "(black) | black | red",
        "columns": "破栏: the body in this many equal columns across the module "
                   f"(at least {load.MIN_COLUMN_CHARS} characters wide each), on the "
                   "page's grid lines; default: the grid's columns",
        "body_style": "the body's face (kai for 评论) and size (smaller for 短讯); "
                      "on the page's grid, or on a module grid when the pitch is too "
                      "tight for the size",
    },
    "photo": {
        "span": "planner: the photo's span, or a range [lowest, highest]",
        "file": "the picture (JPEG, PNG, TIFF), relative to the issue file",
        "caption": "图片说明",
        "credit": "冉红政 摄",
        "place": "the photo's box, relative to the module below the deck",
        "focus": "[x, y] from the top left, 0 … 1: the point kept in view when cropping",
        "aspect": "width:height (4:3) when place has no lines; default: the picture's",
        "ink": "k: print the photo in black alone (grey pictures always are)",
        "caption_side": "below (default) | right | left: the caption in the place's "
                        "last (first) column, level with the picture's foot",
        "group": "组图: further pictures set side by side with file, under one caption",
        "strips": "resolve (default): a 碎栏 under or over it may change its height "
                  "(within its crop) | keep: its height is as placed",
        "fit": "cover (default): cropped to fill its frame around focus | contain: the "
               "whole picture, at its frame's foot (charts, maps)",
    },
    "ad": {
        "id": "unique in the issue",
        "module": "the ad's box on the page grid",
        "file": "the artwork (JPEG, PNG, TIFF), relative to the issue file",
        "label": "printed small above the artwork (广告, 公益广告)",
    },
    "continuation": {
        "continued_from": "id of the article (on an earlier page) this continues",
        "short_headline": "the short head over the continuation; default: the "
                          "first part's short_headline or first phrase",
    },
    "box": {
        "column": f"first grid column (1 … {MAX_COLUMNS})",
        "span": "grid columns",
        "line": f"first body line (1 … {MAX_LINES})",
        "lines": "height in body lines",
    },
    "typography": {
        "level": "line-breaking strictness",
        "punctuation": "quanjiao 全角 | kaiming 开明 | banjiao 半角",
        "latin_gap": "Han ↔ Latin letter spacing, em",
        "digit_gap": "Han ↔ digit spacing, em",
        "drop_opening": "an opening bracket at a line start drops its blank half",
    },
}


def _fonts_schema() -> dict:
    """`fonts:` (model/housefonts.py): role → a font or a list of fonts, or a file naming them."""
    font = {"anyOf": [{"type": "string", "description": "a font file"}, {
        "type": "object", "additionalProperties": False, "required": ["file"],
        "properties": {"file": {"type": "string", "description": "font file (.ttf .otf .ttc "
                                                                   ".otc), relative to this file"},
                       "index": {"type": "integer", "minimum": 0,
                                 "description": "which font of a collection (.ttc/.otc)"}}}]}
    roles = {"type": "object", "propertyNames": {"pattern": r"^[a-z][a-z0-9-]{0,39}$"},
             "additionalProperties": {"anyOf": [font, {"type": "array", "minItems": 1,
                                                       "items": font}]}}
    return {"anyOf": [roles, {"type": "string", "description": "a house fonts file (YAML) "
                                                               "holding this mapping"}]}


def _span_range() -> dict:
    col = {"type": "integer", "minimum": 1, "maximum": MAX_COLUMNS}
    return {"anyOf": [col, {"type": "array", "minItems": 2, "maxItems": 2, "items": col}]}


def _special_size() -> dict:
    return {"anyOf": [{"type": "number", "exclusiveMinimum": 0},
                      {"type": "string", "pattern": _SIZE_PATTERN}, {"enum": list(HAO)}]}


def _special() -> dict[tuple[str, str], dict]:
    ref = lambda name: {"$ref": f"#/definitions/{name}"}  # noqa: E731
    gap = {"type": "number", "minimum": 0, "maximum": 1}
    return {
        ("issue", "date"): {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        ("issue", "page_count"): {"type": "integer", "minimum": 1, "maximum": 999},
        ("issue", "pages"): {"type": "array", "minItems": 1, "items": ref("page")},
        ("issue", "print"): {"anyOf": [ref("print"), {
            "type": "string", "description": "a printer file (YAML) with these settings, "
                                             "relative to the issue file"}]},
        ("issue", "typography"): ref("typography"),
        ("issue", "fonts"): _fonts_schema(),
        ("page", "number"): {"type": "integer", "minimum": 1, "maximum": 999},
        ("page", "inks"): {"enum": ["k", "cmyk"]},
        ("photo", "ink"): {"enum": ["k", "cmyk"]},
        ("photo", "fit"): {"enum": list(load.PHOTO_FITS)},
        ("photo", "caption_side"): {"enum": list(load.CAPTION_SIDES)},
        ("photo", "strips"): {"enum": list(load.PHOTO_STRIPS)},
        ("photo", "group"): {"type": "array", "minItems": 1,
                             "items": {"type": "string", "minLength": 1}},
        ("page", "rules"): {"enum": list(load.RULE_STYLES)},
        ("article", "body_style"): {"type": "object", "additionalProperties": False,
                                    "properties": {
                                        "face": {"anyOf": [{"enum": list(load.FACES)},
                                                           {"type": "string"}]},
                                        "size": _special_size()}},
        ("article", "columns"): {"type": "integer", "minimum": 1, "maximum": 2 * MAX_COLUMNS},
        ("article", "box"): {"anyOf": [{"type": "boolean"}, {"enum": list(load.RULE_STYLES)}]},
        ("continuation", "box"): {"anyOf": [{"type": "boolean"},
                                            {"enum": list(load.RULE_STYLES)}]},
        ("article", "tint"): {"anyOf": [
            {"type": "number", "minimum": 0, "maximum": load.MAX_TINT},
            {"type": "array", "minItems": 4, "maxItems": 4,
             "items": {"type": "number", "minimum": 0, "maximum": load.MAX_TINT}}]},
        ("article", "headline_reverse"): {"anyOf": [{"type": "boolean"},
                                                    {"enum": list(load.HEAD_BLOCKS)}]},
        ("page", "geometry"): {"enum": sorted(PRESETS)},
        ("page", "editors"): {"type": ["object", "null"], "additionalProperties": TEXT},
        ("page", "articles"): {"type": "array", "items": ref("article")},
        ("page", "ads"): {"type": ["array", "null"], "items": ref("ad")},
        ("page", "typography"): ref("typography"),
        ("article", "module"): ref("box"),
        ("article", "priority"): {"type": "integer", "minimum": 1, "maximum": 999},
        ("article", "span"): _span_range(),
        ("photo", "span"): _span_range(),
        ("article", "zone"): {"enum": ["top", "bottom", "ear"]},
        ("article", "keep_with"): TEXT,
        ("article", "deck_lines"): {"type": "integer", "minimum": 1, "maximum": MAX_LINES},
        ("article", "headline_size"): _special_size(),
        ("article", "paragraphs"): {"type": "array", "minItems": 1, "items": {"anyOf": [
            TEXT, {"type": "object", "additionalProperties": False, "required": ["intertitle"],
                   "properties": {"intertitle": {**TEXT, "description":
                                  "小标题: bold 黑体 on the grid, a line of air before"}}}]}},
        ("article", "photos"): {"type": ["array", "null"], "items": ref("photo")},
        ("article", "typography"): ref("typography"),
        ("photo", "file"): {"type": "string", "minLength": 1},
        ("photo", "place"): ref("place"),
        ("page", "continuations"): {"type": ["array", "null"], "items": ref("continuation")},
        ("continuation", "module"): ref("box"),
        ("continuation", "photos"): {"type": ["array", "null"], "items": ref("photo")},
        ("photo", "focus"): {"type": "array", "minItems": 2, "maxItems": 2,
                             "items": {"type": "number", "minimum": 0, "maximum": 1}},
        ("ad", "module"): ref("box"),
        ("ad", "file"): {"type": "string", "minLength": 1},
        ("issue", "masthead"): {"type": "object", "additionalProperties": False, "properties": {
            "span": {"type": "integer", "minimum": 1}, "lines": {"type": "integer", "minimum": 6},
            "subtitle": TEXT, "color": {"enum": ["red", "black"]}}},
        ("issue", "deck_style"): ref("deck_style"),
        ("page", "deck_style"): ref("deck_style"),
        ("article", "deck_style"): ref("deck_style"),
        ("article", "headline_vertical"): {"anyOf": [{"type": "boolean"}, {
            "type": "object", "additionalProperties": False,
            "properties": {"side": {"enum": ["right", "left"]},
                           "columns": {"type": "integer", "minimum": 1, "maximum": 3}}}]},
        ("article", "byline_position"): {"enum": list(load.BYLINE_POSITIONS)},
        ("photo", "aspect"): {"type": ["string", "number"]},
        ("box", "column"): {"type": "integer", "minimum": 1, "maximum": MAX_COLUMNS},
        ("box", "span"): {"type": "integer", "minimum": 1, "maximum": MAX_COLUMNS},
        ("box", "line"): {"type": "integer", "minimum": 1, "maximum": MAX_LINES},
        ("box", "lines"): {"type": "integer", "minimum": 1, "maximum": MAX_LINES},
        ("typography", "level"): {"enum": list(load.LEVELS)},
        ("typography", "punctuation"): {"enum": list(load.PUNCTUATION)},
        ("typography", "latin_gap"): gap,
        ("typography", "digit_gap"): gap,
    }


def print_keys() -> list[str]:
    """The keys of the `print:` section, read from `PrintSettings.from_mapping`'s `known` set in
    layout/model/printing.py."""
    path = Path(load.__file__).resolve().parent / "printing.py"
    if not path.exists():
        return []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "from_mapping":
            for sub in ast.walk(node):
                if (isinstance(sub, ast.Assign) and len(sub.targets) == 1
                        and isinstance(sub.targets[0], ast.Name) and sub.targets[0].id == "known"):
                    try:
                        return sorted(ast.literal_eval(sub.value))
                    except ValueError:
                        return []
    return []


_PRINT = {
    "standard": ({"anyOf": [{"enum": ["x1a", "x4"]},    # offered for completion
                            {"type": "string",
                             "pattern": r"^\s*([Pp][Dd][Ff]/)?[Xx]-?(1[Aa](:2001)?|4)\s*$"}]},
                 "PDF/X standard: x1a (PDF/X-1a:2001, default) or x4 (PDF/X-4)"),
    "profile": ({"type": "string", "minLength": 1},
                "the printer's CMYK output profile (.icc, class prtr), relative to the issue file"),
    "condition": ({"anyOf": [{"type": "string", "minLength": 1},
                             {"type": "object", "additionalProperties": False,
                              "required": ["identifier"],
                              "properties": {"identifier": {"type": "string"},
                                             "text": {"type": "string"},
                                             "registry": {"type": "string"}}}]},
                  "OutputConditionIdentifier (ISOnewspaper26v4), or {identifier, text, registry}"),
    "ink_limit": ({"anyOf": [{"type": "number", "minimum": INK_LIMITS[0], "maximum": INK_LIMITS[1]},
                             {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*%?\s*$"}]},
                  f"total area coverage, percent ({INK_LIMITS[0]:g}–{INK_LIMITS[1]:g}; default 240)"),
    "bleed": ({"anyOf": [{"type": "number", "minimum": 0, "maximum": 20},
                         {"type": "string", "pattern": r"^\s*[0-9]+(\.[0-9]+)?\s*(mm)?\s*$"}]},
              "bleed, mm (0–20; default 0)"),
    "crop_marks": ({"type": "boolean"}, "crop marks outside the bleed (default false)"),
    "min_ppi": ({"type": "integer", "minimum": MIN_PPI_RANGE[0], "maximum": MIN_PPI_RANGE[1]},
                "minimum effective resolution of photos (default 200)"),
    "inks": ({"enum": ["k", "cmyk"]}, "k: every page black only (default cmyk)"),
    "compression": ({"enum": ["jpeg", "flate"]}, "photos: jpeg (DCT, default) or flate"),
    "jpeg_quality": ({"type": "integer", "minimum": JPEG_QUALITY_RANGE[0],
                      "maximum": JPEG_QUALITY_RANGE[1]},
                     f"JPEG quality of photos (default {JPEG_QUALITY})"),
    "split_names": ({"type": "string", "minLength": 5},
                    f"file names of build --split (default {SPLIT_NAMES})"),
}


def _print_schema() -> dict:
    props = {}
    for key in print_keys():
        sch, desc = _PRINT.get(key, ({}, ""))
        props[key] = dict(sch, **({"description": desc} if desc else {}))
    out = {"title": "Print output (docs/print.md): PDF/X standard, profile, ink, bleed",
           "type": "object", "properties": props}
    if props:
        out["additionalProperties"] = False
    return out


def required_keys() -> dict[str, tuple[str, ...]]:
    """Key-set name → the keys the loader requires, read from its `ctx.mapping(…, KEYS,
    (required…))` calls."""
    tree = ast.parse(Path(load.__file__).read_text(encoding="utf-8"))
    out: dict[str, tuple[str, ...]] = {}
    for node in ast.walk(tree):
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "mapping" and len(node.args) >= 4
                and isinstance(node.args[3], ast.Name)):
            req: tuple[str, ...] = ()
            if len(node.args) >= 5:
                try:
                    req = tuple(ast.literal_eval(node.args[4]))
                except ValueError:
                    req = ()
            name = node.args[3].id
            out[name] = tuple(dict.fromkeys(out.get(name, ()) + req))
    return out


def _field_schema(tp) -> dict | None:
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin in (typing.Union, types.UnionType):
        inner = [a for a in args if a is not type(None)]
        return _field_schema(inner[0]) if len(inner) == 1 else None
    if tp is str:
        return dict(TEXT)
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return {"type": "integer"}
    if tp is float:
        return {"type": "number"}
    if tp is Path:
        return {"type": "string"}
    if tp is Box:
        return {"$ref": "#/definitions/box"}
    if origin is tuple and args and args[-1] is Ellipsis:
        item = _field_schema(args[0])
        return {"type": "array", "items": item} if item else None
    return None


def _mapping(name: str, keyset: str, classes, title: str, required: tuple[str, ...]) -> dict:
    keys = sorted(getattr(load, keyset, ()))
    hints = {}
    for cls in classes:
        for f in dataclasses.fields(cls):
            if f.name not in hints:
                hints[f.name] = typing.get_type_hints(cls)[f.name]
    special = _special()
    props = {}
    for key in keys:
        sch = special.get((name, key))
        if sch is None and key in hints:
            sch = _field_schema(hints[key])
        sch = dict(sch) if sch else {}
        desc = _DESCRIPTIONS.get(name, {}).get(key)
        if desc and "$ref" in sch:
            sch = {"allOf": [sch], "description": desc}    # draft-07 ignores $ref's siblings
        elif desc:
            sch["description"] = desc
        props[key] = sch
    out = {"title": title, "type": "object", "additionalProperties": False, "properties": props}
    req = [k for k in required if k in props]
    if req:
        out["required"] = req
    return out


def issue_schema() -> dict:
    req = required_keys()
    defs = {}
    for name, (keyset, classes, title) in _MAPPINGS.items():
        if not hasattr(load, keyset):
            continue
        defs[name] = _mapping(name, keyset, classes, title, req.get(keyset, ()))
    top = defs.pop("issue")
    defs["print"] = _print_schema()
    size = _special()[("article", "headline_size")]
    part = {"type": "object", "additionalProperties": False, "properties": {
        "face": {"anyOf": [{"enum": list(load.FACES)},
                           {"type": "string", "description": "a role of the issue's fonts:"}]}, "size": size, "min_size": size, "max_size": size,
        "tracking": {"type": "number", "minimum": -0.2, "maximum": 1},
        "lines": {"type": "integer", "minimum": 1, "maximum": 6}}}
    place = dict(defs["box"])
    place["required"] = [k for k in place.get("required", []) if k != "lines"]
    place["title"] = "A photo's box in its module; without lines its height follows the aspect"
    defs["place"] = place
    defs["deck_style"] = {"type": "object", "additionalProperties": False,
                          "properties": {p: part for p in load.DECK_PARTS}}
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "$id": SCHEMA_ID,
        "title": "paiban issue file",
        "description": "One issue of a paper: its pages, and on each page its articles "
                       "(docs/issue-format.md). Generated by `python -m layout.model.schema`; "
                       "do not edit by hand.",
        **{k: v for k, v in top.items() if k != "title"},
        "definitions": defs,
    }


def dumps() -> str:
    return json.dumps(issue_schema(), ensure_ascii=False, indent=2) + "\n"


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = dumps()
    if "--check" in argv:
        current = SCHEMA_PATH.read_text(encoding="utf-8") if SCHEMA_PATH.exists() else ""
        if current != text:
            print(f"{SCHEMA_PATH} is out of date: run python -m layout.model.schema",
                  file=sys.stderr)
            return 1
        return 0
    out = Path(argv[0]) if argv else SCHEMA_PATH
    out.write_text(text, encoding="utf-8")
    print(f"wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
