"""``review`` and ``undo``: today's SM-2 session, read line by line from standard input.

Each card reads one line to reveal the answer and one line with the grade, so a
session can be scripted. With ``--typed`` the first line is the answer itself, graded
by ``flashcards.grading`` and shown as a word diff; the second accepts that grade
(Enter) or gives another. Every grade is committed before the next card is shown.
"""

from __future__ import annotations

import datetime as dt
import time
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
    terminal_safe,
)
from flashcards.cli.screen import INTERRUPTED, show_suggestion
from flashcards.cli.screen import Quit as _Quit
from flashcards.cli.screen import read_line as _read_line

if TYPE_CHECKING:
    from rich.console import Console

    from flashcards.cli.images import ShownImage
    from flashcards.scheduling.queue import Entry
    from flashcards.study.counts import TodayCounts
    from flashcards.study.reviewing import GradeOutcome, ReviewSession
    from flashcards_db.queries.study import StudyCard

__all__ = ["review", "undo"]

REVEAL_HINT = "Enter: show answer · s: suspend · u: undo · q: quit"
GRADE_HINT = "Grade 0-5 · u: undo · s: suspend · q: quit"
TYPED_HINT = "Type your answer (Enter alone: I don't know) · s: suspend · u: undo · q: quit"
ACCEPT_HINT = "Enter: accept {quality} · 0-5: your own grade · u: undo · s: suspend · q: quit"
# Short forms of the SM-2 scale (flashcards.sm2.QUALITY_MEANINGS has the full text).
SCALE = (
    "0 blackout · 1 wrong, familiar once seen · 2 wrong, easy once seen · "
    "3 right, hard · 4 right, hesitant · 5 perfect"
)


def _sides(card: StudyCard) -> tuple[str, str]:
    # Imported (Anki) and HTML decks keep their markup; the terminal shows it as text.
    from flashcards.anki.html import terminal_text

    if card.kind == "cloze":
        from flashcards.authoring.facts import render_cloze

        question, answer = render_cloze(card.front, card.ordinal)
        return terminal_text(question, card.html), terminal_text(answer, card.html)
    return terminal_text(card.front, card.html), terminal_text(card.back, card.html)


def _show_card(
    console: Console, session: ReviewSession, entry: Entry[StudyCard]
) -> ShownImage | None:
    from rich.panel import Panel
    from rich.text import Text

    from flashcards.cli.screen import progress_bar

    new, reviews, redrills = session.queue.left()
    more = "" if session.queue.counted else "+"  # a day too long to count up front
    # Cards, not answers: a failed card is one card left (its re-drill) until it passes.
    done = session.cards_done()
    left = len(session.queue)
    label = "re-drill" if entry.redrill else ("new" if entry.new else "review")
    console.print()
    console.print(
        f"[cyan]{progress_bar(done, done + left)}[/cyan] "
        f"[dim]{done} done · {left}{more} left "
        f"(new {new}, review {reviews}{more}, re-drill {redrills})[/dim]"
    )
    question, _ = _sides(entry.card)
    due = entry.card.due_day
    if not entry.redrill and due is not None and due > session.day:
        label = f"early review, due {due.isoformat()}"
    title = Text(f"{terminal_safe(entry.card.deck_name)} · {label}")
    console.print(Panel(Text(terminal_safe(question)), title=title, title_align="left"))
    if entry.card.image is None:
        return None
    from flashcards.cli.images import show_image

    return show_image(console, session.app, entry.card)


def _ask(console: Console, hint: str, image: ShownImage | None, *, keep_case: bool = False) -> str:
    """A prompt's line; ``o`` opens the card's image (in the viewer) and asks again."""
    if image is None:
        return _read_line(console, hint, keep_case=keep_case)
    from flashcards.cli.images import open_image

    while True:
        line = _read_line(console, f"{hint} · o: open the image", keep_case=keep_case)
        if line.lower() != "o":
            return line
        open_image(console, image)


def _show_answer(console: Console, entry: Entry[StudyCard]) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from flashcards.anki.html import terminal_text

    _, answer = _sides(entry.card)
    body = Text(terminal_safe(answer), style="bold")
    if entry.card.extra:
        extra = terminal_text(entry.card.extra, entry.card.html)
        body.append("\n" + terminal_safe(extra), style="dim")
    if entry.card.note:
        note = terminal_text(entry.card.note, entry.card.html)
        body.append("\nNote: " + terminal_safe(note), style="italic")
    console.print(Panel(body, title="Answer", title_align="left", border_style="green"))
    console.print(f"[dim]{SCALE}[/dim]")


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _undo(console: Console, session: ReviewSession) -> None:
    if session.undo() is None:
        console.print("[yellow]Nothing to undo in this session.[/yellow]")
    elif session.undone_kind == "suspension":
        console.print("[yellow]Took back the suspension: that card comes again.[/yellow]")
    else:
        console.print("[yellow]Took back the last grade: that card comes again.[/yellow]")


