"""Shared fixtures: the seed page is built once per test session, from the real issue file."""
from __future__ import annotations

from pathlib import Path

import pytest

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
