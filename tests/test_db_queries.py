"""Queries over one user's study: reviews and undo, today's queue, deck counts, users."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from flashcards_db.engine import make_sessionmaker
from flashcards_db.models import Card, CardState, Note, Review, User
from flashcards_db.queries.decks import DeckCount, deck_counts
from flashcards_db.queries.reviews import (
    StateValues,
    card_state,
    record_review,
    set_suspended,
    undo_last_review,
)
from flashcards_db.queries.study import TodayReview, due_cards, new_cards, todays_reviews
from flashcards_db.queries.sync import sync_deck
from flashcards_db.queries.users import get_or_create_user

DAY = dt.date(2026, 3, 2)
YESTERDAY = DAY - dt.timedelta(days=1)
TOMORROW = DAY + dt.timedelta(days=1)
T1 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)

Schedule = Callable[[StateValues], StateValues]


@dataclass(frozen=True)
class DeckIn:
    """Satisfies ``DeckContent``."""

    key: str
    name: str
    description: str | None = None
    source: str | None = None
    tags: Sequence[str] = ()
    html: bool = False
    source_path: str | None = None


@dataclass(frozen=True)
class NoteIn:
    """Satisfies ``NoteContent``: a basic card, or a cloze note with ``ordinals``."""

    key: str
    front: str = "?"
    back: str = "!"
    kind: str = "basic"
    extra: str | None = None
    structure_key: str | None = None
    structure_name: str | None = None
    field: str | None = None
    meta: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    image: str | None = None
    tags: Sequence[str] = ()
    ordinals: Sequence[int] = (0,)


HIP = DeckIn(key="hip", name="Anatomy::Lower limb::Hip")
ARM = DeckIn(key="arm", name="Anatomy::Upper limb::Arm")


@pytest.fixture
def ana(session: Session) -> int:
    return get_or_create_user(session, "ana").id


def add_deck(session: Session, deck: DeckIn, *keys: str, now: dt.datetime = T1) -> dict[str, int]:
    """Sync basic notes named ``keys`` (in that order); note key -> its card id."""
    sync_deck(session, deck, [NoteIn(key=f"{deck.key}/{k}") for k in keys], now=now)
    return card_map(session)


def card_map(session: Session) -> dict[str, int]:
    query = select(Note.key, Card.id).join(Card).where(Card.ordinal == 0)
    return {key.split("/", 1)[1]: card_id for key, card_id in session.execute(query)}


def sm2_like(before: StateValues) -> StateValues:
    """A stand-in scheduler: each review adds a repetition and doubles the interval."""
    interval = max(1, before.interval * 2)
    return dataclasses.replace(
        before,
        repetitions=before.repetitions + 1,
        interval=interval,
        easiness=round(before.easiness + 0.1, 2),
        due_day=(before.due_day or DAY) + dt.timedelta(days=interval),
    )


def due_on(day: dt.date) -> Schedule:
    def schedule(before: StateValues) -> StateValues:
        return dataclasses.replace(before, repetitions=before.repetitions + 1, due_day=day)

    return schedule


def review(
    session: Session,
    user_id: int,
    card_id: int,
    *,
    day: dt.date = DAY,
    quality: int = 4,
    schedule: Schedule | None = sm2_like,
) -> Review:
    return record_review(
        session, user_id=user_id, card_id=card_id, day=day, quality=quality, schedule=schedule
    )


def values(session: Session, user_id: int, card_id: int) -> StateValues:
    state = card_state(session, user_id, card_id)
    return StateValues(
        state.repetitions, state.interval, state.easiness, state.due_day, state.lapses
    )


def log(session: Session, user_id: int) -> list[tuple[str, int | None, int | None]]:
    """The user's review log, oldest first: (kind, quality, id of the answer undone)."""
    query = select(Review).where(Review.user_id == user_id).order_by(Review.id)
    return [(r.kind, r.quality, r.undoes_id) for r in session.scalars(query)]


# --- record_review ---------------------------------------------------------------------


