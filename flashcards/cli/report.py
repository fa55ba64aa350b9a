"""``report``: the instructor's view across every user: hardest cards and fields, and each
student's activity, in the terminal, as JSON, CSV or one HTML page."""

from __future__ import annotations

import csv
import itertools
import json
import sys
from collections.abc import Iterable, Iterator, Mapping
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import out_console
from flashcards.cli.stats import check_page_target, html_option, write_page

if TYPE_CHECKING:
    from flashcards.study.reporting import ClassReport

__all__ = ["report"]

CSV_TABLES = ("cards", "fields", "students")

# print_json indents by two spaces: a row of the report's last table sits two levels deep.
_ROW_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str, separators=(",\n      ", ": "))
_ROWS_AT_ONCE = 1000


def _json_text(
    head: Mapping[str, object], key: str, rows: Iterable[Mapping[str, object]]
) -> Iterator[str]:
    """The text ``print_json`` gives ``head`` with ``key: rows`` added last, in pieces.

    Indenting, the json module encodes in Python: seconds for a class's table of cards.
    A flat row (no value a list or an object) has the same text from the C encoder, the
    indent given as the separator between its values.
    """
    text = json.dumps({**head, key: []}, indent=2, ensure_ascii=False, default=str)
    opening = text.removesuffix("[]\n}")  # up to the table, still empty
    encoded = ("{\n      " + _ROW_ENCODER.encode(row)[1:-1] + "\n    }" for row in rows)
    started = False
    while batch := list(islice(encoded, _ROWS_AT_ONCE)):
        yield (",\n    " if started else opening + "[\n    ") + ",\n    ".join(batch)
        started = True
    yield "\n  ]\n}" if started else text


def _print_json(report: ClassReport) -> None:
    """``print_json(report.as_json())``, the card table written as it is encoded."""
    sys.stdout.flush()
    for piece in _json_text(report.summary_json(), "cards", (c.as_json() for c in report.cards)):
        click.echo(piece, nl=False)
    click.echo()


def _csv(report: ClassReport, table: str) -> None:
    rows: Iterator[dict[str, object]]
    if table == "students":
        rows = (s.as_json() for s in report.students)
    elif table == "fields":
        rows = (f.as_json() for f in report.fields)
    else:
        rows = (c.as_json() for c in report.cards)  # written as they are read
    first = next(rows, None)
    if first is None:
        return
    writer = csv.DictWriter(sys.stdout, fieldnames=list(first), lineterminator="\n")
    writer.writeheader()
    for row in itertools.chain([first], rows):
        writer.writerow({k: "" if v is None else v for k, v in row.items()})


def _html(report: ClassReport) -> Iterator[str]:
    """The report as one HTML page, in pieces: the table of every card is written as it is
    read, never held whole."""
    from flashcards.progress.page import (
        FAILED_BAR,
        Markup,
        page_pieces,
        percent,
        rate_bar,
        section,
        section_pieces,
        table,
        table_pieces,
    )

    def first(value: float | None) -> str:
        return "—" if value is None else f"{value:.1f}"

    students = table(
        ["student", "last review", "answers, 7 days", "streak", "", "retention, 30 days"],
        [
            (
                s.name,
                s.last_review.isoformat() if s.last_review else "never",
                s.reviews_recent,
                s.streak.current,
                Markup(rate_bar(s.retention.rate)),
                f"{percent(s.retention.rate)} ({s.retention.passed}/{s.retention.reviewed})",
            )
            for s in report.students
        ],
        {2, 3, 5},
    )
    hardest = table(
        ["card", "deck", "students", "", "failed", "lapse rate", "mean first grade"],
        [
            (
                c.question,
                c.card.deck_name,
                c.difficulty.students,
                Markup(rate_bar(c.difficulty.fail_rate, colour=FAILED_BAR)),
                f"{percent(c.difficulty.fail_rate)} ({c.difficulty.failed}/{c.difficulty.grades})",
                percent(c.difficulty.lapse_rate),
                first(c.difficulty.mean_first_grade),
            )
            for c in report.hardest[:10]
        ],
        {2, 4, 5, 6},
    )
    fields = table(
        ["field", "cards", "", "failed", "lapse rate", "mean first grade"],
        [
            (
                (f.field or "own cards").replace("_", " "),
                f.cards,
                Markup(rate_bar(f.difficulty.fail_rate, colour=FAILED_BAR)),
                percent(f.difficulty.fail_rate),
                percent(f.difficulty.lapse_rate),
                first(f.difficulty.mean_first_grade),
            )
            for f in report.fields
        ],
        {1, 3, 4, 5},
    )
    every = table_pieces(
        ["card", "deck", "students", "failed", "lapse rate", "mean first grade"],
        (  # taken a row at a time as the cards are read
            (
                c.question,
                c.card.deck_name,
                c.difficulty.students,
                percent(c.difficulty.fail_rate),
                percent(c.difficulty.lapse_rate),
                first(c.difficulty.mean_first_grade),
            )
            for c in report.cards
        ),
        {2, 3, 4, 5},
    )
    note = "failed: the share of the day's first grades below 3 (the bar)"
    return page_pieces(
        "Class report",
        f"{report.deck or 'all decks'} · {report.today.isoformat()} · "
        f"{len(report.students)} student(s)",
        [
            section("Students", students, "answers include same-day re-drills"),
            section("Hardest cards", hardest, note),
            section("Hardest fields", fields),
            section_pieces("Every card", every),
        ],
    )


@click.command()
@click.argument("deck", required=False, metavar="[DECK]")
@click.option("--json", "as_json", is_flag=True, help="Print the whole report as JSON.")
@click.option("--csv", "as_csv", is_flag=True, help="Print one table as CSV (see --table).")
@click.option(
    "--table",
    "csv_table",
    type=click.Choice(CSV_TABLES),
    help="Which table --csv prints (default: cards).",
)
@html_option
def report(
    deck: str | None, as_json: bool, as_csv: bool, csv_table: str | None, html_path: Path | None
) -> None:
    """Instructor's view across every user: each card's students, fail and lapse rates
    and mean first grade; the hardest cards and fields; each student's activity.

    DECK is a full deck name (with its sub-decks) or a deck id; without it, every deck.
    """
    from flashcards.study.reporting import class_report

    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if csv_table is not None and not as_csv:
        raise click.UsageError("--table chooses the table of --csv")
    if html_path is not None:
        check_page_target(html_path)  # before the figures: a wrong name costs nothing
    figures = class_report(pass_app(existing=True), deck)
    if html_path is not None:
        write_page(html_path, _html(figures))
    if as_json:
        _print_json(figures)
    elif as_csv:
        _csv(figures, csv_table or "cards")
    elif html_path is None:
        from flashcards.cli.charts import report_view

        out_console().print(report_view(figures))
