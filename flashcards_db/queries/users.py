"""Users: found by name, created on first use. Functions take a session and never commit."""

from __future__ import annotations

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from flashcards_db.models import User
from flashcards_db.queries.inserts import insert_ignoring_conflict
from flashcards_db.types import utcnow

__all__ = ["get_or_create_user", "user_query"]


def get_or_create_user(session: Session, name: str) -> User:
    """The user of that name; created on first use, even by two terminals at once."""
    query = user_query(name)
    user = session.scalars(query).one_or_none()
    if user is None:
        session.execute(
            insert_ignoring_conflict(session, User, {"name": name, "created_at": utcnow()})
        )
        user = session.scalars(query).one()
    return user


def user_query(name: str) -> Select[User]:
    """The user of that name (``plain.sql`` holds its id and time zone as SQLite text)."""
    return select(User).where(User.name == name)
