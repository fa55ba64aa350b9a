"""Benchmark: `flashcards export` of 35,000 notes against bare genanki writing the same notes.

    python bench/export.py [--notes 35000] [--runs 5]

Builds a temporary SQLite database with the notes (bulk insert: fact, basic and cloze
notes over 35 decks, with shared images), then alternates timed runs of

- ours: the export use-case (read the database, build the fields, write the package);
- genanki: bare genanki writing the same notes (same note types, fields, tags, GUIDs,
  media read from files), as a script using genanki directly would.

Each run is a fresh process, so timings and peak memory (max RSS, the whole process)
do not leak between runs; one extra run of each under tracemalloc gives the peak of
Python allocations. Prints the medians, their ratio (target: at most 1.15) and the
peaks (target: under 300 MB). Not a test: nothing asserts on time.

Then (untimed) real Anki imports our package into a new collection and exports it again
as Anki's own export does (modern format, media included): the size of our package
against that one is printed too (target: at most 1.1).
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_RATIO = 1.15
TARGET_MB = 300
TARGET_SIZE_RATIO = 1.1
FIELDS = ("origin", "insertion", "innervation", "action", "blood_supply", "clinical")
DECKS = 35
IMAGES = 120


_VOCABULARY = (
    "anterior posterior lateral medial superior inferior ramus nerve artery vein "
    "femur tibia fibula pelvis sacrum iliac fossa crest tubercle trochanter tendon "
    "fascia ligament vertebra lumbar thoracic L1-L3 S1 C5 <2 cm & branch of the"
)


def _words(rng: random.Random, n: int) -> str:
    vocabulary = _VOCABULARY.split()
    return " ".join(rng.choice(vocabulary) for _ in range(n))


def _png(rng: random.Random) -> bytes:
    return b"\x89PNG\r\n\x1a\n" + rng.randbytes(rng.randint(8_000, 40_000))


def generate(db_path: Path, media_dir: Path, notes: int) -> None:
    """The database (through the real migrations) and the image files beside it."""
    from sqlalchemy import insert

    from flashcards_db.engine import open_database
    from flashcards_db.models import Card, Deck, Media, Note

    rng = random.Random(20260302)
    engine = open_database(str(db_path))
    now = dt.datetime(2026, 3, 2, 12, tzinfo=dt.UTC)
    media_rows, image_names = [], []
    for _ in range(IMAGES):
        data = _png(rng)
        sha = hashlib.sha256(data).hexdigest()
        name = f"{sha}.png"
        (media_dir / name).write_bytes(data)
        image_names.append(name)
        media_rows.append(
            {"sha256": sha, "filename": name, "original_name": "x.png", "size": len(data),
             "data": data, "created_at": now}
        )  # fmt: skip
    deck_rows, note_rows, card_rows = [], [], []
    per_deck = -(-notes // DECKS)
    for d in range(DECKS):
        deck_rows.append(
            {"id": d + 1, "key": f"deck-{d}", "name": f"Anatomy::Region {d // 5}::Deck {d}",
             "description": _words(rng, 20), "source": _words(rng, 40), "tags": ["anatomy"],
             "html": False, "created_at": now, "updated_at": now}
        )  # fmt: skip
    for i in range(notes):
        deck = i // per_deck + 1
        roll = rng.random()
        kind = "fact" if roll < 0.7 else "basic" if roll < 0.9 else "cloze"
        structure = f"structure-{i // len(FIELDS)}"
        field = FIELDS[i % len(FIELDS)]
        items = [_words(rng, rng.randint(3, 9)) for _ in range(rng.randint(1, 4))]
        if kind == "cloze":
            first, second = _words(rng, 3), _words(rng, 3)
            front = f"The {_words(rng, 4)} {{{{c1::{first}}}}} lies {{{{c2::{second}}}}}."
            back, ordinals = "", (1, 2)
        else:
            front, back, ordinals = f"Where does {_words(rng, 3)} insert?", "\n".join(items), (0,)
        note_rows.append(
            {"id": i + 1, "deck_id": deck, "key": f"deck-{deck - 1}/{structure}/{field}/{i}",
             "kind": kind, "position": i, "front": front, "back": back,
             "extra": _words(rng, 10) if kind != "fact" else None,
             "structure_key": structure if kind == "fact" else None,
             "structure_name": _words(rng, 2).capitalize() if kind == "fact" else None,
             "field": field if kind == "fact" else None,
             "meta": {"kind": "muscle", "region": "lumbar", "aliases": [], "items": items,
                      "is_list": len(items) > 1} if kind == "fact" else {},
             "image": image_names[i % IMAGES] if kind == "fact" and i % 3 == 0 else None,
             "tags": ["anatomy", "lower-limb"], "content_hash": "0" * 64,
             "content_changed_at": now, "created_at": now, "retired_at": None}
        )  # fmt: skip
        card_rows.extend({"note_id": i + 1, "ordinal": o, "retired_at": None} for o in ordinals)
    with engine.begin() as connection:
        connection.execute(insert(Media.__table__), media_rows)
        connection.execute(insert(Deck.__table__), deck_rows)
        connection.execute(insert(Note.__table__), note_rows)
        connection.execute(insert(Card.__table__), card_rows)
    engine.dispose()


def run_ours(db_path: Path, out: Path) -> None:
    from flashcards.study.context import App
    from flashcards.study.exporting import export_package

    app = App(db=str(db_path), user_name="bench")
    try:
        export_package(app, [], out)
    finally:
        app.close()


def _baseline_notes(db_path: Path) -> list[dict[str, Any]]:
    """What a genanki script would hold in memory before writing: the notes' fields.

    Prepared (untimed) with our query and field builder, so the baseline writes exactly
    the strings our export writes.
    """
    from flashcards.anki.notes import anki_notes, deck_id_for
    from flashcards.study.context import App
    from flashcards_db.queries.export import export_decks, export_notes

    app = App(db=str(db_path), user_name="bench")
    with app.session() as session:
        decks = export_decks(session, None)
        notes = export_notes(session, None)
    app.close()
    keys = _keys(decks, notes)
    return [
        {"deck": (deck_id_for(deck.key), deck.name, deck.description or ""),
         "kind": note.note_type, "fields": note.fields, "tags": note.tags, "key": key,
         "media": note.media}
        for (deck, deck_notes), deck_keys in zip(anki_notes(decks, notes), keys, strict=True)
        for note, key in zip(deck_notes, deck_keys, strict=True)
    ]  # fmt: skip


def _keys(decks: Any, notes: Any) -> list[list[str]]:
    by_deck: dict[int, list[Any]] = {deck.id: [] for deck in decks}
    for note in notes:
        by_deck[note.deck_id].append(note)
    return [[n.key for n in sorted(by_deck[d.id], key=lambda n: n.position)] for d in decks]


def run_genanki(notes: list[dict[str, Any]], media_dir: Path, out: Path) -> None:
    import genanki

    from flashcards.anki.models import note_type

    models = {kind: note_type(kind) for kind in ("fact", "basic", "cloze")}
    decks: dict[int, Any] = {}
    images: dict[str, None] = {}
    for position, note in enumerate(notes, start=1):
        deck_id, name, description = note["deck"]
        deck = decks.get(deck_id)
        if deck is None:
            deck = decks[deck_id] = genanki.Deck(deck_id, name, description)
        deck.add_note(
            genanki.Note(
                model=models[note["kind"]],
                fields=note["fields"],
                tags=note["tags"],
                guid=genanki.guid_for("flashcards", note["key"]),
                due=position,
            )
        )
        images.update(dict.fromkeys(note["media"]))
    media = [str(media_dir / name) for name in images]
    genanki.Package(list(decks.values()), media_files=media).write_to_file(str(out))


def child(which: str, workdir: Path, trace: bool) -> None:
    db_path, media_dir, out = workdir / "bench.db", workdir / "media", workdir / f"{which}.apkg"
    notes = _baseline_notes(db_path) if which == "genanki" else None
    # Both sides have their modules loaded before the clock starts: the export is timed,
    # not the interpreter's start-up.
    import genanki  # noqa: F401

    import flashcards.anki.export
    import flashcards.study.exporting  # noqa: F401

    if trace:
        import tracemalloc

        tracemalloc.start()
    started, cpu_started = time.perf_counter(), time.process_time()
    if which == "ours":
        run_ours(db_path, out)
    else:
        assert notes is not None
        run_genanki(notes, media_dir, out)
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    peak = 0
    if trace:
        import tracemalloc

        peak = tracemalloc.get_traced_memory()[1]
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    size = out.stat().st_size
    print(json.dumps({"seconds": seconds, "cpu": cpu, "rss": rss, "traced": peak, "bytes": size}))


def anki_export(package: Path, workdir: Path) -> Path:
    """Anki's own export of the notes of ``package``: imported into a new collection by the
    real Anki library, exported as its desktop exports a deck (modern format, media)."""
    from anki.collection import (
        Collection,
        ExportAnkiPackageOptions,
        ImportAnkiPackageOptions,
        ImportAnkiPackageRequest,
    )

    out = workdir / "anki-own.apkg"
    col = Collection(str(workdir / "anki-own.anki2"))
    try:
        options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
        request = ImportAnkiPackageRequest(package_path=str(package), options=options)
        col.import_anki_package(request)
        col.export_anki_package(
            out_path=str(out),
            options=ExportAnkiPackageOptions(
                with_scheduling=False, with_media=True, legacy=False, with_deck_configs=False
            ),
            limit=None,
        )
    finally:
        col.close()
    return out


def size_line(ours: int, anki: int) -> str:
    mb = 1024 * 1024
    verdict = "" if ours <= TARGET_SIZE_RATIO * anki else " MISS"
    return (
        f"package size: ours {ours / mb:.2f} MB, Anki's own export of the same notes "
        f"{anki / mb:.2f} MB: ratio {ours / anki:.2f} (target <= {TARGET_SIZE_RATIO}){verdict}"
    )


def _spawn(which: str, workdir: Path, trace: bool = False) -> dict[str, float]:
    argv = [sys.executable, __file__, "--child", which, "--workdir", str(workdir)]
    if trace:
        argv.append("--trace")
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{which} run failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--notes", type=int, default=35_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--child", choices=("ours", "genanki"), help=argparse.SUPPRESS)
    parser.add_argument("--workdir", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--trace", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.workdir, args.trace)
        return
    with tempfile.TemporaryDirectory(prefix="flashcards-bench-") as tmp:
        workdir = Path(tmp)
        (workdir / "media").mkdir()
        started = time.perf_counter()
        generate(workdir / "bench.db", workdir / "media", args.notes)
        print(f"generated {args.notes} notes in {time.perf_counter() - started:.1f} s", flush=True)
        runs: dict[str, list[dict[str, float]]] = {"ours": [], "genanki": []}
        for i in range(args.runs):
            for which in ("genanki", "ours") if i % 2 else ("ours", "genanki"):
                runs[which].append(_spawn(which, workdir))
        traced = {which: _spawn(which, workdir, trace=True)["traced"] for which in runs}
        report(runs, traced)
        anki = anki_export(workdir / "ours.apkg", workdir)
        print(size_line((workdir / "ours.apkg").stat().st_size, anki.stat().st_size))


def report(runs: dict[str, list[dict[str, float]]], traced: dict[str, float]) -> None:
    mb = 1024 * 1024
    wall = {w: statistics.median(r["seconds"] for r in rs) for w, rs in runs.items()}
    cpu = {w: statistics.median(r["cpu"] for r in rs) for w, rs in runs.items()}
    for which, results in runs.items():
        times = ", ".join(f"{r['seconds']:.2f}" for r in results)
        rss = max(r["rss"] for r in results) / mb
        print(
            f"{which:8} median {wall[which]:.2f} s wall, {cpu[which]:.2f} s CPU  "
            f"(wall runs: {times})  peak RSS {rss:.0f} MB  traced peak "
            f"{traced[which] / mb:.0f} MB  package {results[-1]['bytes'] / mb:.1f} MB"
        )
    peak = max(r["rss"] for r in runs["ours"]) / mb
    print(
        f"ratio ours/genanki: {wall['ours'] / wall['genanki']:.3f} wall (target <= {TARGET_RATIO})"
    )
    # On a shared machine other processes stretch wall time; CPU time shows the work.
    print(f"ratio ours/genanki: {cpu['ours'] / cpu['genanki']:.3f} CPU")
    print(f"peak memory of ours: {peak:.0f} MB RSS (target < {TARGET_MB} MB)")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
