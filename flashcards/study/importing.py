"""Import deck files and Anki's files: read and check everything first, then write every
deck in one transaction, so a failed import changes no row.

Deck files (YAML) and folders of them, Anki packages (.apkg, .colpkg) and text files
(.csv, .tsv, .txt) can be mixed in one run. With ``with_progress`` the Anki schedule of
each imported card becomes the current user's SM-2 state.

``prune`` deletes notes no longer in their files, with their review history: an SQLite
file is copied first; on PostgreSQL an import that would delete a note is refused (and
changes nothing) until the person says the database is backed up (``backed_up``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.authoring.deckfile import DeckFile, Problem
from flashcards.authoring.decks import load_deck_set
from flashcards.authoring.facts import notes_for_deck
from flashcards.errors import DeckFileError, FlashcardsError
from flashcards.study.context import App, without_cycle_collection
from flashcards.study.reverse import reverse_plan
from flashcards_db.queries.decks import deck_totals
from flashcards_db.queries.sync import SyncCounts, store_media, sync_deck

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from flashcards.anki.imported import ImportedSource, Notice

__all__ = [
    "ANKI_SUFFIXES",
    "MAX_MEDIA_BYTES",
    "TEXT_SUFFIXES",
    "ImportReport",
    "ProgressCounts",
    "import_deck_files",
    "load_decks",
]

# Kept here as well as in flashcards.anki, so choosing a reader needs no Anki import.
ANKI_SUFFIXES = (".apkg", ".colpkg")
TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
MAX_MEDIA_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class MediaItem:
    filename: str
    sha256: str
    data: bytes
    original_name: str | None


@dataclass(frozen=True)
class DeckRecord:
    key: str
    name: str
    description: str | None
    source: str | None
    tags: tuple[str, ...]
    html: bool
    source_path: str | None


@dataclass
class ProgressCounts:
    """What ``--with-progress`` did to the current user's schedule."""

    set: int = 0  # cards now scheduled as in Anki
    unchanged: int = 0  # already so
    kept: int = 0  # studied here after Anki's last review: our state stays
    new: int = 0  # never reviewed in Anki: stay new

    def as_json(self) -> dict[str, int]:
        return {"set": self.set, "unchanged": self.unchanged, "kept": self.kept, "new": self.new}


@dataclass
class ImportReport:
    counts: SyncCounts
    decks: list[str]
    deck_keys: list[str]
    warnings: list[Problem | Notice] = field(default_factory=list)
    dry_run: bool = False
    media_added: int = 0
    progress: ProgressCounts | None = None
    # The imported decks' active notes and cards once imported (a cloze or reverse note
    # makes more than one card): the counts are of notes, `decks` counts cards.
    notes: int = 0
    cards: int = 0

    def as_json(self) -> dict[str, object]:
        c = self.counts
        document: dict[str, object] = {
            "added": c.added,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "retired": c.retired,
            "deleted": c.deleted,
            "decks": self.decks,
            "dry_run": self.dry_run,
            "warnings": [str(w) for w in self.warnings],
            "media_added": self.media_added,
            "notes": self.notes,
            "cards": self.cards,
        }
        if self.progress is not None:
            document["progress"] = self.progress.as_json()
        return document


def load_decks(paths: Sequence[Path]) -> tuple[list[DeckFile], list[Problem]]:
    """Every deck file under ``paths``; any error in any file raises with all problems.

    The warnings returned leave out reverse cards: the caller plans those once, against
    the database too (`flashcards.study.reverse.reverse_plan`).
    """
    decks, problems = load_deck_set(paths, reverse_checks=False)
    if any(p.severity == "error" for p in problems):
        raise DeckFileError(list(problems))
    return decks, problems


def _media_for(decks: Sequence[DeckFile]) -> dict[Path, MediaItem]:
    images: set[Path] = set()
    for deck in decks:
        images.update(s.image for s in deck.structures if s.image)
        images.update(c.image for c in deck.cards if c.image)
    media: dict[Path, MediaItem] = {}
    for path in sorted(images):
        size = path.stat().st_size
        if size > MAX_MEDIA_BYTES:
            raise FlashcardsError(
                f"{path}: image is {size // 1024 // 1024} MB, over the "
                f"{MAX_MEDIA_BYTES // 1024 // 1024} MB limit"
            )
        data = path.read_bytes()
        sha = hashlib.sha256(data).hexdigest()
        media[path] = MediaItem(
            filename=f"{sha}{path.suffix.lower()}", sha256=sha, data=data, original_name=path.name
        )
    return media


def _read_sources(paths: Sequence[Path]) -> list[ImportedSource]:
    """Every Anki package and text file among ``paths``, read and checked."""
    sources: list[ImportedSource] = []
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in ANKI_SUFFIXES:
            from flashcards.anki.apkg_import import read_anki_package

            sources.append(read_anki_package(path))
        elif suffix in TEXT_SUFFIXES:
            from flashcards.anki.text_import import read_text_file

            sources.append(read_text_file(path))
    return sources


def _is_deck_path(path: Path) -> bool:
    return not path.is_file() or path.suffix.lower() not in ANKI_SUFFIXES + TEXT_SUFFIXES


