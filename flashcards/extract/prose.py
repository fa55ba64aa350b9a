"""Facts written as sentences: "Sartorius arises from the ASIS and inserts into the pes
anserinus. It is supplied by the femoral nerve and acts to flex the hip."

Each sentence is searched for the phrases anatomy texts use for each fact ("arises
from", "is innervated by", "acts to" …). A phrase's value runs to the next phrase, to a
clause that starts something else (", which", "; "), or to the end of the sentence. The
words before the first phrase say whose fact it is: a muscle's name, or "it" / "this
muscle" for the structure being described. Sentences addressed to the reader ("you",
"your") are instructions, never facts.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashcards.authoring.phrasing import singular_verb_phrase
from flashcards.extract.lexicon import find_muscles

__all__ = ["ProseFact", "condense", "has_fact_phrase", "prose_facts", "sentences"]

_ADVERB = r"(?:(?:mainly|chiefly|primarily|mostly|also|largely|partly|partially)\s+)?"
_VERBS = (
    "flexes|extends|abducts|adducts|rotates|medially rotates|laterally rotates|elevates|"
    "depresses|protracts|retracts|pronates|supinates|inverts|everts|dorsiflexes|"
    "plantarflexes|plantar flexes|stabili[sz]es|tilts|tenses|compresses|draws|pulls|bends|"
    "raises|lowers|assists|helps|steadies|braces|lifts|moves|opposes|holds|prevents|"
    "initiates|maintains|supports|fixes|controls|resists|produces"
)
_MOVERS = (
    "flexor|extensor|abductor|adductor|rotator|pronator|supinator|evertor|invertor|"
    "elevator|depressor|stabili[sz]er|dorsiflexor|plantarflexor|plantar flexor"
)
_STRENGTH = (
    r"(?:(?:powerful|strong|weak|important|main|primary|major|prime|accessory|chief|principal)\s+)*"
)

# (field, pattern, keeps the matched words in the value)
_PHRASES: list[tuple[str, re.Pattern[str], bool]] = [
    (field, re.compile(pattern, re.IGNORECASE), keep)
    for field, pattern, keep in [
        (
            "origin",
            rf"\b(?:arises|arise|arising|originates|originate|originating|springs|"
            rf"takes\s+(?:its\s+)?origin|has\s+its\s+origin|have\s+their\s+origin)\s+"
            rf"{_ADVERB}(?:from|at|on|off|in)\b",
            False,
        ),
        (
            "origin",
            r"\b(?:its|their|the)\s+origins?\s+(?:is|are|lies|lie)\s+(?:(?:from|at|on|in)\s+)?",
            False,
        ),
        ("origin", r"\b(?:is|are)\s+attached\s+proximally\s+(?:to|at|on)\b", False),
        ("origin", r"\bproximal\s+attachments?\s+(?:is|are)\s+(?:(?:to|at|on)\s+)?", False),
        (
            "insertion",
            rf"\b(?:inserts|insert|inserting|is\s+inserted|are\s+inserted)\s+"
            rf"{_ADVERB}(?:into|onto|on|in|at|upon)\b",
            False,
        ),
        ("insertion", r"\bto\s+(?:its|their)\s+insertions?\s+(?:on|at|into|in|onto)\b", False),
        (
            "insertion",
            r"\b(?:its|their|the)\s+insertions?\s+(?:is|are|lies|lie)\s+"
            r"(?:(?:on|at|into|in)\s+)?",
            False,
        ),
        ("insertion", r"\b(?:is|are)\s+attached\s+distally\s+(?:to|at|on)\b", False),
        ("insertion", r"\bdistal\s+attachments?\s+(?:is|are)\s+(?:(?:to|at|on)\s+)?", False),
        ("insertion", r"\b(?:attaches|attach|attaching)\s+distally\s+(?:to|on|onto|at)\b", False),
        ("supplied", rf"\b(?:is|are)\s+{_ADVERB}(?:innervated|supplied|served)\s+by\b", False),
        ("innervation", r"\binnervated\s+by\b", False),
        (
            "innervation",
            r"\breceives?\s+(?:its\s+|their\s+)?(?:motor\s+)?(?:innervation|nerve\s+"
            r"supply)\s+(?:from|via|through)\b",
            False,
        ),
        (
            "innervation",
            r"\b(?:its|their|the)\s+(?:motor\s+)?(?:innervation|nerve\s+supply)\s+"
            r"(?:is|comes|arises)\s+(?:(?:from|via|through|by)\s+)?",
            False,
        ),
        (
            "innervation",
            r"\b(?:innervation|nerve\s+supply)\s+(?:of|to)\s+(?:the\s+)?[\w\s]{1,40}?\s+"
            r"(?:is|comes)\s+(?:(?:via|through|from|by|provided\s+by)\s+)?",
            False,
        ),
        (
            "blood_supply",
            r"\b(?:receives|receive|gets|get)\s+(?:its\s+|their\s+)?(?:arterial\s+|"
            r"blood\s+|vascular\s+)?(?:blood(?:\s+supply)?|supply)\s+"
            rf"{_ADVERB}(?:from|via|through)\b",
            False,
        ),
        (
            "blood_supply",
            r"\b(?:its|their|the)\s+(?:arterial|blood|vascular)\s+supply\s+"
            r"(?:is|comes|arises)\s+(?:(?:from|via|through|by)\s+)?",
            False,
        ),
        ("blood_supply", r"\b(?:is|are)\s+(?:vascularized|vascularised|perfused)\s+by\b", False),
        (
            "blood_supply",
            r"\bblood\s+supply\s+(?:of|to)\s+(?:the\s+)?[\w\s]{1,40}?\s+(?:is|comes)\s+"
            r"(?:(?:via|through|from|by|provided\s+by)\s+)?",
            False,
        ),
        ("action", rf"\b(?:acts|act)\s+{_ADVERB}to\b", False),
        (
            "action",
            r"\b(?:its|their|the)\s+(?:main\s+|primary\s+|chief\s+|principal\s+|major\s+)?"
            r"(?:actions?|functions?|roles?)\s+(?:is|are|include|includes)\s+(?:to\s+)?",
            False,
        ),
        ("action", rf"\b(?:functions|serves|works)\s+{_ADVERB}to\b", False),
        ("action", rf"\b(?:is|are)\s+{_ADVERB}responsible\s+for\b", False),
        ("action", r"\b(?:contributes|contribute)\s+to\b", False),
        (
            "action",
            rf"\b(?:is|are|acts\s+as)\s+(?:an?|the)\s+{_STRENGTH}(?=(?:{_MOVERS})s?\b)",
            False,
        ),
        ("action", rf"\b{_ADVERB}(?:{_VERBS})\b", True),
        (
            "antagonist",
            r"\b(?:its|their|the)\s+(?:main\s+|primary\s+)?antagonists?\s+"
            r"(?:is|are|include|includes)\b",
            False,
        ),
        ("antagonist", r"\b(?:is|are)\s+opposed\s+by\b", False),
        (
            "synergist",
            r"\b(?:its|their|the)\s+(?:main\s+|primary\s+)?synergists?\s+"
            r"(?:is|are|include|includes)\b",
            False,
        ),
        ("synergist", r"\b(?:is|are)\s+assisted\s+by\b", False),
    ]
]

_ABBREVIATIONS = re.compile(
    r"(?:\b(?:e\.g|i\.e|etc|approx|vs|cf|dr|st|fig|figs|no|nn|aa|mm|lig|ant|post|sup|inf|"
    r"med|lat|ca|n|a|m|v)|\b[A-Z])\.$",
    re.IGNORECASE,
)
_STOP = re.compile(
    r",?\s+(?:which|where|whereas|while|but|although|though|because|so that|whose|"
    r"who)\b|;\s|:\s|\s[–—]\s|\.\s|,\s+(?:a|an)\s|"
    r",?\s+and\s+(?:then\s+)?(?:converges|passes|runs|travels|becomes|forms|descends|ascends|"
    r"courses|crosses|blends|merges|narrows|widens|continues|lies|joins|winds|curves|turns|"
    r"fans|exits|enters|leaves)\b",
    re.IGNORECASE,
)
_JOINERS = re.compile(r"(?:,|\s)+(?:and|or|then|it|they|also|and\s+it|and\s+is|and\s+then)?\s*$")
_RELATIVE = re.compile(r"\b(?:which|that|who|whose)\b", re.IGNORECASE)
_SECOND_PERSON = re.compile(r"\b(?:you|your|yourself)\b", re.IGNORECASE)
_PRONOUN = re.compile(
    r"^(?:(?:it|this|that|the|each|both)(?:\s+(?:muscle|muscles|one|belly|head|heads|part|"
    r"fibres|fibers|tendon))?|they|these(?:\s+muscles)?|its\s+\w+(?:\s+\w+)?)$",
    re.IGNORECASE,
)
# "It exits the pelvis … to insert on …": the structure is still the subject.
_PRONOUN_CLAUSE = re.compile(
    r"^(?:it|they|this muscle|the muscle|these muscles|its tendon|the tendon)\s+\w+",
    re.IGNORECASE,
)
_NERVE_WORDS = re.compile(r"\b(?:nerves?|rami|ramus|plexus|[CTLS]\d)", re.IGNORECASE)
_ARTERY_WORDS = re.compile(r"arter|\bbranch|vessel|vascular|circumflex|perforating", re.I)


@dataclass(frozen=True)
class ProseFact:
    field: str
    value: str
    subject: str | None  # canonical muscle name, or None for "it"/"this muscle"
    subject_written: str | None
    part: str | None = None  # "Deep part", "Unilateral contraction": whose the fact is
    # In a labelled value, words before the first phrase that are no subject ("Main
    # extensor of the thigh, and assists …"): a value of their own.
    lead: str | None = None


_PART = re.compile(
    r"\b((?:(?:unilateral|bilateral|deep|superficial|upper|lower|middle|anterior|posterior|"
    r"medial|lateral|long|short|clavicular|sternal|sternocostal|abdominal|oblique|transverse|"
    r"ascending|descending|inferior|superior|horizontal|vertical|acromial|spinal)\s+)+"
    r"(?:part|head|fibres|fibers|portion|layer|contraction|belly|slips?))\b",
    re.IGNORECASE,
)


_CLAUSE = re.compile(r"(?:,\s*(?:while|whereas|but|and)|;|,)\s+(?:the\s+|its\s+)?", re.IGNORECASE)


def _part(sentence: str, found: list[tuple[int, int, str, bool]], n: int) -> str | None:
    """The part of the structure a phrase is about: the sentence's subject for the first
    phrase ("The deep part originates …"), a new clause's subject for later ones
    (", while bilateral contraction raises …")."""
    start = found[n][0]
    parts: list[str]
    if n == 0:
        parts = [str(p) for p in _PART.findall(sentence[:start])]
    else:
        region = sentence[found[n - 1][1] : start]
        clauses = list(_CLAUSE.finditer(region))
        if not clauses:
            return None
        clause = region[clauses[-1].end() :]
        match = _PART.match(clause)
        parts = [str(match.group(1))] if match and match.end() >= len(clause.rstrip()) - 1 else []
    if not parts:
        return None
    return parts[-1][:1].upper() + parts[-1][1:].lower()


def sentences(text: str) -> list[str]:
    """Sentences of a paragraph; 'e.g.', 'n.' and initials do not end one."""
    pieces = re.split(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])", " ".join(text.split()))
    out: list[str] = []
    for piece in pieces:
        if out and _ABBREVIATIONS.search(out[-1]):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return out


def has_fact_phrase(text: str) -> bool:
    return any(pattern.search(text) for _, pattern, _ in _PHRASES)


def _matches(sentence: str) -> list[tuple[int, int, str, bool]]:
    candidates = [
        (match.start(), match.end(), field, keep)
        for field, pattern, keep in _PHRASES
        for match in pattern.finditer(sentence)
    ]
    found: list[tuple[int, int, str, bool]] = []
    # The first phrase wins, the longer one at a tie; phrases overlapping it are dropped.
    for start, end, field, keep in sorted(candidates, key=lambda c: (c[0], c[0] - c[1])):
        if not any(s < end and start < e for s, e, _, _ in found):
            found.append((start, end, field, keep))
    # "adducts and flexes the thigh" is one action, not "adducts" and "flexes the thigh".
    merged: list[tuple[int, int, str, bool]] = []
    for match in found:
        if merged and merged[-1][3] and match[3] and match[2] == merged[-1][2] == "action":
            between = sentence[merged[-1][1] : match[0]]
            if re.fullmatch(r"[\s,]*(?:and|or)?\s*", between):
                merged[-1] = (merged[-1][0], match[1], "action", True)
                continue
        merged.append(match)
    return merged


def _tidy(value: str) -> str:
    value = _STOP.split(value, maxsplit=1)[0]
    value = _JOINERS.sub("", value).strip(" ,.;:")
    value = re.sub(r"^(?:also|then|mainly|chiefly)\s+", "", value, flags=re.IGNORECASE)
    value = re.sub(r"^(?:the|a|an)\s+", "", value, flags=re.IGNORECASE)
    return value[:1].upper() + value[1:] if value else ""


def _subject(words: str) -> tuple[str | None, str | None, bool]:
    """(canonical name, as written, usable) of the words before a sentence's first phrase."""
    names = [m for m in find_muscles(words) if not m.short or m.written.isupper()]
    if names:
        return names[-1].canonical, names[-1].written, True
    cleaned = re.sub(
        r"^(?:(?:in addition|additionally|furthermore|moreover|however|"
        r"also|then|together)\s*,?\s*)+",
        "",
        words.strip(" ,"),
        flags=re.I,
    )
    cleaned = re.sub(r",.*$", "", cleaned).strip()
    if not cleaned or _PRONOUN.match(cleaned) or _PRONOUN_CLAUSE.match(cleaned):
        return None, None, True
    # "The superficial part …", "Unilateral contraction …" describe the same structure.
    if re.search(
        r"\b(?:part|head|fibres|fibers|belly|contraction|portion|layer)s?$", cleaned, re.I
    ):
        return None, None, True
    return None, None, False


