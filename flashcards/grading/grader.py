"""Typed answers graded as an anatomy teacher would, on SM-2's 0..5 scale (DESIGN §5).

exact or equivalent -> 5; a small slip (a typo, a word of kind left out, items in
another order) -> 4; partly right -> 3; wrong -> 2 when it was close (the other side,
the opposite movement, the wrong levels) or 1; blank -> 0. A list answer earns by the
share of its items given: all -> 5, most -> 4 or 3, few -> 2.

A typo costs one grade, never the answer, but a word one letter away from another
structure (ilium/ileum, abduction/adduction, medius/minimus) is that other structure.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from flashcards.grading.normalise import Fragment, answer_variants, fragments, is_level, levels_in
from flashcards.grading.vocabulary import CONFUSABLE, GENERIC, OPPOSITES, PREFIX_FAMILIES

__all__ = ["PASSING", "Verdict", "equivalent", "grade", "overlaps"]

PASSING = 3  # SM-2: 3 and above is a correct response


class Verdict(IntEnum):
    """How one expected item compares with one given item, worst to best."""

    FAR = 0  # nothing of it
    NEAR = 1  # wrong, but close: the other side, another level, one word exchanged
    PARTIAL = 2  # right as far as it goes, something missing
    SLIP = 3  # right, with a typo, a word of kind missing or the words in another order
    EXACT = 4


@dataclass(frozen=True)
class _Match:
    verdict: Verdict
    coverage: float


_FAMILIES: dict[str, list[frozenset[str]]] = {}
for _group in (*OPPOSITES, *CONFUSABLE):
    for _word in _group:
        _FAMILIES.setdefault(_word, []).append(_group)
_SIDES = frozenset(word for group in OPPOSITES for word in group)


def _is_nerve_number(token: str) -> bool:
    return token.startswith("cn") and token[2:].isdigit()


def _critical(token: str) -> bool:
    """Words whose omission leaves a different answer: levels, nerves, sides, numbers."""
    return is_level(token) or _is_nerve_number(token) or token in _SIDES


@lru_cache(maxsize=16384)
def _prefixes(word: str) -> tuple[tuple[int, str], ...]:
    """(family, prefix) for each prefix family the word starts with a member of."""
    return tuple(
        (i, p) for i, family in enumerate(PREFIX_FAMILIES) for p in family if word.startswith(p)
    )


def _prefix_clash(a: str, b: str) -> bool:
    theirs = dict(_prefixes(b))
    for family, pa in _prefixes(a):
        pb = theirs.get(family)
        if pb and pb != pa and _typo(a[len(pa) :], b[len(pb) :], allow_clash=True):
            return True
    return False


@lru_cache(maxsize=65536)
def _clash(a: str, b: str) -> bool:
    """Two different words that are two different answers, however alike they look."""
    if a == b:
        return False
    if any(b in group for group in _FAMILIES.get(a, ())):
        return True
    if (is_level(a) and is_level(b)) or (_is_nerve_number(a) and _is_nerve_number(b)):
        return True
    return (a in GENERIC and b in GENERIC) or _prefix_clash(a, b)


@lru_cache(maxsize=65536)
def _typo(a: str, b: str, *, allow_clash: bool = False) -> bool:
    """A slip of the keyboard: close in letters, and not another known word."""
    if a == b:
        return True
    if not (a.isalpha() and b.isalpha()) or _is_nerve_number(a) or _is_nerve_number(b):
        return False
    shortest = min(len(a), len(b))
    allowed = 0 if shortest <= 4 else 1 if shortest <= 7 else 2 if shortest <= 12 else 3
    if DamerauLevenshtein.distance(a, b, score_cutoff=allowed + 1) > allowed:
        return False
    return allow_clash or not _clash(a, b)


def _compare(expected: Fragment, given: Fragment) -> _Match:
    if expected == given:
        return _Match(Verdict.EXACT, 1.0)
    matched: dict[int, int] = {}  # expected index -> given index
    slipped = False

    def free(j: int) -> bool:
        return j not in matched.values()

    for i, word in enumerate(expected):  # the same word
        j = next((j for j, g in enumerate(given) if g == word and free(j)), None)
        if j is not None:
            matched[i] = j
    for i, word in enumerate(expected):  # written as one word or two ("plantar flexion")
        if i in matched:
            continue
        for j in range(len(given) - 1):
            if free(j) and free(j + 1) and given[j] + given[j + 1] == word:
                matched[i] = j
                slipped = True
                break
    for i, word in enumerate(expected):  # a typo
        if i in matched:
            continue
        j = next((j for j, g in enumerate(given) if free(j) and _typo(word, g)), None)
        if j is not None:
            matched[i] = j
            slipped = True
    missing = [i for i in range(len(expected)) if i not in matched]
    extra = [j for j in range(len(given)) if free(j) and given[j] not in expected]
    if any(_clash(expected[i], given[j]) for i in missing for j in extra):
        return _Match(Verdict.NEAR, 0.0)

    specific = [i for i, w in enumerate(expected) if w not in GENERIC] or list(range(len(expected)))
    missing_specific = [i for i in missing if i in specific]
    extra_specific = [j for j in extra if given[j] not in GENERIC]
    coverage = 1 - len(missing_specific) / len(specific)
    if not missing_specific:
        if len(extra_specific) > len(specific) / 2:
            return _Match(Verdict.PARTIAL, coverage)
        order = [matched[i] for i in sorted(matched)]
        # "flexion of the hip" is "hip flexion"; but with two sides in it, order is
        # meaning ("medial to lateral").
        in_order = order == sorted(order) or sum(map(_critical, expected)) < 2
        if missing or extra or slipped or not in_order:
            return _Match(Verdict.SLIP, coverage)
        return _Match(Verdict.EXACT, coverage)
    if extra_specific:  # a word exchanged for another: a different answer
        return _Match(Verdict.NEAR if coverage >= 0.5 else Verdict.FAR, coverage)
    if (
        len(missing_specific) == 1
        and coverage >= 2 / 3
        and not _critical(expected[missing_specific[0]])
    ):
        return _Match(Verdict.SLIP, coverage)  # "lesser trochanter" (of the femur)
    if coverage >= 0.5:
        return _Match(Verdict.PARTIAL, coverage)
    return _Match(Verdict.NEAR if coverage > 0 else Verdict.FAR, coverage)


_CREDIT = {Verdict.EXACT: 1.0, Verdict.SLIP: 1.0, Verdict.PARTIAL: 0.5}


def _grade_lists(expected: Sequence[Fragment], given: Sequence[Fragment]) -> int:
    """Items matched one to one, best pairs first; then the share of items given."""
    pairs = sorted(
        (
            (_compare(e, g), abs(i - j), i, j)
            for i, e in enumerate(expected)
            for j, g in enumerate(given)
        ),
        key=lambda p: (-p[0].verdict, -p[0].coverage, p[1]),
    )
    result: dict[int, _Match] = {}
    used: set[int] = set()
    for match, _, i, j in pairs:
        if match.verdict > Verdict.FAR and i not in result and j not in used:
            result[i] = match
            used.add(j)
    credit = sum(_CREDIT.get(m.verdict, 0.0) for m in result.values())
    share = credit / len(expected)
    right_items = sum(m.verdict >= Verdict.PARTIAL for m in result.values())
    precision = right_items / len(given)
    if len(expected) == 1:
        verdict = result[0].verdict if 0 in result else Verdict.FAR
        grade = {Verdict.EXACT: 5, Verdict.SLIP: 4, Verdict.PARTIAL: 3, Verdict.NEAR: 2}.get(
            verdict, 1
        )
    elif share == 1:
        exact = all(m.verdict == Verdict.EXACT for m in result.values())
        grade = 5 if exact else 4
    elif share >= 0.75:
        grade = 4
    elif share >= 0.5:
        grade = 3
    elif share > 0 or result:
        grade = 2
    else:
        grade = 1
    if precision < 1 and grade == 5:
        grade = 4  # everything, and something more
    if precision < 0.75:
        grade = min(grade, 3)
    if precision < 0.5:
        grade = min(grade, 2)  # a guess at everything is not knowing which
    return grade


def _grade_variant(expected: str, given: Sequence[Fragment]) -> int:
    items = fragments(expected)
    if not items:
        return 0
    grade = _grade_lists(items, given)
    if grade >= 4:
        return grade
    whole_expected, whole_given = sum(items, ()), sum(given, ())
    if len(items) == 1 and len(given) > 1:
        # One answer that a comma cut in two ("anterior rami, L1-L3").
        return max(grade, _grade_lists(items, [whole_given]))
    if len(items) > 1 and len(given) == 1:
        # Every item, without the list marks ("psoas major iliacus"): a slip at most.
        match = _compare(whole_expected, whole_given)
        if match.verdict >= Verdict.SLIP and match.coverage == 1:
            return 4
    return grade


@lru_cache(maxsize=16384)
def grade(expected: str, given: str) -> int:
    """The SM-2 quality 0..5 that ``given`` earns as an answer to ``expected``."""
    if not given.strip():
        return 0
    if given.strip().casefold() == expected.strip().casefold():
        return 5
    answer = fragments(given)
    if not answer:
        return 0
    best = max((_grade_variant(v, answer) for v in answer_variants(expected)), default=0)
    wrong_levels = levels_in(given) - levels_in(expected)
    if wrong_levels and levels_in(expected):
        best = min(best, 2)  # L1-L4 is not L1-L3, whatever else is right
    return best


def equivalent(a: str, b: str) -> bool:
    """The same answer in other words: each would be graded as right for the other."""
    return grade(a, b) >= 4 and grade(b, a) >= 4


def overlaps(a: str, b: str) -> bool:
    """Either answer would earn credit for the other (too close to be a wrong option)."""
    return grade(a, b) >= PASSING or grade(b, a) >= PASSING
