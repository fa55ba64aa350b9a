"""``stats``: a student's progress in the terminal, as JSON, or as one HTML page."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import err_console, out_console, print_json, terminal_safe
from flashcards.errors import FlashcardsError, check_output_folder, not_overwritten

__all__ = ["check_page_target", "html_option", "stats", "write_page"]

html_option = click.option(
    "--html",
    "html_path",
    type=click.Path(dir_okay=False, path_type=Path),
    metavar="FILE",
    help="Also write one self-contained HTML page (charts inline, nothing fetched).",
)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def check_page_target(path: Path) -> None:
    """Refuse to write a page over anything but an earlier page: ``--html`` given the
    database (or a deck file) by mistake must not destroy it."""
    if path.is_dir():
        raise FlashcardsError(f"{path} is a folder: name the page's file, like progress.html")
    check_output_folder(path)
    if not path.exists():
        return
    try:
        with path.open("rb") as existing:
            head = existing.read(64).lstrip().lower()
    except OSError as exc:
        raise FlashcardsError(f"cannot write {path}: {exc.strerror or exc}") from exc
    if not head.startswith((b"<!doctype html", b"<html")):
        raise not_overwritten(path, "an HTML page")


def write_page(path: Path, text: str | Iterable[str]) -> None:
    """Write the page whole or not at all: a half-written page would open blank. ``text``
    may come in pieces, written as they are made (a class's page of every card). Only a
    new file or an earlier page is replaced (``check_page_target``)."""
    check_page_target(path)
    temporary: Path | None = None
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        temporary = Path(name)
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.writelines([text] if isinstance(text, str) else text)
        temporary.chmod(0o666 & ~_umask())  # as an ordinary new file would be
        temporary.replace(path)
    except BaseException as exc:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise FlashcardsError(f"cannot write {path}: {exc.strerror or exc}") from exc
        raise  # the pieces failed to come (the database, Ctrl-C): no page either
    err_console().print(f"Wrote {terminal_safe(str(path))}", markup=False)


@click.command()
@click.argument("deck", required=False, metavar="[DECK]")
@click.option("--json", "as_json", is_flag=True, help="Print every figure as one JSON document.")
@html_option
def stats(deck: str | None, as_json: bool, html_path: Path | None) -> None:
    """Your progress: due forecast, review calendar and streak, true retention, card
    counts and weak spots (retention by region and field).

    DECK is a full deck name (with its sub-decks) or a deck id; without it, every deck.
    """
    from flashcards.study.statistics import student_stats

    if html_path is not None:
        check_page_target(html_path)  # before the figures: a wrong name costs nothing
    figures = student_stats(pass_app(existing=True), deck)
    if html_path is not None:
        write_page(html_path, figures.page())
    if as_json:
        print_json(figures.as_json())
    elif html_path is None:
        from flashcards.cli.charts import stats_view

        out_console().print(stats_view(figures))
