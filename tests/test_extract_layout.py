"""The layout half of extraction: pages read as lines, labels in their many spellings,
blocks, tables and sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from flashcards.errors import FlashcardsError
from flashcards.extract.blocks import page_blocks
from flashcards.extract.labels import label_target, parse_label_line, split_inline_labels
from flashcards.extract.lexicon import find_muscles
from flashcards.extract.page import html_to_text, page_lines, read_page
from flashcards.extract.prose import condense, prose_facts, sentences
from flashcards.extract.tables import read_table


@pytest.mark.parametrize(
    ("label", "target"),
    [
        ("Origin", "origin"),
        ("Proximal attachment", "origin"),
        ("Origin (proximal attachment)", "origin"),
        ("Insertion", "insertion"),
        ("Distal attachments", "insertion"),
        ("Innervation", "innervation"),
        ("Nerve", "innervation"),
        ("Nerve supply", "innervation"),
        ("Action", "action"),
        ("Actions", "action"),
        ("Action(s)", "action"),
        ("Function", "action"),
        ("Main action", "action"),
        ("Blood supply", "blood_supply"),
        ("Artery", "blood_supply"),
        ("Arterial supply", "blood_supply"),
        ("Antagonist", "antagonist"),
        ("Antagonists", "antagonist"),
        ("Synergist", "synergist"),
        ("Clinical significance", "clinical"),
        ("Nerve root", "roots"),
        ("Also known as", "aliases"),
        ("Muscle of the Month", "name"),
        ("Latin", "ignore"),
        ("TA98", "ignore"),
        ("FMA", "ignore"),
        ("Gray's", "ignore"),
        ("Location of the clinic", None),
    ],
)
def test_label_synonyms(label: str, target: str | None) -> None:
    assert label_target(label) == target


@pytest.mark.parametrize(
    "line",
    [
        "Origin: ASIS",
        "Origin : ASIS",
        "Origin - ASIS",
        "Origin – ASIS",
        "Origin | ASIS",
        "Origin\tASIS",
        "Origin        ASIS",
        "**Origin:** ASIS",
    ],
)
def test_every_separator_reads_the_same(line: str) -> None:
    hit = parse_label_line(line)
    assert hit is not None and (hit.target, hit.value) == ("origin", "ASIS")


def test_a_label_alone_has_its_value_below_and_prose_is_no_label() -> None:
    assert parse_label_line("Origin") == parse_label_line("Origin:")
    assert parse_label_line("Origin:") is not None and parse_label_line("Origin:").value == ""  # type: ignore[union-attr]
    assert parse_label_line("The origin is the ASIS.") is None
    assert parse_label_line("Innervation of the psoas major is through L1") is None
    # An unknown short label is still a label: it ends the value before it.
    unknown = parse_label_line("Stretch it:")
    assert unknown is not None and unknown.target is None


def test_one_letter_labels_only_when_the_page_uses_them() -> None:
    assert parse_label_line("A: the answer", single_letters=False) is not None
    assert parse_label_line("A: the answer", single_letters=False).target is None  # type: ignore[union-attr]
    assert [h.target for h in split_inline_labels("O: x; I: y", single_letters=True)] == [
        "origin",
        "insertion",
    ]


def test_muscle_names_are_found_with_their_other_names() -> None:
    found = [
        (m.canonical, m.short) for m in find_muscles("TFL, m. gluteus medius, peroneus longus")
    ]
    assert found == [
        ("Tensor fasciae latae", True),
        ("Gluteus medius", False),
        ("Fibularis longus", False),
    ]
    # A landmark named after a muscle is not the muscle.
    assert find_muscles("the deltoid tuberosity") == []


def test_html_becomes_headings_list_items_and_table_rows() -> None:
    text = html_to_text(
        "<html><head><title>T</title><script>x()</script></head><body><nav>menu</nav>"
        "<h2>Actions</h2><ul><li>Flexes</li></ul>"
        "<table><tr><th>Origin</th><td>ASIS<br>AIIS</td></tr></table>"
        "<dl><dt>Nerve</dt><dd>Femoral</dd></dl><footer>(c)</footer></body></html>"
    )
    assert text.split("\n\n") == [
        "# T",
        "## Actions",
        "- Flexes",
        "| Origin | ASIS; AIIS |",
        "Nerve:",
        "Femoral\n",
    ]


def test_page_lines_mark_headings_and_bullets_and_drop_code_and_citations() -> None:
    lines = page_lines("# Title\nSub\n===\n- item\n1. first\n```\nOrigin: x\n```\nText[12].\n")
    assert [(line.text, line.heading, line.bullet) for line in lines if line.text] == [
        ("Title", 1, False),
        ("Sub", 1, False),
        ("item", 0, True),
        ("first", 0, True),
        ("Text.", 0, False),
    ]


def test_a_pdf_or_binary_file_is_a_clear_error(tmp_path: Path) -> None:
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(b"%PDF-1.4\n...")
    with pytest.raises(FlashcardsError, match="not a text or HTML page"):
        read_page(pdf)
    with pytest.raises(FlashcardsError, match="no such file"):
        read_page(tmp_path / "missing.txt")


def test_a_value_wrapped_over_lines_and_over_a_blank_line_is_one_value() -> None:
    blocks = page_blocks(page_lines("Origin: The psoas major\n\n is divided into two parts.\n"))
    assert [(b.kind, b.items) for b in blocks] == [
        ("field", ["The psoas major is divided into two parts."])
    ]


def test_tables_by_rows_by_columns_and_key_value() -> None:
    by_rows = read_table([["Muscle", "Origin", "Insertion"], ["Gracilis", "Pubis", "Tibia"]])
    assert [(r.name, r.fields) for r in by_rows] == [
        ("Gracilis", {"origin": ["Pubis"], "insertion": ["Tibia"]})
    ]
    by_columns = read_table([["", "Gracilis", "Sartorius"], ["Origin", "Pubis", "ASIS"]])
    assert [(r.name, r.fields) for r in by_columns] == [
        ("Gracilis", {"origin": ["Pubis"]}),
        ("Sartorius", {"origin": ["ASIS"]}),
    ]
    key_value = read_table([["Origin", "Pubis"], ["Latin", "musculus gracilis"]])
    assert [(r.name, r.fields) for r in key_value] == [(None, {"origin": ["Pubis"]})]
    assert read_table([["Price", "Hours"], ["10", "9-5"]]) == []


def test_sentences_do_not_end_at_abbreviations() -> None:
    assert sentences("It is supplied by the femoral n. (L2). It flexes the hip.") == [
        "It is supplied by the femoral n. (L2).",
        "It flexes the hip.",
    ]


def test_prose_facts_know_whose_fact_and_which_part() -> None:
    facts = prose_facts(
        "The deep part originates from the transverse processes. Sartorius arises from the "
        "ASIS and inserts into the pes anserinus, which lies on the tibia."
    )
    assert [(f.field, f.value, f.subject, f.part) for f in facts] == [
        ("origin", "Transverse processes", None, "Deep part"),
        ("origin", "ASIS", "Sartorius", None),
        ("insertion", "Pes anserinus", "Sartorius", None),
    ]
    assert prose_facts("Sit down and flex your hip to stretch the psoas.") == []


def test_a_labelled_paragraph_is_cut_to_what_states_the_fact() -> None:
    condensed = condense(
        "insertion",
        "Joined by the iliacus, it forms the iliopsoas. The iliopsoas runs through the "
        "muscular lacuna to its insertion on the lesser trochanter of the femur.",
    )
    assert condensed is not None and condensed[0] == ["Lesser trochanter of the femur"]
    assert condense("insertion", "Lesser trochanter of the femur") is None
