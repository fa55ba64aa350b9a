"""``python -m flashcards`` and the ``flashcards`` command (pyproject's entry point).

``flashcards status`` is what a shell prompt runs every time. When its command line is
one of the plain forms (the global options before or after the name, ``--json``) and the
database an SQLite file at this version's schema, it is answered here without loading
click or SQLAlchemy (``flashcards.study.status.status_of_file``). Every other command
line, and every case that way cannot answer as the command would, goes to
``flashcards.cli``, which says every error and makes every upgrade.
"""

from __future__ import annotations

import datetime as dt
import os
import sys

__all__ = ["main", "plain_status"]

# The global options and their environment variables (``flashcards.cli.GLOBAL_ENV``: a
# test holds the two the same).
GLOBAL_OPTIONS = {
    "--db": "FLASHCARDS_DB",
    "--user": "FLASHCARDS_USER",
    "--today": "FLASHCARDS_TODAY",
    "--day-start": "FLASHCARDS_DAY_START",
}


def _status_words(argv: list[str]) -> tuple[dict[str, str], dict[str, str], bool] | None:
    """The global options given before the command name and after it (the last of each)
    and whether ``--json`` was, for a command line that is ``status`` and those alone;
    None for any other."""
    before: dict[str, str] = {}
    after: dict[str, str] = {}
    command = False
    as_json = False
    words = list(argv)
    while words:
        word = words.pop(0)
        name, equals, value = word.partition("=")
        if name in GLOBAL_OPTIONS:
            if not equals:
                if not words:
                    return None
                value = words.pop(0)
            if value.startswith("-"):
                return None  # an option where a value goes: click's words for it
            (after if command else before)[name] = value
        elif word == "status" and not command:
            command = True
        elif word == "--json" and command:
            as_json = True
        else:
            return None
    return (before, after, as_json) if command else None


def _day(value: str) -> dt.date | None:
    """A ``YYYY-MM-DD`` date; None for anything else (click says what is wrong)."""
    shape = len(value) == 10 and value[4] == value[7] == "-"
    digits = value[:4] + value[5:7] + value[8:]
    if not (shape and digits.isascii() and digits.isdigit()):
        return None
    try:
        return dt.date(int(value[:4]), int(value[5:7]), int(value[8:]))
    except ValueError:
        return None


def _hour(value: str) -> int | None:
    ok = value.isascii() and value.isdigit() and 0 <= int(value) <= 23
    return int(value) if ok else None


def _valid(option: str, value: str | None) -> bool:
    """Whether flashcards.cli takes this value of a global option without a word."""
    if value is None:
        return True
    if option == "--today":
        return _day(value) is not None
    if option == "--day-start":
        return _hour(value) is not None
    return bool(value.strip())  # --db and --user: an empty one is refused


def plain_status(argv: list[str]) -> str | None:
    """What ``flashcards status`` prints for this command line, when it can be read
    without click and SQLAlchemy; None: the command line goes to ``flashcards.cli``."""
    words = _status_words(argv)
    if words is None:
        return None
    before, after, as_json = words
    values: dict[str, str | None] = {}
    for option, variable in GLOBAL_OPTIONS.items():
        # As click reads them: before the name, else the variable (one set empty is not
        # set, though an empty FLASHCARDS_DB is refused), then after the name.
        found = before.get(option, os.environ.get(variable) or None)
        if option == "--db" and found is None:
            found = os.environ.get(variable)
        if not (_valid(option, found) and _valid(option, after.get(option))):
            return None  # click says what is wrong with it
        values[option] = after.get(option, found)
    db, user, when, hour = (values[o] for o in GLOBAL_OPTIONS)
    today = _day(when) if when is not None else None
    day_start = _hour(hour) if hour is not None else None
    if user is None:
        import getpass

        try:
            user = getpass.getuser()
        except Exception:  # as flashcards.cli's default: no login name in some containers
            user = "student"
    user = user.strip()
    if not user:
        return None

    from flashcards.study.status import status_of_file
    from flashcards_db.location import database_file

    path = database_file(db)
    if path is None:
        return None  # a URL: PostgreSQL, or SQLite written as a URL
    now = status_of_file(path, user, today, day_start)
    if now is None:
        return None
    if as_json:
        import json

        return json.dumps(now.as_json(), indent=2, ensure_ascii=False, default=str)
    return now.line()


def main() -> None:
    text = plain_status(sys.argv[1:])
    if text is not None:
        try:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        except BrokenPipeError:  # `flashcards status | head -c1`: end quietly, as the CLI does
            from flashcards.errors import silence_closed_stdout

            silence_closed_stdout()
            sys.exit(1)
        return
    from flashcards.cli import main as cli_main

    cli_main()


if __name__ == "__main__":
    main()
