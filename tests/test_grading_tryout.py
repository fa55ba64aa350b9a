"""Answers a student's tryout of the grader found misjudged, graded as a teacher would,
with the reason a student reads; and the neighbours that must stay wrong.

Rib counts ("the lower eight ribs" = ribs 5–12) and numbers as words; "superolateral" for
"upper outer"; a movement typed without its object; the right levels with the nerve not
named; a side that opens a nerve's name (another nerve, not another side of it); a list
item named without its detail, counted.
"""

from __future__ import annotations

import pytest

from flashcards.grading import Judgement, grade, judge
from flashcards.grading.word_diff import as_text, word_diff

EXTERNAL_OBLIQUE = "Outer surfaces of ribs 5–12"
SERRATUS_ANTERIOR = "Outer surfaces of the lateral parts of ribs 1–8"
GMAX_ACTION = (
    "Extends the thigh at the hip\nLaterally rotates the thigh\n"
    "Steadies the extended knee (via the iliotibial tract)"
)
GMAX_ORIGIN = (
    "Ilium behind the posterior gluteal line\nDorsal surface of the sacrum and coccyx\n"
    "Sacrotuberous ligament\nThoracolumbar fascia"
)
PIRIFORMIS_NERVE = "Nerve to piriformis (S1–S2)"


# --- ribs counted from one end, numbers as words ----------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("lower eight ribs", Judgement(4, "less precise: outer surfaces left out")),
        ("outer surface of the lower 8 ribs", Judgement(5, "right")),
        ("outer surfaces of the lower eight ribs", Judgement(5, "right")),
        ("ribs five to twelve", Judgement(4, "less precise: outer surfaces left out")),
        ("5th to 12th ribs", Judgement(4, "less precise: outer surfaces left out")),
        ("outer surfaces of the fifth to twelfth ribs", Judgement(5, "right")),
    ],
)
def test_the_lower_eight_ribs_are_ribs_5_to_12(typed: str, expected: Judgement) -> None:
    """ "lower" says which ribs, not a side of their surface; "8" counts them."""
    assert judge(EXTERNAL_OBLIQUE, typed) == expected


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("upper eight ribs", "wrong number: upper eight ribs for ribs 5–12"),
        ("outer surfaces of the upper eight ribs", "wrong number: upper eight ribs for ribs 5–12"),
        ("ribs one to eight", "wrong number: ribs one to eight for ribs 5–12"),
        ("inner surfaces of the lower eight ribs", "wrong side: inner for outer"),
    ],
)
def test_other_ribs_or_the_other_surface_stay_wrong(typed: str, reason: str) -> None:
    assert judge(EXTERNAL_OBLIQUE, typed) == Judgement(2, reason)


def test_upper_or_lower_before_ribs_is_never_a_wrong_side() -> None:
    for typed in ("lower ribs", "upper ribs"):
        judgement = judge(EXTERNAL_OBLIQUE, typed)
        assert judgement.grade <= 3
        assert not judgement.reason.startswith("wrong side"), judgement
    # Before a border or a surface, upper and lower are sides as ever.
    assert judge("Lower borders of ribs 9–12, near their angles", "upper borders of ribs 9-12") == (
        Judgement(2, "wrong side: upper for lower")
    )


def test_a_count_in_the_answer_reads_as_the_ribs_it_names() -> None:
    assert grade("Angles of the lower six ribs", "angles of ribs 7-12") == 5
    assert grade("Angles of the lower six ribs", "angles of the seventh to twelfth ribs") == 5
    assert judge("Angles of the lower six ribs", "angles of the upper six ribs") == Judgement(
        2, "wrong number: upper six ribs for lower six ribs"
    )
    assert grade(SERRATUS_ANTERIOR, "outer surfaces of the upper eight ribs") >= 4
    assert grade(SERRATUS_ANTERIOR, "lower eight ribs") <= 2
    # "six or seven": either count is right, another is not.
    either = "Angles of the lower six or seven ribs"
    for typed in ("angles of ribs 7-12", "angles of ribs 6-12", "angles of the lower seven ribs"):
        assert grade(either, typed) == 5, typed
    assert judge(either, "angles of ribs 5-12") == Judgement(
        2, "wrong number: ribs 5-12 for lower six or seven ribs"
    )
    assert grade("Lower three or four ribs", "ribs 9-12") == 5
    assert grade("Lower three or four ribs", "ribs 8-12") == 2
    cartilages = (
        "Sternocostal head: sternum, upper six costal cartilages, external oblique aponeurosis"
    )
    assert grade(cartilages, "sternum, costal cartilages 1-6, external oblique aponeurosis") == 5


