"""Help for every command, a fast start (no database or export library for --help),
and every command documented in the README."""

from __future__ import annotations

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

from flashcards.cli import cli

HEAVY = ("sqlalchemy", "genanki", "alembic", "psycopg")


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


def _modules_loaded_by(argv: list[str]) -> tuple[int, set[str]]:
    """Run the CLI as `flashcards ARGV` in a fresh interpreter; its exit code and modules."""
    code = (
        "import json, runpy, sys\n"
        f"sys.argv = ['flashcards', *{argv!r}]\n"
        "try:\n"
        "    runpy.run_module('flashcards', run_name='__main__')\n"
        "    status = 0\n"
        "except SystemExit as exc:\n"
        "    status = exc.code if isinstance(exc.code, int) else 1\n"
        "sys.stderr.write('\\nMODULES ' + json.dumps({'status': status, "
        "'modules': sorted({n.split('.')[0] for n in sys.modules})}))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=clean_env(), timeout=60
    )
    report = json.loads(result.stderr.rsplit("\nMODULES ", 1)[1])
    return int(report["status"]), set(report["modules"])


@pytest.mark.parametrize(
    "argv",
    [["--help"], ["review", "--help"], ["import", "--help"], ["review", "--new", "many"]],
    ids=["help", "review-help", "import-help", "usage-error"],
)
def test_help_and_usage_errors_do_not_import_the_database_or_anki(argv: list[str]) -> None:
    status, modules = _modules_loaded_by(argv)
    assert status == (2 if argv[-1] == "many" else 0)
    assert "click" in modules  # the CLI did run
    assert not modules & set(HEAVY), sorted(modules & set(HEAVY))


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
