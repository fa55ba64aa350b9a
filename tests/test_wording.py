"""Figures said as a person says them: "1 answer", "1 time", "2 reviews"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from conftest import TODAY, Cli, ok, write

from flashcards.progress.words import plural

ONE = "deck: Anatomy::One\nid: one\ncards:\n  - {id: o1, q: Which bone is longest?, a: Femur}\n"


def test_plural() -> None:
    assert [plural(n, "answer") for n in (0, 1, 2)] == ["0 answers", "1 answer", "2 answers"]
    assert plural(1, "leech") == "1 leech" and plural(3, "leech") == "3 leeches"


def test_one_of_each_is_said_in_the_singular(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "one.yaml", ONE))))
    first = ok(run("review", input="\n5\n"))
    assert "1 card — 1 new, 0 reviews, 0 re-drills" in first
    assert "Session over: 1 answer — 1 new, 0 reviews, 0 re-drills" in first
    assert "Tomorrow: 1 review due" in first
    stats = ok(run("stats"))
    assert "1 answer in all · streak 1 day, longest 1" in stats
    # The next day the card is forgotten: with a threshold of 1 it is a leech at once.
    later = ok(
        run("review", "--leech-threshold", "1", input="\n1\n", today=TODAY + dt.timedelta(days=1))
    )
    assert "Leech: forgotten 1 time." in later
    assert "1 leech suspended this session." in later


def test_a_re_drill_in_the_status_line(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "one.yaml", ONE))))
    ok(run("review", input="\n2\nq\n"))
    assert ok(run("status")) == "0 due now · 0 new today · 1 re-drill · streak 1 day\n"
