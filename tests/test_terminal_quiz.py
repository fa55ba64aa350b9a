"""`review --typed` and `quiz` through a real terminal (tmux), keys typed one by one."""

from __future__ import annotations

import re
import shlex
import sys
from pathlib import Path

import pytest
from conftest import TODAY, Cli, ok, write
from sqlalchemy import create_engine, text
from test_terminal import Tmux, tmux  # noqa: F401 (the fixture)

pytestmark = pytest.mark.terminal

DECK = """\
deck: Anatomy::Lower limb::Gluteal region
id: gluteal
structures:
  - name: Gluteus medius
    region: gluteal
    insertion: Lateral surface of the greater trochanter
  - name: Gluteus minimus
    region: gluteal
    insertion: Anterior surface of the greater trochanter
  - name: Piriformis
    region: gluteal
    insertion: Superior border of the greater trochanter
  - name: Quadratus femoris
    region: gluteal
    insertion: Quadrate tubercle of the femur
"""
COLOUR = re.compile(r"\x1b\[(?:[0-9;]*;)?(?:3[0-7]|38|9[0-7])[;m]")


def flashcards(db: str, *args: str, env: str = "") -> str:
    command = [sys.executable, "-m", "flashcards", "--db", db, "--user", "ana"]
    line = shlex.join([*command, "--today", TODAY.isoformat(), *args])
    # The shell stays after the command so its last screen and exit status can be read.
    return f'{env}{line}; echo "[exit $?]"; exec sleep 600'


def card_states(db: str) -> int:
    engine = create_engine(db)
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT count(*) FROM card_states")).scalar_one())
    finally:
        engine.dispose()


def test_typed_review_in_a_real_terminal_without_colour(
    tmux: Tmux,  # noqa: F811
    run_sqlite: Cli,
    tmp_path: Path,
) -> None:
    ok(run_sqlite("import", str(write(tmp_path / "gluteal.yaml", DECK))))
    tmux.start(flashcards(run_sqlite.db, "review", "--typed", "--new", "2", env="NO_COLOR=1 "))

    tmux.wait_for("Where does gluteus medius insert?", "Type your answer")
    tmux.keys("lateral surface of the greater trochantr")
    tmux.keys("Enter")
    screen = tmux.wait_for("Suggested grade: 4", "Enter: accept 4")
    assert "Lateral surface of the greater trochanter" in screen  # the answer panel
    assert "{+trochantr+} [-trochanter-]" in screen  # the diff, marked: the typo, the word
    assert "5 perfect" in screen  # the scale as a reminder
    assert not COLOUR.search(tmux("capture-pane", "-p", "-e", "-t", "review"))

    tmux.keys("Enter")  # accept the 4
    screen = tmux.wait_for("Next review in 1 day (2026-03-03)", "Where does gluteus minimus")
    tmux.keys("lateral surface of greater trochanter", "Enter")  # medius' answer for minimus
    screen = tmux.wait_for("Mixed up?", "Enter: accept")
    assert "Asked: Gluteus minimus · insertion" in screen
    assert "You gave: Gluteus medius · insertion" in screen
    tmux.keys("Enter")
    tmux.wait_for("Where does gluteus minimus insert?", "re-drill")
    tmux.keys("q", "Enter")
    screen = tmux.wait_for("Session over", "[exit 0]")
    assert "Session over: 2 answers — 2 new" in screen
    assert "Accuracy 50 % · time" in screen
    assert "Tomorrow:" in screen and "streak 1 day" in screen
    assert "1 mix-up between cards noted." in screen
    assert "Traceback" not in screen
    assert card_states(run_sqlite.db) == 2


def test_quiz_in_a_real_terminal(tmux: Tmux, run_sqlite: Cli, tmp_path: Path) -> None:  # noqa: F811
    ok(run_sqlite("import", str(write(tmp_path / "gluteal.yaml", DECK))))
    tmux.start(flashcards(run_sqlite.db, "quiz", "--seed", "5", "--count", "2",
                          env="FORCE_COLOR=1 "))  # fmt: skip

    screen = tmux.wait_for("question 1 of 2", "Your choice: 1-4")
    for n in range(1, 5):
        assert f"  {n}) " in screen
    assert COLOUR.search(tmux("capture-pane", "-p", "-e", "-t", "review"))
    tmux.keys("7", "Enter")
    tmux.wait_for("Type a number from 1 to 4 (or q).")
    tmux.keys("1", "Enter")
    tmux.wait_for("question 2 of 2")
    tmux.keys("2", "Enter")
    screen = tmux.wait_for("Quiz over", "[exit 0]")
    assert re.search(r"Quiz over: [0-2] of 2 right", screen)
    assert "Seed 5: `--seed 5` asks this quiz again." in screen
    assert "Your review schedule was not changed." in screen
    assert "Traceback" not in screen
    assert card_states(run_sqlite.db) == 0  # a quiz writes no scheduling state
