"""Looking after the database: schema upgrade and check, students' roles, refusals.

``upgrade`` and ``check`` open the database without upgrading it on the way in (every
other command does that for an SQLite file), so they can report what is there.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from flashcards.errors import FlashcardsError
from flashcards.study.context import App
from flashcards_db.engine import (
    current_revision,
    database_url,
    make_engine,
    make_sessionmaker,
    sqlite_path,
    upgrade_sqlite,
)
from flashcards_db.migrations import HEAD_REVISION, known_revisions, model_differences, upgrade
from flashcards_db.queries import roles

__all__ = [
    "SchemaCheck",
    "SchemaUpgrade",
    "check_schema",
    "explain_refusal",
    "grant_student",
    "upgrade_schema",
]

INSUFFICIENT_PRIVILEGE = "42501"  # PostgreSQL's SQLSTATE for a refused privilege or policy


def shown_url(db: str | None) -> str:
    """The database URL with any password hidden (messages may end up on a screen)."""
    return make_url(database_url(db)).render_as_string(hide_password=True)


def _reason(exc: SQLAlchemyError) -> str:
    return str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]


@contextmanager
def _raw_engine(db: str | None) -> Iterator[Engine]:
    engine = make_engine(database_url(db))
    try:
        yield engine
    except SQLAlchemyError as exc:
        if _refused(exc):
            raise FlashcardsError(
                f"the database refused: {_reason(exc)}; only the database's owner (the "
                "instructor's role) can change its schema"
            ) from exc
        raise FlashcardsError(f"cannot use the database {shown_url(db)}: {_reason(exc)}") from exc
    finally:
        engine.dispose()


@dataclass(frozen=True)
class SchemaUpgrade:
    before: str | None
    after: str
    backup: Path | None = None
    regranted: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return self.before != self.after


def _known(revision: str | None) -> None:
    if revision is not None and revision not in known_revisions():
        raise FlashcardsError(
            f"the database is at schema revision {revision!r}, which this version of "
            "flashcards does not know (was it written by a newer version?); upgrade flashcards"
        )


def upgrade_schema(db: str | None, *, backed_up: bool = False) -> SchemaUpgrade:
    """Bring the schema to the head revision; an SQLite file is copied first.

    A PostgreSQL database that has a schema (so maybe a class's work) is upgraded only
    with ``backed_up``: the person has run the `pg_dump` command the refusal shows. A new
    one has nothing to lose. Every student role is granted again afterwards, so a table
    added by the upgrade is usable by the class at once.
    """
    with _raw_engine(db) as engine:
        before = current_revision(engine)
        _known(before)
        if before == HEAD_REVISION:
            return SchemaUpgrade(before, HEAD_REVISION)
        if before is not None and engine.dialect.name == "postgresql" and not backed_up:
            from flashcards.study.backup import back_up_first

            raise back_up_first(
                db,
                f"nothing was changed: the schema is at revision {before} and this version "
                f"needs {HEAD_REVISION}, and a PostgreSQL database is not copied before an "
                "upgrade",
                "upgrade with `flashcards db upgrade --backed-up`",
            )
        backup = None
        if sqlite_path(engine) is not None:
            before, backup = upgrade_sqlite(engine)
        else:
            upgrade(engine)
        regranted: list[str] = []
        if engine.dialect.name == "postgresql":
            with make_sessionmaker(engine)() as session, session.begin():
                regranted = roles.grant_students_again(session)
        return SchemaUpgrade(before, HEAD_REVISION, backup, regranted)


@dataclass(frozen=True)
class SchemaCheck:
    engine: str
    revision: str | None
    head: str
    differences: list[str]  # models vs database, as `alembic check` reports them
    unguarded: list[str]  # PostgreSQL tables without row-level security

    @property
    def problems(self) -> list[str]:
        found: list[str] = []
        if self.revision is None:
            found.append("no schema yet: `flashcards db upgrade` creates it")
        elif self.revision != self.head:
            found.append(
                f"schema revision {self.revision}, this version needs {self.head}: "
                "run `flashcards db upgrade`"
            )
        found += [f"models and database differ: {d}" for d in self.differences]
        found += [
            f"table {t} has no row-level security: students could read each other's rows"
            for t in self.unguarded
        ]
        return found

    def as_json(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "revision": self.revision,
            "head": self.head,
            "differences": self.differences,
            "unguarded": self.unguarded,
            "ok": not self.problems,
            "problems": self.problems,
        }


def check_schema(db: str | None) -> SchemaCheck:
    """What `alembic check` checks (revision, model drift), plus row-level security."""
    url = make_url(database_url(db))
    if url.get_backend_name() == "sqlite" and url.database and not Path(url.database).exists():
        raise FlashcardsError(f"no database file at {url.database}")  # a check creates nothing
    with _raw_engine(db) as engine:
        revision = current_revision(engine)
        _known(revision)
        differences: list[str] = []
        unguarded: list[str] = []
        if revision == HEAD_REVISION:
            # Drift only means something at head: below it the missing upgrade explains it.
            differences = model_differences(engine)
            with make_sessionmaker(engine)() as session:
                unguarded = roles.missing_row_security(session)
        return SchemaCheck(engine.dialect.name, revision, HEAD_REVISION, differences, unguarded)


def grant_student(
    app: App, role: str, user_name: str | None = None, password: str | None = None
) -> roles.StudentGrant:
    """Set up a student's PostgreSQL role (see ``flashcards_db.queries.roles``)."""
    try:
        with app.session() as session:
            return roles.grant_student(session, role, user_name, password=password)
    except roles.RoleError as exc:
        raise FlashcardsError(str(exc)) from exc
    except SQLAlchemyError as exc:
        raise FlashcardsError(f"cannot set up role {role!r}: {_reason(exc)}") from exc


def _refused(exc: BaseException) -> bool:
    return (
        isinstance(exc, DBAPIError)
        and getattr(exc.orig, "sqlstate", None) == INSUFFICIENT_PRIVILEGE
    )


def explain_refusal(app: App, exc: BaseException) -> str | None:
    """A clear message when the database refused the connected role something; else None.

    The usual causes on a class server: a student's role tried to change the decks, or
    studies under another name than the one its role is mapped to.
    """
    if not _refused(exc):
        return None
    assert isinstance(exc, DBAPIError)
    statement = " ".join(str(exc.statement or "").split()).upper()
    if statement.startswith("INSERT INTO USERS"):
        return _wrong_user_message(app) or f"the database refused: {_reason(exc)}"
    return (
        f"the database refused: {_reason(exc)}. A student's database role may read the "
        "decks and write only its own reviews; importing and editing decks is for the "
        "instructor's role"
    )


def _wrong_user_message(app: App) -> str | None:
    try:
        with app.session() as session:
            return _mapped_user_message(session, app.user_name)
    except SQLAlchemyError:
        return None


def _mapped_user_message(session: Session, asked: str) -> str:
    role = session.scalar(text("SELECT current_user"))
    mapped = session.scalar(text("SELECT name FROM users WHERE db_role = current_user"))
    if mapped is None:
        return (
            f"database role {role!r} is not a student of this database yet: the instructor "
            f"runs `flashcards db grant {role}`"
        )
    return (
        f"you are connected as database role {role!r}, which studies as user {mapped!r}, "
        f"not {asked!r}: use --user {mapped} (or set FLASHCARDS_USER={mapped})"
    )
