"""Progress figures, pure: computed from plain records of the review log.

Nothing here reads the database or draws anything. The callers hand in the answers that
still stand (undone ones already taken out, quiz answers left out: a quiz never moves the
schedule, so it is practice, not the study these figures describe) and get back plain
frozen values.

Two kinds of record come in:

- answers per study day: every answer logged, same-day re-drills included (reviews_total,
  the heatmap, the streak);
- the day's first grade of each card (the one that moved the schedule): true retention,
  the weakness map and, across a class, how hard each card is.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

__all__ = [
    "FORECAST_DAYS",
    "HEATMAP_DAYS",
    "MATURE_INTERVAL",
    "MIN_WEAK_SPOT_ANSWERS",
    "PASSING_GRADE",
    "RETENTION_DAYS",
    "CardCounts",
    "DueDay",
    "HeatmapDay",
    "Recall",
    "Retention",
    "Streak",
    "WeakSpot",
    "card_counts",
    "forecast",
    "heatmap",
    "retention",
    "streak",
    "weakness_map",
    "window",
]

PASSING_GRADE = 3  # SM-2: a grade of 3 or more is a correct recall
MATURE_INTERVAL = 21  # days: a card asked at this interval or more is mature (as Anki)
RETENTION_DAYS = 30
FORECAST_DAYS = 30
HEATMAP_DAYS = 365
LEARNED_REPETITIONS = 2  # SM-2 leaves its fixed one-day step after two recalls in a row

_ONE_DAY = dt.timedelta(days=1)


class AnswersOnDay(Protocol):
    """How many answers were logged on one study day."""

    @property
    def study_day(self) -> dt.date: ...
    @property
    def answers(self) -> int: ...


class FirstGrade(Protocol):
    """The day's first grade of one card: the answer that moved its schedule."""

    @property
    def study_day(self) -> dt.date: ...
    @property
    def quality(self) -> int: ...
    @property
    def interval_before(self) -> int: ...


class GradedFact(FirstGrade, Protocol):
    """A first grade with what the card asks about (``None`` for hand-written cards)."""

    @property
    def region(self) -> str | None: ...
    @property
    def field(self) -> str | None: ...


class CardStatus(Protocol):
    """One active card's state for one user (defaults when the user never saw it)."""

    @property
    def due_day(self) -> dt.date | None: ...
    @property
    def repetitions(self) -> int: ...
    @property
    def interval(self) -> int: ...
    @property
    def suspended(self) -> bool: ...
    @property
    def leech(self) -> bool: ...
    @property
    def buried_until(self) -> dt.date | None: ...


def window(today: dt.date, days: int) -> tuple[dt.date, dt.date]:
    """The first and last study day of the ``days`` days ending with ``today``."""
    return today - dt.timedelta(days=days - 1), today


# --- streak -------------------------------------------------------------------------


@dataclass(frozen=True)
class Streak:
    """Study days in a row: the run still alive today, and the longest run ever."""

    current: int
    longest: int


def streak(days: Iterable[dt.date], today: dt.date) -> Streak:
    """The current and longest runs of consecutive study days.

    A day counts when any study answer was logged on it. Today not yet studied does not
    break the current run: a student who studied up to yesterday still has that streak
    until the day is over. Days after ``today`` (a clock moved back) are ignored.
    """
    studied = sorted({d for d in days if d <= today})
    longest = run = 0
    previous: dt.date | None = None
    for day in studied:
        run = run + 1 if previous is not None and day - previous == _ONE_DAY else 1
        longest = max(longest, run)
        previous = day
    alive = previous is not None and today - previous <= _ONE_DAY
    return Streak(current=run if alive else 0, longest=longest)


# --- heatmap ------------------------------------------------------------------------


@dataclass(frozen=True)
class HeatmapDay:
    day: dt.date
    reviews: int


def heatmap(
    per_day: Iterable[AnswersOnDay], today: dt.date, days: int = HEATMAP_DAYS
) -> list[HeatmapDay]:
    """Answers per study day over the ``days`` days ending today; days without any are
    left out (a calendar fills them in)."""
    first, last = window(today, days)
    totals: dict[dt.date, int] = defaultdict(int)
    for entry in per_day:
        if first <= entry.study_day <= last and entry.answers:
            totals[entry.study_day] += entry.answers
    return [HeatmapDay(day, totals[day]) for day in sorted(totals)]


# --- retention ----------------------------------------------------------------------


@dataclass(frozen=True)
class Recall:
    """How many of the day's first grades were passed (3 or more) out of those given."""

    passed: int = 0
    reviewed: int = 0

    @property
    def rate(self) -> float | None:
        return self.passed / self.reviewed if self.reviewed else None

    def __add__(self, other: Recall) -> Recall:
        return Recall(self.passed + other.passed, self.reviewed + other.reviewed)

    def plus(self, quality: int) -> Recall:
        return Recall(self.passed + (quality >= PASSING_GRADE), self.reviewed + 1)


