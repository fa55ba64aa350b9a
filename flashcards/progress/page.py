"""Self-contained HTML pages of progress, with inline SVG charts. Pure: strings in, a page out.

A page loads nothing: no script, no font, no image from anywhere (its Content-Security-
Policy forbids it too), so a student can open it offline or send it as one file. Every
piece of text from the database is escaped: card text may hold ``<`` or markup.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Iterator, Sequence

from flashcards.progress.figures import (
    MIN_WEAK_SPOT_ANSWERS,
    CardCounts,
    DueDay,
    HeatmapDay,
    Recall,
    Retention,
    Streak,
    WeakSpot,
)
from flashcards.progress.words import plural

__all__ = [
    "FAILED_BAR",
    "FORECAST_BAR",
    "HEAT_LEVELS",
    "TODAY_BAR",
    "Markup",
    "counts_bar",
    "forecast_svg",
    "heatmap_svg",
    "page",
    "page_pieces",
    "percent",
    "rate_bar",
    "region_name",
    "section",
    "section_pieces",
    "spot_label",
    "stats_page",
    "table",
    "table_pieces",
    "tiles",
]

FORECAST_BAR = "#3b82f6"
TODAY_BAR = "#f59e0b"
HEAT_EMPTY = "#e5e7eb"
HEAT_LEVELS = ("#9be9a8", "#40c463", "#30a14e", "#216e39")
COUNT_COLOURS = {
    "new": "#60a5fa",
    "learning": "#fbbf24",
    "young": "#4ade80",
    "mature": "#15803d",
    "suspended": "#9ca3af",
}

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:60rem;padding:0 1rem;color:#1f2937;background:#fff}
h1{margin:0 0 .2rem;font-size:1.6rem}h2{font-size:1.15rem;margin:2rem 0 .6rem}
.sub{color:#6b7280;margin:0 0 1.5rem}.note{color:#6b7280;font-size:.85rem}
.tiles{display:flex;flex-wrap:wrap;gap:.8rem}
.tile{border:1px solid #e5e7eb;border-radius:.5rem;padding:.6rem 1rem;min-width:8rem}
.tile b{display:block;font-size:1.5rem}
table{border-collapse:collapse;font-size:.9rem}
th,td{padding:.3rem .7rem;text-align:left;border-bottom:1px solid #f0f0f0}
th{color:#6b7280;font-weight:600}
td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
svg{max-width:100%;height:auto}svg text{font-size:11px;fill:#4b5563}
svg.bar{max-width:none;flex:none}
.legend span{display:inline-block;margin-right:1rem}
.sw{display:inline-block;width:.8rem;height:.8rem;border-radius:2px;vertical-align:middle;
margin-right:.3rem}
@media (max-width:36rem){body{margin:1rem auto;padding:0 .5rem}
.tile{min-width:0;flex:1 1 6rem}
table,tbody,tr,td{display:block;width:100%}thead{display:none}
tr{border-bottom:1px solid #e5e7eb;padding:.4rem 0}
td,td.n{border:0;padding:.1rem 0;text-align:left;white-space:normal}
td[data-label]::before{content:attr(data-label) ": ";color:#6b7280}
svg.bar{width:8rem!important;min-width:0!important}}
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)} %"


def page(title: str, subtitle: str, sections: Iterable[str]) -> str:
    """One HTML document; ``sections`` are HTML fragments already escaped."""
    return "".join(page_pieces(title, subtitle, sections))


def page_pieces(
    title: str, subtitle: str, sections: Iterable[str | Iterable[str]]
) -> Iterator[str]:
    """``page``'s text a piece at a time, for a page too big to hold whole (a class's every
    card): a section is a fragment, or its fragments in order (``section_pieces``)."""
    csp = "default-src 'none'; style-src 'unsafe-inline'; img-src data:"
    yield (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{_STYLE}</style></head>\n<body>"
        f'<h1>{_e(title)}</h1><p class="sub">{_e(subtitle)}</p>\n'
    )
    for n, section in enumerate(sections):
        if n:
            yield "\n"
        if isinstance(section, str):
            yield section
        else:
            yield from section
    yield "\n</body></html>\n"


def tiles(items: Iterable[tuple[str, str, str]]) -> str:
    """Big figures: (label, value, note)."""
    cells = "".join(
        f'<div class="tile">{_e(label)}<b>{_e(value)}</b><span class="note">{_e(note)}</span></div>'
        for label, value, note in items
    )
    return f'<div class="tiles">{cells}</div>'


def forecast_svg(days: Sequence[DueDay]) -> str:
    """Bars of reviews due per day, today first (in another colour), counts on top."""
    width, height, left, bottom, top_pad = 720, 210, 34, 28, 18
    slot = (width - left) / max(1, len(days))
    top = max((d.due for d in days), default=0) or 1
    plot = height - bottom - top_pad
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Due reviews per day">',
        f'<line x1="{left}" y1="{height - bottom}" x2="{width}" y2="{height - bottom}" '
        'stroke="#9ca3af"/>',
        f'<text x="{left - 6}" y="{top_pad + 4}" text-anchor="end">{top}</text>',
        f'<text x="{left - 6}" y="{height - bottom}" text-anchor="end">0</text>',
    ]
    for i, day in enumerate(days):
        x = left + i * slot + slot * 0.15
        h = plot * day.due / top
        y = height - bottom - h
        colour = TODAY_BAR if i == 0 else FORECAST_BAR
        tip = f"{day.day.isoformat()}: {day.due} due"
        if day.due:
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{slot * 0.7:.1f}" height="{h:.1f}" '
                f'fill="{colour}"><title>{_e(tip)}</title></rect>'
                f'<text x="{x + slot * 0.35:.1f}" y="{y - 4:.1f}" text-anchor="middle">'
                f"{day.due}</text>"
            )
        if i % 7 == 0:
            label = "today" if i == 0 else day.day.strftime("%b %d")
            parts.append(
                f'<text x="{x + slot * 0.35:.1f}" y="{height - 8}" text-anchor="middle">'
                f"{_e(label)}</text>"
            )
    return "".join(parts) + "</svg>"


def _heat_colour(reviews: int, top: int) -> str:
    if not reviews or not top:
        return HEAT_EMPTY
    return HEAT_LEVELS[min(3, (reviews * 4 - 1) // top)]


def heatmap_svg(days: Sequence[HeatmapDay], today: dt.date, weeks: int = 53) -> str:
    """A year of study days: weeks as columns, Monday on top, this week last."""
    cell, gap, left, head = 12, 3, 30, 16
    counts = {d.day: d.reviews for d in days}
    top = max(counts.values(), default=0)
    start = today - dt.timedelta(days=today.weekday() + 7 * (weeks - 1))
    oldest = today - dt.timedelta(days=364)
    width = left + weeks * (cell + gap)
    height = head + 7 * (cell + gap)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Answers per day">'
    ]
    for row, name in ((0, "Mon"), (2, "Wed"), (4, "Fri"), (6, "Sun")):
        parts.append(f'<text x="0" y="{head + row * (cell + gap) + cell - 2}">{name}</text>')
    for w in range(weeks):
        monday = start + dt.timedelta(weeks=w)
        x = left + w * (cell + gap)
        if monday.day <= 7 and w < weeks - 2:
            parts.append(f'<text x="{x}" y="{head - 5}">{monday.strftime("%b")}</text>')
        for weekday in range(7):
            day = monday + dt.timedelta(days=weekday)
            if day > today or day < oldest:
                continue
            n = counts.get(day, 0)
            parts.append(
                f'<rect x="{x}" y="{head + weekday * (cell + gap)}" width="{cell}" '
                f'height="{cell}" rx="2" fill="{_heat_colour(n, top)}">'
                f"<title>{day.isoformat()}: {plural(n, 'answer')}</title></rect>"
            )
    return "".join(parts) + "</svg>"


def heat_legend() -> str:
    swatches = "".join(
        f'<span class="sw" style="background:{c}"></span>' for c in (HEAT_EMPTY, *HEAT_LEVELS)
    )
    return f'<p class="note">less {swatches} more</p>'


FAILED_BAR = "#dc2626"


def rate_bar(rate: float | None, width: int = 160, colour: str | None = None) -> str:
    """A small horizontal bar for a rate; a retention's colour says how good it is."""
    filled = 0.0 if rate is None else rate * width
    if colour is None:
        good = rate or 0.0
        colour = FAILED_BAR if good < 0.7 else "#f59e0b" if good < 0.85 else "#16a34a"
    return (
        f'<svg class="bar" xmlns="http://www.w3.org/2000/svg" width="{width}" height="12" '
        f'style="min-width:{width}px" viewBox="0 0 {width} 12">'
        f'<rect width="{width}" height="12" rx="2" fill="#f3f4f6"/>'
        f'<rect width="{filled:.1f}" height="12" rx="2" fill="{colour}"/></svg>'
    )


