"""`flashcards status`: one line (due now, new today, streak) for a shell prompt."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import TODAY, Cli, ok, write

KNEE = "deck: Anatomy::Knee\nid: knee\ncards:\n" + "".join(
    f"  - id: k{i}\n    q: Knee question {i}?\n    a: Answer {i}\n" for i in range(1, 6)
)


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def test_status_line_through_a_week(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    assert ok(run("status")) == "0 due now · 5 new today · streak 0 days\n"

    # Two new cards today, one failed: its re-drill waits, counted as a re-drill.
    ok(run("review", "--new", "2", input="\n5\n\n2\nq\n"))
    assert ok(run("status")) == "0 due now · 3 new today · 1 re-drill · streak 1 day\n"
    ok(run("review", input="\n4\nq\n"))  # the re-drill passes
    assert ok(run("status")) == "0 due now · 3 new today · streak 1 day\n"

    # Tomorrow, before studying: both due, yesterday's streak still alive.
    assert ok(run("status", today=day(1))) == "2 due now · 3 new today · streak 1 day\n"
    ok(run("review", "--new", "0", input="\n5\n\n5\n", today=day(1)))
    assert ok(run("status", today=day(1))) == "0 due now · 3 new today · streak 2 days\n"

    # A day missed, then a quiz only: a quiz is practice, not the day's study.
    ok(run("quiz", "--mode", "flip", "--count", "1", input="\n5\n", today=day(3)))
    document = json.loads(ok(run("status", "--json", today=day(3))))
    assert document == {
        "due": 1,
        "new": 3,
        "redrills": 0,
        "left": 4,
        "streak": {"current": 0, "longest": 2},
    }


def test_new_today_counts_what_the_daily_limit_leaves(run: Cli, tmp_path: Path) -> None:
    cards = "".join(f"  - id: r{i}\n    q: Rib {i}?\n    a: Rib {i}\n" for i in range(1, 31))
    ok(run("import", str(write(tmp_path / "ribs.yaml", f"deck: Ribs\nid: ribs\ncards:\n{cards}"))))
    assert ok(run("status")).startswith("0 due now · 20 new today")
    ok(run("review", "--new", "15", input="\n5\n" * 15))
    assert ok(run("status")).startswith("0 due now · 5 new today")
    assert ok(run("status", today=day(1))).startswith("15 due now · 15 new today")


def test_status_on_a_current_sqlite_file_loads_neither_sqlalchemy_nor_click(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    """What keeps it fast at every prompt: on an SQLite file at this version's schema it
    is read with the sqlite3 module alone (flashcards.study.status.status_of_file), with
    none of SQLAlchemy, click, Alembic, genanki or rich (once the user is known: a name
    becomes a user when it first studies)."""
    ok(run_sqlite("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run_sqlite("review", input="q\n"))
    code = (
        "import json, runpy, sys\n"
        f"sys.argv = ['flashcards', '--db', {run_sqlite.db!r}, '--user', 'ana', 'status']\n"
        "try:\n"
        "    runpy.run_module('flashcards', run_name='__main__')\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted({n.split('.')[0] for n in sys.modules})\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps(loaded))\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=60
    )
    assert result.stdout == "0 due now · 5 new today · streak 0 days\n"
    modules = set(json.loads(result.stderr.rsplit("\nMODULES ", 1)[1]))
    assert "flashcards" in modules
    unwanted = {"sqlalchemy", "click", "alembic", "genanki", "rich", "rapidfuzz"}
    assert sorted(modules & unwanted) == []
