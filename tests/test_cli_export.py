"""`flashcards export` through the CLI, on SQLite and PostgreSQL: what it writes, which
decks it takes, its progress and dry-run reports, and its errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import FIXTURES, Cli, ok, write
from sqlalchemy import create_engine, func, select
from test_anki_export import HIP, UPPER, anki_collection, import_package, note_by_key

from flashcards_db.models import Note


def hip_and_upper(tmp_path: Path) -> Path:
    decks = tmp_path / "decks"
    write(decks / "hip.yaml", HIP)
    write(decks / "upper.yaml", UPPER)
    (decks / "media").mkdir()
    shutil.copy(FIXTURES / "decks" / "good" / "media" / "psoas.png", decks / "media" / "psoas.png")
    return decks


def test_the_package_imports_into_anki_with_fields_tags_times_and_media(
    run: Cli, tmp_path: Path
) -> None:
    """On each engine: the JSON metadata, change times and media come out of the database
    as the package needs them."""
    ok(run("import", str(hip_and_upper(tmp_path))))
    package = tmp_path / "out.apkg"
    report = json.loads(ok(run("export", "-o", str(package), "--json")))
    assert (report["notes"], report["cards"], report["media"]) == (8, 9, 1)
    col = anki_collection(tmp_path / "anki")
    try:
        assert len(import_package(col, package).new) == 8
        origin = note_by_key(col, "hip/psoas-major/origin")
        assert origin["Answer"].startswith("<ul><li>Transverse processes")
        assert origin["Image"].startswith('<img src="')
        assert set(note_by_key(col, "hip/iliacus/innervation").tags) >= {
            "kind::muscle_group",
            "region::iliac_fossa",
        }
        engine = create_engine(run.db)
        with engine.connect() as connection:
            changed = connection.scalar(
                select(Note.content_changed_at).where(Note.key == "hip/parts")
            )
        engine.dispose()
        assert note_by_key(col, "hip/parts").mod == int(changed.timestamp())
        assert list(col.media.check().missing) == []
    finally:
        col.close()


def test_deck_arguments_take_a_deck_with_its_sub_decks_or_a_deck_id(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(hip_and_upper(tmp_path))))
    out = str(tmp_path / "out.apkg")

    def decks(*selectors: str) -> list[str]:
        document = json.loads(ok(run("export", *selectors, "-o", out, "--dry-run", "--json")))
        return list(document["decks"])

    assert decks("Anatomy::Lower limb") == ["Anatomy::Lower limb::Hip"]
    assert decks("upper") == ["Anatomy::Upper limb"]
    assert decks("Anatomy") == ["Anatomy::Lower limb::Hip", "Anatomy::Upper limb"]
    assert decks() == ["Anatomy::Lower limb::Hip", "Anatomy::Upper limb"]
    assert decks("upper", "Anatomy::Upper limb") == ["Anatomy::Upper limb"]


def test_progress_counts_come_from_the_current_user_only(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(hip_and_upper(tmp_path) / "upper.yaml")))
    ok(run("review", input="\n5\n\n2\n\n4\n"))  # two new cards; the second re-drilled
    out = str(tmp_path / "out.apkg")
    mine = json.loads(ok(run("export", "-o", out, "--with-progress", "--json")))
    assert mine["progress"] == {"user": "ana", "review_cards": 2, "suspended": 0, "reviews": 3}
    theirs = run("export", "-o", out, "--with-progress", "--json", user="bo")
    assert json.loads(theirs.stdout)["progress"]["review_cards"] == 0
    assert "no study history for user 'bo'" in theirs.stderr
    plain = json.loads(ok(run("export", "-o", out, "--json")))
    assert plain["progress"] is None


def test_retired_notes_are_not_exported(run_sqlite: Cli, tmp_path: Path) -> None:
    decks = hip_and_upper(tmp_path)
    ok(run_sqlite("import", str(decks)))
    write(decks / "upper.yaml", UPPER[: UPPER.index("cards:")])
    ok(run_sqlite("import", str(decks)))
    engine = create_engine(run_sqlite.db)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).where(Note.retired_at.is_not(None))) == 1
    engine.dispose()
    report = json.loads(ok(run_sqlite("export", "-o", str(tmp_path / "o.apkg"), "--json")))
    assert (report["notes"], report["cards"]) == (7, 8)


def test_the_report_says_what_was_written_and_what_anki_will_do(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    ok(run_sqlite("import", str(hip_and_upper(tmp_path) / "upper.yaml")))
    out = tmp_path / "upper.apkg"
    first = run_sqlite("export", "upper", "-o", str(out))
    assert first.exit_code == 0 and first.stderr == ""
    assert first.stdout.splitlines() == [
        f"Exported 1 deck to {out}:",
        "  Anatomy::Upper limb",
        "2 Anki notes, 2 cards, 0 media files",
        f"No previous export at {out}: Anki will add all 2 notes.",
    ]
    again = ok(run_sqlite("export", "upper", "-o", str(out), "--dry-run"))
    assert again.splitlines()[-2:] == [
        f"Compared with the previous export at {out}: Anki will add 0, update 0 and leave 2 alone.",
        f"Dry run: nothing was written to {out}.",
    ]


def test_errors_name_the_problem_and_write_nothing(run_sqlite: Cli, tmp_path: Path) -> None:
    out = tmp_path / "out.apkg"
    empty = run_sqlite("export", "-o", str(out))
    assert empty.exit_code == 1
    assert empty.stderr.startswith("Error: no flashcards database here yet (")
    assert "`flashcards import DECK…` creates one" in empty.stderr
    ok(run_sqlite("review", input="q\n"))  # a database, without decks
    empty = run_sqlite("export", "-o", str(out))
    assert empty.exit_code == 1
    assert empty.stderr == (
        "Error: no decks to export yet; import some: flashcards import decks/\n"
    )
    ok(run_sqlite("import", str(hip_and_upper(tmp_path) / "upper.yaml")))
    cases = {
        ("Anatomy::Head",): "Error: no deck named 'Anatomy::Head'; `flashcards decks` lists them",
        ("-o", str(tmp_path / "out.zip")): f"Error: {tmp_path / 'out.zip'}: the package must end "
        "in .apkg (Anki imports .apkg files)",
        ("-o", str(tmp_path / "nowhere" / "out.apkg")): f"Error: no such folder: "
        f"{tmp_path / 'nowhere'} (create it first, or check the path)",
    }
    for args, message in cases.items():
        argv = args if "-o" in args else (*args, "-o", str(out))
        result = run_sqlite("export", *argv)
        assert (result.exit_code, result.stderr.strip()) == (1, message)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["decks", "flashcards.db"]
    usage = run_sqlite("export")
    assert usage.exit_code == 2 and "Missing option '-o'" in usage.stderr


def test_a_previous_file_that_is_no_package(run_sqlite: Cli, tmp_path: Path) -> None:
    """It is not replaced, nor by a dry run (the same error); --force replaces it."""
    ok(run_sqlite("import", str(hip_and_upper(tmp_path) / "upper.yaml")))
    out = tmp_path / "notes.apkg"
    out.write_text("my lecture notes", encoding="utf-8")
    refusal = (
        f"Error: {out} exists and is not a package written by `flashcards export` (not a "
        "readable zip file: File is not a zip file): not overwritten (choose another name, "
        "or pass --force to replace it)\n"
    )
    for args in ((), ("--dry-run",), ("--json",)):
        result = run_sqlite("export", "-o", str(out), *args)
        assert (result.exit_code, result.stderr, result.stdout) == (1, refusal, ""), args
        assert out.read_text(encoding="utf-8") == "my lecture notes"
    dry = run_sqlite("export", "-o", str(out), "--dry-run", "--force")
    assert (
        dry.exit_code == 0 and "with --force it would be replaced without comparing" in dry.stderr
    )
    assert out.read_text(encoding="utf-8") == "my lecture notes"
    real = run_sqlite("export", "-o", str(out), "--json", "--force")
    assert real.exit_code == 0
    assert "with --force it is replaced without comparing" in real.stderr
    assert json.loads(real.stdout)["previous"] is False
    assert out.read_bytes().startswith(b"PK")
    again = json.loads(ok(run_sqlite("export", "-o", str(out), "--json")))  # ours now
    assert (again["previous"], again["unchanged"]) == (True, 2)


def test_someone_elses_anki_package_is_not_replaced(
    run_sqlite: Cli, tmp_path: Path, anki_packages: Any
) -> None:
    """An Anki package of other note types (a friend's deck) is kept unless --force."""
    ok(run_sqlite("import", str(hip_and_upper(tmp_path) / "upper.yaml")))
    for kind in ("apkg", "apkg-legacy", "apkg-anki20"):
        friend = tmp_path / f"Friend-{kind}.apkg"
        shutil.copy(anki_packages.packages[kind], friend)
        before = friend.read_bytes()
        for args in ((), ("--dry-run",)):
            result = run_sqlite("export", "-o", str(friend), *args)
            assert result.exit_code == 1, (kind, args, result.output)
            assert result.stderr.startswith(
                f"Error: {friend} exists and is not a package written by `flashcards export`"
            )
            assert "pass --force to replace it" in result.stderr
            assert friend.read_bytes() == before
        ok(run_sqlite("export", "-o", str(friend), "--force"))
        assert friend.read_bytes() != before


def test_the_report_says_why_anki_gets_fewer_notes_than_import_counts(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    """A labelled diagram's labels are notes here (as `import` counts them) and one
    Image Occlusion note in Anki: the export's line says so."""
    from occlusion_decks import LABELS, write_diagram_deck

    imported = ok(run_sqlite("import", str(write_diagram_deck(tmp_path / "decks"))))
    assert "4 notes, 4 cards in these decks" in imported  # 3 labels and a fact
    out = tmp_path / "hip.apkg"
    lines = ok(run_sqlite("export", "-o", str(out))).splitlines()
    assert lines[2] == (
        "2 Anki notes (4 notes here: each labelled diagram is one Image Occlusion note, "
        f"1 diagram with {len(LABELS)} labels), 4 cards, 1 media file"
    )
    report = json.loads(ok(run_sqlite("export", "-o", str(out), "--json", "--dry-run")))
    assert (report["notes"], report["notes_here"], report["diagrams"]) == (2, 4, 1)
