"""The seed page and the examples look as approved (reference renders, see reference_images.py)."""
from __future__ import annotations

from reference_images import MAX_SHARE, compare


def test_seed_page_matches_reference(seed_pdf):
    path, _ = seed_pdf
    share, ref = compare(path, "guancheng-p3")
    assert share <= MAX_SHARE, (f"{share:.2%} of pixels differ from {ref}; if the change is "
                                "intended, update the reference (see tests/reference_images.py)")
