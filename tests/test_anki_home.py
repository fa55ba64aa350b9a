"""Our own packages come home: an export imported into the same database adds nothing;
into a new database it gives the same notes (keys, kinds, texts, metadata), cards and
quiz; a note edited in Anki updates ours when its edit is the newer; and the review log
travels both ways, so stats continue across the move.

Every package here is also read by the real Anki library where Anki is part of the trip.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path
from typing import Any

from conftest import DECKS, FIXTURES, TODAY, Cli, ok, write
from sqlalchemy import create_engine, text
from test_anki_export import HIP, UPPER, anki_collection, import_package, note_by_key

REVERSED = """\
deck: Anatomy::Knee
id: knee
reverse: [insertion]
structures:
  - name: Sartorius
    id: sartorius
    kind: muscle
    aliases: [tailor's muscle]
    insertion: Pes anserinus
  - name: Gracilis
    id: gracilis
    kind: muscle
    insertion: Pes anserinus
cards:
  - id: knee-1
    q: Which muscle unlocks the extended knee?
    a: Popliteus
"""


def decks_folder(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    write(decks / "hip.yaml", HIP)
    write(decks / "upper.yaml", UPPER)
    write(decks / "knee.yaml", REVERSED)
    (decks / "media").mkdir()
    shutil.copy(FIXTURES / "decks" / "good" / "media" / "psoas.png", decks / "media" / "psoas.png")
    return decks


def notes(url: str) -> dict[str, tuple[Any, ...]]:
    """Every note's content as stored, by key (what a content hash covers, and more)."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(
                text(
                    "SELECT n.key, d.key, n.kind, n.position, n.front, n.back, n.extra, "
                    "n.structure_key, n.structure_name, n.field, n.image, n.content_hash "
                    "FROM notes n JOIN decks d ON d.id = n.deck_id"
                )
            ).all()
    finally:
        engine.dispose()
    return {row[0]: tuple(row[1:]) for row in rows}


def imported(cli: Cli, *args: str) -> dict[str, Any]:
    result: dict[str, Any] = json.loads(ok(cli("import", *args, "--json")))
    return result


def test_an_export_imported_into_the_same_database_adds_nothing(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(decks_folder(tmp_path))))
    before = notes(run.db)
    package = tmp_path / "all.apkg"
    ok(run("export", "-o", str(package)))
    report = imported(run, str(package))
    assert (report["added"], report["updated"], report["retired"]) == (0, 0, 0)
    assert report["unchanged"] == len(before) > 0
    assert notes(run.db) == before


def test_into_a_new_database_the_same_notes_cards_and_quiz(
    run: Cli, db_url: str, tmp_path: Path
) -> None:
    """Keys, kinds (facts, reverse cards, basic, cloze), texts, structures, fields, images
    and content hashes arrive as they left; `cards --json` says the same; quiz works."""
    source = Cli(f"sqlite:///{tmp_path / 'source.db'}")
    decks = decks_folder(tmp_path)
    ok(source("import", str(decks)))
    package = tmp_path / "all.apkg"
    ok(source("export", "-o", str(package)))
    report = imported(run, str(package))
    assert report["added"] == len(notes(source.db))
    assert notes(run.db) == notes(source.db)
    kinds = {row[1] for row in notes(run.db).values()}
    assert kinds == {"fact", "reverse", "basic", "cloze"}
    for deck in ("Anatomy::Lower limb::Hip", "Anatomy::Upper limb", "Anatomy::Knee"):
        assert json.loads(ok(run("cards", deck, "--json"))) == json.loads(
            ok(source("cards", deck, "--json"))
        )
    quiz = json.loads(ok(run("quiz", "--count", "5", "--seed", "3", "--json", input="1\n" * 5)))
    assert quiz["asked"] == 5
    # The deck files, imported into the new database, find their notes again.
    again = imported(run, str(decks))
    assert (again["added"], again["updated"]) == (0, 0)


def test_a_package_of_part_of_a_deck_retires_nothing(run_sqlite: Cli, tmp_path: Path) -> None:
    """A package may be older than the deck here: notes added since stay active."""
    decks = decks_folder(tmp_path)
    ok(run_sqlite("import", str(decks / "hip.yaml")))
    package = tmp_path / "hip.apkg"
    ok(run_sqlite("export", "-o", str(package)))
    write(decks / "hip.yaml", HIP + "  - id: added-later\n    q: New?\n    a: Yes\n")
    ok(run_sqlite("import", str(decks / "hip.yaml")))
    report = imported(run_sqlite, str(package))
    assert (report["added"], report["retired"]) == (0, 0)
    assert "hip/added-later" in notes(run_sqlite.db)


def _edit_in_anki(col: Any, key: str, answer: str) -> None:
    note = note_by_key(col, key)
    note["Answer"] = answer
    col.update_note(note)


def _anki_export(col: Any, out: Path) -> Path:
    from anki.collection import ExportAnkiPackageOptions

    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_media=True, legacy=False, with_deck_configs=False
    )
    col.export_anki_package(out_path=str(out), options=options, limit=None)
    return out


