"""Deck files: parsing into dataclasses, and every problem reported with its line."""

from __future__ import annotations

import hashlib
import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.authoring.deckfile import (
    ClinicalCard,
    DeckFile,
    Fact,
    HandCard,
    Problem,
    Structure,
    cloze_ordinals,
    load_deck,
    load_paths,
    slugify,
)
from flashcards.errors import FlashcardsError

FIXTURES = Path(__file__).parent / "fixtures" / "decks"

# A valid deck header (two lines), so bodies below start on line 3.
HEAD = "deck: Anatomy::Test\nid: test\n"


def write(folder: Path, text: str, name: str = "deck.yaml") -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def report(problems: list[Problem]) -> list[str]:
    return [str(problem) for problem in problems]


def errors(problems: list[Problem]) -> list[Problem]:
    return [p for p in problems if p.severity == "error"]


# --- a good file -----------------------------------------------------------------------


def test_good_fixture_parses_to_the_exact_dataclasses() -> None:
    path = FIXTURES / "good" / "hip_flexors.yaml"
    deck, problems = load_deck(path)

    assert problems == []
    assert deck == DeckFile(
        path=path,
        id="hip-flexors",
        name="Anatomy::Lower limb::Hip flexors",
        description="Muscles that flex the hip.",
        tags=("anatomy", "lower-limb"),
        source="Standring, Gray's Anatomy, 42nd ed.",
        html=False,
        structures=(
            Structure(
                id="psoas-major",
                name="Psoas major",
                kind="muscle",
                aliases=("psoas",),
                region="lumbar",
                image=(FIXTURES / "good" / "media" / "psoas.png").resolve(),
                facts=(
                    Fact(
                        "origin",
                        ("Bodies and transverse processes of T12-L5 and the discs between them",),
                        False,
                        14,
                    ),
                    Fact(
                        "insertion",
                        ("Lesser trochanter of the femur (with iliacus, as iliopsoas)",),
                        False,
                        15,
                    ),
                    Fact("innervation", ("Anterior rami of L1-L3",), False, 16),
                    Fact(
                        "action", ("Flexes the hip", "Laterally flexes the lumbar spine"), True, 17
                    ),
                    Fact("blood_supply", ("Lumbar arteries",), False, 20),
                ),
                tags=(),
                line=9,
            ),
            Structure(
                id="iliacus",
                name="Iliacus",
                kind="muscle",
                aliases=(),
                region="iliac fossa",
                image=None,
                facts=(
                    Fact("origin", ("Iliac fossa",), False, 26),
                    Fact("insertion", ("Lesser trochanter of the femur",), False, 27),
                    Fact("innervation", ("Femoral nerve (L2-L3)",), False, 28),
                    Fact("action", ("Flexes the hip",), False, 29),
                    Fact("synergist", ("Psoas major", "Rectus femoris"), True, 30),
                ),
                tags=("iliopsoas",),
                line=23,
            ),
        ),
        cards=(
            HandCard(
                id="iliopsoas-parts",
                id_from_text=False,
                question="Which two muscles form the iliopsoas?",
                answer="Psoas major and iliacus",
                cloze=None,
                extra=None,
                tags=(),
                image=None,
                line=34,
            ),
            HandCard(
                id="lumbar-plexus",
                id_from_text=False,
                question=None,
                answer=None,
                cloze="The lumbar plexus lies {{c1::within the substance of psoas major}}.",
                extra="Its branches emerge at the lateral border, anterior surface"
                " and medial border.",
                tags=(),
                image=None,
                line=38,
            ),
        ),
    )


