"""Photo colour for print: RGB → CMYK through the output profile, with an ink limit.

``cmyk_image`` converts with LittleCMS (Pillow's ImageCms), perceptual intent, from the image's
embedded ICC profile or sRGB, into the output profile (the bundled newsprint stand-in or the
printer's own). Then it enforces the total area coverage (TAC):

* where C+M+Y+K exceeds the limit, the grey component is moved into black first (GCR-style:
  take ``r`` off each of C, M and Y and add ``r`` to K, ``r`` ≤ min(C, M, Y) and ≤ 100 % − K;
  this lowers TAC by 2r at roughly the same colour);
* whatever is still over the limit is taken off C, M and Y in proportion (K is kept: it carries
  the detail), which slightly lightens and desaturates the darkest, most saturated pixels.

Pixels under the limit are left exactly as the profile made them.

``black_image`` separates a greyscale picture (or one marked ``ink: k``) to black alone: its
lightness (L*) is mapped through the profile's own perceptual rendering of neutral greys, then
onto the profile's black ramp (C = M = Y = 0, K 0–100 %), with the darkest grey placed at
solid black (black-point compensation: a K-only black is lighter than the four-colour one).
"""
from __future__ import annotations

import hashlib
import io
from functools import lru_cache
from pathlib import Path

import numpy as np
from PIL import Image, ImageCms

from layout.model.printing import DEFAULT_PROFILE


@lru_cache(maxsize=16)
def _transform(src_icc_digest: str, src_icc: bytes | None, dst_path: str, mode: str
               ) -> ImageCms.ImageCmsTransform:
    src = (ImageCms.ImageCmsProfile(io.BytesIO(src_icc)) if src_icc
           else ImageCms.createProfile("sRGB"))
    dst = ImageCms.getOpenProfile(dst_path)
    return ImageCms.buildTransform(src, dst, mode, "CMYK",
                                   renderingIntent=ImageCms.Intent.PERCEPTUAL)


def cmyk_image(pil_image: Image.Image, profile_path: str | Path | None = None,
               ink_limit: float = 240.0, black: bool = False) -> Image.Image:
    """``pil_image`` as a CMYK image for ``profile_path`` (default: the bundled profile), with
    total area coverage ≤ ``ink_limit`` percent; `black`: in black alone (``black_image``).
    CMYK artwork is never separated again: only pixels over the ink limit change."""
    profile_path = str(profile_path or DEFAULT_PROFILE)
    im = pil_image
    if black:
        return limit_ink(black_image(im, profile_path), ink_limit)
    if im.mode == "CMYK":
        out = im.copy()
    else:
        icc = im.info.get("icc_profile")
        if im.mode in ("RGBA", "LA", "P", "PA") or "transparency" in im.info:
            rgba = im.convert("RGBA")
            bg = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
            im = Image.alpha_composite(bg, rgba).convert("RGB")
        elif im.mode == "L" and icc:
            pass
        elif im.mode != "RGB":
            im = im.convert("RGB")
            icc = icc if im.mode == "RGB" else None
        mode = im.mode
        src_ok = None
        if icc:
            try:
                p = ImageCms.ImageCmsProfile(io.BytesIO(icc))
                space = p.profile.xcolor_space.strip()
                if (mode == "RGB" and space == "RGB") or (mode == "L" and space == "GRAY"):
                    src_ok = icc
            except (OSError, ImageCms.PyCMSError):
                src_ok = None
        if src_ok is None and mode == "L":
            im, mode = im.convert("RGB"), "RGB"
        digest = hashlib.sha256(src_ok).hexdigest() if src_ok else "sRGB"
        out = ImageCms.applyTransform(im, _transform(digest, src_ok, profile_path, mode))
        out.info.pop("icc_profile", None)
    return limit_ink(out, ink_limit)


def black_image(im: Image.Image, profile_path: str | Path | None = None) -> Image.Image:
    """``im`` (L, RGB or CMYK, with its ICC profile if any) separated to black alone through
    the output profile: a CMYK image with C = M = Y = 0 (see the module doc)."""
    profile_path = str(profile_path or DEFAULT_PROFILE)
    lut = _k_curve(profile_path)
    icc = im.info.get("icc_profile")
    space = _icc_space(icc)
    if im.mode == "L" and space != "GRAY":
        lightness = im.point(_SRGB_GREY_L)          # no usable profile: an sRGB grey
    else:
        if im.mode not in ("L", "RGB", "CMYK"):
            im = im.convert("RGB")
        want = {"L": "GRAY", "RGB": "RGB", "CMYK": "CMYK"}[im.mode]
        src = icc if space == want else None
        digest = hashlib.sha256(src).hexdigest() if src else "default"
        lightness = ImageCms.applyTransform(
            im, _lab_transform(digest, src, im.mode, profile_path)).getchannel("L")
    k = lightness.point(lut)
    zero = Image.new("L", im.size, 0)
    return Image.merge("CMYK", (zero, zero, zero, k))


def _icc_space(icc: bytes | None) -> str | None:
    if not icc:
        return None
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc)).profile.xcolor_space.strip()
    except (OSError, ImageCms.PyCMSError):
        return None


