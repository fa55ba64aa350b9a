"""Structure records and hand-written cards become notes with stable keys."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from flashcards.authoring.deckfile import load_deck
from flashcards.authoring.facts import notes_for_deck, render_cloze

DECK = """\
deck: Anatomy::Thigh
id: thigh
tags: [anatomy]
structures:
  - name: Sartorius
    tags: [superficial]
    origin: Anterior superior iliac spine
    insertion: Pes anserinus
    innervation: Femoral nerve
    action: [Flexes the hip, Flexes the knee]
    blood_supply: Femoral artery
    antagonist: [Gluteus maximus]
    synergist: [Iliopsoas, Rectus femoris]
    clinical: Forms the roof of the adductor canal
  - name: Gracilis
    action: Adducts the thigh
cards:
  - id: femoral-triangle-roof
    q: What forms the roof of the femoral triangle?
    a: Fascia lata
    tags: [triangle]
  - id: triangle-borders
    cloze: "{{c1::Sartorius}} is lateral, {{c2::adductor longus::muscle}} medial."
"""


@pytest.fixture
def notes(tmp_path: Path):  # type: ignore[no-untyped-def]
    deck, problems = load_deck(write(tmp_path / "thigh.yaml", DECK))
    assert deck is not None, problems
    return {n.key: n for n in notes_for_deck(deck)}


def test_every_fact_field_gets_its_own_natural_question(notes) -> None:  # type: ignore[no-untyped-def]
    questions = {
        k.split("/")[-1]: n.front for k, n in notes.items() if k.startswith("thigh/sartorius/")
    }
    assert questions == {
        "origin": "Where does sartorius originate?",
        "insertion": "Where does sartorius insert?",
        "innervation": "What innervates sartorius?",
        "action": "What are the actions of sartorius?",
        "blood_supply": "What is the blood supply of sartorius?",
        "antagonist": "What is an antagonist of sartorius?",
        "synergist": "Name a synergist of sartorius.",
        "clinical": "What is the clinical relevance of sartorius?",
    }
    assert notes["thigh/gracilis/action"].front == "What is the action of gracilis?"


def test_keys_follow_deck_structure_field_and_card_id_in_authoring_order(notes) -> None:  # type: ignore[no-untyped-def]
    assert list(notes)[:2] == ["thigh/sartorius/origin", "thigh/sartorius/insertion"]
    assert list(notes)[-3:] == [
        "thigh/gracilis/action",
        "thigh/femoral-triangle-roof",
        "thigh/triangle-borders",
    ]


def test_list_answers_keep_their_items(notes) -> None:  # type: ignore[no-untyped-def]
    action = notes["thigh/sartorius/action"]
    assert action.back == "Flexes the hip\nFlexes the knee"
    assert action.meta["items"] == ["Flexes the hip", "Flexes the knee"]
    assert action.structure_name == "Sartorius" and action.field == "action"


def test_tags_merge_deck_and_structure_or_card_tags(notes) -> None:  # type: ignore[no-untyped-def]
    assert notes["thigh/sartorius/origin"].tags == ("anatomy", "superficial")
    assert notes["thigh/femoral-triangle-roof"].tags == ("anatomy", "triangle")


def test_cloze_note_has_one_card_per_number_and_renders_each(notes) -> None:  # type: ignore[no-untyped-def]
    cloze = notes["thigh/triangle-borders"]
    assert cloze.kind == "cloze" and cloze.ordinals == (1, 2)
    assert render_cloze(cloze.front, 1) == (
        "[...] is lateral, adductor longus medial.",
        "[Sartorius] is lateral, adductor longus medial.",
    )
    assert render_cloze(cloze.front, 2) == (
        "Sartorius is lateral, [muscle] medial.",
        "Sartorius is lateral, [adductor longus] medial.",
    )


def test_eponyms_keep_their_capital_in_questions(tmp_path: Path) -> None:
    text = "deck: X\nstructures:\n  - name: Scarpa's fascia\n    clinical: Holds sutures\n"
    deck, _ = load_deck(write(tmp_path / "x.yaml", text))
    assert deck is not None
    assert notes_for_deck(deck)[0].front == "What is the clinical relevance of Scarpa's fascia?"


def test_aliases_are_shown_under_every_answer_of_the_structure(tmp_path: Path) -> None:
    text = (
        "deck: X\nid: x\nstructures:\n  - name: Psoas major\n    aliases: [psoas, greater psoas]\n"
        "    insertion: Lesser trochanter\n    innervation: Anterior rami of L1–L3\n"
        "  - name: Iliacus\n    insertion: Lesser trochanter\n"
    )
    deck, problems = load_deck(write(tmp_path / "x.yaml", text))
    assert deck is not None, problems
    notes = {n.key: n for n in notes_for_deck(deck)}
    assert notes["x/psoas-major/insertion"].extra == "Also called: psoas, greater psoas"
    assert notes["x/psoas-major/innervation"].extra == "Also called: psoas, greater psoas"
    assert notes["x/psoas-major/insertion"].meta["aliases"] == ["psoas", "greater psoas"]
    assert notes["x/iliacus/insertion"].extra is None


def test_the_image_travels_with_every_card_of_its_structure() -> None:
    path = Path(__file__).parent / "fixtures" / "decks" / "good" / "hip_flexors.yaml"
    deck, problems = load_deck(path)
    assert deck is not None, problems
    image = next(s.image for s in deck.structures if s.image)
    notes = notes_for_deck(deck, {image: "abc123.png"})
    with_image = [n for n in notes if n.image_path == image]
    assert with_image and all(n.image == "abc123.png" for n in with_image)
    assert {n.field for n in with_image} >= {"insertion"}


def test_fact_notes_record_which_fields_their_deck_asks_in_reverse(tmp_path: Path) -> None:
    text = (
        "deck: X\nid: x\nreverse: [insertion]\nstructures:\n"
        "  - name: Gracilis\n    insertion: Pes anserinus\n    action: Adducts the thigh\n"
    )
    deck, problems = load_deck(write(tmp_path / "x.yaml", text))
    assert deck is not None, problems
    notes = {n.field: n for n in notes_for_deck(deck)}
    # Kept with the note so that an import of another deck knows this one asks.
    assert notes["insertion"].meta["reverse"] is True
    assert "reverse" not in notes["action"].meta


def test_reverse_notes_given_come_after_every_other_note(tmp_path: Path) -> None:
    from flashcards.authoring.reverse import plan_reverse_cards

    text = (
        "deck: X\nid: x\nreverse: [insertion]\nstructures:\n"
        "  - name: Gracilis\n    insertion: Pes anserinus\n"
        "cards:\n  - id: c\n    q: Q?\n    a: A\n"
    )
    deck, _ = load_deck(write(tmp_path / "x.yaml", text))
    assert deck is not None
    plan = plan_reverse_cards([deck])
    keys = [n.key for n in notes_for_deck(deck, None, plan.notes_for("x"))]
    assert keys == ["x/gracilis/insertion", "x/c", "x/gracilis/insertion/reverse"]
