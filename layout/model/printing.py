"""Printer settings: the issue file's `print:` section (or a printer file it names), checked.

Kept apart from the finisher (`layout.output.pdfx`) so that reading an issue and checking it
(`paiban check`) does not import pikepdf.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

MM = 72.0 / 25.4
DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_PROFILE = DATA / "paiban-newsprint-tr002.icc"
DEFAULT_CONDITION_ID = "CGATS TR 002"
DEFAULT_CONDITION = ("Coldset offset on newsprint (ANSI CGATS/SNAP TR 002-2007); "
                     "paiban stand-in profile")
ICC_REGISTRY = "http://www.color.org"

STANDARDS = {
    "x1a": "x1a", "pdf/x-1a": "x1a", "pdf/x-1a:2001": "x1a", "x-1a": "x1a",
    "x4": "x4", "pdf/x-4": "x4", "x-4": "x4",
}


@dataclass
class PrintSettings:
    standard: str = "x1a"
    profile: Path = field(default_factory=lambda: DEFAULT_PROFILE)
    output_condition_identifier: str = DEFAULT_CONDITION_ID
    output_condition: str = DEFAULT_CONDITION
    registry_name: str = ICC_REGISTRY
    ink_limit: float = 240.0
    bleed_mm: float = 0.0
    crop_marks: bool = False
    min_ppi: int = 200

    def __post_init__(self) -> None:
        std = STANDARDS.get(str(self.standard).strip().lower())
        if std is None:
            raise ValueError(f"print.standard: {self.standard!r} is not one of x1a, x4")
        self.standard = std
        self.profile = Path(self.profile)
        if not (50.0 <= float(self.ink_limit) <= 400.0):
            raise ValueError(f"print.ink_limit: {self.ink_limit} % is outside 50–400 %")
        if not (0.0 <= float(self.bleed_mm) <= 20.0):
            raise ValueError(f"print.bleed: {self.bleed_mm} mm is outside 0–20 mm")
        if int(self.min_ppi) <= 0:
            raise ValueError(f"print.min_ppi: {self.min_ppi} must be a positive number")

    @property
    def pdfx_version(self) -> str:
        return "PDF/X-1:2001" if self.standard == "x1a" else "PDF/X-4"

    @property
    def pdf_version(self) -> str:
        return "1.3" if self.standard == "x1a" else "1.6"

    @classmethod
    def from_mapping(cls, d: Mapping[str, Any] | None, base_dir: str | Path | None = None
                     ) -> "PrintSettings":
        """Settings from an issue file's ``print:`` section.

        Keys: ``standard`` (x1a | x4), ``profile`` (path to the printer's CMYK .icc, relative to
        ``base_dir``), ``condition`` (OutputConditionIdentifier, or a mapping with
        ``identifier``, ``text``, ``registry``), ``ink_limit`` (percent), ``bleed`` (mm, a number
        or "3mm"), ``crop_marks`` (bool), ``min_ppi`` (int).
        """
        if d is None:
            return cls()
        if not isinstance(d, Mapping):
            raise ValueError("print: must be a mapping of settings")
        known = {"standard", "profile", "condition", "ink_limit", "bleed", "crop_marks",
                 "min_ppi"}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"print: unknown key(s) {', '.join(map(str, unknown))}; "
                             f"known: {', '.join(sorted(known))}")
        kw: dict[str, Any] = {}
        if "standard" in d:
            s = str(d["standard"]).strip().lower()
            if s not in STANDARDS:
                raise ValueError(f"print.standard: {d['standard']!r} is not one of x1a, x4")
            kw["standard"] = s
        if "profile" in d and d["profile"] is not None:
            p = Path(str(d["profile"]))
            if base_dir is not None and not p.is_absolute():
                p = Path(base_dir) / p
            if not p.is_file():
                raise ValueError(f"print.profile: {p} does not exist")
            head = p.read_bytes()[:40]
            cls_, space = head[12:16], head[16:20]
            if len(head) < 40 or head[36:40] != b"acsp":
                raise ValueError(f"print.profile: {p} is not an ICC profile")
            if cls_ != b"prtr" or space != b"CMYK":
                raise ValueError(f"print.profile: {p} is a {cls_.decode('latin-1')!r} "
                                 f"{space.decode('latin-1').strip()!r} profile; a CMYK output "
                                 f"profile (class 'prtr') is needed")
            kw["profile"] = p
            kw["output_condition_identifier"] = "Custom"
            kw["output_condition"] = icc_description(p.read_bytes()) or p.stem
        if "condition" in d and d["condition"] is not None:
            c = d["condition"]
            if isinstance(c, str):
                if not c.strip():
                    raise ValueError("print.condition: empty")
                kw["output_condition_identifier"] = c.strip()
            elif isinstance(c, Mapping):
                bad = sorted(set(c) - {"identifier", "text", "registry"})
                if bad or "identifier" not in c:
                    raise ValueError("print.condition: a string, or a mapping with identifier "
                                     "(required), text, registry")
                kw["output_condition_identifier"] = str(c["identifier"])
                if "text" in c:
                    kw["output_condition"] = str(c["text"])
                if "registry" in c:
                    kw["registry_name"] = str(c["registry"])
            else:
                raise ValueError("print.condition: a string or a mapping")
        if "ink_limit" in d:
            kw["ink_limit"] = _number(d["ink_limit"], "print.ink_limit", "%")
        if "bleed" in d:
            kw["bleed_mm"] = _number(d["bleed"], "print.bleed", "mm")
        if "crop_marks" in d:
            if not isinstance(d["crop_marks"], bool):
                raise ValueError(f"print.crop_marks: {d['crop_marks']!r} is not true or false")
            kw["crop_marks"] = d["crop_marks"]
        if "min_ppi" in d:
            v = d["min_ppi"]
            if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v):
                raise ValueError(f"print.min_ppi: {v!r} is not a whole number")
            kw["min_ppi"] = int(v)
        return cls(**kw)


def _number(v: Any, key: str, unit: str) -> float:
    if isinstance(v, bool):
        raise ValueError(f"{key}: {v!r} is not a number")
    if isinstance(v, (int, float)):
        return float(v)
    m = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*" + re.escape(unit) + r"?\s*", str(v))
    if not m:
        raise ValueError(f"{key}: {v!r} is not a number (in {unit})")
    return float(m.group(1))


def icc_description(data: bytes) -> str | None:
    """The profile's 'desc' text (v2 textDescriptionType or v4 mluc), if any."""
    try:
        n = int.from_bytes(data[128:132], "big")
        for i in range(n):
            sig = data[132 + 12 * i:136 + 12 * i]
            off = int.from_bytes(data[136 + 12 * i:140 + 12 * i], "big")
            size = int.from_bytes(data[140 + 12 * i:144 + 12 * i], "big")
            if sig != b"desc":
                continue
            tag = data[off:off + size]
            if tag[:4] == b"desc":
                ln = int.from_bytes(tag[8:12], "big")
                return tag[12:12 + ln].rstrip(b"\0").decode("latin-1")
            if tag[:4] == b"mluc":
                rl, ro = int.from_bytes(tag[20:24], "big"), int.from_bytes(tag[24:28], "big")
                return tag[ro:ro + rl].decode("utf-16-be")
    except Exception:  # noqa: BLE001 - a description is a nicety
        return None
    return None