def test_defaults_come_from_the_file_name_and_the_structure_name(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        deck: "Anatomy :: Upper limb "
        structures:
          - name: Flexor digitorum profundus
            origin: Anterior ulna
        """,
        name="Forearm Flexors.yml",
    )
    deck, problems = load_deck(path)

    assert problems == []
    assert deck is not None
    assert (deck.id, deck.name, deck.html, deck.tags) == (
        "forearm-flexors",
        "Anatomy::Upper limb",
        False,
        (),
    )
    assert deck.structures[0].id == "flexor-digitorum-profundus"
    assert deck.structures[0].facts == (Fact("origin", ("Anterior ulna",), False, 4),)


@pytest.mark.parametrize(
    ("written", "expected"), [("true", True), ("yes", True), ("No", False), ("false", False)]
)
def test_html_accepts_true_false_yes_no(tmp_path: Path, written: str, expected: bool) -> None:
    path = write(tmp_path, f"{HEAD}html: {written}\ncards:\n  - id: c\n    q: x\n    a: y\n")
    deck, problems = load_deck(path)

    assert problems == []
    assert deck is not None
    assert deck.html is expected


def test_yaml_traps_keep_their_literal_text(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        deck: Anatomy::Traps
        id: traps
        structures:
          - name: Norway
            kind: On
            aliases: [yes, 010, 1e3]
            origin: No
            insertion: 1.10
            action: 12:30
            clinical: "  spaced  "
        cards:
          - id: "010"
            q: Off
            a: 0x1F
        """,
    )
    deck, problems = load_deck(path)

    # Kept as written, and each value YAML reads as a number, a yes/no or a date is
    # pointed out (wrong-type); so is the kind no question is worded for, and the
    # plain-text clinical fact without a cue.
    assert [(p.line, p.code) for p in problems] == [
        (5, "wrong-type"),
        (5, "unknown-kind"),
        (6, "wrong-type"),
        (6, "wrong-type"),
        (7, "wrong-type"),
        (8, "wrong-type"),
        (9, "wrong-type"),
        (10, "vague-cue"),
        (13, "wrong-type"),
        (14, "wrong-type"),
    ]
    assert not errors(problems)
    assert deck is not None
    structure = deck.structures[0]
    assert structure.kind == "On"
    assert structure.aliases == ("yes", "010", "1e3")
    assert [fact.items for fact in structure.facts] == [("No",), ("1.10",), ("12:30",), ("spaced",)]
    card = deck.cards[0]
    assert (card.id, card.question, card.answer) == ("010", "Off", "0x1F")


def test_a_fact_is_a_string_or_a_list_and_is_list_records_which(tmp_path: Path) -> None:
    body = """\
        structures:
          - name: Sartorius
            action: Flexes the hip
            antagonist: [Gluteus maximus]
            tags: thigh
        """
    path = write(tmp_path, HEAD + textwrap.dedent(body))
    deck, problems = load_deck(path)

    assert problems == []
    assert deck is not None
    assert deck.structures[0].facts == (
        Fact("action", ("Flexes the hip",), False, 5),
        Fact("antagonist", ("Gluteus maximus",), True, 6),
    )
    assert deck.structures[0].tags == ("thigh",)


def test_cloze_card_parses_with_hints_and_several_ordinals() -> None:
    deck, problems = load_deck(FIXTURES / "good" / "rotator_cuff.yml")

    assert problems == []
    assert deck is not None
    assert (deck.id, deck.html, deck.tags) == ("rotator-cuff", True, ("anatomy",))
    card = deck.cards[0]
    assert card.cloze is not None
    assert cloze_ordinals(card.cloze) == (1, 2, 3, 4)
    assert deck.structures[0].clinical == (
        ClinicalCard(
            "most-torn", "Which rotator cuff tendon is <b>most often torn</b>?", "Supraspinatus", 13
        ),
    )


# --- helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "slug"),
    [
        ("Psoas major", "psoas-major"),
        ("Müller's muscle", "mullers-muscle"),
        ("  Gastrocnemius (medial head) ", "gastrocnemius-medial-head"),
        ("L1–L3", "l1-l3"),
        ("Straße", "strasse"),
        ("Ψ", ""),
    ],
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug


@pytest.mark.parametrize(
    ("text", "ordinals"),
    [
        ("{{c2::a}} and {{c1::b::hint}} and {{c2::c}}", (1, 2)),
        ("{{c10::x}} {{c3::y}}", (3, 10)),
        ("no markers {{x}}", ()),
    ],
)
def test_cloze_ordinals(text: str, ordinals: tuple[int, ...]) -> None:
    assert cloze_ordinals(text) == ordinals


