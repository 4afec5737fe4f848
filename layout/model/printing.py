"""Printer settings: the issue file's `print:` section (or a printer file it names), checked.

Kept apart from the finisher (`layout.output.pdfx`) so that reading an issue and checking it
(`paiban check`) does not import pikepdf.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .geometry import MM

DATA = Path(__file__).resolve().parent.parent / "data"
DEFAULT_PROFILE = DATA / "paiban-newsprint-tr002.icc"
DEFAULT_CONDITION_ID = "CGATS TR 002"
DEFAULT_CONDITION = ("Coldset offset on newsprint (ANSI CGATS/SNAP TR 002-2007); "
                     "paiban stand-in profile")
ICC_REGISTRY = "http://www.color.org"
# An output profile is a few hundred KB to a few MB (the bundled one 430 KB); a file beyond this
# is not a profile, and is not read whole to find that out.
MAX_PROFILE = 32 * 1024 * 1024
INK_LIMITS = (100, 400)       # solid black text alone is 100 %; four solid inks are 400 %
MIN_PPI_RANGE = (1, 4800)
# Effective resolution of a photo in its frame (pixels of the crop ÷ frame size in inches) below
# which it prints soft. Newsprint screens at 85–100 lpi; 2 × the screen ruling is the rule.
MIN_PPI = 200

# Output conditions by their ICC registry name: the ink limit and the texts the OutputIntent
# carries. The profiles are the plants' (`profile:`); without one the bundled stand-in, made
# from the TR 002 data, separates the photos (build says so once).
@dataclass(frozen=True)
class Condition:
    identifier: str
    text: str
    ink_limit: float


CONDITIONS = {c.identifier.lower(): c for c in (
    Condition("ISOnewspaper26v4", "Coldset offset on improved newsprint, ISO 12647-3:2004 "
              "(IFRA26; GB/T 17934.3), 52 g/m², 40 l/cm screen", 240.0),
    Condition("WAN-IFRAnewspaper26v5", "Coldset offset on newsprint, ISO 12647-3:2013, "
              "WAN-IFRA characterization (heavy GCR)", 220.0),
    Condition("CGATS TR 002", "Coldset offset on newsprint (ANSI CGATS/SNAP TR 002-2007)", 240.0),
)}
CONDITION_ALIASES = {"ifra26": "isonewspaper26v4", "isonewspaper26": "isonewspaper26v4",
                     "wan-ifra26v5": "wan-ifranewspaper26v5", "tr002": "cgats tr 002",
                     "cgats tr002": "cgats tr 002"}
STAND_IN = "the bundled stand-in profile (CGATS TR 002 data)"
INKS = ("cmyk", "k")
COMPRESSIONS = ("jpeg", "flate")
# JPEG quality of photos: 85 keeps a newsprint photo visually the same (PSNR ≥ 40 dB on the
# seed page's photos at 150 dpi, docs/print.md) at less than half the Flate size.
JPEG_QUALITY = 85
JPEG_QUALITY_RANGE = (50, 100)
SPLIT_NAMES = "{paper}-{date:%Y%m%d}-{page:02d}.pdf"


def known_condition(name: str) -> Condition | None:
    key = name.strip().lower()
    return CONDITIONS.get(CONDITION_ALIASES.get(key, key))


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
    min_ppi: int = MIN_PPI
    inks: str = "cmyk"                 # k: every page black only
    compression: str = "jpeg"          # photos: jpeg (DCT) | flate
    jpeg_quality: int = JPEG_QUALITY
    split_names: str = SPLIT_NAMES

    @property
    def stand_in(self) -> bool:
        """The photos are separated with the bundled stand-in, not the plant's profile."""
        return Path(self.profile).resolve() == DEFAULT_PROFILE.resolve()

    @property
    def photo_compression(self) -> tuple[str, int]:
        return (self.compression, self.jpeg_quality)

    def __post_init__(self) -> None:
        std = STANDARDS.get(str(self.standard).strip().lower())
        if std is None:
            raise ValueError(f"print.standard: {self.standard!r} is not one of x1a, x4")
        self.standard = std
        self.profile = Path(self.profile)
        lo, hi = INK_LIMITS
        if not (lo <= float(self.ink_limit) <= hi):
            raise ValueError(
                f"print.ink_limit: {self.ink_limit:g} % is outside {lo:g}–{hi:g} % (the total "
                "of C+M+Y+K; solid black text alone is 100 %, newsprint presses ask for 220–260 %)")
        if not (0.0 <= float(self.bleed_mm) <= 20.0):
            raise ValueError(f"print.bleed: {self.bleed_mm:g} mm is outside 0–20 mm")
        lo, hi = MIN_PPI_RANGE
        if not (lo <= self.min_ppi <= hi):
            raise ValueError(f"print.min_ppi: {self.min_ppi} is outside {lo}–{hi} ppi")
        if self.inks not in INKS or self.compression not in COMPRESSIONS:
            raise ValueError(f"print: inks {self.inks!r} / compression {self.compression!r}")

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
                 "min_ppi", "inks", "compression", "jpeg_quality", "split_names"}
        unknown = sorted(set(d) - known)
        if unknown:
            raise ValueError(f"print: unknown key(s) {', '.join(map(str, unknown))}; "
                             f"known: {', '.join(sorted(known))}")
        kw: dict[str, Any] = {}
        if "standard" in d:
            s = d["standard"].strip().lower() if isinstance(d["standard"], str) else None
            if s not in STANDARDS:
                raise ValueError(f"print.standard: {_quoted(d['standard'])} is not one of x1a, x4")
            kw["standard"] = s
        if "profile" in d and d["profile"] is not None:
            if not isinstance(d["profile"], str) or "\0" in d["profile"]:
                raise ValueError(f"print.profile: {_quoted(d['profile'])} is not a file name")
            p = Path(d["profile"])
            if base_dir is not None and not p.is_absolute():
                p = Path(base_dir) / p
            kw["profile"] = p
            kw["output_condition_identifier"] = "Custom"
            kw["output_condition"] = icc_description(check_profile(p)) or p.stem
        if "condition" in d and d["condition"] is not None:
            c = d["condition"]
            if isinstance(c, str):
                if not c.strip():
                    raise ValueError("print.condition: empty")
                kw["output_condition_identifier"] = c.strip()
                named = known_condition(c)
                if named is not None:          # by its registry name: identifier, text, limit
                    kw["output_condition_identifier"] = named.identifier
                    kw["output_condition"] = named.text + (
                        "" if "profile" in kw else f"; separated with {STAND_IN}")
                    kw["registry_name"] = ICC_REGISTRY
                    kw["ink_limit"] = named.ink_limit
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
            limit = _number(d["ink_limit"], "print.ink_limit", "%")
            if "ink_limit" in kw and limit > kw["ink_limit"]:
                raise ValueError(f"print.ink_limit: {limit:g} % is more than the "
                                 f"{kw['ink_limit']:g} % of {kw['output_condition_identifier']}"
                                 "; a plant may ask for less, never more")
            kw["ink_limit"] = limit
        if "inks" in d:
            v = d["inks"]
            if not isinstance(v, str) or v.strip().lower() not in INKS:
                raise ValueError(f"print.inks: {_quoted(v)} is not k (black only) or cmyk")
            kw["inks"] = v.strip().lower()
        if "compression" in d:
            v = d["compression"]
            if not isinstance(v, str) or v.strip().lower() not in COMPRESSIONS:
                raise ValueError(f"print.compression: {_quoted(v)} is not jpeg or flate")
            kw["compression"] = v.strip().lower()
        if "jpeg_quality" in d:
            kw["jpeg_quality"] = _whole(d["jpeg_quality"], "print.jpeg_quality",
                                        JPEG_QUALITY_RANGE, "")
        if "split_names" in d:
            kw["split_names"] = check_split_names(d["split_names"])
        if "bleed" in d:
            kw["bleed_mm"] = _number(d["bleed"], "print.bleed", "mm")
        if "crop_marks" in d:
            if not isinstance(d["crop_marks"], bool):
                raise ValueError(f"print.crop_marks: {d['crop_marks']!r} is not true or false")
            kw["crop_marks"] = d["crop_marks"]
        if "min_ppi" in d:
            kw["min_ppi"] = _whole(d["min_ppi"], "print.min_ppi", MIN_PPI_RANGE, " ppi")
        return cls(**kw)


