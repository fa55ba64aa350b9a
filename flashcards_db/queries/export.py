"""Read-only queries for the Anki export: decks, active notes, one user's progress, media.

Plain Core selects of the columns the export needs, not ORM entities: an export of tens
of thousands of notes must cost little more than writing them (see ``bench/export.py``).
Each function takes a session and never writes.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Sequence
from operator import attrgetter
from typing import Any, NamedTuple, TypeVar

from sqlalchemy import Select, Text, case, cast, func, literal, select
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Deck, Media, Note, Review, User

__all__ = [
    "ExportDeck",
    "ExportNote",
    "ExportReview",
    "ExportState",
    "export_decks",
    "export_notes",
    "export_reviews",
    "export_states",
    "media_data",
    "user_id_named",
]


class ExportDeck(NamedTuple):
    id: int
    key: str
    name: str
    description: str | None
    source: str | None
    html: bool
    tags: tuple[str, ...]


class ExportNote(NamedTuple):
    """An active note with what the package needs of it, decoded once."""

    id: int
    deck_id: int
    key: str
    kind: str  # fact | basic | cloze
    position: int
    front: str
    back: str
    extra: str | None
    structure_name: str | None
    field: str | None
    structure_key: str | None
    meta_json: str | None  # the metadata as JSON text, without a list answer's items
    structure_kind: str | None
    region: str | None
    answer_items: tuple[str, ...] | None  # a fact's answer written as a list, else None
    image: str | None
    tags: tuple[str, ...]
    content_changed_epoch: int  # seconds since 1970 (UTC)
    anki_guid: str | None  # the GUID it had in Anki, for a note imported from Anki
    field_media: tuple[str, ...]  # media its fields refer to (notes imported from Anki)
    note: str | None  # the deck's note on the fact, shown after the answer
    occlusion: dict[str, Any] | None  # an occlusion note's diagram (shapes, mode, size)


class ExportState(NamedTuple):
    """One user's SM-2 state of one active card, named by its note's key and ordinal."""

    note_key: str
    note_kind: str
    ordinal: int
    repetitions: int
    interval: int
    easiness: float
    due_day: dt.date | None
    lapses: int
    suspended: bool


class ExportReview(NamedTuple):
    """One answer that still stands (neither an undo nor undone), oldest first."""

    note_key: str
    note_kind: str
    ordinal: int
    reviewed_at: dt.datetime
    kind: str  # review | redrill
    quality: int
    duration_ms: int | None
    repetitions_before: int
    interval_before: int
    interval_after: int
    easiness_after: float
    lapses_after: int
    study_day: dt.date
    mode: str | None
    typed_answer: str | None
    easiness_before: float
    due_before: dt.date | None
    lapses_before: int
    repetitions_after: int
    due_after: dt.date | None


def user_id_named(session: Session, name: str) -> int | None:
    """The user's id, or None: an export never creates a user."""
    return session.scalar(select(User.id).where(User.name == name))


def export_decks(session: Session, deck_ids: Sequence[int] | None) -> list[ExportDeck]:
    query = select(
        Deck.id, Deck.key, Deck.name, Deck.description, Deck.source, Deck.html, Deck.tags
    )
    if deck_ids is not None:
        query = query.where(Deck.id.in_(deck_ids))
    rows = session.execute(query.order_by(Deck.name, Deck.key))
    return [ExportDeck(*row[:6], tuple(row[6] or ())) for row in rows]


SelectT = TypeVar("SelectT", bound=Select[*tuple[Any, ...]])


def _in_decks(query: SelectT, deck_ids: Sequence[int] | None) -> SelectT:
    return query if deck_ids is None else query.where(Note.deck_id.in_(deck_ids))


def _json_text(session: Session, key: str) -> Any:
    """One array of the metadata as JSON text (decoding the whole metadata cost more)."""
    if session.get_bind().dialect.name == "sqlite":
        # json_extract gives an array as its JSON text; the generic JSON index would
        # wrap it in json_quote.
        return func.json_extract(Note.meta, f"$.{key}")
    return cast(Note.meta[key], Text)


def _meta_without_items(session: Session) -> Any:
    """The metadata as JSON text; a list answer's items left out (the package's answer
    field lists them: ``flashcards.anki.notes.note_data``)."""
    is_list = Note.meta["is_list"].as_boolean()
    if session.get_bind().dialect.name == "sqlite":
        return case((is_list, func.json_remove(Note.meta, "$.items")), else_=cast(Note.meta, Text))
    without = cast(Note.meta, JSONB).op("-")(literal("items"))
    return case((is_list, cast(without, Text)), else_=cast(Note.meta, Text))


