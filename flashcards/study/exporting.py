"""Export decks as an Anki package: read notes, media and (optionally) progress, then write.

The database is read in short transactions and never written: an export of a large
collection must not hold up a student's review in another terminal.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from flashcards.errors import (
    FlashcardsError,
    NotOurFileError,
    check_output_folder,
    not_overwritten,
)
from flashcards.study.context import App, without_cycle_collection
from flashcards.study.decks import deck_ids_for
from flashcards_db.queries import export as export_queries

if TYPE_CHECKING:
    from flashcards.anki.changes import PackageChanges
    from flashcards.anki.progress import Progress, ProgressCounts

__all__ = ["ExportReport", "export_package"]


@dataclass
class ExportReport:
    path: Path
    decks: list[str]
    notes: int  # Anki notes: a labelled diagram's labels are one Image Occlusion note
    cards: int
    media: int
    changes: PackageChanges
    dry_run: bool = False
    user: str | None = None  # whose progress travels (None: content only)
    progress: ProgressCounts | None = None
    warnings: list[str] = field(default_factory=list)
    notes_here: int = 0  # our notes behind them, as `import` and `decks` count notes
    diagrams: int = 0  # labelled diagrams, each one Anki note
    diagram_labels: int = 0  # their labels, each one note here

    def as_json(self) -> dict[str, object]:
        progress = None
        if self.progress is not None:
            progress = {
                "user": self.user,
                "review_cards": self.progress.review_cards,
                "suspended": self.progress.suspended,
                "reviews": self.progress.reviews,
            }
        return {
            "path": str(self.path),
            "decks": self.decks,
            "notes": self.notes,
            "notes_here": self.notes_here,
            "diagrams": self.diagrams,
            "cards": self.cards,
            "media": self.media,
            **self.changes.as_json(),
            "dry_run": self.dry_run,
            "progress": progress,
            "warnings": self.warnings,
        }


def check_output(path: Path) -> None:
    if path.suffix.lower() != ".apkg":
        raise FlashcardsError(f"{path}: the package must end in .apkg (Anki imports .apkg files)")
    if path.is_dir():
        raise FlashcardsError(f"{path} is a folder; give a file name ending in .apkg")
    check_output_folder(path)


def _deck_ids(session: Session, selectors: Sequence[str]) -> list[int] | None:
    return deck_ids_for(session, selectors)


class _Previous:
    """The previous package's notes (GUID -> mod), read in a thread of its own.

    A file there that is not an earlier export of ours is not replaced (nor compared)
    unless ``force``; a dry run says the same as the export would."""

    def __init__(self, path: Path, dry_run: bool, force: bool) -> None:
        self._path = path
        self._dry_run = dry_run
        self._force = force
        self._found: dict[str, int] | None = None
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._read, args=(path,), daemon=True)
        self._thread.start()

    def _read(self, path: Path) -> None:
        from flashcards.anki.changes import previous_notes

        try:
            self._found = previous_notes(path)
        except BaseException as exc:  # handed to the caller's thread by result()
            self._error = exc

    def result(self, warnings: list[str]) -> dict[str, int] | None:
        self._thread.join()
        if self._error is None:
            return self._found
        if not isinstance(self._error, NotOurFileError):
            raise self._error
        if not self._force:
            raise not_overwritten(
                self._path,
                f"a package written by `flashcards export` ({self._error.why})",
                force="--force",
            ) from self._error
        verb = "would be" if self._dry_run else "is"
        warnings.append(f"{self._error}; with --force it {verb} replaced without comparing")
        return None


def export_package(
    app: App,
    selectors: Sequence[str],
    path: Path,
    *,
    with_progress: bool = False,
    dry_run: bool = False,
    force: bool = False,
    announce: Callable[[str], None] | None = None,
) -> ExportReport:
    """Export the named decks (with their sub-decks; every deck when none is named).

    A file at ``path`` that is not an earlier export is replaced only with ``force``."""
    with without_cycle_collection():
        return _export(app, selectors, path, with_progress, dry_run, force, announce)


def _export(
    app: App,
    selectors: Sequence[str],
    path: Path,
    with_progress: bool,
    dry_run: bool,
    force: bool,
    announce: Callable[[str], None] | None,
) -> ExportReport:
    from flashcards.anki.changes import compare
    from flashcards.anki.notes import anki_notes

    check_output(path)
    warnings: list[str] = []
    # The previous package is read while the database is: unpacking its collection waits
    # on zlib and SQLite, which let the other thread run (bench/README.md).
    previous = _Previous(path, dry_run, force)
    with app.session() as session:
        deck_ids = _deck_ids(session, selectors)
        decks = export_queries.export_decks(session, deck_ids)
        if not decks:
            raise FlashcardsError("no decks to export yet; import some: flashcards import decks/")
        notes = export_queries.export_notes(session, [d.id for d in decks])
        learner = None
        if with_progress:
            learner = _progress(session, app, [d.id for d in decks], warnings)
    if not notes:
        warnings.append("the selected decks have no cards; the package holds empty decks")
    deck_notes = anki_notes(decks, notes)
    planned = [note for _, deck_list in deck_notes for note in deck_list]
    changes = compare(previous.result(warnings), planned)
    report = ExportReport(
        path=path,
        decks=[d.name for d in decks],
        notes=len(planned),
        cards=sum(len(n.card_ords) for n in planned),
        media=len({name for n in planned for name in n.media}),
        changes=changes,
        dry_run=dry_run,
        user=app.user_name if with_progress else None,
        warnings=warnings,
        notes_here=len(notes),
        diagrams=sum(n.note_type == "image-occlusion" for n in planned),
        diagram_labels=sum(len(n.card_keys) for n in planned if n.note_type == "image-occlusion"),
    )
    if dry_run:
        if learner is not None:
            from flashcards.anki.progress import ProgressCounts

            reviewed = [s for s in learner.states if s.due_day is not None]
            report.progress = ProgressCounts(
                review_cards=len(reviewed),
                suspended=sum(s.suspended for s in learner.states),
                reviews=len(learner.reviews),
            )
        return report
    if announce:
        announce(f"writing {len(planned)} notes to {path}")

    def media(names: list[str]) -> Iterator[tuple[str, bytes]]:
        with app.session() as media_session:
            yield from export_queries.media_data(media_session, names)

    from flashcards.anki.export import write_package

    summary = write_package(path, deck_notes, media, learner)
    report.cards, report.media, report.progress = summary.cards, summary.media, summary.progress
    return report


def _progress(session: Session, app: App, deck_ids: list[int], warnings: list[str]) -> Progress:
    from flashcards.anki.progress import Progress

    user_id = export_queries.user_id_named(session, app.user_name)
    if user_id is None:
        warnings.append(f"no study history for user {app.user_name!r}: every card goes as new")
        return Progress(states=[], reviews=[], day_start_hour=app.day_start_hour)
    return Progress(
        states=export_queries.export_states(session, user_id, deck_ids),
        reviews=export_queries.export_reviews(session, user_id, deck_ids),
        day_start_hour=app.day_start_hour,
    )
