"""Query functions. Each takes a session and never commits: the caller owns the transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Executable, Exists, Select, and_, exists, func, insert, or_, select, tuple_
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Deck, Note, Review, User
from flashcards_db.types import utcnow

__all__ = [
    "DeckCount",
    "StateValues",
    "StudyCard",
    "TodayReview",
    "apply_state",
    "card_state",
    "deck_counts",
    "decks_matching",
    "due_card_count",
    "due_cards",
    "get_or_create_user",
    "has_decks",
    "log_columns",
    "new_card_count",
    "new_cards",
    "next_due_day",
    "record_review",
    "set_suspended",
    "state_values",
    "study_cards_by_id",
    "todays_reviews",
    "undo_last_review",
]


@dataclass(frozen=True)
class StateValues:
    """The scheduling numbers of one card for one user, as the review log stores them."""

    repetitions: int = 0
    interval: int = 0
    easiness: float = 2.5
    due_day: dt.date | None = None
    lapses: int = 0


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

    @property
    def sibling_group(self) -> str:
        """Cards of one structure (or one cloze note) are siblings."""
        if self.structure_key is not None:
            deck_key = self.note_key.split("/", 1)[0]
            return f"{deck_key}/{self.structure_key}"
        return f"note:{self.note_id}"


@dataclass(frozen=True)
class TodayReview:
    id: int
    card_id: int
    kind: str
    quality: int | None
    new: bool  # the card had never been reviewed before this answer


@dataclass(frozen=True)
class DeckCount:
    name: str
    key: str
    cards: int
    new: int
    due: int
    suspended: int


def get_or_create_user(session: Session, name: str) -> User:
    """The user of that name; created on first use, even by two terminals at once."""
    query = select(User).where(User.name == name)
    user = session.scalars(query).one_or_none()
    if user is None:
        session.execute(
            _insert_ignoring_conflict(session, User, {"name": name, "created_at": utcnow()})
        )
        user = session.scalars(query).one()
    return user


def has_decks(session: Session) -> bool:
    return session.scalar(select(Deck.id).limit(1)) is not None


def decks_matching(session: Session, selector: str) -> list[Deck]:
    """A deck by full name (with its sub-decks) or by stable id."""
    query = select(Deck).where(
        or_(
            Deck.name == selector,
            Deck.name.startswith(selector + "::", autoescape=True),
            Deck.key == selector,
        )
    )
    return list(session.scalars(query.order_by(Deck.name)))


def _study_card_query(deck_ids: Sequence[int] | None) -> Select[Card, Note, str]:
    query = (
        select(Card, Note, Deck.name)
        .join(Note, Card.note_id == Note.id)
        .join(Deck, Note.deck_id == Deck.id)
        .where(Card.retired_at.is_(None), Note.retired_at.is_(None))
    )
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    return query


def _study_card(card: Card, note: Note, deck_name: str, state: CardState | None) -> StudyCard:
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
    )


def _due_query(
    columns: Sequence[Any],
    user_id: int,
    day: dt.date,
    deck_ids: Sequence[int] | None,
    excluding: Collection[int],
    after: StudyCard | None,
) -> Select[Any]:
    """``columns`` of the active cards of these decks due on ``day`` or before (not
    suspended, not buried), leaving out ``excluding`` and those up to ``after`` in the
    (due day, card id) order."""
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
    return query


# A page of due cards: plain columns in StudyCard's field order, not entities (building
# ORM objects and decoding two JSON columns per card is most of the cost of a page).
_STUDY_CARD_COLUMNS = (
    Card.id, Note.id, Note.key, Deck.name, Note.kind, Note.front, Note.back, Note.extra,
    Card.ordinal, Note.structure_key, Note.structure_name, Note.field, Note.image,
    Note.position, CardState.due_day, CardState.interval,
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
) -> list[StudyCard]:
    """Reviews due on ``day`` or before, most overdue first, then by card id.

    A page at a time: ``limit`` cards from just ``after`` the given one. Pages follow the
    order's columns, not an offset, so grades given between two pages (which move cards
    out of the due range) neither skip nor repeat a card. Card id, not authoring order,
    breaks ties within a day: an index on (user id, due day, card id) holds that order,
    so a page reads its own rows only, however many cards are due.
    """
    query = _due_query(_STUDY_CARD_COLUMNS, user_id, day, deck_ids, excluding, after)
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
) -> int:
    """How many cards ``due_cards`` lists in all its pages (after ``after``), up to ``cap``.

    With a cap the count reads at most ``cap`` due rows, in the index's order, so it costs
    the same on a day with ten thousand cards due as on a day with a hundred.
    """
    query = _due_query((Card.id,), user_id, day, deck_ids, excluding, after)
    if cap is not None:
        query = query.order_by(CardState.due_day, CardState.card_id).limit(cap)
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


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
    return [_study_card(c, n, d, None) for c, n, d in session.execute(query)]


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
    query = (
        select(Card.id)
        .join(Note, Card.note_id == Note.id)
        .where(Card.retired_at.is_(None), Note.retired_at.is_(None), ~_seen(user_id))
        .order_by(Card.id.desc())
        .limit(limit)
    )
    if deck_ids is not None:
        query = query.where(Note.deck_id.in_(deck_ids))
    return int(session.scalar(select(func.count()).select_from(query.subquery())) or 0)


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


def card_state(session: Session, user_id: int, card_id: int, *, lock: bool = False) -> CardState:
    """The user's state row for a card, created (as new) when missing.

    With ``lock`` the row is read FOR UPDATE (PostgreSQL; SQLite's BEGIN IMMEDIATE
    already serialises writers) and refreshed from the database, so a grade computes
    from the latest state. Two terminals of one student may both find the row missing:
    the insert then skips the row the other has just inserted (ON CONFLICT DO NOTHING
    waits for that transaction to end) instead of failing on the unique constraint.
    """
    query = select(CardState).where(CardState.user_id == user_id, CardState.card_id == card_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    state = session.scalars(query).one_or_none()
    if state is None:
        session.execute(_insert_ignoring_conflict(session, CardState, _new_state(user_id, card_id)))
        state = session.scalars(query).one()
    return state


def _new_state(user_id: int, card_id: int) -> dict[str, object]:
    return {
        "user_id": user_id,
        "card_id": card_id,
        "repetitions": 0,
        "interval": 0,
        "easiness": 2.5,
        "lapses": 0,
        "reviews": 0,
        "suspended": False,
        "leech": False,
        "updated_at": utcnow(),
    }


def _insert_ignoring_conflict(
    session: Session, table: type[User] | type[CardState], values: dict[str, object]
) -> Executable:
    """INSERT that yields to a row another transaction inserted first (unique key)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(values).on_conflict_do_nothing()
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).values(values).on_conflict_do_nothing()
    return insert(table).values(values)


