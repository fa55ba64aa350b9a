"""Fuzzed input: generated deck files, CSV/TSV and Anki text files.

Every input ends in one of two ways: a clean result, or a `FlashcardsError` (the CLI's
`Error:` and exit 1); never another exception. Most examples go through the parsers
(cheap); a subset is imported into a real SQLite file, where a refused import must leave
the database exactly as it was. Card text carrying terminal escape sequences is imported
and shown by `cards` and `review`: no escape byte reaches the output.

The mutated and hostile `.apkg` files are in tests/test_anki_import_hostile.py.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from conftest import TODAY, Cli, ok, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flashcards.anki.text_import import read_text_file
from flashcards.authoring.decks import load_deck_set
from flashcards.errors import FlashcardsError

PARSE_EXAMPLES = 2000
IMPORT_EXAMPLES = 60
FAST = settings(
    max_examples=PARSE_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

VALID_DECK = """\
deck: Anatomy::Lower limb::Hip flexors
id: hip-flexors
tags: [lower-limb]
structures:
  - id: psoas-major
    name: Psoas major
    origin: Bodies and transverse processes of T12-L5
    insertion: Lesser trochanter of the femur
    innervation: Anterior rami of L1-L3
    action: Flexes the thigh at the hip
  - id: iliacus
    name: Iliacus
    origin: Iliac fossa
    insertion: Lesser trochanter of the femur
cards:
  - id: hip-basic
    q: Which muscle is the chief flexor of the hip?
    a: Iliopsoas
  - id: hip-cloze
    cloze: The {{c1::femoral nerve}} supplies {{c2::iliacus}}.
