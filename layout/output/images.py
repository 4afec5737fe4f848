"""Photos: decoded, cropped to fill their frame around a focus point, converted to CMYK."""
from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
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
    """A photo ready for the PDF: DeviceCMYK, 8 bits, Flate-compressed pixels. `max_ink`: the
    largest total ink of any pixel as the sum of its four 8-bit channels (0–1020), measured
    on exactly these pixels, so the build's own preflight need not decode them again."""
    width: int
    height: int
    data: bytes
    max_ink: int = 1020

    # the image XObject's dictionary entries that decide what its pixels are (pdf._draw_stream)
    COLOR_SPACE = "/DeviceCMYK"
    FILTERS = ("/FlateDecode",)

    @cached_property
    def key(self) -> str:
        """What `stream_key` gives for this photo's image XObject in the written PDF."""
        return stream_key(self.data, self.width, self.height, 8, self.COLOR_SPACE,
                          self.FILTERS)


def stream_key(raw: bytes, width: int, height: int, bpc: int, color_space: str,
               filters) -> str:
    """A hash of an image stream's exact compressed bytes and of the dictionary entries that
    decide how they decode: preflight trusts what the build measured (`PhotoStream.max_ink`)
    only for a stream whose key is the same, i.e. byte-identical to the one separated here."""
    import hashlib

    h = hashlib.sha256(raw)
    h.update(repr((int(width), int(height), int(bpc), str(color_space),
                   tuple(str(f) for f in filters))).encode())
    return h.hexdigest()


def max_total_ink(pixels: bytes) -> int:
    """The largest sum of the four channels of any pixel of 8-bit CMYK `pixels` (0–1020)."""
    import numpy as np

    a = np.frombuffer(pixels, dtype=np.uint8)
    if not a.size:
        return 0
    return int(a.reshape(-1, 4).sum(axis=1, dtype=np.uint16).max())


# Within one process (a build, or the test suite): the streams made, by cache key, so a photo
# placed on many pages is read once.
_streams: dict[str, "PhotoStream"] = {}


def _keep(memo: str, ps: "PhotoStream") -> "PhotoStream":
    if len(_streams) >= 64:
        _streams.clear()
    _streams[memo] = ps
    return ps


def photo_stream(path: Path, frame_w: float, frame_h: float, focus=(0.5, 0.5), *,
                 profile=None, ink_limit: float = 240.0) -> PhotoStream:
    """The photo cropped, separated and compressed for its frame. Separation and compression
    cost about 0.4 s for a broadsheet photo, so the result is kept on disk, keyed by the
    SHA-256 of the photo and of the profile and by the crop and ink limit: a proof rebuilt
    after a text change reuses it. The cache never changes the output, only its cost. With
    the pixels it keeps their largest total ink, for the build's preflight."""
    import hashlib
    import struct
    import zlib

    from ..cache import drop_entry, entry_path, file_digest, read_entry, write_entry
    from ..model.photos import MAX_PHOTO_PIXELS
    from ..model.printing import DEFAULT_PROFILE

    prof = Path(profile) if profile else DEFAULT_PROFILE
    h = hashlib.sha256()
    h.update(file_digest(Path(path)).encode())
    h.update(file_digest(prof).encode())
    h.update(repr((round(frame_w, 3), round(frame_h, 3), tuple(focus), float(ink_limit))).encode())
    cached = entry_path("photos", f"{h.hexdigest()}.bin")
    memo = str(cached)                   # per cache folder: each one gets its entry
    ps = _streams.get(memo)
    if ps is not None:
        return ps
    raw = read_entry(cached)
    if raw is not None:
        w, hgt, ink = struct.unpack(">III", raw[:12]) if len(raw) > 12 else (0, 0, 0)
        # a crop of an accepted photo, with no more ink than four full channels
        if 0 < w * hgt <= MAX_PHOTO_PIXELS and ink <= 1020:
            return _keep(memo, PhotoStream(w, hgt, raw[12:], ink))
        drop_entry(cached, f"a {w} × {hgt} photo with ink {ink} cannot be right")
    img = prepare_picture(path, frame_w, frame_h, focus, profile=profile, ink_limit=ink_limit)
    pixels = img.tobytes()
    ps = _keep(memo, PhotoStream(img.width, img.height, zlib.compress(pixels, 6),
                                 max_total_ink(pixels)))
    write_entry(cached, struct.pack(">III", ps.width, ps.height, ps.max_ink) + ps.data)
    return ps
