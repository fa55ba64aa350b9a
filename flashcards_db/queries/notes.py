"""Read-only queries over stored notes: a deck's cards as a class will see them, and the
structure facts of decks, so that reverse cards can be checked across the whole database.

Each function takes a session and never writes.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, Deck, Note

__all__ = [
    "KnownDeck",
    "KnownNote",
    "StoredCard",
    "StoredFact",
    "known_decks",
    "known_notes",
    "stored_cards",
    "stored_facts",
    "stored_reverse_answers",
]


@dataclass(frozen=True, slots=True)
class StoredCard:
    deck_name: str
    key: str
    kind: str
    front: str
    back: str
    extra: str | None
    ordinal: int
    meta: dict[str, Any]
    html: bool = False  # the deck holds HTML (an Anki package, an HTML deck), else text


@dataclass(frozen=True, slots=True)
class StoredFact:
    deck_key: str
    structure_key: str
    structure_name: str
    field: str
    meta: dict[str, Any]


def stored_cards(session: Session, deck_ids: Sequence[int]) -> list[StoredCard]:
    """Active cards of the decks, deck by deck in authoring order (retired ones left out)."""
    query = (
        select(
            Deck.name,
            Note.key,
            Note.kind,
            Note.front,
            Note.back,
            Note.extra,
            Card.ordinal,
            Note.meta,
            Deck.html,
        )
        .join(Note, Note.deck_id == Deck.id)
        .join(Card, Card.note_id == Note.id)
        .where(
            Deck.id.in_(deck_ids),
            Note.retired_at.is_(None),
            Card.retired_at.is_(None),
        )
        .order_by(Deck.name, Note.position, Card.ordinal)
    )
    return [
        StoredCard(deck, key, kind, front, back, extra, ordinal, dict(meta or {}), bool(html))
        for deck, key, kind, front, back, extra, ordinal, meta, html in session.execute(query)
    ]


def stored_facts(session: Session, *, excluding: Collection[str]) -> list[StoredFact]:
    """Active fact notes of every deck whose key is not in ``excluding``."""
    query = (
        select(Deck.key, Note.structure_key, Note.structure_name, Note.field, Note.meta)
        .join(Note, Note.deck_id == Deck.id)
        .where(
            Note.kind == "fact",
            Note.retired_at.is_(None),
            Note.structure_key.is_not(None),
            Note.field.is_not(None),
            Deck.key.not_in(list(excluding)),
        )
        .order_by(Deck.key, Note.position)
    )
    return [
        StoredFact(deck, structure, name or structure, field, dict(meta or {}))
        for deck, structure, name, field, meta in session.execute(query)
    ]


def stored_reverse_answers(session: Session, *, excluding: Collection[str]) -> dict[str, str]:
    """Key -> answer of the active reverse notes of decks not in ``excluding``."""
    query = (
        select(Note.key, Note.back)
        .join(Deck, Note.deck_id == Deck.id)
        .where(
            Note.kind == "reverse",
            Note.retired_at.is_(None),
            Deck.key.not_in(list(excluding)),
        )
    )
    return {key: back for key, back in session.execute(query)}


@dataclass(frozen=True, slots=True)
class KnownDeck:
    key: str
    description: str | None
    source: str | None
    tags: tuple[str, ...]
    html: bool


@dataclass(frozen=True, slots=True)
class KnownNote:
    """A stored note as a package's copy of it is read back (``flashcards.anki.home``)."""

    key: str
    kind: str
    structure_key: str | None
    structure_name: str | None
    field: str | None
    meta: dict[str, Any]
    tags: tuple[str, ...]
    deck_html: bool
    deck_key: str
    position: int
    back: str


def known_decks(session: Session) -> list[KnownDeck]:
    query = select(Deck.key, Deck.description, Deck.source, Deck.tags, Deck.html)
    return [
        KnownDeck(key, description, source, tuple(tags or ()), bool(html))
        for key, description, source, tags, html in session.execute(query)
    ]


def known_notes(session: Session) -> list[KnownNote]:
    """Every stored note, with its deck's HTML flag."""
    query = select(
        Note.key,
        Note.kind,
        Note.structure_key,
        Note.structure_name,
        Note.field,
        Note.meta,
        Note.tags,
        Deck.html,
        Deck.key,
        Note.position,
        Note.back,
    ).join(Deck, Note.deck_id == Deck.id)
    return [
        KnownNote(
            key, kind, skey, sname, field, dict(meta or {}), tuple(tags or ()), bool(h), *rest
        )
        for key, kind, skey, sname, field, meta, tags, h, *rest in session.execute(query)
    ]
