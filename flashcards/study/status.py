"""The one-line status: due now, new today, re-drills, streak (``counts`` defines them).

A shell prompt asks for it every time, so it is read two ways with one result:

- ``status``: through the app context (SQLAlchemy), as every command reads;
- ``status_of_file``: an SQLite file at this version's schema, read with the sqlite3
  module alone, running the same queries compiled to SQLite text
  (``flashcards_db/queries/plain.sql``) and putting them together with the same
  ``count_today`` and ``streak``. It answers only when it can answer as ``status`` would;
  otherwise (no such file, another revision, a user not made yet, any failure) it says
  None and the caller takes the first way, with its messages and upgrades.

Loading this module loads no SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashcards.progress.figures import Streak, streak
from flashcards.progress.words import plural
from flashcards.scheduling.limits import DEFAULT_NEW_PER_DAY
from flashcards.scheduling.queue import DayAnswer, day_start_of, study_day, user_zone
from flashcards.study.counts import TodayCounts, count_today, day_answers_of

if TYPE_CHECKING:
    import sqlite3

    from flashcards.study.context import App
    from flashcards_db.queries.plain import PlainQuery

__all__ = ["Status", "status", "status_of_file"]


@dataclass(frozen=True)
class Status:
    counts: TodayCounts
    streak: Streak

    @property
    def due(self) -> int:
        return self.counts.due

    @property
    def new(self) -> int:
        return self.counts.new

    @property
    def redrills(self) -> int:
        return self.counts.redrills

    def as_json(self) -> dict[str, object]:
        return {
            "due": self.due,
            "new": self.new,
            "redrills": self.redrills,
            "left": self.counts.left,
            "streak": {"current": self.streak.current, "longest": self.streak.longest},
        }

    def line(self) -> str:
        parts = [f"{self.due} due now", f"{self.new} new today"]
        if self.redrills:
            parts.append(plural(self.redrills, "re-drill"))
        parts.append(f"streak {plural(self.streak.current, 'day')}")
        return " · ".join(parts)


def _new_per_day(setting: str | None) -> int:
    """The user's `flashcards config new-per-day` for every deck, else the default."""
    return int(setting) if setting is not None else DEFAULT_NEW_PER_DAY


def _reviews_per_day(setting: str | None) -> int | None:
    """The user's `flashcards config reviews-per-day` for every deck; None: no cap."""
    from flashcards.scheduling.settings import UNLIMITED

    return None if setting is None or setting == UNLIMITED else int(setting)


def status(app: App, new_per_day: int | None = None) -> Status:
    """``new_per_day``: None for the user's setting (`flashcards config new-per-day`)."""
    from flashcards.study.counts import today_counts
    from flashcards_db.queries import status as status_queries

    day = app.today
    with app.session() as session:
        user_id = app.user_id(session)
        from flashcards_db.queries.settings import setting_of_user

        if new_per_day is None:
            new_per_day = _new_per_day(setting_of_user(session, app.user_name, "new-per-day"))
        reviews = _reviews_per_day(setting_of_user(session, app.user_name, "reviews-per-day"))
        counts = today_counts(
            session, user_id, day, None, new_per_day=new_per_day, reviews_per_day=reviews
        )
        days = status_queries.study_days(session, user_id)
    return Status(counts=counts, streak=streak(days, day))


@dataclass(frozen=True)
class _PlainReader:
    """``counts.TodayReader`` over ``plain.sql``'s queries, every deck."""

    connection: sqlite3.Connection
    queries: dict[str, PlainQuery]
    user_id: int
    day: dt.date

    def _rows(self, name: str, **values: Any) -> list[Any]:
        return self.queries[name].run(self.connection, user_id=self.user_id, **values)

    def answers(self) -> list[DayAnswer]:
        from flashcards_db.queries.plain import TodayReview

        rows = self._rows("todays_reviews", day=self.day)
        return day_answers_of(TodayReview.of_row(*row) for row in rows)

    def studyable(self, card_ids: Sequence[int]) -> list[int]:
        found = {card_id for (card_id,) in self._rows("studyable_cards", card_ids=card_ids)}
        return [i for i in card_ids if i in found]

    def due(self, excluding: Sequence[int]) -> int:
        if excluding:
            return int(self._rows("due_count_excluding", day=self.day, excluding=excluding)[0][0])
        return int(self._rows("due_count", day=self.day)[0][0])

    def new(self, limit: int) -> int:
        return int(self._rows("new_count", limit=limit)[0][0])


def status_of_file(
    path: Path, user_name: str, today: dt.date | None = None, day_start: int | None = None
) -> Status | None:
    """The status of ``user_name`` in an SQLite file, read with the sqlite3 module alone;
    None when only ``status`` can say (see above). ``today`` and ``day_start`` are
    ``--today`` and ``--day-start`` (None: not given)."""
    import sqlite3

    from flashcards_db.location import SQLITE_BUSY_TIMEOUT_MS
    from flashcards_db.queries.plain import load_plain_queries

    if not path.is_file():
        return None  # a new database is made by the first way
    try:
        plain = load_plain_queries()
        connection = sqlite3.connect(
            path, timeout=SQLITE_BUSY_TIMEOUT_MS / 1000, isolation_level=None
        )
    except (OSError, ValueError, sqlite3.Error):
        return None
    try:
        connection.execute("PRAGMA query_only = ON")  # whatever happens, nothing is written
        connection.execute("BEGIN")  # one snapshot for every figure
        if not plain.fit(connection):
            return None  # a file of an older (or newer) version, or not ours
        queries = plain.queries
        found = queries["user"].run(connection, user_name=user_name)
        if not found:
            return None  # the first way makes the user
        user_id, zone = found[0]

        def setting(name: str) -> str | None:
            rows = queries["setting"].run(connection, user_name=user_name, name=name)
            return rows[0][0] if rows else None

        if today is None:  # as App.today reads it: the user's day-start hour and zone
            hour = day_start if day_start is not None else day_start_of(setting("day-start"))
            today = study_day(dt.datetime.now(dt.UTC), hour, user_zone(zone))
        reader = _PlainReader(connection, queries, user_id, today)
        counts = count_today(
            reader,
            new_per_day=_new_per_day(setting("new-per-day")),
            reviews_per_day=_reviews_per_day(setting("reviews-per-day")),
        )
        rows = queries["study_days"].run(connection, user_id=user_id)
        days = [dt.date.fromisoformat(day) for (day,) in rows]
        return Status(counts=counts, streak=streak(days, today))
    except Exception:  # any surprise: the first way says what it is
        return None
    finally:
        connection.close()
