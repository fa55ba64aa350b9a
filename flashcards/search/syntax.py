"""Anki's search syntax, the part a student knows, parsed into a tree.

    deck:"Anatomy::Lower limb"   a deck with its sub-decks (``*`` matches any text)
    tag:nerves                   a tag, or a tag under it (``tag:hip`` finds ``hip::flexors``)
    is:new is:due is:review is:suspended is:leech
    field:innervation            cards that ask that fact field
    prop:lapses>3 prop:ivl>=30 prop:ease<2.0 prop:due<=7 prop:reps=0
    rated:7  rated:7:1           answered in the last 7 study days (with that SM-2 grade)
    psoas  "lesser trochanter"   words in the question, answer or extra (``*`` wildcard)
    -is:suspended  a or b  (a b) -(c or d)

Terms side by side must all match (``and`` may be written); ``or`` binds looser than
``and``, as in Anki; ``-`` negates the term or group after it; double quotes keep spaces
(``"deck:Lower limb"`` or ``deck:"Lower limb"``). Pure: the study layer turns the tree
into a database query.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashcards.errors import FlashcardsError

__all__ = [
    "IS_VALUES",
    "PROP_NAMES",
    "AllOf",
    "AnyOf",
    "Not",
    "Prop",
    "Rated",
    "SearchError",
    "Term",
    "parse_search",
]

KEYWORDS = ("deck", "tag", "is", "field", "prop", "rated")
IS_VALUES = ("new", "due", "review", "suspended", "leech")
PROP_NAMES = ("lapses", "ivl", "ease", "due", "reps")
_PROP = re.compile(r"(?P<name>[a-z]+)(?P<op>>=|<=|!=|=|<|>)(?P<number>-?[0-9]+(?:\.[0-9]+)?)$")
_RATED = re.compile(r"(?P<days>[0-9]+)(?::(?P<grade>[0-9]+))?$")
_MAX_DAYS = 36_500


class SearchError(FlashcardsError):
    """A search the syntax does not allow; the message says where and why."""


@dataclass(frozen=True)
class Term:
    """``deck:``, ``tag:``, ``is:``, ``field:`` with its value, or free text (key None)."""

    key: str | None
    value: str


@dataclass(frozen=True)
class Prop:
    name: str  # lapses | ivl | ease | due | reps
    op: str  # = != < > <= >=
    number: float


@dataclass(frozen=True)
class Rated:
    days: int  # 1: today
    grade: int | None


@dataclass(frozen=True)
class Not:
    part: Node


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Node, ...]


Node = Term | Prop | Rated | Not | AllOf | AnyOf


@dataclass(frozen=True)
class _Token:
    kind: str  # word | ( | ) | - | or | and
    text: str = ""
    quoted: bool = False  # the whole word was in quotes: text, unless a search keyword leads
    at: int = 0


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(query)
    while i < n:
        char = query[i]
        if char.isspace():
            i += 1
            continue
        if char in "()":
            tokens.append(_Token(char, at=i))
            i += 1
            continue
        if char == "-" and i + 1 < n and not query[i + 1].isspace():
            tokens.append(_Token("-", at=i))
            i += 1
            continue
        start, parts, whole_quoted = i, [], query[i] == '"'
        while i < n and not query[i].isspace() and query[i] not in "()":
            if query[i] == '"':
                end = query.find('"', i + 1)
                if end < 0:
                    raise SearchError(f'unclosed quote at character {i + 1}: add a closing "')
                parts.append(query[i + 1 : end])
                i = end + 1
                whole_quoted = whole_quoted and (i >= n or query[i].isspace() or query[i] in "()")
            else:
                parts.append(query[i])
                i += 1
        text = "".join(parts)
        lowered = text.lower()
        if not whole_quoted and lowered in ("or", "and"):
            tokens.append(_Token(lowered, at=start))
        else:
            tokens.append(_Token("word", text, whole_quoted, start))
    return tokens


def _term(token: _Token) -> Node:
    text = token.text
    key, colon, value = text.partition(":")
    if not colon or not key.isalpha() or (token.quoted and key.lower() not in KEYWORDS):
        if not text.strip():
            raise SearchError(f"empty search text at character {token.at + 1}")
        return Term(None, text)
    key = key.lower()
    if key not in KEYWORDS:
        raise SearchError(
            f"unknown search '{key}:' at character {token.at + 1} "
            f"(known: {', '.join(k + ':' for k in KEYWORDS)})"
        )
    if not value:
        raise SearchError(f"'{key}:' needs a value, as in {_EXAMPLES[key]}")
    if key == "is":
        if value.lower() not in IS_VALUES:
            raise SearchError(f"unknown 'is:{value}' (known: is:{', is:'.join(IS_VALUES)})")
        return Term("is", value.lower())
    if key == "prop":
        match = _PROP.match(value.lower())
        if match is None or match["name"] not in PROP_NAMES:
            raise SearchError(
                f"cannot read 'prop:{value}': write a property ({', '.join(PROP_NAMES)}), "
                "an operator (= != < > <= >=) and a number, as in prop:lapses>3"
            )
        return Prop(match["name"], match["op"], float(match["number"]))
    if key == "rated":
        match = _RATED.match(value)
        days = int(match["days"]) if match else 0
        grade = int(match["grade"]) if match and match["grade"] is not None else None
        if match is None or not 1 <= days <= _MAX_DAYS or (grade is not None and grade > 5):
            raise SearchError(
                f"cannot read 'rated:{value}': write rated:DAYS (1 is today) or "
                "rated:DAYS:GRADE (a grade 0-5), as in rated:7:1"
            )
        return Rated(days, grade)
    return Term(key, value)


_EXAMPLES = {
    "deck": 'deck:"Anatomy::Lower limb"',
    "tag": "tag:nerves",
    "is": "is:due",
    "field": "field:innervation",
    "prop": "prop:lapses>3",
    "rated": "rated:7",
}


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.i = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.i] if self.i < len(self.tokens) else None

    def expression(self) -> Node:
        parts = [self.conjunction()]
        while (token := self.peek()) is not None and token.kind == "or":
            self.i += 1
            parts.append(self.conjunction())
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def conjunction(self) -> Node:
        parts = [self.unary()]
        while (token := self.peek()) is not None and token.kind not in ("or", ")"):
            if token.kind == "and":
                self.i += 1
            parts.append(self.unary())
        return parts[0] if len(parts) == 1 else AllOf(tuple(parts))

    def unary(self) -> Node:
        token = self.peek()
        if token is None:
            raise SearchError("the search ends where a term was expected")
        self.i += 1
        if token.kind == "-":
            return Not(self.unary())
        if token.kind == "(":
            inner = self.expression()
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise SearchError(f"'(' at character {token.at + 1} is never closed")
            self.i += 1
            return inner
        if token.kind == "word":
            return _term(token)
        raise SearchError(f"unexpected '{token.kind}' at character {token.at + 1}")


def parse_search(query: str) -> Node:
    """The tree of a search; raises ``SearchError`` saying what is wrong and where."""
    tokens = _tokens(query)
    if not tokens:
        raise SearchError("the search is empty: give a term, as in is:due or deck:Anatomy")
    parser = _Parser(tokens)
    tree = parser.expression()
    if (left := parser.peek()) is not None:
        raise SearchError(f"unexpected '{left.text or left.kind}' at character {left.at + 1}")
    return tree
