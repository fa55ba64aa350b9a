"""`flashcards review`: the scripted SM-2 session, day after day, on both engines.

Each card reads one line to reveal the answer and one line with the grade. The schedule
is checked twice: in what the session prints and in the card_states/reviews rows.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from conftest import TODAY, Cli, deck_list, ok, write
from sqlalchemy import Connection, create_engine, text

FIXTURES = Path(__file__).parent / "fixtures" / "cli"
REVEAL_AND = "\n{}\n".format  # reveal with Enter, then the grade

ONE_CARD = """\
deck: Anatomy::Lower limb::Femoral nerve
id: femoral-nerve
cards:
  - id: femoral-roots
    q: Which spinal roots form the femoral nerve?
    a: Posterior divisions of the anterior rami of L2-L4
"""

# (question, answer) of hand-written cards, each its own sibling group.
KNEE_CARDS = [
    ("Which muscle unlocks the extended knee?", "Popliteus"),
    ("Which nerve supplies the short head of biceps femoris?", "Common fibular nerve"),
    ("Which bone has the adductor tubercle?", "Femur"),
    ("Which bursa lies in front of the patella?", "Prepatellar bursa"),
    ("Which ligament resists posterior tibial translation?", "Posterior cruciate ligament"),
]

PANEL = re.compile(r"╭─ .+? · (new|review|re-drill) ─+╮\n│ (.+?)\s*│")


def day(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def knee_deck(tmp_path: Path, count: int = 5) -> Path:
    cards = "".join(
        f"  - id: knee-{i}\n    q: {q}\n    a: {a}\n"
        for i, (q, a) in enumerate(KNEE_CARDS[:count], start=1)
    )
    return write(tmp_path / "knee.yaml", f"deck: Anatomy::Knee\nid: knee\ncards:\n{cards}")


def many_cards_deck(tmp_path: Path, count: int) -> Path:
    cards = "".join(
        f"  - id: rib-{i}\n    q: What articulates with the head of rib {i}?\n"
        f"    a: Vertebral body {i}\n"
        for i in range(1, count + 1)
    )
    return write(tmp_path / "ribs.yaml", f"deck: Anatomy::Ribs\nid: ribs\ncards:\n{cards}")


def asked(output: str) -> list[tuple[str, str]]:
    """(label, question) of every card panel shown, in order."""
    return PANEL.findall(output)


@contextmanager
def database(url: str) -> Iterator[Connection]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            yield connection
    finally:
        engine.dispose()


def _day(value: object) -> dt.date | None:
    return None if value is None else dt.date.fromisoformat(str(value))


def states(url: str, user: str = "ana") -> dict[str, dict[str, Any]]:
    """The user's card_states rows by note key (with the card's ordinal when it is a cloze)."""
    query = text(
        'SELECT n.key, c.ordinal, s.id, s.repetitions, s."interval", s.easiness, s.due_day, '
        "s.suspended, s.lapses, s.reviews "
        "FROM card_states s JOIN users u ON u.id = s.user_id "
        "JOIN cards c ON c.id = s.card_id JOIN notes n ON n.id = c.note_id "
        "WHERE u.name = :user"
    )
    with database(url) as connection:
        rows = connection.execute(query, {"user": user}).mappings().all()
    return {
        (r["key"] if r["ordinal"] == 0 else f"{r['key']}#{r['ordinal']}"): {
            "id": r["id"],
            "repetitions": r["repetitions"],
            "interval": r["interval"],
            "easiness": r["easiness"],
            "due_day": _day(r["due_day"]),
            "suspended": bool(r["suspended"]),
            "lapses": r["lapses"],
            "reviews": r["reviews"],
        }
        for r in rows
    }


def reviews(url: str, user: str = "ana") -> list[dict[str, Any]]:
    """The user's review log, oldest first."""
    query = text(
        "SELECT r.id, n.key, r.kind, r.quality, r.study_day, r.undoes_id, "
        "r.interval_after, r.easiness_after, r.due_after FROM reviews r "
        "JOIN users u ON u.id = r.user_id JOIN cards c ON c.id = r.card_id "
        "JOIN notes n ON n.id = c.note_id WHERE u.name = :user ORDER BY r.id"
    )
    with database(url) as connection:
        rows = connection.execute(query, {"user": user}).mappings().all()
    return [
        {**r, "study_day": _day(r["study_day"]), "due_after": _day(r["due_after"])} for r in rows
    ]


