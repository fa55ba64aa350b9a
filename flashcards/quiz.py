"""Quizzes, pure: which cards are asked, multiple-choice options worth taking, the score.

Wrong options are the same field of confusable structures: same region or kind, same
nerve, an attachment with words in common ("greater" for "lesser trochanter"). Never
the right answer again in other words (the grader decides what is the same answer),
never two options that say one thing, never an empty one. Randomness comes from the
``random.Random`` handed in, so one seed gives one quiz.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from flashcards.authoring.facts import render_cloze
from flashcards.grading import PASSING, AnswerKey, overlaps
from flashcards.grading.normalise import fragments, prepare, without_asides, words
from flashcards.grading.vocabulary import GENERIC

__all__ = [
    "MODES",
    "OPTIONS",
    "Distractors",
    "FieldScore",
    "Question",
    "Quiz",
    "QuizCard",
    "Score",
    "alike",
    "build_quiz",
    "choose_distractors",
    "option_text",
    "score",
    "sides",
]

MODES = ("mc", "typed", "flip")
OPTIONS = 4  # the right answer and three wrong ones


@dataclass(frozen=True)
class QuizCard:
    """A card as a quiz sees it: plain values, no database."""

    card_id: int
    deck: str  # full deck name
    question: str
    answer: str  # what a typed answer is graded against
    field: str | None = None  # fact field; None for hand-written and cloze cards
    structure: str | None = None  # deck-qualified structure key
    structure_name: str | None = None
    region: str | None = None
    structure_kind: str | None = None
    nerve: str | None = None  # the structure's innervation, for "same nerve"
    note: str | None = None  # the deck's note on the fact: shown after the answer
    # What a typed answer may also be (accepted answers, any one item, other names).
    key: AnswerKey = dataclasses.field(default_factory=AnswerKey)

    @property
    def topic(self) -> str:
        """What the score is broken down by: the fact field, or the kind of card."""
        return self.field or "other cards"


def sides(kind: str, front: str, back: str, ordinal: int) -> tuple[str, str]:
    """Question and expected answer of a stored card (a cloze asks for its hidden text)."""
    if kind != "cloze":
        return front, back
    question, _ = render_cloze(front, ordinal)
    hidden = [
        m.group(2)
        for m in re.finditer(r"\{\{c(\d+)::(.*?)(?:::(.*?))?\}\}", front, re.DOTALL)
        if int(m.group(1)) == ordinal
    ]
    return question, "\n".join(hidden)


def option_text(answer: str) -> str:
    """An answer on one line: list items joined by semicolons."""
    return "; ".join(line.strip() for line in answer.splitlines() if line.strip())


@dataclass(frozen=True)
class Distractors:
    cards: tuple[QuizCard, ...]
    borrowed: bool  # some came from related decks, the deck itself had too few


@dataclass(frozen=True)
class Question:
    card: QuizCard
    options: tuple[str, ...] = ()  # multiple choice only
    option_cards: tuple[int, ...] = ()  # the card behind each option
    borrowed: bool = False

    @property
    def correct_option(self) -> int | None:
        """Index of the right option (multiple choice), else None."""
        if not self.options:
            return None
        return self.option_cards.index(self.card.card_id)


@dataclass(frozen=True)
class Quiz:
    questions: tuple[Question, ...]
    warnings: tuple[str, ...] = ()


def _words(answer: str) -> set[str]:
    """Telling words of an answer ("nerve" or "branch" tell nothing apart)."""
    return {w for f in fragments(answer) for w in f if w not in GENERIC}


def _deck_kinship(a: str, b: str) -> int:
    """How many levels of the deck tree two decks share."""
    shared = 0
    for x, y in zip(a.split("::"), b.split("::"), strict=False):
        if x != y:
            break
        shared += 1
    return shared


def _confusability(card: QuizCard, other: QuizCard) -> float:
    score = 0.0
    if card.region and other.region:
        here, there = card.region.lower(), other.region.lower()
        if here == there:
            score += 3
        elif here.split("-")[0] == there.split("-")[0]:
            score += 1.5  # neighbouring compartments: leg-lateral and leg-posterior
    if card.structure_kind and card.structure_kind == other.structure_kind:
        score += 1
    if card.nerve and other.nerve and _words(card.nerve) & _words(other.nerve):
        score += 2  # same nerve (or roots): taught side by side
    mine, theirs = _words(card.answer), _words(other.answer)
    if mine and theirs:
        score += 3 * len(mine & theirs) / len(mine | theirs)  # neighbouring attachment
    score += _deck_kinship(card.deck, other.deck)
    lines = (len(card.answer.splitlines()), len(other.answer.splitlines()))
    score -= abs(lines[0] - lines[1]) / 2  # a one-line option among lists stands out
    return score


def alike(a: str, b: str) -> bool:
    """Two answers too close to stand side by side as options.

    The same words, one answer in other words, one that would earn credit for the
    other, or two that differ only in an aside ("(L2-L3)" against "(L2-L4)").
    """
    if option_text(a).casefold() == option_text(b).casefold():
        return True
    return overlaps(a, b) or overlaps(without_asides(a), without_asides(b))


def _mentions(answer: str, name: str) -> bool:
    """Whether an answer names the structure (brachialis among its own antagonists)."""
    wanted = words(prepare(name))
    n = len(wanted)
    return n > 0 and any(
        item[i : i + n] == wanted for item in fragments(answer) for i in range(len(item) - n + 1)
    )


def _acceptable(card: QuizCard, other: QuizCard, chosen: Iterable[QuizCard]) -> bool:
    if other.card_id == card.card_id or other.field != card.field or not other.answer.strip():
        return False
    if card.structure is not None and other.structure == card.structure:
        return False
    if card.structure_name and _mentions(other.answer, card.structure_name):
        return False  # absurd, or a give-away ("with iliacus" among iliacus' options)
    return not any(alike(c.answer, other.answer) for c in (card, *chosen))


def choose_distractors(
    card: QuizCard,
    pools: Sequence[Sequence[QuizCard]],
    rng: random.Random,
    wanted: int = OPTIONS - 1,
) -> Distractors:
    """Up to ``wanted`` wrong options: from the first pool, then the next ones."""
    chosen: list[QuizCard] = []
    borrowed = False
    for tier, pool in enumerate(pools):
        candidates = [c for c in pool if c.field == card.field and c.card_id != card.card_id]
        # A little seeded noise, so that a quiz taken again does not always offer the
        # same three; confusability still dominates.
        ranked = sorted(candidates, key=lambda c: -(_confusability(card, c) + rng.random()))
        for other in ranked:
            if len(chosen) == wanted:
                break
            if _acceptable(card, other, chosen):
                chosen.append(other)
                borrowed = borrowed or tier > 0
        if len(chosen) == wanted:
            break
    return Distractors(tuple(chosen), borrowed)


def build_quiz(
    cards: Sequence[QuizCard],
    *,
    mode: str,
    count: int,
    rng: random.Random,
    pool: Sequence[QuizCard] | None = None,
    related: Sequence[Sequence[QuizCard]] = (),
) -> Quiz:
    """``count`` questions drawn from ``cards``.

    Wrong options (mc) come from ``pool`` (the deck's cards, by default ``cards``), and
    when it has too few, from the ``related`` pools in order.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {', '.join(MODES)}, not {mode!r}")
    order = list(cards)
    rng.shuffle(order)
    warnings: list[str] = []
    if mode != "mc":
        return Quiz(tuple(Question(c) for c in order[: max(0, count)]))
    facts = [c for c in order if c.field is not None]
    if len(facts) < len(order):
        warnings.append(
            f"{len(order) - len(facts)} hand-written or cloze card(s) left out: multiple "
            "choice needs structure facts to draw wrong options from"
        )
    questions: list[Question] = []
    short: list[str] = []
    for card in facts:
        if len(questions) == count:
            break
        found = choose_distractors(card, [cards if pool is None else pool, *related], rng)
        if not found.cards:
            short.append(f"{card.question} (no other {card.field} answer to offer)")
            continue
        options = [card, *found.cards]
        rng.shuffle(options)
        if len(options) < OPTIONS:
            short.append(
                f"{card.question} ({len(options)} options: only {len(found.cards)} other "
                f"{card.field} answer(s) to choose from)"
            )
        questions.append(
            Question(
                card,
                options=tuple(option_text(o.answer) for o in options),
                option_cards=tuple(o.card_id for o in options),
                borrowed=found.borrowed,
            )
        )
    borrowed = sum(q.borrowed for q in questions)
    if borrowed:
        warnings.append(
            f"{borrowed} question(s) take wrong options from related decks: "
            "this deck has too few structures of its own"
        )
    if short:
        warnings.append(
            "not enough confusable answers, even in related decks, for: " + "; ".join(short)
        )
    return Quiz(tuple(questions), tuple(warnings))


@dataclass(frozen=True)
class FieldScore:
    asked: int = 0
    correct: int = 0


@dataclass(frozen=True)
class Score:
    asked: int
    correct: int
    by_field: dict[str, FieldScore] = field(default_factory=dict)

    @property
    def percent(self) -> float:
        return round(100 * self.correct / self.asked, 1) if self.asked else 0.0


def score(answers: Iterable[tuple[QuizCard, int]]) -> Score:
    """Asked, right (grade 3 or more, SM-2's pass) and the same per field."""
    asked = correct = 0
    fields: dict[str, FieldScore] = {}
    for card, quality in answers:
        right = quality >= PASSING
        asked += 1
        correct += right
        before = fields.get(card.topic, FieldScore())
        fields[card.topic] = FieldScore(before.asked + 1, before.correct + right)
    return Score(asked, correct, fields)
