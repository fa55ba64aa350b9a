"""The deck list as Anki shows it: every parent deck, its counts including its sub-decks."""

from __future__ import annotations

from dataclasses import dataclass

from flashcards.study.context import App
from flashcards_db.queries.decks import DeckCount, deck_counts

__all__ = ["DeckRow", "deck_tree"]


@dataclass
class DeckRow:
    name: str
    id: str | None  # the deck's stable id; None for a parent that only exists by name
    cards: int = 0
    new: int = 0
    due: int = 0
    suspended: int = 0

    @property
    def depth(self) -> int:
        return self.name.count("::")

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "id": self.id,
            "cards": self.cards,
            "new": self.new,
            "due": self.due,
            "suspended": self.suspended,
        }


def roll_up(counts: list[DeckCount]) -> list[DeckRow]:
    rows: dict[str, DeckRow] = {}
    for count in counts:
        parts = count.name.split("::")
        for depth in range(1, len(parts) + 1):
            name = "::".join(parts[:depth])
            row = rows.setdefault(name, DeckRow(name=name, id=None))
            row.cards += count.cards
            row.new += count.new
            row.due += count.due
            row.suspended += count.suspended
        rows[count.name].id = rows[count.name].id or count.key
    return [rows[name] for name in sorted(rows, key=lambda n: n.split("::"))]


def deck_tree(app: App) -> list[DeckRow]:
    with app.session() as session:
        counts = deck_counts(session, app.user_id(session), app.today)
    return roll_up(counts)
