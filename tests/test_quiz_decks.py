"""Multiple choice over the shipped curriculum (`decks/`), over many seeds.

Done-when of the quiz: a seeded multiple-choice quiz never shows a duplicate option, and
every wrong option is the same field of another structure (never the right answer in
other words).
"""

from __future__ import annotations

import random
import re
from collections import Counter
from typing import Any

import pytest
from conftest import DECKS, Cli, ok

from flashcards.grading import PASSING
from flashcards.grading.normalise import without_asides
from flashcards.quiz import OPTIONS, Kin, QuizCard, alike, build_quiz
from flashcards.study.context import App
from flashcards.study.quizzing import _related_tiers, quiz_cards
from flashcards_db.queries import quiz as quiz_queries

SEEDS = 60
PER_QUIZ = 20


@pytest.fixture
def curriculum(run_sqlite: Cli) -> list[QuizCard]:
    ok(run_sqlite("import", str(DECKS)))
    app = App(db=run_sqlite.db, user_name="ana")
    try:
        with app.session() as session:
            records = quiz_queries.quiz_records(session, app.user_id(session))
    finally:
        app.close()
    return quiz_cards(records)


def _check(question: Any, by_id: dict[int, QuizCard], kin: Kin) -> None:
    card = question.card
    texts = [o.casefold() for o in question.options]
    assert len(set(texts)) == len(texts), f"duplicate option: {question.options}"
    assert all(o.strip() for o in question.options)
    options = [by_id[i] for i in question.option_cards]
    assert [o.card_id for o in options].count(card.card_id) == 1
    name = re.escape(card.structure_name or "?")
    wrong = [t for t, o in zip(question.options, options, strict=True) if o is not card]
    for other in options:
        if other.card_id == card.card_id:
            continue
        assert other.field == card.field, (card.question, other.question)
        assert other.structure != card.structure, (card.question, other.question)
        # Never the answer of the structure's whole muscle, nor of one of its parts.
        assert not kin.one_muscle(other.structure, card.structure), (card.question, other.question)
        if not card.asks_one_item:
            assert not alike(card.answer, other.answer), (card.answer, other.answer)
            # Never an option naming the structure asked about (its own antagonist).
            assert not re.search(rf"\b{name}\b", other.answer, re.IGNORECASE), other.answer
    if card.asks_one_item:
        # One item of its own list, and single items no student could defend.
        right = question.options[question.correct_option]
        assert right in card.key.items
        for text in wrong:
            assert "\n" not in text and "; " not in text, text
            assert card.key.judge(card.answer, text).grade < PASSING, (card.question, text)
            assert not re.search(rf"\b{name}\b", text, re.IGNORECASE), (card.question, text)
            for item in (*card.key.items, *card.key.accept):
                assert not alike(without_asides(item), without_asides(text)), (item, text)
                for a in kin.structures(item):
                    for b in kin.structures(text):
                        assert not kin.one_muscle(a, b), (card.question, item, text)
    # No two options that say one thing: whole answers, or the items offered.
    said = list(question.options) if card.asks_one_item else [o.answer for o in options]
    for i, a in enumerate(said):
        for b in said[i + 1 :]:
            assert not alike(a, b), (card.question, a, b)


def test_seeded_mc_quizzes_over_the_curriculum(curriculum: list[QuizCard]) -> None:
    facts = [c for c in curriculum if c.field is not None]
    assert len({c.structure for c in facts}) >= 100  # the curriculum, not a toy deck
    by_id = {c.card_id: c for c in curriculum}
    kin = Kin(curriculum)
    sizes: Counter[int] = Counter()
    asked: set[int] = set()
    for seed in range(SEEDS):
        quiz = build_quiz(curriculum, mode="mc", count=PER_QUIZ, rng=random.Random(seed))
        assert len(quiz.questions) == PER_QUIZ
        for question in quiz.questions:
            _check(question, by_id, kin)
            sizes[len(question.options)] += 1
            asked.add(question.card.card_id)
    assert sizes == Counter({OPTIONS: SEEDS * PER_QUIZ})  # a big curriculum: always four
    assert len(asked) > SEEDS * PER_QUIZ / 3  # seeds vary the questions


def test_each_deck_alone_borrows_from_its_neighbours(curriculum: list[QuizCard]) -> None:
    by_id = {c.card_id: c for c in curriculum}
    kin = Kin(curriculum)
    decks = sorted({c.deck for c in curriculum})
    borrowed = 0
    for n, deck in enumerate(decks):
        mine = [c for c in curriculum if c.deck == deck]
        others = [c for c in curriculum if c.deck != deck]
        tiers = _related_tiers(mine, others)
        quiz = build_quiz(mine, mode="mc", count=10, rng=random.Random(n), related=tiers)
        for question in quiz.questions:
            _check(question, by_id, kin)
            if question.borrowed:
                borrowed += 1
                own = {c.card_id for c in mine}
                assert any(i not in own for i in question.option_cards)
                # Borrowed from decks of the same tree (nearest first), never from an
                # unrelated one.
                top = deck.split("::")[0]
                for i in question.option_cards:
                    assert by_id[i].deck.split("::")[0] == top
        if any(q.borrowed for q in quiz.questions):
            assert any("related decks" in w for w in quiz.warnings)
    assert borrowed > 0