def state_values(state: CardState) -> StateValues:
    """The scheduling numbers of a state row, as the review log records them."""
    return StateValues(
        repetitions=state.repetitions,
        interval=state.interval,
        easiness=state.easiness,
        due_day=state.due_day,
        lapses=state.lapses,
    )


def record_review(
    session: Session,
    *,
    user_id: int,
    card_id: int,
    day: dt.date,
    quality: int,
    schedule: Callable[[StateValues], StateValues] | None,
    typed_answer: str | None = None,
    duration_ms: int | None = None,
    mode: str | None = None,
    now: dt.datetime | None = None,
) -> Review:
    """Log one answer and, when ``schedule`` is given, move the card's state with it.

    ``schedule`` runs on the state read under lock in this transaction, so two terminals
    of one student can never compute from a stale state. Without it (a same-day re-drill)
    the answer is logged and the schedule stays where it is.
    """
    state = card_state(session, user_id, card_id, lock=True)
    if state.last_review_day == day:
        # SM-2 moves a card once a day, with the day's first grade; later grades that
        # day (the re-drill, or a second terminal) are logged only.
        schedule = None
    before = state_values(state)
    after = schedule(before) if schedule is not None else before
    review = Review(
        user_id=user_id,
        card_id=card_id,
        reviewed_at=now or utcnow(),
        study_day=day,
        kind="review" if schedule is not None else "redrill",
        quality=quality,
        mode=mode,
        typed_answer=typed_answer,
        duration_ms=duration_ms,
        **log_columns(before, after),
    )
    session.add(review)
    if schedule is not None:
        apply_state(state, after)
        state.last_review_day = day
        state.reviews += 1
    session.flush()
    return review


def log_columns(before: StateValues, after: StateValues) -> dict[str, object]:
    """The before/after columns of a review-log row."""
    return {
        "repetitions_before": before.repetitions,
        "interval_before": before.interval,
        "easiness_before": before.easiness,
        "due_before": before.due_day,
        "lapses_before": before.lapses,
        "repetitions_after": after.repetitions,
        "interval_after": after.interval,
        "easiness_after": after.easiness,
        "due_after": after.due_day,
        "lapses_after": after.lapses,
    }


def apply_state(state: CardState, values: StateValues) -> None:
    """Write scheduling numbers into a state row."""
    state.repetitions = values.repetitions
    state.interval = values.interval
    state.easiness = values.easiness
    state.due_day = values.due_day
    state.lapses = values.lapses
    state.updated_at = utcnow()


def _undone_ids(user_id: int):  # type: ignore[no-untyped-def]
    return select(Review.undoes_id).where(
        Review.user_id == user_id, Review.kind == "undo", Review.undoes_id.is_not(None)
    )


