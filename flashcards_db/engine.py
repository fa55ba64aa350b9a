"""Engines from a URL or a file path, with the SQLite settings every connection needs."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session, sessionmaker

__all__ = [
    "SchemaError",
    "database_url",
    "default_database_path",
    "ensure_schema",
    "make_engine",
    "make_sessionmaker",
    "open_database",
]

SQLITE_BUSY_TIMEOUT_MS = 30_000


class SchemaError(Exception):
    """The database's schema is not one this version can use."""


def default_database_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("flashcards", appauthor=False) / "flashcards.db"


def database_url(db: str | None) -> str:
    """An SQLAlchemy URL from ``--db``: a URL as it is, a path as an SQLite file."""
    if not db:
        return f"sqlite:///{default_database_path()}"
    if "://" in db:
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        for prefix in ("postgresql://", "postgres://"):
            if db.startswith(prefix):
                return "postgresql+psycopg://" + db[len(prefix) :]
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"


def _prepare_sqlite_file(url: str) -> None:
    path = url.removeprefix("sqlite:///")
    if not path or path == ":memory:" or path.startswith("file:"):
        return
    file = Path(path)
    file.parent.mkdir(parents=True, exist_ok=True)
    if not file.exists():
        # Months of a student's answers: readable by its owner only, from the start.
        os.close(os.open(file, os.O_CREAT | os.O_WRONLY, 0o600))


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        _prepare_sqlite_file(url)
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000})
        _configure_sqlite(engine)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide when transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
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
    with engine.connect() as connection:
        try:
            row = connection.execute(text("SELECT version_num FROM alembic_version")).first()
        except (OperationalError, ProgrammingError):
            return None
        return None if row is None else str(row[0])


def ensure_schema(engine: Engine) -> None:
    """Bring the schema to the head revision; a new database is created by migration."""
    from flashcards_db.migrations import HEAD_REVISION, upgrade

    revision = current_revision(engine)
    if revision == HEAD_REVISION:
        return
    from flashcards_db.migrations import known_revisions

    if revision is not None and revision not in known_revisions():
        raise SchemaError(
            f"the database is at schema revision {revision!r}, which this version of "
            "flashcards does not know (was it written by a newer version?)"
        )
    upgrade(engine)


def open_database(db: str | None) -> Engine:
    engine = make_engine(database_url(db))
    ensure_schema(engine)
    return engine
