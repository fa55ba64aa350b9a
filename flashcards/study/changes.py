"""What an import changed in decks that were already there, fact by fact.

A deck file reshaped (a list now asked item by item, clinical prose turned into
question/answer cards, a list asked "any one" instead of whole) retires some cards and
adds others, or asks an old card in new words. The history of a card stays with its key:
an import says which keys went, which came and which were reworded, grouped by the fact
they belong to, so an instructor sees what students will meet anew.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from flashcards_db.queries.sync import NoteChange

__all__ = ["FactChanges", "fact_changes"]


@dataclass
class FactChanges:
    """The changed cards of one fact (``structure/field``) or hand-written card of a deck."""

    deck: str  # the deck's full name
    fact: str  # "psoas-major/clinical", "reverse/insertion", or a hand-written card's id
    added: list[NoteChange] = field(default_factory=list)
    retired: list[NoteChange] = field(default_factory=list)
    deleted: list[NoteChange] = field(default_factory=list)
    restored: list[NoteChange] = field(default_factory=list)
    reworded: list[NoteChange] = field(default_factory=list)

    def summary(self) -> str:
        """``psoas-major/clinical: 1 retired (history kept), 4 added``."""
        parts = []
        if self.retired:
            parts.append(f"{len(self.retired)} retired (history kept)")
        if self.deleted:
            parts.append(f"{len(self.deleted)} deleted with their history")
        if self.restored:
            parts.append(f"{len(self.restored)} back from retirement (history kept)")
        if self.reworded:
            parts.append(f"{len(self.reworded)} asked in new words (history kept)")
        if self.added:
            parts.append(f"{len(self.added)} added")
        return f"{self.fact}: " + ", ".join(parts)

    def as_json(self) -> dict[str, object]:
        return {
            "deck": self.deck,
            "fact": self.fact,
            **{
                kind: [{"key": c.key, "question": c.question} for c in getattr(self, kind)]
                for kind in ("added", "retired", "deleted", "restored")
            },
            "reworded": [
                {"key": c.key, "question": c.question, "before": c.before} for c in self.reworded
            ],
        }


def _fact_of(key: str) -> str:
    """The fact a note key belongs to: ``deck/structure/field[/…]`` -> ``structure/field``;
    ``deck/card-id`` -> ``card-id``."""
    parts = key.split("/")
    return "/".join(parts[1:3]) if len(parts) >= 3 else "/".join(parts[1:])


def fact_changes(deck: str, changes: Sequence[NoteChange], *, new_deck: bool) -> list[FactChanges]:
    """The changes of one deck, fact by fact in the order first met; none for a deck new to
    the database (every card of it is added: there is nothing to compare)."""
    if new_deck:
        return []
    by_fact: dict[str, FactChanges] = {}
    for change in changes:
        fact = _fact_of(change.key)
        group = by_fact.setdefault(fact, FactChanges(deck, fact))
        getattr(group, change.change).append(change)
    return list(by_fact.values())