def test_record_review_moves_the_state_and_logs_before_and_after(
    session: Session, ana: int
) -> None:
    card = add_deck(session, HIP, "psoas")["psoas"]
    moment = dt.datetime(2026, 3, 2, 9, 15, tzinfo=dt.UTC)

    logged = record_review(
        session,
        user_id=ana,
        card_id=card,
        day=DAY,
        quality=5,
        schedule=sm2_like,
        typed_answer="lesser trochanter",
        duration_ms=4200,
        now=moment,
    )

    after = StateValues(repetitions=1, interval=1, easiness=2.6, due_day=TOMORROW, lapses=0)
    assert values(session, ana, card) == after
    state = card_state(session, ana, card)
    assert (state.last_review_day, state.reviews) == (DAY, 1)
    assert (logged.kind, logged.quality, logged.study_day, logged.reviewed_at) == (
        "review",
        5,
        DAY,
        moment,
    )
    assert (logged.typed_answer, logged.duration_ms) == ("lesser trochanter", 4200)
    assert (
        logged.repetitions_before,
        logged.interval_before,
        logged.easiness_before,
        logged.due_before,
        logged.lapses_before,
    ) == (0, 0, 2.5, None, 0)
    assert (
        logged.repetitions_after,
        logged.interval_after,
        logged.easiness_after,
        logged.due_after,
        logged.lapses_after,
    ) == (1, 1, 2.6, TOMORROW, 0)


def test_only_the_days_first_grade_moves_the_state_later_ones_are_redrills(
    session: Session, ana: int
) -> None:
    card = add_deck(session, HIP, "psoas")["psoas"]
    review(session, ana, card, quality=2)
    moved = values(session, ana, card)

    redrill = review(session, ana, card, quality=5)  # a schedule is passed, and ignored

    assert redrill.kind == "redrill"
    assert values(session, ana, card) == moved
    assert card_state(session, ana, card).reviews == 1
    assert (redrill.repetitions_before, redrill.due_before) == (moved.repetitions, moved.due_day)
    assert (redrill.repetitions_after, redrill.due_after) == (moved.repetitions, moved.due_day)

    next_day = review(session, ana, card, day=TOMORROW)  # a new day moves it again

    assert next_day.kind == "review"
    assert values(session, ana, card).repetitions == moved.repetitions + 1


# --- undo ------------------------------------------------------------------------------


def test_undo_restores_the_previous_state_and_appends_to_the_log(
    session: Session, ana: int
) -> None:
    card = add_deck(session, HIP, "psoas")["psoas"]
    review(session, ana, card, day=YESTERDAY)
    after_first = values(session, ana, card)
    second = review(session, ana, card, day=DAY, quality=3)

    undone = undo_last_review(session, ana, day=DAY)

    assert undone is not None and undone.id == second.id
    assert values(session, ana, card) == after_first
    # Append-only: the answer is still there; an undo row points at it.
    assert log(session, ana) == [
        ("review", 4, None),
        ("review", 3, None),
        ("undo", None, second.id),
    ]
    # The day's first grade is free again: answering anew moves the state.
    again = review(session, ana, card, day=DAY, quality=5)
    assert again.kind == "review"
    assert values(session, ana, card) != after_first


def test_a_second_undo_takes_back_the_answer_before(session: Session, ana: int) -> None:
    cards = add_deck(session, HIP, "psoas", "iliacus")
    first = review(session, ana, cards["psoas"])
    second = review(session, ana, cards["iliacus"])

    assert undo_last_review(session, ana, day=DAY) == second
    assert undo_last_review(session, ana, day=DAY) == first
    assert undo_last_review(session, ana, day=DAY) is None

    assert [k for k, _, _ in log(session, ana)] == ["review", "review", "undo", "undo"]
    for card in cards.values():
        assert values(session, ana, card) == StateValues()
        assert card_state(session, ana, card).last_review_day is None
    # Both cards are new again.
    assert [c.card_id for c in new_cards(session, ana, None, 10)] == list(cards.values())


