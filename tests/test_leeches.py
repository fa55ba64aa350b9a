"""Leeches: a card forgotten `threshold` times is tagged, suspended, and the student told."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, Cli, ok, write
from sqlalchemy import create_engine, text

from flashcards.scheduling.leeches import DEFAULT_LEECH_THRESHOLD, becomes_leech, check_threshold

DECK = """\
deck: Anatomy::Knee
id: knee
cards:
  - id: popliteus
    q: Which muscle unlocks the extended knee?
    a: Popliteus
  - id: bursa
    q: Which bursa lies in front of the patella?
    a: Prepatellar bursa
"""


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def state(url: str, key: str = "knee/popliteus") -> dict[str, Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            row = connection.execute(
                text(
                    "SELECT s.lapses, s.leech, s.suspended, s.due_day FROM card_states s "
                    "JOIN cards c ON c.id = s.card_id JOIN notes n ON n.id = c.note_id "
                    "WHERE n.key = :key"
                ),
                {"key": key},
            ).one()
    finally:
        engine.dispose()
    return {"lapses": row[0], "leech": bool(row[1]), "suspended": bool(row[2])}


def lapse_until(run: Cli, lapses: int, *options: str) -> int:
    """Learn the card, then forget it on every other day; returns the next day number."""
    ok(run("review", "--new", "1", *options, input="\n5\n", today=day(0)))
    n = 1
    for _ in range(lapses):
        ok(run("review", "--new", "0", *options, input="\n1\n\n4\n", today=day(n)))
        ok(run("review", "--new", "0", *options, input="\n5\n", today=day(n + 1)))
        n += 2
    return n


@pytest.mark.parametrize(
    ("before", "after", "threshold", "leech"),
    [
        (6, 7, 8, False),
        (7, 8, 8, True),  # the eighth lapse
        (8, 8, 8, False),  # no new lapse (a pass after the tag)
        (8, 9, 8, False),
        (11, 12, 8, True),  # again every half threshold, as Anki
        (0, 1, 1, True),
        (1, 2, 1, True),
        (2, 3, 3, True),
        (3, 4, 3, True),  # half of 3 is 1: every lapse after the threshold
    ],
)
def test_becomes_leech(before: int, after: int, threshold: int, leech: bool) -> None:
    assert becomes_leech(before, after, threshold) is leech


def test_threshold_must_be_a_positive_whole_number() -> None:
    assert DEFAULT_LEECH_THRESHOLD == 8
    assert check_threshold(3) == 3
    for bad in (0, -1, True, 2.5):
        with pytest.raises(ValueError, match="leech threshold"):
            check_threshold(bad)  # type: ignore[arg-type]


def test_eighth_lapse_makes_a_leech_suspended_and_told(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(write(tmp_path / "knee.yaml", DECK))))
    n = lapse_until(run_sqlite, 7)
    assert state(run_sqlite.db) == {"lapses": 7, "leech": False, "suspended": False}
    out = ok(run_sqlite("review", "--new", "0", input="\n1\n\n4\n", today=day(n)))
    assert "Leech: forgotten 8 times. This card is now suspended" in out
    assert "1 leech suspended this session." in out
    # Set aside: no re-drill of a leech (the 4 in the script is never asked for).
    assert "Session over: 1 answer — 0 new, 1 review, 0 re-drills" in out
    assert state(run_sqlite.db) == {"lapses": 8, "leech": True, "suspended": True}
    assert "Nothing to review today" in ok(
        run_sqlite("review", "--new", "0", input="", today=day(n + 1))
    )


def test_threshold_from_the_environment_and_undo_releases_the_leech(
    run: Cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FLASHCARDS_LEECH_THRESHOLD", "2")
    ok(run("import", str(write(tmp_path / "knee.yaml", DECK))))
    n = lapse_until(run, 1)
    out = ok(run("review", "--new", "0", input="\n1\n", today=day(n)))
    assert "Leech: forgotten 2 times." in out
    assert state(run.db)["leech"] is True
    out = ok(run("undo", today=day(n)))
    assert out.startswith("Took back grade 1")
    assert state(run.db) == {"lapses": 1, "leech": False, "suspended": False}
    # The card is studied again that day, as the review it was before the leech.
    out = ok(run("review", "--new", "0", input="\n4\n", today=day(n)))
    assert "Next review in 6 days" in out


def test_leech_threshold_option_and_undo_in_the_session(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", DECK))))
    n = lapse_until(run, 2, "--leech-threshold", "3")
    assert state(run.db)["leech"] is False
    # The third lapse makes the leech; `u` at the next card takes it back, and the card
    # is asked again.
    out = ok(run("review", "--leech-threshold", "3", "--new", "1", input="\n1\nu\n\n5\nq\n",
                 today=day(n)))  # fmt: skip
    assert "Leech: forgotten 3 times." in out
    assert "Took back the last grade" in out
    assert state(run.db) == {"lapses": 2, "leech": False, "suspended": False}


def test_a_bad_threshold_is_a_usage_error(run_sqlite: Cli) -> None:
    result = run_sqlite("review", "--leech-threshold", "0", input="")
    assert result.exit_code == 2
    assert "Traceback" not in result.output


@pytest.mark.parametrize("given", [[], ["--leech-threshold", "8"], ["--leech-threshold", "1"]])
def test_undo_releases_the_leech_its_grade_made_whatever_threshold_it_is_given(
    run: Cli, tmp_path: Path, given: list[str]
) -> None:
    """The grade says it made a leech: the undo needs no threshold, and a different one
    (the default 8 here, or one that would have made a leech of every lapse) changes
    nothing."""
    ok(run("import", str(write(tmp_path / "knee.yaml", DECK))))
    n = lapse_until(run, 1, "--leech-threshold", "2")
    out = ok(run("review", "--leech-threshold", "2", "--new", "0", input="\n1\n", today=day(n)))
    assert "Leech: forgotten 2 times." in out
    assert state(run.db) == {"lapses": 2, "leech": True, "suspended": True}
    out = ok(run("undo", *given, today=day(n)))
    assert out.startswith("Took back grade 1")
    assert state(run.db) == {"lapses": 1, "leech": False, "suspended": False}
    assert "No card matches is:leech" in ok(run("search", "is:leech", today=day(n)))


def test_undo_of_a_grade_that_made_no_leech_leaves_an_old_leech_tagged(
    run: Cli, tmp_path: Path
) -> None:
    """A leech taken back into study (it keeps the tag) and forgotten once more, under a
    threshold that makes no new leech of that lapse: undoing it under a threshold that
    would have keeps the tag, and the card in study."""
    ok(run("import", str(write(tmp_path / "knee.yaml", DECK))))
    n = lapse_until(run, 1, "--leech-threshold", "2")
    ok(run("review", "--leech-threshold", "2", "--new", "0", input="\n1\n", today=day(n)))
    ok(run("unsuspend", "is:leech", today=day(n)))
    ok(run("review", "--new", "0", input="\n5\n", today=day(n + 1)))
    out = ok(run("review", "--new", "0", input="\n1\nq\n", today=day(n + 2)))
    assert "Leech" not in out  # 3 lapses under the default 8
    assert state(run.db) == {"lapses": 3, "leech": True, "suspended": False}
    ok(run("undo", "--leech-threshold", "3", today=day(n + 2)))
    assert state(run.db) == {"lapses": 2, "leech": True, "suspended": False}


def test_undo_of_a_grade_that_made_an_old_leech_one_again_keeps_its_tag(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", DECK))))
    n = lapse_until(run, 1, "--leech-threshold", "2")
    ok(run("review", "--leech-threshold", "2", "--new", "0", input="\n1\n", today=day(n)))
    ok(run("unsuspend", "is:leech", today=day(n)))
    ok(run("review", "--new", "0", input="\n5\n", today=day(n + 1)))
    # Threshold 2: every lapse after it makes the leech again (half of 2 is 1).
    out = ok(run("review", "--leech-threshold", "2", "--new", "0", input="\n1\n", today=day(n + 2)))
    assert "Leech: forgotten 3 times." in out
    assert state(run.db) == {"lapses": 3, "leech": True, "suspended": True}
    ok(run("undo", today=day(n + 2)))
    assert state(run.db) == {"lapses": 2, "leech": True, "suspended": False}


def test_a_database_at_0005_with_data_upgrades_to_0006_and_its_old_answers_undo_as_before(
    db_url: str,
) -> None:
    """0006 adds the leech record and the (user, id) index to a log with rows in it; an
    answer logged at 0005 that made a leech (no record) is undone after the upgrade, and
    the threshold the undo is given releases the card."""
    from sqlalchemy import inspect
    from test_migrations_upgrade import DAY, DAYS, fill_at_first_revision

    from flashcards_db.engine import current_revision, make_engine
    from flashcards_db.migrations import upgrade

    engine = make_engine(db_url)
    upgrade(engine, "0001")
    fill_at_first_revision(engine)
    upgrade(engine, "0005_settings")
    answered = DAY + dt.timedelta(days=DAYS)
    # Ana's second lapse of a card, graded as 0005 logged it: with threshold 2 it made
    # the card a leech, tagged and suspended; the row cannot say so.
    with engine.begin() as connection:
        ana, card = connection.execute(
            text(
                "SELECT u.id, min(s.card_id) FROM users u JOIN card_states s "
                "ON s.user_id = u.id WHERE u.name = 'ana' GROUP BY u.id"
            )
        ).one()
        before = connection.execute(
            text(
                "SELECT repetitions, interval, easiness, due_day FROM card_states "
                "WHERE user_id = :u AND card_id = :c"
            ),
            {"u": ana, "c": card},
        ).one()
        connection.execute(
            text(
                "INSERT INTO reviews (user_id, card_id, study_day, reviewed_at, kind, quality, "
                "mode, repetitions_before, interval_before, easiness_before, due_before, "
                "lapses_before, repetitions_after, interval_after, easiness_after, due_after, "
                "lapses_after) VALUES (:u, :c, :day, :at, 'review', 1, 'flip', :r, :i, :e, "
                ":due, 1, 0, 1, :e, :next, 2)"
            ),
            {"u": ana, "c": card, "day": answered, "r": before[0], "i": before[1],
             "e": before[2], "due": before[3], "next": answered + dt.timedelta(days=1),
             "at": dt.datetime.combine(answered, dt.time(9))},
        )  # fmt: skip
        connection.execute(
            text(
                "UPDATE card_states SET repetitions = 0, interval = 1, due_day = :next, "
                "lapses = 2, leech = :yes, suspended = :yes, last_review_day = :day, "
                "reviews = reviews + 1 WHERE user_id = :u AND card_id = :c"
            ),
            {"u": ana, "c": card, "day": answered, "next": answered + dt.timedelta(days=1),
             "yes": True},
        )  # fmt: skip
    count = "SELECT count(*), count(leech_before), count(leech_marked) FROM reviews"
    with engine.connect() as connection:
        reviews = connection.execute(text("SELECT count(*) FROM reviews")).scalar()
    upgrade(engine)
    assert current_revision(engine) == "0006_review_leech_marks"
    with engine.connect() as connection:
        assert tuple(connection.execute(text(count)).one()) == (reviews, 0, 0)
    indexes = {i["name"]: i["column_names"] for i in inspect(engine).get_indexes("reviews")}
    assert indexes["ix_reviews_user_id"] == ["user_id", "id"]
    engine.dispose()

    out = ok(Cli(db_url, user="ana")("undo", "--leech-threshold", "2", today=answered))
    assert out.startswith("Took back grade 1")
    engine = create_engine(db_url)
    try:
        with engine.connect() as connection:
            after = connection.execute(
                text(
                    "SELECT repetitions, interval, easiness, due_day, lapses, leech, suspended "
                    "FROM card_states WHERE user_id = :u AND card_id = :c"
                ),
                {"u": ana, "c": card},
            ).one()
    finally:
        engine.dispose()
    # The schedule as before the answer, and the leech the threshold says it made, released.
    assert tuple(after[:4]) == tuple(before)
    assert (after[4], bool(after[5]), bool(after[6])) == (1, False, False)


@pytest.mark.parametrize(("given", "released"), [((), False), (("--leech-threshold", "2"), True)])
def test_a_leech_made_by_a_grade_logged_before_0006_is_judged_by_the_threshold(
    run: Cli, tmp_path: Path, given: tuple[str, ...], released: bool
) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", DECK))))
    n = lapse_until(run, 1, "--leech-threshold", "2")
    ok(run("review", "--leech-threshold", "2", "--new", "0", input="\n1\n", today=day(n)))
    engine = create_engine(run.db)
    with engine.begin() as connection:  # as a row logged before 0006 reads
        connection.execute(text("UPDATE reviews SET leech_before = NULL, leech_marked = NULL"))
    engine.dispose()
    ok(run("undo", *given, today=day(n)))  # the default 8 makes no leech of 2 lapses
    assert state(run.db) == {"lapses": 1, "leech": not released, "suspended": not released}
