"""`flashcards quiz`: scripted quizzes on both engines; the schedule is never touched.

Quiz answers are logged as `reviews` rows of kind "quiz" with their mode. They must
never move a card, never create a card's state, never count as the day's first grade,
never be a pending re-drill and never be taken back by `undo`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from conftest import Cli, ok, write
from sqlalchemy import create_engine, text

from flashcards.quiz import option_text

GLUTEAL = """\
deck: Anatomy::Lower limb::Gluteal region
id: gluteal
structures:
  - name: Gluteus maximus
    kind: muscle
    region: gluteal
    insertion: [Iliotibial tract, Gluteal tuberosity of the femur]
    innervation: Inferior gluteal nerve (L5–S2)
  - name: Gluteus medius
    kind: muscle
    region: gluteal
    insertion: Lateral surface of the greater trochanter
    innervation: Superior gluteal nerve (L4–S1)
  - name: Gluteus minimus
    kind: muscle
    region: gluteal
    insertion: Anterior surface of the greater trochanter
    innervation: Superior gluteal nerve (L4–S1)
  - name: Piriformis
    kind: muscle
    region: gluteal
    insertion: Superior border of the greater trochanter
    innervation: Nerve to piriformis (S1–S2)
  - name: Quadratus femoris
    kind: muscle
    region: gluteal
    insertion: Quadrate tubercle of the femur
    innervation: Nerve to quadratus femoris (L4–S1)
cards:
  - id: sciatic-exit
    q: Through which foramen does the sciatic nerve leave the pelvis?
    a: Greater sciatic foramen
"""


def deck(tmp_path: Path) -> Path:
    return write(tmp_path / "gluteal.yaml", GLUTEAL)


def rows(url: str, query: str) -> list[dict[str, Any]]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return [dict(r) for r in connection.execute(text(query)).mappings()]
    finally:
        engine.dispose()


def card_states(url: str) -> list[dict[str, Any]]:
    return rows(url, "SELECT * FROM card_states ORDER BY id")


def reviews(url: str) -> list[dict[str, Any]]:
    return rows(
        url,
        "SELECT r.id, r.kind, r.mode, r.quality, r.typed_answer, r.undoes_id, n.key "
        "FROM reviews r JOIN cards c ON c.id = r.card_id JOIN notes n ON n.id = c.note_id "
        "ORDER BY r.id",
    )


def quiz_json(run: Cli, *args: str, input: str) -> dict[str, Any]:
    result = run("quiz", *args, "--json", input=input)
    document = json.loads(ok(result))  # stdout is the JSON document and nothing else
    assert isinstance(document, dict)
    return document


def right_choices(document: dict[str, Any]) -> str:
    """The input that picks the right option of every item of a quiz already taken."""
    picks = [item["options"].index(option_text(item["answer"])) + 1 for item in document["items"]]
    return "".join(f"{p}\n" for p in picks)


def test_mc_quiz_same_seed_same_quiz_and_a_perfect_score(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(deck(tmp_path))))
    first = quiz_json(run, "--mode", "mc", "--count", "4", "--seed", "11", input="1\n" * 4)
    assert set(first) >= {"asked", "correct", "score", "items"}
    assert first["asked"] == 4 and first["mode"] == "mc" and first["seed"] == 11
    for item in first["items"]:
        assert len(item["options"]) == 4
        assert item["given"] == item["options"][0]
        assert item["correct"] is (item["given"] == option_text(item["answer"]))
    assert first["correct"] == sum(i["correct"] for i in first["items"])

    again = quiz_json(
        run, "--mode", "mc", "--count", "4", "--seed", "11", input=right_choices(first)
    )
    assert [i["question"] for i in again["items"]] == [i["question"] for i in first["items"]]
    assert [i["options"] for i in again["items"]] == [i["options"] for i in first["items"]]
    assert (again["asked"], again["correct"], again["score"]) == (4, 4, 100.0)
    assert sum(f["asked"] for f in again["by_field"].values()) == 4


def test_quiz_leaves_every_card_state_as_it_was(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(deck(tmp_path))))
    ok(run("review", "--new", "3", input="\n5\n\n2\n\n4\n\n4\n"))  # one lapse to re-drill
    before = card_states(run.db)
    assert len(before) == 3
    asked = 0
    for mode, answers in (("mc", "2\n" * 11), ("typed", "iliotibial tract\n" * 11),
                          ("flip", "\n1\n" * 11)):  # fmt: skip
        result = run("quiz", "--mode", mode, "--count", "11", input=answers)
        assert "Your review schedule was not changed." in ok(result)
        asked += quiz_json(run, "--mode", mode, "--count", "11", input=answers)["asked"]
    assert asked == 10 + 11 + 11  # mc: the ten facts (a hand-written card has no options)
    assert card_states(run.db) == before  # no state moved, none created
    quiz_rows = [r for r in reviews(run.db) if r["kind"] == "quiz"]
    assert {r["mode"] for r in quiz_rows} == {"mc", "typed", "flip"}
    assert len(quiz_rows) == 2 * asked
    assert all(r["undoes_id"] is None for r in quiz_rows)


def test_quiz_answers_are_not_study_answers(run: Cli, tmp_path: Path) -> None:
    """Not the day's first grade, not a re-drill, not taken back by undo."""
    ok(run("import", str(deck(tmp_path))))
    # Quiz every card wrong today (flip, grade 0), before any review.
    ok(run("quiz", "--mode", "flip", "--count", "11", input="\n0\n" * 11))
    # The review session still sees 11 new cards and no re-drill; its first grades
    # schedule the cards as usual.
    out = ok(run("review", "--new", "2", input="\n5\n\n5\n"))
    assert "2 cards — 2 new, 0 reviews, 0 re-drills" in out
    assert "Next review in 1 day" in out
    assert len(card_states(run.db)) == 2
    # Now a wrong quiz answer again, then undo: it takes back the last *review*.
    ok(run("quiz", "--mode", "flip", "--count", "1", "--seed", "1", input="\n0\n"))
    out = ok(run("undo"))
    assert out.startswith("Took back grade 5")
    undone = [r for r in reviews(run.db) if r["kind"] == "undo"]
    assert len(undone) == 1
    kinds = {r["id"]: r["kind"] for r in reviews(run.db)}
    assert kinds[undone[0]["undoes_id"]] == "review"
    # The quiz's wrong answers left no re-drill behind: nothing is due today.
    assert "Nothing to review today" in ok(run("review", "--new", "0", input=""))


