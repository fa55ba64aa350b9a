"""Decks: find them by name or id, and count their cards for one user and day.
Each function takes a session and never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Deck, Note

__all__ = [
    "DeckCount",
    "all_decks",
    "deck_counts",
    "deck_sources",
    "deck_totals",
    "decks_matching",
    "has_decks",
]


@dataclass(frozen=True)
class DeckCount:
    name: str
    key: str
    cards: int
    new: int
    due: int
    suspended: int


def has_decks(session: Session) -> bool:
    return session.scalar(select(Deck.id).limit(1)) is not None


def decks_matching(session: Session, selector: str) -> list[Deck]:
    """A deck by full name (with its sub-decks) or by stable id."""
    query = select(Deck).where(
        or_(
            Deck.name == selector,
            Deck.name.startswith(selector + "::", autoescape=True),
            Deck.key == selector,
        )
    )
    return list(session.scalars(query.order_by(Deck.name)))


def all_decks(session: Session) -> list[Deck]:
    return list(session.scalars(select(Deck).order_by(Deck.name)))


def deck_totals(session: Session, keys: Sequence[str]) -> tuple[int, int]:
    """(notes, cards) of the decks with these ids: the active ones, as ``deck_counts``."""
    if not keys:
        return 0, 0
    query = (
        select(func.count(func.distinct(Note.id)), func.count(Card.id))
        .select_from(Deck)
        .join(Note, and_(Note.deck_id == Deck.id, Note.retired_at.is_(None)))
        .outerjoin(Card, and_(Card.note_id == Note.id, Card.retired_at.is_(None)))
        .where(Deck.key.in_(list(keys)))
    )
    notes, cards = session.execute(query).one()
    return int(notes), int(cards)


def deck_counts(session: Session, user_id: int, day: dt.date) -> list[DeckCount]:
    """Per deck row: active cards, new, due on ``day`` or before, suspended."""
    state = and_(CardState.card_id == Card.id, CardState.user_id == user_id)
    suspended = func.coalesce(CardState.suspended, False)
    query = (
        select(
            Deck.name,
            Deck.key,
            func.count(Card.id),
            func.count(Card.id).filter(CardState.due_day.is_(None), suspended.is_(False)),
            func.count(Card.id).filter(
                CardState.due_day <= day,
                suspended.is_(False),
                or_(CardState.buried_until.is_(None), CardState.buried_until <= day),
            ),
            func.count(Card.id).filter(suspended.is_(True)),
        )
        .select_from(Deck)
        .outerjoin(Note, and_(Note.deck_id == Deck.id, Note.retired_at.is_(None)))
        .outerjoin(Card, and_(Card.note_id == Note.id, Card.retired_at.is_(None)))
        .outerjoin(CardState, state)
        .group_by(Deck.id, Deck.name, Deck.key)
        .order_by(Deck.name)
    )
    return [
        DeckCount(name=n, key=k, cards=c, new=nw, due=du, suspended=s)
        for n, k, c, nw, du, s in session.execute(query)
    ]


def deck_sources(session: Session, keys: Sequence[str]) -> list[tuple[str, str, str | None]]:
    """(key, name, the file it was last imported from) of the decks with these keys."""
    query = select(Deck.key, Deck.name, Deck.source_path).where(Deck.key.in_(list(keys)))
    return [(key, name, path) for key, name, path in session.execute(query)]
