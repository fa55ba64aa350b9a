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

__all__ = [
    "ProseFact",
    "condense",
    "has_fact_phrase",
    "prose_facts",
    "sentences",
    "starts_with_action",
]

_ADVERB = r"(?:(?:mainly|chiefly|primarily|mostly|also|largely|partly|partially)\s+)?"
# A direction written before a movement ("laterally tilts the pelvis") belongs to it.
_DIRECTION = (
    r"(?:(?:medially|laterally|internally|externally|outwardly|inwardly|anteriorly|"
    r"posteriorly|upwardly|downwardly|bilaterally|unilaterally)\s+)?"
)
_VERBS = (
    "flexes|extends|abducts|adducts|rotates|medially rotates|laterally rotates|elevates|"
    "depresses|protracts|retracts|pronates|supinates|inverts|everts|dorsiflexes|"
    "plantarflexes|plantar flexes|stabili[sz]es|tilts|tenses|compresses|draws|pulls|bends|"
    "raises|lowers|assists|helps|steadies|braces|lifts|moves|opposes|holds|prevents|"
    "initiates|maintains|supports|fixes|controls|resists|produces|facilitates|facilitate"
)
# A labelled action written as an instruction or a bare verb ("Extend the arm from 0 to
# 15 degrees", "Flex the hip"): the movement words.
_MOVEMENT_START = re.compile(
    r"^(?:flex|extend|abduct|adduct|rotat|elevat|depress|protract|retract|pronat|supinat|"
    r"invert|evert|dorsiflex|plantar\s?flex|stabili[sz]|tilt|lift|rais|lower|draw|pull)\w*\b",
    re.IGNORECASE,
)
_MOVERS = (
    "flexor|extensor|abductor|adductor|rotator|pronator|supinator|evertor|invertor|"
    "elevator|depressor|stabili[sz]er|dorsiflexor|plantarflexor|plantar flexor"
)
_STRENGTH = (
    r"(?:(?:powerful|potent|strong|weak|important|main|primary|major|prime|accessory|chief|"
    r"principal)\s+)*"
)
# "the origin of the sartorius is …", "the principal functions of the piriformis are …"
_OF_NAME = r"(?:of\s+(?:the\s+)?[\w'’-]+(?:\s+[\w'’-]+){0,3}\s+)?"

