"""Write our decks as an Anki package (.apkg) with genanki.

genanki builds the collection (schema, note types, decks) in an in-memory SQLite
database through its ``Package.write_to_db``, and ``_Package`` writes our notes and cards
into it as genanki writes them, each note with its own ``mod`` and cards (``notes.py``
says why). When the student's progress travels, it is then written into that collection
(``progress.py``). The collection is compressed into the package (deflate, as Anki's own
legacy export does it), with the media read from the database.

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


def _note_types() -> dict[str, Any]:
    """Our genanki note types by ``AnkiNote.note_type``."""
    from flashcards.anki import occlusion

    models = {kind: note_type(kind) for kind in ("fact", "basic", "cloze")}
    models["image-occlusion"] = occlusion.note_type()
    return models


def _genanki_decks(
    deck_notes: Sequence[tuple[PackageDeck, list[AnkiNote]]], models: dict[str, Any]
) -> list[Any]:
    """genanki's decks, each with the note types its notes use (their notes are written
    by `_Package`)."""
    built: list[Any] = []
    for deck, notes in deck_notes:
        anki_deck = genanki.Deck(
            deck_id_for(deck.key), deck.name, text_html(deck.description, deck.html)
        )
        for kind in dict.fromkeys(note.note_type for note in notes):  # as genanki adds them
            anki_deck.add_model(models[kind])
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
    """genanki's collection (schema, note types, decks) with our notes and cards in it.

    genanki writes a note per ``INSERT`` through a ``genanki.Note`` built for each (and
    a ``genanki.Card`` per card); ours carry their own ``mod`` (the time their content
    changed, ``notes.py`` says why), the cards we know each has and our ``data``
    (``notes.note_data``), so their rows are written here, a deck at a time, as genanki
    writes them: the same columns, the same ids from ``id_gen`` (a note's, then its
    cards'), new cards due in authoring order across decks. The 35,000-note collection:
    0.25 s -> 0.17 s (bench/README.md).
    """

    def __init__(
        self,
        anki_decks: list[Any],
        deck_notes: Sequence[tuple[PackageDeck, list[AnkiNote]]],
        models: dict[str, Any],
    ) -> None:
        super().__init__(anki_decks)
        self.deck_notes = deck_notes
        self.note_types = models

    def write_to_db(self, cursor: Any, timestamp: float, id_gen: Any) -> None:
        cursor.executescript(_SCHEMA)
        cursor.executescript(APKG_COL)
        position = itertools.count(1)  # Anki introduces new cards by position
        for anki_deck, (_, notes) in zip(self.decks, self.deck_notes, strict=True):
            anki_deck.write_to_db(cursor, timestamp, id_gen)  # the deck and its note types
            deck_id = anki_deck.deck_id
            note_rows: list[tuple[Any, ...]] = []
            card_rows: list[tuple[Any, ...]] = []
            tag_texts: dict[int, str] = {}  # by list: notes share their tag lists
            for note in notes:
                model = self.note_types[note.note_type]
                note_id = next(id_gen)
                tags = tag_texts.get(id(note.tags))
                if tags is None:
                    tags = tag_texts[id(note.tags)] = " " + " ".join(note.tags) + " "
                fields = note.fields
                note_rows.append(
                    (note_id, note.guid, model.model_id, note.mod, -1, tags, "\x1f".join(fields),
                     fields[model.sort_field_index], 0, 0, note.data)
                )  # fmt: skip
                due, mod = next(position), note.mod
                for ord_ in note.card_ords:
                    card_rows.append(
                        (next(id_gen), note_id, deck_id, ord_, mod, -1, 0, 0, due, 0, 0, 0, 0,
                         0, 0, 0, 0, "")
                    )  # fmt: skip
            cursor.executemany("INSERT INTO notes VALUES(?,?,?,?,?,?,?,?,?,?,?)", note_rows)
            cursor.executemany(
                "INSERT INTO cards VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", card_rows
            )


def _write_collection(
    deck_notes: Sequence[tuple[PackageDeck, list[AnkiNote]]], progress: Progress | None
) -> tuple[bytes, int, ProgressCounts | None]:
    """The collection as the bytes of its SQLite file, its card count, what progress did."""
    # In memory, and handed over as bytes: nothing to write to disk and read back.
    connection = sqlite3.connect(":memory:")
    try:
        cursor = connection.cursor()
        # Larger pages: fewer page splits while 35,000 notes go in, and less to deflate
        # (0.02 s and 0.1 MB less, bench/README.md); Anki reads any page size.
        cursor.execute("PRAGMA page_size = 16384")
        models = _note_types()
        anki_decks = _genanki_decks(deck_notes, models)
        _Package(anki_decks, deck_notes, models).write_to_db(
            cursor, TEMPLATES_REVISION, itertools.count(int(time.time() * 1000))
        )
        # Our decks' own records (``notes.deck_data``), for our import: Anki never reads it.
        cursor.execute(f"CREATE TABLE {OUR_DECKS_TABLE} (id INTEGER PRIMARY KEY, data TEXT)")
        cursor.executemany(
            f"INSERT INTO {OUR_DECKS_TABLE} VALUES (?, ?)",
            [(deck_id_for(deck.key), deck_data(deck)) for deck, _ in deck_notes],
        )
        counts = None
        if progress is not None:
            guids = {n.key: n.guid for _, notes in deck_notes for n in notes}
            # A note of ours that is one card of an Anki note (a diagram's label).
            places = {
                key: (n.guid, ord_)
                for _, notes in deck_notes
                for n in notes
                for ord_, key in zip(n.card_ords, n.card_keys, strict=False)
            }
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
    images = list(dict.fromkeys(m for _, notes in deck_notes for n in notes for m in n.media))
    # The package is written beside its final name and renamed over it when complete.
    fd, part_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    os.close(fd)
    part = Path(part_name)
    try:
        collection, cards, counts = _write_collection(deck_notes, progress)
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
    return PackageSummary(len(deck_notes), notes_count, cards, media_count, counts)
