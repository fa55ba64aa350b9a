"""Answers reduced to what an anatomy teacher compares: fragments of canonical words.

"Ventral rami of L1, L2 and L3" and "anterior rami of L1–L3" both become one fragment
``("anterior", "ramus", "lv_l1_l2_l3")``. Case, punctuation, articles, abbreviations
(n., a., lig., ant. …), British spelling, Latin and English plurals, verb or noun forms of
a movement, spinal levels written any way and cranial nerves by number or name are
folded here, so that grading only has to judge what is left.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from flashcards.grading.vocabulary import (
    ABBREVIATIONS,
    ADVERBS,
    BARE_ABBREVIATIONS,
    CRANIAL_NERVE_ALONE,
    CRANIAL_NERVE_NAMES,
    IGNORED,
    LEVEL_REGIONS,
    NUMBER_WORDS,
    PHRASES,
    STEMS,
    STOPWORDS,
)

__all__ = [
    "Fragment",
    "answer_variants",
    "fragments",
    "is_level",
    "levels_in",
    "prepare",
    "without_asides",
    "words",
]

Fragment = tuple[str, ...]

# --- text-level folding (before words are cut) ------------------------------------------

_DASHES = re.compile(r"[\u2010-\u2015\u2212\ufe58\ufe63\uff0d]")
_ABBREVIATION = re.compile(
    r"(?<![\w.])(" + "|".join(sorted(ABBREVIATIONS, key=len, reverse=True)) + r")\.(?!\w)"
)
_ROMAN = {"i": 1, "v": 5, "x": 10}
_ORDINALS = "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth"
_ORDINAL_WORDS = {word: i for i, word in enumerate(_ORDINALS.split(" "), start=1)}
_CN_NUMBER = re.compile(
    r"\b(?:cn|cranial\s+nerves?|cranial\s+n\.?)\s*-?\s*([ivx]{1,4}|\d{1,2})\b(?:\s+nerve\b)?"
)
_CN_ORDINAL = re.compile(
    r"\b(\d{1,2})(?:st|nd|rd|th)\s+cranial\s+nerves?\b|\b("
    + "|".join(_ORDINAL_WORDS)
    + r")\s+cranial\s+nerves?\b"
)
_CN_NAME = re.compile(
    r"\b(spinal\s+accessory|" + "|".join(CRANIAL_NERVE_NAMES) + r")\s+(?:nerves?|n\.)(?!\w)"
)
_CN_ALONE = re.compile(r"\b(" + "|".join(sorted(CRANIAL_NERVE_ALONE)) + r")\b")
_FRACTION = re.compile(r"\b([1-9])\s*/\s*([234])\b")
_FRACTION_NAMES = {"2": "half", "3": "third", "4": "quarter"}

_LEVEL_ORDER: list[str] = [f"{r}{n}" for r, top in LEVEL_REGIONS for n in range(1, top + 1)]
_LEVEL_INDEX = {level: i for i, level in enumerate(_LEVEL_ORDER)}
_ELEMENT = r"(?:(?:co|th|[ctls])\s?\d{1,2}|(?:co|[ctls])\s[ivx]{1,4})"
_RANGE_SEP = r"\s*(?:-|\bto\b|\bthrough\b|\bthru\b)\s*"
_LIST_SEP = r"(?:\s*[,&/+]\s*(?:and\s+)?|\s+(?:and|or)\s+)"
_SEP = rf"(?:{_RANGE_SEP}|{_LIST_SEP})"
_LEVEL_RUN = re.compile(rf"(?<![a-z0-9_]){_ELEMENT}(?:{_SEP}(?:{_ELEMENT}|\d{{1,2}}))*(?![a-z0-9])")
_LEVEL_PART = re.compile(r"(co|th|[ctls])?\s?(\d{1,2}|[ivx]{1,4})$")


def _roman(numeral: str) -> int | None:
    values = [_ROMAN[c] for c in numeral]
    total = sum(
        -v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values)
    )
    return total if 0 < total < 40 else None


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() else _roman(text)


def _cranial(number: int | None, original: str) -> str:
    return f" cn{number} " if number is not None and 1 <= number <= 12 else original


def _fold_cranial_nerves(text: str) -> str:
    text = _CN_NUMBER.sub(lambda m: _cranial(_number(m.group(1)), m.group(0)), text)
    text = _CN_ORDINAL.sub(
        lambda m: _cranial(
            int(m.group(1)) if m.group(1) else _ORDINAL_WORDS[m.group(2)], m.group(0)
        ),
        text,
    )

    def name(match: re.Match[str]) -> str:
        word = match.group(1).split()[-1]
        return _cranial(CRANIAL_NERVE_NAMES[word], match.group(0))

    text = _CN_NAME.sub(name, text)
    return _CN_ALONE.sub(name, text)


def _expand_levels(run: str) -> list[str] | None:
    """The levels a run such as ``T12-L4`` or ``L1, 2 and 3`` names; None if not levels."""
    pieces = re.split(rf"({_SEP})", run)
    levels: list[str] = []
    region: str | None = None
    ranged = False
    for i, piece in enumerate(pieces):
        if i % 2:  # a separator
            ranged = re.fullmatch(_RANGE_SEP, piece) is not None
            continue
        match = _LEVEL_PART.match(piece.strip())
        if match is None:
            return None
        region = {"th": "t"}.get(match.group(1) or "", match.group(1)) or region
        number = _number(match.group(2))
        if region is None or number is None or f"{region}{number}" not in _LEVEL_INDEX:
            return None
        level = f"{region}{number}"
        if ranged and levels:
            start, end = sorted((_LEVEL_INDEX[levels[-1]], _LEVEL_INDEX[level]))
            levels.extend(_LEVEL_ORDER[start : end + 1])
        else:
            levels.append(level)
    return levels


def _fold_levels(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        levels = _expand_levels(match.group(0))
        if levels is None:
            return match.group(0)
        ordered = sorted(set(levels), key=_LEVEL_INDEX.__getitem__)
        return " lv_" + "_".join(ordered) + " "

    return _LEVEL_RUN.sub(replace, text)


@lru_cache(maxsize=4096)
def prepare(text: str) -> str:
    """Lower case, plain dashes, abbreviations spelled out, levels and nerves folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _DASHES.sub("-", text)
    text = _fold_cranial_nerves(text)
    text = _ABBREVIATION.sub(lambda m: " " + ABBREVIATIONS[m.group(1)] + " ", text)
    text = _FRACTION.sub(
        lambda m: f" {NUMBER_WORDS[m.group(1)]} {_FRACTION_NAMES[m.group(2)]} ", text
    )
    return _fold_levels(text)


