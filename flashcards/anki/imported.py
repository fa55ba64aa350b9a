"""What an import brings in, before it touches the database: decks, notes, media, progress.

The records satisfy the persistence layer's protocols (``DeckContent``, ``NoteContent``,
``MediaContent``) by shape, so the Anki readers stay free of the database layer and
everything is read and checked before a single row changes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from flashcards.anki.media import ImportedMedia

__all__ = [
    "ImportedAnswer",
    "ImportedDeck",
    "ImportedNote",
    "ImportedProgress",
    "ImportedSource",
    "Notice",
    "guid_part",
    "key_part",
]

_KEY_PART_MAX = 80
_GUID_MAX = 200
_NO_META: Mapping[str, Any] = MappingProxyType({})


@dataclass(frozen=True)
class ImportedDeck:
    key: str
    name: str
    description: str | None = None
    source: str | None = None
    tags: tuple[str, ...] = ()
    html: bool = False
    source_path: str | None = None
    # One of our own decks (or one holding our notes): its notes are merged into the
    # database's, never retired for being absent (a package may hold part of a deck).
    home: bool = False


class ImportedNote(NamedTuple):
    """One note as it will be stored (a named tuple: a package makes tens of thousands)."""

    key: str
    kind: str  # basic | cloze
    front: str
    back: str
    extra: str | None = None
    structure_key: str | None = None
    structure_name: str | None = None
    field: str | None = None
    meta: Mapping[str, Any] = _NO_META
    image: str | None = None
    tags: tuple[str, ...] = ()
    ordinals: tuple[int, ...] = (0,)
    mod: int | None = None  # seconds: when it last changed where it comes from


@dataclass(frozen=True)
class ImportedProgress:
    """One card's schedule as Anki left it, already in SM-2's terms."""

    note_key: str
    ordinal: int
    repetitions: int
    interval: int
    easiness: float
    due_day: dt.date | None  # None: never reviewed (a suspended new card)
    lapses: int
    reviews: int
    suspended: bool
    last_review_day: dt.date | None


class ImportedAnswer(NamedTuple):
    """One answer of an imported review log (a package's ``revlog``), for one card."""

    note_key: str
    ordinal: int
    at_ms: int  # when it was given, in ms since 1970 (Anki's revlog id)
    ease: int  # Anki's button: 1 again, 2 hard, 3 good, 4 easy (0: not an answer)
    interval: int  # days after it (negative: seconds of a learning step)
    last_interval: int
    factor: int  # ease in permille after it
    duration_ms: int
    type: int  # Anki's: 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled
    exact: Mapping[str, Any] | None = None  # our own log's copy of it (our packages)


@dataclass(frozen=True)
class Notice:
    """A warning about an import that still goes ahead."""

    path: str
    message: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.path if self.line is None else f"{self.path}:{self.line}"
        return f"{where}: warning: {self.message}"


@dataclass
class ImportedSource:
    """Everything one file brings: its decks with their notes, media, progress, warnings."""

    path: Path
    decks: list[tuple[ImportedDeck, list[ImportedNote]]] = field(default_factory=list)
    media: list[ImportedMedia] = field(default_factory=list)
    progress: list[ImportedProgress] = field(default_factory=list)
    answers: list[ImportedAnswer] = field(default_factory=list)
    new_cards: int = 0  # cards never reviewed in Anki: they stay new
    notices: list[Notice] = field(default_factory=list)

    def warn(self, message: str, line: int | None = None) -> None:
        self.notices.append(Notice(str(self.path), message, line))


def guid_part(guid: str) -> str:
    """A GUID as the last part of a note key: as it is, unless absurdly long (a key has a
    bounded length in the database); then a digest of it, as stable as the GUID."""
    if len(guid) <= _GUID_MAX:
        return guid
    return "guid-" + hashlib.sha256(guid.encode("utf-8")).hexdigest()


def key_part(text: str) -> str:
    """A readable, bounded piece of a key: the slug of ``text`` (hashed when long)."""
    # Imported here: `flashcards.authoring.nodes` loads YAML, which reading a package
    # does not need (start-up of `flashcards import`).
    from flashcards.authoring.nodes import slugify

    slug = slugify(text) or "deck"
    if len(slug) <= _KEY_PART_MAX:
        return slug
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"{slug[:_KEY_PART_MAX].rstrip('-')}-{digest}"
