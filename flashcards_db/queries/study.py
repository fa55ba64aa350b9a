"""What a study session reads: today's due and new cards, their counts, the next due day,
and the answers already given today. Each function takes a session and never commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Exists, Select, and_, exists, func, or_, select, tuple_
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Deck, Note, Review
from flashcards_db.queries.plain import TodayReview
from flashcards_db.queries.reviews import not_undone

__all__ = [
    "StudyCard",
    "TodayReview",
    "due_card_count",
    "due_cards",
    "due_count_query",
    "new_card_count",
    "new_cards",
    "new_count_query",
    "next_due_day",
    "note_meta",
    "study_cards_by_id",
    "study_cards_by_id_query",
    "todays_reviews",
    "todays_reviews_query",
]


@dataclass(frozen=True)
class StudyCard:
    card_id: int
    note_id: int
    note_key: str
    deck_name: str
    kind: str
    front: str
    back: str
    extra: str | None
    ordinal: int
    structure_key: str | None
    structure_name: str | None
    field: str | None
    image: str | None
    position: int
    due_day: dt.date | None
    interval: int
    note: str | None = None  # the deck's note on the fact: shown after the answer
    html: bool = False  # the deck holds HTML (an Anki package, an HTML deck), else text

    @property
    def sibling_group(self) -> str:
        """Cards of one structure (or one cloze note) are siblings."""
        if self.structure_key is not None:
            deck_key = self.note_key.split("/", 1)[0]
            return f"{deck_key}/{self.structure_key}"
        return f"note:{self.note_id}"


def _study_card_query(deck_ids: Sequence[int] | None) -> Select[Card, Note, str, bool]:
    query = (
        select(Card, Note, Deck.name, Deck.html)
        .join(Note, Card.note_id == Note.id)
        .join(Deck, Note.deck_id == Deck.id)
        .where(Card.retired_at.is_(None), Note.retired_at.is_(None))
    )
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    return query


def _study_card(
    card: Card, note: Note, deck_name: str, html: bool, state: CardState | None
) -> StudyCard:
    return StudyCard(
        card_id=card.id,
        note_id=note.id,
        note_key=note.key,
        deck_name=deck_name,
        kind=note.kind,
        front=note.front,
        back=note.back,
        extra=note.extra,
        ordinal=card.ordinal,
        structure_key=note.structure_key,
        structure_name=note.structure_name,
        field=note.field,
        image=note.image,
        position=note.position,
        due_day=state.due_day if state else None,
        interval=state.interval if state else 0,
        note=_note_text((note.meta or {}).get("note")),
        html=bool(html),
    )


def _note_text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _due_query(
    columns: Sequence[Any],
    user_id: int,
    day: dt.date,
    deck_ids: Sequence[int] | None,
    excluding: Collection[int],
    after: StudyCard | None,
    not_reviewed_on: dt.date | None = None,
) -> Select[Any]:
    """``columns`` of the active cards of these decks due on ``day`` or before (not
    suspended, not buried), leaving out ``excluding``, those up to ``after`` in the
    (due day, card id) order, and those reviewed on ``not_reviewed_on``."""
    query = (
        _study_card_query(deck_ids)
        .with_only_columns(*columns)
        .join(CardState, CardState.card_id == Card.id)
        .where(
            CardState.user_id == user_id,
            CardState.due_day <= day,
            CardState.suspended.is_(False),
            or_(CardState.buried_until.is_(None), CardState.buried_until <= day),
        )
    )
    if excluding:
        query = query.where(CardState.card_id.not_in(list(excluding)))
    if after is not None:
        query = query.where(
            tuple_(CardState.due_day, CardState.card_id) > tuple_(after.due_day, after.card_id)
        )
    if not_reviewed_on is not None:
        query = query.where(
            or_(
                CardState.last_review_day.is_(None),
                CardState.last_review_day != not_reviewed_on,
            )
        )
    return query


# A page of due cards: plain columns in StudyCard's field order, not entities (building
# ORM objects and decoding two JSON columns per card is most of the cost of a page).
_STUDY_CARD_COLUMNS = (
    Card.id, Note.id, Note.key, Deck.name, Note.kind, Note.front, Note.back, Note.extra,
    Card.ordinal, Note.structure_key, Note.structure_name, Note.field, Note.image,
    Note.position, CardState.due_day, CardState.interval, Note.meta["note"].as_string(),
    Deck.html,
)  # fmt: skip


def due_cards(
    session: Session,
    user_id: int,
    day: dt.date,
    deck_ids: Sequence[int] | None = None,
    *,
    after: StudyCard | None = None,
    limit: int | None = None,
    excluding: Collection[int] = (),
    not_reviewed_on: dt.date | None = None,
) -> list[StudyCard]:
    """Reviews due on ``day`` or before, most overdue first, then by card id.

    A page at a time: ``limit`` cards from just ``after`` the given one. Pages follow the
    order's columns, not an offset, so grades given between two pages (which move cards
    out of the due range) neither skip nor repeat a card. Card id, not authoring order,
    breaks ties within a day: an index on (user id, due day, card id) holds that order,
    so a page reads its own rows only, however many cards are due.
    """
    query = _due_query(
        _STUDY_CARD_COLUMNS, user_id, day, deck_ids, excluding, after, not_reviewed_on
    )
    query = query.order_by(CardState.due_day, CardState.card_id)
    if limit is not None:
        query = query.limit(limit)
    return [StudyCard(*row) for row in session.execute(query)]


def due_card_count(
    session: Session,
    user_id: int,
    day: dt.date,
    deck_ids: Sequence[int] | None = None,
    *,
    excluding: Collection[int] = (),
    after: StudyCard | None = None,
    cap: int | None = None,
    not_reviewed_on: dt.date | None = None,
) -> int:
    """How many cards ``due_cards`` lists in all its pages (after ``after``), up to ``cap``.

    With a cap the count reads at most ``cap`` due rows, in the index's order, so it costs
    the same on a day with ten thousand cards due as on a day with a hundred.
    """
    query = due_count_query(
        user_id, day, deck_ids, excluding=excluding, after=after, cap=cap,
        not_reviewed_on=not_reviewed_on,
    )  # fmt: skip
    return int(session.scalar(query) or 0)


def due_count_query(
    user_id: int,
    day: dt.date,
    deck_ids: Sequence[int] | None = None,
    *,
    excluding: Collection[int] = (),
    after: StudyCard | None = None,
    cap: int | None = None,
    not_reviewed_on: dt.date | None = None,
) -> Select[int]:
    """The statement ``due_card_count`` runs (``plain.sql`` holds it as SQLite text too)."""
    query = _due_query((Card.id,), user_id, day, deck_ids, excluding, after, not_reviewed_on)
    if cap is not None:
        query = query.order_by(CardState.due_day, CardState.card_id).limit(cap)
    return select(func.count()).select_from(query.subquery())


def _seen(user_id: int) -> Exists:
    """The card has been reviewed (or suspended before its first review) by this user."""
    return exists().where(
        CardState.card_id == Card.id,
        CardState.user_id == user_id,
        or_(CardState.due_day.is_not(None), CardState.suspended.is_(True)),
    )


def new_cards(
    session: Session, user_id: int, deck_ids: Sequence[int] | None, limit: int
) -> list[StudyCard]:
    """Cards this user has never reviewed, in authoring order."""
    if limit <= 0:
        return []
    query = (
        _study_card_query(deck_ids)
        .where(~_seen(user_id))
        .order_by(Deck.name, Note.position, Card.ordinal)
        .limit(limit)
    )
    return [_study_card(c, n, d, h, None) for c, n, d, h in session.execute(query)]


def new_card_count(
    session: Session, user_id: int, deck_ids: Sequence[int] | None, limit: int
) -> int:
    """How many cards ``new_cards`` would list, counted up to ``limit``.

    Newest cards first: a student meets cards in authoring order, so those never
    reviewed are mostly the latest added, and the count stops as soon as it reaches
    ``limit`` instead of passing over every card already studied.
    """
    if limit <= 0:
        return 0
    return int(session.scalar(new_count_query(user_id, deck_ids, limit)) or 0)


def new_count_query(user_id: int, deck_ids: Sequence[int] | None, limit: int) -> Select[int]:
    """The statement ``new_card_count`` runs for a ``limit`` above 0."""
    query = (
        select(Card.id)
        .join(Note, Card.note_id == Note.id)
        .where(Card.retired_at.is_(None), Note.retired_at.is_(None), ~_seen(user_id))
        .order_by(Card.id.desc())
        .limit(limit)
    )
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    return select(func.count()).select_from(query.subquery())


def next_due_day(
    session: Session, user_id: int, deck_ids: Sequence[int] | None = None
) -> dt.date | None:
    query = (
        select(func.min(CardState.due_day))
        .join(Card, CardState.card_id == Card.id)
        .join(Note, Card.note_id == Note.id)
        .where(
            CardState.user_id == user_id,
            CardState.suspended.is_(False),
            Card.retired_at.is_(None),
            Note.retired_at.is_(None),
        )
    )
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    return session.scalar(query)


def todays_reviews(session: Session, user_id: int, day: dt.date) -> list[TodayReview]:
    """The user's answers on ``day`` that still stand (not undone), oldest first: those
    imported with their history too (the same study day elsewhere), so today's new cards
    and re-drills count as they did where they were answered."""
    return [TodayReview.of_row(*row) for row in session.execute(todays_reviews_query(user_id, day))]


def todays_reviews_query(user_id: int, day: dt.date) -> Select[int, int, str, int | None, int]:
    """The statement ``todays_reviews`` runs: the columns ``TodayReview.of_row`` takes."""
    return (
        select(Review.id, Review.card_id, Review.kind, Review.quality, Review.interval_before)
        .where(
            Review.user_id == user_id,
            Review.study_day == day,
            Review.kind.in_(("review", "redrill")),
            not_undone(),
        )
        .order_by(Review.id)
    )


def study_cards_by_id(
    session: Session,
    user_id: int,
    card_ids: Iterable[int],
    deck_ids: Sequence[int] | None = None,
    *,
    studyable: bool = False,
) -> list[StudyCard]:
    """Active cards by id (in the order given), limited to ``deck_ids`` when given; with
    ``studyable``, only those the user has not suspended."""
    ids = list(card_ids)
    if not ids:
        return []
    query = study_cards_by_id_query(user_id, ids, deck_ids, studyable=studyable)
    by_id = {c.id: _study_card(c, n, d, h, s) for c, n, d, h, s in session.execute(query)}
    return [by_id[i] for i in ids if i in by_id]


def study_cards_by_id_query(
    user_id: int,
    card_ids: Sequence[int],
    deck_ids: Sequence[int] | None = None,
    *,
    studyable: bool = False,
) -> Select[Card, Note, str, bool, CardState]:
    """The statement ``study_cards_by_id`` runs for a list of ids that is not empty."""
    query = (
        _study_card_query(deck_ids)
        .add_columns(CardState)
        .outerjoin(CardState, and_(CardState.card_id == Card.id, CardState.user_id == user_id))
        .where(Card.id.in_(card_ids))
    )
    if studyable:
        query = query.where(or_(CardState.suspended.is_(None), CardState.suspended.is_(False)))
    return query


def note_meta(session: Session, note_id: int) -> dict[str, Any]:
    """A note's metadata (what a typed answer to its cards is graded against)."""
    return dict(session.scalar(select(Note.meta).where(Note.id == note_id)) or {})
