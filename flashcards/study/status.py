"""The one-line status: due now, new today, re-drills, streak (``counts`` defines them)."""

from __future__ import annotations

from dataclasses import dataclass

from flashcards.progress.figures import Streak, streak
from flashcards.scheduling.limits import DEFAULT_NEW_PER_DAY
from flashcards.study.context import App
from flashcards.study.counts import TodayCounts, today_counts
from flashcards_db.queries import status as status_queries

__all__ = ["Status", "status"]


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


def status(app: App, new_per_day: int | None = None) -> Status:
    """``new_per_day``: None for the user's setting (`flashcards config new-per-day`)."""
    day = app.today
    with app.session() as session:
        user_id = app.user_id(session)
        if new_per_day is None:
            from flashcards_db.queries.settings import setting_of_user

            found = setting_of_user(session, app.user_name, "new-per-day")
            new_per_day = int(found) if found is not None else DEFAULT_NEW_PER_DAY
        counts = today_counts(session, user_id, day, None, new_per_day=new_per_day)
        days = status_queries.study_days(session, user_id)
    return Status(counts=counts, streak=streak(days, day))