def undo_last_review(
    session: Session, user_id: int, *, day: dt.date, review_id: int | None = None
) -> Review | None:
    """Take back an answer (by default the user's last) not already taken back.

    Returns the answer taken back, or None when there is none.

    The answer stays in the log; an ``undo`` row records that it was taken back, and the
    card's state returns to what it was before the answer.
    """
    # Two terminals pressing undo together must not take back the same answer twice:
    # the user's row serialises them (SQLite's BEGIN IMMEDIATE already does).
    session.execute(select(User.id).where(User.id == user_id).with_for_update())
    query = (
        select(Review)
        .where(
            Review.user_id == user_id,
            Review.kind.in_(("review", "redrill")),
            Review.id.not_in(_undone_ids(user_id)),
        )
        .order_by(Review.id.desc())
        .limit(1)
    )
    if review_id is not None:
        query = query.where(Review.id == review_id)
    last = session.scalars(query).one_or_none()
    if last is None:
        return None
    state = card_state(session, user_id, last.card_id, lock=True)
    current = state_values(state)
    before = StateValues(
        repetitions=last.repetitions_before,
        interval=last.interval_before,
        easiness=last.easiness_before,
        due_day=last.due_before,
        lapses=last.lapses_before,
    )
    restored = before if last.kind == "review" else current
    session.add(
        Review(
            user_id=user_id,
            card_id=last.card_id,
            study_day=day,
            kind="undo",
            quality=None,
            undoes_id=last.id,
            **log_columns(current, restored),
        )
    )
    if last.kind == "review":
        apply_state(state, before)
        state.reviews = max(0, state.reviews - 1)
        state.last_review_day = _last_review_day(session, user_id, last.card_id, last.id)
    session.flush()
    return last


def _last_review_day(
    session: Session, user_id: int, card_id: int, excluding: int
) -> dt.date | None:
    return session.scalar(
        select(func.max(Review.study_day)).where(
            Review.user_id == user_id,
            Review.card_id == card_id,
            Review.kind == "review",
            Review.id != excluding,
            Review.id.not_in(_undone_ids(user_id)),
        )
    )


def set_suspended(session: Session, user_id: int, card_id: int, suspended: bool) -> None:
    state = card_state(session, user_id, card_id, lock=True)
    state.suspended = suspended
    state.updated_at = utcnow()
    session.flush()


def todays_reviews(session: Session, user_id: int, day: dt.date) -> list[TodayReview]:
    """The user's answers on ``day`` that still stand (not undone), oldest first."""
    query = (
        select(Review)
        .where(
            Review.user_id == user_id,
            Review.study_day == day,
            Review.kind.in_(("review", "redrill")),
            Review.id.not_in(_undone_ids(user_id)),
        )
        .order_by(Review.id)
    )
    return [
        TodayReview(
            id=r.id,
            card_id=r.card_id,
            kind=r.kind,
            quality=r.quality,
            new=r.kind == "review" and r.interval_before == 0,
        )
        for r in session.scalars(query)
    ]


def study_cards_by_id(
    session: Session,
    user_id: int,
    card_ids: Iterable[int],
    deck_ids: Sequence[int] | None = None,
) -> list[StudyCard]:
    """Active cards by id (in the order given), limited to ``deck_ids`` when given."""
    ids = list(card_ids)
    if not ids:
        return []
    query = (
        _study_card_query(deck_ids)
        .add_columns(CardState)
        .outerjoin(CardState, and_(CardState.card_id == Card.id, CardState.user_id == user_id))
        .where(Card.id.in_(ids))
    )
    by_id = {c.id: _study_card(c, n, d, s) for c, n, d, s in session.execute(query)}
    return [by_id[i] for i in ids if i in by_id]


def deck_counts(session: Session, user_id: int, day: dt.date) -> list[DeckCount]:
    """Per deck row: active cards, new, due on ``day`` or before, suspended."""
    state = and_(CardState.card_id == Card.id, CardState.user_id == user_id)
    suspended = func.coalesce(CardState.suspended, False)
    query = (
        select(
            Deck.name,
            Deck.key,
            func.count(Card.id),
            func.count(Card.id).filter(CardState.due_day.is_(None), suspended.is_(False)),
            func.count(Card.id).filter(CardState.due_day <= day, suspended.is_(False)),
            func.count(Card.id).filter(suspended.is_(True)),
        )
        .select_from(Deck)
        .outerjoin(Note, and_(Note.deck_id == Deck.id, Note.retired_at.is_(None)))
        .outerjoin(Card, and_(Card.note_id == Note.id, Card.retired_at.is_(None)))
        .outerjoin(CardState, state)
        .group_by(Deck.id, Deck.name, Deck.key)
        .order_by(Deck.name)
    )
    return [
        DeckCount(name=n, key=k, cards=c, new=nw, due=du, suspended=s)
        for n, k, c, nw, du, s in session.execute(query)
    ]
