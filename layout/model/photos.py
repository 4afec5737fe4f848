"""Photos (and ad artwork) checked when the issue file is loaded, so that a bad picture is an
input error with the line that names it — never a crash in the middle of writing the PDF.

The check is cheap: Pillow reads the header, `verify()` walks the file's structure, and a JPEG is
decoded at one eighth of its size (which still reads every byte of its scan, so a truncated
file is caught). Before Pillow opens anything, the path must be a regular file (a FIFO would
block, a device never ends) of at most `MAX_PHOTO_BYTES`; a picture with more than
`MAX_PHOTO_PIXELS` pixels is refused before anything is decoded: such a file is either a
decompression bomb or far larger than print needs. Sizes are as the picture is shown, after its
EXIF orientation (a phone photo stored landscape and tagged "rotate 90°" is portrait).
"""
from __future__ import annotations

import stat
import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# 80 megapixels: a whole broadsheet page (390 × 550 mm) at 400 ppi is 53 MP, so no real photo
# comes near it; Pillow's own warning starts at 89 MP (Image.MAX_IMAGE_PIXELS), its error at
# twice that. Documented in docs/issue-format.md.
MAX_PHOTO_PIXELS = 80_000_000
# 1 GiB: more than an uncompressed 80 MP picture of 16-bit RGBA (640 MB); anything larger is
# refused by its size, before a byte of it is read.
MAX_PHOTO_BYTES = 1 << 30
# EXIF orientations 5–8 turn the picture a quarter: its width and height swap.
_QUARTER_TURNS = (5, 6, 7, 8)


class PhotoError(ValueError):
    """A photo that cannot be used; `hint` says what to do."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.hint = hint


@dataclass(frozen=True)
class PhotoInfo:
    width: int                 # pixels
    height: int
    format: str                # JPEG, PNG, TIFF …
    mode: str                  # RGB, CMYK, L …


def inspect_photo(path: Path) -> PhotoInfo:
    """Open, verify and (cheaply) decode the picture at `path`. Raises PhotoError. Width and
    height are the picture's as shown (its EXIF orientation applied)."""
    path = Path(path)
    st = check_photo_file(path)
    key = (str(path), st.st_mtime_ns, st.st_size) if st else (str(path), 0, 0)
    return _inspect(*key)


def check_photo_file(path: Path):
    """`path`'s stat if it is a regular file of at most MAX_PHOTO_BYTES, else PhotoError; None
    if it cannot be stat'ed (the open that follows says why)."""
    try:
        st = path.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        what = ("a FIFO (named pipe)" if stat.S_ISFIFO(st.st_mode)
                else "a character device" if stat.S_ISCHR(st.st_mode)
                else "a block device" if stat.S_ISBLK(st.st_mode)
                else "a socket" if stat.S_ISSOCK(st.st_mode)
                else "a folder" if stat.S_ISDIR(st.st_mode) else "a special file")
        raise PhotoError(f"{path.resolve()} is {what}, not a regular file: it cannot be a photo",
                         "name a JPEG, PNG or TIFF file")
    if st.st_size > MAX_PHOTO_BYTES:
        raise PhotoError(f"{path} is {st.st_size / 2**20:,.0f} MiB, more than the "
                         f"{MAX_PHOTO_BYTES // 2**20:,} MiB paiban reads for a photo",
                         "save it compressed (JPEG, or PNG/TIFF with compression) or smaller")
    return st


@lru_cache(maxsize=256)
def _inspect(name: str, _mtime: int, _size: int) -> PhotoInfo:
    path = Path(name)
    known = _remembered(path) if _mtime else None
    if known is not None:
        _check_size(path, known)
        return known
    info = _open_and_verify(path)
    _remember(path, info)
    return info


# A photo that passed is remembered in the cache folder under its SHA-256, so that checking an
# issue again (paiban check in CI, a proof after a text change) neither imports Pillow nor
# decodes the photos (0.03–0.05 s for the seed page).
_FORMAT = "paiban-photo-info/2"     # 2: sizes after EXIF orientation


def _entry(path: Path) -> Path:
    from ..cache import entry_path, file_digest

    # the format in the name: an entry of an older format is not found (not "damaged")
    return entry_path("photo-info", f"{file_digest(path)}-{_FORMAT.rsplit('/', 1)[1]}.json")


def _remembered(path: Path) -> PhotoInfo | None:
    """What the check found when `path` passed it; None when it was not remembered. Only a
    photo that passed is remembered, so an entry that would fail it now cannot be right: it is
    a damaged entry (dropped and made again), never a fault of the user's photo."""
    import json

    from ..cache import drop_entry, read_entry

    try:
        entry = _entry(path)
    except OSError:
        return None
    raw = read_entry(entry)
    if raw is None:
        return None
    try:
        rec = json.loads(raw)
        info = PhotoInfo(rec["width"], rec["height"], rec["format"], rec["mode"])
        if (rec.get("format_version") == _FORMAT
                and all(type(v) is int for v in (info.width, info.height))
                and all(type(v) is str for v in (info.format, info.mode))
                and 0 < info.width * info.height <= MAX_PHOTO_PIXELS
                and info.width > 0):
            return info
    except (ValueError, KeyError, TypeError):
        pass
    drop_entry(entry, "not the check of an accepted photo")
    return None


def _remember(path: Path, info: PhotoInfo) -> None:
    import json

    from ..cache import write_entry

    try:
        entry = _entry(path)
    except OSError:
        return
    write_entry(entry, json.dumps({"format_version": _FORMAT, "width": info.width,
                                   "height": info.height, "format": info.format,
                                   "mode": info.mode}).encode("utf-8"))


