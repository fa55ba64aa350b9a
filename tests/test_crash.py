"""Crash tests: a real `python -m flashcards` process killed with SIGKILL at random moments.

A review session is scripted (a seeded random stream of grades, fed in advance) and the
process killed after a random delay; again and again, on one database, over several study
days. After each kill: every grade the program acknowledged on stdout ("Next review in" /
"Re-drill:") is a row in the database, the file passes `PRAGMA integrity_check`, and the
next session goes on with the first card not yet graded. An import killed midway leaves
the database exactly as before or exactly as after it.

Each kill costs one interpreter start, so two databases are driven side by side (the
budget is two cores); the figures are printed (pytest -s) and asserted.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import re
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from conftest import TODAY, Cli, ok, write

KILLS = 100
WORKERS = 2  # the budget is two cores
CARDS = 30
SEED = 20260302
PANEL = re.compile(r"╭─ .+? · (new|review|re-drill) ─+╮\n│ (.+?)\s*│")
FLASHCARDS = [sys.executable, "-m", "flashcards", "--user", "ana"]
ACK = re.compile(r"Next review in|Re-drill:")


def question(i: int) -> str:
    return f"What articulates with the head of rib {i}?"


def rib_deck(tmp_path: Path, count: int, name: str = "ribs") -> Path:
    cards = "".join(
        f"  - id: rib-{i}\n    q: {question(i)}\n    a: Vertebral body {i}\n"
        for i in range(1, count + 1)
    )
    return write(tmp_path / f"{name}.yaml", f"deck: Anatomy::Ribs\nid: {name}\ncards:\n{cards}")


def env() -> dict[str, str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}
    clean["COLUMNS"] = "100"
    return clean


class Pump:
    """A subprocess's stdout, read in a thread to its end."""

    def __init__(self, stream: Any) -> None:
        self.chunks: list[bytes] = []
        self.thread = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self.thread.start()

    def _read(self, stream: Any) -> None:
        for chunk in iter(lambda: stream.read1(65536), b""):
            self.chunks.append(chunk)

    @property
    def text(self) -> str:
        return b"".join(self.chunks).decode("utf-8", "replace")


def acknowledged(output: str) -> list[str]:
    """The questions whose grades the program acknowledged, in order."""
    events = sorted(
        [(m.start(), m.group(2)) for m in PANEL.finditer(output)]
        + [(m.start(), "") for m in ACK.finditer(output)]
    )
    shown, acks = "", []
    for _, text in events:
        if text:
            shown = text
        else:
            acks.append(shown)
    return acks


def answers_since(path: Path, after_id: int) -> list[str]:
    with sqlite3.connect(path) as db:
        rows = db.execute(
            "SELECT n.front FROM reviews r JOIN cards c ON c.id = r.card_id "
            "JOIN notes n ON n.id = c.note_id WHERE r.id > ? AND r.kind IN ('review', 'redrill') "
            "ORDER BY r.id",
            (after_id,),
        ).fetchall()
    return [r[0] for r in rows]


def last_review_id(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("SELECT coalesce(max(id), 0) FROM reviews").fetchone()[0])


def first_ungraded(path: Path) -> str | None:
    """The first card, in the deck's order, never graded: where new cards resume."""
    with sqlite3.connect(path) as db:
        row = db.execute(
            "SELECT n.front FROM notes n JOIN cards c ON c.note_id = n.id "
            "WHERE c.id NOT IN (SELECT card_id FROM reviews) ORDER BY n.position LIMIT 1"
        ).fetchone()
    return None if row is None else str(row[0])


def integrity(path: Path) -> list[str]:
    with sqlite3.connect(path) as db:
        rows = [str(r[0]) for r in db.execute("PRAGMA integrity_check")]
    return [] if rows == ["ok"] else rows


@dataclass
class Figures:
    kills: int = 0
    acknowledged: int = 0
    lost: int = 0
    integrity_errors: int = 0
    resumed_wrong: int = 0
    sessions: int = 0
    problems: list[str] = field(default_factory=list)