def issue_min_ppi(issue) -> int:
    """The issue's `print: min_ppi`, else MIN_PPI: the floor the planner and the 碎栏
    resolution keep photos at. They run before the print section is read as a whole
    (`PrintSettings.from_mapping`, which reports a bad value at its line), so a value that is
    not a whole number of ppi in MIN_PPI_RANGE counts here as none given."""
    v = (issue.printing or {}).get("min_ppi")
    try:
        return MIN_PPI if v is None else _whole(v, "print.min_ppi", MIN_PPI_RANGE, " ppi")
    except ValueError:
        return MIN_PPI


def _whole(v: Any, key: str, bounds: tuple[int, int], unit: str) -> int:
    if (isinstance(v, bool) or not isinstance(v, (int, float))
            or (isinstance(v, float) and not v.is_integer())):
        raise ValueError(f"{key}: {_quoted(v)} is not a whole number")
    lo, hi = bounds
    if not (lo <= v <= hi):
        raise ValueError(f"{key}: {_quoted(v)} is outside {lo}–{hi}{unit}")
    return int(v)


def check_split_names(v: Any) -> str:
    """The file-name pattern of `build --split`, tried on sample values: Python format fields
    paper, date (a date: {date:%Y%m%d}), page (版次, a number), section (版名), edition (期号);
    the result must be a plain file name ending in .pdf."""
    import datetime as dt

    if not isinstance(v, str) or not v.strip():
        raise ValueError(f"print.split_names: {_quoted(v)} is not a file-name pattern")
    try:
        name = split_name(v, paper="报", date=dt.date(2023, 3, 17), page=3, section="要闻",
                          edition="1")
    except (KeyError, IndexError, ValueError, TypeError, AttributeError) as e:
        raise ValueError(f"print.split_names: {_quoted(v)} cannot be filled in ({e}); fields: "
                         "{paper}, {date:%Y%m%d}, {page:02d}, {section}, {edition}") from None
    if "{page" not in v.replace(" ", ""):
        raise ValueError(f"print.split_names: {_quoted(v)} has no {{page}}: every page would "
                         "get the same name")
    if "/" in name or "\0" in name or name.startswith(".") or not name.lower().endswith(".pdf"):
        raise ValueError(f"print.split_names: {_quoted(v)} gives {name!r}; a plain file name "
                         "ending in .pdf is needed (no folder, not hidden)")
    return v


