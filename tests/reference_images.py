"""Reference renders: low-resolution PNGs of pages the eye approved, compared with a tolerance.

Update them on purpose, in the commit that changes the layout:
    PAIBAN_UPDATE_REFERENCES=1 python -m pytest tests/test_reference_renders.py
"""
from __future__ import annotations

import os
from pathlib import Path

REF_DIR = Path(__file__).parent / "reference"
DPI = 36
# A pixel "differs" when its grey level moves by more than PIXEL_DELTA; a page fails when more
# than MAX_SHARE of its pixels differ. Antialiasing noise between machines stays far below;
# one moved line of text, photo or rule does not.
PIXEL_DELTA = 48
MAX_SHARE = 0.002


def render(pdf: Path, page: int = 0, dpi: int = DPI):
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(str(pdf))
    try:
        bitmap = doc[page].render(scale=dpi / 72, grayscale=True)
        return bitmap.to_pil().convert("L")
    finally:
        doc.close()


def differing_share(img, want) -> float:
    """Share of pixels whose grey level differs by more than PIXEL_DELTA (1.0 if sizes differ)."""
    from PIL import ImageChops

    if want.size != img.size:
        return 1.0
    diff = ImageChops.difference(img, want).point(lambda v: 255 if v > PIXEL_DELTA else 0)
    return diff.histogram()[255] / (img.size[0] * img.size[1])


def compare(pdf: Path, name: str, page: int = 0) -> tuple[float, Path]:
    """Share of pixels that differ from the reference `name`.png (writes it when updating)."""
    from PIL import Image, ImageChops

    img = render(pdf, page)
    ref = REF_DIR / f"{name}.png"
    if os.environ.get("PAIBAN_UPDATE_REFERENCES") or not ref.exists():
        if not os.environ.get("PAIBAN_UPDATE_REFERENCES"):
            raise AssertionError(f"no reference render {ref}: run with PAIBAN_UPDATE_REFERENCES=1, "
                                 "look at it, and commit it")
        REF_DIR.mkdir(exist_ok=True)
        img.save(ref, optimize=True)
        return 0.0, ref
    with Image.open(ref) as r:
        want = r.convert("L")
    share = differing_share(img, want)
    if share > MAX_SHARE:
        out = Path(os.environ.get("PAIBAN_DIFF_DIR", "/tmp")) / f"{name}.actual.png"
        img.save(out)
    return share, ref
