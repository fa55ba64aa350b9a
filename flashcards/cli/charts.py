"""Terminal charts with rich: the due forecast, the review calendar, retention, weak spots,
and the instructor's tables.

Every chart reads without colour too (``NO_COLOR``, a pipe): bar heights are block
characters and heatmap levels are shades (░▒▓█), colour only repeats them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from flashcards.cli.render import terminal_safe
from flashcards.progress.figures import (
    MIN_WEAK_SPOT_ANSWERS,
    CardCounts,
    DueDay,
    HeatmapDay,
    Recall,
    Retention,
    WeakSpot,
)
from flashcards.progress.page import percent, spot_label
from flashcards.progress.words import plural

if TYPE_CHECKING:
    from flashcards.study.reporting import ClassReport
    from flashcards.study.statistics import StudentStats

__all__ = [
    "forecast_chart",
    "heatmap_calendar",
    "report_view",
    "stats_view",
]

_EIGHTHS = " ▁▂▃▄▅▆▇█"
_SHADES = "░▒▓█"
_HEAT_STYLES = ("green4", "green3", "green1", "bold bright_green")
_WEEKDAYS = ("Mon", "", "Wed", "", "Fri", "", "Sun")


def forecast_chart(days: Sequence[DueDay], height: int = 8) -> Text:
    """Vertical bars, two columns per day, with each day's count under the axis."""
    top = max((d.due for d in days), default=0)
    text = Text()
    if top == 0:
        return text.append("  nothing due in the next 30 days\n", style="dim")
    # in eighths of a row; a day with any card due shows at least a sliver
    eighths = [max(1, round(d.due * height * 8 / top)) if d.due else 0 for d in days]
    axis = len(str(top))
    for row in range(height - 1, -1, -1):
        text.append(f"{top if row == height - 1 else '':>{axis}} │", style="dim")
        for i, e in enumerate(eighths):
            fill = min(8, max(0, e - row * 8))
            text.append(" " + _EIGHTHS[fill], style="bold yellow" if i == 0 else "cyan")
        text.append("\n")
    text.append(" " * axis + " └" + "──" * len(days) + "\n", style="dim")
    # Two columns per day leave no room between two-digit counts: alternate days go on
    # two rows, each count ending under its bar.
    for parity in (0, 1):
        counts = [" "] * (len(days) * 2 + 2)
        for i in range(parity, len(days), 2):
            label = str(days[i].due) if days[i].due else ""
            end = i * 2 + 2
            counts[max(0, end - len(label)) : end] = label[-end:]
        text.append(" " * (axis + 2) + "".join(counts).rstrip() + "\n")
    ticks = [" "] * (len(days) * 2 + 6)
    for i in range(0, len(days), 7):
        label = "today" if i == 0 else days[i].day.strftime("%m-%d")
        for j, ch in enumerate(label):
            if i * 2 + 1 + j < len(ticks):
                ticks[i * 2 + 1 + j] = ch
    return text.append(" " * axis + "  " + "".join(ticks).rstrip() + "\n", style="dim")