def state_of(url: str, key: str) -> tuple[int, int, float, dt.date | None]:
    s = states(url)[key]
    return s["repetitions"], s["interval"], s["easiness"], s["due_day"]


def due_count(run: Cli, on: dt.date, deck: str) -> int:
    rows = {row["name"]: row for row in json.loads(ok(run("decks", "--json", today=on)))}
    return int(rows[deck]["due"])


def when(due: dt.date, today: dt.date) -> str:
    delta = (due - today).days
    return f"tomorrow ({due.isoformat()})" if delta == 1 else f"{due.isoformat()} (in {delta} days)"


def days_text(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


# --- (a) the schedule over many days ---------------------------------------------------


def test_all_fives_card_is_due_exactly_on_the_sm2_days(run: Cli, tmp_path: Path) -> None:
    """SM-2 "all 5" run: intervals 1, 6, 17, 48, 140; EF 2.6 … 3.0; never due in between."""
    deck = write(tmp_path / "femoral.yaml", ONE_CARD)
    ok(run("import", str(deck)))
    key = "femoral-nerve/femoral-roots"
    # review day -> (interval, EF after a 5)
    expected = {0: (1, 2.6), 1: (6, 2.7), 7: (17, 2.8), 24: (48, 2.9), 72: (140, 3.0)}
    next_due = day(0)
    repetitions = 0
    for n in [*range(0, 26), 71, 72, 73]:
        today = day(n)
        if n in expected:
            assert today == next_due
            interval, easiness = expected[n]
            if n > 0:
                assert due_count(run, today, "Anatomy::Lower limb::Femoral nerve") == 1
            out = ok(run("review", input=REVEAL_AND(5), today=today))
            label = "new" if n == 0 else "review"
            assert asked(out) == [(label, "Which spinal roots form the femoral nerve?")]
            next_due = today + dt.timedelta(days=interval)
            repetitions += 1
            assert f"Next review in {days_text(interval)} ({next_due.isoformat()})" in out
            assert state_of(run.db, key) == (repetitions, interval, easiness, next_due)
        else:
            assert today < next_due
            out = ok(run("review", input="", today=today))
            assert f"Nothing to review today ({today.isoformat()})." in out
            assert asked(out) == []
            assert f"Next review due {when(next_due, today)}." in out
            if n in (6, 23, 71):  # the day before a due day
                assert due_count(run, today, "Anatomy::Lower limb::Femoral nerve") == 0
    log = reviews(run.db)
    assert [(r["kind"], r["quality"], r["study_day"]) for r in log] == [
        ("review", 5, day(n)) for n in expected
    ]
    assert [r["interval_after"] for r in log] == [1, 6, 17, 48, 140]


def test_lapse_run_5_5_5_1_5_5_with_a_same_day_redrill_that_leaves_the_schedule(
    run: Cli, tmp_path: Path
) -> None:
    """SM-2 "5, 5, 5, 1, 5, 5": intervals 1, 6, 17, 1, 1, 6; EF 2.6, 2.7, 2.8, 2.26, 2.36, 2.46.

    After the 1, the card is asked again the same day until it scores 4 or more; those
    re-drill answers are logged but never move the schedule.
    """
    deck = write(tmp_path / "femoral.yaml", ONE_CARD)
    ok(run("import", str(deck)))
    key = "femoral-nerve/femoral-roots"

    steps = [  # (day, grade, repetitions, interval, EF after)
        (0, 5, 1, 1, 2.6),
        (1, 5, 2, 6, 2.7),
        (7, 5, 3, 17, 2.8),
        (24, 1, 0, 1, 2.26),
        (25, 5, 1, 1, 2.36),
        (26, 5, 2, 6, 2.46),
    ]
    for n, grade, repetitions, interval, easiness in steps:
        today = day(n)
        if n == 24:
            # The lapse, then two re-drills in the same session: 3 (again), 4 (done).
            out = ok(run("review", input="\n1\n\n3\n\n4\n", today=today))
            assert [label for label, _ in asked(out)] == ["review", "re-drill", "re-drill"]
            assert f"Next review in 1 day ({day(25).isoformat()}) · once more later today" in out
            assert "Re-drill: again later in this session." in out
            assert "Re-drill: done for today." in out
            assert "Session over: 3 answers — 0 new, 1 review, 2 re-drills" in out
        else:
            out = ok(run("review", input=REVEAL_AND(grade), today=today))
            assert len(asked(out)) == 1
        due = today + dt.timedelta(days=interval)
        assert state_of(run.db, key) == (repetitions, interval, easiness, due), f"day {n}"
        # The day after each review but the last is not a review day.
        if n in (1, 7):
            out = ok(run("review", input="", today=day(n + 1)))
            assert "Nothing to review today" in out

    # Same day as the lapse, after the re-drill reached 4: nothing more to do.
    log = reviews(run.db)
    assert [(r["kind"], r["quality"], r["study_day"]) for r in log] == [
        ("review", 5, day(0)),
        ("review", 5, day(1)),
        ("review", 5, day(7)),
        ("review", 1, day(24)),
        ("redrill", 3, day(24)),
        ("redrill", 4, day(24)),
        ("review", 5, day(25)),
        ("review", 5, day(26)),
    ]
    assert [r["interval_after"] for r in log if r["kind"] == "review"] == [1, 6, 17, 1, 1, 6]
    assert [r["easiness_after"] for r in log if r["kind"] == "review"] == [
        2.6,
        2.7,
        2.8,
        2.26,
        2.36,
        2.46,
    ]
    # The re-drill rows carry the state as it stood after the lapse, unchanged.
    for redrill in (r for r in log if r["kind"] == "redrill"):
        assert (redrill["interval_after"], redrill["easiness_after"]) == (1, 2.26)
        assert redrill["due_after"] == day(25)
    assert states(run.db)[key]["lapses"] == 1


# --- (b) quitting keeps what was answered ----------------------------------------------


def test_q_mid_session_keeps_every_grade_given_and_next_session_goes_on(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(knee_deck(tmp_path))))
    out = ok(run("review", input="\n5\n\n3\n\nq\n"))
    assert [q for _, q in asked(out)] == [q for q, _ in KNEE_CARDS[:3]]
    assert "Session over: 2 answers — 2 new" in out
    assert "4 cards left for today" in out  # 3 new + the re-drill of the 3
    log = reviews(run.db)
    assert [(r["key"], r["quality"]) for r in log] == [("knee/knee-1", 5), ("knee/knee-2", 3)]
    assert state_of(run.db, "knee/knee-1") == (1, 1, 2.6, day(1))
    assert state_of(run.db, "knee/knee-2") == (1, 1, 2.36, day(1))

    # The next session the same day: the rest, with knee-2 due for its re-drill first.
    out = ok(run("review", input="q\n"))
    assert asked(out) == [("re-drill", KNEE_CARDS[1][0])]
    assert "4 cards — 3 new, 0 reviews, 1 re-drill" in out