def _backdate(url: str, hours: int) -> None:
    engine = create_engine(url)
    with engine.begin() as connection:
        rows = connection.execute(text("SELECT id, content_changed_at FROM notes")).all()
        for note_id, changed in rows:
            moment = changed
            if not isinstance(moment, dt.datetime):
                moment = dt.datetime.fromisoformat(moment)
            connection.execute(
                text("UPDATE notes SET content_changed_at = :at WHERE id = :id"),
                {"at": moment - dt.timedelta(hours=hours), "id": note_id},
            )
    engine.dispose()


def test_a_note_edited_in_anki_updates_ours_when_newer(run: Cli, tmp_path: Path) -> None:
    """Anki's own export of our notes (no data of ours in it) comes home by GUID: the
    edit made in Anki, newer than our copy, updates the note in place (same key, same
    cards); a note edited here after Anki's copy keeps ours."""
    decks = decks_folder(tmp_path)
    ok(run("import", str(decks)))
    _backdate(run.db, hours=3)
    package = tmp_path / "ours.apkg"
    ok(run("export", "-o", str(package)))
    col = anki_collection(tmp_path / "anki")
    try:
        import_package(col, package)
        _edit_in_anki(col, "hip/psoas-major/insertion", "Lesser trochanter &amp; more")
        _edit_in_anki(col, "hip/parts", "Psoas major and iliacus")
        from_anki = _anki_export(col, tmp_path / "from-anki.apkg")
    finally:
        col.close()
    # An edit here after Anki's: the deck file now says something else for "parts".
    write(decks / "hip.yaml", HIP.replace("a: Psoas major & iliacus", "a: Iliopsoas parts"))
    ok(run("import", str(decks / "hip.yaml")))
    before = notes(run.db)
    report = imported(run, str(from_anki))
    assert (report["added"], report["updated"], report["retired"]) == (0, 1, 0)
    after = notes(run.db)
    assert after["hip/psoas-major/insertion"][4] == "Lesser trochanter & more"
    assert after["hip/parts"][4] == "Iliopsoas parts"  # ours is the newer edit
    changed = {key for key in before if before[key] != after[key]}
    assert changed == {"hip/psoas-major/insertion"}


