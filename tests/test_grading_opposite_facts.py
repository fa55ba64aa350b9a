"""The opposite fact is never right: the other side, the opposite movement, a labelled
item given under another item's label; and "I dont know" is nothing recalled.

Each wrong answer here was once graded 3 or 4 (counted as recalled); each right one in
other words must stay right. The corpus (tests/fixtures/grading/corpus.csv) holds the
same answers with a teacher's ranges; these tests hold the reasons a student reads.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, ok, write

from flashcards.grading import grade
from flashcards.grading.grader import judge

OWN_SIDE = "bends the lumbar spine to its own side"  # psoas major's cloze
ILIOPSOAS_ACTION = (
    "Main flexor of the hip\nLeg fixed: flexes the trunk on the thigh (sitting up from supine)"
)
ILIOPSOAS_ORIGIN = (
    "Psoas major: T12–L4 bodies and discs, L1–L5 transverse processes\nIliacus: iliac fossa"
)


@pytest.mark.parametrize(
    "typed",
    [
        "bends the lumbar spine to the opposite side",
        "bends the lumbar spine to the other side",
        "bends the lumbar spine contralaterally",
        "bends the lumbar spine to the contralateral side",
    ],
)
def test_the_other_side_for_its_own_side_is_a_wrong_side(typed: str) -> None:
    verdict = judge(OWN_SIDE, typed)
    assert verdict.grade <= 2
    assert verdict.reason.startswith("wrong side: contralateral")


@pytest.mark.parametrize(
    "typed",
    [
        "bends the lumbar spine to the same side",
        "bends the lumbar spine ipsilaterally",
        "bends the lumbar spine to the ipsilateral side",
        "bends the lumbar spine to its side",
        "Bends the lumbar spine to its own side.",
    ],
)
def test_its_own_side_in_any_wording_is_right(typed: str) -> None:
    assert grade(OWN_SIDE, typed) >= 4


def test_its_own_side_left_out_is_less_precise_not_wrong() -> None:
    verdict = judge(OWN_SIDE, "bends the lumbar spine")
    assert verdict.grade in (3, 4)
    assert "left out" in verdict.reason


@pytest.mark.parametrize(
    ("expected", "typed", "named"),
    [
        ("Extends the leg at the knee", "flexor of the knee", "flexor for extends"),
        ("Extends the leg at the knee", "knee flexion", "flexion for extends"),
        ("Flexes the forearm at the elbow in every position", "extensor of the elbow", "extensor"),
        ("Supinates the forearm (alone when slow and unresisted)", "pronator of the forearm",
         "pronator for supinates"),
        ("Retracts the scapula", "protracts the scapula", "protracts for retracts"),
    ],
)  # fmt: skip
def test_the_opposite_movement_in_any_form_is_wrong_and_named(
    expected: str, typed: str, named: str
) -> None:
    verdict = judge(expected, typed)
    assert verdict.grade <= 2
    assert verdict.reason.startswith("wrong movement: ") and named in verdict.reason


@pytest.mark.parametrize(
    ("expected", "typed"),
    [
        ("Extends the leg at the knee", "knee extensor"),
        ("Extends the leg at the knee", "extensor of the leg"),
        ("Extends the leg at the knee", "knee extension"),
        ("Supinates the forearm (alone when slow and unresisted)", "supinator of the forearm"),
        ("Retracts the scapula", "retractor of the scapula"),
    ],
)
def test_verb_noun_and_agent_forms_of_one_movement_are_one_answer(
    expected: str, typed: str
) -> None:
    assert grade(expected, typed) >= 4


def test_an_agent_in_a_name_stays_a_name() -> None:
    """ "Flexor digitorum longus" names a muscle: "flexes the digits" is not it."""
    assert judge("Flexor digitorum longus", "extensor digitorum longus").grade <= 2
    assert judge("Flexor retinaculum", "extensor retinaculum").grade <= 2
    assert grade("Flexor digitorum longus", "flexor digitorum longus") == 5


def test_extends_the_hip_for_main_flexor_of_the_hip_is_wrong_and_named() -> None:
    verdict = judge(ILIOPSOAS_ACTION, "extends the hip")
    assert verdict.grade <= 2
    assert "wrong movement: extends for flexor" in verdict.reason


@pytest.mark.parametrize("typed", ["flexes the hip", "hip flexion", "hip flexor"])
def test_the_first_item_in_verb_noun_or_agent_form_is_one_item_of_two(typed: str) -> None:
    assert judge(ILIOPSOAS_ACTION, typed) == judge(ILIOPSOAS_ACTION, "hip flexor")
    assert judge(ILIOPSOAS_ACTION, typed).grade == 3
    assert judge(ILIOPSOAS_ACTION, typed).reason == "1 of 2 items"


def test_both_items_with_the_verb_form_are_right() -> None:
    assert grade(ILIOPSOAS_ACTION, "flexes the hip; leg fixed: flexes the trunk on the thigh") == 5


def test_labelled_items_typed_under_their_labels_are_every_item() -> None:
    verdict = judge(
        ILIOPSOAS_ORIGIN, "psoas: T12-L4 bodies, L1-L5 transverse processes; iliacus: iliac fossa"
    )
    assert (verdict.grade, verdict.reason) == (4, "every item; discs left out")
    whole = "psoas major: T12-L4 bodies and discs, L1-L5 transverse processes; iliacus: iliac fossa"
    assert grade(ILIOPSOAS_ORIGIN, whole) == 5


def test_an_item_missing_altogether_is_still_counted() -> None:
    assert judge(ILIOPSOAS_ORIGIN, "iliacus: iliac fossa").reason == "1 of 2 items"


@pytest.mark.parametrize(
    ("typed", "reason"),
    [
        (
            "psoas: iliac fossa; iliacus: T12-L4 bodies, L1-L5 transverse processes",
            "wrong label: psoas for iliacus",
        ),
        (
            "iliacus: T12-L4 bodies and discs, L1-L5 transverse processes",
            "wrong label: iliacus for psoas major",
        ),
    ],
)
def test_a_labelled_item_under_another_items_label_is_wrong(typed: str, reason: str) -> None:
    verdict = judge(ILIOPSOAS_ORIGIN, typed)
    assert (verdict.grade, verdict.reason) == (2, reason)


def test_one_side_and_both_sides_swapped_is_wrong() -> None:
    answer = (
        "Flexes the thigh at the hip\nOne side: bends the lumbar spine sideways\n"
        "Both sides: flex the trunk (sitting up)"
    )
    swapped = (
        "flexes the hip; one side: flexes the trunk; both sides: bends the lumbar spine sideways"
    )
    assert judge(answer, swapped).grade <= 2
    right = "flexes the hip; one side: bends the lumbar spine sideways; both sides: flex the trunk"
    assert grade(answer, right) == 5


@pytest.mark.parametrize(
    "typed",
    ["I dont know", "I don't know", "I don\u2019t know", "dont know", "dunno", "no idea",
     "?", "idk", "I do not know", "no clue", "I cant remember", "don't remember"],
)  # fmt: skip
def test_dont_know_in_every_usual_wording_is_nothing_recalled(typed: str) -> None:
    assert judge("Lesser trochanter of the femur", typed).grade == 0


def test_a_hedge_beside_the_answer_costs_nothing_of_it() -> None:
    assert grade("Lesser trochanter of the femur", "lesser trochanter I dont know") >= 4


DECK = """\
deck: Anatomy::Lower limb::Hip flexors
id: hip-flexors
structures:
  - name: Iliopsoas
    region: pelvis
    action:
      - "Main flexor of the hip"
      - "Leg fixed: flexes the trunk on the thigh (sitting up from supine)"
