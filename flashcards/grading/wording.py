"""Terms as a student reads them: the card's or the student's own words ("5–12",
"two-thirds", "Dorsal"), in reasons and in what the diff shows missing."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flashcards.grading.keyterms import kind_of
from flashcards.grading.normalise import Term, canonical, is_number
from flashcards.grading.parts import Part, parts

__all__ = ["as_said", "as_written", "counted", "lowered", "numbers_said", "shown"]

_ROMAN = ["0", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"]


def shown(term: Term) -> str:
    """A term as the student or the card wrote it; one of a phrase's words ("inferior" of
    "AIIS") or a folded word without its text as a student reads it (``cn7`` -> "CN VII")."""
    if term.written and term.own and (" " in term.written or _means(term)):
        return term.written
    if re.fullmatch(r"cn(\d+)", term.surface):
        return "CN " + _ROMAN[int(term.surface[2:])]
    return term.surface


def _means(term: Term) -> bool:
    """The word as written means the term on its own ("Dorsal" posterior, not "Pelvic"
    the inner of "pelvic surface")."""
    return canonical(term.written.casefold()) in (term.canon, term.also)


def as_written(terms: Iterable[Term]) -> tuple[str, ...]:
    """Terms as written, each text once ("5–12" for ``n5`` … ``n12``); numbers standing
    for part of what was written as the numbers they are ("5–6" of "5–12")."""
    terms = list(terms)
    out: list[str] = []
    for term in terms:
        if is_number(term.canon) and term.written:
            these = {t.canon for t in terms if is_number(t.canon) and t.written == term.written}
            whole = frozenset().union(*(p.numbers for p in parts(term.written)))
            # (read alone, "third" of "upper third" is no fraction: the run is whole)
            partial = term.own and bool(whole & these) and not these >= whole
            out.append(numbers_said(frozenset(these)) if partial else term.written)
        else:
            out.append(term.written or shown(term))
    return tuple(dict.fromkeys(out))


def as_said(terms: list[Term]) -> str:
    """Terms named in a reason, each as the student or the card wrote it, once."""
    once: dict[str, str] = {}
    for term in terms:
        once.setdefault(shown(term).casefold(), shown(term))
    return " ".join(once.values())


def numbers_said(numbers: frozenset[str]) -> str:
    """Numbers as a student reads them, runs as ranges: "5–12", "2, 4", "2/3"."""
    fractions = sorted(n for n in numbers if n.startswith("frac_"))
    whole = sorted(int(n[1:]) for n in numbers if not n.startswith("frac_"))
    runs: list[list[int]] = []
    for n in whole:
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    shown = [f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs]
    shown += ["/".join(f.split("_")[1:]) for f in fractions]
    return ", ".join(shown)


_COUNTED_NOT = frozenset({"side", "qualifier", "filler", "number", "levels", "movement"})


def counted(part: Part, fractions: bool, in_aside: bool = False) -> str:
    """A part's numbers of one sort as written, with what they count when it comes just
    before them ("ribs 5–12", "two-thirds", "second")."""
    terms = list(part.terms) + (list(part.aside) if in_aside else [])
    numbers = [t for t in terms if is_number(t.canon) and _fraction(t.canon) == fractions]
    if not numbers:
        return ""
    at = terms.index(numbers[0])
    before = terms[at - 1] if at else None
    if before is not None and before.written:
        same = all(t.written == before.written and t.start == before.start for t in numbers)
        if same:
            return before.written  # one phrase names and counts them: "lower eight ribs"
    if all(t.own for t in numbers):
        text = ", ".join(as_written(numbers))
    else:  # "lateral four toes", read as toes 2–5
        text = numbers_said(frozenset(t.canon for t in numbers))
    if before is None or kind_of(before.canon) in _COUNTED_NOT:
        return text
    return f"{shown(before)} {text}"


def _fraction(number: str) -> bool:
    return number.startswith("frac_")


def lowered(text: str) -> str:
    """Words as a reason writes them: "Outer" as "outer", "ASIS" and "C5–C6" as they are."""
    return " ".join(w[0].lower() + w[1:] if w[1:].islower() else w for w in text.split())
