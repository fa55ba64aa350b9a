"""Many processes at once: a class grading on PostgreSQL, one student's terminals on SQLite.

Real processes, not threads: students are forked after the test imported everything
(so fifty start in a moment), open their own connections, build their queues, wait at a
barrier and then grade together through the review use-case (what `flashcards review`
calls for each grade); the SQLite terminals are the real CLI in subprocesses. Meanwhile
the instructor re-imports the deck with edited answers. Afterwards the database must hold
exactly one review row per grade acknowledged, and every process must have finished
without an error: no lost update, no deadlock, no "database is locked".

Each test prints its figures (grades sent, review rows, errors, seconds): `pytest -s`.
"""

from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from conftest import TODAY, Cli, PgClass, ok, write
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session
from test_migrations_upgrade import fill_at_first_revision

from flashcards.cli import cli
from flashcards.study.context import App
from flashcards.study.reviewing import ReviewSession
from flashcards_db.engine import make_engine
from flashcards_db.migrations import HEAD_REVISION, upgrade
from flashcards_db.queries.roles import grant_student

STUDENTS = 50
CARDS = 12
WAIT = 120.0  # seconds: a process still running by then is stuck (a deadlock), not slow

FORK = multiprocessing.get_context(
    "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
)


def deck_text(cards: int, edit: int = 0) -> str:
    """A deck of hand-written cards; ``edit`` changes every answer (same ids)."""
    lines = ["deck: Anatomy::Thigh", "id: thigh", "cards:"]
    for i in range(1, cards + 1):
        lines += [
            f"  - id: thigh-{i}",
            f"    q: Which structure is number {i} of the thigh?",
            f"    a: Structure {i}" + (f" (revision {edit})" if edit else ""),
        ]
    return "\n".join(lines) + "\n"


# --- what runs in the child processes -------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    who: str
    sent: int  # grades acknowledged (committed) by the use-case
    error: str | None


def student(
    url: str, user: str, seed: int, barrier: Any, results: Any, day: dt.date = TODAY
) -> None:
    """One student's terminal: build the day's queue, wait for the class, grade it all."""
    sent, error = 0, None
    app = App(db=url, user_name=user, today_override=day)
    try:
        try:
            session = ReviewSession(app)
        except BaseException:
            barrier.abort()  # the others stop waiting: the test fails now, not in minutes
            raise
        barrier.wait(WAIT)
        grades = random.Random(seed)
        while session.queue.current is not None and sent < 4 * CARDS:
            # Mostly passing grades; a 2 or 3 brings the card back as a re-drill.
            session.grade(grades.choice((5, 5, 4, 4, 3, 2) if seed >= 0 else (5,)))
            sent += 1
    except BaseException:
        error = traceback.format_exc()
    finally:
        app.close()
    results.put(Outcome(user, sent, error))


def instructor(url: str, decks: Sequence[str], barrier: Any, results: Any) -> None:
    """The instructor re-imports the deck, edited each time, while the class grades."""
    error = None
    imports = 0
    try:
        barrier.wait(WAIT)
        for path in decks:
            result = CliRunner().invoke(cli, ["--db", url, "--user", "prof", "import", path])
            if result.exit_code != 0:
                raise RuntimeError(result.output)
            imports += 1
    except BaseException:
        error = traceback.format_exc()
    results.put(Outcome("instructor", imports, error))


def run_all(
    jobs: list[tuple[Any, tuple[Any, ...]]], barrier_parties: int, **options: Any
) -> list[Outcome]:
    """Start every job in its own process at once; each reports one Outcome."""
    barrier = FORK.Barrier(barrier_parties)
    results = FORK.Queue()
    processes = [
        FORK.Process(target=f, args=(*args, barrier, results), kwargs=options) for f, args in jobs
    ]
    for process in processes:
        process.start()
    outcomes: list[Outcome] = []
    try:
        for _ in processes:
            outcomes.append(results.get(timeout=WAIT))
    finally:
        for process in processes:
            process.join(timeout=10)
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in processes] == [0] * len(processes)
    return outcomes


# --- checks on the database afterwards ------------------------------------------------


def answers_by_user(url: str) -> Counter[str]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT u.name, count(*) FROM reviews r JOIN users u ON u.id = r.user_id "
                    "WHERE r.kind IN ('review', 'redrill') GROUP BY u.name"
                )
            )
            return Counter({name: count for name, count in rows})
    finally:
        engine.dispose()


