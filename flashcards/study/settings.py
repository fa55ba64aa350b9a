"""``flashcards config``: show, set and remove a student's settings, and the limits a
review session runs with (``flashcards.scheduling.settings`` says which value applies).

A deck's own value applies to a session over that deck (named by its full name or id)
and its sub-decks, the nearest deck up the hierarchy that has one first; a session over
every deck, or over several, runs with the student's values for every deck.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from flashcards.errors import DeckNotFoundError, FlashcardsError
from flashcards.scheduling.settings import (
    SETTINGS,
    UNLIMITED,
    Resolved,
    SettingSpec,
    check_setting,
    resolve,
    setting_named,
)
from flashcards.study.context import App
from flashcards.study.decks import deck_named
from flashcards_db.models import Deck, User
from flashcards_db.queries import settings as q
from flashcards_db.queries.users import get_or_create_user

__all__ = [
    "LEECH_ENV",
    "SessionLimits",
    "change_setting",
    "session_limits",
    "show_settings",
]

LEECH_ENV = "FLASHCARDS_LEECH_THRESHOLD"


@dataclass(frozen=True)
class SessionLimits:
    new_per_day: int
    reviews_per_day: int | None  # None: no limit
    leech_threshold: int


def _deck_chain(session: Session, deck: Deck) -> list[Deck]:
    """The deck and its stored parent decks, nearest first."""
    parts = deck.name.split("::")
    names = ["::".join(parts[:n]) for n in range(len(parts), 0, -1)]
    found = {d.name: d for d in session.scalars(select(Deck).where(Deck.name.in_(names)))}
    chain = [deck] + [found[n] for n in names[1:] if n in found]
    return chain


def _resolved(
    app: App,
    session: Session,
    user: User,
    deck: Deck | None,
    overrides: dict[str, tuple[str, str]],
) -> list[Resolved]:
    values = q.user_settings(session, user.id)
    chain = _deck_chain(session, deck) if deck is not None else []
    found: list[Resolved] = []
    for spec in SETTINGS.values():
        if spec.name == "timezone":
            found.append(resolve(spec, user=user.timezone))
            continue
        decks = [
            (d.name, values[(d.key, spec.name)])
            for d in chain
            if spec.per_deck and (d.key, spec.name) in values
        ]
        user_value = values.get((q.EVERY_DECK, spec.name))
        found.append(resolve(spec, override=overrides.get(spec.name), decks=decks, user=user_value))
    return found


def _overrides(app: App, leech_option: int | None = None) -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    if app.day_start_override is not None:
        found["day-start"] = (str(app.day_start_override), app.day_start_source)
    if leech_option is not None:
        found["leech-threshold"] = (str(leech_option), "--leech-threshold")
    elif os.environ.get(LEECH_ENV, "").strip():
        try:
            _, value = check_setting("leech-threshold", os.environ[LEECH_ENV], for_deck=False)
        except ValueError as exc:
            raise FlashcardsError(f"{LEECH_ENV}: {exc}") from None
        found["leech-threshold"] = (value, LEECH_ENV)
    return found


def _deck_for(session: Session, selector: str) -> Deck:
    """The deck ``--deck`` names, read as ``review`` reads a DECK argument."""
    name, deck = deck_named(session, selector)
    if deck is None:
        parents = session.scalars(
            select(Deck.name).where(Deck.name.startswith(name + "::", autoescape=True))
        ).all()
        raise DeckNotFoundError(
            f"{name!r} groups {len(parents)} deck(s) but is no deck of its own: set "
            "the value for each of them, or for every deck (without --deck)"
        )
    return deck


def show_settings(app: App, deck: str | None = None) -> tuple[str | None, list[Resolved]]:
    """Every setting in force (for ``deck`` when given), with where it comes from."""
    with app.session() as session:
        user = get_or_create_user(session, app.user_name)
        row = _deck_for(session, deck) if deck is not None else None
        return (row.name if row else None), _resolved(app, session, user, row, _overrides(app))


def _removable(name: str, *, for_deck: bool) -> SettingSpec:
    spec = setting_named(name)
    if for_deck and not spec.per_deck:
        raise ValueError(f"{spec.name} is yours for every deck: remove it without --deck")
    return spec


def change_setting(
    app: App, name: str, value: str | None, *, deck: str | None = None
) -> tuple[SettingSpec, Resolved, str | None]:
    """Set (or with ``value`` None remove) a setting; returns the setting, what is now in
    force, and the deck's name (None: every deck)."""
    try:
        if value is None:  # a removal: the name (and where) is all there is to check
            spec = _removable(name, for_deck=deck is not None)
            stored = spec.default
        else:
            spec, stored = check_setting(name, value, for_deck=deck is not None)
    except ValueError as exc:
        raise FlashcardsError(str(exc)) from None
    with app.session() as session:
        user = get_or_create_user(session, app.user_name)
        row = _deck_for(session, deck) if deck is not None else None
        if spec.name == "timezone":
            user.timezone = None if value is None or stored == "local" else stored
        elif value is None:
            q.remove_setting(session, user.id, row.key if row else q.EVERY_DECK, spec.name)
        else:
            q.set_setting(session, user.id, row.key if row else q.EVERY_DECK, spec.name, stored)
        session.flush()
        now = _resolved(app, session, user, row, _overrides(app))
    return spec, next(r for r in now if r.name == spec.name), row.name if row else None


def session_limits(
    app: App,
    session: Session,
    user_id: int,
    selectors: Sequence[str],
    *,
    leech_option: int | None = None,
) -> SessionLimits:
    """The limits a review session over ``selectors`` (DECK arguments) runs with."""
    user = session.get(User, user_id)
    assert user is not None
    deck = deck_named(session, selectors[0])[1] if len(selectors) == 1 else None
    found = {
        r.name: r.value for r in _resolved(app, session, user, deck, _overrides(app, leech_option))
    }
    reviews = found["reviews-per-day"]
    return SessionLimits(
        new_per_day=int(found["new-per-day"]),
        reviews_per_day=None if reviews == UNLIMITED else int(reviews),
        leech_threshold=int(found["leech-threshold"]),
    )
