#!/usr/bin/env python3
"""Generate the placeholder photos of issues/guancheng-2023-03-17.yaml.

The seed page came without its pictures, so these stand in for them: painted scenes
(sky, ground, buildings, people as soft silhouettes, film grain, vignette) that behave like
photographs in the engine (tones, texture, JPEG size), sized for their frames at about
220 ppi. Everything is drawn from fixed seeds, so every run writes the same bytes.

    python scripts/make_placeholder_photos.py            # writes issues/photos/*.jpg
    python scripts/make_placeholder_photos.py --out DIR
"""
from __future__ import annotations

import argparse
import io
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, ImageFilter

OUT = Path(__file__).resolve().parent.parent / "issues" / "photos"

# Broadsheet grid (docs/issue-format.md): 117 pt columns, 9 pt gutters, 12 pt lines.
COLUMN_PT = 117.0
GUTTER_PT = 9.0
LINE_PT = 12.0
PPI = 220
QUALITY = 88


def frame_pt(span: int, lines: int) -> tuple[float, float]:
    """Width and height in pt of a photo frame `span` columns wide and `lines` lines high."""
    return span * COLUMN_PT + (span - 1) * GUTTER_PT, lines * LINE_PT


@dataclass(frozen=True)
class Spec:
    name: str          # file stem = article id
    span: int          # frame, as in the issue file's photo place
    lines: int
    aspect: float      # picture aspect (w / h): 3:2 or 4:3, near the frame less its caption lines
    seed: int
    scene: str

    @property
    def size(self) -> tuple[int, int]:
        """Pixels that cover the picture area (the frame less ~3 lines of caption and air) at
        PPI in both directions once cropped to it."""
        width_pt, _ = frame_pt(self.span, self.lines)
        height_pt = (self.lines - 3) * LINE_PT
        w_px = width_pt / 72 * PPI
        h_px = height_pt / 72 * PPI
        w = int(math.ceil(max(w_px, h_px * self.aspect) / 8) * 8)
        return w, int(round(w / self.aspect))


SPECS = (
    # 3 columns x 28 lines = 369 x 336 pt, picture ~369 x 300 pt: 4:3
    Spec("wanggehua", 3, 28, 4 / 3, 20230314, "street"),
    # 3 columns x 28 lines: 4:3
    Spec("shangpinfang", 3, 28, 4 / 3, 20230315, "event"),
    # 2 columns x 20 lines = 243 x 240 pt, picture ~243 x 204 pt: 4:3
    Spec("lishi-wenhua", 2, 20, 4 / 3, 20230316, "site"),
)


# --------------------------------------------------------------------------- helpers

def _gradient(h: int, w: int, stops: list[tuple[float, tuple[int, int, int]]]) -> np.ndarray:
    """Vertical gradient through colour stops (position 0..1 from the top, RGB 0..255)."""
    y = np.linspace(0.0, 1.0, h, dtype=np.float32)
    pos = np.array([p for p, _ in stops], dtype=np.float32)
    col = np.array([c for _, c in stops], dtype=np.float32) / 255.0
    rows = np.stack([np.interp(y, pos, col[:, k]) for k in range(3)], axis=1)
    return np.broadcast_to(rows[:, None, :], (h, w, 3)).astype(np.float32).copy()


def _value_noise(rng: np.random.Generator, h: int, w: int, cell: float, octaves: int = 4) -> np.ndarray:
    """Fractal value noise in 0..1: random lattices, smoothly upsampled, summed over octaves."""
    total = np.zeros((h, w), dtype=np.float32)
    amp, norm = 1.0, 0.0
    for _ in range(octaves):
        gh = max(2, int(h / cell) + 2)
        gw = max(2, int(w / cell) + 2)
        grid = rng.random((gh, gw), dtype=np.float32)
        layer = Image.fromarray(grid, mode="F").resize((w, h), Image.BICUBIC)
        total += amp * np.asarray(layer, dtype=np.float32)
        norm += amp
        amp *= 0.5
        cell = max(1.0, cell / 2)
    total /= norm
    lo, hi = float(total.min()), float(total.max())
    return (total - lo) / (hi - lo + 1e-6)


def _mask(h: int, w: int, draw_fn, blur: float = 0.0) -> np.ndarray:
    """A 0..1 coverage mask drawn with PIL (draw_fn(ImageDraw)), optionally softened."""
    img = Image.new("L", (w, h), 0)
    draw_fn(ImageDraw.Draw(img))
    if blur > 0:
        img = img.filter(ImageFilter.GaussianBlur(blur))
    return np.asarray(img, dtype=np.float32) / 255.0