def export_notes(session: Session, deck_ids: Sequence[int] | None) -> list[ExportNote]:
    """Active (not retired) notes, in authoring order deck by deck.

    The JSON columns come as text and are decoded here: the tags once per distinct value
    (most notes of a deck share theirs), the answer items only for list answers, the
    rest of the metadata read by the database; the change time comes as epoch seconds.
    Decoding all of it through the column types cost a fifth of the export
    (bench/README.md).
    """
    query = _in_decks(
        select(
            Note.id,
            Note.deck_id,
            Note.key,
            Note.kind,
            Note.position,
            Note.front,
            Note.back,
            Note.extra,
            Note.structure_name,
            Note.field,
            Note.structure_key,
            _meta_without_items(session),
            Note.meta["kind"].as_string(),
            Note.meta["region"].as_string(),
            Note.meta["is_list"].as_boolean(),
            _json_text(session, "items"),
            Note.image,
            cast(Note.tags, Text),
            func.extract("epoch", Note.content_changed_at),
            Note.meta["source"].as_string(),
            Note.meta["guid"].as_string(),
            _json_text(session, "media"),
            Note.meta["note"].as_string(),
            _json_text(session, "occlusion"),
        ).where(Note.retired_at.is_(None)),
        deck_ids,
    )
    tag_lists: dict[str, tuple[str, ...]] = {}
    notes: list[ExportNote] = []
    result = session.connection().execute(query)
    try:
        # The driver's rows as they are: every value is already what is needed (text,
        # numbers, a truthy flag), and skipping the per-row result processing took a
        # tenth off the export (bench/README.md).
        rows = result.cursor.fetchall()
    finally:
        result.close()
    for row in rows:
        head, tail = row[:12], row[12:]
        kind, region, is_list, items_json, image, tags_json, changed, source, guid, media = tail[
            :10
        ]
        note = tail[10]
        diagram = json.loads(tail[11]) if tail[11] else None
        tags = tag_lists.get(tags_json)
        if tags is None:
            tags = tag_lists[tags_json] = tuple(json.loads(tags_json or "[]"))
        items = tuple(json.loads(items_json or "[]")) if is_list else None
        anki_guid = guid if source == "anki" and guid else None
        field_media = tuple(json.loads(media)) if media else ()
        notes.append(
            ExportNote._make(
                (
                    *head,
                    kind,
                    region,
                    items,
                    image,
                    tags,
                    int(changed),
                    anki_guid,
                    field_media,
                    note or None,
                    diagram,
                )
            )
        )
    notes.sort(key=attrgetter("deck_id", "position", "id"))
    return notes


def export_states(
    session: Session, user_id: int, deck_ids: Sequence[int] | None
) -> list[ExportState]:
    """The user's state rows for active cards of active notes."""
    query = _in_decks(
        select(
            Note.key,
            Note.kind,
            Card.ordinal,
            CardState.repetitions,
            CardState.interval,
            CardState.easiness,
            CardState.due_day,
            CardState.lapses,
            CardState.suspended,
        )
        .join(Card, CardState.card_id == Card.id)
        .join(Note, Card.note_id == Note.id)
        .where(
            CardState.user_id == user_id,
            Card.retired_at.is_(None),
            Note.retired_at.is_(None),
        ),
        deck_ids,
    )
    return [ExportState._make(row) for row in session.execute(query)]


def export_reviews(
    session: Session, user_id: int, deck_ids: Sequence[int] | None
) -> list[ExportReview]:
    """The user's answers on active cards that still stand, oldest first."""
    undone = select(Review.undoes_id).where(
        Review.user_id == user_id, Review.kind == "undo", Review.undoes_id.is_not(None)
    )
    query = _in_decks(
        select(
            Note.key,
            Note.kind,
            Card.ordinal,
            Review.reviewed_at,
            Review.kind,
            Review.quality,
            Review.duration_ms,
            Review.repetitions_before,
            Review.interval_before,
            Review.interval_after,
            Review.easiness_after,
            Review.lapses_after,
            Review.study_day,
            Review.mode,
            Review.typed_answer,
            Review.easiness_before,
            Review.due_before,
            Review.lapses_before,
            Review.repetitions_after,
            Review.due_after,
        )
        .join(Card, Review.card_id == Card.id)
        .join(Note, Card.note_id == Note.id)
        .where(
            Review.user_id == user_id,
            Review.kind.in_(("review", "redrill")),
            Review.quality.is_not(None),
            Review.id.not_in(undone),
            Card.retired_at.is_(None),
            Note.retired_at.is_(None),
        ),
        deck_ids,
    ).order_by(Review.reviewed_at, Review.id)
    return [ExportReview._make(row) for row in session.execute(query)]


def media_data(session: Session, filenames: Sequence[str]) -> Iterator[tuple[str, bytes]]:
    """(file name, bytes) of the named media files, streamed one at a time."""
    names = sorted(set(filenames))
    for start in range(0, len(names), 500):  # bounded IN lists on every engine
        chunk = names[start : start + 500]
        query = (
            select(Media.filename, Media.data)
            .where(Media.filename.in_(chunk))
            .order_by(Media.filename)
            # A server-side cursor on PostgreSQL: images up to 20 MB each stay out of memory.
            .execution_options(yield_per=4)
        )
        yield from session.execute(query)
