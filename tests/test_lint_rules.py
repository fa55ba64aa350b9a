"""The lint rules of formulating knowledge: a fixture breaking each rule gets exactly its
warning, `path:line: warning: <rule>: …`; `lint` passes on warnings, `lint --strict` fails."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import FIXTURES, Cli, write
from hypothesis import given, settings
from hypothesis import strategies as st

from flashcards.authoring.decks import load_deck_set
from flashcards.authoring.rules import RULES, cited_reference, count_words

LINT = FIXTURES / "lint"

# fixture -> the (line, rule) of every warning it gets, and a phrase of each message.
BROKEN = {
    "long-list.yaml": [
        (9, "long-list", "Sartorius action asks 5 items on one card (at most 4)"),
        (11, "long-list", "card 'sits' lists 5 things on one card"),
        (14, "long-list", "card 'lateral-rotators' lists 6 things on one card"),
    ],
    "long-answer.yaml": [(8, "long-answer", "Iliacus origin has 29 words (at most 20)")],
    "vague-cue.yaml": [
        (8, "vague-cue", "Piriformis clinical is plain text"),
        (10, "vague-cue", "'What is the clinical relevance of psoas major?' has no specific cue"),
    ],
    "citation.yaml": [
        (8, "citation", "Deltoid innervation says who says what ('Moore')"),
        (15, "citation", "Iliacus innervation says who says what ('some texts')"),
    ],
    "unknown-kind.yaml": [(7, "unknown-kind", "unknown kind 'musle' (did you mean 'muscle'?)")],
    "wrong-type.yaml": [
        (8, "wrong-type", "'insertion' is written as a number (5)"),
        (9, "wrong-type", "'origin' is written as a yes/no value (No)"),
        (12, "wrong-type", "'ask: each' of 'action' has no effect"),
    ],
}


def warnings_of(path: Path) -> list[tuple[str, int, str | None, str]]:
    _decks, problems = load_deck_set([path])
    assert all(p.severity == "warning" for p in problems), problems
    return [(p.path, p.line, p.code, p.message) for p in problems]


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_fixture_breaking_a_rule_gets_exactly_its_warnings(name: str) -> None:
    found = warnings_of(LINT / name)
    expected = BROKEN[name]
    assert [(line, rule) for _path, line, rule, _message in found] == [
        (line, rule) for line, rule, _phrase in expected
    ]
    for (_path, _line, rule, message), (_n, _rule, phrase) in zip(found, expected, strict=True):
        assert message.startswith(f"{rule}: "), message
        assert phrase in message, message


def test_every_rule_has_a_fixture_that_breaks_it() -> None:
    broken = {rule for found in BROKEN.values() for _line, rule, _phrase in found}
    assert broken | {"contradiction"} == set(RULES)


def test_two_files_disagreeing_on_a_fact_each_get_a_warning_naming_the_other() -> None:
    folder = LINT / "contradiction"
    found = warnings_of(folder)
    # The insertions differ by a full stop only: that is the same fact.
    assert [(Path(path).name, line, rule) for path, line, rule, _ in found] == [
        ("hip.yaml", 8, "contradiction"),
        ("spine.yaml", 8, "contradiction"),
    ]
    assert "'T12–L4 vertebrae' here but 'T12–L5 vertebrae' in " in found[0][3]
    assert f"{folder / 'spine.yaml'}:8" in found[0][3]
    assert f"{folder / 'hip.yaml'}:8" in found[1][3]


def test_the_clean_fixture_uses_every_addition_and_passes_strict(run_sqlite: Cli) -> None:
    result = run_sqlite("lint", "--strict", str(LINT / "clean.yaml"))
    assert result.exit_code == 0, result.output
    assert "0 error(s), 0 warning(s)" in result.output


@pytest.mark.parametrize("name", [*sorted(BROKEN), "contradiction"])
def test_lint_prints_each_warning_and_passes_but_strict_fails(run_sqlite: Cli, name: str) -> None:
    path = LINT / name
    plain = run_sqlite("lint", str(path))
    strict = run_sqlite("lint", "--strict", str(path))

    assert plain.exit_code == 0, plain.output
    lines = re.findall(r"^(\S+):(\d+): warning: ([a-z-]+): ", plain.stdout, re.MULTILINE)
    expected = 2 if name == "contradiction" else len(BROKEN[name])
    assert len(lines) == expected, plain.stdout
    assert strict.exit_code == 1
    assert strict.stdout == plain.stdout
    assert f"Error: 0 error(s), {expected} warning(s) (--strict fails on warnings)" in (
        strict.output
    )


def test_an_error_fails_lint_with_or_without_strict(run_sqlite: Cli, tmp_path: Path) -> None:
    path = write(tmp_path / "broken.yaml", "deck: A\nstructures:\n  - origin: x\n")
    for args in (("lint",), ("lint", "--strict")):
        result = run_sqlite(*args, str(path))
        assert result.exit_code == 1
        assert f"{path}:3: structure has no 'name'" in result.output


def test_a_long_list_asked_any_or_each_is_not_a_long_list(tmp_path: Path) -> None:
    items = "[Flexes the hip, Abducts the hip, Rotates the hip, Flexes the knee, Rotates the knee]"
    body = f"""\
