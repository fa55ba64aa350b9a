"""Answers judged by their key terms: parts, kinds, the lexicon, typos, lists, reasons.

The first table is the report of long answers graded backwards, graded now as the
teacher there said, with the reason a student reads.
"""

from __future__ import annotations

import itertools
import re
import tomllib
from pathlib import Path

import pytest
from rapidfuzz.distance import DamerauLevenshtein

from flashcards.grading import AnswerKey, Judgement, grade, judge
from flashcards.grading.keyterms import is_typo, known
from flashcards.grading.vocabulary import TERMS
from flashcards.grading.word_diff import word_diff

GMED_ORIGIN = "Outer surface of the ilium between the anterior and posterior gluteal lines"

# (typed, lowest and highest grade the teacher gives, the reason shown)
THE_REPORT = [
    (
        "inner surface of the ilium between the anterior and posterior gluteal lines",
        0,
        2,
        "wrong side: inner for outer",
    ),
    (
        "outer surface of the ischium between the anterior and posterior gluteal lines",
        0,
        2,
        "wrong bone: ischium for ilium",
    ),
    (
        "outer surface of the ilium between the anterior and inferior gluteal lines "
        "(gluteus minimus' origin)",
        0,
        2,
        "wrong side: inferior for posterior",
    ),
    (
        "outer surface of the ilium between the posterior and anterior gluteal lines",
        5,
        5,
        "right",
    ),
    (
        "gluteal surface of the ilium",
        4,
        5,
        "less precise: anterior posterior gluteal lines left out",
    ),
]


@pytest.mark.parametrize(("typed", "low", "high", "reason"), THE_REPORT)
def test_the_reported_long_answers_get_the_teachers_grades(
    typed: str, low: int, high: int, reason: str
) -> None:
    judgement = judge(GMED_ORIGIN, typed)
    assert low <= judgement.grade <= high
    assert judgement.reason == reason


@pytest.mark.parametrize(
    "typed",
    [
        "axillary nerve C5 C6",
        "axillary nerve C5-C6",
        "axillary nerve C5/6",
        "axillary nerve C5,C6",
        "axillary nerve C5-6",
        "axillary nerve (C5 and C6)",
        "axillary n., C5 to C6",
        "axillary nerve",
    ],
)
def test_levels_in_every_written_form_and_levels_in_brackets_optional(typed: str) -> None:
    assert grade("Axillary nerve (C5–C6)", typed) == 5


@pytest.mark.parametrize(
    ("expected", "typed", "kind"),
    [
        (
            "Lateral surface of the greater trochanter",
            "medial surface of the greater trochanter",
            "side",
        ),
        ("Lateral side of the head of the fibula", "lateral side of the head of the tibia", "bone"),
        ("Medial epicondyle of the humerus", "medial condyle of the humerus", "landmark"),
        ("Femoral nerve (L2–L4)", "obturator nerve (L2-L4)", "nerve"),
        ("Superior gluteal artery", "inferior gluteal artery", "artery"),
        ("Tibial nerve (L4–L5)", "tibial nerve L4-S1", "levels"),
        ("Abducts the thumb", "adducts the thumb", "movement"),
        ("Upper borders of ribs 2–4", "upper borders of ribs 3-5", "number"),
        ("Upper two-thirds of the iliac fossa", "upper third of the iliac fossa", "number"),
        ("Gluteus medius", "gluteus minimus", "structure"),
    ],
)
def test_one_key_term_replaced_by_another_of_its_kind_is_wrong(
    expected: str, typed: str, kind: str
) -> None:
    judgement = judge(expected, typed)
    assert judgement.grade <= 2
    assert judgement.reason.startswith(f"wrong {kind}:")


def test_the_same_words_in_another_order_are_the_same_answer() -> None:
    assert (
        grade("Inferior and superior gluteal arteries", "superior and inferior gluteal arteries")
        == 5
    )
    assert (
        grade(
            "Extends, adducts and medially rotates the arm",
            "medial rotation, adduction and extension of the shoulder",
        )
        == 5
    )


def test_a_relation_turned_round_is_wrong() -> None:
    assert grade("Pull the trunk towards the thigh", "pull the thigh towards the trunk") <= 2


