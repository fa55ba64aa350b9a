"""Alembic migrations, run programmatically: no alembic.ini to find or keep in step."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine

__all__ = ["HEAD_REVISION", "alembic_config", "known_revisions", "upgrade"]

# Checked against the scripts by a test; lets start-up skip loading Alembic when the
# database is already current.
HEAD_REVISION = "0002"

MIGRATIONS_DIR = Path(__file__).parent


def alembic_config(engine: Engine | None = None):  # type: ignore[no-untyped-def]
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["engine"] = engine
    return config


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    return {rev.revision for rev in script.walk_revisions()}


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(engine), revision)
