"""Small counting queries for the one-line status and the end of a session.

Each is a single aggregate, so that ``flashcards status`` stays fast enough for a
shell prompt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from flashcards_db.models import Card, CardState, Note, Review

__all__ = ["STUDY_KINDS", "due_count", "new_count", "study_days"]

# Answers of a study session; quiz answers and undo rows are not study.
STUDY_KINDS = ("review", "redrill")


def _active(query, deck_ids: Sequence[int] | None):  # type: ignore[no-untyped-def]
    query = query.join(Note, Card.note_id == Note.id).where(
        Card.retired_at.is_(None), Note.retired_at.is_(None)
    )
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    return query


def due_count(
    session: Session, user_id: int, day: dt.date, deck_ids: Sequence[int] | None = None
) -> int:
    """Reviews due on ``day`` or before (overdue included), not suspended or buried."""
    query = _active(
        select(func.count()).select_from(CardState).join(Card, CardState.card_id == Card.id),
        deck_ids,
    ).where(
        CardState.user_id == user_id,
        CardState.due_day <= day,
        CardState.suspended.is_(False),
        or_(CardState.buried_until.is_(None), CardState.buried_until <= day),
    )
    return int(session.scalar(query) or 0)


def new_count(
    session: Session, user_id: int, limit: int, deck_ids: Sequence[int] | None = None
) -> int:
    """New cards waiting (never reviewed, not suspended), counted up to ``limit``."""
    if limit <= 0:
        return 0
    seen = (
        select(CardState.card_id)
        .where(
            CardState.user_id == user_id,
            or_(CardState.due_day.is_not(None), CardState.suspended.is_(True)),
        )
        .scalar_subquery()
    )
    waiting = _active(select(Card.id), deck_ids).where(Card.id.not_in(seen)).limit(limit)
    return int(session.scalar(select(func.count()).select_from(waiting.subquery())) or 0)


def study_days(session: Session, user_id: int) -> list[dt.date]:
    """Every day on which a study answer still standing (not undone) was given.

    A student's log holds hundreds of thousands of answers on a few hundred days: the
    days are found by seeking the (user, study day) index from one day to the next (a
    recursive query, one seek per day), and each day is kept when one of its answers is
    study and not undone, so the work grows with the days, not with the answers.
    """
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
    query = select(days.c.day).where(days.c.day.is_not(None), standing).order_by(days.c.day)
    return list(session.scalars(query))
