"""Our own notes coming home from a package: back to their keys, kinds and metadata.

A package written by `flashcards export` holds our note types (fixed model ids, fixed
fields, ``models.py``) and, in each note's ``data`` column, what the fields do not say
(``notes.note_data``): the key, kind, structure, field, metadata and tags. Its decks'
own records are in a table of their own. With both, a note comes back exactly as it
left: a fact as a fact of its structure and field, a hand-written or cloze card as
itself, under its key, so that nothing is duplicated and every history stays attached.

Anki drops that ``data`` when it imports a package, so a package Anki made of our notes
(a student's export after editing them there) has only the fields: such a note is known
by its GUID (``notes.note_guid`` of its key) in the database it came from, and read from
its fields with what that database knows of it. Elsewhere it keeps the GUID as its key,
as any note from Anki does.

Pure: the caller looks notes and decks up in the database (``OurNotes``).
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from flashcards.anki.collection import AnkiNotetype
from flashcards.anki.html import terminal_text
from flashcards.anki.imported import ImportedDeck, ImportedNote
from flashcards.anki.models import OUR_NOTE_TYPES

__all__ = [
    "KEY_MAX",
    "NoteData",
    "OurDeck",
    "OurNotes",
    "fallback_data",
    "field_text",
    "home_note",
    "our_note_type",
    "parse_deck_data",
    "parse_note_data",
]

KEY_MAX = 500  # a note key's room in the database
_EXTRA_DIV = '<div class="fc-extra">'
_LIST_START, _LIST_END, _ITEM_BREAK = "<ul><li>", "</li></ul>", "</li><li>"
_IMAGE = re.compile(r'^<img src="([^"<>]+)">$')
_OPTIONAL_TEXT = ("kind", "field", "structure_key", "structure_name", "back", "extra")
# The room each has in the database (a package is untrusted input).
_TEXT_MAX = {"kind": 20, "field": 50, "structure_key": 200}


@dataclass(frozen=True)
class OurDeck:
    """One of our decks as a package (or the database) knows it."""

    key: str
    description: str | None
    source: str | None
    tags: tuple[str, ...]
    html: bool

    def imported(self, name: str, source_path: str) -> ImportedDeck:
        return ImportedDeck(
            key=self.key,
            name=name,
            description=self.description,
            source=self.source,
            tags=self.tags,
            html=self.html,
            source_path=source_path,
            home=True,
        )


# What a note's data says: "key", "meta" (a dict), "tags" (a list), and any of
# _OPTIONAL_TEXT and "items" (a list), as ``notes.note_data`` writes them.
NoteData = Mapping[str, Any]


class OurNotes(Protocol):
    """What the database knows of our notes and decks (for a package made by Anki)."""

    def deck(self, anki_deck_id: int) -> OurDeck | None: ...

    def note(self, guid: str) -> tuple[NoteData, bool] | None:
        """The note with this GUID as data, and whether its deck is HTML."""
        ...


def _strings(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


def _keyed_object(text: str, key_max: int) -> dict[str, Any] | None:
    """The JSON object ``text`` holds, when it has a non-blank string ``key`` of at most
    ``key_max`` characters; None otherwise."""
    try:
        data = json.loads(text)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    key = data.get("key")
    if not isinstance(key, str) or not key.strip() or len(key) > key_max:
        return None
    return data


def parse_note_data(text: str) -> NoteData | None:
    """A note's data from our package, checked; None when absent or not ours."""
    if not text.startswith("{"):
        return None
    data = _keyed_object(text, KEY_MAX)
    if data is None:
        return None
    if not isinstance(data.get("meta", {}), dict) or not _strings(data.get("tags", [])):
        return None
    if "items" in data and not _strings(data["items"]):
        return None
    if any(not isinstance(data.get(k, ""), str) for k in _OPTIONAL_TEXT):
        return None
    if any(len(data.get(k, "")) > most for k, most in _TEXT_MAX.items()):
        return None
    return data


def parse_deck_data(text: str) -> OurDeck | None:
    data = _keyed_object(text, 200)
    if data is None:
        return None
    texts = [data.get(k) for k in ("description", "source")]
    if any(t is not None and not isinstance(t, str) for t in texts):
        return None
    tags = data.get("tags") or []
    if not _strings(tags):
        return None
    return OurDeck(data["key"], texts[0], texts[1], tuple(tags), data.get("html") is True)


def our_note_type(notetype: AnkiNotetype) -> str | None:
    """``fact``, ``basic`` or ``cloze`` for one of our note types, else None.

    Ours by its fixed id and its fixed fields, in order (a student may have added fields
    after them in Anki: those are left out).
    """
    found = OUR_NOTE_TYPES.get(notetype.id)
    if found is None:
        return None
    kind, fields = found
    return kind if notetype.fields[: len(fields)] == fields else None


