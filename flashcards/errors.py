"""Named errors of the library; the CLI turns each into ``Error: …`` and exit 1."""

from __future__ import annotations

__all__ = [
    "DeckFileError",
    "DeckNotFoundError",
    "FlashcardsError",
    "NothingToUndoError",
]


class FlashcardsError(Exception):
    """A problem the user can fix: bad input, a missing deck, a broken file."""


class DeckFileError(FlashcardsError):
    """One or more deck files have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[object]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in deck files")


class DeckNotFoundError(FlashcardsError):
    """A DECK argument names no deck in the database."""


class NothingToUndoError(FlashcardsError):
    """There is no grade left to take back."""