@pytest.mark.parametrize(
    ("expected", "typed", "reason"),
    [
        ("Sartorius", "sartorious", "one typo: sartorious for sartorius"),
        ("Supraspinatus", "supraspinatis", "one typo: supraspinatis for supraspinatus"),
        (
            "Lateral surface of the greater trochanter",
            "lateral surfce of the greater trochantr",
            "two typos",
        ),
    ],
)
def test_a_typo_costs_one_grade(expected: str, typed: str, reason: str) -> None:
    assert judge(expected, typed) == Judgement(4, reason)


@pytest.mark.parametrize(
    ("expected", "typed"),
    [
        ("Ilium", "ileum"),
        ("Superficial peroneal nerve", "superficial perineal nerve"),
        ("Abducts the arm", "adducts the arm"),
        ("Gluteus medius", "gluteus minimus"),
        ("Supraspinatus", "infraspinatus"),
        ("Coracoid process", "coronoid process"),
    ],
)
def test_a_typo_never_turns_one_real_term_into_another(expected: str, typed: str) -> None:
    assert grade(expected, typed) <= 2


def test_no_two_real_terms_are_typos_of_each_other() -> None:
    terms = sorted(t for t in TERMS if len(t) > 4)
    close = [
        (a, b)
        for a, b in itertools.combinations(terms, 2)
        if abs(len(a) - len(b)) <= 2 and DamerauLevenshtein.distance(a, b, score_cutoff=2) <= 2
    ]
    assert len(close) > 100  # the list holds many near neighbours (ilium/ileum …)
    assert not [(a, b) for a, b in close if is_typo(a, b)]
    assert known("ilium") and known("ileum") and not known("sartorious")


SYNERGISTS = "Iliacus\nRectus femoris\nSartorius\nTensor fasciae latae\nPectineus"


@pytest.mark.parametrize(
    ("typed", "quality", "reason"),
    [
        ("pectineus, TFL, sartorius, rectus femoris, iliacus", 5, "right"),
        ("iliacus, rectus femoris, sartorius, TFL", 4, "4 of 5 items"),
        ("iliacus, rectus femoris, sartorius", 3, "3 of 5 items"),
        ("iliacus, sartorius", 2, "2 of 5 items"),
        (
            "iliacus, rectus femoris, sartorius, TFL, pectineus, gracilis",
            4,
            "every item; a wrong item added",
        ),
        (
            "iliacus, rectus femoris, sartorius, TFL, gracilis",
            3,
            "4 of 5 items; a wrong item added",
        ),
        ("gluteus maximus, hamstrings", 1, "not the answer"),
    ],
)
def test_lists_earn_by_share_and_a_wrong_item_costs(typed: str, quality: int, reason: str) -> None:
    judgement = judge(SYNERGISTS, typed)
    assert (judgement.grade, judgement.reason) == (quality, reason)


def test_collective_names_stand_for_their_members() -> None:
    assert (
        grade("Superior gemellus, inferior gemellus and piriformis", "gemelli and piriformis") == 5
    )
    assert grade("The two heads of gastrocnemius and soleus", "triceps surae") >= 4


def test_accepted_answers_are_right_but_license_only_what_they_say() -> None:
    key = AnswerKey(accept=("Circumflex nerve",))
    assert key.judge("Axillary nerve (C5–C6)", "circumflex nerve") == judge(
        "Axillary nerve (C5–C6)", "circumflex nerve", accept=["Circumflex nerve"]
    )
    assert key.judge("Axillary nerve (C5–C6)", "circumflex nerve").grade == 5
    vague = AnswerKey(accept=("Gluteal surface of the ilium",))
    minimus = "outer surface of the ilium between the anterior and inferior gluteal lines"
    assert vague.judge(GMED_ORIGIN, "the gluteal surface of the ilium").grade == 5
    assert vague.judge(GMED_ORIGIN, minimus).grade <= 2


def test_any_one_item_of_an_any_list_is_right() -> None:
    key = AnswerKey(ask="any", items=("Gluteus minimus", "Tensor fasciae latae"))
    answer = "Gluteus minimus\nTensor fasciae latae"
    assert key.judge(answer, "TFL") == judge(answer, "TFL", ask="any", items=key.items)
    assert key.judge(answer, "TFL").grade == 5
    assert key.judge(answer, "gluteus minimus and TFL").grade == 5
    assert key.judge(answer, "TFL, gracilis").grade == 4
    assert key.judge(answer, "gluteus maximus").grade <= 2