def _check_deck_keys(decks: Sequence[DeckFile], sources: Sequence[ImportedSource]) -> None:
    """One deck, one source: two sources of one deck would retire each other's cards."""
    origin = {deck.id: str(deck.path) for deck in decks}
    for source in sources:
        for deck, _notes in source.decks:
            if deck.key in origin:
                raise FlashcardsError(
                    f"deck '{deck.name}' comes from both {origin[deck.key]} and {source.path}; "
                    "import them one at a time"
                )
            origin[deck.key] = str(source.path)


def _apply_progress(
    app: App, session: Session, sources: Sequence[ImportedSource]
) -> ProgressCounts:
    from flashcards_db.queries.progress import (
        ImportedState,
        card_ids_by_note_key,
        import_card_state,
    )
    from flashcards_db.queries.reviews import StateValues

    counts = ProgressCounts(new=sum(source.new_cards for source in sources))
    progress = [p for source in sources for p in source.progress]
    user_id = app.user_id(session)
    card_ids = card_ids_by_note_key(session, {p.note_key for p in progress})
    for item in progress:
        card_id = card_ids.get((item.note_key, item.ordinal))
        if card_id is None:
            continue
        values = StateValues(
            repetitions=item.repetitions,
            interval=item.interval,
            easiness=item.easiness,
            due_day=item.due_day,
            lapses=item.lapses,
        )
        imported = ImportedState(values, item.last_review_day, item.reviews, item.suspended)
        outcome = import_card_state(
            session, user_id=user_id, card_id=card_id, imported=imported, day=app.today
        )
        setattr(counts, outcome, getattr(counts, outcome) + 1)
    return counts


def _back_up_before_prune(app: App) -> None:
    # --prune deletes notes and, with them, their review history: an SQLite file is
    # copied first (next to it, ``.prune-<time>.bak``), as before a migration.
    from flashcards_db.engine import backup_sqlite, sqlite_path

    if sqlite_path(app.engine) is not None:
        backup_sqlite(app.engine, "prune")


def _prune_refused(app: App, deleted: int) -> FlashcardsError:
    from flashcards.study.backup import back_up_first

    return back_up_first(
        app.db,
        f"nothing was imported: --prune would delete {deleted} note(s) no longer in the "
        "files, with their review history: a PostgreSQL database is not copied before a prune",
        "import again with `--prune --backed-up`",
    )


def import_deck_files(
    app: App,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    prune: bool = False,
    progress: Callable[[str], None] | None = None,
    with_progress: bool = False,
    backed_up: bool = False,
) -> ImportReport:
    """Import deck files, folders of them, Anki packages and text files, all or nothing.

    With ``prune`` on PostgreSQL, deleting needs ``backed_up`` (the person has run the
    `pg_dump` command the refusal shows); a dry run is never refused.
    """
    with without_cycle_collection():
        return _import(app, paths, dry_run, prune, progress, with_progress, backed_up)


def _import(
    app: App,
    paths: Sequence[Path],
    dry_run: bool,
    prune: bool,
    progress: Callable[[str], None] | None,
    with_progress: bool,
    backed_up: bool,
) -> ImportReport:
    deck_paths = [p for p in paths if _is_deck_path(p)]
    decks, warnings = load_decks(deck_paths) if deck_paths else ([], [])
    sources = _read_sources([p for p in paths if not _is_deck_path(p)])
    _check_deck_keys(decks, sources)
    media = _media_for(decks)
    names = {path: item.filename for path, item in media.items()}
    total = SyncCounts()
    progress_counts: ProgressCounts | None = None
    if prune and not dry_run:
        _back_up_before_prune(app)
    session_factory = app.session
    with session_factory() as session:
        # Reverse cards are checked against every deck: these files and the database's.
        reverse = reverse_plan(session, decks)
        warnings = [*warnings, *reverse.problems]
        anki_media = [m for source in sources for m in source.media]
        media_added = store_media(session, [*media.values(), *anki_media])
        for deck in decks:
            if progress:
                progress(deck.name)
            record = DeckRecord(
                key=deck.id,
                name=deck.name,
                description=deck.description,
                source=deck.source,
                tags=deck.tags,
                html=deck.html,
                source_path=str(deck.path),
            )
            notes = notes_for_deck(deck, names, reverse.notes_for(deck.id))
            total += sync_deck(session, record, notes, prune=prune)
        for source in sources:
            for imported_deck, imported_notes in source.decks:
                if progress:
                    progress(imported_deck.name)
                total += sync_deck(session, imported_deck, imported_notes, prune=prune)
        # What would be deleted is known only now (as a dry run counts it); raised in the
        # transaction, the refusal rolls it back: the import changes nothing.
        pg = app.engine.dialect.name == "postgresql"
        if total.deleted and pg and not (dry_run or backed_up):
            raise _prune_refused(app, total.deleted)
        if with_progress:
            progress_counts = _apply_progress(app, session, sources)
        keys = [d.id for d in decks] + [d.key for s in sources for d, _ in s.decks]
        held_notes, held_cards = deck_totals(session, keys)  # as they are (or would be) after
        if dry_run:
            session.rollback()
    return ImportReport(
        counts=total,
        decks=[d.name for d in decks] + [d.name for s in sources for d, _ in s.decks],
        deck_keys=[d.id for d in decks] + [d.key for s in sources for d, _ in s.decks],
        warnings=[*warnings, *(n for s in sources for n in s.notices)],
        dry_run=dry_run,
        media_added=media_added,
        progress=progress_counts,
        notes=held_notes,
        cards=held_cards,
    )
