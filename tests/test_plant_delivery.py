"""Delivery to the print plant (issue 17): grey photos in black alone, black-only pages, JPEG
photos, one file per page, output conditions by name. Every test reads the written PDFs."""
from __future__ import annotations

import hashlib
import io
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pikepdf
import pytest
import yaml
from PIL import Image

from issuekit import PHOTOS, ROOT, article, page, write_issue

COLOUR = PHOTOS / "yundong-hui.jpg"
SEED_PHOTO = ROOT / "issues" / "photos" / "shangpinfang.jpg"     # dark, saturated areas


def _photo_page(tmp_path: Path, photo: Path, number: int = 2, photo_keys=None, **page_kw):
    art = article(f"a{number}", {"column": 1, "span": 4, "line": 1, "lines": 40},
                  photos=[{"file": str(photo), "place": {"column": 1, "span": 4, "line": 1,
                                                         "lines": 20},
                           **(photo_keys or {})}])
    return page(number, [art], **page_kw)


def _images(pdf_path: Path) -> list[pikepdf.Stream]:
    with pikepdf.open(pdf_path) as pdf:
        out = []
        for pg in pdf.pages:
            for _, xo in pg.Resources.get("/XObject", {}).items():
                if xo.get("/Subtype") == "/Image":
                    out.append(xo)
        # keep the streams readable after the file closes
        return [(dict((k, xo[k]) for k in xo.keys()), xo.read_raw_bytes(),
                 np.asarray(pikepdf.PdfImage(xo).as_pil_image())) for xo in out]


def _filters(d) -> list[str]:
    f = d["/Filter"]
    return [str(x) for x in f] if isinstance(f, pikepdf.Array) else [str(f)]


def _grey_picture(tmp_path: Path) -> Path:
    ramp = np.tile(np.linspace(0, 255, 900).astype(np.uint8), (600, 1))
    path = tmp_path / "grey.png"
    Image.fromarray(ramp, "L").save(path)
    return path


def _run(*args, cwd=None):
    """The CLI; a build may overflow (the test text is long) and have low-ppi photos."""
    extra = ["--allow-overflow"] if args[0] == "build" else []
    return subprocess.run([sys.executable, "-m", "layout", *map(str, args), *extra],
                          capture_output=True, text=True, cwd=cwd, timeout=300)


# --------------------------------------------------------------------- 1. black alone
def test_grey_photo_prints_in_black_alone(tmp_path):
    """A greyscale picture used to print in four inks (about C17 M9 Y8 K35)."""
    issue = write_issue(tmp_path, [_photo_page(tmp_path, _grey_picture(tmp_path))])
    out = tmp_path / "out.pdf"
    assert _run("build", issue, "-o", out).returncode == 0
    [(d, _, px)] = _images(out)
    if d["/ColorSpace"] == "/DeviceCMYK":
        assert not px[..., :3].any()
    else:
        assert d["/ColorSpace"] == "/DeviceGray"
    k = 255 - px if px.ndim == 2 else px[..., 3]
    assert k[:, :20].mean() > 200 and k[:, -20:].mean() < 10      # black left, paper right


def test_colour_photo_marked_ink_k_prints_in_black_alone(tmp_path):
    issue = write_issue(tmp_path, [_photo_page(tmp_path, COLOUR, photo_keys={"ink": "k"})])
    out = tmp_path / "out.pdf"
    assert _run("build", issue, "-o", out).returncode == 0
    [(d, _, px)] = _images(out)
    assert d["/ColorSpace"] == "/DeviceGray" and px.std() > 10


def test_black_only_page_refuses_a_colour_photo_naming_it(tmp_path):
    issue = write_issue(tmp_path, [_photo_page(tmp_path, COLOUR, inks="k")])
    out = tmp_path / "out.pdf"
    r = _run("build", issue, "-o", out)
    assert r.returncode == 2, r.stderr
    assert "black only" in r.stderr and "'a2'" in r.stderr and COLOUR.name in r.stderr
    assert "issue.yaml:" in r.stderr and "Traceback" not in r.stderr
    assert not out.exists()
    # marked ink: k, the same page builds, in black alone
    issue = write_issue(tmp_path, [_photo_page(tmp_path, COLOUR, inks="k",
                                               photo_keys={"ink": "k"})])
    assert _run("build", issue, "-o", out).returncode == 0
    assert all(d["/ColorSpace"] == "/DeviceGray" for d, _, _ in _images(out))