def test_the_diff_of_a_counted_answer_marks_only_what_is_missing() -> None:
    assert as_text(word_diff(EXTERNAL_OBLIQUE, "lower eight ribs")) == (
        "lower eight ribs [-Outer surfaces-]"
    )


def test_the_diff_of_a_wrong_count_marks_the_count_though_one_rib_is_shared() -> None:
    """Rib 8 is one of ribs 5–12, but "upper eight" names ribs 1–8."""
    assert as_text(word_diff(EXTERNAL_OBLIQUE, "upper eight ribs")) == (
        "{+upper eight+} ribs [-5–12-]"
    )
    assert as_text(word_diff("Angles of the lower six or seven ribs", "angles of ribs 5-12")) == (
        "angles of ribs {+5-12+} [-lower six or seven ribs-]"
    )


# --- upper outer = superolateral ----------------------------------------------------------


@pytest.mark.parametrize(
    "typed", ["superolateral", "superolateral quadrant", "upper lateral quadrant", "upper lateral"]
)
def test_superolateral_is_the_upper_outer_quadrant(typed: str) -> None:
    assert judge("upper outer", typed) == Judgement(5, "right")


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        ("inferolateral", "wrong side: inferior for upper"),
        ("superomedial", "wrong side: medial for outer"),
        ("lower outer", "wrong side: lower for upper"),
        ("upper inner", "wrong side: inner for outer"),
        ("upper medial quadrant", "wrong side: medial for outer"),
    ],
)
def test_the_other_quadrants_stay_wrong(typed: str, reason: str) -> None:
    assert judge("upper outer", typed) == Judgement(2, reason)


def test_outer_is_lateral_only_beside_upper_or_lower_or_on_a_surface() -> None:
    assert judge("Lateral malleolus", "outer malleolus").grade <= 2
    assert judge("Outer lip of the iliac crest", "lateral lip of the iliac crest").grade <= 2


# --- a movement typed without its object -------------------------------------------------


def test_a_movement_without_its_object_acts_on_the_one_before() -> None:
    typed = "extends the thigh, laterally rotates, stabilises the knee via IT band"
    assert judge(GMAX_ACTION, typed) == Judgement(4, "every item; less precise: extended left out")
    # "and" shares the object that follows, as before.
    assert (
        grade(
            "Abducts the thigh\nMedially rotates the thigh",
            "abducts and medially rotates the thigh",
        )
        == 5
    )


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        (
            "flexes the thigh, laterally rotates, stabilises the knee via IT band",
            "2 of 3 items; wrong movement: flexes for extends",
        ),
        (
            "extends the thigh, medially rotates, stabilises the knee via IT band",
            "2 of 3 items; wrong side: medially for laterally",
        ),
    ],
)
def test_a_wrong_movement_in_a_paraphrase_stays_wrong(typed: str, reason: str) -> None:
    assert judge(GMAX_ACTION, typed) == Judgement(2, reason)


# --- the right levels, the nerve not named ------------------------------------------------


@pytest.mark.parametrize("typed", ["S1-S2", "S1 and S2", "ventral rami of S1 and S2"])
def test_the_right_levels_without_the_nerve_are_2(typed: str) -> None:
    assert judge(PIRIFORMIS_NERVE, typed) == Judgement(
        2, "right levels; missing: nerve to piriformis"
    )


