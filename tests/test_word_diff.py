"""The word diff a student reads: quiet where nothing counts, marked where it does."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from flashcards.grading import judge
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


EO_ORIGIN = "Outer surfaces of ribs 5–12"
IO_ORIGIN = (
    "Thoracolumbar fascia\nAnterior two-thirds of the iliac crest\n"
    "Lateral part of the inguinal ligament"
)


def test_what_is_missing_is_in_the_cards_own_words_never_the_graders() -> None:
    assert as_text(word_diff(EO_ORIGIN, "ribs")) == "ribs [-Outer surfaces 5–12-]"
    assert as_text(word_diff(EO_ORIGIN, "outer surfaces of ribs 7-12")) == (
        "outer surfaces of ribs 7-12 [-5–6-]"  # the numbers left out, as a range
    )
    assert as_text(word_diff(IO_ORIGIN, "thoracolumbar fascia")) == (
        "thoracolumbar fascia [-Anterior two-thirds of the iliac crest-] "
        "[-Lateral part of the inguinal ligament-]"
    )
    maximus = "Ilium behind the posterior gluteal line\nDorsal surface of the sacrum and coccyx"
    assert "[-Dorsal surface of the sacrum-]" in as_text(word_diff(maximus, "ilium"))
    assert as_text(word_diff("Lower third of the radius", "lower half of the radius")) == (
        "lower {+half+} of the radius [-third-]"
    )


CORPUS = Path(__file__).resolve().parent / "fixtures" / "grading" / "corpus.csv"
_WORD = re.compile(r"[\w'’–-]+")


def test_over_the_corpus_every_missing_word_is_one_the_card_wrote() -> None:
    with CORPUS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    foreign = []
    for row in rows:
        card = set(_WORD.findall(row["expected"]))
        for piece in word_diff(row["expected"], row["typed"]):
            if piece.kind == "missing" and not set(_WORD.findall(piece.text)) <= card:
                foreign.append((row["expected"], row["typed"], piece.text))
    assert foreign == []


def test_no_reason_shows_the_graders_own_tokens() -> None:
    with CORPUS.open(newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    reasons = [judge(r["expected"], r["typed"]).reason for r in rows]
    assert [r for r in reasons if re.search(r"\b(?:n\d+|frac_\w+|lv_\w+|cn\d+)\b", r)] == []
    assert judge(EO_ORIGIN, "ribs").reason == "missing: outer surfaces 5–12"
    assert judge("Upper borders of ribs 2–4", "upper borders of ribs 3-5").reason == (
        "wrong number: ribs 3-5 for ribs 2–4"
    )
