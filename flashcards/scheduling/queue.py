"""Today's study queue, pure: which cards, in which order, and the same-day re-drill.

SM-2 asks that every card graded below 4 be asked again in the same session until it
scores 4 or more; those repeats are answered here but never move the schedule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

__all__ = [
    "PAGE",
    "PASSING_REDRILL",
    "DayAnswer",
    "Entry",
    "Pending",
    "StudyQueue",
    "day_start_of",
    "new_allowance",
    "pending_redrills",
    "pick_new",
    "reviews_allowance",
    "study_day",
    "user_zone",
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


def day_start_of(setting: str | None) -> int:
    """The hour of a user's ``day-start`` setting; the default when unset or not 0..23."""
    hour = int(setting) if setting is not None and setting.isdigit() else None
    return hour if hour is not None and 0 <= hour <= 23 else DEFAULT_DAY_START_HOUR


def user_zone(name: str | None) -> dt.tzinfo | None:
    """The user's IANA time zone; None (the machine's zone) when unset or unknown."""
    if not name:
        return None
    # Imported here: most commands run with no zone set, or with --today, and never ask.
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A bad name in the users table must not stop a session or a report; local time
        # is the best guess, as for a user who never set one.
        return None


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


def reviews_allowance(daily_cap: int | None, answers: Iterable[DayAnswer]) -> int | None:
    """Due reviews today's cap still lets in (None: no cap): the cap less today's first
    answers to cards already studied."""
    if daily_cap is None:
        return None
    return max(0, daily_cap - sum(a.first_of_day and not a.new for a in answers))


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


@dataclass(frozen=True)
class _Dropped(Generic[C]):
    entry: Entry[C]
    removed: tuple[tuple[int, Entry[C]], ...]  # the card's queued repeats, where they were


@dataclass(frozen=True)
class Pending(Generic[C]):
    """Cards the queue takes a page at a time, as it reaches them.

    ``count`` is how many there are; ``fetch(n)`` returns the next ``n`` in order (fewer
    only when none are left after them), each call continuing where the last one ended.
    A card the queue already holds is passed over and not counted.
    """

    count: int
    fetch: Callable[[int], Sequence[C]]
    # Given when the counting stopped at a cap: ``count`` is then a lower bound, and
    # ``recount()`` counts again what is left after the cards fetched so far, as
    # (count, exact). The queue calls it when its count runs low.
    recount: Callable[[], tuple[int, bool]] | None = None


PAGE = 50  # cards taken from a pending source at a time


class _Source(Generic[C]):
    def __init__(self, cards: Sequence[C] | Pending[C], *, new: bool) -> None:
        self.recount: Callable[[], tuple[int, bool]] | None = None
        if isinstance(cards, Pending):
            self.count, self._fetch = max(0, cards.count), cards.fetch
            self.recount = cards.recount
        else:
            self.count, self._fetch = len(cards), _pages(list(cards))
        self.new = new

    @property
    def more(self) -> bool:
        """Cards may be left (the count may be a lower bound)."""
        return bool(self.count) or self.recount is not None

    def take(self, n: int) -> tuple[list[C], bool]:
        """The next ``n`` cards at most, and whether the source has ended."""
        if self.recount is None:
            n = min(n, self.count)
        cards = list(self._fetch(n))[:n] if n > 0 else []
        return cards, len(cards) < n

    def taken(self, queued: int, ended: bool) -> None:
        """Count off the cards just queued (a card already queued counts for neither)."""
        if ended:
            self.count, self.recount = 0, None
            return
        self.count = max(0, self.count - queued)
        if self.recount is not None and self.count < PAGE:
            self.count, exact = self.recount()
            if exact:
                self.recount = None


def _unique(cards: Iterable[C], seen: set[int]) -> list[C]:
    unique = []
    for card in cards:
        if card.card_id not in seen:
            seen.add(card.card_id)
            unique.append(card)
    return unique


def _pages(cards: list[C]) -> Callable[[int], Sequence[C]]:
    taken = 0

    def fetch(n: int) -> Sequence[C]:
        nonlocal taken
        page = cards[taken : taken + n]
        taken += len(page)
        return page

    return fetch


