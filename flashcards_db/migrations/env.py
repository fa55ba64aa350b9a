"""Alembic environment: the connection (or engine) comes from the caller, never from a
config file."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, Engine

from flashcards_db.migrations import migration_connection, migration_options

config = context.config


def _run(connection: Connection) -> None:
    context.configure(connection=connection, **migration_options(connection))
    context.run_migrations()


given = config.attributes.get("connection")
engine = config.attributes.get("engine")
if isinstance(given, Connection):
    _run(given)  # already in the caller's migration transaction
elif isinstance(engine, Engine):
    # One transaction for the whole run, begun before Alembic reads the revision.
    with migration_connection(engine) as connection:
        _run(connection)
else:
    raise RuntimeError("run migrations through flashcards_db.migrations (no engine given)")
