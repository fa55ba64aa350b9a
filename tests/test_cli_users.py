"""`flashcards users`: everyone who studies from the database, with their activity."""

from __future__ import annotations

import datetime as dt
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
        "name", "role", "reviews", "cards_studied", "last_review", "last_study_day", "since",
        "created",
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


def test_since_and_last_review_are_both_study_days(run: Cli, tmp_path: Path) -> None:
    """A user who appears at 01:00 in their zone, before the day starts at 04:00, appears
    on the study day before, the day their answers of that night are logged on."""
    from sqlalchemy import text

    from flashcards_db.engine import make_engine

    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run("review", input="\n5\nq\n", user="ana", today="2026-03-01"))
    ok(run("review", input="", user="ben", today="2026-03-01"))
    engine = make_engine(run.db)
    try:
        with engine.begin() as connection:
            # 06:00 UTC is 01:00 in New York: still the study day 2026-03-01 there.
            connection.execute(
                text("UPDATE users SET timezone = 'America/New_York', created_at = :at"),
                {"at": dt.datetime(2026, 3, 2, 6, 0)},
            )
    finally:
        engine.dispose()

    listed = {u["name"]: u for u in users_json(run)}
    assert (listed["ana"]["last_study_day"], listed["ana"]["since"]) == ("2026-03-01",) * 2
    assert listed["ben"]["since"] == "2026-03-01"  # no answer: the day it appeared on
    cells = [
        [cell.strip() for cell in line.strip("│ \n").split("│")]
        for line in ok(run("users")).splitlines()
        if re.match(r"│ (ana|ben) ", line)
    ]
    assert [c[4:] for c in cells] == [["2026-03-01", "2026-03-01"], ["never", "2026-03-01"]]


def test_since_uses_each_users_own_day_start_whoever_asks(run: Cli, tmp_path: Path) -> None:
    """Alice's day starts at 06:00, Bob's at 04:00 (the default): both appearing at 05:00
    UTC, Alice appears on the study day before and Bob on that day, as their answers would
    be logged, whichever of them (or --day-start) lists the users."""
    from sqlalchemy import text

    from flashcards_db.engine import make_engine

    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run("config", "day-start", "6", user="alice"))
    ok(run("review", input="", user="bob"))
    engine = make_engine(run.db)
    try:
        with engine.begin() as connection:
            connection.execute(
                text("UPDATE users SET timezone = 'UTC', created_at = :at"),
                {"at": dt.datetime(2026, 3, 2, 5, 0)},
            )
    finally:
        engine.dispose()

    expected = {"alice": "2026-03-01", "bob": "2026-03-02"}
    for asking in ("alice", "bob"):
        shown = json.loads(ok(run("users", "--json", user=asking)))
        assert {u["name"]: u["since"] for u in shown} == expected, asking
    shown = json.loads(ok(run("--day-start", "0", "users", "--json", user="bob")))
    assert {u["name"]: u["since"] for u in shown} == expected
