"""Today's counts, defined once: what ``status``, ``decks``, a session's header and its end
summary, and ``import`` all say.

- **due now**: cards already reviewed whose due day is today or earlier, not suspended,
  not buried, not retired; a card waiting for its re-drill is not counted here.
- **re-drills**: cards graded below 4 today whose latest answer today is still below 4
  (SM-2 asks them again until they reach 4); suspended or retired ones are left out.
- **new today**: cards never reviewed that today's new-card limit still lets in.
- **left today**: due now + re-drills + new today, what a plain `flashcards review`
  would ask.
- **cards** and **notes**: the active (not retired) ones of a deck; a note (one fact, one
  hand-written card) makes one card or more (a cloze with c1..c3 makes three, a reverse
  card another).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from flashcards.scheduling.queue import DayAnswer, new_allowance, pending_redrills
from flashcards_db.queries.study import (
    StudyCard,
    due_card_count,
    new_card_count,
    study_cards_by_id,
    todays_reviews,
)

__all__ = ["TodayCounts", "day_answers", "redrill_cards", "today_counts"]


@dataclass(frozen=True)
class TodayCounts:
    due: int
    new: int
    redrills: int

    @property
    def left(self) -> int:
        return self.due + self.new + self.redrills


def day_answers(session: Session, user_id: int, day: dt.date) -> list[DayAnswer]:
    return [
        DayAnswer(a.card_id, a.quality, first_of_day=a.kind == "review", new=a.new)
        for a in todays_reviews(session, user_id, day)
    ]


def redrill_cards(
    session: Session,
    user_id: int,
    answers: Sequence[DayAnswer],
    deck_ids: Sequence[int] | None,
) -> list[StudyCard]:
    """Today's pending re-drills in these decks, as study cards, oldest answer first."""
    ids = pending_redrills(answers)
    return study_cards_by_id(session, user_id, ids, deck_ids, studyable=True)


def today_counts(
    session: Session,
    user_id: int,
    day: dt.date,
    deck_ids: Sequence[int] | None,
    *,
    new_per_day: int,
    new_cap: int | None = None,
    count_cap: int | None = None,
) -> TodayCounts:
    """The counts above for these decks (every deck when None). ``count_cap`` bounds the
    due count (a session's header counts at most that many before it starts)."""
    answers = day_answers(session, user_id, day)
    redrills = [c.card_id for c in redrill_cards(session, user_id, answers, deck_ids)]
    due = due_card_count(session, user_id, day, deck_ids, excluding=redrills, cap=count_cap)
    allowance = new_allowance(new_per_day, sum(a.new for a in answers), new_cap)
    new = new_card_count(session, user_id, deck_ids, allowance)
    return TodayCounts(due=due, new=new, redrills=len(redrills))
