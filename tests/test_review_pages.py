"""A day with more due cards than one page: the session takes them a page at a time.

Each test runs a real session over more due reviews than ``PAGE`` and compares it with
the whole day's list built at once (every due card, every new candidate, siblings kept
apart): the same cards in the same order, through re-drills, undo, suspension and the
limit, whichever page a card comes from.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, write
from sqlalchemy import select

from flashcards.scheduling.queue import PAGE, StudyQueue, pick_new
from flashcards.study.importing import import_deck_files
from flashcards.study.reviewing import ReviewSession
from flashcards_db.models import Card, CardState, Note
from flashcards_db.queries.reviews import set_suspended
from flashcards_db.queries.study import (
    StudyCard,
    due_card_count,
    due_cards,
    new_card_count,
    new_cards,
    study_cards_by_id,
    todays_reviews,
)

STRUCTURES = 140
UNSEEN = range(5, STRUCTURES, 6)  # every sixth structure is new; the others' origin is due
DUE = STRUCTURES - len(UNSEEN)  # 117: three pages
NEW_PER_DAY = 12


@pytest.fixture
def day(app: Any, tmp_path: Path) -> dict[tuple[int, str], int]:
    """140 two-field structures; the origin card of 117 of them is due, over three days.

    Due days go round so that neither card id nor authoring order alone gives the order,
    and the structures due today (on the last page) include the first ones authored.
    Returns card ids by (structure number, field).
    """
    lines = ["deck: Anatomy::Paging", "id: paging", "structures:"]
    for n in range(STRUCTURES):
        lines += [f"  - name: Muscle {n:03d}", f"    origin: Origin {n}", f"    insertion: End {n}"]
    import_deck_files(app, [write(tmp_path / "paging.yaml", "\n".join(lines) + "\n")])
    with app.session() as session:
        user_id = app.user_id(session)
        rows = session.execute(select(Note.structure_name, Note.field, Card.id).join(Card))
        cards = {(int(name.split()[-1]), field): card_id for name, field, card_id in rows}
        for n in (n for n in range(STRUCTURES) if n not in UNSEEN):
            session.add(
                CardState(
                    user_id=user_id,
                    card_id=cards[n, "origin"],
                    repetitions=2,
                    interval=6,
                    easiness=2.5,
                    due_day=TODAY - dt.timedelta(days=(n * 7) % 3),
                    last_review_day=TODAY - dt.timedelta(days=9),
                    lapses=0,
                    reviews=2,
                )
            )
    return cards


def whole_day(app: Any, limit: int | None = None) -> StudyQueue[StudyCard]:
    """Today's reviews and new cards listed at once: what the pages must add up to."""
    with app.session() as session:
        user_id = app.user_id(session)
        due = due_cards(session, user_id, TODAY)
        candidates = new_cards(session, user_id, None, NEW_PER_DAY * 5 + 50)
        answered = {r.card_id for r in todays_reviews(session, user_id, TODAY)}
        studied = study_cards_by_id(session, user_id, answered)
    new = pick_new(candidates, NEW_PER_DAY, {c.sibling_group for c in [*studied, *due]})
    return StudyQueue(reviews=due, new=new, limit=limit)


def asked(queue: StudyQueue[StudyCard]) -> tuple[int, bool, bool] | None:
    entry = queue.current
    return None if entry is None else (entry.card.card_id, entry.new, entry.redrill)


def test_every_due_card_of_every_page_comes_most_overdue_first_then_new_ones(
    app: Any, day: dict[tuple[int, str], int]
) -> None:
    session = ReviewSession(app, new_per_day=NEW_PER_DAY)
    expected = whole_day(app)
    assert len(session.queue) == len(expected) == DUE + NEW_PER_DAY
    assert session.queue.left() == expected.left() == (NEW_PER_DAY, DUE, 0)

    seen = []
    while session.queue.current is not None:
        assert asked(session.queue) == asked(expected)
        assert len(session.queue) == len(expected)
        assert session.queue.left() == expected.left()
        seen.append(session.queue.current)
        session.grade(5)
        expected.answer(5)
    assert expected.current is None

    reviews = [e.card for e in seen if not e.new]
    assert len(reviews) == len({c.card_id for c in reviews}) == DUE
    assert [(c.due_day, c.card_id) for c in reviews] == sorted(
        (c.due_day, c.card_id) for c in reviews
    )
    # New cards of structures due today, on whichever page, wait while other structures
    # have new cards: one card of each new structure, in authoring order.
    assert [e.card.card_id for e in seen if e.new] == [
        day[n, "origin"] for n in UNSEEN[:NEW_PER_DAY]
    ]
    assert (session.tally.reviews, session.tally.new) == (DUE, NEW_PER_DAY)
    with app.session() as db:
        user_id = app.user_id(db)
        assert due_cards(db, user_id, TODAY) == []


def test_redrills_undo_and_suspension_across_page_boundaries(
    app: Any, day: dict[tuple[int, str], int]
) -> None:
    session = ReviewSession(app, new_per_day=NEW_PER_DAY)
    expected = whole_day(app)
    # Steps around the ends of the first two pages: fail, undo, suspend, fail again.
    script = {PAGE - 2: "2", PAGE - 1: "u", PAGE: "s", 2 * PAGE - 1: "1", 2 * PAGE: "u"}
    step = 0
    while session.queue.current is not None:
        assert asked(session.queue) == asked(expected), f"step {step}"
        assert session.queue.left() == expected.left(), f"step {step}"
        action = script.get(step, "5")
        if action == "u":
            session.grade(4)
            expected.answer(4)
            undone = session.undo()
            assert undone is not None and undone == expected.undo()
        elif action == "s":
            assert session.suspend() == expected.drop_current()
        else:
            assert session.grade(int(action)).entry == expected.answer(int(action))
        step += 1
    assert expected.current is None
    assert session.tally.suspended == 1 and session.tally.undone == 2
    assert session.tally.reviews == DUE - 1


