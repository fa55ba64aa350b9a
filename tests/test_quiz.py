"""The pure quiz: questions, multiple-choice options worth taking, the score."""

from __future__ import annotations

import random

import pytest

from flashcards.quiz import (
    OPTIONS,
    QuizCard,
    alike,
    build_quiz,
    choose_distractors,
    option_text,
    score,
    sides,
)

DECK = "Anatomy::Lower limb::Gluteal"


def fact(
    card_id: int,
    structure: str,
    field: str,
    answer: str,
    *,
    deck: str = DECK,
    region: str = "gluteal",
    nerve: str | None = None,
) -> QuizCard:
    return QuizCard(
        card_id=card_id,
        deck=deck,
        question=f"{field} of {structure}?",
        answer=answer,
        field=field,
        structure=f"{deck}/{structure}",
        structure_name=structure,
        region=region,
        structure_kind="muscle",
        nerve=nerve,
    )


INSERTIONS = [
    fact(1, "gluteus maximus", "insertion", "Iliotibial tract\nGluteal tuberosity of the femur"),
    fact(2, "gluteus medius", "insertion", "Lateral surface of the greater trochanter"),
    fact(3, "gluteus minimus", "insertion", "Anterior surface of the greater trochanter"),
    fact(4, "piriformis", "insertion", "Superior border of the greater trochanter"),
    fact(5, "quadratus femoris", "insertion", "Quadrate tubercle of the femur"),
    fact(6, "obturator internus", "insertion", "Medial surface of the greater trochanter"),
]
NERVES = [
    fact(11, "gluteus medius", "innervation", "Superior gluteal nerve (L4–S1)"),
    fact(12, "gluteus minimus", "innervation", "Superior gluteal nerve (L4-S1)"),  # the same
    fact(13, "tensor fasciae latae", "innervation", "Superior gluteal n. (L4, L5, S1)"),  # same
    fact(14, "gluteus maximus", "innervation", "Inferior gluteal nerve (L5–S2)"),
    fact(15, "piriformis", "innervation", "Nerve to piriformis (S1–S2)"),
    fact(16, "quadratus femoris", "innervation", "Nerve to quadratus femoris (L4–S1)"),
    fact(17, "obturator internus", "innervation", "Nerve to obturator internus (L5–S2)"),
    fact(18, "gemellus superior", "innervation", "Nerve to obturator internus (L5-S2)"),
]
HAND = QuizCard(card_id=40, deck=DECK, question="Which foramen?", answer="Greater sciatic")


def test_distractors_are_the_same_field_of_other_structures() -> None:
    card = INSERTIONS[1]
    found = choose_distractors(card, [INSERTIONS + NERVES], random.Random(1))
    assert len(found.cards) == OPTIONS - 1
    assert all(d.field == "insertion" and d.structure != card.structure for d in found.cards)
    assert not found.borrowed


def test_paraphrases_of_the_right_answer_are_never_offered() -> None:
    card = NERVES[0]  # gluteus medius: superior gluteal nerve
    for seed in range(50):
        found = choose_distractors(card, [NERVES], random.Random(seed))
        answers = [d.answer for d in found.cards]
        assert "Superior gluteal nerve (L4-S1)" not in answers  # the same nerve, a hyphen
        assert "Superior gluteal n. (L4, L5, S1)" not in answers  # n., levels as a list
        # Two wrong options that say one thing are not both offered either.
        assert not (
            "Nerve to obturator internus (L5–S2)" in answers
            and "Nerve to obturator internus (L5-S2)" in answers
        )
        for a in answers:
            assert a.strip()


def test_confusable_options_come_first() -> None:
    """Greater trochanter answers are nearer to 'lateral surface of the greater
    trochanter' than a quadrate tubercle: over many seeds they are chosen more often."""
    card = INSERTIONS[1]
    counts: dict[int, int] = {}
    for seed in range(200):
        for d in choose_distractors(card, [INSERTIONS], random.Random(seed)).cards:
            counts[d.card_id] = counts.get(d.card_id, 0) + 1
    trochanter = min(counts.get(i, 0) for i in (3, 4, 6))
    assert trochanter > counts.get(5, 0)


def test_a_small_deck_borrows_from_related_decks_and_says_so() -> None:
    small = INSERTIONS[:2]
    thigh = "Anatomy::Lower limb::Thigh"
    related = [fact(21, "sartorius", "insertion", "Pes anserinus", deck=thigh)]
    # One option of its own and one borrowed: three options, not four.
    quiz = build_quiz(small, mode="mc", count=2, rng=random.Random(3), related=[related])
    assert len(quiz.questions) == 2
    assert all(q.borrowed for q in quiz.questions)
    assert any("related decks" in w for w in quiz.warnings)
    assert any("not enough" in w for w in quiz.warnings)  # 3 options, not 4
    assert all(len(q.options) == 3 for q in quiz.questions)