def test_end_of_input_is_like_q_exit_0_and_grades_kept(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path))))
    # Input ends after the second card is revealed, before its grade.
    result = run("review", input="\n4\n\n")
    out = ok(result)
    assert "Session over: 1 answer — 1 new" in out
    assert "Traceback" not in result.output
    assert [(r["key"], r["quality"]) for r in reviews(run.db)] == [("knee/knee-1", 4)]
    assert state_of(run.db, "knee/knee-1") == (1, 1, 2.5, day(1))
    # Input that ends without a final newline still counts as the grade.
    out = ok(run("review", input="\n5"))
    assert [(r["key"], r["quality"]) for r in reviews(run.db)][-1] == ("knee/knee-2", 5)
    # No input at all: nothing recorded, exit 0.
    out = ok(run("review", input=""))
    assert "Session over: 0 answers" in out
    assert len(reviews(run.db)) == 2


# --- (c) a killed process loses at most the card on screen -----------------------------


class _Output:
    """Collects a subprocess's stdout in a thread, so the test can wait for a message."""

    def __init__(self, stream: Any) -> None:
        self._chunks: list[bytes] = []
        self._thread = threading.Thread(target=self._pump, args=(stream,), daemon=True)
        self._thread.start()

    def _pump(self, stream: Any) -> None:
        for chunk in iter(lambda: stream.read1(4096), b""):
            self._chunks.append(chunk)

    @property
    def text(self) -> str:
        return b"".join(self._chunks).decode("utf-8", "replace")

    def wait_for(self, needle: str, count: int, timeout: float = 20.0) -> None:
        deadline = time.monotonic() + timeout
        while self.text.count(needle) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"{needle!r} x{count} never came; output:\n{self.text}")
            time.sleep(0.02)


