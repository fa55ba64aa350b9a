"""Queries for leeches: cards forgotten so often that drilling them again is wasted time."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from flashcards_db.models import CardState
from flashcards_db.types import utcnow

__all__ = ["leech_state", "unmark_leech"]


def _state(session: Session, user_id: int, card_id: int) -> CardState | None:
    return session.scalars(
        select(CardState)
        .where(CardState.user_id == user_id, CardState.card_id == card_id)
        .with_for_update()
    ).one_or_none()


def unmark_leech(session: Session, user_id: int, card_id: int) -> None:
    """Take the leech tag and its suspension back (the lapse that made it was undone, and
    was logged before answers kept whether they made a leech: revision 0006)."""
    state = _state(session, user_id, card_id)
    if state is None or not state.leech:
        return
    state.leech = False
    state.suspended = False
    state.updated_at = utcnow()
    session.flush()


def leech_state(session: Session, user_id: int, card_id: int) -> tuple[int, bool]:
    """(lapses, leech) of a card for a user; (0, False) when never studied."""
    row = session.execute(
        select(CardState.lapses, CardState.leech).where(
            CardState.user_id == user_id, CardState.card_id == card_id
        )
    ).first()
    return (row[0], bool(row[1])) if row else (0, False)