def drive(path: Path, kills: int, seed: int) -> Figures:
    """Sessions on one database, each killed at a random moment, until ``kills`` kills."""
    rng = random.Random(seed)
    figures = Figures()
    day = TODAY
    while figures.kills < kills:
        expected_new = first_ungraded(path)
        before = last_review_id(path)
        grades = "".join(f"\n{rng.choice('234555')}\n" for _ in range(2 * CARDS))
        proc = subprocess.Popen(
            [*FLASHCARDS, "--db", str(path), "--today", day.isoformat(), "review"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            env=env(),
        )
        assert proc.stdin is not None
        pump = Pump(proc.stdout)
        proc.stdin.write(grades.encode())
        proc.stdin.close()
        # A random moment among the grades: after a random number of acknowledgements
        # and a random fraction of the next answer's time (the start costs the most and
        # writes nothing, so waiting it out makes every kill count).
        target = rng.randint(0, 5)
        give_up = time.monotonic() + 30
        while proc.poll() is None and time.monotonic() < give_up:
            if "╭─" in pump.text and len(ACK.findall(pump.text)) >= target:
                break
            time.sleep(0.002)
        time.sleep(rng.uniform(0.0, 0.01))
        killed = proc.poll() is None
        if killed:
            proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        pump.thread.join(timeout=30)
        figures.sessions += 1
        output = pump.text
        acks = acknowledged(output)
        logged = answers_since(path, before)
        # Every acknowledged grade is a row (one more may be committed but not yet shown).
        missing = max(0, len(acks) - len(logged))
        figures.lost += missing
        if logged[: len(acks)] != acks:
            figures.problems.append(f"{day}: acknowledged {acks}, logged {logged}")
        errors = integrity(path)
        figures.integrity_errors += len(errors)
        firsts = [text for label, text in PANEL.findall(output) if label == "new"]
        if firsts and expected_new is not None and firsts[0] != expected_new:
            figures.resumed_wrong += 1
            figures.problems.append(f"{day}: resumed at {firsts[0]!r}, not {expected_new!r}")
        figures.acknowledged += len(acks)
        if killed:
            figures.kills += 1
        else:
            day += dt.timedelta(days=1)  # the day's session ran out: study the next day
    return figures


def test_review_killed_100_times_loses_no_acknowledged_grade(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    ok(run_sqlite("import", str(rib_deck(tmp_path, CARDS))))
    template = Path(run_sqlite.db.removeprefix("sqlite:///"))
    paths = []
    for n in range(WORKERS):
        path = tmp_path / f"student-{n}.db"
        with sqlite3.connect(template) as source, sqlite3.connect(path) as copy:
            source.backup(copy)
        paths.append(path)
    shares = [KILLS // WORKERS + (n < KILLS % WORKERS) for n in range(WORKERS)]
    with ThreadPoolExecutor(WORKERS) as pool:
        results = list(pool.map(drive, paths, shares, range(SEED, SEED + WORKERS)))
    total = Figures()
    for r in results:
        total.kills += r.kills
        total.acknowledged += r.acknowledged
        total.lost += r.lost
        total.integrity_errors += r.integrity_errors
        total.resumed_wrong += r.resumed_wrong
        total.sessions += r.sessions
        total.problems += r.problems
    print(
        f"\nreview crash test: {total.kills} kills over {total.sessions} sessions, "
        f"{total.acknowledged} acknowledged grades, lost = {total.lost}, "
        f"integrity errors = {total.integrity_errors}, wrong resumes = {total.resumed_wrong}"
    )
    assert total.kills >= KILLS
    assert total.acknowledged > total.kills  # the kills landed mid-session, not all at start
    assert total.problems == []
    assert (total.lost, total.integrity_errors, total.resumed_wrong) == (0, 0, 0)
    for path in paths:  # and the schedules still agree with the log, as doctor checks
        assert "OK: no damage found." in ok(Cli(f"sqlite:///{path}")("doctor"))


# --- import killed midway --------------------------------------------------------------

IMPORTED = 400  # cards in the imported deck: an import long enough to be cut
IMPORT_KILLS = 6
TIMESTAMPS = {"created_at", "updated_at", "content_changed_at", "reviewed_at"}


def snapshot(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows, without the moments they were written (those differ per run)."""
    with sqlite3.connect(path) as db:
        tables = [
            r[0]
            for r in db.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        found = {}
        for table in tables:
            columns = [r[1] for r in db.execute(f'PRAGMA table_info("{table}")')]
            kept = ", ".join(f'"{c}"' for c in columns if c not in TIMESTAMPS)
            found[table] = sorted(db.execute(f'SELECT {kept} FROM "{table}"').fetchall(), key=repr)
    return found


def test_import_killed_midway_leaves_the_database_before_or_after(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    ok(run_sqlite("import", str(rib_deck(tmp_path, 10))))
    ok(run_sqlite("review", input="\n5\n" * 10))
    base = Path(run_sqlite.db.removeprefix("sqlite:///"))
    big = rib_deck(tmp_path, IMPORTED, "ribs-big")
    command = [*FLASHCARDS, "--today", str(TODAY)]

    def fresh(name: str) -> Path:
        path = tmp_path / name
        with sqlite3.connect(base) as source, sqlite3.connect(path) as copy:
            source.backup(copy)
        return path

    before = snapshot(base)
    done = fresh("done.db")
    started = time.monotonic()
    subprocess.run(
        [*command, "--db", str(done), "import", str(big)],
        check=True,
        env=env(),
        capture_output=True,
    )
    took = time.monotonic() - started
    after = snapshot(done)
    assert after != before

    rng = random.Random(SEED)
    outcomes = {"before": 0, "after": 0}
    for n in range(IMPORT_KILLS):
        path = fresh(f"killed-{n}.db")
        proc = subprocess.Popen(
            [*command, "--db", str(path), "import", str(big)],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            env=env(),
        )
        time.sleep(rng.uniform(0.2, 1.0) * took)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        assert integrity(path) == []
        now = snapshot(path)
        assert now in (before, after), f"kill {n}: the database is half-imported"
        outcomes["before" if now == before else "after"] += 1
    print(
        f"\nimport crash test: {IMPORT_KILLS} kills, {outcomes['before']} before, "
        f"{outcomes['after']} after, 0 half-imported"
    )
    assert outcomes["before"] > 0  # kills landed inside the import's transaction


def test_ctrl_c_in_a_session_keeps_the_answers_and_exits_130(tmp_path: Path) -> None:
    path = tmp_path / "fc.db"
    base = [*FLASHCARDS, "--db", str(path), "--today", TODAY.isoformat()]
    done = subprocess.run([*base, "import", str(rib_deck(tmp_path, 5))], env=env(), timeout=120)
    assert done.returncode == 0
    proc = subprocess.Popen(
        [*base, "review"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env(),
    )
    assert proc.stdin is not None
    pump = Pump(proc.stdout)
    proc.stdin.write(b"\n5\n\n4\n")  # two answers; the stream stays open: a third is awaited
    proc.stdin.flush()
    give_up = time.monotonic() + 60
    while len(answers_since(path, 0)) < 2 and time.monotonic() < give_up:
        time.sleep(0.05)
    time.sleep(0.3)  # the next card is on the screen, waiting for Enter
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=60) == 130
    pump.thread.join(timeout=30)
    assert answers_since(path, 0) == [question(1), question(2)]
    assert "Traceback" not in pump.text
    assert "2 done" in pump.text  # the session's summary, of what was answered