def test_black_only_from_the_printer_file(tmp_path):
    (tmp_path / "plant.yaml").write_text("inks: k\n", encoding="utf-8")
    issue = write_issue(tmp_path, [_photo_page(tmp_path, COLOUR)], print="plant.yaml")
    r = _run("build", issue, "-o", tmp_path / "out.pdf")
    assert r.returncode == 2 and "black only" in r.stderr


def test_bad_ink_value_is_located(tmp_path):
    issue = write_issue(tmp_path, [_photo_page(tmp_path, COLOUR, photo_keys={"ink": "red"})])
    r = _run("build", issue, "-o", tmp_path / "out.pdf")
    assert r.returncode == 2 and "issue.yaml:" in r.stderr and "ink" in r.stderr


# --------------------------------------------------------------------- 2. JPEG photos
def _quant(data: bytes):
    return Image.open(io.BytesIO(data)).quantization


def _psnr(a: np.ndarray, b: np.ndarray) -> float:
    mse = np.mean((a.astype(float) - b.astype(float)) ** 2)
    return 99.0 if mse == 0 else 10 * np.log10(255 ** 2 / mse)


@pytest.mark.parametrize("quality", [85, 60])
def test_photos_are_dct_at_the_set_quality(tmp_path, quality):
    """The seed page was 6.1 MB of Flate photos; photos are now JPEG at print.jpeg_quality."""
    issue = write_issue(tmp_path, [_photo_page(tmp_path, COLOUR)],
                        print={"jpeg_quality": quality})
    out = tmp_path / "out.pdf"
    assert _run("build", issue, "-o", out).returncode == 0
    [(d, raw, px)] = _images(out)
    assert _filters(d) == ["/DCTDecode"] and d["/ColorSpace"] == "/DeviceCMYK"
    assert list(d["/Decode"]) == [1, 0] * 4               # Pillow's CMYK JPEG is inverted
    probe = io.BytesIO()
    Image.new("CMYK", (8, 8)).save(probe, "JPEG", quality=quality, subsampling=0)
    assert _quant(raw) == _quant(probe.getvalue())        # the quality's tables
    jpeg = Image.open(io.BytesIO(raw))
    assert jpeg.layer == [(b"\x01", 1, 1, 0), (b"\x02", 1, 1, 1), (b"\x03", 1, 1, 1),
                          (b"\x04", 1, 1, 1)] or all(h == v == 1 for _, h, v, _ in jpeg.layer)


def test_jpeg_renders_like_flate_and_is_smaller(tmp_path):
    import pypdfium2 as pdfium

    renders, sizes = {}, {}
    for comp in ("flate", "jpeg"):
        d = tmp_path / comp
        d.mkdir()
        issue = write_issue(d, [_photo_page(d, COLOUR)], print={"compression": comp})
        out = d / "out.pdf"
        assert _run("build", issue, "-o", out).returncode == 0
        sizes[comp] = out.stat().st_size
        doc = pdfium.PdfDocument(str(out))
        renders[comp] = np.asarray(doc[0].render(scale=150 / 72).to_pil().convert("RGB"))
        doc.close()
        if comp == "flate":
            assert _filters(_images(out)[0][0]) == ["/FlateDecode"]
    assert sizes["jpeg"] < sizes["flate"] / 2
    assert _psnr(renders["jpeg"], renders["flate"]) > 38


