"""Reshaping a fact's cards keeps every history that still has its question (DESIGN §2):
plain -> mapping, all -> any, all -> each, clinical text -> q/a pairs, items of an
`each` list edited or reordered; and `import` lists what changed, fact by fact."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, ok, write
from sqlalchemy import create_engine, text

HEAD = """\
deck: Anatomy::Test::Hip
id: hip
structures:
  - name: Psoas major
    id: psoas-major
    kind: muscle
"""
BEFORE = (
    HEAD
    + """\
    innervation: Anterior rami of L1–L3
    action: [Flexes the hip, Flexes the trunk, Bends the lumbar spine sideways]
    synergist: [Iliacus, Rectus femoris, Sartorius]
    clinical: [Psoas abscess tracks to the groin, Psoas sign in appendicitis]
"""
)
ALL_KEYS = [
    "hip/psoas-major/innervation",
    "hip/psoas-major/action",
    "hip/psoas-major/synergist",
    "hip/psoas-major/clinical",
]


def history(url: str) -> dict[str, dict[str, Any]]:
    """Per note key: retired or not, its question, and how many answers its cards have."""
    query = text(
        "SELECT n.key, n.front, n.retired_at IS NOT NULL AS retired, COUNT(r.id) AS answers "
        "FROM notes n JOIN cards c ON c.note_id = n.id "
        "LEFT JOIN reviews r ON r.card_id = c.id GROUP BY n.key, n.front, n.retired_at"
    )
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
    finally:
        engine.dispose()
    return {
        row["key"]: {
            "question": row["front"],
            "retired": bool(row["retired"]),
            "answers": row["answers"],
        }
        for row in rows
    }


@pytest.fixture
def studied(run: Cli, tmp_path: Path) -> tuple[Cli, Path]:
    """The deck imported and each of its four cards answered once."""
    path = write(tmp_path / "hip.yaml", BEFORE)
    ok(run("import", str(path)))
    ok(run("review", input="\n5\n" * 4))
    answers = {key: row["answers"] for key, row in history(run.db).items()}
    assert answers == dict.fromkeys(ALL_KEYS, 1)
    return run, path


def reimport(run: Cli, path: Path, body: str) -> dict[str, Any]:
    path.write_text(body, encoding="utf-8")
    report: dict[str, Any] = json.loads(ok(run("import", str(path), "--json")))
    return report


def changes_of(report: dict[str, Any]) -> dict[str, dict[str, list[str]]]:
    return {
        c["fact"]: {
            kind: [item["key"] for item in c[kind]]
            for kind in ("added", "retired", "restored", "reworded")
            if c[kind]
        }
        for c in report["changes"]
    }


def test_plain_to_mapping_keeps_the_card_its_question_and_its_history(
    studied: tuple[Cli, Path],
) -> None:
    run, path = studied
    body = BEFORE.replace(
        "    innervation: Anterior rami of L1–L3\n",
        "    innervation:\n      answer: Anterior rami of L1–L3\n"
        "      accept: [L1–L3]\n      note: Some texts add L4.\n",
    )
    report = reimport(run, path, body)
    assert (report["updated"], report["added"], report["retired"]) == (1, 0, 0)
    assert report["changes"] == []  # same question: nothing a student meets anew
    row = history(run.db)["hip/psoas-major/innervation"]
    assert row == {"question": "What innervates psoas major?", "retired": False, "answers": 1}


def test_any_to_all_rewords_the_question_under_the_same_key_history_kept(
    studied: tuple[Cli, Path],
) -> None:
    run, path = studied
    body = BEFORE.replace(
        "    synergist: [Iliacus, Rectus femoris, Sartorius]\n",
        "    synergist:\n      answer: [Iliacus, Rectus femoris, Sartorius]\n      ask: all\n",
    )
    report = reimport(run, path, body)
    assert changes_of(report) == {
        "psoas-major/synergist": {"reworded": ["hip/psoas-major/synergist"]}
    }
    [change] = report["changes"]
    assert change["reworded"][0]["before"] == "Name a synergist of psoas major."
    assert change["reworded"][0]["question"] == "What are the synergists of psoas major?"
    assert history(run.db)["hip/psoas-major/synergist"]["answers"] == 1


def test_all_to_each_retires_the_whole_list_card_and_adds_one_card_per_item(
    studied: tuple[Cli, Path],
) -> None:
    run, path = studied
    body = BEFORE.replace(
        "    action: [Flexes the hip, Flexes the trunk, Bends the lumbar spine sideways]\n",
        "    action:\n      answer: [Flexes the hip, Flexes the trunk, "
        "Bends the lumbar spine sideways]\n      ask: each\n",
    )
    report = reimport(run, path, body)
    each = [
        "hip/psoas-major/action/flexes-the-hip",
        "hip/psoas-major/action/flexes-the-trunk",
        "hip/psoas-major/action/bends-the-lumbar-spine-sideways",
    ]
    assert changes_of(report) == {
        "psoas-major/action": {"added": each, "retired": ["hip/psoas-major/action"]}
    }
    rows = history(run.db)
    # The whole-list card is hidden, its answer kept; the others are untouched.
    assert rows["hip/psoas-major/action"]["retired"] and rows["hip/psoas-major/action"]["answers"]
    assert all(not rows[key]["retired"] and rows[key]["answers"] == 0 for key in each)
    assert all(rows[key]["answers"] == 1 for key in ALL_KEYS if key != "hip/psoas-major/action")

    # And back: the whole-list card returns with its history; the item cards retire.
    report = reimport(run, path, BEFORE)
    assert changes_of(report) == {
        "psoas-major/action": {"retired": each, "restored": ["hip/psoas-major/action"]}
    }
    assert history(run.db)["hip/psoas-major/action"] == {
        "question": "What are the actions of psoas major?",
        "retired": False,
        "answers": 1,
    }


def test_clinical_text_to_pairs_retires_the_vague_card_and_adds_one_card_per_pair(
    studied: tuple[Cli, Path],
) -> None:
    run, path = studied
    body = BEFORE.replace(
        "    clinical: [Psoas abscess tracks to the groin, Psoas sign in appendicitis]\n",
        "    clinical:\n"
        "      - id: psoas-abscess\n        q: Where does a psoas abscess track?\n"
        "        a: Down the psoas sheath to the groin\n"
        "      - q: Which sign shows an inflamed appendix irritating psoas?\n"
        "        a: Psoas sign\n",
    )
    report = reimport(run, path, body)
    changes = changes_of(report)["psoas-major/clinical"]
    assert changes["retired"] == ["hip/psoas-major/clinical"]
    assert changes["added"][0] == "hip/psoas-major/clinical/psoas-abscess"
    assert changes["added"][1].startswith("hip/psoas-major/clinical/which-sign-shows")
    assert history(run.db)["hip/psoas-major/clinical"]["answers"] == 1


def test_an_item_asked_alone_keeps_its_history_when_the_others_change_or_move(
    run: Cli, tmp_path: Path
) -> None:
    each = HEAD + (
        "    action:\n      answer: [Flexes the hip, Flexes the trunk, Bends the spine]\n"
        "      ask: each\n"
    )
    path = write(tmp_path / "hip.yaml", each)
    ok(run("import", str(path)))
    ok(run("review", input="\n5\n" * 3))
    moved = each.replace(
        "[Flexes the hip, Flexes the trunk, Bends the spine]",
        "[Bends the lumbar spine sideways, Flexes the hip, Flexes the trunk]",
    )
    report = reimport(run, path, moved)
    assert changes_of(report) == {
        "psoas-major/action": {
            "added": ["hip/psoas-major/action/bends-the-lumbar-spine-sideways"],
            "retired": ["hip/psoas-major/action/bends-the-spine"],
            "reworded": [
                "hip/psoas-major/action/flexes-the-hip",
                "hip/psoas-major/action/flexes-the-trunk",
            ],
        }
    }
    rows = history(run.db)
    assert rows["hip/psoas-major/action/flexes-the-hip"]["answers"] == 1
    assert rows["hip/psoas-major/action/flexes-the-hip"]["question"].endswith(
        "• Bends the lumbar spine sideways\n• [...]\n• Flexes the trunk"
    )


def test_the_text_report_lists_the_changes_per_deck_and_a_dry_run_changes_nothing(
    studied: tuple[Cli, Path],
) -> None:
    run, path = studied
    path.write_text(
        BEFORE.replace(
            "    synergist: [Iliacus, Rectus femoris, Sartorius]\n",
            "    synergist:\n      answer: [Iliacus, Rectus femoris, Sartorius]\n      ask: all\n",
        ).replace(
            "    clinical: [Psoas abscess tracks to the groin, Psoas sign in appendicitis]\n", ""
        ),
        encoding="utf-8",
    )
    dry = ok(run("import", str(path), "--dry-run"))
    assert "Cards that would change in Anatomy::Test::Hip:\n" in dry
    assert "  psoas-major/synergist: 1 asked in new words (history kept)\n" in dry
    assert "  psoas-major/clinical: 1 retired (history kept)\n" in dry
    assert not history(run.db)["hip/psoas-major/clinical"]["retired"]
    out = ok(run("import", str(path)))
    assert "Cards that changed in Anatomy::Test::Hip:\n" in out
    assert history(run.db)["hip/psoas-major/clinical"]["retired"]


def test_a_first_import_lists_no_changes(run: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "hip.yaml", BEFORE)
    report = json.loads(ok(run("import", str(path), "--json")))
    assert report["added"] == 4 and report["changes"] == []
    assert "Cards that" not in ok(run("import", str(path)))