# --- words ------------------------------------------------------------------------------


def _american(word: str) -> str:
    if len(word) <= 4:
        return word
    word = re.sub(r"ae(?=[a-z])", "e", word)  # haematoma, caecum (not plural fasciae)
    word = re.sub(r"(?:(?<=[a-z])|^)oe(?=[a-z])", "e", word)  # oesophagus, coeliac
    word = re.sub(r"(?<=[a-z]{3})our$", "or", word)  # tumour
    word = re.sub(r"(?<=[bt])re$", "er", word)  # fibre, centre
    word = re.sub(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)$", r"iz\1", word)  # stabilise
    return word.replace("sulph", "sulf")


def _singular(word: str) -> str:
    if len(word) <= 3 or word.startswith(("lv_", "cn")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"  # arteries, bodies
    if word.endswith(("sses", "xes", "ches", "shes")):
        return word[:-2]  # processes
    if word.endswith("uses") and len(word) > 5:
        return word[:-2]  # plexuses
    if word.endswith("ina") and len(word) > 5:
        return word[:-3] + "en"  # foramina
    if word.endswith("ae"):
        return word[:-1]  # fasciae, vertebrae, latae
    if word.endswith("i") and len(word) >= 4 and not word.endswith("ii"):
        return word[:-1] + "us"  # rami, nuclei, glutei
    if word.endswith("ii") and len(word) >= 5:
        return word[:-2] + "ius"  # radii
    if word.endswith("s") and not word.endswith(("ss", "us", "is", "as", "os", "ys")):
        return word[:-1]  # muscles, hamstrings, discs
    return word


def _word(raw: str) -> str:
    word = _american(raw)
    if word in BARE_ABBREVIATIONS:
        return ABBREVIATIONS[word]
    if word in NUMBER_WORDS:
        return NUMBER_WORDS[word]
    word = ADVERBS.get(word, word)
    if word in STEMS:
        return STEMS[word]
    word = _singular(word)
    return STEMS.get(word, word)


_PHRASE_LENGTHS = sorted({len(p) for p in PHRASES}, reverse=True)


def _phrases(tokens: list[str]) -> list[str]:
    out: list[str] = []
    i = 0
    while i < len(tokens):
        for length in _PHRASE_LENGTHS:
            key = tuple(tokens[i : i + length])
            if len(key) == length and key in PHRASES:
                out.extend(PHRASES[key])
                i += length
                break
        else:
            out.append(tokens[i])
            i += 1
    return out


@lru_cache(maxsize=8192)
def words(prepared: str) -> Fragment:
    """Canonical words of a prepared piece of text (no list splitting)."""
    text = re.sub(r"'s\b|\u2019s\b", " ", prepared)
    text = re.sub(r"[^\w\s]", " ", text)
    tokens = [_word(t) for t in text.split()]
    tokens = _phrases(tokens)
    return tuple(t for t in tokens if t not in STOPWORDS and t not in IGNORED)


# --- lists ------------------------------------------------------------------------------

_LIST_SPLIT = re.compile(
    r"\n|;|,|/|&|\+|\s+and\s+|\s+as\s+well\s+as\s+|\s+plus\s+|\s+together\s+with\s+"
)
_BULLET = re.compile(r"^\s*(?:[-*•·]|\d+[.)])\s+", re.M)


@lru_cache(maxsize=4096)
def fragments(text: str) -> tuple[Fragment, ...]:
    """The list items of an answer, each as canonical words; empty items dropped."""
    prepared = prepare(_BULLET.sub("", text))
    pieces = (words(piece) for piece in _LIST_SPLIT.split(prepared))
    return tuple(p for p in pieces if p)


def is_level(token: str) -> bool:
    return token.startswith("lv_")


def levels_in(text: str) -> frozenset[str]:
    """The spinal-level tokens an answer names (``lv_l1_l2_l3``)."""
    return frozenset(t for f in fragments(text) for t in f if is_level(t))


_PARENTHETICAL = re.compile(r"\s*\([^()]*\)|\s*\[[^\[\]]*\]")
_LABEL = re.compile(r"^[ \t]*[^:\n]{1,40}:[ \t]+(?=\S)", re.M)


def without_asides(text: str) -> str:
    """The answer without its bracketed asides ("Femoral nerve (L2-L3)" -> "Femoral nerve")."""
    return _PARENTHETICAL.sub("", text)


@lru_cache(maxsize=2048)
def answer_variants(expected: str) -> tuple[str, ...]:
    """The expected answer, and the same without what a student need not type.

    Parentheses hold asides ("(with iliacus, as iliopsoas)") and ``Label:`` heads name
    the part of a list item ("Deep part: transverse processes of L1-L5").
    """
    bare = _PARENTHETICAL.sub("", expected)
    variants = [expected, bare, _LABEL.sub("", expected), _LABEL.sub("", bare)]
    return tuple(dict.fromkeys(v for v in variants if v.strip()))
