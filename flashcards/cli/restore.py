"""``restore``: put a backup of the SQLite database back, after checking it."""

from __future__ import annotations

from pathlib import Path

import click

from flashcards.cli.context import pass_app

__all__ = ["restore"]


@click.command()
@click.argument("file", type=click.Path(dir_okay=True, path_type=Path))
def restore(file: Path) -> None:
    """Put a backup back: FILE must be a flashcards database that passes `flashcards
    doctor`; the current database is copied next to itself first. On PostgreSQL, print
    how the server's tools restore it instead."""
    from flashcards.study.restoring import restore as restore_file

    done = restore_file(pass_app(), file)
    schema = f"schema {done.revision}" + (", upgraded" if done.upgraded else "")
    click.echo(
        f"Restored {done.source} into {done.database} ({schema}; {done.decks} deck(s), "
        f"{done.answers} review(s) in all, as `flashcards users` counts them)."
    )
    click.echo(f"The database as it was is kept as {done.kept_as}")
