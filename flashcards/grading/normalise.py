"""Answers reduced to what an anatomy teacher compares: a stream of canonical terms.

"Ventral rami of L1, L2 and L3" and "anterior rami of L1–L3" both become
``anterior ramus of lv_l1_l2_l3``. Case, punctuation, articles, abbreviations (n., a.,
lig., ant. …), British spelling, Latin and English plurals, verb or noun forms of a
movement, spinal levels written any way, numbers and fractions, cranial nerves by number
or name and the lexicon's synonyms are folded here; list marks (``,`` ``;`` ``and`` …)
and brackets stay in the stream as separators for `parts` to read.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache

from flashcards.grading.vocabulary import (
    ABBREVIATIONS,
    BARE_ABBREVIATIONS,
    COLLECTIVE,
    CRANIAL_NERVE_ALONE,
    CRANIAL_NERVE_NAMES,
    IGNORED,
    LEVEL_REGIONS,
    NUMBER_WORDS,
    OPPOSITES,
    PLURALS,
    QUALIFIERS,
    STEMS,
    STOPWORDS,
    SYNONYMS,
    WORDS,
)

__all__ = [
    "LEVEL_INDEX",
    "LEVEL_ORDER",
    "SEPARATORS",
    "Fragment",
    "Term",
    "answer_variants",
    "canonical",
    "fragments",
    "is_level",
    "is_number",
    "levels_in",
    "prepare",
    "terms",
    "without_asides",
    "words",
]

Fragment = tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One word of an answer: what it means (``canon``) and how it was written."""

    canon: str
    surface: str