def consistency_problems(url: str) -> list[str]:
    """Where a card's state is not what its answers, in order, made of it."""
    engine = create_engine(url)
    problems: list[str] = []
    try:
        with engine.connect() as connection:
            # SM-2 moves a card once per study day: two first grades of one card on one
            # day would be two terminals both moving it from the same state (lost update).
            doubled = connection.execute(
                text(
                    "SELECT user_id, card_id, study_day, count(*) FROM reviews "
                    "WHERE kind = 'review' GROUP BY user_id, card_id, study_day "
                    "HAVING count(*) > 1"
                )
            ).all()
            problems += [f"user {u} card {c}: {n} first grades on {d}" for u, c, d, n in doubled]
            states = connection.execute(
                text(
                    "SELECT s.user_id, s.card_id, s.reviews, s.repetitions, s.interval, "
                    "s.due_day, count(r.id), max(r.id) FROM card_states s "
                    "JOIN reviews r ON r.user_id = s.user_id AND r.card_id = s.card_id "
                    "AND r.kind = 'review' GROUP BY s.id"
                )
            ).all()
            for user, card, reviews, reps, interval, due, logged, last_id in states:
                if reviews != logged:  # the counter lost an increment
                    problems.append(f"user {user} card {card}: {reviews} counted, {logged} logged")
                last = connection.execute(
                    text(
                        "SELECT repetitions_after, interval_after, due_after FROM reviews "
                        "WHERE id = :id"
                    ),
                    {"id": last_id},
                ).one()
                if (reps, interval, str(due)) != (last[0], last[1], str(last[2])):
                    problems.append(f"user {user} card {card}: state {reps, interval, due}")
            # Every answer's 'before' is the state the previous answer left.
            chain = connection.execute(
                text(
                    "SELECT user_id, card_id, kind, repetitions_before, repetitions_after "
                    "FROM reviews ORDER BY user_id, card_id, id"
                )
            ).all()
            previous: dict[tuple[int, int], int] = {}
            for user, card, kind, before, after in chain:
                expected = previous.get((user, card), 0)
                if before != expected:
                    problems.append(f"user {user} card {card}: {kind} saw {before} not {expected}")
                previous[(user, card)] = after
    finally:
        engine.dispose()
    return problems


def report(title: str, sent: int, rows: int, errors: int, seconds: float) -> None:
    print(f"\n{title}: {sent} grades sent, {rows} review rows, {errors} errors, {seconds:.1f} s")


# --- PostgreSQL: the class ------------------------------------------------------------


@pytest.mark.postgres
def test_fifty_students_grading_at_once_while_the_deck_is_reimported(
    pg_class: PgClass, tmp_path: Path
) -> None:
    prof = Cli(pg_class.url, user="prof")
    ok(prof("import", str(write(tmp_path / "thigh.yaml", deck_text(CARDS)))))
    edits = [str(write(tmp_path / f"thigh-{n}.yaml", deck_text(CARDS, n))) for n in (1, 2, 3)]
    roles = [pg_class.role(f"s{i:02d}") for i in range(STUDENTS)]
    engine = create_engine(pg_class.url)
    with Session(engine) as session, session.begin():
        for role in roles:
            grant_student(session, role)
    engine.dispose()
    cards_before = answers_and_cards(pg_class.url)[1]

    jobs: list[tuple[Any, tuple[Any, ...]]] = [
        (student, (pg_class.url_as(role), role, seed)) for seed, role in enumerate(roles)
    ]
    jobs.append((instructor, (pg_class.url, edits)))
    started = time.monotonic()
    outcomes = run_all(jobs, barrier_parties=len(jobs))
    seconds = time.monotonic() - started

    errors = [o for o in outcomes if o.error]
    sent = Counter({o.who: o.sent for o in outcomes if o.who != "instructor"})
    rows = answers_by_user(pg_class.url)
    report(f"{STUDENTS} students on PostgreSQL", sum(sent.values()), sum(rows.values()),
           len(errors), seconds)  # fmt: skip
    assert errors == [], errors[0].error
    assert [o.sent for o in outcomes if o.who == "instructor"] == [len(edits)]
    assert all(n >= CARDS for n in sent.values())  # every card at least once
    assert rows == sent  # per student: one review row per grade acknowledged, exactly
    assert consistency_problems(pg_class.url) == []
    # The re-imports edited the notes in place: same cards, last answers, reviews kept.
    count, cards_after = answers_and_cards(pg_class.url)
    assert cards_after == cards_before
    assert count == sum(sent.values())
    backs = {back for (back,) in rows_of(pg_class.url, "SELECT DISTINCT back FROM notes")}
    assert all(back.endswith("(revision 3)") for back in backs)


