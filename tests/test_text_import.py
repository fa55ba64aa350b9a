"""`flashcards import` of text files: Anki's notes export with its `#` headers (one made
by the real Anki too), plain CSV/TSV and Quizlet's term/definition export."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from anki_packages import PNG, AnkiPackages
from conftest import Cli, ok, write
from sqlalchemy import create_engine, inspect, text

FIXTURES = Path(__file__).parent / "fixtures" / "anki"
THIGH = Path(__file__).parent / "fixtures" / "cli" / "thigh.yaml"


def rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [tuple(r) for r in connection.execute(text(sql), params)]
    finally:
        engine.dispose()


def import_json(run: Cli, *paths: Path) -> dict[str, Any]:
    document = json.loads(ok(run("import", *map(str, paths), "--json")))
    assert isinstance(document, dict)
    return document


def notes(url: str) -> list[tuple[str, str, str, str, str | None, list[str]]]:
    """(deck, key, kind, front, back, extra, tags) of every note, in deck then file order."""
    found = []
    for deck, key, kind, front, back, extra, tags in rows(
        url,
        "SELECT d.name, n.key, n.kind, n.front, n.back, n.extra, n.tags FROM notes n "
        "JOIN decks d ON d.id = n.deck_id ORDER BY d.name, n.position",
    ):
        found.append((deck, key, kind, front, back, extra,
                      json.loads(tags) if isinstance(tags, str) else tags))  # fmt: skip
    return found


def test_a_quizlet_export_becomes_a_deck_of_term_definition_cards(run: Cli) -> None:
    report = import_json(run, FIXTURES / "quizlet.txt")
    assert (report["added"], report["decks"]) == (3, ["quizlet"])
    assert [(n[0], n[2], n[3], n[4]) for n in notes(run.db)] == [
        ("quizlet", "basic", "Psoas major", "Lesser trochanter of the femur"),
        ("quizlet", "basic", "Iliacus", "Iliac fossa"),
        ("quizlet", "basic", "Sartorius", "Anterior superior iliac spine"),
    ]


def test_reimporting_an_edited_text_file_updates_by_question(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    quizlet = shutil.copy(FIXTURES / "quizlet.txt", tmp_path / "quizlet.txt")
    import_json(run_sqlite, Path(quizlet))
    ids = rows(run_sqlite.db, "SELECT id, key FROM notes ORDER BY id")
    text_now = Path(quizlet).read_text().replace("Iliac fossa", "Iliac fossa (upper two thirds)")
    Path(quizlet).write_text(text_now)
    report = import_json(run_sqlite, Path(quizlet))
    assert (report["added"], report["updated"], report["unchanged"]) == (0, 1, 2)
    assert rows(run_sqlite.db, "SELECT id, key FROM notes ORDER BY id") == ids


def test_a_plain_csv_with_a_header_row_keeps_quoted_commas_and_tags(run_sqlite: Cli) -> None:
    import_json(run_sqlite, FIXTURES / "plain.csv")
    assert [(n[3], n[4], n[6]) for n in notes(run_sqlite.db)] == [
        ("Where does psoas major insert?", "Lesser trochanter, with iliacus", ["hip", "anatomy"]),
        ("What innervates sartorius?", "Femoral nerve", []),
    ]


def test_anki_text_headers_set_separator_html_deck_note_type_and_tags(run_sqlite: Cli) -> None:
    report = import_json(run_sqlite, FIXTURES / "shoulder.txt")
    assert report["decks"] == ["Anatomy::Upper limb"]
    found = notes(run_sqlite.db)
    # Basic (and reversed card): each row asks both ways.
    assert [(n[3], n[4]) for n in found] == [
        ("Deltoid", "Axillary nerve <i>(C5–C6)</i>"),
        ("Axillary nerve <i>(C5–C6)</i>", "Deltoid"),
        ("Supraspinatus", "Suprascapular nerve"),
        ("Suprascapular nerve", "Supraspinatus"),
    ]
    assert found[2][6] == ["anatomy", "shoulder", "rotator-cuff"]
    assert rows(run_sqlite.db, "SELECT html FROM decks") == [(1,)]
    out = ok(run_sqlite("review", "--limit", "1", input="\n5\n"))
    assert "Axillary nerve (C5–C6)" in out and "<i>" not in out


def test_a_cloze_text_file_makes_one_card_per_cloze_number(run_sqlite: Cli) -> None:
    import_json(run_sqlite, FIXTURES / "cloze.txt")
    [note] = notes(run_sqlite.db)
    assert (note[2], note[3], note[5]) == (
        "cloze", "The {{c1::femoral nerve}} arises from {{c2::L2–L4}}.", "Lumbar plexus"
    )  # fmt: skip
    ordinals = rows(run_sqlite.db, "SELECT ordinal FROM cards ORDER BY ordinal")
    assert ordinals == [(1,), (2,)]


def test_plain_text_stays_plain_so_a_less_than_survives(run_sqlite: Cli) -> None:
    import_json(run_sqlite, FIXTURES / "depths.tsv")
    [note] = notes(run_sqlite.db)
    assert note[4] == "<2 cm & variable"
    assert rows(run_sqlite.db, "SELECT html FROM decks") == [(0,)]
    out = ok(run_sqlite("review", "--limit", "1", input="\n5\n"))
    assert "<2 cm & variable" in out


def test_a_notes_export_made_by_anki_imports_with_its_guids_decks_and_tags(
    run_sqlite: Cli, anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    from anki.collection import Collection

    copy = shutil.copy(anki_packages.folder / "student.anki2", tmp_path / "copy.anki2")
    shutil.copytree(anki_packages.folder / "student.media", tmp_path / "copy.media")
    col = Collection(str(copy))
    try:
        exported = tmp_path / "anatomy notes.txt"
        col.export_note_csv(out_path=str(exported), limit=None, with_html=True, with_tags=True,
                            with_deck=True, with_notetype=True, with_guid=True)  # fmt: skip
    finally:
        col.close()
    shutil.copy(anki_packages.folder / "student.media" / "psoas.png", tmp_path / "psoas.png")
    report = import_json(run_sqlite, exported)
    assert sorted(report["decks"]) == [
        "Anatomy", "Anatomy::Lower limb", "Anatomy::Upper limb", "Default",
    ]  # fmt: skip
    assert report["added"] == 7  # the reversed note asks both ways
    assert any("note type 'Muscle'" in w for w in report["warnings"])
    by_key = {n[1].split("/", 1)[1]: n for n in notes(run_sqlite.db)}
    basic = by_key[anki_packages.guids["basic"]]
    assert basic[3] == "Where does <b>psoas major</b> insert?"
    assert basic[6] == ["anatomy", "hip::flexors"]
    assert report["media_added"] == 1  # psoas.png, found beside the file
    again = import_json(run_sqlite, exported)
    assert (again["added"], again["unchanged"]) == (0, 7)


def test_media_beside_a_text_file_is_stored_but_never_outside_its_folder(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    (tmp_path / "secret.png").write_bytes(b"not for import")
    folder = tmp_path / "inbox"
    write(folder / "psoas.png", "")
    (folder / "psoas.png").write_bytes(PNG)
    deck = write(
        folder / "images.tsv",
        'Psoas?\t<img src="psoas.png">\nSecret?\t<img src="../secret.png">\n',
    )
    report = import_json(run_sqlite, deck)
    assert report["media_added"] == 1
    assert rows(run_sqlite.db, "SELECT original_name FROM media") == [("psoas.png",)]
    assert any("not found beside the file: ../secret.png" in w for w in report["warnings"])


def test_duplicate_questions_are_kept_apart_with_a_warning(run_sqlite: Cli, tmp_path: Path) -> None:
    deck = write(tmp_path / "dupes.tsv", "Nerve of iliacus?\tFemoral\nNerve of iliacus?\tL2-L3\n")
    result = run_sqlite("import", str(deck))
    ok(result)
    assert f"{deck}:2: warning: same question as line 1" in result.stderr
    assert rows(run_sqlite.db, "SELECT count(*) FROM notes") == [(2,)]


def test_a_text_file_that_is_not_utf8_is_refused_and_its_run_changes_nothing(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("review", input="q\n"))  # the schema, empty
    before = table_counts(run.db)
    latin = tmp_path / "latin.csv"
    latin.write_bytes("Muscle,Nerf\nDeltoïde,Axillaire\n".encode("latin-1"))
    result = run("import", str(THIGH), str(latin))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {latin}: not UTF-8 text")
    assert table_counts(run.db) == before
    assert before["decks"] == 0


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                t: int(connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one())
                for t in inspect(engine).get_table_names()
            }
    finally:
        engine.dispose()
