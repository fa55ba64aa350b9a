"""The accuracy ledger, decks/SOURCES.md, against the shipped deck files: a section for
every file (and none for a file that is not there) naming the references its facts were
checked against and every place they disagree; every structure with the five core facts;
no two files teaching one fact two ways."""

from __future__ import annotations

import re

import pytest
from conftest import DECKS

from flashcards.authoring.deckfile import DeckFile
from flashcards.authoring.decks import load_deck_set
from flashcards.authoring.rules import contradictions

LEDGER = DECKS / "SOURCES.md"
CORE_FIELDS = ("origin", "insertion", "innervation", "action", "blood_supply")
SECTION = re.compile(r"^## (\S+)\s*$", re.MULTILINE)


@pytest.fixture(scope="module")
def shipped() -> list[DeckFile]:
    decks, problems = load_deck_set([DECKS])
    assert not [p for p in problems if p.severity == "error"]
    return decks


def sections() -> dict[str, str]:
    text = LEDGER.read_text(encoding="utf-8")
    heads = list(SECTION.finditer(text))
    bodies = {}
    for head, following in zip(heads, [*heads[1:], None], strict=True):
        end = following.start() if following else len(text)
        assert head.group(1) not in bodies, f"two sections for {head.group(1)}"
        bodies[head.group(1)] = text[head.end() : end]
    return bodies


def test_every_deck_file_has_a_section_and_every_section_a_deck_file(
    shipped: list[DeckFile],
) -> None:
    files = {deck.path.relative_to(DECKS).as_posix() for deck in shipped}
    assert set(sections()) == files


@pytest.mark.parametrize("path", sorted(sections()))
def test_each_section_names_two_references_and_lists_the_disagreements(path: str) -> None:
    body = sections()[path]
    checked = re.search(r"^Checked against: (.+)$", body, re.MULTILINE)
    assert checked, f"{path}: no 'Checked against:' line"
    references = [r.strip() for r in checked.group(1).split(";") if r.strip()]
    assert len(references) >= 2, f"{path}: {references}"
    after = body.split("\nDisagreements:\n", 1)
    assert len(after) == 2, f"{path}: no 'Disagreements:' list"
    items = re.findall(r"^- (.+)$", after[1], re.MULTILINE)
    assert items, f"{path}: an empty list (write '- none found')"


def test_every_structure_has_the_five_core_fields(shipped: list[DeckFile]) -> None:
    missing = [
        f"{deck.path.relative_to(DECKS)}: {structure.id} has no {field}"
        for deck in shipped
        for structure in deck.structures
        for field in CORE_FIELDS
        if not any(fact.field == field for fact in structure.facts)
    ]
    assert missing == []


def test_no_two_files_disagree_on_a_shared_fact(shipped: list[DeckFile]) -> None:
    assert [str(p) for p in contradictions(shipped)] == []


def test_a_disagreement_between_two_files_would_be_found(shipped: list[DeckFile]) -> None:
    # The check above proves something only if it can fail: the same structure id in a
    # second file with another origin is a contradiction in both.
    import dataclasses

    first = shipped[0]
    structure = first.structures[0]
    origin = next(f for f in structure.facts if f.field == "origin")
    other_fact = dataclasses.replace(origin, items=("Somewhere else entirely",))
    other_structure = dataclasses.replace(
        structure, facts=tuple(other_fact if f is origin else f for f in structure.facts)
    )
    other = dataclasses.replace(
        first, path=first.path.with_name("copy.yaml"), id="copy", structures=(other_structure,)
    )
    found = contradictions([first, other])
    assert {p.path for p in found} == {str(first.path), str(other.path)}
    assert all(p.code == "contradiction" for p in found)