def _suspend(console: Console, session: ReviewSession) -> None:
    session.suspend()
    console.print("[yellow]Suspended: this card will not be asked again.[/yellow]")


def _study_one(console: Console, session: ReviewSession) -> None:
    """Ask the current card; returns after a grade, an undo or a suspension."""
    entry = session.queue.current
    assert entry is not None
    image = _show_card(console, session, entry)
    started = time.monotonic()
    action = _ask(console, REVEAL_HINT, image)
    if action in ACTIONS:
        ACTIONS[action](console, session)
        return
    _show_answer(console, entry)
    while True:
        action = _ask(console, GRADE_HINT, image)
        if action in ACTIONS:
            ACTIONS[action](console, session)
            return
        if action in GRADES:
            break
        console.print("[red]Type a grade from 0 to 5 (or u, s, q).[/red]")
    duration_ms = int((time.monotonic() - started) * 1000)
    _after_grade(console, session.grade(int(action), duration_ms=duration_ms))


def _after_grade(console: Console, outcome: GradeOutcome) -> None:
    """When the card comes back; a leech is set aside and the student told why."""
    if outcome.leech:
        console.print(
            f"[bold magenta]Leech:[/bold magenta] forgotten {plural(outcome.lapses, 'time')}. "
            "This card is now suspended: drilling it again would waste your time. "
            "Rewrite it, or learn it a new way (a drawing, a mnemonic)."
        )
        return
    if not outcome.scheduled:
        message = "again later in this session" if outcome.quality < 4 else "done for today"
        console.print(f"[dim]Re-drill: {message}.[/dim]")
    elif outcome.due_day is not None:
        later = " · once more later today" if outcome.quality < 4 else ""
        console.print(
            f"[green]Next review in {_days(outcome.interval)} "
            f"({outcome.due_day.isoformat()}){later}.[/green]"
        )


def _study_typed(console: Console, session: ReviewSession) -> None:
    """Ask the current card; the student types the answer and takes or changes the grade."""
    entry = session.queue.current
    assert entry is not None
    image = _show_card(console, session, entry)
    started = time.monotonic()
    typed = _ask(console, TYPED_HINT, image, keep_case=True)
    if typed.lower() in ACTIONS:
        ACTIONS[typed.lower()](console, session)
        return
    duration_ms = int((time.monotonic() - started) * 1000)
    suggestion = session.suggest(typed)
    _show_answer(console, entry)
    show_suggestion(console, entry.card.structure_name, entry.card.field, suggestion)
    while True:
        action = _ask(console, ACCEPT_HINT.format(quality=suggestion.quality), image)
        if action in ACTIONS:
            ACTIONS[action](console, session)
            return
        if action == "" or action in GRADES:
            break
        console.print(
            f"[red]Press Enter to accept {suggestion.quality}, or type a grade from 0 to 5 "
            "(or u, s, q).[/red]"
        )
    quality = suggestion.quality if action == "" else int(action)
    outcome = session.grade(
        quality,
        typed_answer=typed,
        duration_ms=duration_ms,
        confused_with=suggestion.confused_with,
    )
    _after_grade(console, outcome)


GRADES = frozenset("012345")
ACTIONS = {"u": _undo, "s": _suspend}


def _when(day: dt.date, today: dt.date) -> str:
    delta = (day - today).days
    if delta <= 0:
        return "today"
    if delta == 1:
        return f"tomorrow ({day.isoformat()})"
    return f"{day.isoformat()} (in {delta} days)"


def _summary(console: Console, session: ReviewSession, interrupted: bool) -> None:
    t = session.tally
    answers = t.first_grades + t.redrills
    console.print()
    if interrupted:
        console.print(
            "[yellow]Interrupted: every answer given so far is saved.[/yellow]", soft_wrap=True
        )
    parts = [f"{t.new} new", plural(t.reviews, "review"), plural(t.redrills, "re-drill")]
    line = f"Session over: {plural(answers, 'answer')} — " + ", ".join(parts)
    if t.first_grades:
        line += f" · {t.passed} of {t.first_grades} recalled (grade 3 or more)"
    if t.suspended:
        line += f" · {t.suspended} suspended"
    console.print(line, soft_wrap=True)
    _achievements(console, session)
    # What a plain `flashcards review` of these decks would ask now (as status counts).
    left = session.left_today()
    if left.left:
        console.print(
            f"{plural(left.left, 'card')} left for today ({_mix(left)}): "
            "`flashcards review` goes on.",
            soft_wrap=True,
        )
    else:
        _next_message(console, session)


