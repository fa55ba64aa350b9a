"""Upgrading a database with months of answers in it: every row survives, on each engine.

A database is built at the first revision (0001) with that revision's own tables (read
back from the database, not from today's models), filled with a class's reviews, then
upgraded to the head. An SQLite file (one student's) is upgraded on first use after a
copy is written next to it; a PostgreSQL database (a class's) waits for its owner's
`flashcards db upgrade`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from conftest import Cli, ok
from sqlalchemy import Engine, MetaData, insert, select

from flashcards_db.engine import current_revision, make_engine, open_database
from flashcards_db.migrations import HEAD_REVISION, alembic_config, upgrade

DAY = dt.date(2026, 1, 5)
MOMENT = dt.datetime(2026, 1, 5, 8, 30)  # naive: the 0001 columns store naive UTC
USERS = ("ana", "ben", "chloe")
DAYS = 6


def fill_at_first_revision(engine: Engine) -> None:
    """A class's worth of rows, written through the tables as revision 0001 made them."""
    tables = MetaData()
    tables.reflect(engine)
    t = tables.tables
    with engine.begin() as connection:

        def add(table: str, **values: Any) -> int:
            result = connection.execute(insert(t[table]).values(**values))
            key = result.inserted_primary_key
            assert key is not None
            return int(key[0])

        add("media", sha256="b" * 64, filename="b" * 64 + ".png", size=4, data=b"\x89PNG",
            original_name="psoas.png", created_at=MOMENT)  # fmt: skip
        cards: list[int] = []
        for d, deck in enumerate(("hip", "knee")):
            deck_id = add("decks", key=deck, name=f"Anatomy::{deck.title()}", tags=["anatomy"],
                          html=False, created_at=MOMENT, updated_at=MOMENT)  # fmt: skip
            for position in range(3):
                note_id = add(
                    "notes", deck_id=deck_id, key=f"{deck}/n{position}", position=position,
                    kind="cloze" if position == 2 else "basic",
                    front="{{c1::Psoas}} and {{c2::iliacus}}" if position == 2 else f"Q{d}",
                    back=f"A{d}{position}", meta={}, tags=[], content_hash=f"{d}{position}" * 8,
                    content_changed_at=MOMENT, created_at=MOMENT,
                    image="b" * 64 + ".png" if position == 0 else None,
                )  # fmt: skip
                for ordinal in (1, 2) if position == 2 else (0,):
                    cards.append(add("cards", note_id=note_id, ordinal=ordinal))
        for u, name in enumerate(USERS):
            user_id = add("users", name=name, created_at=MOMENT)
            for card_id in cards[u:]:
                for n in range(DAYS):
                    add(
                        "reviews", user_id=user_id, card_id=card_id, study_day=DAY
                        + dt.timedelta(days=n), reviewed_at=MOMENT + dt.timedelta(days=n),
                        kind="review", quality=(n + u) % 6, typed_answer=None,
                        duration_ms=1000 + n, repetitions_before=n, interval_before=n,
                        easiness_before=2.5, lapses_before=0, repetitions_after=n + 1,
                        interval_after=n + 1, easiness_after=2.5 - 0.1 * u, lapses_after=0,
                    )  # fmt: skip
                add("card_states", user_id=user_id, card_id=card_id, repetitions=DAYS,
                    interval=DAYS, easiness=2.5 - 0.1 * u, due_day=DAY + dt.timedelta(days=9),
                    last_review_day=DAY + dt.timedelta(days=DAYS - 1), lapses=u, reviews=DAYS,
                    suspended=u == 2, updated_at=MOMENT)  # fmt: skip
        # An undo, which points at the answer it takes back.
        last = connection.execute(select(t["reviews"].c.id).order_by(t["reviews"].c.id.desc()))
        add("reviews", user_id=user_id, card_id=cards[-1], study_day=DAY, reviewed_at=MOMENT,
            kind="undo", undoes_id=last.scalars().first(), repetitions_before=1,
            interval_before=1, easiness_before=2.5, lapses_before=0, repetitions_after=0,
            interval_after=0, easiness_after=2.5, lapses_after=0)  # fmt: skip


def snapshot(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    """Every row of every table (as the database has them now), by id."""
    tables = MetaData()
    tables.reflect(engine)
    with engine.connect() as connection:
        return {
            name: [
                dict(row)
                for row in connection.execute(select(table).order_by(table.c.id)).mappings()
            ]
            for name, table in tables.tables.items()
            if name != "alembic_version"
        }


def kept(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]]) -> None:
    """Every row of ``before`` is in ``after``, every old column unchanged."""
    assert set(before) <= set(after)
    for table, rows in before.items():
        old_columns = rows[0].keys() if rows else ()
        assert [{c: r[c] for c in old_columns} for r in after[table]] == rows, table


@pytest.fixture
def old_database(db_url: str) -> Engine:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    fill_at_first_revision(engine)
    return engine


def test_a_database_at_the_first_revision_upgrades_to_head_with_every_row(
    old_database: Engine,
) -> None:
    before = snapshot(old_database)
    assert len(before["reviews"]) == DAYS * (8 + 7 + 6) + 1
    assert current_revision(old_database) == "0001"

    upgrade(old_database)

    assert current_revision(old_database) == HEAD_REVISION
    after = snapshot(old_database)
    kept(before, after)
    # The columns added since have their defaults, not junk.
    assert {r["mode"] for r in after["reviews"]} == {None}
    assert {r["leech"] for r in after["card_states"]} == {False}
    assert {(r["timezone"], r["db_role"]) for r in after["users"]} == {(None, None)}
    assert after["confusions"] == []
    old_database.dispose()


