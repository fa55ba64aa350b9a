"""``status``: one short line for a shell prompt or a daily reminder."""

from __future__ import annotations

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import print_json

__all__ = ["status"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
def status(as_json: bool) -> None:
    """One line: cards due now, new cards today, study streak."""
    from flashcards.study.status import status as current_status

    now = current_status(pass_app(existing=True))
    if as_json:
        print_json(now.as_json())
        return
    click.echo(now.line())
