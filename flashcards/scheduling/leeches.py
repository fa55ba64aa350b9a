"""Leeches, pure: a card forgotten again and again is set aside, not drilled forever.

A lapse is forgetting a card once learned (a first grade below 3 after a success). When
a card's lapses reach the threshold it becomes a leech and is suspended; if the student
takes it back into study, it is caught again every half threshold (as Anki does).
"""

from __future__ import annotations

__all__ = ["DEFAULT_LEECH_THRESHOLD", "becomes_leech", "check_threshold"]

DEFAULT_LEECH_THRESHOLD = 8


def check_threshold(threshold: int) -> int:
    if isinstance(threshold, bool) or not isinstance(threshold, int) or threshold < 1:
        raise ValueError(
            f"the leech threshold must be a whole number of 1 or more, not {threshold!r}"
        )
    return threshold


def becomes_leech(lapses_before: int, lapses_after: int, threshold: int) -> bool:
    """Whether the answer that took lapses from ``before`` to ``after`` makes a leech."""
    check_threshold(threshold)
    if lapses_after <= lapses_before or lapses_after < threshold:
        return False
    return (lapses_after - threshold) % max(1, threshold // 2) == 0
