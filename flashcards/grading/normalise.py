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
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from flashcards.grading.folding import LEVEL_INDEX, LEVEL_ORDER, prepare, traced
from flashcards.grading.vocabulary import (
    ABBREVIATIONS,
    AGENT_JOINTS,
    AGENTS,
    BARE_ABBREVIATIONS,
    COLLECTIVE,
    IGNORED,
    JOINT_SEGMENTS,
    KINDS,
    NUMBER_WORDS,
    OPPOSITES,
    PLURALS,
    QUALIFIERS,
    STEMS,
    STOPWORDS,
    SURFACE_SIDES,
    SURFACE_WORDS,
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
    """One word of an answer: what it means (``canon``), the word the grader reads
    (``surface``: folded, or the lexicon's own word in a phrase it rewrote) and the
    answer's own text it stands for (``written``: "5–12" for ``n5``, "Dorsal" for the
    ``posterior`` of "dorsal surface of the sacrum"), at ``start:end`` of that text."""

    canon: str
    surface: str
    written: str = ""
    start: int = field(default=-1, compare=False)
    end: int = field(default=-1, compare=False)
    own: bool = field(default=True, compare=False)  # False: written is a whole phrase's
    also: str = ""  # another canon that means the same here ("outer" for a lateral surface)

    @property
    def shown(self) -> str:
        """The term as the student or the card wrote it."""
        return self.written or self.surface


SEPARATORS = frozenset({",", ";", "\n", "(", ")", ":", "&", "+", "/", "and", "or"})
_ARTICLES = frozenset({"the", "a", "an"})

# --- words ------------------------------------------------------------------------------


_BRITISH = (
    (re.compile(r"ae(?=[a-z])"), "e"),  # haematoma, caecum (not plural fasciae)
    (re.compile(r"(?:(?<=[a-z])|^)oe(?=[a-z])"), "e"),  # oesophagus, coeliac
    (re.compile(r"(?<=[a-z]{3})our$"), "or"),  # tumour
    (re.compile(r"(?<=[bt])re$"), "er"),  # fibre, centre
    (re.compile(r"(?<=[a-z]{3})is(e|es|ed|ing|ation|ations)$"), r"iz\1"),  # stabilise
)


def _american(word: str) -> str:
    if len(word) <= 4:
        return word
    for pattern, replacement in _BRITISH:
        word = pattern.sub(replacement, word)
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
    prepared = traced(text)
    folded = prepared.text
    out: list[Term] = []
    for match in _TOKEN.finditer(folded):
        raw = match.group(0)
        a, b = match.span()
        if raw in _ARTICLES or (raw == "s" and a and folded[a - 1] in "'\u2019"):
            continue  # an article, or the "'s" of a possessive
        canon = raw if raw in SEPARATORS else canonical(raw)
        start, end = prepared.origin(a, b)
        out.append(Term(canon, raw, text[start:end], start, end))
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
def _phrase_index() -> dict[str, tuple[int, ...]]:
    """Phrase lengths by first word, longest first: only these are tried at a word."""
    lengths: dict[str, set[int]] = {}
    for key in _phrases():
        lengths.setdefault(key[0], set()).add(len(key))
    return {word: tuple(sorted(n, reverse=True)) for word, n in lengths.items()}


_PARTNERS: dict[str, frozenset[str]] = {}
for _group in OPPOSITES:
    for _word in _group:
        _PARTNERS[_word] = _PARTNERS.get(_word, frozenset()) | _group


def _as_written(value: tuple[Term, ...], window: list[Term], text: str) -> list[Term]:
    """A phrase's lexicon words standing for the words the answer wrote: word for word
    where at most one word is changed ("Dorsal surface of the sacrum"), else each for the whole
    phrase ("ASIS", "pes anserinus", "golfer's elbow")."""
    same_length = len(value) == len(window)
    changed = same_length and sum(v.canon != w.canon for v, w in zip(value, window, strict=True))
    if same_length and changed <= 1:
        return [
            replace(v, written=w.written, start=w.start, end=w.end)
            for v, w in zip(value, window, strict=True)
        ]
    start, end = window[0].start, window[-1].end
    return [replace(v, written=text[start:end], start=start, end=end, own=False) for v in value]


def _apply_phrases(stream: list[Term], text: str) -> list[Term]:
    table = _phrases()
    out: list[Term] = []
    i = 0
    index = _phrase_index()
    while i < len(stream):
        first = stream[i]
        lengths = index.get(first.canon, ()) + index.get("=" + first.surface, ())
        for length in lengths:
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
            # The phrase's words in the lexicon's own wording, so that its grammar ("in",
            # "of") reads as written there.
            out.extend(_as_written(value, window, text))
            i += length
            break
        else:
            out.append(stream[i])
            i += 1
    return out


_BONY = KINDS["bone"] | KINDS["landmark"]
_ENDS_A_PHRASE = frozenset({";", "\n", "(", ")", ":"})
_BETWEEN_SIDES = frozenset({"and", "or", ",", "&", "/"})


def _of_a_bone(stream: list[Term], i: int) -> bool:
    """The surface word at ``i`` is followed by "of" and a bone or a landmark."""
    if i + 1 >= len(stream) or stream[i + 1].canon != "of":
        return False
    for term in stream[i + 2 :]:
        if term.canon in _ENDS_A_PHRASE:
            return False
        if term.canon in _BONY:
            return True
    return False


_UPPER_LOWER = frozenset({"superior", "inferior"})


def _surface_sides(stream: list[Term]) -> list[Term]:
    """The sides written before a bone's surface, each with the side that means the same
    there (the lexicon's [surface_sides]): "Outer surface of the ilium" is also its
    lateral surface. Only ``also``: "outer ilium" and "medial humerus", typed without a
    surface, still read as written. Beside "upper" or "lower" the two mean the same too:
    "upper outer" = "upper lateral" = "superolateral"."""
    out = list(stream)
    for i, term in enumerate(stream):
        paired = {t.canon for t in stream[max(0, i - 1) : i + 2]} & _UPPER_LOWER
        if term.canon in SURFACE_SIDES and paired:  # "upper outer" = "upper lateral"
            out[i] = replace(term, also=SURFACE_SIDES[term.canon])
        if term.surface not in SURFACE_WORDS or not _of_a_bone(stream, i):
            continue
        j = i - 1
        while j >= 0 and (out[j].canon in SURFACE_SIDES or out[j].canon in _BETWEEN_SIDES):
            if out[j].canon in SURFACE_SIDES:
                out[j] = replace(out[j], also=SURFACE_SIDES[out[j].canon])
            j -= 1
    return out


_MOVED = AGENT_JOINTS | frozenset(JOINT_SEGMENTS)


def _acts_on(stream: list[Term], i: int) -> bool:
    """The agent at ``i`` names a movement: after a joint ("hip flexor") or before "of"
    and a joint or a segment ("flexor of the thigh")."""
    if i and stream[i - 1].canon in AGENT_JOINTS:
        return True
    if i + 1 >= len(stream) or stream[i + 1].canon != "of":
        return False
    following = [t for t in stream[i + 2 : i + 4] if t.canon not in STOPWORDS]
    return bool(following) and following[0].canon in _MOVED


def _agents(stream: list[Term]) -> list[Term]:
    """A muscle named by what it does at a joint, read as the movement (the lexicon's
    [agents]): "main flexor of the hip" is "flexes the hip", so "extends the hip" is the
    opposite movement there. In a name ("flexor digitorum longus") it stays a name."""
    return [
        replace(t, canon=AGENTS[t.canon]) if t.canon in AGENTS and _acts_on(stream, i) else t
        for i, t in enumerate(stream)
    ]


@lru_cache(maxsize=8192)
def terms(text: str) -> tuple[Term, ...]:
    """The answer as canonical terms and separators, in the order written."""
    return tuple(_agents(_surface_sides(_apply_phrases(_raw_tokens(text), text))))


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
