"""`flashcards import` of packages made by the real Anki: current and legacy formats,
.apkg and .colpkg; every note, tag, deck and media file arrives, a re-import updates
instead of duplicating, and `--with-progress` brings Anki's schedule as SM-2 state."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from anki_packages import MP3, PNG, AnkiPackages
from conftest import TODAY, Cli, ok
from sqlalchemy import create_engine, text

FORMATS = ["apkg", "apkg-legacy", "apkg-anki20", "colpkg", "colpkg-legacy"]


@pytest.fixture
def anki(anki_packages: AnkiPackages) -> AnkiPackages:
    return anki_packages


def rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def import_json(run: Cli, *args: str, today: dt.date = TODAY) -> dict[str, Any]:
    document = json.loads(ok(run("import", *args, "--json", today=today)))
    assert isinstance(document, dict)
    return document


def notes_by_guid(url: str) -> dict[str, dict[str, Any]]:
    found: dict[str, dict[str, Any]] = {}
    for key, kind, front, back, extra, tags, meta, deck in rows(
        url,
        "SELECT n.key, n.kind, n.front, n.back, n.extra, n.tags, n.meta, d.name "
        "FROM notes n JOIN decks d ON d.id = n.deck_id",
    ):
        meta = json.loads(meta) if isinstance(meta, str) else meta
        tags = json.loads(tags) if isinstance(tags, str) else tags
        label = meta["guid"] + ("/reverse" if meta.get("reverse") else "")
        found[label] = {"key": key, "kind": kind, "front": front, "back": back,
                        "extra": extra, "tags": tags, "meta": meta, "deck": deck}  # fmt: skip
    return found


def hashed(data: bytes, suffix: str) -> str:
    return hashlib.sha256(data).hexdigest() + suffix


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_note_deck_tag_and_media_of_an_anki_package_arrives(
    run_sqlite: Cli, anki: AnkiPackages, fmt: str
) -> None:
    report = import_json(run_sqlite, str(anki.packages[fmt]))
    # 6 Anki notes; the reversed one gives two notes (one per card).
    assert (report["added"], report["updated"], report["retired"]) == (7, 0, 0)
    assert sorted(report["decks"]) == [
        "Anatomy", "Anatomy::Lower limb", "Anatomy::Upper limb", "Default",
    ]  # fmt: skip
    url = run_sqlite.db
    notes = notes_by_guid(url)
    g = anki.guids
    basic = notes[g["basic"]]
    assert basic["deck"] == "Anatomy::Lower limb"
    assert basic["key"] == f"anki-{anki.deck_ids['Anatomy::Lower limb']}/{g['basic']}"
    assert basic["kind"] == "basic"
    assert basic["front"] == "Where does <b>psoas major</b> insert?"  # HTML kept for export
    assert basic["back"] == f'Lesser trochanter<br><img src="{hashed(PNG, ".png")}">'
    assert basic["tags"] == ["anatomy", "hip::flexors"]
    cloze = notes[g["cloze"]]
    assert cloze["kind"] == "cloze"
    assert cloze["front"].startswith("The {{c1::femoral nerve}} supplies {{c2::iliacus}}")
    assert cloze["extra"] == f"Roots L2&ndash;L4 [sound:{hashed(MP3, '.mp3')}]"
    assert notes[g["reversed"]]["front"] == "Iliopsoas"
    assert notes[g["reversed"] + "/reverse"]["front"] == "Psoas major + iliacus"
    assert notes[g["typed"]]["back"] == "Axillary nerve"
    assert notes[g["typed"]]["deck"] == "Anatomy::Upper limb"
    muscle = notes[g["muscle"]]
    assert (muscle["front"], muscle["deck"]) == ("Iliacus", "Anatomy")
    assert muscle["back"] == "Origin: Iliac fossa<br>Nerve: Femoral nerve"
    assert notes[g["default"]]["deck"] == "Default"
    cards = rows(
        url,
        "SELECT n.key, c.ordinal FROM cards c JOIN notes n ON n.id = c.note_id "
        "WHERE n.key = :key ORDER BY c.ordinal",
        key=cloze["key"],
    )
    assert [ordinal for _, ordinal in cards] == [1, 2]
    media = rows(url, "SELECT filename, original_name, data FROM media ORDER BY original_name")
    assert [(f, o, bytes(d)) for f, o, d in media] == [
        (hashed(MP3, ".mp3"), "femoral nerve.mp3", MP3),
        (hashed(PNG, ".png"), "psoas.png", PNG),
    ]
    assert any("note type 'Muscle'" in w for w in report["warnings"])


def test_an_anki_package_imports_on_each_database_engine(run: Cli, anki: AnkiPackages) -> None:
    report = import_json(run, str(anki.packages["apkg"]), "--with-progress")
    assert report["added"] == 7
    assert report["progress"]["set"] == 3
    assert len(rows(run.db, "SELECT id FROM media")) == 2


def test_reimporting_a_package_updates_the_edited_note_and_keeps_its_history(
    run_sqlite: Cli, anki: AnkiPackages
) -> None:
    import_json(run_sqlite, str(anki.packages["apkg"]))
    ok(run_sqlite("review", "--limit", "1", input="\n5\n"))  # one answer, to keep
    before = rows(run_sqlite.db, "SELECT id, key FROM notes ORDER BY id")
    again = import_json(run_sqlite, str(anki.packages["apkg"]))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 7)
    edited = import_json(run_sqlite, str(anki.edited))
    assert (edited["added"], edited["updated"], edited["unchanged"]) == (0, 1, 6)
    assert rows(run_sqlite.db, "SELECT id, key FROM notes ORDER BY id") == before
    back = rows(
        run_sqlite.db, "SELECT back FROM notes WHERE key LIKE :k", k=f"%{anki.guids['basic']}"
    )
    assert back[0][0].startswith("Lesser trochanter of the femur")
    assert rows(run_sqlite.db, "SELECT count(*) FROM reviews WHERE kind = 'review'") == [(1,)]


def test_the_same_collection_as_apkg_and_as_colpkg_is_one_deck_set(
    run_sqlite: Cli, anki: AnkiPackages
) -> None:
    import_json(run_sqlite, str(anki.packages["apkg"]))
    report = import_json(run_sqlite, str(anki.packages["colpkg-legacy"]))
    assert (report["added"], report["unchanged"]) == (0, 7)
    assert rows(run_sqlite.db, "SELECT count(*) FROM decks") == [(4,)]


def test_with_progress_anki_intervals_ease_and_due_days_become_sm2_state(
    run_sqlite: Cli, anki: AnkiPackages
) -> None:
    report = import_json(run_sqlite, str(anki.packages["apkg"]), "--with-progress")
    assert report["progress"] == {
        "set": 3, "unchanged": 0, "kept": 0, "new": 5, "answers": 2, "answers_known": 0
    }  # fmt: skip
    states = {  # (GUID, ordinal) -> SM-2 numbers
        (key.split("/", 1)[1], ordinal): state
        for key, ordinal, *state in rows(
            run_sqlite.db,
            "SELECT n.key, c.ordinal, s.repetitions, s.interval, s.easiness, s.due_day, "
            "s.lapses, s.suspended FROM card_states s JOIN cards c ON c.id = s.card_id "
            "JOIN notes n ON n.id = c.note_id JOIN users u ON u.id = s.user_id "
            "WHERE u.name = 'ana'",
        )
    }
    day = anki.anki_today
    basic = anki.states["basic"]
    assert states[anki.guids["basic"], 0] == [
        basic["reps"], 12, 2.3, str(day + dt.timedelta(days=12)), 0, 0,
    ]  # fmt: skip
    # 7 answers with 2 lapses: 5 successful; ease 1700 -> EF 1.7; the c2 card.
    assert states[anki.guids["cloze"], 2] == [5, 3, 1.7, str(day + dt.timedelta(days=3)), 2, 0]
    assert states[anki.guids["typed"], 0][-1] == 1  # suspended in Anki, suspended here
    logged = rows(
        run_sqlite.db, "SELECT kind, mode, quality, interval_after FROM reviews ORDER BY id"
    )
    # Each card's schedule is logged as set here; Anki's two answers (Good, in the review
    # log the package holds) come first, as imported answers.
    assert logged[:2] == [("review", "imported", 4, 1), ("review", "imported", 4, 1)]
    assert sorted(logged[2:]) == [
        ("import", None, None, 0),
        ("import", None, None, 3),
        ("import", None, None, 12),
    ]
    again = import_json(run_sqlite, str(anki.packages["apkg"]), "--with-progress")
    assert again["progress"]["unchanged"] == 3
    assert len(rows(run_sqlite.db, "SELECT id FROM reviews")) == 5  # nothing logged twice


def test_progress_studied_here_after_anki_is_kept(run_sqlite: Cli, anki: AnkiPackages) -> None:
    later = anki.anki_today + dt.timedelta(days=20)
    import_json(run_sqlite, str(anki.packages["apkg"]), "--with-progress", today=later)
    out = ok(run_sqlite("review", "--new", "0", input="\n5\n\n5\nq\n", today=later))
    assert "Next review" in out
    again = import_json(run_sqlite, str(anki.packages["apkg"]), "--with-progress", today=later)
    assert again["progress"]["kept"] == 2
    assert again["progress"]["set"] == 0


def test_without_with_progress_imported_cards_are_new(run_sqlite: Cli, anki: AnkiPackages) -> None:
    import_json(run_sqlite, str(anki.packages["apkg"]))
    assert rows(run_sqlite.db, "SELECT count(*) FROM card_states") == [(0,)]
    decks = json.loads(ok(run_sqlite("decks", "--json")))
    assert sum(d["new"] for d in decks if "::" not in d["name"]) == 8


def test_review_shows_imported_html_as_readable_text(run_sqlite: Cli, anki: AnkiPackages) -> None:
    import_json(run_sqlite, str(anki.packages["apkg"]))
    out = ok(run_sqlite("review", "Anatomy::Lower limb", "--limit", "1", input="\n5\n"))
    assert "Where does psoas major insert?" in out
    assert "Lesser trochanter" in out and "[image]" in out
    assert "<b>" not in out and "<img" not in out and "<br>" not in out


def test_dry_run_of_a_package_changes_nothing(run_sqlite: Cli, anki: AnkiPackages) -> None:
    report = import_json(run_sqlite, str(anki.packages["apkg"]), "--dry-run", "--with-progress")
    assert report["dry_run"] and report["added"] == 7
    assert rows(run_sqlite.db, "SELECT count(*) FROM notes") == [(0,)]
    assert rows(run_sqlite.db, "SELECT count(*) FROM media") == [(0,)]


def test_a_deck_file_and_a_package_import_together(run_sqlite: Cli, anki: AnkiPackages) -> None:
    deck_file = Path(__file__).parent / "fixtures" / "cli" / "thigh.yaml"
    report = import_json(run_sqlite, str(deck_file), str(anki.packages["apkg"]))
    assert len(report["decks"]) == 5