@pytest.mark.parametrize("typed", ["S2-S3", "L4-L5", "ventral rami of L4 and L5"])
def test_other_levels_without_the_nerve_stay_1(typed: str) -> None:
    assert judge(PIRIFORMIS_NERVE, typed) == Judgement(1, "not the answer")


def test_levels_outside_brackets_or_with_the_nerve_keep_their_grades() -> None:
    assert grade(PIRIFORMIS_NERVE, "nerve to piriformis") == 5
    assert judge(PIRIFORMIS_NERVE, "nerve to piriformis (L5-S1)") == Judgement(
        2, "wrong levels: L5–S1 for S1–S2"
    )


# --- a side that names another nerve -----------------------------------------------------


@pytest.mark.parametrize(
    ("expected", "typed", "reason"),
    [
        (
            "Inferior gluteal nerve (L5–S2)",
            "superior gluteal nerve",
            "wrong nerve: superior gluteal for inferior gluteal",
        ),
        (
            "Inferior gluteal nerve (L5–S2)",
            "superior gluteal nerve (L4-S1)",
            "wrong nerve: superior gluteal for inferior gluteal",
        ),
        (
            "Superior gluteal artery (deep branch)",
            "inferior gluteal artery",
            "wrong artery: inferior gluteal for superior gluteal",
        ),
        (
            "Superior gluteal artery (deep branch)",
            "superficial branch of the superior gluteal artery",
            "wrong branch: superficial for deep",
        ),
        (
            "Medial pectoral nerve (C8–T1)",
            "lateral pectoral nerve",
            "wrong nerve: lateral pectoral for medial pectoral",
        ),
        (
            "Medial plantar nerve (S2–S3)",
            "lateral plantar nerve",
            "wrong nerve: lateral plantar for medial plantar",
        ),
        (
            "Deep branch of the lateral plantar nerve (S2–S3)",
            "deep branch of the medial plantar nerve",
            "wrong nerve: medial plantar for lateral plantar",
        ),
        (
            "Medial circumflex femoral artery",
            "lateral circumflex femoral artery",
            "wrong artery: lateral circumflex femoral for medial circumflex femoral",
        ),
    ],
)
def test_a_side_that_opens_a_name_names_another_nerve(
    expected: str, typed: str, reason: str
) -> None:
    assert judge(expected, typed) == Judgement(2, reason)


def test_a_side_of_a_place_is_still_a_wrong_side() -> None:
    assert judge(
        "Superior border of the greater trochanter", "inferior border of the greater trochanter"
    ) == (Judgement(2, "wrong side: inferior for superior"))
    assert judge("Inferior gluteal nerve (L5–S2)", "inferior gluteal nerve L4-S1") == Judgement(
        2, "wrong levels: L4–S1 for L5–S2"
    )


# --- a list item named without its detail counts ----------------------------------------


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("sacrum", Judgement(2, "1 of 4 items; missing: dorsal surface")),
        ("sacrum and coccyx", Judgement(2, "1 of 4 items; missing: dorsal surface")),
        ("dorsal surface of the sacrum", Judgement(2, "1 of 4 items")),
        ("sacrum, sacrotuberous ligament", Judgement(2, "2 of 4 items; missing: dorsal surface")),
        (
            "sacrum, coccyx, thoracolumbar fascia, sacrotuberous ligament, ilium",
            Judgement(4, "every item; dorsal surface left out"),
        ),
    ],
)
def test_an_item_whose_key_term_is_named_counts(typed: str, expected: Judgement) -> None:
    assert judge(GMAX_ORIGIN, typed) == expected


def test_a_wrong_item_is_never_counted() -> None:
    assert judge(GMAX_ORIGIN, "ventral surface of the sacrum") == Judgement(
        2, "0 of 4 items; wrong side: ventral for dorsal"
    )
    assert judge(GMAX_ORIGIN, "pubis").grade == 1
