"""``export``: decks as an Anki package (.apkg), optionally with the student's schedule."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import err_console, print_json, terminal_safe

if TYPE_CHECKING:
    from flashcards.study.exporting import ExportReport

__all__ = ["export_command"]


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"


def _changes_line(report: ExportReport) -> str:
    c = report.changes
    if not c.previous:
        notes = _plural(report.notes, "note")
        return f"No previous export at {report.path}: Anki will add all {notes}."
    line = (
        f"Compared with the previous export at {report.path}: Anki will add {c.added}, "
        f"update {c.updated} and leave {c.unchanged} alone"
    )
    if c.dropped:
        line += f"; {_plural(c.dropped, 'note')} no longer exported (Anki keeps them)"
    return line + "."


def _notes_line(report: ExportReport) -> str:
    """The Anki notes, and why they are fewer than the notes here (which `import` and
    `decks` count) when they are."""
    notes = _plural(report.notes, "Anki note")
    if report.notes_here == report.notes or not report.diagrams:
        return notes
    return (
        f"{notes} ({_plural(report.notes_here, 'note')} here: each labelled diagram is one "
        f"Image Occlusion note, {_plural(report.diagrams, 'diagram')} with "
        f"{_plural(report.diagram_labels, 'label')})"
    )


def _render(report: ExportReport) -> None:
    # Plain lines, never wrapped: paths and deck names stay whole for copying.
    verb = "Would export" if report.dry_run else "Exported"
    target = "" if report.dry_run else f" to {report.path}"
    lines = [f"{verb} {_plural(len(report.decks), 'deck')}{target}:"]
    lines += [f"  {name}" for name in report.decks]
    lines.append(
        f"{_notes_line(report)}, {_plural(report.cards, 'card')}, "
        f"{_plural(report.media, 'media file')}"
    )
    lines.append(_changes_line(report))
    if report.progress is not None:
        p = report.progress
        lines.append(
            f"Progress of {report.user}: {_plural(p.review_cards, 'reviewed card')} "
            f"({p.suspended} suspended), {_plural(p.reviews, 'answer')} in the review log. "
            "In Anki, import with “Import any learning progress” on to keep them."
        )
    if report.dry_run:
        lines.append(f"Dry run: nothing was written to {report.path}.")
    for line in lines:
        click.echo(terminal_safe(line))


@click.command("export")
@click.argument("decks", nargs=-1, metavar="[DECK]...")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(path_type=Path, dir_okay=False),
    metavar="FILE.apkg",
    help="The package to write; an earlier export there is replaced (and compared), any "
    "other file is not (see --force).",
)
@click.option(
    "--with-progress",
    is_flag=True,
    help="Include your schedule and review log, so Anki carries on where you are.",
)
@click.option(
    "--dry-run",
    is_flag=True,
    help="Show what Anki would add, update and leave alone compared with the "
    "previous export at FILE; write nothing.",
)
@click.option(
    "--force",
    is_flag=True,
    help="Replace FILE even when it is not an earlier export (someone else's package), "
    "without comparing.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON.")
def export_command(
    decks: tuple[str, ...],
    output: Path,
    with_progress: bool,
    dry_run: bool,
    force: bool,
    as_json: bool,
) -> None:
    """Export decks to an Anki package (every deck when no DECK is named).

    A DECK is a full name (with its sub-decks) or a deck id. Exporting again after
    editing a deck file updates those notes in Anki and keeps their review history
    there; notes you did not change here are left as they are in Anki.
    """
    from flashcards.cli.importing import freeze_at_exit
    from flashcards.study.exporting import export_package

    freeze_at_exit()
    err = err_console()
    report = export_package(
        pass_app(existing=True),
        list(decks),
        output,
        with_progress=with_progress,
        dry_run=dry_run,
        force=force,
        announce=lambda message: (
            err.print(terminal_safe(message), style="dim", markup=False)
            if err.is_terminal
            else None
        ),
    )
    for warning in report.warnings:
        click.secho(f"warning: {terminal_safe(warning)}", fg="yellow", err=True)
    if as_json:
        print_json(report.as_json())
        return
    _render(report)
