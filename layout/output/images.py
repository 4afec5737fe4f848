"""Photos: decoded, cropped to fill their frame around a focus point, converted to CMYK."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


def crop_box(img_w: int, img_h: int, frame_w: float, frame_h: float,
             focus: tuple[float, float]) -> tuple[int, int, int, int]:
    """The largest crop of the image with the frame's aspect, centred on `focus` as far as the
    image allows (cover fit: the frame is filled, nothing is letterboxed)."""
    aspect = frame_w / frame_h
    if img_w / img_h > aspect:          # too wide: cut the sides
        cw, ch = round(img_h * aspect), img_h
    else:                               # too tall: cut top and bottom
        cw, ch = img_w, round(img_w / aspect)
    fx, fy = focus
    left = min(max(round(fx * img_w - cw / 2), 0), img_w - cw)
    top = min(max(round(fy * img_h - ch / 2), 0), img_h - ch)
    return left, top, left + cw, top + ch


def prepare_picture(path: Path, frame_w: float, frame_h: float, focus=(0.5, 0.5), *,
                    profile=None, ink_limit: float = 240.0):
    """The photo cropped to its frame and separated to CMYK through the output profile, with
    its total ink held to `ink_limit` percent."""
    from PIL import Image

    from .color import cmyk_image

    with Image.open(path) as im:
        im.load()
        img = im.copy()
    img = img.crop(crop_box(img.width, img.height, frame_w, frame_h, focus))
    return cmyk_image(img, profile, ink_limit)


@dataclass(frozen=True)
class PhotoStream:
    """A photo ready for the PDF: DeviceCMYK, 8 bits, Flate-compressed pixels."""
    width: int
    height: int
    data: bytes


_MAGIC = b"PBIMG1"


def photo_stream(path: Path, frame_w: float, frame_h: float, focus=(0.5, 0.5), *,
                 profile=None, ink_limit: float = 240.0) -> PhotoStream:
    """The photo cropped, separated and compressed for its frame. Separation and compression
    cost about 0.4 s for a broadsheet photo, so the result is kept on disk, keyed by the
    SHA-256 of the photo and of the profile and by the crop and ink limit: a proof rebuilt
    after a text change reuses it. The cache never changes the output, only its cost."""
    import hashlib
    import os
    import struct
    import zlib

    from ..text.fonts import cache_dir
    from .pdfx import DEFAULT_PROFILE

    prof = Path(profile) if profile else DEFAULT_PROFILE
    h = hashlib.sha256()
    h.update(Path(path).read_bytes())
    h.update(prof.read_bytes())
    h.update(repr((round(frame_w, 3), round(frame_h, 3), tuple(focus), float(ink_limit))).encode())
    cached = cache_dir() / "photos" / f"{h.hexdigest()}.bin"
    try:
        raw = cached.read_bytes()
        if raw[:6] == _MAGIC:
            w, hgt = struct.unpack(">II", raw[6:14])
            return PhotoStream(w, hgt, raw[14:])
    except OSError:
        pass
    img = prepare_picture(path, frame_w, frame_h, focus, profile=profile, ink_limit=ink_limit)
    ps = PhotoStream(img.width, img.height, zlib.compress(img.tobytes(), 6))
    try:
        cached.parent.mkdir(parents=True, exist_ok=True)
        tmp = cached.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(_MAGIC + struct.pack(">II", ps.width, ps.height) + ps.data)
        os.replace(tmp, cached)
    except OSError:
        pass
    return ps
