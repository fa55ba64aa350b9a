"""``import``, ``lint`` and ``cards``: deck files into the database, checked and previewed."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import (
    deck_names,
    err_console,
    import_counts,
    out_console,
    plural,
    print_json,
    terminal_safe,
)
from flashcards.errors import FlashcardsError

if TYPE_CHECKING:
    from rich.console import Console

    from flashcards.study.changes import FactChanges
    from flashcards.study.previewing import CardPreview

__all__ = ["cards", "check_importable", "freeze_at_exit", "import_command", "lint"]

DECK_SUFFIXES = (".yaml", ".yml")
# Anki packages and text files (Anki's notes export, CSV/TSV, Quizlet): `import` only.
ANKI_SUFFIXES = (".apkg", ".colpkg", ".csv", ".tsv", ".txt")

_paths = click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))


def freeze_at_exit() -> None:
    """At exit, leave the objects of the process to be freed without a last scan.

    When the interpreter ends it runs the cyclic collector over every object left, the
    loaded libraries' (SQLAlchemy, rich) above all: 0.1 s of CPU after a 35,000-note
    import, a tenth of the whole command. Frozen first (``gc.freeze``, once the command
    is over: atexit), they are freed all the same, unscanned. In a process that goes on
    (tests, a server) nothing changes until it ends.
    """
    import atexit
    import gc

    atexit.unregister(gc.freeze)  # once, however many commands a process runs
    atexit.register(gc.freeze)


def check_importable(paths: tuple[Path, ...], *, anki: bool = False) -> None:
    """Every path exists and is a folder or a file of a kind we read (``anki``: Anki's
    packages and text files too)."""
    suffixes = DECK_SUFFIXES + ANKI_SUFFIXES if anki else DECK_SUFFIXES
    for path in paths:
        if not path.exists():
            raise FlashcardsError(f"no such file or folder: {path}")
        if not path.is_file() and not path.is_dir():
            raise FlashcardsError(f"{path}: not a file or a folder (a device, a pipe?)")
        if path.is_file() and path.suffix.lower() not in suffixes:
            if anki:
                raise FlashcardsError(
                    f"{path}: cannot import this kind of file (deck files end in .yaml or "
                    ".yml; Anki's in .apkg, .colpkg, .csv, .tsv or .txt)"
                )
            raise FlashcardsError(f"{path}: not a deck file (deck files end in .yaml or .yml)")


@click.command("import")
@_paths
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@click.option(
    "--prune",
    is_flag=True,
    help="Delete cards removed from the files, with their review history "
    "(without it they are retired: hidden, history kept). An SQLite file is copied first; "
    "a PostgreSQL database needs --backed-up.",
)
@click.option(
    "--backed-up",
    is_flag=True,
    help="With --prune on PostgreSQL: you have backed the database up (`flashcards backup` "
    "prints the pg_dump command), so cards may be deleted.",
)
@click.option(
    "--with-progress",
    is_flag=True,
    help="From Anki packages, bring your schedule and review history too: each reviewed "
    "card's interval, ease and due day become your SM-2 state (--user), and its answers "
    "join your review log.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def import_command(
    paths: tuple[Path, ...],
    dry_run: bool,
    prune: bool,
    backed_up: bool,
    with_progress: bool,
    as_json: bool,
) -> None:
    """Import deck files, folders of them, Anki packages (.apkg, .colpkg) and text files
    (.csv, .tsv, .txt: Anki's notes export, Quizlet's), all in one transaction.

    Re-importing an edited file or package updates its cards in place and keeps every
    review; cards removed from it are retired, not deleted.
    """
    from flashcards.study.importing import import_deck_files

    if backed_up and not prune:
        raise click.UsageError("--backed-up goes with --prune")
    freeze_at_exit()
    check_importable(paths, anki=True)
    err = err_console()
    report = import_deck_files(
        pass_app(),
        list(paths),
        dry_run=dry_run,
        prune=prune,
        backed_up=backed_up,
        with_progress=with_progress,
        progress=lambda name: (
            err.print(f"importing {terminal_safe(name)}", style="dim", markup=False)
            if err.is_terminal
            else None
        ),
    )
    for warning in report.warnings:
        # One line per warning, unwrapped: `path:line: message` stays greppable.
        err.print(terminal_safe(str(warning)), style="yellow", markup=False, soft_wrap=True)
    if as_json:
        print_json(report.as_json())
        return
    c = report.counts
    out = out_console()
    verb = "Would import" if dry_run else "Imported"
    out.print(f"{verb} {len(report.decks)} deck(s): {deck_names(report.decks)}", markup=False)
    more = [f"deleted {c.deleted}"] if prune else []
    if report.media_added:
        more.append(plural(report.media_added, "new media file"))
    line = import_counts(c, report.notes, report.cards, *more)
    out.print(
        line + (" (dry run: nothing changed)" if dry_run else ""), markup=False, soft_wrap=True
    )
    _print_changes(out, report.changes, dry_run)
    if report.progress is not None:
        p = report.progress
        out.print(
            f"Anki progress: set {p.set}, unchanged {p.unchanged}, "
            f"kept {p.kept} (studied here since), new {p.new}",
            markup=False,
        )
        known = f" ({p.answers_known} already in your log)" if p.answers_known else ""
        out.print(f"Review history: {p.answers} answer(s) added{known}", markup=False)


def _print_changes(out: Console, changes: Sequence[FactChanges], dry_run: bool) -> None:
    """Per deck already there, the facts whose cards were added, retired or reworded."""
    deck = None
    for change in changes:
        if change.deck != deck:
            deck = change.deck
            verb = "would change" if dry_run else "changed"
            out.print(f"Cards that {verb} in {terminal_safe(deck)}:", markup=False)
        out.print(f"  {terminal_safe(change.summary())}", markup=False, soft_wrap=True)


@click.command()
@_paths
@click.option(
    "--strict",
    is_flag=True,
    help="Fail (exit 1) on warnings too: the rules of formulating knowledge (long lists, "
    "long answers, vague cues, citations in answers, contradictions), ids, reverse cards.",
)
def lint(paths: tuple[Path, ...], strict: bool) -> None:
    """Check deck files; print every problem as path:line: message (exit 1 on errors).

    Warnings name their rule (path:line: warning: long-list: …) and say how to mend it;
    with --strict they fail the check too.
    """
    from flashcards.authoring.decks import load_deck_set

    check_importable(paths)
    decks, problems = load_deck_set(list(paths))
    for problem in problems:
        click.echo(terminal_safe(str(problem)))
    errors = sum(p.severity == "error" for p in problems)
    warnings = len(problems) - errors
    summary = f"{errors} error(s), {warnings} warning(s)"
    if errors:
        raise click.ClickException(summary)
    if strict and warnings:
        raise click.ClickException(f"{summary} (--strict fails on warnings)")
    click.echo(f"{len(decks)} deck file(s) checked: {summary}", err=True)


@click.command()
@click.argument("targets", metavar="DECK|PATH...", nargs=-1, required=True)
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
def cards(targets: tuple[str, ...], as_json: bool) -> None:
    """Preview every card a deck or a deck file makes: question, answer, kind, id.

    PATH is a deck file (or a folder of them) not yet imported: nothing is written.
    DECK is a deck in the database, by full name (with its sub-decks) or id. Give as
    many as you like, as `import` and `lint` take them.
    """
    from flashcards.study.previewing import preview_deck, preview_files

    paths = [
        Path(t) for t in targets if Path(t).exists() or Path(t).suffix.lower() in DECK_SUFFIXES
    ]
    previews: list[CardPreview] = []
    if paths:
        check_importable(tuple(paths))
        previews, warnings = preview_files(pass_app(), paths)
        for warning in warnings:
            click.echo(terminal_safe(str(warning)), err=True)
    for target in targets:
        if Path(target) not in paths:
            previews += preview_deck(pass_app(existing=True), target)
    if as_json:
        print_json([preview.as_json() for preview in previews])
        return
    from rich.table import Table
    from rich.text import Text

    from flashcards.anki.html import terminal_text

    several = len({p.deck for p in previews}) > 1
    table = Table(show_lines=True)
    for column in (["Deck"] if several else []) + ["Question", "Answer", "Kind", "Id"]:
        # An id is what an instructor looks up: wrapped, never cut short.
        table.add_column(column, overflow="fold")
    for p in previews:
        # As a review shows them: an imported card's HTML as text, its tags gone.
        answer = terminal_text(p.answer, p.html)
        answer += f"\n({terminal_text(p.extra, p.html)})" if p.extra else ""
        if p.ask == "any" and "\n" in p.answer:
            answer = f"Any one of:\n{answer}"
        if p.accept:
            answer += "\nAlso right: " + "; ".join(terminal_text(a, p.html) for a in p.accept)
        if p.note:
            answer += f"\nNote: {terminal_text(p.note, p.html)}"
        cells = [terminal_text(p.question, p.html), answer, p.kind, p.id]
        # Text, not markup: a card's "[link=…]" or "[image]" is shown as it is.
        table.add_row(*(Text(terminal_safe(c)) for c in ([p.deck] if several else []) + cells))
    if not several and previews:
        table.title = Text(terminal_safe(previews[0].deck))
    out_console().print(table)
    click.echo(f"{len(previews)} card(s)", err=True)
