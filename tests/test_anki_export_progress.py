"""`flashcards export --with-progress`: a student's SM-2 schedule arrives in real Anki.

A week of study (new cards, re-drills, a lapse, a suspended card) through the review
use-case, one export with progress, one import by Anki's importer with scheduling on;
then every card is compared with its state in our database.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, ok, write
from test_anki_export import HIP, anki_collection, import_package, note_by_key

from flashcards.anki.progress import anki_ease
from flashcards.scheduling.queue import study_day
from flashcards.study.context import App
from flashcards.study.reviewing import ReviewSession

# Anki counts days from the study day of "now", in local time, from 04:00 as we do.
TODAY = study_day(dt.datetime.now(dt.UTC), 4)
FIRST_DAY = TODAY - dt.timedelta(days=8)

# First grade of each card on each day ("s" suspends); re-drills are answered 4.
# Keys are "note key#ordinal"; unlisted cards get 5.
PLAN: dict[int, dict[str, int | str]] = {
    0: {"hip/psoas-major/insertion#0": 2, "hip/plexus#1": 3, "hip/iliacus/innervation#0": "s"},
    1: {"hip/psoas-major/origin#0": 4, "hip/parts#0": 1},  # parts: learned, then forgotten
}


def study(db_url: str, offset: int) -> None:
    app = App(db=db_url, user_name="ana", today_override=FIRST_DAY + dt.timedelta(days=offset))
    try:
        session = ReviewSession(app)
        while (entry := session.queue.current) is not None:
            if entry.redrill:
                session.grade(4)
                continue
            action = PLAN.get(offset, {}).get(f"{entry.card.note_key}#{entry.card.ordinal}", 5)
            if action == "s":
                session.suspend()
            else:
                assert isinstance(action, int)
                session.grade(action)
    finally:
        app.close()


@dataclass
class Studied:
    db: Path
    package: Path
    report: dict[str, Any]
    states: dict[tuple[str, int], sqlite3.Row]
    answers: dict[tuple[str, int], list[int]]  # first grades and re-drills, oldest first
    col: Any


@pytest.fixture(scope="module")
def studied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Studied]:
    folder = tmp_path_factory.mktemp("anki-progress")
    deck = write(folder / "decks" / "hip.yaml", HIP.replace("    image: media/psoas.png\n", ""))
    db = folder / "flashcards.db"
    cli = Cli(f"sqlite:///{db}")
    ok(cli("import", str(deck)))
    for offset in (0, 1, 5):  # day 8 is today: most cards are overdue, one is ahead
        study(f"sqlite:///{db}", offset)
    package = folder / "progress.apkg"
    report = json.loads(ok(cli("export", "-o", str(package), "--with-progress", "--json")))
    with sqlite3.connect(db) as connection:
        connection.row_factory = sqlite3.Row
        rows = connection.execute(
            "SELECT n.key, c.ordinal, s.* FROM card_states s JOIN cards c ON c.id = s.card_id"
            " JOIN notes n ON n.id = c.note_id"
        ).fetchall()
        answers: dict[tuple[str, int], list[int]] = {}
        for key, ordinal, quality in connection.execute(
            "SELECT n.key, c.ordinal, r.quality FROM reviews r JOIN cards c ON c.id = r.card_id"
            " JOIN notes n ON n.id = c.note_id WHERE r.kind IN ('review', 'redrill')"
            " ORDER BY r.id"
        ):
            answers.setdefault((key, ordinal), []).append(quality)
    col = anki_collection(folder / "anki")
    import_package(col, package)
    yield Studied(db, package, report, {(r["key"], r["ordinal"]): r for r in rows}, answers, col)
    col.close()


def anki_card(col: Any, key: str, ordinal: int) -> Any:
    cards = note_by_key(col, key).cards()
    return next(c for c in cards if c.ord == (ordinal - 1 if key == "hip/plexus" else 0))


def test_the_week_of_study_went_as_planned(studied: Studied) -> None:
    """The scenario itself: reviews, a lapse, a suspended card, dues on both sides of today."""
    states = studied.states
    assert states[("hip/parts", 0)]["lapses"] == 1
    assert states[("hip/iliacus/innervation", 0)]["suspended"]
    assert states[("hip/iliacus/innervation", 0)]["due_day"] is None
    dues = {s["due_day"] for s in states.values() if s["due_day"]}
    assert min(dues) < str(TODAY) < max(dues)
    progress = studied.report["progress"]
    assert progress["user"] == "ana" and progress["suspended"] == 1
    assert progress["review_cards"] == sum(1 for s in states.values() if s["due_day"])
    assert progress["reviews"] == sum(len(a) for a in studied.answers.values())


def test_reviewed_cards_keep_interval_ease_lapses_and_due_day(studied: Studied) -> None:
    col = studied.col
    for (key, ordinal), state in studied.states.items():
        if state["due_day"] is None:
            continue
        card = anki_card(col, key, ordinal)
        due_day = TODAY + dt.timedelta(days=card.due - col.sched.today)
        arrived = (card.type, card.ivl, card.factor, card.lapses, due_day.isoformat())
        expected = (2, state["interval"], round(state["easiness"] * 1000), state["lapses"])
        assert arrived == (*expected, state["due_day"]), key
        assert card.reps == len(studied.answers[(key, ordinal)]), key
        assert json.loads(card.custom_data) == {"sm2n": state["repetitions"]}, key
        assert card.queue == (-1 if state["suspended"] else 2), key


def test_the_review_log_arrives_with_every_answer(studied: Studied) -> None:
    col = studied.col
    for (key, ordinal), qualities in studied.answers.items():
        card = anki_card(col, key, ordinal)
        eases = col.db.list("SELECT ease FROM revlog WHERE cid = ? ORDER BY id", card.id)
        assert eases == [anki_ease(q) for q in qualities], key


def test_a_suspended_new_card_stays_new_and_suspended(studied: Studied) -> None:
    card = anki_card(studied.col, "hip/iliacus/innervation", 0)
    assert (card.type, card.queue, card.ivl) == (0, -1, 0)


def test_cards_never_studied_stay_new(studied: Studied) -> None:
    col = studied.col
    new_cards = col.find_cards("is:new -is:suspended")
    studied_ids = {anki_card(col, k, o).id for k, o in studied.states}
    assert not set(new_cards) & studied_ids
    assert col.card_count() == len(studied.states) + len(new_cards)


# Run in a fresh interpreter with TZ set: Anki's importer and its idea of today, where the
# student lives. Prints each review card's due date as Anki will show it.
IN_ANOTHER_ZONE = """
import datetime as dt, json, sys, tempfile, pathlib
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from flashcards.scheduling.queue import study_day
folder = pathlib.Path(tempfile.mkdtemp())
col = Collection(str(folder / "collection.anki2"))
options = ImportAnkiPackageOptions(with_scheduling=True)
col.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[1], options=options))
today = study_day(dt.datetime.now(dt.UTC), 4)
dues = {}
for card_id in col.find_cards("is:review"):
    card = col.get_card(card_id)
    due = today + dt.timedelta(days=card.due - col.sched.today)
    dues[f"{card.note().guid}/{card.ord}"] = due.isoformat()
col.close()
print(json.dumps(dues))
"""


@pytest.mark.parametrize("zone", ["Pacific/Kiritimati", "Pacific/Pago_Pago"])
def test_due_days_are_the_same_calendar_days_in_any_time_zone(studied: Studied, zone: str) -> None:
    """UTC+14 and UTC-11: the package's own day count must not shift by the zone."""
    from flashcards.anki.notes import note_guid

    done = subprocess.run(
        [sys.executable, "-c", IN_ANOTHER_ZONE, str(studied.package)],
        env={**os.environ, "TZ": zone},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    dues = json.loads(done.stdout)
    expected = {
        f"{note_guid(key)}/{ordinal - 1 if key == 'hip/plexus' else 0}": state["due_day"]
        for (key, ordinal), state in studied.states.items()
        if state["due_day"]
    }
    assert dues == expected