def test_a_structures_other_names_are_right_where_its_name_is_the_answer() -> None:
    assert grade("Psoas major", "psoas magnus") <= 2
    assert judge("Psoas major", "psoas magnus", aliases=["psoas magnus"]).grade == 5
    assert (
        judge("Iliacus\nPsoas major", "iliacus, psoas magnus", aliases=["psoas magnus"]).grade == 5
    )


LEXICON = tomllib.loads(
    (Path(__file__).resolve().parents[1] / "flashcards/grading/lexicon.toml").read_text("utf-8")
)


@pytest.mark.parametrize(("written", "meant"), sorted(LEXICON["synonyms"].items()))
def test_every_synonym_in_the_lexicon_is_graded_as_what_it_means(written: str, meant: str) -> None:
    assert grade(meant, written) >= 4, written


@pytest.mark.parametrize(("name", "members"), sorted(LEXICON["collective"].items()))
def test_every_collective_name_is_its_members(name: str, members: list[str]) -> None:
    assert grade(", ".join(members), name) >= 4
    assert grade(name, " and ".join(reversed(members))) >= 4


@pytest.mark.parametrize(("written", "meant"), sorted(LEXICON["words"].items()))
def test_every_word_in_the_lexicon_is_graded_as_what_it_means(written: str, meant: str) -> None:
    assert grade(meant, written) == 5


@pytest.mark.parametrize(
    ("short", "long"), sorted((k, v) for k, v in LEXICON["abbreviations"].items() if k != "bare")
)
def test_every_abbreviation_is_spelled_out(short: str, long: str) -> None:
    assert grade(f"femoral {long}", f"femoral {short}.") == 5


@pytest.mark.parametrize("group", LEXICON["opposites"]["groups"] + LEXICON["confusable"]["groups"])
def test_words_of_one_opposite_or_confusable_group_are_different_answers(group: str) -> None:
    for a, b in itertools.permutations(group.split(), 2):
        assert grade(a, b) <= 2, (a, b)
        assert not is_typo(a, b)


def test_blank_and_empty_answers() -> None:
    assert judge("Sartorius", "") == judge("Sartorius", "   ") == Judgement(0, "blank")
    assert judge("Sartorius", "?").grade == 0


@pytest.mark.parametrize("hedge", LEXICON["hedges"]["phrases"])
def test_a_hedge_or_a_filler_sound_carries_nothing(hedge: str) -> None:
    """ "I think outer surface of ilium" is "outer surface of ilium", not a wrong structure
    "i think"; "femoral nerve, I think" adds no wrong item."""
    plain = judge(GMED_ORIGIN, "outer surface of ilium")
    assert plain.grade == 4
    assert judge(GMED_ORIGIN, f"{hedge} outer surface of ilium") == plain
    assert judge(GMED_ORIGIN, f"{hedge.capitalize()}, outer surface of ilium") == plain
    assert judge(GMED_ORIGIN, f"outer surface of ilium, {hedge}") == plain
    assert judge("Femoral nerve (L2–L4)", f"femoral nerve, {hedge}") == Judgement(5, "right")
    assert judge("Femoral nerve (L2–L4)", hedge).grade == 0  # nothing else said: blank


@pytest.mark.parametrize(
    "typed",
    ["I think outer surface of ilium", "maybe outer surface of ilium", "um outer surface of ilium"],
)
def test_the_reported_hedged_answers_keep_their_grade(typed: str) -> None:
    assert judge(GMED_ORIGIN, typed) == judge(GMED_ORIGIN, "outer surface of ilium")
    assert judge("Femoral nerve (L2–L4)", "femoral nerve, I think") == Judgement(5, "right")


def test_a_hedge_is_a_whole_word_never_part_of_one() -> None:
    assert grade("Erector spinae", "erector spinae") == 5
    assert grade("Umbilicus", "umbilicus") == 5
    assert grade("Erector spinae", "um erector spinae") == 5


@pytest.mark.parametrize(
    ("expected", "typed"),
    [
        (
            GMED_ORIGIN,
            "lateral surface of the ilium between the anterior and posterior gluteal lines",
        ),
        ("Lateral surface of the greater trochanter", "outer surface of the greater trochanter"),
        ("Medial surface of the tibia", "inner surface of the tibia"),
        ("Outer surfaces of ribs 5–12", "lateral surfaces of ribs 5-12"),
        ("Medial and lateral surfaces of the tibia", "inner and outer surfaces of the tibia"),
        ("Pelvic surface of the obturator membrane", "medial surface of the obturator membrane"),
    ],
)
def test_a_bones_lateral_surface_is_its_outer_surface_and_medial_its_inner(
    expected: str, typed: str
) -> None:
    assert judge(expected, typed) == Judgement(5, "right")
    assert [p.kind for p in word_diff(expected, typed)] == ["same"]


