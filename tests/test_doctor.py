"""`flashcards doctor` and `flashcards backup` on deliberately damaged databases.

Each kind of damage is made with SQL that bypasses the constraints (SQLite with foreign
keys off, PostgreSQL with its triggers off), then doctor must name it, exit 1, and with
--fix repair what is safe after a copy of the file.
"""

from __future__ import annotations

import json
import os
import sqlite3
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import KNEE, Cli, ok, write
from sqlalchemy import Connection, create_engine, text


def studied(run: Cli, tmp_path: Path) -> None:
    """Three cards imported, two of them graded (one graded then undone and graded again)."""
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run("review", "--limit", "2", input="\n5\nu\n\n4\n\n3\n"))


@contextmanager
def unguarded(url: str) -> Iterator[Connection]:
    """A connection whose writes skip foreign keys: the way real damage gets in."""
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


def doctor(run: Cli, *args: str) -> tuple[int, dict[str, object]]:
    result = run("doctor", "--json", *args)
    return result.exit_code, json.loads(result.stdout)


def checks(report: dict[str, object]) -> set[str]:
    findings = report["findings"]
    assert isinstance(findings, list)
    return {f["check"] for f in findings}


def test_a_healthy_database_exits_0(run: Cli, tmp_path: Path) -> None:
    studied(run, tmp_path)
    out = ok(run("doctor"))
    assert "OK: no damage found." in out


def test_each_damage_is_found_and_the_safe_ones_repaired(run: Cli, tmp_path: Path) -> None:
    studied(run, tmp_path)
    with unguarded(run.db) as c:
        ids = dict(
            c.execute(
                text("SELECT n.key, c.id FROM cards c JOIN notes n ON n.id = c.note_id")
            ).all()
        )
        user = c.execute(text("SELECT id FROM users WHERE name = 'ana'")).scalar_one()
        # A state whose card is gone.
        c.execute(
            text(
                'INSERT INTO card_states (user_id, card_id, repetitions, "interval", easiness, '
                "lapses, reviews, suspended, leech, updated_at) "
                "VALUES (:u, 999999, 0, 0, 2.5, 0, 0, false, false, CURRENT_TIMESTAMP)"
            ),
            {"u": user},
        )
        # A state moved behind the log's back, and a count of reviews gone wrong.
        c.execute(
            text('UPDATE card_states SET "interval" = 40 WHERE card_id = :c'),
            {"c": ids["knee/knee-1"]},
        )
        c.execute(
            text("UPDATE card_states SET reviews = 7 WHERE card_id = :c"), {"c": ids["knee/knee-2"]}
        )
        # A note whose card is gone (never reviewed, so nothing else points at it).
        c.execute(text("DELETE FROM cards WHERE id = :c"), {"c": ids["knee/knee-3"]})
        # A stored file nobody uses, and an image that is not stored.
        c.execute(
            text(
                "INSERT INTO media (sha256, filename, size, data, created_at) "
                "VALUES (:h, :f, 3, :d, CURRENT_TIMESTAMP)"
            ),
            {"h": "a" * 64, "f": "a" * 64 + ".png", "d": b"png"},
        )
        c.execute(text("UPDATE notes SET image = 'gone.png' WHERE key = 'knee/knee-2'"))

    code, report = doctor(run)
    assert code == 1
    expected = {
        "orphan-states",
        "state-vs-log",
        "review-counts",
        "notes-without-cards",
        "unused-media",
        "missing-media",
    }
    if run.db.startswith("sqlite"):
        expected.add("foreign-keys")  # SQLite's own check sees the orphans too
    assert checks(report) == expected

    # PostgreSQL is not copied here: a repair waits until the user has backed it up.
    code, fixed = doctor(run, "--fix", *([] if run.db.startswith("sqlite") else ["--backed-up"]))
    assert code == 1  # a note without cards and a missing image need a person
    repaired = {f["check"] for f in fixed["findings"] if f["repaired"]}  # type: ignore[union-attr,index]
    assert repaired == {"orphan-states", "state-vs-log", "review-counts", "unused-media"}
    if run.db.startswith("sqlite"):
        backup = Path(str(fixed["backup"]))
        assert backup.exists() and stat.S_IMODE(backup.stat().st_mode) == 0o600
        with sqlite3.connect(backup) as copy:  # the copy is the database before the repair
            assert copy.execute(
                'SELECT count(*) FROM card_states WHERE "interval" = 40'
            ).fetchone() == (1,)

    _, after = doctor(run)
    left = {"notes-without-cards", "missing-media"}
    if run.db.startswith("sqlite"):
        left.add("foreign-keys")  # the note's image still points at no stored file
    assert checks(after) == left
    with unguarded(run.db) as c:
        interval, reviews = c.execute(
            text('SELECT "interval", reviews FROM card_states WHERE card_id = :c'),
            {"c": ids["knee/knee-1"]},
        ).one()
    assert (interval, reviews) == (1, 1)  # as the log says: one standing grade, interval 1


