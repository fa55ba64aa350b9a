"""``search``, ``suspend``, ``unsuspend``, ``forget``: find cards with Anki's search
syntax, and act on every card a search lists."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import out_console, print_json, terminal_safe

if TYPE_CHECKING:
    from flashcards_db.queries.search import FoundCard

__all__ = ["forget", "search", "suspend", "unsuspend"]

_QUERY = click.argument("query", nargs=-1, required=True)
# "-is:suspended" is a negated term, not an option: unknown options are the search's.
_SETTINGS = {"ignore_unknown_options": True}
SYNTAX = (
    "QUERY is Anki's search syntax: deck:NAME, tag:TAG, is:new|due|review|suspended|leech, "
    "field:FIELD, prop:lapses>N, prop:ivl>=N, prop:ease<N, rated:DAYS[:GRADE], words of "
    'the card, "quoted phrases", -NEGATED, a or b, (groups).'
)


def _query(words: tuple[str, ...]) -> str:
    """The search as typed: one argument is the whole search, as in Anki's search box
    (``'deck:"Lower limb" is:due'``); of several, one with a space was quoted to be one
    term (``"deck:Lower limb" is:due``)."""
    if len(words) == 1:
        return words[0]
    return " ".join(f'"{w}"' if " " in w and '"' not in w else w for w in words)


def _question(card: FoundCard) -> str:
    from flashcards.anki.html import terminal_text
    from flashcards.quiz import sides

    return terminal_text(sides(card.kind, card.front, card.back, card.ordinal)[0])


def _due(card: FoundCard, today: dt.date) -> str:
    if card.due_day is None:
        return "new"
    if card.due_day == today:
        return "today"
    return card.due_day.isoformat()


def _as_json(card: FoundCard, today: dt.date) -> dict[str, object]:
    from flashcards.anki.html import terminal_text
    from flashcards.quiz import sides

    question, answer = sides(card.kind, card.front, card.back, card.ordinal)
    return {
        "card_id": card.card_id,
        "key": card.note_key,
        "ordinal": card.ordinal,
        "question": terminal_text(question),
        "answer": terminal_text(answer),
        "deck": card.deck_name,
        "due": None if card.due_day is None else card.due_day.isoformat(),
        "new": card.due_day is None,
        "due_now": card.due_day is not None and card.due_day <= today and not card.suspended,
        "interval": card.interval,
        "ease": card.easiness,
        "lapses": card.lapses,
        "reviews": card.reviews,
        "suspended": card.suspended,
        "leech": card.leech,
    }


@click.command(epilog=SYNTAX, context_settings=_SETTINGS)
@_QUERY
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
def search(query: tuple[str, ...], as_json: bool) -> None:
    """Cards matching an Anki-style search: question, deck, due, interval, ease, lapses."""
    from flashcards.study.searching import search_cards

    found = search_cards(pass_app(existing=True), _query(query))
    if as_json:
        print_json([_as_json(card, found.today) for card in found.cards])
        return
    if not found.cards:
        click.echo(f"No card matches {found.query}")
        return
    from rich.table import Table
    from rich.text import Text

    table = Table()
    table.add_column("Question", ratio=3)
    table.add_column("Deck", ratio=2)
    for name in ("Due", "Interval", "Ease", "Lapses"):
        table.add_column(name, no_wrap=True)
    for card in found.cards:
        flags = " [suspended]" if card.suspended else ""
        flags += " [leech]" if card.leech else ""
        table.add_row(
            Text(terminal_safe(_question(card)) + flags),
            Text(terminal_safe(card.deck_name)),
            _due(card, found.today),
            f"{card.interval} d" if card.due_day is not None else "",
            f"{card.easiness:.2f}",
            str(card.lapses),
            style="bold" if card.due_day is not None and card.due_day <= found.today else None,
        )
    console = out_console()
    console.print(table)
    console.print(f"{len(found.cards)} card(s)", markup=False)


_DONE = {
    "suspend": ("Suspended", "suspended already"),
    "unsuspend": ("Unsuspended", "not suspended"),
    "forget": ("Forgot", "new already"),
}


def _act(kind: str, words: tuple[str, ...]) -> None:
    from flashcards.study.searching import act_on_search

    report = act_on_search(pass_app(), _query(words), kind)
    if not report.matched:
        click.echo(f"No card matches {_query(words)}: nothing changed")
        return
    done, already = _DONE[kind]
    rest = report.matched - report.changed
    line = f"{done} {report.changed} card(s)"
    if rest:
        line += f"; {rest} of the {report.matched} found were {already}"
    if report.changed:
        line += " (`flashcards undo` takes this back)"
    click.echo(line)


@click.command(epilog=SYNTAX, context_settings=_SETTINGS)
@_QUERY
def suspend(query: tuple[str, ...]) -> None:
    """Suspend every card `search` lists for QUERY: it is not asked until unsuspended."""
    _act("suspend", query)


@click.command(epilog=SYNTAX, context_settings=_SETTINGS)
@_QUERY
def unsuspend(query: tuple[str, ...]) -> None:
    """Unsuspend every card `search` lists for QUERY (leeches too: they keep the tag)."""
    _act("unsuspend", query)


@click.command(epilog=SYNTAX, context_settings=_SETTINGS)
@_QUERY
def forget(query: tuple[str, ...]) -> None:
    """Put every card `search` lists for QUERY back to new; its review log is kept."""
    _act("forget", query)