def test_undo_of_a_redrill_leaves_the_state(session: Session, ana: int) -> None:
    card = add_deck(session, HIP, "psoas")["psoas"]
    first = review(session, ana, card, quality=2)
    moved = values(session, ana, card)
    redrill = review(session, ana, card, quality=4)

    assert undo_last_review(session, ana, day=DAY) == redrill
    assert values(session, ana, card) == moved
    state = card_state(session, ana, card)
    assert (state.last_review_day, state.reviews) == (DAY, 1)

    assert undo_last_review(session, ana, day=DAY) == first
    assert values(session, ana, card) == StateValues()


def test_undoing_a_redrill_by_id_after_a_later_review_leaves_the_state(
    session: Session, ana: int
) -> None:
    card = add_deck(session, HIP, "psoas")["psoas"]
    review(session, ana, card, day=YESTERDAY, quality=2)
    redrill = review(session, ana, card, day=YESTERDAY, quality=4)
    review(session, ana, card, day=DAY)
    current = values(session, ana, card)

    assert undo_last_review(session, ana, day=DAY, review_id=redrill.id) == redrill
    assert values(session, ana, card) == current
    undo = session.scalars(select(Review).where(Review.kind == "undo")).one()
    assert undo.undoes_id == redrill.id
    logged = StateValues(
        undo.repetitions_after,
        undo.interval_after,
        undo.easiness_after,
        undo.due_after,
        undo.lapses_after,
    )
    assert logged == current  # the log says what the state is: unmoved


def test_undo_takes_back_only_the_users_own_answers(session: Session, ana: int) -> None:
    card = add_deck(session, HIP, "psoas")["psoas"]
    ben = get_or_create_user(session, "ben").id
    anas = review(session, ana, card)
    review(session, ben, card)  # the last answer overall is ben's
    bens = values(session, ben, card)

    assert undo_last_review(session, ana, day=DAY) == anas
    assert values(session, ana, card) == StateValues()
    assert values(session, ben, card) == bens
    assert log(session, ben) == [("review", 4, None)]
    assert undo_last_review(session, ana, day=DAY) is None


# --- due_cards -------------------------------------------------------------------------


def test_due_cards_are_due_by_the_day_active_and_most_overdue_first(
    session: Session, ana: int
) -> None:
    keys = ["today", "overdue3", "overdue1", "future", "suspended", "retired"]
    notes = [NoteIn(key=f"hip/{k}") for k in keys]
    plexus = NoteIn(key="hip/plexus", kind="cloze", ordinals=(1, 2))
    sync_deck(session, HIP, [*notes, plexus], now=T1)
    cards = card_map(session)
    c2 = session.scalar(select(Card.id).join(Note).where(Note.key == plexus.key, Card.ordinal == 2))
    due = {
        "today": DAY,
        "overdue3": DAY - dt.timedelta(days=3),
        "overdue1": YESTERDAY,
        "future": TOMORROW,
        "suspended": DAY - dt.timedelta(days=9),
        "retired": DAY - dt.timedelta(days=9),
    }
    for key, day in due.items():
        review(session, ana, cards[key], day=T1.date(), schedule=due_on(day))
    review(session, ana, c2, day=T1.date(), schedule=due_on(DAY - dt.timedelta(days=9)))
    set_suspended(session, ana, cards["suspended"], True)
    # The note "retired" leaves the deck, and so does the cloze's c2 (its note stays).
    kept = [n for n in notes if n.key != "hip/retired"]
    sync_deck(session, HIP, [*kept, dataclasses.replace(plexus, ordinals=(1,))], now=T2)

    got = [(c.card_id, c.due_day) for c in due_cards(session, ana, DAY)]

    assert got == [
        (cards["overdue3"], due["overdue3"]),
        (cards["overdue1"], due["overdue1"]),
        (cards["today"], DAY),
    ]
    ben = get_or_create_user(session, "ben").id
    assert due_cards(session, ben, DAY) == []  # states are ana's
    assert [c.card_id for c in due_cards(session, ana, YESTERDAY)] == [
        cards["overdue3"],
        cards["overdue1"],
    ]


# --- new_cards -------------------------------------------------------------------------


