"""The app context shared by every command: database, user, study day."""

from __future__ import annotations

import datetime as dt
import gc
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import Session

from flashcards.errors import DatabaseUnusableError, UnknownUserError
from flashcards.scheduling.queue import day_start_of, study_day, user_zone
from flashcards_db.engine import (
    DatabaseFileError,
    SchemaError,
    database_url,
    default_database_path,
    make_sessionmaker,
    open_database,
)
from flashcards_db.location import database_file
from flashcards_db.models import User
from flashcards_db.queries.users import get_or_create_user, user_query

__all__ = ["App", "database_failure", "missing_database", "shown_database", "user_zone"]

# The driver we ship an extra for; any other is named by the module that is missing.
POSTGRES_EXTRA = "pip install 'flashcards[postgres]'"

# What SQLite says of a file it cannot read as a database (damaged, or not one at all).
DAMAGE_SIGNS = ("malformed", "not a database", "disk image", "file is encrypted")
# The id a reading command uses for a name in a database that has no user yet: no row
# has it, so every card is new and nothing was answered.
NO_USER_YET = 0

# What SQLite says of a file whose first bytes are not a database's (a text file, say).
NOT_A_DATABASE = ("file is not a database", "file is encrypted or is not a database")
FULL_SIGNS = ("database or disk is full", "disk i/o error")


def database_failure(exc: BaseException) -> str | None:
    """A user's words for a database failure met in the middle of a command, or None.

    SQLite's file damage asks for ``flashcards doctor``; a full disk says that the
    command's transaction was not written (what was saved before stays as it was).
    """
    import sqlite3

    orig = getattr(exc, "orig", None) or exc
    if not isinstance(orig, (sqlite3.Error, SQLAlchemyError)) and not isinstance(
        exc, SQLAlchemyError
    ):
        return None
    reason = (str(orig).strip().splitlines() or [type(orig).__name__])[0]
    lowered = reason.lower()
    if any(sign in lowered for sign in DAMAGE_SIGNS):
        return f"the database file is damaged ({reason}): run `flashcards doctor`"
    if any(sign in lowered for sign in FULL_SIGNS):
        return (
            f"could not write to the database ({reason}): is the disk full? Nothing of this "
            "step was written; what was saved before is intact"
        )
    return f"the database failed: {reason}"


def shown_database(db: str | None) -> str:
    """``--db`` as the user knows it: a path as typed (the default file's full path), a
    URL without its password."""
    path = database_file(db)
    if path is not None:
        return db if db and "://" not in db else str(path)
    try:
        return make_url(database_url(db)).render_as_string(hide_password=True)
    except SQLAlchemyError:
        return db or ""


def missing_database(db: str | None) -> str | None:
    """Why a command that only reads finds no database where ``--db`` says, or None.

    A file that is not there, or is empty (0 bytes: as SQLite sees it, a database not
    made yet), holds no database: reading it must not make one (nor its folder). A
    missing folder other than the default one is left to the opening, which names it.
    """
    path = database_file(db)
    if path is None:
        return None  # a server's URL (or an SQLite URL with options): opened as it is
    try:
        empty = path.is_file() and path.stat().st_size == 0
        absent = not path.exists() and (
            path.parent.is_dir() or path.parent == default_database_path().parent
        )
    except OSError:
        return None  # the opening says what is wrong with the path
    if not (empty or absent):
        return None
    what = f"{shown_database(db)} is empty" if empty else f"{shown_database(db)} does not exist"
    return (
        f"no flashcards database here yet ({what}): `flashcards import DECK…` creates one "
        "(`flashcards import decks/` for the shipped decks)"
    )


def _open(db: str | None, *, existing_only: bool = False) -> Engine:
    """The engine for ``--db``, every way of failing turned into one clear error;
    ``existing_only``: a database not made yet is an error, and nothing is made."""
    if existing_only and (missing := missing_database(db)) is not None:
        raise DatabaseUnusableError(missing)
    url = database_url(db)
    try:
        shown = shown_database(db)
        backend = make_url(url).get_backend_name()
    except SQLAlchemyError:
        raise DatabaseUnusableError(
            f"not a database URL or path: {db!r} (a file path, or a URL such as "
            "postgresql+psycopg://user@host/dbname)"
        ) from None
    try:
        return open_database(db)
    except DatabaseFileError as exc:
        raise DatabaseUnusableError(str(exc)) from exc
    except SchemaError as exc:
        foreign = "not a flashcards database" in str(exc)
        hint = ": run `flashcards doctor`" if foreign else ""
        raise DatabaseUnusableError(
            f"cannot use the database: {exc}{hint}", damaged=foreign, reason=str(exc)
        ) from exc
    except ModuleNotFoundError as exc:
        if backend == "postgresql":
            install = f"{POSTGRES_EXTRA} (and a postgresql+psycopg:// URL)"
        else:
            install = f"install the Python module {exc.name!r}"
        raise DatabaseUnusableError(
            f"the driver for {backend} databases is not installed ({exc}): {install}"
        ) from exc
    except NoSuchModuleError as exc:
        raise DatabaseUnusableError(
            f"unknown kind of database {shown!r}: use an SQLite file path or a "
            "postgresql+psycopg:// URL"
        ) from exc
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        damaged = any(sign in reason.lower() for sign in DAMAGE_SIGNS)
        if reason.lower() in NOT_A_DATABASE:
            raise DatabaseUnusableError(
                f"{shown} is not a flashcards database (SQLite finds no database in it; "
                "if it was one, it is damaged: restore a backup)",
                damaged=True,
                reason=f"{shown} is not a flashcards database",
            ) from exc
        hint = ": run `flashcards doctor`" if damaged else ""
        raise DatabaseUnusableError(
            f"cannot open the database {shown}: {reason}{hint}", damaged=damaged, reason=reason
        ) from exc