def test_limit_ends_the_session_inside_a_later_page(
    app: Any, day: dict[tuple[int, str], int]
) -> None:
    limit = PAGE + 3
    session = ReviewSession(app, new_per_day=NEW_PER_DAY, limit=limit)
    expected = whole_day(app, limit=limit)
    assert len(session.queue) == limit
    answered = 0
    while session.queue.current is not None:
        assert asked(session.queue) == asked(expected)
        session.grade(5)
        expected.answer(5)
        answered += 1
    assert answered == limit


def test_a_session_started_mid_day_picks_up_where_the_last_one_stopped(
    app: Any, day: dict[tuple[int, str], int]
) -> None:
    first = ReviewSession(app, new_per_day=NEW_PER_DAY)
    for quality in [5] * (PAGE + 5) + [2]:  # the last one is left to re-drill
        first.grade(quality)
    second = ReviewSession(app, new_per_day=NEW_PER_DAY)
    assert second.queue.left() == (NEW_PER_DAY, DUE - PAGE - 6, 1)
    assert asked(second.queue) == (first.tally.outcomes[-1].entry.card.card_id, False, True)
    expected = whole_day(app)
    second.grade(4)  # the re-drill
    while second.queue.current is not None:
        assert asked(second.queue) == asked(expected)
        second.grade(5)
        expected.answer(5)
    assert expected.current is None


def test_counts_agree_with_the_lists_they_count(app: Any, day: dict[tuple[int, str], int]) -> None:
    with app.session() as session:
        user_id = app.user_id(session)
        set_suspended(session, user_id, day[0, "origin"], True)  # due, now suspended
        set_suspended(session, user_id, day[5, "origin"], True)  # new, now suspended
        deck_id = session.scalar(select(Note.deck_id).limit(1))
        for decks in (None, [deck_id], [deck_id + 1]):
            due = due_cards(session, user_id, TODAY, decks)
            assert due_card_count(session, user_id, TODAY, decks) == len(due)
            leaving = [c.card_id for c in due[:3]]
            assert due_card_count(session, user_id, TODAY, decks, excluding=leaving) == len(
                due
            ) - len(leaving)
            new = new_cards(session, user_id, decks, 1000)
            for limit in (0, 1, 7, 1000):
                assert new_card_count(session, user_id, decks, limit) == min(limit, len(new))
        assert len(due_cards(session, user_id, TODAY)) == DUE - 1


def test_a_day_past_the_count_cap_is_counted_as_at_least_and_still_studied_whole(
    app: Any, day: dict[tuple[int, str], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first card never waits for the whole day's count: past the cap the count is a
    # lower bound, counted again as the session goes, and every due card still comes.
    from flashcards.study import reviewing

    monkeypatch.setattr(reviewing, "COUNT_CAP", 40)
    session = ReviewSession(app, new_per_day=NEW_PER_DAY)
    expected = whole_day(app)
    assert not session.queue.counted
    assert 40 <= len(session.queue) < len(expected)
    seen_exact = False
    while session.queue.current is not None:
        assert asked(session.queue) == asked(expected)
        assert len(session.queue) <= len(expected)  # never more than there are
        if session.queue.counted:
            seen_exact = True
            assert len(session.queue) == len(expected)
        session.grade(5)
        expected.answer(5)
    assert expected.current is None and seen_exact


def test_a_capped_count_reads_no_further_than_its_cap(
    app: Any, day: dict[tuple[int, str], int]
) -> None:
    with app.session() as session:
        user_id = app.user_id(session)
        due = due_cards(session, user_id, TODAY)
        assert due_card_count(session, user_id, TODAY, cap=30) == 30
        assert due_card_count(session, user_id, TODAY, cap=1000) == len(due)
        after = due[len(due) - 10]
        assert due_card_count(session, user_id, TODAY, after=after) == 9
        assert due_card_count(session, user_id, TODAY, after=after, cap=5) == 5


def test_two_terminals_of_one_student_share_the_days_new_card_limit(
    app: Any, day: dict[tuple[int, str], int]
) -> None:
    # New cards are chosen when a queue reaches them; by then another terminal may have
    # introduced the day's new cards: the second one must not introduce as many again.
    first = ReviewSession(app, new_per_day=NEW_PER_DAY)
    second = ReviewSession(app, new_per_day=NEW_PER_DAY)  # opened before the first ends
    for session in (first, second):
        while session.queue.current is not None:
            session.grade(5)
    with app.session() as session:
        user_id = app.user_id(session)
        introduced = {r.card_id for r in todays_reviews(session, user_id, TODAY) if r.new}
    assert len(introduced) == NEW_PER_DAY


def test_a_limit_within_a_capped_count_is_counted_exactly(
    app: Any, day: dict[tuple[int, str], int], monkeypatch: pytest.MonkeyPatch
) -> None:
    from flashcards.study import reviewing

    monkeypatch.setattr(reviewing, "COUNT_CAP", 40)
    assert not ReviewSession(app, new_per_day=NEW_PER_DAY).queue.counted  # 117 due: 40+
    limited = ReviewSession(app, new_per_day=NEW_PER_DAY, limit=20)
    assert limited.queue.counted and len(limited.queue) == 20
    assert limited.queue.left() == (0, 20, 0)
