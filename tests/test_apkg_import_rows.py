"""What an Anki package import writes, held row by row: the fast paths of reading a
package and bringing its notes, schedule and review log into the database must write
exactly the decks, notes, cards, media, card states and answers, and report exactly the
counts, warnings and progress lines, that the plain code wrote.

``fixtures/apkg-rows`` holds three packages, made once by ``python
tests/test_apkg_import_rows.py --packages`` (real Anki and our own export):

- ``ours.apkg``: our export, with a student's progress and review log, of decks with
  facts, reverse cards, hand-written and cloze cards, an image and a labelled diagram;
- ``anki.apkg``: a student's Anki collection (``anki_packages.py``: Basic with HTML and
  an image, Cloze with a sound, reversed and typed cards, a custom note type, the
  Default deck, a review log, a suspended card) with an Image Occlusion note;
- ``from-anki.apkg``: Anki's own export of ``ours.apkg`` after one note was edited and
  one card answered there (our note data dropped, as Anki drops it).

``rows.json`` beside them was written by ``python tests/test_apkg_import_rows.py``
before the package import was made faster; write it again only for an intended change
of what an import writes, and say so in the commit.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import FIXTURES, TODAY, folder_left_out
from sqlalchemy import select, text

PACKAGES = FIXTURES / "apkg-rows"
ROWS = PACKAGES / "rows.json"


def _relative(value: Any) -> Any:
    """Paths of this checkout left out, so the rows read the same in any folder."""
    return folder_left_out(value, PACKAGES)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=dt.UTC)
        return "stamped by the import" if moment >= _STARTED[0] else moment.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


# When the import began: a time from then on was stamped by it, not read from a package.
_STARTED = [dt.datetime.max.replace(tzinfo=dt.UTC)]


def _rows(session: Any, query: Any) -> list[list[Any]]:
    return [[_plain(v) for v in row] for row in session.execute(query)]


def imported_rows(app: Any) -> dict[str, Any]:
    """Import the packages into ``app``'s empty database; what it reported and wrote."""
    from flashcards.study.importing import import_deck_files
    from flashcards_db.models import Card, CardState, Deck, Media, Note, Review

    _STARTED[0] = dt.datetime.now(dt.UTC)
    shown: list[str] = []
    reports = {}
    for name in ("ours", "anki", "from-anki"):
        report = import_deck_files(
            app, [PACKAGES / f"{name}.apkg"], with_progress=True, progress=shown.append
        )
        reports[name] = _relative(report.as_json())
    again = import_deck_files(app, [PACKAGES / "ours.apkg", PACKAGES / "anki.apkg"])
    reports["again"] = _relative(again.as_json())
    with app.session() as session:
        decks = _rows(
            session,
            select(
                Deck.key, Deck.name, Deck.description, Deck.source, Deck.tags, Deck.html,
                Deck.source_path,
            ).order_by(Deck.key),
        )  # fmt: skip
        notes = _rows(
            session,
            select(
                Deck.key, Note.key, Note.kind, Note.position, Note.front, Note.back, Note.extra,
                Note.structure_key, Note.structure_name, Note.field, Note.meta, Note.image,
                Note.tags, Note.content_hash, Note.content_changed_at, Note.retired_at.is_(None),
            )
            .join(Deck, Note.deck_id == Deck.id)
            .order_by(Deck.key, Note.position, Note.key),
        )  # fmt: skip
        cards = _rows(
            session,
            select(Note.key, Card.ordinal, Card.retired_at.is_(None))
            .join(Note, Card.note_id == Note.id)
            .order_by(Note.key, Card.ordinal),
        )
        states = _rows(
            session,
            select(
                Note.key, Card.ordinal, CardState.repetitions, CardState.interval,
                CardState.easiness, CardState.due_day, CardState.last_review_day,
                CardState.lapses, CardState.reviews, CardState.suspended, CardState.leech,
                CardState.buried_until,
            )
            .join(Card, CardState.card_id == Card.id)
            .join(Note, Card.note_id == Note.id)
            .order_by(Note.key, Card.ordinal),
        )  # fmt: skip
        answers = _rows(
            session,
            select(
                Note.key, Card.ordinal, Review.reviewed_at, Review.study_day, Review.kind,
                Review.mode, Review.quality, Review.typed_answer, Review.duration_ms,
                Review.undoes_id.is_(None), Review.repetitions_before, Review.interval_before,
                Review.easiness_before, Review.due_before, Review.lapses_before,
                Review.repetitions_after, Review.interval_after, Review.easiness_after,
                Review.due_after, Review.lapses_after,
            )
            .join(Card, Review.card_id == Card.id)
            .join(Note, Card.note_id == Note.id)
            .order_by(Review.reviewed_at, Note.key, Card.ordinal),
        )  # fmt: skip
        media = _rows(
            session,
            select(Media.filename, Media.sha256, Media.original_name, Media.size).order_by(
                Media.filename
            ),
        )
        stored_text: list[list[Any]] = []
        if app.engine.dialect.name == "sqlite":  # the JSON columns' text, as stored
            stored_text = _rows(
                session, text("SELECT key, meta, tags FROM notes ORDER BY deck_id, position, key")
            )
    return {
        "reports": reports,
        "progress": _relative(shown),
        "decks": _relative(decks),
        "notes": notes,
        "cards": cards,
        "states": states,
        "answers": answers,
        "media": media,
        "sqlite_json_text": stored_text,
    }


