"""The study app of each request: the server's database, the study day read again."""

from __future__ import annotations

import dataclasses

from flask import current_app

from flashcards.study.context import App

__all__ = ["APP_KEY", "fresh_app", "study_app"]

APP_KEY = "FLASHCARDS_APP"


def fresh_app(app: App) -> App:
    """The same database (its engine shared), the study day read again: a server left
    running past the day's start serves the new day."""
    return dataclasses.replace(app, _today=None)


def study_app() -> App:
    """The use-cases' app for the current request."""
    app: App = current_app.config[APP_KEY]
    return fresh_app(app)
