"""The pure study queue fed a page at a time (``Pending``) against the same cards listed.

Whatever the grades, undos and suspensions, a queue that takes its reviews and new cards
page by page asks exactly what the queue holding every card asks, and counts the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.scheduling.queue import PAGE, Pending, StudyQueue


@dataclass(frozen=True)
class C:
    card_id: int
    sibling_group: str = ""


class Source:
    """Cards handed out in order, a page per call, with every request kept."""

    def __init__(self, cards: Sequence[C]) -> None:
        self.cards = list(cards)
        self.taken = 0
        self.requests: list[int] = []

    def fetch(self, n: int) -> list[C]:
        self.requests.append(n)
        page = self.cards[self.taken : self.taken + n]
        self.taken += len(page)
        return page

    def pending(self, count: int | None = None) -> Pending[C]:
        return Pending(len(self.cards) if count is None else count, self.fetch)


def cards(ids: Sequence[int]) -> list[C]:
    return [C(i) for i in ids]


def test_only_the_first_page_is_taken_before_the_first_card() -> None:
    reviews, new = Source(cards(range(1, 1001))), Source(cards(range(2001, 2021)))
    queue = StudyQueue(reviews=reviews.pending(), new=new.pending())
    assert queue.current is not None and queue.current.card.card_id == 1
    assert reviews.requests == [PAGE] and new.requests == []
    assert len(queue) == 1020 and queue.left() == (20, 1000, 0)


def test_new_cards_are_taken_only_after_the_last_review() -> None:
    reviews, new = Source(cards(range(1, PAGE + 3))), Source(cards([90, 91]))
    queue = StudyQueue(reviews=reviews.pending(), new=new.pending())
    order = []
    while queue.current is not None:
        order.append(queue.current.card.card_id)
        if order[-1] == PAGE - 1:
            assert new.requests == []
        queue.answer(5)
    assert order == [*range(1, PAGE + 3), 90, 91]


def test_a_source_that_ends_early_ends_its_part_of_the_queue() -> None:
    # Counted 80, but only 60 are left when the pages are read (graded elsewhere).
    reviews, new = Source(cards(range(1, 61))), Source(cards([99]))
    queue = StudyQueue(reviews=reviews.pending(count=80), new=new.pending())
    order = []
    while queue.current is not None:
        order.append(queue.current.card.card_id)
        queue.answer(5)
    assert order == [*range(1, 61), 99]


def test_a_pending_source_skips_cards_already_queued() -> None:
    queue = StudyQueue(redrills=[C(3)], reviews=Source(cards([1, 3, 2])).pending(count=2))
    order = []
    while queue.current is not None:
        order.append(queue.current.card.card_id)
        queue.answer(5)
    assert order == [3, 1, 2]


actions = st.lists(st.one_of(st.integers(0, 5), st.sampled_from(["u", "s"])), max_size=400)


@settings(max_examples=60, deadline=None)
@given(
    review_count=st.integers(0, 3 * PAGE),
    new_count=st.integers(0, 25),
    redrills=st.lists(st.integers(5000, 5005), max_size=3, unique=True),
    limit=st.none() | st.integers(0, 3 * PAGE),
    gap=st.integers(0, 5),
    script=actions,
)
def test_pages_ask_exactly_what_the_whole_list_asks(
    review_count: int,
    new_count: int,
    redrills: list[int],
    limit: int | None,
    gap: int,
    script: list[int | str],
) -> None:
    reviews = cards(range(1, review_count + 1))
    new = cards(range(1000, 1000 + new_count))
    listed = StudyQueue(redrills=cards(redrills), reviews=reviews, new=new, limit=limit, gap=gap)
    paged = StudyQueue(
        redrills=cards(redrills),
        reviews=Source(reviews).pending(),
        new=Source(new).pending(),
        limit=limit,
        gap=gap,
    )
    for action in [*script, *[5] * (4 * PAGE + 40)]:
        assert paged.current == listed.current
        assert len(paged) == len(listed)
        assert paged.left() == listed.left()
        if listed.current is None:
            break
        if action == "u":
            if listed.can_undo():
                assert paged.undo() == listed.undo()
        elif action == "s":
            assert paged.drop_current() == listed.drop_current()
        else:
            assert isinstance(action, int)
            assert paged.answer(action) == listed.answer(action)
