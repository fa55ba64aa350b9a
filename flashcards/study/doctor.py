"""Checking a database for damage, and repairing what can be repaired without guessing.

Safe to repair: a state recomputed from the review log (the log is the record of truth),
a state whose card or user is gone, a count of reviews, media no note uses. Not safe: a
file SQLite finds damaged, a note without cards, an image that is missing; those are
reported for a person to decide (restore a backup, import the deck again).

A repair changes rows, so the database is kept as it was first: an SQLite file is copied
next to itself; a PostgreSQL database is backed up by its server's tools, so a repair
there waits until the person says it is done (``backed_up``), having been shown how.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session

from flashcards.errors import DatabaseUnusableError, FlashcardsError
from flashcards.scheduling.replay import NOT_MOVING, LoggedMove, Replayed, replay
from flashcards.study.context import App
from flashcards_db.engine import backup_sqlite, sqlite_path
from flashcards_db.queries import doctor as q

__all__ = ["Checkup", "Finding", "examine"]

SHOWN = 5  # examples per finding: enough to act on, short enough to read
DAMAGED = "SQLite found the file damaged (restore a backup)"
NOT_REPAIRED = (
    "SQLite found the file damaged: nothing was repaired (restore a backup, "
    "or copy what can be read with `sqlite3 FILE .recover`)"
)


@dataclass(frozen=True)
class Finding:
    check: str
    count: int
    summary: str
    examples: list[str]
    repairable: bool
    repaired: bool = False
    # Per example of a card's state: the card and the stored and logged fields, by name.
    cards: list[dict[str, object]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        found: dict[str, object] = {
            "check": self.check,
            "count": self.count,
            "summary": self.summary,
            "examples": self.examples,
            "repairable": self.repairable,
            "repaired": self.repaired,
        }
        if self.cards:
            found["cards"] = self.cards
        return found


@dataclass
class Checkup:
    engine: str
    findings: list[Finding] = field(default_factory=list)
    backup: Path | None = None

    @property
    def damaged(self) -> bool:
        """Damage is left after this run (repaired findings no longer count)."""
        return any(not f.repaired for f in self.findings)

    def as_json(self) -> dict[str, object]:
        return {
            "engine": self.engine,
            "healthy": not self.findings,
            "damaged": self.damaged,
            "backup": None if self.backup is None else str(self.backup),
            "findings": [f.as_json() for f in self.findings],
        }


def _finding(check: str, items: list[str], summary: str, repairable: bool) -> Finding | None:
    if not items:
        return None
    return Finding(check, len(items), summary, items[:SHOWN], repairable)


# A card state's fields by name, in the order of ``q.Values``.
FIELDS = ("repetitions", "interval", "ease", "due", "lapses")


def _named(values: q.Values | None) -> dict[str, object] | None:
    if values is None:
        return None
    named: dict[str, object] = dict(zip(FIELDS, values, strict=True))
    named["ease"] = round(float(values[2]), 4)
    named["due"] = None if values[3] is None else values[3].isoformat()
    return named


def _shown(name: str, value: object) -> str:
    if name == "interval":
        return f"interval {value} day{'' if value == 1 else 's'}"
    if name == "ease":
        return f"ease {float(str(value)):.2f}"
    if name == "due":
        return f"due {value or 'never'}"
    return f"{name} {value}"


class _Cards:
    """How a finding names a card: its note's key (and cloze number) and its question."""

    def __init__(self, session: Session, drifts: list[q.StateDrift]) -> None:
        self.labels = q.card_labels(session, [d.card_id for d in drifts])

    def key(self, card_id: int) -> str:
        label = self.labels.get(card_id)
        if label is None:
            return f"card {card_id}"
        return label.note_key + (f" c{label.ordinal}" if label.kind == "cloze" else "")

    def question(self, card_id: int) -> str | None:
        from flashcards.anki.html import terminal_text
        from flashcards.quiz import sides

        label = self.labels.get(card_id)
        if label is None:
            return None
        asked, _ = sides(label.kind, label.front, label.back, label.ordinal)
        return " ".join(terminal_text(asked).split())

    def heading(self, drift: q.StateDrift) -> str:
        question = self.question(drift.card_id)
        short = question if question is None or len(question) <= 60 else question[:59] + "…"
        asks = f" “{short}”" if short else ""
        return f"{drift.user}, {self.key(drift.card_id)}{asks}"

    def state(self, drift: q.StateDrift) -> str:
        """The fields that differ, stored against what the log gives (all when missing)."""
        want = _named(drift.expected)
        assert want is not None
        found = _named(drift.found)
        if found is None:
            fields = ", ".join(_shown(n, want[n]) for n in FIELDS)
            return f"no state stored; the log gives {fields}"
        differ = [n for n in FIELDS if found[n] != want[n]] or list(FIELDS)
        return "; ".join(
            f"{_shown(n, found[n])} stored, the log gives {_shown(n, want[n]).split(' ', 1)[1]}"
            for n in differ
        )

    def as_json(self, drift: q.StateDrift) -> dict[str, object]:
        return {
            "user": drift.user,
            "card_id": drift.card_id,
            "key": self.key(drift.card_id),
            "question": self.question(drift.card_id),
            "stored": _named(drift.found),
            "log": _named(drift.expected),
            "stored_reviews": drift.found_reviews,
            "log_reviews": drift.reviews,
        }


