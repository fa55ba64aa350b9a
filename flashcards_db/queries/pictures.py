"""What a card shows beside its text: its image, its diagram, and the facts its label names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, Deck, Media, Note

__all__ = [
    "LinkedFact",
    "NotePicture",
    "linked_facts",
    "media_file",
    "note_of_card",
    "note_picture",
]


@dataclass(frozen=True)
class NotePicture:
    image: str | None  # media file name
    meta: dict[str, Any]
    deck_id: int
    structure_key: str | None


@dataclass(frozen=True)
class LinkedFact:
    deck_name: str
    structure_name: str
    field: str
    answer: str


def note_picture(session: Session, note_id: int) -> NotePicture | None:
    row = session.execute(
        select(Note.image, Note.meta, Note.deck_id, Note.structure_key).where(Note.id == note_id)
    ).one_or_none()
    if row is None:
        return None
    image, meta, deck_id, structure_key = row
    return NotePicture(image, dict(meta or {}), deck_id, structure_key)


def media_file(session: Session, filename: str) -> tuple[bytes, str | None] | None:
    """A media file's bytes and the name it had, or None."""
    row = session.execute(
        select(Media.data, Media.original_name).where(Media.filename == filename)
    ).one_or_none()
    return None if row is None else (bytes(row[0]), row[1])


def linked_facts(
    session: Session, *, deck_id: int, structure_key: str | None, name: str
) -> list[LinkedFact]:
    """The active facts of the structure a label names: by its key in the label's own deck,
    else by its name in any deck (the first deck by name that has it)."""
    query = (
        select(Deck.name, Note.structure_name, Note.field, Note.back, Note.deck_id)
        .join(Deck, Note.deck_id == Deck.id)
        .where(Note.kind == "fact", Note.retired_at.is_(None), Note.field.is_not(None))
    )
    if structure_key is not None:
        rows = session.execute(
            query.where(Note.deck_id == deck_id, Note.structure_key == structure_key).order_by(
                Note.position
            )
        ).all()
        if rows:
            return [LinkedFact(d, s or name, f or "", b) for d, s, f, b, _ in rows]
    rows = session.execute(
        query.where(func.lower(Note.structure_name) == name.lower()).order_by(
            Deck.name, Note.position
        )
    ).all()
    if not rows:
        return []
    first_deck = rows[0][4]
    return [LinkedFact(d, s or name, f or "", b) for d, s, f, b, deck in rows if deck == first_deck]


def note_of_card(session: Session, card_id: int) -> int | None:
    return session.scalar(select(Card.note_id).where(Card.id == card_id))