def _srgb_grey_lightness() -> list[int]:
    """L* (0–255 as Pillow's LAB mode holds it) of each sRGB grey level."""
    v = np.arange(256) / 255.0
    y = np.where(v <= 0.04045, v / 12.92, ((v + 0.055) / 1.055) ** 2.4)
    f = np.where(y > (6 / 29) ** 3, np.cbrt(y), y / (3 * (6 / 29) ** 2) + 4 / 29)
    return [int(x) for x in np.rint((116 * f - 16) * 2.55).clip(0, 255)]


_SRGB_GREY_L = _srgb_grey_lightness()


@lru_cache(maxsize=16)
def _lab_transform(_digest: str, src_icc: bytes | None, mode: str, profile_path: str):
    """`mode` pixels (RGB: sRGB, CMYK: the output profile, unless `src_icc`) → CIELAB."""
    if src_icc:
        src = ImageCms.ImageCmsProfile(io.BytesIO(src_icc))
    elif mode == "CMYK":
        src = ImageCms.getOpenProfile(profile_path)
    else:
        src = ImageCms.createProfile("sRGB")
    return ImageCms.buildTransform(src, ImageCms.createProfile("LAB"), mode, "LAB",
                                   renderingIntent=ImageCms.Intent.PERCEPTUAL)


@lru_cache(maxsize=16)
def _k_curve(profile_path: str) -> list[int]:
    """L* (0–255) → K (0–255): the lightness the profile's perceptual table gives a neutral
    grey, matched on the profile's black ramp, black point to solid K."""
    dst = ImageCms.getOpenProfile(profile_path)
    lab = ImageCms.createProfile("LAB")
    to_lab = ImageCms.buildTransform(dst, lab, "CMYK", "LAB",
                                     renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)
    grey = np.zeros((1, 256, 3), np.uint8)
    grey[0, :, 0] = np.arange(256)                  # a = b = 0
    sep = ImageCms.applyTransform(
        Image.fromarray(grey, "LAB"),
        ImageCms.buildTransform(lab, dst, "LAB", "CMYK",
                                renderingIntent=ImageCms.Intent.PERCEPTUAL))
    rendered = np.asarray(ImageCms.applyTransform(sep, to_lab))[0, :, 0].astype(float)
    ramp = np.zeros((1, 256, 4), np.uint8)
    ramp[0, :, 3] = np.arange(256)
    k_light = np.asarray(ImageCms.applyTransform(Image.fromarray(ramp, "CMYK"),
                                                 to_lab))[0, :, 0].astype(float)
    # black-point compensation: the darkest rendered grey becomes solid black, paper stays paper
    lo, hi, k_lo, k_hi = rendered.min(), rendered.max(), k_light[255], k_light[0]
    target = k_lo + (rendered - lo) * (k_hi - k_lo) / max(hi - lo, 1e-9)
    # k_light falls as K rises; np.interp wants rising x: strictly, hence the tiny slope
    xs = k_light[::-1] + np.arange(256) * 1e-6
    k = np.interp(target, xs, np.arange(256)[::-1].astype(float))
    k = np.minimum.accumulate(np.rint(k))           # lighter never gets more ink
    return [int(v) for v in k.clip(0, 255)]


def limit_ink(cmyk: Image.Image, ink_limit: float = 240.0) -> Image.Image:
    """Clamp a CMYK image's total area coverage to ``ink_limit`` percent (see module doc)."""
    if cmyk.mode != "CMYK":
        raise ValueError(f"limit_ink: a CMYK image is needed, not {cmyk.mode}")
    a = np.asarray(cmyk, dtype=np.float64)
    limit = ink_limit / 100.0 * 255.0
    tac = a.sum(axis=2)
    over = tac > limit + 1e-9
    if not over.any():
        return cmyk
    px = a[over]
    excess = px.sum(axis=1) - limit
    grey = px[:, :3].min(axis=1)
    r = np.minimum.reduce([excess / 2.0, grey, 255.0 - px[:, 3]])
    px[:, :3] -= r[:, None]
    px[:, 3] += r
    excess = px.sum(axis=1) - limit
    cmy = px[:, :3].sum(axis=1)
    scale = np.where((excess > 0) & (cmy > 0),
                     np.clip((cmy - excess) / np.where(cmy > 0, cmy, 1.0), 0.0, 1.0), 1.0)
    px[:, :3] *= scale[:, None]
    px = np.floor(px + 1e-9)
    # rounding can leave a pixel one step over: take it off the largest of C, M, Y
    still = px.sum(axis=1) - np.floor(limit)
    for _ in range(3):
        idx = np.where(still > 0)[0]
        if not len(idx):
            break
        j = px[idx, :3].argmax(axis=1)
        px[idx, j] = np.maximum(px[idx, j] - still[idx], 0)
        still = px.sum(axis=1) - np.floor(limit)
    a[over] = px
    out = Image.fromarray(np.clip(a, 0, 255).astype(np.uint8), "CMYK")
    out.info.update({k: v for k, v in cmyk.info.items() if k != "icc_profile"})
    return out


def ink_coverage_max(cmyk_image: Image.Image) -> float:
    """The largest total area coverage of any pixel, in percent (0–400)."""
    if cmyk_image.mode != "CMYK":
        raise ValueError(f"ink_coverage_max: a CMYK image is needed, not {cmyk_image.mode}")
    a = np.asarray(cmyk_image, dtype=np.uint16)
    return float(a.sum(axis=2).max()) / 255.0 * 100.0 if a.size else 0.0
