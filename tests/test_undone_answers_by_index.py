"""Undone answers are left out of a user's log by a probe of ``ix_reviews_undoes_id`` per
answer read (NOT EXISTS), never by a list of every undo row of the user (``NOT IN``,
which reads the user's whole log): `flashcards undo` walks the user's log from the newest
row (``ix_reviews_user_id``), `search rated:N` reads the days asked for. The plans are
SQLite's own (EXPLAIN QUERY PLAN) for every statement the commands run."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import KNEE, Cli, ok, write
from sqlalchemy import event
from sqlalchemy.engine import Engine


@contextmanager
def statements() -> Iterator[list[tuple[str, Any]]]:
    """The SELECTs run meanwhile that read the review log, with their parameters."""
    seen: list[tuple[str, Any]] = []

    def note(conn: Any, cursor: Any, sql: str, params: Any, context: Any, many: bool) -> None:
        if sql.lstrip().upper().startswith("SELECT") and "reviews" in sql:
            seen.append((sql, params))

    event.listen(Engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", note)


def plans(path: str, seen: list[tuple[str, Any]]) -> list[str]:
    with sqlite3.connect(path) as connection:
        return [
            " / ".join(row[3] for row in connection.execute("EXPLAIN QUERY PLAN " + sql, params))
            for sql, params in seen
        ]


def _studied(run: Cli, tmp_path: Path) -> str:
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run("review", input="\n5\n\n4\n\n5\nq\n"))
    # an undo row in the log, taking back knee-3's answer: the filter has something to leave out
    assert "Which bursa lies in front of the patella?" in ok(run("undo"))
    return run.db.removeprefix("sqlite:///")


def _read_by_index(plan: str) -> None:
    assert "SCAN reviews" not in plan, plan
    assert "ix_reviews_user_day (user_id=?)" not in plan, plan  # the user's whole log


def test_undo_reads_the_log_from_its_newest_row_through_indexes(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    path = _studied(run_sqlite, tmp_path)
    with statements() as seen:
        out = ok(run_sqlite("undo"))
    assert "Took back grade 4" in out  # the third answer went first; this is the second
    assert seen and not any("NOT IN" in sql for sql, _ in seen)
    found = plans(path, seen)
    assert any("ix_reviews_user_id (user_id=?)" in plan for plan in found), found
    assert any("ix_reviews_undoes_id (undoes_id=?)" in plan for plan in found), found
    for plan in found:
        _read_by_index(plan)
        assert "LIST SUBQUERY" not in plan, plan  # NOT IN (SELECT undoes_id …)
        assert "TEMP B-TREE" not in plan, plan  # every row of the user's log sorted


def test_search_rated_reads_the_days_asked_for_once(run_sqlite: Cli, tmp_path: Path) -> None:
    path = _studied(run_sqlite, tmp_path)
    with statements() as seen:
        out = ok(run_sqlite("search", "--json", "rated:1"))
    # the cards answered today, less knee-3 whose only answer was undone
    assert {card["key"] for card in json.loads(out)} == {"knee/knee-1", "knee/knee-2"}
    assert seen and not any("NOT IN" in sql for sql, _ in seen)
    found = plans(path, seen)
    days = "ix_reviews_user_day (user_id=? AND study_day>? AND study_day<?)"
    assert any(days in plan for plan in found), found
    for plan in found:
        _read_by_index(plan)
        # the day's answers read once (a list), not again for every card
        assert "CORRELATED SCALAR SUBQUERY 2" not in plan, plan
