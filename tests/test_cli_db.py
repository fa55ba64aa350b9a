"""`flashcards db upgrade` and `flashcards db check`, on each engine.

`db check` is `alembic check` for users: the revision against this version's head, the
models against the database; on PostgreSQL also row-level security. `db upgrade` brings
an older database to the head (an SQLite file is copied first).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, ok
from sqlalchemy import text
from sqlalchemy.engine import make_url

from flashcards_db.engine import current_revision, make_engine
from flashcards_db.migrations import HEAD_REVISION, upgrade


def at_revision(url: str, revision: str) -> None:
    engine = make_engine(url)
    try:
        upgrade(engine, revision)
    finally:
        engine.dispose()


def execute(url: str, sql: str) -> None:
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            connection.execute(text(sql))
    finally:
        engine.dispose()


def shown(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def test_check_at_head_is_ok(run: Cli) -> None:
    ok(run("review", input="q\n"))  # any command that studies creates the schema
    out = ok(run("db", "check"))

    guarded = " and row-level security is on" if run.db.startswith("postgresql") else ""
    assert out == (
        f"{shown(run.db)}: schema revision {HEAD_REVISION} (this version: {HEAD_REVISION})\n"
        f"OK: the database matches the models{guarded}.\n"
    )
    document = json.loads(ok(run("db", "check", "--json")))
    assert (document["ok"], document["revision"], document["problems"]) == (
        True,
        HEAD_REVISION,
        [],
    )


def test_check_of_an_older_database_says_to_upgrade_and_changes_nothing(run: Cli) -> None:
    at_revision(run.db, "0002")

    result = run("db", "check")

    assert result.exit_code == 1
    assert result.output.splitlines()[1] == (
        f"problem: schema revision 0002, this version needs {HEAD_REVISION}: "
        "run `flashcards db upgrade`"
    )
    document = json.loads(run("db", "check", "--json").stdout)
    assert (document["ok"], document["revision"]) == (False, "0002")
    engine = make_engine(run.db)
    try:
        assert current_revision(engine) == "0002"
    finally:
        engine.dispose()


def test_check_finds_a_difference_between_the_models_and_the_database(run: Cli) -> None:
    ok(run("review", input="q\n"))
    execute(run.db, "ALTER TABLE reviews ADD COLUMN hint TEXT")  # made outside migrations

    result = run("db", "check")

    assert result.exit_code == 1
    assert "problem: models and database differ: remove_column reviews.hint" in result.output


def test_check_of_a_database_from_a_newer_version_is_an_error(run: Cli) -> None:
    ok(run("review", input="q\n"))
    execute(run.db, "UPDATE alembic_version SET version_num = '0099'")

    result = run("db", "check")

    assert result.exit_code == 1
    assert result.output.startswith("Error: the database is at schema revision '0099'")


def test_check_of_a_missing_sqlite_file_creates_nothing(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.db"
    result = Cli(str(path))("db", "check")

    assert result.exit_code == 1
    assert result.output == f"Error: no database file at {path}\n"
    assert not path.exists()


def test_upgrade_of_an_sqlite_file_copies_it_first(run_sqlite: Cli, tmp_path: Path) -> None:
    at_revision(run_sqlite.db, "0002")

    out = ok(run_sqlite("db", "upgrade"))

    (backup,) = tmp_path.glob("flashcards.db.0002-*.bak")
    assert out == (
        f"{run_sqlite.db}: upgraded from 0002 to schema revision {HEAD_REVISION}.\n"
        f"The file as it was is kept as {backup}\n"
    )
    assert ok(run_sqlite("db", "upgrade")) == (
        f"{run_sqlite.db}: already at schema revision {HEAD_REVISION}.\n"
    )
    assert len(list(tmp_path.glob("*.bak"))) == 1


@pytest.mark.postgres
def test_upgrade_creates_the_schema_of_an_empty_postgresql_database_and_hides_the_password(
    pg_class: object,
) -> None:
    url = make_url(pg_class.url).set(password="s3cret").render_as_string(hide_password=False)  # type: ignore[attr-defined]

    out = ok(Cli(url)("db", "upgrade"))

    assert "s3cret" not in out
    assert out == f"{shown(url)}: upgraded from empty to schema revision {HEAD_REVISION}.\n"
    assert ok(Cli(url)("db", "check")).endswith("row-level security is on.\n")
