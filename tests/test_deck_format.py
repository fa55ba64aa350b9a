"""What a deck file says about how a fact is asked: the mapping form of a fact (answer,
accept, note, ask: all | any | each), clinical facts as question/answer cards, accept and
note on hand-written cards; the notes they make (keys, questions, meta); and the note
shown after the answer by `cards`, `review`, `quiz` and the Anki export."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, Cli, ok, write

from flashcards.authoring.deckfile import ClinicalCard, Fact, load_deck
from flashcards.authoring.facts import NoteSpec, notes_for_deck
from flashcards.authoring.nodes import card_id
from flashcards.study.answer_keys import answer_key

CLEAN = FIXTURES / "lint" / "clean.yaml"


@pytest.fixture(scope="module")
def notes() -> dict[str, NoteSpec]:
    deck, problems = load_deck(CLEAN)
    assert deck is not None and problems == []
    return {note.key: note for note in notes_for_deck(deck)}


def problems_of(tmp_path: Path, body: str) -> list[str]:
    """Problems of a deck made of ``deck: A`` and ``body`` (which starts on line 2)."""
    _deck, problems = load_deck(write(tmp_path / "deck.yaml", "deck: A\n" + body))
    return [f"{p.line}: {p.message}" for p in problems]


# --- reading -----------------------------------------------------------------------------


def test_the_mapping_form_reads_answer_accept_note_and_ask() -> None:
    deck, _ = load_deck(CLEAN)
    assert deck is not None
    facts = {fact.field: fact for fact in deck.structures[0].facts}
    assert facts["innervation"] == Fact(
        "innervation",
        ("Axillary nerve (C5–C6)",),
        False,
        11,
        accept=("Circumflex nerve",),
        note="Some texts add C4; most give C5–C6.",
    )
    assert facts["action"].ask == "each" and facts["action"].mode == "each"
    assert facts["blood_supply"].mode == "any"
    # Defaults: any for synergists and antagonists, all for the rest; one item is asked whole.
    assert facts["synergist"].ask is None and facts["synergist"].mode == "any"
    assert facts["origin"].mode == "all"
    assert facts["antagonist"].mode == "all"
    assert "clinical" not in facts


def test_clinical_pairs_are_cards_with_an_id_given_or_made_from_the_question() -> None:
    deck, _ = load_deck(CLEAN)
    assert deck is not None
    first, second = deck.structures[0].clinical
    assert first == ClinicalCard(
        "surgical-neck",
        "Fracture of which part of the humerus endangers the nerve to deltoid?",
        "Surgical neck",
        29,
        note="The axillary nerve winds round it with the posterior circumflex humeral artery.",
    )
    # Without an id, the question is the identity, as for a hand-written card.
    assert second.id == card_id(second.question)
    assert second.id.startswith("loss-of-sensation-over-which-patch-of-skin")
    assert second.accept == ("Skin over the lower deltoid",)


def test_hand_written_cards_carry_accept_and_note() -> None:
    deck, _ = load_deck(CLEAN)
    assert deck is not None
    card = deck.cards[0]
    assert (card.accept, card.note) == (
        ("Quadrilateral space",),
        "With the posterior circumflex humeral vessels.",
    )


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            "structures:\n  - name: X\n    origin:\n      accept: [y]\n",
            ["4: 'origin' written as a mapping needs 'answer:' (what the card asks)"],
            id="mapping-without-answer",
        ),
        pytest.param(
            "structures:\n  - name: X\n    origin:\n      answer: [a, b]\n      ask: some\n",
            ["6: 'ask' of 'origin' must be one of all, any, each, not 'some'"],
            id="unknown-ask",
        ),
        pytest.param(
            "structures:\n  - name: X\n    origin:\n      answer: a\n      nte: b\n",
            ["6: unknown key 'nte' (did you mean 'note'?)"],
            id="unknown-key-in-mapping",
        ),
        pytest.param(
            "structures:\n  - name: X\n    origin:\n      answer: a\n      note: [b]\n",
            ["6: 'note' must be text, not a list"],
            id="note-not-text",
        ),
        pytest.param(
            "structures:\n  - name: X\n    action:\n      answer: [Flexes, flexes]\n"
            "      ask: each\n",
            [
                "5: two items of 'action' make the same card ('flexes', first at line 5): "
                "with 'ask: each' every item needs its own words"
            ],
            id="each-items-alike",
        ),
        pytest.param(
            "structures:\n  - name: X\n    clinical:\n      - q: Which sign?\n        a: Y\n"
            "      - A plain line\n",
            ["7: each item of 'clinical' must be a q/a pair (- q: … a: …) when any of them is"],
            id="clinical-mixed",
        ),
        pytest.param(
            "structures:\n  - name: X\n    clinical:\n      q: Which sign?\n      a: Y\n",
            ["4: 'clinical' takes a list of question/answer pairs (- q: … a: …), not one mapping"],
            id="clinical-one-mapping",
        ),
        pytest.param(
            "structures:\n  - name: X\n    clinical:\n      - q: Which sign?\n",
            ["5: clinical card has no 'a' (its answer)"],
            id="clinical-without-a",
        ),
        pytest.param(
            "structures:\n  - name: X\n    clinical:\n      - id: s\n        q: A?\n        a: B\n"
            "      - id: s\n        q: C?\n        a: D\n",
            ["8: duplicate clinical card id 's' (first at line 5)"],
            id="clinical-duplicate-id",
        ),
    ],
)
def test_each_mistake_in_the_new_forms_is_an_error_at_its_line(
    tmp_path: Path, body: str, expected: list[str]
) -> None:
    assert problems_of(tmp_path, body) == expected


def test_accept_with_each_is_a_warning(tmp_path: Path) -> None:
    body = (
        "structures:\n  - name: X\n    action:\n      answer: [A, B]\n      ask: each\n"
        "      accept: [C]\n"
    )
    found = problems_of(tmp_path, body)
    assert len(found) == 1 and found[0].startswith("7: 'action' is asked with 'ask: each'")


# --- the notes they make -------------------------------------------------------------


def test_a_mapping_fact_is_one_note_with_accept_note_and_ask_in_its_meta(
    notes: dict[str, NoteSpec],
) -> None:
    note = notes["shoulder/deltoid/innervation"]
    assert (note.front, note.back) == ("What innervates deltoid?", "Axillary nerve (C5–C6)")
    assert note.meta["accept"] == ["Circumflex nerve"]
    assert note.meta["note"] == "Some texts add C4; most give C5–C6."
    assert note.meta["ask"] == "all"
    assert note.meta["aliases"] == ["deltoideus"]
    # Nothing of the note is in what is graded.
    assert "C4" not in note.back


def test_ask_any_asks_for_one_item_under_the_field_key(notes: dict[str, NoteSpec]) -> None:
    synergist = notes["shoulder/deltoid/synergist"]
    assert synergist.front == "Name a synergist of deltoid."
    assert synergist.meta["ask"] == "any"
    assert synergist.meta["items"][0] == "Supraspinatus" and len(synergist.meta["items"]) == 5
    blood = notes["shoulder/deltoid/blood_supply"]
    assert blood.front == "Name an artery that supplies deltoid."
    assert blood.back == (
        "Posterior circumflex humeral artery\nThoraco-acromial artery (deltoid branch)"
    )


def test_ask_each_makes_one_card_per_item_keyed_by_the_item_with_the_others_shown(
    notes: dict[str, NoteSpec],
) -> None:
    each = [note for key, note in notes.items() if key.startswith("shoulder/deltoid/action/")]
    assert [note.key for note in each] == [
        "shoulder/deltoid/action/abducts-the-arm-beyond-the-first-15",
        "shoulder/deltoid/action/flexes-and-medially-rotates-the-arm-anterior-fibres",
        "shoulder/deltoid/action/extends-and-laterally-rotates-the-arm-posterior-fibres",
    ]
    assert "shoulder/deltoid/action" not in notes
    second = each[1]
    assert second.front == (
        "What are the actions of deltoid? Fill the gap:\n"
        "• Abducts the arm beyond the first 15°\n"
        "• [...]\n"
        "• Extends and laterally rotates the arm (posterior fibres)"
    )
    assert second.back == "Flexes and medially rotates the arm (anterior fibres)"
    assert second.meta["ask"] == "each"
    assert second.meta["items"] == ["Flexes and medially rotates the arm (anterior fibres)"]
    assert second.field == "action" and second.structure_key == "deltoid"


def test_ask_each_shows_an_items_label_and_hides_only_its_text(tmp_path: Path) -> None:
    # A part asked by elimination teaches nothing: "Palpebral part: [...]" says which
    # part is asked. The key stays the whole item's, so earlier reviews are kept.
    body = (
        "deck: Face\nid: face\nstructures:\n  - name: Orbicularis oculi\n    action:\n"
        "      answer:\n"
        "        - 'Orbital part: closes the eyelids tightly'\n"
        "        - 'Palpebral part: closes the eyelids gently (blinking, sleep)'\n"
        "        - Draws the lids medially\n"
        "        - 'Lower fibres, in part: pull down'\n"
        "      ask: each\n"
    )
    deck, problems = load_deck(write(tmp_path / "face.yaml", body))
    assert deck is not None and problems == []
    each = notes_for_deck(deck)
    assert [note.key for note in each] == [
        "face/orbicularis-oculi/action/orbital-part-closes-the-eyelids-tightly",
        "face/orbicularis-oculi/action/palpebral-part-closes-the-eyelids-gently-blinking-sleep",
        "face/orbicularis-oculi/action/draws-the-lids-medially",
        "face/orbicularis-oculi/action/lower-fibres-in-part-pull-down",
    ]
    palpebral = each[1]
    assert palpebral.front == (
        "What are the actions of orbicularis oculi? Fill the gap:\n"
        "• Orbital part: closes the eyelids tightly\n"
        "• Palpebral part: [...]\n"
        "• Draws the lids medially\n"
        "• Lower fibres, in part: pull down"
    )
    assert palpebral.back == "Closes the eyelids gently (blinking, sleep)"
    assert palpebral.meta["items"] == ["Closes the eyelids gently (blinking, sleep)"]
    # The text is graded; typed with its label it is right too, the other part's text not.
    key = answer_key(palpebral.meta, palpebral.kind)
    assert key.judge(palpebral.back, "closes the eyelids gently").grade == 5
    assert key.judge(palpebral.back, "palpebral part: closes the eyelids gently").grade == 5
    assert key.judge(palpebral.back, "closes the eyelids tightly").grade < 3
    # An item without a label, or whose "label" is a clause, is hidden whole.
    assert each[2].front.splitlines()[3] == "• [...]"
    assert each[3].front.splitlines()[4] == "• [...]"
    assert each[3].back == "Lower fibres, in part: pull down"


def test_clinical_cards_are_fact_notes_under_clinical_with_their_own_cue(
    notes: dict[str, NoteSpec],
) -> None:
    clinical = [note for key, note in notes.items() if "/clinical" in key]
    assert clinical[0].key == "shoulder/deltoid/clinical/surgical-neck"
    assert clinical[1].key.startswith("shoulder/deltoid/clinical/loss-of-sensation")
    assert all(note.kind == "fact" and note.field == "clinical" for note in clinical)
    assert clinical[0].front.startswith("Fracture of which part of the humerus")
    assert clinical[0].back == "Surgical neck"
    assert clinical[1].meta["accept"] == ["Skin over the lower deltoid"]
    assert "ask" not in clinical[0].meta


def test_hand_written_cards_keep_accept_and_note_in_meta_and_plain_ones_none(
    notes: dict[str, NoteSpec],
) -> None:
    assert notes["shoulder/quadrangular-space"].meta == {
        "accept": ["Quadrilateral space"],
        "note": "With the posterior circumflex humeral vessels.",
    }
    assert notes["shoulder/deltoid-layers"].meta == {
        "note": "Its anterior and posterior parts are parallel-fibred."
    }


# --- shown after the answer ----------------------------------------------------------


def previews(run: Cli, target: str) -> dict[str, dict[str, Any]]:
    return {row["id"]: row for row in json.loads(ok(run("cards", target, "--json")))}


def test_cards_previews_the_note_accept_and_ask_from_a_file_and_from_the_database(
    run: Cli,
) -> None:
    for target in (str(CLEAN), "Anatomy::Upper limb::Shoulder"):
        if target != str(CLEAN):
            ok(run("import", str(CLEAN)))
        rows = previews(run, target)
        innervation = rows["shoulder/deltoid/innervation"]
        assert innervation["note"] == "Some texts add C4; most give C5–C6."
        assert innervation["accept"] == ["Circumflex nerve"]
        assert rows["shoulder/deltoid/synergist"]["ask"] == "any"
        assert rows["shoulder/deltoid-layers#c1"]["note"].startswith("Its anterior")
        assert rows["shoulder/deltoid/origin"]["note"] is None


def test_the_cards_table_shows_the_note_and_what_else_is_right(run_sqlite: Cli) -> None:
    out = ok(run_sqlite("cards", str(CLEAN)))
    # Cells wrap at the terminal's width: each label is looked for on its own.
    assert "Note: Some texts" in out
    assert "Also right:" in out
    assert "Any one of:" in out


def test_review_shows_the_note_after_the_answer_never_before(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    path = write(
        tmp_path / "d.yaml",
        "deck: Anatomy::D\nid: d\ncards:\n  - id: q\n    q: Which space?\n"
        "    a: Quadrangular space\n    note: With the posterior circumflex humeral vessels.\n",
    )
    ok(run_sqlite("import", str(path)))
    out = ok(run_sqlite("review", input="\n5\n"))
    answer_at = out.index("Quadrangular space")
    assert out.index("Note: With the posterior circumflex humeral vessels.") > answer_at
    assert out.index("Which space?") < answer_at


@pytest.mark.parametrize(("mode", "answer"), [("typed", "Quadrangular space"), ("flip", "\n5")])
def test_quiz_shows_the_note_after_the_answer(
    run_sqlite: Cli, tmp_path: Path, mode: str, answer: str
) -> None:
    path = write(
        tmp_path / "d.yaml",
        "deck: Anatomy::D\nid: d\ncards:\n  - id: q\n    q: Which space?\n"
        "    a: Quadrangular space\n    note: With the posterior circumflex humeral vessels.\n",
    )
    ok(run_sqlite("import", str(path)))
    out = ok(run_sqlite("quiz", "--mode", mode, "--count", "1", "--seed", "1", input=answer + "\n"))
    assert out.count("Note: With the posterior circumflex humeral vessels.") == 1
    assert out.index("Note:") > out.index("Which space?")


def test_the_anki_export_shows_the_note_after_the_answer(run_sqlite: Cli, tmp_path: Path) -> None:
    from test_anki_export import anki_collection, import_package, note_by_key

    ok(run_sqlite("import", str(CLEAN)))
    package = tmp_path / "shoulder.apkg"
    ok(run_sqlite("export", "-o", str(package)))
    col = anki_collection(tmp_path / "anki")
    try:
        import_package(col, package)
        fact = note_by_key(col, "shoulder/deltoid/innervation")
        assert fact["Answer"].endswith(
            '<div class="fc-extra">Some texts add C4; most give C5–C6.</div>'
        )
        basic = note_by_key(col, "shoulder/quadrangular-space")
        assert basic["Extra"] == "With the posterior circumflex humeral vessels."
    finally:
        col.close()


# --- heads and parts: part_of ------------------------------------------------------------

_WHOLE_AND_HEAD = """deck: A
id: a
structures:
  - name: Triceps brachii
    id: triceps-brachii
    innervation: Radial nerve (C6–C8)
  - name: Triceps brachii (long head)
    id: triceps-long-head
    part_of: {whole}
    innervation: Radial nerve (C6–C8)
