"""What the global options decide, carried on ``ctx.obj``; the database opens on demand."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from flashcards.study.context import App

__all__ = ["Settings", "pass_app"]


@dataclass
class Settings:
    db: str | None
    user: str
    today: dt.date | None
    day_start_hour: int | None  # None: the user's setting (`flashcards config day-start`)
    day_start_source: str = "--day-start"
    _app: App | None = field(default=None, repr=False)

    def app(self) -> App:
        if self._app is None:
            from flashcards.study.context import App

            self._app = App(
                db=self.db,
                user_name=self.user,
                today_override=self.today,
                day_start_override=self.day_start_hour,
                day_start_source=self.day_start_source,
            )
        return self._app

    def close(self) -> None:
        if self._app is not None:
            self._app.close()


def pass_app(*, existing: bool = False) -> App:
    """The app of the current command (opens the database lazily). ``existing``: the
    command only reads, so a database or a user not there yet is an error, never made."""
    settings = click.get_current_context().find_object(Settings)
    if settings is None:  # a command invoked outside the group, as tests may do
        raise click.UsageError("run through the flashcards command")
    app = settings.app()
    app.existing_only = app.existing_only or existing
    return app
