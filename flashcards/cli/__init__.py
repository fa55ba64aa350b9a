"""The ``flashcards`` command: global options, the command list, errors as ``Error: …``.

Command modules import the database layer inside their functions, so ``--help`` and
usage errors never pay for SQLAlchemy or genanki.
"""

from __future__ import annotations

import datetime as dt
import getpass
from typing import Any

import click

from flashcards import __version__
from flashcards.cli.context import Settings
from flashcards.errors import DeckFileError, FlashcardsError

__all__ = ["cli", "main"]


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): a fixed name is better than a crash
        return "student"


class FlashcardsGroup(click.Group):
    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DeckFileError as exc:
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            errors = sum(getattr(p, "severity", "error") == "error" for p in exc.problems)
            raise click.ClickException(
                f"{errors} error(s) in deck files; nothing was changed"
            ) from exc
        except FlashcardsError as exc:
            raise click.ClickException(str(exc)) from exc
        except Exception as exc:  # a database refusing the connected role something
            from flashcards.cli.db import database_refusal

            message = database_refusal(exc)
            if message is None:
                raise
            raise click.ClickException(message) from exc


@click.group(cls=FlashcardsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--db",
    envvar="FLASHCARDS_DB",
    metavar="URL|PATH",
    help="Database: an SQLAlchemy URL or an SQLite file path "
    "(default: flashcards.db in your data folder).",
)
@click.option(
    "--user",
    envvar="FLASHCARDS_USER",
    default=_default_user,
    show_default="your login name",
    help="Whose schedule to use; a new name starts a new user.",
)
@click.option(
    "--today",
    envvar="FLASHCARDS_TODAY",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="YYYY-MM-DD",
    help="Pretend today is this date (for planning and tests).",
)
@click.option(
    "--day-start",
    envvar="FLASHCARDS_DAY_START",
    type=click.IntRange(0, 23),
    default=4,
    show_default=True,
    help="Hour (local time) at which a new study day begins.",
)
@click.version_option(__version__, prog_name="flashcards")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    user: str,
    today: dt.datetime | None,
    day_start: int,
) -> None:
    """Spaced-repetition flashcards for anatomy, scheduled by SM-2.

    Start with `flashcards review decks/`: it imports the shipped decks and begins
    today's session.
    """
    if not user.strip():
        raise click.BadParameter("must not be empty", param_hint="--user")
    settings = Settings(
        db=db,
        user=user.strip(),
        today=today.date() if today else None,
        day_start_hour=day_start,
    )
    ctx.obj = settings
    ctx.call_on_close(settings.close)


def _register() -> None:
    from flashcards.cli import db, decks, importing, quiz, report, review, stats, status, users
    from flashcards.cli.backup import backup
    from flashcards.cli.doctor import doctor
    from flashcards.cli.export import export_command
    from flashcards.cli.extract import extract

    for command in (
        importing.import_command,
        importing.lint,
        importing.cards,
        extract,
        review.review,
        review.undo,
        quiz.quiz,
        status.status,
        decks.decks,
        export_command,
        stats.stats,
        report.report,
        users.users,
        db.db,
        doctor,
        backup,
    ):
        cli.add_command(command)


_register()


def main() -> None:
    cli(prog_name="flashcards")
