"""A day's review session: build the queue, grade, undo, suspend; each grade committed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from flashcards import sm2
from flashcards.errors import DeckNotFoundError, FlashcardsError
from flashcards.session import (
    DayAnswer,
    Entry,
    StudyQueue,
    new_allowance,
    pending_redrills,
    pick_new,
)
from flashcards.study.context import App
from flashcards_db import queries
from flashcards_db.queries import StateValues, StudyCard

__all__ = [
    "DEFAULT_NEW_PER_DAY",
    "GradeOutcome",
    "ReviewSession",
    "deck_ids_for",
    "schedule_with",
    "undo_last",
]

DEFAULT_NEW_PER_DAY = 20


def schedule_with(quality: int, day: dt.date):  # type: ignore[no-untyped-def]
    """The SM-2 step as a function of the stored state, for ``record_review``."""

    def schedule(before: StateValues) -> StateValues:
        after = sm2.review(
            sm2.Sm2State(before.repetitions, before.interval, before.easiness), quality
        )
        # A lapse is forgetting a card that had been learned, not failing a new one.
        lapsed = quality < 3 and before.repetitions > 0
        return StateValues(
            repetitions=after.repetitions,
            interval=after.interval,
            easiness=after.easiness,
            due_day=day + dt.timedelta(days=after.interval),
            lapses=before.lapses + int(lapsed),
        )

    return schedule


def deck_ids_for(session: Session, selectors: Sequence[str]) -> list[int] | None:
    """Deck ids for DECK arguments (a full name with its sub-decks, or a deck id)."""
    if not selectors:
        return None
    ids: list[int] = []
    for selector in selectors:
        decks = queries.decks_matching(session, selector)
        if not decks:
            raise DeckNotFoundError(f"no deck named {selector!r}; `flashcards decks` lists them")
        ids.extend(d.id for d in decks)
    return ids


@dataclass(frozen=True)
class GradeOutcome:
    entry: Entry[StudyCard]
    quality: int
    scheduled: bool  # the day's first grade, which moved the schedule
    due_day: dt.date | None
    interval: int
    review_id: int


@dataclass
class Tally:
    new: int = 0
    reviews: int = 0
    redrills: int = 0
    passed: int = 0  # first grades of 3 or more
    first_grades: int = 0
    suspended: int = 0
    undone: int = 0
    outcomes: list[GradeOutcome] = field(default_factory=list)


class ReviewSession:
    """Today's session for one user over some decks (all decks when none is named)."""

    def __init__(
        self,
        app: App,
        decks: Sequence[str] = (),
        *,
        deck_keys: Sequence[str] = (),
        new_cap: int | None = None,
        limit: int | None = None,
        new_per_day: int = DEFAULT_NEW_PER_DAY,
    ) -> None:
        if new_cap is not None and new_cap < 0:
            raise FlashcardsError("--new must be 0 or more")
        if limit is not None and limit < 0:
            raise FlashcardsError("--limit must be 0 or more")
        self.app = app
        self.day = app.today
        self.tally = Tally()
        with app.session() as session:
            self.user_id = app.user_id(session)
            self.has_decks = queries.has_decks(session)
            self.deck_ids = deck_ids_for(session, [*decks, *deck_keys])
            self.queue = self._build_queue(session, new_cap, limit, new_per_day)
            self.new_limit_reached = self._new_limit_reached

    def _build_queue(
        self, session: Session, new_cap: int | None, limit: int | None, new_per_day: int
    ) -> StudyQueue[StudyCard]:
        answers = [
            DayAnswer(a.card_id, a.quality, first_of_day=a.kind == "review", new=a.new)
            for a in queries.todays_reviews(session, self.user_id, self.day)
        ]
        redrill_ids = pending_redrills(answers)
        redrills = queries.study_cards_by_id(session, self.user_id, redrill_ids, self.deck_ids)
        due = queries.due_cards(session, self.user_id, self.day, self.deck_ids)
        introduced = sum(a.new for a in answers)
        allowance = new_allowance(new_per_day, introduced, new_cap)
        self._new_limit_reached = allowance == 0 and introduced >= new_per_day
        # More candidates than the allowance, so siblings can be passed over.
        candidates = queries.new_cards(
            session, self.user_id, self.deck_ids, allowance * 5 + 50 if allowance else 0
        )
        studied = queries.study_cards_by_id(session, self.user_id, {a.card_id for a in answers})
        busy = {c.sibling_group for c in [*studied, *due]}
        new = pick_new(candidates, allowance, busy)
        return StudyQueue(redrills=redrills, reviews=due, new=new, limit=limit)

    def grade(
        self, quality: int, *, typed_answer: str | None = None, duration_ms: int | None = None
    ) -> GradeOutcome:
        """Grade the current card and commit before anything else is shown."""
        entry = self.queue.current
        if entry is None:
            raise FlashcardsError("no card to grade")
        sm2.review(sm2.Sm2State(), quality)  # validates the grade before anything is written
        with self.app.session() as session:
            review = queries.record_review(
                session,
                user_id=self.user_id,
                card_id=entry.card.card_id,
                day=self.day,
                quality=quality,
                schedule=schedule_with(quality, self.day),
                typed_answer=typed_answer,
                duration_ms=duration_ms,
                mode="typed" if typed_answer is not None else "flip",
            )
            outcome = GradeOutcome(
                entry=entry,
                quality=quality,
                scheduled=review.kind == "review",
                due_day=review.due_after,
                interval=review.interval_after,
                review_id=review.id,
            )
        self.queue.answer(quality)
        self._count(outcome, +1)
        self.tally.outcomes.append(outcome)
        return outcome

    def _count(self, outcome: GradeOutcome, sign: int) -> None:
        t = self.tally
        if not outcome.scheduled:
            t.redrills += sign
            return
        t.first_grades += sign
        t.passed += sign * (outcome.quality >= 3)
        if outcome.entry.new:
            t.new += sign
        else:
            t.reviews += sign

    def undo(self) -> Entry[StudyCard] | None:
        """Take back this session's last grade; None when there is none to take back."""
        if not self.queue.can_undo() or not self.tally.outcomes:
            return None
        outcome = self.tally.outcomes[-1]
        with self.app.session() as session:
            undone = queries.undo_last_review(
                session, self.user_id, day=self.day, review_id=outcome.review_id
            )
        if undone is None:
            return None
        self.tally.outcomes.pop()
        self._count(outcome, -1)
        self.tally.undone += 1
        return self.queue.undo()

    def suspend(self) -> Entry[StudyCard]:
        entry = self.queue.current
        if entry is None:
            raise FlashcardsError("no card to suspend")
        with self.app.session() as session:
            queries.set_suspended(session, self.user_id, entry.card.card_id, True)
        self.tally.suspended += 1
        return self.queue.drop_current()

    def next_due(self) -> dt.date | None:
        with self.app.session() as session:
            return queries.next_due_day(session, self.user_id, self.deck_ids)

    def new_left(self) -> int:
        """New cards still waiting in these decks (for tomorrow's message)."""
        with self.app.session() as session:
            return len(queries.new_cards(session, self.user_id, self.deck_ids, 1))


@dataclass(frozen=True)
class UndoneGrade:
    quality: int | None
    study_day: dt.date
    question: str


def undo_last(app: App) -> UndoneGrade:
    """Take back the user's last grade, whenever it was given."""
    from flashcards.errors import NothingToUndoError

    with app.session() as session:
        user_id = app.user_id(session)
        undone = queries.undo_last_review(session, user_id, day=app.today)
        if undone is None:
            raise NothingToUndoError("no grade to take back")
        card = queries.study_cards_by_id(session, user_id, [undone.card_id])
        question = card[0].front if card else f"card {undone.card_id}"
        return UndoneGrade(undone.quality, undone.study_day, question)
