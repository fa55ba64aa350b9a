"""The word diff a student reads: quiet where nothing counts, marked where it does."""

from __future__ import annotations

import pytest

from flashcards.grading.word_diff import Piece, as_text, word_diff

GMED_ORIGIN = "Outer surface of the ilium between the anterior and posterior gluteal lines"


@pytest.mark.parametrize(
    ("expected", "typed"),
    [
        (GMED_ORIGIN, "outer surface of ilium between posterior and anterior gluteal lines"),
        ("Psoas major and iliacus", "iliacus, psoas major"),
        ("Anterior superior iliac spine", "ASIS"),
        ("Axillary nerve (C5–C6)", "axillary n. C5 C6"),
        ("Iliotibial tract (most fibres)", "IT band"),
        ("Anterior rami of L1–L3", "ventral rami of L1, L2 and L3"),
        ("Lesser trochanter of the femur", "the lesser trochanter of the femur."),
    ],
)
def test_articles_order_and_equivalent_forms_are_not_marked(expected: str, typed: str) -> None:
    pieces = word_diff(expected, typed)
    assert [p.kind for p in pieces] == ["same"]
    assert pieces[0].text == typed  # the words shown are the ones typed


def test_a_replaced_key_term_is_marked_and_the_right_one_shown_after() -> None:
    pieces = word_diff(
        GMED_ORIGIN, "inner surface of the ilium between the anterior and posterior gluteal lines"
    )
    assert pieces[0] == Piece("extra", "inner")
    assert pieces[-1] == Piece("missing", "Outer")
    assert as_text(pieces).startswith("{+inner+} surface of the ilium")


def test_a_typo_is_shown_beside_the_right_word() -> None:
    assert as_text(word_diff("Sartorius", "sartorious")) == "{+sartorious+} [-Sartorius-]"


def test_what_is_missing_comes_after_part_by_part() -> None:
    answer = "Iliacus\nRectus femoris\nSartorius\nTensor fasciae latae\nPectineus"
    pieces = word_diff(answer, "pectineus, TFL, sartorius, gracilis")
    assert (
        as_text(pieces) == "pectineus, TFL, sartorius, {+gracilis+} [-Iliacus-] [-Rectus femoris-]"
    )


def test_a_detail_left_out_is_shown_missing_and_brackets_never_are() -> None:
    assert as_text(word_diff(GMED_ORIGIN, "gluteal surface of the ilium")) == (
        "gluteal surface of the ilium [-anterior posterior gluteal lines-]"
    )
    assert word_diff("Femoral nerve (L2–L3; some texts L2–L4)", "femoral nerve") == [
        Piece("same", "femoral nerve")
    ]


def test_wrong_levels_are_marked() -> None:
    assert as_text(word_diff("Anterior rami of L1–L3", "ventral rami L1-L4")) == (
        "ventral rami {+L1-L4+} [-L1–L3-]"
    )


@pytest.mark.parametrize(
    "typed",
    [
        "I think outer surface of ilium",
        "um, outer surface of ilium, I guess",
        "maybe outer surface of ilium",
    ],
)
def test_a_hedge_is_never_marked(typed: str) -> None:
    assert as_text(word_diff(GMED_ORIGIN, typed)) == (
        f"{typed} [-anterior posterior gluteal lines-]"
    )
