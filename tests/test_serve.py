"""`paiban serve` without a browser (issue 18): the HTTP and WebSocket guards (Host, Origin,
token), the build / error / reveal messages, a reconnect with `hello`, images keyed by content,
and the engine serve hosts. Every server a test starts is stopped by it (tests/servekit.py)."""
from __future__ import annotations

import http.client
import json
import os
import subprocess
import sys
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
from websockets.exceptions import InvalidStatus  # noqa: E402
from websockets.sync.client import connect  # noqa: E402

from servekit import EXAMPLE, Served, line_of, overflowing  # noqa: E402

TIMEOUT = 120


def _http(s: Served, path: str, headers: dict | None = None, host: str | None = None):
    c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
    h = dict(headers or {})
    if host:
        h["Host"] = host
    c.request("GET", path, headers=h)
    r = c.getresponse()
    body = r.read()
    c.close()
    return r.status, dict(r.getheaders()), body


def _ws(s: Served, origin: str | None = None, cookie: bool = True):
    return connect(f"ws://127.0.0.1:{s.port}/ws", origin=origin or s.origin,
                   additional_headers=s.headers() if cookie else None, open_timeout=30)


def _next(ws, kind: str, timeout: float = TIMEOUT) -> dict:
    end = time.monotonic() + timeout
    while True:
        msg = json.loads(ws.recv(timeout=max(0.1, end - time.monotonic())))
        if msg["type"] == kind:
            return msg
        assert time.monotonic() < end, f"no {kind} message"


def _quiet(ws, seconds: float = 1.0) -> list:
    got = []
    try:
        while True:
            got.append(json.loads(ws.recv(timeout=seconds)))
    except TimeoutError:
        return got


def test_http_needs_this_host_and_the_token(tmp_path):
    with Served(tmp_path) as s:
        assert _http(s, "/")[0] == 403
        assert _http(s, "/?token=wrong")[0] == 403
        status, headers, _ = _http(s, f"/?token={s.token}")
        assert status == 303 and "HttpOnly" in headers["set-cookie"]
        assert "SameSite=Strict" in headers["set-cookie"]
        assert _http(s, "/", s.headers())[0] == 200
        # DNS rebinding: the right cookie, another name for the server
        assert _http(s, "/", s.headers(), host=f"evil.example:{s.port}")[0] == 403
        assert _http(s, f"/?token={s.token}", host=f"evil.example:{s.port}")[0] == 403
        status, _, body = _http(s, "/static/app.js", s.headers())
        assert status == 200 and b"WebSocket" in body
        assert _http(s, "/static/app.js")[0] == 403
        assert _http(s, "/img/../../i.yaml", s.headers())[0] == 404


def test_websocket_refuses_a_foreign_origin_or_host(tmp_path):
    with Served(tmp_path) as s:
        for origin in ("http://evil.example", f"http://127.0.0.1:{s.port + 1}",
                       f"https://127.0.0.1:{s.port}"):
            with pytest.raises(InvalidStatus) as e:
                _ws(s, origin)
            assert e.value.response.status_code == 403
        with pytest.raises(InvalidStatus):
            _ws(s, cookie=False)
        # the right Origin, a foreign Host
        c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=30)
        c.request("GET", "/ws", headers={
            "Host": f"evil.example:{s.port}", "Origin": s.origin, "Upgrade": "websocket",
            "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==", **s.headers()})
        assert c.getresponse().status == 403
        c.close()
        with _ws(s) as ws:                       # and the right one is let in
            ws.send(json.dumps({"type": "hello", "version": 0}))
            assert _next(ws, "build")["version"] == 1


