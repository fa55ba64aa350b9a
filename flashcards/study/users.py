"""The class list: users with their activity (users appear on first use).

Its days are study days, as the review log's: "last review" is the study day of the
last answer, "since" the study day the user appeared on (the day starts at the user's
own day-start hour in the user's zone, so 02:00 belongs to the day before).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flashcards.scheduling.queue import day_start_of, study_day, user_zone
from flashcards.study.context import App
from flashcards_db.queries.activity import UserActivity, user_activity

__all__ = ["ClassMember", "activity_json", "list_users"]


@dataclass(frozen=True)
class ClassMember:
    activity: UserActivity
    since: dt.date  # the study day the user appeared on


def list_users(app: App) -> list[ClassMember]:
    """Every user the current connection may see, by name (does not add the caller)."""
    with app.session() as session:
        rows = user_activity(session)
    return [ClassMember(row, _since(row)) for row in rows]


def _since(user: UserActivity) -> dt.date:
    """As the user's answers are logged: by the user's own day-start hour and zone, not
    the caller's (nor ``--day-start``, which is the caller's for this run)."""
    hour = day_start_of(user.day_start)
    appeared = study_day(user.created_at, hour, user_zone(user.timezone))
    # An answer logged on an earlier study day (`--today`) was there since then.
    first = user.first_study_day
    return min(appeared, first) if first is not None else appeared


def activity_json(member: ClassMember) -> dict[str, object]:
    user = member.activity
    return {
        "name": user.name,
        "role": user.db_role,
        "reviews": user.reviews,
        "cards_studied": user.cards_studied,
        "last_review": user.last_review_at.isoformat() if user.last_review_at else None,
        "last_study_day": user.last_study_day.isoformat() if user.last_study_day else None,
        "since": member.since.isoformat(),
        "created": user.created_at.isoformat(),
    }
