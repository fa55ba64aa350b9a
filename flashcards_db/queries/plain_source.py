"""What ``plain.sql`` holds: the statements of the query functions, built by their own
builders and compiled for SQLite, and the file's writer.

After changing one of those queries (or the schema: a new migration), run
``python -m flashcards_db.queries.plain_source``; a test fails until then.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from sqlalchemy import Select
from sqlalchemy.dialects import sqlite

from flashcards_db.migrations import HEAD_REVISION
from flashcards_db.models import Card, User
from flashcards_db.queries.plain import (
    PLAIN_FILE,
    PlainQueries,
    PlainQuery,
    list_placeholder,
    render_plain,
)
from flashcards_db.queries.settings import setting_of_user_query
from flashcards_db.queries.status import study_days_query
from flashcards_db.queries.study import (
    due_count_query,
    new_count_query,
    study_cards_by_id_query,
    todays_reviews_query,
)
from flashcards_db.queries.users import user_query

__all__ = ["compile_plain", "plain_queries", "write_plain"]

# Values no real call passes, each standing for a parameter by name: the compiled
# statement's parameters holding one of them become "$name".
_STANDS_FOR: dict[str, Any] = {
    "user_id": 987_654_321,
    "day": dt.date(1901, 2, 3),
    "limit": 987_654_322,
    "user_name": "\x00user_name",
    "name": "\x00name",
    "card_ids": [987_654_323],
    "excluding": [987_654_324],
}


def compile_plain(statement: Select[*tuple[Any, ...]]) -> PlainQuery:
    """A statement as SQLite SQL text, its parameters as values or "$name"."""
    compiled = statement.compile(dialect=sqlite.dialect())
    sql = compiled.string
    params: list[Any] = []
    for key in compiled.positiontup or ():
        value = compiled.params[key]
        name = next((n for n, v in _STANDS_FOR.items() if v == value), None)
        if name is None and isinstance(value, list | tuple):  # a literal IN list: spread out
            sql = sql.replace(list_placeholder(key), ", ".join("?" * len(value)))
            params.extend(value)
            continue
        if name is None:
            params.append(value)
            continue
        if isinstance(value, list):
            sql = sql.replace(list_placeholder(key), list_placeholder(f"${name}"))
        params.append(f"${name}")
    return PlainQuery(sql.strip(), tuple(params))


def plain_queries() -> PlainQueries:
    """Every query of ``plain.sql``, compiled from the query functions as they are now."""
    v = _STANDS_FOR
    statements: dict[str, Select[*tuple[Any, ...]]] = {
        "user": user_query(v["user_name"]).with_only_columns(User.id, User.timezone),
        "setting": setting_of_user_query(v["user_name"], v["name"]),
        "todays_reviews": todays_reviews_query(v["user_id"], v["day"]),
        "studyable_cards": study_cards_by_id_query(
            v["user_id"], v["card_ids"], None, studyable=True
        ).with_only_columns(Card.id),
        "due_count": due_count_query(v["user_id"], v["day"]),
        "due_count_excluding": due_count_query(v["user_id"], v["day"], excluding=v["excluding"]),
        "new_count": new_count_query(v["user_id"], None, v["limit"]),
        "study_days": study_days_query(v["user_id"]),
    }
    return PlainQueries(
        HEAD_REVISION, {name: compile_plain(statement) for name, statement in statements.items()}
    )


def write_plain() -> Path:
    PLAIN_FILE.write_text(render_plain(plain_queries()), encoding="utf-8")
    return PLAIN_FILE


if __name__ == "__main__":
    print(f"wrote {write_plain()}")