# (field, pattern, keeps the matched words in the value)
_PHRASES: list[tuple[str, re.Pattern[str], bool]] = [
    (field, re.compile(pattern, re.IGNORECASE), keep)
    for field, pattern, keep in [
        (
            "origin",
            rf"\b(?:arises|arise|arising|originates|originate|originating|springs|"
            rf"takes\s+(?:its\s+)?origin|has\s+its\s+origin|have\s+their\s+origin)\s+"
            rf"{_ADVERB}(?:from|at|on|off|in|upon)\b",
            False,
        ),
        ("origin", r"\b(?:begins|begin|beginning|starts|starting)\s+(?:at|from|near)\b", False),
        (
            "origin",
            rf"\b(?:its|their|the)\s+origins?\s+{_OF_NAME}(?:is|are|lies|lie)\s+"
            r"(?:(?:from|at|on|in)\s+)?",
            False,
        ),
        ("origin", r"\b(?:is|are)\s+attached\s+proximally\s+(?:to|at|on)\b", False),
        ("origin", r"\bproximal\s+attachments?\s+(?:is|are)\s+(?:(?:to|at|on)\s+)?", False),
        (
            "insertion",
            rf"\b(?:inserts|insert|inserting|inserted)\s+{_ADVERB}"
            r"(?:(?:by|via|through)\s+(?:a|an|the|its|their)\s+(?:[\w-]+\s+){0,2}tendons?\s+)?"
            r"(?:into|onto|on|in|at|upon)\b",
            False,
        ),
        ("insertion", r"\bto\s+(?:its|their)\s+insertions?\s+(?:on|at|into|in|onto)\b", False),
        (
            "insertion",
            rf"\b(?:its|their|the)\s+insertions?\s+{_OF_NAME}(?:is|are|lies|lie)\s+"
            r"(?:(?:on|at|into|in)\s+)?",
            False,
        ),
        ("insertion", r"\b(?:is|are)\s+attached\s+distally\s+(?:to|at|on)\b", False),
        ("insertion", r"\bdistal\s+attachments?\s+(?:is|are)\s+(?:(?:to|at|on)\s+)?", False),
        ("insertion", r"\b(?:attaches|attach|attaching)\s+distally\s+(?:to|on|onto|at)\b", False),
        (
            "supplied",
            rf"\b(?:is|are)\s+{_ADVERB}(?:innervated|supplied|served)\s+"
            r"(?:by|with\s+nerves\s+by|with\s+(?:arterial\s+)?blood\s+(?:by|from))\b",
            False,
        ),
        ("innervation", r"\binnervated\s+by\b", False),
        (
            "innervation",
            r"\breceives?\s+(?:its\s+|their\s+)?(?:motor\s+)?(?:innervation|nerve\s+"
            r"supply)\s+(?:from|via|through)\b",
            False,
        ),
        (
            "innervation",
            r"(?:^|\b(?:its|their|the)\s+)(?:motor\s+)?(?:innervation|nerve\s+supply)\s+"
            r"(?:is|comes|arises)\s+(?:provided\s+|derived\s+)?(?:(?:from|via|through|by)\s+)?",
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
            r"\b(?:its|their|the(?:\s+muscle'?s)?)\s+(?:arterial|blood|vascular)\s+supply\s+"
            r"(?:is|comes|arises)\s+(?:derived\s+)?(?:(?:from|via|through|by)\s+)?",
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
            r"(?:^|\b(?:its|their|the)\s+)(?:main\s+|primary\s+|chief\s+|principal\s+|major\s+)?"
            rf"(?:actions?|functions?|roles?)\s+{_OF_NAME}(?:is|are|include|includes)\s+"
            # "… is unusual in that …" says what the function is like, not what it is
            r"(?!(?:unique|unusual|important|essential|complex|interesting|similar|different|"
            r"critical|crucial|varied|limited|unclear|debated)\b)(?:to\s+)?",
            False,
        ),
        ("action", rf"\b(?:functions|serves|works)\s+{_ADVERB}to\b", False),
        ("action", rf"\bfunctions\s+{_ADVERB}in\b", False),
        ("action", rf"\b(?:is|are)\s+{_ADVERB}responsible\s+for\b", False),
        ("action", r"\b(?:contributes|contribute)\s+to\b", False),
        (
            "action",
            rf"\b(?:is|are|acts\s+as)\s+(?:an?|the)\s+{_STRENGTH}"
            rf"(?=(?:[\w-]+\s+){{0,2}}(?:{_MOVERS})s?\b)",
            False,
        ),
        ("action", rf"\b{_ADVERB}{_DIRECTION}(?:{_VERBS})\b", True),
        (
            "antagonist",
            r"(?:^|\b(?:its|their|the)\s+)(?:main\s+|primary\s+)?antagonists?\s+"
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
    r"(?:,\s+|,?\s+and\s+)(?:then\s+|it\s+|they\s+)?(?:converges|passes|runs|travels|becomes|forms|"
    r"descends|ascends|"
    r"courses|crosses|blends|merges|narrows|widens|continues|lies|joins|winds|curves|turns|"
    r"fans|exits|enters|leaves)\b|"
    # ", running diagonally down the thigh": a clause about its course
    r",\s+(?:running|extending|passing|coursing|descending|ascending|travell?ing|crossing|"
    r"winding)\b",
    re.IGNORECASE,
)
_JOINERS = re.compile(r"(?:,|\s)+(?:and|or|&|then|it|they|also|and\s+it|and\s+is|and\s+then)?\s*$")
_RELATIVE = re.compile(r"\b(?:which|that|who|whose)\b", re.IGNORECASE)
# An instruction speaks to the reader ("you", "yourself"); "your pelvis" alone, as a page
# for lay readers writes "originates on the crest of your pelvis", is still a fact.
_SECOND_PERSON = re.compile(r"\b(?:you|yourself)\b", re.IGNORECASE)
_PRONOUN = re.compile(
    r"^(?:(?:it|this|that|the|each|both)(?:\s+(?:muscle|muscles|one|belly|head|heads|part|"
    r"fibres|fibers|tendon))?|they|these(?:\s+muscles)?|its\s+\w+(?:\s+\w+)?|"
    # "this large muscle", "this leg muscle" (not "the three muscles": a group)
    r"(?:this|the)\s+(?!(?:two|three|four|five|six|other)\b)[a-z-]+\s+muscle|"
    # "a part of it arises …"
    r"(?:a\s+|one\s+|some\s+)?(?:part|portion|some|most)\s+of\s+(?:it|them|the\s+muscle)|"
    # a dictionary's definition: "A muscle arising from …", ": a muscle that flexes …"
    r"(?:a|an)\s+(?:[\w-]+,?\s+){0,3}muscles?(?:\s+(?:that|which))?)$",
    re.IGNORECASE,
)
# "It exits the pelvis … to insert on …": the structure is still the subject.
_PRONOUN_CLAUSE = re.compile(
    r"^(?:it|they|this muscle|the muscle|these muscles|its tendon|the tendon|"
    r"(?:these|its|the|their)\s+(?:muscle\s+)?(?:fibres|fibers))\s+\w+",
    re.IGNORECASE,
)
# "the word sartorius", "the name piriformis": the name, not the muscle.
_THE_WORD = re.compile(r"\b(?:the\s+)?(?:word|term|name)\s+$", re.IGNORECASE)
# "The medial head of the gastrocnemius arises …": the gastrocnemius, its medial head.
_PART_OF = re.compile(
    r"\b(?:head|heads|part|parts|portion|belly|fibres|fibers|tendon|slips?)\s+of\s+(?:the\s+)?$",
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
    r"ventral|dorsal|proximal|distal|"
    r"medial|lateral|long|short|clavicular|sternal|sternocostal|abdominal|oblique|transverse|"
    r"ascending|descending|inferior|superior|horizontal|vertical|acromial|spinal)\s+)+"
    r"(?:parts?|heads?|fibres|fibers|portions?|layers?|contraction|belly|slips?))\b",
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


# "The thoracodorsal nerve innervates the latissimus dorsi": the nerve is the subject.
_NERVE_SUBJECT = re.compile(
    r"^(?P<nerve>(?:the\s+)?[\w\s,()–-]{0,60}?\b(?:nerves?|rami|ramus|plexus)\b[\w\s,()–-]{0,30}?)"
    r"\s+(?:innervates|innervate|supplies|supply|(?:is|are)\s+responsible\s+for\s+"
    r"innervating)\s+(?:the\s+)?(?P<object>.+)$",
    re.IGNORECASE,
)


def _nerve_subject(sentence: str) -> ProseFact | None:
    match = _NERVE_SUBJECT.match(sentence.rstrip(". "))
    if match is None:
        return None
    names = [n for n in find_muscles(match.group("object")) if not n.short]
    if not names or match.group("object")[: names[0].start].strip():
        return None  # "… supplies the skin over …", "… supplies several muscles"
    nerve = _tidy(match.group("nerve"))
    return ProseFact("innervation", nerve, names[0].canonical, names[0].written) if nerve else None


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


def starts_with_action(text: str) -> bool:
    """'Flexes (bends) and rotates the thigh …', 'Adducts the arm …': a movement."""
    match = _ACTION_VERB.match(text.strip())
    return match is not None


def has_fact_phrase(text: str) -> bool:
    return any(pattern.search(text) for _, pattern, _ in _PHRASES)


_ACTION_VERB = re.compile(rf"{_DIRECTION}(?:{_VERBS})\b", re.IGNORECASE)


def _matches(sentence: str) -> list[tuple[int, int, str, bool]]:
    candidates = [
        (match.start(), match.end(), field, keep)
        for field, pattern, keep in _PHRASES
        for match in pattern.finditer(sentence)
        # "side-bends", "self-rotates": part of a compound word, not a movement verb
        if not (
            keep
            and sentence[match.start() - 1 : match.start()] == "-"
            and " " not in match.group(0)
        )
    ]
    found: list[tuple[int, int, str, bool]] = []
    # The first phrase wins, the longer one at a tie; phrases overlapping it are dropped.
    for start, end, field, keep in sorted(candidates, key=lambda c: (c[0], c[0] - c[1])):
        if not any(s < end and start < e for s, e, _, _ in found):
            found.append((start, end, field, keep))
    # "adducts and flexes the thigh" is one action, not "adducts" and "flexes the thigh".
    merged: list[tuple[int, int, str, bool]] = []
    for match in found:
        if merged and match[3]:
            # "Extends the foot (plantar flexes it)", "(side-bends)": a movement inside
            # brackets opened after the phrase before it belongs to that phrase's value.
            before = sentence[merged[-1][0] : match[0]]
            if before.count("(") > before.count(")"):
                continue
        if merged and merged[-1][3] and match[3] and match[2] == merged[-1][2] == "action":
            between = sentence[merged[-1][1] : match[0]]
            if re.fullmatch(r"[\s,]*(?:and|or)?\s*", between):
                merged[-1] = (merged[-1][0], match[1], "action", True)
                continue
        merged.append(match)
    return merged


# "inserts into two bones: the medial cuneiform …", "by two heads : the medial and …"
_COUNTED = re.compile(
    r"^\s*(?:\w+\s+)?(?:two|three|four|five|several|\d)\s+[\w-]+\s*$", re.IGNORECASE
)


def _cut(value: str) -> tuple[str, str]:
    """(the value, the rest of the clause): the value ends where something else starts,
    but not inside brackets, nor at the colon after "two bones"."""
    at = 0
    while (stop := _STOP.search(value, at)) is not None:
        head = value[: stop.start()]
        if head.count("(") > head.count(")"):
            at = stop.end()  # "( and tips him outward; supination )"
            continue
        if stop.group(0).startswith(":") and _COUNTED.match(head):
            at = stop.end()
            continue
        return head, value[stop.start() :]
    return value, ""


def _tidy(value: str) -> str:
    value = _cut(value)[0]
    value = re.sub(r"\s+(?:that|which)$", "", value.strip(), flags=re.IGNORECASE)
    value = _JOINERS.sub("", value).strip(" ,.;:")
    value = re.sub(r"^(?:also|then|mainly|chiefly)\s+", "", value, flags=re.IGNORECASE)
    value = re.sub(r"^\([^)]*\)\s*", "", value)  # "inserted at (attached to) the tibia"
    if value.endswith(")") and value.count(")") > value.count("("):
        value = value[:-1].rstrip()  # "(pulls the shoulder back)": the bracket it closes
    value = re.sub(r"^(?:the|a|an)\s+", "", value, flags=re.IGNORECASE)
    return value[:1].upper() + value[1:] if value else ""


_AFTER_PREPOSITION = re.compile(
    r"\b(?:with|to|from|of|by|between|than|like|into|onto|behind|beneath|under|over|joins|"
    r"form|forms|and|or|as|beside|below|above|deep to|near)\s+(?:the\s+)?"
    r"(?:(?:two|three|four|five|six|several|other)\s+)?$",
    re.IGNORECASE,
)


def _subject(words: str) -> tuple[str | None, str | None, bool]:
    """(canonical name, as written, usable) of the words before a sentence's first phrase."""
    names = [m for m in find_muscles(words) if not m.short or m.written.isupper()]
    names = [m for m in names if not _THE_WORD.search(words[: m.start])]
    if re.match(r"\s*(?:it|they)\s+(?!and\b)\w+", words, re.IGNORECASE):
        # "It runs edge to edge with … subscapularis, and is inserted …": "it" is the
        # subject, whatever it is said to run beside.
        return None, None, True
    # The subject is the first muscle named not after a preposition: in "joins the iliacus
    # to form the iliopsoas …" or "forms a tendon with the soleus" those are objects; but
    # "the medial head of the gastrocnemius" is the gastrocnemius's.
    subjects = [
        m
        for m in names
        if not _AFTER_PREPOSITION.search(words[: m.start]) or _PART_OF.search(words[: m.start])
    ]
    if subjects:
        return subjects[0].canonical, subjects[0].written, True
    cleaned = re.sub(
        r"^(?:(?:in addition|additionally|furthermore|moreover|however|"
        r"also|then|together|functionally|clinically)\s*,?\s*|\[[^\]]*\]\s*|\([^)]*\)\s*|"
        r"(?:n|noun)\.?\s*:\s*)+",  # a dictionary's "n : a thick … muscle that arises …"
        "",
        words.strip(" ,:"),
        flags=re.I,
    )
    # "At the hip, it acts to …": the subject follows a setting set off by a comma.
    clauses = [c.strip(" :") for c in cleaned.split(",")]
    for clause in (clauses[0], clauses[-1]):
        if _PRONOUN.match(clause) or _PRONOUN_CLAUSE.match(clause):
            return None, None, True
    if names:
        return None, None, False
    cleaned = clauses[0]
    if not cleaned:
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
    if _CLAUSE_VERB.search(lead):
        return None  # "The three heads come together and insert …": no fact of its own
    return lead if len(lead.split()) >= 2 else None


def prose_facts(
    paragraph: str, any_subject: bool = False, supplied_as: str | None = None
) -> list[ProseFact]:
    """Every fact a paragraph states in sentences, in order.

    ``any_subject``: the text is already known to be about one structure (a labelled
    value), so sentences count whatever their subject. ``supplied_as``: what "is supplied
    by" means under this label (a nerve or an artery); otherwise the value's words say.
    """
    facts: list[ProseFact] = []
    for sentence in sentences(paragraph):
        if _SECOND_PERSON.search(sentence) or sentence.rstrip().endswith("?"):
            continue
        found = _matches(sentence)
        by_nerve = _nerve_subject(sentence)
        if by_nerve is not None:
            facts.append(by_nerve)
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
            if _RELATIVE.search(before) and not _about_itself(sentence, start):
                continue  # "…, which arises from S1": about the nerve, not the muscle
            part = _part(sentence, found, n)
            value = _tidy(sentence[start if keep else end : stop])
            if not value:
                continue
            if field in ("supplied", "innervation"):
                value = _with_levels(value, _cut(sentence[end:stop])[1])
            if field == "supplied":
                if supplied_as is not None:
                    field = supplied_as
                elif _NERVE_WORDS.search(value):
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


_SELF_RELATIVE = re.compile(r"\bmuscles?\s*,?\s+(?:which|that)\s+(?:\w+\s+){0,2}$", re.IGNORECASE)


def _about_itself(sentence: str, start: int) -> bool:
    """'… is a long muscle which arises from …', '… belongs to the hip rotator muscles,
    which are responsible for …': the relative clause is about the structure itself (a
    muscle or a class of muscles it is one of), unless that muscle has a name of its own."""
    head = sentence[:start]
    match = _SELF_RELATIVE.search(head)
    if match is None:
        return False
    named = [n for n in find_muscles(head) if n.end >= match.start() + len("muscle")]
    return not named


def _with_levels(value: str, rest: str) -> str:
    """'Deep peroneal nerve' from '…, which gets its fibers … from the roots L4 and L5':
    the levels the rest of the clause names join the nerve."""
    if re.search(r"\b[CTLS]\d", value):
        return value
    levels = re.findall(r"\b[CTLS]\d{1,2}\b(?:\s*(?:[-–—]|to|and|,)\s*[CTLS]?\d{1,2}\b)*", rest)
    return f"{value} ({levels[0]})" if levels else value


_CLAUSE_VERB = re.compile(
    r"\b(?:is|are|was|were|lies|lie|has|have|can|could|will|may|might|forms?|runs?|joins?|"
    r"becomes?|passes|pass|crosses|cross|makes?|gives?|comes?|means?|converges?|unites?|"
    r"merges?)\b",
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
    segments = [seg for sentence in sentences(text) for seg in _semicolon_split(sentence)]
    supplied_as = field if field in ("innervation", "blood_supply") else None
    for sentence in segments:
        facts = prose_facts(sentence, any_subject=True, supplied_as=supplied_as)
        own = [f for f in facts if f.field == field]
        others += [f for f in facts if f.field != field]
        if own:
            stated = True
            items += [f.lead for f in own if f.lead]
            items += [
                f"{f.part}: {f.value[:1].lower()}{f.value[1:]}" if f.part else f.value for f in own
            ]
        elif field == "action" and not facts and _MOVEMENT_START.match(sentence.strip()):
            # "Extend the arm from 0 to 15 degrees, where it is the main muscle at work."
            stated = True
            items.append(_tidy(sentence))
        elif (
            len(sentence.split()) <= 10
            and not _CLAUSE_VERB.search(sentence)
            and not facts
            and not _other_label(sentence, field)
        ):
            items.append(sentence.strip().rstrip("."))
    return (items, others) if stated else None


def _other_label(text: str, field: str) -> bool:
    """'Blood supply comes' under a nerve label: a piece of another field, cut short."""
    from flashcards.extract.labels import label_target

    words = re.sub(r"^(?:its|their|the)\s+", "", text.strip(), flags=re.IGNORECASE).split()
    targets = {label_target(" ".join(words[:size])) for size in (2, 1)} if words else set()
    return any(t in _FACT_LABELS and t != field for t in targets)


_FACT_LABELS = (
    "origin",
    "insertion",
    "innervation",
    "roots",
    "action",
    "blood_supply",
    "antagonist",
    "synergist",
)


def _semicolon_split(sentence: str) -> list[str]:
    """'flexes the hip; rotates the thigh' is two; '( … at the same time; supination )' one."""
    parts: list[str] = []
    for piece in re.split(r"(;\s+)", sentence):
        if parts and (piece.startswith(";") or parts[-1].count("(") > parts[-1].count(")")):
            parts[-1] += piece
        else:
            parts.append(piece)
    return [p for p in (p.strip() for p in parts) if p]


def _action(phrase: str, value: str) -> str:
    """'acts to flex the hip' -> 'Flexes the hip'; 'is a flexor of the hip' keeps its noun."""
    if re.search(r"\bto\s*$", phrase, re.IGNORECASE):
        verb = singular_verb_phrase(value)
        return verb[:1].upper() + verb[1:]
    return value
