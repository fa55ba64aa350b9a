"""The app context shared by every command: database, user, study day."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from flashcards.errors import FlashcardsError
from flashcards.session import DEFAULT_DAY_START_HOUR, study_day
from flashcards_db.engine import SchemaError, database_url, make_sessionmaker, open_database
from flashcards_db.queries import get_or_create_user

__all__ = ["App"]


@dataclass
class App:
    db: str | None
    user_name: str
    today_override: dt.date | None = None
    day_start_hour: int = DEFAULT_DAY_START_HOUR
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            try:
                self._engine = open_database(self.db)
            except SchemaError as exc:
                raise FlashcardsError(f"cannot use the database: {exc}") from exc
            except SQLAlchemyError as exc:
                url = database_url(self.db)
                reason = getattr(exc, "orig", None) or exc
                raise FlashcardsError(f"cannot open the database {url}: {reason}") from exc
        return self._engine

    @property
    def today(self) -> dt.date:
        if self.today_override is not None:
            return self.today_override
        return study_day(dt.datetime.now(dt.UTC), self.day_start_hour)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose transaction commits on success and rolls back on any error."""
        session = make_sessionmaker(self.engine)()
        try:
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