def test_same_input_same_bytes_with_jpeg(tmp_path, monkeypatch):
    """Two builds, each with an empty cache of its own: byte-identical PDFs."""
    issue = write_issue(tmp_path, [_photo_page(tmp_path, COLOUR)])
    outs = []
    for k in range(2):
        env_cache = tmp_path / f"cache{k}"
        out = tmp_path / f"out{k}.pdf"
        r = subprocess.run([sys.executable, "-m", "layout", "build", str(issue), "-o", str(out)],
                           capture_output=True, text=True, timeout=300,
                           env={**__import__("os").environ, "PAIBAN_CACHE_DIR": str(env_cache)})
        assert r.returncode == 0, r.stderr
        outs.append(out.read_bytes())
    assert outs[0] == outs[1]
    assert b"/DCTDecode" in outs[0]


# --------------------------------------------------------------------- 3. one file per page
def _two_pages(tmp_path: Path, **kw) -> Path:
    return write_issue(tmp_path, [_photo_page(tmp_path, COLOUR, 2),
                                  _photo_page(tmp_path, PHOTOS / "chunjing.jpg", 3)], **kw)


def test_split_writes_a_checked_file_per_page_and_a_manifest(tmp_path):
    from layout.checks.preflight import preflight

    issue = _two_pages(tmp_path)
    folder = tmp_path / "plates"
    r = _run("build", issue, "--split", "-o", folder)
    assert r.returncode == 0, r.stderr
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    names = [e["file"] for e in manifest["files"]]
    assert names == ["示例新闻-20250418-02.pdf", "示例新闻-20250418-03.pdf"]
    assert sorted(p.name for p in folder.iterdir()) == sorted(names + ["manifest.json"])
    for e in manifest["files"]:
        data = (folder / e["file"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == e["sha256"] and len(data) == e["size"]
        rep = preflight(folder / e["file"])
        assert rep.passed, rep.to_text()
        with pikepdf.open(folder / e["file"]) as pdf:
            assert len(pdf.pages) == 1 and len(pdf.Root.OutputIntents) == 1
            assert "/DestOutputProfile" in pdf.Root.OutputIntents[0]
            assert f"第{e['page']}版" in str(pdf.docinfo.Title)


def test_split_names_from_the_printer_file(tmp_path):
    issue = _two_pages(tmp_path, print={"split_names": "{date:%m%d}_{section}_{page}.pdf"})
    folder = tmp_path / "out"
    assert _run("build", issue, "--split", "-o", folder).returncode == 0
    assert sorted(p.name for p in folder.iterdir()) == ["0418_要闻_2.pdf", "0418_要闻_3.pdf",
                                                        "manifest.json"]


def test_failed_split_leaves_the_earlier_set(tmp_path):
    issue = _two_pages(tmp_path)
    folder = tmp_path / "plates"
    assert _run("build", issue, "--split", "-o", folder).returncode == 0
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    data["pages"][1]["articles"][0]["headline"] = "改了的标题"       # the new set differs…
    data["pages"][1]["articles"][0]["photos"][0]["file"] = str(tmp_path / "gone.jpg")
    issue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = _run("build", issue, "--split", "-o", folder)                # …and fails
    assert r.returncode == 2
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_split_fails_late_and_leaves_the_set(tmp_path, monkeypatch):
    """A preflight veto on the second page: nothing of the new set reaches the folder."""
    import layout.split as split
    from layout.build import build_issue
    from layout.errors import InternalError

    issue = _two_pages(tmp_path)
    folder = tmp_path / "plates"
    build_issue(issue, None, split=folder)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    real = split.write_atomic
    calls = []

    def veto_second(path, data, check=None, **kw):
        calls.append(path)
        if len(calls) == 2:
            raise InternalError("vetoed")
        return real(path, data, check=check, **kw)

    monkeypatch.setattr(split, "write_atomic", veto_second)
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    data["number"] = "第2期"
    issue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    with pytest.raises(InternalError):
        build_issue(issue, None, split=folder)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_split_never_writes_over_an_input(tmp_path):
    issue = _two_pages(tmp_path, print={"split_names": "issue{page}.pdf"})
    folder = tmp_path
    victim = tmp_path / "issue2.pdf"
    victim.write_bytes(b"%PDF- keep")
    data = yaml.safe_load(issue.read_text(encoding="utf-8"))
    data["pages"][0]["articles"][0]["photos"][0]["file"] = str(victim)
    issue.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    r = _run("build", issue, "--split", "-o", folder)
    assert r.returncode == 2
    assert victim.read_bytes() == b"%PDF- keep"


def test_split_needs_a_folder(tmp_path):
    issue = _two_pages(tmp_path)
    r = _run("build", issue, "--split")
    assert r.returncode == 2 and "-o" in r.stderr


# --------------------------------------------------------------------- 4. conditions
def test_condition_by_name_sets_identifier_and_limit(tmp_path):
    from layout.model.printing import PrintSettings

    s = PrintSettings.from_mapping({"condition": "WAN-IFRAnewspaper26v5"})
    assert (s.output_condition_identifier, s.ink_limit) == ("WAN-IFRAnewspaper26v5", 220)
    assert PrintSettings.from_mapping({"condition": "ISOnewspaper26v4"}).ink_limit == 240
    assert PrintSettings.from_mapping({"condition": "ISOnewspaper26v4",
                                       "ink_limit": 200}).ink_limit == 200
    with pytest.raises(ValueError, match="220"):
        PrintSettings.from_mapping({"condition": "WAN-IFRAnewspaper26v5", "ink_limit": 240})


@pytest.mark.parametrize("comp", ["flate", "jpeg"])
def test_build_separates_at_the_condition_limit_and_says_stand_in(tmp_path, comp):
    """JPEG's ringing once lifted 1.6 % of a photo's pixels over 222 % (the build's own
    preflight failed): a JPEG photo is separated again lower until it keeps the limit."""
    from layout.checks.preflight import preflight

    issue = write_issue(tmp_path, [_photo_page(tmp_path, SEED_PHOTO)],
                        print={"condition": "WAN-IFRAnewspaper26v5", "compression": comp,
                               "min_ppi": 100})
    out = tmp_path / "out.pdf"
    r = _run("build", issue, "-o", out)
    assert r.returncode == 0, r.stderr
    assert r.stderr.count("stand-in") == 1 and "WAN-IFRAnewspaper26v5" in r.stderr
    with pikepdf.open(out) as pdf:
        oi = pdf.Root.OutputIntents[0]
        assert str(oi.OutputConditionIdentifier) == "WAN-IFRAnewspaper26v5"
    [(_, _, px)] = _images(out)
    total = px.astype(int).sum(axis=2)
    if comp == "flate":
        assert total.max() <= 220 * 2.55 + 1
    assert (total > 222 * 2.55).mean() <= 0.001
    assert preflight(out, min_ppi=100).passed          # 220 % from the file's condition


def test_preflight_uses_the_condition_limit(tmp_path):
    """A photo separated at 240 % in a file for a 220 % plant does not pass."""
    from layout.checks.preflight import preflight

    dark = np.zeros((600, 1200, 4), np.uint8)
    dark[:, :600] = np.rint(np.array([100, 60, 47, 30]) * 2.55)      # 237 %
    Image.fromarray(dark, "CMYK").save(tmp_path / "dark.tif")
    issue = write_issue(tmp_path, [_photo_page(tmp_path, tmp_path / "dark.tif")],
                        print={"compression": "flate"})
    out = tmp_path / "out.pdf"
    assert _run("build", issue, "-o", out).returncode == 0
    [(_, _, px)] = _images(out)
    assert px.astype(int).sum(axis=2).max() > 225 * 2.55          # dark: near 240 %
    assert preflight(out, min_ppi=100).passed
    with pikepdf.open(out, allow_overwriting_input=True) as pdf:
        pdf.Root.OutputIntents[0].OutputConditionIdentifier = pikepdf.String(
            "WAN-IFRAnewspaper26v5")
        pdf.save(out)
    rep = preflight(out, min_ppi=100)
    assert {f.kind for f in rep.errors} == {"ink-limit"} and "220" in rep.to_text()
    r = _run("preflight", out, "--min-ppi", "100")
    assert r.returncode == 1 and "220" in r.stdout


# --------------------------------------------------------------------- 5. colours that stay
def _through_profile(rgb):
    from PIL import ImageCms

    from layout.model.printing import DEFAULT_PROFILE

    src = Image.fromarray(np.array([rgb], np.uint8), "RGB")
    t = ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                ImageCms.getOpenProfile(str(DEFAULT_PROFILE)), "RGB", "CMYK",
                                renderingIntent=ImageCms.Intent.PERCEPTUAL)
    return np.asarray(ImageCms.applyTransform(src, t))[0] / 2.55


def test_saturated_colours_print_as_the_press_solids():
    """Through v1's perceptual table sRGB red was C0 M60 Y98 (orange), blue C69 M98 (violet)."""
    red, blue, yellow, green = _through_profile([(255, 0, 0), (0, 0, 255), (255, 255, 0),
                                                 (0, 255, 0)])
    assert red[0] <= 5 and red[1] >= 85 and red[2] >= 85, red
    assert blue[0] >= 85 and blue[1] >= 85 and blue[2] <= 5, blue
    assert yellow[2] >= 85 and max(yellow[:2]) <= 8, yellow
    assert green[0] >= 75 and green[2] >= 75 and green[1] <= 5, green


def test_soft_colours_keep_hue_and_greys_stay_neutral():
    from PIL import ImageCms

    from layout.model.printing import DEFAULT_PROFILE

    rgb = [(224, 172, 140), (128, 128, 128), (90, 120, 160)]
    cmyk = Image.fromarray(np.rint(np.array([_through_profile(rgb)]) * 2.55).astype(np.uint8),
                           "CMYK")
    lab = ImageCms.createProfile("LAB")
    back = np.asarray(ImageCms.applyTransform(cmyk, ImageCms.buildTransform(
        ImageCms.getOpenProfile(str(DEFAULT_PROFILE)), lab, "CMYK", "LAB",
        renderingIntent=ImageCms.Intent.RELATIVE_COLORIMETRIC)))[0]
    src = np.asarray(ImageCms.applyTransform(
        Image.fromarray(np.array([rgb], np.uint8), "RGB"),
        ImageCms.buildTransform(ImageCms.createProfile("sRGB"), lab, "RGB", "LAB")))[0]
    ab = lambda p: p[1:].astype(np.int8).astype(float)  # noqa: E731
    hue = lambda p: np.degrees(np.arctan2(ab(p)[1], ab(p)[0])) % 360  # noqa: E731
    for k in (0, 2):                                    # skin, a soft blue: hue within 6°
        assert abs((hue(back[k]) - hue(src[k]) + 180) % 360 - 180) < 6
    assert np.hypot(*ab(back[1])) < 3                   # grey prints grey


def test_cmyk_artwork_passes_unchanged(tmp_path):
    """An agency's CMYK ad is not separated again: its pixels reach the PDF as they were."""
    rng = np.random.default_rng(3)
    art = rng.integers(0, 120, (400, 600, 4), dtype=np.uint8)      # within 240 %
    Image.fromarray(art, "CMYK").save(tmp_path / "ad.tif")
    issue = write_issue(tmp_path, [_photo_page(tmp_path, tmp_path / "ad.tif")],
                        print={"compression": "flate", "min_ppi": 50})
    out = tmp_path / "out.pdf"
    assert _run("build", issue, "-o", out).returncode == 0
    [(d, _, px)] = _images(out)
    h, w = px.shape[:2]
    top = (art.shape[0] - h) // 2
    assert px.shape[1] == art.shape[1]
    assert np.array_equal(px, art[top:top + h])


# --------------------------------------------------------------------- 6. small print
def _with_content(src: Path, dst: Path, ops: bytes) -> None:
    with pikepdf.open(src) as pdf:
        pdf.pages[0].contents_add(pikepdf.Stream(pdf, ops), prepend=False)
        pdf.save(dst)


def test_small_text_in_two_inks_is_a_warning(seed_pdf, tmp_path):
    from layout.checks.preflight import preflight

    path, _ = seed_pdf
    cases = {b"BT /F9 9 Tf 0 1 1 0 k (x) Tj ET": True,          # 9 pt red (M+Y)
             b"BT /F9 1 Tf 9 0 0 9 50 50 Tm 0 1 1 0 k (x) Tj ET": True,   # 9 pt by Tm
             b"BT /F9 14 Tf 0 1 1 0 k (x) Tj ET": False,        # 14 pt: fine
             b"BT /F9 9 Tf 0 1 0 0 k (x) Tj ET": False}         # one ink: fine
    for k, (ops, warned) in enumerate(cases.items()):
        out = tmp_path / f"t{k}.pdf"
        _with_content(path, out, b"q /PBko gs " + ops + b" Q")
        rep = preflight(out)
        found = [f for f in rep.findings if f.kind == "small-text"]
        assert bool(found) == warned, (ops, rep.to_text())
        assert all(f.severity == "warning" for f in found) and rep.passed


def test_house_style_has_no_small_print_in_two_inks(seed_pdf):
    from layout.build import build_issue
    from layout.checks.preflight import preflight

    path, _ = seed_pdf
    tab = path.parent / "tabloid.pdf"
    build_issue(ROOT / "examples" / "tabloid-4pages.yaml", tab)
    for p in (path, tab):
        rep = preflight(p)
        assert not [f for f in rep.findings if f.kind in ("small-text", "thin-rule")], \
            rep.to_text()


# --------------------------------------------------------------------- 7. loose ends
def test_x4_ids_are_rfc4122_version5_uuids(tmp_path):
    import re
    import uuid

    issue = write_issue(tmp_path, [_photo_page(tmp_path, COLOUR)], print={"standard": "x4"})
    out = tmp_path / "out.pdf"
    assert _run("build", issue, "-o", out).returncode == 0
    with pikepdf.open(out) as pdf:
        xmp = pdf.Root.Metadata.read_bytes().decode("utf-8")
    ids = re.findall(r"<xmpMM:(?:DocumentID|InstanceID)>uuid:([^<]+)<", xmp)
    assert len(ids) == 2 and ids[0] != ids[1]
    for s in ids:
        u = uuid.UUID(s)
        assert str(u) == s and u.version == 5 and u.variant == uuid.RFC_4122


def test_bundled_profile_names_no_unregistered_cmm():
    from layout.model.printing import DEFAULT_PROFILE

    assert DEFAULT_PROFILE.read_bytes()[4:8] == b"\0\0\0\0"


def test_preflight_x4_on_an_x1a_file_says_so(seed_pdf):
    path, _ = seed_pdf
    r = _run("preflight", path, "--profile", "x4")
    assert r.returncode == 1
    assert "is PDF/X-1a:2001" in r.stdout and "standard: x4" in r.stdout


def test_ghostscript_overprint_simulation_differs_only_under_black(seed_pdf, tmp_path):
    """Only 100 % K overprints: simulating overprint changes no pixel that is not solid black
    (a magenta box set to overprint, the negative control, does)."""
    import shutil

    if shutil.which("gs") is None:
        pytest.skip("Ghostscript is not installed")
    path, _ = seed_pdf
    spoiled = tmp_path / "spoiled.pdf"
    _with_content(path, spoiled, b"q /PBop gs 0 1 0 0 k 100 100 300 300 re f Q")

    def render(pdf, mode):
        out = tmp_path / f"{pdf.stem}-{mode}.tif"
        subprocess.run(["gs", "-q", "-dNOPAUSE", "-dBATCH", "-dSAFER", "-sDEVICE=tiff32nc",
                        "-r36", f"-dOverprint=/{mode}", f"-sOutputFile={out}", str(pdf)],
                       check=True, timeout=120)
        return np.asarray(Image.open(out)).astype(int)

    for pdf, clean in ((path, True), (spoiled, False)):
        sim, plain = render(pdf, "simulate"), render(pdf, "disable")
        differ = np.abs(sim - plain).max(axis=2) > 8
        assert (not differ.any() or sim[differ][:, 3].min() >= 240) == clean
