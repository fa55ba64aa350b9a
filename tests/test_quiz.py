"""The pure quiz: questions, multiple-choice options worth taking, the score."""

from __future__ import annotations

import dataclasses
import random

import pytest

from flashcards.grading import AnswerKey
from flashcards.quiz import (
    OPTIONS,
    Kin,
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


# --- "name one" cards and heads or parts -------------------------------------------------

THIGH = "Anatomy::Lower limb::Thigh"


def name_one(
    card_id: int,
    structure: str,
    field: str,
    items: list[str],
    accept: tuple[str, ...] = (),
    *,
    region: str = "thigh",
    part_of: str | None = None,
    aliases: tuple[str, ...] = (),
) -> QuizCard:
    """A card asking any one item of its list, as `quiz_cards` makes it."""
    base = fact(card_id, structure, field, "\n".join(items), deck=THIGH, region=region)
    key = AnswerKey(accept=accept, ask="any" if len(items) > 1 else "all", items=tuple(items))
    return dataclasses.replace(
        base,
        key=key,
        aliases=aliases,
        part_of=f"{THIGH}/{part_of}" if part_of else None,
    )


ANTAGONISTS = [
    name_one(
        51,
        "vastus medialis",
        "antagonist",
        ["Hamstrings", "Gastrocnemius (knee flexion)", "Sartorius (knee flexion)", "Gracilis"],
        ("Semitendinosus", "Semimembranosus", "Biceps femoris"),
    ),
    # Lists holding a right item of vastus medialis, or one of its members or parts.
    name_one(
        52,
        "iliopsoas",
        "antagonist",
        ["Gluteus maximus", "Hamstrings", "Adductor magnus (hamstring part)"],
        ("Semitendinosus", "Semimembranosus", "Biceps femoris"),
    ),
    name_one(53, "rectus femoris", "antagonist", ["Sartorius (hip extension)", "Popliteus"]),
    name_one(54, "tibialis anterior", "antagonist", ["Semitendinosus", "Soleus (plantarflexion)"]),
    name_one(55, "quadriceps femoris", "antagonist", ["Long head of biceps femoris", "Plantaris"]),
    # Wrong for vastus medialis, each alone.
    name_one(56, "gluteus medius", "antagonist", ["Adductor longus", "Adductor brevis"]),
    name_one(
        57, "tensor fasciae latae", "antagonist", ["Piriformis (lateral rotation)", "Pectineus"]
    ),
    # The structures the names name.
    fact(60, "biceps femoris", "innervation", "Sciatic nerve (L5–S2)", deck=THIGH),
    name_one(
        61,
        "long head of biceps femoris",
        "innervation",
        ["Tibial part of the sciatic nerve (L5–S2)"],
        part_of="biceps femoris",
    ),
]


def test_a_name_one_card_offers_single_items_none_of_them_right() -> None:
    """ "Name an antagonist of vastus medialis.": one listed item and three items that are
    no antagonist of it: never a list, never a listed muscle with another aside, never a
    member of a group it names (the hamstrings) nor a head of one of them."""
    card = ANTAGONISTS[0]
    offered: set[str] = set()
    for seed in range(60):
        quiz = build_quiz([card], mode="mc", count=1, rng=random.Random(seed), pool=ANTAGONISTS)
        (question,) = quiz.questions
        assert len(question.options) == OPTIONS
        assert question.options[question.correct_option] in card.key.items
        wrong = [o for i, o in enumerate(question.options) if i != question.correct_option]
        offered.update(wrong)
        for option in question.options:
            assert "\n" not in option and ";" not in option
    assert offered  # something to offer, and only these
    assert offered <= {
        "Popliteus",
        "Soleus (plantarflexion)",
        "Plantaris",
        "Adductor longus",
        "Adductor brevis",
        "Piriformis (lateral rotation)",
        "Pectineus",
        "Gluteus maximus",
    }, offered


def test_an_artery_a_listed_branch_comes_from_is_not_offered_as_wrong() -> None:
    face = "Anatomy::Head::Face"
    supplies = [
        name_one(
            71,
            "orbital part of orbicularis oculi",
            "blood_supply",
            [
                "Angular artery (facial artery)",
                "Zygomatico-orbital artery (superficial temporal artery)",
            ],
            region="face",
        ),
        name_one(
            72, "frontalis", "blood_supply", ["Superficial temporal artery", "Supraorbital artery"]
        ),
        name_one(
            73, "buccinator", "blood_supply", ["Facial artery", "Buccal artery (maxillary artery)"]
        ),
    ]
    supplies = [dataclasses.replace(c, deck=face) for c in supplies]
    for seed in range(30):
        found = choose_distractors(supplies[0], [supplies], random.Random(seed))
        assert set(found.texts) <= {"Supraorbital artery", "Buccal artery (maxillary artery)"}


def test_the_whole_muscles_answer_is_never_offered_for_its_part_nor_the_parts_for_it() -> None:
    hand = "Anatomy::Upper limb::Hand"
    insertion = "Lateral sides of the extensor expansions of the medial four digits"
    cards = [
        fact(81, "lumbricals of the hand", "insertion", insertion, deck=hand),
        fact(
            82,
            "second lumbrical of the hand",
            "insertion",
            "Radial side of the extensor expansion of the middle finger",
            deck=hand,
        ),
        fact(
            83,
            "first dorsal interosseous",
            "insertion",
            "Base of the proximal phalanx of the index finger",
            deck=hand,
        ),
        fact(
            84,
            "opponens pollicis",
            "insertion",
            "Lateral border of the first metacarpal",
            deck=hand,
        ),
        fact(
            85,
            "adductor pollicis",
            "insertion",
            "Base of the proximal phalanx of the thumb",
            deck=hand,
        ),
        fact(
            86,
            "abductor digiti minimi",
            "insertion",
            "Base of the proximal phalanx of the little finger",
            deck=hand,
        ),
    ]
    cards[1] = dataclasses.replace(cards[1], part_of=f"{hand}/lumbricals of the hand")
    for seed in range(30):
        part = choose_distractors(cards[1], [cards], random.Random(seed))
        assert 81 not in {c.card_id for c in part.cards}
        whole = choose_distractors(cards[0], [cards], random.Random(seed))
        assert 82 not in {c.card_id for c in whole.cards}
    assert Kin(cards).one_muscle(
        f"{hand}/second lumbrical of the hand", f"{hand}/lumbricals of the hand"
    )


def test_an_item_listed_for_an_action_a_right_item_is_listed_for_is_not_offered() -> None:
    """Iliopsoas is a synergist of adductor magnus for hip flexion: rectus femoris,
    offered "(hip flexion)" from another list, could be defended as one too."""
    synergists = [
        name_one(
            91,
            "adductor magnus",
            "synergist",
            ["Adductor longus", "Iliopsoas (hip flexion, with the adductor part)"],
        ),
        name_one(92, "sartorius", "synergist", ["Rectus femoris (hip flexion)", "Gracilis"]),
        name_one(
            93, "vastus medialis", "synergist", ["Vastus lateralis (knee extension)", "Popliteus"]
        ),
        name_one(94, "soleus", "synergist", ["Plantaris (plantarflexion)", "Tibialis posterior"]),
    ]
    offered: set[str] = set()
    for seed in range(30):
        offered |= set(choose_distractors(synergists[0], [synergists], random.Random(seed)).texts)
    assert "Rectus femoris (hip flexion)" not in offered
    assert "Vastus lateralis (knee extension)" in offered  # another action: wrong


def test_a_list_holding_the_right_answer_is_never_a_wrong_option() -> None:
    """A sibling head's answer may hold the asked head's whole answer among its items:
    the long head's actions for the lateral head's 'Extends the forearm at the elbow'."""
    arm = "Anatomy::Upper limb::Posterior arm"
    cards = [
        fact(91, "lateral head of triceps", "action", "Extends the forearm at the elbow", deck=arm),
        fact(
            92,
            "long head of triceps",
            "action",
            "Extends the forearm at the elbow\nExtends and adducts the arm at the shoulder\n"
            "Steadies the head of the humerus",
            deck=arm,
        ),
        fact(93, "anconeus", "action", "Abducts the ulna in pronation", deck=arm),
        fact(94, "coracobrachialis", "action", "Flexes and adducts the arm", deck=arm),
        fact(95, "brachialis", "action", "Flexes the forearm at the elbow", deck=arm),
    ]
    for seed in range(30):
        found = choose_distractors(cards[0], [cards], random.Random(seed))
        assert 92 not in {c.card_id for c in found.cards}


def test_a_one_item_name_one_list_is_offered_single_items_too() -> None:
    """ "What is a synergist of supinator?" (a list of one, asked "any"): the options are
    single items, as for "Name a synergist of …", never other muscles' whole lists."""
    lone = dataclasses.replace(
        name_one(70, "supinator", "synergist", ["Biceps brachii"]),
        key=AnswerKey(accept=(), ask="any", items=("Biceps brachii",)),
    )
    others = [
        name_one(
            71, "brachialis", "synergist", ["Biceps brachii (elbow flexion)", "Brachioradialis"]
        ),
        name_one(
            72, "pronator teres", "synergist", ["Pronator quadratus", "Flexor carpi radialis"]
        ),
        name_one(73, "extensor carpi ulnaris", "synergist", ["Flexor carpi ulnaris", "Anconeus"]),
        name_one(74, "anconeus", "synergist", ["Triceps brachii", "Extensor digitorum"]),
    ]
    assert lone.asks_one_item
    for seed in range(20):
        found = choose_distractors(lone, [[lone, *others]], random.Random(seed))
        assert len(found.texts) == 3 and all("\n" not in t and ";" not in t for t in found.texts)
        assert not any("Biceps" in t for t in found.texts)
