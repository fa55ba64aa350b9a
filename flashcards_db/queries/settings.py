"""A user's settings (``flashcards config``): read, set and remove. Each function takes a
session and never commits."""

from __future__ import annotations

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from flashcards_db.models import Setting, User
from flashcards_db.queries.inserts import insert_ignoring_conflict
from flashcards_db.types import utcnow

__all__ = [
    "EVERY_DECK",
    "remove_setting",
    "set_setting",
    "setting_of_user",
    "setting_of_user_query",
    "user_settings",
]

EVERY_DECK = ""  # the deck_key of a setting for every deck


def user_settings(session: Session, user_id: int) -> dict[tuple[str, str], str]:
    """(deck key or EVERY_DECK, setting name) -> value."""
    query = select(Setting.deck_key, Setting.name, Setting.value).where(Setting.user_id == user_id)
    return {(deck, name): value for deck, name, value in session.execute(query)}


def setting_of_user(session: Session, user_name: str, name: str) -> str | None:
    """One setting of the user for every deck (None: not set, or no such user yet)."""
    return session.scalar(setting_of_user_query(user_name, name))


def setting_of_user_query(user_name: str, name: str) -> Select[str]:
    """The statement ``setting_of_user`` runs (``plain.sql`` holds it as SQLite text too)."""
    return (
        select(Setting.value)
        .join(User, User.id == Setting.user_id)
        .where(User.name == user_name, Setting.deck_key == EVERY_DECK, Setting.name == name)
    )


def set_setting(session: Session, user_id: int, deck_key: str, name: str, value: str) -> None:
    values = {"user_id": user_id, "deck_key": deck_key, "name": name, "value": value}
    session.execute(insert_ignoring_conflict(session, Setting, {**values, "updated_at": utcnow()}))
    row = session.scalars(
        select(Setting).where(
            Setting.user_id == user_id, Setting.deck_key == deck_key, Setting.name == name
        )
    ).one()
    row.value = value
    row.updated_at = utcnow()
    session.flush()


def remove_setting(session: Session, user_id: int, deck_key: str, name: str) -> bool:
    """Remove a setting; whether there was one."""
    result = session.execute(
        delete(Setting).where(
            Setting.user_id == user_id, Setting.deck_key == deck_key, Setting.name == name
        )
    )
    return bool(getattr(result, "rowcount", 0))
