"""How a note looks to Anki, without Anki: ids, GUIDs, escaping, tags, grades, verdicts.

The real Anki library judges the packages in test_anki_export*.py; these pin the rules
that make those packages stable from one export to the next.
"""

from __future__ import annotations

import dataclasses

import genanki
import pytest

from flashcards.anki.changes import compare
from flashcards.anki.models import BASIC_FIELDS, CLOZE_FIELDS, FACT_FIELDS, note_type
from flashcards.anki.notes import (
    anki_notes,
    anki_tags,
    deck_id_for,
    note_fields,
    note_guid,
    text_html,
)
from flashcards.anki.progress import anki_ease, anki_ord


@dataclasses.dataclass(frozen=True)
class Deck:
    id: int = 1
    key: str = "hip"
    name: str = "Anatomy::Hip"
    description: str | None = None
    source: str | None = "Gray's <42nd ed.>"
    html: bool = False
    tags: tuple[str, ...] = ()


@dataclasses.dataclass(frozen=True)
class Note:
    key: str = "hip/psoas-major/origin"
    kind: str = "fact"
    position: int = 0
    front: str = "Where does psoas major originate?"
    back: str = "T12–L5"
    extra: str | None = None
    structure_key: str | None = "psoas-major"
    structure_name: str | None = "Psoas major"
    field: str | None = "blood_supply"
    meta_json: str | None = "{}"
    structure_kind: str | None = "muscle"
    region: str | None = "lumbar"
    answer_items: tuple[str, ...] | None = None
    image: str | None = None
    tags: tuple[str, ...] = ("anatomy",)
    content_changed_epoch: int = 1_772_452_800
    deck_id: int = 1
    anki_guid: str | None = None
    field_media: tuple[str, ...] = ()
    note: str | None = None


def test_plain_text_is_escaped_and_keeps_its_line_breaks() -> None:
    assert text_html("Lesser trochanter, <2 cm & more", False) == (
        "Lesser trochanter, &lt;2 cm &amp; more"
    )
    assert text_html("one\ntwo", False) == "one<br>two"
    assert text_html("plain words", False) == "plain words"
    assert text_html(None, False) == ""


def test_a_deck_marked_html_keeps_its_markup() -> None:
    assert text_html("<b>Femoral</b> nerve", True) == "<b>Femoral</b> nerve"


def test_note_guid_is_genankis_guid_for_of_the_namespaced_key() -> None:
    for key in ("hip/psoas-major/origin", "knee/card-1", "é/ü/ß"):
        assert note_guid(key) == genanki.guid_for("flashcards", key)


def test_the_same_structure_in_two_decks_gets_two_guids() -> None:
    assert note_guid("hip/psoas-major/origin") != note_guid("spine/psoas-major/origin")


def test_deck_ids_are_fixed_by_the_deck_key_and_safe_for_javascript() -> None:
    assert deck_id_for("hip") == deck_id_for("hip")
    assert deck_id_for("hip") != deck_id_for("knee")
    for key in ("hip", "knee", "a" * 200):
        assert 2**50 <= deck_id_for(key) < 2**53


def test_tags_lose_their_spaces_and_gain_kind_and_region() -> None:
    tags = anki_tags(["lower limb", "anatomy", "anatomy"], "muscle group", "iliac fossa")
    assert tags == ["lower_limb", "anatomy", "kind::muscle_group", "region::iliac_fossa"]
    assert anki_tags(["hip"], None, "  ") == ["hip"]


def test_each_kind_fills_its_note_types_fields_in_order() -> None:
    deck = Deck()
    fact = note_fields(Note(answer_items=("Transverse processes", "Bodies <T12>")), deck)
    assert len(fact) == len(FACT_FIELDS)
    assert fact[1] == "<ul><li>Transverse processes</li><li>Bodies &lt;T12&gt;</li></ul>"
    assert fact[2:4] == ["Psoas major", "Blood supply"]
    assert fact[5] == "Gray's &lt;42nd ed.&gt;"
    basic = note_fields(Note(kind="basic", extra="why", image="ab.png"), deck)
    assert len(basic) == len(BASIC_FIELDS)
    assert basic[2:4] == ["why", '<img src="ab.png">']
    cloze = note_fields(Note(kind="cloze", front="{{c1::L1}} & {{c2::L2}}"), deck)
    assert len(cloze) == len(CLOZE_FIELDS)
    assert cloze[0] == "{{c1::L1}} &amp; {{c2::L2}}"


def test_note_types_list_exactly_the_fixed_fields() -> None:
    for kind, fields in (("fact", FACT_FIELDS), ("basic", BASIC_FIELDS), ("cloze", CLOZE_FIELDS)):
        assert tuple(f["name"] for f in note_type(kind).fields) == fields


def test_a_facts_extra_follows_its_answer_and_a_reverse_note_is_a_fact() -> None:
    aliases = note_fields(Note(extra="Also called: psoas"), Deck())
    assert aliases[1] == 'T12–L5<div class="fc-extra">Also called: psoas</div>'
    (built,) = anki_notes([Deck()], [Note(kind="reverse", key="hip/reverse/1")])[0][1]
    assert (built.note_type, len(built.fields), built.card_ords) == ("fact", 6, (0,))


def test_a_note_from_anki_keeps_its_anki_guid_once_and_its_field_media() -> None:
    forward = Note(key="a/1", anki_guid="Ab1!", field_media=("x.png",), image="y.png")
    twin = Note(key="a/1-reverse", position=1, anki_guid="Ab1!")
    first, second = anki_notes([Deck()], [forward, twin])[0][1]
    assert (first.guid, second.guid) == ("Ab1!", note_guid("a/1-reverse"))
    assert first.media == ("y.png", "x.png")


def test_notes_go_deck_by_deck_in_authoring_order_with_their_cards() -> None:
    hip, knee = Deck(id=1, key="hip"), Deck(id=2, key="knee", name="Anatomy::Knee")
    notes = [
        Note(key="knee/a", deck_id=2, position=0, kind="basic"),
        Note(key="hip/b", position=1, kind="cloze", front="{{c2::x}} {{c1::y}} {{c2::z}}"),
        Note(key="hip/a", position=0),
    ]
    built = anki_notes([hip, knee], notes)
    assert [(d.key, [n.guid for n in ns]) for d, ns in built] == [
        ("hip", [note_guid("hip/a"), note_guid("hip/b")]),
        ("knee", [note_guid("knee/a")]),
    ]
    assert built[0][1][1].card_ords == (0, 1)
    assert built[0][1][0].mod == 1_772_452_800


@pytest.mark.parametrize(("quality", "ease"), [(0, 1), (1, 1), (2, 1), (3, 2), (4, 3), (5, 4)])
def test_sm2_grades_become_anki_answer_buttons(quality: int, ease: int) -> None:
    assert anki_ease(quality) == ease


def test_cloze_numbers_become_anki_card_ordinals() -> None:
    assert anki_ord("cloze", 1) == 0
    assert anki_ord("cloze", 3) == 2
    assert anki_ord("fact", 0) == 0


@dataclasses.dataclass(frozen=True)
class Planned:
    guid: str
    mod: int


def test_anki_adds_unknown_updates_newer_and_leaves_the_rest_alone() -> None:
    previous = {"a": 100, "b": 100, "c": 100, "gone": 100}
    planned = [Planned("a", 100), Planned("b", 101), Planned("c", 99), Planned("new", 1)]
    changes = compare(previous, planned)
    assert (changes.added, changes.updated, changes.unchanged, changes.dropped) == (1, 1, 2, 1)
    assert compare(None, planned).added == 4
