"""Photos: decoded, cropped to fill their frame around a focus point, converted to CMYK."""
from __future__ import annotations

import math
from dataclasses import dataclass, replace
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


def frame_ppi(path, frame_w: float, frame_h: float, focus: tuple[float, float]) -> float:
    """The effective resolution of the picture at `path` in a frame of frame_w × frame_h pt
    (cover fit): the pixels of its crop per inch of the frame, the lower of the two ways."""
    from ..model.photos import inspect_photo

    info = inspect_photo(path)
    l, t, r, b = crop_box(info.width, info.height, frame_w, frame_h, focus)
    return min((r - l) / (frame_w / 72), (b - t) / (frame_h / 72))


# The size the page needs: a photo with more than RESAMPLE_ABOVE times the output resolution in
# its frame is resampled to that resolution (as press settings do: over 450 ppi → 300 ppi), a
# JPEG decoded at the smallest DCT scale (½, ¼, ⅛) that still has those pixels. The output
# resolution is OUTPUT_PPI, or the print.min_ppi when that is higher.
OUTPUT_PPI = 300
RESAMPLE_ABOVE = 1.5
# The decoded picture is cropped, converted and separated in bands of about this many pixels:
# a build's memory is the decoded picture plus one band, whatever the frame (a float64 CMYK
# copy of a 60 MP photo alone is 1.9 GB).
BAND_PIXELS = 1 << 22
# In the photo cache's key: what a photo's pixels come out as changed (2: EXIF orientation,
# 16-bit and float modes scaled, resampling to the frame's needs; 3: grey photos in black
# alone, JPEG streams).
DECODE_VERSION = 3
# Pictures whose mode is grey: separated to black alone (K), stored as DeviceGray.
GREY_MODES = {"1", "L", "LA", "I;16", "I;16L", "I;16B", "I;16N", "I", "F"}


def _stored_point(o: int, w: int, h: int, x: float, y: float) -> tuple[float, float]:
    """Where the point (x, y) of the upright picture lies in its stored w×h pixels, for EXIF
    orientation `o` (the inverse of ImageOps.exif_transpose)."""
    return {1: (x, y), 2: (w - x, y), 3: (w - x, h - y), 4: (x, h - y),
            5: (y, x), 6: (y, h - x), 7: (w - y, h - x), 8: (w - y, x)}[o]


def _upright_region(im, o: int, box: tuple[int, int, int, int]):
    """The region `box` of the upright picture, cut from the stored one and turned: the whole
    picture is never turned (that would copy it)."""
    from PIL import Image

    (x0, y0), (x1, y1) = (_stored_point(o, im.width, im.height, *p) for p in
                          (box[:2], box[2:]))
    part = im.crop((min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)))
    method = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
              4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
              6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
              8: Image.Transpose.ROTATE_90}.get(o)
    return part.transpose(method) if method is not None else part


def _printable(region, scale: float):
    """`region` in an 8-bit mode `cmyk_image` separates — RGB, L or CMYK — with its ICC
    profile: 16-bit and float values scaled by `scale` (photos.value_scale), transparency laid
    over white, palette, bilevel, YCbCr, HSV and CIELAB (through LittleCMS) to RGB or grey."""
    import numpy as np
    from PIL import Image, ImageCms

    mode, icc = region.mode, region.info.get("icc_profile")
    if scale != 1.0:
        a = np.asarray(region, dtype=np.float64) * scale
        out = Image.fromarray(np.clip(np.rint(a), 0, 255).astype(np.uint8), "L")
    elif mode == "LAB":
        out, icc = ImageCms.applyTransform(region, _lab_to_srgb()), None
    elif mode in ("LA", "PA", "RGBA", "RGBa") or "transparency" in region.info:
        rgba = region.convert("RGBA")
        out = Image.alpha_composite(Image.new("RGBA", rgba.size, (255, 255, 255, 255)), rgba)
        out = out.convert("L" if mode in ("LA", "L") else "RGB")
    elif mode in ("L", "RGB", "CMYK"):
        out = region
    else:                               # 1, P, YCbCr, HSV, RGBX
        out = region.convert("L" if mode == "1" else "RGB")
    out.info = {"icc_profile": icc} if icc else {}
    return out


def _lab_to_srgb():
    from PIL import ImageCms

    return ImageCms.buildTransform(ImageCms.createProfile("LAB"), ImageCms.createProfile("sRGB"),
                                   "LAB", "RGB", renderingIntent=ImageCms.Intent.PERCEPTUAL)


