"""The commands flashcards prints for a PostgreSQL backup and restore run as printed once
the user puts in their password; a kind of database we do not support gets the same
error from `backup` and `restore` as from every other command."""

from __future__ import annotations

import os
import shlex
import subprocess
from pathlib import Path

import pytest
from conftest import KNEE, Cli, _create_pg_database, _drop_pg_database, ok, write
from sqlalchemy import text
from sqlalchemy.engine import make_url

from flashcards.study.backup import pg_dump_command, pg_tool_command
from flashcards_db.engine import make_engine

PASSWORD = "s3cret-word"
TABLES = ("users", "notes", "cards", "card_states", "reviews")


def _counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return {t: int(connection.scalar(text(f"SELECT count(*) FROM {t}"))) for t in TABLES}
    finally:
        engine.dispose()


def _printed_command(output: str, program: str) -> str:
    lines = [line.strip() for line in output.splitlines() if f"{program} " in line]
    assert len(lines) == 1, output
    return lines[0]


def _url_in(command: str) -> str:
    for word in shlex.split(command.replace("$(date +%Y%m%dT%H%M%S)", "D")):
        if word.startswith(("postgresql://", "--dbname=postgresql://")):
            return word.removeprefix("--dbname=")
    raise AssertionError(f"no URL in {command}")


def _run_as_the_user(command: str, cwd: Path) -> None:
    """The printed command as a user runs it: the placeholder replaced by the password."""
    assert "<your password>" in command and PASSWORD not in command
    env = {**os.environ, "PATH": f"{_pg_bin_dir()}:{os.environ.get('PATH', '')}"}
    env.pop("PGPASSWORD", None)
    done = subprocess.run(
        ["bash", "-c", command.replace("<your password>", PASSWORD)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, f"{command}\n{done.stderr}"


def _pg_bin_dir() -> str:
    from pgserver import find_bin

    found = find_bin("pg_dump")
    return str(Path(found).parent) if found else ""


def test_every_printed_url_carries_no_password_not_even_a_placeholder() -> None:
    """A password in the URL, even ``***``, wins over PGPASSWORD and the tool fails."""
    db = f"postgresql+psycopg://prof:{PASSWORD}@127.0.0.1:55432/anatomy"
    for command in (
        pg_dump_command(db),
        pg_tool_command(db, "pg_restore --dbname=", "FILE"),
    ):
        url = make_url(_url_in(command))
        assert url.password is None and url.username == "prof", command
        assert url.drivername == "postgresql" and url.database == "anatomy", command
        assert "***" not in command and PASSWORD not in command
        assert command.startswith("PGPASSWORD='<your password>' pg_")
    # Without a password in --db the user's own way (~/.pgpass, a prompt) is left alone.
    assert not pg_dump_command("postgresql+psycopg://prof@h/anatomy").startswith("PGPASSWORD")


def test_the_printed_pg_dump_and_pg_restore_commands_run(pg_server: str, tmp_path: Path) -> None:
    if not _pg_bin_dir():
        pytest.skip("pg_dump is not installed: the printed commands cannot be run here")
    url, handle = _create_pg_database(pg_server)
    target, target_handle = _create_pg_database(pg_server)
    try:
        # The test server trusts its connections: the password only has to be kept out
        # of the URL so that it cannot override PGPASSWORD.
        with_password = make_url(url).set(password=PASSWORD).render_as_string(False)
        run = Cli(with_password)
        ok(run("import", str(write(tmp_path / "knee.yaml", KNEE))))
        ok(run("review", input="\n5\n\n4\n"))
        dump = _printed_command(ok(run("backup")), "pg_dump")
        assert "***" not in dump and PASSWORD not in dump
        _run_as_the_user(dump, tmp_path)
        (written,) = tmp_path.glob("flashcards-*.dump")
        assert written.stat().st_size > 0

        ok(Cli(target)("db", "upgrade"))  # an empty database of the schema, to restore into
        into = make_url(target).set(password=PASSWORD).render_as_string(False)
        refused = Cli(into)("restore", written.name)
        assert refused.exit_code == 1
        restore = _printed_command(refused.stderr, "pg_restore")
        assert "***" not in restore and PASSWORD not in restore
        _run_as_the_user(restore.replace(" FILE", f" {shlex.quote(written.name)}"), tmp_path)
        assert _counts(target) == _counts(url)
        assert _counts(target)["reviews"] == 2
        assert ok(Cli(target)("doctor")).startswith("OK")
    finally:
        _drop_pg_database(target_handle)
        _drop_pg_database(handle)


def test_backup_and_restore_refuse_a_kind_of_database_we_do_not_support(tmp_path: Path) -> None:
    run = Cli("mysql://x@y/z")
    other = run("status")
    assert other.exit_code == 1 and other.stderr.startswith("Error: the driver for mysql")
    for args in (("backup",), ("backup", str(tmp_path / "b.db")), ("restore", "b.db")):
        result = run(*args)
        assert result.exit_code == 1, (args, result.output)
        assert result.stderr == other.stderr, args
        assert "pg_dump" not in result.output and "PostgreSQL" not in result.output
    assert list(tmp_path.iterdir()) == []


def test_the_pg_dump_line_writes_the_file_named() -> None:
    """`backup FILE` on PostgreSQL prints the command writing FILE, not a dated name."""
    db = "postgresql+psycopg://prof@127.0.0.1:55432/anatomy"
    assert "--file='my backup.dump' " in pg_dump_command(db, Path("my backup.dump"))
    assert "--file=flashcards-$(date" in pg_dump_command(db)
