"""`flashcards status` read with the sqlite3 module alone (flashcards/__main__.py and
flashcards.study.status.status_of_file): the same figures as the command through click
and SQLAlchemy, `decks` and a session's header; the same queries (plain.sql is what the
query functions compile to now); every other case left to the command as it was."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import TODAY, Cli, ok, write

from flashcards.__main__ import GLOBAL_OPTIONS, plain_status
from flashcards.cli import GLOBAL_ENV
from flashcards_db.migrations import HEAD_REVISION
from flashcards_db.queries.plain import PLAIN_FILE, load_plain_queries, parse_plain, render_plain
from flashcards_db.queries.plain_source import plain_queries

RIBS = "deck: Anatomy::Ribs\nid: ribs\ncards:\n" + "".join(
    f"  - {{id: r{i}, q: Rib question {i}?, a: Rib {i}}}\n" for i in range(1, 21)
)
KNEE = "deck: Anatomy::Knee\nid: knee\ncards:\n" + "".join(
    f"  - {{id: k{i}, q: Knee question {i}?, a: Knee {i}}}\n" for i in range(1, 11)
)
ROOT = Path(__file__).resolve().parent.parent


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}
    return {**env, "PYTHONPATH": str(ROOT)}


def flashcards(
    *argv: str, env: dict[str, str] | None = None, input: str | None = None
) -> subprocess.CompletedProcess[str]:
    """`flashcards ARGV` as a process, through the package's entry point."""
    return subprocess.run(
        [sys.executable, "-m", "flashcards", *argv],
        input=input,
        capture_output=True,
        text=True,
        env={**clean_env(), **(env or {})},
        timeout=120,
    )


def through_click(
    *argv: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """`flashcards ARGV` as a process straight through flashcards.cli, as before."""
    code = "import sys\nfrom flashcards.cli import main\nsys.argv[0] = 'flashcards'\nmain()\n"
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env={**clean_env(), **(env or {})},
        timeout=120,
    )


def header(out: str) -> tuple[int, int, int]:
    """(new, reviews, re-drills) of a session's header."""
    m = re.search(r"(\d+) cards? — (\d+) new, (\d+) reviews?, (\d+) re-drills?", out)
    assert m, out
    return int(m[2]), int(m[3]), int(m[4])


# --- one definition ---------------------------------------------------------------------


def test_plain_sql_is_what_the_query_functions_compile_to_now() -> None:
    """A query changed without `python -m flashcards_db.queries.plain_source` fails here
    (and a new migration too: the file names the revision it was compiled for)."""
    compiled = plain_queries()
    assert compiled.revision == HEAD_REVISION
    assert PLAIN_FILE.read_text(encoding="utf-8") == render_plain(compiled)
    assert load_plain_queries() == parse_plain(render_plain(compiled)) == compiled
    expected = {"user", "setting", "todays_reviews", "studyable_cards", "due_count"}
    assert expected <= set(compiled.queries)


def test_the_plain_options_are_the_global_options_of_the_command_line() -> None:
    assert {f"--{k.replace('_', '-')}": v for k, v in GLOBAL_ENV.items()} == GLOBAL_OPTIONS


def test_todays_answers_are_found_through_an_index_not_by_reading_the_whole_log(
    tmp_path: Path, run_sqlite: Cli
) -> None:
    ok(run_sqlite("review", input="q\n"))
    path = run_sqlite.db.removeprefix("sqlite:///")
    query = load_plain_queries().queries["todays_reviews"]
    with sqlite3.connect(path) as connection:
        sql = "EXPLAIN QUERY PLAN " + query.sql
        values = [
            1 if p == "$user_id" else "2026-03-02" if p == "$day" else p for p in query.params
        ]
        plan = " / ".join(row[3] for row in connection.execute(sql, values))
    assert "ix_reviews_user_day (user_id=? AND study_day=?)" in plan
    assert "ix_reviews_undoes_id (undoes_id=?)" in plan
    assert "SCAN" not in plan


# --- the same figures -------------------------------------------------------------------