deck: A
structures:
  - name: Sartorius
    action:
      answer: {items}
      ask: each
    origin:
      answer: {items}
      ask: any
    synergist: {items}
"""
    assert warnings_of(write(tmp_path / "a.yaml", body)) == []


def test_an_item_asked_alone_is_held_to_twenty_words_at_its_own_line(tmp_path: Path) -> None:
    long_item = " ".join(["word"] * 21)
    body = f"""\
deck: A
structures:
  - name: Sartorius
    action:
      answer:
        - Flexes the hip
        - {long_item}
      ask: each
"""
    found = warnings_of(write(tmp_path / "a.yaml", body))
    assert [(line, rule) for _p, line, rule, _m in found] == [(7, "long-answer")]


def test_a_citation_in_an_accepted_answer_or_a_cloze_gap_is_caught(tmp_path: Path) -> None:
    body = """\
deck: A
cards:
  - id: gap
    cloze: "Psoas major is supplied by {{c1::L1–L3 (Gray's)}}."
  - id: accepted
    q: What supplies psoas major?
    a: Anterior rami of L1–L3
    accept: [L1–L4 (Netter)]
"""
    found = warnings_of(write(tmp_path / "a.yaml", body))
    assert [(line, rule) for _p, line, rule, _m in found] == [(3, "citation"), (5, "citation")]


def test_notes_may_name_references(tmp_path: Path) -> None:
    body = """\
deck: A
structures:
  - name: Psoas major
    innervation:
      answer: Anterior rami of L1–L3
      note: Gray's and Moore's give L1–L3; some texts add L4 (Netter).
"""
    assert warnings_of(write(tmp_path / "a.yaml", body)) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("C5–C6; Moore: C4–C6", "Moore"),
        ("Gray's counts four", "Gray's"),
        ("(Thieme: C8–L1)", "Thieme"),
        ("as Kenhub says", "Kenhub"),
        ("Bogduk et al. showed", "Bogduk"),
        ("Standring 2020", "Standring"),
        ("L2–L4 in some texts", "some texts"),
        ("according to most references", "according to"),
        ("Gray ramus communicans", None),
        ("Grey and white rami communicantes", None),
        ("Lateral third of the clavicle", None),
    ],
)
def test_what_counts_as_a_citation(text: str, name: str | None) -> None:
    assert cited_reference(text) == name


@pytest.mark.parametrize(
    ("text", "words"),
    [("Axillary nerve (C5–C6)", 3), ("Flexes – and rotates", 3), ("", 0)],
)
def test_words_are_counted_as_a_reader_counts_them(text: str, words: int) -> None:
    assert count_words(text) == words


_ANSWER_TEXT = st.lists(
    st.sampled_from([*"ab ,;()-–\n\r\t\x0b\x0c\x1c\x85\u2028é", " and ", " or "]), max_size=60
).map("".join)


@settings(max_examples=400, deadline=None)
@given(_ANSWER_TEXT)
def test_the_quick_bounds_never_hide_a_long_answer_or_list(text: str) -> None:
    """Exact counts run only past a cheap bound: any text over a limit is past its bound."""
    from flashcards.authoring.model import MAX_ITEMS, MAX_WORDS
    from flashcards.authoring.rules import _over_parts, _over_words, list_parts

    assert _over_words(text) or count_words(text) <= MAX_WORDS
    assert _over_parts(text) or list_parts(text) <= MAX_ITEMS
