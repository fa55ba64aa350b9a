"""What ``flashcards doctor`` reads and repairs: damage no normal command leaves behind.

Each check returns plain rows; each repair takes the session and never commits (the
caller owns the transaction). The review log is the record of truth: the caller replays
it (``flashcards.scheduling.replay``) and compares every card's stored state with it, so
a state that disagrees with the log, or is missing, or is stored twice, is rebuilt from
the log, never the other way round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, delete, or_, select, update
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Media, Note, Review, User

__all__ = [
    "CardLabel",
    "LogRow",
    "StateDrift",
    "StoredState",
    "card_ids",
    "card_labels",
    "delete_media",
    "delete_states",
    "foreign_key_errors",
    "insert_states",
    "integrity_errors",
    "missing_media",
    "notes_without_cards",
    "orphan_states",
    "restore_states",
    "standing_log",
    "stored_states",
    "unused_media",
    "user_names",
]

Values = tuple[int, int, float, dt.date | None, int]  # repetitions, interval, EF, due, lapses


@dataclass(frozen=True)
class StateDrift:
    """A state that differs from its log (or is missing: ``state_id`` None)."""

    state_id: int | None
    user_id: int
    user: str
    card_id: int
    found: Values | None
    expected: Values
    reviews: int | None  # the count of reviews the log says; None when it cannot tell
    last_review_day: dt.date | None = None
    found_reviews: int | None = None


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


IMPORTED_MODE = "imported"


@dataclass(frozen=True)
class LogRow:
    """A standing (not undone) row of the review log, as a replay reads it."""

    user_id: int
    card_id: int
    kind: str
    study_day: dt.date
    quality: int | None
    after: Values


def standing_log(session: Session) -> dict[tuple[int, int], list[LogRow]]:
    """Every standing row of the log (undone answers and undo rows left out, quiz answers
    too), by (user, card), oldest first."""
    undone = select(Review.undoes_id).where(Review.kind == "undo", Review.undoes_id.is_not(None))
    query = (
        select(
            Review.user_id, Review.card_id, Review.kind, Review.study_day, Review.quality,
            Review.repetitions_after, Review.interval_after, Review.easiness_after,
            Review.due_after, Review.lapses_after,
        )
        .where(
            Review.kind.not_in(("undo", "quiz")),
            Review.id.not_in(undone),
            # An answer imported with its history (mode "imported") moved a schedule
            # elsewhere; the imported schedule (an "import" row) is what set it here.
            or_(Review.mode.is_(None), Review.mode != IMPORTED_MODE),
        )
        .order_by(Review.id)
    )  # fmt: skip
    log: dict[tuple[int, int], list[LogRow]] = {}
    for user_id, card_id, kind, day, quality, *after in session.execute(query):
        row = LogRow(user_id, card_id, kind, day, quality, tuple(after))
        log.setdefault((user_id, card_id), []).append(row)
    return log


@dataclass(frozen=True)
class StoredState:
    state_id: int
    user_id: int
    card_id: int
    values: Values
    reviews: int


def stored_states(session: Session) -> list[StoredState]:
    """Every state row whose card and user exist (orphans are another finding)."""
    query = (
        select(
            CardState.id, CardState.user_id, CardState.card_id, CardState.repetitions,
            CardState.interval, CardState.easiness, CardState.due_day, CardState.lapses,
            CardState.reviews,
        )
        .join(Card, Card.id == CardState.card_id)
        .join(User, User.id == CardState.user_id)
        .order_by(CardState.id)
    )  # fmt: skip
    return [
        StoredState(i, u, c, (rep, ivl, ef, due, lapses), reviews)
        for i, u, c, rep, ivl, ef, due, lapses, reviews in session.execute(query)
    ]


def card_ids(session: Session) -> set[int]:
    return set(session.scalars(select(Card.id)))


def user_names(session: Session) -> dict[int, str]:
    return {uid: name for uid, name in session.execute(select(User.id, User.name))}


def delete_states(session: Session, ids: Sequence[int]) -> None:
    if ids:
        session.execute(delete(CardState).where(CardState.id.in_(list(ids))))


def delete_media(session: Session, filenames: Sequence[str]) -> None:
    if filenames:
        session.execute(delete(Media).where(Media.filename.in_(list(filenames))))


def restore_states(session: Session, drift: Sequence[StateDrift]) -> None:
    """Set each state to what its log says (its count of reviews too, when known)."""
    for item in drift:
        repetitions, interval, easiness, due, lapses = item.expected
        values: dict[str, object] = {
            "repetitions": repetitions,
            "interval": interval,
            "easiness": easiness,
            "due_day": due,
            "lapses": lapses,
            "last_review_day": item.last_review_day,
        }
        if item.reviews is not None:
            values["reviews"] = item.reviews
        session.execute(update(CardState).where(CardState.id == item.state_id).values(**values))


def insert_states(session: Session, missing: Sequence[StateDrift]) -> None:
    """Put back state rows that are gone, as their log says they are (not suspended:
    the log does not record that)."""
    for item in missing:
        repetitions, interval, easiness, due, lapses = item.expected
        session.add(
            CardState(
                user_id=item.user_id,
                card_id=item.card_id,
                repetitions=repetitions,
                interval=interval,
                easiness=easiness,
                due_day=due,
                lapses=lapses,
                reviews=item.reviews or 0,
                last_review_day=item.last_review_day,
                suspended=False,
                leech=False,
            )
        )
    session.flush()


@dataclass(frozen=True)
class CardLabel:
    """What a card is, for a person: its note's key and what it asks."""

    card_id: int
    note_key: str
    ordinal: int
    kind: str
    front: str
    back: str


def card_labels(session: Session, ids: Sequence[int]) -> dict[int, CardLabel]:
    """The cards ``ids`` with their note's key, kind and sides."""
    if not ids:
        return {}
    query = (
        select(Card.id, Note.key, Card.ordinal, Note.kind, Note.front, Note.back)
        .join(Note, Note.id == Card.note_id)
        .where(Card.id.in_(sorted(set(ids))))
    )
    return {row[0]: CardLabel(*row) for row in session.execute(query)}
