"""Engines from a URL or a file path, with the SQLite settings every connection needs."""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

from flashcards_db.location import SQLITE_BUSY_TIMEOUT_MS, database_url, default_database_path

__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "DatabaseFileError",
    "SchemaError",
    "backup_sqlite",
    "create_sqlite_schema",
    "current_revision",
    "database_url",
    "default_database_path",
    "ensure_schema",
    "make_engine",
    "make_sessionmaker",
    "open_database",
    "sqlite_path",
    "upgrade_sqlite",
]

# Notices for the person at the terminal (an upgrade and its backup). Without logging
# configured, Python prints WARNING records to stderr as bare messages.
log = logging.getLogger("flashcards_db")


class SchemaError(Exception):
    """The database's schema is not one this version can use."""


class DatabaseFileError(Exception):
    """The SQLite file cannot be opened or made where ``--db`` says (the message says why)."""


def _prepare_sqlite_file(path: str | None) -> None:
    """Make the database file, private from the start. Only the default data folder is
    made on first use: any other missing folder is most likely a typo in ``--db``, and a
    new database there would hide the real one."""
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path)
    folder = file.parent
    try:
        if not folder.is_dir():
            if folder.exists():
                raise DatabaseFileError(f"{folder} is a file, not a folder: no database in it")
            if folder != default_database_path().parent:
                raise DatabaseFileError(
                    f"no such folder: {folder} (create it first, or check the --db path)"
                )
            folder.mkdir(parents=True, exist_ok=True)
        if file.is_dir():
            raise DatabaseFileError(f"{file} is a folder, not a database file")
        if not file.exists():
            # Months of a student's answers: readable by its owner only, from the start.
            os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))
    except OSError as exc:
        where = exc.filename or file
        raise DatabaseFileError(
            f"cannot make the database {file}: {exc.strerror} ({where})"
        ) from exc


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        # The engine first: it refuses a driver it does not know before any file is made.
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _prepare_sqlite_file(engine.url.database)
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _use_wal(cursor: Any) -> None:
    """Put the file in WAL mode (kept in the file: once set, later connections only read it).

    Switching a new file to WAL needs its exclusive lock, and SQLite answers "database is
    locked" at once, without the busy timeout, while another process (a second terminal
    opening the same new file) holds a lock: it is tried again until the timeout.
    """
    deadline = time.monotonic() + SQLITE_BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.02)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        _use_wal(cursor)
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # IMMEDIATE takes the write lock up front, so two processes never deadlock on a
        # read-to-write upgrade (which SQLite reports as "database is locked" at once,
        # without waiting for the busy timeout).
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def make_sessionmaker(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


def current_revision(engine: Engine) -> str | None:
    """The database's schema revision; None for a database without one (a new one)."""
    with engine.connect() as connection:
        try:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        except (OperationalError, ProgrammingError) as exc:
            if _no_such_table(exc):
                return None
            raise  # e.g. a role refused the table: not a reason to create the schema
        return None if row is None else str(row[0])


def _no_such_table(exc: OperationalError | ProgrammingError) -> bool:
    sqlstate = getattr(exc.orig, "sqlstate", None)
    return sqlstate == "42P01" or "no such table" in str(exc.orig)


def _check_known(revision: str | None) -> None:
    from flashcards_db.migrations import known_revisions

    if revision is not None and revision not in known_revisions():
        raise SchemaError(
            f"the database is at schema revision {revision!r}, which this version of "
            "flashcards does not know (was it written by a newer version?)"
        )


def ensure_schema(engine: Engine) -> None:
    """Bring the schema to the head revision; a new database is created by migration.

    An SQLite file (one student's own) at an older revision is upgraded in place, after
    a copy of it is written next to it. A PostgreSQL database is a whole class's: an
    older one is left alone, and its owner upgrades it with ``flashcards db upgrade``.
    """
    from flashcards_db.migrations import HEAD_REVISION, upgrade

    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return  # the common case: one query, and Alembic is never imported
    if revision is None and engine.dialect.name == "sqlite" and create_sqlite_schema(engine):
        return  # a new file: the head schema at once, Alembic still not imported
    _check_known(revision)
    if revision is None:
        _check_not_foreign(engine)
    if engine.dialect.name == "sqlite":
        before, backup = upgrade_sqlite(engine)
        if backup is not None:
            log.warning(
                "Upgraded the database from schema revision %s to %s; the file as it was "
                "is kept as %s",
                before,
                HEAD_REVISION,
                backup,
            )
        return
    if revision is not None:
        raise SchemaError(
            f"the database is at schema revision {revision} and this version of flashcards "
            f"needs {HEAD_REVISION}: the database's owner (the instructor) runs "
            "`flashcards db upgrade` first"
        )
    upgrade(engine)  # a new, empty database


def create_sqlite_schema(engine: Engine) -> bool:
    """Give a new SQLite file the head schema in one transaction (the migrations' snapshot).

    Under the file's write lock, like an upgrade: of several processes opening one new
    file, one creates the schema and the others find it there. False when the file holds
    tables after all (ours: the caller goes on as for any older schema; another program's:
    the caller refuses it).
    """
    from flashcards_db.migrations import migration_connection
    from flashcards_db.migrations.snapshot import create_schema

    with migration_connection(engine) as connection:
        # Any table at all (ours, or another program's): not a new file.
        found = connection.exec_driver_sql(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ).first()
        if found is not None:
            return False
        create_schema(connection)
        return True


def _check_not_foreign(engine: Engine) -> None:
    """An SQLite file of another program is refused: our schema is never added to it."""
    if engine.dialect.name != "sqlite":
        return  # a class's server may hold other schemas' tables: not ours to judge
    with engine.connect() as connection:
        tables = [
            str(name)
            for (name,) in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
    if tables and "alembic_version" not in tables:  # (another process may just have made it)
        shown = ", ".join(tables[:5]) + (", …" if len(tables) > 5 else "")
        raise SchemaError(
            f"this SQLite file is not a flashcards database: it holds another program's "
            f"tables ({shown})"
        )


def upgrade_sqlite(engine: Engine) -> tuple[str | None, Path | None]:
    """Upgrade an SQLite file to the head, copying it first if it had a schema.

    Everything happens under the file's write lock, with the revision read under it: of
    several processes opening one old file, one copies and upgrades it, the others wait
    and find it done. Returns the revision found and the copy (None when nothing was done
    or there was nothing to copy).
    """
    from flashcards_db.migrations import (
        HEAD_REVISION,
        migration_connection,
        revision_of,
        upgrade_on,
    )

    with migration_connection(engine) as connection:
        revision = revision_of(connection)
        if revision == HEAD_REVISION:
            return revision, None
        _check_known(revision)
        backup = None
        if revision is not None:
            # Through a second connection: in WAL mode it reads while this one holds the
            # write lock (SQLite refuses to copy through the connection that holds it).
            backup = backup_sqlite(engine, revision)
        upgrade_on(connection)
        return revision, backup


def sqlite_path(engine: Engine) -> Path | None:
    """The file of an SQLite engine; None for another engine or an in-memory database."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    if not name or name == ":memory:" or name.startswith("file:"):
        return None
    return Path(name)


def backup_sqlite(engine: Engine, revision: str) -> Path:
    """A consistent copy of the SQLite file, next to it, named after its revision.

    SQLite's backup API, not a file copy: answers still in the write-ahead log are in
    the copy too. The copy is readable by its owner only, like the file itself.
    """
    import sqlite3

    path = sqlite_path(engine)
    if path is None:
        raise SchemaError("only an SQLite file can be backed up this way")
    stamp = dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%S%fZ")
    target = path.with_name(f"{path.name}.{revision}-{stamp}.bak")
    os.close(os.open(target, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert isinstance(source, sqlite3.Connection)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)
        finally:
            copy.close()
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    finally:
        raw.close()
    return target


def open_database(db: str | None) -> Engine:
    engine = make_engine(database_url(db))
    ensure_schema(engine)
    return engine
