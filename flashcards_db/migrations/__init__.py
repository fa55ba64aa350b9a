"""Alembic migrations, run programmatically: no alembic.ini to find or keep in step."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, text

__all__ = [
    "HEAD_REVISION",
    "alembic_config",
    "known_revisions",
    "migration_connection",
    "migration_options",
    "model_differences",
    "revision_of",
    "upgrade",
    "upgrade_on",
]

# Checked against the scripts by a test; lets start-up skip loading Alembic when the
# database is already current.
HEAD_REVISION = "0006_review_leech_marks"

MIGRATIONS_DIR = Path(__file__).parent
# PostgreSQL advisory lock taken while migrating ("flashcards" in ASCII, as a number).
LOCK_KEY = 0x666C617368636172


def alembic_config(engine: Engine | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def migration_options(connection: Connection) -> dict[str, Any]:
    """How migrations and model comparisons run on this connection (env.py and checks)."""
    from flashcards_db.models import Base

    return {
        "target_metadata": Base.metadata,
        # SQLite cannot ALTER most things in place: batch mode copies the table.
        "render_as_batch": connection.dialect.name == "sqlite",
        "compare_type": True,
    }


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def _set_sqlite_foreign_keys(connection: Connection, on: bool) -> None:
    # On the driver's connection, outside any transaction: SQLite ignores this pragma
    # inside one.
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")


@contextmanager
def migration_connection(engine: Engine) -> Iterator[Connection]:
    """A connection in one transaction that only one migrating process holds at a time.

    On SQLite the transaction is BEGIN IMMEDIATE (the write lock); on PostgreSQL an
    advisory lock. A second process opening the same old database waits here, then
    reads the revision the first one left. It commits when the block ends.
    """
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        if sqlite:
            # Batch mode copies a table and drops the original. With foreign keys on,
            # that DROP would first delete the table's rows and cascade into every
            # student's reviews; SQLite's own recipe is to switch them off and check the
            # keys before committing.
            _set_sqlite_foreign_keys(connection, on=False)
        try:
            with connection.begin():
                if connection.dialect.name == "postgresql":
                    connection.execute(
                        text("SELECT pg_advisory_xact_lock(:key)"), {"key": LOCK_KEY}
                    )
                yield connection
                if sqlite:
                    broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                    if broken:
                        raise RuntimeError(f"migration left broken foreign keys: {broken[:5]}")
        finally:
            if sqlite:
                _set_sqlite_foreign_keys(connection, on=True)


def revision_of(connection: Connection) -> str | None:
    """The revision as seen inside ``connection``'s transaction (None: no schema)."""
    from alembic.migration import MigrationContext

    heads = MigrationContext.configure(connection).get_current_heads()
    return heads[0] if heads else None


def upgrade_on(connection: Connection, revision: str = "head") -> None:
    """Run the migrations on a connection from ``migration_connection``."""
    from alembic import command

    config = alembic_config()
    config.attributes["connection"] = connection
    command.upgrade(config, revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    with migration_connection(engine) as connection:
        upgrade_on(connection, revision)


def model_differences(engine: Engine) -> list[str]:
    """What ``alembic check`` would report: how the database differs from the models.

    Empty when the migrations and the models agree. Row-level security policies are not
    compared here (Alembic does not see them); ``flashcards_db.queries.roles`` checks those.
    """
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from flashcards_db.models import Base

    with engine.connect() as connection:
        options = migration_options(connection)
        options.pop("target_metadata")
        context = MigrationContext.configure(connection, opts=options)
        return [_describe(diff) for diff in compare_metadata(context, Base.metadata)]


def _describe(diff: Any) -> str:
    # A diff is a tuple like ("add_column", schema, table, Column), or a list of
    # ("modify_type", schema, table, column, info, old, new) for one column.
    if isinstance(diff, list):
        return "; ".join(_describe(d) for d in diff)
    action, *details = diff
    names = [_name(d) for d in details if d is not None and not isinstance(d, dict)]
    # ("remove_column", None, "reviews", Column): the column's name already says its table.
    names = [n for n in names if n and not any(o.startswith(f"{n}.") for o in names)]
    return f"{action} {' '.join(names)}".strip()


def _name(thing: Any) -> str:
    for attribute in ("name", "key"):
        value = getattr(thing, attribute, None)
        if isinstance(value, str):
            table = getattr(getattr(thing, "table", None), "name", None)
            return f"{table}.{value}" if table and table != value else value
    return str(thing)
