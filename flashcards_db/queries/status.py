"""The study days behind a streak, for the one-line status and the end of a session.

Due and new cards are counted by ``queries.due_card_count`` and ``new_card_count``, as
the session counts them.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session, aliased

from flashcards_db.models import Review

__all__ = ["STUDY_KINDS", "study_days", "study_days_query"]

# Answers of a study session; quiz answers and undo rows are not study.
STUDY_KINDS = ("review", "redrill")


def study_days(session: Session, user_id: int) -> list[dt.date]:
    """Every day on which a study answer still standing (not undone) was given.

    A student's log holds hundreds of thousands of answers on a few hundred days: the
    days are found by seeking the (user, study day) index from one day to the next (a
    recursive query, one seek per day), and each day is kept when one of its answers is
    study and not undone, so the work grows with the days, not with the answers.
    """
    return list(session.scalars(study_days_query(user_id)))


def study_days_query(user_id: int) -> Select[dt.date]:
    """The statement ``study_days`` runs (``plain.sql`` holds it as SQLite text too)."""
    later = aliased(Review)
    first = select(func.min(Review.study_day).label("day")).where(Review.user_id == user_id)
    days = first.cte("days", recursive=True)
    following = (
        select(func.min(later.study_day))
        .where(later.user_id == user_id, later.study_day > days.c.day)
        .scalar_subquery()
    )
    days = days.union_all(select(following).where(days.c.day.is_not(None)))
    answer, undo = aliased(Review), aliased(Review)
    standing = exists().where(
        answer.user_id == user_id,
        answer.study_day == days.c.day,
        answer.kind.in_(STUDY_KINDS),
        ~exists().where(undo.undoes_id == answer.id, undo.kind == "undo"),
    )
    return select(days.c.day).where(days.c.day.is_not(None), standing).order_by(days.c.day)