"""


def test_review_typed_says_the_opposite_movement_is_wrong(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(write(tmp_path / "hip.yaml", DECK))))
    out = ok(run_sqlite("review", "--typed", input="extends the hip\n\nq\n"))
    words = " ".join(out.split())
    assert "Suggested grade: 2 —" in words
    assert "wrong movement: extends for flexor" in words


def test_what_the_brackets_name_instead_does_not_make_the_other_side_right() -> None:
    answer = "Turns the face to the same side (rotates the atlas on the axis)"
    verdict = judge(answer, "turns the face to the opposite side")
    assert (verdict.grade, verdict.reason) == (2, "wrong side: contralateral for ipsilateral")
    assert grade(answer, "turns the face to the same side") == 5


def test_the_other_side_in_one_item_of_a_list_is_the_opposite_fact_stated() -> None:
    answer = (
        "Both sides: extend the head\nOne side: bends the head and turns the face to the same side"
    )
    typed = (
        "both sides: extend the head; "
        "one side: bends the head and turns the face to the opposite side"
    )
    verdict = judge(answer, typed)
    assert verdict.grade <= 2
    assert "wrong side: contralateral for ipsilateral" in verdict.reason
    assert judge(answer, "both sides: extend the head").grade == 3  # left out: not stated wrong
