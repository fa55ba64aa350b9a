"""Key terms: what kind of word each canonical term is, and when two of them are a typo apart.

A kind says what a replaced word is called ("wrong bone: ischium for ilium") and how much
leaving it out costs: a side, a movement, levels or a number are critical, a kind of
structure ("nerve" in "femoral nerve") is a detail, fillers and hedges carry nothing.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import DamerauLevenshtein

from flashcards.grading.normalise import canonical, is_level, is_number
from flashcards.grading.vocabulary import (
    CONFUSABLE,
    GENERIC,
    KINDS,
    MOVEMENTS,
    OPPOSITES,
    PREFIX_FAMILIES,
    QUALIFIERS,
    STOPWORDS,
    TERMS,
)

__all__ = ["CRITICAL", "MODIFIERS", "clash", "is_typo", "kind_of", "known", "near_miss"]

# Kinds whose word, left out, leaves a different answer.
CRITICAL = frozenset({"side", "movement", "levels", "number", "name"})
# Kinds that only qualify a head word ("anterior", "greater", "2nd").
MODIFIERS = frozenset({"side", "number", "name", "qualifier", "filler"})

_NAMES = frozenset(
    word
    for group in OPPOSITES
    for word in group
    if word not in KINDS["side"]
    and word not in MOVEMENTS
    and word not in KINDS["bone"]
    and word not in KINDS["landmark"]
    and word not in KINDS["region"]
)  # greater/lesser, major/minor, longus/brevis, flexor/extensor …


@lru_cache(maxsize=16384)
def kind_of(canon: str) -> str:
    """levels, number, movement, side, name, qualifier, filler, generic, bone, landmark,
    region, nerve (a cranial nerve) or term."""
    if is_level(canon):
        return "levels"
    if is_number(canon):
        return "number"
    if re.fullmatch(r"cn\d+", canon):
        return "nerve"
    if canon in MOVEMENTS:
        return "movement"
    if canon in KINDS["side"]:
        return "side"
    if canon in _NAMES:
        return "name"
    if canon in QUALIFIERS:
        return "qualifier"
    if canon in STOPWORDS:
        return "filler"
    if canon in GENERIC:
        return "generic"
    for kind in ("bone", "landmark", "region"):
        if canon in KINDS[kind]:
            return kind
    return "term"


_KNOWN = frozenset(TERMS | {canonical(t) for t in TERMS})
_FAMILIES: dict[str, list[frozenset[str]]] = {}
for _group in (*OPPOSITES, *CONFUSABLE):
    for _word in _group:
        _FAMILIES.setdefault(_word, []).append(_group)


def known(word: str) -> bool:
    """A real term of anatomy (from the lexicon or the shipped decks)."""
    return word in _KNOWN


@lru_cache(maxsize=16384)
def _prefixes(word: str) -> tuple[tuple[int, str], ...]:
    return tuple(
        (i, p) for i, family in enumerate(PREFIX_FAMILIES) for p in family if word.startswith(p)
    )


def _prefix_clash(a: str, b: str) -> bool:
    theirs = dict(_prefixes(b))
    for family, pa in _prefixes(a):
        pb = theirs.get(family)
        if pb and pb != pa and _close(a[len(pa) :], b[len(pb) :]):
            return True
    return False


@lru_cache(maxsize=65536)
def clash(a: str, b: str) -> bool:
    """Two different words that are two different answers, however alike they look."""
    if a == b:
        return False
    if any(b in group for group in _FAMILIES.get(a, ())):
        return True
    if known(a) and known(b):
        return True  # ilium/ileum, perineal/peroneal: both real, so both meant
    return _prefix_clash(a, b)


def _allowed(shortest: int) -> int:
    return 0 if shortest <= 4 else 1 if shortest <= 7 else 2 if shortest <= 12 else 3


def _close(a: str, b: str) -> bool:
    if a == b:
        return True
    allowed = _allowed(min(len(a), len(b)))
    return DamerauLevenshtein.distance(a, b, score_cutoff=allowed + 1) <= allowed


@lru_cache(maxsize=65536)
def is_typo(expected: str, given: str) -> bool:
    """A slip of the keyboard: close in letters, and not another real term."""
    if expected == given:
        return False
    if not (expected.isalpha() and given.isalpha()):
        return False
    return _close(expected, given) and not clash(expected, given)


@lru_cache(maxsize=65536)
def near_miss(expected: str, given: str) -> bool:
    """A replacement one step away from the answer: the other side or movement, a
    one-letter neighbour, the next cranial nerve, another kind of structure."""
    if expected == given:
        return False
    if any(given in group for group in _FAMILIES.get(expected, ())) or _prefix_clash(
        expected, given
    ):
        return True
    if re.fullmatch(r"cn\d+", expected) and re.fullmatch(r"cn\d+", given):
        return True
    if expected in GENERIC and given in GENERIC:
        return True
    if expected.isalpha() and given.isalpha() and min(len(expected), len(given)) > 4:
        return DamerauLevenshtein.distance(expected, given, score_cutoff=3) <= 2
    return False
