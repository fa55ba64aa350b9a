"""Today's counts, defined once: what ``status``, ``decks``, a session's header and its end
summary, and ``import`` all say.

- **due now**: cards already reviewed whose due day is today or earlier, not suspended,
  not buried, not retired; a card waiting for its re-drill is not counted here. ``status``
  counts at most what the user's reviews-per-day cap leaves today, as a session over
  every deck asks; ``decks`` counts every due card of a deck.
- **re-drills**: cards graded below 4 today whose latest answer today is still below 4
  (SM-2 asks them again until they reach 4); suspended or retired ones are left out.
- **new today**: cards never reviewed that today's new-card limit still lets in.
- **left today**: due now + re-drills + new today, what a plain `flashcards review`
  would ask.
- **cards** and **notes**: the active (not retired) ones of a deck; a note (one fact, one
  hand-written card) makes one card or more (a cloze with c1..c3 makes three, a reverse
  card another).

``count_today`` puts the counts together from what a ``TodayReader`` reads: through a
database session (``today_counts``), or through the sqlite3 module alone for ``status``
at a shell prompt (``flashcards.study.status``), which runs the same queries compiled to
SQLite text. Loading this module loads no SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from flashcards.scheduling.queue import (
    DayAnswer,
    new_allowance,
    pending_redrills,
    reviews_allowance,
)

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from flashcards_db.queries.plain import TodayReview
    from flashcards_db.queries.study import StudyCard

__all__ = [
    "TodayCounts",
    "TodayReader",
    "count_today",
    "day_answers",
    "day_answers_of",
    "redrill_cards",
    "today_counts",
]


@dataclass(frozen=True)
class TodayCounts:
    due: int
    new: int
    redrills: int

    @property
    def left(self) -> int:
        return self.due + self.new + self.redrills


class TodayReader(Protocol):
    """What the counts are made of, read for one user, one day and a set of decks."""

    def answers(self) -> list[DayAnswer]:
        """Today's answers that still stand, oldest first."""
        ...

    def studyable(self, card_ids: Sequence[int]) -> list[int]:
        """Those of the cards (some, in the order given) that are active and not suspended."""
        ...

    def due(self, excluding: Sequence[int]) -> int:
        """Cards due now, leaving out ``excluding``."""
        ...

    def new(self, limit: int) -> int:
        """Cards never reviewed, counted up to ``limit`` (above 0)."""
        ...


def count_today(
    reader: TodayReader,
    *,
    new_per_day: int,
    new_cap: int | None = None,
    reviews_per_day: int | None = None,
) -> TodayCounts:
    """``reviews_per_day``: the day's cap on due reviews (None: none), as a session over
    every deck applies it; the due count is what is left of it today."""
    answers = reader.answers()
    waiting = pending_redrills(answers)
    redrills = reader.studyable(waiting) if waiting else []
    due = reader.due(redrills)
    reviews_left = reviews_allowance(reviews_per_day, answers)
    if reviews_left is not None:
        due = min(due, reviews_left)
    allowance = new_allowance(new_per_day, sum(a.new for a in answers), new_cap)
    new = reader.new(allowance) if allowance > 0 else 0
    return TodayCounts(due=due, new=new, redrills=len(redrills))


def day_answers_of(reviews: Iterable[TodayReview]) -> list[DayAnswer]:
    return [
        DayAnswer(r.card_id, r.quality, first_of_day=r.kind == "review", new=r.new) for r in reviews
    ]


def day_answers(session: Session, user_id: int, day: dt.date) -> list[DayAnswer]:
    from flashcards_db.queries.study import todays_reviews

    return day_answers_of(todays_reviews(session, user_id, day))


def redrill_cards(
    session: Session,
    user_id: int,
    answers: Sequence[DayAnswer],
    deck_ids: Sequence[int] | None,
) -> list[StudyCard]:
    """Today's pending re-drills in these decks, as study cards, oldest answer first."""
    from flashcards_db.queries.study import study_cards_by_id

    ids = pending_redrills(answers)
    return study_cards_by_id(session, user_id, ids, deck_ids, studyable=True)


@dataclass(frozen=True)
class _SessionReader:
    session: Session
    user_id: int
    day: dt.date
    deck_ids: Sequence[int] | None
    count_cap: int | None

    def answers(self) -> list[DayAnswer]:
        return day_answers(self.session, self.user_id, self.day)

    def studyable(self, card_ids: Sequence[int]) -> list[int]:
        from flashcards_db.queries.study import study_cards_by_id

        cards = study_cards_by_id(
            self.session, self.user_id, card_ids, self.deck_ids, studyable=True
        )
        return [c.card_id for c in cards]

    def due(self, excluding: Sequence[int]) -> int:
        from flashcards_db.queries.study import due_card_count

        return due_card_count(
            self.session, self.user_id, self.day, self.deck_ids, excluding=excluding,
            cap=self.count_cap,
        )  # fmt: skip

    def new(self, limit: int) -> int:
        from flashcards_db.queries.study import new_card_count

        return new_card_count(self.session, self.user_id, self.deck_ids, limit)


def today_counts(
    session: Session,
    user_id: int,
    day: dt.date,
    deck_ids: Sequence[int] | None,
    *,
    new_per_day: int,
    new_cap: int | None = None,
    count_cap: int | None = None,
    reviews_per_day: int | None = None,
) -> TodayCounts:
    """The counts above for these decks (every deck when None). ``count_cap`` bounds the
    due count (a session's header counts at most that many before it starts)."""
    reader = _SessionReader(session, user_id, day, deck_ids, count_cap)
    return count_today(
        reader, new_per_day=new_per_day, new_cap=new_cap, reviews_per_day=reviews_per_day
    )
