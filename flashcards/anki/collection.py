"""Read an Anki collection (the SQLite file inside a package) into plain records.

Two schemas exist: the legacy one (schema 11: note types and decks as JSON in the ``col``
table) and the current one (schema 18: ``notetypes``, ``fields``, ``templates`` and
``decks`` tables, their settings as protobuf). Both keep notes, cards and the review log
in the same tables.

The file comes from an untrusted package, so it is opened read-only and immutable (no
journal, no write, no lock), with the schema's own SQL untrusted, and any SQLite error
becomes one clear "corrupt" message.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from flashcards.anki.protobuf import ProtobufError, first_bytes, first_int, first_text
from flashcards.errors import FlashcardsError

__all__ = [
    "MAX_NOTE_CHARS",
    "AnkiCard",
    "AnkiCollection",
    "AnkiDeck",
    "AnkiNote",
    "AnkiNotetype",
    "AnkiRevlog",
    "AnkiTemplate",
    "CorruptCollectionError",
    "read_collection",
]

FIELD_SEPARATOR = "\x1f"
_CLOZE_KIND = 1
# A note's text (every field together) past which it is no card: such a note is read cut
# short, one character over, so the importer can leave it out without holding all of it.
MAX_NOTE_CHARS = 1_000_000
# Our own data of a note or deck (its key, metadata): far less in any package we write.
MAX_DATA_CHARS = 100_000
OUR_DECKS_TABLE = "flashcards_decks"  # as `flashcards.anki.export` writes it
OUR_ANSWERS_TABLE = "flashcards_revlog"  # as `flashcards.anki.progress` writes it


class CorruptCollectionError(FlashcardsError):
    """The collection is not a readable Anki database."""


@dataclass(frozen=True)
class AnkiDeck:
    id: int
    name: str  # full name, '::' between levels
    description: str
    filtered: bool


@dataclass(frozen=True)
class AnkiTemplate:
    name: str
    question: str  # qfmt
    answer: str  # afmt


@dataclass(frozen=True)
class AnkiNotetype:
    id: int
    name: str
    cloze: bool
    fields: tuple[str, ...]
    templates: tuple[AnkiTemplate, ...]
    stock_kind: int = 0  # the stock note type it was made from (6: Image Occlusion)
    field_tags: tuple[int | None, ...] = ()  # each field's tag (how Anki finds IO fields)


class AnkiNote(NamedTuple):  # named tuples: a collection has tens of thousands
    id: int
    guid: str
    notetype_id: int
    tags: tuple[str, ...]
    fields: tuple[str, ...]
    mod: int = 0  # seconds: when the note last changed
    data: str = ""  # unused by Anki; our own packages keep a note's identity here


class AnkiCard(NamedTuple):
    id: int
    note_id: int
    deck_id: int  # the home deck (a filtered deck's card counts in its original deck)
    ord: int
    type: int  # 0 new, 1 learning, 2 review, 3 relearning
    queue: int  # -3/-2 buried, -1 suspended, 0 new, 1 learn, 2 review, 3 day learn
    due: int  # days since creation (review), a timestamp (learning), a position (new)
    interval: int
    factor: int  # ease in permille
    reps: int
    lapses: int
    data: str = ""  # custom data, JSON (our exports keep SM-2's repetitions there)


class AnkiRevlog(NamedTuple):
    """One answer in Anki's review log."""

    id: int  # the moment of the answer, in ms since 1970
    card_id: int
    ease: int  # the button: 1 again, 2 hard, 3 good, 4 easy (0: no answer, a reschedule)
    interval: int  # days after the answer (negative: seconds of a learning step)
    last_interval: int  # days before it (same convention)
    factor: int  # ease in permille after the answer
    time_ms: int  # time taken
    type: int  # 0 learn, 1 review, 2 relearn, 3 filtered, 4 manual, 5 rescheduled


@dataclass(frozen=True)
class AnkiCollection:
    created: dt.date  # the collection's day 0: review due days count from here
    created_stamp: int  # its creation time (crt), kept by every export of it
    decks: dict[int, AnkiDeck]
    notetypes: dict[int, AnkiNotetype]
    notes: list[AnkiNote]
    cards: list[AnkiCard]
    # Our own decks' records by Anki deck id (a package written by `flashcards export`).
    our_decks: dict[int, str] = field(default_factory=dict)
    revlog: list[AnkiRevlog] = field(default_factory=list)
    # Our own log's copy of answers by revlog id (``flashcards.anki.progress``).
    our_answers: dict[int, str] = field(default_factory=dict)

    def day(self, number: int) -> dt.date:
        return self.created + dt.timedelta(days=number)


