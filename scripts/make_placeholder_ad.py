#!/usr/bin/env python3
"""Generate the placeholder public-service ad (公益广告) of the seed page.

A broadsheet's bottom third usually carries an ad, supplied to the paper as finished artwork.
The seed page's ad was not in the seed text, so this stands in for it: a red poster with a
civic slogan, set with the bundled fonts, at 220 ppi for its module (8 columns × 36 lines).
Drawn from fixed values, so every run with the same Pillow writes the same pixels.

    python scripts/make_placeholder_ad.py        # writes issues/photos/gongyi.jpg
"""
from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "issues" / "photos" / "gongyi.jpg"
FONTS = ROOT / "fonts"
PPI = 220
WIDTH_PT, HEIGHT_PT = 999.0, 35 * 12.0 - 3.0      # 8 columns; 36 lines less the label line


def make(out: Path = OUT, fonts: Path = FONTS) -> Path:
    w, h = round(WIDTH_PT / 72 * PPI), round(HEIGHT_PT / 72 * PPI)
    img = Image.new("RGB", (w, h))
    px = img.load()
    # A warm red gradient, darker towards the edges.
    for y in range(h):
        t = y / h
        for x in range(0, w):
            u = abs(x / w - 0.35)
            r = int(205 - 40 * t - 30 * u)
            g = int(30 + 25 * (1 - t) - 10 * u)
            b = int(35 + 10 * t)
            px[x, y] = (r, g, b)
    draw = ImageDraw.Draw(img)
    # Sun-ray stripes and a band, as poster ornament.
    for k in range(14):
        x0 = int(w * 0.78) + k * 40
        draw.polygon([(w * 0.78, h * 0.5), (x0, 0), (x0 + 18, 0)], fill=(214, 64, 48))
    draw.rectangle([0, int(h * 0.80), w, int(h * 0.84)], fill=(238, 190, 60))
    head = ImageFont.truetype(str(fonts / "NotoSerifCJKsc-Bold.ttf"), int(h * 0.20))
    sub = ImageFont.truetype(str(fonts / "NotoSansCJKsc-Bold.ttf"), int(h * 0.075))
    small = ImageFont.truetype(str(fonts / "NotoSansCJKsc-Bold.ttf"), int(h * 0.045))
    draw.text((int(w * 0.06), int(h * 0.13)), "文明城市　共建共享", font=head, fill=(255, 236, 170))
    draw.text((int(w * 0.06), int(h * 0.47)), "讲文明　树新风　做文明有礼的管城人", font=sub,
              fill=(255, 255, 255))
    draw.text((int(w * 0.06), int(h * 0.88)), "管城回族区精神文明建设指导委员会办公室　宣", font=small,
              fill=(255, 255, 255))
    out.parent.mkdir(parents=True, exist_ok=True)
    img.save(out, "JPEG", quality=88, optimize=True, dpi=(PPI, PPI))
    return out


if __name__ == "__main__":
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=OUT)
    print(make(ap.parse_args().out))
