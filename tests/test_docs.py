"""The documentation against the program: every command shown in README.md and docs/*.md
exists, the README stays short enough to read in one go, and every relative link reaches
a file (and, for a `#heading` link, a heading of that file)."""

from __future__ import annotations

import re
import shlex
from collections.abc import Iterator
from pathlib import Path

import click
import pytest
from click.testing import CliRunner, Result
from conftest import REPO

from flashcards.cli import cli

README = REPO / "README.md"
DOCS = [README, *sorted((REPO / "docs").glob("*.md"))]
README_LIMIT = 12_000

FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
SHOWN_COMMAND = re.compile(r"^(?:\$ )?flashcards (.*)$")


def _name(path: Path) -> str:
    return path.relative_to(REPO).as_posix()


# Commands shown in fenced code blocks.


def fenced_lines(text: str) -> Iterator[tuple[int, str]]:
    """(line number, line) for each line inside a fenced code block."""
    fence: str | None = None
    for number, line in enumerate(text.splitlines(), start=1):
        match = FENCE.match(line)
        if fence is None:
            if match:
                fence = match.group(1)
        elif match and match.group(1)[0] == fence[0] and len(match.group(1)) >= len(fence):
            if not line.strip()[len(match.group(1)) :].strip():
                fence = None
        else:
            yield number, line


def _options_with_a_value(command: click.Command) -> set[str]:
    """The spellings of the options of COMMAND that take a value (`--db URL`)."""
    names: set[str] = set()
    for param in command.params:
        if isinstance(param, click.Option) and not param.is_flag and not param.count:
            names.update(param.opts)
    return names


GLOBAL_OPTIONS = _options_with_a_value(cli)


def command_words(line: str) -> tuple[str, ...] | None:
    """The command words of a shown `flashcards …` line: `("db", "upgrade")` for
    `$ flashcards --db X db upgrade --backed-up`; None when the line runs no command.

    Global options before the command are skipped with their values. A word after a
    group is its sub-command; after any other command, words are arguments."""
    match = SHOWN_COMMAND.match(line.strip())
    if match is None:
        return None
    try:
        tokens = shlex.split(match.group(1), comments=True)
    except ValueError:  # an unbalanced quote: whitespace is enough for the command words
        tokens = re.sub(r"\s#.*", "", match.group(1)).split()
    words: list[str] = []
    group: click.Group | None = cli
    rest = iter(tokens)
    for token in rest:
        if not words and token.partition("=")[0] in GLOBAL_OPTIONS:
            if "=" not in token:
                next(rest, None)  # the option's value
            continue
        if token.startswith("-"):
            break
        words.append(token)
        command = group.get_command(click.Context(group), token) if group else None
        if not isinstance(command, click.Group):
            break
        group = command
    return tuple(words) or None


def shown_commands() -> dict[tuple[str, ...], str]:
    """Each distinct command shown in the documents, with the first place it is shown."""
    found: dict[tuple[str, ...], str] = {}
    for doc in DOCS:
        for number, line in fenced_lines(doc.read_text(encoding="utf-8")):
            words = command_words(line)
            if words is not None:
                found.setdefault(words, f"{_name(doc)}:{number}")
    return found


SHOWN = shown_commands()


def help_of(words: tuple[str, ...]) -> Result:
    return CliRunner().invoke(cli, [*words, "--help"], prog_name="flashcards")


@pytest.mark.parametrize("words", sorted(SHOWN), ids=" ".join)
def test_every_shown_command_exists(words: tuple[str, ...]) -> None:
    result = help_of(words)
    assert result.exit_code == 0, (
        f"`flashcards {' '.join(words)}` (shown at {SHOWN[words]}) is not a command: "
        f"`--help` exited {result.exit_code}\n{result.output}"
    )


def test_the_documents_show_the_main_commands() -> None:
    """The extraction finds something: an empty list would pass every check above."""
    expected = {("review",), ("import",), ("lint",), ("quiz",), ("export",), ("db", "upgrade")}
    assert expected <= set(SHOWN), f"missing from the code blocks: {expected - set(SHOWN)}"


COMMAND_LINES = [
    ("flashcards review", ("review",)),
    ("flashcards review decks/   # today's session", ("review",)),
    ('$ flashcards review "Anatomy::Lower limb" --new 3', ("review",)),
    ("$ flashcards db upgrade --backed-up", ("db", "upgrade")),
    ("flashcards db grant ana --password ana-secret", ("db", "grant")),
    ("flashcards --db x.db --user ana --today 2026-03-02 review --new 3", ("review",)),
    ('$ flashcards --db=x.db --user "Ben Okafor" --day-start 5 db check', ("db", "check")),
    ("flashcards nosuchcommand --json", ("nosuchcommand",)),
    ("flashcards --help", None),
    ("flashcards/        the application", None),
    ("printf '\\n5\\nq\\n' | flashcards review", None),
    ("Role ana (created) studies as new user ana.", None),
]


@pytest.mark.parametrize(
    ("line", "words"), COMMAND_LINES, ids=[line for line, _words in COMMAND_LINES]
)
def test_command_words_are_read_as_shown(line: str, words: tuple[str, ...] | None) -> None:
    assert command_words(line) == words


def test_only_fenced_lines_are_read() -> None:
    text = "flashcards a\n```sh\nflashcards review\n```\nflashcards b\n~~~\nflashcards x\n~~~\n"
    assert list(fenced_lines(text)) == [(3, "flashcards review"), (7, "flashcards x")]


