"""`flashcards import` and `lint`: deck files into the database, all or nothing.

Identity survives edits (a fixed answer keeps every review), removed cards are retired
with their history, and a file with errors changes no row of any table.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path
from typing import Any

from conftest import DECKS, TODAY, Cli, deck_list, ok, write
from sqlalchemy import create_engine, inspect, text

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
THIGH = FIXTURES / "thigh.yaml"
KNEE = FIXTURES / "knee.yaml"
BROKEN = FIXTURES / "three_mistakes.yaml"

ONE_CARD = """\
deck: Anatomy::Lower limb::Femoral nerve
id: femoral-nerve
cards:
  - id: femoral-roots
    q: Which spinal roots form the femoral nerve?
    a: {answer}
"""


def import_json(run: Cli, *args: str) -> dict[str, Any]:
    result = run("import", *args, "--json")
    document = json.loads(ok(result))  # stdout holds the JSON document and nothing else
    assert isinstance(document, dict)
    return document


def counts(report: dict[str, Any]) -> tuple[int, int, int, int]:
    return report["added"], report["updated"], report["unchanged"], report["retired"]


def decks_json(run: Cli, today: dt.date = TODAY) -> list[dict[str, Any]]:
    return deck_list(run, today)


def table_counts(url: str) -> dict[str, int]:
    """Rows in every table of the database (the schema version table aside)."""
    engine = create_engine(url)
    try:
        tables = [t for t in inspect(engine).get_table_names() if t != "alembic_version"]
        with engine.connect() as connection:
            return {
                t: int(connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one())
                for t in tables
            }
    finally:
        engine.dispose()


def query(url: str, sql: str) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(row) for row in connection.execute(text(sql))]
    finally:
        engine.dispose()


def shown_questions(output: str) -> list[str]:
    return re.findall(r"╭─ .+? · (?:new|review|re-drill) ─+╮\n│ (.+?)\s*│", output)


# --- idempotence and the report --------------------------------------------------------


def test_importing_decks_twice_adds_nothing_the_second_time(run: Cli) -> None:
    first = import_json(run, str(DECKS))
    assert first["added"] > 0
    assert counts(first)[1:] == (0, 0, 0)
    assert "Anatomy::Lower limb::Hip flexors" in first["decks"]

    second = import_json(run, str(DECKS))
    assert counts(second) == (0, 0, first["added"], 0)
    assert second["decks"] == first["decks"]


def test_import_json_has_the_fixed_keys_and_exact_counts(run: Cli) -> None:
    report = import_json(run, str(KNEE), str(THIGH))
    assert {"added", "updated", "unchanged", "retired", "decks"} <= report.keys()
    assert counts(report) == (2 + 6, 0, 0, 0)
    assert sorted(report["decks"]) == [
        "Anatomy::Lower limb::Anterior thigh",
        "Anatomy::Lower limb::Knee",
    ]


def test_import_without_json_prints_a_readable_summary(run: Cli) -> None:
    out = ok(run("import", str(KNEE)))
    assert "Imported 1 deck(s): Anatomy::Lower limb::Knee" in out
    assert "added 2, updated 0, unchanged 0, retired 0" in out


def test_dry_run_changes_nothing(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(KNEE)))
    before_decks = decks_json(run)
    before_rows = table_counts(run.db)

    report = import_json(run, str(THIGH), "--dry-run")
    assert counts(report) == (6, 0, 0, 0)
    assert decks_json(run) == before_decks
    assert table_counts(run.db) == before_rows

    edited = write(tmp_path / "knee.yaml", KNEE.read_text().replace("ACL, MCL", "ACL, LCL"))
    result = run("import", str(edited), "--dry-run")
    out = ok(result)
    assert "updated 1" in out and "dry run: nothing changed" in out
    assert query(run.db, "SELECT back FROM notes WHERE key = 'knee/unhappy-triad'") == [
        ("ACL, MCL and medial meniscus",)
    ]
    assert table_counts(run.db) == before_rows

    # The real import does what the dry run announced.
    assert counts(import_json(run, str(THIGH))) == (6, 0, 0, 0)


# --- identity survives edits -----------------------------------------------------------


def test_editing_an_answer_keeps_the_review_history_and_state(run: Cli, tmp_path: Path) -> None:
    deck = write(tmp_path / "femoral.yaml", ONE_CARD.format(answer="L2-L4, anterior rami"))
    ok(run("import", str(deck)))
    ok(run("review", input="\n5\n"))
    sql_state = (
        'SELECT id, card_id, repetitions, "interval", easiness, due_day, reviews FROM card_states'
    )
    sql_reviews = "SELECT id, card_id, kind, quality FROM reviews"
    state_before = query(run.db, sql_state)
    reviews_before = query(run.db, sql_reviews)
    assert len(state_before) == 1 and len(reviews_before) == 1
    assert state_before[0][2:5] == (1, 1, 2.6)

    new_answer = "Posterior divisions of the anterior rami of L2-L4"
    write(deck, ONE_CARD.format(answer=new_answer))
    assert counts(import_json(run, str(deck))) == (0, 1, 0, 0)
    assert query(run.db, sql_state) == state_before
    assert query(run.db, sql_reviews) == reviews_before
    assert query(run.db, "SELECT count(*) FROM cards") == [(1,)]

    out = ok(run("review", input="\n5\n", today=TODAY + dt.timedelta(days=1)))
    assert new_answer in out
    assert "L2-L4, anterior rami" not in out
    # The edited card carried on from its old state: its second review gives interval 6.
    assert "Next review in 6 days" in out


def test_removing_a_structure_retires_its_cards_and_prune_deletes_them(
    run: Cli, tmp_path: Path
) -> None:
    deck = tmp_path / "thigh.yaml"
    shutil.copy(THIGH, deck)
    ok(run("import", str(deck)))
    ok(run("review", "--new", "6", input="\n5\n" * 6))
    assert query(run.db, "SELECT count(*) FROM reviews") == [(6,)]

    # Pectineus (the second structure) is removed from the file.
    text_ = THIGH.read_text()
    write(deck, text_[: text_.index("  - name: Pectineus")])
    assert counts(import_json(run, str(deck))) == (0, 0, 3, 3)
    rows = {d["name"]: d for d in decks_json(run, TODAY + dt.timedelta(days=1))}
    assert rows["Anatomy::Lower limb::Anterior thigh"]["cards"] == 3
    assert rows["Anatomy::Lower limb::Anterior thigh"]["due"] == 3

    out = ok(run("review", input="", today=TODAY + dt.timedelta(days=1)))
    assert "3 cards — 0 new, 3 reviews" in out
    assert shown_questions(out) == ["Where does sartorius originate?"]
    assert "pectineus" not in out.lower()
    # History kept: every review and every state row is still there.
    assert query(run.db, "SELECT count(*) FROM reviews") == [(6,)]
    assert query(run.db, "SELECT count(*) FROM card_states") == [(6,)]

    # --prune deletes the retired cards with their history (on PostgreSQL once the
    # database is backed up: tests/test_backup_first.py).
    backed_up = ["--backed-up"] if run.db.startswith("postgresql") else []
    report = import_json(run, str(deck), "--prune", *backed_up)
    assert counts(report) == (0, 0, 3, 0)
    assert report["deleted"] == 3
    assert query(run.db, "SELECT count(*) FROM notes") == [(3,)]
    assert query(run.db, "SELECT count(*) FROM cards") == [(3,)]
    assert query(run.db, "SELECT count(*) FROM reviews") == [(3,)]
    keys = query(run.db, "SELECT key FROM notes ORDER BY position")
    assert [k for (k,) in keys] == [
        "anterior-thigh/sartorius/origin",
        "anterior-thigh/sartorius/insertion",
        "anterior-thigh/sartorius/innervation",
    ]


def test_a_retired_structure_put_back_comes_back_with_its_history(run: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "thigh.yaml"
    shutil.copy(THIGH, deck)
    ok(run("import", str(deck)))
    ok(run("review", "--new", "6", input="\n5\n" * 6))
    text_ = THIGH.read_text()
    write(deck, text_[: text_.index("  - name: Pectineus")])
    ok(run("import", str(deck)))
    shutil.copy(THIGH, deck)
    assert counts(import_json(run, str(deck))) == (0, 3, 3, 0)
    out = ok(run("review", input="", today=TODAY + dt.timedelta(days=1)))
    assert "6 cards — 0 new, 6 reviews" in out


# --- broken input: all or nothing ------------------------------------------------------


def problem_lines(text_: str, path: Path) -> list[int]:
    """Line numbers of the `path:line: message` lines about ``path``."""
    pattern = re.compile(re.escape(str(path)) + r":(\d+): \S")
    return [int(m.group(1)) for line in text_.splitlines() if (m := pattern.match(line))]


def test_a_file_with_three_mistakes_reports_three_lines_and_changes_nothing(run: Cli) -> None:
    ok(run("import", str(KNEE)))
    ok(run("review", input="\n5\n"))
    before = table_counts(run.db)

    result = run("import", str(BROKEN))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert problem_lines(result.stderr, BROKEN) == [8, 11, 14]
    assert len(result.stderr.splitlines()) == 4
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert "Traceback" not in result.output
    assert table_counts(run.db) == before


def test_import_with_one_broken_file_imports_none_of_them(run: Cli) -> None:
    ok(run("import", str(KNEE)))
    before_decks = decks_json(run)  # (this makes the user's row, so it comes first)
    before = table_counts(run.db)

    result = run("import", str(THIGH), str(BROKEN), "--json")
    assert result.exit_code == 1
    assert result.stdout == ""  # no JSON report for a failed import
    assert problem_lines(result.stderr, BROKEN) == [8, 11, 14]
    assert table_counts(run.db) == before
    assert decks_json(run) == before_decks
    assert "Anatomy::Lower limb::Anterior thigh" not in {d["name"] for d in before_decks}


def test_lint_prints_each_problem_on_stdout_and_exits_1(run_sqlite: Cli) -> None:
    result = run_sqlite("lint", str(BROKEN), str(THIGH))
    assert result.exit_code == 1
    assert problem_lines(result.stdout, BROKEN) == [8, 11, 14]
    assert len(result.stdout.splitlines()) == 3
    assert "insertoin" in result.stdout
    assert result.stderr.startswith("Error: 3 error(s)")


def test_lint_of_the_shipped_decks_is_clean(run_sqlite: Cli) -> None:
    result = run_sqlite("lint", str(DECKS))
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert not re.search(r":\d+: ", result.output)


def test_missing_path_is_an_error(run: Cli, tmp_path: Path) -> None:
    missing = tmp_path / "no-such-deck.yaml"
    for command in ("import", "lint"):
        result = run(command, str(missing))
        assert result.exit_code == 1, command
        assert result.stderr == f"Error: no such file or folder: {missing}\n"
    assert decks_json(run) == []


def test_unsupported_suffix_is_an_error(run: Cli, tmp_path: Path) -> None:
    notes = write(tmp_path / "hip-notes.pdf", "%PDF-1.4 not a deck")
    result = run("import", str(notes))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {notes}: ")
    assert "Traceback" not in result.output
    assert decks_json(run) == []


# --- preview ---------------------------------------------------------------------------


def test_cards_previews_a_file_without_importing_it(run: Cli) -> None:
    rows = json.loads(ok(run("cards", str(THIGH), "--json")))
    assert [r["question"] for r in rows][:3] == [
        "Where does sartorius originate?",
        "Where does sartorius insert?",
        "What innervates sartorius?",
    ]
    assert len(rows) == 6
    assert rows[0]["answer"] == "Anterior superior iliac spine"
    assert decks_json(run) == []


def test_a_file_whose_deck_id_is_another_files_deck_is_refused_and_changes_nothing(
    run: Cli, tmp_path: Path
) -> None:
    """A copied template that kept its id (or a file named like another deck's, without an
    id) would rename that deck and retire its cards; with --prune, delete their history."""
    theirs = write(
        tmp_path / "shipped" / "gluteal.yaml",
        "deck: Anatomy::Gluteal region\ncards:\n"
        "  - {id: a, q: Q1?, a: A1}\n  - {id: b, q: Q2?, a: A2}\n",
    )
    ok(run("import", str(theirs)))
    mine = write(
        tmp_path / "mine" / "gluteal.yaml", "deck: My::Gluteal\ncards:\n  - {id: x, q: Q?, a: A}\n"
    )
    for extra in ([], ["--dry-run"], ["--prune"]):
        result = run("import", *extra, str(mine))
        assert result.exit_code == 1, result.output
        assert f"deck id 'gluteal' is already the id of {theirs}" in result.output
    decks = json.loads(ok(run("decks", "--json")))
    assert {d["name"]: d["cards"] for d in decks} == {"Anatomy": 2, "Anatomy::Gluteal region": 2}
    # The same deck from another copy of its folder is the same deck, and a moved file
    # (its old path gone) carries the deck on.
    copy = write(tmp_path / "copy" / "gluteal.yaml", theirs.read_text())
    assert json.loads(ok(run("import", str(copy), "--json")))["unchanged"] == 2
    theirs.unlink()
    copy.unlink()  # the deck's files gone: the one left is its home now
    assert json.loads(ok(run("import", str(mine), "--json")))["decks"] == ["My::Gluteal"]
