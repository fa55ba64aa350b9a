"""Small counting queries for the one-line status and the end of a session.

Each is a single aggregate, so that ``flashcards status`` stays fast enough for a
shell prompt.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

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
    """Every day on which a study answer still standing (not undone) was given."""
    undone = select(Review.undoes_id).where(
        Review.user_id == user_id, Review.kind == "undo", Review.undoes_id.is_not(None)
    )
    query = (
        select(Review.study_day)
        .where(
            Review.user_id == user_id,
            Review.kind.in_(STUDY_KINDS),
            Review.id.not_in(undone),
        )
        .distinct()
    )
    return list(session.scalars(query))
