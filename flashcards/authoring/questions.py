"""The questions fact cards ask, worded for the field, the kind of structure and how a
list is asked.

- ``all`` (one card, the whole answer): "Where does psoas major insert?", "What are the
  actions of gluteus medius?" (a list is asked in the plural);
- ``any`` (one card, any one item is right): "Name a synergist of deltoid.";
- ``each`` (one card per item, the others shown): the plural question, then the list
  with that item's place left as ``[...]``; an item written "Label: text" (a part, a
  head: "Orbital part: closes the eyelids tightly") keeps its label in sight and hides
  only its text ("Orbital part: [...]"), so the card says which part it asks.
"""

from __future__ import annotations

import dataclasses
import re

from flashcards.authoring.model import Fact, Structure
from flashcards.authoring.phrasing import is_plural_name, name_in_sentence, structure_class

__all__ = ["Subject", "labelled", "question_for"]

# Questions per fact field: (one value, several values). {name} is the structure's name
# mid-sentence ("sartorius", "the femoral nerve"); {does} agrees with it ("do the
# hamstrings"). Fields that read differently for some kinds of structure are overridden
# in _BY_CLASS; anything else falls back to these, which read correctly for any kind.
_QUESTIONS: dict[str, tuple[str, str]] = {
    "origin": ("Where {does} {name} originate?", "Where {does} {name} originate?"),
    "insertion": ("Where {does} {name} insert?", "Where {does} {name} insert?"),
    "innervation": ("What innervates {name}?", "What innervates {name}?"),
    "action": ("What is the action of {name}?", "What are the actions of {name}?"),
    "blood_supply": ("What is the blood supply of {name}?", "What is the blood supply of {name}?"),
    "antagonist": ("What is an antagonist of {name}?", "What are the antagonists of {name}?"),
    "synergist": ("What is a synergist of {name}?", "What are the synergists of {name}?"),
    "clinical": (
        "What is the clinical relevance of {name}?",
        "What is the clinical relevance of {name}?",
    ),
}
_FUNCTION = ("What is the function of {name}?", "What are the functions of {name}?")
_ARISE = ("Where {does} {name} arise?", "Where {does} {name} arise?")
_GENERIC_ORIGIN = ("What is the origin of {name}?", "What are the origins of {name}?")
_GENERIC_INSERTION = ("What is the insertion of {name}?", "What are the insertions of {name}?")
_BY_CLASS: dict[str, dict[str, tuple[str, str]]] = {
    "nerve": {
        "origin": _ARISE,
        "insertion": ("Where {does} {name} end?", "Where {does} {name} end?"),
        "innervation": ("What {does} {name} innervate?", "What {does} {name} innervate?"),
        "action": _FUNCTION,
    },
    "artery": {
        "origin": _ARISE,
        "insertion": ("Where {does} {name} end?", "Where {does} {name} end?"),
        "blood_supply": ("What {does} {name} supply?", "What {does} {name} supply?"),
        "action": _FUNCTION,
    },
    "vein": {
        "origin": ("Where {does} {name} begin?", "Where {does} {name} begin?"),
        "insertion": ("Where {does} {name} drain?", "Where {does} {name} drain?"),
        "blood_supply": ("What {does} {name} drain?", "What {does} {name} drain?"),
        "action": _FUNCTION,
    },
    "ligament": {"origin": _ARISE, "action": _FUNCTION},
    "tendon": {"origin": _ARISE, "action": _FUNCTION},
    "bone": {"origin": _GENERIC_ORIGIN, "insertion": _GENERIC_INSERTION, "action": _FUNCTION},
    "joint": {
        "origin": _GENERIC_ORIGIN,
        "insertion": _GENERIC_INSERTION,
        "action": (
            "What movement occurs at {name}?",
            "What movements occur at {name}?",
        ),
    },
    "other": {"origin": _GENERIC_ORIGIN, "insertion": _GENERIC_INSERTION},
}

