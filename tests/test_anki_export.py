"""`flashcards export` judged by the real Anki library: every note type, decks, tags, media;
a re-export that updates what changed and leaves the rest (and the student's work) alone.

One export of two small decks (module-scoped) is imported into a fresh Anki collection
and inspected; the re-export scenario runs once on its own collection.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import sqlite3
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, Cli, ok, write

from flashcards.anki.models import (
    BASIC_FIELDS,
    BASIC_MODEL_ID,
    CLOZE_FIELDS,
    CLOZE_MODEL_ID,
    FACT_FIELDS,
    FACT_MODEL_ID,
)
from flashcards.anki.notes import note_guid

HIP = """\
deck: Anatomy::Lower limb::Hip
id: hip
description: Muscles that flex the hip
tags: [anatomy, lower-limb]
source: "Gray's Anatomy <42nd ed.>"
structures:
  - name: Psoas major
    id: psoas-major
    kind: muscle
    region: lumbar
    origin:
      - Transverse processes of L1–L5
      - Bodies of T12–L4
    insertion: Lesser trochanter, <2 cm below the neck
    innervation: Anterior rami of L1–L3
    image: media/psoas.png
  - name: Iliacus
    id: iliacus
    kind: muscle group
    region: iliac fossa
    innervation: Femoral nerve
cards:
  - id: parts
    q: Which two muscles form the iliopsoas?
    a: Psoas major & iliacus
    extra: "Both insert\\non the lesser trochanter."
  - id: plexus
    cloze: "The lumbar plexus lies {{c1::within psoas}}, between its {{c2::two}} layers."
    extra: The superficial layer arises from the bodies.
"""

UPPER = """\
deck: Anatomy::Upper limb
id: upper
html: true
structures:
  - name: Psoas major
    id: psoas-major
    kind: muscle
    insertion: "<b>Nowhere</b> in the arm"
cards:
  - id: parts
    q: "Which bones are <i>in</i> the arm?"
    a: Humerus
"""

# In authoring order: (note key, cards).
HIP_NOTES = [
    ("hip/psoas-major/origin", 1),
    ("hip/psoas-major/insertion", 1),
    ("hip/psoas-major/innervation", 1),
    ("hip/iliacus/innervation", 1),
    ("hip/parts", 1),
    ("hip/plexus", 2),
]
UPPER_NOTES = [("upper/psoas-major/insertion", 1), ("upper/parts", 1)]


def anki_collection(folder: Path) -> Any:
    from anki.collection import Collection

    folder.mkdir(parents=True)
    return Collection(str(folder / "collection.anki2"))


def import_package(col: Any, package: Path) -> Any:
    """Anki's own importer, with scheduling, as a student's desktop runs it."""
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    options = ImportAnkiPackageOptions(with_scheduling=True, with_deck_configs=False)
    request = ImportAnkiPackageRequest(package_path=str(package), options=options)
    return col.import_anki_package(request).log


def text_of(rendered: str) -> str:
    """What the student reads: no style block, no tags, entities decoded."""
    text = re.sub(r"<style>.*?</style>", "", rendered, flags=re.S)
    text = re.sub(r"<(?:br|hr|/?(?:div|li|ul|summary|details))\b[^>]*>", " ", text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).split())


def note_by_key(col: Any, key: str) -> Any:
    ids = col.db.list("SELECT id FROM notes WHERE guid = ?", note_guid(key))
    assert len(ids) == 1, f"{key}: {len(ids)} notes in Anki"
    return col.get_note(ids[0])


def package_guids(package: Path) -> set[str]:
    """The GUIDs in a package's collection, read without Anki."""
    with tempfile.TemporaryDirectory() as folder:
        with zipfile.ZipFile(package) as archive:
            archive.extract("collection.anki2", folder)
        connection = sqlite3.connect(Path(folder) / "collection.anki2")
        try:
            return {guid for (guid,) in connection.execute("SELECT guid FROM notes")}
        finally:
            connection.close()


