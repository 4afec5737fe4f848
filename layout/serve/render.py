"""Page images of a PDF, rendered by pypdfium2 (PDFium, the engine of Chrome's viewer): PNG for
`paiban build --png` (lossless, for CI artifacts and review comments), JPEG for the browser
(about 17 ms to encode a page against 143 ms for PNG)."""
from __future__ import annotations

import io
from pathlib import Path


def render_pages(pdf: bytes | Path, dpi: float, fmt: str = "PNG", quality: int = 85) -> list[bytes]:
    """Every page of `pdf` as an image file's bytes (PNG or JPEG) at `dpi`."""
    return [data for data, _, _ in render_framed(pdf, dpi, fmt, quality)]


def render_framed(pdf: bytes | Path, dpi: float, fmt: str = "PNG", quality: int = 85, *,
                  light: bool = False
                  ) -> list[tuple[bytes, tuple[float, float], tuple[float, float]]]:
    """Every page of `pdf` as (image bytes, MediaBox size, top-left of the TrimBox within the
    MediaBox), in pt: what the browser needs to lay its overlay on the image. `light`: draw the
    photos from small RGB copies (see `lighten`), for a quick screen proof."""
    import pypdfium2 as pdfium

    if light:
        pdf = lighten(pdf if isinstance(pdf, bytes) else Path(pdf).read_bytes())

    doc = pdfium.PdfDocument(pdf if isinstance(pdf, bytes) else str(pdf))
    out = []
    try:
        for i in range(len(doc)):
            page = doc[i]
            try:
                ml, mb, mr, mt = page.get_mediabox()
                tl, tb, tr, tt = page.get_trimbox()
                bitmap = page.render(scale=dpi / 72)
                img = bitmap.to_pil()
                buf = io.BytesIO()
                if fmt == "JPEG":
                    img.convert("RGB").save(buf, "JPEG", quality=quality)
                else:
                    img.save(buf, "PNG")
                out.append((buf.getvalue(), (mr - ml, mt - mb), (tl - ml, mt - tt)))
            finally:
                page.close()
    finally:
        doc.close()
    return out


def write_pngs(pdf: Path, folder: Path, numbers: list[int], dpi: float) -> list[Path]:
    """One PNG per page of `pdf` in `folder` (made if missing), named by the page's number
    (page-3.png for 第3版; page-1.png, page-2.png … if numbers repeat), each written atomically."""
    from ..outfile import write_atomic

    images = render_pages(pdf, dpi, "PNG")
    if len(set(numbers)) != len(numbers) or len(numbers) != len(images):
        numbers = list(range(1, len(images) + 1))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n, data in zip(numbers, images):
        path = folder / f"page-{n}.png"
        write_atomic(path, data)
        paths.append(path)
    return paths


# Large photos as small RGB JPEGs, by the digest of the photo's stream: most of a page's
# rendering time is PDFium inflating and converting the CMYK photos of the print file (0.33 of
# 0.37 s for the seed page), and a photo is the same build after build.
LIGHT_PIXELS = 250_000      # photos above this many pixels are replaced
LIGHT_SIDE = 900            # px: the long side of the copy (a 5-column photo is ~670 px at 96 dpi)
_light: dict[str, tuple[bytes, int, int]] = {}


def lighten(pdf: bytes) -> bytes:
    """`pdf` with every large image replaced by a small RGB JPEG of it (placement unchanged: an
    image fills the unit square its CTM maps, whatever its pixel size). For the screen only."""
    import hashlib

    import pikepdf

    with pikepdf.open(io.BytesIO(pdf)) as doc:
        for obj in doc.objects:
            if not (isinstance(obj, pikepdf.Stream) and obj.get("/Subtype") == "/Image"):
                continue
            if int(obj.get("/Width", 0)) * int(obj.get("/Height", 0)) <= LIGHT_PIXELS:
                continue
            h = hashlib.sha256(obj.read_raw_bytes())
            h.update(repr(sorted((str(k), str(v)) for k, v in obj.items())).encode())
            key = h.hexdigest()
            hit = _light.get(key)
            if hit is None:
                try:
                    img = pikepdf.PdfImage(obj).as_pil_image()
                except Exception:             # noqa: BLE001 — an image PIL cannot take: keep it
                    continue
                img.thumbnail((LIGHT_SIDE, LIGHT_SIDE))
                buf = io.BytesIO()
                img.convert("RGB").save(buf, "JPEG", quality=85)
                if len(_light) >= 64:
                    _light.clear()
                hit = _light[key] = (buf.getvalue(), img.width, img.height)
            data, w, h_ = hit
            obj.write(data, filter=pikepdf.Name.DCTDecode)
            obj.Width, obj.Height, obj.BitsPerComponent = w, h_, 8
            obj.ColorSpace = pikepdf.Name.DeviceRGB
            for k in ("/Decode", "/DecodeParms"):
                if k in obj:
                    del obj[k]
        out = io.BytesIO()
        doc.save(out, compress_streams=False)
        return out.getvalue()
