"""`paiban serve ISSUE.yaml`: build the issue on every save and show it in the browser.

One process: uvicorn serves a starlette app on 127.0.0.1 (a free port unless told), watchfiles
watches the folders of the files the last build read (editors save by rename: a folder watch
sees that, a file watch may not), and each build runs in a thread of this warm process. The
browser gets small JSON messages on one WebSocket: `build` (the layout document with its page
images' URLs) and `error` (the located message; the last good pages stay), and `reveal` in
answer to its `select`; it sends `hello` with the last version it shows.

Security (it is a local server, but a browser visits other sites too): loopback only; every
request must name this server in Host (no DNS rebinding); a WebSocket must come from this
server's own Origin; a random token, printed in the URL once, becomes a same-site cookie without
which nothing is served (another user of the machine cannot read the pages); nothing from the
browser is a path or a command — `select` names a page index and an article id, looked up in
the last layout document.
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import secrets
import shutil
import socket
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

STATIC = Path(__file__).resolve().parent / "static"
COOKIE = "paiban_token"
KEEP_BUILDS = 3            # page images of this many builds stay servable (a slow browser)
MAX_MESSAGE = 1 << 16      # bytes: the browser's messages are tiny


class Proof:
    """The served issue: the last good build (layout document, PDF, page images), the last
    error, and the files to watch."""

    def __init__(self, issue_file: Path, *, output: Path | None = None, dpi: float = 96,
                 jobs: int = 1, echo: Callable[[str], None] = print):
        self.issue_file, self.output, self.dpi, self.jobs = Path(issue_file), output, dpi, jobs
        self.echo = echo
        self.version = 0
        self.doc: dict | None = None
        self.error: dict | None = None
        self.pdf = b""
        self.images: dict[str, bytes] = {}
        self._recent: list[set[str]] = []
        self.watched: set[Path] = {self.issue_file.resolve()}
        self.seen: dict = {}
        self.lock = threading.Lock()
        self.tmp = Path(tempfile.mkdtemp(prefix="paiban-serve-"))    # 0700

    def close(self) -> None:
        shutil.rmtree(self.tmp, ignore_errors=True)

    def changed(self) -> bool:
        """Whether a watched file differs from what the last build found (a save between the
        build and the start of the folder watch is caught this way)."""
        return _stat(self.watched) != self.seen

    def build(self) -> dict:
        """Build once; the message for the browser (`build` or `error`)."""
        with self.lock:
            before = _stat(self.watched | {self.issue_file.resolve()})   # as this build finds them
            t0 = time.perf_counter()
            try:
                msg = self._build()
            except Exception as e:        # noqa: BLE001 — a bug is shown, the server lives on
                msg = self._failed(e)
            if msg["type"] == "build":
                self.echo(f"[{time.strftime('%H:%M:%S')}] build {self.version} in "
                          f"{time.perf_counter() - t0:.2f} s: {msg['count']} finding"
                          f"{'s' if msg['count'] != 1 else ''}")
            else:
                self.echo(msg["message"])
                self.echo("  (the last good pages stay in the browser; waiting for a change)")
            now = _stat(self.watched)        # files found by this build are taken as they are
            self.seen = {p: before.get(p, now[p]) for p in now}
            return msg

    def _build(self) -> dict:
        from ..build import build_issue, compose, inputs, print_settings
        from ..checks.report import MIN_PPI, Settings, analyse_page
        from .layoutdoc import layout_document
        from .render import render_framed

        t0 = time.perf_counter()
        issue, pages = compose(self.issue_file, self.jobs)
        printing = print_settings(issue)
        self.watched = {Path(p).resolve() for p, _, _ in inputs(issue, printing)}
        target = self.output or self.tmp / "proof.pdf"
        # the build's own PDF/X preflight guards files for the plant: run when one is written
        build_issue(self.issue_file, target, composed=(issue, pages),
                    preflight=self.output is not None)
        pdf = target.read_bytes()
        settings = Settings(min_ppi=printing.min_ppi or MIN_PPI)
        results = [analyse_page(cp, settings) for cp in pages]
        rendered = render_framed(pdf, self.dpi, "JPEG", light=True)
        doc = layout_document(issue, pages, results, [(m, o) for _, m, o in rendered])
        names = set()
        for page, (data, _, _) in zip(doc["pages"], rendered):
            name = hashlib.sha256(data).hexdigest()[:24] + ".jpg"
            self.images[name] = data
            names.add(name)
            page["image"] = f"/img/{name}"
        self._recent = (self._recent + [names])[-KEEP_BUILDS:]
        keep = set().union(*self._recent)
        self.images = {k: v for k, v in self.images.items() if k in keep}
        self.version += 1
        self.pdf, self.error = pdf, None
        count = sum(len(p["findings"]) for p in doc["pages"])
        self.doc = dict(doc, type="build", version=self.version, count=count,
                        file=self.issue_file.name, ms=round((time.perf_counter() - t0) * 1000))
        return self.doc

    def _failed(self, e: Exception) -> dict:
        from ..errors import PaibanError, os_error
        from .layoutdoc import where

        err = os_error(e) if isinstance(e, OSError) else e
        if isinstance(err, PaibanError):
            text, loc = str(err), err.where
        else:
            text, loc = (f"paiban: internal error: {type(e).__name__}: {e} (a bug in paiban, not "
                         "in your file; please report it)"), None
        self.watched.add(self.issue_file.resolve())
        self.error = {"type": "error", "message": text, "version": self.version,
                      **where(loc, self.issue_file, self.issue_file.resolve().parent)}
        return self.error

    def reveal(self, msg: dict) -> dict | None:
        """The answer to `select`: where the selected article is in the issue file."""
        doc, page, ident = self.doc, msg.get("page"), msg.get("id")
        if doc is None or not isinstance(page, int) or not isinstance(ident, str):
            return None
        if not 0 <= page < len(doc["pages"]):
            return None
        for m in doc["pages"][page]["modules"]:
            if m["id"] == ident:
                return {"type": "reveal", "page": page, "id": ident, "file": m["file"],
                        "line": m["line"], "column": m["column"]}
        return None


def _stat(paths) -> dict:
    out = {}
    for p in paths:
        try:
            st = p.stat()
            out[p] = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            out[p] = None
    return out


class Guard:
    """ASGI middleware: Host must name this server, a WebSocket's Origin must be this server,
    and the token (query once, then a cookie) must be shown."""

    def __init__(self, app, port: int, token: str):
        self.app, self.token = app, token
        self.hosts = {f"127.0.0.1:{port}", f"localhost:{port}"}
        self.origins = {f"http://{h}" for h in self.hosts}

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        ok = headers.get("host") in self.hosts
        if scope["type"] == "websocket":
            ok = ok and headers.get("origin") in self.origins
        if ok and not self._has_token(headers):
            query = scope.get("query_string", b"").decode("latin-1")
            given = dict(p.split("=", 1) for p in query.split("&") if "=" in p).get("token", "")
            if scope["type"] == "http" and scope["path"] == "/" and hmac.compare_digest(
                    given, self.token):
                return await self._login(send)
            ok = False
        if ok:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        await send({"type": "http.response.start", "status": 403,
                    "headers": [(b"content-type", b"text/plain; charset=utf-8")]})
        await send({"type": "http.response.body", "body": b"forbidden: open the URL paiban "
                    b"serve printed, on this machine\n"})

    def _has_token(self, headers: dict) -> bool:
        for part in headers.get("cookie", "").split(";"):
            name, _, value = part.strip().partition("=")
            if name == COOKIE and hmac.compare_digest(value, self.token):
                return True
        return False

    async def _login(self, send) -> None:
        cookie = f"{COOKIE}={self.token}; Path=/; HttpOnly; SameSite=Strict"
        await send({"type": "http.response.start", "status": 303,
                    "headers": [(b"location", b"/"), (b"set-cookie", cookie.encode()),
                                (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": b""})


def make_app(proof: Proof, port: int, token: str):
    from contextlib import asynccontextmanager

    from starlette.applications import Starlette
    from starlette.responses import FileResponse, Response
    from starlette.routing import Mount, Route, WebSocketRoute
    from starlette.staticfiles import StaticFiles
    from starlette.websockets import WebSocket, WebSocketDisconnect

    clients: set[WebSocket] = set()

    async def broadcast(msg: dict) -> None:
        text = json.dumps(msg, ensure_ascii=False)
        for ws in list(clients):
            try:
                await ws.send_text(text)
            except Exception:            # noqa: BLE001 — a closed tab; it reconnects
                clients.discard(ws)

    async def rebuild() -> None:
        msg = await asyncio.to_thread(proof.build)
        await broadcast(msg)

    async def watcher(stop: asyncio.Event) -> None:
        from watchfiles import awatch

        await rebuild()
        while not stop.is_set():
            watched = set(proof.watched)
            folders = sorted({str(p.parent) for p in watched if p.parent.is_dir()})
            if not folders:              # the issue's folder is gone: look again shortly
                await asyncio.sleep(0.5)
                continue
            async for changes in awatch(*folders, stop_event=stop, step=30, debounce=400,
                                        watch_filter=lambda _c, p: Path(p).resolve() in watched,
                                        recursive=False, rust_timeout=500,
                                        yield_on_timeout=True):
                if not changes and not proof.changed():
                    continue
                await rebuild()
                if proof.watched != watched:
                    break                # a new photo, a new printer file: watch its folder

    @asynccontextmanager
    async def lifespan(app):
        stop = asyncio.Event()
        task = asyncio.create_task(watcher(stop))
        try:
            yield
        finally:
            stop.set()
            task.cancel()
            try:
                await task
            except (asyncio.CancelledError, Exception):   # noqa: BLE001
                pass

    async def index(request):
        return FileResponse(STATIC / "index.html", headers={"cache-control": "no-store"})

    async def image(request):
        data = proof.images.get(request.path_params["name"])
        if data is None:
            return Response(status_code=404)
        return Response(data, media_type="image/jpeg",
                        headers={"cache-control": "private, max-age=31536000, immutable"})

    async def pdf(request):
        return Response(proof.pdf, media_type="application/pdf",
                        headers={"cache-control": "no-store"})

    async def ws_endpoint(ws: WebSocket):
        await ws.accept()
        clients.add(ws)
        try:
            while True:
                text = await ws.receive_text()
                try:
                    msg = json.loads(text) if len(text) <= MAX_MESSAGE else None
                except ValueError:
                    msg = None
                if not isinstance(msg, dict):
                    continue
                if msg.get("type") == "hello":
                    if proof.doc is not None and msg.get("version") != proof.version:
                        await ws.send_text(json.dumps(proof.doc, ensure_ascii=False))
                    if proof.error is not None:
                        await ws.send_text(json.dumps(proof.error, ensure_ascii=False))
                elif msg.get("type") == "select":
                    answer = proof.reveal(msg)
                    if answer is not None:
                        await ws.send_text(json.dumps(answer, ensure_ascii=False))
        except WebSocketDisconnect:
            pass
        finally:
            clients.discard(ws)

    app = Starlette(routes=[
        Route("/", index), Route("/img/{name}", image), Route("/issue.pdf", pdf),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        WebSocketRoute("/ws", ws_endpoint),
        Mount("/static", StaticFiles(directory=STATIC)),
    ], lifespan=lifespan)
    return Guard(app, port, token)


def serve(issue_file: Path, *, port: int = 0, output: Path | None = None, dpi: float = 96,
          jobs: int = 1, echo: Callable[[str], None] = print) -> None:
    """Serve the live proof of `issue_file` until interrupted."""
    import uvicorn

    from ..errors import PaibanError

    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port))
    except OSError as e:
        sock.close()
        raise PaibanError(f"cannot listen on 127.0.0.1:{port}: {e.strerror}",
                          hint="choose another --port, or 0 for a free one") from None
    port = sock.getsockname()[1]
    sock.listen(128)         # a browser opened at once waits in the backlog, not refused
    token = secrets.token_urlsafe(18)
    proof = Proof(issue_file, output=output, dpi=dpi, jobs=jobs, echo=echo)
    config = uvicorn.Config(make_app(proof, port, token), log_level="warning", ws="websockets-sansio",
                            ws_max_size=MAX_MESSAGE, lifespan="on", access_log=False)
    echo(f"serving {issue_file} at http://127.0.0.1:{port}/?token={token} (Ctrl-C to stop)")
    try:
        uvicorn.Server(config).run(sockets=[sock])
    finally:
        proof.close()
        sock.close()
