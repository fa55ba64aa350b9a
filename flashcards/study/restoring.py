"""Putting a backup back (``flashcards restore FILE``), SQLite only.

The file is checked on a private copy first: an SQLite file, a flashcards database of a
schema this version knows (an older one is upgraded, on the copy), and one that
``flashcards doctor`` finds healthy. Only then is the current database copied next to
itself and replaced, through SQLite's backup API: other terminals with the database open
wait for it and then read the restored content, and nothing is half-written. Anything
else is refused with what is wrong, and the current database is left as it was.

A PostgreSQL database is restored by its server's tools (``pg_restore``): the refusal
says how.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from flashcards.errors import FlashcardsError
from flashcards.study.context import App
from flashcards_db.engine import backup_sqlite, database_url, sqlite_path

__all__ = ["Restored", "restore"]

_SQLITE_HEADER = b"SQLite format 3\x00"
_OUR_TABLES = {"alembic_version", "users", "decks", "notes", "cards", "card_states", "reviews"}


@dataclass(frozen=True)
class Restored:
    source: Path
    database: Path
    kept_as: Path  # the database as it was before
    revision: str  # the backup's schema revision
    upgraded: bool  # the backup was at an older revision and is now at the current one
    answers: int  # study answers that still stand, as `stats` and `users` count them
    decks: int


def _pg_refusal(app: App) -> FlashcardsError:
    from flashcards.study.backup import pg_tool_command

    command = pg_tool_command(app.db, "pg_restore --clean --if-exists --no-owner --dbname=", "FILE")
    return FlashcardsError(
        "a PostgreSQL database is restored by its server's tools, not by flashcards: with "
        "the file `pg_dump --format=custom` wrote (`flashcards backup` shows the command), "
        f"run\n  {command}\n"
        "as the database's owner (the instructor), then `flashcards db check`"
    )


def _read_revision(copy: Path, path: Path) -> str:
    """The schema revision of an SQLite file that looks like ours, else a clear error.

    Read from the private ``copy`` of ``path``: opening a backup in WAL mode, even to
    read, would leave files beside it."""
    with copy.open("rb") as file:
        header = file.read(len(_SQLITE_HEADER))
    if header != _SQLITE_HEADER:
        raise FlashcardsError(f"{path} is not a flashcards database: not an SQLite file")
    try:
        uri = copy.resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db:
            tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master")}
            missing = _OUR_TABLES - tables
            if missing:
                raise FlashcardsError(
                    f"{path} is not a flashcards database: it has no "
                    f"{', '.join(sorted(missing))} table(s)"
                )
            row = db.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.Error as exc:
        raise FlashcardsError(f"{path} is not a readable SQLite database: {exc}") from exc
    if row is None:
        raise FlashcardsError(f"{path} is not a flashcards database: no schema revision")
    return str(row[0])


def _check_copy(copy: Path, source: Path, revision: str) -> tuple[bool, int, int]:
    """Open the private copy as a database (upgrading an older schema), run doctor on it:
    (upgraded, answers, decks)."""
    from sqlalchemy import func, select

    from flashcards.study.doctor import examine
    from flashcards_db.migrations import HEAD_REVISION, known_revisions
    from flashcards_db.models import Deck
    from flashcards_db.queries.stats import answers_per_day

    if revision not in known_revisions():
        raise FlashcardsError(
            f"{source} is at schema revision {revision!r}, which this version of flashcards "
            "does not know (was it written by a newer version?)"
        )
    checking = App(db=str(copy), user_name="restore", today_override=None)
    try:
        checkup = examine(checking)
        if checkup.damaged:
            problems = "; ".join(f"{f.check}: {f.count} ({f.summary})" for f in checkup.findings)
            raise FlashcardsError(
                f"{source} does not pass `flashcards doctor`: {problems}. Nothing was "
                "restored; run `flashcards --db FILE doctor --fix` on a copy of it first"
            )
        with checking.session() as session:
            answers = sum(day.answers for day in answers_per_day(session))
            decks = session.scalar(select(func.count(Deck.id))) or 0
    finally:
        checking.close()
    return revision != HEAD_REVISION, int(answers), int(decks)


def _copy(source: Path, copy: Path) -> None:
    """A private copy of the backup: the file as it is, or, when answers wait in its
    write-ahead log beside it, what SQLite reads of it, log included."""
    try:
        if not Path(f"{source}-wal").exists():
            shutil.copyfile(source, copy)
            return
        uri = source.resolve().as_uri() + "?mode=ro"
        with closing(sqlite3.connect(uri, uri=True)) as db, closing(sqlite3.connect(copy)) as out:
            db.backup(out)
    except OSError as exc:
        raise FlashcardsError(f"cannot read {source}: {exc.strerror or exc}") from exc
    except sqlite3.Error as exc:
        raise FlashcardsError(f"{source} is not a readable SQLite database: {exc}") from exc


def restore(app: App, file: Path) -> Restored:
    """Replace the current SQLite database with the backup ``file``, once it is checked."""
    backend = make_url(database_url(app.db)).get_backend_name()
    if backend == "postgresql":
        raise _pg_refusal(app)
    if backend != "sqlite":
        app.engine  # noqa: B018 - another kind of database fails here, as for every command
    source = file.expanduser()
    if not source.exists():
        raise FlashcardsError(f"no such file: {source}")
    if not source.is_file():
        raise FlashcardsError(f"{source} is not a file")
    engine = app.engine
    database = sqlite_path(engine)
    if database is None:
        raise FlashcardsError("an in-memory database cannot be restored")
    if source.resolve() == database.resolve():
        raise FlashcardsError(f"{source} is the database itself: choose a backup of it")
    with tempfile.TemporaryDirectory(prefix=".flashcards-restore-", dir=database.parent) as tmp:
        os.chmod(tmp, 0o700)
        copy = Path(tmp) / "restore.db"
        _copy(source, copy)
        revision = _read_revision(copy, source)
        upgraded, answers, decks = _check_copy(copy, source, revision)
        kept_as = backup_sqlite(engine, "restore")
        raw = engine.raw_connection()
        try:
            live = raw.driver_connection
            assert isinstance(live, sqlite3.Connection)
            with closing(sqlite3.connect(copy)) as checked:
                checked.backup(live)
        finally:
            raw.close()
    engine.dispose()  # no connection keeps what it read of the database as it was
    return Restored(source, database, kept_as, revision, upgraded, answers, decks)
