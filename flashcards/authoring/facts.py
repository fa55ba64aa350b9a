"""Deck files -> notes: structure records become question/answer cards.

A note's key is its identity for life (DESIGN §2): ``deck id / structure id / field``
for facts, ``deck id / card id`` for hand-written cards. Text never enters it, so fixing
a typo keeps every student's history. Reverse cards ("Which muscle inserts on …?") need
the whole deck set and are planned by `flashcards.authoring.reverse`; `notes_for_deck` appends
the ones it is given.

Each fact makes one card whose question is written for the field and the kind of
structure ("Where does psoas major insert?", "What does the femoral nerve innervate?");
a list-valued fact is asked in the plural where English wants it ("What are the actions
of …?") and answered as its list, one item a line. A structure's aliases are shown under
every answer of its cards, and its image travels with each of them.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from flashcards.authoring.deckfile import DeckFile, Fact, HandCard, Structure, cloze_ordinals
from flashcards.authoring.nodes import slugify
from flashcards.authoring.occlusions import Occlusion
from flashcards.authoring.phrasing import is_plural_name, name_in_sentence, structure_class

__all__ = [
    "NoteSpec",
    "aliases_note",
    "answer_text",
    "notes_for_deck",
    "occlusion_question",
    "question_for",
    "render_cloze",
]


@dataclasses.dataclass(frozen=True)
class NoteSpec:
    key: str
    kind: str  # fact | reverse | basic | cloze | occlusion
    front: str
    back: str
    extra: str | None = None
    structure_key: str | None = None
    structure_name: str | None = None
    field: str | None = None
    meta: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    image: str | None = None  # media file name (content-hashed)
    image_path: Path | None = None
    tags: tuple[str, ...] = ()
    ordinals: tuple[int, ...] = (0,)


# Questions per fact field: (one value, several values). {name} is the structure's name
# mid-sentence ("sartorius", "the femoral nerve"); {does} agrees with it ("do the
# hamstrings"). Fields that read differently for some kinds of structure are overridden
# in _BY_CLASS; anything else falls back to these, which read correctly for any kind.
_QUESTIONS: dict[str, tuple[str, str]] = {
    "origin": ("Where {does} {name} originate?", "Where {does} {name} originate?"),
    "insertion": ("Where {does} {name} insert?", "Where {does} {name} insert?"),
    "innervation": ("What innervates {name}?", "What innervates {name}?"),
    "action": ("What is the action of {name}?", "What are the actions of {name}?"),
    "blood_supply": ("What is the blood supply of {name}?", "What is the blood supply of {name}?"),
    "antagonist": ("What is the antagonist of {name}?", "What are the antagonists of {name}?"),
    "synergist": ("What is a synergist of {name}?", "What are the synergists of {name}?"),
    "clinical": (
        "What is the clinical relevance of {name}?",
        "What is the clinical relevance of {name}?",
    ),
}
_FUNCTION = ("What is the function of {name}?", "What are the functions of {name}?")
_ARISE = ("Where {does} {name} arise?", "Where {does} {name} arise?")
_GENERIC_ORIGIN = ("What is the origin of {name}?", "What are the origins of {name}?")
_GENERIC_INSERTION = ("What is the insertion of {name}?", "What are the insertions of {name}?")
_BY_CLASS: dict[str, dict[str, tuple[str, str]]] = {
    "nerve": {
        "origin": _ARISE,
        "insertion": ("Where {does} {name} end?", "Where {does} {name} end?"),
        "innervation": ("What {does} {name} innervate?", "What {does} {name} innervate?"),
        "action": _FUNCTION,
    },
    "artery": {
        "origin": _ARISE,
        "insertion": ("Where {does} {name} end?", "Where {does} {name} end?"),
        "blood_supply": ("What {does} {name} supply?", "What {does} {name} supply?"),
        "action": _FUNCTION,
    },
    "vein": {
        "origin": ("Where {does} {name} begin?", "Where {does} {name} begin?"),
        "insertion": ("Where {does} {name} drain?", "Where {does} {name} drain?"),
        "blood_supply": ("What {does} {name} drain?", "What {does} {name} drain?"),
        "action": _FUNCTION,
    },
    "ligament": {"origin": _ARISE, "action": _FUNCTION},
    "tendon": {"origin": _ARISE, "action": _FUNCTION},
    "bone": {"origin": _GENERIC_ORIGIN, "insertion": _GENERIC_INSERTION, "action": _FUNCTION},
    "joint": {
        "origin": _GENERIC_ORIGIN,
        "insertion": _GENERIC_INSERTION,
        "action": (
            "What movement occurs at {name}?",
            "What movements occur at {name}?",
        ),
    },
    "other": {"origin": _GENERIC_ORIGIN, "insertion": _GENERIC_INSERTION},
}


@dataclasses.dataclass(frozen=True)
class _Subject:
    """How questions name one structure, worked out once for all its facts."""

    klass: str
    name: str  # mid-sentence: "sartorius", "the femoral nerve"
    does: str  # "does", or "do" for a plural name

    @classmethod
    def of(cls, structure: Structure) -> _Subject:
        klass = structure_class(structure.kind, structure.name)
        plural = is_plural_name(structure.name)
        return cls(klass, name_in_sentence(structure.name, klass), "do" if plural else "does")

    def question(self, fact: Fact) -> str:
        templates = _BY_CLASS.get(self.klass, {}).get(fact.field) or _QUESTIONS[fact.field]
        one, several = templates
        template = several if len(fact.items) > 1 else one
        return template.format(name=self.name, does=self.does)


def question_for(structure: Structure, fact: Fact) -> str:
    """The forward question of one fact: "Where does psoas major insert?"."""
    return _Subject.of(structure).question(fact)


def aliases_note(aliases: Sequence[str]) -> str | None:
    """What a card shows under its answer so a student meets every name of a structure."""
    return f"Also called: {', '.join(aliases)}" if aliases else None


def answer_text(fact: Fact) -> str:
    return "\n".join(fact.items)


def _unique(*groups: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(tag for group in groups for tag in group))


def _fact_notes(
    deck: DeckFile, structure: Structure, media_names: Mapping[Path, str]
) -> list[NoteSpec]:
    meta = {
        "kind": structure.kind,
        "region": structure.region,
        "aliases": list(structure.aliases),
    }
    # Stored so that a later import of another deck knows this one asks for reverse cards.
    asked = deck.reverse_fields(structure)
    image = media_names.get(structure.image) if structure.image else None
    subject = _Subject.of(structure)
    extra = aliases_note(structure.aliases)
    tags = _unique(deck.tags, structure.tags)
    return [
        NoteSpec(
            key=f"{deck.id}/{structure.id}/{fact.field}",
            kind="fact",
            front=subject.question(fact),
            back=answer_text(fact),
            extra=extra,
            structure_key=structure.id,
            structure_name=structure.name,
            field=fact.field,
            meta={
                **meta,
                "items": list(fact.items),
                "is_list": fact.is_list,
                **({"reverse": True} if fact.field in asked else {}),
            },
            image=image,
            image_path=structure.image,
            tags=tags,
        )
        for fact in structure.facts
    ]


def _hand_note(deck: DeckFile, card: HandCard, media_names: Mapping[Path, str]) -> NoteSpec:
    image = media_names.get(card.image) if card.image else None
    tags = _unique(deck.tags, card.tags)
    key = f"{deck.id}/{card.id}"
    if card.cloze is not None:
        return NoteSpec(
            key=key,
            kind="cloze",
            front=card.cloze,
            back="",
            extra=card.extra,
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