SEPARATORS = frozenset({",", ";", "\n", "(", ")", ":", "&", "+", "/", "and", "or"})
_ARTICLES = frozenset({"the", "a", "an"})

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
    """Lower case, plain dashes, abbreviations spelled out; levels, numbers, nerves folded."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    text = _DASHES.sub("-", text).replace("[", "(").replace("]", ")")
    text = _fold_cranial_nerves(text)
    text = _ABBREVIATION.sub(lambda m: " " + ABBREVIATIONS[m.group(1)] + " ", text)
    text = _fold_fractions(text)
    text = _fold_levels(text)
    text = _fold_numbers(text)
    # A hyphen inside a word joins it ("thoraco-acromial"); elsewhere it is a space.
    return re.sub(r"(?<=[a-z])-(?=[a-z])", "", text).replace("-", " ")


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
    if len(word) <= 3:
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


_ADVERBS = {"deeply": "deep"}


@lru_cache(maxsize=16384)
def canonical(raw: str) -> str:
    """The canonical form of one written word (``rami`` -> ``ramus``, ``flexes`` -> ``flex``)."""
    if raw.startswith(("lv_", "frac_")) or re.fullmatch(r"cn\d+|n\d+", raw):
        return raw
    if re.fullmatch(r"\d{1,2}(?:st|nd|rd|th)?", raw):
        return "n" + re.sub(r"\D", "", raw)
    word = _american(raw)
    if word in BARE_ABBREVIATIONS:
        word = ABBREVIATIONS[word]
    if word in NUMBER_WORDS:
        return f"n{NUMBER_WORDS[word]}"
    if word in STEMS:
        return STEMS[word]
    word = PLURALS.get(word) or _ADVERBS.get(word) or word
    if word.endswith("ly") and (word[:-2] in WORDS or word[:-2] in _SIDE_ADVERBS):
        word = word[:-2]  # "medially rotates"
    word = _american(_singular(word)) if word not in PLURALS.values() else word
    word = STEMS.get(word, word)
    return WORDS.get(word, word)


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_SIDE_ADVERBS = _set(
    "medial lateral anterior posterior superior inferior proximal distal internal "
    "external superficial bilateral unilateral weak strong main most"
)
_TOKEN = re.compile(r"lv_[a-z0-9_]+|frac_\d_\d|[a-z0-9]+|[,;:()\n&+/]")


def _raw_tokens(text: str) -> list[Term]:
    prepared = re.sub(r"'s\b|\u2019s\b", "", prepare(text))
    out: list[Term] = []
    for raw in _TOKEN.findall(prepared):
        if raw in _ARTICLES:
            continue
        canon = raw if raw in SEPARATORS else canonical(raw)
        out.append(Term(canon, raw))
    return out


@cache
def _phrases() -> dict[tuple[str, ...], tuple[Term, ...]]:
    """Synonyms, keys and values folded as answers are. Collective names are keyed by
    the words as written ("gemelli" folds to "gemellus" like "gemellus" itself), with a
    leading ``=`` that no folded word has."""
    table: dict[tuple[str, ...], tuple[Term, ...]] = {}
    for key, value in SYNONYMS.items():
        folded = tuple(t.canon for t in _raw_tokens(key))
        if folded:
            table[folded] = tuple(_raw_tokens(value))
    for key, members in COLLECTIVE.items():
        written = tuple("=" + t.surface for t in _raw_tokens(key))
        if written:
            table[written] = tuple(_raw_tokens(" and ".join(members)))
    return table


@cache
def _phrase_lengths() -> tuple[int, ...]:
    return tuple(sorted({len(k) for k in _phrases()}, reverse=True))


_PARTNERS: dict[str, frozenset[str]] = {}
for _group in OPPOSITES:
    for _word in _group:
        _PARTNERS[_word] = _PARTNERS.get(_word, frozenset()) | _group


def _apply_phrases(stream: list[Term]) -> list[Term]:
    table = _phrases()
    out: list[Term] = []
    i = 0
    while i < len(stream):
        for length in _phrase_lengths():
            window = stream[i : i + length]
            if len(window) < length:
                continue
            value = table.get(tuple(t.canon for t in window))
            if value is None:
                value = table.get(tuple("=" + t.surface for t in window))
            if value is None:
                continue
            following = stream[i + length].canon if i + length < len(stream) else ""
            if value and following in _PARTNERS.get(value[-1].canon, frozenset()):
                continue  # "psoas minor" is not "psoas major minor"
            if length == 1 and following == "of" and is_level(value[0].canon):
                continue  # "the axis of the middle finger" is not C2
            if (
                len(value) > length
                and tuple(t.canon for t in value[:length]) == tuple(t.canon for t in window)
                and following not in SEPARATORS | {""}
            ):
                continue  # "psoas" is psoas major, but not in "psoas sign"
            surface = " ".join(t.surface for t in stream[i : i + length])
            out.extend(Term(t.canon, surface) for t in value)
            i += length
            break
        else:
            out.append(stream[i])
            i += 1
    return out


@lru_cache(maxsize=8192)
def terms(text: str) -> tuple[Term, ...]:
    """The answer as canonical terms and separators, in the order written."""
    return tuple(_apply_phrases(_raw_tokens(text)))


def is_level(token: str) -> bool:
    return token.startswith("lv_")


def is_number(token: str) -> bool:
    return token.startswith("frac_") or re.fullmatch(r"n\d+", token) is not None


def _content(stream: tuple[Term, ...]) -> Fragment:
    return tuple(
        t.canon
        for t in stream
        if t.canon not in SEPARATORS and t.canon not in STOPWORDS and t.canon not in IGNORED
    )


@lru_cache(maxsize=8192)
def words(text: str) -> Fragment:
    """Canonical content words of a piece of text, list marks and fillers left out."""
    return _content(terms(text))


@lru_cache(maxsize=4096)
def fragments(text: str) -> tuple[Fragment, ...]:
    """The answer cut at every list mark, each piece as canonical content words."""
    pieces: list[list[Term]] = [[]]
    for term in terms(text):
        if term.canon in SEPARATORS:
            pieces.append([])
        else:
            pieces[-1].append(term)
    return tuple(f for f in (_content(tuple(p)) for p in pieces) if f)


def levels_in(text: str) -> frozenset[str]:
    """The spinal levels an answer names (``l1``, ``l2`` …)."""
    return frozenset(
        level for t in terms(text) if is_level(t.canon) for level in t.canon[3:].split("_")
    )


def is_qualifier(token: str) -> bool:
    return token in QUALIFIERS


_PARENTHETICAL = re.compile(r"\s*\([^()]*\)|\s*\[[^\[\]]*\]")


def without_asides(text: str) -> str:
    """The answer without its bracketed asides ("Femoral nerve (L2-L3)" -> "Femoral nerve")."""
    return _PARENTHETICAL.sub("", text)


@lru_cache(maxsize=2048)
def answer_variants(expected: str) -> tuple[str, ...]:
    """The expected answer, and the same without its bracketed asides."""
    bare = _PARENTHETICAL.sub("", expected)
    return tuple(dict.fromkeys(v for v in (expected, bare) if v.strip()))
