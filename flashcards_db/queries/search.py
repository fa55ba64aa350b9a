"""Finding cards for one user: conditions for each search term, and the cards they match.

The conditions are SQL expressions over the active cards of every deck, their notes and
decks, and the user's state of each card (outer-joined: a card never studied has none).
``flashcards.study.searching`` combines them as the search's tree says. Each function
takes a session and never commits.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    and_,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Deck, Note, Review
from flashcards_db.queries.reviews import not_undone

__all__ = [
    "FoundCard",
    "deck_condition",
    "everything",
    "field_condition",
    "found_cards",
    "is_condition",
    "prop_condition",
    "rated_condition",
    "tag_condition",
    "text_condition",
]

Condition = ColumnElement[bool]


@dataclass(frozen=True)
class FoundCard:
    card_id: int
    note_key: str
    ordinal: int
    kind: str
    front: str
    back: str
    deck_name: str
    due_day: dt.date | None
    interval: int
    easiness: float
    lapses: int
    reviews: int
    suspended: bool
    leech: bool


def _pattern(value: str) -> str:
    """A LIKE pattern, lower case, of a value whose ``*`` matches any text."""
    escaped = value.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return escaped.replace("*", "%")


def _like(column: Any, pattern: str) -> Condition:
    return func.lower(column).like(pattern, escape="\\")


def deck_condition(value: str) -> Condition:
    """A deck by full name with its sub-decks (``*`` a wildcard), or by stable id."""
    pattern = _pattern(value)
    return or_(
        _like(Deck.name, pattern),
        _like(Deck.name, pattern + "::%"),
        Deck.key == value,
    )


def tag_condition(session: Session, value: str) -> Condition:
    """A tag of the note, or a tag under it (``hip`` finds ``hip::flexors``)."""
    pattern = _pattern(value)
    if session.get_bind().dialect.name == "sqlite":
        tags = func.json_each(Note.tags).table_valued("value")
    else:
        tags = func.json_array_elements_text(Note.tags).table_valued("value")
    match = or_(_like(tags.c.value, pattern), _like(tags.c.value, pattern + "::%"))
    return exists(select(literal(1)).select_from(tags).where(match))


def field_condition(value: str) -> Condition:
    """Cards of facts about this field (``blood supply`` is ``blood_supply``)."""
    return _like(Note.field, _pattern("_".join(value.split())).replace("\\_", "_"))


def text_condition(value: str) -> Condition:
    pattern = f"%{_pattern(value)}%"
    return or_(
        _like(Note.front, pattern),
        _like(Note.back, pattern),
        _like(func.coalesce(Note.extra, ""), pattern),
        _like(func.coalesce(Note.structure_name, ""), pattern),
    )


_SUSPENDED = func.coalesce(CardState.suspended, false())


def is_condition(value: str, today: dt.date) -> Condition:
    if value == "new":
        return and_(CardState.due_day.is_(None), _SUSPENDED.is_(False))
    if value == "due":
        return and_(CardState.due_day <= today, _SUSPENDED.is_(False))
    if value == "review":
        return CardState.due_day.is_not(None)
    if value == "suspended":
        return _SUSPENDED.is_(True)
    if value == "leech":
        return func.coalesce(CardState.leech, false()).is_(True)
    raise ValueError(f"unknown is:{value}")


_OPERATORS: dict[str, Callable[[Any, Any], Condition]] = {
    "=": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    ">": operator.gt,
    "<=": operator.le,
    ">=": operator.ge,
}


def prop_condition(name: str, op: str, number: float, today: dt.date) -> Condition:
    """``lapses``, ``ivl`` (days), ``ease`` (the E-Factor), ``reps`` (reviews), ``due``
    (days from today; only cards with a due day)."""
    compare = _OPERATORS[op]
    if name == "due":
        days = int(number)
        shifted = today + dt.timedelta(days=days)
        return and_(CardState.due_day.is_not(None), compare(CardState.due_day, shifted))
    column = {
        "lapses": func.coalesce(CardState.lapses, 0),
        "ivl": func.coalesce(CardState.interval, 0),
        "ease": func.coalesce(CardState.easiness, 2.5),
        "reps": func.coalesce(CardState.reviews, 0),
    }[name]
    return compare(column, number)


def rated_condition(user_id: int, days: int, grade: int | None, today: dt.date) -> Condition:
    """Answered in the last ``days`` study days (1: today), with ``grade`` if given."""
    # The day's answered cards read once (the user's answers of those days, by
    # ix_reviews_user_day), not the day's answers again for every card.
    query = select(Review.card_id).where(
        Review.user_id == user_id,
        Review.kind.in_(("review", "redrill")),
        Review.study_day > today - dt.timedelta(days=days),
        Review.study_day <= today,
        not_undone(),
    )
    if grade is not None:
        query = query.where(Review.quality == grade)
    return Card.id.in_(query)


def everything() -> Condition:
    return true()


def found_cards(
    session: Session, user_id: int, condition: Condition, limit: int | None = None
) -> list[FoundCard]:
    """Active cards matching ``condition``, deck by deck in authoring order."""
    state = and_(CardState.card_id == Card.id, CardState.user_id == user_id)
    query = (
        select(
            Card.id,
            Note.key,
            Card.ordinal,
            Note.kind,
            Note.front,
            Note.back,
            Deck.name,
            CardState.due_day,
            func.coalesce(CardState.interval, 0),
            func.coalesce(CardState.easiness, 2.5),
            func.coalesce(CardState.lapses, 0),
            func.coalesce(CardState.reviews, 0),
            _SUSPENDED,
            func.coalesce(CardState.leech, false()),
        )
        .join(Note, Card.note_id == Note.id)
        .join(Deck, Note.deck_id == Deck.id)
        .outerjoin(CardState, state)
        .where(Card.retired_at.is_(None), Note.retired_at.is_(None), condition)
        .order_by(Deck.name, Note.position, Card.ordinal)
    )
    if limit is not None:
        query = query.limit(limit)
    found: list[FoundCard] = []
    row: Any
    for row in session.execute(query):
        card_id, key, ordinal, kind, front, back, deck, due, ivl, ease, lapses, reviews = row[:12]
        found.append(
            FoundCard(
                card_id, key, ordinal, kind, front, back, deck, due, int(ivl), float(ease),
                int(lapses), int(reviews), bool(row[12]), bool(row[13]),
            )
        )  # fmt: skip
    return found
