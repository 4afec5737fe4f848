"""The build's own preflight takes the ink measure the build made of each photo stream it
separated (images.stream_ink, the preflight's own measure_image_ink, kept on disk by stream
key) instead of decoding it again: the findings are the same either way, and a stream changed
by one byte is decoded again."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pikepdf
import pytest
from PIL import Image

from layout.build import build_issue
from layout.checks.preflight import image_key, measure_image_ink, preflight
from layout.output import images

REPO = Path(__file__).resolve().parent.parent


def _saturated(path: Path, w: int, h: int) -> None:
    """A CMYK photo with every ink high and hard edges: separated to the limit, its JPEG
    rings over it."""
    rng = np.random.default_rng(7)
    a = np.full((h, w, 4), 255, np.uint8)
    blocks = rng.integers(150, 256, (h // 16 + 1, w // 16 + 1, 4), dtype=np.uint8)
    a[:] = np.kron(blocks, np.ones((16, 16, 1), np.uint8))[:h, :w]
    Image.fromarray(a, "CMYK").save(path, "JPEG", quality=95)


@pytest.fixture(scope="module")
def saturated_issue(tmp_path_factory) -> Path:
    """The seed page with its photos replaced by saturated CMYK ones of a third of their
    size (below the page's resolution: image-ppi findings too; small: the test's memory)."""
    root = tmp_path_factory.mktemp("saturated")
    shutil.copy(REPO / "issues" / "guancheng-2023-03-17.yaml", root / "issue.yaml")
    (root / "photos").mkdir()
    for f in (REPO / "issues" / "photos").glob("*.jpg"):
        with Image.open(f) as im:
            _saturated(root / "photos" / f.name, im.width // 3, im.height // 3)
    return root / "issue.yaml"


def _findings(rep) -> list:
    return list(rep.findings)


def _ink_images(rep) -> int:
    """How many findings say a CMYK image is over the ink limit."""
    return sum(f.message.startswith("a CMYK image") for f in rep.findings)


def _photos(pdf_path: Path) -> list:
    with pikepdf.open(pdf_path) as pdf:
        return [(image_key(o), measure_image_ink(o, lambda o=o: pikepdf.PdfImage(o), 240.0))
                for o in pdf.objects
                if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Image]


def _streams_made() -> dict:
    return {ps.key: ps for ps in images._streams.values()}


def test_build_records_the_preflights_measure_and_does_not_decode_again(
        saturated_issue, tmp_path, monkeypatch):
    out = tmp_path / "a.pdf"
    build_issue(saturated_issue, out)
    made = _streams_made()
    # the JPEG photos have pixels over the limit (ringing), and the record of each stream in
    # the file is exactly what the preflight measures of it
    photos = _photos(out)
    assert sum(1 for _, m in photos if m.over) >= 2
    for key, m in photos:
        assert made[key].ink == m
    # a build in a fresh process (records read back from the cache) decodes no photo
    images._streams.clear()
    decoded = []
    real = pikepdf.PdfImage
    monkeypatch.setattr(pikepdf, "PdfImage", lambda o: decoded.append(o) or real(o))
    build_issue(saturated_issue, tmp_path / "b.pdf")
    assert decoded == []
    assert (tmp_path / "b.pdf").read_bytes() == out.read_bytes()


def test_findings_are_the_same_with_and_without_the_records(saturated_issue, tmp_path):
    out = tmp_path / "a.pdf"
    build_issue(saturated_issue, out)
    made = _streams_made().values()
    for limit in (240.0, 200.0):     # at 200 % every photo is over: ink-limit findings
        known = {ps.key: images.stream_ink(ps, limit) for ps in made}
        with_records = preflight(out, min_ppi=200, ink_limit=limit, known_images=known)
        without = preflight(out, min_ppi=200, ink_limit=limit)
        assert _findings(with_records) == _findings(without)
        if limit == 200.0:
            assert _ink_images(without) >= 3
    # a record made against another limit is not taken: the stream is measured again
    known = {ps.key: images.stream_ink(ps, 240.0) for ps in made}
    assert _findings(preflight(out, ink_limit=200.0, known_images=known)) == \
        _findings(preflight(out, ink_limit=200.0))


def test_a_stream_changed_by_one_byte_is_decoded_again(saturated_issue, tmp_path, monkeypatch):
    out = tmp_path / "a.pdf"
    build_issue(saturated_issue, out)
    # records that claim every pixel is over: taken for the streams they were made of
    lie = {ps.key: images.stream_ink(ps, 240.0) for ps in _streams_made().values()}
    lie = {k: type(m)(m.width, m.height, m.ink_limit, m.pixels, m.pixels, 1020)
           for k, m in lie.items()}
    assert _ink_images(preflight(out, known_images=lie)) >= 3
    # one byte of each photo's JPEG data changed (in its entropy-coded data, after the
    # headers): no record matches, every photo is decoded and measured
    changed = tmp_path / "changed.pdf"
    with pikepdf.open(out) as pdf:
        for o in pdf.objects:
            if isinstance(o, pikepdf.Stream) and o.get("/Subtype") == pikepdf.Name.Image:
                raw = bytearray(o.read_raw_bytes())
                raw[len(raw) // 2] ^= 0x01
                o.write(bytes(raw), filter=o.Filter)
        pdf.save(changed)
    decoded = []
    real = pikepdf.PdfImage
    monkeypatch.setattr(pikepdf, "PdfImage", lambda o: decoded.append(o) or real(o))
    rep = preflight(changed, known_images=lie)
    assert len(decoded) == len(_photos(changed)) >= 3
    assert _findings(rep) == _findings(preflight(changed))
