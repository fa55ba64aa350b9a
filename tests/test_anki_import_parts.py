"""The pure parts of the Anki import: HTML as terminal text, media references renamed,
the protobuf reader, note types mapped to basic/cloze, and the modules' dependencies."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from flashcards.anki.collection import AnkiNotetype, AnkiTemplate
from flashcards.anki.html import looks_like_html, terminal_text
from flashcards.anki.media import hashed_media, rename_media
from flashcards.anki.notetypes import shape_of_notetype, shape_of_text_row
from flashcards.anki.protobuf import ProtobufError, fields, first_text

IMPORT_MODULES = [
    "flashcards.anki.apkg_import",
    "flashcards.anki.text_import",
    "flashcards.anki.html",
    "flashcards.anki.package",
    "flashcards.anki.collection",
]


@pytest.mark.parametrize(
    ("html", "shown"),
    [
        ("Where does <b>psoas major</b> insert?", "Where does psoas major insert?"),
        ('Lesser trochanter<br><img src="a.png">', "Lesser trochanter\n[image]"),
        ("<div>Origin</div><div>Iliac fossa</div>", "Origin\nIliac fossa"),
        ("a &lt; b &amp;&nbsp;c", "a < b & c"),
        ("<style>.card{color:red}</style>Deltoid", "Deltoid"),
        ("Roots L2&ndash;L4 [sound:x.mp3]", "Roots L2–L4 [sound]"),
        ("<ul><li>flexes</li><li>rotates</li></ul>", "flexes\nrotates"),
    ],
)
def test_card_html_is_shown_as_plain_lines(html: str, shown: str) -> None:
    assert terminal_text(html) == shown


@pytest.mark.parametrize("plain", ["<2 cm", "R&D", "L1 < L2 > L3", "x\n  indented"])
def test_plain_text_is_left_exactly_as_it_is(plain: str) -> None:
    assert not looks_like_html(plain)
    assert terminal_text(plain) == plain


def test_media_references_are_renamed_to_their_stored_names() -> None:
    item = hashed_media("my image.PNG", b"bytes")
    assert item.filename.endswith(".png") and len(item.filename) == 64 + 4
    renames = {"my image.PNG": item.filename, "a&b.mp3": "h.mp3"}
    field = rename_media(
        "<img src='my%20image.PNG' width=3> [sound:a&b.mp3] <img src=\"https://x/y.png\">"
        ' <img src="gone.png"> <img src="a&amp;b.mp3">',
        renames,
    )
    assert field.text == (
        f'<img src="{item.filename}" width=3> [sound:h.mp3] <img src="https://x/y.png">'
        ' <img src="gone.png"> <img src="h.mp3">'
    )
    assert field.used == (item.filename, "h.mp3")
    assert field.missing == ("gone.png",)


def test_the_protobuf_reader_reads_fields_and_refuses_truncation() -> None:
    message = b"\x08\x03\x12\x05hello\x1a\x00"
    assert list(fields(message)) == [(1, 3), (2, b"hello"), (3, b"")]
    assert first_text(message, 2) == "hello"
    for broken in (b"\x12\x05hel", b"\x08", b"\x0b", b"\x00\x01"):
        with pytest.raises(ProtobufError):
            list(fields(broken))


def _type(name: str, fields: tuple[str, ...], *templates: tuple[str, str], cloze: bool = False):
    return AnkiNotetype(
        1, name, cloze, fields, tuple(AnkiTemplate(f"Card {i + 1}", q, a)
                                      for i, (q, a) in enumerate(templates))
    )  # fmt: skip


def test_note_types_map_to_basic_reverse_cloze_or_other() -> None:
    basic = shape_of_notetype(
        _type("Basic", ("Front", "Back"), ("{{Front}}", "{{FrontSide}}<hr id=answer>{{Back}}"))
    )
    assert (basic.kind, basic.question, basic.answer, basic.reverse_ords) == ("basic", 0, 1, ())
    typed = shape_of_notetype(
        _type("Typing", ("Front", "Back"), ("{{Front}} {{type:Back}}", "{{Front}}{{type:Back}}"))
    )
    assert (typed.kind, typed.answer) == ("basic", 1)
    optional = shape_of_notetype(
        _type(
            "Optional",
            ("Front", "Back", "Add Reverse"),
            ("{{Front}}", "{{FrontSide}}{{Back}}"),
            ("{{#Add Reverse}}{{Back}}{{/Add Reverse}}", "{{FrontSide}}{{Front}}"),
        )
    )
    assert (optional.reverse_ords, optional.conditions) == ((1,), (2,))
    cloze = shape_of_notetype(
        _type("Cloze", ("Extra", "Text"), ("{{cloze:Text}}", "{{cloze:Text}}{{Extra}}"), cloze=True)
    )
    assert (cloze.kind, cloze.question) == ("cloze", 1)
    other = shape_of_notetype(
        _type("Muscle", ("Name", "Origin", "Nerve"), ("{{Name}}", "{{Origin}} {{Nerve}}"))
    )
    assert other.kind == "other"


def test_text_rows_map_by_note_type_name_or_columns() -> None:
    assert shape_of_text_row(None, ["Psoas", "Lesser trochanter"]).kind == "basic"
    assert shape_of_text_row(None, ["The {{c1::femoral}} nerve", ""]).kind == "cloze"
    assert shape_of_text_row("Basic (and reversed card)", ["a", "b"]).reverse_ords == (1,)
    assert shape_of_text_row("Basic (optional reversed card)", ["a", "b", ""]).reverse_ords == ()
    assert shape_of_text_row(None, ["Iliacus", "Iliac fossa", "Femoral"]).kind == "other"


def test_the_import_modules_load_without_the_database_cli_or_genanki() -> None:
    code = (
        "import importlib, json, sys\n"
        f"for m in {IMPORT_MODULES!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    loaded = set(json.loads(subprocess.check_output([sys.executable, "-c", code], text=True)))
    assert not loaded & {"sqlalchemy", "click", "rich", "genanki", "flashcards_db", "anki"}
