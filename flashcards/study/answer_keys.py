"""What a typed answer is graded against besides the card's answer: its note's meta.

A note carries the answers an instructor accepts (``accept``), how a list is asked
(``ask``: ``any`` makes any one of ``items`` the answer) and, on a card whose answer is
a structure's name (a reverse card), the structure's other names (``aliases``). DESIGN §3.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flashcards.grading import AnswerKey

__all__ = ["answer_key"]

_ASKS = ("all", "any", "each")


def _strings(value: Any) -> tuple[str, ...]:
    if isinstance(value, str):
        return (value,) if value.strip() else ()
    if isinstance(value, list | tuple):
        return tuple(v for v in value if isinstance(v, str) and v.strip())
    return ()


def answer_key(meta: Mapping[str, Any], kind: str) -> AnswerKey:
    """The grading key of a card of ``kind`` whose note has ``meta``."""
    ask = meta.get("ask")
    ask = ask if isinstance(ask, str) and ask in _ASKS else "all"
    names_a_structure = kind == "reverse" or meta.get("direction") == "reverse"
    return AnswerKey(
        accept=_strings(meta.get("accept")),
        ask=ask,
        items=_strings(meta.get("items")) if ask == "any" else (),
        aliases=_strings(meta.get("aliases")) if names_a_structure else (),
    )
