"""One set of counts: `status`, `decks`, a session's header and its end summary say the
same due, new and re-drill numbers (flashcards.study.counts defines them once), and a
re-drill is counted as a re-drill everywhere, never as a due card."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import TODAY, Cli, ok, write

RIBS = "deck: Anatomy::Ribs\nid: ribs\ncards:\n" + "".join(
    f"  - {{id: r{i}, q: Rib question {i}?, a: Rib {i}}}\n" for i in range(1, 31)
)


def header(out: str) -> tuple[int, int, int, int]:
    m = re.search(r"(\d+) cards? — (\d+) new, (\d+) reviews?, (\d+) re-drills?", out)
    assert m, out
    return int(m[1]), int(m[2]), int(m[3]), int(m[4])


def left_at_end(out: str) -> int:
    m = re.search(r"(\d+) cards? left for today", out)
    return int(m[1]) if m else 0


def status(run: Cli) -> dict[str, int]:
    return dict(json.loads(ok(run("status", "--json"))))


def decks_top(run: Cli) -> dict[str, int]:
    rows = json.loads(ok(run("decks", "--json")))
    return next(r for r in rows if r["name"] == "Anatomy")


@pytest.mark.parametrize(
    "script",
    [
        "\n5\n\n2\n\n5\nq\n",  # a failure waiting for its re-drill when the session ends
        "\n1\n\n1\n\n1\n\n1\n\n5\nq\n",  # several
        "\n2\nu\n\n2\n\n4\ns\nq\n",  # undo, suspend
        "\n0\n\n5\n\n5\n\n5\n",  # standard input ends mid-session
    ],
)
def test_the_end_of_a_session_and_the_next_one_agree(run: Cli, tmp_path: Path, script: str) -> None:
    ok(run("import", str(write(tmp_path / "ribs.yaml", RIBS))))
    out = ok(run("review", "--new", "8", input=script))
    left = left_at_end(out)
    now = status(run)
    assert now["left"] == left == now["due"] + now["new"] + now["redrills"]
    following = ok(run("review", input="q\n"))
    total, new, reviews, redrills = header(following)
    assert (total, new, reviews, redrills) == (left, now["new"], now["due"], now["redrills"])
    deck = decks_top(run)
    assert deck["due"] == now["due"]  # a re-drill is not a due card …
    assert deck["redrills"] == now["redrills"]  # … it is a re-drill, in `decks` too


def test_a_re_drill_is_no_due_card_tomorrow_neither(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "ribs.yaml", RIBS))))
    ok(run("review", "--new", "3", input="\n2\n\n5\n\n5\nq\n"))
    now = status(run)
    assert (now["due"], now["redrills"]) == (0, 1)
    assert ok(run("status")).startswith("0 due now · 17 new today · 1 re-drill · ")
    tomorrow = TODAY.replace(day=TODAY.day + 1)
    later = json.loads(ok(run("status", "--json", today=tomorrow)))
    assert (later["due"], later["redrills"]) == (3, 0)


def test_import_says_notes_and_cards(run: Cli, tmp_path: Path) -> None:
    cloze = write(
        tmp_path / "cloze.yaml",
        "deck: Anatomy::Cloze\nid: cloze\ncards:\n"
        "  - cloze: 'The {{c1::femur}} meets the {{c2::tibia}}.'\n"
        "  - {id: q1, q: Which bone is longest?, a: Femur}\n",
    )
    out = ok(run("import", str(cloze)))
    assert "notes added 2" in out and "2 notes, 3 cards in these decks" in out
    document = json.loads(ok(run("import", str(cloze), "--json")))
    assert (document["unchanged"], document["notes"], document["cards"]) == (2, 2, 3)
    assert decks_top(run)["cards"] == 3


def test_the_progress_line_counts_cards_not_answers(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "ribs.yaml", RIBS))))
    out = ok(run("review", "--new", "4", input="\n1\n\n5\n\n5\n\n5\n\n5\n"))
    lines = re.findall(r"(\d+) done · (\d+) left", out)
    totals = {int(done) + int(left) for done, left in lines}
    assert totals == {4}, lines  # four cards, however often one is asked
