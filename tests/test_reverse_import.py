"""Reverse cards at import: ambiguity is checked over the files imported together plus
every deck already in the database, so importing one file of a course never makes a card
that another deck contradicts, and a shared card is never made twice."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import Cli, write
from sqlalchemy import create_engine, text

GRACILIS = """\
deck: Anatomy::Thigh::Medial
id: medial-thigh
reverse: [insertion]
structures:
  - name: Gracilis
    kind: muscle
    insertion: {insertion}
"""
SARTORIUS = """\
deck: Anatomy::Thigh::Anterior
id: anterior-thigh
reverse: {reverse}
structures:
  - name: Sartorius
    kind: muscle
    insertion: Pes anserinus
"""


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def reverse_notes(url: str) -> dict[str, tuple[str, bool]]:
    """key -> (answer, retired) of every reverse note."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text("SELECT key, back, retired_at FROM notes WHERE kind = 'reverse'")
            )
            return {key: (back, retired is not None) for key, back, retired in rows}
    finally:
        engine.dispose()


def imported(run: Cli, *paths: Path) -> tuple[dict[str, Any], str]:
    result = run("import", *map(str, paths), "--json")
    return json.loads(ok(result)), result.stderr


def test_an_import_of_one_file_checks_its_reverse_cards_against_the_database(
    run: Cli, tmp_path: Path
) -> None:
    gracilis = write(tmp_path / "medial.yaml", GRACILIS.format(insertion="Pes anserinus"))
    sartorius = write(tmp_path / "anterior.yaml", SARTORIUS.format(reverse="[insertion]"))
    imported(run, gracilis)
    assert reverse_notes(run.db) == {"medial-thigh/gracilis/insertion/reverse": ("Gracilis", False)}

    # Sartorius shares the value. Its deck comes first, so the shared card is made there;
    # the medial deck's single card ("… Gracilis") is now wrong, and the import says so.
    report, _ = imported(run, sartorius)
    assert reverse_notes(run.db) == {
        "medial-thigh/gracilis/insertion/reverse": ("Gracilis", False),
        "anterior-thigh/reverse/insertion/pes-anserinus": ("Gracilis\nSartorius", False),
    }
    stale = (
        f"{sartorius}:7: warning: deck 'medial-thigh' has a reverse card that this import "
        "makes out of date (medial-thigh/gracilis/insertion/reverse); import that deck too"
    )
    assert stale in report["warnings"]

    # Both together: one shared card, in the deck whose id comes first; the old single
    # card is retired (its history kept).
    report, _ = imported(run, gracilis, sartorius)
    assert reverse_notes(run.db) == {
        "medial-thigh/gracilis/insertion/reverse": ("Gracilis", True),
        "anterior-thigh/reverse/insertion/pes-anserinus": ("Gracilis\nSartorius", False),
    }
    # Importing either file alone again changes nothing and warns of nothing stale.
    for path in (gracilis, sartorius):
        report, _ = imported(run, path)
        assert (report["added"], report["updated"], report["retired"]) == (0, 0, 0)
        assert not any("out of date" in w for w in report["warnings"])


def test_a_deck_that_does_not_ask_still_makes_another_decks_card_ambiguous(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    run = run_sqlite
    sartorius = write(tmp_path / "anterior.yaml", SARTORIUS.format(reverse="[]"))
    gracilis = write(tmp_path / "medial.yaml", GRACILIS.format(insertion="Pes anserinus"))
    imported(run, sartorius)
    report, _ = imported(run, gracilis)
    assert reverse_notes(run.db) == {
        "medial-thigh/reverse/insertion/pes-anserinus": ("Gracilis\nSartorius", False)
    }
    assert report["warnings"] == []  # it asks for both: no card is ambiguous


def test_preview_of_a_file_sees_the_database_too(run_sqlite: Cli, tmp_path: Path) -> None:
    run = run_sqlite
    sartorius = write(tmp_path / "anterior.yaml", SARTORIUS.format(reverse="[]"))
    gracilis = write(tmp_path / "medial.yaml", GRACILIS.format(insertion="Pes anserinus"))
    imported(run, sartorius)
    rows = json.loads(ok(run("cards", str(gracilis), "--json")))
    reverse = [r for r in rows if r["kind"] == "reverse"]
    assert [(r["question"], r["answer"]) for r in reverse] == [
        ("Which muscles insert on the pes anserinus?", "Gracilis\nSartorius")
    ]
    assert reverse_notes(run.db) == {}  # a preview writes nothing


def test_a_shared_card_owned_by_a_deck_not_imported_is_left_to_it_and_said_stale(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    run = run_sqlite
    sartorius = write(tmp_path / "anterior.yaml", SARTORIUS.format(reverse="[insertion]"))
    gracilis = write(tmp_path / "medial.yaml", GRACILIS.format(insertion="Pes anserinus"))
    imported(run, sartorius, gracilis)
    # The anterior deck owns the shared card; the medial deck, imported alone after an
    # edit that takes gracilis out of the group, may not rewrite it: it warns instead.
    write(tmp_path / "medial.yaml", GRACILIS.format(insertion="Medial surface of the tibia"))
    report, _ = imported(run, gracilis)
    notes = reverse_notes(run.db)
    assert notes["anterior-thigh/reverse/insertion/pes-anserinus"] == (
        "Gracilis\nSartorius",
        False,
    )
    assert notes["medial-thigh/gracilis/insertion/reverse"] == ("Gracilis", False)
    assert report["warnings"] == [
        f"{gracilis}:7: warning: deck 'anterior-thigh' has a reverse card that this import "
        "makes out of date (anterior-thigh/reverse/insertion/pes-anserinus); import that deck too"
    ]


def test_a_list_asked_item_by_item_is_one_fact_to_the_reverse_cards_of_later_imports(
    run: Cli, tmp_path: Path
) -> None:
    each = write(
        tmp_path / "medial.yaml",
        "deck: Anatomy::Thigh::Medial\nid: medial-thigh\nreverse: [action]\nstructures:\n"
        "  - name: Gracilis\n    kind: muscle\n    action:\n"
        "      answer: [Adducts the thigh, Flexes the knee]\n      ask: each\n",
    )
    other = write(
        tmp_path / "anterior.yaml",
        "deck: Anatomy::Thigh::Anterior\nid: anterior-thigh\nreverse: [action]\nstructures:\n"
        "  - name: Sartorius\n    kind: muscle\n    action: [Flexes the knee, Flexes the hip]\n",
    )
    imported(run, each)
    before = reverse_notes(run.db)
    assert set(before) == {
        "medial-thigh/gracilis/action/reverse/adducts-the-thigh",
        "medial-thigh/gracilis/action/reverse/flexes-the-knee",
    }
    # Stored as one note per item, the list is still read back as one fact: an import of
    # another deck that shares one item makes that item's card out of date, and only it.
    report, _ = imported(run, other)
    stale = [w for w in report["warnings"] if "out of date (" in w]
    assert len(stale) == 1 and "medial-thigh/gracilis/action/reverse/flexes-the-knee" in stale[0]
    assert set(reverse_notes(run.db)) >= set(before)
