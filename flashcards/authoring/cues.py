"""What a reverse card quotes and how values are compared across the deck set.

A value is compared by its words, not its spelling: articles, parentheses and a leading
"Deep part:" label go; spinal ranges are spelled out ("L1–L3" = "L1, L2, L3");
abbreviations are expanded ("n." = nerve) and movements named as nouns or verbs fold
together ("flexion of the hip" = "flexes the hip").

A reverse card quotes the most general wording of its value that the deck set uses
("Which muscles insert on the lesser trochanter?" when one deck says "lesser trochanter"
and another "lesser trochanter of the femur"), and every structure whose value says at
least that much answers it. So two decks wording one place differently still make one
card with both answers, and a structure that only does part of an action ("abducts the
hand") is never given as an answer to more ("extends and abducts the hand").
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from itertools import combinations
from math import comb

from flashcards.authoring.phrasing import (
    lower_first,
    noun_for,
    phrase_with_article,
    plural_verb_phrase,
    singular_verb_phrase,
    starts_with_verb,
    structure_class,
)

__all__ = [
    "WordIndex",
    "cue_text",
    "family",
    "is_wording_of",
    "reverse_question",
    "says_at_least",
    "value_words",
]

_PARENTHESES = re.compile(r"\s*[\(\[][^\)\]]*[\)\]]")
_LABEL = re.compile(r"^[^:]{1,40}:\s+(?=\S)")
_LEVEL_RANGE = re.compile(r"\b([ctls])(\d{1,2})\s*(?:-|–|—|to)\s*([ctls]?)(\d{1,2})\b")
_STOPWORDS = frozenset(
    re.findall(
        r"\w+",
        """the a an of and or its their to at on onto into in from by via with upon for as is
        are which that both each main mainly chiefly also weak weakly strong strongly
        powerful part parts""",
    )
)
_ABBREVIATIONS = {
    "n": "nerve",
    "nn": "nerve",
    "a": "artery",
    "aa": "artery",
    "m": "muscle",
    "lig": "ligament",
    "ant": "anterior",
    "post": "posterior",
    "sup": "superior",
    "inf": "inferior",
    "med": "medial",
    "lat": "lateral",
}
# Movements named as nouns or verbs compare as one word ("flexion" = "flexes" = "flex").
_MOVEMENTS = {
    "flexion": "flex",
    "extension": "extend",
    "abduction": "abduct",
    "adduction": "adduct",
    "rotation": "rotate",
    "elevation": "elevate",
    "depression": "depress",
    "protraction": "protract",
    "retraction": "retract",
    "inversion": "invert",
    "eversion": "evert",
    "pronation": "pronate",
    "supination": "supinate",
    "dorsiflexion": "dorsiflex",
    "plantarflexion": "plantarflex",
    "stabilisation": "stabilise",
    "stabilization": "stabilise",
    "stabilize": "stabilise",
    "tilt": "tilt",
}


def cue_text(item: str) -> str:
    """The part of a value a question can quote: no parentheses, no 'Deep part:' label."""
    text = _PARENTHESES.sub("", item)
    text = _LABEL.sub("", text.strip())
    return " ".join(text.split()).rstrip(".;,")


@lru_cache(maxsize=4096)
def _word(token: str) -> str:
    token = _ABBREVIATIONS.get(token, token)
    if token in _MOVEMENTS:
        return _MOVEMENTS[token]
    if token.endswith("ies") and len(token) > 4:
        token = token[:-3] + "y"
    elif token.endswith(("sses", "xes", "ches", "shes")):
        token = token[:-2]
    elif token.endswith("s") and not token.endswith(("ss", "us", "is")) and len(token) > 3:
        token = token[:-1]
    return _MOVEMENTS.get(token, token)


# Memoised: a deck set repeats its values (one insertion shared by several muscles) and,
# far more, its words.
@lru_cache(maxsize=65536)
def value_words(item: str) -> tuple[str, ...]:
    """The words that say what a value is, in order, for comparing it with other values."""
    text = cue_text(item).lower().replace("’", "'")

    def expand(match: re.Match[str]) -> str:
        letter, start, letter2, end = match.groups()
        if (letter2 and letter2 != letter) or int(end) < int(start) or int(end) - int(start) > 8:
            return match.group(0)
        return " ".join(f"{letter}{n}" for n in range(int(start), int(end) + 1))

    text = _LEVEL_RANGE.sub(expand, text)
    tokens = re.findall(r"[a-z0-9]+", text)
    words = (_word(t) for t in tokens if t not in _STOPWORDS)
    return tuple(dict.fromkeys(words))


def says_at_least(value: Sequence[str], cue: Sequence[str]) -> bool:
    """``value`` says what ``cue`` says: the same words, or the cue's words in its order.

    "lesser trochanter of the femur" says "lesser trochanter"; "extends and abducts the
    hand at the wrist" says "abducts the hand at the wrist"; "flexes the forearm in
    mid-pronation" does not say "pronates the forearm" (the words come in another order).
    """
    if not cue:
        return False
    if set(cue) == set(value):
        return True
    remaining = iter(value)
    return all(word in remaining for word in cue)


def is_wording_of(general: Sequence[str], specific: Sequence[str]) -> bool:
    """``general`` words part of ``specific``, and at least half of it, so it can stand
    for it in a question: "lesser trochanter" for "lesser trochanter of the femur", but
    "femur" for nothing longer than two words."""
    return says_at_least(specific, general) and 2 * len(general) >= len(specific)


class WordIndex:
    """The values of one field across a deck set (as `value_words`), indexed by their
    words: a large deck set asks each of its values which others word it, and comparing
    every value with every other would take time growing with the square of its size."""

    def __init__(self, values: Sequence[tuple[str, ...]]) -> None:
        self.values = values
        self._by_set: dict[frozenset[str], list[int]] = {}
        self._containing: dict[str, set[int]] = {}  # word -> the values with it
        for n, words in enumerate(values):
            self._by_set.setdefault(frozenset(words), []).append(n)
            for word in words:
                self._containing.setdefault(word, set()).add(n)

    def wordings_of(self, specific: tuple[str, ...]) -> list[int]:
        """The values that are a wording of ``specific`` (`is_wording_of`), in any order."""
        # A wording uses only ``specific``'s words, at least half of them: look those
        # sets up, unless there are more of them than values.
        smallest = (len(specific) + 1) // 2
        sizes = range(smallest, len(specific) + 1)
        if sum(comb(len(specific), size) for size in sizes) > len(self.values):
            found: Sequence[int] = range(len(self.values))
        else:
            found = [
                n
                for size in sizes
                for words in combinations(specific, size)
                for n in self._by_set.get(frozenset(words), ())
            ]
        return [n for n in found if is_wording_of(self.values[n], specific)]

    def saying(self, cue: tuple[str, ...]) -> list[int]:
        """The values that say at least ``cue`` (`says_at_least`), in order."""
        if not cue:
            return []
        rarest, *others = sorted((self._containing.get(word, set()) for word in cue), key=len)
        having = sorted(rarest.intersection(*others))  # every word of the cue
        return [n for n in having if says_at_least(self.values[n], cue)]


def family(kind: str | None, name: str) -> str:
    klass = structure_class(kind, name)
    return "muscle" if klass == "muscle group" else klass


def reverse_question(field_name: str, family: str, value: str, several: bool) -> str | None:
    """ "Which muscle inserts on the pes anserinus?"; None when the value makes no cue."""
    noun = noun_for(family, several)
    cue = cue_text(value)
    thing = phrase_with_article(cue)
    be = "are" if several else "is"
    if field_name == "action":
        if starts_with_verb(cue):
            verb = plural_verb_phrase(cue) if several else singular_verb_phrase(cue)
            return f"Which {noun} {verb}?"
        # A movement named as a noun leads the phrase ("Weak lateral rotation of …");
        # "May abduct the ulna during pronation" is no such phrase.
        if not any(re.search(r"(?:ion|ment)s?$", w) for w in cue.lower().split()[:3]):
            return None
        return f"Which {noun} {'produce' if several else 'produces'} {lower_first(cue)}?"
    verbs = {
        "origin": ("originate from" if several else "originates from")
        if family == "muscle"
        else ("arise from" if several else "arises from"),
        "insertion": ("insert on" if several else "inserts on")
        if family in ("muscle", "tendon", "ligament")
        else ("end in" if several else "ends in"),
        "innervation": ("innervate" if several else "innervates")
        if family == "nerve"
        else f"{be} innervated by",
        "blood_supply": ("supply" if several else "supplies")
        if family in ("artery", "vein")
        else f"{be} supplied by",
    }
    # A nerve's or artery's own field lists what it reaches: muscles go without "the".
    if verbs[field_name] in ("innervate", "innervates", "supply", "supplies"):
        thing = lower_first(cue)
    return f"Which {noun} {verbs[field_name]} {thing}?"
