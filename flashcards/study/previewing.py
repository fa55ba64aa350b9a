"""An instructor's preview: every card a deck file, or a deck in the database, makes.

A file is previewed as an import would build it, reverse cards checked against the
database too, so what the preview shows is what a class will get; nothing is written.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from flashcards.authoring.deckfile import Problem
from flashcards.authoring.facts import notes_for_deck, render_cloze
from flashcards.study.context import App
from flashcards.study.decks import find_decks
from flashcards.study.importing import load_decks
from flashcards.study.reverse import reverse_plan
from flashcards_db.queries.notes import stored_cards

__all__ = ["CardPreview", "preview_deck", "preview_files"]


@dataclass(frozen=True)
class CardPreview:
    deck: str
    key: str  # the note's stable key
    id: str  # the card's: the key, or key#cN for each number of a cloze note
    kind: str  # fact | reverse | basic | cloze
    question: str
    answer: str
    extra: str | None

    def as_json(self) -> dict[str, object]:
        return {
            "deck": self.deck,
            "key": self.key,
            "id": self.id,
            "kind": self.kind,
            "question": self.question,
            "answer": self.answer,
            "extra": self.extra,
        }


def _cards(
    deck: str,
    key: str,
    kind: str,
    front: str,
    back: str,
    extra: str | None,
    ordinals: Sequence[int],
) -> list[CardPreview]:
    if kind != "cloze":
        return [CardPreview(deck, key, key, kind, front, back, extra)]
    previews = []
    for ordinal in ordinals:
        question, answer = render_cloze(front, ordinal)
        previews.append(CardPreview(deck, key, f"{key}#c{ordinal}", kind, question, answer, extra))
    return previews


def preview_files(app: App, paths: Sequence[Path]) -> tuple[list[CardPreview], list[Problem]]:
    """The cards of deck files not yet imported (any error raises with every problem)."""
    decks, warnings = load_decks(paths)
    with app.session() as session:
        plan = reverse_plan(session, decks)
    warnings = [*warnings, *plan.problems]
    previews: list[CardPreview] = []
    for deck in decks:
        for note in notes_for_deck(deck, None, plan.notes_for(deck.id)):
            previews += _cards(
                deck.name, note.key, note.kind, note.front, note.back, note.extra, note.ordinals
            )
    return previews, warnings


def preview_deck(app: App, selector: str) -> list[CardPreview]:
    """The active cards of a deck in the database (by full name, with sub-decks, or id)."""
    with app.session() as session:
        decks = find_decks(session, selector, nor=" and no such file")
        stored = stored_cards(session, [deck.id for deck in decks])
    previews: list[CardPreview] = []
    for card in stored:
        if card.kind == "cloze":
            question, answer = render_cloze(card.front, card.ordinal)
            card_id = f"{card.key}#c{card.ordinal}"
            previews.append(
                CardPreview(
                    card.deck_name, card.key, card_id, card.kind, question, answer, card.extra
                )
            )
        else:
            previews += _cards(
                card.deck_name, card.key, card.kind, card.front, card.back, card.extra, (0,)
            )
    return previews
