"""Reverse cards are planned only where some deck asks for them, once per import, and a
large deck set finds the same cards through its index of words as by comparing every
value with every other."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import write
from hypothesis import given
from hypothesis import strategies as st

from flashcards.authoring.cues import WordIndex, is_wording_of, says_at_least, value_words
from flashcards.authoring.decks import load_deck_set
from flashcards.authoring.reverse import KnownFact, plan_reverse_cards
from flashcards.study.importing import import_deck_files

THIGH = """\
deck: Anatomy::Thigh
id: thigh
{reverse}structures:
  - name: Gracilis
    kind: muscle
    insertion: Pes anserinus
  - name: Pectineus
    kind: muscle
    insertion: Pectineal line of the femur
    origin: Superior ramus of the pubis
"""


def thigh(folder: Path, reverse: str = "") -> Path:
    return write(folder / "thigh.yaml", THIGH.format(reverse=reverse))


def test_nothing_is_compared_when_no_deck_asks_for_reverse_cards(tmp_path: Path) -> None:
    decks, problems = load_deck_set([thigh(tmp_path)])
    value_words.cache_clear()
    plan = plan_reverse_cards(decks)
    assert (plan.notes, plan.problems, problems) == ({}, [], [])
    assert value_words.cache_info().misses == 0  # no value was even read


def test_a_database_deck_that_asks_is_still_checked_when_the_files_do_not(
    tmp_path: Path,
) -> None:
    # Sartorius's deck, in the database, asks (its card not yet stored); the file
    # imported asks for nothing but shares the value, and the import must say so.
    decks, _ = load_deck_set([thigh(tmp_path)])
    sartorius = KnownFact(
        "anterior-thigh", "sartorius", "Sartorius", "muscle", "insertion", ("Pes anserinus",), True
    )
    plan = plan_reverse_cards(decks, [sartorius], {})
    assert plan.notes == {}
    assert [(p.line, p.message) for p in plan.problems] == [
        (
            6,
            'the reverse card "Which muscles insert on the pes anserinus?" belongs to deck '
            "'anterior-thigh', which is not being imported; import it too to bring that "
            "card up to date",
        )
    ]


def test_an_import_plans_reverse_cards_once(tmp_path: Path, app: Any) -> None:
    # Every value differs, so a second planning could only be answered from the cache.
    path = thigh(tmp_path, "reverse: [insertion, origin]\n")
    value_words.cache_clear()
    report = import_deck_files(app, [path])
    assert report.counts.added == 3 + 3  # three facts, three reverse cards
    assert value_words.cache_info().hits == 0
    assert value_words.cache_info().misses == 3


def test_a_failed_load_still_reports_reverse_warnings(tmp_path: Path) -> None:
    asks = write(
        tmp_path / "a.yaml",
        "deck: A\nreverse: [action]\nstructures:\n"
        "  - {name: Sartorius, action: 'Through the fascia, the trunk'}\n",
    )
    broken = write(tmp_path / "b.yaml", "deck: B\nbogus: 1\n")
    _, passed = load_deck_set([asks], reverse_checks=False)
    assert passed == []
    _, failed = load_deck_set([asks, broken], reverse_checks=False)
    assert failed == load_deck_set([asks, broken])[1]
    assert {p.code for p in failed} == {None, "reverse"}


_WORDS = st.lists(st.sampled_from("abcdef"), max_size=6, unique=True).map(tuple)


@given(st.lists(_WORDS, min_size=1, max_size=30), _WORDS)
def test_the_word_index_finds_what_comparing_every_pair_finds(
    values: list[tuple[str, ...]], cue: tuple[str, ...]
) -> None:
    index = WordIndex(values)
    for specific in [*values, cue]:
        expected = [n for n, v in enumerate(values) if is_wording_of(v, specific)]
        assert sorted(index.wordings_of(specific)) == expected
    assert index.saying(cue) == [n for n, v in enumerate(values) if says_at_least(v, cue)]
