"""Read-only queries for progress figures: the review log and card states as plain rows.

Every query counts study answers that still stand: an answer taken back by an ``undo``
row is left out, and so is anything that is not a study answer (a quiz result never moved
the schedule). The day of an answer is the ``study_day`` stored when it was given: the
scheduler computed the card's due day from it, and ``--today`` simulations log there.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Integer, Select, and_, case, func, literal_column, null, select, union_all
from sqlalchemy.orm import Session, aliased

from flashcards_db.models import Card, CardState, Deck, Note, Review, User

__all__ = [
    "STUDY_KINDS",
    "AnswersOnDay",
    "CardFacts",
    "CardGrades",
    "CardStatusRow",
    "ClassGrades",
    "FirstGradeRow",
    "RecentGrade",
    "StudentRow",
    "answers_per_day",
    "card_facts",
    "card_statuses",
    "class_grades",
    "first_grades",
    "recent_first_grades",
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


class RecentGrade(NamedTuple):
    """The day's first grade of a card, as true retention reads it."""

    user_id: int
    study_day: dt.date
    quality: int
    interval_before: int


@dataclass(frozen=True, slots=True)
class CardGrades:
    """The day's first grades of one card across every student, counted."""

    card_id: int
    grades: int
    failed: int  # below the passing grade
    learned: int  # given when the card had been recalled before
    lapses: int  # failed among the learned ones
    students: int  # who graded the card
    first_grade_sum: int  # each student's very first grade on the card, summed


@dataclass(frozen=True)
class ClassGrades:
    cards: dict[int, CardGrades]  # by card id
    students_by_field: dict[str | None, int]  # who graded any card of the field


@dataclass(frozen=True)
class CardStatusRow:
    card_id: int
    due_day: dt.date | None
    repetitions: int
    interval: int
    suspended: bool
    leech: bool
    buried_until: dt.date | None


@dataclass(frozen=True, slots=True)
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


# A class's log and cards, read a part at a time rather than all before the first row.
_STREAMED = {"yield_per": 10_000}

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


def recent_first_grades(
    session: Session, since: dt.date, deck_ids: Sequence[int] | None = None
) -> list[RecentGrade]:
    """Every user's first grades of the day since ``since``, in no particular order."""
    query = select(Review.user_id, Review.study_day, Review.quality, Review.interval_before)
    query = _in_decks(_standing(query, None, ("review",)), deck_ids)
    # Every review has its user: the condition lets ix_reviews_user_day find the days.
    query = query.where(
        Review.quality.is_not(None),
        Review.user_id.in_(select(User.id)),
        Review.study_day >= since,
    )
    rows = session.execute(query, execution_options=_STREAMED)
    return [RecentGrade._make(row) for row in rows]


def class_grades(
    session: Session, passing_grade: int, deck_ids: Sequence[int] | None = None
) -> ClassGrades:
    """The first grades of the day (as ``first_grades`` lists them) of every student,
    counted per card, and who graded each field: counted by the database, one row a card.

    A student's very first grade on a card is the one logged first (smallest id).
    """
    failed = Review.quality < passing_grade
    learned = Review.repetitions_before > 0
    # "+ 0": grouping by plain columns, SQLite would walk ix_reviews_card_user and look
    # every review up in turn, slower than reading the table once and sorting.
    student = (Review.user_id + literal_column("0")).label("student")
    card = (Review.card_id + literal_column("0")).label("card")
    per_student = select(
        student,
        card,
        func.count().label("grades"),
        func.sum(case((failed, 1), else_=0)).label("failed"),
        func.sum(case((learned, 1), else_=0)).label("learned"),
        func.sum(case((and_(learned, failed), 1), else_=0)).label("lapses"),
        func.min(Review.id).label("first_id"),
    ).where(Review.quality.is_not(None))
    pairs = (
        _in_decks(_standing(per_student, None, ("review",)), deck_ids)
        .group_by(student, card)
        .cte("pairs")
    )
    first = aliased(Review)
    per_card = (
        select(
            pairs.c.card,
            null().label("field"),
            func.sum(pairs.c.grades),
            func.sum(pairs.c.failed),
            func.sum(pairs.c.learned),
            func.sum(pairs.c.lapses),
            func.count(),
            func.sum(first.quality),
        )
        .join(first, first.id == pairs.c.first_id)
        .group_by(pairs.c.card)
    )
    zero = literal_column("0", Integer)
    per_field: Select[*tuple[Any, ...]] = (
        select(
            null(),
            Note.field,
            zero,
            zero,
            zero,
            zero,
            func.count(pairs.c.student.distinct()),
            zero,
        )
        .select_from(pairs)
        .join(Card, Card.id == pairs.c.card)
        .join(Note, Card.note_id == Note.id)
        .group_by(Note.field)
    )
    # One statement, so that the log is read once: a card's row has its id, a field's not.
    cards: dict[int, CardGrades] = {}
    students_by_field: dict[str | None, int] = {}
    rows = session.execute(union_all(per_card, per_field), execution_options=_STREAMED)
    for card_id, field, grades, fails, learns, lapses, students, first_sum in rows:
        if card_id is None:
            students_by_field[field] = int(students)
        else:
            cards[card_id] = CardGrades(
                card_id,
                int(grades),
                int(fails),
                int(learns),
                int(lapses),
                int(students),
                int(first_sum),
            )
    return ClassGrades(cards, students_by_field)


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


def card_facts(session: Session, deck_ids: Sequence[int] | None = None) -> Iterator[CardFacts]:
    """Every card of the decks (retired ones too: their history still counts), in deck
    and authoring order, read from the database a part at a time as they are taken."""
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
    # The cards of a class repeat a few decks, kinds, structures, fields and regions: each
    # text is kept once, not once per card.
    texts: dict[str, str] = {}
    one = texts.setdefault

    def maybe(text: str | None) -> str | None:
        return None if text is None else one(text, text)

    rows = session.execute(query, execution_options=_STREAMED)
    for card, deck, key, kind, front, ordinal, name, fld, region, pos, retired in rows:
        yield CardFacts(
            card,
            one(deck, deck),
            key,
            one(kind, kind),
            front,
            ordinal,
            maybe(name),
            maybe(fld),
            maybe(region),
            pos,
            bool(retired),
        )


def students(session: Session) -> list[StudentRow]:
    """Every user of the database, by name."""
    query = select(User.id, User.name, User.timezone).order_by(User.name)
    return [StudentRow(*row) for row in session.execute(query)]
