"""Reverse cards ("Which muscle inserts on the pes anserinus?"): made where a deck asks,
only where the answer is unambiguous across the deck set, asking for every structure that
shares a value (or skipped), with keys that survive an instructor's edits; `lint` says
which."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import Cli, write

from flashcards.authoring.cues import reverse_question, value_words
from flashcards.authoring.decks import load_deck_set
from flashcards.authoring.facts import NoteSpec
from flashcards.authoring.reverse import MAX_SHARED, plan_reverse_cards


def deck_file(
    folder: Path, name: str, deck_id: str, body: str, reverse: str = "[insertion]"
) -> Path:
    head = f"deck: Anatomy::{deck_id}\nid: {deck_id}\nreverse: {reverse}\nstructures:\n"
    return write(folder / name, head + body)


def muscle(name: str, **fields: str) -> str:
    lines = [f"  - name: {name}", "    kind: muscle"]
    lines += [f"    {key}: {value}" for key, value in fields.items()]
    return "\n".join(lines) + "\n"


def plan_of(*paths: Path) -> tuple[dict[str, NoteSpec], list[str]]:
    decks, problems = load_deck_set(list(paths))
    assert not [p for p in problems if p.severity == "error"], problems
    plan = plan_reverse_cards(decks)
    notes = {n.key: n for deck_notes in plan.notes.values() for n in deck_notes}
    return notes, [str(p) for p in problems if p.code == "reverse"]


def test_a_value_no_other_structure_has_makes_one_reverse_card(tmp_path: Path) -> None:
    path = deck_file(
        tmp_path,
        "thigh.yaml",
        "thigh",
        muscle("Gracilis", insertion="Pes anserinus", origin="Body of the pubis").replace(
            "kind: muscle", "kind: muscle\n    aliases: [gracilis muscle]"
        )
        + muscle("Pectineus", insertion="Pectineal line of the femur"),
    )
    notes, warnings = plan_of(path)
    assert warnings == []
    note = notes["thigh/gracilis/insertion/reverse"]
    assert (note.kind, note.front, note.back) == (
        "reverse",
        "Which muscle inserts on the pes anserinus?",
        "Gracilis",
    )
    assert note.field == "insertion" and note.structure_key == "gracilis"
    assert note.extra == "Also called: gracilis muscle"
    assert note.meta["items"] == ["Gracilis"] and note.meta["direction"] == "reverse"
    assert "reverse" in note.tags
    # Only the fields the deck asks for.
    assert not any(key.startswith("thigh/gracilis/origin") for key in notes)
    assert notes["thigh/pectineus/insertion/reverse"].front == (
        "Which muscle inserts on the pectineal line of the femur?"
    )


def test_a_shared_value_makes_one_card_asking_for_all_without_a_warning(tmp_path: Path) -> None:
    path = deck_file(
        tmp_path,
        "thigh.yaml",
        "thigh",
        muscle("Sartorius", insertion="Pes anserinus (upper medial tibia)")
        + muscle("Gracilis", insertion="pes anserinus")
        + muscle("Semitendinosus", insertion="The pes anserinus"),
    )
    notes, warnings = plan_of(path)
    assert list(notes) == ["thigh/reverse/insertion/pes-anserinus"]
    note = notes["thigh/reverse/insertion/pes-anserinus"]
    assert note.front == "Which muscles insert on the pes anserinus?"
    assert note.back == "Gracilis\nSartorius\nSemitendinosus"
    assert warnings == []  # the card asks for all three: nothing ambiguous to warn about


def test_two_structures_sharing_a_value_are_asked_as_both(tmp_path: Path) -> None:
    path = deck_file(
        tmp_path,
        "hip.yaml",
        "hip",
        muscle("Psoas major", insertion="Lesser trochanter of the femur")
        + muscle("Iliacus", insertion="Lesser trochanter"),
    )
    notes, warnings = plan_of(path)
    # "Lesser trochanter" is in "Lesser trochanter of the femur": the same place.
    assert [n.front for n in notes.values()] == ["Which muscles insert on the lesser trochanter?"]
    assert warnings == []


def test_too_many_structures_sharing_a_value_make_no_card_and_lint_names_them(
    tmp_path: Path,
) -> None:
    names = ["Sartorius", "Rectus femoris", "Vastus lateralis", "Vastus medialis", "Pectineus"]
    assert len(names) > MAX_SHARED
    body = "".join(muscle(n, innervation="Femoral nerve (L2–L4)") for n in names)
    path = deck_file(tmp_path, "thigh.yaml", "thigh", body, reverse="[innervation]")
    notes, warnings = plan_of(path)
    assert notes == {}
    assert warnings == [  # once for the card, not once per muscle
        f"{path}:7: warning: no reverse card for the innervation 'Femoral nerve (L2–L4)': "
        "5 muscles share it (Pectineus, Rectus femoris, Sartorius, Vastus lateralis, "
        f"Vastus medialis), more than the {MAX_SHARED} one card may ask for"
    ]


def test_ambiguity_is_checked_across_every_file_given(tmp_path: Path) -> None:
    first = deck_file(
        tmp_path, "a.yaml", "medial-thigh", muscle("Gracilis", insertion="Pes anserinus")
    )
    second = deck_file(
        tmp_path, "b.yaml", "anterior-thigh", muscle("Sartorius", insertion="Pes anserinus")
    )
    notes_alone, _ = plan_of(first)
    assert list(notes_alone) == ["medial-thigh/gracilis/insertion/reverse"]
    notes, _ = plan_of(first, second)
    # One card, in the deck whose id comes first, never one per deck.
    assert list(notes) == ["anterior-thigh/reverse/insertion/pes-anserinus"]
    assert notes["anterior-thigh/reverse/insertion/pes-anserinus"].back == "Gracilis\nSartorius"


def test_a_structure_of_a_deck_that_does_not_ask_still_counts_as_an_answer(tmp_path: Path) -> None:
    asking = deck_file(tmp_path, "a.yaml", "a", muscle("Gracilis", insertion="Pes anserinus"))
    silent = deck_file(
        tmp_path, "b.yaml", "b", muscle("Sartorius", insertion="Pes anserinus"), reverse="[]"
    )
    notes, _ = plan_of(asking, silent)
    assert [(k, n.back) for k, n in notes.items()] == [
        ("a/reverse/insertion/pes-anserinus", "Gracilis\nSartorius")
    ]


def test_only_structures_of_one_family_answer_a_question(tmp_path: Path) -> None:
    body = muscle("Gracilis", insertion="Pes anserinus") + (
        "  - name: Tibial collateral ligament\n    kind: ligament\n    insertion: Pes anserinus\n"
    )
    notes, warnings = plan_of(deck_file(tmp_path, "x.yaml", "x", body))
    assert {n.front: n.back for n in notes.values()} == {
        "Which muscle inserts on the pes anserinus?": "Gracilis",
        "Which ligament inserts on the pes anserinus?": "Tibial collateral ligament",
    }
    assert warnings == []


def test_structure_reverse_list_replaces_the_decks(tmp_path: Path) -> None:
    body = (
        muscle("Gracilis", insertion="Pes anserinus", origin="Body of the pubis")
        + "    reverse: [origin]\n"
        + muscle("Pectineus", insertion="Pectineal line of the femur")
        + "    reverse: []\n"
    )
    notes, _ = plan_of(deck_file(tmp_path, "x.yaml", "x", body))
    assert list(notes) == ["x/gracilis/origin/reverse"]
    assert notes["x/gracilis/origin/reverse"].front == (
        "Which muscle originates from the body of the pubis?"
    )


def test_list_items_each_make_a_card_keyed_by_the_item(tmp_path: Path) -> None:
    body = muscle("Iliacus", origin="[Iliac fossa, Ala of the sacrum]")
    notes, _ = plan_of(deck_file(tmp_path, "x.yaml", "x", body, reverse="[origin]"))
    assert {k: n.front for k, n in notes.items()} == {
        "x/iliacus/origin/reverse/iliac-fossa": "Which muscle originates from the iliac fossa?",
        "x/iliacus/origin/reverse/ala-of-the-sacrum": (
            "Which muscle originates from the ala of the sacrum?"
        ),
    }


def test_keys_survive_the_edits_instructors_make(tmp_path: Path) -> None:
    def keys(body: str) -> list[str]:
        return list(plan_of(deck_file(tmp_path, "x.yaml", "x", body))[0])

    # One structure, one value: a typo fix keeps the card (and every review of it).
    assert keys(muscle("Gracilis", insertion="Pes anserinis")) == keys(
        muscle("Gracilis", insertion="Pes anserinus")
    )
    # A shared card is keyed by its value: case, articles and asides may change.
    shared = muscle("Gracilis", insertion="Pes anserinus") + muscle(
        "Sartorius", insertion="Pes anserinus"
    )
    edited = muscle("Gracilis", insertion="the pes anserinus (medial tibia)") + muscle(
        "Sartorius", insertion="PES ANSERINUS"
    )
    assert keys(shared) == keys(edited) == ["x/reverse/insertion/pes-anserinus"]


@pytest.mark.parametrize(
    ("action", "several", "question"),
    [
        ("Flexes the knee", False, "Which muscle flexes the knee?"),
        ("Flexes the knee", True, "Which muscles flex the knee?"),
        ("Laterally rotates the thigh", True, "Which muscles laterally rotate the thigh?"),
        ("Hip flexion", False, "Which muscle produces hip flexion?"),
        (
            "Unilateral: lateral flexion of the spine",
            True,
            "Which muscles produce lateral flexion of the spine?",
        ),
        ("Through the iliotibial tract, the knee", False, None),
        ("May abduct the ulna during pronation", False, None),
    ],
)
def test_reverse_questions_on_actions_read_as_english(
    action: str, several: bool, question: str | None
) -> None:
    assert reverse_question("action", "muscle", action, several) == question


@pytest.mark.parametrize(
    ("field", "family", "value", "question"),
    [
        ("origin", "muscle", "Iliac fossa", "Which muscle originates from the iliac fossa?"),
        ("origin", "nerve", "Lumbar plexus", "Which nerve arises from the lumbar plexus?"),
        (
            "innervation",
            "muscle",
            "Femoral nerve (L2–L3)",
            "Which muscle is innervated by the femoral nerve?",
        ),
        ("innervation", "nerve", "Sartorius", "Which nerve innervates sartorius?"),
        (
            "blood_supply",
            "muscle",
            "Lumbar arteries",
            "Which muscle is supplied by the lumbar arteries?",
        ),
        ("blood_supply", "artery", "Gracilis", "Which artery supplies gracilis?"),
        ("insertion", "muscle", "Gerdy's tubercle", "Which muscle inserts on Gerdy's tubercle?"),
        ("insertion", "artery", "Popliteal fossa", "Which artery ends in the popliteal fossa?"),
    ],
)
def test_reverse_questions_for_every_reversible_field(
    field: str, family: str, value: str, question: str
) -> None:
    assert reverse_question(field, family, value, False) == question


def test_a_plural_name_is_asked_in_the_plural(tmp_path: Path) -> None:
    body = muscle("Rotatores", insertion="Spinous process two levels above")
    notes, _ = plan_of(deck_file(tmp_path, "x.yaml", "x", body))
    assert [n.front for n in notes.values()] == [
        "Which muscles insert on the spinous process two levels above?"
    ]


def test_values_that_make_no_cue_are_skipped_and_lint_says_why(tmp_path: Path) -> None:
    long = "The superficial part arises from the sides of the vertebral bodies and discs below"
    body = muscle("Psoas major", origin=long, action="Through the fascia, the trunk")
    path = deck_file(tmp_path, "x.yaml", "x", body, reverse="[origin, action]")
    notes, warnings = plan_of(path)
    assert notes == {}
    assert warnings == [
        f"{path}:7: warning: no reverse card for the origin '{long}': too long for a question "
        "(at most 12 words; split it into a list)",
        f"{path}:8: warning: no reverse card for the action 'Through the fascia, the trunk': "
        "an action must start with a verb ('Flexes the hip') or name a movement "
        "('Hip flexion')",
    ]


def test_an_answer_must_say_at_least_what_the_question_asks(tmp_path: Path) -> None:
    body = (
        muscle("Extensor carpi radialis brevis", action="Extends and abducts the hand at the wrist")
        + muscle("Flexor carpi radialis", action="Abducts the hand at the wrist")
        + muscle("Brachioradialis", action="Flexes the forearm at the elbow in mid-pronation")
        + muscle("Pronator teres", action="Pronates the forearm")
    )
    notes, _ = plan_of(deck_file(tmp_path, "x.yaml", "x", body, reverse="[action]"))
    # Asked in the wording the deck set shares, answered by all that do at least that.
    assert {n.front: n.back for n in notes.values()} == {
        "Which muscles abduct the hand at the wrist?": (
            "Extensor carpi radialis brevis\nFlexor carpi radialis"
        ),
        "Which muscle flexes the forearm at the elbow in mid-pronation?": "Brachioradialis",
        "Which muscle pronates the forearm?": "Pronator teres",
    }


def test_values_compare_by_meaning_not_by_spelling() -> None:
    def same(a: str, b: str) -> bool:
        return set(value_words(a)) == set(value_words(b))

    assert same("Anterior rami of L1–L3", "anterior rami of L1, L2, L3")
    assert same("Flexion of the hip", "Flexes the hip")
    assert same("Hip flexion", "Flexes the hip")
    assert same("Femoral n. (L2-L3)", "Femoral nerve")
    assert not same("Superior gluteal nerve", "Inferior gluteal nerve")


@pytest.mark.parametrize(
    ("reverse", "message"),
    [
        (
            "[clinical]",
            "'clinical' cannot be asked in reverse; reverse works for origin, "
            "insertion, innervation, action, blood_supply",
        ),
        (
            "[insertoin]",
            "unknown field 'insertoin' in reverse (did you mean 'insertion'?); "
            "reverse works for origin, insertion, innervation, action, blood_supply",
        ),
        ("yes", "reverse takes a list of fields, like reverse: [insertion, innervation]"),
    ],
)
def test_lint_rejects_a_reverse_list_it_cannot_honour(
    tmp_path: Path, reverse: str, message: str
) -> None:
    path = deck_file(tmp_path, "x.yaml", "x", muscle("Gracilis", insertion="Pes"), reverse=reverse)
    _, problems = load_deck_set([path])
    assert [str(p) for p in problems] == [f"{path}:3: {message}"]


def test_a_structure_asking_for_a_field_it_lacks_is_a_warning(tmp_path: Path) -> None:
    body = muscle("Gracilis", insertion="Pes anserinus") + "    reverse: [origin]\n"
    path = deck_file(tmp_path, "x.yaml", "x", body)
    _, problems = load_deck_set([path])
    assert [str(p) for p in problems] == [
        f"{path}:8: warning: reverse asks for 'origin' but the structure has none"
    ]


def test_lint_passes_strict_on_a_shared_card_and_warns_once_on_a_skipped_one(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    shared = deck_file(
        tmp_path,
        "thigh.yaml",
        "thigh",
        muscle("Sartorius", insertion="Pes anserinus")
        + muscle("Gracilis", insertion="Pes anserinus")
        + muscle("Semitendinosus", insertion="Pes anserinus"),
    )
    result = run_sqlite("lint", "--strict", str(shared))
    assert result.exit_code == 0, result.output
    assert result.stdout == "" and "0 error(s), 0 warning(s)" in result.stderr
    names = ["Sartorius", "Rectus femoris", "Vastus lateralis", "Vastus medialis", "Pectineus"]
    body = "".join(muscle(n, innervation="Femoral nerve") for n in names)
    skipped = deck_file(tmp_path, "front.yaml", "front", body, reverse="[innervation]")
    result = run_sqlite("lint", str(skipped))
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        f"{skipped}:7: warning: no reverse card for the innervation 'Femoral nerve': 5 muscles "
        "share it (Pectineus, Rectus femoris, Sartorius, Vastus lateralis, Vastus medialis), "
        f"more than the {MAX_SHARED} one card may ask for"
    ]
    assert "0 error(s), 1 warning(s)" in result.stderr
    assert run_sqlite("lint", "--strict", str(skipped)).exit_code == 1
