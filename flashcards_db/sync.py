"""Bring a deck's notes in the database in line with its source, keeping every history.

A note is matched by its stable key, never by its text: an edited answer updates the
note in place, and its cards (with every student's state and reviews) stay as they are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from sqlalchemy import insert, select
from sqlalchemy.orm import Session, selectinload

from flashcards_db.models import Base, Card, Deck, Media, Note
from flashcards_db.types import utcnow

__all__ = [
    "DeckContent",
    "MediaContent",
    "NoteContent",
    "SyncCounts",
    "content_hash",
    "store_media",
    "sync_deck",
]


class DeckContent(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def html(self) -> bool: ...
    @property
    def source_path(self) -> str | None: ...


class NoteContent(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def front(self) -> str: ...
    @property
    def back(self) -> str: ...
    @property
    def extra(self) -> str | None: ...
    @property
    def structure_key(self) -> str | None: ...
    @property
    def structure_name(self) -> str | None: ...
    @property
    def field(self) -> str | None: ...
    @property
    def meta(self) -> Mapping[str, Any]: ...
    @property
    def image(self) -> str | None: ...  # a media file name, stored beforehand
    @property
    def tags(self) -> Sequence[str]: ...
    @property
    def ordinals(self) -> Sequence[int]: ...  # (0,) or the cloze numbers


class MediaContent(Protocol):
    @property
    def filename(self) -> str: ...
    @property
    def sha256(self) -> str: ...
    @property
    def data(self) -> bytes: ...
    @property
    def original_name(self) -> str | None: ...


@dataclass
class SyncCounts:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    retired: int = 0
    deleted: int = 0

    def __iadd__(self, other: SyncCounts) -> SyncCounts:
        self.added += other.added
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.retired += other.retired
        self.deleted += other.deleted
        return self


def content_hash(note: NoteContent) -> str:
    content = {
        "kind": note.kind,
        "front": note.front,
        "back": note.back,
        "extra": note.extra,
        "structure_name": note.structure_name,
        "field": note.field,
        "meta": dict(note.meta),
        "image": note.image,
        "tags": list(note.tags),
        "ordinals": sorted(note.ordinals),
    }
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False).encode()
    return hashlib.sha256(encoded).hexdigest()


def store_media(session: Session, items: Sequence[MediaContent]) -> int:
    """Store media not yet present (by content-hashed name); returns how many were new."""
    wanted = {m.filename: m for m in items}
    if not wanted:
        return 0
    present = set(session.scalars(select(Media.filename).where(Media.filename.in_(wanted))))
    for name, item in wanted.items():
        if name not in present:
            session.add(
                Media(
                    sha256=item.sha256,
                    filename=name,
                    original_name=item.original_name,
                    size=len(item.data),
                    data=item.data,
                )
            )
    session.flush()
    return len(wanted) - len(present)


def _upsert_deck(session: Session, deck: DeckContent, now: dt.datetime) -> Deck:
    row = session.scalars(select(Deck).where(Deck.key == deck.key)).one_or_none()
    if row is None:
        row = Deck(key=deck.key, created_at=now)
        session.add(row)
    row.name = deck.name
    row.description = deck.description
    row.source = deck.source
    row.tags = list(deck.tags)
    row.html = deck.html
    row.source_path = deck.source_path
    row.updated_at = now
    session.flush()
    return row


def _write_content(row: Note, note: NoteContent, digest: str) -> None:
    row.kind = note.kind
    row.front = note.front
    row.back = note.back
    row.extra = note.extra
    row.structure_key = note.structure_key
    row.structure_name = note.structure_name
    row.field = note.field
    row.meta = dict(note.meta)
    row.image = note.image
    row.tags = list(note.tags)
    row.content_hash = digest


def _sync_cards(row: Note, ordinals: Sequence[int], now: dt.datetime) -> None:
    wanted = set(ordinals)
    have = {card.ordinal: card for card in row.cards}
    for ordinal, card in have.items():
        if ordinal in wanted:
            card.retired_at = None
        elif card.retired_at is None:
            card.retired_at = now
    for ordinal in sorted(wanted - have.keys()):
        row.cards.append(Card(ordinal=ordinal))


def sync_deck(
    session: Session,
    deck: DeckContent,
    notes: Sequence[NoteContent],
    *,
    prune: bool = False,
    now: dt.datetime | None = None,
) -> SyncCounts:
    """Add, update, retire (or with ``prune`` delete) the deck's notes; returns counts.

    Notes in the database but not in ``notes`` are retired: hidden from study, their
    history kept. Only ``prune`` deletes them, history and all.
    """
    now = now or utcnow()
    counts = SyncCounts()
    added: list[dict[str, Any]] = []
    deck_row = _upsert_deck(session, deck, now)
    existing = {
        n.key: n
        for n in session.scalars(
            select(Note).where(Note.deck_id == deck_row.id).options(selectinload(Note.cards))
        )
    }
    for position, note in enumerate(notes):
        digest = content_hash(note)
        row = existing.pop(note.key, None)
        if row is None:
            added.append(_new_note_row(deck_row.id, note, position, digest, now))
            counts.added += 1
            continue
        row.position = position  # authoring order may change without a content change
        if row.content_hash != digest or row.retired_at is not None:
            if row.content_hash != digest:
                _write_content(row, note, digest)
                row.content_changed_at = now
            row.retired_at = None
            counts.updated += 1
        else:
            counts.unchanged += 1
        _sync_cards(row, note.ordinals, now)
    for row in existing.values():
        if prune:
            session.delete(row)
            counts.deleted += 1
        elif row.retired_at is None:
            row.retired_at = now
            counts.retired += 1
    session.flush()
    _insert_new_notes(session, added)
    return counts


def _new_note_row(
    deck_id: int, note: NoteContent, position: int, digest: str, now: dt.datetime
) -> dict[str, Any]:
    return {
        "deck_id": deck_id, "key": note.key, "position": position, "kind": note.kind,
        "front": note.front, "back": note.back, "extra": note.extra,
        "structure_key": note.structure_key, "structure_name": note.structure_name,
        "field": note.field, "meta": dict(note.meta), "image": note.image,
        "tags": list(note.tags), "content_hash": digest, "content_changed_at": now,
        "created_at": now, "ordinals": sorted(set(note.ordinals)),
    }  # fmt: skip


def _insert_new_notes(session: Session, rows: list[dict[str, Any]]) -> None:
    """New notes and their cards by two bulk inserts (executemany), not the ORM.

    Through the ORM, importing a 3,500-note package spent 1.1 of its 2.25 s (profiled) in
    the unit of work (object state, cascades, attribute history) for rows that are simply
    inserted; this path took it to about half.
    """
    if not rows:
        return
    ordinals = {row["key"]: row.pop("ordinals") for row in rows}
    connection = session.connection()
    notes, cards = Base.metadata.tables["notes"], Base.metadata.tables["cards"]
    ids = connection.execute(insert(notes).returning(notes.c.key, notes.c.id), rows)
    wanted = [{"note_id": note_id, "ordinal": o} for key, note_id in ids for o in ordinals[key]]
    if wanted:
        connection.execute(insert(cards), wanted)