@pytest.fixture
def history(run_sqlite: Cli, tmp_path: Path) -> Cli:
    """Three students on one SQLite file: due cards, re-drills waiting today, an answer
    taken back, suspended cards, a new-card limit of their own, one who never studied."""
    run = run_sqlite
    ok(run("import", str(write(tmp_path / "ribs.yaml", RIBS))))
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    # ana: twelve new cards two days ago (three failed and passed again), then today's
    # reviews: two failures waiting for their re-drill, an answer taken back, a suspension.
    ok(run("config", "new-per-day", "15"))
    first = "\n4\n" * 3 + "\n2\n" * 3 + "\n5\n" * 6 + "\n4\n" * 3
    ok(run("review", "--new", "12", input=first + "q\n", today=day(-2)))
    ok(run("review", "--new", "2", input="\n2\n\n1\n\n5\nu\n\n5\ns\nq\n"))
    # ben: a limit of 3 new cards a day, all used today, two failed; the first one's
    # re-drill suspended (no longer a re-drill), the second's waiting.
    ok(run("config", "new-per-day", "3", user="ben"))
    ok(run("review", input="\n1\n\n1\n\n5\ns\nq\n", user="ben"))
    # cat: known, never studied.
    ok(run("review", input="q\n", user="cat"))
    return run


@pytest.mark.parametrize("user", ["ana", "ben", "cat"])
@pytest.mark.parametrize("when", [0, 1, 4])
def test_the_plain_way_says_what_the_command_decks_and_a_session_say(
    history: Cli, user: str, when: int
) -> None:
    run = history
    today = str(day(when))
    argv = ["--db", run.db, "--user", user, "--today", today, "status"]
    plain_json = plain_status([*argv, "--json"])
    plain_line = plain_status(argv)
    assert plain_json is not None and plain_line is not None  # the plain way answered
    assert plain_json + "\n" == ok(run("status", "--json", user=user, today=today))
    assert plain_line + "\n" == ok(run("status", user=user, today=today))

    now = json.loads(plain_json)
    rows = json.loads(ok(run("decks", "--json", user=user, today=today)))
    top = next(r for r in rows if r["name"] == "Anatomy")
    assert (top["due"], top["redrills"]) == (now["due"], now["redrills"])
    opened = ok(run("review", input="q\n", user=user, today=today))
    if now["left"]:
        assert header(opened) == (now["new"], now["due"], now["redrills"])
    if when == 0:  # the history did give what this test is about
        expected = {"ana": (2, 15), "ben": (1, 0), "cat": (0, 20)}[user]
        assert (now["redrills"], now["new"]) == expected
        assert (now["due"] > 0) == (user == "ana")


