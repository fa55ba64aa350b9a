"""``flashcards config``: show, set and remove a student's settings, and the limits a
review session runs with (``flashcards.scheduling.settings`` says which value applies).

A deck's own value applies to a session over that deck (named by its full name or id)
and its sub-decks, the nearest deck up the hierarchy that has one first; a session over
every deck, or over several, runs with the student's values for every deck. A group
(``Anatomy::Lower limb`` when only its sub-decks were imported) takes a value too, kept
under its full name (``GROUP_KEY``): it applies to its sub-decks as a parent deck's does.
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

__all__ = [
    "LEECH_ENV",
    "SessionLimits",
    "change_setting",
    "session_limits",
    "show_settings",
]

LEECH_ENV = "FLASHCARDS_LEECH_THRESHOLD"


# The deck_key of a group's setting: its full name after "::", which no deck key has.
GROUP_KEY = "::"
_KEY_LENGTH = 200  # settings.deck_key


@dataclass(frozen=True)
class _Place:
    """Where a --deck value is kept: a stored deck (its key) or a group (its name)."""

    name: str
    key: str


@dataclass(frozen=True)
class SessionLimits:
    new_per_day: int
    reviews_per_day: int | None  # None: no limit
    leech_threshold: int


def _group_key(name: str) -> str:
    return GROUP_KEY + name


def _chain(session: Session, name: str) -> list[tuple[str, list[str]]]:
    """The deck or group ``name`` and every group above it, nearest first, each with the
    keys its own values are kept under (a stored deck's key, then its name as a group)."""
    parts = name.split("::")
    names = ["::".join(parts[:n]) for n in range(len(parts), 0, -1)]
    stored = {d.name: d.key for d in session.scalars(select(Deck).where(Deck.name.in_(names)))}
    return [(n, [stored[n]] if n in stored else []) for n in names]


def _resolved(
    app: App,
    session: Session,
    user: User,
    name: str | None,
    overrides: dict[str, tuple[str, str]],
) -> list[Resolved]:
    values = q.user_settings(session, user.id)
    chain = _chain(session, name) if name is not None else []
    found: list[Resolved] = []
    for spec in SETTINGS.values():
        if spec.name == "timezone":
            found.append(resolve(spec, user=user.timezone))
            continue
        decks = [
            (level, values[(key, spec.name)])
            for level, keys in chain
            for key in [*keys, _group_key(level)]
            if spec.per_deck and (key, spec.name) in values
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


def _is_group(session: Session, name: str) -> bool:
    """Whether ``name`` is the full name of a group of stored decks (``A::B`` of ``A::B::C``)."""
    below = select(Deck.id).where(Deck.name.startswith(name + "::", autoescape=True)).limit(1)
    return session.scalar(below) is not None


def _deck_for(session: Session, selector: str) -> _Place:
    """The deck or group ``--deck`` names, read as ``review`` reads a DECK argument."""
    name, deck = deck_named(session, selector)
    if deck is not None:
        return _Place(deck.name, deck.key)
    if _is_group(session, name):
        return _Place(name, _group_key(name))
    raise DeckNotFoundError(f"no deck named {selector!r}; `flashcards decks` lists them")


def show_settings(app: App, deck: str | None = None) -> tuple[str | None, list[Resolved]]:
    """Every setting in force (for ``deck`` when given), with where it comes from."""
    with app.session() as session:
        user = app.user(session)  # made by nothing when the app only reads
        place = _deck_for(session, deck) if deck is not None else None
        name = place.name if place else None
        return name, _resolved(app, session, user, name, _overrides(app))


def _removable(name: str, *, for_deck: bool) -> SettingSpec:
    spec = setting_named(name)
    if for_deck and not spec.per_deck:
        raise ValueError(f"{spec.name} is yours for every deck: remove it without --deck")
    return spec


def change_setting(
    app: App, name: str, value: str | None, *, deck: str | None = None
) -> tuple[SettingSpec, Resolved, str | None]:
    """Set (or with ``value`` None remove) a setting; returns the setting, what is now in
    force, and the deck's name (None: every deck). The user is made when missing unless
    the app only reads (a removal has nothing to remove for a user not there yet)."""
    try:
        if value is None:  # a removal: the name (and where) is all there is to check
            spec = _removable(name, for_deck=deck is not None)
            stored = spec.default
        else:
            spec, stored = check_setting(name, value, for_deck=deck is not None)
    except ValueError as exc:
        raise FlashcardsError(str(exc)) from None
    with app.session() as session:
        user = app.user(session)
        place = _deck_for(session, deck) if deck is not None else None
        key = place.key if place else q.EVERY_DECK
        if place is not None and len(key) > _KEY_LENGTH:  # a group's: its name is the key
            most = _KEY_LENGTH - len(GROUP_KEY)
            shown = place.name if len(place.name) <= 60 else place.name[:59] + "…"
            raise FlashcardsError(
                f"the group {shown!r} has a name of {len(place.name)} characters, too long "
                f"to keep a setting for (a group's name may have at most {most}): give the "
                "value to each deck under it instead"
            )
        if spec.name == "timezone":
            user.timezone = None if value is None or stored == "local" else stored
        else:
            if place is not None and place.key != _group_key(place.name):
                # A stored deck: its value set as a group's before the deck was imported
                # would apply again once the deck's own one is gone, so it goes too.
                q.remove_setting(session, user.id, _group_key(place.name), spec.name)
            if value is None:
                q.remove_setting(session, user.id, key, spec.name)
            else:
                q.set_setting(session, user.id, key, spec.name, stored)
        session.flush()
        where = place.name if place else None
        now = _resolved(app, session, user, where, _overrides(app))
    return spec, next(r for r in now if r.name == spec.name), where


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
    name: str | None = None
    if len(selectors) == 1:  # a session over one deck or group: its own values apply
        name = deck_named(session, selectors[0])[0]
    overrides = _overrides(app, leech_option)
    found = {r.name: r.value for r in _resolved(app, session, user, name, overrides)}
    reviews = found["reviews-per-day"]
    return SessionLimits(
        new_per_day=int(found["new-per-day"]),
        reviews_per_day=None if reviews == UNLIMITED else int(reviews),
        leech_threshold=int(found["leech-threshold"]),
    )
