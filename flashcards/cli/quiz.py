"""``quiz``: a practice round or an exam that leaves the schedule as it was.

Read line by line from standard input like ``review``: in ``--mode mc`` each question
reads the number of the chosen option; in ``typed`` the answer itself; in ``flip`` a
line to reveal, then a grade 0-5. With ``--json`` the questions go to standard error and
standard output gets one JSON document at the end.
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import err_console, out_console, print_json, terminal_safe
from flashcards.cli.screen import INTERRUPTED, Quit, read_line

if TYPE_CHECKING:
    from rich.console import Console

    from flashcards.quiz import Question
    from flashcards.study.quizzing import QuizAnswer, QuizSession

__all__ = ["quiz"]

GRADES = frozenset("012345")


def _text(text: str) -> str:
    # A quiz card's text is already plain (``study.quizzing`` reads HTML decks' markup as
    # text): only made safe for the terminal here.
    return terminal_safe(text)


def _markup(text: str) -> str:
    """Card text inside rich markup: its brackets are text, not styles."""
    from rich.markup import escape

    return escape(_text(text))


def _show_question(console: Console, session: QuizSession, n: int, q: Question) -> None:
    from rich.panel import Panel
    from rich.text import Text

    from flashcards.cli.screen import progress_bar

    total = len(session.questions)
    right = sum(a.correct for a in session.answers)
    console.print()
    console.print(
        f"[cyan]{progress_bar(n - 1, total)}[/cyan] "
        f"[dim]question {n} of {total} · {right} right so far[/dim]"
    )
    topic = (q.card.field or "card").replace("_", " ")
    title = Text(f"{_text(q.card.deck)} · {topic}")
    body = Text(_text(q.card.question))
    for i, option in enumerate(q.options, start=1):
        body.append(f"\n  {i}) ", style="bold")
        body.append(_text(option))
    console.print(Panel(body, title=title, title_align="left"))


def _ask(console: Console, session: QuizSession, q: Question) -> QuizAnswer:
    started = time.monotonic()
    if session.mode == "mc":
        choices = {str(i) for i in range(1, len(q.options) + 1)}
        prompt = f"Your choice: 1-{len(q.options)} · q: quit"
        while (line := read_line(console, prompt)) not in choices:
            console.print(f"[red]Type a number from 1 to {len(q.options)} (or q).[/red]")
        elapsed = int((time.monotonic() - started) * 1000)
        return session.answer(q, option=int(line) - 1, duration_ms=elapsed)
    if session.mode == "typed":
        given = read_line(console, "Type your answer (Enter alone: I don't know) · q: quit",
                          keep_case=True)  # fmt: skip
        elapsed = int((time.monotonic() - started) * 1000)
        return session.answer(q, given=given, duration_ms=elapsed)
    read_line(console, "Enter: show answer · q: quit")
    elapsed = int((time.monotonic() - started) * 1000)
    _show_answer(console, q)
    while (line := read_line(console, "Grade 0-5 · q: quit")) not in GRADES:
        console.print("[red]Type a grade from 0 to 5 (or q).[/red]")
    return session.answer(q, quality=int(line), duration_ms=elapsed)


def _show_answer(console: Console, q: Question) -> None:
    from rich.panel import Panel
    from rich.text import Text

    body = Text(_text(q.card.answer), style="bold")
    if q.card.note:
        body.append(f"\nNote: {_text(q.card.note)}", style="italic")
    console.print(Panel(body, title="Answer", title_align="left", border_style="green"))


def _feedback(console: Console, answer: QuizAnswer) -> None:
    from rich.markup import escape

    from flashcards.cli.screen import DIFF_LEGEND, diff_text

    q = answer.question
    if q.options:
        right = q.correct_option
        assert right is not None
        if answer.correct:
            console.print("[bold green]Right.[/bold green]")
        else:
            option = _markup(q.options[right])
            console.print(f"[bold red]Wrong.[/bold red] The answer is {right + 1}) {option}")
            if q.card.asks_one_item:  # one item of a list was offered: the others are right too
                console.print(f"Any one of: {_markup('; '.join(q.card.key.items))}")
    elif answer.given is not None:
        # The grade's reason after a colon, as the review shows it; "right" says nothing more.
        reason = _text(answer.reason) if answer.reason and answer.given else ""
        why = f": {escape(reason)}." if reason and reason != "right" else "."
        if answer.correct:
            console.print(f"[bold green]Right[/bold green] (grade {answer.quality}){why}")
        else:
            console.print(f"[bold red]Wrong[/bold red] (grade {answer.quality}){why}")
        if answer.quality < 5:
            _show_answer(console, q)
            if answer.given and answer.quality > 1:
                console.print("Yours: ", diff_text(q.card.answer, answer.given), sep="")
                console.print(f"[dim]{escape(DIFF_LEGEND)}[/dim]")
    answer_shown = q.options == () and answer.given is not None and answer.quality < 5
    if q.card.note and not answer_shown and answer.given is not None:
        console.print(f"[italic]Note: {_markup(q.card.note)}[/italic]")
    other = answer.confused_with
    if other is not None:
        # An option may be one item of another structure's list ("an antagonist of …").
        one_of = len(other.answer.splitlines()) > 1 and q.card.asks_one_item
        what = (
            _ONE_OF.get(other.field, f"one {other.field.replace('_', ' ')} of")
            if one_of
            else f"the {other.field.replace('_', ' ')} of"
        )
        console.print(
            f"[yellow]That is {what} "
            f"{_markup(other.structure_name or 'another structure')}.[/yellow]"
        )


_ONE_OF = {
    "antagonist": "an antagonist of",
    "synergist": "a synergist of",
    "blood_supply": "an artery of",
    "innervation": "a nerve of",
    "action": "an action of",
    "origin": "an origin of",
    "insertion": "an insertion of",
}


def _summary(console: Console, session: QuizSession, seconds: float) -> None:
    from rich.table import Table

    from flashcards.cli.screen import duration

    result = session.score()
    console.print()
    if not result.asked:
        console.print("Quiz over: no question answered.")
    else:
        style = "green" if result.percent >= 80 else "yellow" if result.percent >= 60 else "red"
        console.print(
            f"Quiz over: [bold {style}]{result.correct} of {result.asked} right "
            f"({result.percent:g} %)[/bold {style}] · time {duration(seconds)}"
        )
    if len(result.by_field) > 1:
        table = Table("Field", "Right", "Asked", title="By field", title_justify="left")
        for topic, f in sorted(result.by_field.items(), key=lambda kv: kv[1].correct / kv[1].asked):
            table.add_row(topic.replace("_", " "), str(f.correct), str(f.asked))
        console.print(table)
    missed = [a for a in session.answers if not a.correct]
    if missed:
        console.print("[bold]Missed:[/bold]")
        for a in missed:
            answer = "; ".join(a.question.card.answer.splitlines())
            console.print(f"  • {_markup(a.question.card.question)} → {_markup(answer)}")
    console.print(f"[dim]Seed {session.seed}: `--seed {session.seed}` asks this quiz again.[/dim]")
    console.print("[dim]Your review schedule was not changed.[/dim]")


@click.command()
@click.argument("deck", required=False, metavar="[DECK]")
@click.option(
    "--mode",
    type=click.Choice(["mc", "typed", "flip"]),
    default="mc",
    show_default=True,
    help="mc: pick one of four; typed: type the answer; flip: reveal and grade yourself.",
)
@click.option("--count", type=click.IntRange(min=1), default=10, show_default=True,
              help="Number of questions.")  # fmt: skip
@click.option("--seed", type=int, help="Same seed, same quiz (questions and options).")
@click.option("--json", "as_json", is_flag=True, help="Print the results as one JSON document.")
def quiz(deck: str | None, mode: str, count: int, seed: int | None, as_json: bool) -> None:
    """Practice or exam over DECK (or every deck); your review schedule is untouched.

    Answers are read line by line (mc: the option's number; typed: the answer; flip:
    Enter, then a grade 0-5); q quits and the score counts what was answered. Results
    are logged for stats.
    """
    from flashcards.study.quizzing import QuizSession

    session = QuizSession(pass_app(), deck, mode=mode, count=count, seed=seed)
    console = err_console() if as_json else out_console()
    if not session.has_decks:
        raise click.ClickException("no decks yet; import some first: flashcards import decks/")
    err = err_console()
    for warning in session.quiz.warnings:
        err.print(f"Note: {terminal_safe(warning)}", style="yellow", markup=False)
    if not session.questions:
        from flashcards.errors import FlashcardsError

        where = f"in {deck}" if deck else "in your decks"
        raise FlashcardsError(f"no question to ask {where} in mode {mode}")
    console.print(
        f"[bold]Quiz[/bold] ({mode}): {len(session.questions)} question(s) · seed {session.seed}"
    )
    started = time.monotonic()
    interrupted = False
    try:
        for n, question in enumerate(session.questions, start=1):
            _show_question(console, session, n, question)
            _feedback(console, _ask(console, session, question))
    except Quit:
        pass
    except KeyboardInterrupt:
        interrupted = True
    _summary(console, session, time.monotonic() - started)
    if as_json:
        print_json(session.as_json())
    if interrupted:  # the summary of what was answered, and the shell told of the Ctrl-C
        click.get_current_context().exit(INTERRUPTED)
