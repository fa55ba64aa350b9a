"""Lint rules of formulating knowledge: what makes a card worth remembering.

After P. Wozniak's "Twenty rules of formulating knowledge": minimum information (one
short answer), no sets or enumerations asked whole, a specific cue, no interference
(two decks teaching one fact two ways). Each break is a warning that names its rule and
how to mend it, ``path:line: warning: <rule>: …``; ``lint --strict`` fails on them.

- ``long-list``: one card asks more than `MAX_ITEMS` items;
- ``long-answer``: one card's answer is over `MAX_WORDS` words;
- ``vague-cue``: a question without a specific cue (plain-text ``clinical``, a
  "clinical relevance" question);
- ``citation``: a reference or author named inside an answer, or a hedge on who says
  what ("some texts …"): it belongs in ``note``;
- ``contradiction``: two files give one structure's field different values.

``unknown-kind`` and ``wrong-type`` need the file's text and are found while reading it
(`flashcards.authoring.deckfile`, `flashcards.authoring.nodes`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from flashcards.authoring.model import MAX_ITEMS, MAX_WORDS, DeckFile, Fact, Problem
from flashcards.authoring.nodes import cloze_answers

__all__ = [
    "RULES",
    "check_deck",
    "cited_reference",
    "contradictions",
    "count_words",
    "fits_one_card",
    "list_parts",
]

RULES = (
    "long-list",
    "long-answer",
    "vague-cue",
    "citation",
    "contradiction",
    "unknown-kind",
    "wrong-type",
)

# References and their authors, as students would otherwise memorise them with the fact.
# Case matters: "Gray" the author, not "gray ramus"; "Drake" the author.
_CITATION = re.compile(
    r"\b(?:Moore(?:'s|’s)?|Gray(?:'s|’s)(?! ram)|Gray\b(?! ram)|Thieme|Netter(?:'s|’s)?"
    r"|Kenhub|TeachMe(?:Anatomy)?|Wikipedia|Snell(?:'s|’s)?|Drake(?:'s|’s)?|Standring"
    r"|Sobotta|Rohen|Grant(?:'s|’s)|Radiopaedia|Last(?:'s|’s)|Tortora|Bogduk|Clemente)\b"
    r"|\bet al\b|\b[A-Z][a-z]+,? (?:19|20)\d\d\b"
    # Who-says-what without a name is the same thing: a hedge belongs in the note.
    r"|\b(?:[Ss]ome|[Mm]ost|[Oo]ther|[Mm]any|[Oo]lder) (?:texts|sources|authors|references|books)\b"
    r"|\b[Aa]ccording to\b"
)
# Questions that give no cue: the answer could be anything about the structure.
_VAGUE = re.compile(
    r"clinical(?:ly)? (?:relevance|significance|importance|correlat\w*|notes?|points?|aspects?)"
    r"|\b(?:what do you know|tell me) about\b|\bwhat is important about\b",
    re.IGNORECASE,
)
_WORD = re.compile(r"\w")
_CLOZE_DELETION = re.compile(r"\{\{c\d+::(.*?)(?:::.*?)?\}\}", re.DOTALL)


def count_words(text: str) -> int:
    """Words as a reader counts them: "(C5–C6)" is one, a lone dash none."""
    return sum(1 for token in text.split() if _WORD.search(token))


def cited_reference(text: str) -> str | None:
    """The first reference or author named in ``text``, or None."""
    found = _CITATION.search(text)
    return found.group(0) if found else None


def list_parts(text: str) -> int:
    """How many things one answer text lists: its lines, its '; '-separated parts, or the
    items of a sentence list ("A, B, C and D")."""
    lines = [line for line in text.splitlines() if line.strip()]
    parts = [p for p in re.split(r";\s", text) if p.strip()]
    return max(len(lines), len(parts), max(_listed(line) for line in lines or [""]))


def fits_one_card(text: str) -> bool:
    """An answer the rules let one card ask: short, one short list at most, no citation."""
    return (
        count_words(text) <= MAX_WORDS
        and list_parts(text) <= MAX_ITEMS
        and cited_reference(text) is None
    )


def _listed(sentence: str) -> int:
    """Items of "A, B, C and D" (4); a sentence without a comma is one thing."""
    pieces = _OUTSIDE_BRACKETS.sub("", sentence).split(", ")
    last = pieces[-1]
    return len(pieces) + (1 if len(pieces) > 1 and re.search(r"\s(?:and|or)\s", last) else 0)


_OUTSIDE_BRACKETS = re.compile(r"\([^()]*\)")


# Most answers are far below both limits, and counting exactly costs a regex per word
# and per line: these bounds, never below the exact counts, spare that work (check_deck
# of the 35,000-card bench deck: 0.2 s -> 0.11 s). The exact counts decide every warning.
def _over_words(text: str) -> bool:
    """Whether ``text`` may have more than `MAX_WORDS` words: more tokens than that."""
    return len(text.split(None, MAX_WORDS)) > MAX_WORDS


def _over_parts(text: str) -> bool:
    """Whether `list_parts` may exceed `MAX_ITEMS`. Lines need line breaks, '; ' parts a ';',
    and "A, B and C" has at most two items per ','; so with fewer such separators than
    `MAX_ITEMS` the exact count cannot exceed it."""
    separators = text.count("\n") + text.count(";") + 2 * text.count(",")
    return separators >= MAX_ITEMS or _OTHER_LINE_BREAKS.search(text) is not None


# What `str.splitlines` breaks at besides "\n".
_OTHER_LINE_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


@dataclass
class _Checker:
    deck: DeckFile
    problems: list[Problem]

    def warn(self, line: int, rule: str, message: str) -> None:
        self.problems.append(
            Problem(str(self.deck.path), line, f"{rule}: {message}", "warning", rule)
        )

    def answer(
        self, line: int, what: str, text: str, *, whole: bool = True, fact: bool = False
    ) -> None:
        """One card's answer text: its length, its list, a citation in it. ``fact``: the
        answer is a structure's fact, which can be made a list asked item by item."""
        if _over_words(text) and (words := count_words(text)) > MAX_WORDS:
            self.warn(
                line,
                "long-answer",
                f"the answer of {what} has {words} words (at most {MAX_WORDS}): keep the "
                "fact itself and move the rest into 'note:', or split it into cards",
            )
        if whole and _over_parts(text) and (parts := list_parts(text)) > MAX_ITEMS:
            self.warn(
                line,
                "long-list",
                f"the answer of {what} lists {parts} things on one card (at most "
                f"{MAX_ITEMS}): "
                + (
                    "make it a list asked with 'ask: each' or 'ask: any'"
                    if fact
                    else "split it into one card per item, or a cloze with one gap per item"
                ),
            )
        self.citation(line, what, text)

    def citation(self, line: int, what: str, text: str) -> None:
        name = cited_reference(text)
        if name is not None:
            self.warn(
                line,
                "citation",
                f"the answer of {what} says who says what ('{name}'): students would learn "
                "the citation with the fact; move it into 'note:'",
            )

    def question(self, line: int, text: str) -> None:
        if _VAGUE.search(text):
            self.warn(
                line,
                "vague-cue",
                f"the question '{text}' has no specific cue: ask for the one fact it "
                "answers ('Which sign …?', 'Which nerve is at risk in …?')",
            )

    def fact(self, what: str, fact: Fact) -> None:
        if fact.field == "clinical":
            self.warn(
                fact.line,
                "vague-cue",
                f"{what} is plain text, asked as 'What is the clinical relevance of …?' with "
                "no specific cue: write each clinical fact as its own card "
                "(- q: Which sign …? a: …)",
            )
        mode = fact.mode
        if mode == "all":
            if fact.is_list and len(fact.items) > MAX_ITEMS:
                self.warn(
                    fact.line,
                    "long-list",
                    f"{what} asks {len(fact.items)} items on one card (at most {MAX_ITEMS}): "
                    "add 'ask: each' (one card per item) or 'ask: any' (name one), or keep "
                    "the items that matter",
                )
                self.answer(fact.line, what, "\n".join(fact.items), whole=False)
            else:
                self.answer(fact.line, what, "\n".join(fact.items), fact=True)
        else:
            for index, item in enumerate(fact.items):
                self.answer(fact.item_line(index), what, item, fact=True)
        for text in fact.accept:
            self.citation(fact.line, what, text)


