"""What sort of thing a part of an answer names: a place (a bone, a landmark on one), an
action (a movement) or a nerve or vessel. A part of one sort typed for a part of another
("superior gluteal nerve" for an origin, "lesser trochanter" for a nerve) is another
kind of answer: wrong, and no near miss whatever words the two share.
"""

from __future__ import annotations

from flashcards.grading.keyterms import kind_of
from flashcards.grading.parts import Part
from flashcards.grading.vocabulary import WORDS

__all__ = ["STRUCTURES", "another_sort", "names_a_place_for_a_structure", "sort_of", "structure_of"]

STRUCTURES = ("nerve", "artery", "vein", "muscle", "ligament", "tendon", "branch", "ramus")
_NEUROVASCULAR = frozenset({"nerve", "artery", "vein"})
_SHEETS = frozenset({"fascia", "aponeurosis"})


def structure_of(part: Part) -> str | None:
    """What the part names, when it says ("femoral nerve" -> nerve)."""
    canons = {t.canon for t in part.head}
    return next((s for s in STRUCTURES if s in canons), None)


def sort_of(part: Part) -> str | None:
    """ "action", "neurovascular", "place" (a bone, a landmark, a ligament, tendon or
    fascia), or None where the words do not say (a muscle by its name)."""
    kinds = {kind_of(t.canon) for t in part.head}
    if "movement" in kinds:
        return "action"
    structure = structure_of(part)
    if structure in _NEUROVASCULAR or kind_of_nerve(part):
        return "neurovascular"
    if structure in ("branch", "ramus") and "bone" not in kinds:
        return "neurovascular"  # "anterior rami of L1–L3"; a pubic ramus is a place
    if structure is None and (_named_bone(part) or "landmark" in kinds):
        return "place"
    if structure in ("ligament", "tendon") or {t.canon for t in part.head} & _SHEETS:
        return "place"  # what muscles attach to: "Sacrotuberous ligament", "… fascia"
    return None


def _named_bone(part: Part) -> bool:
    """A bone named as a bone ("femur", "ribs"), not as an adjective ("femoral", which
    names a nerve or an artery as often)."""
    return any(kind_of(t.canon) == "bone" and t.surface not in WORDS for t in part.head)


def kind_of_nerve(part: Part) -> bool:
    """A cranial nerve by its number or name ("CN VII", "facial nerve")."""
    return any(kind_of(t.canon) == "nerve" for t in part.head)


def another_sort(expected: Part, given: Part) -> bool:
    """The two parts name things of different sorts (a nerve for a place)."""
    a, b = sort_of(expected), sort_of(given)
    return a is not None and b is not None and a != b


def names_a_place_for_a_structure(expected: Part, given: Part) -> bool:
    """The answer names a nerve, artery … and the typed part none, only bones and places."""
    if structure_of(expected) is None or structure_of(given) is not None:
        return False
    return any(kind_of(t.canon) in ("bone", "landmark") for t in given.head)