"""

VALID_CSV = "Front,Back,Tags\nPsoas major origin,T12-L5,hip\nIliacus origin,Iliac fossa,hip\n"
VALID_ANKI_TEXT = (
    "#separator:tab\n#html:true\n#deck:Anatomy::Hip\n#columns:Front\tBack\tTags\n"
    "Psoas major <b>origin</b>\tT12-L5\thip\nIliacus origin\tIliac fossa\thip\n"
)

# Text biased towards what breaks parsers: structure characters, quotes, escapes, odd
# whitespace, non-BMP and control characters.
CHARS = st.one_of(
    st.sampled_from(list(":-[]{}#&*!|>'\"%@`,\t\n \\;\x1b\x00\u2028\ufeff{{c1::}}")),
    st.characters(codec="utf-8"),
)
TEXT = st.text(CHARS, max_size=300)


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="fuzz-") as name:
        yield Path(name)


def mutations(valid: str) -> st.SearchStrategy[str]:
    """A valid file, cut, spliced, re-indented or salted with generated text."""

    @st.composite
    def mutate(draw: st.DrawFn) -> str:
        text = valid
        for _ in range(draw(st.integers(1, 4))):
            lines = text.split("\n")
            at = draw(st.integers(0, max(0, len(lines) - 1)))
            how = draw(st.sampled_from(["cut", "dup", "insert", "indent", "replace", "truncate"]))
            if how == "cut":
                del lines[at]
            elif how == "dup":
                lines.insert(at, lines[at])
            elif how == "insert":
                lines.insert(at, draw(TEXT))
            elif how == "indent":
                lines[at] = " " * draw(st.integers(0, 7)) + lines[at].lstrip()
            elif how == "replace":
                line = lines[at]
                cut = draw(st.integers(0, len(line)))
                lines[at] = line[:cut] + draw(TEXT) + line[cut + draw(st.integers(0, 5)) :]
            text = "\n".join(lines)
            if how == "truncate":
                text = text[: draw(st.integers(0, len(text)))]
        return text

    return mutate()


def raw_bytes(text: st.SearchStrategy[str]) -> st.SearchStrategy[bytes]:
    """The text as UTF-8, or damaged bytes (invalid UTF-8, a stray BOM, Latin-1)."""
    return st.one_of(
        text.map(lambda t: t.encode("utf-8")),
        st.tuples(text, st.binary(max_size=8)).map(lambda p: p[0].encode() + b"\xff\xfe" + p[1]),
        text.map(lambda t: t.encode("latin-1", "replace")),
    )


def parse_deck(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    with contextlib.suppress(FlashcardsError):
        load_deck_set([path])


def parse_text(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    with contextlib.suppress(FlashcardsError):
        read_text_file(path)


@FAST
@given(data=raw_bytes(st.one_of(TEXT, mutations(VALID_DECK))))
def test_generated_deck_files_parse_or_say_why(folder: Path, data: bytes) -> None:
    parse_deck(folder / "deck.yaml", data)


@FAST
@given(
    data=raw_bytes(st.one_of(TEXT, mutations(VALID_CSV))), suffix=st.sampled_from([".csv", ".tsv"])
)
def test_generated_csv_and_tsv_files_read_or_say_why(
    folder: Path, data: bytes, suffix: str
) -> None:
    parse_text(folder / f"cards{suffix}", data)


@FAST
@given(data=raw_bytes(st.one_of(TEXT, mutations(VALID_ANKI_TEXT))))
def test_generated_anki_text_files_read_or_say_why(folder: Path, data: bytes) -> None:
    parse_text(folder / "notes.txt", data)


# --- imported for real: all or nothing -------------------------------------------------


def fingerprint(path: Path) -> str:
    """Every row of every table (a refused import must change none)."""
    digest = hashlib.sha256()
    with sqlite3.connect(path) as db:
        tables = [
            r[0]
            for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        ]
        for table in tables:
            for row in db.execute(f'SELECT * FROM "{table}" ORDER BY rowid'):
                digest.update(repr(row).encode())
    return digest.hexdigest()


@settings(
    max_examples=IMPORT_EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    data=raw_bytes(
        st.one_of(mutations(VALID_DECK), mutations(VALID_CSV), mutations(VALID_ANKI_TEXT))
    ),
    suffix=st.sampled_from([".yaml", ".csv", ".txt"]),
)
def test_generated_files_import_cleanly_or_change_nothing(
    folder: Path, data: bytes, suffix: str
) -> None:
    from flashcards.study.context import App
    from flashcards.study.importing import import_deck_files

    database = folder / "fuzz.db"
    app = App(db=str(database), user_name="ana", today_override=TODAY)
    try:
        with app.session():
            pass  # the schema exists before the first fingerprint
        before = fingerprint(database)
        path = folder / f"fuzzed{suffix}"
        path.write_bytes(data)
        try:
            import_deck_files(app, [path])
        except FlashcardsError:
            assert fingerprint(database) == before, "a refused import changed the database"
    finally:
        app.close()


# --- escape sequences never reach the terminal -----------------------------------------

ESCAPES = st.sampled_from(
    ["\x1b[2J", "\x1b]0;pwned\x07", "\x1b[31m", "\x1bP+q\x1b\\", "\x9b1m", "\x07", "\x1b[?1049h"]
)


@settings(
    max_examples=14,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(escape=ESCAPES, where=st.sampled_from(["q", "a"]), fmt=st.sampled_from(["yaml", "tsv"]))
def test_escape_sequences_in_card_text_never_reach_the_terminal(
    folder: Path, escape: str, where: str, fmt: str
) -> None:
    question = "Which nerve supplies iliacus?"
    answer = "Femoral nerve"
    if where == "q":
        question = f"Which {escape}nerve supplies iliacus?"
    else:
        answer = f"Femoral {escape}nerve"
    root = Path(tempfile.mkdtemp(dir=folder))
    if fmt == "yaml":
        quoted = lambda s: '"' + s.encode("unicode_escape").decode().replace('"', '\\"') + '"'  # noqa: E731
        deck = write(
            root / "esc.yaml",
            "deck: Esc\nid: esc\ncards:\n  - id: c1\n"
            f"    q: {quoted(question)}\n    a: {quoted(answer)}\n",
        )
    else:
        deck = root / "esc.tsv"
        deck.write_text(f"{question}\t{answer}\n", encoding="utf-8")
    run = Cli(f"sqlite:///{root / 'esc.db'}")
    shown = (
        ok(run("import", str(deck)))
        + ok(run("cards", str(deck) if fmt == "yaml" else "esc"))
        + ok(run("review", input="\n5\n"))
    )
    assert "nerve" in shown  # the card was shown, its escape taken out
    for byte in ("\x1b", "\x9b", "\x07"):
        assert byte not in shown, f"{escape!r} reached the terminal"
