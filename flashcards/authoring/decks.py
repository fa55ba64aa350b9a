"""A set of deck files loaded together: each file read, then the checks that span decks.

Reverse cards are planned across every deck loaded, and two files may contradict each
other on one fact, so those warnings belong here, not to the reader of one file
(`deckfile`), which `reverse` itself builds on.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from flashcards.authoring.deckfile import DeckFile, Problem, deck_files, load_paths
from flashcards.authoring.reverse import plan_reverse_cards
from flashcards.authoring.rules import contradictions

__all__ = ["load_deck_set"]


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
    across = contradictions(decks)
    if reverse_checks or failed:
        across += plan_reverse_cards(decks).problems
    if not across:
        return decks, problems
    order = {str(path): index for index, path in enumerate(deck_files(paths))}
    merged = sorted([*problems, *across], key=lambda p: (order.get(p.path, len(order)), p.line))
    return decks, merged
