"""Scheduling state brought in from elsewhere (an Anki package) for one user.

Each card whose state changes gets one review-log row of kind ``import`` with the state
before and after, as ``reviews.record_review`` logs an answer: the log stays complete (an
imported schedule is visible and can be told apart from answers given here) and study
figures, which count only ``review``/``redrill`` rows, are not inflated by it. Functions
take the session and never commit: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, Note, Review
from flashcards_db.queries.reviews import (
    StateValues,
    apply_state,
    card_state,
    log_columns,
    state_values,
)
from flashcards_db.types import utcnow

__all__ = ["IMPORT_KIND", "ImportedState", "card_ids_by_note_key", "import_card_state"]

IMPORT_KIND = "import"


@dataclass(frozen=True)
class ImportedState:
    values: StateValues
    last_review_day: dt.date | None
    reviews: int
    suspended: bool


def card_ids_by_note_key(session: Session, note_keys: Iterable[str]) -> dict[tuple[str, int], int]:
    """Card ids by (note key, ordinal) for the given notes."""
    keys = sorted(set(note_keys))
    found: dict[tuple[str, int], int] = {}
    for start in range(0, len(keys), 500):  # bounded IN lists
        query = (
            select(Note.key, Card.ordinal, Card.id)
            .join(Card, Card.note_id == Note.id)
            .where(Note.key.in_(keys[start : start + 500]))
        )
        found.update({(key, ordinal): cid for key, ordinal, cid in session.execute(query)})
    return found


def import_card_state(
    session: Session,
    *,
    user_id: int,
    card_id: int,
    imported: ImportedState,
    day: dt.date,
    now: dt.datetime | None = None,
) -> str:
    """Set a card's state for a user from an imported schedule.

    Returns ``"set"``, ``"unchanged"`` (already that state) or ``"kept"``: the card was
    reviewed here after the imported schedule's last review, so the newer state stays.
    """
    state = card_state(session, user_id, card_id, lock=True)
    before = state_values(state)
    if before == imported.values and state.suspended == imported.suspended:
        return "unchanged"
    ours, theirs = state.last_review_day, imported.last_review_day
    if ours is not None and (theirs is None or ours > theirs):
        return "kept"
    after = imported.values
    session.add(
        Review(
            user_id=user_id,
            card_id=card_id,
            reviewed_at=now or utcnow(),
            study_day=day,
            kind=IMPORT_KIND,
            quality=None,
            **log_columns(before, after),
        )
    )
    apply_state(state, after)
    state.reviews = max(state.reviews, imported.reviews)
    state.suspended = imported.suspended
    state.last_review_day = imported.last_review_day
    session.flush()
    return "set"
