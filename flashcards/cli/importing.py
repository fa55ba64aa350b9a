"""``import``, ``lint`` and ``cards``: deck files into the database, checked and previewed."""

from __future__ import annotations

from pathlib import Path

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import err_console, out_console, print_json, terminal_safe
from flashcards.errors import FlashcardsError

__all__ = ["cards", "check_importable", "import_command", "lint"]

DECK_SUFFIXES = (".yaml", ".yml")

_paths = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


def check_importable(paths: tuple[Path, ...]) -> None:
    for path in paths:
        if not path.exists():
            raise FlashcardsError(f"no such file or folder: {path}")
        if path.is_file() and path.suffix.lower() not in DECK_SUFFIXES:
            raise FlashcardsError(f"{path}: not a deck file (deck files end in .yaml or .yml)")


@click.command("import")
@_paths
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Delete cards removed from the files, with their review history "
    "(without it they are retired: hidden, history kept).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_command(paths: tuple[Path, ...], dry_run: bool, prune: bool, as_json: bool) -> None:
    """Import deck files and folders of them (one transaction: all or nothing).

    Re-importing an edited file updates its cards in place and keeps every review;
    cards removed from a file are retired, not deleted.
    """
    from flashcards.study.importing import import_deck_files

    check_importable(paths)
    err = err_console()
    report = import_deck_files(
        pass_app(),
        list(paths),
        dry_run=dry_run,
        prune=prune,
        progress=lambda name: (
            err.print(f"importing {terminal_safe(name)}", style="dim") if err.is_terminal else None
        ),
    )
    for warning in report.warnings:
        err.print(terminal_safe(str(warning)), style="yellow", markup=False)
    if as_json:
        print_json(report.as_json())
        return
    c = report.counts
    out = out_console()
    verb = "Would import" if dry_run else "Imported"
    out.print(f"{verb} {len(report.decks)} deck(s): " + ", ".join(report.decks), markup=False)
    line = f"added {c.added}, updated {c.updated}, unchanged {c.unchanged}, retired {c.retired}"
    if prune:
        line += f", deleted {c.deleted}"
    out.print(line + (" (dry run: nothing changed)" if dry_run else ""), markup=False)


@click.command()
@_paths
def lint(paths: tuple[Path, ...]) -> None:
    """Check deck files; print every problem as path:line: message (exit 1 on errors)."""
    from flashcards.deckfile import load_paths

    check_importable(paths)
    decks, problems = load_paths(list(paths))
    for problem in problems:
        click.echo(terminal_safe(str(problem)))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    summary = f"{errors} error(s), {warnings} warning(s)"
    if errors:
        raise click.ClickException(summary)
    click.echo(f"{len(decks)} deck file(s) checked: {summary}", err=True)


@click.command()
@click.argument("target")
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
def cards(target: str, as_json: bool) -> None:
    """Preview the cards a deck file (PATH) makes, without importing it."""
    from flashcards.facts import notes_for_deck, render_cloze
    from flashcards.study.importing import load_decks

    path = Path(target)
    check_importable((path,))
    decks, _warnings = load_decks([path])
    rows: list[dict[str, object]] = []
    for deck in decks:
        for note in notes_for_deck(deck):
            for ordinal in note.ordinals:
                front, back = (
                    render_cloze(note.front, ordinal)
                    if note.kind == "cloze"
                    else (note.front, note.back)
                )
                rows.append(
                    {
                        "deck": deck.name,
                        "key": note.key,
                        "kind": note.kind,
                        "question": front,
                        "answer": back,
                    }
                )
    if as_json:
        print_json(rows)
        return
    from rich.table import Table

    table = Table("Deck", "Question", "Answer", show_lines=True)
    for row in rows:
        table.add_row(*(terminal_safe(str(row[k])) for k in ("deck", "question", "answer")))
    out_console().print(table)
    click.echo(f"{len(rows)} card(s)", err=True)
