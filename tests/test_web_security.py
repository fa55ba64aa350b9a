"""Who may use the review page: off loopback only holders of the printed link's token; no
form posted from another site acts; media never run as a page of ours."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, Cli, ok
from occlusion_decks import write_diagram_deck

from flashcards.study.context import App
from flashcards.web import Guard, create_app


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'flashcards.db'}"
    ok(Cli(url)("import", str(write_diagram_deck(tmp_path / "hip"))))
    return url


@pytest.fixture
def network(db: str) -> Iterator[tuple[Any, Guard]]:
    """The app as `serve --host 0.0.0.0` runs it."""
    app = App(db=db, user_name="ana", today_override=TODAY)
    guard = Guard("0.0.0.0")
    yield create_app(app, guard).test_client(), guard
    app.close()


@pytest.fixture
def loopback(db: str) -> Iterator[tuple[Any, Guard]]:
    app = App(db=db, user_name="ana", today_override=TODAY)
    guard = Guard("127.0.0.1")
    yield create_app(app, guard).test_client(), guard
    app.close()


def form_token(page: str) -> str:
    match = re.search(r'name="csrf" value="([0-9a-f]+)"', page)
    assert match, "no form token on the page"
    return match.group(1)


def test_off_loopback_a_request_without_the_token_is_refused(network: tuple[Any, Guard]) -> None:
    client, guard = network
    for path in ("/", "/stats", "/quiz"):
        response = client.get(path, base_url="http://192.168.1.20:8765")
        assert response.status_code == 403, path
        assert b"needs the link the server printed" in response.data
    assert client.get("/?token=wrong", base_url="http://192.168.1.20:8765").status_code == 403
    wrong = client.post(
        "/review", data={"csrf": guard.form_token}, base_url="http://192.168.1.20:8765"
    )
    assert wrong.status_code == 403


def test_the_printed_link_lets_a_phone_in_and_a_cookie_keeps_it_in(
    network: tuple[Any, Guard],
) -> None:
    client, guard = network
    base = "http://192.168.1.20:8765"
    first = client.get(f"/?token={guard.token}", base_url=base)
    assert first.status_code == 200 and b"Review every deck" in first.data
    cookie = first.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie
    assert client.get("/stats", base_url=base).status_code == 200  # the cookie carries it
    started = client.post("/review", data={"csrf": form_token(first.text)}, base_url=base)
    assert started.status_code == 303 and "/review/" in started.headers["Location"]


def test_a_cross_site_post_is_refused(loopback: tuple[Any, Guard]) -> None:
    client, _ = loopback
    token = form_token(client.get("/").text)
    evil = {"Origin": "http://evil.example"}
    attempts = [
        client.post("/review", data={"deck": ""}),  # no form token
        client.post("/review", data={"csrf": "0" * 64}),
        client.post("/review", data={"csrf": token}, headers=evil),
        client.post("/review", data={"csrf": token}, headers={"Sec-Fetch-Site": "cross-site"}),
    ]
    assert [r.status_code for r in attempts] == [403, 403, 403, 403]
    same_site = client.post("/review", data={"csrf": token}, headers={"Origin": "http://localhost"})
    assert same_site.status_code == 303


def test_loopback_answers_only_to_a_loopback_host_name(loopback: tuple[Any, Guard]) -> None:
    client, _ = loopback
    assert client.get("/", base_url="http://127.0.0.1:8765").status_code == 200
    assert client.get("/", base_url="http://localhost:8765").status_code == 200
    # A site whose name was made to point at 127.0.0.1 (DNS rebinding) gets nothing.
    assert client.get("/", base_url="http://rebound.example:8765").status_code == 403


def test_pages_load_nothing_from_another_host_and_media_run_no_script(
    loopback: tuple[Any, Guard],
) -> None:
    client, guard = loopback
    page = client.get("/")
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    assert not re.search(r'(?:src|href)="(?:https?:)?//', page.text)
    started = client.post("/review", data={"csrf": guard.form_token})
    card = client.get(started.headers["Location"])
    images = re.findall(r'src="(/media/[^"]+)"', card.text)
    if not images:  # the structure's fact comes first: show and grade it
        card_id = re.search(r'name="card" value="(\d+)"', card.text)
        assert card_id
        client.post(
            started.headers["Location"] + "/grade",
            data={"csrf": guard.form_token, "card": card_id.group(1), "quality": "5"},
        )
        card = client.get(started.headers["Location"])
        images = re.findall(r'src="(/media/[^"]+)"', card.text)
    media = client.get(images[0])
    assert media.status_code == 200 and media.mimetype == "image/svg+xml"
    assert "sandbox" in media.headers["Content-Security-Policy"]
    assert media.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get("/media/missing.png").status_code == 404


def test_a_stale_page_grades_nothing(loopback: tuple[Any, Guard], db: str) -> None:
    client, guard = loopback
    review = client.post("/review", data={"csrf": guard.form_token}).headers["Location"]
    client.get(review)
    stale = client.post(
        review + "/grade", data={"csrf": guard.form_token, "card": "999999", "quality": "5"}
    )
    assert stale.status_code == 303
    assert "out of date" in client.get(review).text
    assert "0 due now" in ok(Cli(db)("status"))


def test_serve_refuses_a_port_in_use(db: str) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = Cli(db)("serve", "--port", str(port), "--no-browser")
    assert result.exit_code == 1
    assert f"Error: cannot listen on 127.0.0.1:{port}" in result.output