def counts_bar(counts: CardCounts) -> str:
    """Every active card in one stacked bar, by stage, with a legend."""
    width, height = 720, 22
    total = counts.total or 1
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="Cards by stage">'
    ]
    x = 0.0
    legend = []
    for stage, colour in COUNT_COLOURS.items():
        n = getattr(counts, stage)
        legend.append(
            f'<span><span class="sw" style="background:{colour}"></span>{n} {stage}</span>'
        )
        if n:
            w = width * n / total
            parts.append(
                f'<rect x="{x:.1f}" width="{w:.1f}" height="{height}" fill="{colour}">'
                f"<title>{n} {stage}</title></rect>"
            )
            x += w
    legend.append(f"<span>{counts.leeches} leeches</span>")
    return "".join(parts) + f'</svg><p class="legend">{"".join(legend)}</p>'


class Markup(str):
    """An HTML fragment built here, inserted into a table as it is."""


def table(headers: Sequence[str], rows: Iterable[Sequence[object]], numeric: set[int]) -> str:
    """A table of text cells (escaped) and ``Markup`` cells; ``numeric`` columns align right."""
    return "".join(table_pieces(headers, rows, numeric))


def table_pieces(
    headers: Sequence[str],
    rows: Iterable[Sequence[object]],
    numeric: set[int],
    rows_at_once: int = 1000,
) -> Iterator[str]:
    """``table``'s text a thousand rows at a time, the rows taken as they come."""
    # A phone shows each row as a block, each cell after its column's name.
    labels = [f' data-label="{_e(h)}"' if h else "" for h in headers]
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    yield f"<table><thead><tr>{head}</tr></thead><tbody>"
    body: list[str] = []
    for row in rows:
        cells = "".join(
            f"<td{' class=n' if i in numeric else ''}{labels[i] if i < len(labels) else ''}>"
            f"{cell if isinstance(cell, Markup) else _e(cell)}</td>"
            for i, cell in enumerate(row)
        )
        body.append(f"<tr>{cells}</tr>")
        if len(body) == rows_at_once:
            yield "".join(body)
            body.clear()
    yield "".join(body) + "</tbody></table>"


