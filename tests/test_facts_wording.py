"""Every generated question reads as a person would write it: each fact field, with one
value and with a list, for muscles and for the other kinds of structure."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import write

from flashcards.authoring.deckfile import FACT_FIELDS, Fact, Structure, load_deck
from flashcards.authoring.facts import notes_for_deck, question_for
from flashcards.authoring.phrasing import (
    is_plural_name,
    name_in_sentence,
    phrase_with_article,
    plural_verb_phrase,
    singular_verb_phrase,
    starts_with_verb,
    structure_class,
)


def structure(name: str, kind: str | None) -> Structure:
    return Structure(
        id="x", name=name, kind=kind, aliases=(), region=None, image=None, facts=(), tags=(), line=1
    )


def ask(name: str, kind: str | None, field: str, items: int) -> str:
    values = tuple(f"value {n}" for n in range(items))
    return question_for(structure(name, kind), Fact(field, values, items > 1, 1))


# (field, one value, a list of values) for a muscle.
MUSCLE = [
    ("origin", "Where does sartorius originate?", "Where does sartorius originate?"),
    ("insertion", "Where does sartorius insert?", "Where does sartorius insert?"),
    ("innervation", "What innervates sartorius?", "What innervates sartorius?"),
    ("action", "What is the action of sartorius?", "What are the actions of sartorius?"),
    (
        "blood_supply",
        "What is the blood supply of sartorius?",
        "What is the blood supply of sartorius?",
    ),
    # Several synergists or antagonists: "name any one" by default (any one is right).
    ("antagonist", "What is an antagonist of sartorius?", "Name an antagonist of sartorius."),
    ("synergist", "What is a synergist of sartorius?", "Name a synergist of sartorius."),
    (
        "clinical",
        "What is the clinical relevance of sartorius?",
        "What is the clinical relevance of sartorius?",
    ),
]


@pytest.mark.parametrize(("field", "one", "several"), MUSCLE, ids=[m[0] for m in MUSCLE])
def test_muscle_question_for_every_field_with_one_value_and_with_a_list(
    field: str, one: str, several: str
) -> None:
    assert ask("Sartorius", "muscle", field, 1) == one
    assert ask("Sartorius", "muscle", field, 3) == several


@pytest.mark.parametrize(
    ("field", "ask_mode", "question"),
    [
        ("synergist", "all", "What are the synergists of sartorius?"),
        ("antagonist", "all", "What are the antagonists of sartorius?"),
        ("origin", "any", "Name an origin of sartorius."),
        ("insertion", "any", "Name an insertion of sartorius."),
        ("innervation", "any", "Name a nerve that supplies sartorius."),
        ("action", "any", "Name an action of sartorius."),
        ("blood_supply", "any", "Name an artery that supplies sartorius."),
    ],
)
def test_a_list_asked_whole_or_by_any_one_item_says_so(
    field: str, ask_mode: str, question: str
) -> None:
    fact = Fact(field, ("value 1", "value 2"), True, 1, ask=ask_mode)
    assert question_for(structure("Sartorius", "muscle"), fact) == question


def test_any_one_item_reads_right_for_nerves_arteries_and_joints() -> None:
    def name_one(name: str, kind: str, field: str) -> str:
        return question_for(structure(name, kind), Fact(field, ("a", "b"), True, 1, ask="any"))

    assert name_one("Femoral nerve", "nerve", "innervation") == (
        "Name a structure that the femoral nerve supplies."
    )
    assert name_one("Femoral artery", "artery", "blood_supply") == (
        "Name a structure that the femoral artery supplies."
    )
    assert name_one("Hip joint", "joint", "action") == (
        "Name a movement that occurs at the hip joint."
    )


def test_the_muscle_table_covers_every_canonical_field() -> None:
    assert [m[0] for m in MUSCLE] == list(FACT_FIELDS)


# (kind, name, field, one value, a list) where the field reads differently for the kind.
OTHER_KINDS = [
    ("nerve", "Femoral nerve", "origin", "Where does the femoral nerve arise?", None),
    ("nerve", "Femoral nerve", "insertion", "Where does the femoral nerve end?", None),
    ("nerve", "Femoral nerve", "innervation", "What does the femoral nerve innervate?", None),
    (
        "nerve",
        "Femoral nerve",
        "action",
        "What is the function of the femoral nerve?",
        "What are the functions of the femoral nerve?",
    ),
    (
        "nerve",
        "Femoral nerve",
        "blood_supply",
        "What is the blood supply of the femoral nerve?",
        None,
    ),
    (
        "nerve",
        "Femoral nerve",
        "clinical",
        "What is the clinical relevance of the femoral nerve?",
        "What is the clinical relevance of the femoral nerve?",
    ),
    ("artery", "Femoral artery", "origin", "Where does the femoral artery arise?", None),
    ("artery", "Femoral artery", "insertion", "Where does the femoral artery end?", None),
    ("artery", "Femoral artery", "blood_supply", "What does the femoral artery supply?", None),
    ("artery", "Femoral artery", "innervation", "What innervates the femoral artery?", None),
    (
        "vein",
        "Great saphenous vein",
        "origin",
        "Where does the great saphenous vein begin?",
        None,
    ),
    (
        "vein",
        "Great saphenous vein",
        "insertion",
        "Where does the great saphenous vein drain?",
        None,
    ),
    (
        "vein",
        "Great saphenous vein",
        "blood_supply",
        "What does the great saphenous vein drain?",
        None,
    ),
    (
        "ligament",
        "Anterior cruciate ligament",
        "origin",
        "Where does the anterior cruciate ligament arise?",
        None,
    ),
    (
        "ligament",
        "Anterior cruciate ligament",
        "insertion",
        "Where does the anterior cruciate ligament insert?",
        None,
    ),
    (
        "ligament",
        "Anterior cruciate ligament",
        "action",
        "What is the function of the anterior cruciate ligament?",
        "What are the functions of the anterior cruciate ligament?",
    ),
    ("bone", "Scaphoid", "blood_supply", "What is the blood supply of the scaphoid?", None),
    (
        "bone",
        "Scaphoid",
        "clinical",
        "What is the clinical relevance of the scaphoid?",
        "What is the clinical relevance of the scaphoid?",
    ),
    (
        "bone",
        "Scaphoid",
        "origin",
        "What is the origin of the scaphoid?",
        "What are the origins of the scaphoid?",
    ),
    ("bone", "Scaphoid", "innervation", "What innervates the scaphoid?", None),
    (
        "joint",
        "Knee joint",
        "action",
        "What movement occurs at the knee joint?",
        "What movements occur at the knee joint?",
    ),
    ("tendon", "Calcaneal tendon", "insertion", "Where does the calcaneal tendon insert?", None),
    ("muscle group", "Iliopsoas", "insertion", "Where does the iliopsoas insert?", None),
    ("muscle group", "Hamstrings", "origin", "Where do the hamstrings originate?", None),
    (
        "muscle group",
        "Hamstrings",
        "action",
        "What is the action of the hamstrings?",
        "What are the actions of the hamstrings?",
    ),
    ("muscle", "Gemelli", "innervation", "What innervates the gemelli?", None),
    (
        "fascia",
        "Thoracolumbar fascia",
        "clinical",
        "What is the clinical relevance of the thoracolumbar fascia?",
        "What is the clinical relevance of the thoracolumbar fascia?",
    ),
    (
        "fascia",
        "Thoracolumbar fascia",
        "origin",
        "What is the origin of the thoracolumbar fascia?",
        "What are the origins of the thoracolumbar fascia?",
    ),
]


@pytest.mark.parametrize(
    ("kind", "name", "field", "one", "several"),
    OTHER_KINDS,
    ids=[f"{k}-{f}" for k, _, f, _, _ in OTHER_KINDS],
)
def test_other_kinds_of_structure_are_asked_in_their_own_words(
    kind: str, name: str, field: str, one: str, several: str | None
) -> None:
    assert ask(name, kind, field, 1) == one
    assert ask(name, kind, field, 2) == (several or one)


def test_a_structure_without_kind_is_read_from_its_name() -> None:
    assert ask("Femoral nerve", None, "innervation", 1) == "What does the femoral nerve innervate?"
    assert ask("Lumbar arteries", None, "origin", 1) == "Where do the lumbar arteries arise?"
    assert ask("Gracilis", None, "action", 1) == "What is the action of gracilis?"


def test_eponyms_abbreviations_and_capitals_are_kept_mid_sentence() -> None:
    assert ask("Scarpa's fascia", "fascia", "clinical", 1) == (
        "What is the clinical relevance of Scarpa's fascia?"
    )
    assert ask("TFL", "muscle", "insertion", 1) == "Where does TFL insert?"
    assert ask("Psoas major", "muscle", "insertion", 1) == "Where does psoas major insert?"


@pytest.mark.parametrize(
    ("name", "plural"),
    [
        ("Hamstrings", True),
        ("Gemelli", True),
        ("Rhomboids", True),
        ("Lumbar arteries", True),
        ("Dorsal interossei", True),
        ("Biceps brachii", False),
        ("Triceps", False),
        ("Psoas major", False),
        ("Teres major", False),
        ("Iliopsoas", False),
        ("Gracilis", False),
        ("Erector spinae", False),
        ("Quadriceps femoris", False),
        ("Pes anserinus", False),
    ],
)
def test_plural_names_are_told_from_latin_singulars(name: str, plural: bool) -> None:
    assert is_plural_name(name) is plural


def test_kind_words_map_to_wording_classes() -> None:
    assert structure_class("Muscle group", "X") == "muscle group"
    assert structure_class("skeletal muscle", "X") == "muscle"
    assert structure_class("cranial nerve", "X") == "nerve"
    assert structure_class("organ", "X") == "other"
    assert name_in_sentence("Femoral nerve", "nerve") == "the femoral nerve"
    assert name_in_sentence("Sartorius", "muscle") == "sartorius"


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("Pes anserinus", "the pes anserinus"),
        ("Anterior rami of L1–L3", "the anterior rami of L1–L3"),
        ("L2–L4", "L2–L4"),
        ("Gerdy's tubercle", "Gerdy's tubercle"),
        ("ASIS", "the ASIS"),
        ("The iliac crest", "the iliac crest"),
        ("Both heads of the femur", "both heads of the femur"),
    ],
)
def test_values_get_an_article_only_where_english_wants_one(phrase: str, expected: str) -> None:
    assert phrase_with_article(phrase) == expected


@pytest.mark.parametrize(
    ("action", "verb", "singular", "plural"),
    [
        ("Flexes the hip", True, "flexes the hip", "flex the hip"),
        ("Flex the hip", True, "flexes the hip", "flex the hip"),
        (
            "Laterally rotates the thigh",
            True,
            "laterally rotates the thigh",
            "laterally rotate the thigh",
        ),
        (
            "Flexes, abducts and laterally rotates the hip",
            True,
            "flexes, abducts and laterally rotates the hip",
            "flex, abduct and laterally rotate the hip",
        ),
        ("Compresses the abdomen", True, "compresses the abdomen", "compress the abdomen"),
        ("Steadies the knee", True, "steadies the knee", "steady the knee"),
        ("Hip flexion", False, "hip flexion", "hip flexion"),
        (
            "Lateral flexion of the lumbar spine",
            False,
            "lateral flexion of the lumbar spine",
            "lateral flexion of the lumbar spine",
        ),
    ],
)
def test_actions_agree_with_one_or_several_muscles(
    action: str, verb: bool, singular: str, plural: str
) -> None:
    assert starts_with_verb(action) is verb
    assert singular_verb_phrase(action) == singular
    assert plural_verb_phrase(action) == plural


def test_list_valued_facts_are_answered_as_their_list_one_item_a_line(tmp_path: Path) -> None:
    text = (
        "deck: X\nstructures:\n  - name: Psoas major\n    kind: muscle\n"
        "    innervation: [L1, L2, L3]\n    action: [Flexes the hip, Flexes the trunk]\n"
        "    origin: [Transverse processes of L1–L5]\n"
    )
    deck, problems = load_deck(write(tmp_path / "x.yaml", text))
    assert deck is not None, problems
    notes = {n.field: n for n in notes_for_deck(deck)}
    assert notes["innervation"].back == "L1\nL2\nL3"
    assert notes["innervation"].meta["items"] == ["L1", "L2", "L3"]
    assert notes["action"].front == "What are the actions of psoas major?"
    # A list of one reads as one value.
    assert notes["origin"].front == "Where does psoas major originate?"
    assert notes["origin"].back == "Transverse processes of L1–L5"


@pytest.mark.parametrize(
    ("name", "question"),
    [
        ("Lumbricals of the foot", "What innervates the lumbricals of the foot?"),
        ("Dorsal interossei of the hand", "What innervates the dorsal interossei of the hand?"),
        ("Flexor digitorum brevis", "What innervates flexor digitorum brevis?"),
    ],
)
def test_a_plural_name_qualified_by_of_is_asked_in_the_plural(name: str, question: str) -> None:
    from flashcards.authoring.phrasing import is_plural_name, name_in_sentence

    assert is_plural_name(name) == question.startswith("What innervates the ")
    assert f"What innervates {name_in_sentence(name, 'muscle')}?" == question


@pytest.mark.parametrize(
    ("name", "question"),
    [
        ("First lumbrical of the foot", "Where does the first lumbrical of the foot originate?"),
        (
            "Fourth dorsal interosseous of the hand",
            "Where does the fourth dorsal interosseous of the hand originate?",
        ),
        ("Long head of biceps femoris", "Where does the long head of biceps femoris originate?"),
        ("Descending part of trapezius", "Where does the descending part of trapezius originate?"),
        ("Superior belly of omohyoid", "Where does the superior belly of omohyoid originate?"),
        ("Anterior fibres of deltoid", "Where do the anterior fibres of deltoid originate?"),
        # A head named in brackets is part of the name, read as it is.
        ("Triceps brachii (long head)", "Where does triceps brachii (long head) originate?"),
        ("Digastric (anterior belly)", "Where does digastric (anterior belly) originate?"),
        # "of" after another noun is no head or part: the muscle's own name.
        ("Levator labii superioris", "Where does levator labii superioris originate?"),
        ("Flexor digitorum brevis", "Where does flexor digitorum brevis originate?"),
    ],
)
def test_a_head_part_or_numbered_muscle_named_with_of_takes_the(
    tmp_path: Path, name: str, question: str
) -> None:
    text = f"deck: A\nstructures:\n  - name: {name}\n    kind: muscle\n    origin: Somewhere\n"
    deck, problems = load_deck(write(tmp_path / "x.yaml", text))
    assert deck is not None, problems
    (note,) = notes_for_deck(deck)
    assert note.front == question
