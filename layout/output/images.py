"""Photos: decoded, cropped to fill their frame around a focus point, converted to CMYK."""
from __future__ import annotations

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
