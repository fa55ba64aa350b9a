"""`flashcards review --typed`: type the answer, see the diff and the suggested grade.

Protocol (DESIGN §7): per card, the first line is the answer and the second accepts the
suggested grade (Enter) or overrides it (0-5); u, s and q work at either prompt.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from conftest import TODAY, Cli, ok, write
from sqlalchemy import create_engine, text

# New cards come one per structure first: psoas insertion, iliacus origin, then psoas
# innervation (a sibling of the first).
DECK = """\
deck: Anatomy::Lower limb::Hip flexors
id: hip-flexors
structures:
  - name: Psoas major
    region: lumbar
    insertion: Lesser trochanter of the femur
    innervation: Anterior rami of L1–L3
  - name: Iliacus
    region: pelvis
    origin: Upper two-thirds of the iliac fossa
"""
PSOAS_INSERTION = "Where does psoas major insert?"
ILIACUS_ORIGIN = "Where does iliacus originate?"
PSOAS_NERVE = "What innervates psoas major?"


def logged(url: str) -> list[dict[str, Any]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = text(
                "SELECT r.id, n.key, r.kind, r.mode, r.quality, r.typed_answer, r.duration_ms "
                "FROM reviews r JOIN cards c ON c.id = r.card_id "
                "JOIN notes n ON n.id = c.note_id ORDER BY r.id"
            )
            return [dict(r) for r in connection.execute(query).mappings()]
    finally:
        engine.dispose()


def confusions(url: str) -> list[tuple[str, str, int | None]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            query = text(
                "SELECT a.key, b.key, f.review_id FROM confusions f "
                "JOIN cards ca ON ca.id = f.card_id JOIN notes a ON a.id = ca.note_id "
                "JOIN cards cb ON cb.id = f.confused_with_card_id "
                "JOIN notes b ON b.id = cb.note_id ORDER BY f.id"
            )
            return [(r[0], r[1], r[2]) for r in connection.execute(query)]
    finally:
        engine.dispose()


def imported(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "hip.yaml", DECK))))


def test_typed_answers_accepted_overridden_and_logged(run: Cli, tmp_path: Path) -> None:
    imported(run, tmp_path)
    # 1: right in other words, Enter accepts 5. 2: half right, overridden to 4.
    # 3: the wrong levels, Enter accepts 2 (a re-drill follows); then q at the re-drill.
    script = (
        "lesser trochanter of femur\n\nupper third of iliac fossa\n4\nventral rami L1-L4\n\nq\n"
    )
    out = ok(run("review", "--typed", input=script))
    assert out.count("Type your answer") == 4
    assert "You typed: lesser trochanter of femur  (right)" in out
    assert "Suggested grade: 5 — perfect response" in out
    assert "Suggested grade: 2 —" in out
    assert "{+L1-L4+}" in out and "L1–L3-]" in out  # the word diff, readable without colour
    assert "Session over: 3 answers — 3 new" in out
    log = logged(run.db)
    assert [(r["key"], r["quality"]) for r in log] == [
        ("hip-flexors/psoas-major/insertion", 5),
        ("hip-flexors/iliacus/origin", 4),
        ("hip-flexors/psoas-major/innervation", 2),
    ]
    assert [r["typed_answer"] for r in log] == [
        "lesser trochanter of femur",
        "upper third of iliac fossa",
        "ventral rami L1-L4",
    ]
    assert all(r["mode"] == "typed" and r["duration_ms"] is not None for r in log)
    assert all(r["duration_ms"] >= 0 for r in log)


def test_blank_answer_suggests_0_and_bad_override_reprompts(run: Cli, tmp_path: Path) -> None:
    imported(run, tmp_path)
    out = ok(run("review", "--typed", "--new", "1", input="\n7\nok\n\n"))
    assert "You left it blank." in out
    assert "Suggested grade: 0 — complete blackout" in out
    assert out.count("Press Enter to accept 0, or type a grade from 0 to 5") == 2
    assert [(r["quality"], r["typed_answer"]) for r in logged(run.db)] == [(0, "")]


def test_u_s_q_work_at_the_typed_prompt(run: Cli, tmp_path: Path) -> None:
    imported(run, tmp_path)
    # Answer the first, undo it at the next typed prompt, answer it again, suspend the
    # second at its typed prompt, quit at the third.
    out = ok(run("review", "--typed", input="lesser trochanter\n\nu\nlesser trochanter\n5\ns\nq\n"))
    assert "Took back the last grade" in out
    assert "Suspended: this card will not be asked again." in out
    assert "1 suspended" in out
    log = logged(run.db)
    assert [(r["kind"], r["quality"]) for r in log] == [
        ("review", 4),
        ("undo", None),
        ("review", 5),
        ("suspend", None),
    ]


def test_another_cards_answer_is_shown_side_by_side_and_recorded(run: Cli, tmp_path: Path) -> None:
    imported(run, tmp_path)
    # Psoas' insertion typed for iliacus' origin (an attachment for an attachment).
    script = "lesser trochanter of the femur\n\nlesser trochanter of the femur\n\nq\n"
    out = ok(run("review", "--typed", input=script))
    assert "Mixed up? Your answer belongs to another card" in out
    assert "Asked: Iliacus · origin" in out
    assert "You gave: Psoas major · insertion" in out
    assert "1 mix-up between cards noted." in out
    found = confusions(run.db)
    assert [(a, b) for a, b, _ in found] == [
        ("hip-flexors/iliacus/origin", "hip-flexors/psoas-major/insertion")
    ]
    review_ids = {r["id"] for r in logged(run.db) if r["key"] == "hip-flexors/iliacus/origin"}
    assert found[0][2] in review_ids


def test_overriding_a_mix_up_as_right_records_no_confusion(run: Cli, tmp_path: Path) -> None:
    imported(run, tmp_path)
    ok(run("review", "--typed", input="lesser trochanter\n\nlesser trochanter\n5\nq\n"))
    assert confusions(run.db) == []


def test_summary_shows_accuracy_time_tomorrow_and_streak(run: Cli, tmp_path: Path) -> None:
    imported(run, tmp_path)
    out = ok(run("review", "--typed", input="lesser trochanter of the femur\n\nxyz\n\n"
                 "anterior rami of L1-L3\n\nupper two thirds of the iliac fossa\n\n"))  # fmt: skip
    assert "Session over: 4 answers — 3 new, 0 reviews, 1 re-drill" in out
    assert "Accuracy 67 % · time " in out  # two of three first answers recalled
    assert "Tomorrow: 3 reviews due, up to 0 new · streak 1 day (longest 1)" in out


def _typed_session(db: str, tmp_path: Path, **env: str) -> str:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("FLASHCARDS_", "NO_COLOR"))}
    base.update(env, COLUMNS="100", TERM="xterm-256color")
    command = [sys.executable, "-m", "flashcards", "--db", db, "--user", "ana"]
    result = subprocess.run(
        [*command, "--today", TODAY.isoformat(), "review", "--typed", "--new", "1"],
        input="lesser trochantr\n\n",
        capture_output=True,
        text=True,
        env=base,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_colour_on_a_terminal_and_none_with_no_color(run_sqlite: Cli, tmp_path: Path) -> None:
    imported(run_sqlite, tmp_path)
    coloured = _typed_session(run_sqlite.db, tmp_path, FORCE_COLOR="1")
    assert "\x1b[32m" in coloured or "\x1b[38;" in coloured  # green words, coloured panels
    ok(run_sqlite("undo"))
    plain = _typed_session(run_sqlite.db, tmp_path, FORCE_COLOR="1", NO_COLOR="1")
    colour_codes = [f"\x1b[{n}m" for n in range(30, 38)] + ["\x1b[38;", "\x1b[48;"]
    assert not any(code in plain for code in colour_codes)
    # Without colour the diff still says what differs, in marks.
    words = re.sub(r"\x1b\[[0-9;]*m", "", plain)
    assert "lesser {+trochantr+} [-trochanter-] [-femur-]" in words  # the typo beside its word
    assert "Suggested grade: 4 — correct after a hesitation" in words
    assert "one typo: trochantr" in words  # and why


def test_nothing_due_offers_a_quiz_and_the_next_day(run: Cli, tmp_path: Path) -> None:
    imported(run, tmp_path)
    answers = ("lesser trochanter of the femur", "upper 2/3 of the iliac fossa", "L1-L3 ant. rami")
    ok(run("review", "--typed", input="".join(f"{a}\n\n" for a in answers)))
    out = ok(run("review", "Anatomy::Lower limb::Hip flexors", input=""))
    assert "Nothing to review today (2026-03-02)." in out
    assert "Next review due tomorrow (2026-03-03)." in out
    assert "Want more? flashcards quiz 'Anatomy::Lower limb::Hip flexors' is a practice" in out


def test_typed_brackets_are_shown_as_typed_not_as_styles(run: Cli, tmp_path: Path) -> None:
    imported(run, tmp_path)
    out = ok(run("review", "--typed", "--new", "1", input="[bold]lesser trochanter[/bold] x\n\n"))
    assert "[bold]lesser" in out
    assert [r["typed_answer"] for r in logged(run.db)] == ["[bold]lesser trochanter[/bold] x"]


GLUTEAL = """\
deck: Anatomy::Lower limb::Gluteal region
id: gluteal
structures:
  - name: Gluteus medius
    region: gluteal
    origin: Outer surface of the ilium between the anterior and posterior gluteal lines
  - name: Gluteus minimus
    region: gluteal
    origin: Outer surface of the ilium between the anterior and inferior gluteal lines
"""


def test_a_long_answer_of_another_card_is_wrong_shown_side_by_side_and_recorded(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(write(tmp_path / "gluteal.yaml", GLUTEAL))))
    minimus = "outer surface of the ilium between the anterior and inferior gluteal lines"
    out = ok(run("review", "--typed", "--new", "1", input=f"{minimus}\n\nq\n"))
    words = " ".join(out.split())  # the lines as wrapped, read as one
    assert "Suggested grade: 2 —" in words
    assert "wrong side: inferior for posterior" in words
    assert "{+inferior+}" in words and "[-posterior-]" in words
    assert "Mixed up? Your answer belongs to another card" in out
    assert "You gave: Gluteus minimus · origin" in out
    assert [(a, b) for a, b, _ in confusions(run.db)] == [
        ("gluteal/gluteus-medius/origin", "gluteal/gluteus-minimus/origin")
    ]
    assert [(r["key"], r["quality"]) for r in logged(run.db)] == [
        ("gluteal/gluteus-medius/origin", 2)
    ]
