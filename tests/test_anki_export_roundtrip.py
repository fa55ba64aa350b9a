"""A deck that came from Anki goes back to Anki: under its own GUIDs (no second copy in
the student's collection) and with the media its fields refer to."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from conftest import FIXTURES, Cli, ok
from test_anki_export import anki_collection, import_package


def test_a_deck_from_anki_goes_back_without_a_copy_and_with_its_media(tmp_path: Path) -> None:
    """Imported from Anki, exported again: the student's Anki recognises its own notes
    (same GUID: no second copy), and a fresh collection gets the images in the fields."""
    source = anki_collection(tmp_path / "source")
    deck_id = source.decks.id("From Anki::Sub")
    note = source.new_note(source.models.by_name("Basic"))
    note["Front"], note["Back"] = 'Psoas <img src="psoas.png">', "Lumbar"
    source.add_note(note, deck_id)
    image = (FIXTURES / "decks" / "good" / "media" / "psoas.png").read_bytes()
    (Path(source.media.dir()) / "psoas.png").write_bytes(image)
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    original = tmp_path / "from-anki.apkg"
    options = ExportAnkiPackageOptions(with_scheduling=False, with_media=True, legacy=False)
    source.export_anki_package(out_path=str(original), options=options, limit=DeckIdLimit(deck_id))
    cli = Cli(f"sqlite:///{tmp_path / 'flashcards.db'}")
    ok(cli("import", str(original)))
    back = tmp_path / "back.apkg"
    report = json.loads(ok(cli("export", "-o", str(back), "--json")))
    assert (report["notes"], report["media"]) == (1, 1)

    log = import_package(source, back)
    assert (len(log.new), source.note_count()) == (0, 1)
    source.close()
    fresh = anki_collection(tmp_path / "fresh")
    try:
        assert len(import_package(fresh, back).new) == 1
        (arrived,) = [fresh.get_note(i) for i in fresh.find_notes("")]
        name = f"{hashlib.sha256(image).hexdigest()}.png"
        assert arrived["Question"] == f'Psoas <img src="{name}">'
        assert (Path(fresh.media.dir()) / name).read_bytes() == image
        assert list(fresh.media.check().missing) == []
    finally:
        fresh.close()
