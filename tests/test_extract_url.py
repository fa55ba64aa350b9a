"""`flashcards extract URL`: pages fetched from a local HTTP server on 127.0.0.1 (never the
network): HTML read without its navigation, redirects followed but bounded, non-pages and
oversized pages refused, slow servers timed out, and a clear `Error:` when nothing answers."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import Cli

from flashcards.authoring.deckfile import load_deck
from flashcards.errors import FlashcardsError
from flashcards.extract import fetch
from flashcards.extract.fetch import fetch_page

CORPUS = Path(__file__).parent / "fixtures" / "extract" / "corpus"


class _Pages(BaseHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # quiet test output
        pass

    def _send(
        self, status: int, kind: str, body: bytes, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path == "/index.php/Iliacus_muscle":
            body = (CORPUS / "wikidoc-iliacus.html").read_bytes()
            self._send(200, "text/html; charset=utf-8", body)
        elif path == "/muscles-tendons/iliacus/":
            body = (CORPUS / "wheeless-iliacus.txt").read_text(encoding="utf-8")
            body = body.split("\n", 2)[2]  # the page itself, without the pasted Source line
            self._send(200, "text/plain; charset=utf-8", body.encode("utf-8"))
        elif path == "/old-address":
            self._send(301, "text/html", b"", {"Location": "/index.php/Iliacus_muscle"})
        elif path == "/loop":
            self._send(302, "text/html", b"", {"Location": "/loop"})
        elif path == "/chart.pdf":
            self._send(200, "application/pdf", b"%PDF-1.4 ...")
        elif path == "/huge":
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()  # no length given: the client must stop reading by itself
            chunk = b"<p>" + b"padding " * 8000 + b"</p>\n"
            try:
                for _ in range(200):  # about 13 MB, more than the cap
                    self.wfile.write(chunk)
            except (BrokenPipeError, ConnectionResetError):
                pass
        elif path == "/menu-only":  # a sidebar left open over everything, no <h1>
            body = b'<div class="sidebar"><p>Origin: vertebrae</p><p>Insertion: femur</p>'
            self._send(200, "text/html; charset=utf-8", body)
        elif path == "/slow":
            time.sleep(2)
            self._send(200, "text/html", b"<p>late</p>")
        else:
            self._send(404, "text/html", b"<h1>Not found</h1>")


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Pages)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nothing listens there once closed


def test_a_fetched_infobox_page_gives_its_muscle_fields_and_levels_without_its_chrome(
    run_sqlite: Cli, server: str
) -> None:
    result = run_sqlite("extract", f"{server}/index.php/Iliacus_muscle", "--json")
    assert result.exit_code == 0, result.output
    [iliacus] = json.loads(result.stdout)["structures"]
    assert iliacus["name"] == "Iliacus"
    fields = iliacus["fields"]
    assert set(fields) == {
        "origin",
        "insertion",
        "blood_supply",
        "innervation",
        "action",
        "antagonist",
    }
    assert fields["antagonist"] == "Gluteus maximus"  # no catalogue id, no advert
    assert "L2–L3" in fields["innervation"]
    assert iliacus["source"].startswith(f"{server}/index.php/Iliacus_muscle:")


def test_a_plain_text_page_is_named_by_its_address_and_redirects_are_followed(
    run_sqlite: Cli, server: str
) -> None:
    text = run_sqlite("extract", f"{server}/muscles-tendons/iliacus/", "--json")
    assert text.exit_code == 0, text.output
    [iliacus] = json.loads(text.stdout)["structures"]
    assert iliacus["name"] == "Iliacus" and "Femoral" in iliacus["fields"]["innervation"]
    moved = run_sqlite("extract", f"{server}/old-address", "--json")
    assert moved.exit_code == 0, moved.output
    assert [s["name"] for s in json.loads(moved.stdout)["structures"]] == ["Iliacus"]


def test_a_fetched_page_becomes_a_deck_that_lints_without_a_warning(
    run_sqlite: Cli, server: str, tmp_path: Path
) -> None:
    deck = tmp_path / "iliacus.yaml"
    result = run_sqlite("extract", f"{server}/index.php/Iliacus_muscle", "-o", str(deck))
    assert result.exit_code == 0, result.output
    assert f"{server}/index.php/Iliacus_muscle" in deck.read_text(encoding="utf-8")
    lint = run_sqlite("lint", str(deck))
    assert lint.exit_code == 0 and lint.stdout == "", lint.output
    loaded, problems = load_deck(deck)
    assert loaded is not None and problems == []
    assert loaded.name == "Extracted::Iliacus muscle"


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("/missing", "HTTP 404"),
        ("/chart.pdf", "not a web page (application/pdf)"),
        ("/loop", "more than 5 redirects"),
        ("/huge", "over 5 MB, not a page"),
        ("/menu-only", "/menu-only: all its text is in parts of a page that are left out"),
    ],
)
def test_what_is_not_a_page_is_refused_with_a_clear_error(
    run_sqlite: Cli, server: str, path: str, message: str, tmp_path: Path
) -> None:
    deck = tmp_path / "never.yaml"
    result = run_sqlite("extract", f"{server}{path}", "-o", str(deck))
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    assert "Traceback" not in result.output
    assert not deck.exists()


def test_a_slow_server_times_out(server: str) -> None:
    with pytest.raises(FlashcardsError, match=r"timed out after 0\.5 s"):
        fetch_page(f"{server}/slow", timeout=0.5)


def test_offline_the_command_says_so_and_writes_nothing(run_sqlite: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "never.yaml"
    url = f"http://127.0.0.1:{_closed_port()}/wiki/Iliacus_muscle"
    result = run_sqlite("extract", url, "-o", str(deck))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {url}: could not connect")
    assert "are you online?" in result.stderr and "Traceback" not in result.output
    assert not deck.exists()


def test_limits_are_those_the_docs_give() -> None:
    assert (fetch.MAX_REDIRECTS, fetch.TIMEOUT_SECONDS) == (5, 15.0)
