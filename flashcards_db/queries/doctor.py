"""What ``flashcards doctor`` reads and repairs: damage no normal command leaves behind.

Each check returns plain rows; each repair takes the session and never commits (the
caller owns the transaction). The review log is the record of truth: a card's state is
the "after" of its last standing schedule-moving row (an answer or an imported schedule),
so a state that disagrees with it is recomputed from it, never the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, delete, or_, select, update
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Media, Note, Review, User

__all__ = [
    "ReviewCountDrift",
    "StateDrift",
    "delete_media",
    "delete_states",
    "foreign_key_errors",
    "integrity_errors",
    "missing_media",
    "notes_without_cards",
    "orphan_states",
    "restore_states",
    "review_count_drift",
    "set_review_counts",
    "state_drift",
    "unused_media",
]

# Kinds that move the schedule ("forget": back to new); "redrill" is logged only, "undo"
# takes one back. An imported answer (mode "imported") moved a schedule elsewhere: the
# imported schedule (an "import" row) is what moved it here.
MOVING_KINDS = ("review", "import", "forget")
IMPORTED_MODE = "imported"


def _moving() -> Any:
    return and_(
        Review.kind.in_(MOVING_KINDS),
        or_(Review.mode.is_(None), Review.mode != IMPORTED_MODE),
    )


Values = tuple[int, int, float, dt.date | None, int]  # repetitions, interval, EF, due, lapses


@dataclass(frozen=True)
class StateDrift:
    state_id: int
    user: str
    card_id: int
    found: Values
    expected: Values


@dataclass(frozen=True)
class ReviewCountDrift:
    state_id: int
    user: str
    card_id: int
    found: int
    expected: int


def integrity_errors(connection: Connection) -> list[str]:
    """SQLite's own check of its file; PostgreSQL checks its pages itself."""
    if connection.dialect.name != "sqlite":
        return []
    rows = [str(r[0]) for r in connection.exec_driver_sql("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


def foreign_key_errors(connection: Connection) -> list[str]:
    """Rows pointing at rows that are gone (SQLite only: PostgreSQL enforces them)."""
    if connection.dialect.name != "sqlite":
        return []
    found = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    return [
        f"{table} row {rowid} points at a missing {parent} row" for table, rowid, parent, _ in found
    ]


def orphan_states(session: Session) -> list[int]:
    """Card states whose card or user is gone."""
    query = (
        select(CardState.id)
        .outerjoin(Card, Card.id == CardState.card_id)
        .outerjoin(User, User.id == CardState.user_id)
        .where((Card.id.is_(None)) | (User.id.is_(None)))
        .order_by(CardState.id)
    )
    return list(session.scalars(query))


def notes_without_cards(session: Session) -> list[str]:
    has_card = select(Card.id).where(Card.note_id == Note.id).exists()
    return list(session.scalars(select(Note.key).where(~has_card).order_by(Note.key)))


def missing_media(session: Session) -> list[tuple[str, str]]:
    """(note key, file name) of images notes refer to that are not stored."""
    query = (
        select(Note.key, Note.image)
        .outerjoin(Media, Media.filename == Note.image)
        .where(Note.image.is_not(None), Media.id.is_(None))
        .order_by(Note.key)
    )
    return [(key, str(image)) for key, image in session.execute(query)]


def unused_media(session: Session) -> list[str]:
    """Stored media no note refers to (as its image or by name in its text)."""
    names = set(session.scalars(select(Media.filename)))
    if not names:
        return []
    names -= set(session.scalars(select(Note.image).where(Note.image.is_not(None))))
    for front, back, extra in session.execute(select(Note.front, Note.back, Note.extra)):
        if not names:
            break
        body = f"{front}\n{back}\n{extra or ''}"
        names = {n for n in names if n not in body}
    return sorted(names)


def _standing_moves(session: Session) -> dict[tuple[int, int], list[Review]]:
    undone = set(
        session.scalars(
            select(Review.undoes_id).where(Review.kind == "undo", Review.undoes_id.is_not(None))
        )
    )
    moves: dict[tuple[int, int], list[Review]] = {}
    query = select(Review).where(_moving()).order_by(Review.id)
    for review in session.scalars(query):
        moves.setdefault((review.user_id, review.card_id), []).append(review)
    return {key: [r for r in rows if r.id not in undone] or rows[:1] for key, rows in moves.items()}


def _expected(rows: list[Review], undone_only: bool) -> Values:
    if undone_only:  # every move was taken back: the state before the first one
        first = rows[0]
        return (
            first.repetitions_before,
            first.interval_before,
            first.easiness_before,
            first.due_before,
            first.lapses_before,
        )
    last = rows[-1]
    return (
        last.repetitions_after,
        last.interval_after,
        last.easiness_after,
        last.due_after,
        last.lapses_after,
    )


def state_drift(session: Session) -> list[StateDrift]:
    """States that differ from what their review log says they are."""
    undone = set(
        session.scalars(
            select(Review.undoes_id).where(Review.kind == "undo", Review.undoes_id.is_not(None))
        )
    )
    moves = _standing_moves(session)
    users = {uid: name for uid, name in session.execute(select(User.id, User.name))}
    drift: list[StateDrift] = []
    for state in session.scalars(select(CardState).order_by(CardState.id)):
        rows = moves.get((state.user_id, state.card_id))
        if not rows:
            continue
        expected = _expected(rows, all(r.id in undone for r in rows))
        found = (state.repetitions, state.interval, state.easiness, state.due_day, state.lapses)
        if (
            found[:2] != expected[:2]
            or found[3:] != expected[3:]
            or abs(found[2] - expected[2]) > 1e-9
        ):
            drift.append(
                StateDrift(state.id, users.get(state.user_id, "?"), state.card_id, found, expected)
            )
    return drift


def review_count_drift(session: Session) -> list[ReviewCountDrift]:
    """States whose count of reviews differs from the standing answers in the log.

    Cards with an imported schedule are left out: their count includes the reviews done
    in Anki, which are not in this log.
    """
    undone = set(
        session.scalars(
            select(Review.undoes_id).where(Review.kind == "undo", Review.undoes_id.is_not(None))
        )
    )
    counts: dict[tuple[int, int], int] = {}
    imported: set[tuple[int, int]] = set()
    query = select(Review.id, Review.user_id, Review.card_id, Review.kind).where(_moving())
    for review_id, user_id, card_id, kind in session.execute(query):
        if kind == "import":
            imported.add((user_id, card_id))
        elif kind == "review" and review_id not in undone:
            counts[(user_id, card_id)] = counts.get((user_id, card_id), 0) + 1
    users = {uid: name for uid, name in session.execute(select(User.id, User.name))}
    drift: list[ReviewCountDrift] = []
    for state in session.scalars(select(CardState).order_by(CardState.id)):
        key = (state.user_id, state.card_id)
        if key in imported:
            continue
        expected = counts.get(key, 0)
        if state.reviews != expected:
            drift.append(
                ReviewCountDrift(
                    state.id, users.get(state.user_id, "?"), state.card_id, state.reviews, expected
                )
            )
    return drift


def delete_states(session: Session, ids: Sequence[int]) -> None:
    if ids:
        session.execute(delete(CardState).where(CardState.id.in_(list(ids))))


def delete_media(session: Session, filenames: Sequence[str]) -> None:
    if filenames:
        session.execute(delete(Media).where(Media.filename.in_(list(filenames))))


def restore_states(session: Session, drift: Sequence[StateDrift]) -> None:
    for item in drift:
        repetitions, interval, easiness, due, lapses = item.expected
        session.execute(
            update(CardState)
            .where(CardState.id == item.state_id)
            .values(
                repetitions=repetitions,
                interval=interval,
                easiness=easiness,
                due_day=due,
                lapses=lapses,
            )
        )


def set_review_counts(session: Session, drift: Sequence[ReviewCountDrift]) -> None:
    for item in drift:
        session.execute(
            update(CardState).where(CardState.id == item.state_id).values(reviews=item.expected)
        )
