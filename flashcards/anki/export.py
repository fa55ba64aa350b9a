"""Write our decks as an Anki package (.apkg) with genanki.

genanki builds the collection (schema, note types, decks, notes, cards) in an in-memory
SQLite database through its ``Package.write_to_db``; ``_DatedNote`` gives it each note's
own ``mod`` and cards (``notes.py`` says why). When the student's progress travels, it
is then written into that collection (``progress.py``). The collection is compressed
into the package (deflate, as Anki's own legacy export does it), with the media read
from the database.

The collection carries no indexes: Anki builds its own when it imports a package (a test
holds the real importer to it), and leaving them out of the package made the 35,000-note
package a quarter smaller and its writing faster (bench/README.md).
"""

from __future__ import annotations

import itertools
import json
import os
import sqlite3
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import genanki
from genanki.apkg_col import APKG_COL
from genanki.apkg_schema import APKG_SCHEMA

from flashcards.anki.collection import OUR_DECKS_TABLE
from flashcards.anki.models import TEMPLATES_REVISION, note_type
from flashcards.anki.notes import AnkiNote, PackageDeck, deck_data, deck_id_for, text_html
from flashcards.anki.progress import Progress, ProgressCounts, write_progress
from flashcards.errors import FlashcardsError

__all__ = ["PackageSummary", "write_package"]

MediaSource = Callable[[list[str]], Iterable[tuple[str, bytes]]]


@dataclass(frozen=True)
class PackageSummary:
    decks: int
    notes: int
    cards: int
    media: int
    progress: ProgressCounts | None


# Media formats that are compressed already: stored as they are, deflating gains nothing.
_COMPRESSED_MEDIA = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".mp3", ".m4a", ".ogg", ".mp4"}


class _DatedNote(genanki.Note):  # type: ignore[misc]  # genanki is untyped
    """A genanki note with its own ``mod`` and cards.

    genanki stamps every note with the export's time; ours carry the time their content
    changed. The cards are the ones we know the note has, so genanki need not work them
    out from the templates again for every note (a quarter of its time, bench/README.md).
    """

    def __init__(self, note: AnkiNote, model: Any, due: int) -> None:
        super().__init__(model=model, fields=note.fields, tags=note.tags, guid=note.guid, due=due)
        self.mod = note.mod
        self.cards = [genanki.Card(ord_) for ord_ in note.card_ords]
        self.data = note.data

    @property
    def tags(self) -> list[str]:
        return self._tags

    @tags.setter
    def tags(self, tags: list[str]) -> None:
        # genanki checks each tag for spaces in a list subclass; ours have none
        # (``notes.anki_tags``), so the list is kept as it is.
        self._tags = tags

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        # genanki's own insert, with our ``data`` (``notes.note_data``) in the column it
        # leaves empty.
        cursor.execute(
            "INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)",
            (
                next(id_gen),
                self.guid,
                self.model.model_id,
                self.mod,
                -1,
                self._format_tags(),
                self._format_fields(),
                self.sort_field,
                0,
                0,
                self.data,
            ),
        )
        note_id = cursor.lastrowid
        for card in self.cards:
            card.write_to_db(cursor, self.mod, deck_id, note_id, id_gen, self.due)

    def _check_invalid_html_tags_in_fields(self) -> None:
        # Plain text is escaped by us; markup in decks marked html is the instructor's.
        return None


def _genanki_decks(deck_notes: Sequence[tuple[PackageDeck, list[AnkiNote]]]) -> list[Any]:
    from flashcards.anki import occlusion

    models = {kind: note_type(kind) for kind in ("fact", "basic", "cloze")}
    models["image-occlusion"] = occlusion.note_type()
    built: list[Any] = []
    # Anki introduces new cards by position: authoring order, deck by deck.
    position = itertools.count(1)
    for deck, notes in deck_notes:
        anki_deck = genanki.Deck(
            deck_id_for(deck.key), deck.name, text_html(deck.description, deck.html)
        )
        for note in notes:
            anki_deck.add_note(_DatedNote(note, models[note.note_type], next(position)))
        built.append(anki_deck)
    return built


# genanki's schema without its indexes (see the module's docstring).
_SCHEMA = "\n".join(
    line
    for line in APKG_SCHEMA.splitlines()
    if not line.lstrip().upper().startswith("CREATE INDEX")
)
# Deflate level of the collection: 1 to 9. Measured on the 35,000-note collection
# (32 MB, bench/README.md): level 3 gave 4.7 MB in 0.14 s of CPU, 4 gave 4.4 MB in
# 0.16 s, 5 gave 4.3 MB in 0.22 s.
COLLECTION_COMPRESSLEVEL = 4


