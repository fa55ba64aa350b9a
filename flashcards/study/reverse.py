"""Reverse cards as an import sees them: the files imported together plus every other
deck already in the database (see `flashcards.authoring.reverse` for the rules)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy.orm import Session

from flashcards.authoring.deckfile import DeckFile
from flashcards.authoring.reverse import KnownFact, ReversePlan, plan_reverse_cards
from flashcards_db.queries.notes import stored_facts, stored_reverse_answers

__all__ = ["known_facts", "reverse_plan"]


def _texts(value: object) -> tuple[str, ...]:
    if isinstance(value, list):
        return tuple(str(v) for v in value)
    return (str(value),) if isinstance(value, str) else ()


def known_facts(session: Session, *, excluding: Sequence[str]) -> list[KnownFact]:
    """The facts of the decks in the database whose id is not in ``excluding``.

    A list asked item by item (``ask: each``) is stored as one note per item: its notes
    are one fact again here, as its deck file has it.
    """
    merged: dict[tuple[str, str, str], KnownFact] = {}
    for fact in stored_facts(session, excluding=excluding):
        items = _texts(fact.meta.get("items"))
        place = (fact.deck_key, fact.structure_key, fact.field)
        known = merged.get(place)
        if known is not None:
            merged[place] = replace(known, items=(*known.items, *items))
            continue
        kind = fact.meta.get("kind")
        merged[place] = KnownFact(
            deck_id=fact.deck_key,
            structure_id=fact.structure_key,
            structure_name=fact.structure_name,
            kind=kind if isinstance(kind, str) else None,
            field=fact.field,
            items=items,
            asks_reverse=fact.meta.get("reverse") is True,
            aliases=_texts(fact.meta.get("aliases")),
        )
    return list(merged.values())


def reverse_plan(session: Session, decks: Sequence[DeckFile]) -> ReversePlan:
    """Reverse notes of ``decks``, checked against the whole database."""
    if not decks:
        return ReversePlan()
    ids = [deck.id for deck in decks]
    return plan_reverse_cards(
        decks,
        known_facts(session, excluding=ids),
        stored_reverse_answers(session, excluding=ids),
    )
