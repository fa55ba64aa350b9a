"""`flashcards cards DECK|PATH`: an instructor's preview of every card a deck file (not yet
imported) or a deck in the database makes: question, answer, kind, id. And the deck tree
it works on: `decks` shows the hierarchy, `review Anatomy::Lower limb` studies a sub-tree."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from conftest import DECKS, Cli, write

DECK = """\
deck: Anatomy::Lower limb::Thigh
id: thigh
reverse: [insertion]
structures:
  - name: Gracilis
    kind: muscle
    aliases: [gracilis muscle]
    insertion: Pes anserinus
    action: [Adducts the thigh, Flexes the knee]
cards:
  - id: roof
    q: What forms the roof of the femoral triangle?
    a: Fascia lata
  - id: borders
    cloze: "{{c1::Sartorius}} is lateral, {{c2::adductor longus}} medial."
"""
KNEE = """\
deck: Anatomy::Knee
id: knee
cards:
  - id: acl
    q: What does the ACL prevent?
    a: Anterior translation of the tibia
"""


def ok(result: Any) -> str:
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def previews(run: Cli, target: str) -> list[dict[str, Any]]:
    rows = json.loads(ok(run("cards", target, "--json")))
    assert isinstance(rows, list)
    return rows


EXPECTED = [
    ("fact", "thigh/gracilis/insertion", "Where does gracilis insert?", "Pes anserinus"),
    (
        "fact",
        "thigh/gracilis/action",
        "What are the actions of gracilis?",
        "Adducts the thigh\nFlexes the knee",
    ),
    ("basic", "thigh/roof", "What forms the roof of the femoral triangle?", "Fascia lata"),
    (
        "cloze",
        "thigh/borders#c1",
        "[...] is lateral, adductor longus medial.",
        "[Sartorius] is lateral, adductor longus medial.",
    ),
    (
        "cloze",
        "thigh/borders#c2",
        "Sartorius is lateral, [...] medial.",
        "Sartorius is lateral, [adductor longus] medial.",
    ),
    (
        "reverse",
        "thigh/gracilis/insertion/reverse",
        "Which muscle inserts on the pes anserinus?",
        "Gracilis",
    ),
]


def test_a_file_preview_lists_every_card_with_kind_and_id(run: Cli, tmp_path: Path) -> None:
    rows = previews(run, str(write(tmp_path / "thigh.yaml", DECK)))
    assert [(r["kind"], r["id"], r["question"], r["answer"]) for r in rows] == EXPECTED
    assert {r["deck"] for r in rows} == {"Anatomy::Lower limb::Thigh"}
    assert rows[0]["extra"] == "Also called: gracilis muscle"
    assert rows[3]["key"] == "thigh/borders"
    ok(run("review", input="q\n"))  # makes the database and the user, imports nothing
    assert json.loads(ok(run("decks", "--json"))) == []  # nothing was imported


def test_a_deck_in_the_database_previews_the_same_cards(run: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "thigh.yaml", DECK)
    from_file = previews(run, str(path))
    ok(run("import", str(path), str(write(tmp_path / "knee.yaml", KNEE))))
    assert previews(run, "Anatomy::Lower limb::Thigh") == from_file
    assert previews(run, "thigh") == from_file  # by deck id
    # A parent name takes its sub-decks and nothing else.
    assert previews(run, "Anatomy::Lower limb") == from_file
    assert {r["deck"] for r in previews(run, "Anatomy")} == {
        "Anatomy::Knee",
        "Anatomy::Lower limb::Thigh",
    }


def test_retired_cards_are_not_previewed(run_sqlite: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "thigh.yaml", DECK)
    ok(run_sqlite("import", str(path)))
    write(tmp_path / "thigh.yaml", DECK.replace("  - id: roof\n", "  - id: roof-of-triangle\n"))
    ok(run_sqlite("import", str(path)))
    ids = [r["id"] for r in previews(run_sqlite, "thigh")]
    assert "thigh/roof-of-triangle" in ids and "thigh/roof" not in ids


def test_an_unknown_deck_is_a_clear_error(run_sqlite: Cli) -> None:
    ok(run_sqlite("review", input="q\n"))  # a database, without decks
    result = run_sqlite("cards", "Anatomy::Nowhere")
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: no deck named 'Anatomy::Nowhere' and no such file; there are no decks yet "
        "(`flashcards import` adds some)\n"
    )
    missing = run_sqlite("cards", "nowhere.yaml")
    assert missing.exit_code == 1
    assert missing.stderr == "Error: no such file or folder: nowhere.yaml\n"


def test_a_broken_file_lists_its_problems_and_previews_nothing(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    path = write(tmp_path / "bad.yaml", "deck: X\nreverse: [clinical]\nstructures: []\n")
    result = run_sqlite("cards", str(path))
    assert result.exit_code == 1
    assert f"{path}:2: 'clinical' cannot be asked in reverse" in result.stderr
    assert result.stdout == ""


def test_the_table_shows_question_answer_kind_and_id(run_sqlite: Cli, tmp_path: Path) -> None:
    result = run_sqlite("cards", str(write(tmp_path / "thigh.yaml", DECK)))
    out = ok(result)
    header = next(line for line in out.splitlines() if "Question" in line)
    assert re.findall(r"\w+", header) == ["Question", "Answer", "Kind", "Id"]
    assert "Anatomy::Lower limb::Thigh" in out.splitlines()[0]
    for word in ("fact", "basic", "cloze", "reverse", "thigh/roof"):
        assert word in out
    assert result.stderr.endswith("6 card(s)\n")


def test_the_shipped_decks_form_a_tree_and_review_studies_a_sub_tree(run_sqlite: Cli) -> None:
    ok(run_sqlite("import", str(DECKS)))
    rows = json.loads(ok(run_sqlite("decks", "--json")))
    names = [r["name"] for r in rows]
    assert names[0] == "Anatomy" and "Anatomy::Lower limb" in names
    by_name = {r["name"]: r for r in rows}
    lower = [n for n in names if n.startswith("Anatomy::Lower limb::")]
    assert lower and by_name["Anatomy::Lower limb"]["cards"] == sum(
        by_name[n]["cards"] for n in lower
    )
    table = ok(run_sqlite("decks"))
    assert re.search(r"^Anatomy\s+\d", table, re.M)
    assert re.search(r"^  Lower limb\s+\d", table, re.M)  # a sub-deck, indented

    out = ok(run_sqlite("review", "Anatomy::Lower limb", "--new", "5", input="\n5\n" * 5))
    studied = re.findall(r"Anatomy::[^·\n]*?(?= ·)", out)
    assert len(studied) == 5
    assert all(deck.startswith("Anatomy::Lower limb::") for deck in studied)


def test_a_preview_of_a_file_makes_no_database_and_upgrades_none(tmp_path: Path) -> None:
    """`cards PATH` writes nothing: no database is made for it, an older one stays as it is."""
    deck = write(tmp_path / "hip.yaml", "deck: Hip\ncards:\n  - {id: a, q: Q?, a: A}\n")
    missing = tmp_path / "never.db"
    result = Cli(str(missing))("cards", str(deck), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)[0]["question"] == "Q?"
    assert not missing.exists()
    old = tmp_path / "old.db"
    from flashcards_db.engine import current_revision, make_engine
    from flashcards_db.migrations import upgrade

    engine = make_engine(f"sqlite:///{old}")
    upgrade(engine, "0004")
    engine.dispose()
    assert Cli(str(old))("cards", str(deck), "--json").exit_code == 0
    engine = make_engine(f"sqlite:///{old}")
    assert current_revision(engine) == "0004"
    engine.dispose()
    assert [p.name for p in tmp_path.iterdir() if ".bak" in p.name] == []
    empty = tmp_path / "empty.db"  # a 0-byte file: no database yet, and left so
    empty.touch()
    assert Cli(str(empty))("cards", str(deck), "--json").exit_code == 0
    assert empty.stat().st_size == 0


def test_several_paths_and_decks_are_previewed_together(run: Cli, tmp_path: Path) -> None:
    thigh = write(tmp_path / "thigh.yaml", DECK)
    folder = tmp_path / "more"
    folder.mkdir()
    write(folder / "knee.yaml", KNEE)
    both = previews(run, str(thigh)) + previews(run, str(folder))
    rows = json.loads(ok(run("cards", str(thigh), str(folder), "--json")))
    assert sorted(r["id"] for r in rows) == sorted(r["id"] for r in both)
    assert {r["deck"] for r in rows} == {"Anatomy::Lower limb::Thigh", "Anatomy::Knee"}
    # A file and a deck of the database, in one command.
    ok(run("import", str(thigh)))
    mixed = json.loads(ok(run("cards", "thigh", str(folder), "--json")))
    assert sorted(r["id"] for r in mixed) == sorted(r["id"] for r in both)
    missing = run("cards", str(thigh), str(tmp_path / "nope.yaml"))
    assert missing.exit_code == 1 and "no such file or folder" in missing.stderr