def test_anki_made_package_of_our_notes_into_a_new_database_keeps_facts(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    """Where no database knows them, our notes from Anki's export still come as facts of
    their structure and field (under their Anki GUIDs), not as labelled other notes."""
    source = Cli(f"sqlite:///{tmp_path / 'source.db'}")
    ok(source("import", str(decks_folder(tmp_path))))
    package = tmp_path / "ours.apkg"
    ok(source("export", "-o", str(package)))
    col = anki_collection(tmp_path / "anki")
    try:
        import_package(col, package)
        from_anki = _anki_export(col, tmp_path / "from-anki.apkg")
    finally:
        col.close()
    result = run_sqlite("import", str(from_anki), "--json")
    assert "neither basic nor cloze" not in result.output
    stored = notes(run_sqlite.db)
    facts = [row for row in stored.values() if row[1] == "fact"]
    assert {(row[7], row[8]) for row in facts} >= {("Psoas major", "insertion")}
    quiz = json.loads(ok(run_sqlite("quiz", "--count", "3", "--json", input="1\n" * 3)))
    assert quiz["asked"] == 3


def _answer_days(col: Any, days: list[dt.date]) -> None:
    """Answer every card once per given day (revlog ids moved to noon of those days)."""
    for day in days:
        for card_id in col.find_cards(""):
            card = col.get_card(card_id)
            card.start_timer()
            col.sched.answerCard(card, 3)
        noon = int(dt.datetime.combine(day, dt.time(12)).timestamp() * 1000)
        latest = col.db.list("SELECT id FROM revlog WHERE id > ? ORDER BY id", noon + 86_400_000)
        for offset, log_id in enumerate(latest):
            col.db.execute("UPDATE revlog SET id = ? WHERE id = ?", noon + offset, log_id)


def test_an_anki_review_log_shows_in_stats_and_is_imported_once(run: Cli, tmp_path: Path) -> None:
    """Years in Anki are not lost: its answers join the log (as imported answers, on the
    study days they were given), stats count them, and a second import adds none."""
    col = anki_collection(tmp_path / "anki")
    try:
        deck_id = col.decks.id("From Anki")
        for front in ("Psoas?", "Iliacus?"):
            note = col.new_note(col.models.by_name("Basic"))
            note["Front"], note["Back"] = front, "Muscle"
            col.add_note(note, deck_id)
        days = [TODAY - dt.timedelta(days=n) for n in (3, 2, 1)]
        _answer_days(col, days)
        package = _anki_export(col, tmp_path / "anki.apkg")
    finally:
        col.close()
    report = imported(run, str(package), "--with-progress")
    assert report["progress"]["answers"] == 6
    stats = json.loads(ok(run("stats", "--json")))
    assert stats["reviews_total"] == 6
    heat = {d["date"]: d["reviews"] for d in stats["heatmap"] if d["reviews"]}
    assert heat == {day.isoformat(): 2 for day in days}
    assert stats["streak"]["longest"] == 3
    again = imported(run, str(package), "--with-progress")
    assert (again["progress"]["answers"], again["progress"]["answers_known"]) == (0, 6)
    assert json.loads(ok(run("stats", "--json")))["reviews_total"] == 6
    # Imported answers are history, not grades to take back.
    assert run("undo").exit_code == 1


def _study(cli: Cli, day: dt.date, script: str) -> None:
    ok(cli("review", input=script, today=day))


def test_our_progress_moves_to_a_new_database_with_the_same_stats(run: Cli, tmp_path: Path) -> None:
    """Three days of study, exported with progress, imported into a new database: the
    same `stats --json`, a clean `doctor`, and a re-import that adds no answer."""
    source = Cli(f"sqlite:///{tmp_path / 'source.db'}")
    ok(source("import", str(decks_folder(tmp_path) / "hip.yaml")))
    days = [TODAY - dt.timedelta(days=n) for n in (4, 3, 0)]
    _study(source, days[0], "\n5\n\n3\n\n1\n\n4\n\n4\nq\n")
    _study(source, days[1], "\n5\n\n2\n\n4\ns\nq\n")
    _study(source, days[2], "\n4\n\n0\n\n5\n\n5\n\n5\nq\n")
    package = tmp_path / "progress.apkg"
    ok(source("export", "-o", str(package), "--with-progress"))
    report = imported(run, str(package), "--with-progress")
    assert report["progress"]["answers_known"] == 0
    assert json.loads(ok(run("stats", "--json"))) == json.loads(ok(source("stats", "--json")))
    assert ok(run("doctor")).startswith("OK")
    again = imported(run, str(package), "--with-progress")
    assert again["progress"]["answers"] == 0
    home = imported(source, str(package), "--with-progress")
    assert (home["added"], home["progress"]["answers"], home["progress"]["set"]) == (0, 0, 0)


def test_todays_answers_come_along_in_the_day_counts(run: Cli, tmp_path: Path) -> None:
    """Answers of today imported with our package count as they did where they were given:
    today's new cards stay spent and today's re-drills are still to be asked."""
    source = Cli(f"sqlite:///{tmp_path / 'source.db'}")
    ok(source("import", str(decks_folder(tmp_path) / "hip.yaml")))
    _study(source, TODAY, "\n1\n\n5\n\n2\nq\n")
    before = json.loads(ok(source("status", "--json")))
    assert before["redrills"] == 2
    package = tmp_path / "progress.apkg"
    ok(source("export", "-o", str(package), "--with-progress"))
    imported(run, str(package), "--with-progress")
    assert json.loads(ok(run("status", "--json"))) == before
    assert json.loads(ok(run("decks", "--json"))) == json.loads(ok(source("decks", "--json")))
    session = ok(run("review", input="q\n"))
    assert f"{before['left']} cards — {before['new']} new, 0 reviews, 2 re-drills" in session


def _rewrite_collection(package: Path, out: Path, sql: str) -> Path:
    import sqlite3
    import zipfile

    folder = out.parent / "rewrite"
    folder.mkdir(parents=True)
    with zipfile.ZipFile(package) as archive:
        archive.extractall(folder)
    with sqlite3.connect(folder / "collection.anki2") as db:
        db.execute(sql)
    db.close()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for member in folder.iterdir():
            archive.write(member, member.name)
    return out


def test_note_data_that_is_not_ours_is_not_trusted(run_sqlite: Cli, tmp_path: Path) -> None:
    """A package's note data is untrusted input: garbage or an over-long key is ignored
    (the note is known by its GUID instead), and the import goes on."""
    decks = decks_folder(tmp_path)
    ok(run_sqlite("import", str(decks)))
    package = tmp_path / "ours.apkg"
    ok(run_sqlite("export", "-o", str(package)))
    long_key = '{"key": "' + "k" * 600 + '", "meta": {}, "tags": []}'
    for number, data in enumerate(("not json", '{"key": 5}', long_key)):
        hostile = _rewrite_collection(
            package,
            tmp_path / f"hostile-{number}" / "h.apkg",
            f"UPDATE notes SET data = '{data}'",
        )
        report = imported(run_sqlite, str(hostile))
        assert (report["added"], report["updated"]) == (0, 0), data


def test_the_shipped_decks_come_home_whole(tmp_path: Path) -> None:
    """Every kind the shipped decks hold (notes after the answer, clinical cards, lists asked
    an item a card, labelled diagrams) leaves in a package and comes back as the deck files
    make it: into the same database nothing changes; into a new one, the deck files then
    find every note as it is."""
    source = Cli(f"sqlite:///{tmp_path / 'source.db'}")
    ok(source("import", str(DECKS)))
    package = tmp_path / "shipped.apkg"
    ok(source("export", "-o", str(package)))
    same = imported(source, str(package))
    assert (same["added"], same["updated"], same["unchanged"]) == (0, 0, len(notes(source.db)))
    elsewhere = Cli(f"sqlite:///{tmp_path / 'elsewhere.db'}")
    imported(elsewhere, str(package))
    assert notes(elsewhere.db) == notes(source.db)
    again = imported(elsewhere, str(DECKS))
    assert (again["added"], again["updated"]) == (0, 0)
