"""A quiz (practice or exam): questions from the database, answers logged, schedule untouched.

Every answer is a ``reviews`` row of kind ``quiz`` with its mode (mc, typed, flip), so
stats can count it; it never calls SM-2, never writes ``card_states``, is never a
pending re-drill nor the day's first grade, and ``undo`` never takes it back.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from dataclasses import dataclass

from flashcards.anki.html import terminal_text
from flashcards.errors import FlashcardsError
from flashcards.grading import PASSING, Judgement
from flashcards.quiz import (
    Question,
    Quiz,
    QuizCard,
    Score,
    build_quiz,
    option_text,
    score,
    sides,
)
from flashcards.study.answer_keys import answer_key
from flashcards.study.confusions import ConfusedWith, find_confusion, record_confusion
from flashcards.study.context import App
from flashcards.study.reviewing import deck_ids_for
from flashcards_db.queries import quiz as quiz_queries
from flashcards_db.queries.decks import has_decks
from flashcards_db.queries.quiz import QuizRecord

__all__ = ["QuizAnswer", "QuizSession", "quiz_cards"]

MC_RIGHT, MC_WRONG = 5, 1  # an option picked is all or nothing
# What a diagram's card asks for: its label. Its wrong options are other labels.
DIAGRAM_FIELD = "diagram label"


def _structure_of(record: QuizRecord, answer: str) -> str | None:
    """What a card is about: its structure; a diagram's card, the label it asks."""
    if record.structure_key:
        return f"{record.deck_key}/{record.structure_key}"
    if record.kind == "occlusion":
        return f"{record.deck_key}/label:{answer.casefold()}"
    return None


def _wholes(records: Sequence[QuizRecord]) -> dict[tuple[int, str], str]:
    """Each head or part's whole (`part_of`, a structure id) as a structure key: in its
    own deck when there, else in the one deck that has it."""
    decks_of: dict[str, set[str]] = {}
    for r in records:
        if r.structure_key is not None:
            decks_of.setdefault(r.structure_key, set()).add(r.deck_key)
    found: dict[tuple[int, str], str] = {}
    for r in records:
        whole = r.meta.get("part_of")
        if r.structure_key is None or not isinstance(whole, str):
            continue
        decks = decks_of.get(whole, set())
        deck = r.deck_key if r.deck_key in decks else min(decks) if len(decks) == 1 else None
        if deck is not None:
            found[(r.deck_id, r.structure_key)] = f"{deck}/{whole}"
    return found


def _texts(value: object) -> tuple[str, ...]:
    if not isinstance(value, list):
        return ()
    return tuple(v for v in value if isinstance(v, str) and v.strip())


def quiz_cards(records: Sequence[QuizRecord]) -> list[QuizCard]:
    """Plain quiz cards from stored records, each knowing its structure's nerve, other
    names and whole muscle (for a head or part)."""
    nerves: dict[tuple[int, str | None], str] = {
        (r.deck_id, r.structure_key): r.back
        for r in records
        if r.field == "innervation" and r.structure_key is not None
    }
    wholes = _wholes(records)
    cards = []
    for r in records:
        # Imported cards may hold HTML: shown and graded as the words it displays; a
        # plain deck's text is taken as written ("a<b and c>d" included).
        question, answer = (
            terminal_text(t, r.html) for t in sides(r.kind, r.front, r.back, r.ordinal)
        )
        region, kind, note = r.meta.get("region"), r.meta.get("kind"), r.meta.get("note")
        cards.append(
            QuizCard(
                card_id=r.card_id,
                deck=r.deck_name,
                question=question,
                answer=answer,
                field=DIAGRAM_FIELD
                if r.kind == "occlusion"
                else r.field
                if r.kind == "fact"
                else None,
                structure=_structure_of(r, answer),
                structure_name=r.structure_name,
                region=region if isinstance(region, str) else None,
                structure_kind=kind if isinstance(kind, str) else None,
                nerve=nerves.get((r.deck_id, r.structure_key)),
                note=note if isinstance(note, str) and note else None,
                aliases=_texts(r.meta.get("aliases")) if r.kind == "fact" else (),
                part_of=wholes.get((r.deck_id, r.structure_key or "")),
                key=answer_key(r.meta, r.kind),
            )
        )
    return cards


def _kinship(a: str, b: str) -> int:
    shared = 0
    for x, y in zip(a.split("::"), b.split("::"), strict=False):
        if x != y:
            break
        shared += 1
    return shared


def _related_tiers(
    selected: Sequence[QuizCard], others: Sequence[QuizCard]
) -> list[list[QuizCard]]:
    """Cards of other decks, nearest in the deck tree first: siblings, then cousins.

    Decks that share not even the top of their name are not related and lend nothing.
    """
    names = {c.deck for c in selected}
    by_kinship: dict[int, list[QuizCard]] = {}
    for card in others:
        kinship = max((_kinship(card.deck, name) for name in names), default=0)
        if kinship > 0:
            by_kinship.setdefault(kinship, []).append(card)
    return [by_kinship[k] for k in sorted(by_kinship, reverse=True)]


@dataclass(frozen=True)
class QuizAnswer:
    question: Question
    given: str | None
    quality: int
    confused_with: ConfusedWith | None = None
    reason: str = ""  # why a typed answer earned its grade, in a few words

    @property
    def correct(self) -> bool:
        return self.quality >= PASSING