def answers_and_cards(url: str) -> tuple[int, list[int]]:
    count = rows_of(url, "SELECT count(*) FROM reviews WHERE kind <> 'undo'")[0][0]
    cards = [c for (c,) in rows_of(url, "SELECT id FROM cards ORDER BY id")]
    return int(count), cards


def rows_of(url: str, sql: str) -> list[Any]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return list(connection.execute(text(sql)))
    finally:
        engine.dispose()


# --- one student, many terminals, on each engine --------------------------------------


def test_eight_terminals_of_one_student_grade_the_same_cards_at_once(
    db_url: str, tmp_path: Path
) -> None:
    # Day 1, every card new: all eight terminals find its state row missing and insert it
    # at the same moment. Day 2, every card due: all eight read and move the same rows.
    # Either day, the first grade moves the schedule and the others are logged as
    # re-drills (SM-2 moves a card once a day); two moves would be a lost update.
    terminals = 8
    run = Cli(db_url)
    ok(run("import", str(write(tmp_path / "thigh.yaml", deck_text(CARDS)))))
    ok(run("review", input=""))  # Ana has used flashcards before (her users row exists)
    engine_name = db_url.split(":", 1)[0]
    sent = 0
    for day in (TODAY, TODAY + dt.timedelta(days=1)):
        jobs: list[tuple[Any, tuple[Any, ...]]] = [
            (student, (db_url, "ana", -1)) for _ in range(terminals)
        ]
        started = time.monotonic()
        outcomes = run_all(jobs, barrier_parties=terminals, day=day)
        seconds = time.monotonic() - started

        errors = [o for o in outcomes if o.error]
        sent += sum(o.sent for o in outcomes)
        rows = answers_by_user(db_url)
        report(f"{terminals} terminals of one student on {engine_name}, {day}", sent,
               rows["ana"], len(errors), seconds)  # fmt: skip
        assert errors == [], errors[0].error
        assert [o.sent for o in outcomes] == [CARDS] * terminals
        assert rows == Counter({"ana": sent})
        assert consistency_problems(db_url) == []
    kinds = rows_of(db_url, "SELECT kind, count(*) FROM reviews GROUP BY kind ORDER BY kind")
    assert [tuple(k) for k in kinds] == [
        ("redrill", 2 * (terminals - 1) * CARDS),
        ("review", 2 * CARDS),
    ]


# --- SQLite: two real terminals, under load -------------------------------------------


class Terminal:
    """`flashcards review` in a subprocess, its output collected as it comes."""

    def __init__(self, command: list[str]) -> None:
        env = {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}
        env["COLUMNS"] = "100"
        self.process = subprocess.Popen(
            command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            env=env,
        )  # fmt: skip
        self._out: list[bytes] = []
        self._err: list[bytes] = []
        self._threads = [
            threading.Thread(target=self._pump, args=(self.process.stdout, self._out)),
            threading.Thread(target=self._pump, args=(self.process.stderr, self._err)),
        ]
        for thread in self._threads:
            thread.start()

    @staticmethod
    def _pump(stream: Any, into: list[bytes]) -> None:
        for chunk in iter(lambda: stream.read1(4096), b""):
            into.append(chunk)

    @property
    def output(self) -> str:
        return b"".join(self._out + self._err).decode("utf-8", "replace")

    def wait_for(self, needle: str) -> None:
        deadline = time.monotonic() + WAIT
        while needle not in self.output:
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} never came:\n{self.output}")
            time.sleep(0.02)

    def send(self, text: str) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(text.encode())
        self.process.stdin.close()

    def finish(self) -> int:
        try:
            code = self.process.wait(timeout=WAIT)
        finally:
            if self.process.poll() is None:
                self.process.kill()
            for thread in self._threads:
                thread.join(timeout=10)
        return code


