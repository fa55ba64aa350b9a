"""The fast paths of a sync: the content hash keeps its stored value, and new notes
inserted in bulk are stored exactly as the ORM stores them, on each engine."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy import Table, select
from sqlalchemy.orm import Session
from test_db_sync import PLEXUS, PSOAS, DeckIn, NoteIn

from flashcards.anki.imported import ImportedNote
from flashcards_db.models import Deck, Note
from flashcards_db.queries.sync import content_hash, sync_deck

T1 = dt.datetime(2026, 3, 1, 8, 0, 0, 123456, tzinfo=dt.UTC)

ANKI_NOTE = ImportedNote(
    "anki-1/GP!q3",
    "basic",
    "Where does <b>psoas</b> insert?",
    "Lesser trochanter<br>é ✓",
    meta={"source": "anki", "guid": "GP!q3", "notetype": "Basic", "media": ["a.png"]},
    tags=("anatomy", "région"),
)
FACT_NOTE = ImportedNote(
    "d/s/f",
    "fact",
    'Q\n"x"',
    "A\\b",
    "extra",
    "s",
    "Name",
    "origin",
    {"kind": "muscle", "aliases": ["a", "b"], "is_list": False, "n": 2, "f": 1.5, "none": None},
    "img.png",
    ("t",),
    (0,),
)


def canonical_hash(note: Any) -> str:
    """The content hash as first defined: SHA-256 of this JSON. Stored hashes were made
    so; a different value would make every stored note look edited."""
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


def test_content_hashes_keep_the_values_already_stored() -> None:
    flat_meta = ANKI_NOTE._replace(meta={"source": "anki", "guid": "GP!q3", "notetype": "Basic"})
    stored = [
        (PSOAS, "638f656d167d5b337fccb496aa71317700994da004e011d52f1e503f07003a27"),
        (PLEXUS, "7e16714b52a5bd1a684c701363d4ee2e304abe09518e86764ccb7ee7620e3823"),
        (ANKI_NOTE, "d040133bfc2f547974241576da2efa7af5c931be9929b8f55a8c71193902d9d3"),
        (flat_meta, "96e359bbba477a38d47269bc6892a1cc8672f9ba2211084b2ba3249f1c1f074e"),
        (FACT_NOTE, "6383b163eb0846d9e8d5b9ddc3e68730a7465a80950d7a2c8cc494d5d96dbf96"),
    ]
    for note, digest in stored:
        assert content_hash(note) == digest, note


_text = st.text()
_optional = st.none() | st.text()
_meta_value = st.text() | st.integers() | st.booleans() | st.none() | st.lists(st.text())


@settings(max_examples=300)
@given(
    note=st.builds(
        NoteIn,
        key=_text,
        front=_text,
        back=_text,
        kind=_text,
        extra=_optional,
        structure_name=_optional,
        field=_optional,
        meta=st.dictionaries(st.text(), st.text()) | st.dictionaries(st.text(), _meta_value),
        image=_optional,
        tags=st.lists(_text, max_size=4) | st.tuples(_text),
        ordinals=st.lists(st.integers(0, 30), max_size=3) | st.lists(st.booleans(), max_size=2),
    )
)
def test_the_content_hash_is_the_canonical_json_digest_of_any_note(note: NoteIn) -> None:
    assert content_hash(note) == canonical_hash(note)


def _stored(session: Session, key: str) -> tuple[Any, ...]:
    row = session.scalars(select(Note).where(Note.key == key)).one()
    return (
        row.kind, row.front, row.back, row.extra, row.structure_key, row.structure_name,
        row.field, row.meta, row.image, row.tags, row.content_hash, row.content_changed_at,
        row.created_at, row.retired_at, [c.ordinal for c in row.cards],
    )  # fmt: skip


def test_bulk_inserted_notes_are_stored_as_the_orm_stores_them(session: Session) -> None:
    """Each note once through sync (bulk insert) and once as a plain ORM object: the raw
    column values and what the ORM reads back are the same."""
    meta = {"kind": "muscle", "aliases": ["Psoas", "Ψόας"], "is_list": False, "n": 2}
    notes = [
        dataclasses.replace(PSOAS, meta=meta, tags=["anatomy", "hip flexor"]),
        PLEXUS,
        ANKI_NOTE,
    ]
    sync_deck(session, DeckIn(), notes, now=T1)
    deck = session.scalars(select(Deck)).one()
    for position, note in enumerate(notes):
        twin = Note(
            deck_id=deck.id, key=f"orm/{note.key}", position=position, kind=note.kind,
            front=note.front, back=note.back, extra=note.extra,
            structure_key=note.structure_key, structure_name=note.structure_name,
            field=note.field, meta=dict(note.meta), image=note.image, tags=list(note.tags),
            content_hash=content_hash(note), content_changed_at=T1, created_at=T1,
        )  # fmt: skip
        session.add(twin)
    session.flush()
    session.expire_all()
    raw = Note.__table__
    assert isinstance(raw, Table)
    columns = [raw.c.meta, raw.c.tags, raw.c.content_changed_at, raw.c.created_at]
    for note in notes:
        bulk = _stored(session, note.key)
        assert bulk[7] == dict(note.meta) and bulk[9] == list(note.tags)
        assert bulk[11] == bulk[12] == T1
        assert bulk[14] == sorted(set(note.ordinals))
        assert bulk[10] == canonical_hash(note)
        orm = _stored(session, f"orm/{note.key}")
        assert bulk[:14] == orm[:14]
        text_of = {
            key: session.connection()
            .execute(select(*[c.cast(raw.c.front.type) for c in columns]).where(raw.c.key == key))
            .one()
            for key in (note.key, f"orm/{note.key}")
        }
        assert text_of[note.key] == text_of[f"orm/{note.key}"]


def test_a_second_sync_of_bulk_inserted_notes_finds_them_unchanged(session: Session) -> None:
    notes = [PSOAS, PLEXUS, ANKI_NOTE, FACT_NOTE._replace(image=None)]
    sync_deck(session, DeckIn(), notes, now=T1)
    counts = sync_deck(session, DeckIn(), notes, now=T1 + dt.timedelta(days=1))
    assert (counts.added, counts.updated, counts.unchanged) == (0, 0, 4)


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@settings(max_examples=300)
@given(st.dictionaries(st.text(), _json))
def test_a_meta_is_written_as_json_dumps_writes_it_with_or_without_sorted_keys(
    meta: dict[str, Any],
) -> None:
    """The encoders made once (for the hash and for SQLite's JSON column) write exactly
    what json.dumps writes."""
    from flashcards_db.queries.sync import _canonical_dict, _dumps_dict

    assert _dumps_dict(meta) == json.dumps(meta)
    assert _canonical_dict(meta) == json.dumps(meta, sort_keys=True, ensure_ascii=False)
