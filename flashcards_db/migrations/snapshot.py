"""The SQLite schema at the head revision, as the migrations leave it: one creation, not four.

A new SQLite file (every student's first command) gets the statements of ``schema.sql`` in
one transaction instead of a replay of every migration through Alembic. The statements are
read off a database that the migrations built (``python -m flashcards_db.migrations.snapshot``
writes them again after a new migration), and a test holds the two schemas identical, object
by object and byte for byte.
"""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

from sqlalchemy import Connection

__all__ = ["SCHEMA_FILE", "create_schema", "dump_schema", "schema_statements", "write_schema"]

SCHEMA_FILE = Path(__file__).with_name("schema.sql")
_SEPARATOR = "\n;\n"


def schema_statements() -> list[str]:
    """The DDL and the revision row, in the order they are run."""
    text = SCHEMA_FILE.read_text(encoding="utf-8")
    return [s.strip() for s in text.split(_SEPARATOR) if s.strip() and not s.startswith("--")]


def create_schema(connection: Connection) -> None:
    """Run the snapshot on a connection of ``migration_connection`` (its transaction)."""
    for statement in schema_statements():
        connection.exec_driver_sql(statement)


def dump_schema(path: Path) -> list[str]:
    """Every schema object of an SQLite file (tables before the indexes on them) and its
    revision row, as statements that build the same objects again."""
    with sqlite3.connect(path) as con:
        rows = con.execute(
            "SELECT type, name, sql FROM sqlite_master WHERE sql IS NOT NULL "
            "AND name NOT LIKE 'sqlite_%' ORDER BY type = 'index', rowid"
        ).fetchall()
        (revision,) = con.execute("SELECT version_num FROM alembic_version").fetchone()
    return [sql for _, _, sql in rows] + [
        f"INSERT INTO alembic_version (version_num) VALUES ('{revision}')"
    ]


def write_schema() -> Path:
    """Build a database through the migrations and write its schema to ``schema.sql``."""
    from sqlalchemy import create_engine

    from flashcards_db.migrations import upgrade

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "migrated.db")
        engine = create_engine(f"sqlite:///{path}")
        upgrade(engine)
        engine.dispose()
        statements = dump_schema(path)
    header = (
        "-- The SQLite schema at the head revision, written by "
        "`python -m flashcards_db.migrations.snapshot` from a database the migrations built."
    )
    SCHEMA_FILE.write_text(header + _SEPARATOR + _SEPARATOR.join(statements) + "\n", "utf-8")
    return SCHEMA_FILE


if __name__ == "__main__":
    print(write_schema(), file=sys.stderr)