@given(st.text())
def test_slugify_always_gives_a_slug_or_nothing(text: str) -> None:
    slug = slugify(text)
    assert slug == "" or (
        slug[0].isalnum() and set(slug) <= set("abcdefghijklmnopqrstuvwxyz0123456789-")
    )
    assert "--" not in slug and not slug.endswith("-")


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("deck:q a-[]{}c1\n 'x\"#&*|>?!"))))
def test_any_text_gives_problems_never_an_exception(
    tmp_path_factory: pytest.TempPathFactory, text: str
) -> None:
    path = tmp_path_factory.mktemp("fuzz") / "deck.yaml"
    path.write_text(text, encoding="utf-8")
    deck, problems = load_deck(path)

    assert (deck is None) == any(p.severity == "error" for p in problems)
    assert all(p.line >= 1 for p in problems)


# --- each problem, with its exact line and message ---------------------------------------

PROBLEMS = [
    pytest.param(
        """\
        deck: A
        structures:
          - name: Psoas major
            insertoin: Lesser trochanter
            origin: T12-L5
        """,
        ["4: unknown key 'insertoin' (did you mean 'insertion'?)"],
        id="unknown-key-did-you-mean",
    ),
    pytest.param(
        "deck: A\ndescripton: x\nauthor: y\ncards: []\n",
        [
            "2: unknown key 'descripton' (did you mean 'description'?)",
            "3: unknown key 'author' (known keys: deck, id, description, tags, source, html,"
            " reverse, structures, cards, occlusions)",
        ],
        id="unknown-key-top-level",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    question: x\n    a: y\n",
        ["4: unknown key 'question' (did you mean 'q'?)", "3: card has 'a' but no 'q'"],
        id="unknown-key-synonym",
    ),
    pytest.param(
        "deck: A\ncards: []\ndeck: B\n",
        ["3: duplicate key 'deck' (first at line 1)"],
        id="duplicate-key",
    ),
    pytest.param(
        "# header\nid: x\ncards: []\n",
        ["2: missing 'deck' (the deck's full name, like 'Anatomy::Lower limb')"],
        id="missing-deck",
    ),
    pytest.param(
        "deck: Anatomy::::Hip\ncards: []\n",
        ["1: deck name 'Anatomy::::Hip' has an empty part between '::'"],
        id="deck-name-empty-part",
    ),
    pytest.param(
        "deck: A\nstructures:\n  - kind: muscle\n    origin: x\n",
        ["3: structure has no 'name'"],
        id="structure-without-name",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    q: Question?\n",
        ["3: card has 'q' but no 'a'"],
        id="card-without-a",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    a: Answer\n",
        ["3: card has 'a' but no 'q'"],
        id="card-without-q",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    extra: Only extra\n",
        ["3: card has neither 'q' nor 'cloze'"],
        id="card-with-neither",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    q: x\n    a: y\n    cloze: '{{c1::z}}'\n",
        ["3: card has both 'q' and 'cloze': a card is either q + a or a cloze"],
        id="card-with-both",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: '{{c1::z}}'\n    a: y\n",
        ["5: a cloze card has no 'a': the answers are its {{c1::…}} markers"],
        id="cloze-with-a",
    ),
    pytest.param(
        "deck: A\ndescription:\ncards:\n  - id: c\n    q: '  '\n    a: ~\n",
        ["2: empty value for 'description'", "5: empty value for 'q'", "6: empty value for 'a'"],
        id="empty-text",
    ),
    pytest.param(
        """\
        deck: A
        structures:
          - name: Psoas major
            origin: x
          - name: Iliacus
            origin: y
          - name: Psoas Major
            origin: z
          - name: Other
            id: iliacus
            origin: w
        """,
        [
            "7: duplicate structure id 'psoas-major' (first at line 3)",
            "9: duplicate structure id 'iliacus' (first at line 5)",
        ],
        id="duplicate-structure-ids",
    ),
    pytest.param(
        """\
        deck: A
        cards:
          - id: same
            q: x
            a: y
          - id: same
            q: z
            a: w
        """,
        ["6: duplicate card id 'same' (first at line 3)"],
        id="duplicate-card-ids",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: No marker here\n",
        ["4: cloze text has no {{c1::…}} marker"],
        id="cloze-no-marker",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: 'The {{c1::psoas'\n",
        ["4: unbalanced '{{' in the cloze text: no '}}' closes it"],
        id="cloze-unclosed",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: 'The {{c1::psoas}} }}'\n",
        ["4: unbalanced '}}' in the cloze text: no '{{' opens it"],
        id="cloze-unopened",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: 'The {{c0::psoas}}'\n",
        ["4: cloze marker '{{c0::psoas}}': numbering starts at c1"],
        id="cloze-c0",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: 'The {{ca::psoas}}'\n",
        ["4: cloze marker '{{ca::psoas}}' needs a number after 'c' (c1, c2, …)"],
        id="cloze-non-numeric",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: 'The {{c1:psoas}}'\n",
        ["4: cloze marker '{{c1:psoas}}' has a single ':'; write {{c1::answer}}"],
        id="cloze-single-colon",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: 'The {{c1::  ::hint}}'\n",
        ["4: cloze marker '{{c1::  ::hint}}' is empty"],
        id="cloze-empty",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: 'The {{c1::psoas {{c2::major}}}}'\n",
        ["4: cloze markers cannot be nested: {{c1::… {{c2::…}} …}}"],
        id="cloze-nested",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    cloze: 'The {{psoas}}'\n",
        ["4: '{{psoas}}' is not a cloze marker; write {{c1::answer}}"],
        id="cloze-not-a-marker",
    ),
    pytest.param(
        "deck: A\nstructures:\n  - name: P\n    origin: x\n    image: media/missing.png\n",
        ["5: image not found: 'media/missing.png' (relative to this file's folder)"],
        id="image-missing",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    q: x\n    a: y\n    image: ../outside.png\n",
        ["6: image path '../outside.png' leaves the deck file's folder ('..')"],
        id="image-escapes",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    q: x\n    a: y\n    image: /etc/hosts\n",
        ["6: image path '/etc/hosts' is absolute; make it relative to this file"],
        id="image-absolute",
    ),
    pytest.param(
        """\
        deck: A
        html: maybe
        tags: {anatomy: 1}
        source: [a, b]
        structures:
          - name: [Psoas]
            origin: {a: b}
            action: [Flexes, [nested]]
        cards:
          - just text
        """,
        [
            "2: 'html' must be true or false, not 'maybe'",
            "3: 'tags' must be text or a list of text, not a mapping",
            "4: 'source' must be text, not a list",
            "6: 'name' must be text, not a list",
            "7: unknown key 'a' (known keys: answer, accept, note, ask)",
            "7: 'origin' written as a mapping needs 'answer:' (what the card asks)",
            "8: each item of 'action' must be text, not a list",
            "10: each item of 'cards' must be a mapping, not text",
        ],
        id="wrong-types",
    ),
    pytest.param(
        "deck: A\nstructures: Psoas major\ncards: {q: x}\n",
        ["2: 'structures' must be a list, not text", "3: 'cards' must be a list, not a mapping"],
        id="wrong-types-collections",
    ),
    pytest.param(
        "deck: A\nid: Hip_Flexors\ncards:\n  - id: '-x'\n    q: x\n    a: y\n",
        [
            "2: id 'Hip_Flexors' is not a slug (lowercase letters, digits and '-');"
            " use 'hip-flexors'",
            "4: id '-x' is not a slug (lowercase letters, digits and '-'); use 'x'",
        ],
        id="ids-must-be-slugs",
    ),
    pytest.param(
        "deck: A\ntags: [anatomy, lower limb]\ncards: []\n",
        ["2: tag 'lower limb' contains a space; use 'lower-limb'"],
        id="tag-with-space",
    ),
    pytest.param(
        "deck: A\nstructures:\n  - name: P\n    origin: []\n    action: [x, '']\n",
        ["4: empty list for 'origin'", "5: empty item in 'action'"],
        id="empty-lists",
    ),
    pytest.param(
        "deck: A\ncards:\n  - id: c\n    q: [x\n",
        [
            "5: invalid YAML: expected ',' or ']', but got '<stream end>'"
            " (while parsing a flow sequence at line 4)"
        ],
        id="yaml-syntax-error",
    ),
    pytest.param(
        "deck: A\ncards: []\nsource: Gray's: 42nd\n",
        ["3: invalid YAML: mapping values are not allowed here"],
        id="yaml-syntax-error-colon",
    ),
    pytest.param(
        "deck: A\ncards: []\n---\ndeck: B\n",
        ["4: a second YAML document starts here ('---'): one deck per file"],
        id="multi-document",
    ),
    pytest.param(
        "# nothing but a comment\n",
        ["1: the file is empty: a deck file needs at least 'deck: <name>'"],
        id="empty-file",
    ),
    pytest.param(
        "- deck: A\n",
        ["1: the top level must be a mapping (deck: …), not a list"],
        id="top-level-list",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PROBLEMS)
def test_each_problem_is_reported_with_its_line(
    tmp_path: Path, text: str, expected: list[str]
) -> None:
    path = write(tmp_path, text)
    deck, problems = load_deck(path)

    assert deck is None
    assert report(errors(problems)) == sorted(
        (f"{path}:{line}" for line in expected), key=lambda s: int(s.split(":")[1])
    )


def test_an_existing_image_inside_the_folder_resolves(tmp_path: Path) -> None:
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "p.png").write_bytes(b"png")
    path = write(
        tmp_path,
        "deck: A\nstructures:\n  - name: P\n    origin: x\n    image: media/../media/p.png\n",
    )
    deck, problems = load_deck(path)

    assert problems == []
    assert deck is not None
    assert deck.structures[0].image == (tmp_path / "media" / "p.png").resolve()


