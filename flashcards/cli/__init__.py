"""The ``flashcards`` command: global options, the command list, errors as ``Error: …``.

The top room: it may import everything below it (``study`` above all); nothing imports it.

A command's module is imported only when that command runs or shows its own help; the
command list comes from a table. Command modules import the database layer inside their
functions, so ``--help`` and usage errors never pay for SQLAlchemy or genanki.
"""

from __future__ import annotations

import datetime as dt
import importlib
import re
from gettext import gettext as _
from typing import Any

import click

from flashcards import __version__
from flashcards.errors import DeckFileError, FlashcardsError

__all__ = ["COMMANDS", "FlashcardsGroup", "IsoDate", "UnloadedCommand", "cli", "main"]

# Every command: where it is defined ("module:attribute") and the first sentence of its
# help, which is all the command list shows of it. A test holds each summary to the
# command's own help.
COMMANDS: dict[str, tuple[str, str]] = {
    "import": (
        "flashcards.cli.importing:import_command",
        "Import deck files, folders of them, Anki packages (.apkg, .colpkg) and text files "
        "(.csv, .tsv, .txt: Anki's notes export, Quizlet's), all in one transaction.",
    ),
    "lint": (
        "flashcards.cli.importing:lint",
        "Check deck files; print every problem as path:line: message (exit 1 on errors).",
    ),
    "cards": (
        "flashcards.cli.importing:cards",
        "Preview every card a deck or a deck file makes: question, answer, kind, id.",
    ),
    "extract": (
        "flashcards.cli.extract:extract",
        "Turn pages (files or http(s) addresses) into structure records: a deck file to check.",
    ),
    "review": (
        "flashcards.cli.review:review",
        "Today's SM-2 session: due reviews first, then new cards.",
    ),
    "undo": (
        "flashcards.cli.review:undo",
        "Take back your last action: a grade (the card's schedule returns to what it was), a "
        "suspension, or a whole `suspend`, `unsuspend` or `forget` command.",
    ),
    "search": (
        "flashcards.cli.search:search",
        "Cards matching an Anki-style search: question, deck, due, interval, ease, lapses.",
    ),
    "suspend": (
        "flashcards.cli.search:suspend",
        "Suspend every card `search` lists for QUERY: it is not asked until unsuspended.",
    ),
    "unsuspend": (
        "flashcards.cli.search:unsuspend",
        "Unsuspend every card `search` lists for QUERY (leeches too: they keep the tag).",
    ),
    "forget": (
        "flashcards.cli.search:forget",
        "Put every card `search` lists for QUERY back to new; its review log is kept.",
    ),
    "quiz": (
        "flashcards.cli.quiz:quiz",
        "Practice or exam over DECK (or every deck); your review schedule is untouched.",
    ),
    "status": (
        "flashcards.cli.status:status",
        "One line: cards due now, new cards today, study streak.",
    ),
    "decks": (
        "flashcards.cli.decks:decks",
        "Decks with counts: cards, new, due today, suspended (parents include sub-decks).",
    ),
    "export": (
        "flashcards.cli.export:export_command",
        "Export decks to an Anki package (every deck when no DECK is named).",
    ),
    "serve": (
        "flashcards.cli.serve:serve",
        "The review page in the browser: today's review, diagrams, typed answers, quizzes, "
        "stats and the deck list.",
    ),
    "stats": (
        "flashcards.cli.stats:stats",
        "Your progress: due forecast, review calendar and streak, true retention, card "
        "counts and weak spots (retention by region and field).",
    ),
    "report": (
        "flashcards.cli.report:report",
        "Instructor's view across every user: each card's students, fail and lapse rates "
        "and mean first grade; the hardest cards and fields; each student's activity.",
    ),
    "users": (
        "flashcards.cli.users:users",
        "Users with their activity: answers, cards studied, last review.",
    ),
    "db": (
        "flashcards.cli.db:db",
        "Migrations and students' database roles (`db upgrade`, `db check`, `db grant`).",
    ),
    "doctor": (
        "flashcards.cli.doctor:doctor",
        "Check the database: SQLite's integrity and foreign keys, card states without a "
        "card or user, notes without cards, missing and unused media, card states against "
        "the review log.",
    ),
    "config": (
        "flashcards.cli.config:config",
        "Your settings: new cards per day, reviews per day, leech threshold, day start hour, "
        "time zone; each shown with where its value comes from.",
    ),
    "backup": (
        "flashcards.cli.backup:backup",
        "Copy the database to FILE (default: next to it, with the time in its name), while "
        "other sessions may be running; readable by you only.",
    ),
    "restore": (
        "flashcards.cli.restore:restore",
        "Put a backup back: FILE must be a flashcards database that passes `flashcards "
        "doctor`; the current database is copied next to itself first.",
    ),
}