def _mix(counts: TodayCounts) -> str:
    return (
        f"{counts.new} new, {plural(counts.due, 'review')}, {plural(counts.redrills, 're-drill')}"
    )


def _achievements(console: Console, session: ReviewSession) -> None:
    """Accuracy, time, leeches and confusions, tomorrow's load and the streak."""
    from flashcards.cli.screen import duration

    t = session.tally
    if t.first_grades:
        accuracy = round(100 * t.passed / t.first_grades)
        style = "green" if accuracy >= 80 else "yellow" if accuracy >= 60 else "red"
        console.print(
            f"Accuracy [bold {style}]{accuracy} %[/bold {style}] · time {duration(t.seconds)}",
            soft_wrap=True,
        )
    if t.leeches:
        console.print(
            f"[magenta]{plural(t.leeches, 'leech')} suspended this session.[/magenta]",
            soft_wrap=True,
        )
    if t.confusions:
        console.print(f"{plural(t.confusions, 'mix-up')} between cards noted.", soft_wrap=True)
    tomorrow = session.tomorrow()
    streak = session.streak()
    days = "day" if streak.current == 1 else "days"
    console.print(
        f"Tomorrow: {plural(tomorrow.due, 'review')} due, up to {tomorrow.new} new · "
        f"streak [bold]{streak.current}[/bold] {days} (longest {streak.longest})",
        soft_wrap=True,
    )


def _offer_quiz(console: Console, decks: tuple[str, ...]) -> None:
    import shlex

    from rich.text import Text

    command = "flashcards quiz" + (f" {shlex.quote(decks[0])}" if len(decks) == 1 else "")
    console.print(
        Text.assemble(
            "Want more? ",
            (terminal_safe(command), "bold"),
            " is a practice round that leaves your schedule alone.",
        ),
        soft_wrap=True,
    )


def _next_message(console: Console, session: ReviewSession) -> None:
    nxt = session.next_due()
    if nxt is not None and nxt > session.day:
        console.print(f"Next review due {_when(nxt, session.day)}.", soft_wrap=True)
    if session.new_limit_reached and session.new_left():
        console.print("Today's new cards are done; more new cards tomorrow.", soft_wrap=True)
    elif nxt is None and not session.new_left():
        console.print("No cards scheduled in these decks.", soft_wrap=True)


@click.command()
@click.argument("target", required=False, metavar="[DECK|PATH]")
@click.option(
    "--new",
    "new_cap",
    type=click.IntRange(min=0),
    help="N new cards this session, even above the daily limit (the session says so); "
    "0: reviews only.",
)
@click.option(
    "--limit",
    type=click.IntRange(min=1),
    help="At most N cards this session (1 or more; --new 0 is reviews only).",
)
@click.option(
    "--ahead",
    type=click.IntRange(min=1, max=3650),
    metavar="DAYS",
    help="Also study the cards due within the next DAYS days (before an exam): logged "
    "as early reviews.",
)
@click.option(
    "--typed",
    is_flag=True,
    help="Type each answer: it is graded for you (Enter accepts, 0-5 overrides).",
)
@click.option(
    "--leech-threshold",
    type=click.IntRange(min=1),
    show_default="8, or your `flashcards config leech-threshold`",
    help="Lapses after which a card is a leech and is suspended (also FLASHCARDS_LEECH_THRESHOLD).",
)
def review(
    target: str | None,
    new_cap: int | None,
    limit: int | None,
    ahead: int | None,
    typed: bool,
    leech_threshold: int | None,
) -> None:
    """Today's SM-2 session: due reviews first, then new cards.

    DECK is a full deck name (with its sub-decks) or a deck id; a PATH (deck file or
    folder) is imported first. Each card reads a line to reveal the answer (Enter), then
    a grade 0-5; q quits with everything saved, u undoes, s suspends. With --typed, type
    the answer instead: you see a word diff and a suggested grade, and Enter accepts it.
    """
    from flashcards.study.reviewing import ReviewSession

    app = pass_app()
    decks: tuple[str, ...] = ()
    deck_keys: tuple[str, ...] = ()
    if target and Path(target).exists():
        deck_keys = _import_first(Path(target))
    elif target:
        decks = (target,)
    session = ReviewSession(
        app,
        decks,
        deck_keys=deck_keys,
        new_cap=new_cap,
        limit=limit,
        leech_threshold=leech_threshold,
        ahead=ahead or 0,
    )
    console = out_console()
    if not session.has_decks:
        console.print("No decks yet. Start with the shipped ones: flashcards review decks/")
        return
    if not len(session.queue):
        console.print(f"Nothing to review today ({session.day.isoformat()}).")
        _next_message(console, session)
        _offer_quiz(console, decks or deck_keys)
        return
    new, reviews, redrills = session.queue.left()
    more = "" if session.queue.counted else " or more"
    console.print(
        f"[bold]{session.day.isoformat()}:[/bold] {plural(len(session.queue), 'card')}{more} — "
        f"{new} new, {plural(reviews, 'review')}{more}, {plural(redrills, 're-drill')}"
    )
    _limits_said(console, session, new_cap, ahead)
    interrupted = False
    try:
        while session.queue.current is not None:
            (_study_typed if typed else _study_one)(console, session)
    except _Quit:
        pass
    except KeyboardInterrupt:
        interrupted = True
    _summary(console, session, interrupted)
    if interrupted:  # every answer given is kept; the shell is told of the Ctrl-C
        click.get_current_context().exit(INTERRUPTED)


