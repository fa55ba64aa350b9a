"""A student's settings (``flashcards config``): what each is, its default, its checks,
and which of its values applies.

A value comes, first found: from the command line or the environment (the day-start hour
and the leech threshold have options), from the deck being studied or the nearest of its
parent decks that has one, from the student's own setting for every deck, or from the
default. Pure: the study layer reads and writes the values.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from flashcards.scheduling.leeches import DEFAULT_LEECH_THRESHOLD
from flashcards.scheduling.limits import DEFAULT_NEW_PER_DAY

__all__ = [
    "SETTINGS",
    "UNLIMITED",
    "Resolved",
    "SettingSpec",
    "check_setting",
    "resolve",
    "setting_named",
]

UNLIMITED = "unlimited"


def _whole(low: int, high: int, *, unlimited: bool = False) -> Callable[[str], str]:
    def check(value: str) -> str:
        text = value.strip().lower()
        if unlimited and text in (UNLIMITED, "none", "no limit"):
            return UNLIMITED
        try:
            number = int(text)
        except ValueError:
            number = None
        if number is None or not low <= number <= high:
            also = f" or '{UNLIMITED}'" if unlimited else ""
            raise ValueError(f"must be a whole number from {low} to {high}{also}, not {value!r}")
        return str(number)

    return check


def _zone(value: str) -> str:
    text = value.strip()
    if text.lower() in ("local", "default"):
        return "local"
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(text)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(
            f"{value!r} is not a time zone name; use one like Europe/Paris, "
            "America/New_York or UTC (or 'local' for the machine's zone)"
        ) from None
    return text


@dataclass(frozen=True)
class SettingSpec:
    name: str
    meaning: str
    default: str
    per_deck: bool  # may be set for one deck (--deck)
    check: Callable[[str], str]  # the value as stored, or ValueError saying why not


SETTINGS: dict[str, SettingSpec] = {
    spec.name: spec
    for spec in (
        SettingSpec(
            "new-per-day",
            "new cards a day (review --new N takes more for one session)",
            str(DEFAULT_NEW_PER_DAY),
            True,
            _whole(0, 10_000),
        ),
        SettingSpec(
            "reviews-per-day",
            "due reviews a day; the rest wait for the next day",
            UNLIMITED,
            True,
            _whole(0, 100_000, unlimited=True),
        ),
        SettingSpec(
            "leech-threshold",
            "lapses after which a card is a leech and is suspended",
            str(DEFAULT_LEECH_THRESHOLD),
            True,
            _whole(1, 1000),
        ),
        SettingSpec(
            "day-start",
            "the hour (0-23, your time) at which a new study day begins",
            "4",
            False,
            _whole(0, 23),
        ),
        SettingSpec(
            "timezone",
            "your time zone for study days (local: the machine's)",
            "local",
            False,
            _zone,
        ),
    )
}


def setting_named(name: str) -> SettingSpec:
    """A setting by name (``new_per_day`` and ``new-per-day`` alike); ValueError if none."""
    wanted = name.strip().lower().replace("_", "-")
    spec = SETTINGS.get(wanted)
    if spec is None:
        close = difflib.get_close_matches(wanted, list(SETTINGS), n=1)
        hint = f"; did you mean {close[0]}?" if close else ""
        raise ValueError(
            f"no setting named {name!r}{hint} (the settings are: {', '.join(SETTINGS)})"
        )
    return spec


def check_setting(name: str, value: str, *, for_deck: bool) -> tuple[SettingSpec, str]:
    """The setting and its value as stored; ValueError saying what is wrong."""
    spec = setting_named(name)
    if for_deck and not spec.per_deck:
        raise ValueError(f"{spec.name} is yours for every deck: set it without --deck")
    try:
        return spec, spec.check(value)
    except ValueError as exc:
        raise ValueError(f"{spec.name} {exc}") from None


@dataclass(frozen=True)
class Resolved:
    name: str
    value: str
    source: str  # "default", "your setting", "deck <name>", or the option or variable


def resolve(
    spec: SettingSpec,
    *,
    override: tuple[str, str] | None = None,
    decks: Sequence[tuple[str, str]] = (),
    user: str | None = None,
) -> Resolved:
    """The value in force: ``override`` (value, where from), else the first of ``decks``
    ((deck name, value), nearest first), else ``user``, else the default."""
    if override is not None:
        return Resolved(spec.name, override[0], override[1])
    for deck_name, value in decks:
        return Resolved(spec.name, value, f"deck {deck_name}")
    if user is not None:
        return Resolved(spec.name, user, "your setting")
    return Resolved(spec.name, spec.default, "default")
