"""Text-level folding, before an answer is cut into words: one spelling for each thing
that is written many ways.

Case, accents and dashes; abbreviations with a full stop ("n.", "lig."); cranial nerves by
name, number or numeral ("facial nerve" = "CN VII" = ``cn7``); spinal levels written any
way ("L1–L3" = "L1, L2, L3" = "L1 to 3" = "C5 C6") as one token listing them
(``lv_l1_l2_l3``); numbers and their runs ("ribs 2–4" = ``n2 n3 n4``); fractions
("upper two-thirds" = "upper 2/3" = ``frac_2_3``); numbers as words in a run ("ribs five to
twelve" = "ribs 5–12"); a series counted from one end ("the lower eight ribs" = ribs
5–12).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from flashcards.grading.vocabulary import (
    ABBREVIATIONS,
    CRANIAL_NERVE_ALONE,
    CRANIAL_NERVE_NAMES,
    HEDGES,
    LEVEL_REGIONS,
    NUMBER_WORDS,
    SERIES,
)

__all__ = ["LEVEL_INDEX", "LEVEL_ORDER", "Prepared", "level_text", "prepare", "traced"]


def _hedge(phrase: str) -> str:
    words = (re.escape(w).replace("'", "['\u2019]?") for w in phrase.split())
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

# Numbers written as words count in a run as digits do ("five to twelve", "fifth to twelfth").
_NUMBER_WORD = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUMBER = rf"(?:\d{{1,2}}(?:st|nd|rd|th)?|{_NUMBER_WORD})"
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


def _cranial_number(match: re.Match[str]) -> str:
    return _cranial(_number(match.group(1)), match.group(0))


def _cranial_ordinal(match: re.Match[str]) -> str:
    number = int(match.group(1)) if match.group(1) else _ORDINAL_WORDS[match.group(2)]
    return _cranial(number, match.group(0))


def _cranial_name(match: re.Match[str]) -> str:
    word = match.group(1).split()[-1]
    return _cranial(CRANIAL_NERVE_NAMES[word], match.group(0))


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


def _levels(match: re.Match[str]) -> str:
    levels = _expand_levels(match.group(0))
    if levels is None:
        return match.group(0)
    ordered = sorted(set(levels), key=LEVEL_INDEX.__getitem__)
    return " lv_" + "_".join(ordered) + " "


# "the lower eight ribs", "upper six or seven costal cartilages": which ones of a series.
_CARDINALS = {w: n for w, n in NUMBER_WORDS.items() if not w.endswith(("st", "nd", "rd", "th"))}
_COUNT = r"\d{1,2}|" + "|".join(sorted(_CARDINALS, key=len, reverse=True))
_SERIES_NAMES = "|".join(
    r"\s+".join(map(re.escape, name.split())) for name in sorted(SERIES, key=len, reverse=True)
)
_FROM_THE_TOP = frozenset({"upper", "superior", "top", "first"})
_SERIES_RUN = re.compile(
    r"\b(upper|lower|superior|inferior|top|bottom|first|last)\s+"
    rf"({_COUNT})(?:\s*(?:-|\bor\b|\bto\b)\s*({_COUNT}))?\s+({_SERIES_NAMES})\b"
)


def _count(word: str) -> int:
    return int(word) if word.isdigit() else _CARDINALS[word]


def _series(match: re.Match[str]) -> str:
    """``lower eight ribs`` -> ``ribs 5-12``; ``lower six or seven ribs`` -> ``ribs 7-12
    (6-12)``: the fewer first, the more as the alternative in brackets."""
    end, first, second, name = match.groups()
    total = SERIES[" ".join(name.split())]
    fewer, more = sorted((_count(first), _count(second or first)))
    if not 0 < fewer <= more <= total:
        return match.group(0)

    def run(count: int) -> str:
        low, high = (1, count) if end in _FROM_THE_TOP else (total - count + 1, total)
        return f"{low}-{high}" if low < high else str(low)

    alternative = f" ({run(more)})" if more > fewer else ""
    return f" {name} {run(fewer)}{alternative} "


def _numbers(match: re.Match[str]) -> str:
    """``ribs 2-4`` -> ``n2 n3 n4``; ``2nd, 4th and 5th`` -> ``n2 n4 n5``; ``five to
    twelve`` -> ``n5`` … ``n12``."""
    pieces = re.split(r"\s*(-|,|&|\bto\b|\bthrough\b|\band\b|\bor\b)\s*", match.group(1))
    numbers: list[int] = []
    ranged = False
    for i, piece in enumerate(pieces):
        if i % 2:
            ranged = piece in ("-", "to", "through")
            continue
        value = NUMBER_WORDS[piece] if piece in NUMBER_WORDS else int(re.sub(r"\D", "", piece))
        if ranged and numbers and numbers[-1] < value <= numbers[-1] + 30:
            numbers.extend(range(numbers[-1] + 1, value + 1))
        else:
            numbers.append(value)
    return " " + " ".join(f"n{n}" for n in dict.fromkeys(numbers)) + " "


def _fraction(match: re.Match[str]) -> str:
    top = _NUMERATORS[match.group(1) or match.group(3)]
    bottom = _FRACTION_DENOMINATORS[match.group(2) or match.group(4)]
    return f" frac_{top}_{bottom} " if top < bottom else match.group(0)


def _placed_fraction(match: re.Match[str]) -> str:
    return f"{match.group(1)} frac_1_{_FRACTION_DENOMINATORS[match.group(2)]} "


def _of_fraction(match: re.Match[str]) -> str:
    return f" frac_1_{_FRACTION_DENOMINATORS[match.group(1)]} "


def _abbreviation(match: re.Match[str]) -> str:
    return " " + ABBREVIATIONS[match.group(1)] + " "


def _text(replacement: str) -> Callable[[re.Match[str]], str]:
    return lambda _: replacement


# The folds, in order. Each is a pattern and what a match becomes.
_STEPS: tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...] = (
    (_DASHES, _text("-")),
    (re.compile(r"\["), _text("(")),
    (re.compile(r"\]"), _text(")")),
    (_HEDGES, _text(" ")),
    (_CN_NUMBER, _cranial_number),
    (_CN_ORDINAL, _cranial_ordinal),
    (_CN_NAME, _cranial_name),
    (_CN_ALONE, _cranial_name),
    (_ABBREVIATION, _abbreviation),
    (_FRACTION, _fraction),
    (_PLACED_FRACTION, _placed_fraction),
    (_OF_FRACTION, _of_fraction),
    (_SERIES_RUN, _series),
    (_LEVEL_RUN, _levels),
    (_NUMBER_RUN, _numbers),
    # A hyphen inside a word joins it ("thoraco-acromial"); elsewhere it is a space.
    (re.compile(r"(?<=[a-z])-(?=[a-z])"), _text("")),
    (re.compile("-"), _text(" ")),
)


@dataclass(frozen=True)
class Prepared:
    """Folded text, and for each of its characters the span of the original it stands
    for: "ribs 5–12" -> "ribs  n5 n6 … n12 ", each ``n`` from "5–12"."""

    text: str
    starts: tuple[int, ...]
    ends: tuple[int, ...]

    def origin(self, start: int, end: int) -> tuple[int, int]:
        """The span of the original that folded characters ``start:end`` came from."""
        if start >= end:
            return (0, 0)
        return (min(self.starts[start:end]), max(self.ends[start:end]))


def _substitute(
    text: str,
    starts: list[int],
    ends: list[int],
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], str],
) -> tuple[str, list[int], list[int]]:
    """``pattern.sub(replace, text)``, carrying each character's origin along: what a
    replacement keeps of the match at its start and end keeps its own origin, the rest
    stands for the rest of the match."""
    out: list[str] = []
    new_starts: list[int] = []
    new_ends: list[int] = []
    last = 0
    for match in pattern.finditer(text):
        a, b = match.span()
        new = replace(match)
        out.append(text[last:a])
        new_starts += starts[last:a]
        new_ends += ends[last:a]
        last = b
        old = match.group(0)
        if new == old:
            out.append(old)
            new_starts += starts[a:b]
            new_ends += ends[a:b]
            continue
        head = 0
        while head < min(len(old), len(new)) and old[head] == new[head]:
            head += 1
        tail = 0
        while tail < min(len(old), len(new)) - head and old[-1 - tail] == new[-1 - tail]:
            tail += 1
        middle = len(new) - head - tail
        if a + head < b - tail:
            span = (min(starts[a + head : b - tail]), max(ends[a + head : b - tail]))
        else:
            at = starts[a + head] if a + head < len(text) else (ends[-1] if ends else 0)
            span = (at, at)
        out.append(new)
        new_starts += starts[a : a + head] + [span[0]] * middle + starts[b - tail : b]
        new_ends += ends[a : a + head] + [span[1]] * middle + ends[b - tail : b]
    if last == 0:
        return text, starts, ends
    out.append(text[last:])
    return "".join(out), new_starts + starts[last:], new_ends + ends[last:]


@lru_cache(maxsize=8192)
def traced(text: str) -> Prepared:
    """``prepare(text)``, each character with where in ``text`` it came from."""
    chars: list[str] = []
    starts: list[int] = []
    for i, c in enumerate(text):
        folded = "".join(
            x for x in unicodedata.normalize("NFKD", c) if not unicodedata.combining(x)
        )
        folded = folded.lower()
        chars.append(folded)
        starts += [i] * len(folded)
    folded_text = "".join(chars)
    ends = [i + 1 for i in starts]
    for pattern, replace in _STEPS:
        folded_text, starts, ends = _substitute(folded_text, starts, ends, pattern, replace)
    return Prepared(folded_text, tuple(starts), tuple(ends))


@lru_cache(maxsize=8192)
def prepare(text: str) -> str:
    """Lower case, plain dashes, hedges dropped, abbreviations spelled out; levels,
    numbers, nerves folded."""
    return traced(text).text


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