def test_killed_session_keeps_the_grades_it_acknowledged(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(knee_deck(tmp_path))))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}
    env["COLUMNS"] = "100"
    command = [sys.executable, "-m", "flashcards", "--db", run_sqlite.db, "--user", "ana"]
    proc = subprocess.Popen(
        [*command, "--today", TODAY.isoformat(), "review"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    assert proc.stdin is not None
    try:
        output = _Output(proc.stdout)
        for grade, acknowledged in ((5, 1), (4, 2)):
            proc.stdin.write(f"\n{grade}\n".encode())
            proc.stdin.flush()
            output.wait_for("Next review in 1 day", acknowledged)
        # The third card is on screen, revealed but not graded, when the process dies.
        proc.stdin.write(b"\n")
        proc.stdin.flush()
        output.wait_for("Grade 0-5", 3)
        proc.send_signal(signal.SIGKILL)
        assert proc.wait(timeout=10) == -signal.SIGKILL
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()

    log = reviews(run_sqlite.db)
    assert [(r["key"], r["kind"], r["quality"]) for r in log] == [
        ("knee/knee-1", "review", 5),
        ("knee/knee-2", "review", 4),
    ]
    assert state_of(run_sqlite.db, "knee/knee-1") == (1, 1, 2.6, day(1))
    assert state_of(run_sqlite.db, "knee/knee-2") == (1, 1, 2.5, day(1))

    # A new session resumes with the three cards left, the one on screen first.
    out = ok(run_sqlite("review", input="\n5\n\n5\n\n5\n"))
    assert "3 cards — 3 new, 0 reviews" in out
    assert [q for _, q in asked(out)] == [q for q, _ in KNEE_CARDS[2:5]]
    assert len(reviews(run_sqlite.db)) == 5


# --- (d) the same-day re-drill ---------------------------------------------------------


def test_card_graded_2_comes_back_later_until_graded_4(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 4))))
    first, second, third, fourth = (q for q, _ in KNEE_CARDS[:4])
    # first: 2; the next three: 5; first again: 3 (still below 4), then 4.
    out = ok(run("review", input="\n2\n\n5\n\n5\n\n5\n\n3\n\n4\n"))
    assert asked(out) == [
        ("new", first),
        ("new", second),
        ("new", third),
        ("new", fourth),
        ("re-drill", first),
        ("re-drill", first),
    ]
    assert "Session over: 6 answers — 4 new, 0 reviews, 2 re-drills" in out
    log = [(r["key"], r["kind"], r["quality"]) for r in reviews(run.db)]
    assert [entry for entry in log if entry[0] == "knee/knee-1"] == [
        ("knee/knee-1", "review", 2),
        ("knee/knee-1", "redrill", 3),
        ("knee/knee-1", "redrill", 4),
    ]
    # The schedule moved once, with the first grade: 2 -> n 0, I 1, EF 2.5 - 0.32.
    assert state_of(run.db, "knee/knee-1") == (0, 1, 2.18, day(1))
    assert states(run.db)["knee/knee-1"]["reviews"] == 1
    # Done for today.
    out = ok(run("review", input=""))
    assert "Nothing to review today" in out


def test_restarting_the_same_day_resumes_a_pending_redrill(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 3))))
    first, second, _third = (q for q, _ in KNEE_CARDS[:3])
    out = ok(run("review", input="\n2\nq\n"))
    assert [q for _, q in asked(out)] == [first, second]

    out = ok(run("review", input="\n3\nq\n"))
    assert "3 cards — 2 new, 0 reviews, 1 re-drill" in out
    assert asked(out)[0] == ("re-drill", first)

    out = ok(run("review", input="\n5\n"))
    assert asked(out)[0] == ("re-drill", first)
    assert "Re-drill: done for today." in out

    out = ok(run("review", input=""))
    assert "2 cards — 2 new, 0 reviews, 0 re-drills" in out
    assert asked(out) == [("new", second)]
    assert [(r["kind"], r["quality"]) for r in reviews(run.db)] == [
        ("review", 2),
        ("redrill", 3),
        ("redrill", 5),
    ]
    assert state_of(run.db, "knee/knee-1") == (0, 1, 2.18, day(1))

    # The next day the card is an ordinary review again, and the re-drill is over.
    out = ok(run("review", "--new", "0", input="\n4\n", today=day(1)))
    assert asked(out) == [("review", first)]
    assert state_of(run.db, "knee/knee-1") == (1, 1, 2.18, day(2))