def _paint(canvas: np.ndarray, mask: np.ndarray, colour) -> None:
    """Composite `colour` (RGB tuple 0..255 or an HxWx3 array 0..1) over canvas through mask."""
    rows = np.flatnonzero(mask.any(axis=1))
    cols = np.flatnonzero(mask.any(axis=0))
    if rows.size == 0:
        return
    box = (slice(rows[0], rows[-1] + 1), slice(cols[0], cols[-1] + 1))   # only where the mask is
    if isinstance(colour, tuple):
        colour = np.array(colour, dtype=np.float32) / 255.0
    else:
        colour = colour[box]
    region = canvas[box]
    region += mask[box][..., None] * (colour - region)


def _tint(base: tuple[int, int, int], noise: np.ndarray, amount: float) -> np.ndarray:
    """A colour modulated by noise (HxW 0..1): texture for walls, ground, foliage."""
    c = np.array(base, dtype=np.float32) / 255.0
    return c * (1.0 - amount + 2.0 * amount * noise[..., None])


def _person(d: ImageDraw.ImageDraw, x: float, ground: float, height: float, rng: np.random.Generator,
            hat: bool = False) -> list[tuple[float, float, float]]:
    """Draw a standing figure (feet at `ground`); returns head circles (x, y, r) for hats."""
    head = height * 0.13
    shoulder = height * 0.26 * (0.9 + 0.2 * rng.random())
    top = ground - height
    hx = x + height * 0.02 * (rng.random() - 0.5)
    d.ellipse([hx - head / 2, top, hx + head / 2, top + head * 1.15], fill=255)          # head
    d.rectangle([hx - head * 0.18, top + head, hx + head * 0.18, top + head * 1.35], fill=255)  # neck
    body_top = top + head * 1.25
    d.rounded_rectangle([x - shoulder / 2, body_top, x + shoulder / 2, ground - height * 0.42],
                        radius=shoulder * 0.3, fill=255)                                  # torso
    leg = shoulder * 0.38
    d.rectangle([x - shoulder * 0.42, ground - height * 0.45, x - shoulder * 0.42 + leg, ground], fill=255)
    d.rectangle([x + shoulder * 0.42 - leg, ground - height * 0.45, x + shoulder * 0.42, ground], fill=255)
    return [(hx, top + head * 0.45, head * 0.62)] if hat else []


def _blur(a: np.ndarray, sigma: float) -> np.ndarray:
    """Separable Gaussian blur of an HxW or HxWxC float array (edges clamped)."""
    r = max(1, int(math.ceil(3 * sigma)))
    k = np.exp(-0.5 * (np.arange(-r, r + 1, dtype=np.float32) / sigma) ** 2)
    k /= k.sum()
    for axis in (0, 1):
        pad = [(0, 0)] * a.ndim
        pad[axis] = (r, r)
        p = np.pad(a, pad, mode="edge")
        n = a.shape[axis]
        out = np.zeros_like(a)
        for i, kv in enumerate(k):
            window = [slice(None)] * a.ndim
            window[axis] = slice(i, i + n)
            out += kv * p[tuple(window)]
        a = out
    return a


def _shadows(cv: np.ndarray, feet: list[tuple[float, float, float]], lean: float) -> None:
    """Soft contact shadows on the ground for figures at (x, ground, height), cast sideways."""
    h, w, _ = cv.shape
    m = _mask(h, w, lambda d: [d.ellipse([x - s * 0.1, g - s * 0.02, x + s * (0.1 + lean), g + s * 0.035], fill=255)
                               for x, g, s in feet], 6.0)
    cv *= (1.0 - 0.45 * m)[..., None]


def _finish(canvas: np.ndarray, rng: np.random.Generator, grain: float, warmth: float) -> Image.Image:
    """Lens softness, tone curve, vignette, film grain; returns an RGB image."""
    h, w, _ = canvas.shape
    img = np.clip(canvas, 0, 1)
    # lens softness: a touch of blur
    img = _blur(img, 0.9)
    # gentle S curve (steeper mid-tones), a little lift, white balance
    img = img - 0.25 * np.sin(2 * np.pi * img) / (2 * np.pi)
    img = np.clip(img, 0, 1) ** 0.95
    img *= np.array([1.0 + warmth, 1.0, 1.0 - warmth], dtype=np.float32)
    # vignette
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    r = np.sqrt(((xx - w / 2) / (w / 2)) ** 2 + ((yy - h / 2) / (h / 2)) ** 2) / math.sqrt(2)
    img *= (1.0 - 0.38 * r ** 2.2)[..., None]
    # film grain: mostly luminance, a little chroma, slightly clumped
    g = rng.normal(0.0, 1.0, (h, w)).astype(np.float32)
    g = _blur(g, 0.6) * 1.9
    c = rng.normal(0.0, 0.25, (h, w, 3)).astype(np.float32)
    img += grain * (g[..., None] + c)
    return Image.fromarray((np.clip(img, 0, 1) * 255.0 + 0.5).astype(np.uint8), mode="RGB")