def test_fix_on_postgresql_waits_for_a_backup_and_shows_how(run: Cli, tmp_path: Path) -> None:
    studied(run, tmp_path)
    with unguarded(run.db) as c:  # one repairable damage: a review count gone wrong
        c.execute(text("UPDATE card_states SET reviews = 7"))
    _, before = doctor(run)
    assert "review-counts" in checks(before)
    usage = run("doctor", "--backed-up")
    assert usage.exit_code == 2 and "--backed-up goes with --fix" in usage.stderr
    refused = run("doctor", "--fix")
    if run.db.startswith("sqlite"):  # the file is copied, the repair goes ahead
        assert refused.exit_code == 0, refused.output
        assert "The file as it was is kept as" in refused.stdout
        return
    from sqlalchemy.engine import make_url

    assert refused.exit_code == 1
    assert refused.stderr.startswith("Error: nothing was repaired"), refused.stderr
    assert "pg_dump --format=custom" in refused.stderr
    assert make_url(run.db).database in refused.stderr  # type: ignore[operator]
    assert "flashcards doctor --fix --backed-up" in refused.stderr
    _, after = doctor(run)
    assert after == before  # nothing changed
    code, fixed = doctor(run, "--fix", "--backed-up")
    assert code == 0 and fixed["backup"] is None
    assert all(f["repaired"] for f in fixed["findings"])  # type: ignore[union-attr,index]
    assert ok(run("doctor")).startswith("OK: no damage found.")


def test_integrity_damage_is_found_and_nothing_repaired(run_sqlite: Cli, tmp_path: Path) -> None:
    studied(run_sqlite, tmp_path)
    path = run_sqlite.db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as c:
        # Point one index at another's pages: SQLite's check finds rows missing from it.
        pages = dict(
            c.execute("SELECT name, rootpage FROM sqlite_master WHERE type = 'index'").fetchall()
        )
        c.execute("PRAGMA writable_schema = ON")
        c.execute(
            "UPDATE sqlite_master SET rootpage = ? WHERE name = 'ix_card_states_user_due_card'",
            (pages["ix_reviews_user_day"],),
        )
    code, report = doctor(run_sqlite)
    assert code == 1 and "integrity" in checks(report)
    result = run_sqlite("doctor", "--fix")
    assert result.exit_code == 1