# --- (e) undo and suspend --------------------------------------------------------------


def test_u_at_the_next_card_restores_the_state_and_asks_the_card_again(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(knee_deck(tmp_path, 2))))
    first, second = (q for q, _ in KNEE_CARDS[:2])
    out = ok(run("review", input="\n5\nu\n\n4\n\n5\n"))
    assert "Took back the last grade: that card comes again." in out
    assert asked(out) == [("new", first), ("new", second), ("new", first), ("new", second)]
    assert "Session over: 2 answers — 2 new" in out
    # Had the 5 stood, the 4 would have been a same-day repeat and EF would be 2.6.
    assert state_of(run.db, "knee/knee-1") == (1, 1, 2.5, day(1))
    assert states(run.db)["knee/knee-1"]["reviews"] == 1
    log = reviews(run.db)
    assert [(r["key"], r["kind"], r["quality"]) for r in log] == [
        ("knee/knee-1", "review", 5),
        ("knee/knee-1", "undo", None),
        ("knee/knee-1", "review", 4),
        ("knee/knee-2", "review", 5),
    ]
    assert log[1]["undoes_id"] == log[0]["id"]


def test_u_at_the_grade_prompt_undoes_and_the_card_is_new_again(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 2))))
    out = ok(run("review", input="\n5\n\nu\n"))
    first = KNEE_CARDS[0][0]
    assert [q for _, q in asked(out)][-1] == first
    assert "Session over: 0 answers" in out
    assert states(run.db)["knee/knee-1"]["due_day"] is None
    decks = json.loads(ok(run("decks", "--json")))
    assert {d["name"]: d["new"] for d in decks}["Anatomy::Knee"] == 2


def test_undo_command_takes_back_the_last_grade(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 2))))
    ok(run("review", input="\n5\n\n3\n\n4\n"))
    assert state_of(run.db, "knee/knee-2") == (1, 1, 2.36, day(1))
    # The last answer was the re-drill (4): undoing it leaves the schedule and brings
    # the re-drill back; the next undo takes back the 3 itself.
    out = ok(run("undo"))
    assert out.startswith(f"Took back grade 4 given on {TODAY.isoformat()} to: {KNEE_CARDS[1][0]}")
    assert state_of(run.db, "knee/knee-2") == (1, 1, 2.36, day(1))
    out = ok(run("undo"))
    assert out.startswith("Took back grade 3")
    assert states(run.db)["knee/knee-2"]["due_day"] is None
    ok(run("undo"))
    result = run("undo")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: ")
    assert "Traceback" not in result.output


def test_s_suspends_a_card_never_asked_again_and_counted(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 3))))
    first, second, third = (q for q, _ in KNEE_CARDS[:3])
    # Suspend the first at the reveal prompt, the second at the grade prompt.
    out = ok(run("review", input="s\n\ns\n\n5\n"))
    assert out.count("Suspended: this card will not be asked again.") == 2
    assert [q for _, q in asked(out)] == [first, second, third]
    assert "2 suspended" in out
    assert states(run.db)["knee/knee-1"]["suspended"] is True
    assert states(run.db)["knee/knee-2"]["suspended"] is True
    # Each suspension is logged (so that an undo can take it back), without a grade.
    logged = [(r["key"], r["kind"], r["quality"]) for r in reviews(run.db)]
    assert logged == [
        ("knee/knee-1", "suspend", None),
        ("knee/knee-2", "suspend", None),
        ("knee/knee-3", "review", 5),
    ]

    rows = {d["name"]: d for d in json.loads(ok(run("decks", "--json")))}
    assert (rows["Anatomy::Knee"]["suspended"], rows["Anatomy::Knee"]["new"]) == (2, 0)
    assert "Nothing to review today" in ok(run("review", input=""))
    out = ok(run("review", input="\n5\n", today=day(1)))
    assert asked(out) == [("review", third)]


# --- (f) new-card limits ---------------------------------------------------------------


