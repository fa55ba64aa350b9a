"""The pure study queue: order, new-card allowance, siblings, same-day re-drill, undo."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from hypothesis import given
from hypothesis import strategies as st

from flashcards.scheduling.queue import (
    DayAnswer,
    StudyQueue,
    new_allowance,
    pending_redrills,
    pick_new,
    study_day,
)


@dataclass(frozen=True)
class C:
    card_id: int
    sibling_group: str = ""

    def __post_init__(self) -> None:
        if not self.sibling_group:
            object.__setattr__(self, "sibling_group", f"g{self.card_id}")


def ids(queue: StudyQueue[C]) -> list[int]:
    out = []
    while queue.current is not None:
        out.append(queue.current.card.card_id)
        queue.answer(5)
    return out


def test_study_day_starts_at_the_configured_hour() -> None:
    utc = dt.UTC
    assert study_day(dt.datetime(2026, 3, 2, 1, 30, tzinfo=utc), 4, utc) == dt.date(2026, 3, 1)
    assert study_day(dt.datetime(2026, 3, 2, 4, 0, tzinfo=utc), 4, utc) == dt.date(2026, 3, 2)
    assert study_day(dt.datetime(2026, 3, 2, 0, 0, tzinfo=utc), 0, utc) == dt.date(2026, 3, 2)
    with pytest.raises(ValueError):
        study_day(dt.datetime(2026, 3, 2, tzinfo=utc), 24, utc)


def test_queue_order_is_redrills_then_reviews_then_new_without_duplicates() -> None:
    queue = StudyQueue(redrills=[C(9)], reviews=[C(1), C(2), C(9)], new=[C(3), C(1)])
    assert ids(queue) == [9, 1, 2, 3]


def test_a_grade_below_four_comes_back_after_a_few_cards_until_it_reaches_four() -> None:
    queue = StudyQueue(reviews=[C(1), C(2), C(3), C(4), C(5)], gap=3)
    asked = []
    grades = {1: [2, 3, 4]}
    while queue.current is not None:
        card = queue.current.card.card_id
        asked.append((card, queue.current.redrill))
        queue.answer(grades.get(card, [5]).pop(0) if grades.get(card) else 5)
    assert asked == [
        (1, False), (2, False), (3, False), (4, False), (1, True),
        (5, False), (1, True),
    ]  # fmt: skip


def test_the_last_card_failed_alone_is_asked_again_at_once() -> None:
    queue = StudyQueue(reviews=[C(1)])
    queue.answer(1)
    assert queue.current is not None and queue.current.redrill
    assert queue.left() == (0, 0, 1)


def test_undo_puts_the_card_back_in_front_and_cancels_its_redrill() -> None:
    queue = StudyQueue(reviews=[C(1), C(2)])
    queue.answer(1)
    assert len(queue) == 2  # card 2, then the re-drill of 1
    entry = queue.undo()
    assert entry.card.card_id == 1 and not entry.redrill
    assert ids(queue) == [1, 2]
    assert not StudyQueue(reviews=[C(1)]).can_undo()


def test_drop_current_removes_every_queued_repeat() -> None:
    queue = StudyQueue(reviews=[C(1), C(2)], gap=0)
    queue.answer(1)  # card 1 re-queued in front
    assert queue.current is not None and queue.current.card.card_id == 1
    queue.drop_current()
    assert ids(queue) == [2]


def test_limit_caps_the_session_but_keeps_pending_redrills() -> None:
    queue = StudyQueue(redrills=[C(7)], reviews=[C(1), C(2)], new=[C(3)], limit=2)
    assert ids(queue) == [7, 1, 2]
    assert ids(StudyQueue(reviews=[C(1)], limit=0)) == []


def test_pending_redrills_are_cards_whose_latest_answer_today_is_below_four() -> None:
    answers = [
        DayAnswer(1, 2, first_of_day=True, new=True),
        DayAnswer(2, 5, first_of_day=True, new=False),
        DayAnswer(3, 3, first_of_day=True, new=False),
        DayAnswer(1, 4, first_of_day=False, new=False),
        DayAnswer(4, 1, first_of_day=True, new=True),
        DayAnswer(3, 2, first_of_day=False, new=False),
    ]
    assert pending_redrills(answers) == [4, 3]


@pytest.mark.parametrize(
    ("limit", "introduced", "cap", "expected"),
    [(20, 0, None, 20), (20, 15, None, 5), (20, 25, None, 0), (20, 0, 3, 3), (20, 18, 5, 2),
     (20, 0, 0, 0)],
)  # fmt: skip
def test_new_allowance_respects_the_daily_limit_and_the_session_cap(
    limit: int, introduced: int, cap: int | None, expected: int
) -> None:
    assert new_allowance(limit, introduced, cap) == expected


def test_pick_new_spreads_structures_before_taking_siblings() -> None:
    cards = [C(1, "a"), C(2, "a"), C(3, "a"), C(4, "b"), C(5, "b"), C(6, "c")]
    assert [c.card_id for c in pick_new(cards, 3, busy_groups=())] == [1, 4, 6]
    # A structure already studied or due today waits for another day when it can.
    assert [c.card_id for c in pick_new(cards, 2, busy_groups={"a"})] == [4, 6]
    # When the limit cannot be filled otherwise, siblings come, after the others.
    assert [c.card_id for c in pick_new(cards, 5, busy_groups=())] == [1, 4, 6, 2, 3]
    assert pick_new(cards, 0, ()) == []


@given(
    st.lists(st.tuples(st.integers(0, 30), st.sampled_from("abcde")), unique_by=lambda t: t[0]),
    st.integers(0, 40),
    st.sets(st.sampled_from("abcde")),
)
def test_pick_new_is_an_ordered_selection_within_the_limit(
    raw: list[tuple[int, str]], limit: int, busy: set[str]
) -> None:
    cards = [C(i, g) for i, g in raw]
    picked = pick_new(cards, limit, busy)
    assert len(picked) == min(limit, len(cards))
    assert len({c.card_id for c in picked}) == len(picked)
    fresh = [c for c in picked if c.sibling_group not in busy]
    groups = [c.sibling_group for c in fresh]
    # Every group not busy appears before any repeat of a group.
    first_repeat = next((i for i, g in enumerate(groups) if g in groups[:i]), len(groups))
    assert len(set(groups[:first_repeat])) == first_repeat


@given(st.lists(st.integers(0, 5), min_size=1, max_size=60))
def test_every_card_ends_the_session_with_a_grade_of_four_or_more(grades: list[int]) -> None:
    queue = StudyQueue(reviews=[C(i) for i in range(5)])
    last: dict[int, int] = {}
    feed = iter(grades)
    while queue.current is not None:
        card = queue.current.card.card_id
        grade = next(feed, 5)
        last[card] = grade
        queue.answer(grade)
    assert set(last) == set(range(5))
    assert all(g >= 4 for g in last.values())
