"""The deck list as Anki shows it (every parent deck, its counts including its sub-decks),
and DECK arguments as people type them."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from flashcards.errors import DeckNotFoundError
from flashcards.study.context import App
from flashcards.study.counts import day_answers, redrill_cards
from flashcards_db.models import Deck
from flashcards_db.queries.decks import DeckCount, all_decks, deck_counts, decks_matching

__all__ = [
    "DeckRow",
    "choose_deck_name",
    "deck_ids_for",
    "deck_named",
    "deck_tree",
    "find_decks",
]

SHOWN_CANDIDATES = 8


@dataclass
class DeckRow:
    name: str
    id: str | None  # the deck's stable id; None for a parent that only exists by name
    cards: int = 0
    new: int = 0
    due: int = 0
    suspended: int = 0
    redrills: int = 0  # cards failed today, asked again until they reach 4

    @property
    def depth(self) -> int:
        return self.name.count("::")

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "id": self.id,
            "cards": self.cards,
            "new": self.new,
            "due": self.due,
            "suspended": self.suspended,
            "redrills": self.redrills,
        }


def roll_up(counts: list[DeckCount], redrills: dict[str, int] | None = None) -> list[DeckRow]:
    rows: dict[str, DeckRow] = {}
    waiting = dict(redrills or {})
    for count in counts:
        own = waiting.pop(count.name, 0)  # once per name: two rows may share a name
        parts = count.name.split("::")
        for depth in range(1, len(parts) + 1):
            name = "::".join(parts[:depth])
            row = rows.setdefault(name, DeckRow(name=name, id=None))
            row.cards += count.cards
            row.new += count.new
            row.due += count.due
            row.suspended += count.suspended
            row.redrills += own
        rows[count.name].id = rows[count.name].id or count.key
    return [rows[name] for name in sorted(rows, key=lambda n: n.split("::"))]


def deck_tree(app: App) -> list[DeckRow]:
    """Every deck with its counts (``flashcards.study.counts`` defines them); a card
    waiting for its re-drill is a re-drill, not a due card."""
    with app.session() as session:
        user_id = app.user_id(session)
        counts = deck_counts(session, user_id, app.today)
        answers = day_answers(session, user_id, app.today)
        waiting = redrill_cards(session, user_id, answers, None)
    per_deck: dict[str, int] = {}
    for card in waiting:
        per_deck[card.deck_name] = per_deck.get(card.deck_name, 0) + 1
    return roll_up(counts, per_deck)


def find_decks(session: Session, selector: str, *, nor: str = "") -> list[Deck]:
    """The decks a DECK argument names, sub-decks included.

    The full name or the deck id as written; else, case-insensitively, the full name, a
    unique last part ("Lower limb"), or a unique substring of a full name ("gluteal").
    A part or substring that several decks share is an error listing them (a deck and
    its own sub-decks count as one); no match at all offers the nearest names.
    """
    return _chosen(session, selector, nor=nor)[1]


def deck_named(session: Session, selector: str, *, nor: str = "") -> tuple[str, Deck | None]:
    """The deck name a DECK argument stands for, resolved as ``find_decks`` does (so
    ``config --deck`` takes what ``review`` takes), and the deck of that very name: None
    when the name only groups sub-decks (or two decks share it)."""
    chosen, decks = _chosen(session, selector, nor=nor)
    own = [d for d in decks if d.name == chosen]
    return chosen, own[0] if len(own) == 1 else None


def _chosen(session: Session, selector: str, *, nor: str = "") -> tuple[str, list[Deck]]:
    # By full name (with its sub-decks), else by id, as written: SQLite's LIKE ignores
    # case, so what the query found is held to the name here; a name in other case
    # goes to the rules below ("anatomy::lower limb" is the group, not its first deck).
    exact = decks_matching(session, selector)
    by_name = [d for d in exact if d.name == selector or d.name.startswith(selector + "::")]
    if by_name:
        return selector, by_name
    by_key = [d for d in exact if d.key == selector]
    if by_key:
        return by_key[0].name, by_key
    decks = all_decks(session)
    chosen = choose_deck_name(selector, [d.name for d in decks], [d.key for d in decks], nor=nor)
    return chosen, [d for d in decks if d.name == chosen or d.name.startswith(chosen + "::")]


def deck_ids_for(session: Session, selectors: Sequence[str]) -> list[int] | None:
    """Deck ids for DECK arguments (each with its sub-decks); None when none is given."""
    if not selectors:
        return None
    ids: dict[int, None] = {}
    for selector in selectors:
        ids.update(dict.fromkeys(d.id for d in find_decks(session, selector)))
    return list(ids)


def choose_deck_name(
    selector: str, names: Sequence[str], keys: Sequence[str] = (), *, nor: str = ""
) -> str:
    """The one deck name (a parent's too) that ``selector`` stands for; see ``find_decks``.
    ``nor`` adds what else was looked for ("and no such file") to the not-found error."""
    wanted = selector.strip().casefold()
    every = sorted(
        {"::".join(n.split("::")[:i]) for n in names for i in range(1, n.count("::") + 2)}
    )
    by_key = {k.casefold(): n for k, n in zip(keys, names, strict=False)}
    if wanted in by_key:
        return by_key[wanted]
    rules: list[Callable[[str], bool]] = [
        lambda n: n.casefold() == wanted,
        lambda n: n.rsplit("::", 1)[-1].strip().casefold() == wanted,
        lambda n: bool(wanted) and wanted in n.casefold(),
    ]
    for rule in rules:
        hits = [n for n in every if rule(n)]
        # A deck and its sub-decks are one answer: the sub-decks come with it.
        top = [n for n in hits if not any(n.startswith(h + "::") for h in hits)]
        if len(top) == 1:
            return top[0]
        if top:
            shown = ", ".join(repr(n) for n in top[:SHOWN_CANDIDATES])
            more = f" and {len(top) - SHOWN_CANDIDATES} more" if len(top) > SHOWN_CANDIDATES else ""
            raise DeckNotFoundError(
                f"{selector!r} matches {len(top)} decks: {shown}{more}; "
                "give more of the name, or the deck's id (`flashcards decks` shows them)"
            )
    raise DeckNotFoundError(f"no deck named {selector!r}{nor}{_nearest(selector, every)}")


def _nearest(selector: str, names: Sequence[str]) -> str:
    from rapidfuzz import fuzz, process

    if not names:
        return "; there are no decks yet (`flashcards import` adds some)"
    # Against each deck's own part of the name: what people type is that part, misspelt.
    found = process.extract(
        selector.rsplit("::", 1)[-1].strip().casefold(),
        {n: n.rsplit("::", 1)[-1].casefold() for n in names},
        scorer=fuzz.WRatio,
        limit=3,
        score_cutoff=70,
    )
    if not found:
        return "; `flashcards decks` lists them"
    shown = ", ".join(repr(key) for _choice, _score, key in found)
    return f"; did you mean {shown}? (`flashcards decks` lists them)"
