"""`flashcards.extract.structures`: prose fact sheets in many layouts become structure records, and
what is not a fact (exercise steps, bylines, advertising, Latin/TA/FMA/Gray's keys,
muscles only named in passing) is left out.

The fixtures in tests/fixtures/extract/ are written for these tests, each in a layout
real pages use; psoas-stretch.txt is the project's starting document.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from flashcards.extract.structures import Extraction, extract_files, extract_text

PAGES = Path(__file__).parent / "fixtures" / "extract"


def extract(name: str) -> Extraction:
    return extract_files([PAGES / name])


def fields_of(extraction: Extraction) -> dict[str, dict[str, str]]:
    return {s.name: s.as_json()["fields"] for s in extraction.structures}  # type: ignore[misc]


def everything(extraction: Extraction) -> str:
    return json.dumps([s.as_json() for s in extraction.structures], ensure_ascii=False).lower()


# (page, layout) -> {structure: {field: words its text must contain}}
EXPECTED: dict[tuple[str, str], dict[str, dict[str, str]]] = {
    ("psoas-stretch.txt", "blog post, labels among stretch and clinic text"): {
        "Psoas major": {
            "origin": "transverse processes of lumbar vertebrae",
            "insertion": "lesser trochanter of the femur",
            "innervation": "anterior rami of l1 to l4",
            "action": "flexion and external rotation",
        },
    },
    ("piriformis-month.txt", "name only in a heading, dash separators"): {
        "Piriformis": {
            "origin": "anterior surface of the sacrum",
            "insertion": "greater trochanter",
            "innervation": "nerve to piriformis (s1, s2)",
            "action": "laterally rotates the extended hip",
            "synergist": "superior gemellus",
        },
    },
    ("gluteus-medius-infobox.txt", "infobox key<TAB>value lines, a section below"): {
        "Gluteus medius": {
            "origin": "gluteal surface of the ilium",
            "insertion": "lateral surface of the greater trochanter",
            "blood_supply": "superior gluteal artery",
            "innervation": "superior gluteal nerve (l4, l5, s1)",
            "action": "abduction of the hip",
            "antagonist": "adductor longus",
            "clinical": "trendelenburg",
        },
    },
    ("hamstrings.md", "Markdown headings, bold labels in bullets, several structures"): {
        "Biceps femoris": {"origin": "ischial tuberosity", "insertion": "head of the fibula"},
        "Semitendinosus": {"insertion": "pes anserinus", "innervation": "tibial part"},
        "Semimembranosus": {"insertion": "medial tibial condyle", "action": "flexes the knee"},
    },
    ("rotator-cuff-table.md", "Markdown table, one row a structure"): {
        "Supraspinatus": {"origin": "supraspinous fossa", "action": "initiates abduction"},
        "Infraspinatus": {"insertion": "middle facet", "innervation": "suprascapular nerve"},
        "Teres minor": {"innervation": "axillary nerve"},
        "Subscapularis": {"insertion": "lesser tubercle", "action": "medially rotates"},
    },
    ("forearm-flattened.txt", "table flattened to one cell a line"): {
        "Pronator teres": {
            "origin": "medial epicondyle",
            "insertion": "lateral surface of the radius",
            "innervation": "median nerve (c6, c7)",
            "action": "pronates the forearm",
        },
        "Flexor carpi radialis": {"insertion": "second metacarpal"},
        "Palmaris longus": {"insertion": "palmar aponeurosis", "action": "flexes the wrist"},
    },
    ("sartorius-prose.txt", "plain prose, no labels"): {
        "Sartorius": {
            "origin": "anterior superior iliac spine",
            "insertion": "upper medial surface of the tibia",
            "innervation": "femoral nerve (l2, l3)",
            "blood_supply": "femoral artery",
            "action": "flexes, abducts and laterally rotates the thigh",
        },
    },
    ("deltoid-label-alone.txt", "label alone on a line, values on the lines below"): {
        "Deltoid": {
            "origin": "lateral third of the clavicle; acromion; spine of the scapula",
            "insertion": "deltoid tuberosity",
            "innervation": "axillary nerve",
            "action": "middle fibres: abduction",
            "blood_supply": "posterior circumflex humeral artery",
        },
    },
    ("quadratus-lumborum.txt", "synonyms, space before colon, pipe and dash separators"): {
        "Quadratus lumborum": {
            "origin": "iliac crest",
            "insertion": "12th rib",
            "innervation": "anterior rami of t12–l4",
            "action": "lateral flexion of the trunk",
            "blood_supply": "lumbar arteries",
        },
    },
    ("calf-inline.txt", "name then O:/I:/N:/A: on one line"): {
        "Gastrocnemius": {
            "origin": "condyles of the femur",
            "insertion": "calcaneus",
            "innervation": "tibial nerve",
            "action": "plantarflexes the ankle",
        },
        "Soleus": {"origin": "soleal line", "action": "plantarflexes the ankle"},
    },
    ("tibialis-anterior.html", "saved HTML page: infobox table, headings, lists"): {
        "Tibialis anterior": {
            "origin": "lateral condyle",
            "insertion": "medial cuneiform",
            "innervation": "deep fibular nerve (l4, l5)",
            "blood_supply": "anterior tibial artery",
            "action": "dorsiflexes the ankle; inverts the foot",
            "clinical": "foot drop",
        },
    },
    ("adductors-numbered.txt", "numbered headings, prose under each"): {
        "Adductor longus": {
            "origin": "body of the pubis",
            "insertion": "middle third of the linea aspera",
            "innervation": "obturator nerve",
            "action": "adducts and flexes the thigh",
        },
        "Adductor brevis": {
            "origin": "inferior ramus of the pubis",
            "insertion": "upper part of the linea aspera",
            "innervation": "obturator nerve (l2, l3)",
            "action": "adducts the thigh",
        },
    },
    ("erector-spinae-attachments.txt", "'Attachments:' in one sentence, bullet list"): {
        "Iliocostalis": {
            "origin": "iliac crest",
            "insertion": "angles of the ribs",
            "innervation": "posterior rami",
            "action": "extends the vertebral column",
        },
    },
    ("femoral-nerve.txt", "a nerve, not a muscle"): {
        "Femoral nerve": {
            "origin": "lumbar plexus",
            "innervation": "quadriceps femoris",
            "clinical": "patellar reflex",
        },
    },
}


@pytest.mark.parametrize(("page", "layout"), list(EXPECTED), ids=[p for p, _ in EXPECTED])
def test_each_layout_gives_its_structures_and_fields(page: str, layout: str) -> None:
    found = fields_of(extract(page))
    expected = EXPECTED[(page, layout)]
    assert list(found) == list(expected), layout
    for name, fields in expected.items():
        for field, words in fields.items():
            assert words in found[name].get(field, "").lower(), (name, field, found[name])


def test_there_are_at_least_ten_layouts_besides_the_psoas_post() -> None:
    assert len({page for page, _ in EXPECTED} - {"psoas-stretch.txt"}) >= 10
    assert {p.name for p in PAGES.iterdir() if p.is_file()} == {page for page, _ in EXPECTED}


def test_the_psoas_post_gives_psoas_major_and_none_of_the_stretch_instructions() -> None:
    result = extract("psoas-stretch.txt")
    assert [s.name for s in result.structures] == ["Psoas major"]
    psoas = result.structures[0]
    assert psoas.fields == {
        "origin": [
            "Deep part: transverse processes of lumbar vertebrae",
            "Superficial part: lateral surfaces of the last thoracic vertebra, lumbar vertebrae "
            "I-IV, and from neighboring invertebral discs",
        ],
        "insertion": ["Lesser trochanter of the femur"],
        "innervation": ["Anterior rami of L1 to L4"],
        "action": [
            "Flexion and external rotation in the hip joint",
            "Unilateral contraction: bends the trunk laterally",
            "Bilateral contraction: raises the trunk from its supine position",
        ],
    }
    text = everything(result)
    for instruction in ("sitting on a chair", "tilt your pelvis", "back foot", "block", "your"):
        assert instruction not in text
    for not_a_fact in ("prevent. perform", "equinox", "rotation of the spine will stretch"):
        assert not_a_fact not in text
    # The name is a guess from the text (the title says "Psoas Stretch"): a warning says so.
    assert any("named it 'Psoas major' from the text" in w for w in result.warnings)


def test_byline_advertising_and_exercise_steps_are_left_out() -> None:
    text = everything(extract("piriformis-month.txt"))
    for junk in (
        "hannah",
        "posted",
        "min read",
        "book your appointment",
        "555",
        "lie on your",
        "hold for 30 seconds",
        "sciatic nerve usually passes",
    ):
        assert junk not in text


def test_latin_ta_fma_and_grays_keys_are_left_out() -> None:
    for page in ("gluteus-medius-infobox.txt", "quadratus-lumborum.txt", "deltoid-label-alone.txt"):
        text = everything(extract(page))
        for key in ("musculus", "a04.", "22315", "2598", "p. 432", "fma", "ta98"):
            assert key not in text, (page, key)


def test_muscles_named_only_as_synergists_or_in_passing_are_not_structures() -> None:
    assert [s.name for s in extract("piriformis-month.txt").structures] == ["Piriformis"]
    assert [s.name for s in extract("sartorius-prose.txt").structures] == ["Sartorius"]
    assert "Plantaris" not in [s.name for s in extract("calf-inline.txt").structures]
    assert "Adductor longus" not in [
        s.name for s in extract("gluteus-medius-infobox.txt").structures
    ]


def test_navigation_scripts_and_sidebars_of_html_pages_are_left_out() -> None:
    result = extract("tibialis-anterior.html")
    text = everything(result)
    for junk in ("nowhere", "menu item", "newsletter", "extensor digitorum longus", "shins"):
        assert junk not in text
    assert [s.name for s in result.structures] == ["Tibialis anterior"]


def test_kinds_are_read_from_the_name() -> None:
    assert extract("femoral-nerve.txt").structures[0].kind == "nerve"
    assert extract("deltoid-label-alone.txt").structures[0].kind == "muscle"


def test_a_label_wins_over_a_sentence_for_the_same_field() -> None:
    page = (
        "Gracilis\n\nOrigin: Body and inferior ramus of the pubis\n\n"
        "The gracilis arises from somewhere else entirely, some say.\n"
    )
    found = fields_of(extract_text(page))
    assert found == {"Gracilis": {"origin": "Body and inferior ramus of the pubis"}}


def test_a_second_label_for_a_named_structure_is_a_warning_not_a_new_structure() -> None:
    result = extract_text("Gracilis\n\nOrigin: Pubis\nOrigin: Ischium\n", "page.txt")
    assert fields_of(result) == {"Gracilis": {"origin": "Pubis"}}
    assert result.warnings == ["page.txt:4: a second origin for Gracilis; kept the first"]


def test_nerve_roots_join_the_innervation() -> None:
    page = "Gluteus minimus\n\nNerve: Superior gluteal nerve\nNerve roots: L4, L5, S1\n"
    assert fields_of(extract_text(page))["Gluteus minimus"]["innervation"] == (
        "Superior gluteal nerve (L4, L5, S1)"
    )


def test_aliases_are_kept_apart_from_the_name() -> None:
    page = "Tensor fasciae latae\n\nAlso known as: TFL, tensor fascia lata\nOrigin: ASIS\n"
    structure = extract_text(page).structures[0]
    assert structure.name == "Tensor fasciae latae"
    assert structure.aliases == ["TFL", "tensor fascia lata"]


def test_a_page_with_no_facts_gives_no_structure_and_says_so() -> None:
    result = extract_text("Book now!\n\nOur clinic opens at 9.\n", "ad.txt")
    assert result.structures == []
    assert result.warnings == [
        "ad.txt: no structure found (no labelled facts such as 'Origin:' and no sentences "
        "such as '… arises from …')"
    ]


def test_the_same_muscle_in_two_pages_is_merged_first_page_first(tmp_path: Path) -> None:
    first = tmp_path / "a.txt"
    first.write_text("Gracilis\n\nOrigin: Pubis\n", encoding="utf-8")
    second = tmp_path / "b.txt"
    second.write_text("Gracilis\n\nOrigin: Ischium\nInsertion: Pes anserinus\n", encoding="utf-8")
    result = extract_files([first, second])
    assert fields_of(result) == {"Gracilis": {"origin": "Pubis", "insertion": "Pes anserinus"}}
    assert result.warnings == [
        f"{second}:1: Gracilis's origin differs from {first}:1; kept the first"
    ]


def test_a_labelled_sentence_keeps_a_leading_fact_and_drops_a_setting() -> None:
    page = (
        "Gluteus maximus\n\nActions: Main extensor of the thigh, and assists with lateral "
        "rotation.\n\nGluteus medius\n\nActions: On the pelvis, one side acting alone tilts it "
        "sideways.\n"
    )
    found = extract_text(page).structures
    assert [s.fields["action"] for s in found] == [
        ["Main extensor of the thigh", "Assists with lateral rotation"],
        ["Tilts it sideways"],
    ]


def test_a_section_of_prose_is_read_and_relative_clauses_stay_with_their_noun() -> None:
    page = (
        "Piriformis muscle\n\nStructure\nThe piriformis originates from the anterior surface "
        "of the sacrum. It exits the pelvis through the greater sciatic foramen to insert on "
        "the greater trochanter.\n\nNerve supply\nThe piriformis is innervated by the nerve to "
        "piriformis, which arises from the dorsal rami of S1 and S2.\n"
    )
    found = fields_of(extract_text(page))
    assert found == {
        "Piriformis": {
            "origin": "Anterior surface of the sacrum",
            "insertion": "Greater trochanter",
            "innervation": "Nerve to piriformis",
        }
    }