def test_build_error_reveal_and_reconnect(tmp_path):
    with Served(tmp_path) as s:
        with _ws(s) as ws:
            ws.send(json.dumps({"type": "hello", "version": 0}))
            first = _next(ws, "build")
            [page] = first["pages"]
            ids = [m["id"] for m in page["modules"]]
            assert ids == ["wanggehua", "shangpinfang", "lishi-wenhua", "baojiaolou", "gongyi"]
            bao = page["modules"][3]
            assert (bao["file"], bao["line"]) == ("i.yaml", line_of(s.text, "- id: baojiaolou"))
            # what paiban check finds on the seed page (its 碎栏 and 孤行 warnings), no more
            from layout.checks.report import Settings
            from layout.pipeline import check_issue
            want = sorted(f.kind for f in check_issue(s.issue, Settings()).findings())
            assert first["count"] == len(want)
            assert sorted(f["kind"] for f in page["findings"]) == want
            status, headers, jpeg = _http(s, page["image"], s.headers())
            assert status == 200 and headers["content-type"] == "image/jpeg"
            assert jpeg[:3] == b"\xff\xd8\xff"
            from PIL import Image
            import io
            img = Image.open(io.BytesIO(jpeg))
            assert abs(img.width - page["media"][0] * 96 / 72) <= 1

            # a broken edit: the located error; the pages stay (no build message)
            broken = s.text.replace("        headline: 高效统筹", "        headline: [高效统筹", 1)
            s.save(broken)
            err = _next(ws, "error")
            assert err["file"] == "i.yaml"
            assert err["line"] == line_of(broken, "headline: [高效统筹") or err["line"] > 0
            assert "error" in err["message"] and err["version"] == 1

            # the article made to overflow: a finding on its module, its file:line
            s.save(overflowing(s.text))
            second = _next(ws, "build")
            assert second["version"] == 2 and second["count"] >= 1
            [page2] = second["pages"]
            over = [f for f in page2["findings"] if f["kind"] == "overflow"]
            assert [f["id"] for f in over] == ["baojiaolou"]
            assert over[0]["severity"] == "error" and "超" in over[0]["message"]
            box = next(m["box"] for m in page2["modules"] if m["id"] == "baojiaolou")
            assert over[0]["box"] == box and box[3] < bao["box"][3]
            assert over[0]["line"] == line_of(s.text, "- id: baojiaolou")

            # select: where the article is; anything else is not answered
            ws.send(json.dumps({"type": "select", "page": 0, "id": "shangpinfang"}))
            rev = _next(ws, "reveal")
            assert (rev["id"], rev["file"], rev["line"]) == (
                "shangpinfang", "i.yaml", line_of(s.text, "- id: shangpinfang"))
            for bad in ({"type": "select", "page": 0, "id": "/etc/passwd"},
                        {"type": "select", "page": 9, "id": "gongyi"},
                        {"type": "select", "page": "0", "id": "gongyi"},
                        {"type": "build", "file": "/etc/passwd"}, [1, 2], "x"):
                ws.send(json.dumps(bad))
            ws.send("not json")
            assert _quiet(ws) == []
        # reconnect: the version it shows is current, nothing is sent again
        with _ws(s) as ws:
            ws.send(json.dumps({"type": "hello", "version": 2}))
            assert _quiet(ws) == []
        with _ws(s) as ws:                     # an older version gets the current build
            ws.send(json.dumps({"type": "hello", "version": 1}))
            msg = _next(ws, "build")
            assert msg["version"] == 2 and msg["pages"][0]["image"] == page2["image"]
        # a broken file while nobody watches: a new browser gets the pages and the error
        s.save(broken)
        s.wait_for("error", 60)
        with _ws(s) as ws:
            ws.send(json.dumps({"type": "hello", "version": 0}))
            got = [_next(ws, "build"), _next(ws, "error")]
            assert got[0]["version"] == 2 and got[1]["file"] == "i.yaml"


def test_only_changed_pages_get_new_images(tmp_path):
    with Served(tmp_path, EXAMPLE) as s:
        with _ws(s) as ws:
            ws.send(json.dumps({"type": "hello", "version": 0}))
            before = [p["image"] for p in _next(ws, "build")["pages"]]
            assert len(set(before)) == 4
            s.save(s.text.replace("headline: 区第五届全民健身运动会开幕",
                                  "headline: 区第五届全民健身运动会隆重开幕", 1))
            after = [p["image"] for p in _next(ws, "build")["pages"]]
        changed = [i for i in range(4) if before[i] != after[i]]
        assert changed == [2]                    # 第3版 only


def _engine_status(env) -> int:
    return subprocess.run([sys.executable, "-m", "layout", "daemon", "status"], env=env,
                          capture_output=True, timeout=60).returncode


def test_serve_hosts_an_engine_while_it_runs(tmp_path):
    with Served(tmp_path, engine=True) as s:
        env = dict(s.env)
        end = time.monotonic() + 60
        while _engine_status(env) != 0 and time.monotonic() < end:
            time.sleep(0.2)
        r = subprocess.run([sys.executable, "-m", "layout", "daemon", "status"], env=env,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode == 0 and "hosted by serve/watch" in r.stdout
        out = tmp_path / "b.pdf"
        r = subprocess.run([sys.executable, "-m", "layout", "build", str(s.issue), "-o", str(out)],
                           env=env, capture_output=True, text=True, timeout=120)
        assert r.returncode == 0 and out.stat().st_size > 0
    end = time.monotonic() + 30
    while _engine_status(env) == 0 and time.monotonic() < end:
        time.sleep(0.2)
    assert _engine_status(env) == 1
    assert not list((tmp_path / "run").glob("engine-*.sock"))
    assert os.path.isdir(tmp_path / "run")


def test_layout_document_places_findings_on_their_photo(seed_pdf, seed_issue):
    """A finding that names a photo (by file, or by its number in the article) is drawn on
    that photo's frame; one without a place is drawn on its article's module."""
    from layout.build import compose
    from layout.checks.report import Settings, analyse_page, finding
    from layout.serve.layoutdoc import layout_document
    from servekit import SEED

    issue, pages = compose(SEED)
    results = [analyse_page(cp, Settings(min_ppi=200)) for cp in pages]
    item = next(i for i in results[0].items if i.id == "wanggehua")
    photo = next(p for p in pages[0].pictures if p.article == "wanggehua")
    frame = [round(photo.x, 2), round(photo.y, 2), round(photo.width, 2), round(photo.height, 2)]
    item.findings += [finding("low-resolution", "x", item.source, {"photo": str(photo.path)}),
                      # (main's short-strip findings name the photo by its number)
                      finding("headline", "y", item.source, {"photo": 1}),
                      finding("underfull", "z", item.source, {"lines": 5})]
    size = (pages[0].width, pages[0].height)
    doc = layout_document(issue, pages, results, [(size, (0.0, 0.0))])
    added = ("low-resolution", "headline", "underfull")
    found = {f["kind"]: f["box"] for f in doc["pages"][0]["findings"] if f["kind"] in added}
    module = next(m["box"] for m in doc["pages"][0]["modules"] if m["id"] == "wanggehua")
    assert found == {"low-resolution": frame, "headline": frame, "underfull": module}
