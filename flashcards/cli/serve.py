"""``serve``: the review page in the browser (``flashcards.web``), over the same database."""

from __future__ import annotations

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import err_console

__all__ = ["serve"]


@click.command()
@click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on; 0.0.0.0 lets a phone on your network in (with the "
    "printed link's secret token).",
)
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8765,
    show_default=True,
    help="Port to listen on (0: any free port).",
)
@click.option("--no-browser", is_flag=True, help="Print the link only; open no browser.")
def serve(host: str, port: int, no_browser: bool) -> None:
    """The review page in the browser: today's review, diagrams, typed answers, quizzes,
    stats and the deck list.

    Prints the page's link and opens it in your browser. Keys: Space or Enter shows the
    answer, 0-5 grades, u undoes, s suspends, q leaves. Ctrl-C stops the server.
    """
    from flashcards.web.server import serve as run

    def announce(line: str) -> None:
        click.echo(line)

    run(pass_app(), host, port, open_browser=not no_browser, announce=announce)
    err_console().print("Stopped.", style="dim")
