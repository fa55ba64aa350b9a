"""Deck files -> notes: structure records become question/answer cards.

A note's key is its identity for life (DESIGN §2): ``deck id / structure id / field``
for facts, ``deck id / card id`` for hand-written cards. Text never enters it, so fixing
a typo keeps every student's history.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flashcards.deckfile import DeckFile, Fact, HandCard, Structure, cloze_ordinals

__all__ = [
    "NoteSpec",
    "answer_text",
    "notes_for_deck",
    "question_for",
    "render_cloze",
]


@dataclasses.dataclass(frozen=True)
class NoteSpec:
    key: str
    kind: str  # fact | basic | cloze
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


# (one value, several values); {name} is the structure's name as used mid-sentence.
_QUESTIONS: dict[str, tuple[str, str]] = {
    "origin": ("Where does {name} originate?", "Where does {name} originate?"),
    "insertion": ("Where does {name} insert?", "Where does {name} insert?"),
    "innervation": ("What innervates {name}?", "What innervates {name}?"),
    "action": ("What is the action of {name}?", "What are the actions of {name}?"),
    "blood_supply": ("What is the blood supply of {name}?", "What is the blood supply of {name}?"),
    "antagonist": ("What is the antagonist of {name}?", "What are the antagonists of {name}?"),
    "synergist": ("What is a synergist of {name}?", "What are the synergists of {name}?"),
    "clinical": (
        "What is the clinical relevance of {name}?",
        "What are the clinical points of {name}?",
    ),
}


def _mid_sentence(name: str) -> str:
    """'Psoas major' -> 'psoas major'; eponyms and abbreviations keep their capitals."""
    first, _, rest = name.partition(" ")
    if first[:1].isupper() and first[1:].islower() and first.isalpha():
        first = first.lower()
    return f"{first} {rest}".strip()


def question_for(structure: Structure, fact: Fact) -> str:
    one, several = _QUESTIONS[fact.field]
    template = several if fact.is_list and len(fact.items) > 1 else one
    return template.format(name=_mid_sentence(structure.name))


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
    image = media_names.get(structure.image) if structure.image else None
    return [
        NoteSpec(
            key=f"{deck.id}/{structure.id}/{fact.field}",
            kind="fact",
            front=question_for(structure, fact),
            back=answer_text(fact),
            structure_key=structure.id,
            structure_name=structure.name,
            field=fact.field,
            meta={**meta, "items": list(fact.items), "is_list": fact.is_list},
            image=image,
            image_path=structure.image,
            tags=_unique(deck.tags, structure.tags),
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


def notes_for_deck(deck: DeckFile, media_names: Mapping[Path, str] | None = None) -> list[NoteSpec]:
    """Every note of a deck file, in authoring order: structures first, then cards."""
    names = media_names or {}
    notes: list[NoteSpec] = []
    for structure in deck.structures:
        notes.extend(_fact_notes(deck, structure, names))
    notes.extend(_hand_note(deck, card, names) for card in deck.cards)
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
