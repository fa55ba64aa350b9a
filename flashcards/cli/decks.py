"""``decks``: every deck with its counts for the current user and day."""

from __future__ import annotations

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import out_console, print_json, terminal_safe

__all__ = ["decks"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def decks(as_json: bool) -> None:
    """Decks with counts: cards, new, due today, suspended (parents include sub-decks)."""
    from flashcards.study.decks import deck_tree

    rows = deck_tree(pass_app(existing=True))
    if as_json:
        print_json([row.as_json() for row in rows])
        return
    if not rows:
        click.echo("No decks yet. Import some: flashcards import decks/")
        return
    from rich.table import Column, Table
    from rich.text import Text

    # The name whole; an id too long for the terminal folds onto the next line.
    redrills = any(row.redrills for row in rows)  # a column only on a day that has them
    table = Table(
        Column("Deck", no_wrap=True), Column("Id", overflow="fold"), "Cards", "New", "Due",
        *(["Re-drill"] if redrills else []), "Suspended",
    )  # fmt: skip
    for row in rows:
        label = "  " * row.depth + row.name.rsplit("::", 1)[-1]
        table.add_row(
            Text(terminal_safe(label)),  # a name's "[link=…]" is text, not markup
            Text(terminal_safe(row.id or ""), style="dim"),
            str(row.cards),
            str(row.new),
            str(row.due),
            *([str(row.redrills)] if redrills else []),
            str(row.suspended),
            style="bold" if row.due or row.redrills else None,
        )
    out_console().print(table)
