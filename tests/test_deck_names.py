"""DECK arguments as people type them: the full name or id, else (case-insensitively) the
full name, a unique last part or a unique substring; ambiguity lists the candidates, no
match offers the nearest names; `decks` shows each deck's id."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, ok, write

from flashcards.errors import DeckNotFoundError
from flashcards.study.decks import choose_deck_name

NAMES = [
    "Anatomy::Lower limb::Gluteal region",
    "Anatomy::Lower limb::Hip flexors",
    "Anatomy::Upper limb::Arm",
    "Anatomy::Back::Superficial back muscles",
    "Anatomy::Upper limb::Forearm flexors, superficial",
]
KEYS = ["gluteal", "hip-flexors", "arm", "back-superficial", "forearm-flexors-superficial"]


@pytest.mark.parametrize(
    ("typed", "chosen"),
    [
        ("Lower limb", "Anatomy::Lower limb"),
        ("lower LIMB", "Anatomy::Lower limb"),
        ("Gluteal", "Anatomy::Lower limb::Gluteal region"),  # the deck id, as written
        ("gluteal region", "Anatomy::Lower limb::Gluteal region"),
        ("glut", "Anatomy::Lower limb::Gluteal region"),
        ("HIP-FLEXORS", "Anatomy::Lower limb::Hip flexors"),
        ("anatomy::upper limb", "Anatomy::Upper limb"),
        ("upper", "Anatomy::Upper limb"),  # a deck with its sub-decks is one answer
        ("anatomy", "Anatomy"),
    ],
)
def test_a_name_as_people_type_it(typed: str, chosen: str) -> None:
    assert choose_deck_name(typed, NAMES, KEYS) == chosen


def test_an_ambiguous_name_lists_the_candidates() -> None:
    with pytest.raises(DeckNotFoundError) as error:
        choose_deck_name("limb", NAMES, KEYS)
    assert "'Anatomy::Lower limb', 'Anatomy::Upper limb'" in str(error.value)
    with pytest.raises(DeckNotFoundError) as error:
        choose_deck_name("superficial", NAMES, KEYS)
    message = str(error.value)
    assert "matches 2 decks" in message and "Superficial back muscles" in message
    assert "Forearm flexors, superficial" in message


def test_no_match_offers_the_nearest_names() -> None:
    with pytest.raises(DeckNotFoundError) as error:
        choose_deck_name("Glutael", NAMES, KEYS)
    assert "did you mean 'Anatomy::Lower limb::Gluteal region'" in str(error.value)
    with pytest.raises(DeckNotFoundError) as error:
        choose_deck_name("xyzzy", NAMES, KEYS)
    assert "did you mean" not in str(error.value)


GLUTEAL = """\
deck: Anatomy::Lower limb::Gluteal region
id: gluteal-region
cards:
  - {id: g1, q: Which nerve supplies gluteus maximus?, a: Inferior gluteal nerve}
"""
ARM = """\
deck: Anatomy::Upper limb::Arm
id: arm
cards:
  - {id: a1, q: Which nerve supplies biceps brachii?, a: Musculocutaneous nerve}
"""


@pytest.fixture
def two_decks(run: Cli, tmp_path: Path) -> Cli:
    write(tmp_path / "decks" / "gluteal.yaml", GLUTEAL)
    write(tmp_path / "decks" / "arm.yaml", ARM)
    ok(run("import", str(tmp_path / "decks")))
    return run


def test_every_command_takes_what_people_type(two_decks: Cli, tmp_path: Path) -> None:
    out = ok(two_decks("review", "Lower limb", input="\n5\n"))
    assert "Gluteal region" in out and "Arm" not in out
    quiz = json.loads(ok(two_decks("quiz", "gluteal", "--mode", "flip", "--json", input="\n5\n")))
    assert [i["question"] for i in quiz["items"]] == ["Which nerve supplies gluteus maximus?"]
    cards = json.loads(ok(two_decks("cards", "upper limb", "--json")))
    assert [c["deck"] for c in cards] == ["Anatomy::Upper limb::Arm"]
    stats = json.loads(ok(two_decks("stats", "GLUTEAL", "--json")))
    assert stats["cards"]["total"] == 1
    ok(two_decks("export", "arm", "-o", str(tmp_path / "arm.apkg")))


def test_ambiguity_and_typos_at_the_command_line(two_decks: Cli) -> None:
    result = two_decks("review", "limb")
    assert result.exit_code == 1
    assert "'Anatomy::Lower limb', 'Anatomy::Upper limb'" in result.stderr
    result = two_decks("quiz", "Glutael")
    assert result.exit_code == 1
    assert "did you mean 'Anatomy::Lower limb::Gluteal region'" in result.stderr


def test_decks_shows_the_ids(two_decks: Cli) -> None:
    out = ok(two_decks("decks"))
    assert "Id" in out and "gluteal-region" in out and "arm" in out
    # and an id works as a DECK argument
    assert "Gluteal region" in ok(two_decks("review", "gluteal-region", input="q\n"))
