"""Anki-made packages for the import tests, built with the real ``anki`` library.

One collection holds what a student's Anki has: a parent deck and sub-decks, Basic (with
HTML, an image and tags), Basic (and reversed card), Basic (type in the answer), Cloze,
a custom note type, a sound, review history (a reviewed card, a lapsed one, a suspended
new one) and a note in Anki's Default deck. It is exported as Anki writes packages today
(``collection.anki21b``, zstd, protobuf media list) and in the legacy format
(``collection.anki21``, JSON media list), as .apkg and .colpkg, and rebuilt by hand in
the Anki 2.0 layout (``collection.anki2`` alone). Then one note is edited and the deck
exported again, for the re-import tests.
"""

from __future__ import annotations

import datetime as dt
import json
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PNG = b"\x89PNG\r\n\x1a\n" + b"psoas-image-bytes" * 8
MP3 = b"ID3" + b"femoral-nerve-sound" * 8


@dataclass
class AnkiPackages:
    folder: Path
    packages: dict[str, Path] = field(default_factory=dict)  # format -> package
    edited: Path | None = None  # the latest .apkg again, after one edit in Anki
    guids: dict[str, str] = field(default_factory=dict)  # our label -> Anki GUID
    deck_ids: dict[str, int] = field(default_factory=dict)  # full name -> Anki deck id
    anki_today: dt.date = dt.date.min  # the calendar day Anki counts as today
    states: dict[str, dict[str, Any]] = field(default_factory=dict)  # label -> card numbers


def _add(col: Any, notetype: str, deck_id: int, fields: dict[str, str], tags: list[str]) -> Any:
    note = col.new_note(col.models.by_name(notetype))
    for name, value in fields.items():
        note[name] = value
    note.tags = tags
    col.add_note(note, deck_id)
    return note


def _muscle_type(col: Any) -> None:
    models = col.models
    muscle = models.new("Muscle")
    for name in ("Name", "Origin", "Nerve"):
        models.add_field(muscle, models.new_field(name))
    template = models.new_template("Card 1")
    template["qfmt"] = "{{Name}}"
    template["afmt"] = "{{FrontSide}}<hr id=answer>{{Origin}}<br>{{Nerve}}"
    models.add_template(muscle, template)
    models.add(muscle)


def _review(col: Any, card_id: int, *, due_in: int, factor: int, lapses: int = 0) -> None:
    card = col.get_card(card_id)
    card.start_timer()
    col.sched.answerCard(card, 3)  # a real answer, in the review log
    col.sched.set_due_date([card_id], f"{due_in}!")
    card.load()
    card.factor = factor
    card.lapses = lapses
    card.reps = 5 + lapses
    col.update_card(card)


def _legacy_anki2(legacy: Path, out: Path) -> None:
    """The Anki 2.0 layout: schema 11 in ``collection.anki2``, no ``meta``."""
    with zipfile.ZipFile(legacy) as source, zipfile.ZipFile(out, "w") as target:
        target.writestr("collection.anki2", source.read("collection.anki21"))
        target.writestr("media", source.read("media"))
        for name in json.loads(source.read("media")):
            target.writestr(name, source.read(name))


def build(folder: Path) -> AnkiPackages:
    from anki.collection import Collection, DeckIdLimit, ExportAnkiPackageOptions

    folder.mkdir(parents=True, exist_ok=True)
    built = AnkiPackages(folder=folder)
    col = Collection(str(folder / "student.anki2"))
    try:
        _muscle_type(col)
        ids = built.deck_ids
        for name in ("Anatomy", "Anatomy::Lower limb", "Anatomy::Upper limb"):
            ids[name] = col.decks.id(name)
        (folder / "psoas.png").write_bytes(PNG)
        (folder / "femoral nerve.mp3").write_bytes(MP3)
        image = col.media.add_file(str(folder / "psoas.png"))
        sound = col.media.add_file(str(folder / "femoral nerve.mp3"))
        lower, upper, parent = (
            ids["Anatomy::Lower limb"],
            ids["Anatomy::Upper limb"],
            ids["Anatomy"],
        )
        notes = {
            "basic": _add(col, "Basic", lower, {
                "Front": "Where does <b>psoas major</b> insert?",
                "Back": f'Lesser trochanter<br><img src="{image}">',
            }, ["anatomy", "hip::flexors"]),
            "cloze": _add(col, "Cloze", lower, {
                "Text": "The {{c1::femoral nerve}} supplies {{c2::iliacus}} (&lt;2 cm deep).",
                "Back Extra": f"Roots L2&ndash;L4 [sound:{sound}]",
            }, ["nerves"]),
            "reversed": _add(col, "Basic (and reversed card)", lower, {
                "Front": "Iliopsoas", "Back": "Psoas major + iliacus",
            }, []),
            "typed": _add(col, "Basic (type in the answer)", upper, {
                "Front": "Nerve of deltoid?", "Back": "Axillary nerve",
            }, ["upper-limb"]),
            "muscle": _add(col, "Muscle", parent, {
                "Name": "Iliacus", "Origin": "Iliac fossa", "Nerve": "Femoral nerve",
            }, []),
            "default": _add(col, "Basic", 1, {"Front": "Default deck?", "Back": "Yes"}, []),
        }  # fmt: skip
        built.guids = {label: note.guid for label, note in notes.items()}
        basic_card = notes["basic"].card_ids()[0]
        cloze_card = next(c for c in notes["cloze"].card_ids() if col.get_card(c).ord == 1)  # c2
        _review(col, basic_card, due_in=12, factor=2300)
        _review(col, cloze_card, due_in=3, factor=1700, lapses=2)
        col.sched.suspend_cards([notes["typed"].card_ids()[0]])
        for label, cid in (("basic", basic_card), ("cloze-c2", cloze_card)):
            card = col.get_card(cid)
            built.states[label] = {"ivl": card.ivl, "factor": card.factor, "due": card.due,
                                   "reps": card.reps, "lapses": card.lapses}  # fmt: skip
        # Anki's day starts at 04:00 local time, as ours does by default.
        built.anki_today = (dt.datetime.now() - dt.timedelta(hours=4)).date()

        def export(name: str, *, legacy: bool, deck: int | None = None) -> Path:
            out = folder / name
            col.export_anki_package(
                out_path=str(out),
                options=ExportAnkiPackageOptions(
                    with_scheduling=True, with_media=True, legacy=legacy, with_deck_configs=False
                ),
                limit=DeckIdLimit(deck) if deck else None,
            )
            return out

        built.packages["apkg"] = export("anatomy.apkg", legacy=False)
        built.packages["apkg-legacy"] = export("anatomy-legacy.apkg", legacy=True)
        _legacy_anki2(built.packages["apkg-legacy"], folder / "anatomy-anki20.apkg")
        built.packages["apkg-anki20"] = folder / "anatomy-anki20.apkg"
        for legacy, name in ((False, "colpkg"), (True, "colpkg-legacy")):
            path = folder / f"student-{name}.colpkg"
            col.export_collection_package(str(path), include_media=True, legacy=legacy)
            built.packages[name] = path
            col = Collection(str(folder / "student.anki2"))  # exporting closed it
        edited = col.get_note(notes["basic"].id)
        edited["Back"] = f'Lesser trochanter of the femur<br><img src="{image}">'
        col.update_note(edited)
        built.edited = export("anatomy-edited.apkg", legacy=False)
    finally:
        col.close()
    return built
