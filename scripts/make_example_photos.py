#!/usr/bin/env python3
"""Generate the placeholder photos of examples/tabloid-4pages.yaml, one per input format the
engine reads (JPEG, PNG, TIFF), painted by scripts/make_placeholder_photos.py's scenes.

The lead photo is wider than its frame on purpose: the issue file crops it around a focus
point at the right, where the group of people stands. Every picture covers its frame at 200 ppi or more (the printer's floor). Everything comes
from fixed seeds and
the files carry no timestamps, so every run writes the same bytes.

    python scripts/make_example_photos.py            # writes examples/photos/*
"""
from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import numpy as np
from PIL import Image, ImageFilter

HERE = Path(__file__).resolve().parent
OUT = HERE.parent / "examples" / "photos"

_spec = importlib.util.spec_from_file_location("placeholder", HERE / "make_placeholder_photos.py")
ph = importlib.util.module_from_spec(_spec)
sys.modules["placeholder"] = ph
_spec.loader.exec_module(ph)

# name, format, width px, height px, scene, seed
PHOTOS = (
    ("chengqu-xuexiao.jpg", "JPEG", 1580, 700, "site", 20250414),     # wide: cropped at the right
    ("hubin-shichang.png", "PNG", 920, 690, "event", 20250415),
    ("laojie-xiushan.tif", "TIFF", 760, 570, "street", 20250416),
    ("yundong-hui.jpg", "JPEG", 1200, 900, "street", 20250417),
    ("zhishu.jpg", "JPEG", 640, 480, "site", 20250418),
    ("chunjing.jpg", "JPEG", 1200, 675, "street", 20250419),
    ("hubian.jpg", "JPEG", 640, 480, "street", 20250420),
)
AD = "gongyi-jieshui.jpg"          # a public-service ad, 6 columns x 25 lines of a tabloid
AD_PT = (639.0, 25 * 12.0 - 3.0)
CHART = "shuizhi-tubiao.png"       # a bar chart, printed whole (fit: contain), 3:2
CHART_DATA = ((2019, 61), (2020, 68), (2021, 79), (2022, 86), (2023, 90), (2024, 93))


def render_chart() -> bytes:
    """A bar chart (优良水质天数比例, per cent by year) with its labels in the bundled sans: the
    bars reach the picture's edges, so a crop would cut them."""
    from PIL import ImageDraw, ImageFont

    sys.path.insert(0, str(HERE.parent))
    from layout.text.fonts import FACE_FILES, font_dir

    w, h = 1200, 800
    img = Image.new("RGB", (w, h), (255, 255, 255))
    d = ImageDraw.Draw(img)
    font = ImageFont.truetype(str(font_dir() / FACE_FILES["sans-bold"]), 44)
    base, top = h - 90, 60
    for v in (25, 50, 75, 100):                          # grid lines
        y = base - (base - top) * v / 100
        d.line([0, y, w, y], fill=(190, 190, 190), width=3)
    step = w / len(CHART_DATA)
    for k, (year, v) in enumerate(CHART_DATA):
        x0, x1 = k * step + (0 if k == 0 else step * 0.15), (k + 1) * step - (
            0 if k == len(CHART_DATA) - 1 else step * 0.15)
        y = base - (base - top) * v / 100
        d.rectangle([x0, y, x1, base], fill=(30, 90, 160) if k < len(CHART_DATA) - 1
                    else (200, 30, 40))
        d.text(((x0 + x1) / 2, y - 8), f"{v}%", font=font, fill=(20, 20, 20), anchor="md")
        d.text(((x0 + x1) / 2, h - 20), str(year), font=font, fill=(20, 20, 20), anchor="md")
    d.line([0, base, w, base], fill=(20, 20, 20), width=5)
    buf = io.BytesIO()
    img.save(buf, "PNG", optimize=True)
    return buf.getvalue()


def render_ad() -> bytes:
    """A water-saving public-service ad (公益广告): a blue poster with a slogan, set with the
    bundled serif and sans (or PAIBAN_FONT_DIR's), at 210 ppi."""
    from PIL import ImageDraw, ImageFont

    sys.path.insert(0, str(HERE.parent))
    from layout.text.fonts import FACE_FILES, font_dir

    w, h = round(AD_PT[0] / 72 * 210), round(AD_PT[1] / 72 * 210)
    y = np.linspace(0.0, 1.0, h)[:, None]
    x = np.linspace(0.0, 1.0, w)[None, :]
    r = 20 + 30 * y + 0 * x
    g = 90 + 60 * (1 - y) - 20 * np.abs(x - 0.3)
    b = 160 + 60 * (1 - y) - 30 * np.abs(x - 0.3)
    img = Image.fromarray(np.dstack([r, g, b]).clip(0, 255).astype(np.uint8), "RGB")
    d = ImageDraw.Draw(img)
    for k in range(6):                                   # ripples
        rr = h * (0.25 + 0.12 * k)
        d.ellipse([w * 0.93 - rr, h * 0.62 - rr * 0.35, w * 0.93 + rr, h * 0.62 + rr * 0.35],
                  outline=(150, 205, 240), width=3)
    d.ellipse([w * 0.915, h * 0.40, w * 0.945, h * 0.52], fill=(210, 236, 255))   # a drop
    fonts = font_dir()
    head = ImageFont.truetype(str(fonts / FACE_FILES["serif-bold"]), int(h * 0.17))
    sub = ImageFont.truetype(str(fonts / FACE_FILES["sans-bold"]), int(h * 0.075))
    small = ImageFont.truetype(str(fonts / FACE_FILES["sans-bold"]), int(h * 0.05))
    d.text((int(w * 0.06), int(h * 0.14)), "节约用水　从我做起", font=head, fill=(255, 255, 255))
    d.text((int(w * 0.06), int(h * 0.47)), "一水多用　随手关龙头　共建节水型城市", font=sub,
           fill=(230, 245, 255))
    d.rectangle([0, int(h * 0.80), w, int(h * 0.83)], fill=(250, 210, 80))
    d.text((int(w * 0.06), int(h * 0.87)), "青岚区水务局　宣（示例）", font=small, fill=(255, 255, 255))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=85, optimize=True, dpi=(210, 210))
    return buf.getvalue()


def render(name: str, fmt: str, w: int, h: int, scene: str, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    painter, grain, warmth = ph.SCENES[scene]
    img = ph._finish(painter(rng, w, h), rng, grain, warmth)
    buf = io.BytesIO()
    if fmt == "JPEG":
        img.save(buf, "JPEG", quality=84, optimize=True, dpi=(200, 200))
    elif fmt == "PNG":
        # Lossless formats keep film grain at full cost: soften it, and store the PNG as a
        # 192-colour palette image (the engine converts palette images too).
        img = img.filter(ImageFilter.GaussianBlur(0.9))
        img = img.quantize(192, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        img.save(buf, "PNG", optimize=True)
    else:
        # TIFF with JPEG compression: a TIFF as scanners and picture desks deliver it.
        img.save(buf, "TIFF", compression="jpeg", quality=85)
    return buf.getvalue()


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for name, fmt, w, h, scene, seed in PHOTOS:
        data = render(name, fmt, w, h, scene, seed)
        (OUT / name).write_bytes(data)
        print(f"{OUT / name}: {w} x {h} px, {len(data) // 1024} KB")
    data = render_ad()
    (OUT / AD).write_bytes(data)
    print(f"{OUT / AD}: {len(data) // 1024} KB")
    data = render_chart()
    (OUT / CHART).write_bytes(data)
    print(f"{OUT / CHART}: {len(data) // 1024} KB")


if __name__ == "__main__":
    main()
