"""Anki note types -> our two kinds of hand-written note: basic (question/answer) and cloze.

- A cloze note type stays a cloze: the field its template clozes is the text, the other
  fields the extra.
- A basic-like type (its first card asks one field and answers with one other, as
  Basic, Basic (type in the answer) and the reversed variants do) gives a question and an
  answer; a reverse card (answer field asked, question field answered) becomes a second
  note, as our notes have one card each.
- Any other type: the first field is the question and the other fields, labelled, the
  answer. The caller warns about it, once per note type.

For packages the shape comes from the note type's templates; for text files, which name
a note type but carry no templates, from the name and the number of columns.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any, NamedTuple

from flashcards.anki.collection import AnkiNotetype, AnkiTemplate
from flashcards.anki.imported import ImportedNote

__all__ = [
    "REVERSE_SUFFIX",
    "BuiltNotes",
    "Shape",
    "build_notes",
    "shape_of_notetype",
    "shape_of_text_row",
]

REVERSE_SUFFIX = "/reverse"  # key of the note made from a basic note's reverse card

_REFERENCE = re.compile(r"\{\{(.*?)\}\}", re.DOTALL)
_SPECIAL = frozenset({"FrontSide", "Tags", "Type", "Deck", "Subdeck", "Card", "CardFlag", "CardID"})
_BASIC_NAMES = {
    "basic": False,
    "basic (and reversed card)": True,
    "basic (optional reversed card)": True,
    "basic (type in the answer)": False,
}


@dataclass(frozen=True)
class Shape:
    kind: str  # basic | cloze | other
    question: int = 0  # field index: the question, or the cloze text
    answer: int = 1  # field index of the answer (basic)
    reverse_ords: tuple[int, ...] = ()  # card ords that ask the answer field (basic)
    conditions: tuple[int, ...] = ()  # fields that only switch a card on or off
    ignored_templates: tuple[str, ...] = ()  # card types not imported


def _references(template: str) -> tuple[list[str], list[str], list[str]]:
    """(fields shown, fields typed into, fields only tested) by a template."""
    shown: list[str] = []
    typed: list[str] = []
    tested: list[str] = []
    for match in _REFERENCE.finditer(template):
        token = match.group(1).strip()
        if token[:1] in "#^/":
            tested.append(token[1:].strip())
            continue
        *filters, name = token.split(":")
        name = name.strip()
        if name in _SPECIAL or not name:
            continue
        (typed if "type" in filters else shown).append(name)
    return shown, typed, tested


def _indexes(names: list[str], fields: tuple[str, ...]) -> list[int]:
    folded = [f.casefold() for f in fields]
    found: list[int] = []
    for name in names:
        if name.casefold() in folded:
            index = folded.index(name.casefold())
            if index not in found:
                found.append(index)
    return found


def _question_answer(template: AnkiTemplate, fields: tuple[str, ...]) -> tuple[int, int] | None:
    shown, _typed, _tested = _references(template.question)
    asked = _indexes(shown, fields)
    a_shown, a_typed, _ = _references(template.answer)
    answered = [i for i in _indexes(a_shown + a_typed, fields) if i not in asked]
    if len(asked) == 1 and len(answered) == 1:
        return asked[0], answered[0]
    return None


def _cloze_field(notetype: AnkiNotetype) -> int:
    for template in notetype.templates[:1]:
        for match in _REFERENCE.finditer(template.question):
            *filters, name = match.group(1).split(":")
            if "cloze" in (f.strip() for f in filters):
                found = _indexes([name.strip()], notetype.fields)
                if found:
                    return found[0]
    return 0


def shape_of_notetype(notetype: AnkiNotetype) -> Shape:
    if notetype.cloze:
        return Shape(kind="cloze", question=_cloze_field(notetype))
    templates = notetype.templates
    first = _question_answer(templates[0], notetype.fields) if templates else None
    if first is None:
        return Shape(kind="other", ignored_templates=tuple(t.name for t in templates[1:]))
    question, answer = first
    reverse: list[int] = []
    ignored: list[str] = []
    conditions: set[int] = set()
    for ord_, template in enumerate(templates):
        tested = _indexes(_references(template.question)[2], notetype.fields)
        conditions.update(i for i in tested if i not in (question, answer))
        if ord_ == 0:
            continue
        if _question_answer(template, notetype.fields) == (answer, question):
            reverse.append(ord_)
        else:
            ignored.append(template.name)
    return Shape(
        kind="basic",
        question=question,
        answer=answer,
        reverse_ords=tuple(reverse),
        conditions=tuple(sorted(conditions)),
        ignored_templates=tuple(ignored),
    )


def shape_of_text_row(notetype: str | None, fields: list[str]) -> Shape:
    """A text file's row: by its note type's name, else by its columns."""
    name = (notetype or "").strip().casefold()
    if "cloze" in name or (not name and re.search(r"\{\{c\d+::", fields[0] if fields else "")):
        return Shape(kind="cloze")
    if name in _BASIC_NAMES:
        optional = name == "basic (optional reversed card)"
        reverse = _BASIC_NAMES[name] and (not optional or (len(fields) > 2 and bool(fields[2])))
        return Shape(
            kind="basic", reverse_ords=(1,) if reverse else (), conditions=(2,) if optional else ()
        )
    if not name and len([f for f in fields if f.strip()]) <= 2:
        return Shape(kind="basic")
    return Shape(kind="other")


class BuiltNotes(NamedTuple):
    notes: Sequence[ImportedNote] = ()
    cards: Mapping[int, tuple[str, int]] = MappingProxyType({})  # Anki ord -> (key, ordinal)
    problem: str | None = None  # why the row or note made no note


def _joined(parts: Sequence[str], as_html: bool) -> str | None:
    kept = [p for p in parts if p.strip()]
    return ("<br>" if as_html else "\n").join(kept) or None


def _label(name: str, value: str, as_html: bool) -> str:
    return f"{html.escape(name) if as_html else name}: {value}"


def build_notes(
    shape: Shape,
    key: str,
    fields: Sequence[str],
    names: Sequence[str] | None,
    *,
    tags: tuple[str, ...],
    meta: Mapping[str, Any],
    as_html: bool,
) -> BuiltNotes:
    """The note(s) one Anki note (or one text row) becomes, with where its cards went.

    ``names`` are the field names (a package has them; a text file may not).
    """
    values = fields
    if shape.question >= len(values) or not values[shape.question].strip():
        what = "cloze text" if shape.kind == "cloze" else "question field"
        return BuiltNotes(problem=f"its {what} is empty")
    if shape.kind == "cloze":
        text = values[shape.question]
        from flashcards.authoring.nodes import cloze_ordinals  # (YAML: imported when needed)

        ordinals = cloze_ordinals(text)
        if not ordinals:
            return BuiltNotes(problem="a cloze note without any {{c1::…}} marker")
        extra = _joined([v for i, v in enumerate(values) if i != shape.question], as_html)
        note = ImportedNote(
            key=key,
            kind="cloze",
            front=text,
            back="",
            extra=extra,
            meta=meta,
            tags=tags,
            ordinals=ordinals,
        )
        return BuiltNotes([note], {n - 1: (key, n) for n in ordinals})
    if shape.kind == "basic":
        q, a = shape.question, shape.answer
        question = values[q]
        answer = values[a] if a < len(values) else ""
        if len(values) == 2 and q + a == 1:  # Basic and its kin: nothing else to join
            extra = None
        else:
            left_out = (q, a, *shape.conditions)
            extra = _joined([v for i, v in enumerate(values) if i not in left_out], as_html)
        # Positional: a package makes tens of thousands (keywords cost a third more).
        notes = [ImportedNote(key, "basic", question, answer, extra, None, None, None, meta,
                              None, tags)]  # fmt: skip
        cards = {0: (key, 0)}
        if shape.reverse_ords and answer.strip():
            reverse_key = key + REVERSE_SUFFIX
            notes.append(
                ImportedNote(
                    reverse_key,
                    "basic",
                    answer,
                    question,
                    extra,
                    meta={**meta, "reverse": True},
                    tags=tags,
                )
            )
            cards.update({ord_: (reverse_key, 0) for ord_ in shape.reverse_ords})
        return BuiltNotes(notes, cards)
    labels = list(names) if names is not None else []
    answer_parts = [
        _label(labels[i], values[i], as_html) if i < len(labels) else values[i]
        for i in range(1, len(values))
        if values[i].strip()
    ]
    answer = _joined(answer_parts, as_html) or ""
    note = ImportedNote(key, "basic", values[0], answer, None, meta=meta, tags=tags)
    return BuiltNotes([note], {0: (key, 0)})
