"""Backing up a database: SQLite's online backup to a file; pg_dump for PostgreSQL.

A PostgreSQL database is not copied by us (pg_dump may be missing, or of another
version than the server): a change a backup should come before (a repair, a schema
upgrade, a prune) is refused until the person says the backup is done, and the refusal
shows the `pg_dump` command to run (``back_up_first``).
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from flashcards.errors import FlashcardsError, check_output_folder, not_overwritten
from flashcards.study.context import App
from flashcards_db.engine import backup_sqlite, database_url, sqlite_path

__all__ = ["Backup", "back_up", "back_up_first", "pg_dump_command", "pg_tool_command"]


@dataclass(frozen=True)
class Backup:
    path: Path | None  # the copy written (SQLite)
    command: str | None  # the command to run (PostgreSQL)


def pg_tool_command(db: str | None, before: str, after: str = "") -> str:
    """The shell command running a PostgreSQL tool (``before``: the program and its
    options, up to where the URL goes; ``after``: what follows the URL) on the database
    ``db``, as it runs once the user puts in their password.

    The URL given to the tool carries no password at all: one in the URL, even a
    placeholder, would be taken for the password and win over PGPASSWORD. The real
    password is never printed: PGPASSWORD is left for the user to fill in (or the tool
    asks for it, or reads ~/.pgpass)."""
    url = make_url(database_url(db))
    # ``URL.set(password=None)`` keeps the password: None there means "unchanged".
    bare = url._replace(drivername="postgresql", password=None).render_as_string()
    asks = "PGPASSWORD='<your password>' " if url.password else ""
    tail = f" {after}" if after else ""
    return f"{asks}{before}{shlex.quote(bare)}{tail}"


def pg_dump_command(db: str | None, target: Path | None = None) -> str:
    """The shell command that backs the PostgreSQL database ``db`` up to ``target``, by
    default to a dated file."""
    file = shlex.quote(str(target)) if target else "flashcards-$(date +%Y%m%dT%H%M%S).dump"
    return pg_tool_command(db, f"pg_dump --format=custom --file={file} ")


def back_up_first(db: str | None, refused: str, go_ahead: str) -> FlashcardsError:
    """The error refusing a change to the PostgreSQL database ``db`` before a backup.

    ``refused`` says what was not done and why; ``go_ahead`` how to do it once backed up
    (the command again with ``--backed-up``).
    """
    return FlashcardsError(
        f"{refused}. Back it up first:\n  {pg_dump_command(db)}\nthen {go_ahead}."
    )


def back_up(app: App, target: Path | None = None) -> Backup:
    backend = make_url(database_url(app.db)).get_backend_name()
    if backend == "postgresql":
        return Backup(None, pg_dump_command(app.db, target))
    engine = app.engine  # any other kind of database fails here, as for every command
    source = sqlite_path(engine)
    if source is None:
        raise FlashcardsError("an in-memory database cannot be backed up")
    if target is None:
        return Backup(_checked(backup_sqlite(engine, "backup")), None)
    target = target.expanduser().resolve()
    if target == source.resolve():
        raise FlashcardsError("the backup cannot overwrite the database itself")
    if target.exists():
        raise not_overwritten(target)
    check_output_folder(target)
    raw = engine.raw_connection()
    try:
        _copy(raw.driver_connection, target)
    finally:
        raw.close()
    return Backup(_checked(target), None)


def _checked(copy: Path) -> Path:
    """The copy, once SQLite finds it whole; a copy of a damaged file is no backup (it
    would replace a good one in the user's mind), so it is removed and the user told.

    The copy is checked rather than the database: the check reads every page, and on
    the copy it holds no lock that a running session would wait for."""
    try:
        with closing(sqlite3.connect(copy)) as connection:
            rows = [str(r[0]) for r in connection.execute("PRAGMA integrity_check(5)")]
    except sqlite3.DatabaseError as exc:
        rows = [str(exc)]
    if rows == ["ok"]:
        return copy
    copy.unlink(missing_ok=True)
    lines = [line for row in rows for line in row.splitlines() if not line.startswith("***")]
    raise FlashcardsError(
        f"no backup was made: the database fails SQLite's integrity check "
        f"({(lines or rows)[0]}); "
        "run `flashcards doctor`, and keep your last good backup"
    )


def _copy(connection: object, target: Path) -> None:
    # Readable by its owner only from its first byte, like the database itself.
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    assert isinstance(connection, sqlite3.Connection)
    try:
        copy = sqlite3.connect(target)
        try:
            connection.backup(copy)
        finally:
            copy.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
