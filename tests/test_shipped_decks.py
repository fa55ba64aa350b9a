"""The shipped curriculum in decks/: complete, consistent, and loadable by a real database.

These tests guard the content students study from: every muscle carries the five core
facts, every nerve answer names its root levels (or its cranial nerve), ids stay unique
and stable (students' histories hang on them), and the whole set imports on each engine
with the region parents summing their sub-decks.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from typing import Any

import pytest
import yaml
from conftest import DECKS, Cli, ok

from flashcards.authoring.deckfile import DeckFile, Structure
from flashcards.authoring.decks import load_deck_set

CORE_FIELDS = ("origin", "insertion", "innervation", "action", "blood_supply")

# Deck folder -> the region part of the deck name ("Anatomy::<Region>::<Group>").
REGION_FOLDERS = {
    "lower-limb": "Lower limb",
    "back": "Back",
    "upper-limb": "Upper limb",
    "neck": "Neck",
    "thorax": "Thorax",
    "abdomen": "Abdomen",
    "pelvis": "Pelvis and perineum",
    "head": "Head",
}

# The `region:` vocabulary of the shipped structures.
REGIONS = {
    "hip",
    "gluteal",
    "thigh-anterior",
    "thigh-medial",
    "thigh-posterior",
    "leg-anterior",
    "leg-lateral",
    "leg-posterior",
    "foot",
    "back-superficial",
    "back-intermediate",
    "back-deep",
    "posterior-abdominal-wall",
    "shoulder",
    "arm",
    "forearm-anterior",
    "forearm-posterior",
    "hand",
    "neck-superficial",
    "neck-anterior",
    "neck-lateral",
    "neck-prevertebral",
    "thoracic-wall",
    "diaphragm",
    "anterolateral-abdominal-wall",
    "inguinal-region",
    "pelvic-floor",
    "perineum",
    "scalp",
    "auricle",
    "face",
    "jaw",
    "orbit",
    "tongue",
    "palate",
    "pharynx",
    "larynx",
    "middle-ear",
}

# A spinal root: C1–C8, T1–T12, L1–L5, S1–S5.
ROOT = re.compile(r"\b(?:C[1-8]|T(?:1[0-2]|[1-9])|L[1-5]|S[1-5])\b")
# A spinal range written with a hyphen instead of the en dash the decks use ("L2-L4").
HYPHEN_RANGE = re.compile(r"\b[CTLS]\d{1,2}\s?-\s?[CTLS]?\d")

# Every note key of the first shipped deck (commit f076438): students' histories hang on
# these, so later edits may add to the deck but never drop or rename one of them.
ORIGINAL_HIP_FLEXOR_KEYS = [
    *(
        f"hip-flexors/{structure}/{field}"
        for structure in ("psoas-major", "iliacus")
        for field in (*CORE_FIELDS, "antagonist", "synergist", "clinical")
    ),
    *(
        f"hip-flexors/iliopsoas/{field}"
        for field in (
            "origin",
            "insertion",
            "innervation",
            "action",
            "antagonist",
            "synergist",
            "clinical",
        )
    ),
    *(
        f"hip-flexors/{card}"
        for card in (
            "iliopsoas-parts",
            "psoas-major-group",
            "hip-flexors-trunk-fixed",
            "hip-flexors-leg-fixed",
            "iliopsoas-muscular-lacuna",
            "iliopsoas-iliopubic-eminence",
            "iliopsoas-fascia",
            "psoas-genitofemoral-nerve",
            "psoas-sign",
            "hip-flexor-stretch",
            "lumbar-plexus-in-psoas",
            "psoas-trunk-actions",
        )
    ),
]


@pytest.fixture(scope="module")
def shipped() -> list[DeckFile]:
    decks, problems = load_deck_set([DECKS])
    assert [str(p) for p in problems] == []
    return decks


def structures(decks: list[DeckFile]) -> list[tuple[DeckFile, Structure]]:
    return [(deck, s) for deck in decks for s in deck.structures]


def fact_text(structure: Structure, field: str) -> list[str]:
    return [item for fact in structure.facts if fact.field == field for item in fact.items]


# --- the files themselves -----------------------------------------------------------


def test_shipped_decks_lint_strict_clean(run_sqlite: Cli) -> None:
    # --strict: not one break of the rules of formulating knowledge either.
    result = run_sqlite("lint", "--strict", str(DECKS))
    assert result.exit_code == 0, result.output
    assert re.search(r"\b0 error\(s\), 0 warning\(s\)", result.output), result.output
    assert not re.search(r":\d+: ", result.output), result.output


def test_no_card_asks_a_list_a_paragraph_or_a_reference_or_lacks_a_cue(run_sqlite: Cli) -> None:
    # What a student sees, card by card: at most 4 list items asked at once, at most 20
    # words (an "any one of" list is answered by one item: each item counts alone, as
    # lint counts them), no reference named, no "clinical relevance" question.
    from flashcards.authoring.rules import cited_reference, count_words

    cards = json.loads(ok(run_sqlite("cards", str(DECKS), "--json")))
    assert not [c["id"] for c in cards if "clinical relevance" in c["question"].lower()]
    whole_lists = [c for c in cards if c["kind"] in ("fact", "basic") and c["ask"] != "any"]
    assert not [c["id"] for c in whole_lists if len(c["answer"].splitlines()) > 4]
    answers = [
        (c["id"], answer)
        for c in cards
        if c["kind"] != "cloze"
        for answer in (c["answer"].splitlines() if c["ask"] == "any" else [c["answer"]])
    ]
    assert not [card for card, answer in answers if count_words(answer) > 20]
    assert not [c["id"] for c in cards if cited_reference(c["answer"])]


def test_every_file_is_an_anatomy_region_group_deck_with_a_source(
    shipped: list[DeckFile],
) -> None:
    for deck in shipped:
        folder = deck.path.parent.name
        assert folder in REGION_FOLDERS, f"{deck.path}: unexpected folder {folder!r}"
        parts = deck.name.split("::")
        assert len(parts) == 3 and parts[0] == "Anatomy", f"{deck.path}: {deck.name}"
        assert parts[1] == REGION_FOLDERS[folder], f"{deck.path}: {deck.name}"
        assert deck.source and len(deck.source) > 40, f"{deck.path}: no real source"


def test_deck_readme_lists_every_shipped_file(shipped: list[DeckFile]) -> None:
    readme = (DECKS / "README.md").read_text(encoding="utf-8")
    for deck in shipped:
        relative = deck.path.relative_to(DECKS).as_posix()
        row = re.search(rf"^\| `{re.escape(relative)}` \| ([^|]+) \|", readme, re.MULTILINE)
        assert row, f"{relative} is missing from decks/README.md"
        assert row.group(1).strip() == deck.name, relative


# --- the structures -----------------------------------------------------------------


def test_at_least_120_structures_covering_every_region(shipped: list[DeckFile]) -> None:
    found = structures(shipped)
    assert len(found) >= 120
    regions = Counter(s.region for _, s in found)
    assert set(regions) == REGIONS, set(regions) ^ REGIONS


def test_every_structure_has_an_explicit_id_a_kind_and_a_known_region() -> None:
    # Read the raw YAML: a missing `id:` would otherwise be filled in from the name,
    # and renaming the muscle later would silently change its identity.
    for path in sorted(DECKS.rglob("*.yaml")):
        document: dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf-8"))
        for raw in document.get("structures", []):
            where = f"{path.relative_to(DECKS)}: {raw.get('name')}"
            assert "id" in raw, f"{where} has no explicit id"
            assert raw.get("kind") in {"muscle", "muscle group"}, where
            assert raw.get("region") in REGIONS, where


def test_every_muscle_has_the_five_core_facts(shipped: list[DeckFile]) -> None:
    missing = [
        f"{deck.id}/{s.id}: {field}"
        for deck, s in structures(shipped)
        if s.kind == "muscle"
        for field in CORE_FIELDS
        if not fact_text(s, field)
    ]
    assert missing == []


def test_every_innervation_names_its_root_levels(shipped: list[DeckFile]) -> None:
    # Each line of the answer (one nerve, or one part's nerve) carries its roots; a
    # cranial nerve (trapezius' CN XI, digastric's CN V3 and CN VII, the facial nerve's
    # branches to the face) names its cranial nerve instead of a spinal root.
    without_roots = [
        f"{deck.id}/{s.id}: {item}"
        for deck, s in structures(shipped)
        for item in fact_text(s, "innervation")
        if not ROOT.search(item) and "CN " not in item
    ]
    assert without_roots == []
    for deck, s in structures(shipped):
        lines = fact_text(s, "innervation")
        cranial = [item for item in lines if "CN " in item and not ROOT.search(item)]
        cranial_only = bool(lines) and cranial == lines
        assert cranial_only or ROOT.search(" ".join(lines)), f"{deck.id}/{s.id}"


def test_spinal_ranges_use_the_en_dash(shipped: list[DeckFile]) -> None:
    hyphenated = [
        f"{deck.id}/{s.id}/{fact.field}: {item}"
        for deck, s in structures(shipped)
        for fact in s.facts
        for item in fact.items
        if HYPHEN_RANGE.search(item)
    ]
    assert hyphenated == []


def test_structure_and_deck_ids_are_unique_across_files(shipped: list[DeckFile]) -> None:
    structure_ids = Counter(s.id for _, s in structures(shipped))
    assert [i for i, n in structure_ids.items() if n > 1] == []
    deck_ids = Counter(deck.id for deck in shipped)
    assert [i for i, n in deck_ids.items() if n > 1] == []
    names = Counter(s.name.lower() for _, s in structures(shipped))
    assert [name for name, n in names.items() if n > 1] == []


# Named as a head, part or belly, or as one of a numbered row, with no whole muscle of
# its own in the decks.
_WHOLE_NOT_SHIPPED = {"digastric-anterior-belly", "digastric-posterior-belly"}
_NAMED_AS_A_PART = re.compile(
    r"\((?:\w+ )?(?:head|part|belly)\)$"
    r"|^\w+ (?:head|part|belly) of "
    r"|^(?:first|second|third|fourth) ",
    re.IGNORECASE,
)


def test_every_head_and_part_names_its_whole(shipped: list[DeckFile]) -> None:
    by_id = {s.id: s for _, s in structures(shipped)}
    named = {s.id for _, s in structures(shipped) if _NAMED_AS_A_PART.search(s.name)}
    assert len(named) > 50
    assert {i for i in named if by_id[i].part_of is None} == _WHOLE_NOT_SHIPPED
    parts = {s.id: s.part_of for _, s in structures(shipped) if s.part_of}
    # The parts not named so: the erector spinae columns', iliopsoas', levatores
    # costarum's and the larynx's.
    for part, whole in [
        ("iliocostalis-lumborum", "iliocostalis"),
        ("longissimus-capitis", "longissimus"),
        ("spinalis-thoracis", "spinalis"),
        ("psoas-major", "iliopsoas"),
        ("iliacus", "iliopsoas"),
        ("levatores-costarum-longi", "levatores-costarum"),
        ("vocalis", "thyroarytenoid"),
    ]:
        assert parts.get(part) == whole
    for part, whole in parts.items():
        assert whole in by_id, part
        assert by_id[whole].part_of is None, (part, whole)  # one level: a whole, its parts
        assert by_id[whole].kind in ("muscle", "muscle group"), whole


def test_the_original_hip_flexor_keys_are_all_still_there(run_sqlite: Cli) -> None:
    cards = json.loads(
        ok(run_sqlite("cards", str(DECKS / "lower-limb" / "hip-flexors.yaml"), "--json"))
    )
    keys = {card["key"] for card in cards}
    # A key is kept, or its fact is asked in new cards under it (clinical prose became
    # question/answer cards, `…/clinical/<id>`): the old card is retired with its history.
    reshaped = {
        key
        for key in ORIGINAL_HIP_FLEXOR_KEYS
        if key not in keys and any(other.startswith(f"{key}/") for other in keys)
    }
    assert [key for key in ORIGINAL_HIP_FLEXOR_KEYS if key not in keys | reshaped] == []
    assert reshaped == {
        f"hip-flexors/{s}/clinical" for s in ("psoas-major", "iliacus", "iliopsoas")
    }
    assert len(ORIGINAL_HIP_FLEXOR_KEYS) == 35


# --- a real database ----------------------------------------------------------------


def test_the_whole_curriculum_imports_and_region_parents_sum_their_groups(
    run: Cli, shipped: list[DeckFile]
) -> None:
    report = json.loads(ok(run("import", str(DECKS), "--json")))
    assert sorted(report["decks"]) == sorted(deck.name for deck in shipped)
    assert report["retired"] == 0

    rows = {row["name"]: row for row in json.loads(ok(run("decks", "--json")))}
    regions = [f"Anatomy::{region}" for region in REGION_FOLDERS.values()]
    assert set(rows) == {"Anatomy", *regions, *(deck.name for deck in shipped)}
    for region in regions:
        groups = [row for name, row in rows.items() if name.startswith(f"{region}::")]
        assert len(groups) >= 3, region
        for count in ("cards", "new", "due", "suspended"):
            assert rows[region][count] == sum(group[count] for group in groups), region
    for count in ("cards", "new", "due", "suspended"):
        assert rows["Anatomy"][count] == sum(rows[region][count] for region in regions)
    # Nothing studied yet: every card is new, and there is one card per generated card.
    previewed = json.loads(ok(run("cards", str(DECKS), "--json")))
    assert rows["Anatomy"]["cards"] == rows["Anatomy"]["new"] == len(previewed)
