"""Labelled diagrams go to Anki as Anki's own Image Occlusion notes, judged by the real
`anki` package, and come back as diagrams: from our own packages and from notes a
student made in Anki's occlusion editor."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any

from conftest import Cli, ok
from occlusion_decks import LABELS, SVG, write_diagram_deck, write_png
from test_anki_export import anki_collection, import_package

from flashcards.anki.notes import note_guid
from flashcards.anki.occlusion import IMAGE_OCCLUSION_STOCK_KIND


def _export(cli: Cli, tmp_path: Path, mode: str = "hide-all") -> Path:
    ok(cli("import", str(write_diagram_deck(tmp_path / "deck", mode=mode))))
    package = tmp_path / "hip.apkg"
    ok(cli("export", "-o", str(package)))
    return package


def _diagram_note(col: Any) -> Any:
    (note_id,) = col.find_notes('"note:flashcards: image occlusion"')
    return col.get_note(note_id)


def test_a_diagram_is_one_image_occlusion_note_of_anki_with_a_card_per_label(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    col = anki_collection(tmp_path / "anki")
    try:
        log = import_package(col, _export(run_sqlite, tmp_path))
        assert len(log.new) == 2  # the structure's fact and the diagram
        note = _diagram_note(col)
        notetype = note.note_type()
        assert notetype["originalStockKind"] == IMAGE_OCCLUSION_STOCK_KIND
        assert notetype["type"] == 1  # a cloze kind
        assert [(f["name"], f["tag"]) for f in notetype["flds"]] == [
            ("Occlusion", 0),
            ("Image", 1),
            ("Header", 2),
            ("Back Extra", 3),
            ("Comments", 4),
        ]
        assert note.guid == note_guid("hip-diagrams/hip-deep")
        assert len(note.cards()) == len(LABELS)
        assert note["Occlusion"].startswith(
            "{{c1::image-occlusion:rect:left=.166667:top=.2:width=.333333:height=.15:oi=1}}<br>"
        )
        image = f"{hashlib.sha256(SVG.encode()).hexdigest()}.svg"
        assert note["Image"] == f'<img src="{image}">'
        assert (Path(col.media.dir()) / image).read_text() == SVG
        assert list(col.media.check().missing) == []
        # Anki's own reader of occlusion notes finds every shape under its card's number.
        response = col._backend.get_image_occlusion_note(note_id=note.id)
        shapes = {o.ordinal: [s.shape for s in o.shapes] for o in response.note.occlusions}
        assert shapes == {1: ["rect"], 2: ["ellipse"], 3: ["polygon"]}
        assert response.note.occlude_inactive
        for card, label in zip(sorted(note.cards(), key=lambda c: c.ord), LABELS, strict=True):
            question, answer = card.question(), card.answer()
            active = f'<div class="cloze" data-ordinal="{card.ord + 1}" data-shape='
            assert active in question and "anki.imageOcclusion.setup()" in question
            assert f'<span class="cloze" data-ordinal="{card.ord + 1}">{label}</span>' in answer
            assert f'class="cloze-highlight" data-ordinal="{card.ord + 1}"' in answer
            assert "Deep hip, posterior view" in question
    finally:
        col.close()


def test_hide_one_masks_only_the_asked_shape(run_sqlite: Cli, tmp_path: Path) -> None:
    col = anki_collection(tmp_path / "anki")
    try:
        import_package(col, _export(run_sqlite, tmp_path, mode="hide-one"))
        note = _diagram_note(col)
        assert ":oi=1" not in note["Occlusion"]
        assert not col._backend.get_image_occlusion_note(note_id=note.id).note.occlude_inactive
    finally:
        col.close()


def test_our_package_comes_back_with_the_same_diagrams_and_again_adds_nothing(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    package = _export(run_sqlite, tmp_path)
    other = Cli(f"sqlite:///{tmp_path / 'other.db'}")
    first = json.loads(ok(other("import", str(package), "--json")))
    assert first["added"] == 4
    again = json.loads(ok(other("import", str(package), "--json")))
    assert (again["added"], again["updated"], again["unchanged"]) == (0, 0, 4)

    def diagrams(db: Path) -> list[tuple[str, dict[str, Any]]]:
        rows = sqlite3.connect(db).execute(
            "SELECT back, meta FROM notes WHERE kind = 'occlusion' ORDER BY position"
        )
        found = []
        for label, meta in rows:
            diagram = json.loads(meta)["occlusion"]
            found.append((label, {k: v for k, v in diagram.items() if k != "id"}))
        return found

    assert diagrams(tmp_path / "other.db") == diagrams(
        Path(run_sqlite.db.removeprefix("sqlite:///"))
    )
    cards = json.loads(ok(other("cards", "Anatomy::Hip::Diagrams", "--json")))
    assert [c["answer"] for c in cards if c["kind"] == "occlusion"] == LABELS


def test_a_diagram_anki_exported_again_comes_home_without_its_note_data(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    """Anki drops a note's data on import: a diagram of ours that Anki exports again is
    found by its GUID in the database that made it, and adds no label twice."""
    from test_anki_home import _anki_export

    package = _export(run_sqlite, tmp_path)
    col = anki_collection(tmp_path / "anki")
    try:
        import_package(col, package)
        assert col.db.list("SELECT data FROM notes") == ["", ""]  # what makes this case
        from_anki = _anki_export(col, tmp_path / "from-anki.apkg")
    finally:
        col.close()
    result = json.loads(ok(run_sqlite("import", str(from_anki), "--json")))
    assert (result["added"], result["updated"], result["unchanged"]) == (0, 0, 4)
    cards = json.loads(ok(run_sqlite("cards", "Anatomy::Hip::Diagrams", "--json")))
    assert sorted(c["answer"] for c in cards if c["kind"] == "occlusion") == sorted(LABELS)


def test_a_note_made_in_ankis_occlusion_editor_becomes_a_diagram(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    """Anki's stock note type, its four-digit fractions, a mask for two cards, no labels."""
    from anki.collection import DeckIdLimit, ExportAnkiPackageOptions

    col = anki_collection(tmp_path / "anki")
    image = write_png(tmp_path / "knee.png", (500, 400))
    try:
        notetype = col.models.by_name("Image Occlusion")
        assert notetype is not None and notetype["originalStockKind"] == IMAGE_OCCLUSION_STOCK_KIND
        deck_id = col.decks.id("Knee")
        col.decks.select(deck_id)
        occlusions = (
            "{{c1::image-occlusion:rect:left=.2:top=.2:width=.4:height=.15}}<br>"
            "{{c2::image-occlusion:ellipse:left=.64:top=.425:rx=.16:ry=.075}}<br>"
            "{{c1,3::image-occlusion:polygon:left=.2:top=.7:points=.2,.75 .6,.7 .62,.9}}<br>"
        )
        col._backend.add_image_occlusion_note(
            notetype_id=notetype["id"],
            image_path=str(image),
            occlusions=occlusions,
            header="Knee",
            back_extra="Lateral view",
            tags=["knee"],
        )
        package = tmp_path / "knee.apkg"
        options = ExportAnkiPackageOptions(with_scheduling=False, with_media=True, legacy=False)
        col.export_anki_package(out_path=str(package), options=options, limit=DeckIdLimit(deck_id))
    finally:
        col.close()
    report = json.loads(ok(run_sqlite("import", str(package), "--json")))
    assert report["added"] == 3 and report["warnings"] == []
    rows = sqlite3.connect(run_sqlite.db.removeprefix("sqlite:///")).execute(
        "SELECT back, extra, meta, image FROM notes ORDER BY position"
    )
    notes = [(back, extra, json.loads(meta), name) for back, extra, meta, name in rows]
    assert [n[0] for n in notes] == ["Mask 1", "Mask 2", "Mask 3"]
    diagram = notes[0][2]["occlusion"]
    assert (diagram["width"], diagram["height"], diagram["mode"]) == (500, 400, "hide-one")
    assert diagram["shapes"] == [
        {"label": "Mask 1", "rect": [100, 80, 200, 60]},
        {"label": "Mask 1", "polygon": [[100, 300], [300, 280], [310, 360]]},
        {"label": "Mask 2", "ellipse": [400, 200, 80, 30]},
        {"label": "Mask 3", "polygon": [[100, 300], [300, 280], [310, 360]]},
    ]
    assert notes[0][1] == "Lateral view"
    assert notes[0][3] == f"{hashlib.sha256(image.read_bytes()).hexdigest()}.png"


def test_progress_lands_on_the_card_of_each_label(run_sqlite: Cli, tmp_path: Path) -> None:
    _export(run_sqlite, tmp_path)
    ok(run_sqlite("review", input="\n5\n" * 4))
    reviewed = {
        label
        for (label,) in sqlite3.connect(run_sqlite.db.removeprefix("sqlite:///")).execute(
            "SELECT notes.back FROM reviews JOIN cards ON cards.id = reviews.card_id "
            "JOIN notes ON notes.id = cards.note_id WHERE notes.kind = 'occlusion'"
        )
    }
    assert reviewed  # a label linked to the structure may wait as the fact's sibling
    package = tmp_path / "progress.apkg"
    ok(run_sqlite("export", "-o", str(package), "--with-progress"))
    col = anki_collection(tmp_path / "anki")
    try:
        import_package(col, package)
        cards = sorted(_diagram_note(col).cards(), key=lambda c: c.ord)
        in_review = {label for card, label in zip(cards, LABELS, strict=True) if card.type == 2}
        assert in_review == reviewed
    finally:
        col.close()
