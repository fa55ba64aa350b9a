"""Queries as SQLite SQL text, run through Python's own ``sqlite3`` module.

For what a shell prompt runs every time (``flashcards status``): importing SQLAlchemy
takes longer than reading the figures. The text in ``plain.sql`` is not written by hand:
``python -m flashcards_db.queries.plain_source`` compiles it from the statements the query
functions themselves run (``due_count_query`` …), and a test holds the file to them, so
each count keeps one definition. The file names the schema revision it was compiled
for: a database at another revision is never read this way.

Imports nothing of SQLAlchemy (a test starts a fresh interpreter to hold that).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = [
    "PLAIN_FILE",
    "PlainQueries",
    "PlainQuery",
    "TodayReview",
    "list_placeholder",
    "load_plain_queries",
    "parse_plain",
    "render_plain",
]

PLAIN_FILE = Path(__file__).with_name("plain.sql")
_SEPARATOR = "\n;\n"
_REVISION = "-- schema revision: "
_QUERY = "-- query: "
_PARAMS = "-- params: "
# The placeholder of a list (an IN list) in SQLAlchemy's compiled text, filled in per call.
_LIST = "__[POSTCOMPILE_{}]"
_HEADER = (
    "-- The SQLite text of the queries `flashcards status` runs without SQLAlchemy, compiled\n"
    "-- from the query functions' own statements by\n"
    "-- `python -m flashcards_db.queries.plain_source` (a test holds the two equal): not\n"
    '-- edited by hand. A parameter "$name" is the value given by that name.\n'
)


@dataclass(frozen=True)
class TodayReview:
    id: int
    card_id: int
    kind: str
    quality: int | None
    new: bool  # the card had never been reviewed before this answer

    @classmethod
    def of_row(
        cls, id: int, card_id: int, kind: str, quality: int | None, interval_before: int
    ) -> TodayReview:
        """From the columns of ``todays_reviews_query``, in that order."""
        return cls(id, card_id, kind, quality, new=kind == "review" and interval_before == 0)


@dataclass(frozen=True)
class PlainQuery:
    sql: str
    params: tuple[Any, ...]  # each a value as it is, or "$name": the value given by name

    def run(self, connection: sqlite3.Connection, **values: Any) -> list[Any]:
        """The rows, with the named values bound (a date as SQLAlchemy binds it on SQLite,
        a list spread over its IN list)."""
        sql = self.sql
        bound: list[Any] = []
        for param in self.params:
            if not (isinstance(param, str) and param.startswith("$")):
                bound.append(param)
                continue
            value = values[param[1:]]
            if isinstance(value, list | tuple):
                sql = sql.replace(_LIST.format(param), ", ".join("?" * len(value)))
                bound.extend(value)
            elif isinstance(value, dt.date):
                bound.append(value.isoformat())
            else:
                bound.append(value)
        return connection.execute(sql, bound).fetchall()


@dataclass(frozen=True)
class PlainQueries:
    revision: str  # the schema revision the text was compiled for
    queries: dict[str, PlainQuery]

    def fit(self, connection: sqlite3.Connection) -> bool:
        """Whether the database is at the revision the text was compiled for (as
        ``engine.current_revision`` reads it); False for a file without our schema."""
        try:
            row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:
            return False
        return row is not None and row[0] == self.revision


def list_placeholder(param: str) -> str:
    return _LIST.format(param)


def render_plain(plain: PlainQueries) -> str:
    """The text of ``plain.sql`` (``parse_plain`` reads it back)."""
    blocks = [f"{_HEADER}{_REVISION}{plain.revision}"]
    for name, query in plain.queries.items():
        params = json.dumps(list(query.params), ensure_ascii=True)
        blocks.append(f"{_QUERY}{name}\n{_PARAMS}{params}\n{query.sql.strip()}")
    return _SEPARATOR.join(blocks) + _SEPARATOR


def parse_plain(text: str) -> PlainQueries:
    revision = ""
    queries: dict[str, PlainQuery] = {}
    for block in text.split(_SEPARATOR):
        name: str | None = None
        params: tuple[Any, ...] = ()
        sql: list[str] = []
        for line in block.strip().splitlines():
            if line.startswith(_REVISION):
                revision = line[len(_REVISION) :].strip()
            elif line.startswith(_QUERY):
                name = line[len(_QUERY) :].strip()
            elif line.startswith(_PARAMS):
                params = tuple(json.loads(line[len(_PARAMS) :]))
            elif not line.startswith("--"):
                sql.append(line)
        if name is not None:
            queries[name] = PlainQuery("\n".join(sql), params)
    return PlainQueries(revision, queries)


_loaded: PlainQueries | None = None


def load_plain_queries() -> PlainQueries:
    global _loaded
    if _loaded is None:
        _loaded = parse_plain(PLAIN_FILE.read_text(encoding="utf-8"))
    return _loaded
