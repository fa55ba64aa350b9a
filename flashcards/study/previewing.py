"""An instructor's preview: every card a deck file, or a deck in the database, makes.

A file is previewed as an import would build it, reverse cards checked against the
database too, so what the preview shows is what a class will get; nothing is written.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from flashcards.authoring.deckfile import Problem
from flashcards.authoring.facts import notes_for_deck, render_cloze
from flashcards.authoring.reverse import plan_reverse_cards
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
    note: str | None = None  # shown after the answer, never graded
    accept: tuple[str, ...] = ()  # other answers graded as right
    ask: str | None = None  # how a fact's list is asked: all | any | each
    html: bool = False  # the deck holds HTML (shown as its words), else plain text

    def as_json(self) -> dict[str, object]:
        return {
            "deck": self.deck,
            "key": self.key,
            "id": self.id,
            "kind": self.kind,
            "question": self.question,
            "answer": self.answer,
            "extra": self.extra,
            "note": self.note,
            "accept": list(self.accept),
            "ask": self.ask,
        }


def _from_meta(meta: Mapping[str, Any]) -> dict[str, Any]:
    """The preview's note, accepted answers and ask, from a note's meta."""
    note, accept, ask = meta.get("note"), meta.get("accept"), meta.get("ask")
    return {
        "note": note if isinstance(note, str) else None,
        "accept": tuple(str(a) for a in accept) if isinstance(accept, list) else (),
        "ask": ask if isinstance(ask, str) else None,
    }


def _cards(
    deck: str,
    key: str,
    kind: str,
    front: str,
    back: str,
    extra: str | None,
    ordinals: Sequence[int],
    meta: Mapping[str, Any],
    html: bool,
) -> list[CardPreview]:
    more = {**_from_meta(meta), "html": html}
    if kind != "cloze":
        return [CardPreview(deck, key, key, kind, front, back, extra, **more)]
    previews = []
    for ordinal in ordinals:
        question, answer = render_cloze(front, ordinal)
        card_id = f"{key}#c{ordinal}"
        previews.append(CardPreview(deck, key, card_id, kind, question, answer, extra, **more))
    return previews


def preview_files(app: App, paths: Sequence[Path]) -> tuple[list[CardPreview], list[Problem]]:
    """The cards of deck files not yet imported (any error raises with every problem)."""
    decks, warnings = load_decks(paths)
    # Reverse cards are checked against the decks of the database too, when there is one:
    # a preview never makes, upgrades or writes to it.
    with app.existing_session() as session:
        plan = reverse_plan(session, decks) if session is not None else plan_reverse_cards(decks)
    warnings = [*warnings, *plan.problems]
    previews: list[CardPreview] = []
    for deck in decks:
        for note in notes_for_deck(deck, None, plan.notes_for(deck.id)):
            previews += _cards(
                deck.name,
                note.key,
                note.kind,
                note.front,
                note.back,
                note.extra,
                note.ordinals,
                note.meta,
                deck.html,
            )
    return previews, warnings


def preview_deck(app: App, selector: str) -> list[CardPreview]:
    """The active cards of a deck in the database (by full name, with sub-decks, or id)."""
    with app.session() as session:
        decks = find_decks(session, selector, nor=" and no such file")
        stored = stored_cards(session, [deck.id for deck in decks])
    previews: list[CardPreview] = []
    for card in stored:
        ordinals = (card.ordinal,) if card.kind == "cloze" else (0,)
        previews += _cards(
            card.deck_name,
            card.key,
            card.kind,
            card.front,
            card.back,
            card.extra,
            ordinals,
            card.meta,
            card.html,
        )
    return previews
