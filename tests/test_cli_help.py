"""Help for every command, a fast start (no command module, database or export library
for --help), the command list true to each command, and every command in the README."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner
from conftest import REPO
from hypothesis import given
from hypothesis import strategies as st

from flashcards.cli import COMMANDS, FlashcardsGroup, IsoDate, UnloadedCommand, cli

HEAVY = ("sqlalchemy", "genanki", "alembic", "psycopg")
COMMAND_MODULES = {target.partition(":")[0] for target, _summary in COMMANDS.values()}


def command_paths(
    group: click.Group = cli, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[str, ...]]:
    """Every command's name path (``("db", "upgrade")`` for a sub-command)."""
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None
        yield (*prefix, name)
        if isinstance(command, click.Group):
            yield from command_paths(command, (*prefix, name))


ALL_COMMANDS = list(command_paths())


def clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if not k.startswith("FLASHCARDS_")}


def test_the_cli_has_the_core_commands() -> None:
    top = {path[0] for path in ALL_COMMANDS}
    assert {"import", "lint", "cards", "review", "undo", "decks"} <= top


def test_top_level_help_lists_every_command() -> None:
    result = CliRunner().invoke(cli, ["--help"], prog_name="flashcards")
    assert result.exit_code == 0
    assert result.output.startswith("Usage: flashcards [OPTIONS] COMMAND [ARGS]...")
    for option in ("--db", "--user", "--today"):
        assert option in result.output
    listed = re.findall(r"^  (\S+)  ", result.output.split("Commands:")[1], re.M)
    assert sorted(listed) == sorted(path[0] for path in ALL_COMMANDS if len(path) == 1)


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=" ".join)
def test_every_command_has_help(path: tuple[str, ...]) -> None:
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="flashcards")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"Usage: flashcards {' '.join(path)}")
    summary = result.output.split("\n\n")[1].strip()
    assert summary, f"`flashcards {' '.join(path)}` has no description"


def test_python_dash_m_flashcards_help() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "flashcards", "--help"],
        capture_output=True,
        text=True,
        env=clean_env(),
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("Usage: flashcards [OPTIONS] COMMAND")
    assert result.stderr == ""


def _modules_loaded_by(
    argv: list[str], env: dict[str, str] | None = None
) -> tuple[int, str, set[str]]:
    """Run the CLI as `flashcards ARGV` in a fresh interpreter: exit code, output, modules."""
    code = (
        "import json, runpy, sys\n"
        f"sys.argv = ['flashcards', *{argv!r}]\n"
        "try:\n"
        "    runpy.run_module('flashcards', run_name='__main__')\n"
        "    status = 0\n"
        "except SystemExit as exc:\n"
        "    status = exc.code if isinstance(exc.code, int) else 1\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps({'status': status, "
        "'modules': sorted(sys.modules)}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**clean_env(), **(env or {})},
        timeout=60,
    )
    report = json.loads(result.stderr.rsplit("\nMODULES ", 1)[1])
    return int(report["status"]), result.stdout, set(report["modules"])


def _packages(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["review", "--help"], ["import", "--help"], ["review", "--new", "many"]],
    ids=["help", "review-help", "import-help", "usage-error"],
)
def test_help_and_usage_errors_do_not_import_the_database_or_anki(argv: list[str]) -> None:
    status, _output, modules = _modules_loaded_by(argv)
    assert status == (2 if argv[-1] == "many" else 0)
    assert "click" in _packages(modules)  # the CLI did run
    assert not _packages(modules) & set(HEAVY), sorted(_packages(modules) & set(HEAVY))


def test_top_level_help_imports_no_command_module_and_lists_them_as_they_are() -> None:
    """`flashcards --help` lists every command from the table alone: no command module,
    no rich; and the list is the one click would print from the commands themselves."""
    status, output, modules = _modules_loaded_by(["--help"], env={"COLUMNS": "80"})
    assert status == 0
    assert sorted(modules & COMMAND_MODULES) == []
    assert sorted(_packages(modules) & {*HEAVY, "rich", "yaml"}) == []
    from_commands = click.Group(commands=[loaded(name) for name in COMMANDS])
    assert output.split("\n\n")[-1] == _command_list(from_commands, 78)


def test_a_command_module_loads_only_when_that_command_is_asked_for() -> None:
    status, _output, modules = _modules_loaded_by(["status", "--help"])
    assert status == 0
    assert sorted(modules & COMMAND_MODULES) == ["flashcards.cli.status"]


def loaded(name: str) -> click.Command:
    target, _summary = COMMANDS[name]
    return UnloadedCommand(name, target, "").load()


def _command_list(group: click.Group, width: int) -> str:
    formatter = click.HelpFormatter(width=width)
    group.format_commands(click.Context(group, info_name="flashcards"), formatter)
    return formatter.getvalue()


@pytest.mark.parametrize("name", COMMANDS)
def test_the_command_table_matches_each_command(name: str) -> None:
    """The table's entry names the command, and its summary reads as the command's own
    help does in the command list, at any width."""
    target, summary = COMMANDS[name]
    command = loaded(name)
    assert command.name == name
    assert not command.hidden
    unloaded = UnloadedCommand(name, target, summary)
    for limit in range(10, 160):
        assert unloaded.get_short_help_str(limit) == command.get_short_help_str(limit), limit


@pytest.mark.parametrize("width", [50, 78, 120])
def test_the_command_list_is_the_same_before_and_after_loading(width: int) -> None:
    table = FlashcardsGroup(
        commands=[UnloadedCommand(name, *entry) for name, entry in COMMANDS.items()]
    )
    from_commands = click.Group(commands=[loaded(name) for name in COMMANDS])
    assert _command_list(table, width) == _command_list(from_commands, width)
    assert all(isinstance(command, UnloadedCommand) for command in table.commands.values())


def test_a_mistyped_command_is_still_matched_against_every_command() -> None:
    result = CliRunner().invoke(
        FlashcardsGroup(
            "flashcards",
            commands=[UnloadedCommand(name, *entry) for name, entry in COMMANDS.items()],
        ),
        ["reveiw"],
    )
    assert result.exit_code == 2
    assert "No such command 'reveiw'. Did you mean 'review'?" in result.output


def test_every_command_is_documented_in_the_readme() -> None:
    readme = REPO / "README.md"
    assert readme.exists(), "README.md is missing"
    text = readme.read_text(encoding="utf-8")
    missing = [
        " ".join(path)
        for path in ALL_COMMANDS
        if not re.search(rf"(?<![\w-])flashcards {re.escape(' '.join(path))}(?![\w-])", text)
    ]
    assert missing == [], f"not in README.md as `flashcards <name>`: {missing}"


@given(
    st.one_of(
        st.from_regex(r"\A[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"),
        st.dates().map(str),
        st.text(max_size=12),
    )
)
def test_today_reads_a_date_exactly_as_click_datetime_does(text: str) -> None:
    """`--today` reads well-formed dates on a fast path; the outcome, value or error
    message, is click.DateTime's own, but for a YYYY-MM-DD that is no real day
    (2027-02-30), which is named so rather than "does not match the format"."""

    def outcome(kind: click.ParamType) -> object:
        try:
            return kind.convert(text, None, None)
        except click.BadParameter as exc:
            return exc.message

    try:
        shaped = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text) is not None
        real = shaped and bool(dt.date.fromisoformat(text))
    except ValueError:
        real = False
    if shaped and not real:
        message = outcome(IsoDate())
        assert isinstance(message, str) and message.startswith(f"{text!r} is not a real date: ")
    else:
        assert outcome(IsoDate()) == outcome(click.DateTime(formats=["%Y-%m-%d"]))
