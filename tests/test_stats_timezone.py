"""Study days for stats follow the day-start hour and the user's own time zone.

A moment is pinned (``now``) instead of ``--today``: 2026-03-03 06:30 UTC is 01:30 in
New York (still 2 March there, the day starting at 04:00) and 07:30 in Paris (3 March).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import Cli, ok, write
from sqlalchemy import create_engine, text

from flashcards.study.context import App
from flashcards.study.reporting import class_report
from flashcards.study.statistics import student_stats, user_today

NOW = dt.datetime(2026, 3, 3, 6, 30, tzinfo=dt.UTC)
STUDIED = dt.date(2026, 3, 2)
DECK = """\
deck: Anatomy::Hand
id: hand
cards:
  - id: h1
    q: Which nerve supplies the thenar muscles?
    a: Recurrent branch of the median nerve
"""


def set_timezone(url: str, user: str, zone: str | None) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE users SET timezone = :zone WHERE name = :user"),
            {"zone": zone, "user": user},
        )
    engine.dispose()


@pytest.fixture
def studied(run: Cli, db_url: str, tmp_path: Path) -> str:
    ok(run("import", str(write(tmp_path / "hand.yaml", DECK)), today=STUDIED))
    ok(run("review", input="\n5\n", today=STUDIED))  # due again on 3 March
    return db_url


@pytest.fixture
def live_app(studied: str) -> Iterator[App]:
    """The app as a student runs it: no --today, the day from the clock."""
    app = App(db=studied, user_name="ana")
    yield app
    app.close()


def test_at_0130_new_york_time_it_is_still_the_day_before(live_app: App, studied: str) -> None:
    set_timezone(studied, "ana", "America/New_York")
    figures = student_stats(live_app, now=NOW)
    assert figures.today == STUDIED
    assert figures.forecast[0].day == STUDIED and figures.forecast[1].due == 1
    assert figures.streak.current == 1


def test_the_same_moment_is_the_next_day_in_paris(live_app: App, studied: str) -> None:
    set_timezone(studied, "ana", "Europe/Paris")
    figures = student_stats(live_app, now=NOW)
    assert figures.today == dt.date(2026, 3, 3)
    assert figures.forecast[0].due == 1  # due on 3 March: today there
    assert figures.streak.current == 1  # studied yesterday, today not over


def test_a_day_starting_at_midnight_puts_0130_on_the_new_day(studied: str) -> None:
    set_timezone(studied, "ana", "America/New_York")
    app = App(db=studied, user_name="ana", day_start_override=0)
    try:
        assert student_stats(app, now=NOW).today == dt.date(2026, 3, 3)
    finally:
        app.close()


def test_an_unknown_zone_name_falls_back_to_the_machine_zone(live_app: App, studied: str) -> None:
    set_timezone(studied, "ana", "Mars/Olympus_Mons")
    assert student_stats(live_app, now=NOW).today == user_today(live_app, None, NOW)


def test_today_given_on_the_command_line_wins_over_the_clock(studied: str) -> None:
    set_timezone(studied, "ana", "Europe/Paris")
    app = App(db=studied, user_name="ana", today_override=dt.date(2026, 4, 1))
    try:
        assert student_stats(app, now=NOW).today == dt.date(2026, 4, 1)
    finally:
        app.close()


def test_the_report_counts_each_students_week_in_their_own_zone(
    run: Cli, studied: str, live_app: App
) -> None:
    # ben studied on 24 February: inside a week ending 2 March, outside one ending 3 March
    ok(run("review", input="\n5\n", today=dt.date(2026, 2, 24), user="ben"))
    set_timezone(studied, "ana", "America/New_York")
    set_timezone(studied, "ben", "America/New_York")
    week = {s.name: s.reviews_recent for s in class_report(live_app, now=NOW).students}
    assert week == {"ana": 1, "ben": 1}
    set_timezone(studied, "ben", "Europe/Paris")
    week = {s.name: s.reviews_recent for s in class_report(live_app, now=NOW).students}
    assert week == {"ana": 1, "ben": 0}