def test_not_utf8_is_a_problem_on_its_line(tmp_path: Path) -> None:
    path = tmp_path / "latin1.yaml"
    path.write_bytes("deck: A\nq: caf\u00e9\n".encode("latin-1"))
    deck, problems = load_deck(path)

    assert deck is None
    assert report(problems) == [f"{path}:2: not UTF-8 text (byte 0xe9); save it as UTF-8"]


def test_a_file_with_three_mistakes_gives_exactly_three_error_lines() -> None:
    path = FIXTURES / "broken" / "three_mistakes.yaml"
    deck, problems = load_deck(path)

    assert deck is None
    assert report(problems) == [
        f"{path}:8: unknown key 'insertoin' (did you mean 'insertion'?)",
        f"{path}:11: card has 'q' but no 'a'",
        f"{path}:14: cloze marker '{{{{c1:hip abductors}}}}' has a single ':';"
        " write {{c1::answer}}",
    ]


def test_every_problem_in_a_file_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """\
        deck: Anatomy::Thigh
        tags: [thigh muscles]
        structures:
          - name: Rectus femoris
            origni: AIIS
            insertion: Tibial tuberosity
          - kind: muscle
            origin: Ischial tuberosity
        cards:
          - id: quads
            q: Which muscle of the quadriceps crosses the hip?
          - id: quads
            cloze: "{{c1::Rectus femoris}} flexes the hip and {{c2:extends}} the knee"
        """,
    )
    deck, problems = load_deck(path)

    assert deck is None
    assert report(problems) == [
        f"{path}:2: tag 'thigh muscles' contains a space; use 'thigh-muscles'",
        f"{path}:5: unknown key 'origni' (did you mean 'origin'?)",
        f"{path}:7: structure has no 'name'",
        f"{path}:10: card has 'q' but no 'a'",
        f"{path}:12: duplicate card id 'quads' (first at line 10)",
        f"{path}:13: cloze marker '{{{{c2:extends}}}}' has a single ':'; write {{{{c1::answer}}}}",
    ]


