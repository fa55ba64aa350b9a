"""`flashcards restore FILE`: a backup comes back only when it is a healthy flashcards
database; the current one is copied first; anything else is refused and changes
nothing. PostgreSQL is restored by its server's tools, and the command says how."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

from conftest import KNEE, Cli, ok, write


def review_keys(run: Cli) -> set[str]:
    return {card["key"] for card in json.loads(ok(run("search", "is:review", "--json")))}


def studied(tmp_path: Path) -> Cli:
    run = Cli(f"sqlite:///{tmp_path / 'flashcards.db'}")
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run("review", input="\n5\n\n4\n\n3\n"))
    return run


def test_a_backup_comes_back_and_the_current_database_is_kept(tmp_path: Path) -> None:
    run = studied(tmp_path)
    backup = tmp_path / "monday.db"
    ok(run("backup", str(backup)))
    assert len(review_keys(run)) == 3
    ok(run("forget", "deck:Anatomy"))  # the mistake the backup undoes
    assert review_keys(run) == set()
    out = ok(run("restore", str(backup)))
    assert out.startswith(f"Restored {backup} into {tmp_path / 'flashcards.db'}")
    assert len(review_keys(run)) == 3
    kept = Path(out.split("is kept as ")[1].strip())
    assert kept.parent == tmp_path and kept.exists()
    previous = Cli(f"sqlite:///{kept}")
    assert review_keys(previous) == set()  # the copy is the database as it was
    assert ok(run("doctor")).startswith("OK")
    assert sorted(p.name for p in tmp_path.glob("monday.db*")) == ["monday.db"]


def test_anything_else_is_refused_and_nothing_changes(tmp_path: Path) -> None:
    run = studied(tmp_path)
    database = tmp_path / "flashcards.db"
    before = review_keys(run)
    other = sqlite3.connect(tmp_path / "other.db")
    other.execute("CREATE TABLE t (x)")
    other.close()
    damaged = tmp_path / "damaged.db"
    ok(run("backup", str(damaged)))
    with sqlite3.connect(damaged) as db:
        db.execute("UPDATE card_states SET interval = 99")  # no longer what its log says
    cases = {
        str(tmp_path / "missing.db"): "no such file",
        str(write(tmp_path / "notes.txt", "hello")): "is not a flashcards database: not an SQLite",
        str(tmp_path / "other.db"): "is not a flashcards database: it has no",
        str(database): "is the database itself",
        str(tmp_path): "is not a file",
        str(damaged): "does not pass `flashcards doctor`: state-vs-log",
    }
    for argument, message in cases.items():
        result = run("restore", argument)
        assert result.exit_code == 1, argument
        assert result.stderr.startswith("Error: ") and message in result.stderr, result.stderr
    assert review_keys(run) == before
    assert not list(tmp_path.glob("flashcards.db.restore-*"))


def test_a_backup_at_an_older_schema_is_upgraded_as_it_comes_back(tmp_path: Path) -> None:
    run = studied(tmp_path)
    backup = tmp_path / "old.db"
    ok(run("backup", str(backup)))
    with sqlite3.connect(backup) as db:  # as 0004 left it: no settings table, no 0006
        db.execute("DROP TABLE settings")
        db.execute("DROP INDEX ix_reviews_user_id")
        db.execute("ALTER TABLE reviews DROP COLUMN leech_before")
        db.execute("ALTER TABLE reviews DROP COLUMN leech_marked")
        db.execute("UPDATE alembic_version SET version_num = '0004'")
    shutil.copy(backup, tmp_path / "old-copy.db")
    out = ok(run("restore", str(backup)))
    assert "schema 0004, upgraded" in out
    assert len(review_keys(run)) == 3
    ok(run("config", "new-per-day", "7"))  # the restored database has the new table
    assert (tmp_path / "old.db").read_bytes() == (tmp_path / "old-copy.db").read_bytes()


def test_on_postgresql_restore_says_how_the_servers_tools_do_it(pg_server: str) -> None:
    from conftest import _create_pg_database, _drop_pg_database

    url, handle = _create_pg_database(pg_server)
    try:
        result = Cli(url)("restore", "class.dump")
        assert result.exit_code == 1
        assert "a PostgreSQL database is restored by its server's tools" in result.stderr
        assert "pg_restore --clean" in result.stderr
    finally:
        _drop_pg_database(handle)


def test_restore_counts_the_reviews_that_stats_and_users_count(tmp_path: Path) -> None:
    """Undo rows, suspensions and quiz answers are in the log but are no reviews."""
    run = studied(tmp_path)
    ok(run("undo"))  # the last of the three answers taken back: an undo row
    ok(run("suspend", "knee-3"))  # a suspend row
    ok(run("quiz", "--mode", "flip", "--count", "3", input="\n5\n" * 3))  # quiz rows
    backup = tmp_path / "monday.db"
    ok(run("backup", str(backup)))
    stats = json.loads(ok(run("stats", "--json")))
    (user,) = json.loads(ok(run("users", "--json")))
    assert stats["reviews_total"] == user["reviews"] == 2
    with sqlite3.connect(backup) as db:
        (logged,) = db.execute("SELECT count(*) FROM reviews").fetchone()
    assert logged > 2  # the log holds more than the reviews
    out = ok(run("restore", str(backup)))
    assert "2 review(s) in all, as `flashcards users` counts them" in out, out
