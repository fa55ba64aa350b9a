"""What Anki will add, update and leave alone: this export against the previous one.

The previous export is the package already at the output path (a student re-exports to
the same file). Anki's importer matches notes by GUID: an unknown GUID is added, a known
one is replaced only when the new package's ``mod`` is newer, and anything else is left
alone. Notes that were in the previous package and are not in this one stay in Anki
(Anki's import never deletes). Comparing GUIDs and ``mod`` of the two packages therefore
says what Anki will do, as long as the student has not edited those notes in Anki.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import zipfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flashcards.errors import NotOurFileError

__all__ = ["MAX_COLLECTION_BYTES", "PackageChanges", "compare", "previous_notes"]

# The previous file is read, not trusted: its collection is copied out with a hard cap.
MAX_COLLECTION_BYTES = 1 << 30

# Legacy packages may hold a placeholder collection.anki2 beside the real anki21.
_COLLECTION_NAMES = ("collection.anki21", "collection.anki2")


class PlannedNoteLike(Protocol):
    @property
    def guid(self) -> str: ...
    @property
    def mod(self) -> int: ...


@dataclass(frozen=True)
class PackageChanges:
    previous: bool  # a previous package was found and read
    added: int
    updated: int
    unchanged: int
    dropped: int  # in the previous package, not in this one (Anki keeps them)

    def as_json(self) -> dict[str, object]:
        return {
            "previous": self.previous,
            "added": self.added,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "dropped": self.dropped,
        }


# Every note type we write is named so (our fact, basic and cloze, and Image Occlusion).
OUR_NOTE_TYPES = "flashcards: "


def _not_a_package(path: Path, why: str) -> NotOurFileError:
    return NotOurFileError(
        f"{path} is not a package written by `flashcards export` ({why})", why=why
    )


def _copy_capped(archive: zipfile.ZipFile, name: str, target: Path, path: Path) -> None:
    with archive.open(name) as source, target.open("wb") as out:
        copied = 0
        while chunk := source.read(1 << 20):
            copied += len(chunk)
            if copied > MAX_COLLECTION_BYTES:
                raise _not_a_package(path, f"its collection is over {MAX_COLLECTION_BYTES} bytes")
            out.write(chunk)


def previous_notes(path: Path) -> dict[str, int] | None:
    """GUID → ``mod`` of every note in the package at ``path``; None when there is none."""
    if not path.exists():
        return None
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            name = next((n for n in _COLLECTION_NAMES if n in names), None)
            if name is None:
                why = "a current Anki export" if "collection.anki21b" in names else "no collection"
                raise _not_a_package(path, why)
            fd, copy = tempfile.mkstemp(prefix="flashcards-previous-", suffix=".anki2")
            os.close(fd)
            try:
                _copy_capped(archive, name, Path(copy), path)
                return _read_notes(Path(copy), path)
            finally:
                with contextlib.suppress(OSError):
                    os.unlink(copy)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError) as exc:
        raise _not_a_package(path, f"not a readable zip file: {exc}") from exc


def _read_notes(copy: Path, path: Path) -> dict[str, int]:
    try:
        connection = sqlite3.connect(f"file:{copy}?mode=ro", uri=True)
    except sqlite3.Error as exc:
        raise _not_a_package(path, f"unreadable collection: {exc}") from exc
    try:
        notes = {
            str(guid): int(mod) for guid, mod in connection.execute("SELECT guid, mod FROM notes")
        }
        _check_note_types(connection, path)
        return notes
    except sqlite3.Error as exc:
        raise _not_a_package(path, f"unreadable collection: {exc}") from exc
    finally:
        connection.close()


def _check_note_types(connection: sqlite3.Connection, path: Path) -> None:
    """Refuse a package whose notes are of note types we never write: someone else's
    Anki package, which an export must not replace unasked."""
    used = {int(mid) for (mid,) in connection.execute("SELECT DISTINCT mid FROM notes")}
    if not used:
        return
    row = connection.execute("SELECT models FROM col").fetchone()
    try:
        models = json.loads(row[0]) if row and row[0] else {}
    except (TypeError, ValueError):
        models = {}
    names = {
        int(mid): str(model.get("name", "")) if isinstance(model, dict) else ""
        for mid, model in (models.items() if isinstance(models, dict) else [])
        if str(mid).lstrip("-").isdigit()
    }
    foreign = sorted({names.get(mid) or f"note type {mid}" for mid in used} - {""})
    foreign = [name for name in foreign if not name.startswith(OUR_NOTE_TYPES)]
    if foreign:
        shown = ", ".join(repr(name) for name in foreign[:3])
        more = f" and {len(foreign) - 3} more" if len(foreign) > 3 else ""
        raise _not_a_package(path, f"its notes are of note types it does not write: {shown}{more}")


def compare(
    previous: Mapping[str, int] | None, planned: Sequence[PlannedNoteLike]
) -> PackageChanges:
    """Anki's verdict per note: new GUID → added; newer ``mod`` → updated; else left alone."""
    if previous is None:
        return PackageChanges(False, len(planned), 0, 0, 0)
    added = updated = unchanged = 0
    for note in planned:
        before = previous.get(note.guid)
        if before is None:
            added += 1
        elif note.mod > before:
            updated += 1
        else:
            unchanged += 1
    dropped = len(previous.keys() - {note.guid for note in planned})
    return PackageChanges(True, added, updated, unchanged, dropped)
