"""``doctor``: check the database for damage; ``--fix`` repairs what is safe, after a copy
(an SQLite file's, made here; on PostgreSQL, a `pg_dump` the user confirms with
``--backed-up``)."""

from __future__ import annotations

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import print_json

__all__ = ["doctor"]


@click.command()
@click.option(
    "--fix",
    is_flag=True,
    help="Repair what is safe to repair (an SQLite file is copied first; a PostgreSQL "
    "database needs --backed-up).",
)
@click.option(
    "--backed-up",
    is_flag=True,
    help="With --fix on PostgreSQL: you have backed the database up (`flashcards backup` "
    "prints the pg_dump command), so the repair may go ahead.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def doctor(fix: bool, backed_up: bool, as_json: bool) -> None:
    """Check the database: SQLite's integrity and foreign keys, card states without a card
    or user, notes without cards, missing and unused media, card states against the
    review log. Exit 1 when damage is left, 0 when healthy."""
    from flashcards.study.doctor import examine

    if backed_up and not fix:
        raise click.UsageError("--backed-up goes with --fix")
    checkup = examine(pass_app(existing=True), fix=fix, backed_up=backed_up)
    if as_json:
        print_json(checkup.as_json())
    else:
        for finding in checkup.findings:
            state = (
                "repaired"
                if finding.repaired
                else ("repairable with --fix" if finding.repairable else "not repairable here")
            )
            click.echo(f"{finding.check}: {finding.count} — {finding.summary} ({state})")
            for example in finding.examples:
                click.echo(f"  {example}")
            if finding.count > len(finding.examples):
                click.echo(f"  … and {finding.count - len(finding.examples)} more")
        if checkup.backup is not None:
            click.echo(f"The file as it was is kept as {checkup.backup}")
        if not checkup.findings:
            click.echo("OK: no damage found.")
        elif not checkup.damaged:
            click.echo("Everything found was repaired.")
    if checkup.damaged:
        click.get_current_context().exit(1)
