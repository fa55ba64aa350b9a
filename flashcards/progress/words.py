"""How a figure is said: "1 answer", "2 answers" (never "1 answers" or "answer(s)")."""

from __future__ import annotations

__all__ = ["plural"]

_IRREGULAR = {"leech": "leeches", "mix-up": "mix-ups", "is": "are", "was": "were"}


def plural(count: int, word: str, many: str | None = None) -> str:
    """``count`` and the word, in the plural unless the count is one."""
    if count == 1:
        return f"{count} {word}"
    return f"{count} {many or _IRREGULAR.get(word) or word + 's'}"