def split_name(pattern: str, **fields: Any) -> str:
    """One page's file name: `pattern` filled in (fields as in check_split_names)."""
    return pattern.format(**fields)


def _quoted(v: Any) -> str:
    """A value for a message: short even when it is a 5,000-digit number."""
    if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10 ** 12:
        return "a number of more than 12 digits"
    text = repr(v) if isinstance(v, str) else str(v)
    return text if len(text) <= 40 else text[:37] + "…"


def _number(v: Any, key: str, unit: str) -> float:
    if isinstance(v, bool):
        raise ValueError(f"{key}: {v!r} is not a number")
    if isinstance(v, (int, float)):
        try:
            x = float(v)
        except OverflowError:                 # an int of more than 308 digits
            x = math.inf
        if not math.isfinite(x):
            raise ValueError(f"{key}: {_quoted(v)} is not a finite number (in {unit})")
        return x
    m = re.fullmatch(r"\s*([0-9]{1,12}(?:\.[0-9]{1,12})?)\s*" + re.escape(unit) + r"?\s*", str(v))
    if not m:
        raise ValueError(f"{key}: {_quoted(v)} is not a number (in {unit})")
    return float(m.group(1))


def read_profile(p: Path) -> bytes:
    """The bytes of the CMYK output profile at `p`, checked before use: a regular file of at
    most MAX_PROFILE bytes (a device or a 3 GB file is never read whole), whose header and tag
    table are those of a CMYK output profile. Raises ValueError naming the file and the fault
    (OSError when the system refuses to read it)."""
    from ..readfile import NotReadable, read_bounded

    try:
        data = read_bounded(p, MAX_PROFILE)
    except FileNotFoundError:
        raise ValueError(f"print.profile: {p} does not exist") from None
    except NotReadable as e:
        raise ValueError(f"print.profile: {p} {e}, not an ICC output profile") from None
    # any other OSError (permission denied, I/O error) is the system's answer, reported as such
    fault = icc_fault(data)
    if fault is None:
        cls_, space = data[12:16], data[16:20]
        if cls_ != b"prtr" or space != b"CMYK":
            raise ValueError(f"print.profile: {p} is a {cls_.decode('latin-1')!r} "
                             f"{space.decode('latin-1').strip()!r} profile; a CMYK output "
                             f"profile (class 'prtr') is needed")
    if fault:
        raise ValueError(f"print.profile: {p} is not a valid ICC profile: {fault}")
    return data


