"""A student's SM-2 progress written into the collection genanki built, before zipping.

genanki writes every card as new. With ``--with-progress`` the export then rewrites the
reviewed cards in that collection as Anki review cards (interval, ease = EF × 1000, due
day, lapses) and adds the review log, so Anki's importer, run with scheduling on, keeps
the student's schedule.

Anki stores a review card's due date as a day count since the collection was created,
and when it imports it shifts that count by how far the package's collection is ahead
of the student's. So the package declares its own creation day: 2000-01-01 in UTC, with
explicit new-style day-boundary settings, and a due day is written as the number of
study days from that date. Anki then reads the same calendar day in any time zone.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from flashcards.anki.collection import OUR_ANSWERS_TABLE

__all__ = [
    "ANSWERS_TABLE",
    "COLLECTION_EPOCH",
    "CardProgress",
    "Progress",
    "ProgressCounts",
    "ReviewRecord",
    "anki_ease",
    "anki_ord",
    "write_progress",
]

COLLECTION_EPOCH = dt.date(2000, 1, 1)
# Each answer as our log has it (its exact grade, study day, states): Anki keeps only
# its own columns, so our import reads this, when present, instead of guessing.
ANSWERS_TABLE = OUR_ANSWERS_TABLE
_EPOCH_SECONDS = int(dt.datetime(2000, 1, 1, tzinfo=dt.UTC).timestamp())

# Anki's card types and queues, and its review log types.
_CARD_REVIEW = 2  # never-reviewed cards stay as genanki wrote them: new
_QUEUE_SUSPENDED, _QUEUE_REVIEW = -1, 2
_LOG_LEARN, _LOG_REVIEW, _LOG_RELEARN = 0, 1, 2
_MAX_ANSWER_MS = 60_000  # Anki's own cap on the time an answer took


class CardProgress(Protocol):
    @property
    def note_key(self) -> str: ...
    @property
    def note_kind(self) -> str: ...
    @property
    def ordinal(self) -> int: ...
    @property
    def repetitions(self) -> int: ...
    @property
    def interval(self) -> int: ...
    @property
    def easiness(self) -> float: ...
    @property
    def due_day(self) -> dt.date | None: ...
    @property
    def lapses(self) -> int: ...
    @property
    def suspended(self) -> bool: ...


class ReviewRecord(Protocol):
    @property
    def note_key(self) -> str: ...
    @property
    def note_kind(self) -> str: ...
    @property
    def ordinal(self) -> int: ...
    @property
    def reviewed_at(self) -> dt.datetime: ...
    @property
    def kind(self) -> str: ...
    @property
    def quality(self) -> int: ...
    @property
    def duration_ms(self) -> int | None: ...
    @property
    def repetitions_before(self) -> int: ...
    @property
    def interval_before(self) -> int: ...
    @property
    def interval_after(self) -> int: ...
    @property
    def easiness_after(self) -> float: ...
    @property
    def lapses_after(self) -> int: ...
    @property
    def study_day(self) -> dt.date: ...
    @property
    def mode(self) -> str | None: ...
    @property
    def typed_answer(self) -> str | None: ...
    @property
    def easiness_before(self) -> float: ...
    @property
    def due_before(self) -> dt.date | None: ...
    @property
    def lapses_before(self) -> int: ...
    @property
    def repetitions_after(self) -> int: ...
    @property
    def due_after(self) -> dt.date | None: ...


@dataclass(frozen=True)
class Progress:
    """One student's schedule and review log, to travel with the package."""

    states: Sequence[CardProgress]
    reviews: Sequence[ReviewRecord]
    day_start_hour: int


@dataclass(frozen=True)
class ProgressCounts:
    review_cards: int = 0
    suspended: int = 0
    reviews: int = 0


def anki_ord(kind: str, ordinal: int) -> int:
    """Anki's card ordinal: cloze cN is card N-1; a fact or basic note has card 0."""
    return ordinal - 1 if kind == "cloze" else 0


def anki_ease(quality: int) -> int:
    """SM-2's 0..5 grade as Anki's answer button: Again, Hard, Good, Easy."""
    if quality < 3:
        return 1
    return {3: 2, 4: 3}.get(quality, 4)


def _log_type(review: ReviewRecord) -> int:
    if review.kind == "redrill":
        # A same-day repeat: relearning after a lapse, else a learning step.
        return _LOG_RELEARN if review.lapses_after > 0 else _LOG_LEARN
    if review.interval_before == 0:
        return _LOG_LEARN
    if review.quality < 3 and review.repetitions_before > 0:
        return _LOG_RELEARN
    return _LOG_REVIEW


