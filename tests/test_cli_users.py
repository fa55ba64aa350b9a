"""`flashcards users`: everyone who studies from the database, with their activity."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import TODAY, Cli, ok, write

KNEE = """\
deck: Anatomy::Knee
id: knee
cards:
  - id: knee-1
    q: Which muscle unlocks the extended knee?
    a: Popliteus
  - id: knee-2
    q: Which nerve supplies the short head of biceps femoris?
    a: Common fibular nerve
  - id: knee-3
    q: Which bone has the adductor tubercle?
    a: Femur
"""


def users_json(run: Cli) -> list[dict[str, Any]]:
    return list(json.loads(ok(run("users", "--json"))))


def test_no_users_yet_says_how_users_appear(run: Cli) -> None:
    ok(run("db", "upgrade"))  # a database with its schema and nothing else
    assert ok(run("users")) == (
        "No users yet: a user appears with their first `flashcards review`.\n"
    )
    assert users_json(run) == []


def test_users_lists_each_user_with_answers_cards_and_last_review(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    # Ana: knee-1 graded 2 comes back after the other two as a re-drill, graded 5.
    ok(run("review", input="\n2\n\n4\n\n5\n\n5\nq\n", user="ana"))
    ok(run("review", input="\n5\nq\n", user="ben", today="2026-03-04"))
    ok(run("review", input="", user="chloe"))  # opened a session, answered nothing

    listed = users_json(run)

    assert [u["name"] for u in listed] == ["ana", "ben", "chloe"]
    summary = {u["name"]: (u["reviews"], u["cards_studied"], u["last_study_day"]) for u in listed}
    assert summary == {
        "ana": (4, 3, TODAY.isoformat()),
        "ben": (1, 1, "2026-03-04"),
        "chloe": (0, 0, None),
    }
    assert set(listed[0]) == {
        "name", "role", "reviews", "cards_studied", "last_review", "last_study_day", "created"
    }  # fmt: skip
    assert listed[0]["role"] is None  # roles are PostgreSQL's, given by `db grant`
    assert listed[2]["last_review"] is None
    assert listed[0]["last_review"].endswith("+00:00")  # an aware UTC time


def test_the_table_shows_the_same_figures(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run("review", input="\n5\n\n4\nq\n", user="ana"))
    ok(run("review", input="", user="ben"))

    out = ok(run("users"))

    cells = [
        [cell.strip() for cell in line.strip("│ \n").split("│")]
        for line in out.splitlines()
        if re.match(r"│ (ana|ben) ", line)
    ]
    assert [c[:5] for c in cells] == [
        ["ana", "—", "2", "2", TODAY.isoformat()],
        ["ben", "—", "0", "0", "never"],
    ]


def test_an_answer_taken_back_no_longer_counts(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run("review", input="\n5\n\n4\nq\n"))
    ok(run("undo"))

    (ana,) = users_json(run)

    assert (ana["reviews"], ana["cards_studied"]) == (1, 1)


def test_listing_users_does_not_add_the_one_who_asks(run: Cli) -> None:
    ok(run("db", "upgrade"))  # a database with its schema and nothing else
    ok(run("users", user="dora"))
    assert users_json(run) == []