def reimport_until(url: str, decks: list[str], stop: Any, results: Any) -> None:
    """The instructor's re-imports, over and over until the terminals are done."""
    error, imports = None, 0
    try:
        while not stop.is_set():
            path = decks[imports % len(decks)]
            result = CliRunner().invoke(cli, ["--db", url, "--user", "prof", "import", path])
            if result.exit_code != 0:
                raise RuntimeError(result.output)
            imports += 1
    except BaseException:
        error = traceback.format_exc()
    results.put(Outcome("instructor", imports, error))


def test_two_terminals_of_one_student_on_sqlite_never_see_database_is_locked(
    sqlite_url: str, tmp_path: Path
) -> None:
    cards = 20  # a day's new cards (the default limit): both terminals queue all of them
    ok(Cli(sqlite_url)("import", str(write(tmp_path / "thigh.yaml", deck_text(cards)))))
    edits = [str(write(tmp_path / f"thigh-{n}.yaml", deck_text(cards, n))) for n in (1, 2)]
    path = sqlite_url.removeprefix("sqlite:///")
    command = [sys.executable, "-m", "flashcards", "--db", path, "--user", "ana",
               "--today", TODAY.isoformat(), "review", "--new", str(cards)]  # fmt: skip
    terminals = [Terminal(command), Terminal(command)]
    for terminal in terminals:
        terminal.wait_for("Enter: show answer")  # both have their queue and a card shown
    stop, results = FORK.Event(), FORK.Queue()
    importer = FORK.Process(target=reimport_until, args=(sqlite_url, edits, stop, results))
    importer.start()

    started = time.monotonic()
    for terminal in terminals:
        terminal.send("\n5\n" * cards)  # every card of its queue, graded 5
    codes = [terminal.finish() for terminal in terminals]
    seconds = time.monotonic() - started
    stop.set()
    imported = results.get(timeout=WAIT)
    importer.join(timeout=10)

    outputs = "\n".join(t.output for t in terminals)
    rows = answers_by_user(sqlite_url)
    errors = sum(outputs.count(s) for s in ("Error", "Traceback", "locked"))
    report("2 SQLite terminals of one student, re-imports alongside", 2 * cards, rows["ana"],
           errors, seconds)  # fmt: skip
    assert codes == [0, 0], outputs
    assert "database is locked" not in outputs
    assert "Traceback" not in outputs and "Error" not in outputs
    assert imported.error is None, imported.error
    assert rows == Counter({"ana": 2 * cards})
    assert consistency_problems(sqlite_url) == []
    print(f"(the instructor re-imported {imported.sent} times meanwhile)")


@pytest.mark.parametrize("start", ["new", "old"])
def test_an_sqlite_file_opened_by_six_processes_at_once_is_migrated_once(
    tmp_path: Path, start: str
) -> None:
    # First use with several terminals open: all find the schema missing (or old); one
    # migrates it, the others wait for the write lock and then find it at head.
    url = f"sqlite:///{tmp_path / 'flashcards.db'}"
    if start == "old":
        engine = make_engine(url)
        upgrade(engine, "0001")
        fill_at_first_revision(engine)
        engine.dispose()
    answers = rows_of(url, "SELECT count(*) FROM reviews") if start == "old" else [(0,)]
    jobs: list[tuple[Any, tuple[Any, ...]]] = [(open_and_study, (url,)) for _ in range(6)]

    outcomes = run_all(jobs, barrier_parties=len(jobs))

    assert [o.error for o in outcomes] == [None] * len(jobs)
    assert rows_of(url, "SELECT version_num FROM alembic_version") == [(HEAD_REVISION,)]
    assert ("ana",) in rows_of(url, "SELECT name FROM users")
    assert rows_of(url, "SELECT count(*) FROM reviews") == answers


def open_and_study(url: str, barrier: Any, results: Any) -> None:
    error = None
    try:
        barrier.wait(WAIT)
        app = App(db=url, user_name="ana", today_override=TODAY)
        try:
            with app.session() as session:
                app.user_id(session)
        finally:
            app.close()
    except BaseException:
        error = traceback.format_exc()
    results.put(Outcome(str(os.getpid()), 0, error))