def _frame_plan(o: int, w: int, h: int, frame_w: float, frame_h: float, focus, ppi: float):
    """(crop box in the upright picture's pixels, output size, resampled?) of a stored w×h
    picture with EXIF orientation `o` in a frame of frame_w×frame_h points."""
    from ..model.photos import _QUARTER_TURNS

    uw, uh = (h, w) if o in _QUARTER_TURNS else (w, h)
    box = crop_box(uw, uh, frame_w, frame_h, focus)
    cw, ch = box[2] - box[0], box[3] - box[1]
    tw, th = max(1, round(frame_w / 72 * ppi)), max(1, round(frame_h / 72 * ppi))
    if cw / (frame_w / 72) > RESAMPLE_ABOVE * ppi and tw < cw and th < ch:
        return box, (tw, th), True
    return box, (cw, ch), False


def separated_bands(path: Path, frame_w: float, frame_h: float, focus=(0.5, 0.5), *,
                    profile=None, ink_limit: float = 240.0, min_ppi: float = 0,
                    black: bool = False):
    """(width, height) of the photo as printed in its frame, an iterator of its CMYK bands,
    top to bottom, and whether it is in black alone: the picture decoded at the size the frame
    needs, turned upright by its EXIF orientation, cropped to the frame around `focus`,
    separated through the output profile with its total ink held to `ink_limit` percent. A
    greyscale picture, or any with `black` (``ink: k``), is separated to K alone
    (color.black_image). Memory: the decoded picture and one band."""
    from PIL import Image

    from ..model.photos import orientation, value_scale
    from .color import cmyk_image

    ppi = max(OUTPUT_PPI, min_ppi or 0)
    im = Image.open(path)
    w, h = im.size
    black = black or im.mode in GREY_MODES
    if im.format in ("JPEG", "MPO"):    # decode at the smallest DCT scale with enough pixels
        box, size, resample = _frame_plan(orientation(im), w, h, frame_w, frame_h, focus, ppi)
        if resample:
            f = size[0] / (box[2] - box[0])
            im.draft(None, (max(1, math.ceil(w * f)), max(1, math.ceil(h * f))))
    im.load()
    o = orientation(im)
    box, size, resample = _frame_plan(o, w, h, frame_w, frame_h, focus, ppi)
    scale = value_scale(im, Path(path))

    def bands():
        with im:
            if not resample:
                l, t, r, b = box
                step = max(1, BAND_PIXELS // max(1, r - l))
                for y in range(t, b, step):
                    region = _upright_region(im, o, (l, y, r, min(b, y + step)))
                    yield cmyk_image(_printable(region, scale), profile, ink_limit, black)
                return
            yield from _resampled(im, o, box, (w, h), size, scale, profile, ink_limit, black)

    return size, bands(), black


def _resampled(im, o, box, full, size, scale, profile, ink_limit, black):
    """The bands of a resampled photo: each is Lanczos-resampled from a region of the decoded
    picture wide enough for the filter's reach, so bands join without seams."""
    from PIL import Image

    from ..model.photos import _QUARTER_TURNS
    from .color import cmyk_image

    uw, uh = im.size[::-1] if o in _QUARTER_TURNS else im.size
    fw, fh = full[::-1] if o in _QUARTER_TURNS else full
    kx, ky = uw / fw, uh / fh               # JPEG draft: the decoded scale
    bl, bt = box[0] * kx, box[1] * ky
    br, bb = min(box[2] * kx, uw), min(box[3] * ky, uh)
    tw, th = size
    sx, sy = (br - bl) / tw, (bb - bt) / th
    reach_x, reach_y = 3 * max(sx, 1) + 2, 3 * max(sy, 1) + 2     # Lanczos: 3 input pixels
    rx0, rx1 = max(0, math.floor(bl - reach_x)), min(uw, math.ceil(br + reach_x))
    step = max(1, int(BAND_PIXELS / ((rx1 - rx0) * max(sy, 1))))
    for y0 in range(0, th, step):
        y1 = min(th, y0 + step)
        top, bottom = bt + y0 * sy, min(bt + y1 * sy, uh)
        ry0, ry1 = max(0, math.floor(top - reach_y)), min(uh, math.ceil(bottom + reach_y))
        region = _printable(_upright_region(im, o, (rx0, ry0, rx1, ry1)), scale)
        band = region.resize((tw, y1 - y0), Image.Resampling.LANCZOS,
                             box=(bl - rx0, top - ry0, br - rx0, bottom - ry0))
        band.info = region.info
        yield cmyk_image(band, profile, ink_limit, black)


def prepare_picture(path: Path, frame_w: float, frame_h: float, focus=(0.5, 0.5), *,
                    profile=None, ink_limit: float = 240.0, min_ppi: float = 0):
    """The photo cropped to its frame and separated to CMYK through the output profile, with
    its total ink held to `ink_limit` percent, as one image (see `separated_bands`)."""
    from PIL import Image

    size, bands, _ = separated_bands(path, frame_w, frame_h, focus, profile=profile,
                                     ink_limit=ink_limit, min_ppi=min_ppi)
    out = Image.new("CMYK", size)
    y = 0
    for band in bands:
        out.paste(band, (0, y))
        y += band.height
    return out


def separate_photo(path: Path, frame_w: float, frame_h: float, focus=(0.5, 0.5), *,
                   profile=None, ink_limit: float = 240.0, min_ppi: float = 0,
                   black: bool = False, compression: tuple[str, int] = ("flate", 0)
                   ) -> "PhotoStream":
    """The photo as a PhotoStream (see `separated_bands`), compressed as `compression` says:
    ("flate", _) band by band, so the whole separated picture is never in memory, or ("jpeg",
    quality), which needs the separated picture whole (w × h × 4 bytes; a picture beyond
    JPEG_MAX_PIXELS goes Flate). A picture in black alone is stored as DeviceGray."""
    codec, quality = compression
    if codec == "jpeg":
        for headroom in JPEG_HEADROOM:
            size, bands, grey = separated_bands(path, frame_w, frame_h, focus, profile=profile,
                                                ink_limit=ink_limit - headroom,
                                                min_ppi=min_ppi, black=black)
            if size[0] * size[1] > JPEG_MAX_PIXELS or max(size) > JPEG_MAX_SIDE:
                break
            ps, over = _jpeg_stream(size, bands, grey, quality, ink_limit)
            if over <= JPEG_OVER_SHARE:
                return ps
    size, bands, black = separated_bands(path, frame_w, frame_h, focus, profile=profile,
                                         ink_limit=ink_limit, min_ppi=min_ppi, black=black)
    import zlib

    comp, parts, ink, cmy = zlib.compressobj(6), [], 0, False
    for band in bands:
        if black:
            grey = _grey(band)
            ink = max(ink, 255 - grey.getextrema()[0])
            pixels = grey.tobytes()
        else:
            pixels = band.tobytes()
            ink = max(ink, max_total_ink(pixels))
            cmy = cmy or _has_cmy(band)
        parts.append(comp.compress(pixels))
    parts.append(comp.flush())
    return PhotoStream(size[0], size[1], b"".join(parts), ink, black, "flate", cmy)


# JPEG: at most 65,535 pixels a side; beyond about 50 MP (200 MB of CMYK, a whole broadsheet
# page at 350 ppi) a photo is stored Flate, which is compressed band by band.
JPEG_MAX_SIDE = 65_000
JPEG_MAX_PIXELS = 50_000_000
# JPEG's ringing lifts some pixels of a photo separated right up to the ink limit above it (at
# 220 %: 1.6 % of a photo's pixels beyond 222 %, up to 235 %). The decoded JPEG — what a
# plant's preflight and RIP see — must keep all but JPEG_OVER_SHARE of its pixels within the
# preflight's tolerance, so a photo that does not is separated again this many points lower,
# and stored Flate (exact) if none of these does.
JPEG_HEADROOM = (0.0, 4.0, 8.0, 12.0)
JPEG_OVER_SHARE = 0.001


def _grey(band):
    """A band in black alone (C = M = Y = 0) as DeviceGray pixels: grey = 1 − K."""
    from PIL import ImageChops

    return ImageChops.invert(band.getchannel("K"))


def _has_cmy(band) -> bool:
    return any(band.getchannel(c).getextrema()[1] for c in "CMY")


def _jpeg_stream(size, bands, black: bool, quality: int, ink_limit: float
                 ) -> tuple["PhotoStream", float]:
    """The separated bands as one baseline JPEG at `quality`, no chroma subsampling (4:4:4:
    CMYK has no chroma to spare, and a K-only photo is one channel), Huffman tables optimised.
    Pillow writes CMYK inverted with an Adobe marker, as Photoshop does, so the XObject gets
    /Decode [1 0 1 0 1 0 1 0] (PhotoStream.DECODE). The largest ink, and the share of pixels
    over `ink_limit` beyond the preflight's tolerance, are measured on the decoded JPEG, the
    pixels a reader sees."""
    import io

    import numpy as np
    from PIL import Image

    from ..checks.preflight import INK_TOLERANCE_PIXEL

    whole = Image.new("L" if black else "CMYK", size)
    y, cmy = 0, False
    for band in bands:
        if black:
            whole.paste(_grey(band), (0, y))
        else:
            cmy = cmy or _has_cmy(band)
            whole.paste(band, (0, y))
        y += band.height
    buf = io.BytesIO()
    whole.save(buf, "JPEG", quality=int(quality), subsampling=0, optimize=True)
    del whole
    data = buf.getvalue()
    over = 0
    with Image.open(io.BytesIO(data)) as seen:
        seen.load()
        if black:
            ink = 255 - seen.getextrema()[0]
        else:
            ink, limit = 0, (ink_limit + INK_TOLERANCE_PIXEL) / 100.0 * 255.0
            for t in range(0, seen.height, 256):
                a = np.asarray(seen.crop((0, t, seen.width, min(seen.height, t + 256))))
                total = a.sum(axis=2, dtype=np.uint16)
                ink = max(ink, int(total.max()))
                over += int(np.count_nonzero(total > limit))
    return (PhotoStream(size[0], size[1], data, ink, black, "jpeg", cmy),
            over / max(1, size[0] * size[1]))


@dataclass(frozen=True)
class PhotoStream:
    """A photo ready for the PDF: 8 bits, DeviceCMYK (or DeviceGray for a photo in black
    alone: grey = 1 − K), Flate- or DCT-compressed. `max_ink`: the largest total ink of any
    pixel as the sum of its 8-bit ink values (0–1020; a grey photo's K), measured on exactly
    these pixels, so the build's own preflight need not decode them again. `cmy`: some pixel
    has cyan, magenta or yellow (a black-only page refuses it)."""
    width: int
    height: int
    data: bytes
    max_ink: int = 1020
    grey: bool = False
    codec: str = "flate"          # flate | jpeg
    cmy: bool = True
    # the preflight's measure of this very stream (checks.preflight.InkMeasure, `stream_ink`)
    ink: object = None

    # the image XObject's dictionary entries that decide what its pixels are (pdf._draw_stream)
    @property
    def COLOR_SPACE(self) -> str:
        return "/DeviceGray" if self.grey else "/DeviceCMYK"

    @property
    def FILTERS(self) -> tuple[str, ...]:
        return ("/DCTDecode",) if self.codec == "jpeg" else ("/FlateDecode",)

    @property
    def DECODE(self) -> tuple[int, ...] | None:
        """Pillow's CMYK JPEG is inverted (Adobe): the XObject's /Decode turns it back."""
        return (1, 0) * 4 if self.codec == "jpeg" and not self.grey else None

    @cached_property
    def key(self) -> str:
        """What `stream_key` gives for this photo's image XObject in the written PDF."""
        return stream_key(self.data, self.width, self.height, 8, self.COLOR_SPACE,
                          self.FILTERS, self.DECODE)


def stream_key(raw: bytes, width: int, height: int, bpc: int, color_space: str,
               filters, decode=None) -> str:
    """A hash of an image stream's exact compressed bytes and of the dictionary entries that
    decide how they decode: preflight trusts what the build measured (`PhotoStream.max_ink`)
    only for a stream whose key is the same, i.e. byte-identical to the one separated here."""
    import hashlib

    h = hashlib.sha256(raw)
    h.update(repr((int(width), int(height), int(bpc), str(color_space),
                   tuple(str(f) for f in filters))).encode())
    if decode is not None:
        h.update(repr(tuple(float(v) for v in decode)).encode())
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
                 profile=None, ink_limit: float = 240.0, min_ppi: float = 0,
                 black: bool = False, compression: tuple[str, int] = ("flate", 0)
                 ) -> PhotoStream:
    """The photo cropped, separated and compressed for its frame. Separation and compression
    cost about 0.4 s for a broadsheet photo, so the result is kept on disk, keyed by the
    SHA-256 of the photo and of the profile, by the crop, ink limit, black-only choice and
    compression, and by the JPEG library's version (its output is deterministic for the same
    library and settings): a proof rebuilt after a text change reuses it. The cache never
    changes the output, only its cost. With the pixels it keeps their largest total ink, for
    the build's preflight."""
    import hashlib
    import struct

    from PIL import Image

    from ..cache import drop_entry, entry_path, file_digest, is_sha256, read_entry, write_entry
    from ..model.photos import MAX_PHOTO_PIXELS
    from ..model.printing import DEFAULT_PROFILE

    prof = Path(profile) if profile else DEFAULT_PROFILE
    codec, quality = compression
    h = hashlib.sha256()
    h.update(file_digest(Path(path)).encode())
    h.update(file_digest(prof).encode())
    h.update(repr((round(frame_w, 3), round(frame_h, 3), tuple(focus), float(ink_limit),
                   DECODE_VERSION, max(OUTPUT_PPI, min_ppi or 0), bool(black), codec,
                   int(quality) if codec == "jpeg" else 0,
                   getattr(Image.core, "jpeglib_version", ""))).encode())
    cached = entry_path("photos", f"{h.hexdigest()}.k.bin")    # (.bin: entries without a key)
    memo = str(cached)                   # per cache folder: each one gets its entry
    ps = _streams.get(memo)
    if ps is not None:
        return ps
    raw = read_entry(cached)
    if raw is not None:
        # the entry: size, ink and flags, the stream's key (`stream_key`, made when it was
        # written: the entry's own digest vouches for both), the stream
        w, hgt, ink, flags = struct.unpack(">IIIB", raw[:13]) if len(raw) > 77 else (0, 0, 0, 0)
        key = raw[13:77].decode("latin-1")
        # a crop of an accepted photo, with no more ink than four full channels
        if 0 < w * hgt <= MAX_PHOTO_PIXELS and ink <= 1020 and flags < 8 and is_sha256(key):
            ps = PhotoStream(w, hgt, raw[77:], ink, bool(flags & 1),
                             "jpeg" if flags & 2 else "flate", bool(flags & 4))
            ps.__dict__["key"] = key      # (what `cached_property` itself would store)
            return _keep(memo, _measured(ps, ink_limit))
        drop_entry(cached, f"a {w} × {hgt} photo with ink {ink} cannot be right")
    ps = separate_photo(path, frame_w, frame_h, focus, profile=profile, ink_limit=ink_limit,
                        min_ppi=min_ppi, black=black, compression=compression)
    flags = ps.grey | (ps.codec == "jpeg") << 1 | ps.cmy << 2
    write_entry(cached, struct.pack(">IIIB", ps.width, ps.height, ps.max_ink, flags)
                + ps.key.encode("ascii") + ps.data)
    return _keep(memo, _measured(ps, ink_limit))


