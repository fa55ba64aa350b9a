"""Telling a structure's name in a page: headings, name labels and table cells.

A heading names a muscle when a muscle's name is most of it ("Muscle of the Month –
Piriformis", "The Gluteus Medius Muscle", "1. Adductor longus"); anything else that
names something (a nerve, an artery, a muscle missing from the list) only when facts
follow it at once, and never when it is a byline, a date or a generic section title.
"""

from __future__ import annotations

import re

from flashcards.authoring.phrasing import structure_class
from flashcards.extract.labels import label_target
from flashcards.extract.lexicon import MuscleName, find_muscles

__all__ = ["display_name", "kind_for", "name_in", "plain_name", "strip_heading"]

_GROUPS = {
    "Hamstrings",
    "Rotator cuff",
    "Erector spinae",
    "Gemelli",
    "Scalenes",
    "Rhomboids",
    "Triceps surae",
    "Quadriceps femoris",
    "Iliopsoas",
}
_GENERIC_HEADINGS = re.compile(
    r"^(?:anatomy|overview|summary|introduction|details|(?:key |quick )?facts|contents|"
    r"description|notes?|references?|table|muscles?|at a glance|fact sheet|identifiers|"
    r"related|comments?|share|home|about|contact|see also|further reading|discussion|"
    r"anatomy of .*)$",
    re.IGNORECASE,
)


def display_name(name: MuscleName) -> str:
    """The canonical name, unless the page uses another full name (peroneus longus)."""
    if name.short:
        return name.canonical
    written = " ".join(name.written.split())
    if written.split()[0].lower() != name.canonical.split()[0].lower():
        return written[:1].upper() + written[1:].lower()
    return name.canonical


def kind_for(name: str, from_lexicon: bool) -> str | None:
    if from_lexicon:
        return "muscle group" if name in _GROUPS else "muscle"
    klass = structure_class(None, name)
    if klass != "muscle" or re.search(r"\bmuscles?\b", name, re.IGNORECASE):
        return klass if klass != "muscle" else "muscle"
    return None


def strip_heading(text: str) -> str:
    text = re.sub(
        r"^(?:\d+[.)]\s*|(?:part|section|muscle)\s+\d+\s*[:.–-]\s*)", "", text, flags=re.I
    )
    text = re.sub(
        r"^(?:(?:medical\s+)?definition\s+of|meaning\s+of|what\s+is(?:\s+the)?|corpus:?)\s+",
        "",
        text.strip(),
        flags=re.IGNORECASE,
    )
    text = re.sub(r"^(?:the)\s+", "", text.strip(), flags=re.IGNORECASE)
    return re.sub(r"\s+muscles?$", "", text, flags=re.IGNORECASE).strip(" :–—-|")


def name_in(text: str) -> MuscleName | None:
    """The muscle a heading or a name value is about, if it says little else."""
    for whole in re.split(r"\s[-–—|]\s|[:|–—]\s*|\s\(|\)", text):
        part = strip_heading(whole)
        names = [n for n in find_muscles(part) if not n.short or n.written.isupper()]
        if not names:
            # "Iliac muscle": a name whose last word is "muscle"
            part = whole.strip()
            names = [n for n in find_muscles(part) if not n.short or n.written.isupper()]
        if not names:
            continue
        letters = len(re.sub(r"[^a-z]", "", part.lower()))
        covered = sum(len(re.sub(r"[^a-z]", "", n.written.lower())) for n in names)
        if letters and covered / letters >= 0.6:
            return names[0]
    return None


_BYLINE = re.compile(
    r"^(?:by|posted|written|reviewed|medically reviewed|updated|published|last updated|"
    r"author|photo|image|figure|fig|source|credit)\b",
    re.IGNORECASE,
)


def plain_name(text: str) -> str | None:
    """A heading that names something outside the muscle list ('Femoral nerve')."""
    for part in re.split(r"\s[-–—|]\s|[:|–—]\s*", text):
        part = strip_heading(part)
        words = part.split()
        if not 0 < len(words) <= 6 or _GENERIC_HEADINGS.match(part) or label_target(part):
            continue
        if _BYLINE.match(part):
            continue
        if re.search(r"\d|[?!.]$", part) or not part[:1].isupper():
            continue
        return part[:1].upper() + part[1:]
    return None