"""


def test_part_of_names_the_whole_and_goes_into_the_notes_meta(tmp_path: Path) -> None:
    from flashcards.authoring.decks import load_deck_set

    path = write(tmp_path / "a.yaml", _WHOLE_AND_HEAD.format(whole="triceps-brachii"))
    decks, problems = load_deck_set([path])
    assert problems == []
    whole, head = decks[0].structures
    assert (whole.part_of, head.part_of) == (None, "triceps-brachii")
    meta = {n.key: n.meta for n in notes_for_deck(decks[0])}
    assert meta["a/triceps-long-head/innervation"]["part_of"] == "triceps-brachii"
    # Absent where not given: the notes of every other structure stay as they were.
    assert "part_of" not in meta["a/triceps-brachii/innervation"]


def test_part_of_an_unknown_id_warns_with_a_suggestion(tmp_path: Path, run: Cli) -> None:
    path = write(tmp_path / "a.yaml", _WHOLE_AND_HEAD.format(whole="triceps-brachi"))
    result = run("lint", str(path))
    assert result.exit_code == 0, result.output  # the whole may be in a file not checked
    assert (
        f"{path}:7: warning: part_of 'triceps-brachi' is no structure id of the decks "
        "checked (did you mean 'triceps-brachii'?)"
    ) in result.output
    assert run("lint", "--strict", str(path)).exit_code == 1


def test_part_of_in_a_circle_or_of_itself_is_an_error(tmp_path: Path, run: Cli) -> None:
    itself = write(tmp_path / "self.yaml", _WHOLE_AND_HEAD.format(whole="triceps-long-head"))
    result = run("lint", str(itself))
    assert result.exit_code == 1
    assert "part_of 'triceps-long-head' is the structure itself" in result.output
    circle = _WHOLE_AND_HEAD.format(whole="triceps-brachii").replace(
        "    id: triceps-brachii\n", "    id: triceps-brachii\n    part_of: triceps-long-head\n"
    )
    path = write(tmp_path / "circle.yaml", circle)
    result = run("lint", str(path))
    assert result.exit_code == 1
    assert (
        "part_of goes round in a circle: triceps-brachii -> triceps-long-head -> triceps-brachii"
        in result.output
    )
    assert "1 error" not in result.output  # each structure of the circle is named
    result = run("import", str(path))
    assert result.exit_code == 1 and "Traceback" not in result.output
