"""Named errors of the library; the CLI turns each into ``Error: …`` and exit 1."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "DatabaseUnusableError",
    "DeckFileError",
    "DeckNotFoundError",
    "FlashcardsError",
    "NotOurFileError",
    "NothingToUndoError",
    "UnknownUserError",
    "check_output_folder",
    "not_overwritten",
    "read_bounded",
    "silence_closed_stdout",
]

MB = 1024 * 1024


class FlashcardsError(Exception):
    """A problem the user can fix: bad input, a missing deck, a broken file."""


class DeckFileError(FlashcardsError):
    """One or more deck files have problems; ``problems`` lists every one of them."""

    def __init__(self, problems: list[object]) -> None:
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s) in deck files")


class DeckNotFoundError(FlashcardsError):
    """A DECK argument names no deck in the database."""


class UnknownUserError(FlashcardsError):
    """``--user`` names no user of the database, for a command that only reads."""


class NothingToUndoError(FlashcardsError):
    """There is no grade left to take back."""


class DatabaseUnusableError(FlashcardsError):
    """The database cannot be opened or read: a bad path, a missing driver, a file that is
    damaged or not ours. ``damaged`` is set when ``flashcards doctor`` should look at it."""

    def __init__(self, message: str, *, damaged: bool = False, reason: str = "") -> None:
        self.damaged = damaged
        self.reason = reason or message  # what is wrong, without the advice
        super().__init__(message)


class NotOurFileError(FlashcardsError):
    """A file an output would replace is not one we wrote; ``why`` says how it differs."""

    def __init__(self, message: str, *, why: str = "") -> None:
        self.why = why
        super().__init__(message)


def not_overwritten(
    path: Path, what: str | None = None, *, force: str | None = None
) -> FlashcardsError:
    """The refusal to write over ``path``, an existing file that is not ``what`` (an
    earlier output of the same command), or any existing file when ``what`` is None: an
    output named by mistake (the database, a deck file, someone else's file) must not
    destroy it. ``force``: the option that replaces it all the same, when there is one."""
    hint = "choose another name" + (f", or pass {force} to replace it" if force else "")
    kind = f" and is not {what}" if what else ""
    return FlashcardsError(f"{path} exists{kind}: not overwritten ({hint})")


def check_output_folder(path: Path) -> None:
    """An output file's folder must be there: a missing one is most likely a typo, and
    is never made (``stats --html``, ``report --html``, ``extract -o``, ``export -o``,
    ``backup FILE`` say so alike)."""
    folder = path.parent
    if folder.is_dir():
        return
    if folder.exists():
        raise FlashcardsError(f"{folder} is a file, not a folder: {path.name} cannot go in it")
    raise FlashcardsError(f"no such folder: {folder} (create it first, or check the path)")


def read_bounded(path: Path, limit: int, what: str) -> bytes:
    """The bytes of an input file, at most ``limit`` of them: a file that never ends
    (``/dev/zero``, a pipe) or a size bomb is refused at the limit instead of filling the
    memory. More is a ``FlashcardsError`` naming the file and ``what`` it was read as;
    OSError is left to the caller."""
    with path.open("rb") as file:
        data = file.read(limit + 1)
    if len(data) > limit:
        raise FlashcardsError(f"{path}: over the {limit // MB} MB limit for {what}")
    return data


def silence_closed_stdout() -> None:
    """Standard output is a pipe the reader closed (`flashcards review | head -1`): what
    is still buffered goes nowhere, and Python's own flush at exit finds nothing to
    complain about (as rich does on a broken pipe). Without click: the fast `status`
    path ends this way too."""
    import os
    import sys

    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # no real stdout (a test's runner): nothing to silence
        pass
    finally:
        os.close(devnull)
