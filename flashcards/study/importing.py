"""Import deck files: validate everything first, then sync every deck in one transaction."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.deckfile import DeckFile, Problem, load_paths
from flashcards.errors import DeckFileError, FlashcardsError
from flashcards.facts import notes_for_deck
from flashcards.study.context import App
from flashcards_db.sync import SyncCounts, store_media, sync_deck

__all__ = ["MAX_MEDIA_BYTES", "ImportReport", "import_deck_files", "load_decks"]

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
class ImportReport:
    counts: SyncCounts
    decks: list[str]
    deck_keys: list[str]
    warnings: list[Problem] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict[str, object]:
        c = self.counts
        return {
            "added": c.added,
            "updated": c.updated,
            "unchanged": c.unchanged,
            "retired": c.retired,
            "deleted": c.deleted,
            "decks": self.decks,
            "dry_run": self.dry_run,
            "warnings": [str(w) for w in self.warnings],
        }


def load_decks(paths: Sequence[Path]) -> tuple[list[DeckFile], list[Problem]]:
    """Every deck file under ``paths``; any error in any file raises with all problems."""
    decks, problems = load_paths(paths)
    errors = [p for p in problems if p.severity == "error"]
    if errors:
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


def import_deck_files(
    app: App,
    paths: Sequence[Path],
    *,
    dry_run: bool = False,
    prune: bool = False,
    progress: Callable[[str], None] | None = None,
) -> ImportReport:
    decks, warnings = load_decks(paths)
    media = _media_for(decks)
    names = {path: item.filename for path, item in media.items()}
    total = SyncCounts()
    session_factory = app.session
    with session_factory() as session:
        store_media(session, list(media.values()))
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
            total += sync_deck(session, record, notes_for_deck(deck, names), prune=prune)
        if dry_run:
            session.rollback()
    return ImportReport(
        counts=total,
        decks=[d.name for d in decks],
        deck_keys=[d.id for d in decks],
        warnings=warnings,
        dry_run=dry_run,
    )