def field_text(value: str, authored_html: bool) -> str:
    """A field's text as the deck keeps it: the inverse of ``notes.text_html``.

    Markup a student added in Anki to a plain-text deck's field comes back as its words.
    """
    if authored_html or ("&" not in value and "<" not in value):
        return value
    if "<" not in value.replace("<br>", ""):
        return html.unescape(value.replace("<br>", "\n"))
    return terminal_text(value)


def _optional(value: str, authored_html: bool) -> str | None:
    return field_text(value, authored_html) or None


def _image(value: str) -> str | None:
    match = _IMAGE.match(value.strip())
    return html.unescape(match.group(1)) if match else None


def _field_name(label: str) -> str | None:
    return "_".join(label.lower().split()) or None


def fallback_data(
    note_type: str, fields: Sequence[str], key: str, tags: Sequence[str], meta: NoteData
) -> dict[str, Any]:
    """Data for one of our notes that no database knows (a package made by Anki)."""
    data: dict[str, Any] = {"key": key, "meta": dict(meta), "tags": list(tags)}
    if note_type == "fact":
        from flashcards.authoring.nodes import slugify  # (YAML: imported when needed)

        structure = terminal_text(fields[2])
        data["structure_key"] = slugify(structure) or None
        data["field"] = _field_name(terminal_text(fields[3]))
    return data


def _fact_answer(
    answer: str, data: NoteData, meta: dict[str, Any], authored_html: bool
) -> tuple[str, str | None]:
    """(back, extra) of a fact's answer field; a list answer's items go into ``meta``."""
    shown: list[str] = []  # what follows the answer: the other names, then the deck's note
    while answer.endswith("</div>"):
        at = answer.rfind(_EXTRA_DIV)
        if at < 0:
            break
        shown.insert(0, answer[at + len(_EXTRA_DIV) : -len("</div>")])
        answer = answer[:at]
    if shown and isinstance(meta.get("note"), str):
        shown.pop()  # the note is in the metadata already
    extra = _optional("<br>".join(shown), authored_html) if shown else None
    if "items" in data:
        meta["items"] = list(data["items"])
    elif meta.get("is_list"):
        if answer.startswith(_LIST_START) and answer.endswith(_LIST_END):
            inner = answer[len(_LIST_START) : -len(_LIST_END)]
            items = [field_text(item, authored_html) for item in inner.split(_ITEM_BREAK)]
        else:  # the list was rewritten in Anki: its lines are the items
            items = [line for line in field_text(answer, authored_html).split("\n") if line]
        meta["items"] = items
        return data.get("back", "\n".join(items)), extra
    return data.get("back", field_text(answer, authored_html)), extra


def _without_note(extra: str | None, meta: Mapping[str, Any]) -> str | None:
    """A basic or cloze note's Extra field without the deck's note that export adds to it
    (``notes._extra_html``): the note lives in the metadata."""
    note = meta.get("note")
    if extra is None or not isinstance(note, str) or not extra.endswith(note):
        return extra
    return extra[: -len(note)].rstrip("\n") or None


def home_note(
    note_type: str, fields: Sequence[str], data: NoteData, *, authored_html: bool
) -> ImportedNote:
    """One of our notes from its fields (in our note type's order) and its data."""
    meta: dict[str, Any] = dict(data.get("meta") or {})
    front = field_text(fields[0], authored_html)
    structure_name = data.get("structure_name")
    image_field = ""
    if note_type == "fact":
        back, extra = _fact_answer(fields[1], data, meta, authored_html)
        structure_name = _optional(fields[2], authored_html)
        image_field = fields[4]
    elif note_type == "basic":
        back = data.get("back", field_text(fields[1], authored_html))
        extra = _optional(fields[2], authored_html)
        image_field = fields[3]
    else:
        back = data.get("back", "")
        extra = _optional(fields[1], authored_html)
        image_field = fields[2]
    if note_type != "fact":
        extra = _without_note(extra, meta)
    if "extra" in data:
        extra = data["extra"]
    return ImportedNote(
        key=data["key"],
        kind=data.get("kind", note_type),
        front=front,
        back=back,
        extra=extra,
        structure_key=data.get("structure_key"),
        structure_name=structure_name,
        field=data.get("field"),
        meta=meta,
        image=_image(image_field),
        tags=tuple(data.get("tags") or ()),
        ordinals=_cloze_ordinals(front) if note_type == "cloze" else (0,),
    )


def _cloze_ordinals(text: str) -> tuple[int, ...]:
    # Imported when needed: `flashcards.authoring.nodes` loads YAML, which reading a
    # package does not need (start-up of `flashcards import`).
    from flashcards.authoring.nodes import cloze_ordinals

    return cloze_ordinals(text)