def _card_finding(
    check: str,
    drifts: list[q.StateDrift],
    cards: _Cards,
    example: str,
    summary: str,
) -> Finding | None:
    """A finding about card states; ``example`` names what to show of each: "state" or
    "reviews"."""
    if not drifts:
        return None
    lines = []
    for drift in drifts[:SHOWN]:
        if example == "reviews":
            said = f"{drift.found_reviews} reviews counted, the log has {drift.reviews}"
        else:
            said = cards.state(drift)
        lines.append(f"{cards.heading(drift)}: {said}")
    shown = [cards.as_json(d) for d in drifts[:SHOWN]]
    return Finding(check, len(drifts), summary, lines, True, cards=shown)


def examine(app: App, *, fix: bool = False, backed_up: bool = False) -> Checkup:
    """Run every check; with ``fix``, back the file up and repair what is safe to.

    On PostgreSQL, ``fix`` repairs only with ``backed_up`` (the person has run the
    `pg_dump` command this refusal shows); without it nothing is changed.
    """
    try:
        return _examine(app, fix, backed_up)
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise FlashcardsError(f"the database could not be read to the end: {reason}") from exc


def _examine(app: App, fix: bool, backed_up: bool) -> Checkup:
    try:
        engine = app.engine
    except DatabaseUnusableError as exc:
        if not exc.damaged:
            raise
        # A file SQLite cannot read, or another program's: that is the whole finding.
        return Checkup(
            engine="sqlite",
            findings=[
                Finding(
                    "unreadable",
                    1,
                    "SQLite cannot read this file as a flashcards database: it is none, or "
                    "a damaged one (restore a backup)",
                    [exc.reason],
                    False,
                )
            ],
        )
    checkup = Checkup(engine=engine.dialect.name)
    with engine.connect() as connection:
        try:
            file_errors = q.integrity_errors(connection)
        except DBAPIError as exc:
            file_errors = [str(exc.orig).strip().splitlines()[0]]
        if file_errors:
            # Reading on would only meet the damage again: restoring a backup comes first.
            checkup.findings = [
                Finding("integrity", len(file_errors), DAMAGED, file_errors[:SHOWN], False)
            ]
            if fix:
                raise FlashcardsError(NOT_REPAIRED)
            return checkup
        key_errors = q.foreign_key_errors(connection)
    with app.session() as session:
        orphans = q.orphan_states(session)
        duplicates = _duplicates(session)
        drift, missing, unreplayable = _against_the_log(session)
        counts = [d for d in drift if d.reviews is not None and d.found_reviews != d.reviews]
        differing = [d for d in drift if d.found != d.expected]
        cards = _Cards(session, [*missing[:SHOWN], *differing[:SHOWN], *counts[:SHOWN]])
        unused = q.unused_media(session)
        found = [
            _finding("foreign-keys", key_errors, "rows point at rows that are gone", False),
            _finding(
                "orphan-states",
                [f"card state {i}" for i in orphans],
                "card states whose card or user is gone",
                True,
            ),
            _finding(
                "duplicate-states",
                [f"{d.user}, card {d.card_id}: {d.found_reviews} rows" for d in duplicates],
                "cards with more than one state row for a user (one is kept, rebuilt from the log)",
                True,
            ),
            _card_finding(
                "missing-states",
                missing,
                cards,
                "state",
                "card states gone although the review log has answers (progress lost)",
            ),
            _finding(
                "notes-without-cards",
                q.notes_without_cards(session),
                "notes without any card (import the deck again)",
                False,
            ),
            _finding(
                "missing-media",
                [f"{key}: {name}" for key, name in q.missing_media(session)],
                "images notes refer to are not stored (import the deck again)",
                False,
            ),
            _finding("unused-media", unused, "stored media no note uses", True),
            _card_finding(
                "state-vs-log",
                differing,
                cards,
                "state",
                "card states that differ from their review log replayed with SM-2",
            ),
            _card_finding(
                "review-counts",
                counts,
                cards,
                "reviews",
                "counts of reviews that differ from the review log",
            ),
            _finding(
                "unreplayable-log",
                unreplayable,
                "review logs SM-2 cannot replay (a grade or state out of range)",
                False,
            ),
        ]
        checkup.findings = [f for f in found if f is not None]
        if not fix or not any(f.repairable for f in checkup.findings):
            return checkup
        if engine.dialect.name == "postgresql" and not backed_up:
            from flashcards.study.backup import back_up_first

            raise back_up_first(
                app.db,
                "nothing was repaired: a PostgreSQL database is not copied before a repair",
                "repair with `flashcards doctor --fix --backed-up`",
            )
        if sqlite_path(engine) is not None:
            checkup.backup = backup_sqlite(engine, "doctor")
        q.delete_states(session, orphans)
        q.delete_states(session, [i for d in duplicates for i in d.extra_ids])
        # With one row per card again, what differs from the log is found afresh.
        drift, missing, _ = _against_the_log(session)
        q.restore_states(session, drift)
        q.insert_states(session, missing)
        q.delete_media(session, unused)
    checkup.findings = [
        Finding(f.check, f.count, f.summary, f.examples, f.repairable, f.repairable, f.cards)
        for f in checkup.findings
    ]
    return checkup