def test_new_cards_are_never_reviewed_ones_in_authoring_order(session: Session, ana: int) -> None:
    # Created in an order unlike the authoring order: the arm deck first, its notes
    # reordered afterwards, so neither id nor key order gives the right answer.
    sync_deck(session, ARM, [NoteIn(key="arm/a-biceps"), NoteIn(key="arm/b-triceps")], now=T1)
    sync_deck(session, ARM, [NoteIn(key="arm/b-triceps"), NoteIn(key="arm/a-biceps")], now=T2)
    sync_deck(
        session,
        HIP,
        [
            NoteIn(key="hip/z-psoas"),
            NoteIn(key="hip/plexus", kind="cloze", ordinals=(2, 1)),
            NoteIn(key="hip/reviewed"),
            NoteIn(key="hip/suspended"),
        ],
        now=T1,
    )
    ids = {
        (key, ordinal): card_id
        for key, ordinal, card_id in session.execute(
            select(Note.key, Card.ordinal, Card.id).join(Card)
        )
    }
    review(session, ana, ids["hip/reviewed", 0])
    set_suspended(session, ana, ids["hip/suspended", 0], True)

    got = [(c.note_key, c.ordinal) for c in new_cards(session, ana, None, 100)]

    # "Anatomy::Lower limb::Hip" sorts before "Anatomy::Upper limb::Arm".
    assert got == [
        ("hip/z-psoas", 0),
        ("hip/plexus", 1),
        ("hip/plexus", 2),
        ("arm/b-triceps", 0),
        ("arm/a-biceps", 0),
    ]
    assert [(c.note_key, c.ordinal) for c in new_cards(session, ana, None, 2)] == got[:2]
    assert new_cards(session, ana, None, 0) == []
    arm_id = session.scalar(select(Note.deck_id).where(Note.key == "arm/a-biceps"))
    assert new_cards(session, ana, [arm_id], 100) == new_cards(session, ana, None, 100)[3:]
    # Another user has seen none of them.
    ben = get_or_create_user(session, "ben").id
    assert len(new_cards(session, ben, None, 100)) == 7


def test_new_cards_exclude_retired_notes(session: Session, ana: int) -> None:
    add_deck(session, HIP, "psoas", "iliacus")
    add_deck(session, HIP, "iliacus", now=T2)

    assert [c.note_key for c in new_cards(session, ana, None, 10)] == ["hip/iliacus"]


# --- deck_counts -----------------------------------------------------------------------


def test_deck_counts_per_deck_exclude_retired_cards(session: Session, ana: int) -> None:
    keys = ["new", "due", "overdue", "later", "suspended", "new-suspended"]
    plexus = NoteIn(key="hip/plexus", kind="cloze", ordinals=(1, 2))
    sync_deck(session, HIP, [*(NoteIn(key=f"hip/{k}") for k in [*keys, "gone"]), plexus], now=T1)
    hip = card_map(session)
    for key, day in [
        ("due", DAY),
        ("overdue", YESTERDAY),
        ("later", TOMORROW),
        ("suspended", YESTERDAY),
        ("gone", YESTERDAY),
    ]:
        review(session, ana, hip[key], day=T1.date(), schedule=due_on(day))
    set_suspended(session, ana, hip["suspended"], True)
    set_suspended(session, ana, hip["new-suspended"], True)
    # Retired: the note "gone" (due, reviewed) and the cloze's c2 (new); c1 stays new.
    one_cloze = dataclasses.replace(plexus, ordinals=(1,))
    sync_deck(session, HIP, [*(NoteIn(key=f"hip/{k}") for k in keys), one_cloze], now=T2)
    add_deck(session, ARM, "biceps", "triceps")

    counts = deck_counts(session, ana, DAY)

    assert counts == [
        DeckCount(name=HIP.name, key="hip", cards=7, new=2, due=2, suspended=2),
        DeckCount(name=ARM.name, key="arm", cards=2, new=2, due=0, suspended=0),
    ]
    ben = get_or_create_user(session, "ben").id
    assert deck_counts(session, ben, DAY)[0] == DeckCount(
        name=HIP.name, key="hip", cards=7, new=7, due=0, suspended=0
    )


# --- todays_reviews --------------------------------------------------------------------