def _day(day: dt.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _answer_data(review: ReviewRecord) -> str:
    """One answer as our log holds it, for our own import (``ANSWERS_TABLE``)."""
    return json.dumps(
        {
            "quality": review.quality,
            "kind": review.kind,
            "study_day": review.study_day.isoformat(),
            "mode": review.mode,
            "typed_answer": review.typed_answer,
            "duration_ms": review.duration_ms,
            "before": [
                review.repetitions_before,
                review.interval_before,
                review.easiness_before,
                _day(review.due_before),
                review.lapses_before,
            ],
            "after": [
                review.repetitions_after,
                review.interval_after,
                review.easiness_after,
                _day(review.due_after),
                review.lapses_after,
            ],
        },
        ensure_ascii=False,
    )


def _declare_day_boundaries(cursor: sqlite3.Cursor, day_start_hour: int) -> None:
    (conf_text,) = cursor.execute("SELECT conf FROM col").fetchone()
    conf = json.loads(conf_text)
    # schedVer 2 with creationOffset: Anki's new-style day count, which depends on the
    # creation date in that offset (UTC here) and the reader's local day, not on hours.
    conf.update({"schedVer": 2, "rollover": day_start_hour, "creationOffset": 0})
    cursor.execute("UPDATE col SET crt = ?, conf = ?", (_EPOCH_SECONDS, json.dumps(conf)))


def write_progress(
    cursor: sqlite3.Cursor,
    states: Sequence[CardProgress],
    reviews: Sequence[ReviewRecord],
    guids: Mapping[str, str],
    *,
    day_start_hour: int,
    places: Mapping[str, tuple[str, int]] | None = None,
) -> ProgressCounts:
    """Turn genanki's new cards into the student's review cards, and add the review log.

    ``places`` names the Anki note and card of a note of ours that is one card of a bigger
    Anki note (a diagram's label); every other note is found by its GUID in ``guids``.
    """
    places = places or {}
    _declare_day_boundaries(cursor, day_start_hour)
    card_ids = {
        (guid, ord_): card_id
        for guid, ord_, card_id in cursor.execute(
            "SELECT notes.guid, cards.ord, cards.id FROM cards JOIN notes ON notes.id = cards.nid"
        )
    }

    def card_id_of(key: str, kind: str, ordinal: int) -> int | None:
        if key in places:
            return card_ids.get(places[key])
        guid = guids.get(key)
        return None if guid is None else card_ids.get((guid, anki_ord(kind, ordinal)))

    answers: Counter[int] = Counter()
    log_rows: list[tuple[int, int, int, int, int, int, int, int, int]] = []
    exact_rows: list[tuple[int, str]] = []
    used_ids: set[int] = set()
    for review in reviews:
        card_id = card_id_of(review.note_key, review.note_kind, review.ordinal)
        if card_id is None:
            continue
        # The log id is the answer's time in ms (Anki's convention), unique in the file;
        # derived from the time, so a re-export carries the same ids and Anki skips them.
        log_id = int(review.reviewed_at.timestamp() * 1000)
        while log_id in used_ids:
            log_id += 1
        used_ids.add(log_id)
        answers[card_id] += 1
        exact_rows.append((log_id, _answer_data(review)))
        log_rows.append(
            (
                log_id,
                card_id,
                -1,
                anki_ease(review.quality),
                max(review.interval_after, 1),
                review.interval_before,
                round(review.easiness_after * 1000),
                min(review.duration_ms or 0, _MAX_ANSWER_MS),
                _log_type(review),
            )
        )
    cursor.executemany("INSERT INTO revlog VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", log_rows)
    cursor.execute(f"CREATE TABLE {ANSWERS_TABLE} (id INTEGER PRIMARY KEY, data TEXT)")
    cursor.executemany(f"INSERT INTO {ANSWERS_TABLE} VALUES (?, ?)", exact_rows)

    card_rows: list[tuple[int, int, int, int, int, int, int, str, int]] = []
    suspended = 0
    for state in states:
        card_id = card_id_of(state.note_key, state.note_kind, state.ordinal)
        if card_id is None:
            continue
        suspended += state.suspended
        if state.due_day is None:  # never reviewed: stays new, maybe suspended
            if state.suspended:
                suspend = "UPDATE cards SET queue = ? WHERE id = ?"
                cursor.execute(suspend, (_QUEUE_SUSPENDED, card_id))
            continue
        # SM-2's repetition count has no Anki column; custom data keeps it for a return trip.
        custom = json.dumps({"cd": json.dumps({"sm2n": state.repetitions})})
        card_rows.append(
            (
                _CARD_REVIEW,
                _QUEUE_SUSPENDED if state.suspended else _QUEUE_REVIEW,
                (state.due_day - COLLECTION_EPOCH).days,
                max(state.interval, 1),
                round(state.easiness * 1000),
                answers[card_id],
                state.lapses,
                custom,
                card_id,
            )
        )
    cursor.executemany(
        "UPDATE cards SET type = ?, queue = ?, due = ?, ivl = ?, factor = ?, reps = ?,"
        " lapses = ?, data = ? WHERE id = ?",
        card_rows,
    )
    return ProgressCounts(review_cards=len(card_rows), suspended=suspended, reviews=len(log_rows))
