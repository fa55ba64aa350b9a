"""SM-2 scheduling, as in SuperMemo 1.0-3.0: a pure function over a frozen state.

The convention (grades, E-Factor update, intervals, validation) is the one written down in
the project's SM2.md; ``review()`` follows it to the letter. Dates, fuzz and the daily
session are the caller's business.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

__all__ = ["MIN_EASINESS", "QUALITY_MEANINGS", "Sm2State", "ef_delta", "review"]

MIN_EASINESS = 1.3

QUALITY_MEANINGS: dict[int, str] = {
    5: "perfect response",
    4: "correct after a hesitation",
    3: "correct with serious difficulty",
    2: "incorrect, but the correct answer seemed easy to recall once seen",
    1: "incorrect, the correct answer remembered once seen",
    0: "complete blackout",
}

_LOWEST_PASSING_QUALITY = 3
# Exact values, so that the floor and the I x EF products are never off by a float ulp.
_MIN_EASINESS_EXACT = Fraction(repr(MIN_EASINESS))


@dataclass(frozen=True)
class Sm2State:
    """Where a card stands in SM-2.

    ``repetitions`` is n, the successful reviews in a row (0 = new or just failed);
    ``interval`` is I, whole days until the next review (0 = never reviewed);
    ``easiness`` is EF, the E-Factor: never below ``MIN_EASINESS``, no upper bound.
    """

    repetitions: int = 0
    interval: int = 0
    easiness: float = 2.5


def ef_delta(quality: int) -> Decimal:
    """How much one review graded ``quality`` moves the E-Factor, before the 1.3 floor.

    5 -> +0.10, 4 -> 0, 3 -> -0.14, 2 -> -0.32, 1 -> -0.54, 0 -> -0.80.
    """
    _check_quality(quality)
    misses = 5 - quality
    return Decimal("0.1") - misses * (Decimal("0.08") + misses * Decimal("0.02"))


def review(state: Sm2State, quality: int) -> Sm2State:
    """Return the state after one review graded ``quality`` (0..5); ``state`` is unchanged.

    Raises ``TypeError`` if ``quality`` is not an ``int`` (a ``bool`` is not a grade) or
    ``state`` is not an ``Sm2State``, and ``ValueError`` if ``quality`` is outside 0..5 or
    the state is invalid (every problem of the state is listed in one message).
    """
    _check_quality(quality)
    _check_state(state)
    easiness = _exact(state.easiness)
    new_easiness = float(max(_MIN_EASINESS_EXACT, easiness + Fraction(ef_delta(quality))))
    if quality < _LOWEST_PASSING_QUALITY:
        # Start the repetitions again; the E-Factor is kept, not reset to 2.5.
        return Sm2State(repetitions=0, interval=1, easiness=new_easiness)
    if state.repetitions == 0:
        interval = 1
    elif state.repetitions == 1:
        interval = 6
    else:
        # The E-Factor from before this review, as SM-2 orders its steps.
        interval = math.ceil(state.interval * easiness)
    return Sm2State(repetitions=state.repetitions + 1, interval=interval, easiness=new_easiness)


def _exact(easiness: float) -> Fraction:
    """The decimal number a stored easiness stands for: 2.345 is 2345/1000, not its binary
    approximation, so that 200 x 2.345 is 469 and not 469.00000000000006."""
    if isinstance(easiness, int):
        return Fraction(easiness)
    return Fraction(repr(float(easiness)))


def _check_quality(quality: object) -> None:
    if isinstance(quality, bool) or not isinstance(quality, int):
        raise TypeError(f"quality must be an int from 0 to 5, got {quality!r}")
    if not 0 <= quality <= 5:
        raise ValueError(f"quality must be from 0 to 5, got {quality!r}")


def _check_state(state: object) -> None:
    if not isinstance(state, Sm2State):
        raise TypeError(f"state must be an Sm2State, got {state!r}")
    problems: list[str] = []
    counts_valid = True
    for field in ("repetitions", "interval"):
        value = getattr(state, field)
        if isinstance(value, bool) or not isinstance(value, int):
            problems.append(f"{field} must be an int, got {value!r}")
            counts_valid = False
        elif value < 0:
            problems.append(f"{field} must be >= 0, got {value!r}")
            counts_valid = False
    if counts_valid and state.repetitions >= 2 and state.interval == 0:
        # ceil(0 x EF) would be 0: the card would come back the same day, forever.
        problems.append(
            f"interval must be >= 1 after {state.repetitions} successful reviews, got 0"
        )
    easiness = state.easiness
    if isinstance(easiness, bool) or not isinstance(easiness, int | float):
        problems.append(f"easiness must be a float, got {easiness!r}")
    elif isinstance(easiness, float) and not math.isfinite(easiness):
        problems.append(f"easiness must be finite, got {easiness!r}")
    elif _exact(easiness) < _MIN_EASINESS_EXACT:
        problems.append(f"easiness must be >= {MIN_EASINESS}, got {easiness!r}")
    if problems:
        raise ValueError("invalid Sm2State: " + "; ".join(problems))
