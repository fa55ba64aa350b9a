"""The app context shared by every command: database, user, study day."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from flashcards.errors import FlashcardsError
from flashcards.scheduling.queue import DEFAULT_DAY_START_HOUR, study_day
from flashcards_db.engine import SchemaError, database_url, make_sessionmaker, open_database
from flashcards_db.models import User
from flashcards_db.queries.users import get_or_create_user

__all__ = ["App", "user_zone"]


def user_zone(name: str | None) -> dt.tzinfo | None:
    """The user's IANA time zone; None (the machine's zone) when unset or unknown."""
    if not name:
        return None
    # Imported here: most commands run with no zone set, or with --today, and never ask.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A bad name in the users table must not stop a session or a report; local time
        # is the best guess, as for a user who never set one.
        return None


@dataclass
class App:
    db: str | None
    user_name: str
    today_override: dt.date | None = None
    # --day-start (or FLASHCARDS_DAY_START); None: the user's setting, else the default.
    day_start_override: int | None = None
    day_start_source: str = "--day-start"  # what set the override, for `config`
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
            try:
                self._engine = open_database(self.db)
            except SchemaError as exc:
                raise FlashcardsError(f"cannot use the database: {exc}") from exc
            except SQLAlchemyError as exc:
                url = make_url(database_url(self.db)).render_as_string(hide_password=True)
                reason = getattr(exc, "orig", None) or exc
                raise FlashcardsError(f"cannot open the database {url}: {reason}") from exc
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

            found = setting_of_user(session, self.user_name, "day-start")
            hour = int(found) if found is not None and found.isdigit() else None
            valid = hour is not None and 0 <= hour <= 23
            self._day_start = hour if valid and hour is not None else DEFAULT_DAY_START_HOUR
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

    def user_id(self, session: Session) -> int:
        return get_or_create_user(session, self.user_name).id

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
