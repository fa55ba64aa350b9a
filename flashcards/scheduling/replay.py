"""A card's SM-2 state rebuilt from its review log, pure: what ``flashcards doctor``
compares the stored state with (the log is the record of truth).

The log holds every answer that still stands (undone ones left out), in order. The
session rules of SM-2 decide which answers moved the card: the day's first grade (logged
as ``review``) runs ``sm2.review``; the same-day repeats (``redrill``) do not. A row that
sets a state outright (an imported schedule, kind ``import``) sets it to its "after".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from flashcards import sm2

__all__ = ["LoggedMove", "Replayed", "replay"]

# Rows that are answers but never move a card, or are no answer at all.
NOT_MOVING = frozenset({"redrill", "quiz", "undo"})


@dataclass(frozen=True)
class LoggedMove:
    """One standing row of a card's log, as the replay reads it."""

    kind: str
    study_day: dt.date
    quality: int | None
    # The state the row says it left (read only for rows that set a state outright).
    after: tuple[int, int, float, dt.date | None, int]


@dataclass(frozen=True)
class Replayed:
    repetitions: int = 0
    interval: int = 0
    easiness: float = 2.5
    due_day: dt.date | None = None
    lapses: int = 0
    reviews: int = 0  # the day's first grades that stand
    last_review_day: dt.date | None = None
    imported: bool = False  # a schedule came from elsewhere: its count of reviews too

    @property
    def values(self) -> tuple[int, int, float, dt.date | None, int]:
        return (self.repetitions, self.interval, self.easiness, self.due_day, self.lapses)


def replay(moves: Iterable[LoggedMove]) -> Replayed:
    """The state a card's standing log rows leave it in, from a new card."""
    state = Replayed()
    for move in moves:
        if move.kind in NOT_MOVING:
            continue
        if move.kind != "review":
            repetitions, interval, easiness, due, lapses = move.after
            state = Replayed(
                repetitions, interval, easiness, due, lapses,
                state.reviews, state.last_review_day, imported=True,
            )  # fmt: skip
            continue
        if move.quality is None:
            raise ValueError("a review without a grade")
        before = sm2.Sm2State(state.repetitions, state.interval, state.easiness)
        after = sm2.review(before, move.quality)
        # A lapse is forgetting a card that had been learned, not failing a new one.
        lapsed = move.quality < 3 and state.repetitions > 0
        state = Replayed(
            repetitions=after.repetitions,
            interval=after.interval,
            easiness=after.easiness,
            due_day=move.study_day + dt.timedelta(days=after.interval),
            lapses=state.lapses + int(lapsed),
            reviews=state.reviews + 1,
            last_review_day=move.study_day,
            imported=state.imported,
        )
    return state
