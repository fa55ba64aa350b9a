"""English for generated questions: a structure's name mid-sentence, articles, agreement.

Card questions are built from templates, so the few grammar rules they need live here,
shared by forward cards (`facts`) and reverse cards (`reverse`). The rules are small
on purpose: anatomy names follow regular patterns (Latin muscle names go without an
article, nerves and arteries take "the", eponyms keep their capital), and where a rule
cannot tell, the wording falls back to a form that reads correctly either way.
"""

from __future__ import annotations

import re

__all__ = [
    "STRUCTURE_CLASSES",
    "is_plural_name",
    "lower_first",
    "name_in_sentence",
    "noun_for",
    "phrase_with_article",
    "plural_verb_phrase",
    "singular_verb_phrase",
    "starts_with_verb",
    "structure_class",
]

# What a structure is, as far as wording goes. `kind:` in a deck file is free text;
# these are the classes it is read into.
STRUCTURE_CLASSES = (
    "muscle",
    "muscle group",
    "nerve",
    "artery",
    "vein",
    "ligament",
    "tendon",
    "bone",
    "joint",
    "other",
)

# Checked in order: "muscle group" before "muscle", "nerve root" before "root".
_KIND_WORDS: tuple[tuple[str, str], ...] = (
    ("group", "muscle group"),
    ("muscle", "muscle"),
    ("nerve", "nerve"),
    ("plexus", "nerve"),
    ("ramus", "nerve"),
    ("artery", "artery"),
    ("arteries", "artery"),
    ("arterial", "artery"),
    ("vein", "vein"),
    ("venous", "vein"),
    ("ligament", "ligament"),
    ("tendon", "tendon"),
    ("bone", "bone"),
    ("joint", "joint"),
)
# A name's last word often says what it is ("Femoral nerve", "Lumbar arteries").
_NAME_HEADS = {
    "nerve": "nerve",
    "nerves": "nerve",
    "plexus": "nerve",
    "artery": "artery",
    "arteries": "artery",
    "vein": "vein",
    "veins": "vein",
    "ligament": "ligament",
    "ligaments": "ligament",
    "tendon": "tendon",
    "joint": "joint",
}
_NOUNS = {
    "muscle": ("muscle", "muscles"),
    "muscle group": ("muscle", "muscles"),
    "nerve": ("nerve", "nerves"),
    "artery": ("artery", "arteries"),
    "vein": ("vein", "veins"),
    "ligament": ("ligament", "ligaments"),
    "tendon": ("tendon", "tendons"),
    "bone": ("bone", "bones"),
    "joint": ("joint", "joints"),
    "other": ("structure", "structures"),
}

# Latin plurals that do not end in -s (the -s plurals are caught by their ending).
_LATIN_PLURALS = frozenset(
    {
        "gemelli",
        "interossei",
        "scaleni",
        "multifidi",
        "rotatores",
        "levatores",
        "lumbricales",
        "interspinales",
        "intertransversarii",
    }
)
# Singular words that end like an English plural.
_SINGULAR_ENDINGS = ("ss", "us", "is", "as", "os", "ps", "ys", "xs", "ae")
_SINGULAR_WORDS = frozenset({"teres", "pes", "series", "species", "pubes", "lens"})

_POSSESSIVE = re.compile(r"^\w+['’]s\b")
_DETERMINERS = frozenset(
    {
        "the",
        "a",
        "an",
        "its",
        "their",
        "both",
        "each",
        "every",
        "all",
        "either",
        "any",
        "this",
        "these",
        "those",
        "one",
        "two",
        "three",
        "four",
        "most",
        "some",
        "several",
    }
)
# A muscle named as one of a row ("First lumbrical of the foot") or as a head or part of
# another ("Long head of biceps femoris") takes "the", as any noun so qualified does.
_ORDINALS = frozenset(
    {"first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth"}
)
_PART_NOUNS = frozenset(
    {
        "head",
        "heads",
        "part",
        "parts",
        "belly",
        "bellies",
        "portion",
        "portions",
        "fibres",
        "fibers",
    }
)
# Spinal levels and numbers read without an article ("is innervated by L2–L4").
_NO_ARTICLE_START = re.compile(r"^(?:[CTLS]\d|Co\d|\d)")

# Verbs that actions begin with, in their base form; their -s form is derived.
_ACTION_VERBS = frozenset(
    {
        "abduct",
        "adduct",
        "assist",
        "bend",
        "brace",
        "compress",
        "depress",
        "dorsiflex",
        "draw",
        "elevate",
        "evert",
        "extend",
        "flex",
        "help",
        "hold",
        "invert",
        "lift",
        "lower",
        "maintain",
        "move",
        "oppose",
        "plantarflex",
        "prevent",
        "pronate",
        "protract",
        "pull",
        "raise",
        "resist",
        "retract",
        "rotate",
        "stabilise",
        "stabilize",
        "steady",
        "supinate",
        "support",
        "tense",
        "tilt",
    }
)


def structure_class(kind: str | None, name: str) -> str:
    """The wording class of a structure: its `kind:` when given, else read from its name."""
    if kind:
        lowered = kind.lower()
        for word, found in _KIND_WORDS:
            if word in lowered:
                return found
        return "other"
    last = name.lower().split()[-1] if name.split() else ""
    return _NAME_HEADS.get(last, "muscle")


def noun_for(structure_class_: str, plural: bool) -> str:
    """'muscle' / 'muscles', 'nerve' / 'nerves' … for "Which muscle …?" questions."""
    one, several = _NOUNS.get(structure_class_, _NOUNS["other"])
    return several if plural else one


