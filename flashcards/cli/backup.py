"""``backup``: a consistent copy of an SQLite file, or the pg_dump command for PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import click

from flashcards.cli.context import pass_app

__all__ = ["backup"]


@click.command()
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path | None) -> None:
    """Copy the database to FILE (default: next to it, with the time in its name), while
    other sessions may be running; readable by you only. On PostgreSQL, print the
    `pg_dump` command to run instead."""
    from flashcards.study.backup import back_up

    done = back_up(pass_app(existing=True), file)
    if done.path is not None:
        click.echo(f"Backed up to {done.path}")
    else:
        click.echo("A PostgreSQL database is backed up by its server's tools; run:")
        click.echo(f"  {done.command}")
