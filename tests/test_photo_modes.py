"""Every colour mode Pillow opens prints as the picture it is, upright by its EXIF orientation,
or is refused with a located error; a photo path that is no regular file is said to be so.

The pictures are grey ramps (dark at one side): the test reads each image back from the built
PDF and checks that its ink follows the ramp, which a blank (all-white) or turned photo does not.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from issuekit import page, write_issue

W, H = 96, 64                                     # the stored pictures: landscape 3:2


def ramp(w: int = W, h: int = H) -> np.ndarray:
    """0 (black) at the left to 1 (white) at the right."""
    return np.tile(np.linspace(0.0, 1.0, w), (h, 1))


def grey8(w: int = W, h: int = H) -> Image.Image:
    return Image.fromarray(np.rint(ramp(w, h) * 255).astype(np.uint8), "L")


def _exif(orientation: int) -> bytes:
    ex = Image.Exif()
    ex[0x0112] = orientation
    return ex.tobytes()


def write_picture(folder: Path, kind: str) -> Path:
    """A W×H grey ramp in the mode (and file format) `kind` names."""
    g = ramp()
    if kind == "I;16":
        im, ext = Image.frombytes("I;16", (W, H), np.rint(g * 65535).astype("<u2").tobytes()), "png"
    elif kind == "I":                             # a 16-bit PGM opens as 32-bit integers
        path = folder / "I.pgm"
        path.write_bytes(f"P5 {W} {H} 65535\n".encode() + np.rint(g * 65535).astype(">u2").tobytes())
        assert Image.open(path).mode == "I"
        return path
    elif kind == "F":
        im, ext = Image.fromarray(g.astype(np.float32)), "tif"
    elif kind == "LA":                            # black, opaque at the left, clear at the right
        a = Image.fromarray(np.rint((1 - g) * 255).astype(np.uint8), "L")
        im, ext = Image.merge("LA", [Image.new("L", (W, H), 0), a]), "png"
    elif kind == "RGBA":
        a = Image.fromarray(np.rint((1 - g) * 255).astype(np.uint8), "L")
        im, ext = Image.merge("RGBA", [Image.new("L", (W, H), 0)] * 3 + [a]), "png"
    elif kind == "PA":
        im, ext = grey8().convert("PA"), "tif"
    elif kind == "LAB":
        im = Image.merge("LAB", [grey8(), Image.new("L", (W, H), 128), Image.new("L", (W, H), 128)])
        ext = "tif"
    elif kind == "YCbCr":
        im, ext = grey8().convert("YCbCr"), "tif"
    elif kind == "CMYK":                          # K 100 % at the left, 0 at the right
        k = Image.fromarray(np.rint((1 - g) * 255).astype(np.uint8), "L")
        im, ext = Image.merge("CMYK", [Image.new("L", (W, H), 0)] * 3 + [k]), "tif"
    elif kind == "RGB":
        im, ext = grey8().convert("RGB"), "jpg"
    else:                                         # 1 (dithered), L, P
        im, ext = grey8().convert(kind), "png"
    path = folder / f"{kind.replace(';', '_')}.{ext}"
    im.save(path)
    assert Image.open(path).mode == kind, Image.open(path).mode
    return path


def build_photos(tmp_path: Path, photos: list[Path], lines: int = 20) -> list[Image.Image]:
    """Build a page with each photo in its own article (height by the picture's aspect) and
    return the CMYK images of the PDF in the order the photos were given."""
    from layout.build import build_issue

    arts = []
    for k, p in enumerate(photos):
        col, row = 1 + 2 * (k % 3), 1 + lines * (k // 3)
        arts.append({"id": f"a{k}", "module": {"column": col, "span": 2, "line": row,
                                               "lines": lines},
                     "headline": "图", "paragraphs": ["示例。"],
                     "photos": [{"file": str(p), "place": {"column": 1, "span": 2, "line": 1}}]})
    assert len(photos) <= 3 * (80 // lines)
    issue = write_issue(tmp_path, [page(2, arts)])
    out = tmp_path / "out.pdf"
    build_issue(issue, out)
    pdf = pikepdf.open(out)
    pg = pdf.pages[0]
    names = [ops[0] for ops, op in pikepdf.parse_content_stream(pg) if str(op) == "Do"]
    xobjs = pg.Resources.XObject
    images = [as_cmyk(pikepdf.PdfImage(xobjs[n]).as_pil_image()) for n in names
              if xobjs[n].get("/Subtype") == "/Image"]
    assert len(images) == len(photos)
    assert all(im.mode == "CMYK" for im in images)
    return images


def as_cmyk(im: Image.Image) -> Image.Image:
    """A DeviceGray image (a grey photo in black alone) as the CMYK it prints: K = 1 − grey."""
    if im.mode != "L":
        return im
    zero = Image.new("L", im.size, 0)
    return Image.merge("CMYK", (zero, zero, zero, im.point(lambda v: 255 - v)))


def ink(im: Image.Image) -> np.ndarray:
    """Total ink of each pixel, 0–1020."""
    return np.asarray(im, dtype=np.int32).sum(axis=2)


def assert_ramp(im: Image.Image, axis: int = 1, dark_first: bool = True) -> None:
    """Ink falls steadily along `axis` (1: left→right, 0: top→bottom)."""
    profile = ink(im).mean(axis=1 - axis)
    if not dark_first:
        profile = profile[::-1]
    n = max(1, len(profile) // 8)
    assert profile[:n].mean() - profile[-n:].mean() > 200, profile
    assert np.corrcoef(profile, np.arange(len(profile)))[0, 1] < -0.9, profile


MODES = ["1", "L", "LA", "P", "PA", "I;16", "I", "F", "RGB", "RGBA", "CMYK", "YCbCr", "LAB"]


def test_every_mode_prints_its_picture(tmp_path):
    """A 16-bit grey PNG printed blank white (values over 255 clipped); the others must keep
    printing their ramp too."""
    first, second = MODES[:7], MODES[7:]
    for group in (first, second):
        photos = [write_picture(tmp_path, m) for m in group]
        for mode, im in zip(group, build_photos(tmp_path, photos)):
            assert im.size[0] > im.size[1], mode        # landscape, as stored
            try:
                assert_ramp(im)
            except AssertionError as e:
                raise AssertionError(f"mode {mode}: {e}") from None


@pytest.mark.parametrize("orientation, axis, dark_first", [(3, 1, False), (6, 0, True),
                                                          (8, 0, False)])
def test_exif_orientation_printed_upright(tmp_path, orientation, axis, dark_first):
    """A phone photo is stored landscape with 'turn it' in its EXIF: the stored left edge is
    the top for orientation 6, the bottom for 8, the right for 3 (ImageOps.exif_transpose)."""
    path = tmp_path / f"o{orientation}.jpg"
    grey8().convert("RGB").save(path, quality=95, exif=_exif(orientation))
    [im] = build_photos(tmp_path, [path], lines=40)
    if orientation in (6, 8):
        assert im.size[1] > im.size[0], im.size          # portrait, with the picture's aspect
        assert abs(im.size[0] / im.size[1] - H / W) < 0.05
    else:
        assert im.size[0] > im.size[1]
    assert_ramp(im, axis, dark_first)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_upright_region_is_exif_transpose(orientation):
    """A region cut from the stored picture and turned equals the same region of the whole
    picture turned by Pillow."""
    from PIL import ImageOps

    from layout.output.images import _upright_region

    rng = np.random.default_rng(orientation)
    im = Image.fromarray(rng.integers(0, 255, (37, 53), dtype=np.uint8), "L")
    im.info["exif"] = _exif(orientation)
    whole = ImageOps.exif_transpose(im)
    w, h = whole.size
    for box in [(0, 0, w, h), (3, 5, w - 7, h - 2), (0, h // 2, w // 3, h)]:
        got = _upright_region(im, orientation, box)
        assert np.array_equal(np.asarray(got), np.asarray(whole.crop(box))), box


def test_16bit_big_endian_scaled():
    from layout.output.images import _printable

    im = Image.frombytes("I;16B", (W, H), np.rint(ramp() * 65535).astype(">u2").tobytes())
    out = np.asarray(_printable(im, 1 / 257))
    assert out[:, 0].max() == 0 and out[:, -1].min() == 255
    assert np.array_equal(out[0], np.rint(ramp()[0] * 255))


def _run(issue: Path, *args: str, timeout: float = 60):
    return subprocess.run([sys.executable, "-m", "layout", "build", str(issue), *args],
                          capture_output=True, text=True, timeout=timeout,
                          env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[1])})


def _photo_issue(tmp_path: Path, photo: Path) -> Path:
    arts = [{"id": "a", "module": {"column": 1, "span": 2, "line": 1, "lines": 20},
             "headline": "图", "paragraphs": ["示例。"],
             "photos": [{"file": str(photo), "place": {"column": 1, "span": 2, "line": 1}}]}]
    return write_issue(tmp_path, [page(2, arts)])


def _line_of_photo(issue: Path, photo: Path) -> int:
    return next(k + 1 for k, ln in enumerate(issue.read_text(encoding="utf-8").splitlines())
                if str(photo) in ln)


def test_float_picture_without_defined_white_refused(tmp_path):
    path = tmp_path / "hdr.tif"
    Image.fromarray((ramp() * 1000).astype(np.float32)).save(path)
    issue = _photo_issue(tmp_path, path)
    r = _run(issue, "-o", str(tmp_path / "x.pdf"))
    assert r.returncode == 2, r.stderr
    assert f"{issue}:{_line_of_photo(issue, path)}:" in r.stderr
    assert "floating-point greyscale picture with values 0–1000" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_photo_that_is_no_regular_file(tmp_path, kind):
    """A FIFO blocked the loader (or was 'not found'); /dev/zero through a link was 'not
    found'. Both are named for what they are, at once, without reading them."""
    path = tmp_path / "photo.jpg"
    if kind == "fifo":
        os.mkfifo(path)
        what = "is a FIFO (named pipe), not a regular file"
    else:
        path.symlink_to("/dev/zero")
        what = "/dev/zero is a character device, not a regular file"
    issue = _photo_issue(tmp_path, path)
    r = _run(issue, "-o", str(tmp_path / "x.pdf"), timeout=30)
    assert r.returncode == 2, r.stderr
    assert what in r.stderr, r.stderr
    assert f"{issue}:{_line_of_photo(issue, path)}:" in r.stderr
    assert "not found" not in r.stderr


def test_photo_over_the_size_limit_refused_unread(tmp_path):
    from layout.model.photos import MAX_PHOTO_BYTES

    path = tmp_path / "huge.jpg"
    with open(path, "wb") as f:                  # sparse: nothing is written, or read
        f.truncate(MAX_PHOTO_BYTES + 1)
    issue = _photo_issue(tmp_path, path)
    r = _run(issue, "-o", str(tmp_path / "x.pdf"), timeout=30)
    assert r.returncode == 2, r.stderr
    assert f"is 1,024 MiB, more than the 1,024 MiB paiban reads for a photo" in r.stderr


def test_resolution_check_sees_the_upright_picture(tmp_path):
    """paiban check measures a turned photo's ppi on its upright size (the frame's width
    against the picture's short side)."""
    from layout.model.photos import inspect_photo

    path = tmp_path / "o6.jpg"
    grey8().convert("RGB").save(path, exif=_exif(6))
    info = inspect_photo(path)
    assert (info.width, info.height) == (H, W)