def test_no_option_to_offer_leaves_the_question_out_and_says_so() -> None:
    quiz = build_quiz(INSERTIONS[:1], mode="mc", count=5, rng=random.Random(0))
    assert quiz.questions == ()
    assert "no other insertion answer" in " ".join(quiz.warnings)


def test_mc_leaves_out_hand_written_cards_and_says_so() -> None:
    quiz = build_quiz([*INSERTIONS, HAND], mode="mc", count=10, rng=random.Random(0))
    assert HAND not in [q.card for q in quiz.questions]
    assert "1 hand-written or cloze card(s) left out" in quiz.warnings[0]
    typed = build_quiz([*INSERTIONS, HAND], mode="typed", count=10, rng=random.Random(0))
    assert HAND in [q.card for q in typed.questions]
    assert all(q.options == () for q in typed.questions)


def test_same_seed_same_quiz_other_seed_other_quiz() -> None:
    cards = INSERTIONS + NERVES
    one = build_quiz(cards, mode="mc", count=6, rng=random.Random(42))
    assert one == build_quiz(cards, mode="mc", count=6, rng=random.Random(42))
    others = {build_quiz(cards, mode="mc", count=6, rng=random.Random(s)) for s in range(5)}
    assert len(others) > 1


def test_options_hold_the_right_answer_once_at_a_random_place() -> None:
    places = set()
    for seed in range(30):
        quiz = build_quiz(INSERTIONS, mode="mc", count=3, rng=random.Random(seed))
        for q in quiz.questions:
            assert q.option_cards.count(q.card.card_id) == 1
            assert q.correct_option is not None
            assert q.options[q.correct_option] == option_text(q.card.answer)
            assert len(set(q.options)) == len(q.options) == OPTIONS
            places.add(q.correct_option)
    assert places == {0, 1, 2, 3}


def test_count_caps_the_questions_and_unknown_mode_is_refused() -> None:
    assert len(build_quiz(INSERTIONS, mode="flip", count=2, rng=random.Random(0)).questions) == 2
    with pytest.raises(ValueError, match="mode"):
        build_quiz(INSERTIONS, mode="essay", count=2, rng=random.Random(0))


def test_alike_answers() -> None:
    assert alike("Superior gluteal nerve (L4–S1)", "superior gluteal n. (L4, L5, S1)")
    assert alike("Femoral nerve (L2–L3)", "Femoral nerve (L2–L4)")  # only the aside differs
    assert not alike("Superior gluteal nerve", "Inferior gluteal nerve")
    assert not alike(
        "Lateral surface of the greater trochanter", "Anterior surface of the greater trochanter"
    )


def test_score_by_field() -> None:
    result = score([(INSERTIONS[0], 5), (INSERTIONS[1], 2), (NERVES[0], 3), (HAND, 0)])
    assert (result.asked, result.correct, result.percent) == (4, 2, 50.0)
    assert result.by_field["insertion"].asked == 2
    assert result.by_field["insertion"].correct == 1
    assert result.by_field["innervation"].correct == 1
    assert result.by_field["other cards"].asked == 1


def test_a_cloze_card_asks_for_its_hidden_text() -> None:
    text = "The lumbar plexus lies {{c1::within psoas major}}, between its {{c2::two layers}}."
    question, answer = sides("cloze", text, "", 1)
    assert answer == "within psoas major"
    assert "[...]" in question and "two layers" in question
    assert sides("basic", "Q?", "A", 0) == ("Q?", "A")


def test_an_option_never_names_the_structure_asked_about() -> None:
    arm = "Anatomy::Upper limb::Arm"
    antagonists = [
        fact(31, "brachialis", "antagonist", "Triceps brachii", deck=arm, region="arm"),
        fact(
            32,
            "triceps brachii",
            "antagonist",
            "Biceps brachii\nBrachialis",
            deck=arm,
            region="arm",
        ),
        fact(
            33,
            "biceps brachii",
            "antagonist",
            "Triceps brachii (long head)",
            deck=arm,
            region="arm",
        ),
        fact(34, "anconeus", "antagonist", "Brachialis and biceps", deck=arm, region="arm"),
        fact(35, "coracobrachialis", "antagonist", "Latissimus dorsi", deck=arm, region="arm"),
    ]
    for seed in range(20):
        found = choose_distractors(antagonists[0], [antagonists], random.Random(seed))
        assert {d.card_id for d in found.cards} <= {35}  # 32 and 34 name brachialis; 33 is alike
