"""The one-line status: due now, new today, streak; a handful of aggregate queries."""

from __future__ import annotations

from dataclasses import dataclass

from flashcards.progress.figures import Streak, streak
from flashcards.scheduling.limits import DEFAULT_NEW_PER_DAY
from flashcards.scheduling.queue import DayAnswer, new_allowance, pending_redrills
from flashcards.study.context import App
from flashcards_db.queries import status as status_queries
from flashcards_db.queries.study import due_card_count, new_card_count, todays_reviews

__all__ = ["Status", "status"]


@dataclass(frozen=True)
class Status:
    due: int  # reviews due today (overdue included) and re-drills left from today
    new: int  # new cards today's limit still lets in
    streak: Streak

    def as_json(self) -> dict[str, object]:
        return {
            "due": self.due,
            "new": self.new,
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
        answers = [
            DayAnswer(a.card_id, a.quality, first_of_day=a.kind == "review", new=a.new)
            for a in todays_reviews(session, user_id, day)
        ]
        due = due_card_count(session, user_id, day)
        allowance = new_allowance(new_per_day, sum(a.new for a in answers), None)
        new = new_card_count(session, user_id, None, allowance)
        days = status_queries.study_days(session, user_id)
    return Status(due=due + len(pending_redrills(answers)), new=new, streak=streak(days, day))
