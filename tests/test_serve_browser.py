"""`paiban serve` in a real browser (issue 18): Debian's chromium driven by PyPI's playwright.
The pages load, the overlay's module boxes sit where the PDF puts each article's headline and
the ad's artwork, a click on an article shows its file:line, a save that makes an article
overflow shows the finding on the page and in the panel (zoom and scroll kept), and a broken
save shows the located error while the pages stay. Skipped where chromium or playwright is
missing (.ci/run installs chromium when it runs as root)."""
from __future__ import annotations

import io
import os
import shutil
import time

import pytest

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
if CHROMIUM is None:
    pytest.skip("no chromium on this machine (apt-get install chromium)", allow_module_level=True)
sync_api = pytest.importorskip("playwright.sync_api")
pytest.importorskip("starlette")

from servekit import Served, line_of, overflowing  # noqa: E402

WAIT = 60_000   # ms


def _boxes(page) -> dict:
    """Each module's overlay box in PDF points, measured on the screen against the image."""
    rects = page.evaluate("""() => {
        const img = document.querySelector('.page img').getBoundingClientRect();
        const k = document.querySelector('.page svg').viewBox.baseVal.width / img.width;
        return [...document.querySelectorAll('.page .module')].map(r => {
            const b = r.getBoundingClientRect();
            return [r.dataset.id, (b.left - img.left) * k, (b.top - img.top) * k,
                    (b.right - img.left) * k, (b.bottom - img.top) * k];
        });
    }""")
    return {r[0]: r[1:] for r in rects}


def _inside(inner, outer, tol=1.5) -> bool:
    return (inner[0] >= outer[0] - tol and inner[1] >= outer[1] - tol
            and inner[2] <= outer[2] + tol and inner[3] <= outer[3] + tol)


def test_live_proof_in_chromium(tmp_path):
    import pdfplumber

    from layout.model.load import load_issue

    with Served(tmp_path) as s, sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, timeout=WAIT,
                                     args=["--no-sandbox"] if os.geteuid() == 0 else [])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.goto(s.url, timeout=WAIT)
            page.wait_for_selector("body[data-version='1']", timeout=WAIT)
            assert page.eval_on_selector(".page img", "i => i.complete && i.naturalWidth") > 0
            # the seed page's warnings (碎栏, 孤行): as many as paiban check finds
            from layout.checks.report import Settings
            from layout.pipeline import check_issue
            n = len(check_issue(s.issue, Settings()).findings())
            assert page.inner_text("#count") == f"{n} finding{'s' if n != 1 else ''}"
            assert ("green" in page.get_attribute("#light", "class")) == (n == 0)

            # the overlay against the PDF the server built
            pdf = page.request.get(f"{s.origin}/issue.pdf").body()
            issue = load_issue(s.issue)
            boxes = _boxes(page)
            with pdfplumber.open(io.BytesIO(pdf)) as doc:
                p0 = doc.pages[0]
                for art in issue.pages[0].articles:
                    head = art.deck.headline.replace(" ", "")[:4]
                    # the headline: the largest setting of its first characters
                    hit = max(p0.search(head), key=lambda m: m["chars"][0]["size"])
                    where = (hit["x0"], hit["top"], hit["x1"], hit["bottom"])
                    homes = [k for k, b in boxes.items() if _inside(where, b)]
                    assert homes == [art.id], (art.id, where, boxes)
                ad = issue.pages[0].ads[0]
                art_img = max(p0.images, key=lambda i: i["width"] * i["height"])
                assert _inside((art_img["x0"], art_img["top"], art_img["x1"], art_img["bottom"]),
                               boxes[ad.id])

            # a click on an article: its file:line
            page.click(".module[data-id='lishi-wenhua']")
            page.wait_for_function("document.getElementById('where').dataset.where", timeout=WAIT)
            assert page.get_attribute("#where", "data-where") == \
                f"i.yaml:{line_of(s.text, '- id: lishi-wenhua')}"

            # zoom and scroll, then a save that overflows an article
            page.click("#zoomin")
            zoom = page.inner_text("#zoom")
            page.evaluate("() => window.scrollTo(0, 300)")
            t0 = time.monotonic()
            s.save(overflowing(s.text))
            page.wait_for_selector("body[data-version='2']", timeout=WAIT)
            seconds = time.monotonic() - t0
            print(f"save to page in the browser: {seconds:.2f} s")
            assert page.inner_text("#zoom") == zoom
            assert page.evaluate("() => window.scrollY") == 300
            n2 = len(check_issue(s.issue, Settings()).findings())
            assert n2 > n and page.inner_text("#count") == f"{n2} findings"    # the overflow
            assert "red" in page.get_attribute("#light", "class")
            mark = page.eval_on_selector(".finding.kind-overflow", """r => {
                const b = r.getBoundingClientRect();
                const m = document.querySelector(".module[data-id='baojiaolou']").getBoundingClientRect();
                return [b.left - m.left, b.top - m.top, b.width - m.width, b.height - m.height];
            }""")
            assert all(abs(v) < 1 for v in mark), mark       # drawn on the article's module
            row = page.locator("#findings details[data-kind='overflow'] .row")
            assert row.count() == 1 and "baojiaolou" in row.inner_text()
            row.click()
            assert "selected" in page.get_attribute(".module[data-id='baojiaolou']", "class")
            assert page.get_attribute("#where", "data-where") == \
                f"i.yaml:{line_of(s.text, '- id: baojiaolou')}"
            page.uncheck("#kinds input[data-kind='overflow']")
            assert not page.is_visible(".finding.kind-overflow")

            # a broken save: the located error as a banner, the pages stay
            s.save(s.text.replace("paper: ", "paper: [", 1))
            page.wait_for_selector("#banner:not([hidden])", timeout=WAIT)
            assert "i.yaml" in page.inner_text("#banner")
            assert page.get_attribute("body", "data-version") == "2"
            assert page.eval_on_selector(".page img", "i => i.naturalWidth") > 0
        finally:
            browser.close()
