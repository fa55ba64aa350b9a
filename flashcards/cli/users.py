"""``users``: everyone who studies from this database, with their activity."""

from __future__ import annotations

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import out_console, print_json, terminal_safe

__all__ = ["users"]


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print the list as JSON.")
def users(as_json: bool) -> None:
    """Users with their activity: answers, cards studied, last review.

    "Last review" and "Since" are study days (a day starts at the day-start hour in the
    user's zone), the days the review log and `stats` use.

    Users appear on first use. On a class's PostgreSQL server a student's own role
    sees only themselves; the instructor's role sees the whole class.
    """
    from flashcards.study.users import activity_json, list_users

    rows = list_users(pass_app(existing=True))
    if as_json:
        print_json([activity_json(row) for row in rows])
        return
    if not rows:
        click.echo("No users yet: a user appears with their first `flashcards review`.")
        return
    from rich.table import Table

    table = Table("User", "Role", "Reviews", "Cards studied", "Last review", "Since")
    for member in rows:  # both days are study days, as the review log's
        row = member.activity
        table.add_row(
            terminal_safe(row.name),
            terminal_safe(row.db_role or "—"),
            str(row.reviews),
            str(row.cards_studied),
            row.last_study_day.isoformat() if row.last_study_day else "never",
            member.since.isoformat(),
        )
    out_console().print(table)
