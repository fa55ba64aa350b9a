"""Inserts that tolerate a row another terminal inserted first (a user, a card's state)."""

from __future__ import annotations

from sqlalchemy import Executable, insert
from sqlalchemy.orm import Session

from flashcards_db.models import CardState, Setting, User

__all__ = ["insert_ignoring_conflict"]


def insert_ignoring_conflict(
    session: Session,
    table: type[User] | type[CardState] | type[Setting],
    values: dict[str, object],
) -> Executable:
    """INSERT that yields to a row another transaction inserted first (unique key)."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table).values(values).on_conflict_do_nothing()
    if dialect == "sqlite":
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        return sqlite_insert(table).values(values).on_conflict_do_nothing()
    return insert(table).values(values)
