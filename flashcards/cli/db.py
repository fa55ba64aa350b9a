"""``db``: schema upgrade and check, and a student's PostgreSQL role."""

from __future__ import annotations

import click

from flashcards.cli.context import Settings, pass_app
from flashcards.cli.render import print_json

__all__ = ["db"]


def _db_option() -> str | None:
    settings = click.get_current_context().find_object(Settings)
    if settings is None:
        raise click.UsageError("run through the flashcards command")
    return settings.db


@click.group()
def db() -> None:
    """Migrations and students' database roles (`db upgrade`, `db check`, `db grant`)."""


@db.command()
@click.option(
    "--backed-up",
    is_flag=True,
    help="On PostgreSQL: you have backed the database up (`flashcards backup` prints the "
    "pg_dump command), so its schema may be upgraded.",
)
def upgrade(backed_up: bool) -> None:
    """Upgrade the database's schema to this version (an SQLite file is copied first).

    On PostgreSQL run it as the instructor's role (the owner of the tables), after a
    pg_dump: a database with a schema is upgraded only with --backed-up. The students'
    roles are granted again afterwards.
    """
    from flashcards.study.admin import shown_url, upgrade_schema

    done = upgrade_schema(_db_option(), backed_up=backed_up)
    where = shown_url(_db_option())
    if not done.changed:
        click.echo(f"{where}: already at schema revision {done.after}.")
        return
    click.echo(f"{where}: upgraded from {done.before or 'empty'} to schema revision {done.after}.")
    if done.backup is not None:
        click.echo(f"The file as it was is kept as {done.backup}")
    if done.regranted:
        click.echo(f"Granted {len(done.regranted)} student role(s) again.")


@db.command()
@click.option("--json", "as_json", is_flag=True, help="Print the findings as JSON.")
def check(as_json: bool) -> None:
    """Check the schema: revision against this version's, models against the database
    (as `alembic check`), and row-level security on PostgreSQL. Exit 1 on a problem."""
    from flashcards.study.admin import check_schema, shown_url

    found = check_schema(_db_option())
    if as_json:
        print_json(found.as_json())
    else:
        where = shown_url(_db_option())
        revision = found.revision or "none"
        click.echo(f"{where}: schema revision {revision} (this version: {found.head})")
        for problem in found.problems:
            click.echo(f"problem: {problem}")
        if not found.problems:
            guarded = " and row-level security is on" if found.engine == "postgresql" else ""
            click.echo(f"OK: the database matches the models{guarded}.")
    if found.problems:
        click.get_current_context().exit(1)


@db.command()
@click.argument("student")
@click.option(
    "--name",
    "user_name",
    metavar="NAME",
    help="The student's user name in flashcards (default: the role's name).",
)
@click.option(
    "--password",
    metavar="TEXT",
    help="Set the role's login password (else set it yourself, e.g. psql's \\password).",
)
def grant(student: str, user_name: str | None, password: str | None) -> None:
    """Set up STUDENT's PostgreSQL role (created if missing): read the shared decks, read
    and write only their own schedule and reviews. Run as the instructor's role."""
    from flashcards.study.admin import grant_student

    done = grant_student(pass_app(), student, user_name, password)
    role = "created" if done.role_created else "existing"
    user = "new user" if done.user_created else "user"
    click.echo(f"Role {done.role} ({role}) studies as {user} {done.user_name}.")
    if done.role_created and not done.password_set:
        click.echo(
            "The role has no password yet: give it one with --password (or the server "
            "trusts the student's connection another way).",
            err=True,
        )


def database_refusal(exc: BaseException) -> str | None:
    """The message for a privilege the database refused, or None (for the CLI group)."""
    import sys

    errors = sys.modules.get("sqlalchemy.exc")
    if errors is None or not isinstance(exc, errors.DBAPIError):
        return None  # no database error: nothing to explain (and nothing heavy imported)
    settings = click.get_current_context().find_object(Settings)
    if settings is None:
        return None
    from flashcards.study.admin import explain_refusal

    return explain_refusal(settings.app(), exc)