class QuizSession:
    """One quiz for one user over a deck (with its sub-decks) or over every deck."""

    def __init__(
        self,
        app: App,
        deck: str | None,
        *,
        mode: str,
        count: int,
        seed: int | None = None,
        with_diagrams: bool = False,
    ) -> None:
        """``with_diagrams``: ask diagram (occlusion) cards too, for a screen that shows
        their pictures; their wrong options are other labels."""
        if count < 1:
            raise FlashcardsError("--count must be 1 or more")
        self.app = app
        self.mode = mode
        self.seed = seed if seed is not None else secrets.randbelow(1_000_000)
        self.answers: list[QuizAnswer] = []
        with app.session() as session:
            self.user_id = app.user_id(session)
            self.has_decks = has_decks(session)
            deck_ids = deck_ids_for(session, [deck] if deck else [])
            records = quiz_queries.quiz_records(session, self.user_id)
        if not with_diagrams:
            records = [r for r in records if r.kind != "occlusion"]
        cards = quiz_cards(records)
        chosen = [deck_ids is None or r.deck_id in deck_ids for r in records]
        # Suspended cards are not asked (the student set them aside), but their answers
        # still make good wrong options.
        target = [c for c, ok in zip(cards, chosen, strict=True) if ok]
        asked = [
            c for c, r, ok in zip(cards, records, chosen, strict=True) if ok and not r.suspended
        ]
        others = [c for c, ok in zip(cards, chosen, strict=True) if not ok]
        self.quiz: Quiz = build_quiz(
            asked,
            mode=mode,
            count=count,
            rng=random.Random(self.seed),
            pool=target,
            related=_related_tiers(target, others),
        )
        self.card_by_id = {c.card_id: c for c in cards}

    @property
    def questions(self) -> tuple[Question, ...]:
        return self.quiz.questions

    def judge_typed(self, question: Question, given: str) -> Judgement:
        """The grade a typed answer earns, with the card's accepted answers, and why."""
        return question.card.key.judge(question.card.answer, given)

    def answer(
        self,
        question: Question,
        *,
        quality: int | None = None,
        given: str | None = None,
        option: int | None = None,
        duration_ms: int | None = None,
    ) -> QuizAnswer:
        """Log one answer and return it; committed before the next question."""
        confused: ConfusedWith | None = None
        reason = ""
        card = question.card
        if option is not None:
            picked = self.card_by_id[question.option_cards[option]]
            given = question.options[option]
            quality = MC_RIGHT if picked.card_id == card.card_id else MC_WRONG
            if quality < PASSING and picked.field is not None:
                confused = ConfusedWith(
                    picked.card_id, picked.deck, picked.structure_name, picked.field, picked.answer
                )
        elif given is not None and quality is None:
            judgement = self.judge_typed(question, given)
            quality, reason = judgement.grade, judgement.reason
        if quality is None or not 0 <= quality <= 5:
            raise FlashcardsError("a quiz answer needs a grade from 0 to 5")
        with self.app.session() as session:
            if given is not None and option is None and quality < PASSING:
                confused = find_confusion(
                    session, card_id=card.card_id, field=card.field, answer=card.answer, typed=given
                )
            review = quiz_queries.record_quiz_answer(
                session,
                user_id=self.user_id,
                card_id=card.card_id,
                day=self.app.today,
                mode=self.mode,
                quality=quality,
                given=given,
                duration_ms=duration_ms,
            )
            if confused is not None:
                record_confusion(
                    session,
                    user_id=self.user_id,
                    card_id=card.card_id,
                    confused_with=confused.card_id,
                    review_id=review.id,
                )
        answer = QuizAnswer(question, given, quality, confused, reason)
        self.answers.append(answer)
        return answer

    def score(self) -> Score:
        return score((a.question.card, a.quality) for a in self.answers)

    def as_json(self) -> dict[str, object]:
        """The ``quiz --json`` document (DESIGN §7), with the breakdown and warnings."""
        result = self.score()
        items: list[dict[str, object]] = []
        for a in self.answers:
            item: dict[str, object] = {
                "question": a.question.card.question,
                # Written as the options are (one line, list items joined by "; "), so a
                # script finds the answer among them: in multiple choice the right option
                # (for a card asking any one item of a list, the item offered).
                "answer": a.question.options[a.question.correct_option]
                if a.question.correct_option is not None
                else option_text(a.question.card.answer),
                "given": a.given,
                "correct": a.correct,
                "grade": a.quality,
                "field": a.question.card.field,
                "deck": a.question.card.deck,
            }
            if a.question.options:
                item["options"] = list(a.question.options)
            if a.reason:
                item["reason"] = a.reason
            if a.confused_with is not None:
                item["confused_with"] = a.confused_with.structure_name
            items.append(item)
        return {
            "asked": result.asked,
            "correct": result.correct,
            "score": result.percent,
            "items": items,
            "mode": self.mode,
            "seed": self.seed,
            "by_field": {
                topic: {"asked": f.asked, "correct": f.correct}
                for topic, f in result.by_field.items()
            },
            "warnings": list(self.quiz.warnings),
        }