@contextmanager
def _read_only(path: Path) -> Iterator[sqlite3.Connection]:
    uri = path.resolve().as_uri() + "?mode=ro&immutable=1"
    with closing(sqlite3.connect(uri, uri=True)) as db:
        db.execute("PRAGMA query_only = ON")
        db.execute("PRAGMA trusted_schema = OFF")
        yield db


def _creation_day(crt: int, minutes_west: int | None) -> dt.date:
    """Anki's day 0: the date the collection was created, in its creation time zone."""
    if minutes_west is None:  # older collections: Anki reads it in the local zone
        return dt.datetime.fromtimestamp(crt).date()
    moment = dt.datetime.fromtimestamp(crt, dt.UTC) - dt.timedelta(minutes=minutes_west)
    return moment.date()


def _int(value: object, default: int | None = 0) -> Any:
    return value if isinstance(value, int) and not isinstance(value, bool) else default


def _legacy_parts(db: sqlite3.Connection) -> tuple[Any, ...]:
    crt, conf, models, decks = db.execute("SELECT crt, conf, models, decks FROM col").fetchone()
    conf_json = json.loads(conf) if conf else {}
    offset = conf_json.get("creationOffset") if isinstance(conf_json, dict) else None
    notetypes: dict[int, AnkiNotetype] = {}
    for model in json.loads(models).values():
        fields = sorted(model["flds"], key=lambda f: f["ord"])
        templates = sorted(model["tmpls"], key=lambda t: t["ord"])
        notetypes[int(model["id"])] = AnkiNotetype(
            id=int(model["id"]),
            name=str(model["name"]),
            cloze=model.get("type") == _CLOZE_KIND,
            fields=tuple(str(f["name"]) for f in fields),
            templates=tuple(
                AnkiTemplate(str(t["name"]), str(t["qfmt"]), str(t["afmt"])) for t in templates
            ),
            stock_kind=_int(model.get("originalStockKind")),
            field_tags=tuple(_int(f.get("tag"), None) for f in fields),
        )
    deck_rows = {
        int(d["id"]): AnkiDeck(
            id=int(d["id"]),
            name=str(d["name"]),
            description=str(d.get("desc") or ""),
            filtered=bool(d.get("dyn")),
        )
        for d in json.loads(decks).values()
    }
    return int(crt), offset if isinstance(offset, int) else None, notetypes, deck_rows


def _current_parts(db: sqlite3.Connection) -> tuple[Any, ...]:
    (crt,) = db.execute("SELECT crt FROM col").fetchone()
    row = db.execute("SELECT val FROM config WHERE KEY = 'creationOffset'").fetchone()
    offset = json.loads(row[0]) if row else None
    fields: dict[int, list[str]] = {}
    tags: dict[int, list[int | None]] = {}
    for ntid, name, config in db.execute(
        "SELECT ntid, name, config FROM fields ORDER BY ntid, ord"
    ):
        fields.setdefault(ntid, []).append(str(name))
        # NoteField.Config: 10 = tag (optional: absent is not 0).
        tag = first_int(config or b"", 10, -1)
        tags.setdefault(ntid, []).append(None if tag < 0 else tag)
    templates: dict[int, list[AnkiTemplate]] = {}
    for ntid, name, config in db.execute(
        "SELECT ntid, name, config FROM templates ORDER BY ntid, ord"
    ):
        # CardTemplateConfig: 1 = question format, 2 = answer format.
        templates.setdefault(ntid, []).append(
            AnkiTemplate(str(name), first_text(config, 1), first_text(config, 2))
        )
    notetypes = {
        ntid: AnkiNotetype(
            id=ntid,
            name=str(name),
            cloze=first_int(config, 1) == _CLOZE_KIND,  # NotetypeConfig.kind
            fields=tuple(fields.get(ntid, ())),
            templates=tuple(templates.get(ntid, ())),
            stock_kind=first_int(config, 9),  # NotetypeConfig.original_stock_kind
            field_tags=tuple(tags.get(ntid, ())),
        )
        for ntid, name, config in db.execute("SELECT id, name, config FROM notetypes")
    }
    decks: dict[int, AnkiDeck] = {}
    for did, name, kind in db.execute("SELECT id, name, kind FROM decks"):
        # DeckKindContainer: 1 = normal deck (its field 4 = description), 2 = filtered.
        normal = first_bytes(kind, 1)
        decks[did] = AnkiDeck(
            id=did,
            name=str(name).replace(FIELD_SEPARATOR, "::"),
            description=first_text(normal, 4) if normal is not None else "",
            filtered=normal is None and first_bytes(kind, 2) is not None,
        )
    return int(crt), offset if isinstance(offset, int) else None, notetypes, decks


