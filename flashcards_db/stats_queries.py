"""Read-only queries for progress figures: the review log and card states as plain rows.

Every query counts study answers that still stand: an answer taken back by an ``undo``
row is left out, and so is anything that is not a study answer (a quiz result never moved
the schedule). The day of an answer is the ``study_day`` stored when it was given: the
scheduler computed the card's due day from it, and ``--today`` simulations log there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Deck, Note, Review, User

__all__ = [
    "STUDY_KINDS",
    "AnswersOnDay",
    "CardFacts",
    "CardStatusRow",
    "FirstGradeRow",
    "StudentRow",
    "answers_per_day",
    "card_facts",
    "card_statuses",
    "first_grades",
    "students",
    "study_days",
]

# review: the day's first grade of a card; redrill: a same-day repeat of it.
STUDY_KINDS = ("review", "redrill")


@dataclass(frozen=True)
class AnswersOnDay:
    user_id: int
    study_day: dt.date
    answers: int


@dataclass(frozen=True)
class FirstGradeRow:
    """The day's first grade of a card, with what the card asks about."""

    id: int
    user_id: int
    card_id: int
    study_day: dt.date
    quality: int
    interval_before: int
    repetitions_before: int
    region: str | None
    field: str | None


@dataclass(frozen=True)
class CardStatusRow:
    card_id: int
    due_day: dt.date | None
    repetitions: int
    interval: int
    suspended: bool
    leech: bool
    buried_until: dt.date | None


@dataclass(frozen=True)
class CardFacts:
    """What a card is, for an instructor's table."""

    card_id: int
    deck_name: str
    note_key: str
    kind: str
    front: str
    ordinal: int
    structure_name: str | None
    field: str | None
    region: str | None
    position: int
    retired: bool


@dataclass(frozen=True)
class StudentRow:
    id: int
    name: str
    timezone: str | None


# Any select of review rows: the filters below keep its columns as they are.
_Query = TypeVar("_Query", bound=Select[*tuple[Any, ...]])


def _undone() -> Select[int | None]:
    return select(Review.undoes_id).where(Review.kind == "undo", Review.undoes_id.is_not(None))


def _standing(query: _Query, user_id: int | None, kinds: Sequence[str]) -> _Query:
    undone = _undone()
    query = query.where(Review.kind.in_(kinds))
    if user_id is not None:
        query = query.where(Review.user_id == user_id)
        undone = undone.where(Review.user_id == user_id)
    return query.where(Review.id.not_in(undone))


def _in_decks(query: _Query, deck_ids: Sequence[int] | None) -> _Query:
    if deck_ids is None:
        return query
    cards = select(Card.id).join(Note, Card.note_id == Note.id).where(Note.deck_id.in_(deck_ids))
    return query.where(Review.card_id.in_(cards))


def _region() -> Any:
    return Note.meta["region"].as_string()


def answers_per_day(
    session: Session, user_id: int | None = None, deck_ids: Sequence[int] | None = None
) -> list[AnswersOnDay]:
    """Study answers per user and study day (re-drills included), all time."""
    query = select(Review.user_id, Review.study_day, func.count(Review.id))
    query = _in_decks(_standing(query, user_id, STUDY_KINDS), deck_ids)
    query = query.group_by(Review.user_id, Review.study_day).order_by(
        Review.user_id, Review.study_day
    )
    return [AnswersOnDay(u, d, n) for u, d, n in session.execute(query)]


def study_days(
    session: Session, user_id: int, deck_ids: Sequence[int] | None = None
) -> list[dt.date]:
    """The study days on which the user logged any study answer, oldest first."""
    return [row.study_day for row in answers_per_day(session, user_id, deck_ids)]


def first_grades(
    session: Session,
    user_id: int | None = None,
    deck_ids: Sequence[int] | None = None,
    since: dt.date | None = None,
) -> list[FirstGradeRow]:
    """The day's first grade of each card (the answers that moved a schedule), in the
    order they were given; since ``since`` when given."""
    query = (
        select(
            Review.id,
            Review.user_id,
            Review.card_id,
            Review.study_day,
            Review.quality,
            Review.interval_before,
            Review.repetitions_before,
            _region(),
            Note.field,
        )
        .join(Card, Review.card_id == Card.id)
        .join(Note, Card.note_id == Note.id)
        .where(Review.quality.is_not(None))
        .order_by(Review.id)
    )
    query = _standing(query, user_id, ("review",))
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    if since is not None:
        query = query.where(Review.study_day >= since)
    return [FirstGradeRow(*row) for row in session.execute(query)]


def card_statuses(
    session: Session, user_id: int, deck_ids: Sequence[int] | None = None
) -> list[CardStatusRow]:
    """Every active card of the decks with the user's state (defaults for unseen cards)."""
    state = and_(CardState.card_id == Card.id, CardState.user_id == user_id)
    query = (
        select(
            Card.id,
            CardState.due_day,
            func.coalesce(CardState.repetitions, 0),
            func.coalesce(CardState.interval, 0),
            func.coalesce(CardState.suspended, False),
            func.coalesce(CardState.leech, False),
            CardState.buried_until,
        )
        .join(Note, Card.note_id == Note.id)
        .outerjoin(CardState, state)
        .where(Card.retired_at.is_(None), Note.retired_at.is_(None))
    )
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    return [
        CardStatusRow(c, due, reps, ivl, bool(susp), bool(leech), buried)
        for c, due, reps, ivl, susp, leech, buried in session.execute(query)
    ]


def card_facts(session: Session, deck_ids: Sequence[int] | None = None) -> list[CardFacts]:
    """Every card of the decks (retired ones too: their history still counts), in deck
    and authoring order."""
    query = (
        select(
            Card.id,
            Deck.name,
            Note.key,
            Note.kind,
            Note.front,
            Card.ordinal,
            Note.structure_name,
            Note.field,
            _region(),
            Note.position,
            func.coalesce(Card.retired_at, Note.retired_at).is_not(None),
        )
        .join(Note, Card.note_id == Note.id)
        .join(Deck, Note.deck_id == Deck.id)
        .order_by(Deck.name, Note.position, Card.ordinal)
    )
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    return [
        CardFacts(card, deck, key, kind, front, ordinal, name, fld, region, pos, bool(retired))
        for card, deck, key, kind, front, ordinal, name, fld, region, pos, retired in (
            session.execute(query)
        )
    ]


def students(session: Session) -> list[StudentRow]:
    """Every user of the database, by name."""
    query = select(User.id, User.name, User.timezone).order_by(User.name)
    return [StudentRow(*row) for row in session.execute(query)]
