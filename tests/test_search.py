"""`flashcards search` (Anki's search syntax), `suspend`, `unsuspend`, `forget`, and the
undo of what they and a session's `s` did, on both engines."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, Cli, ok, write

from flashcards.search import AllOf, AnyOf, Not, Prop, Rated, SearchError, Term, parse_search

DECK = """\
deck: Anatomy::Lower limb::Anterior thigh
id: thigh
tags: [lower-limb, muscles::thigh]
structures:
  - name: Sartorius
    kind: muscle
    origin: Anterior superior iliac spine
    insertion: Pes anserinus
    innervation: Femoral nerve
  - name: Pectineus
    kind: muscle
    origin: Pectineal line of the pubis
    innervation: Femoral nerve
"""
KNEE = """\
deck: Anatomy::Knee
id: knee
cards:
  - id: knee-1
    q: Which muscle unlocks the extended knee?
    a: Popliteus
  - id: knee-2
    q: Which bone has the adductor tubercle?
    a: Femur
"""


def test_the_syntax_reads_as_anki_reads_it() -> None:
    assert parse_search('deck:"Anatomy::Lower limb" is:due') == AllOf(
        (Term("deck", "Anatomy::Lower limb"), Term("is", "due"))
    )
    assert parse_search("a b or c") == AnyOf(
        (AllOf((Term(None, "a"), Term(None, "b"))), Term(None, "c"))
    )
    assert parse_search("-(is:new or tag:x) prop:ease<2.1 rated:7:1") == AllOf(
        (
            Not(AnyOf((Term("is", "new"), Term("tag", "x")))),
            Prop("ease", "<", 2.1),
            Rated(7, 1),
        )
    )
    assert parse_search('"lesser trochanter"') == Term(None, "lesser trochanter")
    assert parse_search('"deck:Lower limb"') == Term("deck", "Lower limb")


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "empty"),
        ("is:old", "unknown 'is:old'"),
        ("prop:lapses>>2", "cannot read 'prop:lapses>>2'"),
        ("rated:0", "cannot read 'rated:0'"),
        ("(a or b", "never closed"),
        ('"open', "unclosed quote"),
        ("front:dog", "unknown search 'front:'"),
    ],
)
def test_a_mistake_in_a_search_is_named(query: str, message: str) -> None:
    with pytest.raises(SearchError, match=message):
        parse_search(query)


@pytest.fixture
def studied(run: Cli, tmp_path: Path) -> Cli:
    """Two decks; on day 0 the five thigh cards answered 5, 5, 1, 5, 5 (then the re-drill 4)."""
    ok(
        run(
            "import",
            str(write(tmp_path / "thigh.yaml", DECK)),
            str(write(tmp_path / "k.yaml", KNEE)),
        )
    )
    ok(run("review", "thigh", input="\n5\n\n5\n\n1\n\n5\n\n5\n\n4\nq\n"))
    return run


def found(run: Cli, *query: str, today: dt.date = TODAY) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = json.loads(ok(run("search", *query, "--json", today=today)))
    return result


def questions(run: Cli, *query: str) -> set[str]:
    return {card["question"] for card in found(run, *query)}


def test_search_filters_as_the_syntax_says(studied: Cli) -> None:
    run = studied
    assert len(found(run, "deck:Anatomy")) == 7
    assert questions(run, "deck:Anatomy::Knee") == {
        "Which muscle unlocks the extended knee?",
        "Which bone has the adductor tubercle?",
    }
    assert len(found(run, "deck:*thigh")) == 5  # five facts (insertion only for sartorius)
    assert len(found(run, "tag:muscles")) == 5  # a tag and the tags under it
    assert len(found(run, "is:new")) == 2
    assert len(found(run, "is:review")) == 5
    assert len(found(run, "is:due")) == 0
    assert len(found(run, "is:due", today=TODAY + dt.timedelta(days=1))) == 5
    assert len(found(run, "field:innervation")) == 2
    assert len(found(run, "prop:lapses>=0", "is:review")) == 5
    assert len(found(run, "prop:ivl>=1")) == 5
    assert len(found(run, "prop:ease<2.5")) == 1  # the card graded 1
    assert len(found(run, "rated:1")) == 5
    assert len(found(run, "rated:1:1")) == 1
    assert questions(run, "femoral", "-field:innervation") == set()
    assert len(found(run, "popliteus or femur")) == 2
    assert found(run, "sartorius", "field:origin")[0]["answer"] == "Anterior superior iliac spine"


def test_search_prints_a_table_and_says_when_nothing_matches(studied: Cli) -> None:
    table = ok(studied("search", "deck:Anatomy::Knee"))
    for heading in ("Question", "Deck", "Due", "Interval", "Ease", "Lapses"):
        assert heading in table
    assert "2 card(s)" in table
    assert "No card matches" in ok(studied("search", "nothing-like-this"))
    bad = studied("search", "is:old")
    assert bad.exit_code == 1 and "Error: unknown 'is:old'" in bad.output


def test_suspend_unsuspend_and_forget_act_on_what_search_lists(studied: Cli) -> None:
    run = studied
    assert "Suspended 2 card(s)" in ok(run("suspend", "field:innervation"))
    assert len(found(run, "is:suspended")) == 2
    said = ok(run("suspend", "deck:*thigh", "field:innervation"))
    assert "Suspended 0 card(s); 2 of the 2 found were suspended already" in said
    assert "Unsuspended 2 card(s)" in ok(run("unsuspend", "is:suspended"))
    assert found(run, "is:suspended") == []
    assert "Forgot 5 card(s)" in ok(run("forget", "is:review"))
    assert len(found(run, "is:new")) == 7
    stats = json.loads(ok(run("stats", "--json")))
    assert stats["reviews_total"] == 6  # the log is kept
    assert ok(run("doctor")).startswith("OK")


def test_undo_takes_back_a_whole_command(studied: Cli) -> None:
    run = studied
    ok(run("forget", "is:review"))
    assert "Took back forgetting 5 cards" in ok(run("undo"))
    assert len(found(run, "is:review")) == 5
    ok(run("suspend", "deck:Anatomy::Knee"))
    assert "Took back the suspension of 2 cards" in ok(run("undo"))
    assert found(run, "is:suspended") == []
    assert ok(run("undo")).startswith("Took back grade 4")  # then the grades, last first
    assert ok(run("doctor")).startswith("OK")


def test_undo_after_a_suspension_in_a_session_takes_back_the_suspension(studied: Cli) -> None:
    """The grade given before the suspension is not the one taken back."""
    run = studied
    tomorrow = TODAY + dt.timedelta(days=1)
    out = ok(run("review", "knee", input="\n5\ns\nq\n", today=tomorrow))
    assert "Suspended" in out
    said = ok(run("undo", today=tomorrow))
    assert said.startswith("Took back the suspension of: Which bone has the adductor tubercle?")
    assert found(run, "is:suspended") == []
    assert len(found(run, "rated:1", today=tomorrow)) == 1  # the grade stands


def test_u_in_a_session_takes_back_a_suspension_and_the_card_comes_again(
    studied: Cli,
) -> None:
    out = ok(studied("review", "knee", input="\ns\nu\n\n4\nq\n"))
    assert "Took back the suspension: that card comes again." in out
    assert out.count("Which muscle unlocks the extended knee?") == 2
    assert found(studied, "is:suspended") == []
    assert len(found(studied, "deck:Anatomy::Knee", "rated:1:4")) == 1