# --------------------------------------------------------------------------- scenes

def _scene_street(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Daylight: a street office front, trees, and a group of people on the forecourt."""
    horizon = int(h * 0.56)
    cv = _gradient(h, w, [(0.0, (92, 140, 196)), (0.45, (168, 196, 222)), (0.56, (206, 214, 220)),
                          (0.58, (150, 148, 142)), (1.0, (104, 100, 94))])
    clouds = _value_noise(rng, h, w, w / 5)
    cloud_mask = np.clip((clouds - 0.55) * 3.0, 0, 1) * np.clip(1 - np.arange(h)[:, None] / horizon, 0, 1) ** 0.7
    _paint(cv, cloud_mask * 0.8, (244, 244, 240))
    tex = _value_noise(rng, h, w, 18, 3)
    # distant towers, hazy
    def far(d):
        x = -10
        while x < w:
            bw = rng.uniform(0.05, 0.12) * w
            bh = rng.uniform(0.12, 0.3) * h
            d.rectangle([x, horizon - bh, x + bw, horizon + 2], fill=255)
            x += bw + rng.uniform(0.0, 0.05) * w
    _paint(cv, _mask(h, w, far, 1.5) * 0.55, (150, 164, 178))
    # the office building: a long low block with window bands
    bx0, bx1, btop = int(w * 0.08), int(w * 0.78), int(horizon - h * 0.22)
    _paint(cv, _mask(h, w, lambda d: d.rectangle([bx0, btop, bx1, horizon + 4], fill=255), 1.0),
           _tint((208, 200, 184), tex, 0.08))
    def windows(d):
        rows = 3
        for r in range(rows):
            y0 = btop + (r + 0.35) * (horizon - btop) / rows
            for x in np.arange(bx0 + 12, bx1 - 30, (bx1 - bx0) / 14):
                d.rectangle([x, y0, x + (bx1 - bx0) / 22, y0 + (horizon - btop) / rows * 0.45], fill=255)
    _paint(cv, _mask(h, w, windows, 0.8) * 0.85, (70, 86, 98))
    _paint(cv, _mask(h, w, lambda d: d.rectangle([bx0 - 6, btop - 10, bx1 + 6, btop + 2], fill=255), 0.8),
           (150, 40, 36))          # red fascia (signboard)
    # trees at the right
    def trees(d):
        for _ in range(9):
            cx = rng.uniform(0.74, 1.02) * w
            cy = horizon - rng.uniform(0.06, 0.2) * h
            r = rng.uniform(0.04, 0.09) * w
            d.ellipse([cx - r, cy - r, cx + r, cy + r * 0.9], fill=255)
    _paint(cv, _mask(h, w, trees, 3.0), _tint((52, 78, 46), _value_noise(rng, h, w, 10, 3), 0.35))
    # forecourt paving, perspective lines
    def paving(d):
        for k in range(-12, 13):
            d.line([(w / 2 + k * w * 0.03, horizon), (w / 2 + k * w * 0.16, h)], fill=255, width=2)
    _paint(cv, _mask(h, w, paving, 0.7) * 0.18, (60, 58, 54))
    # the group
    group = [(0.22, 0.90, 0.40), (0.31, 0.92, 0.43), (0.40, 0.89, 0.41), (0.50, 0.93, 0.46),
             (0.59, 0.90, 0.42), (0.67, 0.91, 0.40), (0.36, 0.80, 0.30), (0.46, 0.79, 0.31)]
    _shadows(cv, [(x * w, g * h, s * h) for x, g, s in group], 0.5)
    people = _mask(h, w, lambda d: [_person(d, x * w, g * h, s * h, rng) for x, g, s in group], 1.2)
    _paint(cv, people, _tint((36, 38, 44), tex, 0.25))
    return cv


def _scene_event(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Indoors: a red stage backdrop with a banner, spotlights, a speaker, the audience's heads."""
    cv = _gradient(h, w, [(0.0, (92, 16, 20)), (0.5, (168, 28, 30)), (0.68, (120, 20, 22)),
                          (0.70, (62, 44, 40)), (1.0, (34, 28, 28))])
    tex = _value_noise(rng, h, w, 24, 4)
    cv *= (0.88 + 0.24 * tex)[..., None]
    # banner band with blurred lettering
    by0, by1 = int(h * 0.12), int(h * 0.36)
    _paint(cv, _mask(h, w, lambda d: d.rectangle([w * 0.1, by0, w * 0.9, by1], fill=255), 1.0) * 0.35,
           (220, 60, 48))
    def letters(d):
        n = 14
        for i in range(n):
            x = w * 0.16 + i * (w * 0.68 / n)
            d.rectangle([x, by0 + (by1 - by0) * 0.18, x + w * 0.68 / n * 0.78, by0 + (by1 - by0) * 0.58], fill=255)
        for i in range(22):
            x = w * 0.22 + i * (w * 0.56 / 22)
            d.rectangle([x, by0 + (by1 - by0) * 0.68, x + w * 0.56 / 22 * 0.7, by0 + (by1 - by0) * 0.86], fill=255)
    _paint(cv, _mask(h, w, letters, 2.5) * 0.9, (246, 214, 120))
    # stage lights: warm glows from the top
    yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
    for cx in (0.2, 0.5, 0.8):
        glow = np.exp(-(((xx - cx * w) / (0.16 * w)) ** 2 + ((yy - 0.02 * h) / (0.3 * h)) ** 2))
        cv += glow[..., None] * np.array([0.35, 0.28, 0.18], dtype=np.float32)
    # the podium and the speaker
    px = w * 0.62
    speaker = _mask(h, w, lambda d: _person(d, px, h * 0.74, h * 0.42, rng), 1.0)
    _paint(cv, speaker, (28, 26, 30))
    _paint(cv, _mask(h, w, lambda d: d.polygon([(px - w * 0.06, h * 0.56), (px + w * 0.06, h * 0.56),
                                                (px + w * 0.05, h * 0.76), (px - w * 0.05, h * 0.76)], fill=255), 1.0),
           _tint((118, 72, 40), tex, 0.2))
    # flower boxes along the stage edge
    def flowers(d):
        for _ in range(40):
            cx = rng.uniform(0, 1) * w
            cy = h * 0.70 + rng.uniform(-0.02, 0.02) * h
            r = rng.uniform(0.012, 0.03) * w
            d.ellipse([cx - r, cy - r, cx + r, cy + r], fill=255)
    _paint(cv, _mask(h, w, flowers, 1.5), (214, 170, 52))
    # audience: rows of heads and shoulders, out of focus
    def heads(d):
        for row, (y, s) in enumerate([(0.86, 0.075), (0.97, 0.1), (1.1, 0.13)]):
            x = -rng.uniform(0, 0.1) * w
            while x < w * 1.05:
                r = s * h * rng.uniform(0.85, 1.1)
                d.ellipse([x - r * 0.8, y * h - r, x + r * 0.8, y * h + r], fill=255)
                d.ellipse([x - r * 2.2, y * h + r * 0.7, x + r * 2.2, y * h + r * 4], fill=255)
                x += r * rng.uniform(2.6, 3.4)
    _paint(cv, _mask(h, w, heads, 4.0), _tint((20, 18, 20), tex, 0.3))
    return cv


def _scene_site(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    """Late afternoon: old city wall and gate tower, a crane, people in hard hats on the site."""
    horizon = int(h * 0.62)
    cv = _gradient(h, w, [(0.0, (120, 150, 184)), (0.35, (214, 196, 168)), (0.62, (236, 204, 150)),
                          (0.63, (150, 122, 92)), (1.0, (112, 88, 64))])
    tex = _value_noise(rng, h, w, 14, 4)
    haze = _value_noise(rng, h, w, w / 4, 3)
    _paint(cv, np.clip((haze - 0.5) * 2, 0, 1) * 0.3 * (np.arange(h)[:, None] < horizon), (250, 230, 200))
    # rammed-earth city wall across the middle distance
    wy = horizon - h * 0.14
    wall = _mask(h, w, lambda d: d.polygon([(0, wy + h * 0.02), (w * 0.55, wy), (w, wy + h * 0.03),
                                            (w, horizon + 4), (0, horizon + 4)], fill=255), 1.2)
    _paint(cv, wall, _tint((150, 118, 84), tex, 0.22))
    # gate tower: base, hall, two sweeping roofs
    gx, gy = w * 0.42, wy
    def tower(d):
        d.rectangle([gx - w * 0.11, gy - h * 0.06, gx + w * 0.11, gy + 2], fill=255)
        d.rectangle([gx - w * 0.08, gy - h * 0.15, gx + w * 0.08, gy - h * 0.05], fill=255)
        d.polygon([(gx - w * 0.15, gy - h * 0.13), (gx + w * 0.15, gy - h * 0.13),
                   (gx + w * 0.09, gy - h * 0.18), (gx - w * 0.09, gy - h * 0.18)], fill=255)
        d.rectangle([gx - w * 0.06, gy - h * 0.24, gx + w * 0.06, gy - h * 0.17], fill=255)
        d.polygon([(gx - w * 0.12, gy - h * 0.22), (gx + w * 0.12, gy - h * 0.22),
                   (gx + w * 0.05, gy - h * 0.29), (gx - w * 0.05, gy - h * 0.29)], fill=255)
    _paint(cv, _mask(h, w, tower, 1.0), _tint((74, 58, 50), tex, 0.15))
    # tower crane at the right
    cx = w * 0.82
    def crane(d):
        lw = max(2, w // 260)
        d.rectangle([cx - lw * 2, h * 0.08, cx + lw * 2, horizon], fill=255)
        d.line([(cx - w * 0.3, h * 0.1), (cx + w * 0.14, h * 0.1)], fill=255, width=lw * 2)
        for k in range(12):
            x = cx - w * 0.3 + k * w * 0.037
            d.line([(x, h * 0.1), (x + w * 0.018, h * 0.125)], fill=255, width=lw)
        d.line([(cx, h * 0.03), (cx - w * 0.28, h * 0.1)], fill=255, width=lw)
        d.line([(cx, h * 0.03), (cx + w * 0.12, h * 0.1)], fill=255, width=lw)
        d.line([(cx - w * 0.2, h * 0.11), (cx - w * 0.2, h * 0.3)], fill=255, width=lw)
    _paint(cv, _mask(h, w, crane, 0.6), (58, 52, 50))
    # scaffolding on the left
    def scaffold(d):
        lw = max(1, w // 400)
        for k in range(8):
            x = w * 0.02 + k * w * 0.025
            d.line([(x, horizon - h * 0.3), (x, horizon)], fill=255, width=lw)
        for k in range(7):
            y = horizon - h * 0.3 + k * h * 0.045
            d.line([(w * 0.02, y), (w * 0.195, y)], fill=255, width=lw)
    _paint(cv, _mask(h, w, scaffold, 0.5) * 0.8, (70, 66, 62))
    # ground: packed earth with ruts
    ground = _value_noise(rng, h, w, 30, 5)
    below = (np.arange(h)[:, None] > horizon).astype(np.float32)
    cv *= (1.0 - 0.18 * below * (ground - 0.5))[..., None]
    # the group, some in white hard hats
    hats: list[tuple[float, float, float]] = []
    people = [(0.18, 0.93, 0.42, True), (0.28, 0.95, 0.45, False), (0.38, 0.92, 0.43, True),
              (0.49, 0.96, 0.47, False), (0.60, 0.93, 0.44, True), (0.70, 0.94, 0.41, False)]
    _shadows(cv, [(x * w, g * h, s * h) for x, g, s, _ in people], 1.1)   # low sun: long shadows
    def group(d):
        for x, g, s, hat in people:
            hats.extend(_person(d, x * w, g * h, s * h, rng, hat))
    _paint(cv, _mask(h, w, group, 1.2), _tint((40, 40, 46), tex, 0.25))
    _paint(cv, _mask(h, w, lambda d: [d.pieslice([x - r, y - r, x + r, y + r], 180, 360, fill=255)
                                      for x, y, r in hats], 0.8), (238, 236, 228))
    return cv


SCENES = {"street": (_scene_street, 0.035, 0.03), "event": (_scene_event, 0.045, 0.05),
          "site": (_scene_site, 0.04, 0.06)}   # scene: (painter, grain, warmth)


def render(spec: Spec) -> bytes:
    """The JPEG bytes of one placeholder photo."""
    rng = np.random.default_rng(spec.seed)
    w, h = spec.size
    painter, grain, warmth = SCENES[spec.scene]
    img = _finish(painter(rng, w, h), rng, grain, warmth)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=QUALITY, optimize=True, dpi=(PPI, PPI))
    return buf.getvalue()


def generate(out_dir: Path | str = OUT) -> list[Path]:
    """Write every placeholder photo into out_dir; returns the paths written."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for spec in SPECS:
        path = out / f"{spec.name}.jpg"
        path.write_bytes(render(spec))
        paths.append(path)
    return paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default {OUT})")
    args = parser.parse_args(argv)
    for path in generate(args.out):
        with Image.open(path) as im:
            print(f"{path}: {im.size[0]} x {im.size[1]} px, {path.stat().st_size / 1024:.0f} KB")


if __name__ == "__main__":
    main()