def _exists_at_head(db: str | None) -> bool:
    """Whether the database is there, at this version's schema (nothing made, nothing changed)."""
    from flashcards_db.engine import current_revision, make_engine
    from flashcards_db.migrations import HEAD_REVISION

    url = database_url(db)
    try:
        parsed = make_url(url)
    except SQLAlchemyError:
        return False
    if parsed.get_backend_name() == "sqlite":
        name = parsed.database
        if not name or name == ":memory:" or not Path(name).is_file():
            return False
        if Path(name).stat().st_size == 0:  # no database yet: opening one would write to it
            return False
    try:
        engine = make_engine(url)
    except Exception:
        return False
    try:
        return current_revision(engine) == HEAD_REVISION
    except SQLAlchemyError:
        return False
    finally:
        engine.dispose()


@dataclass
class App:
    db: str | None
    user_name: str
    today_override: dt.date | None = None
    # --day-start (or FLASHCARDS_DAY_START); None: the user's setting, else the default.
    day_start_override: int | None = None
    day_start_source: str = "--day-start"  # what set the override, for `config`
    # Only reads: a database or a user not there yet is an error, never made.
    existing_only: bool = False
    _engine: Engine | None = field(default=None, repr=False)
    _today: dt.date | None = field(default=None, repr=False)
    _day_start: int | None = field(default=None, repr=False)

    @property
    def day_start_hour(self) -> int:
        """The hour a study day begins: --day-start, else the user's setting, else 4."""
        if self.day_start_override is not None:
            return self.day_start_override
        if self._day_start is None:
            with self.session():  # which reads the user's setting
                pass
        assert self._day_start is not None
        return self._day_start

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = _open(self.db, existing_only=self.existing_only)
        return self._engine

    @property
    def today(self) -> dt.date:
        """The user's study day: ``--today``, else today in the user's time zone."""
        if self.today_override is not None:
            return self.today_override
        if self._today is None:
            with self.session():  # which reads the user's zone and sets _today
                pass
        assert self._today is not None
        return self._today

    def _read_user(self, session: Session) -> None:
        # Read in the caller's transaction: a second one would wait on the first's lock.
        if self.day_start_override is None and self._day_start is None:
            from flashcards_db.queries.settings import setting_of_user

            self._day_start = day_start_of(setting_of_user(session, self.user_name, "day-start"))
        if self._today is None and self.today_override is None:
            zone = session.scalar(select(User.timezone).where(User.name == self.user_name))
            self._today = self.today_for(zone)

    def today_for(self, timezone: str | None, now: dt.datetime | None = None) -> dt.date:
        """A user's study day (a day starts at the day-start hour in the user's zone)."""
        if self.today_override is not None:
            return self.today_override
        moment = now if now is not None else dt.datetime.now(dt.UTC)
        return study_day(moment, self.day_start_hour, user_zone(timezone))

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on any error."""
        session = make_sessionmaker(self.engine)()
        try:
            if (self._today is None and self.today_override is None) or (
                self._day_start is None and self.day_start_override is None
            ):
                self._read_user(session)
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    @contextmanager
    def existing_session(self) -> Iterator[Session | None]:
        """A session on the database only if it is already there at this version's schema:
        None for a database not yet made, one made by an older version (not upgraded here)
        or one that cannot be opened. For what only reads and must write nothing (a preview
        of deck files)."""
        if self._engine is None and not _exists_at_head(self.db):
            yield None
            return
        with self.session() as session:
            yield session

    def user_id(self, session: Session) -> int:
        """The user's id; a user not there yet is made, unless the app only reads."""
        return self.user(session).id

    def user(self, session: Session) -> User:
        """The user (see ``user_id``). For an app that only reads, a database nobody has
        studied in yet (no user at all: decks just imported) answers for any name as for
        a user with no history, made by nothing; once it has users, a name that is none
        of them is an error that says how users are listed and made."""
        if not self.existing_only:
            return get_or_create_user(session, self.user_name)
        user = session.scalars(user_query(self.user_name)).one_or_none()
        if user is None and session.scalar(select(User.id).limit(1)) is None:
            return User(id=NO_USER_YET, name=self.user_name, timezone=None)  # never added
        if user is None:
            raise UnknownUserError(
                f"no user named {self.user_name!r} in this database: `flashcards users` "
                "lists its users; a new name becomes a user when it first studies "
                f"(`flashcards --user {shlex.quote(self.user_name)} review`)"
            )
        return user

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


@contextmanager
def without_cycle_collection() -> Iterator[None]:
    """For bulk work (an import, an export) that builds hundreds of thousands of small
    objects without reference cycles (YAML nodes, notes, rows): the cyclic collector
    would scan them over and over and find almost nothing to free, at a tenth of an
    export's time and two fifths of a deck-file import's (bench/README.md). Reference
    counting still frees them."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