def _open_and_verify(path: Path) -> PhotoInfo:
    from PIL import Image, UnidentifiedImageError

    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(path) as im:
                size = im.size
                _check_size(path, PhotoInfo(*size, im.format or "?", im.mode))
                if im.format == "PNG":
                    _verify_png(path)
                else:
                    im.verify()
            with Image.open(path) as im:
                if im.format in ("JPEG", "MPO"):       # MPO: a phone's multi-picture JPEG
                    im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
                im.load()
                value_scale(im, path)
                w, h = size[::-1] if orientation(im) in _QUARTER_TURNS else size
                info = PhotoInfo(w, h, im.format or "?", im.mode)
        except PhotoError:
            raise
        except FileNotFoundError:
            raise PhotoError(f"photo file not found: {path}",
                             "paths are relative to the issue file") from None
        except IsADirectoryError:
            raise PhotoError(f"{path} is a folder, not a photo") from None
        except PermissionError:
            raise PhotoError(f"cannot read the photo {path}: permission denied",
                             "check the file's permissions") from None
        except UnidentifiedImageError:
            raise PhotoError(f"{path} is not a picture paiban can read",
                             "save it as JPEG, PNG or TIFF") from None
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            raise PhotoError(f"{path} has too many pixels to decode safely (more than "
                             f"{MAX_PHOTO_PIXELS // 1_000_000} megapixels)",
                             "scale it down: 300 ppi at its printed size is enough") from None
        except ValueError as e:
            raise PhotoError(f"{path} is corrupt or truncated ({e})",
                             "export the picture again") from None
        except Exception as e:  # Pillow raises OSError, SyntaxError, EOFError, zlib.error …
            raise PhotoError(f"{path} is corrupt or truncated ({type(e).__name__}: {e})",
                             "export the picture again") from None
    return info


def _verify_png(path: Path) -> None:
    """What Pillow's PNG verify() checks — every chunk whole, its CRC right — reading each in
    1 MiB pieces: Pillow reads a chunk whole, twice over, so a PNG of one 300 MB IDAT chunk
    cost 650 MB just to verify."""
    import struct
    import zlib

    with open(path, "rb") as f:
        f.seek(8)
        while True:
            head = f.read(8)
            if len(head) < 8:
                raise PhotoError(f"{path} is corrupt or truncated (it ends before its IEND chunk)",
                                 "export the picture again")
            length, kind = struct.unpack(">I4s", head)
            crc = zlib.crc32(kind)
            left = length
            while left:
                piece = f.read(min(left, 1 << 20))
                if not piece:
                    raise PhotoError(f"{path} is corrupt or truncated (it ends in a "
                                     f"{kind.decode('latin-1')!r} chunk)",
                                     "export the picture again")
                crc = zlib.crc32(piece, crc)
                left -= len(piece)
            stored = f.read(4)
            if len(stored) < 4 or struct.unpack(">I", stored)[0] != crc & 0xFFFFFFFF:
                raise PhotoError(f"{path} is corrupt or truncated (the CRC of a "
                                 f"{kind.decode('latin-1')!r} chunk is wrong)",
                                 "export the picture again")
            if kind == b"IEND":
                return


def _check_size(path: Path, info: PhotoInfo) -> None:
    pixels = info.width * info.height
    if info.width <= 0 or info.height <= 0:
        raise PhotoError(f"{path} is {info.width} × {info.height} pixels: it is empty")
    if pixels > MAX_PHOTO_PIXELS:
        raise PhotoError(
            f"{path} is {info.width} × {info.height} = {pixels / 1e6:.0f} megapixels, more "
            f"than the {MAX_PHOTO_PIXELS // 1_000_000} megapixels paiban decodes (a possible "
            "decompression bomb)", "scale it down: 300 ppi at its printed size is enough")


def orientation(im) -> int:
    """The picture's EXIF orientation (1–8; 1, upright, when it has none or a bad one)."""
    try:
        o = im.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block is no orientation, as for Pillow
        return 1
    return o if isinstance(o, int) and 1 <= o <= 8 else 1


# The colour modes paiban prints: each 8-bit mode is converted to RGB, grey or CMYK as it is
# (alpha over white); the 16-bit and 32-bit ones are scaled to 8 bits by `value_scale`.
EIGHT_BIT_MODES = {"1", "L", "LA", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK",
                   "YCbCr", "LAB", "HSV"}
WIDE_MODES = {"I;16", "I;16L", "I;16B", "I;16N", "I", "F"}


def value_scale(im, path: Path) -> float:
    """The factor that takes `im`'s values to 0–255: 1 for an 8-bit mode, 1/257 for 16-bit
    grey (`I;16…`, and `I` — 32-bit integers, which Pillow gives for 16-bit data — when its
    values are within 0–65535), 255 for floating point within 0–1. Any other range has no
    defined black and white: PhotoError. `im` must be loaded (its values are read)."""
    if im.mode in EIGHT_BIT_MODES:
        return 1.0
    if im.mode not in WIDE_MODES:
        raise PhotoError(f"{path}: paiban cannot print its colour mode {im.mode}",
                         "save it as an RGB, greyscale or CMYK JPEG, PNG or TIFF")
    if im.mode.startswith("I;16"):
        return 1 / 257
    lo, hi = im.getextrema()
    if im.mode == "I" and 0 <= lo and hi <= 65535:
        return 1 / 257
    if im.mode == "F" and 0 <= lo and hi <= 1:
        return 255.0
    kind = "32-bit integer" if im.mode == "I" else "floating-point"
    want = "0–65535" if im.mode == "I" else "0–1"
    raise PhotoError(f"{path} is a {kind} greyscale picture with values {lo:g}–{hi:g}, "
                     f"outside {want}: its black and white are not defined",
                     "save it as an 8- or 16-bit greyscale PNG or TIFF")