def _notes(db: sqlite3.Connection) -> list[AnkiNote]:
    return [
        AnkiNote(
            nid,
            str(guid),
            mid,
            tuple(str(tags).split()),
            tuple(str(flds).split(FIELD_SEPARATOR)),
            int(mod or 0),
            str(data or ""),
        )
        for nid, guid, mid, tags, flds, mod, data in db.execute(
            # substr() holds one copy of a huge field at most (length() would hold two).
            "SELECT id, guid, mid, tags, substr(flds, 1, ?), mod, substr(data, 1, ?) "
            "FROM notes ORDER BY id",
            (MAX_NOTE_CHARS + 1, MAX_DATA_CHARS),
        )
    ]


def _our_table(db: sqlite3.Connection, tables: set[str], name: str) -> dict[int, str]:
    if name not in tables:
        return {}
    query = f"SELECT id, substr(data, 1, ?) FROM {name}"
    return {int(i): str(d) for i, d in db.execute(query, (MAX_DATA_CHARS,)) if d is not None}


def _revlog(db: sqlite3.Connection) -> list[AnkiRevlog]:
    query = "SELECT id, cid, ease, ivl, lastIvl, factor, time, type FROM revlog ORDER BY id"
    return [AnkiRevlog._make(row) for row in db.execute(query)]


def _cards(db: sqlite3.Connection) -> list[AnkiCard]:
    query = (
        "SELECT id, nid, did, odid, ord, type, queue, due, odue, ivl, factor, reps, lapses, "
        "substr(data, 1, 1000) FROM cards ORDER BY nid, ord"
    )
    return [
        # A card in a filtered deck counts in its home deck, where its due day waits in odue.
        AnkiCard(cid, nid, odid, ord_, type_, queue, odue or due, ivl, factor, reps, lapses,
                 data or "")
        if odid
        else AnkiCard(cid, nid, did, ord_, type_, queue, due, ivl, factor, reps, lapses,
                      data or "")
        for cid, nid, did, odid, ord_, type_, queue, due, odue, ivl, factor, reps, lapses, data
        in db.execute(query)
    ]  # fmt: skip


def read_collection(path: Path, label: str) -> AnkiCollection:
    """Every deck, note type, note and card of the collection at ``path``.

    ``label`` names the package in error messages.
    """
    try:
        with _read_only(path) as db:
            tables = {name for (name,) in db.execute("SELECT name FROM sqlite_master")}
            if not {"col", "notes", "cards"} <= tables:
                raise CorruptCollectionError(f"{label}: not an Anki collection inside")
            parts = _current_parts(db) if "notetypes" in tables else _legacy_parts(db)
            crt, offset, notetypes, decks = parts
            return AnkiCollection(
                created=_creation_day(crt, offset),
                created_stamp=crt,
                decks=decks,
                notetypes=notetypes,
                notes=_notes(db),
                cards=_cards(db),
                our_decks=_our_table(db, tables, OUR_DECKS_TABLE),
                revlog=_revlog(db) if "revlog" in tables else [],
                our_answers=_our_table(db, tables, OUR_ANSWERS_TABLE),
            )
    except (sqlite3.Error, ProtobufError, ValueError, KeyError, TypeError, OverflowError) as exc:
        reason = str(exc)  # SQLite's may quote a whole field: a line is enough
        reason = reason if len(reason) <= 200 else reason[:200] + "…"
        raise CorruptCollectionError(
            f"{label}: corrupt package: its collection is not a readable Anki database ({reason})"
        ) from exc
