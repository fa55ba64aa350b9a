"""One part of the expected answer against one part of the typed one.

The same key terms in any order make the part right; a key term replaced by another of
its kind (another bone, the other side, other levels) makes it wrong however many words
match; a key term left out makes it partly right, a detail left out less precise; a typo
that is not another real term costs a grade.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache
from itertools import pairwise

from flashcards.grading.folding import level_text
from flashcards.grading.keyterms import CRITICAL, is_typo, kind_of, near_miss
from flashcards.grading.normalise import Term, canonical, is_number
from flashcards.grading.parts import Part
from flashcards.grading.sorts import another_sort, names_a_place_for_a_structure, structure_of
from flashcards.grading.vocabulary import SERIES, WORDS
from flashcards.grading.wording import as_said, as_written, counted, shown

__all__ = ["Match", "Verdict", "compare"]


class Verdict(IntEnum):
    """How one expected part compares with one typed part, worst to best."""

    FAR = 0  # nothing of it
    NEAR = 1  # wrong, but close: one key term replaced, the rest right
    PARTIAL = 2  # right as far as it goes, a key term missing
    SLIP = 3  # right, with a typo, a detail or a kind of structure left out
    EXACT = 4


@dataclass(frozen=True)
class Match:
    verdict: Verdict
    coverage: float  # share of the part's key terms given
    wrong: tuple[tuple[str, str, str], ...] = ()  # (kind, typed, expected)
    typos: tuple[tuple[str, str], ...] = ()  # (expected, typed)
    missing: tuple[str, ...] = ()  # key terms left out, as the answer writes them
    imprecise: tuple[str, ...] = ()  # detail left out
    added: tuple[str, ...] = ()  # critical terms typed that the answer does not have
    more: tuple[str, ...] = ()  # any other words typed that the answer does not have
    alike: bool = True  # the typed part names the same kind of thing (a nerve for a nerve)
    other_sort: bool = False  # a thing of another sort: a nerve for a place, a place for an action
    in_place: bool = True  # the typed part is the answer's part with terms replaced, word for word
    replaced: tuple[str, ...] = ()  # the answer's words that ``wrong`` replaced, as written
    levels_only: bool = False  # the right levels, the nerve itself not named


_WEAK = frozenset({"filler", "qualifier"})
# Kinds a replaced word is compared within ("femoral" and "obturator" are both names).
_CLASS = {"side": "side", "name": "name", "movement": "movement", "generic": "generic",
          "nerve": "nerve", "levels": "levels", "number": "number"}  # fmt: skip


def _class(term: Term) -> str:
    return _CLASS.get(kind_of(term.canon), "noun")


def _key(terms: Iterable[Term]) -> list[Term]:
    return [t for t in terms if kind_of(t.canon) not in _WEAK]


def _pair(
    expected: list[Term], given: list[Term]
) -> tuple[list[Term], list[Term], list[tuple[str, str]]]:
    """Match terms one to one: the same, written as one word or two, or a typo apart.

    Returns the expected terms left, the typed terms left (the same objects), and the
    typos as (expected, typed).
    """
    left_e = list(range(len(expected)))
    left_g = list(range(len(given)))
    for i in list(left_e):
        same = {expected[i].canon, expected[i].also}
        j = next((j for j in left_g if given[j].canon in same), None)
        if j is not None:
            left_e.remove(i)
            left_g.remove(j)
    for i in list(left_e):  # "plantar flexion" / "plantarflexion", "wrist-drop"
        pair = next(
            ((a, b) for a in left_g for b in left_g
             if a != b and given[a].canon + given[b].canon == expected[i].canon),
            None,
        )  # fmt: skip
        if pair:
            left_e.remove(i)
            left_g.remove(pair[0])
            left_g.remove(pair[1])
    for j in list(left_g):
        pair = next(
            ((a, b) for a in left_e for b in left_e
             if a != b and expected[a].canon + expected[b].canon == given[j].canon),
            None,
        )  # fmt: skip
        if pair:
            left_g.remove(j)
            left_e.remove(pair[0])
            left_e.remove(pair[1])
    typos: list[tuple[str, str]] = []
    for i in list(left_e):
        e = expected[i]
        j = next(
            (j for j in left_g
             if is_typo(e.surface, given[j].surface) or is_typo(e.canon, given[j].canon)),
            None,
        )  # fmt: skip
        if j is not None:
            typos.append((e.surface, given[j].surface))
            left_e.remove(i)
            left_g.remove(j)
    return [expected[i] for i in left_e], [given[j] for j in left_g], typos


def _noun_kind(term: Term, structure: str | None) -> str:
    """A noun's kind; in a part that names a nerve or an artery every word but a landmark
    is its name ("femoral", "obturator")."""
    kind = kind_of(term.canon)
    return "name" if structure and kind != "landmark" else kind


# Classes whose words come in sets of alternatives (superior/inferior, flexes/extends):
# of several typed, the one of the replaced word's set is what replaced it.
_STEPPED = frozenset({"side", "movement", "name"})


# What a side may open the name of: "Inferior gluteal nerve", "Deep branch of …".
_NAMED = frozenset({"nerve", "artery", "vein", "branch"})


def _named(side: Term, terms: Sequence[Term]) -> tuple[list[Term], str] | None:
    """The name a side opens and what it names ("Inferior gluteal nerve" -> inferior
    gluteal, nerve; "Deep branch" -> deep, branch), or None where the side says where on a
    thing ("inferior border of …")."""
    at = next((i for i, t in enumerate(terms) if t is side), None)
    if at is None:
        return None
    name = [side]
    for term in terms[at + 1 :]:
        if term.canon in _NAMED:
            return name, term.canon
        kind = kind_of(term.canon)
        if kind in ("filler", "landmark", "movement", "levels"):
            return None
        if kind == "bone" and term.surface not in WORDS:
            return None  # "femur", not the "femoral" of a name
        name.append(term)
    return None


def _replacements(
    missing: list[Term],
    extra: list[Term],
    structure: str | None,
    landmark: bool,
    gone_terms: list[Term],
    said: Sequence[Term] = (),
    typed: Sequence[Term] = (),
) -> list[tuple[str, str, str]]:
    """Missing and typed terms of one class: the second written for the first. The
    answer's terms replaced go into ``gone_terms``.

    A mistake is named only between terms of one kind: one step from each other when
    some are (superior for inferior, not "upper" of "upper fibres" too), else of the same
    kind or one step apart (a bone for a bone, malleolus for malleus: "not" is no bone).
    A replaced name in a nerve or an artery is a wrong nerve or artery, and so is a side
    that opens its name (``said``, ``typed``: the two parts' terms): the superior gluteal
    nerve is another nerve than the inferior, not another side of it.
    """
    out = []
    for cls in dict.fromkeys(_class(t) for t in missing):
        gone = [t for t in missing if _class(t) == cls]
        put = [t for t in extra if _class(t) == cls]
        steps = [(g, p) for g in gone for p in put if near_miss(g.canon, p.canon)]
        if steps and cls in _STEPPED:
            gone = list(dict.fromkeys(g for g, _ in steps))
            put = list(dict.fromkeys(p for _, p in steps))
        elif cls == "noun":
            pairs = [
                (g, p)
                for g in gone
                for p in put
                if _noun_kind(g, structure) == _noun_kind(p, structure)
                or near_miss(g.canon, p.canon)
            ]
            gone = list(dict.fromkeys(g for g, _ in pairs))
            put = list(dict.fromkeys(p for _, p in pairs))
        named = _named(gone[0], said) if cls == "side" and len(gone) == len(put) == 1 else None
        if named is not None:
            name, kind = named  # "wrong nerve: superior gluteal for inferior gluteal"
            theirs = _named(put[0], typed)
            out.append((kind, as_said(theirs[0] if theirs else [put[0], *name[1:]]), as_said(name)))
            gone_terms += gone
            continue
        if gone and put:
            kind = kind_of(gone[0].canon)
            if cls in ("noun", "name") and structure and kind != "landmark":
                kind = structure  # "wrong nerve: obturator for femoral"
            elif cls == "name" and landmark:
                kind = "landmark"  # "wrong landmark: greater for lesser"
            out.append((kind, as_said(put), as_said(gone)))
            gone_terms += gone
    return out


_structure = structure_of


# Members of a series counted from one end ("ribs", "costal cartilages": the lexicon's
# [series]); "upper" or "lower" just before one says which ones, not a side of a thing.
_MEMBERS = frozenset(canonical(name.split()[-1]) for name in SERIES)
_ENDS = frozenset({"superior", "inferior"})


def _selectors(part: Part) -> set[int]:
    """The part's "upper" or "lower" that say which members of a series ("lower ribs")."""
    said = [t for t in part.head + part.detail if kind_of(t.canon) not in _WEAK]
    return {
        id(t) for t, following in pairwise(said) if t.canon in _ENDS and following.canon in _MEMBERS
    }


def _close_call(missing: list[Term], extra: list[Term]) -> bool:
    """A replacement one step away: the other side, a one-letter neighbour."""
    return any(near_miss(m.canon, x.canon) for m in missing for x in extra)


def _fraction(number: str) -> bool:
    return number.startswith("frac_")


def _numbers_wrong(expected: Part, given: frozenset[str]) -> bool | None:
    """Numbers typed that the answer does not name (a third for two-thirds, ribs 3–5):
    which sort is wrong (fractions: True, counts: False), or None. A count is never a
    wrong fraction ("ribs 5–12" for "two-thirds of the iliac crest")."""
    options = expected.number_options or (expected.numbers,)
    for fractions in (True, False):
        typed = {n for n in given if _fraction(n) == fractions}
        named = [{n for n in o if _fraction(n) == fractions} for o in options]
        if typed and any(named) and not any(typed <= o for o in named):
            return fractions
    return None


@lru_cache(maxsize=65536)
def compare(expected: Part, given: Part, context: frozenset[str] = frozenset()) -> Match:
    """``context``: bones the whole typed answer names ("coronoid process and ulnar
    tuberosity": the coronoid process of the ulna)."""
    e_head = _key(expected.head)
    e_detail = _key(expected.detail)
    g_main = _key(given.head + given.detail)
    g_aside = _key(given.aside)
    e_aside = {t.canon for t in expected.aside}

    wrong: list[tuple[str, str, str]] = []
    replaced: list[str] = []
    g_levels = frozenset().union(*given.level_options) if given.level_options else frozenset()
    levels_right = bool(g_levels) and g_levels in expected.level_options
    if g_levels and expected.level_options and not levels_right:
        wrong.append(("levels", level_text(g_levels), level_text(expected.level_options[0])))
        replaced.append(expected.levels_written or level_text(expected.level_options[0]))
    missing_levels = bool(expected.levels) and not g_levels
    in_brackets = frozenset(t.canon for t in given.aside if kind_of(t.canon) == "number")
    g_numbers = given.numbers | in_brackets
    fractions = _numbers_wrong(expected, g_numbers)
    if fractions is not None:
        wrong.append(
            ("number", counted(given, fractions, in_aside=True), counted(expected, fractions))
        )
        replaced += as_written(
            t for t in expected.terms if is_number(t.canon) and _fraction(t.canon) == fractions
        )

    left_e, left_g, typos = _pair(e_head + e_detail, g_main)
    if not typos and another_sort(expected, given):
        # A place for a nerve ("lesser trochanter of the femur" for "femoral nerve"):
        # what words the two share, they share by chance.
        return Match(Verdict.FAR, 0.0, other_sort=True)
    extra = [t for t in left_g if t.canon not in e_aside and kind_of(t.canon) != "number"]
    # What the student put in brackets counts where nothing typed outside them replaces it.
    replacing = {_class(t) for t in extra}
    open_ = [t for t in left_e if _class(t) not in replacing]
    still, _, more_typos = _pair(open_, g_aside)
    left_e = [t for t in left_e if t not in open_ or any(t is s for s in still)]
    typos += more_typos
    left_e = [
        t
        for t in left_e
        if not (is_number(t.canon) and fractions is not None and _fraction(t.canon) == fractions)
    ]
    head_ids = {id(t) for t in e_head}
    missing_head = [t for t in left_e if id(t) in head_ids]
    missing_detail = [t for t in left_e if id(t) not in head_ids]
    owner = _owner(expected)
    missing_head = [t for t in missing_head if not (t.canon == owner and owner in context)]
    for kind, typed, bracketed in _contradicted(expected, extra):
        named = _named(bracketed, expected.aside)  # "(deep branch)": another branch
        kind = named[1] if named and kind == "side" else kind
        wrong.append((kind, shown(typed), shown(bracketed)))
        replaced += as_written([bracketed])
    if _reversed(expected, given):
        wrong.append(("order", given.text, expected.text))
        replaced.append(expected.shown)

    structure = _structure(expected)
    landmark = any(kind_of(t.canon) == "landmark" for t in expected.head)
    in_head: list[Term] = []
    in_detail: list[Term] = []
    # "lower ribs" for "outer surfaces of ribs 5–12": which ribs, not the other side of them.
    selectors = set() if _selectors(expected) else _selectors(given)
    swaps = [t for t in extra if id(t) not in selectors]
    theirs, ours = expected.head + expected.detail, given.head + given.detail
    head_swaps = _replacements(missing_head, swaps, structure, landmark, in_head, theirs, ours)
    detail_swaps = (
        []
        if head_swaps
        else _replacements(missing_detail, swaps, structure, landmark, in_detail, theirs, ours)
    )
    loose = bool(expected.detail) and expected.detail[0].surface in _LOOSE
    key_detail = [w for w in detail_swaps if w[0] in _KEY_DETAIL or not loose]
    wrong += head_swaps + key_detail
    replaced += as_written(in_head + (in_detail if key_detail else []))
    reworded = bool(detail_swaps) and not key_detail

    key_head = [t for t in e_head if kind_of(t.canon) != "generic"] or e_head
    strong_missing = [t for t in missing_head if kind_of(t.canon) != "generic"]
    found = len(key_head) - len([t for t in strong_missing if t in key_head])
    total = len(key_head)
    if expected.levels:  # the levels weigh as much as the words around them
        weight = max(1, total)
        total += weight
        found += weight if levels_right else 0
    coverage = found / total if total else 1.0

    if wrong:
        # Another nerve, bone or side is the mistake to name before the levels that go with it.
        wrong.sort(key=lambda w: w[0] == "levels")
        # Close: one step from the answer (the other side, a one-letter neighbour) where
        # something else is right, or in a one-word answer ("infraspinatus").
        # One key term replaced, where something else is right or nothing else is missing
        # ("supraspinatus" for "infraspinatus").
        swapped = in_head + in_detail
        one_step = len(wrong) == 1 and len(swapped) <= 1
        rest_right = all(t in swapped for t in missing_head + missing_detail)
        close = (
            one_step
            and (coverage > 0 or rest_right)
            and (
                _close_call(missing_head + missing_detail, extra)
                or any(kind in ("order", "side", "movement") for kind, _, _ in wrong)
            )
        )
        only_counts = all(kind in ("levels", "number") for kind, _, _ in wrong)
        near = coverage >= 0.5 or close or (only_counts and coverage > 0) or not strong_missing
        if names_a_place_for_a_structure(expected, given):
            near = False  # a bone's surface for an artery: another kind of answer
        alike = _structure(expected) == _structure(given)
        verdict = Verdict.NEAR if near else Verdict.FAR
        return Match(
            verdict,
            coverage,
            tuple(wrong),
            tuple(typos),
            alike=alike,
            replaced=tuple(dict.fromkeys(replaced)),
            in_place=len(_key(given.head + given.detail)) == len(e_head + e_detail),
        )

    levels_said = expected.levels_written or level_text(expected.levels)
    said = as_written(missing_head) + ((levels_said,) if missing_levels else ())
    detail_left = as_written(missing_detail)
    if strong_missing or missing_levels:
        position = _only_position(expected, strong_missing, e_detail, missing_detail)
        if position and not missing_levels:
            return Match(Verdict.SLIP, coverage, (), tuple(typos), said, detail_left)
        one = len(strong_missing) == 1 and not missing_levels
        if one and coverage >= 2 / 3 and kind_of(strong_missing[0].canon) not in CRITICAL:
            return Match(Verdict.SLIP, coverage, (), tuple(typos), said, detail_left)
        if coverage >= 0.5:
            return Match(Verdict.PARTIAL, coverage, (), tuple(typos), said, detail_left)
        if levels_right and not expected.levels and _only_roots(extra):
            # "S1–S2", "ventral rami of S1 and S2" for "Nerve to piriformis (S1–S2)": where
            # it comes from, not which nerve it is.
            return Match(Verdict.NEAR, coverage, missing=(expected.shown,), levels_only=True)
        # Little of it, and words of another answer beside it: not close to this one.
        foreign = any(kind_of(t.canon) not in ("generic", "side") for t in extra)
        close = coverage > 0 and not foreign
        return Match(Verdict.NEAR if close else Verdict.FAR, coverage, (), (), said)
    added = as_written(t for t in extra if kind_of(t.canon) in CRITICAL)
    more = as_written(t for t in extra if kind_of(t.canon) != "generic")
    many = len(extra) > max(2, len(e_head) + len(e_detail))
    if missing_head or detail_left or typos or added or many or reworded:
        verdict = Verdict.PARTIAL if len(typos) > 2 else Verdict.SLIP
        return Match(verdict, coverage, (), tuple(typos), said, detail_left, added, more)
    return Match(Verdict.EXACT, 1.0, more=more)


# A detail that says when ("when the opposite foot is off the ground") may be reworded,
# except for the kinds whose replacement is still a wrong answer.
_LOOSE = frozenset({"when", "while", "whatever", "so", "as", "if"})
_KEY_DETAIL = frozenset({"side", "movement", "levels", "number", "name", "bone", "landmark",
                         "nerve", "artery", "vein", "muscle", "ligament", "tendon", "branch",
                         "ramus"})  # fmt: skip


# Words that say where a nerve comes from, not which nerve: "ventral rami", "spinal roots".
_ROOT_WORDS = frozenset({"ramus", "root", "branch", "spine", "nerve", "segment"})


def _only_roots(extra: list[Term]) -> bool:
    """Typed besides the levels: only where they leave the cord ("anterior rami of")."""
    return all(kind_of(t.canon) in ("side", "generic") or t.canon in _ROOT_WORDS for t in extra)


def _only_position(
    expected: Part, missing: list[Term], detail: list[Term], detail_missing: list[Term]
) -> bool:
    """Only where on the thing is left out ("head of fibula" for "Lateral side of the
    head of the fibula"), or the bone a named landmark belongs to, and what is left still
    names something: a landmark, two words, or the whole detail."""
    head = [t for t in expected.head if kind_of(t.canon) not in _WEAK]
    owner = head[-1].canon if head and kind_of(head[-1].canon) == "bone" and len(head) > 1 else None
    if not all(t.canon in expected.prefix or t.canon == owner for t in missing):
        return False
    left = [t for t in head if t not in missing and t.canon not in expected.prefix]
    return (
        any(kind_of(t.canon) in ("landmark", "term", "movement") for t in left)
        or len(left) >= 2
        or (bool(detail) and not detail_missing)
    )


def _owner(part: Part) -> str | None:
    """The bone a named landmark belongs to, last in the head ("coronoid process of the
    ulna"): named anywhere in the typed answer, it need not be said again."""
    head = [t for t in part.head if kind_of(t.canon) not in _WEAK]
    named = any(kind_of(t.canon) in ("landmark", "generic") for t in head[:-1])
    if len(head) > 1 and kind_of(head[-1].canon) == "bone" and named:
        return head[-1].canon
    return None


def _contradicted(expected: Part, extra: list[Term]) -> list[tuple[str, Term, Term]]:
    """A word typed against what the answer's brackets say ("superficial branch of the
    superior gluteal artery" for "Superior gluteal artery (deep branch)")."""
    out = []
    for term in extra:
        for said in expected.aside:
            against = kind_of(term.canon) in ("side", "name", "movement")
            if against and near_miss(said.canon, term.canon) and _class(said) == _class(term):
                out.append((kind_of(said.canon), term, said))
    return out[:1]


def _reversed(expected: Part, given: Part) -> bool:
    """ "Pull the thigh towards the trunk" for "Pull the trunk towards the thigh": the same
    words on the two sides of the same relation, swapped."""
    if not (expected.detail and given.detail):
        return False
    if expected.detail[0].surface != given.detail[0].surface:
        return False
    e_head = {t.canon for t in expected.head if kind_of(t.canon) not in _WEAK}
    g_head = {t.canon for t in given.head if kind_of(t.canon) not in _WEAK}
    e_detail = {t.canon for t in expected.detail if kind_of(t.canon) not in _WEAK}
    g_detail = {t.canon for t in given.detail if kind_of(t.canon) not in _WEAK}
    moved_out = (e_head - g_head) & g_detail
    moved_in = (g_head - e_head) & e_detail
    return bool(moved_out and moved_in)
