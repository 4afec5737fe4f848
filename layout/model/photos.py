"""Photos (and ad artwork) checked when the issue file is loaded, so that a bad picture is an
input error with the line that names it — never a crash in the middle of writing the PDF.

The check is cheap: Pillow reads the header, `verify()` walks the file's structure, and a JPEG is
decoded at one eighth of its size (which still reads every byte of its scan, so a truncated
file is caught). A picture with more than `MAX_PHOTO_PIXELS` pixels is refused before anything
is decoded: such a file is either a decompression bomb or far larger than print needs.
"""
from __future__ import annotations

import warnings
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# 80 megapixels: a whole broadsheet page (390 × 550 mm) at 400 ppi is 53 MP, so no real photo
# comes near it; Pillow's own warning starts at 89 MP (Image.MAX_IMAGE_PIXELS), its error at
# twice that. Documented in docs/issue-format.md.
MAX_PHOTO_PIXELS = 80_000_000


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
    """Open, verify and (cheaply) decode the picture at `path`. Raises PhotoError."""
    path = Path(path)
    try:
        st = path.stat()
    except OSError:
        st = None
    key = (str(path), st.st_mtime_ns, st.st_size) if st else (str(path), 0, 0)
    return _inspect(*key)


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
_FORMAT = "paiban-photo-info/1"


def _entry(path: Path) -> Path:
    from ..cache import entry_path, file_digest

    return entry_path("photo-info", f"{file_digest(path)}.json")


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
                info = PhotoInfo(im.width, im.height, im.format or "?", im.mode)
                _check_size(path, info)
                im.verify()
            with Image.open(path) as im:
                if im.format == "JPEG":
                    im.draft("RGB", (max(1, im.width // 8), max(1, im.height // 8)))
                im.load()
                if im.mode not in ("RGB", "CMYK"):
                    Image.new(im.mode, (1, 1)).convert("RGB")
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
            if "conversion" in str(e):
                raise PhotoError(f"{path}: its colour mode cannot be converted for print ({e})",
                                 "save it as an RGB or CMYK JPEG") from None
            raise PhotoError(f"{path} is corrupt or truncated ({e})",
                             "export the picture again") from None
        except Exception as e:  # Pillow raises OSError, SyntaxError, EOFError, zlib.error …
            raise PhotoError(f"{path} is corrupt or truncated ({type(e).__name__}: {e})",
                             "export the picture again") from None
    return info


def _check_size(path: Path, info: PhotoInfo) -> None:
    pixels = info.width * info.height
    if info.width <= 0 or info.height <= 0:
        raise PhotoError(f"{path} is {info.width} × {info.height} pixels: it is empty")
    if pixels > MAX_PHOTO_PIXELS:
        raise PhotoError(
            f"{path} is {info.width} × {info.height} = {pixels / 1e6:.0f} megapixels, more "
            f"than the {MAX_PHOTO_PIXELS // 1_000_000} megapixels paiban decodes (a possible "
            "decompression bomb)", "scale it down: 300 ppi at its printed size is enough")