def _failure(exc: Exception) -> str | None:
    """The ``Error:`` line for a failure met outside our code, or None for a defect."""
    import sys

    from flashcards.cli.db import database_refusal
    from flashcards.cli.render import terminal_safe

    message = database_refusal(exc)
    if message is None and ("sqlalchemy" in sys.modules or "sqlite3" in sys.modules):
        from flashcards.study.context import database_failure

        message = database_failure(exc)
    if message is None and isinstance(exc, OSError):
        where = f": {exc.filename}" if exc.filename else ""
        message = f"{exc.strerror or exc}{where}"
    return None if message is None else terminal_safe(message)


def _default_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except Exception:  # no login name (some containers): a fixed name is better than a crash
        return "student"


class IsoDate(click.DateTime):
    """``YYYY-MM-DD``, as ``click.DateTime`` reads it; a well-formed date is read without
    ``strptime``, whose first use (locale tables and all) costs more than the rest."""

    _SHAPE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")

    def __init__(self) -> None:
        super().__init__(formats=["%Y-%m-%d"])

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        if isinstance(value, str) and self._SHAPE.fullmatch(value):
            try:
                return dt.datetime(int(value[:4]), int(value[5:7]), int(value[8:]))
            except ValueError as exc:  # the right shape, but no such day (2027-02-30)
                where = ""
                if ctx is not None and param is not None and param.name is not None:
                    source = ctx.get_parameter_source(param.name)
                    if source == click.core.ParameterSource.ENVIRONMENT:
                        where = f" (set by {GLOBAL_ENV[param.name]})"
                self.fail(f"{value!r} is not a real date: {exc}{where}", param, ctx)
        return super().convert(value, param, ctx)


class UnloadedCommand(click.Command):
    """A command whose module is not imported yet: its name and summary, for the list."""

    def __init__(self, name: str, target: str, summary: str) -> None:
        super().__init__(name, help=summary)
        self.target = target

    def load(self) -> click.Command:
        module, _, attribute = self.target.partition(":")
        command = getattr(importlib.import_module(module), attribute)
        if not isinstance(command, click.Command):
            raise TypeError(f"{self.target} is not a click command")
        return command


class FlashcardsGroup(click.Group):
    """Loads a command when it is asked for; turns the library's errors into ``Error: …``."""

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = self.commands.get(cmd_name)
        if isinstance(command, UnloadedCommand):
            command = self.commands[cmd_name] = with_global_options(command.load())
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # As click's own, but from the entries as they stand: a summary is all the list
        # needs, and loading every command for it would slow down every `--help`.
        commands = [
            (name, command)
            for name in self.list_commands(ctx)
            if not (command := self.commands[name]).hidden
        ]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _command in commands)
        rows = [(name, command.get_short_help_str(limit)) for name, command in commands]
        with formatter.section(_("Commands")):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except DeckFileError as exc:
            from flashcards.cli.render import terminal_safe

            for problem in exc.problems:
                click.echo(terminal_safe(str(problem)), err=True)
            errors = sum(getattr(p, "severity", "error") == "error" for p in exc.problems)
            raise click.ClickException(
                f"{errors} error(s) in deck files; nothing was changed"
            ) from exc
        except FlashcardsError as exc:
            from flashcards.cli.render import terminal_safe

            # A message may quote what a file holds: no escape sequence reaches the terminal.
            raise click.ClickException(terminal_safe(str(exc))) from exc
        except (click.exceptions.Exit, click.ClickException, click.Abort):
            raise  # click's own ending (a sub-command's --help among them), as it is
        except BrokenPipeError:
            # The reader went away (`flashcards review | head -1`): end quietly, as shell
            # tools do; every answer given so far is saved already.
            from flashcards.errors import silence_closed_stdout

            silence_closed_stdout()
            raise click.exceptions.Exit(1) from None
        except KeyboardInterrupt:
            # Ctrl-C: the command's transaction is not written (a session keeps every
            # answer given: each is committed at once); 130, as shells expect.
            from flashcards.cli.screen import INTERRUPTED

            click.echo("\nInterrupted.", err=True)
            raise click.exceptions.Exit(INTERRUPTED) from None
        except Exception as exc:  # what the world does to a command: a database, a disk
            message = _failure(exc)
            if message is None:
                raise  # a defect of ours: its traceback is what a report needs
            raise click.ClickException(message) from exc


# The global options' words, the same before the command name and after it.
GLOBAL_HELP = {
    "db": "Database: an SQLAlchemy URL or an SQLite file path "
    "(default: flashcards.db in your data folder).",
    "user": "Whose schedule to use; a new name becomes a user when it first studies "
    "(or sets a `config` value).",
    "today": "Pretend today is this date (for planning and tests).",
    "day_start": "Hour (local time) at which a new study day begins.",
}
GLOBAL_ENV = {
    "db": "FLASHCARDS_DB",
    "user": "FLASHCARDS_USER",
    "today": "FLASHCARDS_TODAY",
    "day_start": "FLASHCARDS_DAY_START",
}