def test_new_0_reviews_only_and_new_2_caps(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 5))))
    out = ok(run("review", "--new", "2", input="\n5\n\n5\n\n5\n"))
    assert "2 cards — 2 new, 0 reviews" in out
    assert len(asked(out)) == 2
    assert len(reviews(run.db)) == 2

    out = ok(run("review", "--new", "0", input="\n5\n\n5\n\n5\n", today=day(1)))
    assert "2 cards — 0 new, 2 reviews" in out
    assert [label for label, _ in asked(out)] == ["review", "review"]

    out = ok(run("review", "--new", "0", input="", today=day(2)))
    assert "Nothing to review today" in out


def test_daily_limit_of_20_new_cards_across_two_sessions(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(many_cards_deck(tmp_path, 25))))
    out = ok(run("review", "--new", "15", input="\n5\n" * 15))
    assert "15 cards — 15 new" in out
    out = ok(run("review", input="\n5\n" * 10))
    assert "5 cards — 5 new" in out
    assert len(asked(out)) == 5
    out = ok(run("review", input=""))
    assert "Nothing to review today" in out
    assert "Today's new cards are done; more new cards tomorrow." in out
    assert len(reviews(run.db)) == 20

    out = ok(run("review", input="q\n", today=day(1)))
    assert "25 cards — 5 new, 20 reviews" in out


def test_limit_caps_the_session(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 5))))
    out = ok(run("review", "--limit", "3", input="\n5\n" * 5))
    assert "3 cards — 3 new" in out
    assert len(asked(out)) == 3
    assert len(reviews(run.db)) == 3
    out = ok(run("review", input="\n5\n" * 5))
    assert [q for _, q in asked(out)] == [q for q, _ in KNEE_CARDS[3:5]]


def test_limit_0_is_a_usage_error_not_nothing_to_review(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 5))))
    result = run("review", "--limit", "0", input="\n5\n")
    assert result.exit_code == 2, result.output
    assert "Invalid value for '--limit': 0 is not in the range x>=1" in result.stderr
    assert "Nothing to review" not in result.output
    assert reviews(run.db) == []


