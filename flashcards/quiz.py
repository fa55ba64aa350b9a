"""Quizzes, pure: which cards are asked, multiple-choice options worth taking, the score.

Wrong options are the same field of confusable structures: same region or kind, same
nerve, an attachment with words in common ("greater" for "lesser trochanter"). Never
the right answer again in other words (the grader decides what is the same answer),
never two options that say one thing, never an empty one, and never the answer of the
structure's whole muscle or of one of its heads or parts (`part_of` in a deck file:
the lumbricals' insertion is the second lumbrical's too).

A card that asks for any one item of a list ("Name an antagonist of vastus medialis.")
offers single items: one of its own, and items of other structures' lists that are no
right answer here: none the grader would take (an accepted answer, a group's member),
none naming a listed muscle, a group it belongs to, its whole or one of its parts.

Randomness comes from the ``random.Random`` handed in, so one seed gives one quiz.
"""

from __future__ import annotations

import dataclasses
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from flashcards.authoring.facts import render_cloze
from flashcards.grading import PASSING, AnswerKey, overlaps
from flashcards.grading.normalise import fragments, prepare, without_asides, words
from flashcards.grading.vocabulary import COLLECTIVE, GENERIC

__all__ = [
    "MODES",
    "OPTIONS",
    "Distractors",
    "FieldScore",
    "Kin",
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
    aliases: tuple[str, ...] = ()  # the structure's other names
    part_of: str | None = None  # the structure key of the whole muscle this is a part of
    # What a typed answer may also be (accepted answers, any one item, other names).
    key: AnswerKey = dataclasses.field(default_factory=AnswerKey)

    @property
    def topic(self) -> str:
        """What the score is broken down by: the fact field, or the kind of card."""
        return self.field or "other cards"

    @property
    def asks_one_item(self) -> bool:
        """A card of ``ask: any``: any one item of its list is the answer (a list of one
        item too: "What is a synergist of supinator?" is offered single items, as
        "Name a synergist of …" is, not other muscles' whole lists)."""
        return self.key.ask == "any" and len(self.key.items) >= 1


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
    cards: tuple[QuizCard, ...]  # the card behind each wrong option
    borrowed: bool  # some came from related decks, the deck itself had too few
    # Each option's text: the card's answer, or for a card asking one item of a list,
    # the one item of the other card's answer offered.
    texts: tuple[str, ...] = ()


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


def _acceptable(
    card: QuizCard, other: QuizCard, chosen: Iterable[QuizCard], kin: Kin | None = None
) -> bool:
    if other.card_id == card.card_id or other.field != card.field or not other.answer.strip():
        return False
    if card.structure is not None and other.structure == card.structure:
        return False
    if kin is not None and kin.one_muscle(card.structure, other.structure):
        return False  # the whole's answer for one of its heads, or a head's for the whole
    if card.structure_name and _mentions(other.answer, card.structure_name):
        return False  # absurd, or a give-away ("with iliacus" among iliacus' options)
    items = _lines(other.answer)
    if len(items) > 1 and any(card.key.judge(card.answer, i).grade >= PASSING for i in items):
        return False  # a list holding the right answer (a sibling head's: "Extends the
        # forearm at the elbow; Extends and adducts the arm" for the lateral head's first)
    return not any(alike(c.answer, other.answer) for c in (card, *chosen))


@lru_cache(maxsize=8192)
def _name_key(text: str) -> tuple[str, ...]:
    return tuple(words(prepare(text)))


class Kin:
    """Which structures are one muscle (a whole and its heads or parts, by ``part_of``),
    and which structures a name (or an answer's item) names, by name or alias."""

    def __init__(self, cards: Iterable[QuizCard]) -> None:
        self.wholes: dict[str, str] = {}
        self.named: dict[tuple[str, ...], set[str]] = {}
        for card in cards:
            if card.structure is None:
                continue
            if card.part_of:
                self.wholes[card.structure] = card.part_of
            if card.field is None or card.structure_name is None:
                continue
            for name in (card.structure_name, *card.aliases):
                key = _name_key(name)
                if key:
                    self.named.setdefault(key, set()).add(card.structure)

    def _line(self, structure: str) -> list[str]:
        """The structure and the wholes above it."""
        line = [structure]
        while (whole := self.wholes.get(line[-1])) is not None and whole not in line:
            line.append(whole)
        return line

    def one_muscle(self, a: str | None, b: str | None) -> bool:
        """Whether two structures are one, or one is a head or part of the other."""
        if a is None or b is None:
            return False
        return a in self._line(b) or b in self._line(a)

    def structures(self, text: str) -> set[str]:
        """The structures an item names: as written, or without its asides
        ("Adductor magnus (hamstring part)" names the hamstring part and adductor magnus)."""
        found: set[str] = set()
        for name in {text, without_asides(text)}:
            found |= self.named.get(_name_key(name), set())
        return found


def _lines(answer: str) -> list[str]:
    return [line.strip() for line in answer.splitlines() if line.strip()]


_ASIDE = re.compile(r"\(([^()]*)\)")
_PART_WORDS = frozenset({"part", "head", "belly", "fibre", "fiber", "fibres", "fibers"})


def _actions(item: str) -> set[frozenset[str]]:
    """What an item's brackets say it is listed for, each action as its words:
    "Sartorius (knee flexion, medial rotation of the leg)" -> {knee flexion}, {medial
    rotation of the leg}; a part's label ("hamstring part: …") is no action."""
    found: set[frozenset[str]] = set()
    for aside in _ASIDE.findall(item):
        for phrase in re.split(r"[,;:]", aside):
            said = phrase.split()
            if said and said[-1].casefold() not in _PART_WORDS and (key := _name_key(phrase)):
                found.add(frozenset(key))
    return found


def _collective(text: str) -> tuple[str, ...]:
    """A group's members as the grader knows them ("Vasti": the three vasti)."""
    return tuple(COLLECTIVE.get(without_asides(text).strip().casefold(), ()))


class _Right:
    """What a student may defend as right on a card asking any one item of its list."""

    def __init__(self, card: QuizCard, kin: Kin) -> None:
        self.card, self.kin = card, kin
        # The items, what the deck accepts (a group's members), the members of a group
        # the grader knows: each without its asides ("Sartorius (knee flexion)").
        names = [*card.key.items, *card.key.accept]
        names += [m for n in names for m in _collective(n)]
        self.names = names
        self.bare = [without_asides(n) for n in names]
        self.structures = {s for n in names for s in kin.structures(n)}
        self.actions = {a for item in card.key.items for a in _actions(item)}
        if card.structure is not None:
            self.structures.add(card.structure)  # itself: "X" among X's antagonists

    def defends(self, item: str, members: Sequence[str] = ()) -> bool:
        """Whether a student could defend ``item`` as a right answer. ``members``: what
        the item stands for when it is a group (its card's accepted answers)."""
        card = self.card
        if card.key.judge(card.answer, item).grade >= PASSING:
            return True  # the grader takes it: an item, an accepted answer, a paraphrase
        bare = without_asides(item)
        if any(
            alike(bare, b) or alike(item, n) for b, n in zip(self.bare, self.names, strict=True)
        ):
            return True
        if card.structure_name and _mentions(item, card.structure_name):
            return True
        # One names the other: the artery a listed branch comes from ("Superficial
        # temporal artery" where "Zygomatico-orbital artery (superficial temporal
        # artery)" is right), a listed muscle with a part named ("Triceps brachii (long
        # head: adduction)" where "Triceps brachii" is).
        if any(_mentions(n, bare) for n in self.names) or any(
            _mentions(item, b) for b in self.bare
        ):
            return True
        named = self.kin.structures(item)
        if any(self.kin.one_muscle(s, r) for s in named for r in self.structures):
            return True  # a listed muscle's whole or part, or the card's own
        if _actions(item) & self.actions:
            return True  # listed for an action a right item is listed for ("hip flexion")
        # A group one of whose members is right ("Hamstrings" where semitendinosus is):
        # the members the grader knows, or else those its list accepts.
        stands_for = [*_collective(item), *(members if not named else ())]
        return any(self._names_right(member) for member in stands_for)

    def _names_right(self, name: str) -> bool:
        """Whether a name is a right item, its whole or one of its parts."""
        if any(alike(without_asides(name), b) for b in self.bare):
            return True
        named = self.kin.structures(name)
        return any(self.kin.one_muscle(s, r) for s in named for r in self.structures)


def _item_distractors(
    card: QuizCard,
    pools: Sequence[Sequence[QuizCard]],
    rng: random.Random,
    wanted: int,
    kin: Kin,
) -> Distractors:
    """Single items of other structures' answers of the field, none a student could
    defend as right for ``card`` (which asks for any one item of its list)."""
    right = _Right(card, kin)
    chosen: list[tuple[QuizCard, str]] = []
    borrowed = False
    seen: set[str] = {i.casefold() for i in card.key.items}
    for tier, pool in enumerate(pools):
        candidates = [
            c
            for c in pool
            if c.field == card.field
            and c.card_id != card.card_id
            and not kin.one_muscle(c.structure, card.structure)
        ]
        ranked = sorted(candidates, key=lambda c: -(_confusability(card, c) + rng.random()))
        for other in ranked:
            if len(chosen) == wanted:
                break
            items = _lines(other.answer)
            rng.shuffle(items)
            for item in items:
                if item.casefold() in seen:
                    continue
                seen.add(item.casefold())
                if right.defends(item, other.key.accept):
                    continue
                if any(alike(item, text) for _, text in chosen):
                    continue
                chosen.append((other, item))
                borrowed = borrowed or tier > 0
                break  # one item of each other card: the options come from several
        if len(chosen) == wanted:
            break
    return Distractors(tuple(c for c, _ in chosen), borrowed, tuple(text for _, text in chosen))


def choose_distractors(
    card: QuizCard,
    pools: Sequence[Sequence[QuizCard]],
    rng: random.Random,
    wanted: int = OPTIONS - 1,
    kin: Kin | None = None,
) -> Distractors:
    """Up to ``wanted`` wrong options: from the first pool, then the next ones.

    ``kin``: which structures are one muscle and what names name (by default, read from
    the pools)."""
    if kin is None:
        kin = Kin(c for pool in pools for c in pool)
    if card.asks_one_item:
        return _item_distractors(card, pools, rng, wanted, kin)
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
            if _acceptable(card, other, chosen, kin):
                chosen.append(other)
                borrowed = borrowed or tier > 0
        if len(chosen) == wanted:
            break
    return Distractors(tuple(chosen), borrowed, tuple(option_text(c.answer) for c in chosen))


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
    pools = [cards if pool is None else pool, *related]
    kin = Kin(c for p in pools for c in p)
    for card in facts:
        if len(questions) == count:
            break
        # A card asking any one item of its list offers one of them.
        right = rng.choice(card.key.items) if card.asks_one_item else option_text(card.answer)
        found = choose_distractors(card, pools, rng, kin=kin)
        if not found.cards:
            short.append(f"{card.question} (no other {card.field} answer to offer)")
            continue
        options = [
            (card.card_id, right),
            *zip((c.card_id for c in found.cards), found.texts, strict=True),
        ]
        rng.shuffle(options)
        if len(options) < OPTIONS:
            short.append(
                f"{card.question} ({len(options)} options: only {len(found.cards)} other "
                f"{card.field} answer(s) to choose from)"
            )
        questions.append(
            Question(
                card,
                options=tuple(text for _, text in options),
                option_cards=tuple(card_id for card_id, _ in options),
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
