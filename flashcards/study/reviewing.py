"""A day's review session: build the queue, grade, undo, suspend; each grade committed."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from flashcards import sm2
from flashcards.errors import FlashcardsError
from flashcards.progress.figures import Streak, streak
from flashcards.quiz import sides
from flashcards.scheduling.leeches import becomes_leech, check_threshold
from flashcards.scheduling.limits import DEFAULT_NEW_PER_DAY
from flashcards.scheduling.queue import (
    Entry,
    Pending,
    StudyQueue,
    new_allowance,
    pick_new,
    reviews_allowance,
)
from flashcards.study.answer_keys import answer_key
from flashcards.study.confusions import ConfusedWith, find_confusion, record_confusion
from flashcards.study.context import App
from flashcards.study.counts import TodayCounts, day_answers, redrill_cards, today_counts
from flashcards.study.decks import deck_ids_for
from flashcards_db.queries import leeches as leech_queries
from flashcards_db.queries import status as status_queries
from flashcards_db.queries.decks import has_decks
from flashcards_db.queries.reviews import (
    StateValues,
    log_card_action,
    record_review,
    standing_row,
    undo_last_action,
    undo_last_review,
    undo_review,
)
from flashcards_db.queries.study import (
    StudyCard,
    due_card_count,
    due_cards,
    new_card_count,
    new_cards,
    next_due_day,
    note_meta,
    study_cards_by_id,
    todays_reviews,
)
from flashcards_db.types import utcnow

__all__ = [
    "DEFAULT_NEW_PER_DAY",
    "GradeOutcome",
    "ReviewSession",
    "Suggestion",
    "Tomorrow",
    "deck_ids_for",
    "schedule_with",
    "undo_last",
]


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


@dataclass(frozen=True)
class GradeOutcome:
    entry: Entry[StudyCard]
    quality: int
    scheduled: bool  # the day's first grade, which moved the schedule
    due_day: dt.date | None
    interval: int
    review_id: int
    lapses: int = 0
    leech: bool = False  # this answer made the card a leech: it is now suspended
    confused_with: ConfusedWith | None = None


@dataclass(frozen=True)
class Suggestion:
    """What a typed answer earns, before the student accepts or overrides it."""

    expected: str
    typed: str
    quality: int
    confused_with: ConfusedWith | None  # the answer typed belongs to this other card
    reason: str = ""  # why, in a few words: "wrong bone: ischium for ilium"


@dataclass(frozen=True)
class Tomorrow:
    due: int  # reviews due tomorrow (today's leftovers included)
    new: int  # new cards tomorrow's limit will bring


# Due cards counted before the first is shown: past this, the count says "at least" and
# goes on as the session does, so the first card never waits for the whole day's count.
COUNT_CAP = 500


class _DuePages:
    """Today's due reviews, a page at a time, each page after the last card of the one before.

    Sibling groups of every due card seen are kept: new cards of those structures wait.
    """

    def __init__(
        self, session: ReviewSession, excluding: Sequence[int], allowance: int | None
    ) -> None:
        self._session = session
        self._excluding = excluding
        self._last: StudyCard | None = None
        self._left = allowance  # reviews the day's limit still lets in (None: no limit)
        self.groups: set[str] = set()

    def pending(self, session: Session) -> Pending[StudyCard]:
        """The due cards as the queue takes them: counted up to a cap, then as it goes."""
        count, exact = self._count(session)
        return Pending(count, self.fetch, None if exact else self.recount)

    def _count(self, session: Session) -> tuple[int, bool]:
        s = self._session
        cap = COUNT_CAP if self._left is None else min(COUNT_CAP, self._left)
        count = due_card_count(
            session, s.user_id, s.due_by, s.deck_ids, excluding=self._excluding,
            after=self._last, cap=cap + 1, not_reviewed_on=s.early_not_on,
        )  # fmt: skip
        return min(count, cap), count <= cap or cap == self._left

    def recount(self) -> tuple[int, bool]:
        with self._session._read() as session:
            return self._count(session)

    def fetch(self, n: int) -> list[StudyCard]:
        s = self._session
        if self._left is not None:
            n = min(n, self._left)
            if n <= 0:
                return []
        with s._read() as session:
            page = due_cards(
                session,
                s.user_id,
                s.due_by,
                s.deck_ids,
                after=self._last,
                limit=n,
                excluding=self._excluding,
                not_reviewed_on=s.early_not_on,
            )
        if self._left is not None:
            self._left -= len(page)
        if page:
            self._last = page[-1]
        self.groups.update(c.sibling_group for c in page)
        return page


class _NewCards:
    """Today's new cards, chosen when the queue reaches them, after every due review.

    Siblings are kept off the day of a sibling studied today or due today; by then every
    due card has passed through ``due``, so its groups are all known. Today's answers are
    read again when the cards are chosen: new cards another terminal of the same student
    introduced in the meantime count against the day's limit, and their siblings wait.
    """

    def __init__(
        self,
        session: ReviewSession,
        allowance: int,
        due: _DuePages,
        *,
        new_per_day: int,
        new_cap: int | None,
    ) -> None:
        self._session = session
        self._allowance = allowance
        self._due = due
        self._new_per_day, self._new_cap = new_per_day, new_cap
        self._picked: list[StudyCard] | None = None
        self._taken = 0

    def fetch(self, n: int) -> list[StudyCard]:
        if self._picked is None:
            s = self._session
            with s._read() as session:
                answers = todays_reviews(session, s.user_id, s.day)
                introduced = sum(a.new for a in answers)
                allowance = self._allowance
                if self._new_cap is None:  # --new N is this session's own number
                    allowance = min(allowance, new_allowance(self._new_per_day, introduced, None))
                studied = study_cards_by_id(session, s.user_id, {a.card_id for a in answers})
                # More candidates than the allowance, so siblings can be passed over.
                candidates = new_cards(session, s.user_id, s.deck_ids, allowance * 5 + 50)
            busy = {c.sibling_group for c in studied} | self._due.groups
            self._picked = pick_new(candidates, allowance, busy)
        page = self._picked[self._taken : self._taken + n]
        self._taken += len(page)
        return page


@dataclass(frozen=True)
class Suspension:
    """A card suspended in this session (``s``): an undo takes it back."""

    entry: Entry[StudyCard]
    review_id: int | None  # None: it was suspended already (by another terminal)


@dataclass
class Tally:
    new: int = 0
    reviews: int = 0
    redrills: int = 0
    passed: int = 0  # first grades of 3 or more
    first_grades: int = 0
    suspended: int = 0
    undone: int = 0
    leeches: int = 0
    confusions: int = 0
    started: float = field(default_factory=time.monotonic)
    outcomes: list[GradeOutcome] = field(default_factory=list)

    @property
    def seconds(self) -> float:
        return time.monotonic() - self.started


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
        new_per_day: int | None = None,
        leech_threshold: int | None = None,
        reviews_per_day: int | None = None,
        ahead: int = 0,
    ) -> None:
        """``new_per_day``, ``leech_threshold`` and ``reviews_per_day``: None for the
        student's settings (``flashcards config``); ``ahead``: also study the cards due
        within that many days (early reviews, before an exam)."""
        if new_cap is not None and new_cap < 0:
            raise FlashcardsError("--new must be 0 or more")
        if limit is not None and limit < 1:
            raise FlashcardsError("--limit must be 1 or more: a session of no card asks nothing")
        if ahead < 0:
            raise FlashcardsError("--ahead must be 0 or more days")
        self.app = app
        self.day = app.today
        self.due_by = self.day + dt.timedelta(days=ahead)
        # Studying ahead leaves out the cards reviewed today: SM-2 moves a card once a day.
        self.early_not_on = self.day if ahead else None
        self.tally = Tally()
        self.actions: list[GradeOutcome | Suspension] = []  # what ``undo`` takes back, last first
        self.undone_kind: str | None = None  # "grade" or "suspension": what undo took back
        self._reading: Session | None = None
        with app.session() as session:
            self.user_id = app.user_id(session)
            self.has_decks = has_decks(session)
            self.deck_ids = deck_ids_for(session, [*decks, *deck_keys])
            from flashcards.study.settings import session_limits

            limits = session_limits(
                app, session, self.user_id, [*decks, *deck_keys], leech_option=leech_threshold
            )
            self.new_per_day = limits.new_per_day if new_per_day is None else new_per_day
            self.reviews_per_day = (
                limits.reviews_per_day if reviews_per_day is None else reviews_per_day
            )
            try:
                self.leech_threshold = check_threshold(limits.leech_threshold)
            except ValueError as exc:
                raise FlashcardsError(str(exc)) from exc
            self.queue = self._build_queue(session, new_cap, limit, self.new_per_day)
            self.new_limit_reached = self._new_limit_reached

    def _build_queue(
        self, session: Session, new_cap: int | None, limit: int | None, new_per_day: int
    ) -> StudyQueue[StudyCard]:
        answers = day_answers(session, self.user_id, self.day)
        redrills = redrill_cards(session, self.user_id, answers, self.deck_ids)
        introduced = sum(a.new for a in answers)
        left = new_allowance(new_per_day, introduced, None)
        # --new N is this session's number of new cards, within today's limit or above it.
        allowance = left if new_cap is None else new_cap
        self.new_above_limit = max(0, allowance - left)
        self._new_limit_reached = allowance == 0 and introduced >= new_per_day
        self.reviews_left = reviews_allowance(self.reviews_per_day, answers)
        self._reading = session  # pages taken while the queue is built share its transaction
        queued = [c.card_id for c in redrills]
        due = _DuePages(self, excluding=queued, allowance=self.reviews_left)
        new = _NewCards(self, allowance, due, new_per_day=new_per_day, new_cap=new_cap)
        try:
            return StudyQueue(
                redrills=redrills,
                reviews=due.pending(session),
                new=Pending(
                    new_card_count(session, self.user_id, self.deck_ids, allowance),
                    new.fetch,
                ),
                limit=limit,
            )
        finally:
            self._reading = None

    @contextmanager
    def _read(self) -> Iterator[Session]:
        """The session the queue reads more cards in."""
        if self._reading is not None:
            yield self._reading
        else:
            with self.app.session() as session:
                yield session

    @staticmethod
    def expected_answer(card: StudyCard) -> str:
        """What a typed answer to the card is graded against (a cloze: its hidden text).

        Imported cards may hold HTML: the student types the words, not the markup.
        """
        from flashcards.anki.html import terminal_text

        return terminal_text(sides(card.kind, card.front, card.back, card.ordinal)[1], card.html)

    def suggest(self, typed: str) -> Suggestion:
        """The grade a typed answer to the current card earns, and whose answer it is."""
        entry = self.queue.current
        if entry is None:
            raise FlashcardsError("no card to answer")
        card = entry.card
        expected = self.expected_answer(card)
        confused = None
        with self.app.session() as session:
            judgement = answer_key(note_meta(session, card.note_id), card.kind).judge(
                expected, typed
            )
            if judgement.grade < 3 and card.field is not None:
                confused = find_confusion(
                    session, card_id=card.card_id, field=card.field, answer=expected, typed=typed
                )
        return Suggestion(expected, typed, judgement.grade, confused, judgement.reason)

    def grade(
        self,
        quality: int,
        *,
        typed_answer: str | None = None,
        duration_ms: int | None = None,
        confused_with: ConfusedWith | None = None,
    ) -> GradeOutcome:
        """Grade the current card and commit before anything else is shown.

        A lapse that reaches the leech threshold suspends the card; a typed answer that
        was another card's answer (``confused_with``, kept only for a failing grade) is
        recorded as a confusion. Both in the grade's own transaction.
        """
        entry = self.queue.current
        if entry is None:
            raise FlashcardsError("no card to grade")
        sm2.review(sm2.Sm2State(), quality)  # validates the grade before anything is written
        if quality >= 3:
            confused_with = None  # the student says it was right after all
        with self.app.session() as session:
            review = record_review(
                session,
                user_id=self.user_id,
                card_id=entry.card.card_id,
                day=self.day,
                quality=quality,
                schedule=schedule_with(quality, self.day),
                typed_answer=typed_answer,
                duration_ms=duration_ms,
                mode="typed" if typed_answer is not None else "flip",
                # Decided before the row is written: a student may not change a review.
                makes_leech=lambda before, after: becomes_leech(
                    before, after, self.leech_threshold
                ),
            )
            leech = bool(review.leech_marked)
            if confused_with is not None:
                record_confusion(
                    session,
                    user_id=self.user_id,
                    card_id=entry.card.card_id,
                    confused_with=confused_with.card_id,
                    review_id=review.id,
                )
            outcome = GradeOutcome(
                entry=entry,
                quality=quality,
                scheduled=review.kind == "review",
                due_day=review.due_after,
                interval=review.interval_after,
                review_id=review.id,
                lapses=review.lapses_after,
                leech=leech,
                confused_with=confused_with,
            )
        # Counted first: moving the queue on may read the next page, and a failed read
        # must not leave a committed grade out of the session's tally and undo.
        self._count(outcome, +1)
        self.tally.outcomes.append(outcome)
        self.actions.append(outcome)
        self.queue.answer(quality)
        if leech:
            self.queue.set_aside(entry.card.card_id)
        return outcome

    def _count(self, outcome: GradeOutcome, sign: int) -> None:
        t = self.tally
        t.leeches += sign * outcome.leech
        t.confusions += sign * (outcome.confused_with is not None)
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
        """Take back this session's last action, a grade or a suspension; None when there
        is none to take back. ``undone_kind`` then says which it was."""
        if not self.queue.can_undo() or not self.actions:
            return None
        action = self.actions[-1]
        if isinstance(action, Suspension):
            if action.review_id is not None:
                with self.app.session() as session:
                    row = standing_row(session, self.user_id, action.review_id)
                    if row is not None:  # not taken back already by `flashcards undo`
                        undo_review(session, self.user_id, row, day=self.day)
            self.actions.pop()
            self.tally.suspended -= 1
            self.undone_kind = "suspension"
            return self.queue.undo()
        outcome = action
        with self.app.session() as session:
            undone = undo_last_review(  # a leech the grade made is released with it
                session, self.user_id, day=self.day, review_id=outcome.review_id
            )
        if undone is None:
            return None
        self.tally.outcomes.pop()
        self.actions.pop()
        self._count(outcome, -1)
        self.tally.undone += 1
        self.undone_kind = "grade"
        return self.queue.undo()

    def suspend(self) -> Entry[StudyCard]:
        """Suspend the current card (logged, so that ``u`` or ``flashcards undo`` takes
        it back)."""
        entry = self.queue.current
        if entry is None:
            raise FlashcardsError("no card to suspend")
        card_id = entry.card.card_id
        with self.app.session() as session:
            row = log_card_action(
                session, self.user_id, card_id, "suspend", day=self.day, now=utcnow()
            )
            review_id = row.id if row is not None else None
        self.tally.suspended += 1
        self.actions.append(Suspension(entry, review_id))
        return self.queue.drop_current()

    def cards_done(self) -> int:
        """Cards of this session whose work today is over: answered, and not queued again."""
        answered = {o.entry.card.card_id for o in self.tally.outcomes}
        return sum(not self.queue.holds(card) for card in answered)

    def left_today(self) -> TodayCounts:
        """What is left today in these decks, as ``status`` counts it (no session limit)."""
        with self.app.session() as session:
            return today_counts(
                session,
                self.user_id,
                self.day,
                self.deck_ids,
                new_per_day=self.new_per_day,
                reviews_per_day=self.reviews_per_day,
            )

    def next_due(self) -> dt.date | None:
        with self.app.session() as session:
            return next_due_day(session, self.user_id, self.deck_ids)

    def new_left(self) -> int:
        """New cards still waiting in these decks (for tomorrow's message)."""
        with self.app.session() as session:
            return new_card_count(session, self.user_id, self.deck_ids, 1)

    def tomorrow(self) -> Tomorrow:
        """Tomorrow's load in these decks: reviews due, within the daily review cap (as
        tomorrow's session and ``status`` will count them), and new cards to come."""
        tomorrow = self.day + dt.timedelta(days=1)
        with self.app.session() as session:
            due = due_card_count(session, self.user_id, tomorrow, self.deck_ids)
            new = new_card_count(session, self.user_id, self.deck_ids, self.new_per_day)
        allowed = reviews_allowance(self.reviews_per_day, ())  # nothing answered tomorrow yet
        return Tomorrow(due=due if allowed is None else min(due, allowed), new=new)

    def streak(self) -> Streak:
        with self.app.session() as session:
            return streak(status_queries.study_days(session, self.user_id), self.day)


@dataclass(frozen=True)
class UndoneAction:
    """What ``flashcards undo`` took back: a grade, or every card of one suspension,
    unsuspension or forgetting."""

    kind: str  # review | redrill | suspend | unsuspend | forget
    cards: int
    quality: int | None
    study_day: dt.date
    question: str  # the (first) card's question

    @property
    def grade(self) -> bool:
        return self.kind in ("review", "redrill")


def undo_last(app: App, leech_threshold: int | None = None) -> UndoneAction:
    """Take back the user's last action, whenever it was: a grade (never a quiz answer,
    never an imported one), a suspension (`s` or `flashcards suspend`), an unsuspension
    or a forgetting (every card of the command)."""
    from flashcards.errors import NothingToUndoError

    with app.session() as session:
        user_id = app.user_id(session)
        if leech_threshold is None:
            from flashcards.study.settings import session_limits

            leech_threshold = session_limits(app, session, user_id, []).leech_threshold
        rows = undo_last_action(session, user_id, day=app.today)
        if not rows:
            raise NothingToUndoError("nothing to take back: no grade or card action yet")
        first = rows[0]
        # A leech the grade made is released with it (the log says so); an answer logged
        # before the log kept that (revision 0006) is judged by the threshold.
        if (
            first.kind == "review"
            and first.leech_marked is None
            and becomes_leech(first.lapses_before, first.lapses_after, leech_threshold)
        ):
            leech_queries.unmark_leech(session, user_id, first.card_id)
        card = study_cards_by_id(session, user_id, [first.card_id])
        question = card[0].front if card else f"card {first.card_id}"
        return UndoneAction(first.kind, len(rows), first.quality, first.study_day, question)
