"""`flashcards doctor` replays the review log: every card's SM-2 state is rebuilt from
the log (flashcards.sm2 and the session rules) and compared with the stored one. A state
row deleted, altered or duplicated behind its back is damage, and `--fix` rebuilds it
to what the log says."""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import TODAY, Cli, ok, write
from sqlalchemy import Connection, bindparam, create_engine, text

from flashcards.scheduling.replay import LoggedMove, replay

DECK = "deck: Anatomy::Hip\nid: hip\ncards:\n" + "".join(
    f"  - {{id: h{i}, q: Hip question {i}?, a: Hip answer {i}}}\n" for i in range(1, 21)
)
COLUMNS = 'card_id, repetitions, "interval", easiness, due_day, lapses, reviews'


def studied(run: Cli, tmp_path: Path) -> None:
    """Twenty cards studied over four days: passes, failures and re-drills, an undo."""
    ok(run("import", str(write(tmp_path / "hip.yaml", DECK))))
    grades = ["5", "2", "4", "1", "5", "3", "0", "5", "4", "5"]
    for n in range(4):
        day = TODAY + dt.timedelta(days=n)
        script = "".join(f"\n{grades[(i + n) % len(grades)]}\n" for i in range(40))
        if n == 1:
            script = "\n2\nu\n" + script
        ok(run("review", "--new", "10", input=script, today=day))


@contextmanager
def unguarded(url: str) -> Iterator[Connection]:
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(text("SET session_replication_role = replica"))
            else:
                connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            yield connection
    finally:
        engine.dispose()


def states(url: str) -> list[tuple[object, ...]]:
    with unguarded(url) as c:
        rows = c.execute(text(f"SELECT {COLUMNS} FROM card_states ORDER BY card_id")).all()
    return [tuple(row) for row in rows]


def reviewed_cards(url: str) -> list[int]:
    with unguarded(url) as c:
        return list(
            c.execute(
                text("SELECT card_id FROM card_states WHERE reviews > 0 ORDER BY card_id")
            ).scalars()
        )


def doctor(run: Cli, *args: str) -> tuple[int, dict[str, dict[str, object]]]:
    result = run("doctor", "--json", *args)
    report = json.loads(result.stdout)
    return result.exit_code, {f["check"]: f for f in report["findings"]}


def fix(run: Cli) -> None:
    code, found = doctor(run, "--fix", *([] if run.db.startswith("sqlite") else ["--backed-up"]))
    assert code == 0 and all(f["repaired"] for f in found.values()), found
    assert ok(run("doctor")).startswith("OK: no damage found.")


@pytest.fixture
def history(run: Cli, tmp_path: Path) -> list[tuple[object, ...]]:
    studied(run, tmp_path)
    assert ok(run("doctor")).startswith("OK: no damage found.")
    return states(run.db)


def test_deleted_state_rows_are_found_and_rebuilt(
    run: Cli, history: list[tuple[object, ...]]
) -> None:
    gone = reviewed_cards(run.db)[:5]
    assert len(gone) == 5
    with unguarded(run.db) as c:
        c.execute(
            text("DELETE FROM card_states WHERE card_id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": gone},
        )
    code, found = doctor(run)
    assert code == 1 and set(found) == {"missing-states"}
    assert found["missing-states"]["count"] == 5
    fix(run)
    assert states(run.db) == history  # each one as the log says, reviews counted again


def test_altered_state_rows_are_found_and_rebuilt(
    run: Cli, history: list[tuple[object, ...]]
) -> None:
    a, b, c_, d, e = reviewed_cards(run.db)[:5]
    with unguarded(run.db) as c:
        c.execute(
            text('UPDATE card_states SET "interval" = "interval" + 3 WHERE card_id = :c'), {"c": a}
        )
        c.execute(text("UPDATE card_states SET easiness = 1.3 WHERE card_id = :c"), {"c": b})
        c.execute(
            text("UPDATE card_states SET due_day = NULL, repetitions = 0 WHERE card_id = :c"),
            {"c": c_},
        )
        c.execute(text("UPDATE card_states SET lapses = lapses + 1 WHERE card_id = :c"), {"c": d})
        # The state and its last log row changed together: only a replay with SM-2 sees it.
        c.execute(text('UPDATE card_states SET "interval" = 30 WHERE card_id = :c'), {"c": e})
        c.execute(
            text(
                "UPDATE reviews SET interval_after = 30 WHERE id = (SELECT max(id) FROM reviews "
                "WHERE card_id = :c AND kind = 'review')"
            ),
            {"c": e},
        )
    code, found = doctor(run)
    assert code == 1 and set(found) == {"state-vs-log"}
    assert found["state-vs-log"]["count"] == 5
    fix(run)
    assert states(run.db) == history


