"""Exact savings of a rebuilt page: the ToUnicode CMaps finished once per content (kept in the
cache folder), and the body slots of a module found per column. Same bytes, less work."""
from __future__ import annotations

import random
from pathlib import Path

from layout.build import build_issue
from layout.flow.columns import free_count, slots
from layout.model.document import Box
from layout.output import pdfx

SEED = Path(__file__).resolve().parent.parent / "issues" / "guancheng-2023-03-17.yaml"


def test_tounicode_cmaps_are_fixed_once_per_content(tmp_path, monkeypatch):
    monkeypatch.setenv("PAIBAN_CACHE_DIR", str(tmp_path / "cache"))    # no CMap seen yet
    calls = []
    real = pdfx.fix_tounicode
    monkeypatch.setattr(pdfx, "fix_tounicode", lambda d: calls.append(d) or real(d))
    build_issue(SEED, tmp_path / "a.pdf")
    first = len(calls)
    assert first >= 4                       # the page's four faces: parsed when first seen
    build_issue(SEED, tmp_path / "b.pdf")
    assert len(calls) == first              # the same CMaps again: taken from the cache
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "b.pdf").read_bytes()
    # a CMap with other content is parsed, and what the cache gives is what parsing gives
    cmap = calls[0].replace(b"<0000> <FFFF>", b"<0000>  <FFFF>")
    assert cmap != calls[0]
    got = pdfx._fixed_tounicode(cmap)
    assert len(calls) == first + 1
    import zlib
    assert zlib.decompress(got) == real(cmap) == zlib.decompress(pdfx._fixed_tounicode(cmap))
    assert len(calls) == first + 1


def test_slots_are_the_free_cells_in_reading_order():
    rng = random.Random(18)
    for _ in range(300):
        module = Box(rng.randint(1, 4), rng.randint(1, 6), rng.randint(1, 20), rng.randint(1, 40))
        blocked = [Box(rng.randint(1, 10), rng.randint(1, 3), rng.randint(1, 60),
                       rng.randint(1, 10)) for _ in range(rng.randint(0, 4))]
        deck = rng.randint(0, 5)
        height = rng.choice([None, rng.randint(1, module.lines)])
        h = module.lines if height is None else height
        free = [(c, r) for c in range(module.column, module.last_column + 1)
                for r in range(module.line + deck, module.line + h)
                if not any(b.column <= c <= b.last_column and b.line <= r <= b.last_line
                           for b in blocked)]
        assert slots(module, deck, blocked, height) == free
        assert free_count(module, deck, blocked, height) == len(free)


def test_w_array_has_the_numbers_reportlab_writes():
    import re

    from reportlab.pdfbase import pdfdoc as P

    from layout.output.cidfont import _w_array

    widths = [1, [1000, 500, 0], 7, [333.333, 0.25, 1234.5, 2e-08, 12345678], 90000, [-12.5]]
    by_reportlab = P.PDFArray([P.PDFArray(x) if isinstance(x, list) else x
                               for x in widths]).format(P.PDFDocument())
    def tokens(b):
        return re.findall(rb"\[|\]|[^\s\[\]]+", b)
    assert tokens(_w_array(widths)) == tokens(by_reportlab)


def test_decoded_streams_are_what_qpdf_decodes():
    import zlib

    import pikepdf
    from pikepdf import Array, Name

    data = bytes(range(256)) * 300
    z = zlib.compress(data, 6)
    pdf = pikepdf.new()
    cases = [(z, Name.FlateDecode, None), (z, Array([Name.FlateDecode]), None),
             (z + b"junk after the end", Name.FlateDecode, None),
             (b"0102 ff>", Name.ASCIIHexDecode, None),
             (zlib.compress(b"\x00" + data[:99], 6), Name.FlateDecode,
              pikepdf.Dictionary(Predictor=12, Columns=99))]
    for raw, filt, parms in cases:
        s = pikepdf.Stream(pdf, raw)
        s.Filter = filt
        if parms is not None:
            s.DecodeParms = parms
        assert pdfx._decoded(s) == s.read_bytes()
    # the fast path is taken for a plain Flate stream
    s = pikepdf.Stream(pdf, z)
    s.Filter = Name.FlateDecode
    assert pdfx._decoded(s) == data