def test_backup_writes_a_private_consistent_copy(run_sqlite: Cli, tmp_path: Path) -> None:
    studied(run_sqlite, tmp_path)
    target = tmp_path / "copy.db"
    out = ok(run_sqlite("backup", str(target)))
    assert str(target) in out
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with sqlite3.connect(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("SELECT count(*) FROM reviews").fetchone()[0] == 4
    refused = run_sqlite("backup", str(target))
    assert refused.exit_code == 1 and "exists: not overwritten" in refused.output
    default = ok(run_sqlite("backup"))
    made = Path(default.split("Backed up to ")[1].strip())
    assert made.parent == target.parent and made.exists()


def test_backup_on_postgresql_prints_pg_dump_without_the_password(run: Cli) -> None:
    if not run.db.startswith("postgresql"):
        pytest.skip("PostgreSQL only")
    from sqlalchemy.engine import make_url

    secret = make_url(run.db).set(password="s3cret-word").render_as_string(hide_password=False)
    out = ok(Cli(secret)("backup"))
    assert "pg_dump --format=custom" in out
    assert make_url(run.db).database in out  # type: ignore[operator]
    assert "s3cret" not in out and "PGPASSWORD='<your password>'" in out


def test_the_database_file_is_private(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(write(tmp_path / "knee.yaml", KNEE))))
    path = Path(run_sqlite.db.removeprefix("sqlite:///"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert os.access(path, os.R_OK)


def test_import_prune_copies_the_file_first(run_sqlite: Cli, tmp_path: Path) -> None:
    studied(run_sqlite, tmp_path)
    path = Path(run_sqlite.db.removeprefix("sqlite:///"))
    ok(run_sqlite("import", str(write(tmp_path / "knee.yaml", KNEE.split("  - id: knee-2")[0]))))
    ok(run_sqlite("import", "--prune", str(tmp_path / "knee.yaml")))
    (copy,) = path.parent.glob(f"{path.name}.prune-*.bak")
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    with sqlite3.connect(copy) as before, sqlite3.connect(path) as after:
        # The copy still has the pruned cards' history; the database no longer does.
        assert before.execute("SELECT count(*) FROM notes").fetchone() == (3,)
        assert after.execute("SELECT count(*) FROM notes").fetchone() == (1,)


def test_findings_name_the_card_and_its_fields_not_python_values(run: Cli, tmp_path: Path) -> None:
    studied(run, tmp_path)
    with unguarded(run.db) as c:
        ids = dict(
            c.execute(
                text("SELECT n.key, c.id FROM cards c JOIN notes n ON n.id = c.note_id")
            ).all()
        )
        c.execute(
            text('UPDATE card_states SET "interval" = 30, due_day = :d WHERE card_id = :c'),
            {"c": ids["knee/knee-1"], "d": "2026-04-01"},
        )
        c.execute(text("DELETE FROM card_states WHERE card_id = :c"), {"c": ids["knee/knee-2"]})

    result = run("doctor")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    drift = lines[lines.index(next(x for x in lines if x.startswith("state-vs-log"))) + 1]
    assert drift == (
        "  ana, knee/knee-1 “Which muscle unlocks the extended knee?”: interval 30 days "
        "stored, the log gives 1 day; due 2026-04-01 stored, the log gives 2026-03-03"
    )
    missing = lines[lines.index(next(x for x in lines if x.startswith("missing-states"))) + 1]
    assert missing.startswith("  ana, knee/knee-2 “Which bone has the adductor tubercle?”: ")
    assert "no state stored; the log gives repetitions " in missing
    assert "interval " in missing and "due 2026-03" in missing
    assert "datetime" not in result.stdout and "(1, " not in result.stdout

    _, report = doctor(run)
    findings = {f["check"]: f for f in report["findings"]}  # type: ignore[union-attr]
    (card,) = findings["state-vs-log"]["cards"]
    assert card["key"] == "knee/knee-1" and card["card_id"] == ids["knee/knee-1"]
    assert card["question"] == "Which muscle unlocks the extended knee?"
    assert card["stored"]["interval"] == 30 and card["stored"]["due"] == "2026-04-01"
    assert card["log"]["interval"] == 1 and card["log"]["due"] == "2026-03-03"
    assert set(card["log"]) == {"repetitions", "interval", "ease", "due", "lapses"}
    assert "datetime" not in json.dumps(report)
    (gone,) = findings["missing-states"]["cards"]
    assert gone["stored"] is None and gone["key"] == "knee/knee-2"
