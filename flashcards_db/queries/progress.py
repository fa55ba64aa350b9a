"""Scheduling state brought in from elsewhere (an Anki package) for one user.

Each card whose state changes gets one review-log row of kind ``import`` with the state
before and after, as ``reviews.record_review`` logs an answer: the log stays complete (an
imported schedule is visible and can be told apart from answers given here) and study
figures, which count only ``review``/``redrill`` rows, are not inflated by it. Functions
take the session and never commit: the caller owns the transaction.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, Note, Review
from flashcards_db.queries import reviews
from flashcards_db.queries.reviews import (
    StateValues,
    apply_state,
    card_state,
    log_columns,
    state_values,
)
from flashcards_db.types import utcnow

__all__ = [
    "IMPORTED_MODE",
    "IMPORT_KIND",
    "ImportedAnswerRow",
    "ImportedState",
    "card_ids_by_note_key",
    "import_card_state",
    "log_imported_answers",
]

IMPORT_KIND = "import"
# The mode of an answer brought in from another review log (an Anki package): counted in
# study figures like any answer, never taken back by an undo, never moving a schedule
# by itself (the imported schedule does, as an ``import`` row).
IMPORTED_MODE = reviews.IMPORTED_MODE
# Two answers to one card this close are one answer seen twice: an answer of ours that
# went to Anki and came back, its time cut to the millisecond (and moved on by one for
# each other answer of the package in the same millisecond).
SAME_ANSWER = dt.timedelta(milliseconds=5)


@dataclass(frozen=True)
class ImportedAnswerRow:
    card_id: int
    reviewed_at: dt.datetime
    study_day: dt.date
    kind: str  # review | redrill
    quality: int
    duration_ms: int | None
    typed_answer: str | None
    before: StateValues
    after: StateValues


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


def _logged_times(
    session: Session, user_id: int, card_ids: list[int]
) -> dict[int, list[dt.datetime]]:
    times: dict[int, list[dt.datetime]] = {}
    for start in range(0, len(card_ids), 500):  # bounded IN lists
        query = select(Review.card_id, Review.reviewed_at).where(
            Review.user_id == user_id,
            Review.card_id.in_(card_ids[start : start + 500]),
            Review.kind.in_(("review", "redrill")),
        )
        for card_id, at in session.execute(query):
            times.setdefault(card_id, []).append(at)
    for found in times.values():
        found.sort()
    return times


def _logged_already(times: list[dt.datetime], at: dt.datetime) -> bool:
    i = bisect.bisect_left(times, at - SAME_ANSWER)
    return i < len(times) and times[i] <= at + SAME_ANSWER


def log_imported_answers(
    session: Session, user_id: int, answers: Sequence[ImportedAnswerRow]
) -> int:
    """Add imported answers to the user's log, each once: an answer already logged for
    the card at the same moment (within ``SAME_ANSWER``, taken back or not) is skipped.
    Returns how many were added."""
    times = _logged_times(session, user_id, sorted({a.card_id for a in answers}))
    rows: list[dict[str, object]] = []
    for answer in answers:
        logged = times.setdefault(answer.card_id, [])
        if _logged_already(logged, answer.reviewed_at):
            continue
        bisect.insort(logged, answer.reviewed_at)
        rows.append(
            {
                "user_id": user_id,
                "card_id": answer.card_id,
                "reviewed_at": answer.reviewed_at,
                "study_day": answer.study_day,
                "kind": answer.kind,
                "mode": IMPORTED_MODE,
                "quality": answer.quality,
                "typed_answer": answer.typed_answer,
                "duration_ms": answer.duration_ms,
                **log_columns(answer.before, answer.after),
            }
        )
    for start in range(0, len(rows), 10_000):
        session.execute(insert(Review), rows[start : start + 10_000])
    return len(rows)
