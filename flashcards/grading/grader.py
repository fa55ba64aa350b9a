"""Typed answers graded as an anatomy teacher would, on SM-2's 0..5 scale (DESIGN §5).

exact or equivalent -> 5; a small slip (a typo, a detail or a kind of structure left
out) -> 4; partly right -> 3; wrong -> 2 when close (one key term replaced, the rest
right) or 1; blank -> 0. A list earns by the share of its items given (all 5, most 4–3,
half 3–2, few 2–1); an item given wrong costs more than one left out, and a wrong item
added costs at least a grade.

`judge` says why in a few words ("wrong bone: ischium for ilium", "2 of 3 items", "one
typo: sartorious for sartorius"); `grade` is its number. Accepted alternatives, "any one
of" lists and a structure's other names are right answers too.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from flashcards.grading.keyterms import kind_of
from flashcards.grading.matching import Match, Verdict, compare
from flashcards.grading.normalise import words
from flashcards.grading.parts import Part, parts
from flashcards.grading.sorts import sort_of
from flashcards.grading.vocabulary import NEGATIONS
from flashcards.grading.wording import lowered

__all__ = [
    "PASSING",
    "AnswerKey",
    "Judgement",
    "equivalent",
    "grade",
    "judge",
    "left_out",
    "overlaps",
]

PASSING = 3  # SM-2: 3 and above is a correct response

_GRADES = {Verdict.EXACT: 5, Verdict.SLIP: 4, Verdict.PARTIAL: 3, Verdict.NEAR: 2,
           Verdict.FAR: 1}  # fmt: skip
_CREDIT = {Verdict.EXACT: 1.0, Verdict.SLIP: 1.0, Verdict.PARTIAL: 0.5}
_NUMBER = {1: "one", 2: "two", 3: "three"}
_NOTHING = Match(Verdict.FAR, 0.0)


@dataclass(frozen=True)
class Judgement:
    """The suggested grade and why, in a few words."""

    grade: int
    reason: str


@dataclass(frozen=True)
class AnswerKey:
    """What a card accepts besides its answer (DESIGN §3: a note's ``accept``, ``ask``,
    ``items`` and, for a structure's name, its ``aliases``)."""

    accept: tuple[str, ...] = ()  # other answers a teacher accepts
    ask: str = "all"  # "any": any one of ``items`` is the answer
    items: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other names of the structure the answer names

    def judge(self, expected: str, given: str) -> Judgement:
        return _judge(expected, given, self.accept, self.ask, self.items, self.aliases)


@dataclass(frozen=True)
class _Scored:
    grade: int
    reason: str
    closeness: float  # breaks ties between answers graded against
    wrong: frozenset[str] = frozenset()  # typed words found wrong ("inferior" for posterior)


# --- one part -----------------------------------------------------------------------------


def _union(group: Sequence[Part]) -> Part:
    """Several parts read as one ("lesser trochanter, femur" cut by a comma)."""
    return Part(
        head=tuple(t for p in group for t in p.head),
        detail=tuple(t for p in group for t in p.detail),
        aside=tuple(t for p in group for t in p.aside),
        levels=frozenset().union(*(p.levels for p in group)),
        level_options=tuple(o for p in group for o in p.level_options),
        numbers=frozenset().union(*(p.numbers for p in group)),
        weight=sum(p.weight for p in group),
        prefix=frozenset().union(*(p.prefix for p in group)),
    )


def _context(given: Sequence[Part]) -> frozenset[str]:
    """The bones a typed answer names anywhere."""
    return frozenset(t.canon for p in given for t in p.terms if kind_of(t.canon) == "bone")


def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_NOT_A_NAME = _set(
    "with from through via and main most mainly some many shared sitting rising lets "
    "after when distal proximal lower upper deep superficial first disputed"
)


def _alternatives(part: Part) -> tuple[Part, ...]:
    """The part, and what its brackets name instead ("Subscapular fossa (costal surface
    of the scapula)"): an aside with a landmark, a bone or a movement, not a detail."""
    words = [t for t in part.aside if kind_of(t.canon) not in ("filler", "qualifier")]
    if not words or words[0].surface in _NOT_A_NAME:
        return (part,)
    if any(kind_of(t.canon) in ("levels", "number") for t in words):
        return (part,)
    kinds = {kind_of(t.canon) for t in words}
    if not kinds & {"landmark", "bone", "movement"}:
        return (part,)
    if len(words) < 2 and "movement" not in kinds:
        return (part,)
    named = Part(part.aside, (), (), frozenset(), part.level_options, frozenset(), part.weight)
    return (part, named)


def _best(expected: Part, given: Part, context: frozenset[str]) -> Match:
    """The part's match; what its brackets name instead counts only where it is right:
    half of another name is no half of the answer."""
    main, *others = (compare(option, given, context) for option in _alternatives(expected))
    named = [m for m in others if m.verdict >= Verdict.SLIP and not _turned(main)]
    return max([main, *named], key=lambda m: (m.verdict, m.coverage))


def _turned(match: Match) -> bool:
    """The typed part says the other side or the opposite movement of the answer ("turns
    the face to the opposite side" for "… to the same side (rotates the atlas on the
    axis)"): what the brackets name instead, saying neither, does not make it right."""
    return any(kind in ("side", "movement") for kind, _, _ in match.wrong)


def _typos(match: Match) -> str:
    n = len(match.typos)
    if n == 1:
        return f"one typo: {match.typos[0][1]} for {match.typos[0][0]}"
    return f"{_NUMBER.get(n, str(n))} typos"


_KIND_NAMES = {"term": "structure", "noun": "structure", "name": "structure",
               "generic": "kind of structure", "region": "part of the body"}  # fmt: skip


def _why(match: Match) -> str:
    """A few words on one part's match."""
    return lowered(_reason(match))


def _reason(match: Match) -> str:
    if match.other_sort and match.verdict == Verdict.FAR:
        return "another kind of answer"  # a nerve for an origin
    if match.wrong:
        kind, typed, meant = match.wrong[0]
        one = len(match.wrong) == 1 and len(typed.split()) == len(meant.split()) == 1
        named = one and kind != "generic" and match.alike and match.in_place
        if match.verdict == Verdict.FAR and not named:
            return "not the answer"  # too much replaced to name one mistake
        return f"wrong {_KIND_NAMES.get(kind, kind)}: {typed} for {meant}"
    if match.levels_only:
        return "right levels; missing: " + " ".join(match.missing)
    if match.verdict == Verdict.FAR and match.coverage == 0:
        return "not the answer"  # nothing of it: what is missing is all of it
    if match.verdict == Verdict.EXACT:
        return "right"
    notes = []
    if match.missing:
        head = "missing: " if match.verdict < Verdict.SLIP else "less precise: "
        notes.append(head + " ".join(match.missing) + ("" if head == "missing: " else " left out"))
    elif match.imprecise:
        notes.append("less precise: " + " ".join(match.imprecise) + " left out")
    if match.typos:
        notes.append(_typos(match))
    if match.added and not notes:
        notes.append("more than asked: " + " ".join(match.added))
    if not notes:
        notes.append("reworded" if match.verdict >= Verdict.SLIP else "not the answer")
    return "; ".join(notes)


# --- a whole answer -----------------------------------------------------------------------


def _assign(expected: Sequence[Part], given: Sequence[Part]) -> dict[int, tuple[int, Match]]:
    """Expected part -> (typed part, match), best pairs first; nothing below NEAR."""
    context = _context(given)
    pairs = sorted(
        (
            (_best(e, g, context), abs(i - j), i, j)
            for i, e in enumerate(expected)
            for j, g in enumerate(given)
        ),
        key=lambda p: (-p[0].verdict, -p[0].coverage, len(p[0].typos), p[1]),
    )
    result: dict[int, tuple[int, Match]] = {}
    used: set[int] = set()
    for match, _, i, j in pairs:
        if match.verdict > Verdict.FAR and i not in result and j not in used:
            result[i] = (j, match)
            used.add(j)
    return result


def _said_aside(part: Part, expected: Sequence[Part]) -> bool:
    """A typed part that only repeats what the answer has in brackets ("foot drop")."""
    asides = {t.canon for p in expected for t in p.aside}
    words = {t.canon for t in part.terms if kind_of(t.canon) not in ("filler", "qualifier")}
    return bool(words) and words <= asides


def _from_share(share: float, matches: list[Match]) -> int:
    if share == 1:
        return 5 if all(m.verdict == Verdict.EXACT for m in matches) else 4
    if share >= 0.75:
        return 4
    if share >= 0.5:
        return 3
    if share > 0:
        return 2
    return 2 if matches else 1


def _count(expected: Sequence[Part], required: list[int], matches: list[Match]) -> str:
    """ "2 of 3 items": list items (lines), or the parts of a one-line answer. An item
    counts once its key term is named ("sacrum" for "Dorsal surface of the sacrum and
    coccyx"); what it lacks is said after the count ("; missing: dorsal surface")."""
    items = {expected[i].item for i in required}
    if len(items) == 1:
        named = sum(1 for m in matches if m.verdict >= Verdict.PARTIAL)
        text = f"{named} of {len(required)} items"
    else:
        pairs = list(zip(required, matches, strict=True))
        said = {expected[i].item for i, m in pairs if m.verdict >= Verdict.PARTIAL}
        text = f"{len(said)} of {len(items)} items"
        if said == items:
            text = "every item"
    vague = next((m for m in matches if m.verdict == Verdict.PARTIAL), None)
    return f"{text}; {_why(vague)}" if vague is not None else text


def _every_item(expected: Sequence[Part], required: list[int], matches: list[Match]) -> str:
    """ "every item; discs left out": each list item given, one of its parts or words not
    ("T12–L4 bodies, L1–L5 transverse processes" for "T12–L4 bodies and discs, L1–L5
    transverse processes"), where "1 of 2 items" would say an item is missing. Empty
    where an item is missing altogether, or a part is given wrong."""
    pairs = list(zip(required, matches, strict=True))
    items = {expected[i].item for i in required}
    given = {expected[i].item for i, m in pairs if m.verdict >= Verdict.SLIP}
    short = [(i, m) for i, m in pairs if m.verdict < Verdict.SLIP]
    if len(items) < 2 or given != items or not short or any(m.wrong for _, m in short):
        return ""
    left = [
        expected[i].shown if m.verdict == Verdict.FAR else " ".join(m.missing) for i, m in short
    ]
    said = ", ".join(dict.fromkeys(lowered(w) for w in left if w))
    return f"every item; {said} left out"


def left_out(expected: str, given: str) -> list[str]:
    """What of ``expected`` the typed answer does not say, part by part, as the card
    writes it (for the word diff): whole parts, or the words a part is missing."""
    answer = [p for p in parts(expected) if p.weight > 0]
    typed = _asserted(expected, given)
    assigned = _assign(answer, typed) if typed else {}
    out: list[str] = []
    for i, part in enumerate(answer):
        match = assigned.get(i, (0, _NOTHING))[1]
        if match.verdict == Verdict.FAR:
            out.append(part.shown)
        elif match.wrong:
            written = part.shown.casefold()
            replaced = sorted(match.replaced, key=lambda m: written.find(m.casefold()))
            out.append(" ".join(replaced))
        elif match.missing or match.imprecise:
            out.append(" ".join(dict.fromkeys(match.missing + match.imprecise)))
    return [shown for shown in out if shown]


def _score(expected: Sequence[Part], given: Sequence[Part]) -> _Scored:
    assigned = _assign(expected, given)
    required = [i for i, p in enumerate(expected) if p.weight > 0]
    matches = [assigned.get(i, (0, _NOTHING))[1] for i in required]
    total = sum(expected[i].weight for i in required)
    credit = sum(
        expected[i].weight * _CREDIT.get(m.verdict, 0.0)
        for i, m in zip(required, matches, strict=True)
    )
    share = credit / total if total else 0.0
    taken = {j for j, _ in assigned.values()}
    if len(required) == 1 and not taken and given:
        # Nothing right: the typed part closest to the answer says why it is wrong.
        context = _context(given)
        nearest = max(
            range(len(given)),
            key=lambda j: _best(expected[required[0]], given[j], context).coverage,
        )
        matches = [_best(expected[required[0]], given[nearest], context)]
        taken = {nearest}
    extras = [
        j for j in range(len(given)) if j not in taken and not _said_aside(given[j], expected)
    ]
    if len(required) == 1:
        grade, reason = _GRADES[matches[0].verdict], _why(matches[0])
    else:
        grade = _from_share(share, [m for m in matches if m.verdict > Verdict.FAR])
        reason = _count(expected, required, matches)
        if share == 1 and grade == 5:
            reason = "right"
        elif share == 1:
            reason = "every item; " + next(_why(m) for m in matches if m.verdict == Verdict.SLIP)
        reason = _every_item(expected, required, matches) or reason
        wrong = [m for m in matches if m.verdict == Verdict.NEAR and m.wrong]
        if wrong:
            reason += "; " + _why(wrong[0])
            if 0 < share < 1:  # an item given wrong, not only left out
                grade = max(2 if share >= 0.5 else 1, grade - 1)
        if any(_turned(m) for m in wrong):
            grade = min(grade, 2)  # the opposite fact stated: wrong, whatever else is right
    if extras:
        right = sum(1 for _, m in assigned.values() if m.verdict >= Verdict.PARTIAL)
        grade = max(1, grade - 1)
        added = "a wrong item" if len(extras) == 1 else f"{len(extras)} wrong items"
        reason = "every item" if reason == "right" and len(required) > 1 else reason
        nothing = not any(m.verdict > Verdict.FAR for m in matches)
        reason = "not the answer" if nothing and reason != "right" else f"{reason}; {added} added"
        precision = right / len(given)
        if precision < 0.75:
            grade = min(grade, 3)
        if precision < 0.5:
            grade = min(grade, 2)
    if not any(m.verdict > Verdict.FAR for m in matches) and _other_sorts(expected, given):
        grade, reason = 1, "another kind of answer"
    wrong_words = frozenset(w for m in matches for _, typed, _ in m.wrong for w in words(typed))
    return _Scored(grade, reason, share, wrong_words)


def _other_sorts(expected: Sequence[Part], given: Sequence[Part]) -> bool:
    """Every typed part names a thing of another sort than every part of the answer (a
    nerve for an origin)."""
    theirs = {sort_of(p) for p in expected if p.weight > 0}
    typed = {sort_of(p) for p in given}
    return None not in theirs | typed and not theirs & typed


def _negated(part: Part) -> bool:
    """A typed part that says what the answer is not ("not the lesser trochanter")."""
    return bool(part.head) and part.head[0].surface in NEGATIONS


def _asserted(expected: str, given: str) -> tuple[Part, ...]:
    """The typed parts that say what the answer is: not those that only deny something,
    unless the card's answer itself speaks so ("… so it is not pinched")."""
    typed = parts(given)
    if set(words(expected)) & NEGATIONS:
        return typed
    return tuple(p for p in typed if not _negated(p))


def _judge_parts(expected: Sequence[Part], given: Sequence[Part]) -> _Scored:
    required = [p for p in expected if p.weight > 0]
    scored = _score(expected, given)
    if len(required) == 1 and len(given) > 1:
        whole = _best(required[0], _union(given), _context(given))
        better = _GRADES[whole.verdict] > scored.grade
        if whole.verdict >= Verdict.SLIP and not whole.more and better:
            return _Scored(_GRADES[whole.verdict], _why(whole), whole.coverage)
    if scored.grade < 4 and len(required) > 1 and len(given) == 1:
        # Every item, without the list marks ("psoas major iliacus"): a slip at most.
        whole = compare(_union(required), given[0])
        if whole.verdict >= Verdict.SLIP and whole.coverage == 1:
            return _Scored(4, "every item, without list marks", 1.0)
    return scored


def _any_of(items: Sequence[Part], given: Sequence[Part]) -> _Scored:
    """Any one item is the answer; other items typed are fine, a wrong one costs."""
    context = _context(given)
    best: list[Match] = []
    for g in given:
        options = (_best(item, g, context) for item in items)
        best.append(max(options, key=lambda m: (m.verdict, m.coverage)))
    top = max(best, key=lambda m: (m.verdict, m.coverage))
    grade, reason = _GRADES[top.verdict], _why(top)
    if top.verdict >= Verdict.SLIP:
        if top.verdict == Verdict.EXACT:
            reason = "right: one of the answers"
        wrong = sum(1 for m in best if m.verdict < Verdict.PARTIAL)
        if wrong:
            grade = max(1, grade - 1 - int(wrong > len(given) / 2))
            reason += "; a wrong one added" if wrong == 1 else f"; {wrong} wrong ones added"
    return _Scored(grade, reason, top.coverage)


def _with_alias(expected: tuple[Part, ...], alias: str) -> tuple[Part, ...] | None:
    """The answer with the part an alias names ("psoas" for "Psoas major") replaced by it."""
    named = parts(alias)
    if len(named) != 1 or not expected:
        return None
    words = {t.canon for t in named[0].terms}
    i = max(range(len(expected)), key=lambda k: len(words & {t.canon for t in expected[k].terms}))
    part = Part(
        named[0].head,
        (),
        (),
        frozenset(),
        expected[i].level_options,
        frozenset(),
        expected[i].weight,
    )
    return (*expected[:i], part, *expected[i + 1 :])


_LABELLED = re.compile(r"^\s*([^:()\n;]{1,60}):\s*(\S.*?)\s*$")
_LABEL_PLACE = frozenset({"part", "head", "fiber", "surface", "belly"})
# List items: lines, semicolons, and commas before a label ("…, ulnar head: …").
_ITEMS = re.compile(r"[\n;]|,(?=[^,:;\n()]{1,60}:)")


def _labelled(text: str) -> list[tuple[frozenset[str], str]]:
    """The items of an answer that open with a label ("Iliacus: iliac fossa"): the label's
    words and what follows it."""
    out = []
    for item in _ITEMS.split(text):
        found = _LABELLED.match(item)
        if found:
            named = frozenset(words(found.group(1))) - _LABEL_PLACE
            if named:
                out.append((named, found.group(2)))
    return out


def _swapped_labels(expected: str, given: str) -> str:
    """ "wrong label: psoas for iliacus": a typed item whose label names one of the
    answer's labelled items and whose text is another one's ("psoas: iliac fossa;
    iliacus: T12–L4 bodies …" for "Psoas major: T12–L4 bodies …\nIliacus: iliac fossa").
    The facts are then given to the wrong thing. Empty where no label is swapped."""
    theirs = _labelled(expected)
    if len({label for label, _ in theirs}) < 2:
        return ""
    for label, text in _labelled(given):
        named = [k for k, (own, _) in enumerate(theirs) if label <= own or own <= label]
        if len(named) != 1:
            continue
        typed = _asserted(text, text)
        fits = [_judge_parts(parts(said), typed).grade for _, said in theirs]
        k = named[0]
        other = max(range(len(theirs)), key=lambda j: fits[j])
        if other != k and fits[k] < PASSING <= fits[other]:
            written = _LABELLED.match(next(i for i in _ITEMS.split(given) if text in i))
            shown = written.group(1).strip() if written else " ".join(sorted(label))
            return f"wrong label: {lowered(shown)} for {_label_of(expected, other)}"
    return ""


def _label_of(expected: str, index: int) -> str:
    items = [m for i in _ITEMS.split(expected) if (m := _LABELLED.match(i))]
    named = [m for m in items if frozenset(words(m.group(1))) - _LABEL_PLACE]
    return lowered(named[index].group(1).strip())


@lru_cache(maxsize=16384)
def _judge(
    expected: str,
    given: str,
    accept: tuple[str, ...],
    ask: str,
    items: tuple[str, ...],
    aliases: tuple[str, ...],
) -> Judgement:
    if not given.strip():
        return Judgement(0, "blank")
    typed = parts(given)
    said = [t for p in typed for t in p.terms if kind_of(t.canon) != "filler"]
    if not said and not any(p.level_options or p.numbers for p in typed):
        return Judgement(0, "nothing to grade")
    typed = _asserted(expected, given)
    if not typed:
        return Judgement(1, "only what the answer is not")
    if given.strip().casefold() == expected.strip().casefold():
        return Judgement(5, "right")
    answer = parts(expected)
    candidates: list[tuple[_Scored, str]] = []
    if answer:
        candidates.append((_judge_parts(answer, typed), ""))
    if ask == "any":
        listed = tuple(p for item in (items or (expected,)) for p in parts(item))
        if listed:
            candidates.append((_any_of(listed, typed), ""))
    # Another answer can make right only what it says: "gluteal surface of the ilium"
    # accepted does not make "… between the anterior and inferior gluteal lines" right.
    wrong = candidates[0][0].wrong if candidates else frozenset()
    for alias in aliases:
        variant = _with_alias(answer, alias)
        if variant is not None and wrong <= set(words(alias)):
            candidates.append((_judge_parts(variant, typed), " (another name)"))
    for other in accept:
        accepted = parts(other)
        if accepted and wrong <= set(words(other)):
            candidates.append((_judge_parts(accepted, typed), " (an accepted answer)"))
    if not candidates:
        return Judgement(0, "nothing to grade against")
    best, note = max(candidates, key=lambda c: (c[0].grade, c[0].closeness))
    swapped = _swapped_labels(expected, given) if best.grade > 2 else ""
    if swapped:
        return Judgement(2, swapped)
    return Judgement(best.grade, best.reason + note if best.grade >= 4 else best.reason)


def judge(
    expected: str,
    given: str,
    *,
    accept: Sequence[str] = (),
    ask: str = "all",
    items: Sequence[str] = (),
    aliases: Sequence[str] = (),
) -> Judgement:
    """The grade ``given`` earns as an answer to ``expected``, and why.

    ``accept``: other answers a teacher accepts; ``ask="any"``: any one of ``items``
    (or of the answer's parts) is right; ``aliases``: other names of the structure the
    answer names.
    """
    return _judge(expected, given, tuple(accept), ask, tuple(items), tuple(aliases))


def grade(expected: str, given: str) -> int:
    """The SM-2 quality 0..5 that ``given`` earns as an answer to ``expected``."""
    return _judge(expected, given, (), "all", (), ()).grade


def equivalent(a: str, b: str) -> bool:
    """The same answer in other words: each would be graded as right for the other."""
    return grade(a, b) >= 4 and grade(b, a) >= 4


def overlaps(a: str, b: str) -> bool:
    """Either answer would earn credit for the other (too close to be a wrong option)."""
    return grade(a, b) >= PASSING or grade(b, a) >= PASSING
