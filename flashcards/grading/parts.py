"""An answer split into its parts, each with the key terms that carry it.

Lines and semicolons separate list items; commas, "and", "or" separate the parts of an
item, except where words only qualify the next ("the anterior and posterior gluteal
lines", "between the pisiform and the hook of the hamate"), where a phrase only says
more about the part before ("…, via the lateral side of the psoas major tendon",
"…, mainly at the MCP joint") or where one movement acts on several things ("flexes the
trunk and lumbar spine"). Several movements of one thing are one part each ("abducts
and medially rotates the thigh" = "abducts the thigh" + "medially rotates the thigh"); a
movement listed without its object acts on the one before ("extends the thigh, laterally
rotates, …" = "… laterally rotates the thigh").

Within a part, the words from the first such phrase on are its *detail*, and a leading
position ("Lateral side of …", "Upper fibres …") its *prefix*: a student who leaves
either out is less precise, one who changes them is wrong. Bracketed asides are
optional; levels and numbers in them are alternatives ("L5–S1; Gray's: L5–S2").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import lru_cache

from flashcards.grading.folding import level_text
from flashcards.grading.keyterms import kind_of
from flashcards.grading.normalise import SEPARATORS, Term, is_level, is_number, terms
from flashcards.grading.vocabulary import (
    COORDINATED,
    GENERIC,
    IGNORED,
    JOINT_SEGMENTS,
    MOVEMENTS,
    OPPOSITES,
    QUALIFIERS,
)

__all__ = ["Part", "parts"]


# Words (as written) that open a detail about what comes before them.
def _set(text: str) -> frozenset[str]:
    return frozenset(text.split())


_DETAIL = _set(
    "between behind via through with without near along beyond within into onto at in "
    "on against towards toward as when where whatever so just above below beneath under "
    "from to which that after before during lets while then whether by beside around "
    "giving straightening steadying helping making keeping bringing allowing pulling "
    "forming leaving including causing letting"
)
_HARD = frozenset({"\n", ";"})
_SOFT = frozenset({",", "and", "or", "&", "+", "/"})
# Labels naming a part of a muscle or a condition, not the answer ("Long head:").
_LABEL_WORDS = frozenset({"head", "part", "fiber", "side", "surface"})
# Words naming where on a thing ("lateral *surface* of", "upper *fibres*").
_PLACE = frozenset(
    {"surface", "border", "part", "portion", "end", "base", "lip", "tip", "fiber", "head",
     "half", "aspect", "belly"}
)  # fmt: skip
# Words that take two things ("between A and B", "junction of A and B").
_PAIRING = frozenset({"between", "junction"})
_DIGIT_NAMES = frozenset({"index", "middle", "ring", "little"})


@dataclass(frozen=True)
class Part:
    """One part of an answer."""

    head: tuple[Term, ...]  # the terms that carry the part
    detail: tuple[Term, ...]  # what only says more ("between the … lines")
    aside: tuple[Term, ...]  # bracketed, optional
    levels: frozenset[str]  # spinal levels named outside brackets
    level_options: tuple[frozenset[str], ...]  # every level group named, brackets included
    numbers: frozenset[str]
    weight: float  # its share of the whole answer (0: a hedge, never required)
    prefix: frozenset[str] = frozenset()  # where on the thing: "lateral side of"
    number_options: tuple[frozenset[str], ...] = ()
    item: int = 0  # the list item (line, or text between semicolons) it belongs to
    written: str = ""  # the part as the answer writes it ("Dorsal surface of the sacrum")
    levels_written: str = ""  # its levels as written ("L1–L3", "atlas")

    @property
    def terms(self) -> tuple[Term, ...]:
        return self.head + self.detail

    @property
    def text(self) -> str:
        return " ".join(t.surface for t in self.head + self.detail)

    @property
    def shown(self) -> str:
        """The part as the answer writes it, for a student to read."""
        if self.written:
            return self.written
        words = " ".join(dict.fromkeys(t.shown for t in self.head + self.detail))
        return f"{words} {level_text(self.levels)}".strip() if self.levels else words


Tagged = tuple[Term, bool]  # a term, and whether it is inside brackets


def _words(tokens: list[Tagged]) -> list[Term]:
    return [t for t, aside in tokens if not aside and t.canon not in SEPARATORS]


def _items(stream: tuple[Term, ...]) -> list[tuple[list[Tagged], bool]]:
    """Hard items (lines, semicolons outside brackets), each term marked if in brackets,
    and whether the item is a hedge ("…; some texts add …").

    An item after a semicolon that only says more ("; through the patellar ligament, …")
    stays with the item before it.
    """
    items: list[tuple[list[Tagged], bool]] = [([], False)]
    depth = 0
    for term in stream:
        if term.canon == "(":
            depth += 1
        elif term.canon == ")":
            depth = max(0, depth - 1)
        elif term.canon in _HARD and depth == 0:
            items.append(([], term.canon == ";"))
        else:
            items[-1][0].append((term, depth > 0))
    joined: list[tuple[list[Tagged], bool]] = []
    for tokens, after_semicolon in items:
        words = _words(tokens)
        if not words:
            continue
        first = words[0]
        if joined and after_semicolon and first.surface in _DETAIL:
            joined[-1][0].extend([(Term(",", ","), False), *tokens])
        else:
            hedge = after_semicolon and joined and first.canon in QUALIFIERS
            joined.append((tokens, bool(hedge)))
    return joined


def _label(item: list[Tagged]) -> tuple[list[Term], list[Tagged], bool]:
    """A leading ``Label:`` and the rest; whether the label carries the answer."""
    for i, (term, aside) in enumerate(item):
        if term.canon == ":" and not aside:
            label = _words(item[:i])
            if 0 < len(label) <= 6:
                carries = any(t.canon in GENERIC - _LABEL_WORDS for t in label)
                return label, item[i + 1 :], carries
            break
    return [], item, False


def _partners(a: Term, b: Term) -> bool:
    """Two words coordinated as qualifiers of one thing ("anterior and posterior")."""
    if a.surface in _DETAIL or b.surface in _DETAIL:
        return False  # "the vertebra above, lateral side of …"
    ka, kb = kind_of(a.canon), kind_of(b.canon)
    if ka == kb == "side":
        return True
    if a.surface in _DIGIT_NAMES and (b.surface in _DIGIT_NAMES or is_number(b.canon)):
        return True
    if is_number(a.canon) and is_number(b.canon):
        return True
    return a.canon in COORDINATED and b.canon in COORDINATED


def _pieces(body: list[Tagged]) -> list[tuple[str, list[Tagged]]]:
    """The body cut at list marks, each piece with the mark before it."""
    pieces: list[tuple[str, list[Tagged]]] = [("", [])]
    for i, (term, aside) in enumerate(body):
        if term.canon in _SOFT and not aside:
            words = _words(pieces[-1][1])
            following = next(
                (t for t, a in body[i + 1 :] if not a and t.canon not in SEPARATORS), None
            )
            pairing = (
                term.canon == "and"
                and any(w.surface in _PAIRING for w in words)
                and not any(t.canon in _SOFT for t, a in pieces[-1][1] if not a)
            )
            bare = len(words) < 2 or (
                kind_of(words[-2].canon) == "filler" or words[-2].surface in _DETAIL
            )
            if pairing or (words and following and bare and _partners(words[-1], following)):
                pieces[-1][1].append((term, aside))
                continue
            pieces.append((term.canon, []))
            continue
        pieces[-1][1].append((term, aside))
    return [(sep, p) for sep, p in pieces if _words(p) or any(a for _, a in p)]


def _kinds(piece: list[Tagged]) -> set[str]:
    return {kind_of(t.canon) for t in _words(piece)} - {"filler"}


def _opens_detail(piece: list[Tagged]) -> bool:
    """Says more about the piece before: "via …", "mainly at …", "segmentally",
    "giving power to the grip", "anterior division"."""
    words = _words(piece)
    if not words:
        return True
    first = words[0]
    kinds = _kinds(piece)
    if first.surface in _DETAIL:
        return True
    if "movement" in kinds:
        return False  # "weakly plantarflexes the foot": an action of its own
    if first.canon in QUALIFIERS:
        return True
    if first.surface.endswith("ly") and len(first.surface) > 4:
        return True  # "segmentally"
    return kinds <= {"side", "qualifier", "generic", "number"} and "generic" in kinds


def _only_qualifiers(piece: list[Tagged]) -> bool:
    kinds = _kinds(piece)
    return bool(kinds) and kinds <= {"side", "qualifier", "number"}


def _is_count(piece: list[Tagged]) -> bool:
    words = _words(piece)
    return bool(words) and all(is_level(t.canon) or is_number(t.canon) for t in words)


def _only_movements(piece: list[Tagged]) -> bool:
    kinds = _kinds(piece)
    return "movement" in kinds and kinds <= {"movement", "side", "qualifier"}


def _generic_only(piece: list[Tagged]) -> Term | None:
    words = [t for t in _words(piece) if kind_of(t.canon) != "filler"]
    return words[0] if len(words) == 1 and words[0].canon in GENERIC else None


def _object(piece: list[Tagged]) -> list[Tagged]:
    """What a piece's movement acts on: the words after its last movement up to a detail
    ("the thigh" of "extends the thigh at the hip"); none without a thing named."""
    said = [(t, a) for t, a in piece if not a and t.canon not in SEPARATORS]
    moves = [i for i, (t, _) in enumerate(said) if kind_of(t.canon) == "movement"]
    if not moves:
        return []
    target: list[Tagged] = []
    for term, aside in said[moves[-1] + 1 :]:
        if term.surface in _DETAIL:
            break
        target.append((term, aside))
    named = any(kind_of(t.canon) in _NOUNS for t, _ in target)
    return target if named else []


def _merge(pieces: list[tuple[str, list[Tagged]]]) -> list[list[Tagged]]:
    """Join the pieces that are not parts of their own (see the module's docstring)."""
    merged: list[list[Tagged]] = []
    waiting: list[Tagged] = []
    comma: Tagged = (Term(",", ","), False)
    for i, (sep, piece) in enumerate(pieces):
        before = merged[-1] if merged and not waiting else None
        following = pieces[i + 1][1] if i + 1 < len(pieces) else None
        generic = _generic_only(piece)
        if before is not None and generic is not None:
            own = [t for t in _words(before) if t.canon in GENERIC]
            if own and own[-1].canon != generic.canon:  # "femoral artery and vein"
                merged.append([(generic if t is own[-1] else t, a) for t, a in before])
                continue
        if before is not None and (_opens_detail(piece) or (_is_count(piece) and sep == ",")):
            before.extend([comma, *piece])
            continue
        if (
            before is not None
            and sep in ("and", "or", "&")
            and "movement" in _kinds(before)
            and "movement" not in _kinds(piece)
        ):
            before.extend(piece)  # "flexes the trunk and lumbar spine"
            continue
        if _only_movements(piece) and before is not None:
            # "extends the thigh, laterally rotates, steadies the knee": a movement said
            # without its object acts on the one before, unless "and" shares the next one.
            after = pieces[i + 1][0] if following is not None else ""
            target = _object(before) if after not in ("and", "or", "&") else []
            if target:
                merged.append(piece + target)
                continue
        if _only_qualifiers(piece) or (
            _only_movements(piece) and following is not None and "movement" in _kinds(following)
        ):
            waiting.extend(piece)
            continue
        merged.append(waiting + piece)
        waiting = []
    if waiting:
        if merged:
            merged[-1].extend(waiting)
        else:
            merged.append(waiting)
    return merged


def _in_motion(head: list[Term], detail: list[Term]) -> tuple[list[Term], list[Term]]:
    """In an action, moving a segment is moving it at its joint ("thigh" -> "hip"); the
    joint named again in the detail ("the thigh at the hip") is said once, in the head."""
    if not any(t.canon in MOVEMENTS for t in head + detail):
        return head, detail
    head = [replace(t, canon=JOINT_SEGMENTS.get(t.canon, t.canon)) for t in head]
    if detail and detail[0].surface == "at":  # "flexes the thigh at the hip"
        detail = [replace(t, canon=JOINT_SEGMENTS.get(t.canon, t.canon)) for t in detail]
    said = {t.canon for t in head}
    joints = set(JOINT_SEGMENTS.values())
    return head, [t for t in detail if not (t.canon in joints and t.canon in said)]


def _keep(term: Term) -> bool:
    return term.canon not in SEPARATORS and term.canon not in IGNORED


def _prefix(head: list[Term]) -> frozenset[str]:
    """The leading words that say where on the thing: "lateral side of", "outer surfaces
    of the lateral parts of", "upper fibres", "medial half of the lower border of"."""
    named = [t for t in head if kind_of(t.canon) != "filler"]
    prefix: list[Term] = []
    level: list[Term] = []
    for term in head:
        kind = kind_of(term.canon)
        if term.canon == "of":
            placed = any(kind_of(t.canon) == "side" or t.canon in _PLACE for t in level)
            sided = any(kind_of(t.canon) == "side" for t in level)
            if not level or not placed or (prefix and not sided):
                break
            prefix += level
            level = []
        elif kind in ("side", "qualifier") or term.canon in _PLACE or is_number(term.canon):
            level.append(term)
        elif kind == "filler":
            continue
        else:
            if any(t.canon in _PLACE for t in level) and not prefix:
                prefix += level  # "Upper fibres elevate the scapula"
            break
    if not prefix or len(prefix) >= len(named):
        return frozenset()
    return frozenset(t.canon for t in prefix)


def _coordinated(head: list[Term]) -> list[list[Term]]:
    """ "medial and lateral femoral condyles" -> the medial one and the lateral one."""
    sides = [i for i, t in enumerate(head) if kind_of(t.canon) == "side"]
    if len(sides) < 2 or sides != list(range(sides[0], sides[0] + len(sides))):
        return [head]
    after = head[sides[-1] + 1 :]
    nouns = [t for t in after if kind_of(t.canon) not in ("filler", "qualifier")]
    if sides[0] != 0 or not nouns or nouns[0].canon in _PLACE:
        return [head]
    if kind_of(nouns[0].canon) == "movement":
        return [head]
    group = [head[i] for i in sides]
    canons = {t.canon for t in group}
    if not any(len(canons & g) >= 2 for g in OPPOSITES):
        return [head]
    return [[side, *after] for side in group]


def _movements(head: list[Term]) -> list[list[Term]]:
    """One head per movement, each with the words before it and the shared object."""
    groups: list[list[Term]] = []
    pending: list[Term] = []
    shared: list[Term] = []
    for term in head:
        kind = kind_of(term.canon)
        if kind == "movement":
            groups.append([*pending, term])
            pending = []
        elif kind in ("side", "qualifier") and not shared:
            pending.append(term)
        else:
            shared.append(term)
    if len(groups) < 2:
        return [head]
    return [group + pending + shared for group in groups]


def _part(
    piece: list[Tagged], label: list[Term], carries: bool, weight: float, text: str
) -> list[Part]:
    main = [t for t, aside in piece if not aside]
    aside = [t for t, a in piece if a and _keep(t)]
    cut = len(main)
    for i, term in enumerate(main):
        if i and (term.surface in _DETAIL or term.canon == ",") and any(_keep(t) for t in main[:i]):
            previous = [t for t in main[:i] if _keep(t)][-1]
            if term.surface == "to" and previous.canon in GENERIC:
                continue  # "nerve to piriformis" is the nerve's name
            cut = i
            break
    head = [t for t in main[:cut] if _keep(t)]
    detail = [t for t in main[cut:] if _keep(t)]
    if carries:  # "Lateral pectoral nerve: clavicular head": the nerve is the answer
        head, detail = label, head + detail
    elif label:  # "Both sides: extend …": the label may be said or not
        aside = aside + [t for t in label if _keep(t)]
    head, detail = _in_motion(head, detail)
    levels = frozenset(
        x for t in head + detail if is_level(t.canon) for x in t.canon[3:].split("_")
    )
    options = [levels] if levels else []
    options += [frozenset(t.canon[3:].split("_")) for t in aside if is_level(t.canon)]
    levels_written = " ".join(dict.fromkeys(t.written for t in head + detail if is_level(t.canon)))
    numbers = frozenset(t.canon for t in head + detail if is_number(t.canon))
    aside_numbers = frozenset(t.canon for t in aside if is_number(t.canon))
    number_options = (numbers, numbers | aside_numbers) if aside_numbers else (numbers,)
    base = Part(
        head=tuple(t for t in head if not is_level(t.canon)),
        detail=tuple(t for t in detail if not is_level(t.canon)),
        aside=tuple(t for t in aside if not is_level(t.canon)),
        levels=levels,
        level_options=tuple(options),
        numbers=numbers,
        weight=weight,
        prefix=_prefix(head),
        number_options=number_options,
        levels_written=levels_written,
    )
    heads = [h for m in _movements(list(base.head)) for h in _coordinated(m)]
    if len(heads) == 1:
        return [_written(base, head + detail, text)]
    counted = [t for t in head + detail if is_level(t.canon)]
    return [
        _written(
            replace(base, head=tuple(h), weight=weight / len(heads), prefix=_prefix(h)),
            [*h, *detail, *counted],
            text,
        )
        for h in heads
    ]


_PRONOUNS = frozenset({"it", "them", "they"})
_NOUNS = frozenset({"term", "bone", "landmark", "region", "generic"})


def _resolved(part: Part, before: Part | None) -> Part:
    """ "…, rotates it to the opposite side": it is what the part before named."""
    if before is None or not any(t.surface in _PRONOUNS for t in part.head):
        return part
    nouns = tuple(t for t in before.head if kind_of(t.canon) in _NOUNS)
    return replace(part, head=part.head + nouns)


# What may stand between two words of one part as written: spaces, punctuation, articles
# and list words ("between the anterior and posterior gluteal lines"); not brackets, not
# a new line, not a word of another part ("Medial [and lateral] femoral condyles").
_GAP = re.compile(r"(?:[^\w()\n]|\b(?:the|a|an|and|or|s)\b)*", re.IGNORECASE)


def _written(part: Part, words: list[Term], text: str) -> Part:
    """The part with its text as the answer writes it: its words' stretches of ``text``."""
    spans = sorted((t.start, t.end) for t in words if t.start >= 0)
    runs: list[list[int]] = []
    for start, end in spans:
        if runs and (start <= runs[-1][1] or _GAP.fullmatch(text[runs[-1][1] : start])):
            runs[-1][1] = max(runs[-1][1], end)
        else:
            runs.append([start, end])
    return replace(part, written=" ".join(text[a:b] for a, b in runs))


@lru_cache(maxsize=8192)
def parts(text: str) -> tuple[Part, ...]:
    """The parts of an answer in the order written; weights add up to the number of items."""
    out: list[Part] = []
    for number, (item, hedge) in enumerate(_items(terms(text))):
        label, body, carries = _label(item)
        pieces = _merge(_pieces(body))
        for piece in pieces:
            for part in _part(piece, label, carries, 0.0 if hedge else 1 / len(pieces), text):
                out.append(replace(_resolved(part, out[-1] if out else None), item=number))
    return tuple(out)
