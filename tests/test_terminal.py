"""The interactive review session through a real terminal (tmux), keys typed one by one."""

from __future__ import annotations

import datetime as dt
import json
import os
import shlex
import shutil
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY, Cli, write

pytestmark = pytest.mark.terminal

DECK = """\
deck: Anatomy::Lower limb::Femoral triangle
id: femoral-triangle
cards:
  - id: femoral-triangle-roof
    q: What forms the roof of the femoral triangle?
    a: Fascia lata
  - id: femoral-triangle-lateral
    q: Which muscle forms the lateral border of the femoral triangle?
    a: Sartorius
"""


class Tmux:
    """A private tmux server (its own socket) running one window of 100 x 40."""

    def __init__(self) -> None:
        self.socket = f"flashcards-test-{uuid.uuid4().hex[:10]}"
        self.env = {k: v for k, v in os.environ.items() if k not in ("TMUX", "TMUX_PANE")}

    def __call__(self, *args: str) -> str:
        result = subprocess.run(
            ["tmux", "-L", self.socket, "-f", "/dev/null", *args],
            capture_output=True,
            text=True,
            env=self.env,
            timeout=30,
            check=True,
        )
        return result.stdout

    def start(self, command: str) -> None:
        self("new-session", "-d", "-s", "review", "-x", "100", "-y", "40", command)

    def keys(self, *keys: str) -> None:
        self("send-keys", "-t", "review", *keys)

    def screen(self) -> str:
        return self("capture-pane", "-p", "-J", "-S", "-", "-t", "review")

    def wait_for(self, *texts: str, timeout: float = 20.0) -> str:
        deadline = time.monotonic() + timeout
        while True:
            screen = self.screen()
            if all(t in screen for t in texts):
                return screen
            if time.monotonic() > deadline:
                raise AssertionError(f"never saw {texts!r} on the terminal:\n{screen}")
            time.sleep(0.05)

    def stop(self) -> None:
        subprocess.run(
            ["tmux", "-L", self.socket, "kill-server"],
            capture_output=True,
            env=self.env,
            timeout=30,
        )


@pytest.fixture
def tmux() -> Iterator[Tmux]:
    if shutil.which("tmux") is None:
        pytest.skip("tmux is not installed: the session through a real terminal is not tested")
    terminal = Tmux()
    try:
        yield terminal
    finally:
        terminal.stop()


def test_review_session_in_a_real_terminal(tmux: Tmux, run_sqlite: Cli, tmp_path: Path) -> None:
    assert run_sqlite("import", str(write(tmp_path / "femoral.yaml", DECK))).exit_code == 0
    flashcards = [sys.executable, "-m", "flashcards", "--db", run_sqlite.db, "--user", "ana"]
    review = shlex.join([*flashcards, "--today", TODAY.isoformat(), "review"])
    # The shell stays after the session so its last screen and exit status can be read.
    tmux.start(f'{review}; echo "[exit $?]"; exec sleep 600')

    screen = tmux.wait_for("What forms the roof of the femoral triangle?", "Enter: show answer")
    assert "Anatomy::Lower limb::Femoral triangle · new" in screen
    assert "Fascia lata" not in screen

    tmux.keys("Enter")
    screen = tmux.wait_for("Fascia lata", "Grade 0-5")
    assert "5 perfect" in screen

    tmux.keys("5", "Enter")
    screen = tmux.wait_for("Next review in 1 day (2026-03-03)", "Which muscle forms the lateral")

    tmux.keys("q", "Enter")
    screen = tmux.wait_for("Session over", "[exit 0]")
    assert "Session over: 1 answer — 1 new" in screen
    assert "1 card left for today" in screen
    assert "Traceback" not in screen

    # The grade given through the terminal is in the database: due tomorrow.
    tomorrow = TODAY + dt.timedelta(days=1)
    result = run_sqlite("decks", "--json", today=tomorrow)
    rows = {row["name"]: row for row in json.loads(result.stdout)}
    deck = rows["Anatomy::Lower limb::Femoral triangle"]
    assert (deck["cards"], deck["new"], deck["due"]) == (2, 1, 1)


def test_ctrl_c_in_a_real_terminal_keeps_the_answers_given(
    tmux: Tmux, run_sqlite: Cli, tmp_path: Path
) -> None:
    assert run_sqlite("import", str(write(tmp_path / "femoral.yaml", DECK))).exit_code == 0
    flashcards = [sys.executable, "-m", "flashcards", "--db", run_sqlite.db, "--user", "ana"]
    review = shlex.join([*flashcards, "--today", TODAY.isoformat(), "review"])
    tmux.start(f'{review}; echo "[exit $?]"; exec sleep 600')

    tmux.wait_for("What forms the roof of the femoral triangle?")
    tmux.keys("Enter")
    tmux.wait_for("Grade 0-5")
    tmux.keys("4", "Enter")
    tmux.wait_for("Which muscle forms the lateral border")
    tmux.keys("C-c")
    screen = tmux.wait_for("Session over", "[exit")
    assert "Interrupted: every answer given so far is saved." in screen
    assert "Session over: 1 answer — 1 new" in screen
    assert "Traceback" not in screen

    result = run_sqlite("review", input="", today=TODAY)
    assert "1 card — 1 new" in result.stdout
    assert "Which muscle forms the lateral border" in result.stdout
