"""The graded corpus (tests/fixtures/grading/corpus.csv): the grader against a teacher.

Each row is a card's answer from the shipped decks, what a student typed, and the range
of grades a teacher gives it, written before any grader saw the row. The grader must
land in range on 97 % of rows overall, and never let a wrong key term or another
structure's answer pass (2 or below), nor fail a correct paraphrase (4 or above).
`bench/grading.py` prints every category and the rows it misses.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from functools import cache
from pathlib import Path

from conftest import DECKS
from rapidfuzz import fuzz

from flashcards.authoring.decks import load_deck_set
from flashcards.authoring.facts import notes_for_deck
from flashcards.grading import grade
from flashcards.grading.keyterms import known

CORPUS = Path(__file__).resolve().parent / "fixtures" / "grading" / "corpus.csv"
CATEGORIES = {
    "wrong key term", "other structure", "partial list", "wrong detail", "wrong extra item",
    "typo", "equivalent form", "correct paraphrase", "less precise", "accepted alternative",
    "blank",
}  # fmt: skip


@cache
def rows() -> list[dict[str, str]]:
    with CORPUS.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def in_range(row: dict[str, str]) -> bool:
    return int(row["low"]) <= grade(row["expected"], row["typed"]) <= int(row["high"])


def test_the_corpus_is_large_and_well_formed() -> None:
    assert len(rows()) >= 600
    assert {r["category"] for r in rows()} == CATEGORIES
    for row in rows():
        assert 0 <= int(row["low"]) <= int(row["high"]) <= 5, row
        assert row["expected"].strip(), row
    counts = Counter(r["category"] for r in rows())
    assert counts["wrong key term"] >= 100 and counts["correct paraphrase"] >= 100


def fuzzy_passes(row: dict[str, str]) -> bool:
    """What a plain string score says: 80 % alike is right."""
    return fuzz.ratio(row["expected"].casefold(), row["typed"].casefold()) >= 80


def test_at_least_a_third_are_traps_a_fuzzy_score_judges_the_wrong_way() -> None:
    traps = [
        r
        for r in rows()
        if (int(r["low"]) >= 4 and not fuzzy_passes(r)) or (int(r["high"]) <= 2 and fuzzy_passes(r))
    ]
    assert len(traps) >= len(rows()) / 3


def test_the_grader_agrees_with_the_teacher_on_97_percent() -> None:
    agreed = sum(in_range(r) for r in rows())
    assert agreed / len(rows()) >= 0.97


def test_no_wrong_key_term_and_no_other_structures_answer_passes() -> None:
    wrong = [r for r in rows() if r["category"] in ("wrong key term", "other structure")]
    passed = [(r["expected"], r["typed"]) for r in wrong if grade(r["expected"], r["typed"]) > 2]
    assert passed == []


def test_every_correct_paraphrase_is_right() -> None:
    paraphrases = [r for r in rows() if r["category"] == "correct paraphrase"]
    failed = [
        (r["expected"], r["typed"]) for r in paraphrases if grade(r["expected"], r["typed"]) < 4
    ]
    assert failed == []


def test_every_word_of_the_shipped_answers_is_a_known_term() -> None:
    """Two known terms are never typos of each other (ilium/ileum): a deck's new words go
    into flashcards/grading/terms.txt, or a typo could turn one of them into another."""
    decks, _ = load_deck_set([DECKS])
    words: set[str] = set()
    for deck in decks:
        for note in notes_for_deck(deck):
            texts = [note.back, note.structure_name or ""]
            texts += [*note.meta.get("accept", []), *note.meta.get("aliases", [])]
            for text in texts:
                words.update(re.findall(r"[a-zà-ÿ]+", text.lower()))
    unknown = sorted(w for w in words if len(w) > 2 and not known(w))
    assert unknown == [], f"add to flashcards/grading/terms.txt: {unknown}"
