"""A quiet word diff of a typed answer against the card's answer, for the student to read.

Words are compared as the grader sees them, in any order: "n." is "nerve", "ASIS" is the
anterior superior iliac spine, "C5 C6" is "C5–C6", list items may come in any order, and
articles, list marks and other words that carry nothing are never marked. What is marked
is what counts: a word typed that the answer does not have (``extra``), a typo beside the
right word, and then what the grader found missing, part by part (``missing``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from flashcards.grading.folding import prepare
from flashcards.grading.grader import left_out
from flashcards.grading.keyterms import is_typo, kind_of
from flashcards.grading.normalise import SEPARATORS, canonical, is_level, is_number, terms

__all__ = ["Piece", "as_text", "word_diff"]

Kind = Literal["same", "missing", "extra"]
_TOKEN = re.compile(r"lv_[a-z0-9_]+|frac_\d_\d|[a-z0-9]+")
_POSSESSIVE = re.compile(r"'s\b|\u2019s\b")


@dataclass(frozen=True)
class Piece:
    kind: Kind  # same: nothing to mark; missing: in the answer only; extra: typed only
    text: str


def _split(text: str) -> list[str]:
    # List items on lines of their own read as a list written on one line.
    lines = [line.strip().rstrip(",;") for line in text.splitlines() if line.strip()]
    return ", ".join(lines).split()


def _meaning(canons: Iterable[str]) -> set[str]:
    """What counts in some terms: no fillers; levels one by one (C5–C6 = C5 and C6)."""
    out: set[str] = set()
    for canon in canons:
        if canon in SEPARATORS or kind_of(canon) in ("filler", "qualifier"):
            continue
        out |= {f"lv_{x}" for x in canon[3:].split("_")} if is_level(canon) else {canon}
    return out


def _own(word: str) -> set[str]:
    """What one written word says on its own."""
    raw = _TOKEN.findall(_POSSESSIVE.sub("", prepare(word)))
    return _meaning(r if is_level(r) else canonical(r) for r in raw if r not in ("the", "a", "an"))


def _phrase_span(words: list[str], i: int, answer: set[str]) -> int:
    """The length of a lexicon phrase starting at ``i`` that says only what the answer
    says ("gluteal surface of the ilium", "IT band", "ASIS") or nothing at all ("I
    think"); 0 if there is none."""
    for n in range(min(6, len(words) - i), 0, -1):
        said = _meaning(t.canon for t in terms(" ".join(words[i : i + n])))
        plain = set().union(*(_own(w) for w in words[i : i + n]))
        if said != plain and said <= answer:
            return n
    return 0


def _counted_span(words: list[str], i: int, answer: set[str]) -> int:
    """The length of a phrase starting at ``i`` that counts other members than the
    answer's ("upper eight ribs" for ribs 5–12, though rib 8 is one of them); 0 if none."""
    for n in range(min(6, len(words) - i), 1, -1):
        said = _meaning(t.canon for t in terms(" ".join(words[i : i + n])))
        plain = set().union(*(_own(w) for w in words[i : i + n]))
        numbers = {c for c in said if is_number(c) and not c.startswith("frac_")}
        if said != plain and numbers and not numbers <= answer:
            return n
    return 0


def word_diff(expected: str, given: str) -> list[Piece]:
    """Pieces in reading order: the typed words (a typo followed by the right word), then
    what is missing; neighbours of one kind are joined."""
    said = terms(expected)
    answer = _meaning([t.canon for t in said] + [t.also for t in said if t.also])
    theirs = _split(expected)
    words = _split(given)
    marked: list[tuple[Kind, str]] = []
    corrected: set[str] = set()
    i = 0
    while i < len(words):
        span = _phrase_span(words, i, answer)
        if span:
            marked += [("same", w) for w in words[i : i + span]]
            i += span
            continue
        counted = _counted_span(words, i, answer)
        if counted:  # "upper eight": which ones they are is what is wrong
            phrase = _meaning(t.canon for t in terms(" ".join(words[i : i + counted])))
            for word in words[i : i + counted]:
                own = _own(word)
                wrong = any(is_number(c) for c in own) or not own <= phrase
                marked.append(("extra" if wrong or not own <= answer else "same", word))
            i += counted
            continue
        word = words[i]
        i += 1
        if _own(word) <= answer:
            marked.append(("same", word))
            continue
        marked.append(("extra", word))
        right = next((r for r in theirs if is_typo(_bare(r), _bare(word))), None)
        if right is not None:
            marked.append(("missing", right.rstrip(",;")))
            corrected.add(_bare(right))
    pieces: list[Piece] = []
    for kind, text in marked:
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = Piece(kind, f"{pieces[-1].text} {text}")
        else:
            pieces.append(Piece(kind, text))
    for shown in left_out(expected, given):
        if _bare(shown) not in corrected:
            pieces.append(Piece("missing", shown))
    return pieces


def _bare(word: str) -> str:
    return re.sub(r"\W", "", word).lower()


def as_text(pieces: list[Piece]) -> str:
    """The diff without colour: ``[-missing-]`` and ``{+extra+}`` (as wdiff writes them)."""
    marks = {"same": "{}", "missing": "[-{}-]", "extra": "{{+{}+}}"}
    return " ".join(marks[p.kind].format(p.text) for p in pieces)
