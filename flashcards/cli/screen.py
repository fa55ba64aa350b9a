"""What review and quiz sessions share on screen: the prompt, the diff, side by side.

Meaning never rests on colour alone: the diff carries ``[-…-]``/``{+…+}`` marks and the
progress bar its own characters, so a session reads the same with ``NO_COLOR`` set or
through a pipe.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from flashcards.cli.render import terminal_safe

if TYPE_CHECKING:
    from rich.console import Console
    from rich.text import Text

    from flashcards.study.confusions import ConfusedWith
    from flashcards.study.reviewing import Suggestion

# The exit status of a command stopped by Ctrl-C (128 + SIGINT), as shells give it.
INTERRUPTED = 130

__all__ = [
    "INTERRUPTED",
    "Quit",
    "diff_text",
    "duration",
    "plain",
    "progress_bar",
    "read_line",
    "show_confusion",
    "show_suggestion",
]


class Quit(Exception):  # noqa: N818 (control flow, not an error)
    """The student asked to stop (q, end of input, Ctrl-C)."""


def read_line(console: Console, prompt: str, *, keep_case: bool = False) -> str:
    """One line of standard input, stripped; ``q`` (or the end of input) raises Quit.

    Answers keep their case (``keep_case``); commands and grades are lower-cased.
    """
    console.print(f"[dim]{prompt}[/dim]")
    console.print("> ", end="")
    console.file.flush()
    # One stream for the whole session: a fresh wrapper per line would lose what the
    # previous one had buffered.
    line = sys.stdin.readline()
    if not line:  # end of input: as after q, everything answered is saved
        console.print()
        raise Quit
    if not line.endswith("\n"):
        console.print()
    answer = line.strip()
    if answer.lower() == "q":
        raise Quit
    return answer if keep_case else answer.lower()


def plain(text: str) -> str:
    """Card or typed text made safe inside rich markup ("[sound]" is not a style)."""
    from rich.markup import escape

    return escape(terminal_safe(text))


def progress_bar(done: int, total: int, width: int = 20) -> str:
    """``■■■■□□□□`` for done out of total; plain characters, so it needs no colour."""
    if total <= 0:
        return ""
    filled = round(width * min(done, total) / total)
    return "■" * filled + "□" * (width - filled)


def duration(seconds: float) -> str:
    seconds = round(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def diff_text(expected: str, typed: str) -> Text:
    """The typed answer against the right one, word by word, marked and coloured."""
    from rich.text import Text

    from flashcards.grading.word_diff import word_diff

    text = Text()
    for i, piece in enumerate(word_diff(expected, typed)):
        if i:
            text.append(" ")
        words = terminal_safe(piece.text)
        if piece.kind == "same":
            text.append(words, style="green")
        elif piece.kind == "missing":
            text.append(f"[-{words}-]", style="bold yellow underline")
        else:
            text.append(f"{{+{words}+}}", style="red strike")
    return text


DIFF_LEGEND = "[-…-] in the answer, not in yours · {+…+} in yours, not in the answer"


def show_confusion(
    console: Console, *, structure: str | None, field: str | None, answer: str, other: ConfusedWith
) -> None:
    """The card asked and the card whose answer was given, side by side."""
    from rich.table import Table
    from rich.text import Text

    table = Table(title="Mixed up? Your answer belongs to another card", title_justify="left")
    this = f"{structure or 'this card'} · {(field or '').replace('_', ' ')}"
    that = f"{other.structure_name or 'another card'} · {other.field.replace('_', ' ')}"
    table.add_column(Text(f"Asked: {terminal_safe(this)}"), ratio=1)
    table.add_column(Text(f"You gave: {terminal_safe(that)}"), ratio=1)
    table.add_row(Text(terminal_safe(answer)), Text(terminal_safe(other.answer)))
    console.print(table)


def show_suggestion(
    console: Console, structure: str | None, field: str | None, suggestion: Suggestion
) -> None:
    """The typed answer against the card's, a mix-up if any, and the grade it earns."""
    from flashcards.sm2 import QUALITY_MEANINGS

    q = suggestion.quality
    typed = plain(suggestion.typed)
    if not suggestion.typed:
        console.print("You left it blank.")
    elif q == 5:
        console.print(f"You typed: {typed}  [green](right)[/green]")
    elif q <= 1:  # nothing in common: a diff would only cross everything out
        console.print(f"Your answer: {typed}  [red](wrong)[/red]")
    else:
        console.print("Your answer: ", diff_text(suggestion.expected, suggestion.typed), sep="")
        console.print(f"[dim]{plain(DIFF_LEGEND)}[/dim]")
    if suggestion.confused_with is not None:
        show_confusion(
            console,
            structure=structure,
            field=field,
            answer=suggestion.expected,
            other=suggestion.confused_with,
        )
    style = "green" if q >= 4 else "yellow" if q == 3 else "red"
    why = f" · {plain(suggestion.reason)}" if suggestion.reason and suggestion.typed else ""
    console.print(f"Suggested grade: [bold {style}]{q}[/bold {style}] — {QUALITY_MEANINGS[q]}{why}")