class _Package(genanki.Package):  # type: ignore[misc]  # genanki is untyped
    def write_to_db(self, cursor: Any, timestamp: float, id_gen: Any) -> None:
        cursor.executescript(_SCHEMA)
        cursor.executescript(APKG_COL)
        for deck in self.decks:
            deck.write_to_db(cursor, timestamp, id_gen)


def _write_collection(
    anki_decks: list[Any],
    decks: Sequence[PackageDeck],
    guids: dict[str, str],
    progress: Progress | None,
    places: dict[str, tuple[str, int]],
) -> tuple[bytes, int, ProgressCounts | None]:
    """The collection as the bytes of its SQLite file, its card count, what progress did.

    ``places``: the Anki note and card of a note of ours that is one card of a bigger Anki
    note (a diagram's label), for its progress."""
    # In memory, and handed over as bytes: nothing to write to disk and read back.
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        # Larger pages: fewer page splits while 35,000 notes go in, and less to deflate
        # (0.02 s and 0.1 MB less, bench/README.md); Anki reads any page size.
        cursor.execute("PRAGMA page_size = 16384")
        _Package(anki_decks).write_to_db(
            cursor, TEMPLATES_REVISION, itertools.count(int(time.time() * 1000))
        )
        # Our decks' own records (``notes.deck_data``), for our import: Anki never reads it.
        cursor.execute(f"CREATE TABLE {OUR_DECKS_TABLE} (id INTEGER PRIMARY KEY, data TEXT)")
        cursor.executemany(
            f"INSERT INTO {OUR_DECKS_TABLE} VALUES (?, ?)",
            [(deck_id_for(deck.key), deck_data(deck)) for deck in decks],
        )
        counts = None
        if progress is not None:
            counts = write_progress(
                cursor,
                progress.states,
                progress.reviews,
                guids,
                day_start_hour=progress.day_start_hour,
                places=places,
            )
        (cards,) = cursor.execute("SELECT count(*) FROM cards").fetchone()
        connection.commit()
        return connection.serialize(), int(cards), counts
    finally:
        connection.close()


def _zip_package(
    target: Path,
    collection: bytes,
    images: list[str],
    media: MediaSource,
) -> int:
    written: list[str] = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as out:
        out.writestr(
            "collection.anki2",
            collection,
            compress_type=zipfile.ZIP_DEFLATED,
            compresslevel=COLLECTION_COMPRESSLEVEL,
        )
        for name, data in media(images):
            stored = Path(name).suffix.lower() in _COMPRESSED_MEDIA
            out.writestr(
                str(len(written)),
                data,
                compress_type=zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED,
            )
            written.append(name)
        out.writestr("media", json.dumps({str(i): name for i, name in enumerate(written)}))
    missing = set(images) - set(written)
    if missing:
        raise FlashcardsError(
            f"media missing from the database: {', '.join(sorted(missing))} "
            "(import the deck files again)"
        )
    return len(written)


def write_package(
    path: Path,
    deck_notes: Sequence[tuple[PackageDeck, list[AnkiNote]]],
    media: MediaSource,
    progress: Progress | None = None,
) -> PackageSummary:
    """Write the package to ``path`` atomically: a failed export leaves any old file as it was.

    ``deck_notes`` comes from ``notes.anki_notes``; ``media`` yields (file name, bytes)
    for the names asked for.
    """
    anki_decks = _genanki_decks(deck_notes)
    images = list(dict.fromkeys(m for _, notes in deck_notes for n in notes for m in n.media))
    # The package is written beside its final name and renamed over it when complete.
    fd, part_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    part = Path(part_name)
    try:
        guids = {n.key: n.guid for _, notes in deck_notes for n in notes}
        # A note of ours that is one card of an Anki note (a diagram's label).
        places = {
            key: (n.guid, ord_)
            for _, notes in deck_notes
            for n in notes
            for ord_, key in zip(n.card_ords, n.card_keys, strict=False)
        }
        decks = [deck for deck, _ in deck_notes]
        collection, cards, counts = _write_collection(anki_decks, decks, guids, progress, places)
        media_count = _zip_package(part, collection, images, media)
        if progress is None:
            # Content only: as shareable as any file the student writes (the temporary
            # file was private). A package with a review log stays private to its owner.
            umask = os.umask(0)
            os.umask(umask)
            part.chmod(0o666 & ~umask)
        part.replace(path)
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    notes_count = sum(len(notes) for _, notes in deck_notes)
    return PackageSummary(len(anki_decks), notes_count, cards, media_count, counts)