def _closed_pipe_run(command: list[str], stdin: bytes = b"") -> tuple[int, str]:
    """Run with standard output a pipe nobody reads any more (`… | head -0`)."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}
    try:
        done = subprocess.run(
            [sys.executable, "-m", "flashcards", *command],
            input=stdin,
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        )
    finally:
        os.close(write_end)
    return done.returncode, done.stderr.decode()


def test_a_closed_pipe_ends_every_command_quietly(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(knee_deck(tmp_path, 5))))
    where = ["--db", run_sqlite.db, "--user", "ana", "--today", TODAY.isoformat()]
    for command in (["review"], ["cards", "Anatomy::Knee", "--json"], ["status"], ["decks"]):
        code, err = _closed_pipe_run([*where, *command], b"\n5\n")
        assert (code, err) == (1, ""), (command, err)  # no "Error: Broken pipe", no traceback


def test_a_pipe_closed_mid_session_keeps_what_was_answered(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(knee_deck(tmp_path, 5))))
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}
    env["COLUMNS"] = "100"
    read_end, write_end = os.pipe()
    command = [sys.executable, "-m", "flashcards", "--db", run_sqlite.db, "--user", "ana"]
    proc = subprocess.Popen(
        [*command, "--today", TODAY.isoformat(), "review"],
        stdin=subprocess.PIPE,
        stdout=write_end,
        stderr=subprocess.PIPE,
        env=env,
    )
    os.close(write_end)
    assert proc.stdin is not None and proc.stderr is not None
    try:
        proc.stdin.write(b"\n5\n")
        proc.stdin.flush()
        seen, deadline = b"", time.monotonic() + 60
        while seen.count(b"Enter: show answer") < 2 and time.monotonic() < deadline:
            chunk = os.read(read_end, 65536)
            if not chunk:
                break
            seen += chunk
        assert b"Next review in 1 day" in seen, seen
        os.close(read_end)  # the reader goes away, as `head` does
        try:
            proc.stdin.write(b"\n4\n")
            proc.stdin.close()
        except BrokenPipeError:
            pass  # it has ended already
        assert proc.wait(timeout=30) == 1
        assert proc.stderr.read().decode() == ""
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert [(r["key"], r["quality"]) for r in reviews(run_sqlite.db)] == [("knee/knee-1", 5)]


# --- (g) bad input, nothing due, unknown deck, a PATH ----------------------------------


def test_invalid_grade_reprompts_without_recording(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 1))))
    out = ok(run("review", input="\n7\nx\n"))
    assert out.count("Type a grade from 0 to 5 (or u, s, q).") == 2
    assert reviews(run.db) == []
    out = ok(run("review", input="\n7\n-1\n5\n"))
    assert out.count("Type a grade from 0 to 5 (or u, s, q).") == 2
    assert [r["quality"] for r in reviews(run.db)] == [5]


def test_nothing_due_says_when_the_next_card_is_due(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 2))))
    ok(run("review", input="\n5\n\n5\n"))
    ok(run("review", input="\n5\n\n4\n", today=day(1)))  # next due: day 7 (interval 6)
    out = ok(run("review", input="", today=day(2)))
    assert f"Nothing to review today ({day(2).isoformat()})." in out
    assert f"Next review due {day(7).isoformat()} (in 5 days)." in out
    out = ok(run("review", input="", today=day(6)))
    assert f"Next review due tomorrow ({day(7).isoformat()})." in out


def test_unknown_deck_is_an_error(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 1))))
    result = run("review", "Anatomy::Thorax", input="")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no deck named 'Anatomy::Thorax'")
    assert "Traceback" not in result.output
    assert reviews(run.db) == []


def test_deck_argument_selects_the_deck_and_its_subdecks(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 1)), str(FIXTURES / "thigh.yaml")))
    out = ok(run("review", "Anatomy::Knee", input=""))
    assert asked(out) == [("new", KNEE_CARDS[0][0])]
    out = ok(run("review", "Anatomy::Lower limb", "--new", "1", input=""))
    assert asked(out) == [("new", "Where does sartorius originate?")]
    out = ok(run("review", "anterior-thigh", "--new", "1", input=""))  # by deck id
    assert asked(out) == [("new", "Where does sartorius originate?")]


def test_review_of_a_path_imports_it_first_and_studies_only_it(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(FIXTURES / "thigh.yaml")))
    deck = knee_deck(tmp_path, 2)
    result = run("review", str(deck), input="\n5\n\n5\n")
    out = ok(result)
    assert "Imported Anatomy::Knee: notes added 2" in result.stderr
    assert "2 notes, 2 cards in these decks" in result.stderr
    assert [q for _, q in asked(out)] == [q for q, _ in KNEE_CARDS[:2]]
    assert {r["key"] for r in reviews(run.db)} == {"knee/knee-1", "knee/knee-2"}


# --- (h) siblings ----------------------------------------------------------------------


def test_new_cards_of_one_session_come_from_different_structures(run: Cli) -> None:
    ok(run("import", str(FIXTURES / "thigh.yaml")))
    out = ok(run("review", "--new", "2", input="\n5\n\n5\n"))
    assert [q for _, q in asked(out)] == [
        "Where does sartorius originate?",
        "Where does pectineus originate?",
    ]
    keys = {r["key"].split("/")[1] for r in reviews(run.db)}
    assert keys == {"sartorius", "pectineus"}


def test_grade_with_surrounding_spaces_is_accepted(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(knee_deck(tmp_path, 1))))
    ok(run_sqlite("review", input="\n 5 \n"))
    assert [r["quality"] for r in reviews(run_sqlite.db)] == [5]


def test_review_of_a_broken_path_is_an_error_and_imports_nothing(run: Cli) -> None:
    broken = FIXTURES / "three_mistakes.yaml"
    result = run("review", str(broken), input="\n5\n")
    assert result.exit_code == 1
    assert result.stderr.count(f"{broken}:") == 3
    assert result.stderr.splitlines()[-1].startswith("Error: ")
    assert asked(result.stdout) == []
    assert deck_list(run) == []


def test_u_with_nothing_to_undo_asks_the_same_card_again(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(knee_deck(tmp_path, 2))))
    out = ok(run("review", input="u\n\n5\n"))
    assert "Nothing to undo in this session." in out
    first = KNEE_CARDS[0][0]
    assert [q for _, q in asked(out)][:2] == [first, first]
    assert [(r["key"], r["quality"]) for r in reviews(run.db)] == [("knee/knee-1", 5)]


def test_review_on_an_empty_database_exits_0_and_says_what_to_do(run: Cli) -> None:
    result = run("review", input="")
    assert result.exit_code == 0, result.output
    assert "decks/" in result.stdout  # points at the shipped decks
    assert asked(result.stdout) == []