def _limits_said(
    console: Console, session: ReviewSession, new_cap: int | None, ahead: int | None
) -> None:
    """What this session does beyond the day's limits, said before the first card."""
    if new_cap is not None and session.new_above_limit:
        console.print(
            f"[yellow]--new {new_cap}: up to {session.new_above_limit} new card(s) above "
            f"today's limit of {session.new_per_day} "
            "(`flashcards config new-per-day` changes the limit).[/yellow]"
        )
    if ahead:
        console.print(
            f"[yellow]Studying ahead: cards due by {session.due_by.isoformat()} come now, "
            "as early reviews (each is scheduled from today).[/yellow]"
        )
    if session.reviews_left == 0:
        console.print(
            f"[yellow]Today's {session.reviews_per_day} review(s) are done "
            "(`flashcards config reviews-per-day`); the rest wait for tomorrow.[/yellow]"
        )


def _import_first(path: Path) -> tuple[str, ...]:
    from flashcards.cli.importing import check_importable
    from flashcards.study.importing import import_deck_files

    check_importable((path,))
    report = import_deck_files(pass_app(), [path])
    c = report.counts
    err = err_console()
    for warning in report.warnings:
        err.print(terminal_safe(str(warning)), style="yellow", markup=False)
    err.print(
        f"Imported {deck_names(report.decks)}: {import_counts(c, report.notes, report.cards)}",
        markup=False,
        style="dim",
        soft_wrap=True,
    )
    return tuple(report.deck_keys)


@click.command()
@click.option(
    "--leech-threshold",
    type=click.IntRange(min=1),
    show_default="8, or your `flashcards config leech-threshold`",
    help=(
        "Only for a grade logged before the log kept leeches (schema 0006): the threshold "
        "it was given under (a leech it made is released). A later grade says itself "
        "whether it made a leech."
    ),
)
def undo(leech_threshold: int | None) -> None:
    """Take back your last action: a grade (the card's schedule returns to what it was), a
    suspension, or a whole `suspend`, `unsuspend` or `forget` command."""
    from flashcards.anki.html import terminal_text
    from flashcards.study.reviewing import undo_last

    app = pass_app()
    undone = undo_last(app, leech_threshold)
    question = terminal_safe(terminal_text(undone.question))
    if undone.grade:
        click.echo(
            f"Took back grade {undone.quality} given on {undone.study_day.isoformat()} "
            f"to: {question}"
        )
        return
    what = {
        "suspend": "the suspension of",
        "unsuspend": "the unsuspension of",
        "forget": "forgetting",
    }[undone.kind]
    after = {
        "suspend": "it is asked again" if undone.cards == 1 else "they are asked again",
        "unsuspend": "suspended again",
        "forget": "its schedule is back" if undone.cards == 1 else "their schedules are back",
    }[undone.kind]
    if undone.cards == 1:
        click.echo(f"Took back {what}: {question} ({after})")
    else:
        click.echo(f"Took back {what} {undone.cards} cards ({after})")
