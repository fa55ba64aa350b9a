"""Realistic large data for `bench/run.py`: deck files, an Anki package, a year of reviews.

    python bench/generate.py OUT_DIR [--quick]

Writes into OUT_DIR:

- ``deck.yaml``: one deck file of structures × fact fields (``cards`` fact cards, 35,000 by
  default), as an instructor would write it;
- ``anki.apkg``: ``notes`` Basic notes (35,000) in 35 sub-decks, made and exported by the
  real ``anki`` library (the modern package format Anki writes by default);
- ``study.db`` / ``small.db``: SQLite databases through the real migrations, filled by
  SQLAlchemy Core bulk inserts (``insert(table)`` with a list of rows: one executemany):
  ``big_cards`` cards (200,000; 35,000 structures × their fields) with one student's
  states and ``reviews`` review-log rows (2,000,000) over a simulated year, and the same
  shape at ``small_cards`` cards (1,000) for comparison;
- ``class.db``: the class variant: the same ``big_cards`` cards and ``reviews`` review-log
  rows shared by ``students`` students (40), each having met 15 % of the cards (a
  different slice each): 1,200,000 card states; the first student is the one timed.

Seeded, so every run builds the same files.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from export import _words  # noqa: E402  (bench/export.py's vocabulary)

FIELDS = ("origin", "insertion", "innervation", "action", "blood_supply", "clinical")
TODAY = dt.date(2026, 3, 2)
STUDENT = "bench"


@dataclass(frozen=True)
class Sizes:
    cards: int  # fact cards in the deck file
    notes: int  # notes in the Anki package
    big_cards: int  # cards in the large study database
    reviews: int  # review-log rows in it
    small_cards: int  # cards in the small study database
    students: int  # students in the class database (same cards, the reviews shared)

    @classmethod
    def full(cls) -> Sizes:
        return cls(cards=35_000, notes=35_000, big_cards=200_000, reviews=2_000_000,
                   small_cards=1_000, students=40)  # fmt: skip

    @classmethod
    def quick(cls) -> Sizes:
        return cls(cards=3_500, notes=3_500, big_cards=20_000, reviews=200_000,
                   small_cards=1_000, students=40)  # fmt: skip


def _yaml_text(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def write_deck_file(path: Path, cards: int) -> None:
    """One deck file of ``cards`` fact cards: structures with all six fields, lists too."""
    rng = random.Random(8)
    lines = [
        "deck: Bench::Large anatomy deck",
        "id: bench-large",
        "description: Generated for bench/run.py.",
        "tags: [anatomy, bench]",
        "structures:",
    ]
    for s in range(-(-cards // len(FIELDS))):
        lines += [
            f"  - name: Structure {s} {_words(rng, 2)}",
            f"    id: structure-{s}",
            "    kind: muscle",
            "    region: hip",
        ]
        for field in FIELDS[: min(len(FIELDS), cards - s * len(FIELDS))]:
            if rng.random() < 0.3:
                lines.append(f"    {field}:")
                lines += [f"      - {_yaml_text(_words(rng, 5))}" for _ in range(rng.randint(2, 4))]
            else:
                lines.append(f"    {field}: {_yaml_text(_words(rng, rng.randint(3, 9)))}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def write_anki_package(path: Path, notes: int) -> None:
    """``notes`` Basic notes in 35 sub-decks, exported by real Anki (no scheduling)."""
    from anki.collection import AddNoteRequest, Collection, ExportAnkiPackageOptions

    rng = random.Random(9)
    folder = path.parent / "anki-source"
    folder.mkdir(exist_ok=True)
    col = Collection(str(folder / "source.anki2"))
    try:
        basic = col.models.by_name("Basic")
        assert basic is not None
        decks = [col.decks.id(f"Anatomy::Region {d // 5}::Deck {d}") for d in range(35)]
        requests = []
        for i in range(notes):
            note = col.new_note(basic)
            note["Front"] = f"Where does {_words(rng, 3)} insert? ({i})"
            note["Back"] = "<br>".join(_words(rng, rng.randint(3, 9)) for _ in range(2))
            note.tags = ["anatomy", f"region{i % 7}"]
            requests.append(AddNoteRequest(note=note, deck_id=decks[i * 35 // notes]))
        col.add_notes(requests)
        col.export_anki_package(
            out_path=str(path),
            options=ExportAnkiPackageOptions(
                with_scheduling=False, with_media=True, legacy=False, with_deck_configs=False
            ),
            limit=None,
        )
    finally:
        col.close()


def _rows_in_batches(rows: Iterator[dict[str, Any]], size: int) -> Iterator[list[dict[str, Any]]]:
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def write_study_database(
    path: Path, cards: int, reviews: int, students: int = 1, met_share: float = 0.6
) -> None:
    """Notes, cards, one student's states and a year of review log, by Core bulk inserts.

    The student has met 60 % of the cards over the year; their SM-2 intervals run from a
    week to ten months and their due days over the coming interval, so about one in twelve
    is due today (yesterday's leftovers included): 10,401 at 200,000 cards (45 at 1,000),
    a heavy day for a student with 2,000,000 reviews a year (5,500 a day). Reviews are
    spread over the met cards and the 365 days before today.

    With ``students`` > 1 (the class variant) each student has met ``met_share`` of the
    cards (a different slice each) and the ``reviews`` rows are shared among them: the
    first student ("bench") is the one whose session is timed.
    """
    from sqlalchemy import insert

    from flashcards_db.engine import open_database
    from flashcards_db.models import Card, CardState, Deck, Note, Review, User

    rng = random.Random(10)
    engine = open_database(str(path))
    now = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    decks = max(1, cards // 6_000)
    per_deck = -(-cards // decks)
    with engine.begin() as connection:
        connection.execute(
            insert(User.__table__),
            [{"id": u + 1, "name": STUDENT if u == 0 else f"student-{u}", "created_at": now}
             for u in range(students)],
        )  # fmt: skip
        connection.execute(
            insert(Deck.__table__),
            [{"id": d + 1, "key": f"deck-{d}", "name": f"Anatomy::Deck {d}", "tags": ["anatomy"],
              "html": False, "created_at": now, "updated_at": now} for d in range(decks)],
        )  # fmt: skip
        notes = (
            {"id": i + 1, "deck_id": i // per_deck + 1, "key": f"deck-{i // per_deck}/s{i}",
             "kind": "fact", "position": i, "front": f"Where does {_words(rng, 3)} insert?",
             "back": _words(rng, 6), "structure_key": f"structure-{i // len(FIELDS)}",
             "structure_name": f"Structure {i // len(FIELDS)}", "field": FIELDS[i % len(FIELDS)],
             "meta": {"kind": "muscle", "region": "hip", "aliases": [], "items": [],
                      "is_list": False}, "tags": ["anatomy"], "content_hash": "0" * 64,
             "content_changed_at": now, "created_at": now}
            for i in range(cards)
        )  # fmt: skip
        for batch in _rows_in_batches(notes, 50_000):
            connection.execute(insert(Note.__table__), batch)
        cards_rows = [{"id": i + 1, "note_id": i + 1, "ordinal": 0} for i in range(cards)]
        connection.execute(insert(Card.__table__), cards_rows)
        per_student = int(cards * met_share)
        for u in range(students):
            user_id = u + 1
            first = (u * cards // max(students, 1)) % cards  # each student a different slice
            met = [(first + i) % cards + 1 for i in range(per_student)]
            states = []
            for card_id in met:
                interval = rng.choice((6, 14, 30, 60, 120, 200, 300))
                due = TODAY + dt.timedelta(days=rng.randint(-1, interval - 2))
                states.append(
                    {"user_id": user_id, "card_id": card_id, "repetitions": 3,
                     "interval": interval, "easiness": 2.5, "due_day": due,
                     "last_review_day": due - dt.timedelta(interval), "lapses": 0,
                     "reviews": reviews // students // len(met), "suspended": False,
                     "leech": False, "updated_at": now}
                )  # fmt: skip
            for batch in _rows_in_batches(iter(states), 50_000):
                connection.execute(insert(CardState.__table__), batch)
            mine = reviews // students
            log = (
                {"user_id": user_id, "card_id": rng.choice(met), "reviewed_at": now,
                 "study_day": day, "kind": "review", "mode": "flip", "quality": 4,
                 "duration_ms": 4_000, "repetitions_before": 2, "interval_before": 6,
                 "easiness_before": 2.5, "due_before": day, "lapses_before": 0,
                 "repetitions_after": 3, "interval_after": 14, "easiness_after": 2.5,
                 "due_after": day + dt.timedelta(14), "lapses_after": 0}
                for n in range(mine)
                for day in (TODAY - dt.timedelta(days=365 - n * 365 // mine),)
            )  # fmt: skip
            for batch in _rows_in_batches(log, 50_000):
                connection.execute(insert(Review.__table__), batch)
    engine.dispose()


def generate(out: Path, sizes: Sizes) -> None:
    out.mkdir(parents=True, exist_ok=True)
    steps = (
        ("deck file", lambda: write_deck_file(out / "deck.yaml", sizes.cards)),
        ("Anki package", lambda: write_anki_package(out / "anki.apkg", sizes.notes)),
        ("large study database",
         lambda: write_study_database(out / "study.db", sizes.big_cards, sizes.reviews)),
        ("class database",
         lambda: write_study_database(out / "class.db", sizes.big_cards, sizes.reviews,
                                      students=sizes.students, met_share=0.15)),
        ("small study database",
         lambda: write_study_database(out / "small.db", sizes.small_cards, sizes.small_cards)),
    )  # fmt: skip
    for name, step in steps:
        started = time.perf_counter()
        step()
        print(f"generated {name} in {time.perf_counter() - started:.1f} s", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--quick", action="store_true", help="small sizes for a smoke run")
    args = parser.parse_args()
    generate(args.out, Sizes.quick() if args.quick else Sizes.full())


if __name__ == "__main__":
    main()
