"""The review log and the card states it moves: record a grade, take it back, suspend.
Each function takes a session and never commits: the caller owns the transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import ColumnElement, exists, or_, select
from sqlalchemy.orm import Session, aliased

from flashcards_db.models import CardState, Review, User
from flashcards_db.queries.inserts import insert_ignoring_conflict
from flashcards_db.types import utcnow

__all__ = [
    "CARD_ACTIONS",
    "StateValues",
    "apply_state",
    "card_state",
    "given_here",
    "log_card_action",
    "log_columns",
    "not_undone",
    "record_review",
    "set_suspended",
    "standing_row",
    "state_values",
    "undo_last_action",
    "undo_last_review",
    "undo_review",
]

# What a student does to a card besides answering it, logged as rows of these kinds (no
# grade, the state before and after): a bulk command's rows share one moment, so an undo
# takes the command back whole.
CARD_ACTIONS = ("suspend", "unsuspend", "forget")
_GRADES = ("review", "redrill")


@dataclass(frozen=True)
class StateValues:
    """The scheduling numbers of one card for one user, as the review log stores them."""

    repetitions: int = 0
    interval: int = 0
    easiness: float = 2.5
    due_day: dt.date | None = None
    lapses: int = 0


def card_state(session: Session, user_id: int, card_id: int, *, lock: bool = False) -> CardState:
    """The user's state row for a card, created (as new) when missing.

    With ``lock`` the row is read FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE
    already serialises writers) and refreshed from the database, so a grade computes
    from the latest state. Two terminals of one student may both find the row missing:
    the insert then skips the row the other has just inserted (ON CONFLICT DO NOTHING
    waits for that transaction to end) instead of failing on the unique constraint.
    """
    query = select(CardState).where(CardState.user_id == user_id, CardState.card_id == card_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    state = session.scalars(query).one_or_none()
    if state is None:
        session.execute(insert_ignoring_conflict(session, CardState, _new_state(user_id, card_id)))
        state = session.scalars(query).one()
    return state


def _new_state(user_id: int, card_id: int) -> dict[str, object]:
    return {
        "user_id": user_id,
        "card_id": card_id,
        "repetitions": 0,
        "interval": 0,
        "easiness": 2.5,
        "lapses": 0,
        "reviews": 0,
        "suspended": False,
        "leech": False,
        "updated_at": utcnow(),
    }


def state_values(state: CardState) -> StateValues:
    """The scheduling numbers of a state row, as the review log records them."""
    return StateValues(
        repetitions=state.repetitions,
        interval=state.interval,
        easiness=state.easiness,
        due_day=state.due_day,
        lapses=state.lapses,
    )


def record_review(
    session: Session,
    *,
    user_id: int,
    card_id: int,
    day: dt.date,
    quality: int,
    schedule: Callable[[StateValues], StateValues] | None,
    typed_answer: str | None = None,
    duration_ms: int | None = None,
    mode: str | None = None,
    now: dt.datetime | None = None,
    makes_leech: Callable[[int, int], bool] | None = None,
) -> Review:
    """Log one answer and, when ``schedule`` is given, move the card's state with it.

    ``makes_leech(lapses_before, lapses_after)`` says whether a first grade makes the
    card a leech: it is then tagged and suspended, and the new row says so
    (``leech_marked``). Decided before the row is written, because a student's role may
    only insert reviews, never change one.

    ``schedule`` runs on the state read under lock in this transaction, so two terminals
    of one student can never compute from a stale state. Without it (a same-day re-drill)
    the answer is logged and the schedule stays where it is.
    """
    state = card_state(session, user_id, card_id, lock=True)
    if state.last_review_day == day:
        # SM-2 moves a card once a day, with the day's first grade; later grades that
        # day (the re-drill, or a second terminal) are logged only.
        schedule = None
    before = state_values(state)
    after = schedule(before) if schedule is not None else before
    review = Review(
        user_id=user_id,
        card_id=card_id,
        reviewed_at=now or utcnow(),
        study_day=day,
        kind="review" if schedule is not None else "redrill",
        quality=quality,
        mode=mode,
        typed_answer=typed_answer,
        duration_ms=duration_ms,
        **log_columns(before, after),
    )
    leech = (
        schedule is not None
        and makes_leech is not None
        and makes_leech(before.lapses, after.lapses)
    )
    if schedule is not None:  # a first grade: the leech tag it found, and whether it made one
        review.leech_before = state.leech
        review.leech_marked = leech
    session.add(review)
    if schedule is not None:
        apply_state(state, after)
        state.last_review_day = day
        state.reviews += 1
        if leech:
            state.leech = True
            state.suspended = True
    session.flush()
    return review


def log_columns(before: StateValues, after: StateValues) -> dict[str, object]:
    """The before/after columns of a review-log row."""
    return {
        "repetitions_before": before.repetitions,
        "interval_before": before.interval,
        "easiness_before": before.easiness,
        "due_before": before.due_day,
        "lapses_before": before.lapses,
        "repetitions_after": after.repetitions,
        "interval_after": after.interval,
        "easiness_after": after.easiness,
        "due_after": after.due_day,
        "lapses_after": after.lapses,
    }


def apply_state(state: CardState, values: StateValues) -> None:
    """Write scheduling numbers into a state row."""
    state.repetitions = values.repetitions
    state.interval = values.interval
    state.easiness = values.easiness
    state.due_day = values.due_day
    state.lapses = values.lapses
    state.updated_at = utcnow()


# An answer brought in from another review log (``queries.progress.IMPORTED_MODE``).
IMPORTED_MODE = "imported"


def given_here() -> ColumnElement[bool]:
    """The answer was given here, not brought in from another log: only such an answer
    is taken back by an undo."""
    return or_(Review.mode.is_(None), Review.mode != IMPORTED_MODE)


def not_undone() -> ColumnElement[bool]:
    """The answer still stands: no undo row names it. Every query that leaves undone
    answers out of one user's log uses this: one probe of ``ix_reviews_undoes_id`` per
    answer it reads, where ``id NOT IN (SELECT undoes_id … WHERE kind = 'undo')`` read
    every row of the user's log first (a fifth of a second to seconds at two million
    answers). An undo row is always its user's own (``undo_review`` writes it so), so
    the probe names no user: with one, SQLite may probe by user instead, reading the
    whole log again; the query around it says whose answers it reads."""
    undo = aliased(Review)
    return ~exists().where(undo.undoes_id == Review.id, undo.kind == "undo")


def undo_last_review(
    session: Session, user_id: int, *, day: dt.date, review_id: int | None = None
) -> Review | None:
    """Take back an answer (by default the user's last) not already taken back.

    Returns the answer taken back, or None when there is none.

    The answer stays in the log; an ``undo`` row records that it was taken back, and the
    card's state returns to what it was before the answer.
    """
    # Two terminals pressing undo together must not take back the same answer twice:
    # the user's row serialises them (SQLite's BEGIN IMMEDIATE already does).
    session.execute(select(User.id).where(User.id == user_id).with_for_update())
    query = (
        select(Review)
        .where(
            Review.user_id == user_id,
            Review.kind.in_(("review", "redrill")),
            not_undone(),
            given_here(),
        )
        .order_by(Review.id.desc())
        .limit(1)
    )
    if review_id is not None:
        query = query.where(Review.id == review_id)
    last = session.scalars(query).one_or_none()
    if last is None:
        return None
    undo_review(session, user_id, last, day=day)
    return last


def _before(row: Review) -> StateValues:
    return StateValues(
        repetitions=row.repetitions_before,
        interval=row.interval_before,
        easiness=row.easiness_before,
        due_day=row.due_before,
        lapses=row.lapses_before,
    )


def undo_review(session: Session, user_id: int, row: Review, *, day: dt.date) -> None:
    """Take back one answer or card action: an ``undo`` row points at it, and the card
    returns to the state (and suspension) it had before."""
    state = card_state(session, user_id, row.card_id, lock=True)
    current = state_values(state)
    restored = _before(row) if row.kind in ("review", "forget") else current
    session.add(
        Review(
            user_id=user_id,
            card_id=row.card_id,
            study_day=day,
            kind="undo",
            quality=None,
            undoes_id=row.id,
            **log_columns(current, restored),
        )
    )
    if row.kind in ("review", "forget"):
        apply_state(state, restored)
        if row.kind == "review":
            state.reviews = max(0, state.reviews - 1)
            if row.leech_marked and state.leech and state.suspended:
                # The answer made the card a leech: its tag back as it was, unsuspended.
                state.leech = bool(row.leech_before)
                state.suspended = False
        state.last_review_day = _last_review_day(session, user_id, row.card_id, row.id)
    elif row.kind in ("suspend", "unsuspend"):
        state.suspended = row.kind == "unsuspend"
        state.updated_at = utcnow()
    session.flush()


def standing_row(session: Session, user_id: int, review_id: int) -> Review | None:
    """The user's log row ``review_id``, unless an undo took it back."""
    query = select(Review).where(
        Review.id == review_id,
        Review.user_id == user_id,
        not_undone(),
    )
    return session.scalars(query).one_or_none()


def undo_last_action(session: Session, user_id: int, *, day: dt.date) -> list[Review]:
    """Take back the user's last action given here: an answer, or every card of the last
    suspend, unsuspend or forget command. Returns the rows taken back (none: nothing)."""
    session.execute(select(User.id).where(User.id == user_id).with_for_update())
    standing = (
        select(Review)
        .where(
            Review.user_id == user_id,
            Review.kind.in_(_GRADES + CARD_ACTIONS),
            not_undone(),
            given_here(),
        )
        .order_by(Review.id.desc())
    )
    last = session.scalars(standing.limit(1)).one_or_none()
    if last is None:
        return []
    rows = [last]
    if last.kind in CARD_ACTIONS:
        same = standing.where(Review.kind == last.kind, Review.reviewed_at == last.reviewed_at)
        rows = list(session.scalars(same))
    for row in rows:
        undo_review(session, user_id, row, day=day)
    return rows


def log_card_action(
    session: Session,
    user_id: int,
    card_id: int,
    kind: str,
    *,
    day: dt.date,
    now: dt.datetime,
) -> Review | None:
    """Suspend, unsuspend or forget (back to new, its log kept) one card, logged; None
    when the card is so already (nothing is done or logged)."""
    if kind not in CARD_ACTIONS:
        raise ValueError(f"not a card action: {kind}")
    state = card_state(session, user_id, card_id, lock=True)
    before = state_values(state)
    after = before
    if kind == "suspend":
        if state.suspended:
            return None
        state.suspended = True
    elif kind == "unsuspend":
        if not state.suspended:
            return None
        state.suspended = False
    else:
        after = StateValues()
        if before == after:
            return None
        apply_state(state, after)
        state.last_review_day = None
    state.updated_at = utcnow()
    row = Review(
        user_id=user_id,
        card_id=card_id,
        reviewed_at=now,
        study_day=day,
        kind=kind,
        quality=None,
        **log_columns(before, after),
    )
    session.add(row)
    session.flush()
    return row


def _last_review_day(
    session: Session, user_id: int, card_id: int, excluding: int
) -> dt.date | None:
    """The study day of the card's last standing first grade (since it was last forgotten)."""
    # The card's few rows, by ix_reviews_card_user; put together here: asked for max()
    # with the user alone, SQLite reads the user's whole log by ix_reviews_user_day.
    rows = session.execute(
        select(Review.id, Review.kind, Review.study_day).where(
            Review.card_id == card_id,
            Review.user_id == user_id,
            Review.id != excluding,
            Review.kind.in_(("review", "forget")),
            not_undone(),
        )
    ).all()
    forgotten = max((row.id for row in rows if row.kind == "forget"), default=None)
    days = [
        row.study_day
        for row in rows
        if row.kind == "review" and (forgotten is None or row.id > forgotten)
    ]
    return max(days, default=None)


def set_suspended(session: Session, user_id: int, card_id: int, suspended: bool) -> None:
    state = card_state(session, user_id, card_id, lock=True)
    state.suspended = suspended
    state.updated_at = utcnow()
    session.flush()
