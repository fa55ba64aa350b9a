"""Who studies: every user with their answers, cards studied and last answer."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, select
from sqlalchemy.orm import Session, aliased

from flashcards_db.models import Review, Setting, User
from flashcards_db.queries.settings import EVERY_DECK

__all__ = ["UserActivity", "user_activity"]


@dataclass(frozen=True)
class UserActivity:
    name: str
    db_role: str | None
    timezone: str | None
    created_at: dt.datetime
    reviews: int  # answers that still stand: first grades and re-drills, not taken back
    cards_studied: int  # distinct cards among those answers
    last_review_at: dt.datetime | None
    last_study_day: dt.date | None
    first_study_day: dt.date | None
    day_start: str | None  # the user's `day-start` setting for every deck (None: not set)


def user_activity(session: Session) -> list[UserActivity]:
    """Every user (with or without answers), by name, with their own day-start setting
    (the hour their study days begin), all in one query.

    On PostgreSQL a student's role sees only its own row here: row-level security
    filters the users and reviews tables for it.
    """
    undo = aliased(Review)
    taken_back = exists().where(undo.kind == "undo", undo.undoes_id == Review.id)
    answers = (
        select(
            Review.user_id.label("user_id"),
            func.count(Review.id).label("reviews"),
            func.count(Review.card_id.distinct()).label("cards"),
            func.max(Review.reviewed_at).label("last_at"),
            func.max(Review.study_day).label("last_day"),
            func.min(Review.study_day).label("first_day"),
        )
        .where(Review.kind.in_(("review", "redrill")), ~taken_back)
        .group_by(Review.user_id)
        .subquery()
    )
    day_start = aliased(Setting)
    query = (
        select(
            User.name,
            User.db_role,
            User.timezone,
            User.created_at,
            func.coalesce(answers.c.reviews, 0),
            func.coalesce(answers.c.cards, 0),
            answers.c.last_at,
            answers.c.last_day,
            answers.c.first_day,
            day_start.value,
        )
        .outerjoin(answers, answers.c.user_id == User.id)
        .outerjoin(
            day_start,
            (day_start.user_id == User.id)
            & (day_start.deck_key == EVERY_DECK)
            & (day_start.name == "day-start"),
        )
        .order_by(User.name)
    )
    return [
        UserActivity(
            name=name,
            db_role=role,
            timezone=zone,
            created_at=created,
            reviews=int(reviews),
            cards_studied=int(cards),
            last_review_at=last_at,
            last_study_day=last_day,
            first_study_day=first_day,
            day_start=hour,
        )
        for (
            name,
            role,
            zone,
            created,
            reviews,
            cards,
            last_at,
            last_day,
            first_day,
            hour,
        ) in session.execute(query)
    ]
