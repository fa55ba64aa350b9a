"""Queries for confusions: the answers of one field across decks, and the pairs recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, Confusion, Deck, Note

__all__ = ["FieldAnswer", "field_answers", "record_confusion"]


@dataclass(frozen=True)
class FieldAnswer:
    card_id: int
    deck_name: str
    structure_name: str | None
    field: str
    answer: str


def field_answers(session: Session, fields: Sequence[str]) -> list[FieldAnswer]:
    """Every active fact card whose field is one of ``fields``, in deck order."""
    if not fields:
        return []
    query = (
        select(Card.id, Deck.name, Note.structure_name, Note.field, Note.back)
        .join(Note, Card.note_id == Note.id)
        .join(Deck, Note.deck_id == Deck.id)
        .where(
            Card.retired_at.is_(None),
            Note.retired_at.is_(None),
            Note.kind == "fact",
            Note.field.in_(list(fields)),
        )
        .order_by(Deck.name, Note.position, Card.id)
    )
    return [
        FieldAnswer(card_id=c, deck_name=d, structure_name=s, field=f or "", answer=b)
        for c, d, s, f, b in session.execute(query)
    ]


def record_confusion(
    session: Session,
    *,
    user_id: int,
    card_id: int,
    confused_with_card_id: int,
    review_id: int | None,
) -> Confusion:
    confusion = Confusion(
        user_id=user_id,
        card_id=card_id,
        confused_with_card_id=confused_with_card_id,
        review_id=review_id,
    )
    session.add(confusion)
    session.flush()
    return confusion
