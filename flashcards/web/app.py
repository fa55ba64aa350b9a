"""The Flask app: who may ask (the secret token off loopback), forms that cannot be forged
from another site, and the pages that are not a session (decks, stats, media).

Security, in order of each request:

- bound to a loopback address, a request must name a loopback host (``Host:``), so a web
  page that rebinds its own name to 127.0.0.1 gets nothing;
- bound anywhere else (a phone on the same network), every request needs the secret token
  the printed URL carries, given once as ``?token=`` and then kept in a same-site cookie;
  without it: 403;
- every POST carries the page's form token, and a POST another site started (its
  ``Origin`` not this host, or ``Sec-Fetch-Site: cross-site``) is refused: 403.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from flask import Flask, Response, abort, g, render_template, request

from flashcards.errors import FlashcardsError
from flashcards.study.context import App
from flashcards.web.context import APP_KEY

__all__ = ["Guard", "create_app", "is_loopback"]

TOKEN_COOKIE = "flashcards_token"
_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Guard:
    """The server's secrets: the token in its URL and the one in its forms."""

    bind_host: str
    token: str = field(default_factory=lambda: secrets.token_urlsafe(24))

    @property
    def needs_token(self) -> bool:
        return not is_loopback(self.bind_host)

    @property
    def form_token(self) -> str:
        return hmac.new(self.token.encode(), b"form", "sha256").hexdigest()

    def token_matches(self, given: str | None) -> bool:
        return bool(given) and hmac.compare_digest(str(given), self.token)


def _check_request(guard: Guard) -> None:
    host = urlsplit("//" + (request.host or "")).hostname or ""
    if guard.needs_token:
        given = request.args.get("token") or request.cookies.get(TOKEN_COOKIE)
        if not guard.token_matches(given):
            abort(403, "This page needs the link the server printed (with its ?token=…).")
        g.set_token_cookie = request.args.get("token") is not None
    elif not is_loopback(host):
        abort(403, "This server answers on its loopback address only.")
    if request.method == "POST":
        _check_form(guard)


def _check_form(guard: Guard) -> None:
    if request.headers.get("Sec-Fetch-Site") == "cross-site":
        abort(403, "A form from another site cannot act here.")
    origin = request.headers.get("Origin")
    if origin and origin != "null" and urlsplit(origin).netloc != request.host:
        abort(403, "A form from another site cannot act here.")
    given = request.form.get("csrf", "")
    if not hmac.compare_digest(given, guard.form_token):
        abort(403, "This form is out of date or comes from elsewhere: reload the page.")


def create_app(app: App, guard: Guard) -> Flask:
    """The web app over ``app``'s database and user."""
    app.engine  # opened once: every request's app shares it  # noqa: B018
    web = Flask(__name__)
    web.config[APP_KEY] = app
    web.config["FLASHCARDS_GUARD"] = guard
    web.config["MAX_CONTENT_LENGTH"] = 64 * 1024

    @web.before_request
    def check() -> None:
        _check_request(guard)

    @web.after_request
    def headers(response: Response) -> Response:
        response.headers.setdefault("Content-Security-Policy", _CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cache-Control", "no-store")
        if g.get("set_token_cookie"):
            response.set_cookie(TOKEN_COOKIE, guard.token, httponly=True, samesite="Strict")
        return response

    @web.context_processor
    def form_token() -> dict[str, Any]:
        return {"csrf": guard.form_token, "user": app.user_name}

    @web.errorhandler(FlashcardsError)
    def library_error(error: FlashcardsError) -> tuple[str, int]:
        return render_template("error.html", message=str(error)), 400

    @web.errorhandler(403)
    @web.errorhandler(404)
    def refused(error: Any) -> tuple[str, int]:
        return render_template("error.html", message=error.description), error.code

    from flashcards.web import pages, quizzing, reviewing

    for register in (pages.register, reviewing.register, quizzing.register):
        register(web)
    return web