def drop_the_unique_key(connection: Connection) -> None:
    """What a damaged schema allows: more than one state row per card and user."""
    if connection.dialect.name == "postgresql":
        name = connection.execute(
            text(
                "SELECT conname FROM pg_constraint WHERE conrelid = 'card_states'::regclass "
                "AND contype = 'u'"
            )
        ).scalar_one()
        connection.execute(text(f'ALTER TABLE card_states DROP CONSTRAINT "{name}"'))
        return
    table_sql = connection.execute(
        text("SELECT sql FROM sqlite_master WHERE name = 'card_states'")
    ).scalar_one()
    indexes = connection.execute(
        text("SELECT sql FROM sqlite_master WHERE tbl_name = 'card_states' AND sql IS NOT NULL "
             "AND type = 'index'")
    ).scalars().all()  # fmt: skip
    loose = re.sub(r",\s*CONSTRAINT \w+ UNIQUE \(user_id, card_id\)", "", table_sql)
    connection.exec_driver_sql(loose.replace('"card_states"', "card_states_loose", 1))
    connection.exec_driver_sql("INSERT INTO card_states_loose SELECT * FROM card_states")
    connection.exec_driver_sql("DROP TABLE card_states")
    connection.exec_driver_sql("ALTER TABLE card_states_loose RENAME TO card_states")
    for index in indexes:
        connection.exec_driver_sql(index)


def test_duplicated_state_rows_are_found_and_one_kept_as_the_log_says(
    run: Cli, history: list[tuple[object, ...]]
) -> None:
    twice = reviewed_cards(run.db)[:3]
    cols = ("user_id, card_id, repetitions, \"interval\", easiness, due_day, last_review_day, "
            "lapses, reviews, suspended, buried_until, updated_at, leech")  # fmt: skip
    with unguarded(run.db) as c:
        drop_the_unique_key(c)
        for card in twice:
            # A second row for the card, with numbers of its own (as a stale copy has).
            c.execute(
                text(f"INSERT INTO card_states ({cols}) SELECT {cols.replace('reviews', '0')} "
                     "FROM card_states WHERE card_id = :c"), {"c": card})  # fmt: skip
            c.execute(
                text('UPDATE card_states SET "interval" = 99 WHERE card_id = :c AND reviews = 0'),
                {"c": card},
            )
    code, found = doctor(run)
    assert code == 1 and set(found) == {"duplicate-states"}, found
    assert found["duplicate-states"]["count"] == 3
    fix(run)
    assert states(run.db) == history


def test_the_replay_follows_sm2_and_the_session_rules() -> None:
    day = dt.date(2026, 1, 1)
    after = (0, 0, 2.5, None, 0)

    def move(kind: str, days: int, quality: int | None) -> LoggedMove:
        return LoggedMove(kind, day + dt.timedelta(days=days), quality, after)

    state = replay(
        [move("review", 0, 5), move("review", 1, 5), move("review", 7, 5), move("review", 24, 1),
         move("redrill", 24, 2), move("redrill", 24, 4), move("quiz", 25, 0), move("review", 25, 5)]
    )  # fmt: skip
    # 5, 5, 5, 1, 5: intervals 1, 6, 17, 1, 1; EF 2.6, 2.7, 2.8, 2.26, 2.36 (SM2.md)
    assert (state.repetitions, state.interval, state.easiness) == (1, 1, 2.36)
    assert state.due_day == day + dt.timedelta(days=26)
    assert (state.lapses, state.reviews, state.last_review_day) == (
        1,
        5,
        state.due_day - dt.timedelta(days=1),
    )
    imported = replay([LoggedMove("import", day, None, (3, 20, 2.1, day, 2)), move("review", 1, 4)])
    assert (imported.repetitions, imported.interval, imported.lapses) == (4, 42, 2)
    assert imported.imported