def test_the_upgraded_database_serves_the_study_loop(old_database: Engine, db_url: str) -> None:
    upgrade(old_database)
    old_database.dispose()
    run = Cli(db_url, user="ana")

    ok(run("review", "--new", "0", input="\n5\n" * 8, today=DAY + dt.timedelta(days=9)))

    users = {u["name"]: u for u in json.loads(ok(run("users", "--json")))}
    assert {n: u["reviews"] for n, u in users.items()} == {
        "ana": DAYS * 8 + 8,  # six days of answers on 8 cards kept, 8 more today
        "ben": DAYS * 7,
        "chloe": DAYS * 6 - 1,  # the undone answer does not count
    }


def test_downgrading_one_revision_and_upgrading_again_keeps_every_review(
    db_url: str,
) -> None:
    # Revision 0003's downgrade copies the users table on SQLite (batch mode). With
    # foreign keys on, dropping the old copy would cascade into every review.
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    fill_at_first_revision(engine)
    upgrade(engine)
    before = snapshot(engine)

    command.downgrade(alembic_config(engine), "0002")
    assert current_revision(engine) == "0002"
    # users lost the column 0003 added; settings (0005) is gone, and it was empty;
    # reviews lost the leech record 0006 added, empty on these rows.
    assert before["settings"] == []
    leech = ("leech_before", "leech_marked")
    assert all(row[c] is None for row in before["reviews"] for c in leech)
    older = {t: r for t, r in before.items() if t not in ("users", "settings")}
    older["reviews"] = [
        {c: v for c, v in row.items() if c not in leech} for row in older["reviews"]
    ]
    kept(older, snapshot(engine))
    upgrade(engine)

    assert snapshot(engine) == before
    engine.dispose()


# --- SQLite: upgraded on first use, after a copy ------------------------------------


def test_an_old_sqlite_file_is_upgraded_on_first_use_after_a_copy_next_to_it(
    sqlite_url: str, tmp_path: Path
) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine, "0001")
    fill_at_first_revision(engine)
    before = snapshot(engine)
    engine.dispose()
    path = tmp_path / "flashcards.db"

    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}
    done = subprocess.run(
        [sys.executable, "-m", "flashcards", "--db", str(path), "--user", "ana", "decks",
         "--json"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip

    assert done.returncode == 0, done.stderr
    assert [d["name"] for d in json.loads(done.stdout)] == [
        "Anatomy", "Anatomy::Hip", "Anatomy::Knee"
    ]  # fmt: skip
    (backup,) = tmp_path.glob("flashcards.db.0001-*.bak")
    assert done.stderr == (
        f"Upgraded the database from schema revision 0001 to {HEAD_REVISION}; the file as it "
        f"was is kept as {backup}\n"
    )
    assert stat.S_IMODE(backup.stat().st_mode) == 0o600
    # The copy is the file as it was: its revision and every row.
    copy = make_engine(f"sqlite:///{backup}")
    try:
        assert current_revision(copy) == "0001"
        assert snapshot(copy) == before
    finally:
        copy.dispose()
    upgraded = make_engine(sqlite_url)
    try:
        assert current_revision(upgraded) == HEAD_REVISION
        kept(before, snapshot(upgraded))
    finally:
        upgraded.dispose()


def test_the_copy_holds_answers_still_in_the_write_ahead_log(
    sqlite_url: str, tmp_path: Path
) -> None:
    engine = make_engine(sqlite_url)
    upgrade(engine, "0002")
    fill_at_first_revision(engine)
    # Keep a reader open so SQLite cannot fold the log back into the file on close.
    reader = sqlite3.connect(tmp_path / "flashcards.db")
    reader.execute("SELECT count(*) FROM reviews").fetchone()
    wal = tmp_path / "flashcards.db-wal"
    assert wal.exists() and wal.stat().st_size > 0
    engine.dispose()
    try:
        open_database(sqlite_url).dispose()
    finally:
        reader.close()

    (backup,) = tmp_path.glob("flashcards.db.0002-*.bak")
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT count(*) FROM reviews").fetchone() == (DAYS * 21 + 1,)


def test_opening_a_database_at_head_does_not_load_alembic(sqlite_url: str) -> None:
    open_database(sqlite_url).dispose()
    code = (
        "import sys\n"
        "from flashcards_db.engine import open_database\n"
        f"open_database({sqlite_url!r}).dispose()\n"
        "print('alembic' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.stdout == "False\n", done.stderr


# --- PostgreSQL: the owner upgrades ---------------------------------------------------


@pytest.mark.postgres
def test_an_old_postgresql_database_waits_for_db_upgrade(pg_class: Any) -> None:
    engine = make_engine(pg_class.url)
    upgrade(engine, "0001")
    fill_at_first_revision(engine)
    before = snapshot(engine)
    engine.dispose()
    run = Cli(pg_class.url, user="ana")

    refused = run("decks")
    assert refused.exit_code == 1
    assert refused.output == (
        "Error: cannot use the database: the database is at schema revision 0001 and this "
        f"version of flashcards needs {HEAD_REVISION}: the database's owner (the instructor) "
        "runs `flashcards db upgrade` first\n"
    )

    # Not before a backup: nothing changes until the instructor says it is done.
    assert run("db", "upgrade").exit_code == 1
    out = ok(run("db", "upgrade", "--backed-up"))
    assert out.endswith(f"upgraded from 0001 to schema revision {HEAD_REVISION}.\n")
    after = make_engine(pg_class.url)
    try:
        kept(before, snapshot(after))
    finally:
        after.dispose()
    assert {d["name"] for d in json.loads(ok(run("decks", "--json")))} == {
        "Anatomy",
        "Anatomy::Hip",
        "Anatomy::Knee",
    }
