"""The global options (--db, --user, --today, --day-start) work before or after the
command name, and every command's help shows them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import KNEE, write
from test_cli_help import ALL_COMMANDS

from flashcards.cli import cli


def invoke(*args: str, input: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)
    return result.exit_code, result.output


@pytest.mark.parametrize("path", ALL_COMMANDS, ids=" ".join)
def test_every_command_help_shows_the_global_options(path: tuple[str, ...]) -> None:
    code, output = invoke(*path, "--help")
    assert code == 0, output
    for option in ("--db", "--user", "--today", "--day-start"):
        assert option in output, f"`flashcards {' '.join(path)} --help` lacks {option}"


def test_options_after_the_command_name(tmp_path: Path) -> None:
    db = str(tmp_path / "fc.db")
    deck = write(tmp_path / "knee.yaml", KNEE)
    code, output = invoke("import", str(deck), "--db", db, "--user", "ana")
    assert code == 0, output
    # Ana studies one card on 2026-11-20; it is due again on 2026-11-21.
    code, output = invoke(
        "review", "--new", "1", "--today", "2026-11-20", "--db", db, "--user", "ana",
        input="\n5\nq\n",
    )  # fmt: skip
    assert code == 0, output
    code, output = invoke("status", "--json", "--db", db, "--user", "ana", "--today", "2026-11-21")
    assert code == 0, output
    assert json.loads(output)["due"] == 1
    # The same, options split on both sides of the command; the later one wins.
    code, output = invoke(
        "--db", db, "--today", "2026-11-20", "status", "--user", "ana", "--today", "2026-11-21"
    )
    assert code == 0, output
    assert output.startswith("1 due now")
    # Another user (given after the command) has nothing due.
    invoke("--db", db, "review", "--user", "bob", "--today", "2026-11-21", input="q\n")
    code, output = invoke("--db", db, "status", "--user", "bob", "--today", "2026-11-21")
    assert output.startswith("0 due now")


def test_day_start_after_the_command(tmp_path: Path) -> None:
    code, output = invoke("status", "--db", str(tmp_path / "fc.db"), "--day-start", "30")
    assert code == 2
    assert "--day-start" in output


def test_an_empty_user_after_the_command_is_a_usage_error(tmp_path: Path) -> None:
    code, output = invoke("status", "--db", str(tmp_path / "fc.db"), "--user", " ")
    assert code == 2
    assert "--user" in output


def test_db_subcommands_take_db_after_their_name(tmp_path: Path) -> None:
    db = tmp_path / "fc.db"
    code, output = invoke("db", "upgrade", "--db", str(db))
    assert code == 0, output
    assert str(db) in output


def test_an_empty_db_is_refused_never_the_default_database(tmp_path: Path) -> None:
    """`--db "$DB"` with DB unset must not work on the student's real history."""
    runner = CliRunner()
    for args, env in (
        (["--db", "", "status"], {}),
        (["status", "--db", " "], {}),
        (["status"], {"FLASHCARDS_DB": ""}),
    ):
        result = runner.invoke(cli, args, env=env)
        assert result.exit_code == 2, result.output
        assert "--db / FLASHCARDS_DB: is empty" in result.output


@pytest.mark.parametrize(
    ("day", "reason"),
    [("2027-02-30", "day is out of range for month"), ("2027-13-01", "month must be in 1..12")],
)
def test_a_date_of_the_right_shape_that_is_no_real_day_is_named_so(
    tmp_path: Path, day: str, reason: str
) -> None:
    db = str(tmp_path / "fc.db")
    for args in (["--today", day, "status"], ["status", "--today", day]):
        code, output = invoke("--db", db, *args)
        assert code == 2
        assert f"'{day}' is not a real date: {reason}" in output
        assert "does not match the format" not in output
    result = CliRunner().invoke(cli, ["--db", db, "status"], env={"FLASHCARDS_TODAY": day})
    assert result.exit_code == 2
    assert f"'{day}' is not a real date: {reason} (set by FLASHCARDS_TODAY)" in result.output
    assert not (tmp_path / "fc.db").exists()