def check_profile(p: Path) -> bytes:
    """`read_profile`, and LittleCMS can separate photos with it (what layout.output.color
    does): its tags are readable and hold an sRGB → CMYK conversion (0.05 s, once per issue)."""
    import io

    from PIL import ImageCms

    data = read_profile(p)
    try:
        ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                ImageCms.ImageCmsProfile(io.BytesIO(data)), "RGB", "CMYK",
                                renderingIntent=ImageCms.Intent.PERCEPTUAL)
    except (OSError, ValueError, ImageCms.PyCMSError) as e:
        raise ValueError(f"print.profile: {p} is not a usable ICC profile: LittleCMS cannot "
                         f"convert photos with it ({e})") from None
    return data


def _tags(data: bytes):
    """(signature, offset, size) of each entry of an ICC tag table already checked."""
    n = int.from_bytes(data[128:132], "big")
    for i in range(n):
        at = 132 + 12 * i
        yield (data[at:at + 4], int.from_bytes(data[at + 4:at + 8], "big"),
               int.from_bytes(data[at + 8:at + 12], "big"))


def icc_fault(data: bytes) -> str | None:
    """What makes `data` not an ICC profile (header, size, tag table out of bounds); None when
    its structure is sound. LittleCMS then reads the tags themselves (`check_profile`)."""
    if len(data) < 132 or data[36:40] != b"acsp":
        return "no ICC header (the signature 'acsp' at byte 36)"
    size = int.from_bytes(data[0:4], "big")
    if not 132 <= size <= len(data):
        return f"its header gives a size of {size} bytes, but the file has {len(data)}"
    n = int.from_bytes(data[128:132], "big")
    if 132 + 12 * n > size:
        return f"its tag table of {n} tags does not fit in the file"
    for sig, off, length in _tags(data):
        if off < 132 + 12 * n or off + length > size:
            return (f"tag {sig.decode('latin-1')!r} lies outside the file (bytes {off}–"
                    f"{off + length} of {size})")
    return None


def icc_description(data: bytes) -> str | None:
    """The profile's 'desc' text (v2 textDescriptionType or v4 mluc), if any. `data` has passed
    `icc_fault`, so the tag table is within bounds; slices keep the tag's own fields there."""
    for sig, off, length in _tags(data):
        if sig != b"desc":
            continue
        tag = data[off:off + length]
        try:
            if tag[:4] == b"desc":
                ln = int.from_bytes(tag[8:12], "big")
                return tag[12:12 + ln].rstrip(b"\0").decode("latin-1") or None
            if tag[:4] == b"mluc":
                rl, ro = int.from_bytes(tag[20:24], "big"), int.from_bytes(tag[24:28], "big")
                return tag[ro:ro + rl].decode("utf-16-be", "replace").rstrip("\0") or None
        except ValueError:
            return None
        return None
    return None
