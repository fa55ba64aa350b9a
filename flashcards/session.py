"""Today's study queue, pure: which cards, in which order, and the same-day re-drill.

SM-2 asks that every card graded below 4 be asked again in the same session until it
scores 4 or more; those repeats are answered here but never move the schedule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

__all__ = [
    "PASSING_REDRILL",
    "DayAnswer",
    "Entry",
    "StudyQueue",
    "new_allowance",
    "pending_redrills",
    "pick_new",
    "study_day",
]

PASSING_REDRILL = 4  # SM-2 step 7: repeat until the card scores 4 or more
DEFAULT_DAY_START_HOUR = 4


class Schedulable(Protocol):
    @property
    def card_id(self) -> int: ...
    @property
    def sibling_group(self) -> str: ...


C = TypeVar("C", bound=Schedulable)


def study_day(
    now: dt.datetime, day_start_hour: int = DEFAULT_DAY_START_HOUR, tz: dt.tzinfo | None = None
) -> dt.date:
    """The study day a moment belongs to: a day starts at ``day_start_hour`` local time."""
    if not 0 <= day_start_hour <= 23:
        raise ValueError(f"day start hour must be 0..23, not {day_start_hour}")
    local = now.astimezone(tz)
    return (local - dt.timedelta(hours=day_start_hour)).date()


@dataclass(frozen=True)
class DayAnswer:
    """One answer given today that still stands (not undone)."""

    card_id: int
    quality: int | None
    first_of_day: bool  # the day's first grade for the card, the one that moved it
    new: bool  # the card had never been reviewed before


def pending_redrills(answers: Iterable[DayAnswer]) -> list[int]:
    """Cards whose latest answer today is below 4: the re-drill is not over for them."""
    last: dict[int, int | None] = {}
    for answer in answers:
        last.pop(answer.card_id, None)  # keep the order of the latest answers
        last[answer.card_id] = answer.quality
    return [card for card, q in last.items() if q is not None and q < PASSING_REDRILL]


def new_allowance(daily_limit: int, introduced_today: int, session_cap: int | None) -> int:
    """New cards for this session: what today's limit leaves, capped by ``--new``."""
    left = max(0, daily_limit - introduced_today)
    return left if session_cap is None else max(0, min(left, session_cap))


def pick_new(candidates: Sequence[C], limit: int, busy_groups: Iterable[str]) -> list[C]:
    """New cards in authoring order, one per structure where the limit allows.

    Siblings (cards of one structure) are kept off the same day where that is avoidable:
    a first pass takes one card per group not already studied or due today; only if the
    limit is not reached does a second pass admit the siblings, placed after the others.
    """
    if limit <= 0:
        return []
    busy = set(busy_groups)
    first: list[C] = []
    rest: list[C] = []
    for card in candidates:
        if card.sibling_group in busy or len(first) >= limit:
            rest.append(card)
        else:
            busy.add(card.sibling_group)
            first.append(card)
    return first + rest[: max(0, limit - len(first))]


@dataclass(frozen=True)
class Entry(Generic[C]):
    card: C
    new: bool
    redrill: bool


@dataclass(frozen=True)
class _Answer(Generic[C]):
    entry: Entry[C]
    requeued: Entry[C] | None


class StudyQueue(Generic[C]):
    """Re-drills left over from earlier today, then due reviews, then new cards."""

    def __init__(
        self,
        *,
        redrills: Sequence[C] = (),
        reviews: Sequence[C] = (),
        new: Sequence[C] = (),
        limit: int | None = None,
        gap: int = 3,
    ) -> None:
        entries = [Entry(c, new=False, redrill=True) for c in redrills]
        entries += [Entry(c, new=False, redrill=False) for c in reviews]
        entries += [Entry(c, new=True, redrill=False) for c in new]
        seen: set[int] = set()
        self._entries: list[Entry[C]] = []
        for entry in entries:
            if entry.card.card_id not in seen:
                seen.add(entry.card.card_id)
                self._entries.append(entry)
        if limit is not None:
            # Re-drills are part of work already begun: the limit applies to the rest.
            keep = sum(e.redrill for e in self._entries) + max(0, limit)
            self._entries = self._entries[:keep]
        self._gap = gap
        self._history: list[_Answer[C]] = []

    def __len__(self) -> int:
        return len(self._entries)

    @property
    def current(self) -> Entry[C] | None:
        return self._entries[0] if self._entries else None

    def left(self) -> tuple[int, int, int]:
        """(new, review, re-drill) entries still queued."""
        new = sum(e.new and not e.redrill for e in self._entries)
        redrill = sum(e.redrill for e in self._entries)
        return new, len(self._entries) - new - redrill, redrill

    def answer(self, quality: int) -> Entry[C]:
        """Record the grade of the current card; below 4 it comes back after a few others."""
        entry = self._entries.pop(0)
        requeued = None
        if quality < PASSING_REDRILL:
            requeued = Entry(entry.card, new=False, redrill=True)
            self._entries.insert(min(self._gap, len(self._entries)), requeued)
        self._history.append(_Answer(entry, requeued))
        return entry

    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> Entry[C]:
        """Put the last answered card back in front, as it was before its answer."""
        last = self._history.pop()
        if last.requeued is not None:
            self._entries = [e for e in self._entries if e is not last.requeued]
        self._entries.insert(0, last.entry)
        return last.entry

    def drop_current(self) -> Entry[C]:
        """Remove the current card (suspended) with every queued repeat of it."""
        entry = self._entries.pop(0)
        self._entries = [e for e in self._entries if e.card.card_id != entry.card.card_id]
        return entry
