"""Shared fixtures: the seed page is built once per test session, from the real issue file."""
from __future__ import annotations

from pathlib import Path

import os
import tempfile

import pytest
from hypothesis import settings

# Reproducible property tests: the same examples on every run and machine, no database written.
settings.register_profile("paiban", derandomize=True, database=None)
settings.load_profile("paiban")

# Hermetic: the tests never read or write the user's cache folder. One private folder per run
# (set before any layout module asks where the cache is; subprocesses inherit it).
os.environ["PAIBAN_CACHE_DIR"] = tempfile.mkdtemp(prefix="paiban-test-cache-")
# ... and never hand a command to a warm engine the user runs: a private runtime folder (0700)
# where only the engines the tests start themselves live.
os.environ["PAIBAN_RUNTIME_DIR"] = tempfile.mkdtemp(prefix="paiban-test-run-")

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "issues" / "guancheng-2023-03-17.yaml"


@pytest.fixture(scope="session")
def seed_issue():
    from layout.model.load import load_issue
    return load_issue(SEED)


@pytest.fixture(scope="session")
def seed_pdf(tmp_path_factory):
    """(path, BuildResult) of the seed page built through the same code as `paiban build`."""
    from layout.build import build_issue
    out = tmp_path_factory.mktemp("seed") / "seed.pdf"
    result = build_issue(SEED, out)
    return out, result


@pytest.fixture(scope="session")
def seed_chars(seed_pdf):
    """pdfplumber's characters of page 1, with the baseline (PDF y, from the bottom) added."""
    import pdfplumber
    path, _ = seed_pdf
    with pdfplumber.open(path) as pdf:
        page = pdf.pages[0]
        chars = []
        for c in page.chars:
            c = dict(c)
            c["baseline"] = c["matrix"][5]
            chars.append(c)
        return chars, float(page.width), float(page.height)


EXAMPLE = ROOT / "examples" / "tabloid-4pages.yaml"


@pytest.fixture(scope="session")
def example_pdf(tmp_path_factory):
    """(path, BuildResult, Issue) of the 4-page tabloid example, built once."""
    from layout.build import build_issue
    from layout.model.load import load_issue
    out = tmp_path_factory.mktemp("example") / "tabloid.pdf"
    result = build_issue(EXAMPLE, out)
    return out, result, load_issue(EXAMPLE)


@pytest.fixture(scope="session")
def example_pages(example_pdf):
    """Per page: (chars with 'baseline' from the top of the page, images, lines/rects, height)."""
    import pdfplumber

    from pdfread import chars_with_baseline
    path, _, _ = example_pdf
    pages = []
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            h = float(page.height)
            pages.append({"chars": chars_with_baseline(page), "images": [dict(i) for i in page.images],
                          "lines": [dict(l) for l in page.lines], "rects": [dict(r) for r in page.rects],
                          "height": h, "width": float(page.width)})
    return pages
