"""The grading lexicon (``lexicon.toml``) and the list of real terms (``terms.txt``), loaded.

Tables here are as written in the data files; ``normalise`` folds the phrases in them the
way it folds answers. Everything is lower case.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from typing import Any

__all__ = [
    "ABBREVIATIONS",
    "AGENTS",
    "AGENT_JOINTS",
    "BARE_ABBREVIATIONS",
    "COLLECTIVE",
    "CONFUSABLE",
    "COORDINATED",
    "CRANIAL_NERVE_ALONE",
    "CRANIAL_NERVE_NAMES",
    "GENERIC",
    "HEDGES",
    "IGNORED",
    "JOINT_SEGMENTS",
    "KINDS",
    "LEVEL_REGIONS",
    "MOVEMENTS",
    "NEGATIONS",
    "NUMBER_WORDS",
    "OPPOSITES",
    "PLURALS",
    "PREFIX_FAMILIES",
    "QUALIFIERS",
    "SERIES",
    "STEMS",
    "STOPWORDS",
    "SURFACE_SIDES",
    "SURFACE_WORDS",
    "SYNONYMS",
    "TERMS",
    "WORDS",
]


def _load() -> dict[str, Any]:
    text = resources.files("flashcards.grading").joinpath("lexicon.toml").read_text("utf-8")
    return tomllib.loads(text)


def _split(text: str) -> frozenset[str]:
    return frozenset(text.split())


_LEXICON = _load()

ABBREVIATIONS: dict[str, str] = {
    k: v for k, v in _LEXICON["abbreviations"].items() if isinstance(v, str)
}
BARE_ABBREVIATIONS = frozenset(_LEXICON["abbreviations"]["bare"])
WORDS: dict[str, str] = dict(_LEXICON["words"])
PLURALS: dict[str, str] = dict(_LEXICON["plurals"])
MOVEMENTS: dict[str, list[str]] = dict(_LEXICON["movements"])
STEMS: dict[str, str] = {form: stem for stem, forms in MOVEMENTS.items() for form in forms}
SYNONYMS: dict[str, str] = dict(_LEXICON["synonyms"])
COLLECTIVE: dict[str, list[str]] = dict(_LEXICON["collective"])
JOINT_SEGMENTS: dict[str, str] = dict(_LEXICON["joint_segments"])
# "the lower eight ribs": a series' name -> how many it has (12 ribs).
SERIES: dict[str, int] = {k: int(v) for k, v in _LEXICON["series"].items()}
# "flexor" -> "flex" where it names a movement at a joint ("main flexor of the hip").
AGENTS: dict[str, str] = {k: v for k, v in _LEXICON["agents"].items() if k != "joints"}
AGENT_JOINTS = _split(_LEXICON["agents"]["joints"])
COORDINATED = _split(_LEXICON["coordinated"]["words"])
OPPOSITES: tuple[frozenset[str], ...] = tuple(_split(g) for g in _LEXICON["opposites"]["groups"])
CONFUSABLE: tuple[frozenset[str], ...] = tuple(_split(g) for g in _LEXICON["confusable"]["groups"])
PREFIX_FAMILIES: tuple[tuple[str, ...], ...] = tuple(
    tuple(f) for f in _LEXICON["prefixes"]["families"]
)
STOPWORDS = _split(_LEXICON["fillers"]["stopwords"])
QUALIFIERS = _split(_LEXICON["fillers"]["qualifiers"])
HEDGES: tuple[str, ...] = tuple(_LEXICON["hedges"]["phrases"])
NEGATIONS = _split(_LEXICON["hedges"]["negations"])
# "lateral surface of the ilium" = "outer surface of the ilium": each word -> the other.
SURFACE_SIDES: dict[str, str] = {
    a: b
    for pair in _LEXICON["surface_sides"]["pairs"]
    for a, b in (pair.split(), reversed(pair.split()))
}
SURFACE_WORDS = _split(_LEXICON["surface_sides"]["surfaces"])
KINDS: dict[str, frozenset[str]] = {k: _split(v) for k, v in _LEXICON["kinds"].items()}
GENERIC = KINDS["generic"]
IGNORED = frozenset({"muscle"})  # "psoas major muscle" is psoas major

# Real terms: two of them are never typos of each other (ilium/ileum).
TERMS = frozenset(
    resources.files("flashcards.grading").joinpath("terms.txt").read_text("utf-8").split()
)

# Cranial nerves by name: "facial nerve" = "CN VII" = "cranial nerve 7".
CRANIAL_NERVE_NAMES: dict[str, int] = {
    "olfactory": 1,
    "optic": 2,
    "oculomotor": 3,
    "trochlear": 4,
    "trigeminal": 5,
    "abducens": 6,
    "abducent": 6,
    "facial": 7,
    "vestibulocochlear": 8,
    "auditory": 8,
    "statoacoustic": 8,
    "glossopharyngeal": 9,
    "vagus": 10,
    "vagal": 10,
    "accessory": 11,
    "hypoglossal": 12,
}
# Names that mean the nerve even without "nerve" after them.
CRANIAL_NERVE_ALONE = frozenset(
    {"oculomotor", "trigeminal", "abducens", "abducent", "vestibulocochlear",
     "glossopharyngeal", "vagus", "hypoglossal"}
)  # fmt: skip

# Spinal levels in cranio-caudal order (C8 is a root, not a vertebra: ranges pass it).
LEVEL_REGIONS: tuple[tuple[str, int], ...] = (("c", 8), ("t", 12), ("l", 5), ("s", 5), ("co", 1))

# Numbers and ordinals as words; each folds to one number token ("n3").
_CARDINALS = "one two three four five six seven eight nine ten eleven twelve"
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
NUMBER_WORDS: dict[str, int] = {
    **{w: i for i, w in enumerate(_CARDINALS.split(" "), 1)},
    **{w: i for i, w in enumerate(_ORDINALS.split(" "), 1)},
}