@pytest.mark.parametrize(
    "line", ["flashcards nosuchcommand", "$ flashcards --db x.db db nosuchcommand"]
)
def test_the_checker_rejects_a_made_up_command(line: str) -> None:
    words = command_words(line)
    assert words is not None
    assert help_of(words).exit_code != 0


# The README's length.


def test_the_readme_is_short() -> None:
    size = len(README.read_text(encoding="utf-8"))
    assert size < README_LIMIT, f"README.md has {size} characters; move reference to docs/"


# Relative links.

INLINE_LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s*\[[^\]]+\]:\s*<?(\S+?)>?(?:\s.*)?$", re.MULTILINE)
SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def without_code_blocks(text: str) -> str:
    """TEXT with its fenced code blocks blanked out, line numbers kept."""
    code = {number for number, _line in fenced_lines(text)}
    return "\n".join(
        "" if number in code or FENCE.match(line) else line
        for number, line in enumerate(text.splitlines(), start=1)
    )


def prose(text: str) -> str:
    """TEXT without its code blocks and code spans, where brackets are not links."""
    return re.sub(r"(`+)(?:(?!\1).)+?\1", "", without_code_blocks(text), flags=re.DOTALL)


def heading_anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings of a Markdown text."""
    anchors: set[str] = set()
    seen: dict[str, int] = {}
    for line in without_code_blocks(text).splitlines():
        match = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
        if not match:
            continue
        slug = re.sub(r"[^\w\- ]", "", match.group(1).lower()).replace(" ", "-")
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        anchors.add(slug if count == 0 else f"{slug}-{count}")
    return anchors


def relative_links() -> list[tuple[Path, str]]:
    links: list[tuple[Path, str]] = []
    for doc in DOCS:
        text = prose(doc.read_text(encoding="utf-8"))
        targets = INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)
        links += [(doc, target) for target in targets if not SCHEME.match(target)]
    return list(dict.fromkeys(links))


LINKS = relative_links()


@pytest.mark.parametrize(
    ("doc", "target"), LINKS, ids=[f"{_name(doc)} -> {target}" for doc, target in LINKS]
)
def test_every_relative_link_reaches_a_file(doc: Path, target: str) -> None:
    path, _, anchor = target.partition("#")
    file = (doc.parent / path).resolve() if path else doc
    assert file.exists(), f"{_name(doc)} links to {target}: no such file"
    if anchor and file.suffix == ".md":
        anchors = heading_anchors(file.read_text(encoding="utf-8"))
        assert anchor in anchors, f"{_name(doc)} links to {target}: no such heading"


def test_links_are_found() -> None:
    """The link search finds the README's links to every page of docs/."""
    linked = {target for doc, target in LINKS if doc == README}
    pages = {f"docs/{page.name}" for page in DOCS if page != README}
    assert pages <= linked, f"docs pages the README does not link: {pages - linked}"


# Shown output against the program: commands of docs/class.md and docs/data.md run again
# (on an SQLite file: what they print does not depend on the engine), and the lines the
# page shows after them must be what they print now.


def shown_output(doc: str, command_start: str, lines: int) -> list[str]:
    """The ``lines`` lines a page shows after its command line starting so."""
    text = (REPO / "docs" / doc).read_text(encoding="utf-8").splitlines()
    (at,) = [i for i, line in enumerate(text) if line.startswith(command_start)]
    return text[at + 1 : at + 1 + lines]


def test_the_class_pages_review_output_is_what_review_prints(tmp_path: Path) -> None:
    from conftest import DECKS, Cli, ok

    run = Cli(f"sqlite:///{tmp_path / 'class.db'}")
    ok(run("import", str(DECKS)))
    ana = run(
        "review", "--new", "3", "Anatomy::Lower limb::Hip flexors", user="ana",
        input="\n5\n\n4\n\n2\nq\n",
    )  # fmt: skip
    ben = run("review", user="Ben Okafor", input="\n5\nq\n")
    shown_ana = shown_output("class.md", "$ printf '\\n5\\n\\n4\\n\\n2\\nq\\n' |", 3)
    shown_ben = shown_output("class.md", "$ printf '\\n5\\nq\\n' |", 2)
    # The session's time is whatever it took.
    printed_ana = [re.sub(r"time \d+ s", "time 0 s", x) for x in ok(ana).splitlines()[-3:]]
    assert printed_ana == shown_ana
    assert ok(ben).splitlines()[-2:] == shown_ben


def test_the_data_pages_restore_errors_are_what_restore_prints(tmp_path: Path) -> None:
    import sqlite3

    from conftest import KNEE, Cli, ok, write

    run = Cli(f"sqlite:///{tmp_path / 'f.db'}")
    ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
    ok(run("review", input="\n5\n\n4\n\n3\n"))
    write(tmp_path / "notes.txt", "hello")
    ok(run("backup", str(tmp_path / "damaged.db")))
    with sqlite3.connect(tmp_path / "damaged.db") as db:
        db.execute("UPDATE card_states SET interval = 99 WHERE id = 1")
    for name in ("notes.txt", "damaged.db"):
        result = run("restore", str(tmp_path / name))
        printed = result.stderr.replace(f"{tmp_path}/", "").splitlines()
        assert printed == shown_output("data.md", f"$ flashcards restore {name}", 1)