def _measured(ps: PhotoStream, ink_limit: float) -> PhotoStream:
    """`ps` with its ink measure (`stream_ink`), and the key that measure computed: a hash of
    the whole stream (1–2 ms for a broadsheet photo) is made once."""
    out = replace(ps, ink=stream_ink(ps, ink_limit))
    out.__dict__["key"] = ps.key          # (what `cached_property` itself would store)
    return out


def stream_ink(ps: PhotoStream, ink_limit: float):
    """The build's preflight's measure of the ink of `ps` as the PDF carries it
    (checks.preflight.measure_image_ink on an image XObject with the stream's exact bytes and
    decoding entries), made once and kept on disk by the stream key, as face metrics are: the
    preflight takes it for a stream whose key matches and decodes any other. The key also
    holds the measuring's version and the decoders' (pikepdf, Pillow, its JPEG library)."""
    import hashlib

    import pikepdf
    from PIL import Image

    from ..cache import drop_entry, entry_path, read_entry, write_entry
    from ..checks.preflight import INK_MEASURE_VERSION, InkMeasure, measure_image_ink

    h = hashlib.sha256(repr((ps.key, float(ink_limit), INK_MEASURE_VERSION,
                             pikepdf.__version__, Image.__version__,
                             getattr(Image.core, "jpeglib_version", ""))).encode())
    cached = entry_path("image-ink", f"{h.hexdigest()}.json")
    raw = read_entry(cached)
    if raw is not None:
        m = InkMeasure.from_json(raw.decode("utf-8", "replace"))
        if m is not None and m.ink_limit == float(ink_limit):
            return m
        drop_entry(cached, "not an ink measure")
    with pikepdf.new() as pdf:
        xo = pikepdf.Stream(pdf, ps.data)   # the bytes as written, with their filters
        xo.Type, xo.Subtype = pikepdf.Name.XObject, pikepdf.Name.Image
        xo.Width, xo.Height, xo.BitsPerComponent = ps.width, ps.height, 8
        xo.ColorSpace = pikepdf.Name(ps.COLOR_SPACE)
        xo.Filter = pikepdf.Array([pikepdf.Name(f) for f in ps.FILTERS])
        if ps.DECODE is not None:
            xo.Decode = pikepdf.Array(ps.DECODE)
        m = measure_image_ink(xo, lambda: pikepdf.PdfImage(xo), float(ink_limit))
    write_entry(cached, m.as_json().encode())
    return m
