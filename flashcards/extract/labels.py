"""Labels of fact sheets: the many ways pages write "Origin:" and what each one means.

A label is read whatever its case, a trailing "(s)", a parenthesis ("Origin (proximal
attachment)"), an adjective ("Main actions") or its separator (`:`, ` :`, a dash, a
pipe, a tab, an infobox's run of spaces). What it means is a canonical fact field or one
of a few other things a page says about a structure:

- ``name``: the structure itself ("Muscle: Piriformis");
- ``roots``: spinal levels, joined to the innervation ("Nerve root: L5–S1");
- ``aliases``: other names ("Also known as");
- ``attachments``: origin and insertion in one sentence, read as prose;
- ``prose``: a section of description ("Course", "Description", "Location") whose
  sentences may state facts ("… originates from the iliac crest …"): read as prose;
- ``ignore``: keys that are not facts to learn (Latin, TA, FMA, Gray's, bylines …).

An unknown label still ends the value of the one before it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = [
    "SINGLE_LETTERS",
    "LabelHit",
    "is_reference_line",
    "label_key",
    "label_muscle",
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
        "origin attachment",
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
        "insertion attachment",
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
        "peripheral innervation",
        "nerves and nerve root",
        "nerve and blood supply",
        "nerve supply and blood supply",
        "innervation and blood supply",
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
        "spinal innervation",
        "segmental supply",
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
        "action function",
        "joint action",
        "movements",
        "concentric action",
        "muscle action function",
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
        "arterial blood",
        "blood supply and vasculature",
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
        "muscle attachment",
        "attachments origin and insertion",
    ),
    "prose": (
        "description",
        "course",
        "path",
        "location",
        "situation",
        "overview",
        "summary",
        "structure and function",
        "definition",
        "shape",
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
        "anatomical terms of muscle",
        "dorlands elsevier",
        "dorland elsevier",
        "gray s subject",
        "gray subject",
        "muscle type",
        "depth",
        "articulation",
        "joints crossed",
        "daily use",
        "example strengthening exercise",
        "example stretche",
        "example stretch",
        "pronunciation",
        "pronuncation",
        "derivation",
        "lesion effect",
        "common complaint",
        "typical cause",
        "related term",
        "physical exam",
        "disease state",
        "figure",
        "credit",
        "variation",
        "image",
        "image2",
        "caption",
        "caption2",
        "width",
    ),
}
# Adjectives a label may carry without changing its meaning ("Main actions").
_QUALIFIERS = {
    "main",
    "primary",
    "principal",
    "chief",
    "key",
    "major",
    "basic",
    "prime",
    "anatomical",
    "muscle",
}


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


# Keyed as labels are read ("Nerves & Nerve Roots" -> "nerve and nerve root").
_TARGETS: dict[str, str] = {
    label_key(synonym): target for target, synonyms in _SYNONYMS.items() for synonym in synonyms
}
# One letter labels ("O: ASIS") mean something only among each other.
SINGLE_LETTERS = {"o": "origin", "i": "insertion", "n": "innervation", "a": "action"}


def label_target(label: str, single_letters: bool = False, strip_muscle: bool = True) -> str | None:
    """What a label means (a canonical field, name, roots …), or None if unknown.

    ``strip_muscle``: a label may name its muscle ("Origin of Deltoid", "Biceps femoris
    ORIGIN"); off where the words after a label are its value ("Insertion Deltoid …").
    """
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
    named = _without_muscle(label) if strip_muscle else None
    if named is not None:
        return label_target(named, strip_muscle=False)
    return None


def label_muscle(label: str) -> str | None:
    """The muscle a label names ('Origin of Deltoid', 'Biceps femoris ORIGIN'), as written."""
    from flashcards.extract.lexicon import find_muscles

    names = find_muscles(label, in_label=True)
    if len(names) != 1:
        return None
    before = label[: names[0].start].strip()
    # "Antagonists Gluteus Maximus" is a label and its value, not a label of that muscle.
    if before and not re.search(r"\b(?:of|for)(?:\s+the)?$", before, re.IGNORECASE):
        return None
    return names[0].written


def _without_muscle(label: str) -> str | None:
    """'Origin of Deltoid' -> 'Origin'; 'Biceps femoris ORIGIN' -> 'ORIGIN'; else None."""
    from flashcards.extract.lexicon import find_muscles

    if label_muscle(label) is None:
        return None
    [name] = find_muscles(label, in_label=True)
    rest = (label[: name.start] + " " + label[name.end :]).strip()
    rest = re.sub(r"\s+(?:of|for)(?:\s+the)?\s*$", "", rest, flags=re.IGNORECASE).strip()
    return rest if rest and rest != label.strip() and re.search(r"[A-Za-z]", rest) else None


@dataclass(frozen=True)
class LabelHit:
    label: str  # as written
    target: str | None  # None: an unknown label (it still ends the previous value)
    value: str  # '' when the value is on the next lines


# A label, then a separator: ':' (maybe after a space), a dash between spaces or an en/em
# dash, a pipe, a tab, two or more spaces (infobox), '=', or a hyphen glued to a known
# label ("*Action- The piriformis …").
_LABEL_LINE = re.compile(
    r"^(?P<label>[A-Za-z][A-Za-z0-9'’ ()/&.,-]{0,60}?)\s*"
    r"(?P<sep>:|\s[-–—]\s|[–—]|\|\s*|\t+|\s{2,}|=|-(?=\s))\s*(?P<value>.*)$"
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
    if sep == "-" and target in (None, "name"):
        return None  # "Semi-tendinosus- …" or a hyphenated word: only known labels
    value = value.strip().strip("*_").strip()
    if re.fullmatch(r"\([^()]*\)", value):
        value = ""  # "Origin: (proximal attachments)": the value is on the lines below
    if target is not None:
        return LabelHit(label, target, value)
    # An unknown "Word words:" label (a byline, "Stretch:") ends the value before it.
    if sep.strip() == ":" and len(label.split()) <= 4 and label[:1].isupper():
        return LabelHit(label, None, value)
    return None


# "O: …; I: …" or "Origin: …. Insertion: …" on one line; in a magazine's sidebar run
# into the text, "Actions • Dorsiflexes the ankle • Inverts the foot Attachments • …".
# Every place a label may start is tried (the matches overlap: "Inverts the foot
# Attachments •" is no label, "Attachments •" is).
_INLINE = re.compile(
    r"(?:^|(?<=[\s;.|•·]))"
    r"(?=(?P<label>[A-Z][A-Za-z ()/]{0,30}?)(?P<sep>\s*:\s|\s+[•·▪]\s+))"
)


def _inline_hits(text: str, single_letters: bool) -> list[tuple[int, int, str, str]]:
    """(start, end of separator, label, target) of the known labels in a line; where
    two end at the same separator ("TIBIALIS ANTERIOR Actions •", "Actions •") the
    longer one."""
    by_end: dict[int, tuple[int, int, str, str]] = {}
    for match in _INLINE.finditer(text):
        label = match.group("label").strip()
        target = label_target(label, single_letters)
        if target is not None and target != "ignore":
            by_end.setdefault(
                match.end("sep"), (match.start("label"), match.end("sep"), label, target)
            )
    hits = sorted(by_end.values())
    kept: list[tuple[int, int, str, str]] = []
    for hit in hits:
        if not kept or hit[0] >= kept[-1][1]:
            kept.append(hit)
    return kept


# A dictionary entry: "origin, iliac fossa; insertion, lesser trochanter; action, …".
_INLINE_COMMA = re.compile(
    r"(?:^|(?<=[;.)])\s*|(?<=\d\.)\s*)(?P<label>origin|insertion|actions?|innervation|"
    r"nerve supply|nerve|blood supply|arterial supply|artery)\s*,\s",
    re.IGNORECASE,
)


def _comma_labels(text: str) -> list[LabelHit]:
    hits = [(m.start("label"), m.end(), m.group("label")) for m in _INLINE_COMMA.finditer(text)]
    if len(hits) < 2:
        return []
    result = []
    for n, (_start, end, label) in enumerate(hits):
        stop = hits[n + 1][0] if n + 1 < len(hits) else len(text)
        value = text[end:stop].strip().rstrip(";.").strip()
        value = re.split(r"\.\s+(?:Synonyms?|See also|Compare)\b", value)[0].strip()
        target = label_target(label)
        if target is not None:
            result.append(LabelHit(label, target, value))
    return result if len(result) >= 2 else []


def split_inline_labels(text: str, single_letters: bool = False) -> list[LabelHit]:
    """Several labelled values in one line, each with its value; [] if fewer than two."""
    comma = _comma_labels(text)
    if comma:
        return comma
    hits = _inline_hits(text, single_letters)
    if len(hits) < 2:
        return []
    result: list[LabelHit] = []
    for n, (_start, end, label, target) in enumerate(hits):
        stop = hits[n + 1][0] if n + 1 < len(hits) else len(text)
        value = text[end:stop].strip().rstrip(";|•·▪,").strip()
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
        target = label_target(label, strip_muscle=False)
        if target is not None and target != "name" and words[size].lower() not in ("of", "is"):
            return LabelHit(label, target, " ".join(words[size:]))
    return None


def text_before_inline_labels(text: str, single_letters: bool = False) -> str:
    """What precedes the first of several inline labels ('Sartorius — O: …; I: …')."""
    comma = list(_INLINE_COMMA.finditer(text))
    if len(comma) >= 2 and _comma_labels(text):
        return text[: comma[0].start("label")].strip(" -–—:|,;")
    hits = _inline_hits(text, single_letters)
    return text[: hits[0][0]].strip(" -–—:|,;") if hits else ""


# Catalogue and reference lines of infoboxes: never a fact, and they end the value above.
_REFERENCE_LINE = re.compile(
    r"^(?:Dorlands?(?:/Elsevier)?|Elsevier|TA98|TA2|TA|TE|FMA|MeSH|Gray'?s(?:\s+subject)?|"
    r"Identifiers|Anatomical terms of muscle|Jump to)\b.*$|"
    r"^(?:Read more|Continue reading|Show more|Learn more|Click here)\b[^.]{0,40}$|"
    r"^.*\b(?:[a-z]_\d+/\d{5,}|A\d{2}\.\d\.\d{2}\.\d{3})\b.*$|^\d{3,}$|^[a-z]{2}$|^[a-z]{2}:\S.*$",
)


def is_reference_line(text: str) -> bool:
    """'Dorlands/Elsevier m_22/12549271', 'TA A04.7.02.044', 'de:Musculus iliacus', '537047'."""
    return _REFERENCE_LINE.match(text.strip()) is not None
