"""An imported review log (Anki's ``revlog``) as answers of our own log.

Our export writes each answer twice: in Anki's ``revlog`` (the grade as a button) and, for
our own import, exactly as our log holds it (``progress.ANSWERS_TABLE``): an answer of
ours comes back with its grade, study day and states as they were. An answer given in
Anki is translated:

- grade: Again 1, Hard 3, Good 4, Easy 5 (our export writes 0-2 as Again, 3 Hard, 4 Good,
  5 Easy); a row that is no answer (Anki's manual rescheduling, ease 0) is left out;
- study day: the day it was given on, in the student's time zone, from the day-start hour;
- the card's first answer of that study day is a ``review``, later ones that day are
  ``redrill`` (learning steps are same-day repeats, as our re-drills are);
- states: the interval before and after as Anki logged them, the E-Factor as Anki's ease
  after the answer; SM-2's repetitions count the passed first answers in a row, and a
  failed first answer after a pass is a lapse.

Pure: the caller gives the study day of a moment and writes the rows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import Any, NamedTuple

from flashcards.anki.imported import ImportedAnswer

__all__ = ["EASE_QUALITY", "LoggedAnswer", "State", "logged_answers"]

EASE_QUALITY = {1: 1, 2: 3, 3: 4, 4: 5}  # Anki's button -> SM-2 grade
_NOT_ANSWERS = (4, 5)  # revlog types: manual and bulk rescheduling
_MIN_EASINESS = 1.3
_MAX_COUNT = 1 << 31
_NEW: State = (0, 0, 2.5, None, 0)

# repetitions, interval, easiness, due day, lapses: as our log's before/after columns
State = tuple[int, int, float, dt.date | None, int]


class LoggedAnswer(NamedTuple):
    note_key: str
    ordinal: int
    reviewed_at: dt.datetime
    study_day: dt.date
    kind: str  # review | redrill
    quality: int
    duration_ms: int | None
    typed_answer: str | None
    before: State
    after: State


def _int(value: object, low: int, high: int) -> int | None:
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return value
    return None


def _day(value: object) -> dt.date | None:
    if not isinstance(value, str):
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def _state(value: object) -> State | None:
    if not isinstance(value, list) or len(value) != 5:
        return None
    repetitions, interval, easiness, due, lapses = value
    reps, ivl, laps = (_int(v, 0, _MAX_COUNT) for v in (repetitions, interval, lapses))
    if reps is None or ivl is None or laps is None:
        return None
    if not isinstance(easiness, int | float) or isinstance(easiness, bool):
        return None
    if not _MIN_EASINESS <= easiness <= 100:
        return None
    due_day = _day(due)
    if due is not None and due_day is None:
        return None
    return reps, ivl, float(easiness), due_day, laps


def _exact(answer: ImportedAnswer, at: dt.datetime) -> LoggedAnswer | None:
    """Our own log's copy of an answer, checked (a package is untrusted input)."""
    data: Mapping[str, Any] = answer.exact or {}
    quality = _int(data.get("quality"), 0, 5)
    kind = data.get("kind")
    day = _day(data.get("study_day"))
    before, after = _state(data.get("before")), _state(data.get("after"))
    if quality is None or kind not in ("review", "redrill") or day is None:
        return None
    if before is None or after is None:
        return None
    typed = data.get("typed_answer")
    duration = _int(data.get("duration_ms"), 0, _MAX_COUNT)
    return LoggedAnswer(
        answer.note_key,
        answer.ordinal,
        at,
        day,
        str(kind),
        quality,
        duration,
        typed if isinstance(typed, str) else None,
        before,
        after,
    )


def _translated(
    answer: ImportedAnswer, at: dt.datetime, day: dt.date, first: bool, state: State
) -> LoggedAnswer:
    quality = EASE_QUALITY[answer.ease]
    repetitions, _interval, easiness, due, lapses = state
    before: State = (repetitions, max(answer.last_interval, 0), easiness, due, lapses)
    if first:
        interval = answer.interval if answer.interval > 0 else 1
        if answer.factor > 0:
            easiness = max(_MIN_EASINESS, answer.factor / 1000)
        lapsed = quality < 3 and repetitions > 0
        after: State = (
            0 if quality < 3 else repetitions + 1,
            interval,
            easiness,
            day + dt.timedelta(days=interval),
            lapses + int(lapsed),
        )
    else:
        after = state
    duration = answer.duration_ms if answer.duration_ms >= 0 else None
    kind = "review" if first else "redrill"
    return LoggedAnswer(
        answer.note_key, answer.ordinal, at, day, kind, quality, duration, None, before, after
    )


def _moment(at_ms: int) -> dt.datetime | None:
    try:
        return dt.datetime.fromtimestamp(at_ms / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError):
        return None


def logged_answers(
    answers: Sequence[ImportedAnswer], day_of: Callable[[dt.datetime], dt.date]
) -> list[LoggedAnswer]:
    """Every answer as a row of our log, oldest first (unanswered rows left out)."""
    by_card: defaultdict[tuple[str, int], list[ImportedAnswer]] = defaultdict(list)
    for answer in answers:
        by_card[(answer.note_key, answer.ordinal)].append(answer)
    logged: list[LoggedAnswer] = []
    for card_answers in by_card.values():
        state = _NEW
        days: set[dt.date] = set()
        for answer in sorted(card_answers, key=lambda a: a.at_ms):
            at = _moment(answer.at_ms)
            if at is None:
                continue
            row = _exact(answer, at) if answer.exact is not None else None
            if row is None:
                if answer.ease not in EASE_QUALITY or answer.type in _NOT_ANSWERS:
                    continue
                day = day_of(at)
                row = _translated(answer, at, day, day not in days, state)
            days.add(row.study_day)
            state = row.after
            logged.append(row)
    logged.sort(key=lambda row: row.reviewed_at)
    return logged
