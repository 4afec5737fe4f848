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


def prepare_picture(path: Path, frame_w: float, frame_h: float, focus=(0.5, 0.5)):
    from PIL import Image

    with Image.open(path) as im:
        im.load()
        img = _to_rgb_or_cmyk(im)
    img = img.crop(crop_box(img.width, img.height, frame_w, frame_h, focus))
    if img.mode != "CMYK":
        img = img.convert("CMYK")
    return img


def _to_rgb_or_cmyk(im):
    """Any mode Pillow reads from a JPEG, PNG or TIFF as RGB (or CMYK as it is): transparency
    over white paper, 16-bit and 32-bit grey scaled down to 8 bits."""
    from PIL import Image

    if im.mode in ("RGB", "CMYK"):
        return im.copy()
    if im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info):
        rgba = im.convert("RGBA")
        paper = Image.new("RGB", rgba.size, (255, 255, 255))
        paper.paste(rgba, mask=rgba.getchannel("A"))
        return paper
    if im.mode.startswith("I;16") or im.mode in ("I", "F"):
        grey = im.convert("I") if im.mode != "F" else im
        lo, hi = grey.getextrema()
        scale = 255.0 / 65535.0 if hi > 255 else 1.0
        return grey.point(lambda v: v * scale).convert("L").convert("RGB")
    return im.convert("RGB")