@dataclass(frozen=True)
class Duplicate:
    user: str
    card_id: int
    found_reviews: int  # how many rows
    extra_ids: list[int]  # every row but the first


def _duplicates(session: Session) -> list[Duplicate]:
    """Cards a user has more than one state row for (the unique key was bypassed)."""
    names = q.user_names(session)
    rows: dict[tuple[int, int], list[int]] = {}
    for state in q.stored_states(session):
        rows.setdefault((state.user_id, state.card_id), []).append(state.state_id)
    return [
        Duplicate(names.get(user, "?"), card, len(ids), sorted(ids)[1:])
        for (user, card), ids in rows.items()
        if len(ids) > 1
    ]


def _against_the_log(
    session: Session,
) -> tuple[list[q.StateDrift], list[q.StateDrift], list[str]]:
    """Every card's state replayed from the log with SM-2 against the stored one: the
    states that differ (in numbers or in their count of reviews), the states missing
    although the log has answers, and the logs that cannot be replayed."""
    log = q.standing_log(session)
    names = q.user_names(session)
    drift: list[q.StateDrift] = []
    unreplayable: list[str] = []
    stored: set[tuple[int, int]] = set()
    replayed: dict[tuple[int, int], Replayed] = {}

    def expected(key: tuple[int, int]) -> Replayed | None:
        if key not in replayed:
            moves = [LoggedMove(r.kind, r.study_day, r.quality, r.after) for r in log.get(key, [])]
            try:
                replayed[key] = replay(moves)
            except (ValueError, TypeError) as exc:
                unreplayable.append(f"{names.get(key[0], '?')}, card {key[1]}: {exc}")
                return None
        return replayed[key]

    for state in q.stored_states(session):
        key = (state.user_id, state.card_id)
        if key in stored:
            continue  # a duplicate row: its own finding
        stored.add(key)
        want = expected(key)
        if want is None:
            continue
        reviews = None if want.imported else want.reviews
        same = (
            state.values[:2] == want.values[:2]
            and state.values[3:] == want.values[3:]
            and abs(state.values[2] - want.easiness) <= 1e-9
        )
        if not same or (reviews is not None and state.reviews != reviews):
            drift.append(
                q.StateDrift(
                    state.state_id, state.user_id, names.get(state.user_id, "?"),
                    state.card_id, state.values, want.values, reviews,
                    want.last_review_day, state.reviews,
                )
            )  # fmt: skip
    missing: list[q.StateDrift] = []
    cards = q.card_ids(session)
    for key, rows in log.items():
        if key in stored or key[0] not in names or key[1] not in cards:
            continue
        want = expected(key)
        if want is None or all(r.kind in NOT_MOVING for r in rows):
            continue
        missing.append(
            q.StateDrift(
                None, key[0], names[key[0]], key[1], None, want.values,
                None if want.imported else want.reviews, want.last_review_day,
            )
        )  # fmt: skip
    return drift, missing, unreplayable
