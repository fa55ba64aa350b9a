"""A set of deck files loaded together: each file read, then the checks that span decks.

Reverse cards are planned across every deck loaded, two files may contradict each
other on one fact, and a head or part may name its whole (`part_of:`) in another file,
so those checks belong here, not to the reader of one file
(`deckfile`), which `reverse` itself builds on.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from flashcards.authoring.deckfile import DeckFile, Problem, Structure, deck_files, load_paths
from flashcards.authoring.reverse import plan_reverse_cards
from flashcards.authoring.rules import contradictions

__all__ = ["load_deck_set", "part_of_problems"]


def part_of_problems(decks: Sequence[DeckFile]) -> list[Problem]:
    """`part_of:` naming no structure of the decks (a warning: the whole may be in a file
    not loaded), or going round in a circle (an error: nothing is part of itself)."""
    places: dict[str, list[tuple[DeckFile, Structure]]] = {}
    for deck in decks:
        for structure in deck.structures:
            places.setdefault(structure.id, []).append((deck, structure))
    whole_of = {
        structure.id: structure.part_of
        for deck in decks
        for structure in deck.structures
        if structure.part_of
    }
    problems: list[Problem] = []
    for deck in decks:
        for structure in deck.structures:
            whole = structure.part_of
            if whole is None:
                continue
            path = str(deck.path)
            if whole not in places:
                close = difflib.get_close_matches(whole, list(places), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                message = (
                    f"part_of '{whole}' is no structure id of the decks checked{hint}: "
                    "give the id of the whole muscle, and check its file with this one"
                )
                problems.append(Problem(path, structure.line, message, "warning"))
                continue
            seen = [structure.id]
            while whole is not None and whole not in seen:
                seen.append(whole)
                whole = whole_of.get(whole)
            if whole == structure.id:
                circle = " -> ".join([*seen, whole])
                message = f"part_of goes round in a circle: {circle}"
                problems.append(Problem(path, structure.line, message))
    return problems


def load_deck_set(
    paths: Sequence[Path], *, reverse_checks: bool = True
) -> tuple[list[DeckFile], list[Problem]]:
    """Load deck files and folders of them, with the reverse-card checks across them.

    Decks with errors are left out of the returned list; problems come file by file, in
    line order. ``reverse_checks=False`` leaves out the reverse-card warnings, for a caller
    that plans reverse cards against more decks (an import, with the database's), unless
    some problem is an error: the report of a failed load stays whole, as lint's.
    """
    decks, problems = load_paths(paths)
    failed = any(p.severity == "error" for p in problems)
    across = contradictions(decks) + part_of_problems(decks)
    if reverse_checks or failed:
        across += plan_reverse_cards(decks).problems
    if not across:
        return decks, problems
    order = {str(path): index for index, path in enumerate(deck_files(paths))}
    merged = sorted([*problems, *across], key=lambda p: (order.get(p.path, len(order)), p.line))
    return decks, merged