def backdate_content(db: Path, hours: int) -> None:
    """As if the decks had been imported ``hours`` ago (a note's mod has 1 s resolution)."""
    with sqlite3.connect(db) as connection:
        connection.execute(
            "UPDATE notes SET content_changed_at = datetime(content_changed_at, ?)",
            (f"-{hours} hours",),
        )


@dataclass
class Exported:
    folder: Path
    decks: Path
    db: Path
    cli: Cli
    package: Path
    report: dict[str, Any]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Exported:
    folder = tmp_path_factory.mktemp("anki-export")
    decks = folder / "decks"
    write(decks / "hip.yaml", HIP)
    write(decks / "upper.yaml", UPPER)
    (decks / "media").mkdir()
    shutil.copy(FIXTURES / "decks" / "good" / "media" / "psoas.png", decks / "media" / "psoas.png")
    db = folder / "flashcards.db"
    cli = Cli(f"sqlite:///{db}")
    ok(cli("import", str(decks)))
    backdate_content(db, hours=2)
    package = folder / "anatomy.apkg"
    report = json.loads(ok(cli("export", "-o", str(package), "--json")))
    return Exported(folder, decks, db, cli, package, report)


@pytest.fixture(scope="module")
def col(exported: Exported) -> Iterator[Any]:
    collection = anki_collection(exported.folder / "anki")
    log = import_package(collection, exported.package)
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (8, 0, 0)
    yield collection
    collection.close()


def test_every_note_and_card_arrives_once(exported: Exported, col: Any) -> None:
    assert exported.report["notes"] == 8 == len(col.find_notes(""))
    assert exported.report["cards"] == 9 == col.card_count()
    for key, cards in HIP_NOTES + UPPER_NOTES:
        assert len(note_by_key(col, key).cards()) == cards, key


def test_note_types_have_fixed_ids_and_field_lists(col: Any) -> None:
    for model_id, fields in (
        (FACT_MODEL_ID, FACT_FIELDS),
        (BASIC_MODEL_ID, BASIC_FIELDS),
        (CLOZE_MODEL_ID, CLOZE_FIELDS),
    ):
        model = col.models.get(model_id)
        assert model is not None, model_id
        assert tuple(f["name"] for f in model["flds"]) == fields
    assert note_by_key(col, "hip/parts").mid == BASIC_MODEL_ID
    assert note_by_key(col, "hip/plexus").mid == CLOZE_MODEL_ID
    assert note_by_key(col, "hip/iliacus/innervation").mid == FACT_MODEL_ID


def test_a_fact_card_asks_its_question_and_shows_its_answer(col: Any) -> None:
    card = note_by_key(col, "hip/psoas-major/insertion").cards()[0]
    assert text_of(card.question()) == "Where does psoas major insert?"
    answer = text_of(card.answer())
    assert answer.startswith("Where does psoas major insert? Lesser trochanter, <2 cm below")
    assert "Psoas major · Insertion" in answer
    assert "Gray's Anatomy <42nd ed.>" in answer  # the source, under its summary


def test_a_list_answer_is_a_list(col: Any) -> None:
    note = note_by_key(col, "hip/psoas-major/origin")
    assert note["Answer"] == (
        "<ul><li>Transverse processes of L1–L5</li><li>Bodies of T12–L4</li></ul>"
    )
    assert "<li>Bodies of T12–L4</li>" in note.cards()[0].answer()


def test_plain_text_is_escaped_and_an_html_deck_keeps_its_markup(col: Any) -> None:
    assert note_by_key(col, "hip/psoas-major/insertion")["Answer"] == (
        "Lesser trochanter, &lt;2 cm below the neck"
    )
    assert note_by_key(col, "hip/parts")["Answer"] == "Psoas major &amp; iliacus"
    upper = note_by_key(col, "upper/parts")
    assert upper["Question"] == "Which bones are <i>in</i> the arm?"
    assert text_of(upper.cards()[0].question()) == "Which bones are in the arm?"


def test_a_basic_card_shows_its_extra_after_the_answer(col: Any) -> None:
    card = note_by_key(col, "hip/parts").cards()[0]
    assert text_of(card.question()) == "Which two muscles form the iliopsoas?"
    assert text_of(card.answer()).endswith(
        "Psoas major & iliacus Both insert on the lesser trochanter. Source Gray's Anatomy "
        "<42nd ed.>"
    )
    assert "Both insert<br>on the lesser trochanter." in card.answer()