_SLUG = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*")


def region_name(region: str | None) -> str:
    """A region as its deck writes it ("Medial thigh" stays so); one written as a slug
    ("thigh-medial") is read as its words ("thigh medial"), never capitalised anew."""
    if not region:
        return "no region"
    return re.sub(r"[-_]", " ", region) if _SLUG.fullmatch(region) else region


def spot_label(region: str | None, field: str | None) -> str:
    """ "lumbar · innervation"; hand-written cards have neither region nor field."""
    what = field.replace("_", " ") if field else "own cards"
    return f"{region_name(region)} · {what}"


def _recall_row(name: str, r: Recall) -> tuple[object, ...]:
    return (name, Markup(rate_bar(r.rate)), percent(r.rate), f"{r.passed}/{r.reviewed}")


def section(title: str, body: str, note: str = "") -> str:
    return "".join(section_pieces(title, [body], note))


def section_pieces(title: str, body: Iterable[str], note: str = "") -> Iterator[str]:
    note_html = f'<p class="note">{_e(note)}</p>' if note else ""
    yield f"<section><h2>{_e(title)}</h2>{note_html}"
    yield from body
    yield "</section>"


def stats_page(
    *,
    user: str,
    scope: str,
    today: dt.date,
    reviews_total: int,
    streak: Streak,
    retention: Retention,
    forecast: Sequence[DueDay],
    heatmap: Sequence[HeatmapDay],
    cards: CardCounts,
    weakness: Sequence[WeakSpot],
) -> str:
    """A student's progress page: the same figures as ``flashcards stats``."""
    due = sum(d.due for d in forecast)
    r = retention
    head = tiles(
        [
            ("Due today", str(forecast[0].due if forecast else 0), f"{due} in 30 days"),
            ("Streak", f"{streak.current} d", f"longest {streak.longest} d"),
            ("Retention", percent(r.all.rate), f"{r.all.passed}/{r.all.reviewed}, 30 days"),
            ("Answers", str(reviews_total), "re-drills included"),
        ]
    )
    recall_rows = [
        _recall_row("young (interval < 21 days)", r.young),
        _recall_row("mature (interval ≥ 21 days)", r.mature),
        _recall_row("all", r.all),
    ]
    spots = [_recall_row(spot_label(w.region, w.field), w.recall) for w in weakness]
    sections = [
        head,
        section(
            "Due reviews, next 30 days", forecast_svg(forecast), "overdue cards count on today"
        ),
        section(
            "Answers, last 12 months",
            heatmap_svg(heatmap, today) + heat_legend(),
            f"streak {plural(streak.current, 'day')}, longest {streak.longest}",
        ),
        section(
            "True retention, last 30 days",
            table(["cards", "", "retention", "recalled"], recall_rows, {2, 3}),
            "each card's first grade of the day; recalled = grade 3 or more",
        ),
        section("Cards", counts_bar(cards)),
    ]
    if spots:
        sections.append(
            section(
                "Weak spots",
                table(["region · field", "", "retention", "recalled"], spots, {2, 3}),
                "retention by region and field, worst first: what to revisit (spots with "
                f"{MIN_WEAK_SPOT_ANSWERS} answers or more; recalled = of how many)",
            )
        )
    return page(f"Progress of {user}", f"{scope} · {today.isoformat()}", sections)
