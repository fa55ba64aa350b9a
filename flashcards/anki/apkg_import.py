"""Anki packages (.apkg, .colpkg) -> our decks, notes, media and (optionally) progress.

Identity, so that importing the same package again updates instead of duplicating:

- a deck's key is ``anki-<Anki deck id>``. Anki keeps a deck's id for its life, through
  renames and moves in the hierarchy, and writes it into every export, so a renamed deck
  is renamed here too, with its cards and their history. The one id every collection
  shares, 1 (Anki's "Default" deck), is told apart by the package's file name
  (``anki-1-<file name>``), so two students' Default decks never retire each other;
- a note's key is ``<deck key>/<Anki GUID>``: the GUID is the note's identity in Anki
  (Anki itself matches notes by it on import), never its text, so an edited note updates;
- a basic note's reverse card becomes a second note, ``<deck key>/<GUID>/reverse``.

Every Anki field is HTML; it is kept as it is (an export gives it back to Anki) and
stripped only when shown in a terminal. Media files are stored under content-hashed
names and the fields renamed to match.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from itertools import groupby
from operator import attrgetter
from pathlib import Path
from typing import Any

from flashcards.anki.collection import (
    FIELD_SEPARATOR,
    MAX_NOTE_CHARS,
    AnkiCard,
    AnkiCollection,
    AnkiNote,
    AnkiNotetype,
    read_collection,
)
from flashcards.anki.home import (
    OurDeck,
    OurNotes,
    fallback_data,
    home_note,
    our_note_type,
    parse_deck_data,
    parse_note_data,
)
from flashcards.anki.html import looks_like_html
from flashcards.anki.imported import (
    ImportedAnswer,
    ImportedDeck,
    ImportedNote,
    ImportedProgress,
    ImportedSource,
    guid_part,
)
from flashcards.anki.media import has_media_reference, hashed_media, rename_media
from flashcards.anki.notetypes import BuiltNotes, Shape, build_notes, shape_of_notetype
from flashcards.anki.occlusion import (
    IMAGE_OCCLUSION_STOCK_KIND,
    imported_notes,
    read_occlusion_note,
)
from flashcards.anki.package import MAX_MEDIA_FILE_BYTES, open_package

__all__ = ["ANKI_SUFFIXES", "deck_key", "read_anki_package"]

ANKI_SUFFIXES = (".apkg", ".colpkg")
DEFAULT_DECK_ID = 1
_NEW, _REVIEW = 0, 2
_SUSPENDED = -1
_MIN_EASINESS = 1.3
_NAME_MAX = 500  # a deck name's room in the database
_TIMESTAMP_FLOOR = 1_000_000_000  # a learning card's due is a timestamp, else a day number


def deck_key(deck_id: int, col: AnkiCollection) -> str:
    if deck_id == DEFAULT_DECK_ID:
        return f"anki-{deck_id}-{col.created_stamp}"
    return f"anki-{deck_id}"


def _progress(
    card: AnkiCard, col: AnkiCollection, key: str, ordinal: int
) -> ImportedProgress | None:
    """Anki's state of one card in SM-2's terms, or None for a plain new card.

    A review card keeps its interval, ease (EF = factor / 1000, never under SM-2's 1.3),
    due day and lapses; its SM-2 repetitions are Anki's answers less its lapses (at least
    1: it has passed). A card still in (re)learning steps has no SM-2 equivalent: it
    starts again (repetitions 0, interval 1) on the day Anki had it due.
    """
    suspended = card.queue == _SUSPENDED
    if card.type == _NEW:
        if not suspended:
            return None
        return ImportedProgress(key, ordinal, 0, 0, 2.5, None, 0, 0, True, None)
    easiness = max(_MIN_EASINESS, card.factor / 1000) if card.factor else 2.5
    if card.type == _REVIEW:
        interval = max(1, card.interval)
        due = col.day(card.due)
        repetitions = _sm2_repetitions(card)
        if repetitions is None:
            repetitions = max(1, card.reps - card.lapses)
    else:
        interval, repetitions = 1, 0
        if card.due > _TIMESTAMP_FLOOR:
            due = dt.datetime.fromtimestamp(card.due).date()
        else:
            due = col.day(card.due)
    return ImportedProgress(
        note_key=key,
        ordinal=ordinal,
        repetitions=repetitions,
        interval=interval,
        easiness=easiness,
        due_day=due,
        lapses=card.lapses,
        reviews=card.reps,
        suspended=suspended,
        last_review_day=due - dt.timedelta(days=interval),
    )


def _sm2_repetitions(card: AnkiCard) -> int | None:
    """SM-2's repetitions, as our export keeps them in the card's custom data."""
    if "sm2n" not in card.data:
        return None
    try:
        custom = json.loads(card.data).get("cd")
        found = (json.loads(custom) if isinstance(custom, str) else custom).get("sm2n")
    except (ValueError, AttributeError):
        return None
    return found if isinstance(found, int) and not isinstance(found, bool) and found >= 0 else None


class _Reader:
    def __init__(
        self,
        path: Path,
        col: AnkiCollection,
        renames: Mapping[str, str],
        ours: OurNotes | None,
    ) -> None:
        self.path = path
        self.col = col
        self.renames = renames
        self.ours = ours
        self.our_decks: dict[int, OurDeck | None] = {}
        self.home_decks: set[int] = set()  # decks holding our notes: merged, never retired
        self.card_places: dict[int, tuple[str, int]] = {}  # Anki card id -> (key, ordinal)
        self.source = ImportedSource(path=path)
        self.shapes: dict[int, Shape] = {}
        # Per note type id: the note type, which of ours it is, its shape (worked out at
        # its first note: 35,000 notes of one type looked these up 35,000 times).
        self.kinds: dict[int, tuple[AnkiNotetype | None, str | None, Shape | None]] = {}
        self.deck_keys: dict[int, str] = {}
        self.skipped: defaultdict[str, int] = defaultdict(int)
        self.missing_media: set[str] = set()
        self.by_deck: dict[int, list[ImportedNote]] = {}
        self.media_data: dict[str, bytes] = {}

    def shape(self, notetype_id: int) -> Shape | None:
        if notetype_id not in self.shapes:
            notetype = self.col.notetypes.get(notetype_id)
            if notetype is None:
                return None
            shape = self.shapes[notetype_id] = shape_of_notetype(notetype)
            self._warn_shape(notetype.name, notetype.fields, shape)
        return self.shapes[notetype_id]

    def _warn_shape(self, name: str, fields: Sequence[str], shape: Shape) -> None:
        if shape.kind == "other":
            self.source.warn(
                f"note type '{name}' is neither basic nor cloze: its first field "
                f"({fields[0] if fields else '?'}) became the question and the other "
                "fields the answer"
            )
        if shape.ignored_templates:
            self.source.warn(
                f"note type '{name}': only its first card type became a card here; "
                f"not imported: {', '.join(shape.ignored_templates)}"
            )

    def _kind(self, notetype_id: int) -> tuple[AnkiNotetype | None, str | None, Shape | None]:
        notetype = self.col.notetypes.get(notetype_id)
        ours = None if notetype is None else our_note_type(notetype)
        shape = None if ours is not None else self.shape(notetype_id)
        kind = self.kinds[notetype_id] = (notetype, ours, shape)
        return kind

    def note(self, note: AnkiNote, cards: list[AnkiCard]) -> None:
        fields: Sequence[str] = note.fields
        stored = FIELD_SEPARATOR.join(fields)  # the note's text as stored
        # As stored (fields and their separators): the collection is read cut just past
        # the limit, so a note over it never reaches here whole. No card and no terminal
        # shows such a note.
        if len(stored) > MAX_NOTE_CHARS:
            self.skipped[f"its text is over {MAX_NOTE_CHARS:,} characters"] += 1
            return
        notetype, ours, shape = self.kinds.get(note.notetype_id) or self._kind(note.notetype_id)
        if notetype is None or (shape is None and ours is None):
            self.skipped["its note type is missing from the package"] += 1
            return
        home = cards[0].deck_id  # the deck of the note's first card
        deck_key = self.deck_keys.get(home) or self.deck_key(home)
        key = f"{deck_key}/{guid_part(note.guid or f'note-{note.id}')}"
        used: list[str] = []
        # Most notes have no media: left as they are. Tested on the fields joined (one scan
        # for all: no reference spans the separator).
        if has_media_reference(stored):
            fields = []
            for value in note.fields:
                renamed = rename_media(value, self.renames)
                fields.append(renamed.text)
                used.extend(renamed.used)
                self.missing_media.update(renamed.missing)
        if ours is not None:
            self._our_note(ours, note, fields, cards, home, key, used)
            return
        assert shape is not None
        meta: dict[str, Any] = {"source": "anki", "guid": note.guid, "notetype": notetype.name}
        if used:
            meta["media"] = list(dict.fromkeys(used))
        if notetype.stock_kind == IMAGE_OCCLUSION_STOCK_KIND:
            ours_data = parse_note_data(note.data)  # a diagram of ours: back to its key
            if ours_data is None and self.ours is not None:  # Anki leaves out the data
                known = self.ours.note(note.guid)
                if known is not None and "labels" in known[0].get("meta", {}):
                    ours_data = known[0]
            labels: Mapping[str, Any] = {}
            if ours_data is not None:
                key, meta = ours_data["key"], {}
                found = ours_data.get("meta", {}).get("labels")
                labels = found if isinstance(found, dict) else {}
            built = self._occlusion(notetype, key, fields, meta, note.tags, labels)
        else:
            built = build_notes(
                shape, key, fields, notetype.fields, tags=note.tags, meta=meta, as_html=True
            )
        if built.problem is not None:
            self.skipped[built.problem] += 1
            return
        self._keep(built, cards, home)

    def _occlusion(
        self,
        notetype: AnkiNotetype,
        key: str,
        fields: Sequence[str],
        meta: dict[str, Any],
        tags: tuple[str, ...],
        labels: Mapping[str, Any],
    ) -> BuiltNotes:
        """An Image Occlusion note: a note per mask, its shapes in the image's pixels.
        ``labels``: for a diagram of ours, the structure each label names and its other
        names (``notes._diagram_data``)."""
        tagged = {tag: i for i, tag in enumerate(notetype.field_tags) if tag is not None}
        read = read_occlusion_note(fields, tagged)
        if read is None:
            return BuiltNotes(problem="an image occlusion note without any mask")
        image = read.image
        if image is not None and image not in self.media_data:
            image = self.renames.get(image, image)
        data = self.media_data.get(image) if image else None
        meta.pop("media", None)
        made = imported_notes(read, key, image, data, meta, tags)
        if isinstance(made, str):
            return BuiltNotes(problem=made)
        return BuiltNotes([_as_labelled(n, labels) for n in made[0]], made[1])

    def our_deck(self, deck_id: int) -> OurDeck | None:
        """One of our decks: as the package's own table, else the database, knows it."""
        if deck_id not in self.our_decks:
            text = self.col.our_decks.get(deck_id)
            found = parse_deck_data(text) if text else None
            if found is None and self.ours is not None:
                found = self.ours.deck(deck_id)
            self.our_decks[deck_id] = found
        return self.our_decks[deck_id]

    def deck_key(self, deck_id: int) -> str:
        key = self.deck_keys.get(deck_id)
        if key is None:
            ours = self.our_deck(deck_id)
            key = self.deck_keys[deck_id] = ours.key if ours else deck_key(deck_id, self.col)
        return key

    def _our_note(
        self,
        note_type: str,
        note: AnkiNote,
        fields: Sequence[str],
        cards: list[AnkiCard],
        home: int,
        key: str,
        used: list[str],
    ) -> None:
        """One of our notes: back to its key (``flashcards.anki.home``)."""
        data = parse_note_data(note.data)
        deck = self.our_deck(home)
        authored_html = deck.html if deck is not None else False
        if data is None and self.ours is not None:
            found = self.ours.note(note.guid)
            if found is not None:
                data, authored_html = found
        if data is None:  # known nowhere: its GUID is its key, its fields kept as HTML
            meta: dict[str, Any] = {"source": "anki", "guid": note.guid}
            meta["notetype"] = self.col.notetypes[note.notetype_id].name
            if used:
                meta["media"] = list(dict.fromkeys(used))
            data = fallback_data(note_type, fields, key, note.tags, meta)
            authored_html = True
        else:
            self.home_decks.add(home)
        built = home_note(note_type, fields, data, authored_html=authored_html)
        built = built._replace(mod=note.mod)
        if note_type == "cloze":
            placed = {n - 1: (built.key, n) for n in built.ordinals}
        else:
            placed = {0: (built.key, 0)}
        self._keep(BuiltNotes([built], placed), cards, home)

    def _keep(self, built: BuiltNotes, cards: list[AnkiCard], home: int) -> None:
        placed = built.cards
        notes = self.by_deck.get(home)
        if notes is None:
            notes = self.by_deck[home] = []
        if len(built.notes) == 1 and len(cards) == 1:  # most notes: one note, one card
            where = placed.get(cards[0].ord)
            if where is not None and where[0] == built.notes[0].key:
                notes.append(built.notes[0])
        else:
            carded = {placed[c.ord][0] for c in cards if c.ord in placed}
            notes.extend(n for n in built.notes if n.key in carded)
        card_places = self.card_places
        for card in cards:
            where = placed.get(card.ord)
            if where is None:
                continue
            card_places[card.id] = where
            if card.type == _NEW and card.queue != _SUSPENDED:
                self.source.new_cards += 1  # most cards: no progress to carry over
                continue
            progress = _progress(card, self.col, *where)
            if progress is not None:
                self.source.progress.append(progress)
            else:
                self.source.new_cards += 1

    def answers(self) -> None:
        """The review log of the cards imported, with our own log's copy where present."""
        for row in self.col.revlog:
            where = self.card_places.get(row.card_id)
            if where is None or not all(isinstance(v, int) for v in row):
                continue
            exact = None
            text = self.col.our_answers.get(row.id)
            if text:
                try:
                    found = json.loads(text)
                except ValueError:
                    found = None
                exact = found if isinstance(found, dict) else None
            self.source.answers.append(
                ImportedAnswer(
                    where[0], where[1], row.id, row.ease, row.interval, row.last_interval,
                    row.factor, row.time_ms, row.type, exact,
                )
            )  # fmt: skip

    def decks(self) -> None:
        for deck_id, notes in self.by_deck.items():
            anki_deck = self.col.decks.get(deck_id)
            name = (anki_deck.name if anki_deck else f"Anki deck {deck_id}")[:_NAME_MAX]
            ours = self.our_deck(deck_id)
            if ours is not None:
                self.source.decks.append((ours.imported(name, str(self.path)), notes))
                continue
            html = any(looks_like_html(f"{n.front}{n.back}{n.extra or ''}") for n in notes)
            deck = ImportedDeck(
                key=self.deck_key(deck_id),
                name=name,
                description=(anki_deck.description or None) if anki_deck else None,
                html=html,
                source_path=str(self.path),
                home=deck_id in self.home_decks,
            )
            self.source.decks.append((deck, notes))

    def warn_leftovers(self) -> None:
        for reason, count in sorted(self.skipped.items()):
            self.source.warn(f"{count} note(s) not imported: {reason}")
        if self.missing_media:
            names = ", ".join(sorted(self.missing_media)[:5])
            more = len(self.missing_media) - 5
            self.source.warn(
                f"notes refer to {len(self.missing_media)} media file(s) missing from the "
                f"package: {names}" + (f" and {more} more" if more > 0 else "")
            )


