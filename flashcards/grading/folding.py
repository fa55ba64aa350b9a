"""Text-level folding, before an answer is cut into words: one spelling for each thing
that is written many ways.

Case, accents and dashes; abbreviations with a full stop ("n.", "lig."); cranial nerves by
name, number or numeral ("facial nerve" = "CN VII" = ``cn7``); spinal levels written any
way ("L1–L3" = "L1, L2, L3" = "L1 to 3" = "C5 C6") as one token listing them
(``lv_l1_l2_l3``); numbers and their runs ("ribs 2–4" = ``n2 n3 n4``); fractions
("upper two-thirds" = "upper 2/3" = ``frac_2_3``).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from flashcards.grading.vocabulary import (
    ABBREVIATIONS,
    CRANIAL_NERVE_ALONE,
    CRANIAL_NERVE_NAMES,
    HEDGES,
    LEVEL_REGIONS,
)

__all__ = ["LEVEL_INDEX", "LEVEL_ORDER", "level_text", "prepare"]


def _hedge(phrase: str) -> str:
    words = (re.escape(w).replace("'", "['\u2019]") for w in phrase.split())
    return r"\s+".join(words)


# What a student says of their own answer ("I think", "maybe", "um"): never a key term.
_HEDGES = re.compile(
    r"(?<![\w'\u2019])(?:"
    + "|".join(_hedge(h) for h in sorted(HEDGES, key=len, reverse=True))
    + r")(?![\w'\u2019])"
)
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

_FRACTION_DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4,
                          "quarters": 4, "2": 2, "3": 3, "4": 4}  # fmt: skip
_NUMERATORS = {"one": 1, "two": 2, "three": 3, "1": 1, "2": 2, "3": 3}
_FRACTION = re.compile(
    r"\b(one|two|three)[\s-](halves|half|thirds?|quarters?)\b|\b([123])/([234])(?:rds?|ths?)?\b"
)
_PLACE = r"superior|inferior|upper|lower|middle|medial|lateral|proximal|distal|anterior|posterior"
_PLACED_FRACTION = re.compile(rf"\b({_PLACE})\s+(halves|half|thirds?|quarters?)\b")
_OF_FRACTION = re.compile(r"\b(halves|half|third|quarter)(?=\s+of\b)")

LEVEL_ORDER: list[str] = [f"{r}{n}" for r, top in LEVEL_REGIONS for n in range(1, top + 1)]
LEVEL_INDEX = {level: i for i, level in enumerate(LEVEL_ORDER)}
_ELEMENT = r"(?:(?:co|th|[ctls])\s?\d{1,2}|(?:co|[ctls])\s[ivx]{1,4})"
_RANGE_SEP = r"\s*(?:-|\bto\b|\bthrough\b|\bthru\b)\s*"
_LIST_SEP = r"(?:\s*[,&/+]\s*(?:and\s+)?|\s+(?:and|or)\s+|\s+(?=(?:co|th|[ctls])\s?\d))"
_SEP = rf"(?:{_RANGE_SEP}|{_LIST_SEP})"
_LEVEL_RUN = re.compile(rf"(?<![a-z0-9_]){_ELEMENT}(?:{_SEP}(?:{_ELEMENT}|\d{{1,2}}))*(?![a-z0-9])")
_LEVEL_PART = re.compile(r"(co|th|[ctls])?\s?(\d{1,2}|[ivx]{1,4})$")

_NUMBER = r"\d{1,2}(?:st|nd|rd|th)?"
_NUMBER_RUN = re.compile(
    rf"(?<![\w.])({_NUMBER}(?:\s*(?:-|,|&|\bto\b|\bthrough\b|\band\b|\bor\b)\s*{_NUMBER})+)(?![\w°])"
)


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
        if region is None or number is None or f"{region}{number}" not in LEVEL_INDEX:
            return None
        level = f"{region}{number}"
        if ranged and levels:
            start, end = sorted((LEVEL_INDEX[levels[-1]], LEVEL_INDEX[level]))
            levels.extend(LEVEL_ORDER[start : end + 1])
        else:
            levels.append(level)
    return levels


def _fold_levels(text: str) -> str:
    def replace(match: re.Match[str]) -> str:
        levels = _expand_levels(match.group(0))
        if levels is None:
            return match.group(0)
        ordered = sorted(set(levels), key=LEVEL_INDEX.__getitem__)
        return " lv_" + "_".join(ordered) + " "

    return _LEVEL_RUN.sub(replace, text)


def _fold_numbers(text: str) -> str:
    """``ribs 2-4`` -> ``n2 n3 n4``; ``2nd, 4th and 5th`` -> ``n2 n4 n5``."""

    def replace(match: re.Match[str]) -> str:
        pieces = re.split(r"\s*(-|,|&|\bto\b|\bthrough\b|\band\b|\bor\b)\s*", match.group(1))
        numbers: list[int] = []
        ranged = False
        for i, piece in enumerate(pieces):
            if i % 2:
                ranged = piece in ("-", "to", "through")
                continue
            value = int(re.sub(r"\D", "", piece))
            if ranged and numbers and numbers[-1] < value <= numbers[-1] + 30:
                numbers.extend(range(numbers[-1] + 1, value + 1))
            else:
                numbers.append(value)
        return " " + " ".join(f"n{n}" for n in dict.fromkeys(numbers)) + " "

    return _NUMBER_RUN.sub(replace, text)


def _fold_fractions(text: str) -> str:
    def fraction(match: re.Match[str]) -> str:
        top = _NUMERATORS[match.group(1) or match.group(3)]
        bottom = _FRACTION_DENOMINATORS[match.group(2) or match.group(4)]
        return f" frac_{top}_{bottom} " if top < bottom else match.group(0)

    text = _FRACTION.sub(fraction, text)
    text = _PLACED_FRACTION.sub(
        lambda m: f"{m.group(1)} frac_1_{_FRACTION_DENOMINATORS[m.group(2)]} ", text
    )
    return _OF_FRACTION.sub(lambda m: f" frac_1_{_FRACTION_DENOMINATORS[m.group(1)]} ", text)


@lru_cache(maxsize=8192)
def prepare(text: str) -> str:
    """Lower case, plain dashes, hedges dropped, abbreviations spelled out; levels,
    numbers, nerves folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _DASHES.sub("-", text).replace("[", "(").replace("]", ")")
    text = _HEDGES.sub(" ", text)
    text = _fold_cranial_nerves(text)
    text = _ABBREVIATION.sub(lambda m: " " + ABBREVIATIONS[m.group(1)] + " ", text)
    text = _fold_fractions(text)
    text = _fold_levels(text)
    text = _fold_numbers(text)
    # A hyphen inside a word joins it ("thoraco-acromial"); elsewhere it is a space.
    return re.sub(r"(?<=[a-z])-(?=[a-z])", "", text).replace("-", " ")


def level_text(levels: Iterable[str]) -> str:
    """``{"l1", "l2", "l3"}`` -> ``L1–L3``; gaps written out (``C5, C7``)."""
    indexes = sorted(LEVEL_INDEX[x] for x in levels if x in LEVEL_INDEX)
    runs: list[list[int]] = []
    for i in indexes:
        if runs and i == runs[-1][-1] + 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    return ", ".join(
        LEVEL_ORDER[r[0]].upper() + (f"–{LEVEL_ORDER[r[-1]].upper()}" if len(r) > 1 else "")
        for r in runs
    )
