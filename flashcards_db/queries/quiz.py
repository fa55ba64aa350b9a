"""Queries for quizzes: every card with what a quiz needs, and answers logged aside.

A quiz answer is a ``reviews`` row of kind ``quiz``: it is kept for stats but never
moves a card. Its state columns repeat the card's state as it stands (before = after),
and a card never studied gets no ``card_states`` row from a quiz.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Deck, Note, Review
from flashcards_db.types import utcnow

__all__ = ["QUIZ_KIND", "QuizRecord", "quiz_records", "record_quiz_answer"]

QUIZ_KIND = "quiz"


@dataclass(frozen=True)
class QuizRecord:
    card_id: int
    deck_id: int
    deck_key: str
    deck_name: str
    kind: str  # fact | basic | cloze
    front: str
    back: str
    ordinal: int
    structure_key: str | None
    structure_name: str | None
    field: str | None
    meta: dict[str, Any]
    suspended: bool  # for this user
    html: bool = False  # the deck holds HTML (an Anki package, an HTML deck), else text


def quiz_records(session: Session, user_id: int) -> list[QuizRecord]:
    """Every active card, in deck and authoring order, with the user's suspension."""
    query = (
        select(Card, Note, Deck, CardState.suspended)
        .join(Note, Card.note_id == Note.id)
        .join(Deck, Note.deck_id == Deck.id)
        .outerjoin(CardState, and_(CardState.card_id == Card.id, CardState.user_id == user_id))
        .where(Card.retired_at.is_(None), Note.retired_at.is_(None))
        .order_by(Deck.name, Note.position, Card.ordinal, Card.id)
    )
    return [
        QuizRecord(
            card_id=card.id,
            deck_id=deck.id,
            deck_key=deck.key,
            deck_name=deck.name,
            kind=note.kind,
            front=note.front,
            back=note.back,
            ordinal=card.ordinal,
            structure_key=note.structure_key,
            structure_name=note.structure_name,
            field=note.field,
            meta=dict(note.meta or {}),
            suspended=bool(suspended),
            html=bool(deck.html),
        )
        for card, note, deck, suspended in session.execute(query)
    ]


def record_quiz_answer(
    session: Session,
    *,
    user_id: int,
    card_id: int,
    day: dt.date,
    mode: str,
    quality: int,
    given: str | None,
    duration_ms: int | None,
) -> Review:
    """Log one quiz answer; the card's state is read, never written (nor created)."""
    state = session.scalars(
        select(CardState).where(CardState.user_id == user_id, CardState.card_id == card_id)
    ).one_or_none()
    values = {
        "repetitions": state.repetitions if state else 0,
        "interval": state.interval if state else 0,
        "easiness": state.easiness if state else 2.5,
        "due": state.due_day if state else None,
        "lapses": state.lapses if state else 0,
    }
    review = Review(
        user_id=user_id,
        card_id=card_id,
        reviewed_at=utcnow(),
        study_day=day,
        kind=QUIZ_KIND,
        mode=mode,
        quality=quality,
        typed_answer=given,
        duration_ms=duration_ms,
        **{
            f"{name}_{when}": value
            for name, value in values.items()
            for when in ("before", "after")
        },
    )
    session.add(review)
    session.flush()
    return review
