"""`flashcards decks`: counts per user and per day; parents include their sub-decks."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import DECKS, TODAY, Cli, ok, write

UPPER = """\
deck: Limbs::Upper
id: upper-limb
cards:
  - id: radial-nerve-roots
    q: Which roots form the radial nerve?
    a: C5-T1
  - id: wrist-drop
    q: Injury to which nerve causes wrist drop?
    a: Radial nerve
"""

LOWER = """\
deck: Limbs::Lower
id: lower-limb
cards:
  - id: foot-drop
    q: Injury to which nerve causes foot drop?
    a: Common fibular nerve
  - id: femoral-roots
    q: Which roots form the femoral nerve?
    a: L2-L4
  - id: sciatic-roots
    q: Which roots form the sciatic nerve?
    a: L4-S3
"""


def decks_json(run: Cli, today: dt.date = TODAY, user: str | None = None) -> list[dict[str, Any]]:
    result = run("decks", "--json", today=today, user=user)
    document = json.loads(ok(result))
    assert isinstance(document, list)
    return document


def by_name(rows: list[dict[str, Any]]) -> dict[str, tuple[int, int, int, int]]:
    """name -> (cards, new, due, suspended)."""
    return {r["name"]: (r["cards"], r["new"], r["due"], r["suspended"]) for r in rows}


def test_counts_are_per_user_and_per_day(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "lower.yaml", LOWER))))
    # ana: two new cards graded 5 (due tomorrow), the third suspended.
    ok(run("review", input="\n5\n\n5\ns\n"))
    deck = "Limbs::Lower"

    assert by_name(decks_json(run))[deck] == (3, 0, 0, 1)
    assert by_name(decks_json(run, TODAY + dt.timedelta(days=1)))[deck] == (3, 0, 2, 1)
    # Overdue cards stay due.
    assert by_name(decks_json(run, TODAY + dt.timedelta(days=5)))[deck] == (3, 0, 2, 1)
    # Another student sees the same deck, all new (once a user: status, decks and stats
    # make none).
    assert run("decks", user="ben").exit_code == 1
    ok(run("review", input="q\n", user="ben"))
    assert by_name(decks_json(run, TODAY + dt.timedelta(days=1), user="ben"))[deck] == (
        3,
        3,
        0,
        0,
    )

    # ana reviews one on day 1 with a 4: due again on day 7, so day 1 shows one due.
    ok(run("review", input="\n4\nq\n", today=TODAY + dt.timedelta(days=1)))
    assert by_name(decks_json(run, TODAY + dt.timedelta(days=1)))[deck] == (3, 0, 1, 1)
    assert by_name(decks_json(run, TODAY + dt.timedelta(days=6)))[deck] == (3, 0, 1, 1)
    assert by_name(decks_json(run, TODAY + dt.timedelta(days=7)))[deck] == (3, 0, 2, 1)


def test_parent_decks_include_their_subdecks(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "upper.yaml", UPPER))))
    ok(run("import", str(write(tmp_path / "lower.yaml", LOWER))))
    ok(run("review", "Limbs::Upper", "--new", "1", input="\n5\n"))
    ok(run("review", "Limbs::Lower", "--new", "1", input="s\n"))

    rows = decks_json(run, TODAY + dt.timedelta(days=1))
    assert [r["name"] for r in rows] == ["Limbs", "Limbs::Lower", "Limbs::Upper"]
    assert by_name(rows) == {
        "Limbs": (5, 3, 1, 1),
        "Limbs::Lower": (3, 2, 0, 1),
        "Limbs::Upper": (2, 1, 1, 0),
    }
    ids = {r["name"]: r["id"] for r in rows}
    assert (ids["Limbs::Upper"], ids["Limbs::Lower"]) == ("upper-limb", "lower-limb")
    for row in rows:
        assert {"name", "id", "cards", "new", "due", "suspended"} <= row.keys()

    # The table shows the same tree: sub-decks indented under their parent.
    out = ok(run("decks", today=TODAY + dt.timedelta(days=1)))
    header, _rule, *lines = out.splitlines()
    at = header.index("Id")  # the names end where the ids begin
    table = []
    for line in lines:
        rest = line[at:].split()
        table.append([line[:at].rstrip(), *([""] if len(rest) == 4 else []), *rest])
    assert [[c.strip() for c in row] for row in table] == [
        ["Limbs", "", "5", "3", "1", "1"],
        ["Lower", "lower-limb", "3", "2", "0", "1"],
        ["Upper", "upper-limb", "2", "1", "1", "0"],
    ]
    assert table[1][0].index("Lower") > table[0][0].index("Limbs")


def test_json_is_one_document_on_stdout_and_nothing_else(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "upper.yaml", UPPER))))
    result = run("decks", "--json")
    assert result.exit_code == 0
    document = json.loads(result.stdout)
    assert document == [
        {
            "name": "Limbs",
            "id": None,
            "cards": 2,
            "new": 2,
            "due": 0,
            "suspended": 0,
            "redrills": 0,
        },
        {
            "name": "Limbs::Upper",
            "id": "upper-limb",
            "cards": 2,
            "new": 2,
            "due": 0,
            "suspended": 0,
            "redrills": 0,
        },
    ]
    assert result.stdout.strip().startswith("[") and result.stdout.strip().endswith("]")


def test_an_empty_database_says_how_to_begin(run: Cli) -> None:
    ok(run("review", input="q\n"))  # the database and its user, no decks
    result = run("decks")
    assert result.exit_code == 0
    assert result.stdout == "No decks yet. Import some: flashcards import decks/\n"
    assert json.loads(ok(run("decks", "--json"))) == []


def test_the_table_is_readable_at_80_columns_one_line_a_deck_ids_whole(
    run_sqlite: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    from rich.cells import cell_len

    ok(run_sqlite("import", str(DECKS)))
    rows = decks_json(run_sqlite)
    for width, names_whole in ((80, False), (160, True)):
        monkeypatch.setenv("COLUMNS", str(width))
        lines = ok(run_sqlite("decks")).splitlines()
        assert len(lines) == 2 + len(rows)  # the header, its rule, one line a deck
        assert max(cell_len(line) for line in lines) <= width
        assert lines[0].split() == ["Deck", "Id", "Cards", "New", "Due", "Susp."]
        for line, row in zip(lines[2:], rows, strict=True):
            name = row["name"].rsplit("::", 1)[-1]
            assert line.lstrip().startswith(name if names_whole else name[:8])
            if row["id"]:
                assert f"  {row['id']}  " in line  # whole, never folded or cut
            assert line.split()[-4:] == [str(row[k]) for k in ("cards", "new", "due", "suspended")]
