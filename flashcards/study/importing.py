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

import datetime as dt
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from flashcards.errors import DeckFileError, FlashcardsError
from flashcards.study.context import App, without_cycle_collection
from flashcards_db.queries.decks import deck_totals
from flashcards_db.queries.sync import (
    NoteChange,
    SyncCounts,
    merge_deck,
    store_media,
    sync_deck,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from flashcards.anki.home import NoteData, OurDeck
    from flashcards.anki.imported import ImportedAnswer, ImportedSource, Notice
    from flashcards.authoring.deckfile import DeckFile, Problem
    from flashcards.study.changes import FactChanges

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
    answers: int = 0  # answers of the package's review log added to the user's log
    answers_known: int = 0  # answers already in the log (an earlier import, or ours)

    def as_json(self) -> dict[str, int]:
        return {
            "set": self.set,
            "unchanged": self.unchanged,
            "kept": self.kept,
            "new": self.new,
            "answers": self.answers,
            "answers_known": self.answers_known,
        }


@dataclass
class ImportReport:
    counts: SyncCounts
    decks: list[str]
    deck_keys: list[str]
    warnings: list[Problem | Notice] = field(default_factory=list)
    dry_run: bool = False
    media_added: int = 0
    progress: ProgressCounts | None = None
    # Decks already in the database: the cards added, retired or reworded, fact by fact.
    changes: list[FactChanges] = field(default_factory=list)
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
            "changes": [change.as_json() for change in self.changes],
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
    # Imported here: a package or text file needs none of the deck-file reader (YAML,
    # lint rules, wording), which took 40 ms of a package import's start-up.
    from flashcards.authoring.decks import load_deck_set

    decks, problems = load_deck_set(paths, reverse_checks=False)
    if any(p.severity == "error" for p in problems):
        raise DeckFileError(list(problems))
    return decks, problems


def _media_for(decks: Sequence[DeckFile]) -> dict[Path, MediaItem]:
    images: set[Path] = set()
    for deck in decks:
        images.update(s.image for s in deck.structures if s.image)
        images.update(c.image for c in deck.cards if c.image)
        images.update(o.image for o in deck.occlusions)
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


class _KnownNotes:
    """Our notes and decks as the database knows them, by their Anki ids (GUID, deck id):
    a package Anki made of our notes finds its way home through them. Read once, when a
    package first asks."""

    def __init__(self, app: App) -> None:
        self.app = app
        self._decks: dict[int, OurDeck] | None = None
        self._notes: dict[str, tuple[NoteData, bool]] | None = None

    def deck(self, anki_deck_id: int) -> OurDeck | None:
        if self._decks is None:
            from flashcards.anki.home import OurDeck
            from flashcards.anki.notes import deck_id_for
            from flashcards_db.queries.notes import known_decks

            with self.app.session() as session:
                rows = known_decks(session)
            self._decks = {
                deck_id_for(d.key): OurDeck(d.key, d.description, d.source, d.tags, d.html)
                for d in rows
            }
        return self._decks.get(anki_deck_id)

    def note(self, guid: str) -> tuple[NoteData, bool] | None:
        if self._notes is None:
            self._notes = self._read_notes()
        return self._notes.get(guid)

    def _read_notes(self) -> dict[str, tuple[NoteData, bool]]:
        from flashcards.anki.notes import anki_guid_of, diagram_data, diagram_key, note_guid
        from flashcards_db.queries.notes import KnownNote, known_notes

        with self.app.session() as session:
            rows = known_notes(session)
        found: dict[str, tuple[NoteData, bool]] = {}
        # A diagram went to Anki as one note of its labels (``notes._diagram_note``): its
        # key, and the GUID it was given, are found again the way the export made them.
        diagrams: dict[str, list[KnownNote]] = {}
        for row in sorted(rows, key=lambda r: r.position):
            diagram = row.meta.get("occlusion")
            if row.kind == "occlusion" and isinstance(diagram, dict) and "id" in diagram:
                diagrams.setdefault(diagram_key(row.deck_key, diagram["id"]), []).append(row)
        for key, labels in diagrams.items():
            guid = anki_guid_of(labels[0].meta) or note_guid(key)
            rows_of = ((n.back, n.structure_key, n.structure_name, n.meta) for n in labels)
            found[guid] = (diagram_data(key, rows_of), labels[0].deck_html)
        for row in rows:
            meta = dict(row.meta)
            if meta.get("is_list") and isinstance(meta.get("items"), list):
                del meta["items"]  # the package's answer field lists them
            data: dict[str, object] = {"key": row.key, "kind": row.kind, "meta": meta}
            data["tags"] = list(row.tags)
            for name in ("structure_key", "structure_name", "field"):
                if getattr(row, name) is not None:
                    data[name] = getattr(row, name)
            found[anki_guid_of(row.meta) or note_guid(row.key)] = (data, row.deck_html)
        return found


def _read_sources(app: App, paths: Sequence[Path]) -> list[ImportedSource]:
    """Every Anki package and text file among ``paths``, read and checked."""
    sources: list[ImportedSource] = []
    known = _KnownNotes(app)
    for path in paths:
        suffix = path.suffix.lower()
        if suffix in ANKI_SUFFIXES:
            from flashcards.anki.apkg_import import read_anki_package

            sources.append(read_anki_package(path, known))
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


def _check_deck_owners(session: Session, decks: Sequence[DeckFile]) -> None:
    """A deck file whose id is already another file's deck would rename that deck and
    retire its cards (``--prune``: delete their history): a copied template that kept
    its ``id:``, or a file named like a shipped one without an ``id:``. A deck whose old
    file is gone (moved, renamed), or still names it the same, is the same deck."""
    from flashcards.authoring.deckfile import load_deck
    from flashcards_db.queries.decks import deck_sources

    if not decks:
        return
    importing = {deck.path.resolve() for deck in decks}
    by_id = {deck.id: deck for deck in decks}
    for key, name, stored in deck_sources(session, list(by_id)):
        if not stored:
            continue
        other = Path(stored)
        deck = by_id[key]
        if not other.is_file() or other.resolve() in importing:
            continue
        owner, _ = load_deck(other)
        if owner is None or owner.id != key or owner.name == deck.name:
            # That file no longer declares this deck (this one is its new home), or both
            # are copies of one deck (a new checkout of the same decks).
            continue
        raise FlashcardsError(
            f"{deck.path}: deck id '{key}' is already the id of {other} ('{name}'); "
            f"importing this file would rename that deck and retire its cards. Give "
            f"{deck.path.name} an id of its own (id: …), or import {other} instead"
        )


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
    answers = [a for source in sources for a in source.answers]
    user_id = app.user_id(session)
    keys = {p.note_key for p in progress} | {a.note_key for a in answers}
    card_ids = card_ids_by_note_key(session, keys)
    # The answers first: the imported schedule, logged after them, is each card's state.
    logged = _log_answers(app, session, user_id, answers, card_ids)
    counts.answers, counts.answers_known = logged
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


def _log_answers(
    app: App,
    session: Session,
    user_id: int,
    answers: Sequence[ImportedAnswer],
    card_ids: dict[tuple[str, int], int],
) -> tuple[int, int]:
    """The packages' review logs into the user's: (answers added, answers known)."""
    if not answers:
        return 0, 0
    from flashcards.anki.history import logged_answers
    from flashcards.scheduling.queue import study_day
    from flashcards.study.context import user_zone
    from flashcards_db.models import User
    from flashcards_db.queries.progress import ImportedAnswerRow, log_imported_answers
    from flashcards_db.queries.reviews import StateValues

    zone = user_zone(session.get(User, user_id).timezone)  # type: ignore[union-attr]
    hour = app.day_start_hour

    def day_of(moment: dt.datetime) -> dt.date:
        return study_day(moment, hour, zone)

    rows = [
        ImportedAnswerRow(
            card_id=card_id,
            reviewed_at=row.reviewed_at,
            study_day=row.study_day,
            kind=row.kind,
            quality=row.quality,
            duration_ms=row.duration_ms,
            typed_answer=row.typed_answer,
            before=StateValues(*row.before),
            after=StateValues(*row.after),
        )
        for row in logged_answers(answers, day_of)
        if (card_id := card_ids.get((row.note_key, row.ordinal))) is not None
    ]
    added = log_imported_answers(session, user_id, rows)
    return added, len(rows) - added


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
    sources = _read_sources(app, [p for p in paths if not _is_deck_path(p)])
    _check_deck_keys(decks, sources)
    media = _media_for(decks)
    names = {path: item.filename for path, item in media.items()}
    total = SyncCounts()
    changed: list[FactChanges] = []
    progress_counts: ProgressCounts | None = None
    if decks:
        from flashcards.authoring.facts import notes_for_deck
        from flashcards.study.changes import fact_changes
        from flashcards.study.reverse import reverse_plan
    if prune and not dry_run:
        _back_up_before_prune(app)
    session_factory = app.session
    with session_factory() as session:
        _check_deck_owners(session, decks)
        # Reverse cards are checked against every deck: these files and the database's.
        if decks:
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
            found: list[NoteChange] = []
            counts = sync_deck(session, record, notes, prune=prune, changes=found)
            total += counts
            new_deck = counts.added == len(found)  # nothing there before to compare with
            changed += fact_changes(deck.name, found, new_deck=new_deck)
        for source in sources:
            for imported_deck, imported_notes in source.decks:
                if progress:
                    progress(imported_deck.name)
                if imported_deck.home:
                    total += merge_deck(session, imported_deck, imported_notes)
                else:
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
        changes=changed,
        notes=held_notes,
        cards=held_cards,
    )