def _level(reviews: int, top: int) -> int:
    """0..3: which quarter of the busiest day's count a day reaches."""
    return min(3, (reviews * 4 - 1) // top) if top else 0


def heatmap_calendar(days: Sequence[HeatmapDay], today: dt.date, weeks: int = 53) -> Text:
    """A year of study days as weeks (columns) by weekdays (rows), ending this week."""
    counts = {d.day: d.reviews for d in days}
    top = max(counts.values(), default=0)
    start = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    months = [" "] * weeks
    for w in range(weeks):
        first = start + dt.timedelta(weeks=w)
        month_start = first.day <= 7 and (w == 0 or first.month != (first - dt.timedelta(7)).month)
        if month_start and w + 3 <= weeks and (w == 0 or months[w - 1] == " "):
            months[w : w + 3] = first.strftime("%b")
    text = Text("     " + "".join(months).rstrip() + "\n", style="dim")
    oldest = today - dt.timedelta(days=364)
    for weekday in range(7):
        text.append(f"{_WEEKDAYS[weekday]:<4} ", style="dim")
        for w in range(weeks):
            day = start + dt.timedelta(weeks=w, days=weekday)
            if day > today or day < oldest:
                text.append(" ")
            elif counts.get(day):
                level = _level(counts[day], top)
                text.append(_SHADES[level], style=_HEAT_STYLES[level])
            else:
                text.append("·", style="grey35")
        text.append("\n")
    text.append("     less ", style="dim").append("·", style="grey35")
    for level, shade in enumerate(_SHADES):
        text.append(shade, style=_HEAT_STYLES[level])
    return text.append(" more\n", style="dim")


def _recall_cells(recall: Recall) -> tuple[str, str]:
    return percent(recall.rate), f"{recall.passed}/{recall.reviewed}"


def retention_table(retention: Retention) -> Table:
    table = Table(box=None, padding=(0, 2), show_header=True, header_style="dim")
    table.add_column("cards", style="bold")
    table.add_column("retention", justify="right")
    table.add_column("recalled", justify="right", style="dim")
    table.add_row("young (< 21 days)", *_recall_cells(retention.young))
    table.add_row("mature (≥ 21 days)", *_recall_cells(retention.mature))
    table.add_row("all", *_recall_cells(retention.all))
    return table


def counts_line(counts: CardCounts) -> Text:
    parts = [
        (counts.new, "new", "blue"),
        (counts.learning, "learning", "yellow"),
        (counts.young, "young", "green"),
        (counts.mature, "mature", "bright_green"),
        (counts.suspended, "suspended", "dim"),
        (counts.leeches, "leeches", "red"),
    ]
    text = Text("Cards: ", style="bold")
    for i, (n, label, style) in enumerate(parts):
        text.append(" · " if i else "").append(f"{n} {label}", style=style)
    return text


def _bar(rate: float, width: int = 12) -> Text:
    filled = round(rate * width)
    style = "red" if rate < 0.7 else "yellow" if rate < 0.85 else "green"
    return Text("█" * filled, style=style).append("░" * (width - filled), style="grey35")


def weakness_table(spots: Sequence[WeakSpot], limit: int = 12) -> Table:
    table = Table(box=None, padding=(0, 2), show_header=False)
    table.add_column("spot")
    table.add_column("bar")
    table.add_column("retention", justify="right", style="bold")
    table.add_column("recalled", justify="right", style="dim")
    for spot in spots[:limit]:
        rate = spot.recall.rate or 0.0
        table.add_row(
            _plain(spot_label(spot.region, spot.field)),
            _bar(rate),
            percent(spot.recall.rate),
            f"{spot.recall.passed}/{spot.recall.reviewed}",
        )
    return table


def _plain(text: str, style: str = "") -> Text:
    """Text from the database as it is: never rich markup, never terminal control codes."""
    return Text(terminal_safe(text), style=style)


def _heading(title: str, note: str = "") -> Text:
    text = Text("\n").append(title, style="bold underline")
    return text.append(f"  {note}", style="dim") if note else text


def stats_view(s: StudentStats) -> Group:
    due = sum(d.due for d in s.forecast)
    today_due = s.forecast[0].due if s.forecast else 0
    scope = s.deck or "all decks"
    parts: list[RenderableType] = [
        _plain(f"Progress of {s.user} · {scope} · {s.today.isoformat()}", style="bold"),
        _heading("Due reviews, next 30 days", f"{due} in all, {today_due} today"),
        forecast_chart(s.forecast),
        _heading(
            "Answers, last 12 months",
            f"{plural(s.reviews_total, 'answer')} in all · streak "
            f"{plural(s.streak.current, 'day')}, longest {s.streak.longest}",
        ),
        heatmap_calendar(s.heatmap, s.today),
        _heading("True retention, last 30 days", "each card's first grade of the day, 3+"),
        retention_table(s.retention),
        Text(),
        counts_line(s.cards),
    ]
    if s.weakness:
        parts += [
            _heading(
                "Weak spots",
                f"retention by region · field, worst first; spots with "
                f"{MIN_WEAK_SPOT_ANSWERS} answers or more (recalled/answers)",
            ),
            weakness_table(s.weakness),
        ]
    if not s.has_answers:
        parts.append(Text("\nNo answers yet: `flashcards review` starts today's session."))
    return Group(*parts)


def report_view(r: ClassReport) -> Group:
    students = Table(title="Students", title_justify="left", title_style="bold")
    for column in ("student", "last review", "answers 7 d", "streak", "retention 30 d"):
        students.add_column(column, justify="left" if column == "student" else "right")
    for s in r.students:
        students.add_row(
            _plain(s.name),
            s.last_review.isoformat() if s.last_review else "never",
            str(s.reviews_recent),
            str(s.streak.current),
            f"{percent(s.retention.rate)} ({s.retention.passed}/{s.retention.reviewed})",
        )
    hardest = Table(title="Hardest cards", title_justify="left", title_style="bold")
    for column in ("card", "students", "failed", "lapse rate", "first grade"):
        hardest.add_column(column, justify="left" if column == "card" else "right")
    for c in r.hardest[:10]:
        d = c.difficulty
        first = d.mean_first_grade
        hardest.add_row(
            _plain(c.question),
            str(d.students),
            f"{percent(d.fail_rate)} ({d.failed}/{d.grades})",
            percent(d.lapse_rate),
            "—" if first is None else f"{first:.1f}",
        )
    fields = Table(title="Hardest fields", title_justify="left", title_style="bold")
    for column in ("field", "cards", "failed", "lapse rate", "first grade"):
        fields.add_column(column, justify="left" if column == "field" else "right")
    for f in r.fields:
        d = f.difficulty
        first = d.mean_first_grade
        fields.add_row(
            _plain((f.field or "own cards").replace("_", " ")),
            str(f.cards),
            f"{percent(d.fail_rate)} ({d.failed}/{d.grades})",
            percent(d.lapse_rate),
            "—" if first is None else f"{first:.1f}",
        )
    scope = r.deck or "all decks"
    head = _plain(
        f"Class report · {scope} · {r.today.isoformat()} · {len(r.students)} student(s), "
        f"{r.summary.answered} of {r.summary.cards} card(s) answered",
        style="bold",
    )
    return Group(head, Text(), students, Text(), hardest, Text(), fields)