def read_anki_package(path: Path, ours: OurNotes | None = None) -> ImportedSource:
    """Read and check a whole package; raises a ``FlashcardsError`` if it is unusable.

    ``ours`` looks up what the database knows of our own notes and decks, for a package
    that Anki made of them (``flashcards.anki.home``).
    """
    with open_package(path) as package:
        col = read_collection(package.collection, str(path))
    media = [hashed_media(m.name, m.data) for m in package.media]
    renames = {m.original_name: m.filename for m in media if m.original_name is not None}
    reader = _Reader(path, col, renames, ours)
    reader.source.media = media
    reader.media_data = {m.filename: m.data for m in media}
    # The cards come sorted by note (``collection._cards``): each note's are together.
    cards_by_note = {
        note_id: list(cards) for note_id, cards in groupby(col.cards, attrgetter("note_id"))
    }
    without_cards = 0
    for note in col.notes:
        cards = cards_by_note.get(note.id)
        if not cards:
            without_cards += 1
            continue
        reader.note(note, cards)
    if without_cards:
        reader.skipped["no card of theirs is in the package"] += without_cards
    reader.decks()
    reader.answers()
    reader.warn_leftovers()
    if package.oversized_media:
        reader.source.warn(
            f"{len(package.oversized_media)} media file(s) over "
            f"{MAX_MEDIA_FILE_BYTES // 1024 // 1024} MB left out: "
            + ", ".join(package.oversized_media[:5])
        )
    return reader.source


def _as_labelled(note: ImportedNote, labels: Mapping[str, Any]) -> ImportedNote:
    """A label's note with what our package says of the structure the label names."""
    found = labels.get(note.back)
    if not isinstance(found, dict):
        return note
    texts = {k: v for k, v in found.items() if isinstance(v, str) and len(v) <= 200}
    aliases = found.get("aliases")
    meta = dict(note.meta)
    if isinstance(aliases, list) and all(isinstance(a, str) for a in aliases):
        meta["aliases"] = aliases
    return note._replace(
        structure_key=texts.get("structure_key"),
        structure_name=texts.get("structure_name"),
        meta=meta,
    )
