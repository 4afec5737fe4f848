"""`paiban serve`: a live proof in the browser (docs/serve.md).

- render.py: page images (pypdfium2), for the browser and for `build --png`.
- layoutdoc.py: the layout document the browser draws its overlay from (one adapter).
- app.py: the server (starlette + uvicorn), the watcher (watchfiles) and the WebSocket.
- static/: the page itself, plain HTML/JS/SVG.
"""
