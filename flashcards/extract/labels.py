"""Labels of fact sheets: the many ways pages write "Origin:" and what each one means.

A label is read whatever its case, a trailing "(s)", a parenthesis ("Origin (proximal
attachment)"), an adjective ("Main actions") or its separator (`:`, ` :`, a dash, a
pipe, a tab, an infobox's run of spaces). What it means is a canonical fact field or one
of a few other things a page says about a structure:

- ``name``: the structure itself ("Muscle: Piriformis");
- ``roots``: spinal levels, joined to the innervation ("Nerve root: L5–S1");
- ``aliases``: other names ("Also known as");
- ``attachments``: origin and insertion in one sentence, read as prose;
- ``ignore``: keys that are not facts to learn (Latin, TA, FMA, Gray's, bylines …).

An unknown label still ends the value of the one before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "SINGLE_LETTERS",
    "LabelHit",
    "label_key",
    "label_target",
    "parse_label_line",
    "spaced_label",
    "split_inline_labels",
    "text_before_inline_labels",
]

_SYNONYMS: dict[str, tuple[str, ...]] = {
    "origin": (
        "origin",
        "proximal attachment",
        "attachment proximal",
        "proximal insertion",
        "point of origin",
        "origo",
        "arises from",
        "origin proximal attachment",
        "proximal",
    ),
    "insertion": (
        "insertion",
        "distal attachment",
        "attachment distal",
        "distal insertion",
        "point of insertion",
        "insertio",
        "inserts into",
        "inserts on",
        "insertion distal attachment",
        "distal",
    ),
    "innervation": (
        "innervation",
        "nerve",
        "nerve supply",
        "innervated by",
        "innervating nerve",
        "motor innervation",
        "motor nerve",
        "neural supply",
        "nervous supply",
        "nerve innervation",
        "innervation nerve",
        "innervation nerve root",
        "nerve and root",
        "peripheral nerve",
    ),
    "roots": (
        "root",
        "nerve root",
        "root level",
        "spinal root",
        "spinal segment",
        "segment",
        "segmental innervation",
        "spinal level",
        "myotome",
        "segmental level",
        "spinal nerve",
        "spinal nerve root",
    ),
    "action": (
        "action",
        "function",
        "movement",
        "motion",
        "role",
        "action function",
        "function action",
        "what it doe",
        "action and function",
        "joint action",
    ),
    "blood_supply": (
        "blood supply",
        "blood",
        "artery",
        "arterial supply",
        "vascular supply",
        "vascularization",
        "vascularisation",
        "vasculature",
        "blood vessel",
        "vascular",
        "arterial",
        "blood supply artery",
        "arterial blood supply",
    ),
    "antagonist": (
        "antagonist",
        "antagonistic muscle",
        "antagonist muscle",
        "opposing muscle",
    ),
    "synergist": (
        "synergist",
        "synergistic muscle",
        "synergist muscle",
        "agonist",
        "assisting muscle",
        "synergists agonist",
    ),
    "clinical": (
        "clinical",
        "clinical relevance",
        "clinical significance",
        "clinical note",
        "clinical correlation",
        "clinical consideration",
        "clinical anatomy",
        "clinical importance",
        "clinical pearl",
        "clinical aspect",
        "clinical implication",
        "pathology",
    ),
    "name": (
        "muscle",
        "muscle name",
        "name",
        "structure",
        "muscle of the month",
        "featured muscle",
        "this month s muscle",
    ),
    "aliases": (
        "also known as",
        "aka",
        "a k a",
        "synonym",
        "other name",
        "alternative name",
        "alternate name",
    ),
    "attachments": (
        "attachment",
        "attachment point",
        "origin and insertion",
        "origin insertion",
        "origins and insertion",
    ),
    "ignore": (
        "latin",
        "latin name",
        "greek",
        "ta",
        "ta98",
        "ta2",
        "te",
        "fma",
        "gray",
        "gray s",
        "gray s anatomy",
        "grays anatomy",
        "dorland",
        "dorland s",
        "mesh",
        "identifier",
        "detail",
        "precursor",
        "pronunciation",
        "etymology",
        "author",
        "by",
        "posted",
        "posted by",
        "written by",
        "reviewed by",
        "reviewer",
        "reading time",
        "last reviewed",
        "medically reviewed by",
        "date",
        "published",
        "updated",
        "last updated",
        "tag",
        "category",
        "share",
        "phone",
        "tel",
        "email",
        "address",
        "hour",
        "location",
        "palpation",
        "trigger point",
        "referral pattern",
        "referred pain",
        "stretch",
        "exercise",
        "strengthening",
        "test",
        "special test",
        "fibre type",
        "fiber type",
        "muscle type",
        "type",
        "shape",
        "muscle group",
        "region",
        "body part",
        "system",
        "parts",
        "relation",
        "note",
        "source",
        "reference",
        "see also",
        "key fact",
        "summary",
        "overview",
        "description",
        "structure and function",
        "anatomical terms of muscle",
    ),
}
# Adjectives a label may carry without changing its meaning ("Main actions").
_QUALIFIERS = {"main", "primary", "principal", "chief", "key", "major", "basic", "prime"}
_TARGETS: dict[str, str] = {
    synonym: target for target, synonyms in _SYNONYMS.items() for synonym in synonyms
}
# One letter labels ("O: ASIS") mean something only among each other.
SINGLE_LETTERS = {"o": "origin", "i": "insertion", "n": "innervation", "a": "action"}


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 2:
        return word[:-1]
    return word


def label_key(label: str) -> str:
    text = label.lower().replace("(s)", "s").replace("&", " and ")
    text = re.sub(r"\([^)]*\)|\[[^\]]*\]", " ", text)
    words = [_singular(w) for w in re.findall(r"[a-z0-9]+", text)]
    return " ".join(words)


def label_target(label: str, single_letters: bool = False) -> str | None:
    """What a label means (a canonical field, name, roots …), or None if unknown."""
    key = label_key(label)
    if key in _TARGETS:
        return _TARGETS[key]
    words = key.split()
    while words and words[0] in _QUALIFIERS:
        words = words[1:]
    trimmed = " ".join(words)
    if trimmed in _TARGETS:
        return _TARGETS[trimmed]
    if single_letters and key in SINGLE_LETTERS and len(label.strip()) == 1:
        return SINGLE_LETTERS[key]
    return None


@dataclass(frozen=True)
class LabelHit:
    label: str  # as written
    target: str | None  # None: an unknown label (it still ends the previous value)
    value: str  # '' when the value is on the next lines


# A label, then a separator: ':' (maybe after a space), a dash between spaces or an en/em
# dash, a pipe, a tab, two or more spaces (infobox), '='.
_LABEL_LINE = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z0-9'’ ()/&.,-]{0,60}?)\s*"
    r"(?P<sep>:|\s[-–—]\s|[–—]|\|\s*|\t+|\s{2,}|=)\s*(?P<value>.*)$"
)
_ALONE = re.compile(r"^(?P<label>[A-Za-z][A-Za-z0-9'’ ()/&.,-]{0,60}?)\s*:?\s*$")


def parse_label_line(text: str, single_letters: bool = False) -> LabelHit | None:
    """The label of a line like 'Origin: ASIS' or 'Origin' alone; None for other lines."""
    stripped = text.strip().strip("*_").strip()
    alone = _ALONE.match(stripped)
    if alone:
        target = label_target(alone.group("label"), single_letters)
        if target is not None:
            return LabelHit(alone.group("label"), target, "")
        if stripped.endswith(":") and len(stripped.split()) <= 5:
            return LabelHit(alone.group("label"), None, "")
    match = _LABEL_LINE.match(stripped)
    if match is None:
        return None
    label, sep, value = match.group("label"), match.group("sep"), match.group("value")
    if label.count("(") != label.count(")"):
        return None
    if sep.strip() != ":" and not label[:1].isupper():
        return None  # only a colon makes a lower-case word a label ("origin: …")
    target = label_target(label, single_letters and sep.strip() == ":")
    value = value.strip().strip("*_").strip()
    if target is not None:
        return LabelHit(label, target, value)
    # An unknown "Word words:" label (a byline, "Stretch:") ends the value before it.
    if sep.strip() == ":" and len(label.split()) <= 4 and label[:1].isupper():
        return LabelHit(label, None, value)
    return None


# "O: …; I: …" or "Origin: …. Insertion: …" on one line.
_INLINE = re.compile(r"(?:^|(?<=[;.|•·])\s*|\s(?=[A-Z]))(?P<label>[A-Z][A-Za-z ()/]{0,30}?)\s*:\s")


def split_inline_labels(text: str, single_letters: bool = False) -> list[LabelHit]:
    """Several labelled values in one line, each with its value; [] if fewer than two."""
    hits: list[tuple[int, int, str, str]] = []
    for match in _INLINE.finditer(text):
        label = match.group("label").strip()
        target = label_target(label, single_letters)
        if target is not None and target != "ignore":
            hits.append((match.start("label"), match.end(), label, target))
    if len(hits) < 2:
        return []
    result: list[LabelHit] = []
    for n, (_start, end, label, target) in enumerate(hits):
        stop = hits[n + 1][0] if n + 1 < len(hits) else len(text)
        value = text[end:stop].strip().rstrip(";|•·,").strip()
        result.append(LabelHit(label, target, value))
    return result


def spaced_label(text: str) -> LabelHit | None:
    """'Origin anterior surface of the sacrum': an infobox copied without its tab.

    Only meaningful in a run of such lines; the caller checks the run.
    """
    words = text.split()
    if not text[:1].isupper():
        return None
    for size in (4, 3, 2, 1):
        if len(words) <= size:
            continue
        label = " ".join(words[:size])
        if not re.fullmatch(r"[A-Za-z][A-Za-z ]*", label):
            continue
        target = label_target(label)
        if target is not None and target != "name" and words[size].lower() not in ("of", "is"):
            return LabelHit(label, target, " ".join(words[size:]))
    return None


def text_before_inline_labels(text: str, single_letters: bool = False) -> str:
    """What precedes the first of several inline labels ('Sartorius — O: …; I: …')."""
    for match in _INLINE.finditer(text):
        if label_target(match.group("label").strip(), single_letters) not in (None, "ignore"):
            return text[: match.start("label")].strip(" -–—:|,;")
    return ""
