"""What deletes or rewrites a class's data waits for a backup on PostgreSQL.

An SQLite file is copied next to itself before `import --prune` and `db upgrade`. A
PostgreSQL database is not copied by flashcards: there both refuse, change nothing and
print the `pg_dump` command to run (the password hidden), and go ahead with
`--backed-up`. What has nothing to lose (a dry run, a prune that deletes nothing, a new
empty database, a database at head) is never refused.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import KNEE, Cli, ok, write
from sqlalchemy import text
from sqlalchemy.engine import make_url
from test_migrations_upgrade import fill_at_first_revision, snapshot

from flashcards.study.backup import pg_dump_command
from flashcards_db.engine import current_revision, make_engine
from flashcards_db.migrations import HEAD_REVISION, upgrade

KNEE_4 = "  - id: knee-4\n    q: Which ligament resists posterior tibial glide?\n    a: PCL\n"
KNEE_LATER = KNEE.split("  - id: knee-2")[0] + KNEE_4  # knee-2 and knee-3 removed
TABLES = ("notes", "cards", "card_states", "reviews")


def with_password(url: str) -> str:
    """The URL with a password in it (the test server trusts its connections)."""
    return make_url(url).set(password="s3cret-word").render_as_string(hide_password=False)


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {t: connection.scalar(text(f"SELECT count(*) FROM {t}")) for t in TABLES}
    finally:
        engine.dispose()


def assert_refused_with_pg_dump(result: Any, url: str, start: str, go_ahead: str) -> None:
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {start}"), result.stderr
    assert f"Back it up first:\n  {pg_dump_command(url)}\nthen {go_ahead}.\n" in result.stderr
    assert make_url(url).database in result.stderr
    assert "s3cret" not in result.output
    assert "***" not in result.stderr  # a placeholder password would override PGPASSWORD


@pytest.fixture
def pruned_file(run: Cli, tmp_path: Path) -> Path:
    """The knee deck imported and studied, then two of its cards removed from the file
    (retired by a plain import) and a new one added."""
    deck = write(tmp_path / "knee.yaml", KNEE)
    ok(run("import", str(deck)))
    ok(run("review", input="\n5\n\n4\n\n3\n"))
    ok(run("import", str(write(deck, KNEE_LATER))))
    return deck


# --- import --prune -------------------------------------------------------------------


def test_prune_on_postgresql_changes_nothing_before_a_backup_and_shows_how(
    run: Cli, pruned_file: Path
) -> None:
    before = row_counts(run.db)
    assert before == {"notes": 4, "cards": 4, "card_states": 3, "reviews": 3}

    result = Cli(with_password(run.db))("import", "--prune", str(pruned_file))

    if run.db.startswith("sqlite"):  # the file is copied first and the prune goes ahead
        assert result.exit_code == 0, result.output
        assert row_counts(run.db) == {"notes": 2, "cards": 2, "card_states": 1, "reviews": 1}
        return
    assert_refused_with_pg_dump(
        result,
        with_password(run.db),
        "nothing was imported: --prune would delete 2 note(s) no longer in the files, "
        "with their review history",
        "import again with `--prune --backed-up`",
    )
    assert row_counts(run.db) == before  # neither deleted nor anything else imported


def test_prune_with_backed_up_deletes_on_every_engine(run: Cli, pruned_file: Path) -> None:
    result = run("import", "--prune", "--backed-up", "--json", str(pruned_file))

    document = json.loads(ok(result))
    assert (document["added"], document["unchanged"], document["deleted"]) == (0, 2, 2)
    assert row_counts(run.db) == {"notes": 2, "cards": 2, "card_states": 1, "reviews": 1}


def test_a_dry_run_of_prune_is_never_refused(run: Cli, pruned_file: Path) -> None:
    before = row_counts(run.db)

    document = json.loads(ok(run("import", "--prune", "--dry-run", "--json", str(pruned_file))))

    assert (document["deleted"], document["dry_run"]) == (2, True)
    assert row_counts(run.db) == before


def test_a_prune_that_deletes_nothing_needs_no_backup(run: Cli, tmp_path: Path) -> None:
    deck = write(tmp_path / "knee.yaml", KNEE)
    ok(run("import", str(deck)))

    out = ok(run("import", "--prune", str(write(deck, KNEE + KNEE_4))))

    assert out.splitlines()[1].startswith(
        "notes added 1, updated 0, unchanged 3, retired 0, deleted 0"
    )


def test_backed_up_goes_with_prune(run: Cli, tmp_path: Path) -> None:
    deck = write(tmp_path / "knee.yaml", KNEE)
    ok(run("import", str(deck)))

    result = run("import", "--backed-up", str(write(deck, KNEE_LATER)))

    assert result.exit_code == 2
    assert "--backed-up goes with --prune" in result.stderr
    assert row_counts(run.db)["notes"] == 3  # not even the new card imported


# --- db upgrade -----------------------------------------------------------------------


@pytest.mark.postgres
def test_upgrade_of_a_postgresql_database_with_a_schema_waits_for_a_backup(
    pg_class: Any,
) -> None:
    engine = make_engine(pg_class.url)
    try:
        upgrade(engine, "0001")
        fill_at_first_revision(engine)
        before = snapshot(engine)
    finally:
        engine.dispose()
    url = with_password(pg_class.url)

    refused = Cli(url)("db", "upgrade")

    assert_refused_with_pg_dump(
        refused,
        url,
        f"nothing was changed: the schema is at revision 0001 and this version needs "
        f"{HEAD_REVISION}",
        "upgrade with `flashcards db upgrade --backed-up`",
    )
    engine = make_engine(pg_class.url)
    try:
        assert current_revision(engine) == "0001"
        assert snapshot(engine) == before  # every row of every table as it was
    finally:
        engine.dispose()

    out = ok(Cli(url)("db", "upgrade", "--backed-up"))

    assert out.endswith(f"upgraded from 0001 to schema revision {HEAD_REVISION}.\n")
    assert "s3cret" not in out


@pytest.mark.postgres
def test_upgrade_of_a_postgresql_database_at_head_needs_no_backup(pg_class: Any) -> None:
    ok(Cli(pg_class.url)("review", input="q\n"))  # creates the schema, at head

    out = ok(Cli(pg_class.url)("db", "upgrade"))

    assert out.endswith(f"already at schema revision {HEAD_REVISION}.\n")
