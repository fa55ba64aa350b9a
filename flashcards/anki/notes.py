"""Our notes as Anki will hold them: deck ids, GUIDs, ``mod``, fields as HTML, tags.

Pure (no genanki, no database): what makes a re-export update a student's collection
instead of duplicating it lives here. Anki's importer matches a note by its GUID and
replaces it only when the package's ``mod`` is newer, so:

- a note's GUID comes from its stable key, never its text, namespaced by "flashcards";
- its ``mod`` is the time its content last changed, not the time of the export, so an
  unchanged note never overwrites what a student edited in Anki;
- a deck's id comes from the deck's stable id.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, NamedTuple, Protocol

__all__ = [
    "AnkiNote",
    "PackageDeck",
    "PackageNote",
    "anki_notes",
    "anki_tags",
    "deck_data",
    "deck_id_for",
    "note_data",
    "note_fields",
    "note_guid",
    "note_type_of",
    "text_html",
]


class PackageDeck(Protocol):
    @property
    def id(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def description(self) -> str | None: ...
    @property
    def source(self) -> str | None: ...
    @property
    def html(self) -> bool: ...
    @property
    def tags(self) -> tuple[str, ...]: ...


class PackageNote(Protocol):
    @property
    def deck_id(self) -> int: ...
    @property
    def key(self) -> str: ...
    @property
    def kind(self) -> str: ...  # fact | basic | cloze
    @property
    def position(self) -> int: ...
    @property
    def front(self) -> str: ...
    @property
    def back(self) -> str: ...
    @property
    def extra(self) -> str | None: ...
    @property
    def structure_key(self) -> str | None: ...
    @property
    def structure_name(self) -> str | None: ...
    @property
    def field(self) -> str | None: ...
    @property
    def meta_json(self) -> str | None: ...  # the metadata as JSON, without a list's items
    @property
    def structure_kind(self) -> str | None: ...
    @property
    def region(self) -> str | None: ...
    @property
    def answer_items(self) -> Sequence[str] | None: ...
    @property
    def image(self) -> str | None: ...
    @property
    def tags(self) -> tuple[str, ...]: ...
    @property
    def content_changed_epoch(self) -> int: ...
    @property
    def anki_guid(self) -> str | None: ...
    @property
    def field_media(self) -> tuple[str, ...]: ...
    @property
    def note(self) -> str | None: ...  # shown after the answer, never graded
    @property
    def occlusion(self) -> Mapping[str, Any] | None: ...  # the diagram of an occlusion note


class AnkiNote(NamedTuple):
    key: str  # our stable key
    guid: str
    mod: int  # seconds: when the content last changed
    note_type: str  # fact | basic | cloze (models.py) | image-occlusion (occlusion.py)
    fields: list[str]  # in the note type's fixed order
    tags: list[str]
    card_ords: tuple[int, ...]  # Anki's card ordinals: 0, or N-1 for cloze cN
    media: tuple[str, ...]  # file names the fields refer to
    data: str  # what the fields do not say, for our own import (``note_data``)
    card_keys: tuple[str, ...] = ()  # our note behind each card, where a card is a note here


_WHITESPACE = re.compile(r"\s+")
# Anki's own GUID alphabet (base 91), as genanki's ``guid_for`` uses it, and every pair
# of its digits, so a GUID takes five divisions instead of ten.
_BASE91 = (
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&()*+,-./:;<=>?@[]^_`{|}~"
)
_BASE91_PAIRS = [high + low for high in _BASE91 for low in _BASE91]


def deck_id_for(key: str) -> int:
    """A fixed Anki deck id from the deck's stable id.

    Above 2**50, far from Anki's own ids (creation times in ms), below 2**53 so every
    JavaScript front end reads it exactly.
    """
    digest = hashlib.sha256(f"flashcards deck {key}".encode()).digest()
    return (1 << 50) | int.from_bytes(digest[:6], "big")


def note_guid(key: str) -> str:
    """The note's GUID: ``genanki.guid_for("flashcards", key)``, computed in a third of
    the time (a test holds the two equal). The key starts with the deck id, so two decks
    never collide; the "flashcards" namespace keeps clear of other generators."""
    number = int.from_bytes(hashlib.sha256(f"flashcards__{key}".encode()).digest()[:8], "big")
    pairs: list[str] = []
    while number:
        number, pair = divmod(number, 8281)
        pairs.append(_BASE91_PAIRS[pair])
    # A leading zero digit ("a") of the top pair is not part of the number.
    return "".join(reversed(pairs)).lstrip("a")


def text_html(text: str | None, authored_html: bool) -> str:
    """Field text as Anki's HTML: plain text escaped (``<2 cm`` stays ``<2 cm``)."""
    if not text:
        return ""
    if authored_html:
        return text
    if "&" not in text and "<" not in text and ">" not in text and "\n" not in text:
        return text  # most text: four C scans beat escaping (bench/README.md)
    return html.escape(text, quote=False).replace("\r\n", "\n").replace("\n", "<br>")