@pytest.fixture
def utc() -> Iterator[None]:
    """The machine's zone set to UTC, as where rows.json was written: Anki's learning-card
    due times and answers without a user's zone are read in local time."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    try:
        yield
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()


@pytest.mark.usefixtures("utc")
def test_a_package_import_writes_the_rows_and_warnings_it_always_wrote(app: Any) -> None:
    expected = json.loads(ROWS.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(imported_rows(app)))  # tuples as lists, as in the file
    if app.engine.dialect.name != "sqlite":
        got["sqlite_json_text"] = expected["sqlite_json_text"]
    for part in expected:
        assert got[part] == expected[part], part


def test_the_packages_hold_every_kind_of_note_progress_and_history() -> None:
    expected = json.loads(ROWS.read_text(encoding="utf-8"))
    kinds = {note[2] for note in expected["notes"]}
    assert kinds == {"fact", "reverse", "basic", "cloze", "occlusion"}
    decks = {deck[0] for deck in expected["decks"]}
    assert any(key.startswith("anki-") for key in decks)  # Anki's own decks
    assert {"upper", "hip-diagrams"} <= decks  # ours, come home under their keys
    sources = {(note[10] or {}).get("source") for note in expected["notes"]}
    assert "anki" in sources
    assert expected["media"] and expected["states"]
    reports = expected["reports"]
    assert reports["ours"]["progress"]["answers"] > 0
    assert reports["anki"]["progress"]["answers"] > 0
    assert reports["from-anki"]["updated"] >= 1  # the note edited in Anki
    assert any("not imported" in w or "note type" in w for w in reports["anki"]["warnings"])
    again = reports["again"]
    assert (again["added"], again["updated"], again["retired"]) == (0, 0, 0)
    assert expected["progress"]


def build_packages(folder: Path) -> None:
    """The three packages (see the module's docstring), made by real Anki and our CLI."""
    import shutil
    import tempfile

    from anki.collection import Collection, ExportAnkiPackageOptions
    from anki_packages import build
    from conftest import Cli, ok
    from occlusion_decks import write_diagram_deck, write_png
    from test_anki_export import anki_collection, import_package, note_by_key

    options = ExportAnkiPackageOptions(
        with_scheduling=True, with_media=True, legacy=False, with_deck_configs=False
    )
    folder.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        work = Path(scratch)
        # Ours: the every-feature deck set and a diagram, three days of study, exported.
        decks = work / "decks"
        shutil.copytree(FIXTURES / "import-rows", decks, ignore=shutil.ignore_patterns("*.json"))
        write_diagram_deck(decks)
        cli = Cli(f"sqlite:///{work / 'ours.db'}")
        ok(cli("import", str(decks)))
        for back, script in ((3, "\n5\n\n4\n\n2\n\n5\n" * 3), (1, "\n4\n\n5\n" * 4), (0, "")):
            cli("review", input=script or "q\n", today=TODAY - dt.timedelta(days=back))
        ok(cli("export", "-o", str(folder / "ours.apkg"), "--with-progress"))
        # Anki's own export of ours, after an edit and an answer there.
        col = anki_collection(work / "anki")
        try:
            import_package(col, folder / "ours.apkg")
            edited = note_by_key(col, "upper/deltoid/insertion")
            edited["Answer"] = "Deltoid tuberosity (lateral humerus)"
            col.update_note(edited)
            card = col.get_card(edited.card_ids()[0])
            card.start_timer()
            col.sched.answerCard(card, 3)
            col.export_anki_package(
                out_path=str(folder / "from-anki.apkg"), options=options, limit=None
            )
        finally:
            col.close()
        # A student's Anki: every kind of Anki note, a review log, an occlusion.
        built = build(work / "student")
        col = Collection(str(built.folder / "student.anki2"))
        try:
            notetype = col.models.by_name("Image Occlusion")
            image = write_png(work / "knee.png", (500, 400))
            col.decks.select(built.deck_ids["Anatomy::Lower limb"])
            col._backend.add_image_occlusion_note(
                notetype_id=notetype["id"],
                image_path=str(image),
                occlusions=(
                    "{{c1::image-occlusion:rect:left=.2:top=.2:width=.4:height=.15}}<br>"
                    "{{c2::image-occlusion:ellipse:left=.64:top=.425:rx=.16:ry=.075}}<br>"
                ),
                header="Knee",
                back_extra="Lateral view",
                tags=["knee"],
            )
            col.export_anki_package(out_path=str(folder / "anki.apkg"), options=options, limit=None)
        finally:
            col.close()


if __name__ == "__main__":  # write rows.json (--packages: the packages too) from the code
    import tempfile

    os.environ["TZ"] = "UTC"  # as the test reads them (see `utc`)
    time.tzset()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    if "--packages" in sys.argv:
        build_packages(PACKAGES)
    from flashcards.study.context import App

    with tempfile.TemporaryDirectory() as folder:
        application = App(db=str(Path(folder) / "rows.db"), user_name="ana", today_override=TODAY)
        rows = imported_rows(application)
        application.close()
    ROWS.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {ROWS}")
