"""A word-level diff of a typed answer against the card's answer, for the student to read.

Words are compared as the grader sees them (``n.`` is "nerve", "rami" is "ramus"), so
the diff marks what really differs; the words shown are the ones that were written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

from flashcards.grading.normalise import prepare, words

__all__ = ["Piece", "as_text", "word_diff"]

Kind = Literal["same", "missing", "extra"]


@dataclass(frozen=True)
class Piece:
    kind: Kind  # same: in both; missing: in the answer only; extra: typed only
    text: str


def _key(word: str) -> str:
    folded = "".join(words(prepare(word)))
    return folded or re.sub(r"\W", "", word.lower()) or word


def _split(text: str) -> list[str]:
    # List items on lines of their own read as a list written on one line.
    lines = [line.strip().rstrip(",;") for line in text.splitlines() if line.strip()]
    return ", ".join(lines).split()


def word_diff(expected: str, given: str) -> list[Piece]:
    """Pieces in reading order; neighbours of one kind are joined."""
    theirs, yours = _split(expected), _split(given)
    matcher = SequenceMatcher(
        None, [_key(w) for w in theirs], [_key(w) for w in yours], autojunk=False
    )
    pieces: list[Piece] = []

    def add(kind: Kind, chunk: list[str]) -> None:
        if not chunk:
            return
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = Piece(kind, f"{pieces[-1].text} {' '.join(chunk)}")
        else:
            pieces.append(Piece(kind, " ".join(chunk)))

    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            add("same", yours[j1:j2])
        else:
            add("missing", theirs[i1:i2])
            add("extra", yours[j1:j2])
    return pieces


def as_text(pieces: list[Piece]) -> str:
    """The diff without colour: ``[-missing-]`` and ``{+extra+}`` (as wdiff writes them)."""
    marks = {"same": "{}", "missing": "[-{}-]", "extra": "{{+{}+}}"}
    return " ".join(marks[p.kind].format(p.text) for p in pieces)