def test_a_cloze_note_makes_one_card_per_number(col: Any) -> None:
    first, second = sorted(note_by_key(col, "hip/plexus").cards(), key=lambda c: c.ord)
    assert "lies [...], between its two layers" in text_of(first.question())
    assert "lies within psoas, between its two layers" in text_of(first.answer())
    assert "lies within psoas, between its [...] layers" in text_of(second.question())
    assert "The superficial layer arises from the bodies." in text_of(second.answer())


def test_decks_keep_their_hierarchy(col: Any) -> None:
    names = {d.name for d in col.decks.all_names_and_ids()}
    assert {"Anatomy", "Anatomy::Lower limb", "Anatomy::Lower limb::Hip"} <= names
    assert "Anatomy::Upper limb" in names
    for key, _ in HIP_NOTES:
        for card in note_by_key(col, key).cards():
            assert col.decks.name(card.did) == "Anatomy::Lower limb::Hip"
    assert col.decks.name(note_by_key(col, "upper/parts").cards()[0].did) == ("Anatomy::Upper limb")


def test_tags_have_no_spaces_and_carry_kind_and_region(col: Any) -> None:
    iliacus = note_by_key(col, "hip/iliacus/innervation")
    assert set(iliacus.tags) == {
        "anatomy",
        "lower-limb",
        "kind::muscle_group",
        "region::iliac_fossa",
    }
    assert set(note_by_key(col, "hip/parts").tags) == {"anatomy", "lower-limb"}
    for note_id in col.find_notes(""):
        assert all(not re.search(r"\s", tag) for tag in col.get_note(note_id).tags)


def test_the_same_structure_in_two_decks_is_two_notes(col: Any) -> None:
    hip = note_by_key(col, "hip/psoas-major/insertion")
    upper = note_by_key(col, "upper/psoas-major/insertion")
    assert hip.id != upper.id
    assert upper["Answer"] == "<b>Nowhere</b> in the arm"


def test_new_cards_come_in_authoring_order(col: Any) -> None:
    order = [
        (card.due, card.ord, key)
        for key, _ in HIP_NOTES + UPPER_NOTES
        for card in note_by_key(col, key).cards()
    ]
    assert [key for *_, key in sorted(order)] == [
        key for key, cards in HIP_NOTES + UPPER_NOTES for _ in range(cards)
    ]


def test_the_image_travels_under_its_content_hashed_name(exported: Exported, col: Any) -> None:
    data = (exported.decks / "media" / "psoas.png").read_bytes()
    name = f"{hashlib.sha256(data).hexdigest()}.png"
    for field in ("origin", "insertion", "innervation"):
        assert note_by_key(col, f"hip/psoas-major/{field}")["Image"] == f'<img src="{name}">'
    assert (Path(col.media.dir()) / name).read_bytes() == data
    check = col.media.check()
    assert list(check.missing) == [] and list(check.unused) == []
    assert exported.report["media"] == 1
    card = note_by_key(col, "hip/psoas-major/insertion").cards()[0]
    assert f'<img src="{name}">' in card.answer() and name not in card.question()


def test_notes_carry_the_time_their_content_changed(exported: Exported, col: Any) -> None:
    with sqlite3.connect(exported.db) as connection:
        (changed,) = connection.execute(
            "SELECT CAST(strftime('%s', content_changed_at) AS INTEGER) FROM notes"
            " WHERE key = 'hip/parts'"
        ).fetchone()
    assert note_by_key(col, "hip/parts").mod == changed


# The student's second export, after an edit of the deck file.

EDITED_HIP = (
    HIP.replace("a: Psoas major & iliacus", "a: Psoas major and iliacus")
    .replace(  # the cloze card is removed from the file: retired, no longer exported
        HIP[HIP.index("  - id: plexus") :], ""
    )
    .replace(
        "cards:\n",
        "cards:\n  - id: iliacus-fossa\n    q: Which fossa does iliacus fill?\n"
        "    a: Iliac fossa\n",
    )
)