class StudyQueue(Generic[C]):
    """Re-drills left over from earlier today (a fresh card between two of them), then
    due reviews, then new cards; a card graded below 4 comes back after ``gap`` fresh
    cards (see ``_slot``).

    Reviews and new cards may be given as ``Pending``: the queue then holds only the next
    few and takes more as the session goes, so the first card never waits for the day's
    whole list. A card is queued once, the first time it comes.
    """

    def __init__(
        self,
        *,
        redrills: Sequence[C] = (),
        reviews: Sequence[C] | Pending[C] = (),
        new: Sequence[C] | Pending[C] = (),
        limit: int | None = None,
        gap: int = 3,
    ) -> None:
        self._entries: list[Entry[C]] = []
        self._seen: set[int] = set()
        self._queue(redrills, new=False, redrill=True)
        # Listed cards are made unique at once, so that counts are exact from the start;
        # a pending source's count should leave out the cards queued before it.
        listed = set(self._seen)
        self._sources = [
            _Source(cards if isinstance(cards, Pending) else _unique(cards, listed), new=is_new)
            for cards, is_new in ((reviews, False), (new, True))
        ]
        # Re-drills are part of work already begun: the limit applies to the rest.
        self._room = None if limit is None else max(0, limit)
        self._gap = gap
        self._history: list[_Answer[C] | _Dropped[C]] = []
        self._fill()
        self._space_leftovers()

    def _queue(self, cards: Iterable[C], *, new: bool, redrill: bool) -> int:
        """Queue the cards not queued before; how many that was."""
        fresh = _unique(cards, self._seen)
        self._entries += [Entry(c, new=new, redrill=redrill) for c in fresh]
        return len(fresh)

    def _space_leftovers(self) -> None:
        """Re-drills left over from earlier today come first, but one fresh card between
        two of them while fresh cards wait: never a run of re-drills ahead of the day."""
        redrills = [e for e in self._entries if e.redrill]
        fresh = [e for e in self._entries if not e.redrill]
        if len(redrills) < 2 or not fresh:
            return
        spaced: list[Entry[C]] = []
        for entry in redrills:
            if spaced and fresh:
                spaced.append(fresh.pop(0))
            spaced.append(entry)
        self._entries = spaced + fresh

    def _short_of_fresh(self) -> bool:
        """Too few queued fresh cards (not re-drills) to place a re-drill ``gap`` of them
        ahead with a fresh card on each side of every re-drill."""
        redrills = sum(e.redrill for e in self._entries)
        return len(self._entries) - redrills <= self._gap + redrills

    def _fill(self) -> None:
        """Hold enough fresh cards to space the re-drills (``_slot``): re-drills alone
        never fill the queue while reviews wait."""
        for source in self._sources:
            while self._short_of_fresh() and source.more and self._room != 0:
                want = PAGE if self._room is None else min(PAGE, self._room)
                cards, ended = source.take(want)
                queued = self._queue(cards, new=source.new, redrill=False)
                source.taken(queued, ended)
                if self._room is not None:
                    self._room -= queued

    def _waiting(self) -> tuple[int, int]:
        """(new, review) cards not yet taken from their sources, within the limit."""
        reviews, new = (s.count for s in self._sources)
        if self._room is not None:
            reviews = min(reviews, self._room)
            new = min(new, self._room - reviews)
        return new, reviews

    def __len__(self) -> int:
        return len(self._entries) + sum(self._waiting())

    @property
    def current(self) -> Entry[C] | None:
        return self._entries[0] if self._entries else None

    @property
    def counted(self) -> bool:
        """Whether ``len`` and ``left`` are exact (not lower bounds of a capped count).

        A capped count is exact enough when the session's limit is within it."""
        room = self._room
        return all(
            s.recount is None or (room is not None and room <= s.count) for s in self._sources
        )

    def left(self) -> tuple[int, int, int]:
        """(new, review, re-drill) cards still to come: queued, or waiting in a source."""
        waiting_new, _ = self._waiting()
        new = sum(e.new and not e.redrill for e in self._entries) + waiting_new
        redrill = sum(e.redrill for e in self._entries)
        return new, len(self) - new - redrill, redrill

    def answer(self, quality: int) -> Entry[C]:
        """Record the grade of the current card; below 4 it comes back later (``_slot``)."""
        entry = self._entries.pop(0)
        requeued = None
        self._fill()
        if quality < PASSING_REDRILL:
            requeued = Entry(entry.card, new=False, redrill=True)
            self._entries.insert(self._slot(), requeued)
        self._history.append(_Answer(entry, requeued))
        return entry

    def _slot(self) -> int:
        """Where a failed card goes back: after ``gap`` fresh cards (reviews or new cards,
        not other re-drills) and between two fresh cards, so failed cards never take
        turns among themselves while reviews wait; when too few fresh cards are left,
        after every queued card."""
        if self._gap <= 0:
            return 0
        entries = self._entries
        fresh = 0
        for index, queued in enumerate(entries):
            if queued.redrill:
                continue
            fresh += 1
            after = index + 1
            if fresh >= self._gap and (after == len(entries) or not entries[after].redrill):
                return after
        return len(entries)

    def holds(self, card_id: int) -> bool:
        """The card is queued (still to come in this session)."""
        return any(e.card.card_id == card_id for e in self._entries)

    def can_undo(self) -> bool:
        return bool(self._history)

    def undo(self) -> Entry[C]:
        """Put the last answered (or suspended) card back in front, as it was before."""
        last = self._history.pop()
        if isinstance(last, _Dropped):
            for index, repeat in last.removed:
                self._entries.insert(index, repeat)
            self._entries.insert(0, last.entry)
            return last.entry
        if last.requeued is not None:
            self._entries = [e for e in self._entries if e is not last.requeued]
        self._entries.insert(0, last.entry)
        return last.entry

    def drop_current(self) -> Entry[C]:
        """Remove the current card (suspended) with every queued repeat of it; ``undo``
        puts them back."""
        entry = self._entries.pop(0)
        card_id = entry.card.card_id
        removed = tuple((i, e) for i, e in enumerate(self._entries) if e.card.card_id == card_id)
        self._history.append(_Dropped(entry, removed))
        self.set_aside(card_id)
        return entry

    def set_aside(self, card_id: int) -> None:
        """Drop every queued repeat of a card (it has been suspended)."""
        self._entries = [e for e in self._entries if e.card.card_id != card_id]
        self._fill()
