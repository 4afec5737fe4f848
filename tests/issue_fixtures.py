"""Small issue files for the tests: one or two articles whose line counts can be counted by hand.

Body text is Han characters only (the 千字文, no punctuation): every character is 1 em, so a
13-character column holds 11 characters on a paragraph's first line (2 em indent) and 13 on
every other — a paragraph of 11 + 13·k characters takes exactly k + 1 lines.
"""
from __future__ import annotations

import io
from pathlib import Path

import yaml

HAN = ("天地玄黄宇宙洪荒日月盈昃辰宿列张寒来暑往秋收冬藏闰余成岁律吕调阳云腾致雨露结为霜金生丽水"
       "玉出昆冈剑号巨阙珠称夜光果珍李柰菜重芥姜海咸河淡鳞潜羽翔龙师火帝鸟官人皇始制文字乃服衣裳"
       "推位让国有虞陶唐吊民伐罪周发殷汤坐朝问道垂拱平章爱育黎首臣伏戎羌遐迩一体率宾归王鸣凤在竹"
       "白驹食场化被草木赖及万方盖此身发四大五常恭惟鞠养岂敢毁伤女慕贞洁男效才良知过必改得能莫忘"
       "罔谈彼短靡恃己长信使可覆器欲难量墨悲丝染诗赞羔羊景行维贤克念作圣德建名立形端表正空谷传声")

# A one-word headline in one column: 20 pt, one line → 3 body lines of deck (1.15 em + ¾ line air).
DECK_ROWS_ONE_COLUMN = 3


def han(n: int, start: int = 0) -> str:
    s = HAN * (n // len(HAN) + 2)
    return s[start:start + n]


def paragraph_chars(lines: int) -> int:
    """Characters of a paragraph that fills exactly `lines` lines of a 13-character column."""
    return 11 + 13 * (lines - 1)


def article(aid: str, module: tuple[int, int, int, int], text: str | list[str], *,
            headline: str = "短讯", **extra) -> dict:
    col, span, line, lines = module
    paras = [text] if isinstance(text, str) else list(text)
    a = {"id": aid, "module": {"column": col, "span": span, "line": line, "lines": lines},
         "headline": headline, "paragraphs": paras}
    a.update(extra)
    return a


def issue(articles: list[dict], *, page: int = 2, **page_extra) -> dict:
    p = {"number": page, "section": "要闻", "articles": articles}
    p.update(page_extra)
    return {"paper": "测试报", "date": "2023-03-17", "pages": [p]}


def dump(data: dict) -> str:
    buf = io.StringIO()
    yaml.safe_dump(data, buf, allow_unicode=True, sort_keys=False, width=1000)
    return buf.getvalue()


def write(folder: Path, data: dict, name: str = "issue.yaml") -> Path:
    path = Path(folder) / name
    path.write_text(dump(data), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the first line of `path` containing `needle`."""
    for k, ln in enumerate(Path(path).read_text(encoding="utf-8").splitlines()):
        if needle in ln:
            return k + 1
    raise ValueError(needle)


def photo(folder: Path, name: str, size: tuple[int, int]) -> Path:
    """A small JPEG with some texture (so that it compresses like a photo)."""
    from PIL import Image

    w, h = size
    img = Image.new("RGB", size, (200, 180, 150))
    for x in range(0, w, max(1, w // 40)):
        for y in range(0, h, max(1, h // 30)):
            img.putpixel((x, y), ((x * 7) % 256, (y * 5) % 256, (x + y) % 256))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    img.save(path, "JPEG", quality=85)
    return path
