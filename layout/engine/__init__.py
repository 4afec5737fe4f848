"""The warm engine: a process that has imported and warmed the pipeline once and runs `build` and
`check` for `paiban` clients (layout/client.py), each in a forked worker.

- host.py: the engine process — the socket, the state file, one forked worker per request.
- control.py: start, status and stop (`paiban daemon`), and the engine `serve`/`watch` host.

Why a fork per request: the worker starts from the warmed process (imports, fonts, the code
paths a build takes already run) yet nothing one command does — globals, cwd, environment,
reportlab or pikepdf objects, signal handlers — reaches the next one or the engine, and a worker
that fails or is killed leaves the engine serving.
"""