# --- warnings ----------------------------------------------------------------------------


def test_a_card_without_id_is_a_warning_and_gets_an_id_from_its_question(tmp_path: Path) -> None:
    body = """\
        cards:
          - q: Which nerve supplies psoas major?
            a: Anterior rami of L1-L3
          - cloze: "Psoas major is supplied by {{c1::the anterior rami::nerves}} of L1-L3"
        """
    path = write(tmp_path, HEAD + textwrap.dedent(body))
    deck, problems = load_deck(path)

    assert deck is not None
    assert [card.id for card in deck.cards] == [
        "which-nerve-supplies-psoas-major",
        "psoas-major-is-supplied-by-the-anterior-rami-of-l1-l3",
    ]
    assert [card.id_from_text for card in deck.cards] == [True, True]
    assert report(problems) == [
        f"{path}:4: warning: card has no id: its identity comes from its question, so editing "
        "the question will lose its review history; add id: which-nerve-supplies-psoas-major",
        f"{path}:6: warning: card has no id: its identity comes from its cloze text, so editing "
        "the cloze text will lose its review history; add id: "
        "psoas-major-is-supplied-by-the-anterior-rami-of-l1-l3",
    ]
    assert [p.severity for p in problems] == ["warning", "warning"]


def test_a_long_question_id_is_truncated_and_made_unique_with_a_hash(tmp_path: Path) -> None:
    question = (
        "Which muscle of the anterior compartment of the thigh crosses both the hip and the knee?"
    )
    path = write(tmp_path, f"{HEAD}cards:\n  - q: {question}\n    a: Rectus femoris\n")
    deck, _ = load_deck(path)

    digest = hashlib.sha1(question.encode()).hexdigest()[:8]
    assert deck is not None
    # The slug cut at 60 characters, then the hash of the full question.
    assert (
        deck.cards[0].id == f"which-muscle-of-the-anterior-compartment-of-the-thigh-crosse-{digest}"
    )
    assert deck.cards[0].id_from_text is True