def _answer_html(note: PackageNote, authored_html: bool) -> str:
    items = note.answer_items
    if items is not None and len(items) > 1:
        listed = "".join(f"<li>{text_html(item, authored_html)}</li>" for item in items)
        answer = f"<ul>{listed}</ul>"
    else:
        answer = text_html(note.back, authored_html)
    for shown in (note.extra, note.note):
        if shown:
            # The fact note type has no Extra field (its fields are fixed): what the answer
            # is shown with (the structure's other names, the deck's note) follows it.
            answer += f'<div class="fc-extra">{text_html(shown, authored_html)}</div>'
    return answer


def _extra_html(note: PackageNote, authored_html: bool) -> str:
    """A basic or cloze note's Extra field: the card's extra, then the deck's note."""
    parts = [text_html(text, authored_html) for text in (note.extra, note.note) if text]
    return "<br>".join(parts)


def _image_html(filename: str | None) -> str:
    return f'<img src="{html.escape(filename)}">' if filename else ""


def _field_label(field: str | None) -> str:
    return field.replace("_", " ").capitalize() if field else ""


def note_type_of(kind: str) -> str:
    """Our Anki note type for a note kind: facts, reverse cards (and any kind to come
    that asks about a structure) are facts; hand-written cards are basic or cloze."""
    return kind if kind in ("basic", "cloze") else "fact"


def note_fields(note: PackageNote, deck: PackageDeck, source: str | None = None) -> list[str]:
    """The note's fields, in the fixed order of its note type (``models.py``).

    ``source`` is the deck's source as HTML, when the caller has it already.
    """
    h = deck.html
    if source is None:
        source = text_html(deck.source, h)
    note_type = note_type_of(note.kind)
    if note_type == "fact":
        return [
            text_html(note.front, h),
            _answer_html(note, h),
            text_html(note.structure_name, h),
            _field_label(note.field),
            _image_html(note.image),
            source,
        ]
    if note_type == "cloze":
        return [text_html(note.front, h), _extra_html(note, h), _image_html(note.image), source]
    return [
        text_html(note.front, h),
        text_html(note.back, h),
        _extra_html(note, h),
        _image_html(note.image),
        source,
    ]


_string = json.encoder.encode_basestring  # a JSON string (C-accelerated)


def _string_list(texts: Sequence[str]) -> str:
    return "[" + ",".join(map(_string, texts)) + "]"


