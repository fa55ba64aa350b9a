"""What a deck-file import writes, held row by row: the fast paths of reading, checking
and syncing a deck file must write exactly the notes, cards, decks and media, and report
exactly the warnings, that the plain code wrote.

``fixtures/import-rows`` uses every feature of the format (mappings with
answer/accept/note/ask, ``each``/``any``/``all`` lists, clinical q/a cards and plain
clinical text, reverse cards one and shared and refused, cloze cards with hints, images,
tags, aliases, a contradiction between the two files and a warning of every lint rule).
``rows.json`` beside it was written by ``python tests/test_import_rows.py`` before the
import was made faster; write it again only for an intended change of what an import
writes, and say so in the commit.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from conftest import FIXTURES, TODAY, folder_left_out
from sqlalchemy import select, text

EVERY_FEATURE = FIXTURES / "import-rows"
ROWS = EVERY_FEATURE / "rows.json"


def _relative(value: Any) -> Any:
    """Paths of this checkout left out, so the rows read the same in any folder."""
    return folder_left_out(value, EVERY_FEATURE)


def imported_rows(app: Any) -> dict[str, Any]:
    """Import the folder into ``app``'s empty database; what it reported and wrote."""
    from flashcards.study.importing import import_deck_files
    from flashcards_db.models import Card, Deck, Media, Note

    shown: list[str] = []
    report = import_deck_files(app, [EVERY_FEATURE], progress=shown.append)
    again = import_deck_files(app, [EVERY_FEATURE])
    with app.session() as session:
        decks = [
            list(row)
            for row in session.execute(
                select(
                    Deck.key, Deck.name, Deck.description, Deck.source, Deck.tags, Deck.html,
                    Deck.source_path,
                ).order_by(Deck.key)
            )
        ]  # fmt: skip
        notes = [
            list(row)
            for row in session.execute(
                select(
                    Deck.key, Note.key, Note.kind, Note.position, Note.front, Note.back,
                    Note.extra, Note.structure_key, Note.structure_name, Note.field, Note.meta,
                    Note.image, Note.tags, Note.content_hash, Note.retired_at.is_(None),
                )
                .join(Deck, Note.deck_id == Deck.id)
                .order_by(Deck.key, Note.position)
            )
        ]  # fmt: skip
        cards = [
            list(row)
            for row in session.execute(
                select(Note.key, Card.ordinal, Card.retired_at.is_(None))
                .join(Note, Card.note_id == Note.id)
                .order_by(Note.key, Card.ordinal)
            )
        ]
        media = [list(row) for row in session.execute(select(Media.filename, Media.sha256))]
        stored_text: list[list[str]] = []
        if app.engine.dialect.name == "sqlite":  # the JSON columns' text, as stored
            stored_text = [
                list(row)
                for row in session.execute(
                    text("SELECT key, meta, tags FROM notes ORDER BY deck_id, position")
                )
            ]
    return {
        "report": _relative(report.as_json()),
        "again": {  # the same files imported again: nothing changes, the same warnings
            "unchanged": again.counts.unchanged,
            "changed": again.counts.added + again.counts.updated + again.counts.retired,
            "same_warnings": again.as_json()["warnings"] == report.as_json()["warnings"],
        },
        "progress": shown,
        "decks": _relative(decks),
        "notes": notes,
        "cards": cards,
        "media": media,
        "sqlite_json_text": stored_text,
    }


def test_an_import_writes_the_rows_and_warnings_it_always_wrote(app: Any) -> None:
    expected = json.loads(ROWS.read_text(encoding="utf-8"))
    got = json.loads(json.dumps(imported_rows(app)))  # tuples as lists, as in the file
    if app.engine.dialect.name != "sqlite":
        got["sqlite_json_text"] = expected["sqlite_json_text"]
    for part in expected:
        assert got[part] == expected[part], part


def test_the_fixture_uses_every_lint_rule_reverse_cards_and_each_kind_of_card() -> None:
    from flashcards.authoring.rules import RULES

    expected = json.loads(ROWS.read_text(encoding="utf-8"))
    warnings = expected["report"]["warnings"]
    for rule in RULES:
        assert any(f"warning: {rule}: " in w for w in warnings), rule
    assert any("no reverse card" in w for w in warnings)
    kinds = {note[2] for note in expected["notes"]}
    assert kinds == {"fact", "reverse", "basic", "cloze"}
    asked = {note[10].get("ask") for note in expected["notes"]}
    assert {"all", "any", "each"} <= asked
    assert any(note[1].split("/")[2:3] == ["clinical"] and len(note[1].split("/")) == 4
               for note in expected["notes"])  # fmt: skip
    assert expected["media"]
    assert expected["again"] == {
        "unchanged": len(expected["notes"]),
        "changed": 0,
        "same_warnings": True,
    }


if __name__ == "__main__":  # write rows.json from the code as it is (see above)
    import tempfile

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from flashcards.study.context import App

    with tempfile.TemporaryDirectory() as folder:
        application = App(db=str(Path(folder) / "rows.db"), user_name="ana", today_override=TODAY)
        rows = imported_rows(application)
        application.close()
    ROWS.write_text(json.dumps(rows, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {ROWS}")