@pytest.mark.parametrize(
    ("expected", "typed", "reason"),
    [
        (GMED_ORIGIN, "medial surface of the ilium", "wrong side: medial for outer"),
        (GMED_ORIGIN, "inner surface of the ilium", "wrong side: inner for outer"),
        (
            "Lateral condyle of the tibia",
            "outer condyle of the tibia",
            "wrong side: outer for lateral",
        ),
        ("Lateral malleolus", "outer malleolus", "wrong side: outer for lateral"),
        (
            "Lateral border of the scapula",
            "outer border of the scapula",
            "wrong side: outer for lateral",
        ),
        ("Internal oblique", "medial oblique", "wrong side: medial for internal"),
    ],
)
def test_only_a_surface_lets_lateral_be_outer_never_a_named_landmark_or_muscle(
    expected: str, typed: str, reason: str
) -> None:
    judgement = judge(expected, typed)
    assert judgement.grade <= 2
    assert judgement.reason == reason


GMAX_ORIGIN = (
    "Ilium behind the posterior gluteal line\nDorsal surface of the sacrum and coccyx\n"
    "Sacrotuberous ligament\nThoracolumbar fascia"
)
IO_ORIGIN = (
    "Thoracolumbar fascia\nAnterior two-thirds of the iliac crest\n"
    "Lateral part of the inguinal ligament"
)


@pytest.mark.parametrize(
    ("expected", "typed", "reason"),
    [
        (GMAX_ORIGIN, "superior gluteal nerve", "another kind of answer"),
        ("Outer surface of the ischial spine", "pudendal nerve", "another kind of answer"),
        ("Femoral nerve (L2–L4)", "lesser trochanter of the femur", "another kind of answer"),
        (IO_ORIGIN, "outer surfaces of ribs 5-12", "not the answer"),
        (
            "Lesser trochanter of the femur",
            "not the lesser trochanter",
            "only what the answer is not",
        ),
        (
            "Pectineal line of the femur, just below the lesser trochanter",
            "not the lesser trochanter",
            "only what the answer is not",
        ),
        ("Thoracolumbar fascia", "outer surfaces of ribs 5-12", "not the answer"),
    ],
)
def test_an_answer_that_matches_no_part_is_1_and_names_no_mistake(
    expected: str, typed: str, reason: str
) -> None:
    """SM-2's 1: incorrect, the answer remembered once seen; no "wrong bone: not for
    femur", no "wrong side: superior for behind posterior" for a nerve typed for an origin."""
    assert judge(expected, typed) == Judgement(1, reason)


def test_a_near_miss_is_still_2_and_named() -> None:
    assert judge("Ilium", "ischium") == Judgement(1, "wrong bone: ischium for ilium")
    assert judge("Femoral nerve (L2–L4)", "obturator nerve (L2-L4)").reason == (
        "wrong nerve: obturator for femoral"
    )
    assert judge("Upper borders of ribs 2–4", "upper borders of ribs 3-5") == Judgement(
        2, "wrong number: ribs 3-5 for ribs 2–4"
    )
    assert judge("Malleus", "malleolus").grade == 2
    assert judge("Lesser trochanter of the femur", "lesser trochanter, not the greater") == (
        judge("Lesser trochanter of the femur", "lesser trochanter")
    )
    # A card whose own answer says "not" is answered with it.
    pinched = "Pulls the suprapatellar bursa up as the knee extends, so it is not pinched"
    assert grade(pinched, pinched.lower()) == 5


def test_a_count_is_never_a_wrong_fraction_and_runs_are_ranges() -> None:
    reason = judge("Medial half of the lower border of the 12th rib", "11th rib").reason
    assert "half" not in reason
    rows = [
        judge("Spinous processes of T7–T12", "spinous processes of T1-T6").reason,
        judge("Outer surfaces of ribs 5–12", "outer surfaces of ribs 1-4").reason,
    ]
    assert not [r for r in rows if re.search(r"\d+, \d+, \d+", r)]
    assert rows[1] == "wrong number: ribs 1-4 for ribs 5–12"
