"""Fixtures: a real database on each engine, the app, a CLI runner, a fixed study day.

SQLite is a real file in a temporary folder. PostgreSQL is a real server: `.ci/run`
starts one and sets FLASHCARDS_TEST_PG_URL; each test gets a database of its own.
Without that variable the PostgreSQL variants are skipped, and the skip says why.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

PG_URL_ENV = "FLASHCARDS_TEST_PG_URL"
TODAY = dt.date(2026, 3, 2)

# A small deck file of three cards, for tests that need some content to damage or prune.
KNEE = """\
deck: Anatomy::Knee
id: knee
cards:
  - id: knee-1
    q: Which muscle unlocks the extended knee?
    a: Popliteus
  - id: knee-2
    q: Which bone has the adductor tubercle?
    a: Femur
  - id: knee-3
    q: Which bursa lies in front of the patella?
    a: Prepatellar bursa
"""
REPO = Path(__file__).resolve().parent.parent
DECKS = REPO / "decks"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def folder_left_out(value: Any, folder: Path) -> Any:
    """``value`` with the paths of ``folder`` written as ``<folder>``: rows and reports
    that read the same in any checkout (the golden files of the import tests)."""
    if isinstance(value, str):
        return value.replace(str(folder), "<folder>")
    if isinstance(value, list | tuple):
        return [folder_left_out(item, folder) for item in value]
    if isinstance(value, dict):
        return {key: folder_left_out(item, folder) for key, item in value.items()}
    return value


def _pg_server_url() -> str | None:
    return os.environ.get(PG_URL_ENV) or None


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """The server's URL: the one `.ci/run` started, or one started here for this run."""
    url = _pg_server_url()
    if url:
        yield url
        return
    import shutil
    import tempfile

    import pgserver

    parent = Path(tempfile.mkdtemp(prefix="flashcards-pg-"))
    parent.chmod(0o755)  # the server's own user must reach its data folder
    try:
        url = pgserver.start(parent / "pg")
    except (RuntimeError, OSError, LookupError) as exc:
        shutil.rmtree(parent, ignore_errors=True)
        pytest.skip(f"PostgreSQL tests SKIPPED: no server could be started ({exc})")
    try:
        yield url
    finally:
        pgserver.stop(parent / "pg")
        shutil.rmtree(parent, ignore_errors=True)


def _create_pg_database(server_url: str) -> tuple[str, Any]:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    name = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    return url, (admin, name)


def _drop_pg_database(handle: Any) -> None:
    from sqlalchemy import text

    admin, name = handle
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A URL of an empty database, once per engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'flashcards.db'}"
        return
    server = request.getfixturevalue("pg_server")
    url, handle = _create_pg_database(server)
    try:
        yield url
    finally:
        _drop_pg_database(handle)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def module_db_url(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """A URL of an empty database, once per engine, shared by the tests of one module
    (a history built once and read by many tests)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('module-db') / 'flashcards.db'}"
        return
    server = request.getfixturevalue("pg_server")
    url, handle = _create_pg_database(server)
    try:
        yield url
    finally:
        _drop_pg_database(handle)


@pytest.fixture(scope="session")
def anki_packages(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """Packages made by the real Anki, in every format (tests/anki_packages.py); built
    once per run, read by the import tests."""
    from anki_packages import build

    return build(tmp_path_factory.mktemp("anki") / "student")


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'flashcards.db'}"


@pytest.fixture
def engine(db_url: str) -> Iterator[Any]:
    """An engine on a migrated, empty database (each engine)."""
    from flashcards_db.engine import open_database

    engine = open_database(db_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Any) -> Iterator[Any]:
    """An ORM session on ``engine``; the test owns its transaction."""
    from flashcards_db.engine import make_sessionmaker

    with make_sessionmaker(engine)() as session:
        yield session


@pytest.fixture
def app(db_url: str) -> Iterator[Any]:
    from flashcards.study.context import App

    application = App(db=db_url, user_name="ana", today_override=TODAY)
    yield application
    application.close()


class Cli:
    """Runs ``flashcards`` in-process against one database, as one user."""

    def __init__(self, db: str, user: str = "ana") -> None:
        self.db = db
        self.user = user

    def __call__(
        self,
        *args: str,
        input: str | None = None,
        today: dt.date | str | None = TODAY,
        user: str | None = None,
    ) -> Result:
        from flashcards.cli import cli

        base = ["--db", self.db, "--user", user or self.user]
        if today is not None:
            base += ["--today", str(today)]
        runner = CliRunner()
        return runner.invoke(cli, [*base, *args], input=input, catch_exceptions=False)


@pytest.fixture
def run(db_url: str) -> Cli:
    """The CLI on each engine."""
    return Cli(db_url)


@pytest.fixture
def run_sqlite(sqlite_url: str) -> Cli:
    """The CLI on an SQLite file only (for tests about files and processes)."""
    return Cli(sqlite_url)


class PgClass:
    """A class's PostgreSQL database, as on a real server: owned by an instructor's role
    (LOGIN CREATEROLE, not a superuser); students' roles are made by the tests. Roles are
    cluster-wide, so their names carry a prefix unique to the test, and all are dropped."""

    def __init__(self, server_url: str) -> None:
        from sqlalchemy import create_engine, text

        self.server_url = server_url
        self.prefix = f"fc{uuid.uuid4().hex[:10]}"
        self.instructor = self.role("prof")
        self.database = f"{self.prefix}_class"
        self._admin = create_engine(server_url, isolation_level="AUTOCOMMIT")
        with self._admin.connect() as connection:
            connection.execute(text(f'CREATE ROLE "{self.instructor}" LOGIN CREATEROLE'))
            connection.execute(text(f'CREATE DATABASE "{self.database}" OWNER "{self.instructor}"'))
        self.url = self.url_as(self.instructor)

    def role(self, name: str) -> str:
        """A role name unique to this test (`db grant` creates the role itself)."""
        return f"{self.prefix}_{name}"

    def url_as(self, role: str) -> str:
        from sqlalchemy.engine import make_url

        url = make_url(self.server_url).set(username=role, password=None, database=self.database)
        return url.render_as_string(hide_password=False)

    def close(self) -> None:
        from sqlalchemy import text

        with self._admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{self.database}" WITH (FORCE)'))
            roles = connection.execute(
                text("SELECT rolname FROM pg_roles WHERE starts_with(rolname, :prefix)"),
                {"prefix": self.prefix + "_"},
            ).scalars()
            # Students first: the instructor's role created them.
            for role in sorted(roles, key=lambda r: r == self.instructor):
                connection.execute(text(f'DROP ROLE IF EXISTS "{role}"'))
        self._admin.dispose()


@pytest.fixture
def pg_class(pg_server: str) -> Iterator[PgClass]:
    """A PostgreSQL database owned by an instructor's role (PostgreSQL only)."""
    database = PgClass(pg_server)
    try:
        yield database
    finally:
        database.close()


def deck_list(run: Cli, today: dt.date = TODAY) -> list[Any]:
    """`decks --json`; a database not made yet (nothing was ever imported) holds none."""
    result = run("decks", "--json", today=today)
    if result.exit_code == 1 and "no flashcards database here yet" in result.stderr:
        return []
    return list(json.loads(ok(result)))


def ok(result: Result) -> str:
    """The stdout of a command that must have succeeded (else its output is shown)."""
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path