def test_two_cards_with_the_same_question_and_no_id_are_duplicates(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"{HEAD}cards:\n  - q: Psoas?\n    a: one\n  - q: psoas\n    a: two\n",
    )
    deck, problems = load_deck(path)

    assert deck is None
    assert report(errors(problems)) == [f"{path}:6: duplicate card id 'psoas' (first at line 4)"]


def test_a_structure_without_facts_is_a_warning_only(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEAD}structures:\n  - name: Femoral triangle\n    kind: region\n")
    deck, problems = load_deck(path)

    assert deck is not None
    assert deck.structures[0].facts == ()
    assert report(problems) == [
        f"{path}:4: warning: structure 'Femoral triangle' has no fact fields "
        "(origin, insertion, …): it makes no cards"
    ]


def test_warnings_do_not_hide_errors(tmp_path: Path) -> None:
    path = write(tmp_path, f"{HEAD}cards:\n  - q: Psoas?\n    a: one\n    tgas: [x]\n")
    deck, problems = load_deck(path)

    assert deck is None
    assert [(p.line, p.severity) for p in problems] == [(4, "warning"), (6, "error")]


def test_problem_str_is_path_line_message() -> None:
    assert str(Problem("d.yaml", 3, "boom")) == "d.yaml:3: boom"
    assert str(Problem("d.yaml", 4, "careful", "warning")) == "d.yaml:4: warning: careful"


# --- many files --------------------------------------------------------------------------


def test_load_paths_reads_a_folder_recursively_in_order_skipping_hidden(tmp_path: Path) -> None:
    write(tmp_path, "deck: B\ncards: []\n", "b.yaml")
    write(tmp_path, "deck: A\ncards: []\n", "sub/a.yml")
    write(tmp_path, "deck: Hidden\ncards: []\n", ".git/hidden.yaml")
    write(tmp_path, "deck: Hidden\ncards: []\n", ".swap.yaml")
    write(tmp_path, "not a deck", "notes.txt")
    decks, problems = load_paths([tmp_path])

    assert problems == []
    assert [deck.name for deck in decks] == ["B", "A"]
    assert [deck.id for deck in decks] == ["b", "a"]


def test_load_paths_takes_files_and_folders_and_loads_each_file_once(tmp_path: Path) -> None:
    one = write(tmp_path, "deck: One\ncards: []\n", "decks/one.yaml")
    decks, problems = load_paths([one, tmp_path / "decks"])

    assert problems == []
    assert [deck.path for deck in decks] == [one]


def test_duplicate_deck_ids_across_files_are_reported_in_both(tmp_path: Path) -> None:
    first = write(tmp_path, "deck: Hip\nid: hip\ncards: []\n", "a.yaml")
    second = write(tmp_path, "deck: Hip again\ncards: []\n", "hip.yaml")
    other = write(tmp_path, "deck: Knee\ncards: []\n", "knee.yaml")
    decks, problems = load_paths([tmp_path])

    assert report(problems) == [
        f"{first}:2: duplicate deck id 'hip' (also in {second}:1)",
        f"{second}:1: duplicate deck id 'hip' (also in {first}:2)",
    ]
    assert [deck.path for deck in decks] == [other]