_ADVERBIAL = re.compile(
    r"^(?:on|in|at|during|as|when|with|from|by|after|before|while|due|for|through|if|once)\b",
    re.IGNORECASE,
)


def _lead(words: str) -> str | None:
    """Words before a sentence's first phrase that name a fact of their own ("Main
    extensor of the thigh, and assists …"), not a setting ("On the lumbar spine, …")
    nor the part that acts ("unilateral contraction bends …")."""
    if _ADVERBIAL.match(words.strip()) or _PART.search(words):
        return None
    lead = _tidy(words)
    return lead if len(lead.split()) >= 2 else None


def prose_facts(paragraph: str, any_subject: bool = False) -> list[ProseFact]:
    """Every fact a paragraph states in sentences, in order.

    ``any_subject``: the text is already known to be about one structure (a labelled
    value), so sentences count whatever their subject.
    """
    facts: list[ProseFact] = []
    for sentence in sentences(paragraph):
        if _SECOND_PERSON.search(sentence) or sentence.rstrip().endswith("?"):
            continue
        found = _matches(sentence)
        if not found:
            continue
        subject, written, usable = _subject(sentence[: found[0][0]])
        if not usable or subject is None:
            # "Due to …, rotation of the spine will stretch …" is about something else;
            # a name inside a phrase ("Innervation of psoas major is …") still counts.
            names = find_muscles(sentence[found[0][0] : found[0][1]])
            if names:
                subject, written = names[-1].canonical, names[-1].written
            elif not usable and not any_subject:
                continue
        lead = _lead(sentence[: found[0][0]]) if any_subject and not usable else None
        for n, (start, end, field, keep) in enumerate(found):
            stop = found[n + 1][0] if n + 1 < len(found) else len(sentence)
            before = sentence[found[n - 1][1] if n else 0 : start]
            if _RELATIVE.search(before):
                continue  # "…, which arises from S1": about the nerve, not the muscle
            part = _part(sentence, found, n)
            value = _tidy(sentence[start if keep else end : stop])
            if not value:
                continue
            if field == "supplied":
                if _NERVE_WORDS.search(value):
                    field = "innervation"
                elif _ARTERY_WORDS.search(value):
                    field = "blood_supply"
                else:
                    continue
            if field == "action" and not keep:
                value = _action(sentence[start:end], value)
            facts.append(ProseFact(field, value, subject, written, part, lead))
            lead = None
    return facts


