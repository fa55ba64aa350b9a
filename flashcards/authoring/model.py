"""What a deck file holds, as plain frozen dataclasses: decks, structures, facts, cards.

`deckfile` reads files into these, `rules` checks them against the rules of formulating
knowledge, `facts` turns them into notes. Nothing here reads a file.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flashcards.authoring.occlusions import Occlusion

__all__ = [
    "ASK_MODES",
    "FACT_FIELDS",
    "MAX_ITEMS",
    "MAX_WORDS",
    "REVERSIBLE_FIELDS",
    "ClinicalCard",
    "DeckFile",
    "Fact",
    "HandCard",
    "Problem",
    "Structure",
    "default_ask",
]

# Canonical fact fields, in the order cards are generated.
FACT_FIELDS: tuple[str, ...] = (
    "origin",
    "insertion",
    "innervation",
    "action",
    "blood_supply",
    "antagonist",
    "synergist",
    "clinical",
)
# Fields whose value can be asked the other way round ("Which muscle inserts on the pes
# anserinus?"). Antagonists, synergists and clinical notes make no such question.
REVERSIBLE_FIELDS: tuple[str, ...] = (
    "origin",
    "insertion",
    "innervation",
    "action",
    "blood_supply",
)
# How a list is asked: the whole list on one card, any one item, or one card per item.
ASK_MODES: tuple[str, ...] = ("all", "any", "each")
# Where a list has many right answers and no one of them is "the" answer.
_ASK_ANY_BY_DEFAULT = frozenset({"synergist", "antagonist"})
# The limits of one card: more items than this on one card is a set to learn, not a fact,
# and an answer longer than this is a paragraph.
MAX_ITEMS = 4
MAX_WORDS = 20


def default_ask(field_name: str) -> str:
    """How a list field is asked when the file does not say: `any` for synergists and
    antagonists, `all` for the rest."""
    return "any" if field_name in _ASK_ANY_BY_DEFAULT else "all"


@dataclass(frozen=True)
class Problem:
    path: str
    line: int  # 1-based
    message: str
    severity: str = "error"  # "error" or "warning"
    # What found it, when a caller may want to redo that check with more knowledge
    # ("reverse": reverse-card ambiguity, which an import re-checks against the database)
    # or tell the rules of formulating knowledge apart ("long-list", "citation", …).
    code: str | None = dataclasses.field(default=None, compare=False)

    def __str__(self) -> str:
        prefix = "warning: " if self.severity == "warning" else ""
        return f"{self.path}:{self.line}: {prefix}{self.message}"


@dataclass(frozen=True)
class Fact:
    field: str  # one of FACT_FIELDS
    items: tuple[str, ...]  # one item for a plain string, several for a list
    is_list: bool  # written as a YAML list in the file
    line: int
    accept: tuple[str, ...] = ()  # other answers a teacher accepts
    note: str | None = None  # shown after the answer, never graded
    ask: str | None = None  # as written: all | any | each; None: the field's default
    item_lines: tuple[int, ...] = dataclasses.field(default=(), compare=False)  # one per item

    @property
    def mode(self) -> str:
        """How the fact is asked: one item is always asked whole; a list as written, or
        by the field's default."""
        if not self.is_list:
            return "all"
        return self.ask or default_ask(self.field)

    def item_line(self, index: int) -> int:
        return self.item_lines[index] if index < len(self.item_lines) else self.line


@dataclass(frozen=True)
class ClinicalCard:
    """One clinical fact with its own cue: ``- q: Which sign …? a: Psoas sign``."""

    id: str  # explicit `id:` or derived from the question
    question: str
    answer: str
    line: int
    accept: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class Structure:
    id: str  # explicit `id:` or slug of the name
    name: str
    kind: str | None
    aliases: tuple[str, ...]
    region: str | None
    image: Path | None  # resolved, absolute; exists (else a problem was reported)
    facts: tuple[Fact, ...]  # in FACT_FIELDS order (`clinical` only in its plain form)
    tags: tuple[str, ...]
    line: int
    reverse: tuple[str, ...] | None = None  # its own `reverse:`; None: the deck's applies
    clinical: tuple[ClinicalCard, ...] = ()  # `clinical:` written as q/a pairs
    part_of: str | None = None  # id of the whole this is a head or part of (`part_of:`)


@dataclass(frozen=True)
class HandCard:
    id: str  # explicit `id:` or derived from the question / cloze text
    id_from_text: bool  # True when no `id:` was given
    question: str | None  # q/a card
    answer: str | None
    cloze: str | None  # cloze card: text with {{c1::…}} markers
    extra: str | None
    tags: tuple[str, ...]
    image: Path | None
    line: int
    accept: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class DeckFile:
    path: Path
    id: str  # explicit `id:` or slug of the file name
    name: str  # full name, '::' separates sub-decks
    description: str | None
    tags: tuple[str, ...]
    source: str | None
    html: bool  # fields hold authored HTML (else plain text, escaped on export)
    structures: tuple[Structure, ...] = ()
    cards: tuple[HandCard, ...] = ()
    reverse: tuple[str, ...] = ()  # fields asked the other way round for every structure
    occlusions: tuple[Occlusion, ...] = ()  # labelled diagrams (flashcards.authoring.occlusions)

    def reverse_fields(self, structure: Structure) -> tuple[str, ...]:
        """The fields of ``structure`` that get reverse cards (its own list wins)."""
        return self.reverse if structure.reverse is None else structure.reverse
