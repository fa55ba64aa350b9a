"""Deck files -> notes: structure records become question/answer cards.

A note's key is its identity for life (DESIGN §2), never its text, so fixing a typo
keeps every student's history:

- a fact asked whole (``ask: all``) or by any one item (``ask: any``):
  ``deck / structure / field`` — switching between the plain and the mapping form, or
  between ``all`` and ``any``, keeps the history;
- a fact asked item by item (``ask: each``): ``deck / structure / field / <slug of the
  item>``, so an item keeps its history when the others are reordered or edited (an
  item written "Label: text" is asked for its text, its label shown, under the same key);
- a clinical card: ``deck / structure / clinical / <its id, or the slug of its question>``;
- a hand-written card: ``deck / card id``.

Reverse cards ("Which muscle inserts on …?") need the whole deck set and are planned by
`flashcards.authoring.reverse`; `notes_for_deck` appends the ones it is given.

Each fact makes cards whose question is written for the field and the kind of structure
(`flashcards.authoring.questions`). A list asked whole is answered one item a line. A
structure's aliases are shown under every answer of its cards, and its image travels
with each of them. What the grader and the screens need beyond the text goes in the
note's ``meta``: ``accept`` (other right answers), ``note`` (shown after the answer,
never graded), ``ask``, ``items``, ``is_list``, ``aliases``, ``kind``, ``region`` and, for a head or
part of a muscle, ``part_of`` (the id of the whole).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from flashcards.authoring.model import DeckFile, Fact, HandCard, Structure
from flashcards.authoring.nodes import cloze_ordinals, item_slug, slugify
from flashcards.authoring.occlusions import Occlusion
from flashcards.authoring.questions import Subject, labelled

__all__ = [
    "NoteSpec",
    "aliases_note",
    "answer_text",
    "item_slug",
    "notes_for_deck",
    "occlusion_question",
    "question_for",
    "render_cloze",
]


_NO_META: Mapping[str, Any] = MappingProxyType({})


class NoteSpec(NamedTuple):
    """One note as it will be stored (a named tuple: a deck file makes tens of thousands;
    35,000 built as frozen dataclasses through ``dataclasses.replace`` took 0.2 s)."""

    key: str
    kind: str  # fact | reverse | basic | cloze | occlusion
    front: str
    back: str
    extra: str | None = None
    structure_key: str | None = None
    structure_name: str | None = None
    field: str | None = None
    meta: Mapping[str, Any] = _NO_META
    image: str | None = None  # media file name (content-hashed)
    image_path: Path | None = None
    tags: tuple[str, ...] = ()
    ordinals: tuple[int, ...] = (0,)


def question_for(structure: Structure, fact: Fact) -> str:
    """The forward question of one fact: "Where does psoas major insert?"."""
    return Subject.of(structure).question(fact)


def aliases_note(aliases: Sequence[str]) -> str | None:
    """What a card shows under its answer so a student meets every name of a structure."""
    return f"Also called: {', '.join(aliases)}" if aliases else None


def answer_text(fact: Fact) -> str:
    return "\n".join(fact.items)


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tag for group in groups for tag in group))


def _graded(accept: Sequence[str], note: str | None) -> dict[str, Any]:
    """The ``accept`` and ``note`` meta keys, each only when the file gives it."""
    return {
        **({"accept": list(accept)} if accept else {}),
        **({"note": note} if note else {}),
    }


def _fact_notes(
    deck: DeckFile, structure: Structure, media_names: Mapping[Path, str]
) -> list[NoteSpec]:
    shared = {
        "kind": structure.kind,
        "region": structure.region,
        "aliases": list(structure.aliases),
        # Only when given, so that the notes of every other structure stay as they were.
        **({"part_of": structure.part_of} if structure.part_of else {}),
    }
    # Stored so that a later import of another deck knows this one asks for reverse cards.
    asked = deck.reverse_fields(structure)
    image = media_names.get(structure.image) if structure.image else None
    subject = Subject.of(structure)
    # What every note of the structure shares.
    extra = aliases_note(structure.aliases)
    structure_id, name, image_path = structure.id, structure.name, structure.image
    tags = _unique(deck.tags, structure.tags)
    prefix = f"{deck.id}/{structure.id}"
    notes: list[NoteSpec] = []
    for fact in structure.facts:
        field, mode = fact.field, fact.mode
        meta = {**shared, "is_list": fact.is_list, **({"reverse": True} if field in asked else {})}
        if field != "clinical":
            meta["ask"] = mode
        if mode == "each":
            for index, item in enumerate(fact.items):
                # "Orbital part: closes …" shows its label and asks its text (the grader
                # takes the label typed with it as right). The key is the whole item's.
                _label, text = labelled(item)
                notes.append(
                    NoteSpec(
                        f"{prefix}/{field}/{item_slug(item)}",
                        "fact",
                        subject.gap_question(fact, index),
                        text,
                        extra,
                        structure_id,
                        name,
                        field,
                        {**meta, "items": [text], **_graded((), fact.note)},
                        image,
                        image_path,
                        tags,
                    )
                )
            continue
        meta["items"] = list(fact.items)
        if fact.accept or fact.note:
            meta.update(_graded(fact.accept, fact.note))
        notes.append(
            NoteSpec(
                f"{prefix}/{field}",
                "fact",
                subject.question(fact),
                answer_text(fact),
                extra,
                structure_id,
                name,
                field,
                meta,
                image,
                image_path,
                tags,
            )
        )
    notes += [
        NoteSpec(
            f"{prefix}/clinical/{card.id}",
            "fact",
            card.question,
            card.answer,
            extra,
            structure_id,
            name,
            "clinical",
            {**shared, "items": [card.answer], "is_list": False, **_graded(card.accept, card.note)},
            image,
            image_path,
            tags,
        )
        for card in structure.clinical
    ]
    return notes


def _hand_note(deck: DeckFile, card: HandCard, media_names: Mapping[Path, str]) -> NoteSpec:
    image = media_names.get(card.image) if card.image else None
    tags = _unique(deck.tags, card.tags)
    key = f"{deck.id}/{card.id}"
    meta = _graded(card.accept, card.note)
    if card.cloze is not None:
        return NoteSpec(
            key=key,
            kind="cloze",
            front=card.cloze,
            back="",
            extra=card.extra,
            meta=meta,
            image=image,
            image_path=card.image,
            tags=tags,
            ordinals=cloze_ordinals(card.cloze),
        )
    assert card.question is not None and card.answer is not None
    return NoteSpec(
        key=key,
        kind="basic",
        front=card.question,
        back=card.answer,
        extra=card.extra,
        meta=meta,
        image=image,
        image_path=card.image,
        tags=tags,
    )


def occlusion_question(header: str | None) -> str:
    """What an occlusion card asks, beside its picture."""
    return f"{header}: which structure is marked?" if header else "Which structure is marked?"


def _occlusion_notes(
    deck: DeckFile, occlusion: Occlusion, media_names: Mapping[Path, str]
) -> list[NoteSpec]:
    """One note per label (a label's shapes are asked together), keyed by the label, so
    moving or redrawing a shape keeps the card's history. Each note carries the whole
    diagram, to draw the other shapes as its mode says. A label that names a structure
    of the same file takes that structure's names as right answers."""
    by_name: dict[str, Structure] = {}
    for named in deck.structures:
        for name in (named.name, *named.aliases):
            by_name.setdefault(name.casefold(), named)
    diagram = occlusion.as_json()
    tags = _unique(deck.tags, occlusion.tags)
    notes: list[NoteSpec] = []
    for label in occlusion.labels():
        structure = by_name.get(label.casefold())
        meta: dict[str, Any] = {"occlusion": diagram, "label": label}
        if structure is not None:
            names = (structure.name, *structure.aliases)
            meta["aliases"] = [name for name in names if name.casefold() != label.casefold()]
        notes.append(
            NoteSpec(
                key=f"{deck.id}/{occlusion.id}/{slugify(label)}",
                kind="occlusion",
                front=occlusion_question(occlusion.header),
                back=label,
                extra=occlusion.extra,
                structure_key=structure.id if structure else None,
                structure_name=structure.name if structure else None,
                meta=meta,
                image=media_names.get(occlusion.image),
                image_path=occlusion.image,
                tags=tags,
            )
        )
    return notes


def notes_for_deck(
    deck: DeckFile,
    media_names: Mapping[Path, str] | None = None,
    reverse: Sequence[NoteSpec] = (),
) -> list[NoteSpec]:
    """Every note of a deck file, in authoring order: structures, cards, then diagrams.

    ``reverse`` are the deck's reverse notes (`flashcards.authoring.reverse.plan_reverse_cards`);
    they come last, so a class meets a structure's facts before being asked backwards.
    """
    names = media_names or {}
    notes: list[NoteSpec] = []
    for structure in deck.structures:
        notes.extend(_fact_notes(deck, structure, names))
    notes.extend(_hand_note(deck, card, names) for card in deck.cards)
    for occlusion in deck.occlusions:
        notes.extend(_occlusion_notes(deck, occlusion, names))
    notes.extend(reverse)
    return notes


_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", re.DOTALL)


def render_cloze(text: str, ordinal: int) -> tuple[str, str]:
    """The question (cN hidden, as ``[...]`` or ``[hint]``) and the answer (cN shown)."""

    def question(match: re.Match[str]) -> str:
        if int(match.group(1)) == ordinal:
            return f"[{match.group(3) or '...'}]"
        return match.group(2)

    def answer(match: re.Match[str]) -> str:
        if int(match.group(1)) == ordinal:
            return f"[{match.group(2)}]"
        return match.group(2)

    return _CLOZE.sub(question, text), _CLOZE.sub(answer, text)