def test_a_daily_review_cap_leaves_what_a_session_would_ask(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    """`config reviews-per-day N`: status (both ways) counts the reviews a session over
    every deck would ask today, what is left of the cap, as its header does."""
    run = run_sqlite
    ok(run("import", str(write(tmp_path / "ribs.yaml", RIBS))))
    ok(run("config", "new-per-day", "6"))
    ok(run("review", input="\n5\n" * 6 + "q\n", today=day(-1)))  # six due today
    ok(run("config", "reviews-per-day", "2"))
    ok(run("config", "new-per-day", "0"))  # today's sessions ask reviews alone
    for answered in (0, 1, 2):
        argv = ["--db", run.db, "--user", "ana", "--today", str(TODAY), "status", "--json"]
        plain = plain_status(argv)
        assert plain is not None and plain + "\n" == ok(run("status", "--json"))
        now = json.loads(plain)
        assert (now["due"], now["left"]) == (2 - answered, 2 - answered + now["new"])
        opened = ok(run("review", input="\n5\nq\n" if answered < 2 else "q\n"))
        if now["left"]:
            assert header(opened)[1] == now["due"]
    ok(run("config", "reviews-per-day", "unlimited"))
    assert json.loads(ok(run("status", "--json")))["due"] == 4  # the six less the two


def test_the_figures_were_not_trivial(history: Cli) -> None:
    """The history above holds what the comparison needs: an undo row, suspended cards,
    re-drills, two students with answers and settings."""
    path = history.db.removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        kinds = dict(connection.execute("SELECT kind, count(*) FROM reviews GROUP BY kind"))
        suspended = connection.execute(
            "SELECT count(*) FROM card_states WHERE suspended"
        ).fetchone()
        settings = connection.execute("SELECT count(*) FROM settings").fetchone()
    assert kinds.get("undo", 0) >= 1 and kinds.get("suspend", 0) >= 2
    assert suspended[0] >= 2 and settings[0] == 2


def test_without_today_the_day_is_the_users_own(history: Cli) -> None:
    """No --today: the study day in the user's zone and day-start hour, as the command
    reads them."""
    ok(history("config", "timezone", "Pacific/Kiritimati", today=None))
    ok(history("config", "day-start", "23", today=None))
    for user in ("ana", "ben"):
        argv = ["--db", history.db, "--user", user, "status", "--json"]
        plain = plain_status(argv)
        assert plain is not None
        assert plain + "\n" == ok(history("status", "--json", user=user, today=None))


def test_options_after_the_name_and_the_environment_are_read_as_click_reads_them(
    history: Cli,
) -> None:
    env = {"FLASHCARDS_DB": history.db, "FLASHCARDS_USER": "ben", "FLASHCARDS_TODAY": "2026-03-03"}
    done = flashcards("status", "--user", "ana", "--today", str(TODAY), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout == ok(history("status", user="ana", today=TODAY))
    done = flashcards("--user", "cat", "status", "--json", "--user=ben", env=env)
    assert done.stdout == ok(history("status", "--json", user="ben", today="2026-03-03"))


def test_the_whole_command_prints_what_the_command_through_click_prints(history: Cli) -> None:
    for args in (["status"], ["status", "--json"]):
        done = flashcards("--db", history.db, "--user", "ana", "--today", str(TODAY), *args)
        assert (done.returncode, done.stderr) == (0, "")
        assert done.stdout == ok(history(*args))


# --- what it leaves to the command ------------------------------------------------------


@pytest.mark.parametrize(
    "argv",
    [
        ["status", "--help"],
        ["--help"],
        ["--version"],
        ["status", "extra"],
        ["--json", "status"],
        ["status", "--jsn"],
        ["--today", "2026-3-2", "status"],  # click reads it; the plain way does not
        ["--today", "2026-02-30", "status"],
        ["--day-start", "24", "status"],
        ["--user", " ", "status"],
        ["--db", "", "status"],
        ["--user"],
        ["decks"],
        ["status", "--user"],
    ],
)
def test_other_command_lines_go_to_the_command_unchanged(history: Cli, argv: list[str]) -> None:
    full = ["--db", history.db, "--user", "ana", "--today", str(TODAY), *argv]
    assert plain_status(full) is None
    done, expected = flashcards(*full), through_click(*full)
    assert (done.returncode, done.stdout, done.stderr) == (
        expected.returncode, expected.stdout, expected.stderr,
    )  # fmt: skip
    assert done.stdout or done.stderr


@pytest.mark.parametrize(
    "variable", [("FLASHCARDS_DB", ""), ("FLASHCARDS_USER", " "), ("FLASHCARDS_TODAY", "soon")]
)
def test_a_bad_variable_is_judged_by_the_command_though_an_option_after_the_name_wins(
    history: Cli, variable: tuple[str, str]
) -> None:
    argv = ["status", "--db", history.db, "--user", "ana", "--today", str(TODAY)]
    env = dict([variable])
    done, expected = flashcards(*argv, env=env), through_click(*argv, env=env)
    assert (done.returncode, done.stdout, done.stderr) == (
        expected.returncode, expected.stdout, expected.stderr,
    )  # fmt: skip
    assert done.returncode in (1, 2)
    assert f"--{variable[0].removeprefix('FLASHCARDS_').lower()}" in done.stderr


def test_a_missing_folder_or_file_damaged_or_foreign_gets_the_commands_error(
    tmp_path: Path,
) -> None:
    damaged = write(tmp_path / "damaged.db", "not a database at all " * 100)
    foreign = tmp_path / "foreign.db"
    with sqlite3.connect(foreign) as connection:
        connection.execute("CREATE TABLE recipes (name TEXT)")
    before = damaged.read_bytes()
    for db in (tmp_path / "no" / "such.db", damaged, foreign):
        argv = ["--db", str(db), "--user", "ana", "status"]
        assert plain_status(argv) is None
        done, expected = flashcards(*argv), through_click(*argv)
        assert done.returncode == expected.returncode == 1
        assert done.stderr.startswith("Error: ")
        assert (done.stdout, done.stderr) == (expected.stdout, expected.stderr)
    assert not (tmp_path / "no").exists()
    assert damaged.read_bytes() == before
    with sqlite3.connect(foreign) as connection:  # still the other program's alone
        tables = connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        assert [name for (name,) in tables] == ["recipes"]


def test_a_missing_or_empty_file_is_no_database_and_nothing_is_made(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    argv = ["--db", str(db), "--user", "ana", "--today", str(TODAY), "status"]
    assert plain_status(argv) is None
    done = flashcards(*argv)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (
        f"Error: no flashcards database here yet ({db} does not exist): `flashcards import "
        "DECK…` creates one (`flashcards import decks/` for the shipped decks)\n"
    )
    assert list(tmp_path.iterdir()) == []
    db.touch()  # 0 bytes: as SQLite sees it, a database not made yet
    done = flashcards(*argv)
    assert (done.returncode, done.stdout) == (1, "")
    assert f"no flashcards database here yet ({db} is empty)" in done.stderr
    assert db.stat().st_size == 0 and [p.name for p in tmp_path.iterdir()] == ["new.db"]


def test_an_unknown_user_is_refused_by_both_ways_and_not_made(tmp_path: Path) -> None:
    db = tmp_path / "fc.db"
    base = ["--db", str(db), "--today", str(TODAY)]
    done = flashcards(*base, "--user", "ana", "review", input="q\n")
    assert done.returncode == 0, done.stderr
    argv = ["--db", str(db), "--user", "nobody", "--today", str(TODAY), "status"]
    assert plain_status(argv) is None  # the plain way leaves it to the command
    done = flashcards(*argv)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr.startswith("Error: no user named 'nobody' in this database: ")
    assert "`flashcards users` lists" in done.stderr
    with sqlite3.connect(db) as connection:
        names = [name for (name,) in connection.execute("SELECT name FROM users")]
    assert names == ["ana"]


def test_an_older_schema_is_upgraded_by_the_command_with_its_notice(tmp_path: Path) -> None:
    from sqlalchemy import create_engine

    from flashcards_db.migrations import upgrade

    db = tmp_path / "old.db"
    engine = create_engine(f"sqlite:///{db}")
    upgrade(engine, "0004")
    engine.dispose()
    with sqlite3.connect(db) as connection:  # a user of that version
        connection.execute("INSERT INTO users (name, created_at) VALUES ('ana', '2026-11-01')")
    argv = ["--db", str(db), "--user", "ana", "--today", str(TODAY), "status"]
    assert plain_status(argv) is None
    done = flashcards(*argv)
    assert done.returncode == 0, done.stderr
    assert "Upgraded the database from schema revision 0004 to" in done.stderr
    assert done.stdout == "0 due now · 0 new today · streak 0 days\n"
    assert plain_status(argv) == "0 due now · 0 new today · streak 0 days"


def test_a_postgresql_url_goes_to_the_command(pg_server: str) -> None:
    assert plain_status(["--db", pg_server, "status"]) is None
    assert plain_status(["--db", "postgresql://nobody@localhost/none", "status"]) is None
    assert plain_status(["--db", "sqlite:///rel.db?mode=ro", "status"]) is None


def test_a_postgresql_database_reads_the_same_through_the_entry_point(run: Cli) -> None:
    """On either engine the process prints what the command prints (PostgreSQL through
    the command, SQLite the plain way)."""
    ok(run("review", input="q\n", user="ana"))
    done = flashcards("--db", run.db, "--user", "ana", "--today", str(TODAY), "status")
    assert (done.returncode, done.stdout) == (0, ok(run("status")))


def test_a_database_nobody_has_studied_in_answers_for_any_name_and_makes_none(
    tmp_path: Path,
) -> None:
    db = tmp_path / "fc.db"
    deck = tmp_path / "knee.yaml"
    deck.write_text(KNEE, encoding="utf-8")
    done = flashcards("--db", str(db), "--user", "ana", "import", str(deck))
    assert done.returncode == 0, done.stderr
    for name in ("ana", "nobody"):
        done = flashcards("--db", str(db), "--user", name, "--today", str(TODAY), "status")
        assert (done.returncode, done.stdout) == (0, "0 due now · 10 new today · streak 0 days\n")
    with sqlite3.connect(db) as connection:
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (0,)
