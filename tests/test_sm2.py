"""SM-2 as written in SM2.md: golden histories, per-grade rules, validation, invariants."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Iterable
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import flashcards.sm2 as sm2
from flashcards.sm2 import MIN_EASINESS, QUALITY_MEANINGS, Sm2State, ef_delta, review

grades = st.integers(min_value=0, max_value=5)
grade_histories = st.lists(grades, max_size=40)


def run(grades: Iterable[int], state: Sm2State | None = None) -> list[Sm2State]:
    """Every state after each review of ``grades``, starting from a new card."""
    state = Sm2State() if state is None else state
    states = []
    for quality in grades:
        state = review(state, quality)
        states.append(state)
    return states


def intervals(states: list[Sm2State]) -> list[int]:
    return [s.interval for s in states]


def easinesses(states: list[Sm2State]) -> list[float]:
    return [s.easiness for s in states]


# --- the public surface ---------------------------------------------------------------


def test_public_names_are_exactly_the_documented_api() -> None:
    expected = {"MIN_EASINESS", "QUALITY_MEANINGS", "Sm2State", "ef_delta", "review"}
    assert set(sm2.__all__) == expected


def test_new_card_state_is_never_reviewed_with_easiness_2_5() -> None:
    assert Sm2State() == Sm2State(repetitions=0, interval=0, easiness=2.5)


def test_state_is_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Sm2State().interval = 3  # type: ignore[misc]


def test_quality_meanings_cover_the_0_to_5_scale_from_sm2_md() -> None:
    assert sorted(QUALITY_MEANINGS) == [0, 1, 2, 3, 4, 5]
    assert QUALITY_MEANINGS[5] == "perfect response"
    assert QUALITY_MEANINGS[4] == "correct after a hesitation"
    assert QUALITY_MEANINGS[3] == "correct with serious difficulty"
    assert QUALITY_MEANINGS[2] == (
        "incorrect, but the correct answer seemed easy to recall once seen"
    )
    assert QUALITY_MEANINGS[1] == "incorrect, the correct answer remembered once seen"
    assert QUALITY_MEANINGS[0] == "complete blackout"


def test_min_easiness_is_1_3() -> None:
    assert MIN_EASINESS == 1.3


# --- golden histories (SM2.md "Reference runs") ------------------------------------------


def test_golden_all_4_keeps_easiness_2_5() -> None:
    states = run([4] * 7)
    assert intervals(states) == [1, 6, 15, 38, 95, 238, 595]
    assert easinesses(states) == [2.5] * 7
    assert [s.repetitions for s in states] == [1, 2, 3, 4, 5, 6, 7]


def test_golden_all_5_including_the_float_drift_trap_140_420_1302() -> None:
    # With plain floats EF reaches 3.0000000000000004 and 140 x EF ceils to 421.
    states = run([5] * 8)
    assert intervals(states) == [1, 6, 17, 48, 140, 420, 1302, 4167]
    assert easinesses(states) == [2.6, 2.7, 2.8, 2.9, 3.0, 3.1, 3.2, 3.3]
    assert [repr(s.easiness) for s in states] == [
        "2.6", "2.7", "2.8", "2.9", "3.0", "3.1", "3.2", "3.3"
    ]  # fmt: skip


def test_golden_lapse_5_5_5_1_5_5_restarts_intervals_and_keeps_easiness() -> None:
    states = run([5, 5, 5, 1, 5, 5])
    assert intervals(states) == [1, 6, 17, 1, 1, 6]
    assert easinesses(states) == [2.6, 2.7, 2.8, 2.26, 2.36, 2.46]
    assert [s.repetitions for s in states] == [1, 2, 3, 0, 1, 2]


# --- one review ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quality", "delta"),
    [(5, "0.10"), (4, "0"), (3, "-0.14"), (2, "-0.32"), (1, "-0.54"), (0, "-0.80")],
)
def test_each_grade_moves_easiness_by_its_documented_delta(quality: int, delta: str) -> None:
    assert ef_delta(quality) == Decimal(delta)
    after = review(Sm2State(repetitions=3, interval=10, easiness=2.5), quality)
    assert after.easiness == float(Decimal("2.5") + Decimal(delta))


def test_repeated_blackouts_floor_easiness_at_exactly_1_3() -> None:
    states = run([0] * 5)
    assert easinesses(states) == [1.7, 1.3, 1.3, 1.3, 1.3]
    assert repr(states[-1].easiness) == "1.3"


def test_perfect_grade_lifts_easiness_off_the_floor_with_no_upper_bound() -> None:
    assert review(Sm2State(0, 0, 1.3), 5).easiness == 1.4
    assert review(Sm2State(2, 6, 9.9), 5).easiness == 10.0


@pytest.mark.parametrize("quality", [0, 1, 2])
def test_failing_grade_resets_n_and_i_but_not_easiness_to_2_5(quality: int) -> None:
    after = review(Sm2State(repetitions=4, interval=48, easiness=2.8), quality)
    assert (after.repetitions, after.interval) == (0, 1)
    assert after.easiness == float(Decimal("2.8") + ef_delta(quality))


def test_first_two_passing_intervals_are_1_then_6_whatever_the_easiness() -> None:
    assert review(Sm2State(0, 0, 1.3), 3).interval == 1
    assert review(Sm2State(1, 1, 1.3), 3).interval == 6
    assert review(Sm2State(1, 1, 4.0), 3).interval == 6


def test_interval_uses_easiness_from_before_this_review() -> None:
    after = review(Sm2State(repetitions=2, interval=10, easiness=2.5), 3)
    assert after.interval == 25  # ceil(10 x 2.5), not ceil(10 x 2.36) = 24
    assert after.easiness == 2.36


def test_fractional_interval_is_rounded_up() -> None:
    assert review(Sm2State(2, 6, 2.36), 4).interval == 15  # 14.16 -> 15


def test_off_grid_easiness_from_anki_is_used_as_its_exact_decimal_value() -> None:
    # Anki ease 2345 -> 2.345; 200 x 2.345 is exactly 469 (floats give 469.00000000000006).
    after = review(Sm2State(repetitions=3, interval=200, easiness=2.345), 4)
    assert after.interval == 469
    assert review(Sm2State(3, 200, 2.345), 5).easiness == 2.445
    assert repr(review(Sm2State(3, 200, 2.345), 3).easiness) == "2.205"


def test_huge_intervals_stay_exact_with_no_maximum() -> None:
    # Beyond both float precision and the default 28-digit Decimal context.
    after = review(Sm2State(repetitions=9, interval=10**30 + 1, easiness=2.5), 4)
    assert after.interval == 25 * 10**29 + 3  # ceil(2.5e30 + 2.5)


def test_int_easiness_is_accepted_and_returned_as_float() -> None:
    after = review(Sm2State(2, 6, 3), 4)  # an int is a valid float for typing
    assert after == Sm2State(3, 18, 3.0)
    assert type(after.easiness) is float


# --- validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("quality", "error"),
    [
        (6, ValueError),
        (-1, ValueError),
        (3.0, TypeError),
        ("3", TypeError),
        (True, TypeError),
        (False, TypeError),
        (None, TypeError),
    ],
)
def test_invalid_grade_is_rejected_with_the_right_exception(
    quality: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match="quality"):
        review(Sm2State(), quality)  # type: ignore[arg-type]
    with pytest.raises(error, match="quality"):
        ef_delta(quality)  # type: ignore[arg-type]


# Every invalid state is a ValueError, even a non-number (a str or None easiness): the
# problems of a state are reported together in one message, so they share one type.
@pytest.mark.parametrize(
    ("state", "field"),
    [
        (Sm2State(repetitions=-1), "repetitions"),
        (Sm2State(interval=-1), "interval"),
        (Sm2State(repetitions=1.5), "repetitions"),  # type: ignore[arg-type]
        (Sm2State(repetitions=2.0, interval=6), "repetitions"),  # type: ignore[arg-type]
        (Sm2State(interval="6"), "interval"),  # type: ignore[arg-type]
        (Sm2State(repetitions=True), "repetitions"),
        (Sm2State(interval=False), "interval"),
        (Sm2State(easiness=True), "easiness"),
        (Sm2State(easiness=1.29), "easiness"),
        (Sm2State(easiness=1.2999999999999998), "easiness"),
        (Sm2State(easiness=0.0), "easiness"),
        (Sm2State(easiness=-2.5), "easiness"),
        (Sm2State(easiness=math.nan), "easiness"),
        (Sm2State(easiness=math.inf), "easiness"),
        (Sm2State(easiness=-math.inf), "easiness"),
        (Sm2State(easiness="2.5"), "easiness"),  # type: ignore[arg-type]
        (Sm2State(easiness=None), "easiness"),  # type: ignore[arg-type]
        (Sm2State(easiness=Decimal("2.5")), "easiness"),  # type: ignore[arg-type]
        # ceil(0 x EF) = 0 would bring the card back the same day forever.
        (Sm2State(repetitions=2, interval=0), "interval"),
    ],
)
@pytest.mark.parametrize("quality", [0, 5])
def test_invalid_state_is_a_value_error_naming_the_field(
    state: Sm2State, field: str, quality: int
) -> None:
    with pytest.raises(ValueError, match=f"invalid Sm2State: {field}"):
        review(state, quality)


def test_every_problem_of_a_state_is_reported_at_once() -> None:
    with pytest.raises(ValueError) as excinfo:
        review(Sm2State(repetitions=-1, interval=True, easiness=1.0), 4)
    message = str(excinfo.value)
    assert "repetitions must be >= 0, got -1" in message
    assert "interval must be an int, got True" in message
    assert "easiness must be >= 1.3, got 1.0" in message


def test_state_of_another_type_is_a_type_error() -> None:
    with pytest.raises(TypeError, match="Sm2State"):
        review((0, 0, 2.5), 4)  # type: ignore[arg-type]


def test_quality_is_checked_before_the_state() -> None:
    with pytest.raises(TypeError, match="quality"):
        review(Sm2State(easiness=math.nan), True)


def test_boundary_states_are_valid() -> None:
    assert review(Sm2State(0, 0, 1.3), 0) == Sm2State(0, 1, 1.3)
    assert review(Sm2State(1, 0, 2.5), 4) == Sm2State(2, 6, 2.5)  # n = 1 never reads I


# --- invariants ------------------------------------------------------------------------------

on_grid_easiness = st.integers(min_value=130, max_value=1000).map(lambda c: c / 100)
any_easiness = st.floats(min_value=1.3, max_value=1e12, allow_nan=False, allow_infinity=False)


@st.composite
def valid_states(draw: st.DrawFn) -> Sm2State:
    repetitions = draw(st.integers(min_value=0, max_value=50))
    lowest_interval = 1 if repetitions >= 2 else 0
    interval = draw(st.integers(min_value=lowest_interval, max_value=100_000))
    easiness = draw(st.one_of(on_grid_easiness, any_easiness))
    return Sm2State(repetitions, interval, easiness)


@given(valid_states(), grades)
def test_review_is_pure(state: Sm2State, quality: int) -> None:
    before = dataclasses.replace(state)
    first = review(state, quality)
    assert state == before
    assert review(state, quality) == first
    assert first is not state


@given(grade_histories)
def test_easiness_never_drops_below_1_3_and_interval_is_at_least_1(history: list[int]) -> None:
    for state in run(history):
        assert state.easiness >= MIN_EASINESS
        assert state.interval >= 1


@given(valid_states(), grades)
def test_any_valid_state_reviews_to_easiness_at_least_1_3_and_interval_at_least_1(
    state: Sm2State, quality: int
) -> None:
    after = review(state, quality)
    assert after.easiness >= MIN_EASINESS
    assert after.interval >= 1
    assert type(after.easiness) is float
    assert type(after.interval) is int


@given(grade_histories)
def test_easiness_from_2_5_stays_on_the_0_01_grid_and_round_trips(history: list[int]) -> None:
    expected = Decimal("2.5")
    for quality, state in zip(history, run(history), strict=True):
        expected = max(Decimal("1.3"), expected + ef_delta(quality))
        assert Decimal(repr(state.easiness)) == expected
        assert float(repr(state.easiness)) == state.easiness
        assert (Decimal(repr(state.easiness)) * 100) % 1 == 0


@given(grade_histories)
def test_intervals_match_an_integer_hundredths_model(history: list[int]) -> None:
    # EF kept as whole hundredths, so the ceiling is pure integer arithmetic: no drift.
    n, interval, ef_hundredths = 0, 0, 250
    for quality, state in zip(history, run(history), strict=True):
        if quality < 3:
            n, interval = 0, 1
        else:
            interval = 1 if n == 0 else 6 if n == 1 else -(-interval * ef_hundredths // 100)
            n += 1
        ef_hundredths = max(130, ef_hundredths + int(ef_delta(quality) * 100))
        assert (state.repetitions, state.interval) == (n, interval)


@given(valid_states(), st.integers(min_value=3, max_value=5))
def test_passing_grade_after_two_successes_lengthens_the_interval(
    state: Sm2State, quality: int
) -> None:
    state = dataclasses.replace(
        state, repetitions=max(2, state.repetitions), interval=max(1, state.interval)
    )
    after = review(state, quality)
    # EF >= 1.3 > 1, so ceil(I x EF) > I: never shorter, not even equal.
    assert after.interval > state.interval
    assert after.repetitions == state.repetitions + 1


@given(valid_states(), st.integers(min_value=0, max_value=2))
def test_failing_grade_always_gives_n_0_and_interval_1(state: Sm2State, quality: int) -> None:
    after = review(state, quality)
    assert (after.repetitions, after.interval) == (0, 1)
