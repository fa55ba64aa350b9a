"""The shipped decks (`decks/`) exported and imported into real Anki: one note per fact,
the cards the deck files make, no empty card, no broken media, no duplicate on re-export."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import DECKS, Cli, ok
from test_anki_export import anki_collection, import_package, note_by_key

from flashcards.anki.models import FACT_MODEL_ID
from flashcards.authoring.decks import load_deck_set
from flashcards.authoring.facts import NoteSpec, notes_for_deck


def anki_note_keys(specs: list[NoteSpec]) -> list[str]:
    """The key of each Anki note the specs make: a diagram's labels are one note."""
    keys = [s.key.rsplit("/", 1)[0] if s.kind == "occlusion" else s.key for s in specs]
    return list(dict.fromkeys(keys))


@dataclass
class Shipped:
    specs: list[NoteSpec]
    deck_names: set[str]
    report: dict[str, Any]
    again: dict[str, Any]
    first_log: Any
    second_log: Any
    col: Any


@pytest.fixture(scope="module")
def shipped(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Shipped]:
    decks, problems = load_deck_set([DECKS])
    assert not [p for p in problems if p.severity == "error"]
    specs = [spec for deck in decks for spec in notes_for_deck(deck)]
    folder = tmp_path_factory.mktemp("anki-shipped")
    cli = Cli(f"sqlite:///{folder / 'flashcards.db'}")
    ok(cli("import", str(DECKS)))
    package = folder / "anatomy.apkg"
    report = json.loads(ok(cli("export", "-o", str(package), "--json")))
    col = anki_collection(folder / "anki")
    first = import_package(col, package)
    again = json.loads(ok(cli("export", "-o", str(package), "--json")))
    second = import_package(col, package)
    yield Shipped(specs, {d.name for d in decks}, report, again, first, second, col)
    col.close()


def test_one_note_per_fact_and_per_hand_written_card(shipped: Shipped) -> None:
    col = shipped.col
    notes = anki_note_keys(shipped.specs)
    assert len(col.find_notes("")) == len(notes) == shipped.report["notes"]
    facts = [s for s in shipped.specs if s.kind == "fact"]
    assert len(col.find_notes(f"mid:{FACT_MODEL_ID}")) == len(facts)
    for spec in facts:
        note = note_by_key(col, spec.key)
        assert note["Structure"] == spec.structure_name


def test_every_card_the_deck_files_make_and_no_more(shipped: Shipped) -> None:
    col = shipped.col
    expected = sum(len(spec.ordinals) for spec in shipped.specs)
    assert col.card_count() == expected == shipped.report["cards"]
    for spec in shipped.specs:
        if spec.kind != "occlusion":
            assert len(note_by_key(col, spec.key).cards()) == len(spec.ordinals), spec.key
    labels = [s.key.rsplit("/", 1)[0] for s in shipped.specs if s.kind == "occlusion"]
    for diagram in set(labels):  # a card per label
        assert len(note_by_key(col, diagram).cards()) == labels.count(diagram), diagram


def test_no_card_is_empty(shipped: Shipped) -> None:
    col = shipped.col
    assert list(col.get_empty_cards().notes) == []
    for card_id in col.find_cards(""):
        card = col.get_card(card_id)
        question = card.question().rsplit("</style>", 1)[-1]
        assert any(ch.isalnum() for ch in question), card.note().guid


def test_no_media_is_missing_or_left_over(shipped: Shipped) -> None:
    check = shipped.col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []
    images = {s.image_path for s in shipped.specs if s.image_path}
    assert shipped.report["media"] == len(images)
    media_dir = Path(shipped.col.media.dir())
    stored = {path.read_bytes() for path in media_dir.iterdir()}
    assert all(image.read_bytes() in stored for image in images)


def test_decks_arrive_with_their_names(shipped: Shipped) -> None:
    names = {d.name for d in shipped.col.decks.all_names_and_ids()}
    assert shipped.deck_names <= names
    assert set(shipped.report["decks"]) == shipped.deck_names


def test_a_reexport_duplicates_nothing(shipped: Shipped) -> None:
    notes = len(anki_note_keys(shipped.specs))
    assert len(shipped.first_log.new) == notes
    log = shipped.second_log
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (0, 0, notes)
    assert (shipped.again["added"], shipped.again["updated"]) == (0, 0)
    assert len(shipped.col.find_notes("")) == notes
