"""Syncing a deck again: the notes as stored are read as plain columns and only notes
with something to write go through the ORM. Any sequence of imports (notes added,
edited, reordered, removed, brought back, cloze numbers changed, with or without prune)
must count, report and write exactly what the plain ORM sync did; that sync is kept
here, as it was, to compare with."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload
from test_db_sync import DeckIn, NoteIn

from flashcards_db.engine import make_engine, make_sessionmaker, open_database
from flashcards_db.models import Card, Note
from flashcards_db.queries.sync import (
    NoteChange,
    NoteContent,
    SyncCounts,
    _NewNotes,
    _sync_cards,
    _upsert_deck,
    _write_content,
    content_hash,
    sync_deck,
)

T0 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)


def orm_sync(
    session: Session,
    deck: DeckIn,
    notes: Sequence[NoteContent],
    *,
    prune: bool,
    now: dt.datetime,
    found: list[NoteChange],
) -> SyncCounts:
    """sync_deck as it was: every note of the deck loaded as an ORM object with its cards."""
    counts = SyncCounts()
    deck_id, _ = _upsert_deck(session, deck, now)
    added = _NewNotes(session, deck_id, now)
    existing = {
        n.key: n
        for n in session.scalars(
            select(Note).where(Note.deck_id == deck_id).options(selectinload(Note.cards))
        )
    }
    for position, note in enumerate(notes):
        digest = content_hash(note)
        row = existing.pop(note.key, None)
        if row is None:
            added.add(note, position, digest)
            counts.added += 1
            found.append(NoteChange(note.key, "added", note.front))
            continue
        row.position = position
        if row.content_hash != digest or row.retired_at is not None:
            if row.retired_at is not None:
                found.append(NoteChange(note.key, "restored", note.front))
            elif row.front != note.front:
                found.append(NoteChange(note.key, "reworded", note.front, row.front))
            if row.content_hash != digest:
                _write_content(row, note, digest)
                row.content_changed_at = now
            row.retired_at = None
            counts.updated += 1
        else:
            counts.unchanged += 1
        _sync_cards(row, note.ordinals, now)
    for row in sorted(existing.values(), key=lambda r: r.id):
        if prune:
            session.delete(row)
            counts.deleted += 1
            found.append(NoteChange(row.key, "deleted", row.front))
        elif row.retired_at is None:
            row.retired_at = now
            counts.retired += 1
            found.append(NoteChange(row.key, "retired", row.front))
    session.flush()
    added.insert()
    return counts


def _state(session: Session) -> list[Any]:
    """Every stored note and card, by key: what a sync wrote."""
    notes = session.execute(
        select(
            Note.key, Note.position, Note.kind, Note.front, Note.back, Note.meta, Note.tags,
            Note.content_hash, Note.content_changed_at, Note.retired_at,
        ).order_by(Note.key)
    ).all()  # fmt: skip
    cards = session.execute(
        select(Note.key, Card.ordinal, Card.retired_at)
        .join(Note, Card.note_id == Note.id)
        .order_by(Note.key, Card.ordinal)
    ).all()
    return [list(map(tuple, notes)), list(map(tuple, cards))]


# A pool of notes, each in two wordings and with cloze numbers that may change.
_KEYS = [f"d/s{n}/f" for n in range(6)]
_import = st.lists(
    st.tuples(
        st.sampled_from(_KEYS),
        st.sampled_from(["Where?", "Where exactly?"]),
        st.sampled_from([(0,), (1, 2), (1,), (2, 3)]),
    ),
    max_size=6,
    unique_by=lambda item: item[0],
).map(lambda items: [NoteIn(key, front, ordinals=ordinals) for key, front, ordinals in items])


@pytest.fixture(scope="module")
def empty_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database with the schema, copied for each example (migrating is slow)."""
    path = tmp_path_factory.mktemp("sync") / "empty.db"
    open_database(str(path)).dispose()
    return path


@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(st.lists(st.tuples(_import, st.booleans()), min_size=1, max_size=5))
def test_any_sequence_of_imports_writes_what_the_orm_sync_wrote(
    empty_database: Path, imports: list[tuple[list[NoteIn], bool]]
) -> None:
    folder = Path(tempfile.mkdtemp(dir=empty_database.parent))
    for side in "ab":
        shutil.copy(empty_database, folder / f"{side}.db")
    engines = [make_engine(f"sqlite:///{folder / side}.db") for side in "ab"]
    try:
        sessions = [make_sessionmaker(engine)() for engine in engines]
        for step, (notes, prune) in enumerate(imports):
            now = T0 + dt.timedelta(days=step)
            found: list[list[NoteChange]] = [[], []]
            new = sync_deck(sessions[0], DeckIn(), notes, prune=prune, now=now, changes=found[0])
            old = orm_sync(sessions[1], DeckIn(), notes, prune=prune, now=now, found=found[1])
            assert new == old
            assert found[0] == found[1]
            for session in sessions:
                session.commit()
            assert _state(sessions[0]) == _state(sessions[1])
        for session in sessions:
            session.close()
    finally:
        for engine in engines:
            engine.dispose()
        shutil.rmtree(folder)


def test_a_note_only_moved_reads_its_new_position_in_the_session_that_holds_it(
    empty_database: Path, tmp_path: Path
) -> None:
    """The UPDATE of a moved note's position goes around the ORM: a session that already
    holds the note (its sessions keep objects across commits) reads the new position."""
    database = shutil.copy(empty_database, tmp_path / "moved.db")
    engine = make_engine(f"sqlite:///{database}")
    try:
        with make_sessionmaker(engine)() as session:
            first, second = NoteIn("d/a/f", "Where?"), NoteIn("d/b/f", "Where exactly?")
            sync_deck(session, DeckIn(), [first, second], now=T0)
            session.commit()
            held = {n.key: n for n in session.scalars(select(Note))}  # kept alive here
            sync_deck(session, DeckIn(), [second, first], now=T0 + dt.timedelta(days=1))
            session.commit()
            positions = {n.key: n.position for n in session.scalars(select(Note))}
            assert positions == {"d/b/f": 0, "d/a/f": 1}
            assert held["d/a/f"].position == 1
    finally:
        engine.dispose()
