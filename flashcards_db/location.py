"""Where ``--db`` points, an SQLite file path or a URL, and how long an SQLite connection
waits for another's lock (no SQLAlchemy needed to say so)."""

from __future__ import annotations

from pathlib import Path

__all__ = [
    "SQLITE_BUSY_TIMEOUT_MS",
    "database_file",
    "database_url",
    "default_database_path",
]

SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_database_path() -> Path:
    import platformdirs

    return platformdirs.user_data_path("flashcards", appauthor=False) / "flashcards.db"


def database_file(db: str | None) -> Path | None:
    """The SQLite file ``--db`` names: a path, the default file when not given, or a plain
    ``sqlite:///`` URL (no query, no escapes; relative to the working folder, as SQLite
    opens it). None for any other URL."""
    if not db:
        return default_database_path()
    if db.startswith("sqlite:///"):
        name = db[len("sqlite:///") :]
        plain = name and name != ":memory:" and not any(c in name for c in "?#%")
        return Path(name) if plain else None
    if "://" in db:
        return None
    return Path(db).expanduser().resolve()


def database_url(db: str | None) -> str:
    """An SQLAlchemy URL from ``--db``: a URL as it is, a path as an SQLite file."""
    if not db:
        return f"sqlite:///{default_database_path()}"
    if "://" in db:
        # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
        for prefix in ("postgresql://", "postgres://"):
            if db.startswith(prefix):
                return "postgresql+psycopg://" + db[len(prefix) :]
        return db
    return f"sqlite:///{Path(db).expanduser().resolve()}"