@dataclass(frozen=True)
class Retention:
    """True retention, split by the interval the card was asked at."""

    young: Recall
    mature: Recall

    @property
    def all(self) -> Recall:
        return self.young + self.mature


def _is_recall_test(grade: FirstGrade) -> bool:
    # A card met for the first time (interval 0: never reviewed) tests nothing yet: the
    # student had no answer to remember. True retention counts reviews only, as Anki's.
    return grade.interval_before > 0


def retention(
    grades: Iterable[FirstGrade], today: dt.date, days: int = RETENTION_DAYS
) -> Retention:
    """True retention over the ``days`` study days ending today: the day's first grade of
    each card already studied, passed at 3 or more; young below a 21-day interval."""
    first, last = window(today, days)
    young = mature = Recall()
    for grade in grades:
        if not (first <= grade.study_day <= last and _is_recall_test(grade)):
            continue
        if grade.interval_before >= MATURE_INTERVAL:
            mature = mature.plus(grade.quality)
        else:
            young = young.plus(grade.quality)
    return Retention(young=young, mature=mature)


@dataclass(frozen=True)
class WeakSpot:
    """Retention for one region x field ("forearm · innervation")."""

    region: str | None
    field: str | None
    recall: Recall


# A weak spot is judged on at least this many recall tests: 0 of 2 says little.
MIN_WEAK_SPOT_ANSWERS = 4


def weakness_map(
    grades: Iterable[GradedFact],
    today: dt.date,
    days: int = RETENTION_DAYS,
    min_answers: int = MIN_WEAK_SPOT_ANSWERS,
) -> list[WeakSpot]:
    """Retention by region x field over the same window as ``retention``, worst first,
    of the spots with at least ``min_answers`` recall tests behind them.

    Ties go to the spot with more reviews behind it (firmer evidence), then by name.
    """
    first, last = window(today, days)
    spots: dict[tuple[str | None, str | None], Recall] = defaultdict(Recall)
    for grade in grades:
        if first <= grade.study_day <= last and _is_recall_test(grade):
            key = (grade.region, grade.field)
            spots[key] = spots[key].plus(grade.quality)
    found = [
        WeakSpot(region, field, recall)
        for (region, field), recall in spots.items()
        if recall.reviewed >= min_answers
    ]
    return sorted(
        found,
        key=lambda s: (
            s.recall.rate,
            -s.recall.reviewed,
            s.region is None,
            s.region or "",
            s.field is None,
            s.field or "",
        ),
    )


# --- cards --------------------------------------------------------------------------


@dataclass(frozen=True)
class CardCounts:
    """Where the cards stand. new + learning + young + mature + suspended = every active
    card; leeches overlap the others (a leech may be suspended or still studied)."""

    new: int = 0
    learning: int = 0
    young: int = 0
    mature: int = 0
    suspended: int = 0
    leeches: int = 0

    @property
    def total(self) -> int:
        return self.new + self.learning + self.young + self.mature + self.suspended


def card_counts(cards: Iterable[CardStatus]) -> CardCounts:
    """Count cards by stage.

    SM-2 has no learning steps of its own; its fixed one-day interval plays that part:
    a card is *learning* until it has been recalled twice in a row (just introduced, or
    forgotten and starting again), *young* after that below a 21-day interval, *mature*
    from 21 days on.
    """
    counts = dict.fromkeys(("new", "learning", "young", "mature", "suspended", "leeches"), 0)
    for card in cards:
        counts["leeches"] += card.leech
        if card.suspended:
            stage = "suspended"
        elif card.due_day is None:
            stage = "new"
        elif card.repetitions < LEARNED_REPETITIONS:
            stage = "learning"
        elif card.interval < MATURE_INTERVAL:
            stage = "young"
        else:
            stage = "mature"
        counts[stage] += 1
    return CardCounts(**counts)


@dataclass(frozen=True)
class DueDay:
    day: dt.date
    due: int


def forecast(
    cards: Iterable[CardStatus], today: dt.date, days: int = FORECAST_DAYS
) -> list[DueDay]:
    """Reviews falling due on each of the ``days`` days from today (not running totals).

    Overdue cards count on today, since that is when they will be asked; a buried card
    counts on the day it comes back; new and suspended cards are not reviews.
    """
    last = today + dt.timedelta(days=days - 1)
    due: dict[dt.date, int] = defaultdict(int)
    for card in cards:
        if card.suspended or card.due_day is None:
            continue
        day = max(card.due_day, card.buried_until or card.due_day, today)
        if day <= last:
            due[day] += 1
    return [DueDay(today + dt.timedelta(days=i), due[today + dt.timedelta(days=i)])
            for i in range(days)]  # fmt: skip