def note_data(note: PackageNote, note_type: str, tags_json: str) -> str:
    """What the note's fields do not say, as JSON, for the note's return to a database.

    Anki keeps a note's fields; our import also needs the note's key, kind, structure,
    field, metadata and tags, which the package carries in the note's ``data`` column
    (Anki leaves it unused and drops it on import: a package made by Anki has none).
    Written without the texts the fields hold already (the question, the answer, a list
    answer's items, the extra, the image): `flashcards.anki.home` reads them back from
    the fields, so the package grows by little more than the key. Only what the fields
    cannot give back exactly is written out.
    """
    # What most notes share first, what each has of its own last: deflate then finds the
    # shared part in one piece.
    parts = ['{"meta":', note.meta_json or "{}", ',"tags":', tags_json]
    if note.kind != note_type:
        parts += [',"kind":', _string(note.kind)]
    if note.field is not None:
        parts += [',"field":', _string(note.field)]
    if note.structure_key is not None:
        parts += [',"structure_key":', _string(note.structure_key)]
    if note.structure_name is not None and note_type != "fact":
        parts += [',"structure_name":', _string(note.structure_name)]
    items = note.answer_items
    if items is not None and len(items) > 1:
        # The answer field lists the items (<li>); its lines are the answer, mostly.
        if "\n".join(items) != note.back:
            parts += [',"back":', _string(note.back)]
    elif items is not None:
        # A list of one: the answer field shows the answer, and the item goes here.
        parts += [',"items":', _string_list(items)]
    if note_type == "cloze" and note.back:
        parts += [',"back":', _string(note.back)]
    if note.extra == "":
        parts.append(',"extra":""')
    parts += [',"key":', _string(note.key), "}"]
    return "".join(parts)


def deck_data(deck: PackageDeck) -> str:
    """What Anki does not keep of a deck, as JSON: its key, source and tags (its name
    and description travel as Anki's own)."""
    return json.dumps(
        {
            "key": deck.key,
            "description": deck.description,
            "source": deck.source,
            "tags": list(deck.tags),
            "html": deck.html,
        },
        ensure_ascii=False,
    )


def _anki_tag(tag: str) -> str:
    return _WHITESPACE.sub("_", tag.strip()).strip(":")


def anki_tags(tags: Iterable[str], structure_kind: str | None, region: str | None) -> list[str]:
    """Deck and note tags plus the structure's kind and region, without spaces."""
    found = [_anki_tag(t) for t in tags]
    for facet, value in (("kind", structure_kind), ("region", region)):
        if value and _anki_tag(value):
            found.append(f"{facet}::{_anki_tag(value)}")
    return [t for t in dict.fromkeys(found) if t]


def anki_notes(
    decks: Sequence[PackageDeck], notes: Iterable[PackageNote]
) -> list[tuple[PackageDeck, list[AnkiNote]]]:
    """Every deck with its notes as Anki will hold them, each deck in authoring order.

    A note imported from Anki goes back under the GUID it had there, so exporting it to
    the same Anki adds no second copy; every other note's GUID comes from its key.
    """
    # Imported here: `flashcards.authoring.nodes` loads YAML, which `flashcards import`
    # of a package needs not (it uses `deck_id_for` and `note_guid` of this module).
    from flashcards.authoring.nodes import cloze_ordinals

    by_deck: dict[int, list[PackageNote]] = {deck.id: [] for deck in decks}
    for note in notes:
        by_deck[note.deck_id].append(note)
    # Most notes of a deck share their tags, kind and region: build each tag list once.
    tag_lists: dict[tuple[tuple[str, ...], str | None, str | None], list[str]] = {}
    tags_json: dict[tuple[str, ...], str] = {}
    taken: set[str] = set()
    result: list[tuple[PackageDeck, list[AnkiNote]]] = []
    for deck in decks:
        built: list[AnkiNote] = []
        source = text_html(deck.source, deck.html)
        diagrams: dict[str, list[PackageNote]] = {}
        for note in sorted(by_deck[deck.id], key=lambda n: n.position):
            if note.kind == "occlusion" and note.occlusion:
                diagrams.setdefault(str(note.occlusion["id"]), []).append(note)
                continue
            facets = (note.tags, note.structure_kind, note.region)
            tags = tag_lists.get(facets)
            if tags is None:
                tags = tag_lists[facets] = anki_tags(*facets)
            guid = note.anki_guid
            if guid is None or guid in taken:  # one Anki note may have become two here
                guid = note_guid(note.key)
            taken.add(guid)
            note_type = note_type_of(note.kind)
            ords = (
                tuple(n - 1 for n in cloze_ordinals(note.front)) if note_type == "cloze" else (0,)
            )
            media = (note.image, *note.field_media) if note.image else note.field_media
            own_tags = tags_json.get(note.tags)
            if own_tags is None:
                own_tags = tags_json[note.tags] = _string_list(note.tags)
            built.append(
                AnkiNote(
                    note.key,
                    guid,
                    note.content_changed_epoch,
                    note_type,
                    note_fields(note, deck, source),
                    tags,
                    ords,
                    media,
                    note_data(note, note_type, own_tags),
                )
            )
        for diagram_id, labelled in diagrams.items():
            built.append(_diagram_note(deck, diagram_id, labelled, taken))
        result.append((deck, built))
    return result


