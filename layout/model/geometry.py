"""Page geometry presets and the units an issue file may use (mm, pt, Chinese 号 sizes)."""
from __future__ import annotations

import math
import re

from .document import Geometry

MM = 72 / 25.4

# Chinese type sizes (号), in points. typography.md §6.
HAO = {
    "初号": 42.0, "小初": 36.0, "一号": 26.0, "小一": 24.0, "二号": 22.0, "小二": 18.0,
    "三号": 16.0, "小三": 15.0, "四号": 14.0, "小四": 12.0, "五号": 10.5, "小五": 9.0,
    "六号": 7.5, "小六": 6.5, "七号": 5.5, "八号": 5.0,
}

PRESETS = {
    # 对开: 8 columns of 13 characters at 小五 with a 1-character gutter; 999 pt × 1380 pt type area.
    "broadsheet": Geometry(name="broadsheet", page_width=390 * MM, page_height=550 * MM,
                           columns=8, chars_per_column=13, gutter_chars=1,
                           body_size=9.0, line_pitch=12.0, lines=115),
    # 四开: 6 columns of 11 characters; 639 pt × 960 pt type area.
    "tabloid": Geometry(name="tabloid", page_width=275 * MM, page_height=390 * MM,
                        columns=6, chars_per_column=11, gutter_chars=1,
                        body_size=9.0, line_pitch=12.0, lines=80),
}

_LENGTH = re.compile(r"^\s*([0-9]+(?:\.[0-9]+)?)\s*(mm|pt|cm|in)?\s*$")
_UNIT = {"mm": MM, "pt": 1.0, "cm": 10 * MM, "in": 72.0, None: 1.0}


def parse_size(value) -> float:
    """A type size: a number (pt), '12pt', '4.2mm' or a 号 name ('小五'). Raises ValueError."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a size")
    if isinstance(value, (int, float)):
        if not math.isfinite(value) or value <= 0:
            raise ValueError(f"{value!r} is not a positive size")
        return float(value)
    text = str(value).strip()
    if text in HAO:
        return HAO[text]
    m = _LENGTH.match(text)
    if not m:
        raise ValueError(f"{value!r} is not a size: write 9pt, 3.2mm or a 号 name such as 小五")
    size = float(m.group(1)) * _UNIT[m.group(2)]
    if size <= 0:
        raise ValueError(f"{value!r} is not a positive size")
    return size
