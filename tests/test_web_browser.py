"""`flashcards serve` in a real browser: Playwright drives the system Chromium against the
server started by the command itself, on a free loopback port. Every grade given on the
page is read back from the database; screenshots at desktop and phone width are checked
for anything cut off."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import REPO, TODAY, Cli, ok, write
from occlusion_decks import write_diagram_deck

playwright_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="SKIPPED: chromium is not installed (.ci/run installs it with apt-get)"
)
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--headless=new",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
WRIST = "deck: Anatomy::Wrist\nid: wrist\ncards:\n" + "".join(
    f"  - id: w{i}\n    q: Which carpal bone is number {i}?\n    a: Bone number {i}\n"
    for i in range(5)
)


class Server:
    def __init__(self, db: Path, user: str) -> None:
        env = {**os.environ, "PYTHONPATH": f"{REPO}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flashcards", "--db", str(db), "--user", user,
             "--today", str(TODAY), "serve", "--port", "0", "--no-browser"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=REPO,
        )  # fmt: skip
        assert self.process.stdout is not None
        self.url = self.process.stdout.readline().strip()
        assert self.url.startswith("http://127.0.0.1:"), self.process.stderr.read()

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=20)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with playwright_api.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "flashcards.db"
    cli = Cli(f"sqlite:///{path}")
    ok(cli("import", str(write(tmp_path / "decks" / "wrist.yaml", WRIST))))
    ok(cli("import", str(write_diagram_deck(tmp_path / "decks" / "hip"))))
    return path


@pytest.fixture
def serve(db: Path) -> Iterator[Any]:
    servers: list[Server] = []

    def start(user: str = "ana") -> Server:
        servers.append(Server(db, user))
        return servers[-1]

    yield start
    for server in servers:
        server.stop()


def grades(db: Path, user: str) -> list[tuple[str, int, str]]:
    """(question, grade, mode) of each answer that stands, in order."""
    rows = sqlite3.connect(db).execute(
        "SELECT notes.front, reviews.quality, reviews.mode FROM reviews "
        "JOIN users ON users.id = reviews.user_id JOIN cards ON cards.id = reviews.card_id "
        "JOIN notes ON notes.id = cards.note_id WHERE users.name = ? AND reviews.kind != 'undo' "
        "AND reviews.id NOT IN (SELECT undoes_id FROM reviews WHERE undoes_id IS NOT NULL) "
        "ORDER BY reviews.id",
        (user,),
    )
    return [(q, g, m) for q, g, m in rows]


def press(page: Any, key: str) -> None:
    """A key that moves to another page, waited for."""
    with page.expect_navigation():
        page.keyboard.press(key)


def tap(locator: Any) -> None:
    with locator.page.expect_navigation():
        locator.tap()


def open_deck(page: Any, server: Server, deck: str, button: str = "Review") -> None:
    page.goto(server.url)
    row = page.locator(f'li.deck[data-deck="{deck}"]')
    row.get_by_role("button", name=button, exact=True).click()
    page.wait_for_selector(".question")  # the POST's redirect landed


def nothing_cut_off(page: Any) -> list[str]:
    """Visible elements whose right edge passes the viewport, and any horizontal scroll."""
    return list(
        page.evaluate(
            """() => {
        const width = document.documentElement.clientWidth;
        const found = [];
        if (document.documentElement.scrollWidth > width) found.push("horizontal scroll");
        for (const el of document.querySelectorAll("body *")) {
            const box = el.getBoundingClientRect();
            if (box.width && box.height && box.right > width + 0.5)
                found.push(el.tagName + "." + el.className + " ends at " + box.right);
        }
        return found;
    }"""
        )
    )


def keep(page: Any, tmp_path: Path, name: str) -> Path:
    """A full-page screenshot (also copied to $FLASHCARDS_SCREENSHOTS when set)."""
    shot = tmp_path / f"{name}.png"
    page.screenshot(path=str(shot), full_page=True)
    folder = os.environ.get("FLASHCARDS_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        shutil.copy(shot, Path(folder) / shot.name)
    return shot


def test_a_review_of_five_cards_by_keyboard(browser: Any, serve: Any, db: Path) -> None:
    server = serve()
    page = browser.new_page(viewport=DESKTOP)
    open_deck(page, server, "Anatomy::Wrist")
    asked = []
    for grade in "54545":
        question = page.inner_text(".question")
        asked.append(question)
        assert not page.locator(".answer-text").count()
        press(page, "Space")
        assert page.inner_text(".answer-text") == question.replace(
            "Which carpal bone is number", "Bone number"
        ).rstrip("?")
        press(page, grade)
    assert "5 answer(s) — 5 new" in page.inner_text("#summary")
    assert grades(db, "ana") == [(q, int(g), "flip") for q, g in zip(asked, "54545", strict=True)]
    press(page, "q")
    assert page.locator("li.deck").count() >= 2


def test_a_review_by_tap_on_a_phone_with_an_undo(browser: Any, serve: Any, db: Path) -> None:
    server = serve("ben")
    page = browser.new_page(viewport=PHONE, has_touch=True, is_mobile=True)
    open_deck(page, server, "Anatomy::Wrist")
    asked = []
    for n, grade in enumerate("45454"):
        question = page.inner_text(".question")
        tap(page.get_by_role("link", name="Show answer"))
        tap(page.locator(f'button[name="quality"][value="{grade}"]'))
        if n == 2:  # take the third grade back: the same card is asked again
            tap(page.get_by_role("button", name="Undo"))
            assert "Took back the last grade" in page.inner_text(".flash")
            assert page.inner_text(".question") == question
            tap(page.get_by_role("link", name="Show answer"))
            tap(page.locator('button[name="quality"][value="5"]'))
            grade = "5"
        asked.append((question, int(grade), "flip"))
    assert page.locator("#summary").count() == 1
    assert grades(db, "ben") == asked
    undone = sqlite3.connect(db).execute("SELECT count(*) FROM reviews WHERE kind = 'undo'")
    assert undone.fetchone() == (1,)
    assert grades(db, "ana") == []


def test_a_diagram_card_marks_the_asked_shape_and_shows_the_label(
    browser: Any, serve: Any, db: Path, tmp_path: Path
) -> None:
    server = serve("cleo")
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = browser.new_page(viewport=viewport)
        open_deck(page, server, "Anatomy::Hip::Diagrams")
        if "which structure is marked" not in page.inner_text(".question"):
            press(page, "Space")  # the structure's own fact comes first
            press(page, "5")
        assert page.locator(".diagram svg .asked").count() == 1
        assert page.locator(".diagram svg .other").count() == 0  # hide-one: the rest shown
        assert page.evaluate("document.querySelector('.diagram img').naturalWidth") == 600
        box = page.locator(".diagram svg .asked").bounding_box()
        image = page.locator(".diagram img").bounding_box()
        assert box["width"] > 0 and box["x"] >= image["x"] and box["y"] >= image["y"]
        assert nothing_cut_off(page) == []
        keep(page, tmp_path, f"occlusion-question-{name}")
        press(page, "Enter")
        label = page.inner_text(".answer-text")
        assert label in ("Obturator internus", "Quadratus femoris", "Piriformis")
        assert page.locator(".diagram svg .asked.answer").count() == 1
        assert nothing_cut_off(page) == []
        keep(page, tmp_path, f"occlusion-answer-{name}")
        press(page, "q")
    answered = grades(db, "cleo")
    assert [g for _, g, _ in answered] == [5] and "innervates" in answered[0][0]


def test_a_piriformis_label_shows_the_muscles_other_facts(
    browser: Any, serve: Any, tmp_path: Path, db: Path
) -> None:
    server = serve("dan")
    page = browser.new_page(viewport=DESKTOP)
    open_deck(page, server, "Anatomy::Hip::Diagrams")
    for _ in range(4):
        press(page, "Space")
        if page.inner_text(".answer-text") == "Piriformis":
            break
        press(page, "5")
    assert page.inner_text(".answer-text") == "Piriformis"
    assert "Nerve to piriformis (S1–S2)" in page.inner_text(".facts")


def test_hide_all_masks_every_other_shape(browser: Any, serve: Any, tmp_path: Path) -> None:
    path = write_diagram_deck(tmp_path / "all", mode="hide-all")
    path.write_text(path.read_text().replace("hip-diagrams", "hip-all").replace("Hip::", "Knee::"))
    ok(Cli(f"sqlite:///{tmp_path / 'flashcards.db'}")("import", str(path)))
    server = serve("eve")
    page = browser.new_page(viewport=DESKTOP)
    open_deck(page, server, "Anatomy::Knee::Diagrams")
    while "which structure is marked" not in page.inner_text(".question"):
        press(page, "Space")
        press(page, "5")
    assert page.locator(".diagram svg .asked").count() == 1
    assert page.locator(".diagram svg .other").count() == 2


def test_a_typed_answer_shows_the_graders_suggestion_and_diff(
    browser: Any, serve: Any, db: Path, tmp_path: Path
) -> None:
    server = serve("fay")
    for viewport, name in ((PHONE, "phone"), (DESKTOP, "desktop")):
        page = browser.new_page(viewport=viewport)
        open_deck(page, server, "Anatomy::Wrist", button="Typed")
        question = page.inner_text(".question")
        number = question.rsplit(" ", 1)[1].rstrip("?")
        page.fill("#typed", f"Bone nmber {number}")  # a slip
        with page.expect_navigation():
            page.keyboard.press("Enter")
        suggested = int(page.inner_text("#suggested b"))
        assert page.locator("#diff .missing").count() + page.locator("#diff .extra").count()
        assert page.locator("button.grade.suggested").count() == 1
        assert nothing_cut_off(page) == []
        keep(page, tmp_path, f"typed-{name}")
        press(page, "Enter")  # accepts the suggested grade
        assert grades(db, "fay")[-1] == (question, suggested, "typed")
        typed = sqlite3.connect(db).execute("SELECT typed_answer FROM reviews ORDER BY id DESC")
        assert typed.fetchone() == (f"Bone nmber {number}",)


def test_a_multiple_choice_quiz_of_diagram_labels(
    browser: Any, serve: Any, db: Path, tmp_path: Path
) -> None:
    server = serve("gus")
    page = browser.new_page(viewport=PHONE, has_touch=True)
    page.goto(server.url)
    tap(page.locator("nav.sitebar a", has_text="Quiz"))
    page.select_option("#deck", "Anatomy::Hip::Diagrams")
    page.fill("#count", "3")
    tap(page.get_by_role("button", name="Start"))
    for _ in range(3):
        assert page.locator(".diagram svg .asked").count() == 1
        assert page.locator(".options button").count() == 3  # the diagram's labels
        assert nothing_cut_off(page) == []
        press(page, "1")
    assert page.locator("h1", has_text="Score").count() == 1
    rows = sqlite3.connect(db).execute(
        "SELECT reviews.kind, reviews.mode FROM reviews JOIN users ON users.id = user_id "
        "WHERE users.name = 'gus'"
    )
    assert rows.fetchall() == [("quiz", "mc")] * 3
    assert sqlite3.connect(db).execute("SELECT count(*) FROM card_states").fetchone() == (0,)


def test_pages_fit_a_desktop_and_a_phone(
    browser: Any, serve: Any, db: Path, tmp_path: Path
) -> None:
    cli = Cli(f"sqlite:///{db}")
    ok(cli("review", "Anatomy::Wrist", input="\n5\n\n4\n\n5\n\n3\n\n4\n\n4\n", user="hal"))
    server = serve("hal")
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = browser.new_page(viewport=viewport)
        for path, shot in (("", "decks"), ("stats", "stats")):
            page.goto(server.url + path)
            assert nothing_cut_off(page) == [], (shot, nothing_cut_off(page))
            keep(page, tmp_path, f"{shot}-{name}")
        open_deck(page, server, "Anatomy::Hip::Diagrams")
        assert nothing_cut_off(page) == []
        keep(page, tmp_path, f"review-{name}")
        page.keyboard.press("Space")
        page.wait_for_selector(".grades")
        assert nothing_cut_off(page) == []
        buttons = page.locator("button.grade")
        assert buttons.count() == 6
        for i in range(6):  # every grade is a tap target of a finger's size, on screen
            box = buttons.nth(i).bounding_box()
            assert box["height"] >= 44 and box["x"] + box["width"] <= viewport["width"]
        keep(page, tmp_path, f"review-answer-{name}")