def diagram_key(deck_key: str, diagram_id: object) -> str:
    """A labelled diagram's key: its labels' notes go to Anki as one note of this key
    (``_diagram_note``), and a package Anki made of it is known by it again."""
    return f"{deck_key}/{diagram_id}"


def anki_guid_of(meta: Mapping[str, Any]) -> str | None:
    """The GUID a note had in Anki, for a note imported from Anki; else None (its GUID
    comes from its key: ``note_guid``)."""
    guid = meta.get("guid")
    return guid if meta.get("source") == "anki" and isinstance(guid, str) and guid else None


def diagram_data(
    key: str, labels: Iterable[tuple[str, str | None, str | None, Mapping[str, Any]]]
) -> dict[str, Any]:
    """What a diagram's fields do not say, for its return here (``flashcards.anki.home``):
    its key, and for each label (its text, structure key and name, and its note's meta)
    the structure it names and that structure's other names."""
    per_label: dict[str, dict[str, Any]] = {}
    for back, structure_key, structure_name, meta in labels:
        own = {"structure_key": structure_key, "structure_name": structure_name}
        per_label[back] = {
            **{k: v for k, v in own.items() if v is not None},
            **({"aliases": meta["aliases"]} if "aliases" in meta else {}),
        }
    return {"key": key, "meta": {"labels": per_label}}


def _diagram_data(key: str, labels: Sequence[PackageNote]) -> str:
    rows = (
        (n.back, n.structure_key, n.structure_name, json.loads(n.meta_json or "{}")) for n in labels
    )
    return json.dumps(diagram_data(key, rows), ensure_ascii=False)


def _diagram_note(
    deck: PackageDeck, diagram_id: str, notes: Sequence[PackageNote], taken: set[str]
) -> AnkiNote:
    """A diagram's label notes as one Anki Image Occlusion note, a card per label."""
    from flashcards.anki.occlusion import diagram_fields, diagram_labels

    first = notes[0]
    diagram = first.occlusion or {}
    labels = diagram_labels(diagram, [n.back for n in notes])
    by_label = {n.back: n for n in notes}
    key = diagram_key(deck.key, diagram_id)
    guid = first.anki_guid
    if guid is None or guid in taken:
        guid = note_guid(key)
    taken.add(guid)
    header = text_html(diagram.get("header"), False)
    fields = diagram_fields(diagram, labels, first.image, header, text_html(first.extra, deck.html))
    tags = anki_tags(tuple(dict.fromkeys(t for n in notes for t in n.tags)), None, None)
    return AnkiNote(
        key,
        guid,
        max(n.content_changed_epoch for n in notes),
        "image-occlusion",
        fields,
        tags,
        tuple(range(len(labels))),
        (first.image,) if first.image else (),
        _diagram_data(key, [by_label[label] for label in labels]),
        tuple(by_label[label].key for label in labels),
    )