def _is_plural_word(word: str) -> bool:
    word = word.lower().strip("(),.;:")
    if word in _LATIN_PLURALS:
        return True
    if word in _SINGULAR_WORDS or len(word) < 4:
        return False
    return word.endswith("s") and not word.endswith(_SINGULAR_ENDINGS)


def is_plural_name(name: str) -> bool:
    """'Hamstrings', 'Gemelli', 'Lumbar arteries' are plural; 'Biceps', 'Psoas major' not."""
    words = re.sub(r"\([^)]*\)", " ", name).split()
    # The head noun stands before "of": "Lumbricals of the foot" is plural, "Head of
    # the femur" is not.
    lowered = [w.lower() for w in words]
    if "of" in lowered[1:]:
        words = words[: lowered.index("of", 1)]
    if not words:
        return False
    return _is_plural_word(words[-1]) or words[0].lower() in _LATIN_PLURALS


def lower_first(text: str) -> str:
    """'Psoas major' -> 'psoas major'; acronyms, eponyms and mixed case keep their capitals."""
    first, space, rest = text.partition(" ")
    if first[:1].isupper() and first[1:].islower() and first.isalpha():
        first = first.lower()
    return f"{first}{space}{rest}"


def _names_a_part(name: str) -> bool:
    """'First lumbrical of the foot', 'Long head of biceps femoris', 'Descending part of
    trapezius': one of a row, or a head or part of another muscle, named in words.
    'Triceps brachii (long head)' is a name with a bracket, read as it is."""
    words = name.lower().split()
    if not words or words[0].startswith("("):
        return False
    if words[0] in _ORDINALS:
        return True
    if "of" not in words[1:]:
        return False
    return words[words.index("of", 1) - 1] in _PART_NOUNS


def name_in_sentence(name: str, structure_class_: str, plural: bool | None = None) -> str:
    """A structure's name as it reads mid-sentence: 'sartorius', 'the femoral nerve',
    'the long head of biceps femoris'.
    ``plural``: `is_plural_name` of ``name``, when the caller has it already."""
    text = lower_first(name.strip())
    # Single muscles go bare ("What innervates sartorius?"); groups, plurals, a muscle's
    # head or part named with "of", one of a numbered row, and every other kind take
    # "the" ("the iliopsoas", "the hamstrings", "the superior belly of omohyoid", "the
    # first lumbrical of the foot", "the femoral nerve").
    needs_article = (
        structure_class_ != "muscle"
        or (is_plural_name(name) if plural is None else plural)
        or _names_a_part(name)
    )
    if not needs_article or _POSSESSIVE.match(name) or text.lower().startswith("the "):
        return text
    return f"the {text}"


def phrase_with_article(phrase: str) -> str:
    """A noun phrase from a deck (an insertion, a nerve) ready to follow a preposition.

    'Pes anserinus' -> 'the pes anserinus'; 'L2–L4', "Gerdy's tubercle" and phrases that
    already start with a determiner are left as they are.
    """
    text = phrase.strip()
    first = text.split(" ", 1)[0].lower() if text else ""
    if (
        not text
        or first in _DETERMINERS
        or _NO_ARTICLE_START.match(text)
        or _POSSESSIVE.match(text)
    ):
        return lower_first(text) if first in _DETERMINERS else text
    return f"the {lower_first(text)}"


def _verb_index(words: list[str]) -> int | None:
    """Index of the verb an action starts with, after adverbs ('Laterally rotates …')."""
    index = 0
    while index < len(words) - 1 and words[index].lower().endswith("ly"):
        index += 1
    word = words[index].lower().strip(",") if words else ""
    if word in _ACTION_VERBS or _base_form(word) in _ACTION_VERBS:
        return index
    if word.endswith("s") and not word.endswith(_SINGULAR_ENDINGS) and len(word) > 3:
        return index
    return None


def starts_with_verb(action: str) -> bool:
    """'Flexes the hip' and 'Laterally rotates the thigh' do; 'Hip flexion' does not."""
    return _verb_index(action.split()) is not None


def _base_form(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "shes", "ches", "xes", "zes")):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def _third_person(word: str) -> str:
    if word.endswith(("ss", "sh", "ch", "x", "z")):
        return word + "es"
    if word.endswith("s"):
        return word
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


_DETERMINER_STOP = frozenset({"the", "a", "an", "its", "their", "on", "at", "in", "of", "to"})


def _conjugate(action: str, form: str) -> str:
    """Every verb of the leading verb run ('Flexes, abducts and laterally rotates the hip')."""
    words = action.split()
    start = _verb_index(words)
    if start is None:
        return action
    out = list(words)
    for i in range(start, len(words)):
        bare = words[i].lower().rstrip(",")
        if bare in _DETERMINER_STOP:
            break
        if bare in {"and", "or"} or bare.endswith("ly"):
            continue
        if i > start and bare not in _ACTION_VERBS and _base_form(bare) not in _ACTION_VERBS:
            break
        comma = "," if words[i].endswith(",") else ""
        new = _base_form(bare) if form == "base" else _third_person(_base_form(bare))
        out[i] = new + comma
    return " ".join(out)


def plural_verb_phrase(action: str) -> str:
    """'Flexes the hip' -> 'flex the hip' (for "Which muscles flex the hip?")."""
    return lower_first(_conjugate(action, "base"))


def singular_verb_phrase(action: str) -> str:
    """'Flex the hip' or 'Flexes the hip' -> 'flexes the hip' ("Which muscle flexes …?")."""
    return lower_first(_conjugate(action, "third"))