_CLAUSE_VERB = re.compile(
    r"\b(?:is|are|was|were|lies|lie|has|have|can|could|will|may|might|forms?|runs?|joins?|"
    r"becomes?|passes|pass|crosses|cross|makes?|gives?)\b",
    re.IGNORECASE,
)


def condense(field: str, text: str) -> tuple[list[str], list[ProseFact]] | None:
    """A labelled value written as sentences, cut to what states the fact.

    "Innervation: Innervation of the psoas major is through the anterior rami of L1 to
    L4." gives ["Anterior rami of L1 to L4"]. Sentences stating this field give their
    value (with the part they are about: "Deep part: …"); short phrases stay; sentences
    about something else go. Returns None when no sentence states the field (the value
    is then kept as written), and the facts of other fields found on the way.
    """
    items: list[str] = []
    others: list[ProseFact] = []
    stated = False
    segments = [seg for sentence in sentences(text) for seg in re.split(r";\s+", sentence)]
    for sentence in segments:
        facts = prose_facts(sentence, any_subject=True)
        own = [f for f in facts if f.field == field]
        others += [f for f in facts if f.field != field]
        if own:
            stated = True
            items += [f.lead for f in own if f.lead]
            items += [
                f"{f.part}: {f.value[:1].lower()}{f.value[1:]}" if f.part else f.value for f in own
            ]
        elif len(sentence.split()) <= 10 and not _CLAUSE_VERB.search(sentence) and not facts:
            items.append(sentence.strip().rstrip("."))
    return (items, others) if stated else None


def _action(phrase: str, value: str) -> str:
    """'acts to flex the hip' -> 'Flexes the hip'; 'is a flexor of the hip' keeps its noun."""
    if re.search(r"\bto\s*$", phrase, re.IGNORECASE):
        verb = singular_verb_phrase(value)
        return verb[:1].upper() + verb[1:]
    return value
