"""Reverse cards: "Which muscle inserts on the pes anserinus?" from a structure's facts.

A deck asks for them with ``reverse: [insertion, innervation]`` (a structure may give its
own list, ``reverse: []`` for none). A reverse card is only right if its answer is
unambiguous across the whole deck set, so each value is compared with the same field of
every other structure of the same family (muscles with muscles, nerves with nerves)
that the set knows about:

- shared by no one: one card, answered by the structure;
- shared by 2 to ``MAX_SHARED`` structures: one card that asks for all of them
  ("Which muscles insert on the pes anserinus?"), unambiguous, so no warning;
- shared by more: no card (a list that long is not worth learning from one cue).

A card that cannot be asked (shared by too many, a value too long for a cue, an action
that is no movement) is reported once, at the line of the first structure that asks for
it, so ``lint`` says which.

Values are compared by their words, not their spelling, and a card quotes the most
general wording the deck set uses; every structure whose value says at least that much
answers it (`flashcards.authoring.cues`). Two decks that word one place differently
("lesser trochanter", "lesser trochanter of the femur") therefore make one card with
both answers, never two cards that each claim a single answer.

**The deck set.** `lint` and a preview of files see the files given. An import sees the
files imported together *plus every other deck already in the database*, whose facts
come back from the stored notes (``KnownFact``): importing one file of a course can
therefore not create a card that another imported deck makes ambiguous.

**Identity (what stays stable when an instructor edits text).** A note key never holds
the answer's text, only what the card is about:

- a card answered by one structure: ``deck/structure/field/reverse``, or, when the field
  is a list, ``deck/structure/field/reverse/<slug of the item>``. Fixing a typo in a
  single value keeps every review; in a list item the key follows the item, because an
  index would silently hand one item's history to another when items are reordered;
- a card shared by several structures: ``deck/reverse/field/<slug of the value>``, in the
  deck (the smallest deck id) of the structures that ask for it. The value is the only
  thing the structures have in common; the slug is of the normalised value, so case,
  punctuation, articles and parentheses may change freely. When a structure joins or
  leaves the group the card's question or answer changes meaning, and it starts afresh.

A shared card may belong to a deck that is in the database but not being imported; it is
then not rewritten, and the import warns when it is out of date.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from flashcards.authoring.cues import WordIndex, cue_text, reverse_question, value_words
from flashcards.authoring.cues import family as family_of
from flashcards.authoring.deckfile import REVERSIBLE_FIELDS, DeckFile, Problem, slugify
from flashcards.authoring.facts import NoteSpec, aliases_note
from flashcards.authoring.phrasing import is_plural_name, noun_for

__all__ = [
    "MAX_SHARED",
    "MAX_WORDS",
    "KnownFact",
    "ReversePlan",
    "facts_of",
    "plan_reverse_cards",
]

MAX_SHARED = 4  # structures one reverse card may ask for
MAX_WORDS = 12  # a longer value is a description, not a cue
CODE = "reverse"


@dataclass(frozen=True)
class KnownFact:
    """One fact field of one structure, from a deck file or from the database."""

    deck_id: str
    structure_id: str
    structure_name: str
    kind: str | None
    field: str
    items: tuple[str, ...]
    asks_reverse: bool
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    path: str | None = None  # the deck file; None for a deck known from the database
    line: int = 0


@dataclass
class ReversePlan:
    notes: dict[str, list[NoteSpec]] = field(default_factory=dict)  # by deck id
    problems: list[Problem] = field(default_factory=list)

    def notes_for(self, deck_id: str) -> list[NoteSpec]:
        return self.notes.get(deck_id, [])


def facts_of(decks: Iterable[DeckFile]) -> list[KnownFact]:
    """The reversible facts of deck files, each marked with whether its deck asks."""
    known: list[KnownFact] = []
    for deck in decks:
        for structure in deck.structures:
            asked = deck.reverse_fields(structure)
            for fact in structure.facts:
                if fact.field not in REVERSIBLE_FIELDS:
                    continue
                known.append(
                    KnownFact(
                        deck.id,
                        structure.id,
                        structure.name,
                        structure.kind,
                        fact.field,
                        fact.items,
                        fact.field in asked,
                        structure.aliases,
                        (*deck.tags, *structure.tags),
                        str(deck.path),
                        fact.line,
                    )
                )
    return known


# --- planning ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Item:
    fact: KnownFact
    text: str
    words: tuple[str, ...]
    family: str
    order: int


def _slug(text: str) -> str:
    slug = slugify(text) or "value"
    if len(slug) <= 60:
        return slug
    digest = hashlib.sha1(slug.encode(), usedforsecurity=False).hexdigest()[:8]
    return f"{slug[:60].rstrip('-')}-{digest}"


def _value(item: _Item) -> str:
    return f"the {item.fact.field.replace('_', ' ')} '{item.text}'"


def plan_reverse_cards(
    decks: Sequence[DeckFile],
    stored: Sequence[KnownFact] = (),
    stored_reverse: Mapping[str, str] | None = None,
) -> ReversePlan:
    """Reverse notes for ``decks`` (by deck id) and the warnings that explain them.

    ``stored`` are the facts of other decks already in the database and
    ``stored_reverse`` their reverse notes (key -> answer), for an import to compare.
    """
    own_decks = {deck.id for deck in decks}
    plan = ReversePlan()
    others_ask = any(f.asks_reverse for f in stored if f.deck_id not in own_decks)
    if not (stored_reverse or others_ask or _ask_reverse(decks)):
        return plan  # no card is asked for and none is stored: nothing to plan or warn about
    facts = [f for f in facts_of(decks) if f.deck_id in own_decks]
    facts += [f for f in stored if f.deck_id not in own_decks]
    with_family = [(fact, family_of(fact.kind, fact.structure_name)) for fact in facts]
    # Only a field and family someone asks about is compared, so only its values are read.
    asked = {(fact.field, family) for fact, family in with_family if fact.asks_reverse}
    items = [
        _Item(fact, text, value_words(text) if (fact.field, family) in asked else (), family, n)
        for n, (fact, family, text) in enumerate(
            (fact, family, text) for fact, family in with_family for text in fact.items
        )
    ]
    seen: set[str] = set()
    cards = _cards(items)
    still_made = {_emit(plan, card, own_decks, stored_reverse, seen) for card in cards}
    for key in sorted(set(stored_reverse or ()) - still_made):
        answer = (stored_reverse or {})[key]
        _warn_outdated(plan, key, answer, items, cards, own_decks, seen)
    return plan


def _ask_reverse(decks: Iterable[DeckFile]) -> bool:
    return any(deck.reverse_fields(s) for deck in decks for s in deck.structures)


def _warn_outdated(
    plan: ReversePlan,
    key: str,
    answer: str,
    items: list[_Item],
    cards: list[_Card],
    own_decks: set[str],
    seen: set[str],
) -> None:
    """A stored reverse card these files make wrong (now shared, or no longer made).

    Said at the lines of the imported structures it was about or now concerns.
    """
    deck_id, structure, field_name, *_ = [*key.split("/"), "", ""]
    if structure == "reverse":
        structure, field_name = "", key.split("/")[2]
    named = set(answer.split("\n"))
    involved = [
        item
        for item in items
        if item.fact.deck_id in own_decks
        and item.fact.field == field_name
        and item.fact.structure_name in named
    ]
    involved += [
        item
        for card in cards
        if card.field == field_name
        and any(
            i.fact.deck_id == deck_id and structure in ("", i.fact.structure_id)
            for i in card.answers.values()
        )
        for item in [*card.askers, *card.answers.values()]
        if item.fact.deck_id in own_decks
    ]
    message = (
        f"deck '{deck_id}' has a reverse card that this import makes out of date "
        f"({key}); import that deck too"
    )
    _warn(plan, involved, message, seen)


@dataclass
class _Card:
    field: str
    family: str
    cue: _Item  # the value the question quotes
    answers: dict[str, _Item]  # name slug -> one item of that structure
    askers: list[_Item]


def _cards(items: list[_Item]) -> list[_Card]:
    """One card per question, with the structures that answer it.

    An asking value is asked in its most general wording found in the deck set (see
    `cues.is_wording_of`), and answered by every structure that has a value saying at
    least that much.
    """
    by_key: dict[tuple[str, str], list[_Item]] = {}
    for item in items:
        if item.words:
            by_key.setdefault((item.fact.field, item.family), []).append(item)
    cards: list[_Card] = []
    for (field_name, family), group in by_key.items():
        index = WordIndex([item.words for item in group])
        by_cue: dict[frozenset[str], _Card] = {}  # by the cue's words, in any order
        for asker in (i for i in group if i.fact.asks_reverse):
            general = [group[n] for n in index.wordings_of(asker.words)]
            cue = min(general, key=lambda i: (len(i.words), len(i.text), i.order))
            card = by_cue.get(frozenset(cue.words))
            if card is None:
                answers: dict[str, _Item] = {}
                for other in (group[n] for n in index.saying(cue.words)):
                    answers.setdefault(_name_slug(other.fact.structure_name), other)
                card = _Card(field_name, family, cue, answers, [])
                by_cue[frozenset(cue.words)] = card
                cards.append(card)
            card.askers.append(asker)
    return cards


@lru_cache(maxsize=4096)
def _name_slug(name: str) -> str:
    return slugify(name)


def _problem(item: _Item, message: str) -> Problem | None:
    if item.fact.path is None:
        return None
    return Problem(item.fact.path, item.fact.line, message, "warning", CODE)


def _warn(plan: ReversePlan, items: Iterable[_Item], message: str, seen: set[str]) -> None:
    """One warning per card, at the line of the first of its structures read from a file
    (the message names the others), however many structures share it."""
    if message in seen:
        return
    problems = [p for p in (_problem(item, message) for item in items) if p is not None]
    if problems:
        seen.add(message)
        plan.problems.append(min(problems, key=lambda p: (p.path, p.line)))


def _emit(
    plan: ReversePlan,
    card: _Card,
    own_decks: set[str],
    stored_reverse: Mapping[str, str] | None,
    seen: set[str],
) -> str | None:
    """Plan one card (or warn why not); returns its key when a database deck owns it."""
    cue = card.cue
    names = sorted(item.fact.structure_name for item in card.answers.values())
    # "Which muscles …?" for several answers, and for one whose name is plural (Rotatores).
    several = len(names) > 1 or is_plural_name(names[0])
    nouns = noun_for(card.family, True)
    if len(cue.text.split()) > MAX_WORDS or "; " in cue.text or ". " in cue.text:
        message = (
            f"no reverse card for {_value(cue)}: too long for a question "
            f"(at most {MAX_WORDS} words; split it into a list)"
        )
        _warn(plan, card.askers, message, seen)
        return None
    if len(card.answers) > MAX_SHARED:
        shown = ", ".join(names[:6]) + (", …" if len(names) > 6 else "")
        message = (
            f"no reverse card for {_value(cue)}: {len(names)} {nouns} share it "
            f"({shown}), more than the {MAX_SHARED} one card may ask for"
        )
        _warn(plan, card.askers, message, seen)
        return None
    question = reverse_question(card.field, card.family, cue.text, several)
    if question is None:
        message = (
            f"no reverse card for {_value(cue)}: an action must start with a verb "
            "('Flexes the hip') or name a movement ('Hip flexion')"
        )
        _warn(plan, card.askers, message, seen)
        return None
    owner = min(card.askers, key=lambda i: (i.fact.deck_id, i.order))
    key = _key(card, owner)
    back = "\n".join(names)
    if owner.fact.deck_id not in own_decks:
        if stored_reverse is not None and stored_reverse.get(key) != back:
            message = (
                f'the reverse card "{question}" belongs to deck '
                f"'{owner.fact.deck_id}', which is not being imported; import it "
                "too to bring that card up to date"
            )
            _warn(
                plan,
                [
                    i
                    for i in card.askers + list(card.answers.values())
                    if i.fact.deck_id in own_decks
                ],
                message,
                seen,
            )
        return key
    plan.notes.setdefault(owner.fact.deck_id, []).append(_note(card, owner, key, question, back))
    return None


def _key(card: _Card, owner: _Item) -> str:
    fact = owner.fact
    if len(card.answers) > 1:
        family = "" if card.family == "muscle" else f"{card.family}/"
        return f"{fact.deck_id}/reverse/{card.field}/{family}{_slug(cue_text(card.cue.text))}"
    if len(fact.items) == 1:
        return f"{fact.deck_id}/{fact.structure_id}/{fact.field}/reverse"
    return f"{fact.deck_id}/{fact.structure_id}/{fact.field}/reverse/{_slug(cue_text(owner.text))}"


def _note(card: _Card, owner: _Item, key: str, question: str, back: str) -> NoteSpec:
    answers = sorted(card.answers.values(), key=lambda i: i.fact.structure_name)
    notes = [
        f"{i.fact.structure_name} — {note[0].lower()}{note[1:]}" if len(answers) > 1 else note
        for i in answers
        if (note := aliases_note(i.fact.aliases))
    ]
    tags = tuple(dict.fromkeys((*owner.fact.tags, "reverse")))
    return NoteSpec(
        key=key,
        kind="reverse",
        front=question,
        back=back,
        extra="\n".join(notes) or None,
        structure_key=owner.fact.structure_id,
        structure_name=", ".join(i.fact.structure_name for i in answers),
        field=card.field,
        meta={
            "direction": "reverse",
            "items": [i.fact.structure_name for i in answers],
            "value": card.cue.text,
            "structures": [f"{i.fact.deck_id}/{i.fact.structure_id}" for i in answers],
            "aliases": sorted({a for i in answers for a in i.fact.aliases}),
        },
        tags=tags,
    )