# "Name any one" questions (`ask: any`), by field, with the kinds that read differently.
_ANY: dict[str, str] = {
    "origin": "Name an origin of {name}.",
    "insertion": "Name an insertion of {name}.",
    "innervation": "Name a nerve that supplies {name}.",
    "action": "Name an action of {name}.",
    "blood_supply": "Name an artery that supplies {name}.",
    "antagonist": "Name an antagonist of {name}.",
    "synergist": "Name a synergist of {name}.",
    "clinical": "Name a clinical point about {name}.",
}
_ANY_BY_CLASS: dict[str, dict[str, str]] = {
    "nerve": {
        "origin": "Name a root or source of {name}.",
        "innervation": "Name a structure that {name} supplies.",
        "action": "Name a function of {name}.",
    },
    "artery": {
        "origin": "Name a source of {name}.",
        "blood_supply": "Name a structure that {name} supplies.",
        "action": "Name a function of {name}.",
    },
    "vein": {
        "blood_supply": "Name a structure that {name} drains.",
        "action": "Name a function of {name}.",
    },
    "ligament": {"action": "Name a function of {name}."},
    "tendon": {"action": "Name a function of {name}."},
    "bone": {"action": "Name a function of {name}."},
    "joint": {"action": "Name a movement that occurs at {name}."},
}
GAP = "[...]"

# "Orbital part: …", "Superficial fibres: …", "Both sides: …", "Knee flexed: …": a
# label of a few words (no clause of its own: no comma, semicolon or bracket) before ": ".
_LABEL = re.compile(r"(?P<label>[^\W\d_][^:;,()\[\]]*?):\s+(?P<text>\S.*)", re.DOTALL)
_LABEL_WORDS = 4


def labelled(item: str) -> tuple[str | None, str]:
    """An item written "Label: text" as (label, text), the text's first letter a
    capital; (None, item) for any other item."""
    found = _LABEL.fullmatch(item)
    if found is None or len(found["label"].split()) > _LABEL_WORDS:
        return None, item
    text = found["text"]
    return found["label"], text[:1].upper() + text[1:]


@dataclasses.dataclass(frozen=True)
class Subject:
    """How questions name one structure, worked out once for all its facts."""

    klass: str
    name: str  # mid-sentence: "sartorius", "the femoral nerve"
    does: str  # "does", or "do" for a plural name

    @classmethod
    def of(cls, structure: Structure) -> Subject:
        klass = structure_class(structure.kind, structure.name)
        plural = is_plural_name(structure.name)
        name = name_in_sentence(structure.name, klass, plural)
        return cls(klass, name, "do" if plural else "does")

    def _template(self, field: str, several: bool) -> str:
        templates = _BY_CLASS.get(self.klass, {}).get(field) or _QUESTIONS[field]
        return templates[1] if several else templates[0]

    def question(self, fact: Fact) -> str:
        """The question of the card asking the whole fact (``all``), or, for ``any``, the
        card asking for one item."""
        if fact.mode == "any" and len(fact.items) > 1:
            template = _ANY_BY_CLASS.get(self.klass, {}).get(fact.field) or _ANY[fact.field]
            return _capitalised(template.format(name=self.name, does=self.does))
        template = self._template(fact.field, len(fact.items) > 1)
        return template.format(name=self.name, does=self.does)

    def gap_question(self, fact: Fact, index: int) -> str:
        """The question of item ``index`` asked alone (``each``): the list, its gap shown
        (after the item's label, when it has one)."""
        lead = self._template(fact.field, True).format(name=self.name, does=self.does)
        label, _text = labelled(fact.items[index])
        gap = f"{label}: {GAP}" if label else GAP
        lines = [f"• {gap if i == index else item}" for i, item in enumerate(fact.items)]
        return "\n".join([f"{lead} Fill the gap:", *lines])


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def question_for(structure: Structure, fact: Fact) -> str:
    """The forward question of one fact: "Where does psoas major insert?"."""
    return Subject.of(structure).question(fact)