def test_typed_quiz_grades_and_records_a_confusion(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(deck(tmp_path))))
    document = quiz_json(run, "--mode", "typed", "--count", "11", "--seed", "3", input="")
    assert document["asked"] == 0  # nothing typed: nothing asked, still one JSON document
    # Answer every question with piriformis' insertion: right once, a confusion for the
    # other insertions.
    answer = "superior border of greater trochanter\n"
    document = quiz_json(run, "--mode", "typed", "--count", "11", "--seed", "3", input=answer * 11)
    items = {i["question"]: i for i in document["items"]}
    right = items["Where does piriformis insert?"]
    assert (right["correct"], right["grade"]) == (True, 5)
    medius = items["Where does gluteus medius insert?"]
    assert medius["correct"] is False and medius["grade"] <= 2
    assert medius["confused_with"] == "Piriformis"
    assert "options" not in medius
    confusions = rows(run.db, "SELECT card_id, confused_with_card_id, review_id FROM confusions")
    assert len(confusions) == 4  # the other four insertions
    assert all(c["review_id"] is not None for c in confusions)


def test_mc_wrong_pick_is_a_confusion_and_reprompts_on_bad_input(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(deck(tmp_path))))
    seed = ("--count", "1", "--seed", "4")
    preview = quiz_json(run, *seed, input="1\n")
    item = preview["items"][0]
    wrong = next(n for n, o in enumerate(item["options"], 1) if o != option_text(item["answer"]))
    result = run("quiz", *seed, input=f"9\nx\n{wrong}\n")
    out = ok(result)
    assert out.count("Type a number from 1 to 4 (or q).") == 2
    assert "Wrong. The answer is" in out
    assert "That is the " in out  # whose answer the wrong option was
    log = [r for r in reviews(run.db) if r["kind"] == "quiz"]
    assert [(r["mode"], r["quality"]) for r in log][-1] == ("mc", 1)
    assert log[-1]["typed_answer"] == item["options"][wrong - 1]
    confusions = rows(run.db, "SELECT review_id FROM confusions")
    assert log[-1]["id"] in [c["review_id"] for c in confusions]
    # q at the first question: nothing asked, still a summary and exit 0.
    assert "Quiz over: no question answered." in ok(run("quiz", *seed, input="q\n"))


def test_quiz_summary_breaks_down_by_field_and_lists_what_was_missed(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(deck(tmp_path))))
    out = ok(run("quiz", "--mode", "flip", "--count", "11", "--seed", "2", input="\n5\n\n1\n" * 6))
    assert "Quiz over: 6 of 11 right" in out
    assert "By field" in out and "insertion" in out and "innervation" in out
    assert out.count("  • ") == 5  # five missed, each with its answer
    assert "Seed 2: `--seed 2` asks this quiz again." in out


