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
    from rich import box
    from rich.table import Column, Table
    from rich.text import Text

    # Each deck on one line at any width: an id is what you type, so it is shown whole;
    # when the terminal is narrow a long name is cut short ("Flat muscles of the abd…"),
    # never folded (`decks --json` has every name whole). No vertical rules: the width
    # goes to the names.
    redrills = any(row.redrills for row in rows)  # a column only on a day that has them
    counts = [("Cards", [r.cards for r in rows]), ("New", [r.new for r in rows])]
    counts += [("Due", [r.due for r in rows])]
    counts += [("Re-drill", [r.redrills for r in rows])] if redrills else []
    counts += [("Susp.", [r.suspended for r in rows])]
    widths = [max(len(header), *(len(str(n)) for n in values)) for header, values in counts]
    id_width = max(2, *(len(row.id or "") for row in rows))
    console = out_console()
    # What the other columns leave of the line (two spaces between columns: a cell's
    # right padding and the rule's blank).
    room = console.width - id_width - sum(widths) - 2 * (len(widths) + 1)
    table = Table(
        Column("Deck", no_wrap=True, overflow="ellipsis", max_width=max(12, room)),
        Column("Id", no_wrap=True, min_width=id_width),
        *(Column(h, justify="right", no_wrap=True, min_width=w)
          for (h, _), w in zip(counts, widths, strict=True)),
        box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, padding=(0, 1, 0, 0),
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
    console.print(table)
