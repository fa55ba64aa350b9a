"""Write our decks as an Anki package (.apkg) with genanki.

genanki builds the collection (schema, note types, decks, notes, cards) in a temporary
SQLite file through its public ``Package.write_to_db``; ``_DatedNote`` gives it each
note's own ``mod`` and cards (``notes.py`` says why). When the student's progress
travels, it is then written into that collection (``progress.py``), and the package is
zipped here, with the media read from the database.
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

from flashcards.anki.models import TEMPLATES_REVISION, note_type
from flashcards.anki.notes import AnkiNote, PackageDeck, deck_id_for, text_html
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

    @property
    def tags(self) -> list[str]:
        return self._tags

    @tags.setter
    def tags(self, tags: list[str]) -> None:
        # genanki checks each tag for spaces in a list subclass; ours have none
        # (``notes.anki_tags``), so the list is kept as it is.
        self._tags = tags

    def write_to_db(self, cursor: Any, timestamp: float, deck_id: int, id_gen: Any) -> None:
        super().write_to_db(cursor, self.mod, deck_id, id_gen)

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


def _write_collection(
    db_path: str,
    anki_decks: list[Any],
    guids: dict[str, str],
    progress: Progress | None,
    places: dict[str, tuple[str, int]],
) -> tuple[int, ProgressCounts | None]:
    connection = sqlite3.connect(db_path)
    try:
        cursor = connection.cursor()
        # A scratch file, thrown away on failure: no journal, no syncing to disk.
        cursor.execute("PRAGMA journal_mode = OFF")
        cursor.execute("PRAGMA synchronous = OFF")
        genanki.Package(anki_decks).write_to_db(
            cursor, TEMPLATES_REVISION, itertools.count(int(time.time() * 1000))
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
        return int(cards), counts
    finally:
        connection.close()


def _zip_package(
    target: Path,
    db_path: str,
    images: list[str],
    media: MediaSource,
) -> int:
    written: list[str] = []
    # The collection is stored, as genanki stores it: deflating it (level 1) made a
    # 35,000-note package 4.6 times smaller but the export 11 % slower, over the 1.15x
    # budget against genanki (bench/README.md).
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_STORED) as out:
        out.write(db_path, "collection.anki2")
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
    fd, db_path = tempfile.mkstemp(prefix="flashcards-export-", suffix=".anki2")
    os.close(fd)
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
        cards, counts = _write_collection(db_path, anki_decks, guids, progress, places)
        media_count = _zip_package(part, db_path, images, media)
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
    finally:
        Path(db_path).unlink(missing_ok=True)
    notes_count = sum(len(notes) for _, notes in deck_notes)
    return PackageSummary(len(anki_decks), notes_count, cards, media_count, counts)
