"""Text import checks what it takes: a row without a question or an answer is an error
with its line (`path:line:`, as lint reports), and the file changes nothing; a page of
prose is refused with a hint to use `flashcards extract`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from conftest import Cli, deck_list, ok, write

PROSE = "\n".join(
    [
        "The Gluteal Region | Anatomy Notes Online",
        "",
        "Home  About  Contact",
        "",
        "The gluteal region lies behind the pelvis. It contains the gluteal muscles, which "
        "extend and abduct the hip.",
        "",
        "Gluteus maximus arises from the ilium, sacrum and coccyx. It inserts into the "
        "iliotibial tract and the gluteal tuberosity.",
        "",
        "Gluteus medius is supplied by the superior gluteal nerve.",
        "",
        "Subscribe to our newsletter!",
        "© 2026 Anatomy Notes Online. All rights reserved.",
        "",
    ]
)


def decks(run: Cli) -> list[dict[str, object]]:
    return deck_list(run)


@pytest.mark.parametrize(
    ("name", "text", "problems"),
    [
        (
            "rows.tsv",
            "Which nerve supplies psoas?\tL1-L3\nWhat does iliacus do?\t\n\tFemur\n",
            ["rows.tsv:2: no answer", "rows.tsv:3: no question"],
        ),
        (
            "rows.csv",
            "Front,Back\nWhich nerve supplies psoas?,L1-L3\nWhat flexes the hip?,\n",
            ["rows.csv:3: no answer"],
        ),
        (
            "anki.txt",
            "#separator:tab\n#html:false\nq1\ta1\nq2\t   \n",
            ["anki.txt:4: no answer"],
        ),
        (
            "cloze.txt",
            "#separator:tab\n#notetype:Cloze\nThe {{c1::femur}} is long\t\nNo marker here\t\n",
            ["cloze.txt:4: no card made"],
        ),
    ],
)
def test_rows_without_a_question_or_an_answer_are_errors_with_their_line(
    run: Cli, tmp_path: Path, name: str, text: str, problems: list[str]
) -> None:
    path = write(tmp_path / name, text)
    result = run("import", str(path))
    assert result.exit_code == 1, result.output
    for problem in problems:
        assert f"{tmp_path / problem}" in result.stderr, result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("Error: ")
    assert "nothing was changed" in result.stderr
    assert decks(run) == []


def test_prose_is_refused_with_a_hint_to_extract(run: Cli, tmp_path: Path) -> None:
    for name in ("notes.txt", "notes.csv"):
        path = write(tmp_path / name, PROSE)
        result = run("import", str(path))
        assert result.exit_code == 1, result.output
        assert f"flashcards extract {path}" in result.stderr
        assert "prose" in result.stderr
    single = write(tmp_path / "line.txt", "Subscribe to our newsletter!\n")
    result = run("import", str(single))
    assert result.exit_code == 1 and "flashcards extract" in result.stderr
    assert decks(run) == []


@pytest.mark.parametrize(
    "text",
    [
        "The psoas major muscle arises from the lumbar vertebrae. It inserts into the lesser "
        "trochanter, and it is innervated by the lumbar plexus. It is a powerful flexor of the "
        "hip.\n",
        "The psoas major arises from the lumbar vertebrae, and it flexes the hip.\n",
        "Psoas flexes the hip. Iliacus joins it; both are supplied by the femoral nerve.\n",
    ],
)
def test_a_single_paragraph_of_prose_is_refused_too(run: Cli, tmp_path: Path, text: str) -> None:
    path = write(tmp_path / "page.txt", text)
    result = run("import", str(path))
    assert result.exit_code == 1, result.output
    assert "prose" in result.stderr and f"flashcards extract {path}" in result.stderr
    assert decks(run) == []


def test_fields_keep_no_spaces_around_them(run: Cli, tmp_path: Path) -> None:
    path = write(
        tmp_path / "spaced.csv",
        "psoas , L1-L3 \nWhich nerve supplies iliacus?,  femoral nerve\n"
        "Psoas major, a hip flexor.\n",
    )
    ok(run("import", str(path)))
    cards = json.loads(ok(run("cards", "spaced", "--json")))
    assert sorted((c["question"], c["answer"]) for c in cards) == [
        ("Psoas major", "a hip flexor."),
        ("Which nerve supplies iliacus?", "femoral nerve"),
        ("psoas", "L1-L3"),
    ]


def test_good_rows_still_import(run: Cli, tmp_path: Path) -> None:
    quizlet = write(tmp_path / "quizlet.txt", "psoas\tL1-L3\niliacus\tfemoral nerve\n")
    spaced = write(tmp_path / "spaced.txt", "#separator:space\npsoas L1-L3\n")
    ok(run("import", str(quizlet), str(spaced)))
    assert sorted(d["cards"] for d in decks(run)) == [1, 2]