def test_load_paths_keeps_problems_of_every_file(tmp_path: Path) -> None:
    bad = write(tmp_path, "deck: A\ncards:\n  - id: x\n    q: only\n", "a.yaml")
    write(tmp_path, "deck: B\ncards: []\n", "b.yaml")
    decks, problems = load_paths([tmp_path])

    assert [deck.name for deck in decks] == ["B"]
    assert report(problems) == [f"{bad}:3: card has 'q' but no 'a'"]


def test_the_fixture_folder_loads_the_good_decks_and_reports_the_broken_one() -> None:
    decks, problems = load_paths([FIXTURES])

    assert [deck.id for deck in decks] == ["hip-flexors", "rotator-cuff"]
    assert {p.path for p in problems} == {str(FIXTURES / "broken" / "three_mistakes.yaml")}
    assert len(problems) == 3


def test_a_missing_path_is_a_clear_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.yaml"
    with pytest.raises(FlashcardsError, match=f"^No such file or folder: {missing}$"):
        load_paths([missing])


def test_a_folder_without_deck_files_is_a_clear_error(tmp_path: Path) -> None:
    write(tmp_path, "hello", "readme.txt")
    with pytest.raises(FlashcardsError, match=r"^No deck files \(\*\.yaml\) in "):
        load_paths([tmp_path])


def _tree(node: object) -> object:
    """A node tree as plain values: class, tag, value, style and both positions."""
    from yaml.nodes import MappingNode, Node, SequenceNode

    assert isinstance(node, Node)
    marks = [(m.line, m.column, m.index) for m in (node.start_mark, node.end_mark)]
    value: object = node.value
    if isinstance(node, MappingNode):
        value = [(_tree(key), _tree(item)) for key, item in node.value]
    elif isinstance(node, SequenceNode):
        value = [_tree(item) for item in node.value]
    return (type(node).__name__, node.tag, value, getattr(node, "style", None), marks)


_TRAPS = """\
deck: x
plain: [yes, No, on, off, y, n, ~, null, "", '', 5, -1.5, .inf, 0x1F, 0o7, 1_000, 2024-01-02]
times: [2001-12-14t21:59:43.10-05:00, 1:20, 12:30:00, +5, .5, 1e3, 0b101]
quoted: ["yes", 'No', "5", !!str 5, !!int "7"]
merge: {<<: {a: 1}, =: v, '!x': y}
empty:
nested: {a: [b, {c: d}], "e f": g}
block: |
  block text
folded: >-
  folded
  text
anchor: &a [1, 2]
alias: *a
"""


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_TRAPS.splitlines()[1:8]), min_size=1, max_size=7))
def test_the_fast_yaml_loader_composes_the_trees_libyaml_composes(lines: list[str]) -> None:
    import yaml

    from flashcards.authoring.nodes import _FAST_LOADER

    assert _FAST_LOADER is not None  # libyaml is installed with the project
    text = "deck: x\n" + "\n".join(dict.fromkeys(lines)) + "\n"
    fast = [_tree(n) for n in yaml.compose_all(text, Loader=_FAST_LOADER)]
    assert fast == [_tree(n) for n in yaml.compose_all(text, Loader=yaml.CSafeLoader)]


def test_the_fast_yaml_loader_composes_every_shipped_deck_and_fixture_alike() -> None:
    import yaml

    from flashcards.authoring.nodes import _FAST_LOADER

    root = Path(__file__).resolve().parent.parent
    files = [*root.joinpath("decks").rglob("*.yaml"), *root.joinpath("tests").rglob("*.y*ml")]
    texts = [_TRAPS, *(f.read_text(encoding="utf-8") for f in files)]
    assert len(texts) > 60
    list(yaml.compose_all(_TRAPS, Loader=yaml.CSafeLoader))  # valid YAML: compared below
    for text in texts:
        try:
            expected = [_tree(n) for n in yaml.compose_all(text, Loader=yaml.CSafeLoader)]
        except yaml.YAMLError:
            continue  # a broken fixture: composed by the pure-Python loader instead
        assert [_tree(n) for n in yaml.compose_all(text, Loader=_FAST_LOADER)] == expected
