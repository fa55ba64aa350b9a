"""`flashcards extract`: pages into a deck file that lints clean and imports (-o), into
JSON (--json), or printed; warnings on stderr; clear errors."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, write

from flashcards.authoring.deckfile import FACT_FIELDS, load_deck
from flashcards.authoring.facts import notes_for_deck

PAGES = Path(__file__).parent / "fixtures" / "extract"
# What a page's prose may break that only a person can mend: cues, lengths, lists.
PSOAS = PAGES / "psoas-stretch.txt"


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def test_json_is_one_document_with_canonical_fields(run_sqlite: Cli) -> None:
    result = run_sqlite("extract", str(PSOAS), "--json")
    document = json.loads(ok(result))
    assert set(document) == {"structures", "warnings"}
    [psoas] = document["structures"]
    assert psoas["name"] == "Psoas major"
    assert set(psoas["fields"]) == {"origin", "insertion", "innervation", "action"}
    assert all(isinstance(text, str) and text for text in psoas["fields"].values())
    assert "Lesser trochanter" in psoas["fields"]["insertion"]
    assert any("Psoas major" in w for w in document["warnings"])
    assert result.stderr == ""  # the warnings are in the document, not repeated


@pytest.mark.parametrize("page", sorted(p.name for p in PAGES.iterdir() if p.is_file()))
def test_every_layout_writes_a_deck_that_lints_clean_and_imports(
    run_sqlite: Cli, tmp_path: Path, page: str
) -> None:
    deck_path = tmp_path / f"{Path(page).stem}.yaml"
    result = run_sqlite("extract", str(PAGES / page), "-o", str(deck_path))
    assert result.exit_code == 0, result.output
    assert f"to {deck_path}; check them" in result.stderr
    # The deck keeps to the rules of formulating knowledge: a long list asked an item a
    # card, a long value cut to its first clause with the whole text in the note, clinical
    # paragraphs left in comments for the author to make cards of.
    lint = run_sqlite("lint", "--strict", str(deck_path))
    assert lint.exit_code == 0 and ": warning: " not in lint.output, lint.output
    deck, problems = load_deck(deck_path)
    assert deck is not None and problems == []
    expected = json.loads(ok(run_sqlite("extract", str(PAGES / page), "--json")))["structures"]
    assert [s.name for s in deck.structures] == [s["name"] for s in expected]
    for structure, found in zip(deck.structures, expected, strict=True):
        asked = {fact.field for fact in structure.facts}
        assert asked == set(found["fields"]) - {"clinical"}
        for clinical in [found["fields"]["clinical"]] if "clinical" in found["fields"] else []:
            assert " ".join(clinical.split())[:60] in " ".join(deck_path.read_text().split())
    report = json.loads(ok(run_sqlite("import", str(deck_path), "--json")))
    assert report["added"] == len(notes_for_deck(deck)) and report["decks"] == [deck.name]


def test_the_written_deck_keeps_lists_and_names_its_source(run_sqlite: Cli, tmp_path: Path) -> None:
    deck_path = tmp_path / "deltoid.yaml"
    ok(run_sqlite("extract", str(PAGES / "deltoid-label-alone.txt"), "-o", str(deck_path)))
    text = deck_path.read_text(encoding="utf-8")
    assert text.startswith("# Extracted by `flashcards extract` from deltoid-label-alone.txt.")
    deck, _ = load_deck(deck_path)
    assert deck is not None
    assert (deck.name, deck.id) == ("Extracted::Deltoid label alone", "deltoid")
    assert "deltoid-label-alone.txt" in (deck.source or "")
    [deltoid] = deck.structures
    origin = next(f for f in deltoid.facts if f.field == "origin")
    assert origin.is_list and origin.items == (
        "Lateral third of the clavicle",
        "Acromion",
        "Spine of the scapula",
    )
    assert [f.field for f in deltoid.facts] == [
        f for f in FACT_FIELDS if f in {x.field for x in deltoid.facts}
    ]


def test_without_o_or_json_the_deck_is_printed_and_warnings_go_to_stderr(
    run_sqlite: Cli,
) -> None:
    result = run_sqlite("extract", str(PSOAS), "--deck", "Anatomy::Hip", "--id", "hip")
    out = ok(result)
    assert "deck: Anatomy::Hip\nid: hip\n" in out
    assert "- name: Psoas major" in out
    assert result.stderr.startswith("warning: ")
    assert "named it 'Psoas major' from the text" in result.stderr


def test_several_pages_make_one_deck(run_sqlite: Cli, tmp_path: Path) -> None:
    deck_path = tmp_path / "lower-limb.yaml"
    pages = [PAGES / "piriformis-month.txt", PAGES / "hamstrings.md"]
    ok(run_sqlite("extract", *map(str, pages), "-o", str(deck_path)))
    deck, problems = load_deck(deck_path)
    assert deck is not None and problems == []
    assert [s.name for s in deck.structures] == [
        "Piriformis",
        "Biceps femoris",
        "Semitendinosus",
        "Semimembranosus",
    ]


def test_an_existing_output_is_kept_unless_forced(run_sqlite: Cli, tmp_path: Path) -> None:
    deck_path = write(tmp_path / "mine.yaml", "deck: Mine\ncards: []\n")
    result = run_sqlite("extract", str(PSOAS), "-o", str(deck_path))
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: {deck_path} exists: not overwritten (choose another name, or pass --force to "
        "replace it)\n"
    )
    assert deck_path.read_text(encoding="utf-8") == "deck: Mine\ncards: []\n"
    ok(run_sqlite("extract", str(PSOAS), "-o", str(deck_path), "--force"))
    assert "Psoas major" in deck_path.read_text(encoding="utf-8")


def test_missing_unreadable_or_empty_pages_are_clear_errors(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    missing = run_sqlite("extract", str(tmp_path / "nope.txt"))
    assert missing.exit_code == 1
    assert missing.stderr == f"Error: no such file: {tmp_path / 'nope.txt'}\n"
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(b"%PDF-1.4 binary")
    assert run_sqlite("extract", str(pdf)).stderr.startswith(f"Error: {pdf}: not a text or HTML")
    ad = write(tmp_path / "ad.txt", "Book now! Call 555-0199.\n")
    empty = run_sqlite("extract", str(ad))
    assert empty.exit_code == 1
    assert empty.stderr.endswith("Error: found no structures to write (see the warnings above)\n")
    assert "no structure found" in empty.stderr
    # As JSON, an empty result is a result.
    assert json.loads(ok(run_sqlite("extract", str(ad), "--json")))["structures"] == []
    assert "Traceback" not in missing.output + empty.output


def test_an_output_in_a_missing_folder_is_refused_as_stats_html_refuses_it(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    folder = tmp_path / "some" / "missing" / "folder"
    expected = f"Error: no such folder: {folder} (create it first, or check the path)\n"
    result = run_sqlite("extract", str(PSOAS), "-o", str(folder / "out.yaml"))
    assert (result.exit_code, result.stderr) == (1, expected)
    page = run_sqlite("stats", "--html", str(folder / "page.html"))
    assert (page.exit_code, page.stderr) == (1, expected.replace("out.yaml", "page.html"))
    assert not (tmp_path / "some").exists()
    blocked = write(tmp_path / "notes.txt", "a file, not a folder")
    result = run_sqlite("extract", str(PSOAS), "-o", str(blocked / "out.yaml"))
    assert result.exit_code == 1
    assert result.stderr == f"Error: {blocked} is a file, not a folder: out.yaml cannot go in it\n"
