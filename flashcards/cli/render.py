"""Terminal output: one rich console per stream, text made safe for a terminal."""

from __future__ import annotations

import re
import sys
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:
    from rich.console import Console

from flashcards.progress.words import plural

__all__ = [
    "deck_names",
    "err_console",
    "import_counts",
    "out_console",
    "plural",
    "print_json",
    "terminal_safe",
]

# Control characters (escape sequences among them) would let card text drive the terminal.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    return _CONTROL.sub("", text)


def deck_names(names: list[str], most: int = 3) -> str:
    """A few deck names in full; past ``most``, the first ones and how many more."""
    names = [terminal_safe(name) for name in names]  # an imported name may carry escapes
    if len(names) <= most:
        return ", ".join(names)
    return ", ".join(names[:most]) + f" and {len(names) - most} more"


def import_counts(counts: Any, notes: int, cards: int, *more: str) -> str:
    """An import's changes (they are of notes; ``more`` adds to them) and the notes and
    cards the imported decks hold: `decks` counts cards, and a note may make several."""
    c = counts
    changes = [
        f"notes added {c.added}",
        f"updated {c.updated}",
        f"unchanged {c.unchanged}",
        f"retired {c.retired}",
        *more,
    ]
    return (
        ", ".join(changes) + f" · {plural(notes, 'note')}, {plural(cards, 'card')} in these decks"
    )


def _console(stderr: bool) -> Console:
    from rich.console import Console

    # Looked up at each call, not bound once: click's test runner swaps sys.stdout/sys.stderr.
    stream = sys.stderr if stderr else sys.stdout
    return Console(file=stream, highlight=False, soft_wrap=False, emoji=False)


def out_console() -> Console:
    return _console(stderr=False)


def err_console() -> Console:
    return _console(stderr=True)


def print_json(document: Any) -> None:
    """One JSON document on stdout, nothing else."""
    import json

    sys.stdout.flush()
    click.echo(json.dumps(document, indent=2, ensure_ascii=False, default=str))
