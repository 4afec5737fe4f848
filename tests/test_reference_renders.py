"""The seed page and the examples look as approved (reference renders, see reference_images.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from reference_images import MAX_SHARE, REF_DIR, compare, differing_share, render

ROOT = Path(__file__).resolve().parents[1]


def _assert_close(share: float, ref: Path) -> None:
    assert share <= MAX_SHARE, (f"{share:.2%} of pixels differ from {ref}; if the change is "
                                "intended, update the reference (see tests/reference_images.py)")


def test_seed_page_matches_reference(seed_pdf):
    path, _ = seed_pdf
    _assert_close(*compare(path, "guancheng-p3"))


@pytest.fixture(scope="module")
def tabloid_pdf(tmp_path_factory):
    from layout.build import build_issue
    out = tmp_path_factory.mktemp("tabloid") / "tabloid.pdf"
    build_issue(ROOT / "examples" / "tabloid-4pages.yaml", out)
    return out


@pytest.mark.parametrize("page", range(4))
def test_tabloid_example_matches_reference(tabloid_pdf, page):
    _assert_close(*compare(tabloid_pdf, f"tabloid-p{page + 1}", page))


def test_comparison_catches_a_moved_line(seed_pdf):
    """Negative control: the seed render moved down by one body line (12 pt) fails."""
    from PIL import ImageChops

    path, _ = seed_pdf
    img = render(path)
    moved = ImageChops.offset(img, 0, round(12 / 72 * 36))
    assert differing_share(img, img) == 0.0
    assert differing_share(moved, img) > MAX_SHARE