def test_todays_reviews_exclude_undone_answers_and_other_days(session: Session, ana: int) -> None:
    cards = add_deck(session, HIP, "psoas", "iliacus", "old")
    review(session, ana, cards["old"], day=YESTERDAY)
    first = review(session, ana, cards["psoas"], quality=2)
    redrill = review(session, ana, cards["psoas"], quality=4)
    review(session, ana, cards["iliacus"], quality=5)
    undo_last_review(session, ana, day=DAY)
    again = review(session, ana, cards["old"], quality=5)

    assert todays_reviews(session, ana, DAY) == [
        TodayReview(id=first.id, card_id=cards["psoas"], kind="review", quality=2, new=True),
        TodayReview(id=redrill.id, card_id=cards["psoas"], kind="redrill", quality=4, new=False),
        TodayReview(id=again.id, card_id=cards["old"], kind="review", quality=5, new=False),
    ]


# --- users -----------------------------------------------------------------------------


def test_get_or_create_user_is_idempotent(engine: Engine) -> None:
    sessions = make_sessionmaker(engine)
    with sessions() as session, session.begin():
        ana = get_or_create_user(session, "ana").id
        assert get_or_create_user(session, "ana").id == ana
    with sessions() as session, session.begin():
        assert get_or_create_user(session, "ana").id == ana
        ben = get_or_create_user(session, "ben").id
    with sessions() as session:
        assert ben != ana
        assert sorted(session.scalars(select(User.name))) == ["ana", "ben"]


def test_scheduling_state_is_per_user(session: Session, ana: int) -> None:
    card = add_deck(session, HIP, "psoas")["psoas"]
    ben = get_or_create_user(session, "ben").id

    review(session, ana, card, day=YESTERDAY, schedule=due_on(DAY))
    review(session, ben, card, day=YESTERDAY, schedule=due_on(TOMORROW + dt.timedelta(days=5)))
    review(session, ben, card, day=DAY, quality=1)  # ben's day, not ana's

    assert card_state(session, ana, card).due_day == DAY
    assert card_state(session, ben, card).reviews == 2
    assert card_state(session, ana, card).reviews == 1
    assert [c.card_id for c in due_cards(session, ana, DAY)] == [card]
    assert due_cards(session, ben, DAY) == []
    # Ana's first grade today still moves her state: ben's answer today did not count.
    assert review(session, ana, card, day=DAY).kind == "review"
    assert len(session.scalars(select(CardState).where(CardState.card_id == card)).all()) == 2


# --- study days (streaks) --------------------------------------------------------------


def test_study_days_are_the_days_with_a_standing_study_answer(session: Session, ana: int) -> None:
    # Found a day at a time through the index: every kind of day that must not count
    # (undone only, quiz and import only, another user's) sits between days that do.
    from flashcards_db.queries.status import study_days

    cards = add_deck(session, HIP, "a", "b", "c")
    ben = get_or_create_user(session, "ben").id
    d = [DAY - dt.timedelta(days=n) for n in range(10, -1, -1)]  # d[10] is DAY
    first = review(session, ana, cards["a"], day=d[0])
    review(session, ana, cards["b"], day=d[2], quality=1)
    review(session, ana, cards["b"], day=d[2], schedule=None)  # the day's re-drill
    review(session, ana, cards["c"], day=d[4])
    undo_last_review(session, ana, day=d[4])  # d[4]: its only answer taken back
    review(session, ben, cards["a"], day=d[5])  # another student's day
    logged = [c.key for c in Review.__table__.columns if c.key.endswith(("_before", "_after"))]
    for kind, n in (("quiz", 6), ("import", 7)):
        row = {c: getattr(first, c) for c in logged}
        session.add(Review(user_id=ana, card_id=cards["a"], study_day=d[n], kind=kind, **row))
    review(session, ana, cards["c"], day=d[8])
    review(session, ana, cards["a"], day=d[8])
    undo_last_review(session, ana, day=d[8])  # one of two taken back: the day stands
    review(session, ana, cards["c"], day=d[10])
    session.flush()
    assert study_days(session, ana) == [d[0], d[2], d[8], d[10]]
    assert study_days(session, ben) == [d[5]]
    assert study_days(session, get_or_create_user(session, "cleo").id) == []