def check_deck(deck: DeckFile) -> list[Problem]:
    """Every break of the rules of formulating knowledge within one deck file."""
    check = _Checker(deck, [])
    for structure in deck.structures:
        for fact in structure.facts:
            check.fact(f"{structure.name} {fact.field.replace('_', ' ')}", fact)
        for card in structure.clinical:
            what = f"the clinical card '{card.id}' of {structure.name}"
            check.question(card.line, card.question)
            check.answer(card.line, what, card.answer)
            for text in card.accept:
                check.citation(card.line, what, text)
    for hand in deck.cards:
        what = f"card '{hand.id}'"
        if hand.question is not None:
            check.question(hand.line, hand.question)
        if hand.answer is not None:
            check.answer(hand.line, what, hand.answer)
        if hand.cloze is not None:
            for deletion in _CLOZE_DELETION.findall(hand.cloze):
                check.answer(hand.line, what, cloze_answers(deletion))
        for text in hand.accept:
            check.citation(hand.line, what, text)
    return check.problems


# --- across files ---------------------------------------------------------------------

_DASHES = str.maketrans({"–": "-", "—": "-", "‑": "-", "−": "-"})


def _normal(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).translate(_DASHES).casefold()
    return " ".join(folded.split()).rstrip(".")


@dataclass(frozen=True)
class _Place:
    deck: DeckFile
    fact: Fact

    def value(self) -> tuple[str, ...]:
        return tuple(sorted(_normal(item) for item in self.fact.items))

    def shown(self) -> str:
        text = "; ".join(self.fact.items)
        return text if len(text) <= 80 else text[:79] + "…"


def contradictions(decks: Sequence[DeckFile]) -> list[Problem]:
    """Two files giving one structure (same id) different values of one field: a
    warning in each, naming the other."""
    by_fact: dict[tuple[str, str], list[tuple[DeckFile, Fact]]] = {}
    for deck in decks:
        for structure in deck.structures:
            for fact in structure.facts:
                by_fact.setdefault((structure.id, fact.field), []).append((deck, fact))
    problems: list[Problem] = []
    for (structure_id, field_name), written in by_fact.items():
        # One place cannot disagree with itself (nearly every fact: no values to normalise).
        if len(written) < 2:
            continue
        places = [_Place(deck, fact) for deck, fact in written]
        if len({place.value() for place in places}) < 2:
            continue
        for place in places:
            for other in places:
                if other.deck.path == place.deck.path or other.value() == place.value():
                    continue
                message = (
                    f"contradiction: '{structure_id}' {field_name.replace('_', ' ')} is "
                    f"'{place.shown()}' here but '{other.shown()}' in "
                    f"{other.deck.path}:{other.fact.line}: make the files agree (a "
                    "disagreement between references goes in 'note:')"
                )
                path, line = str(place.deck.path), place.fact.line
                problems.append(Problem(path, line, message, "warning", "contradiction"))
    return problems