def _global_options() -> list[click.Option]:
    """The options every command takes after its name too (``--db`` …); no default of
    their own, so one not given leaves what was given before the name (or its default)."""
    return [
        click.Option(["--db"], metavar="URL|PATH", help=GLOBAL_HELP["db"]),
        click.Option(["--user"], help=GLOBAL_HELP["user"] + " (default: your login name)"),
        click.Option(["--today"], type=IsoDate(), metavar="YYYY-MM-DD", help=GLOBAL_HELP["today"]),
        click.Option(
            ["--day-start"],
            type=click.IntRange(0, 23),
            help=GLOBAL_HELP["day_start"] + " (default: 4, or your `flashcards config day-start`)",
        ),
    ]


def _after_command(ctx: click.Context, param: click.Parameter, value: Any) -> None:
    """A global option given after the command name: it overrides the one before it."""
    if value is None or param.name is None:
        return
    from flashcards.cli.context import Settings

    settings = ctx.find_object(Settings)
    if settings is None:
        return  # a command invoked outside the group, as tests may do
    if param.name == "user":
        settings.user = _checked_user(value)
    elif param.name == "today":
        settings.today = value.date()
    elif param.name == "day_start":
        settings.day_start_hour = value
    else:
        settings.db = _checked_db(value)


def with_global_options(command: click.Command) -> click.Command:
    """Give a command (and a group's sub-commands) the global options, shown in its help."""
    names = {p.name for p in command.params}
    for option in _global_options():
        if option.name not in names:
            option.callback = _after_command
            option.expose_value = False
            option.is_eager = True  # applied before the command's own options are checked
            command.params.append(option)
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            with_global_options(sub)
    return command


def _checked_db(value: str | None) -> str | None:
    """An empty ``--db`` (or ``FLASHCARDS_DB=``) is a script's unset variable, never a wish
    for the default database: working on a student's real history by accident is refused."""
    import os

    if value is None and os.environ.get(GLOBAL_ENV["db"]) is not None:
        value = os.environ[GLOBAL_ENV["db"]]  # set, but empty (click reads that as unset)
    if value is not None and not value.strip():
        raise click.BadParameter(
            "is empty: name a database file or URL, or leave it out for the default database",
            param_hint=f"--db / {GLOBAL_ENV['db']}",
        )
    return value


def _checked_user(value: str) -> str:
    if not value.strip():
        raise click.BadParameter("must not be empty", param_hint="--user")
    return value.strip()


@click.group(cls=FlashcardsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", envvar=GLOBAL_ENV["db"], metavar="URL|PATH", help=GLOBAL_HELP["db"])
@click.option(
    "--user",
    envvar=GLOBAL_ENV["user"],
    default=_default_user,
    show_default="your login name",
    help=GLOBAL_HELP["user"],
)
@click.option(
    "--today",
    envvar=GLOBAL_ENV["today"],
    type=IsoDate(),
    metavar="YYYY-MM-DD",
    help=GLOBAL_HELP["today"],
)
@click.option(
    "--day-start",
    envvar=GLOBAL_ENV["day_start"],
    type=click.IntRange(0, 23),
    show_default="4, or your `flashcards config day-start`",
    help=GLOBAL_HELP["day_start"],
)
@click.version_option(__version__, prog_name="flashcards")
@click.pass_context
def cli(
    ctx: click.Context,
    db: str | None,
    user: str,
    today: dt.datetime | None,
    day_start: int | None,
) -> None:
    """Spaced-repetition flashcards for anatomy, scheduled by SM-2.

    The options below go before or after the command name (`flashcards status --today
    2026-11-25` as `flashcards --today 2026-11-25 status`).

    Start with `flashcards review decks/`: it imports the shipped decks and begins
    today's session.
    """
    from flashcards.cli.context import Settings

    source = ctx.get_parameter_source("day_start")
    settings = Settings(
        db=_checked_db(db),
        user=_checked_user(user),
        today=today.date() if today else None,
        day_start_hour=day_start,
        day_start_source=(
            "FLASHCARDS_DAY_START"
            if source == click.core.ParameterSource.ENVIRONMENT
            else "--day-start"
        ),
    )
    ctx.obj = settings
    ctx.call_on_close(settings.close)


def _register() -> None:
    for name, (target, summary) in COMMANDS.items():
        cli.add_command(UnloadedCommand(name, target, summary))


_register()


def main() -> None:
    cli(prog_name="flashcards")
