"""Run the web app under waitress (a production WSGI server in pure Python): print where,
open a browser, serve until Ctrl-C."""

from __future__ import annotations

import socket
import webbrowser
from collections.abc import Callable

from flashcards.errors import FlashcardsError
from flashcards.study.context import App
from flashcards.web.app import Guard, create_app, is_loopback

__all__ = ["serve"]

THREADS = 4


def _urls(guard: Guard, host: str, port: int) -> list[str]:
    query = f"?token={guard.token}" if guard.needs_token else ""
    names = ["127.0.0.1", socket.gethostname()] if host in ("0.0.0.0", "::", "") else [host]
    return [f"http://{f'[{n}]' if ':' in n else n}:{port}/{query}" for n in names]


def serve(
    app: App,
    host: str,
    port: int,
    *,
    open_browser: bool,
    announce: Callable[[str], None],
) -> None:
    """Serve ``app`` on ``host:port`` (port 0: any free port) until interrupted."""
    from waitress.server import create_server

    guard = Guard(host)
    web = create_app(app, guard)
    try:
        server = create_server(web, host=host, port=port, threads=THREADS, ident="flashcards")
    except OSError as exc:
        raise FlashcardsError(
            f"cannot listen on {host}:{port}: {exc.strerror or exc} (try another --port)"
        ) from exc
    urls = _urls(guard, host, int(server.effective_port))
    announce(urls[0] if len(urls) == 1 else f"{urls[0]}  (from another device: {urls[1]})")
    if not is_loopback(host):
        announce("Anyone on your network who has this link can study as you; Ctrl-C stops.")
    if open_browser:
        webbrowser.open(urls[0])
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