def test_a_small_deck_says_where_its_wrong_options_come_from(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(deck(tmp_path))))
    small = write(
        tmp_path / "deep.yaml",
        "deck: Anatomy::Lower limb::Gluteal region::Deep\nid: deep-gluteal\nstructures:\n"
        "  - name: Obturator internus\n    region: gluteal\n"
        "    insertion: Medial surface of the greater trochanter\n"
        "  - name: Gemellus superior\n    region: gluteal\n"
        "    insertion: Medial surface of the greater trochanter, with obturator internus\n",
    )
    ok(run("import", str(small)))
    result = run(
        "quiz", "Anatomy::Lower limb::Gluteal region::Deep", "--count", "2", input="1\n1\n"
    )
    ok(result)
    assert "related decks" in result.stderr  # the deck's own two are one answer
    assert "Quiz over" in result.stdout


def test_quiz_errors(run: Cli, tmp_path: Path) -> None:
    result = run("quiz", input="")
    assert result.exit_code == 1 and result.stderr.startswith("Error: no decks yet")
    ok(run("import", str(deck(tmp_path))))
    result = run("quiz", "Anatomy::Thorax", input="")
    assert result.exit_code == 1
    assert result.stderr.startswith("Error: no deck named 'Anatomy::Thorax'")
    assert run("quiz", "--count", "0", input="").exit_code == 2
    assert run("quiz", "--mode", "essay", input="").exit_code == 2
    assert "Traceback" not in result.output
    assert reviews(run.db) == []


def test_json_answers_are_written_as_the_options_are(run: Cli, tmp_path: Path) -> None:
    """A script finds each item's answer among its options, a list answer too."""
    ok(run("import", str(deck(tmp_path))))
    for seed in range(4):
        first = quiz_json(run, "--count", "6", "--seed", str(seed), input="1\n" * 6)
        for item in first["items"]:
            assert "\n" not in item["answer"]
            assert item["answer"] in item["options"], item
    flip = quiz_json(run, "--mode", "flip", "--count", "6", "--seed", "1", input="\n5\n" * 6)
    listed = [i["answer"] for i in flip["items"] if "Iliotibial" in i["answer"]]
    assert all(a == "Iliotibial tract; Gluteal tuberosity of the femur" for a in listed)


KNEE = """\
deck: Anatomy::Lower limb::Knee
id: knee
structures:
  - name: Vastus medialis
    region: thigh
    antagonist:
      answer: [Hamstrings, Gastrocnemius (knee flexion), Sartorius (knee flexion)]
      accept: [Semitendinosus, Semimembranosus, Biceps femoris]
  - name: Iliopsoas
    region: thigh
    antagonist:
      answer: [Gluteus maximus, Hamstrings, Adductor magnus (hamstring part)]
      accept: [Semitendinosus, Semimembranosus, Biceps femoris]
  - name: Tibialis anterior
    region: leg
    antagonist: [Gastrocnemius, Soleus, Semitendinosus (knee flexion)]
  - name: Gluteus medius
    region: gluteal
    antagonist: [Adductor longus, Adductor brevis, Pectineus]
  - name: Piriformis
    region: gluteal
    antagonist: [Gluteus minimus (medial rotation), Tensor fasciae latae]
"""


def test_a_name_one_card_offers_single_items_and_json_gives_the_one_offered(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    right = {"Hamstrings", "Gastrocnemius (knee flexion)", "Sartorius (knee flexion)"}
    for seed in range(8):
        document = quiz_json(run, "--count", "5", "--seed", str(seed), input="1\n" * 5)
        for item in document["items"]:
            assert item["answer"] in item["options"]
            assert all(";" not in o for o in item["options"]), item  # items, not lists
            if item["question"] == "Name an antagonist of vastus medialis.":
                assert item["answer"] in right
                wrong = set(item["options"]) - {item["answer"]}
                # No right item, no hamstring, nothing of the list in other words.
                assert not wrong & right
                assert not any(
                    w.split(" (")[0] in ("Semitendinosus", "Gastrocnemius", "Hamstrings")
                    for w in wrong
                ), wrong
    seed = ("--count", "5", "--seed", "0")
    first = quiz_json(run, *seed, input="1\n" * 5)
    picks = [
        next(n for n, o in enumerate(i["options"], 1) if o != i["answer"]) for i in first["items"]
    ]
    out = ok(run("quiz", *seed, input="".join(f"{p}\n" for p in picks)))
    assert "Any one of: " in out  # the other right items, after a wrong pick
    assert "That is an antagonist of " in out  # an item of another structure's list
