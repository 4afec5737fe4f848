"""Page images of a PDF, rendered by pypdfium2 (PDFium, the engine of Chrome's viewer): PNG for
`paiban build --png` (lossless, for CI artifacts and review comments), JPEG for the browser
(about 17 ms to encode a page against 143 ms for PNG)."""
from __future__ import annotations

import io
from pathlib import Path


def render_pages(pdf: bytes | Path, dpi: float, fmt: str = "PNG", quality: int = 85) -> list[bytes]:
    """Every page of `pdf` as an image file's bytes (PNG or JPEG) at `dpi`."""
    return [data for data, _, _ in render_framed(pdf, dpi, fmt, quality)]


def render_framed(pdf: bytes | Path, dpi: float, fmt: str = "PNG", quality: int = 85
                  ) -> list[tuple[bytes, tuple[float, float], tuple[float, float]]]:
    """Every page of `pdf` as (image bytes, MediaBox size, top-left of the TrimBox within the
    MediaBox), in pt: what the browser needs to lay its overlay on the image."""
    import pypdfium2 as pdfium

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
