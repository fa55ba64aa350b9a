"""Re-drills are spaced out: a failed card comes back after a few fresh cards (reviews or
new cards) while such cards wait, never in a ring of failed cards taking turns; the
session still ends with every re-drill at 4 or more (SM-2 step 7)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from conftest import Cli, ok, write
from hypothesis import given, settings
from hypothesis import strategies as st
from test_session import C

from flashcards.scheduling.queue import PASSING_REDRILL, StudyQueue

GAP = 3


def run_session(queue: StudyQueue[C], grade: object) -> list[tuple[int, bool, int]]:
    """(card, re-drill?, grade) for every answer, until the queue is empty."""
    answers: list[tuple[int, bool, int]] = []
    while queue.current is not None:
        entry = queue.current
        quality = grade(entry.card.card_id, entry.redrill, len(answers))  # type: ignore[operator]
        answers.append((entry.card.card_id, entry.redrill, quality))
        queue.answer(quality)
        assert len(answers) < 10_000
    return answers


def assert_no_redrills_back_to_back_while_reviews_wait(
    answers: list[tuple[int, bool, int]],
) -> None:
    fresh_left = [sum(not r for _, r, _ in answers[i + 1 :]) for i in range(len(answers))]
    for i in range(1, len(answers)):
        both = answers[i - 1][1] and answers[i][1]
        assert not (both and fresh_left[i]), f"two re-drills in a row at answer {i}"


def test_failing_every_card_interleaves_re_drills_with_waiting_reviews() -> None:
    # As when a student fails every card: each first answer 1, each re-drill 5.
    queue = StudyQueue(reviews=[C(i) for i in range(1, 61)], gap=GAP)
    answers = run_session(queue, lambda card, redrill, n: 5 if redrill else 1)
    assert_no_redrills_back_to_back_while_reviews_wait(answers)
    # Every failed card came back after at least GAP other cards.
    last_seen: dict[int, int] = {}
    for i, (card, redrill, _) in enumerate(answers):
        if redrill:
            assert i - last_seen[card] - 1 >= GAP
        last_seen[card] = i
    assert len(answers) == 120  # each card twice: failed once, then passed


def test_cards_failed_over_and_over_never_crowd_out_the_reviews() -> None:
    # Four cards failed again and again (the student keeps forgetting them) while 62
    # reviews wait: the reviews keep coming between them.
    queue = StudyQueue(reviews=[C(i) for i in range(1, 67)], gap=GAP)
    stubborn = {1, 2, 3, 4}
    answers = run_session(queue, lambda card, redrill, n: 1 if card in stubborn and n < 200 else 5)
    reviews_answered = sum(not redrill for _, redrill, _ in answers[:100])
    assert reviews_answered >= 40  # not 4 cards turning 66 times while the reviews wait
    assert_no_redrills_back_to_back_while_reviews_wait(answers)


@settings(max_examples=200, deadline=None)
@given(
    n=st.integers(1, 25),
    grades=st.lists(st.integers(0, 5), min_size=1, max_size=200),
    gap=st.integers(1, 4),
)
def test_the_session_ends_with_every_card_at_four_or_more(
    n: int, grades: list[int], gap: int
) -> None:
    queue = StudyQueue(reviews=[C(i) for i in range(1, n + 1)], gap=gap)
    answers = run_session(queue, lambda card, redrill, k: grades[k] if k < len(grades) else 5)
    last: dict[int, int] = {}
    for card, _, quality in answers:
        last[card] = quality
    assert set(last) == set(range(1, n + 1))
    assert all(q >= PASSING_REDRILL for q in last.values())
    # A re-drill follows at least `gap` other cards whenever that many were waiting.
    for i, (card, redrill, _) in enumerate(answers):
        if redrill:
            before = max(j for j in range(i) if answers[j][0] == card)
            others_after = len({a[0] for a in answers[before + 1 :] if a[0] != card})
            assert i - before - 1 >= min(gap, others_after)


KNEE8 = "deck: Anatomy::Knee\nid: knee\ncards:\n" + "".join(
    f"  - {{id: k{i}, q: Knee question {i}?, a: Answer {i}}}\n" for i in range(1, 9)
)


def test_a_session_failing_every_card_spaces_them_and_ends_with_all_passed(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE8))))
    # The first eight answers fail, every later one passes.
    out = ok(run("review", input="\n1\n" * 8 + "\n5\n" * 20))
    order = re.findall(r"Knee question (\d)\?", out)
    for i in range(1, len(order)):
        assert order[i] != order[i - 1]
    assert "Session over" in out and "left for today" not in out
    status = json.loads(ok(run("status", "--json")))
    assert status["redrills"] == 0 and status["due"] == 0


def test_re_drills_left_from_earlier_today_are_spaced_too() -> None:
    # A session quit with three failed cards pending: the next one starts with them,
    # a waiting review between each two.
    queue = StudyQueue(redrills=[C(91), C(92), C(93)], reviews=[C(i) for i in range(1, 6)])
    answers = run_session(queue, lambda card, redrill, n: 5)
    assert [card for card, _, _ in answers] == [91, 1, 92, 2, 93, 3, 4, 5]
    assert_no_redrills_back_to_back_while_reviews_wait(answers)