@dataclass
class Reexport:
    dry_run: dict[str, Any]
    report: dict[str, Any]
    log: Any
    col: Any
    reviewed: dict[str, Any]
    package: Path
    package_before: bytes
    package_after_dry_run: bytes


@pytest.fixture(scope="module")
def reexport(exported: Exported) -> Iterator[Reexport]:
    """The student imported the first package and studied in Anki; the instructor edited
    one answer, added a card and removed one; the student exports again to the same file."""
    col = anki_collection(exported.folder / "anki-reexport")
    import_package(col, exported.package)
    card = note_by_key(col, "hip/parts").cards()[0]
    card.start_timer()
    col.sched.answerCard(card, 4)  # Easy: a review card with an interval, in Anki
    card.load()
    reviewed = {"ivl": card.ivl, "due": card.due, "type": card.type, "reps": card.reps}
    reviewed["revlog"] = col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", card.id)
    student_note = note_by_key(col, "hip/iliacus/innervation")
    student_note["Answer"] = "Femoral nerve (my own mnemonic)"
    col.update_note(student_note)

    before = exported.package.read_bytes()
    write(exported.decks / "hip.yaml", EDITED_HIP)
    ok(exported.cli("import", str(exported.decks)))
    out = exported.package
    dry_run = json.loads(ok(exported.cli("export", "-o", str(out), "--dry-run", "--json")))
    after_dry_run = out.read_bytes()
    report = json.loads(ok(exported.cli("export", "-o", str(out), "--json")))
    log = import_package(col, out)
    yield Reexport(dry_run, report, log, col, reviewed, out, before, after_dry_run)
    col.close()


def test_dry_run_predicts_what_anki_does_and_writes_nothing(reexport: Reexport) -> None:
    d = reexport.dry_run
    assert d["dry_run"] is True and d["previous"] is True
    assert (d["added"], d["updated"], d["unchanged"], d["dropped"]) == (1, 1, 6, 1)
    assert reexport.package_after_dry_run == reexport.package_before
    log = reexport.log
    assert (len(log.new), len(log.updated), len(log.duplicate)) == (1, 1, 6)
    assert (reexport.report["added"], reexport.report["updated"]) == (1, 1)


def test_an_edited_answer_updates_the_note_and_keeps_its_review_history(
    reexport: Reexport,
) -> None:
    col = reexport.col
    note = note_by_key(col, "hip/parts")
    assert note["Answer"] == "Psoas major and iliacus"
    (card,) = note.cards()
    reviewed = reexport.reviewed
    assert (card.ivl, card.due, card.type, card.reps) == (
        reviewed["ivl"],
        reviewed["due"],
        reviewed["type"],
        reviewed["reps"],
    )
    assert card.ivl > 0 and card.reps == 1
    assert (
        col.db.scalar("SELECT count() FROM revlog WHERE cid = ?", card.id) == (reviewed["revlog"])
    )


def test_a_reexport_leaves_unchanged_notes_and_the_students_edits_alone(
    reexport: Reexport,
) -> None:
    col = reexport.col
    assert note_by_key(col, "hip/iliacus/innervation")["Answer"] == (
        "Femoral nerve (my own mnemonic)"
    )
    assert len(col.find_notes("")) == 9  # 8 + 1 added; the removed cloze stays in Anki
    assert note_by_key(col, "hip/iliacus-fossa")["Answer"] == "Iliac fossa"
    assert reexport.report["notes"] == 8  # the retired cloze note is not exported
    guids = package_guids(reexport.package)
    assert note_guid("hip/plexus") not in guids and note_guid("hip/parts") in guids


def test_the_package_is_compressed_and_anki_reads_it(exported: Exported, col: Any) -> None:
    """The collection is deflated, as Anki's own exports are compressed: a package a
    student mails is a fraction of its collection's size (the `col` fixture is the real
    importer reading this very package)."""
    with zipfile.ZipFile(exported.package) as archive:
        info = archive.getinfo("collection.anki2")
    assert info.compress_type == zipfile.ZIP_DEFLATED
    assert info.compress_size * 4 < info.file_size
    assert col.note_count() == 8
