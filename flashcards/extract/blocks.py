"""A page's lines grouped into blocks: headings, labelled values, tables, prose.

This is the layout half of extraction, and knows nothing of structures: a labelled value
is "the insertion" whoever it belongs to. What a label's value is depends on how the page
is laid out:

- ``Origin: ASIS`` — the rest of the line, and the lines that continue it (wrapped text;
  also across a blank line when the sentence plainly goes on in lower case);
- ``Origin`` (or ``Origin:``, ``## Origin``) alone — the lines below it: a bullet list,
  one item a line, or, under a heading, its paragraphs up to the next heading or label;
- ``O: ASIS; I: pes anserinus`` — several labels on one line, maybe after a name.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flashcards.extract.labels import (
    SINGLE_LETTERS,
    LabelHit,
    is_reference_line,
    label_muscle,
    label_target,
    parse_label_line,
    spaced_label,
    split_inline_labels,
    text_before_inline_labels,
)
from flashcards.extract.names import name_in
from flashcards.extract.page import PageLine
from flashcards.extract.prose import has_fact_phrase
from flashcards.extract.tables import flattened_table, is_table_row, table_cells

__all__ = ["Block", "page_blocks"]

MAX_SECTION_PARAGRAPHS = 3
# Labels of a part of the structure, whose lines go on with the value above them.
_PART_LABEL = re.compile(
    r"\b(?:part|parts|head|heads|fibres|fibers|portion|belly|layer|slips?|contraction)$|"
    r"^(?:uni|bi)laterally\b",
    re.IGNORECASE,
)
_NOT_FACTS = ("ignore", "prose", "name", "aliases")
# A sentence that runs on into the list below it ("… originates from the:").
_LEADS_TO_LIST = re.compile(r"\b(?:from|into|onto|on|to|at|by|in|upon)(?:\s+the)?\s*:$", re.I)
_SECOND_PERSON = re.compile(r"\b(?:you|your)\b", re.IGNORECASE)


@dataclass
class Block:
    kind: str  # heading | field | label | prose | table | bullets
    line: int
    text: str = ""  # heading, prose, or an unknown label's text
    target: str | None = None  # field: what the label means
    items: list[str] = field(default_factory=list)  # field values or bullet items
    rows: list[list[str]] = field(default_factory=list)  # table
    level: int = 0  # heading level (0: a line that only looks like a heading)
    name: str | None = None  # the muscle a label names ("Sartorius — O: …", "Origin of X")
    continued: bool = False  # "Muscle Actions (Continued):": more of the field above


@dataclass
class _Reader:
    lines: Sequence[PageLine]
    single_letters: bool
    at: int = 0
    blocks: list[Block] = field(default_factory=list)
    spaced: dict[int, LabelHit] = field(default_factory=dict)  # infobox lines without a tab

    def line(self, index: int) -> PageLine | None:
        return self.lines[index] if 0 <= index < len(self.lines) else None

    def label(self, index: int) -> LabelHit | None:
        line = self.line(index)
        if line is None or not line.text:
            return None
        hit = parse_label_line(line.text, self.single_letters)
        if (hit is None or hit.target is None) and index in self.spaced:
            return self.spaced[index]
        return hit

    def known_label(self, index: int) -> bool:
        hit = self.label(index)
        return hit is not None and hit.target is not None

    def ends_value(self, index: int, within_list: bool = False) -> bool:
        """A line that starts something new rather than continuing a value.

        ``within_list``: the lines under a lone label, where "Anterior fibres: …" is an
        item, not a new label; only labels the extractor knows end the list.
        """
        line = self.lines[index]
        if not line.text or line.heading or line.bullet or is_table_row(line.text):
            return True
        if is_reference_line(line.text):
            return True
        if _names_a_muscle(line.text) and not self.continues_sentence(index):
            return True
        hit = self.label(index)
        if within_list:
            return hit is not None and (hit.target is not None or not hit.value)
        return hit is not None

    def continues_sentence(self, index: int) -> bool:
        """A line that goes on with the sentence above it, as in a page copied with a
        line break at every link ("The\nsupraspinatus (plural\n…")."""
        before = self.line(index - 1)
        if before is None or not before.text or before.heading or before.bullet:
            return False
        text = self.lines[index].text
        if re.search(r"[.!?:;]$", before.text):
            return False
        return text[:1].islower() or bool(
            re.search(r"(?:[(,]|\b(?:the|of|and|or|a|an|to|from|by|with|as|in))$", before.text)
        )

    def next_text(self, index: int) -> int | None:
        while index < len(self.lines) and not self.lines[index].text:
            index += 1
        return index if index < len(self.lines) else None


def _uses_single_letters(lines: Sequence[PageLine]) -> bool:
    """'O:', 'I:', 'N:', 'A:' are labels only on a page that uses at least two of them."""
    seen = set()
    for line in lines:
        for match in re.finditer(r"(?:^|[\s;|,(])([OINA])\s*:\s", line.text):
            seen.add(match.group(1).lower())
    return len(seen & set(SINGLE_LETTERS)) >= 2


def _spaced_labels(lines: Sequence[PageLine]) -> dict[int, LabelHit]:
    """Lines like 'Origin anterior surface of the sacrum' in a run of two or more."""
    found: dict[int, LabelHit] = {}
    for index, line in enumerate(lines):
        parsed = parse_label_line(line.text) if line.text else None
        if line.text and not line.heading and (parsed is None or parsed.target is None):
            hit = spaced_label(line.text)
            if hit is not None:
                found[index] = hit
    return {i: hit for i, hit in found.items() if i - 1 in found or i + 1 in found}


def page_blocks(lines: Sequence[PageLine]) -> list[Block]:
    reader = _Reader(lines, _uses_single_letters(lines))
    reader.spaced = _spaced_labels(lines)
    while reader.at < len(lines):
        _read_one(reader)
    return reader.blocks


def _read_one(r: _Reader) -> None:
    line = r.lines[r.at]
    if not line.text or (is_reference_line(line.text) and not line.heading):
        r.at += 1
        return
    if is_table_row(line.text) and not line.heading:
        _table(r)
        return
    flat = None if line.heading or line.bullet else flattened_table(r.lines, r.at)
    if flat is not None:
        rows, r.at = flat
        r.blocks.append(Block("table", line.number, rows=rows))
        return
    named = None if line.heading else parse_label_line(line.text)
    if (
        named is not None
        and named.target is None
        and len(named.value.split()) > 3
        and _names_a_muscle(named.label)
    ):
        # "1. Biceps femoris: This muscle has two heads …": a name, then its sentences.
        r.blocks.append(Block("heading", line.number, text=named.label, level=4))
        r.blocks.append(Block("prose", line.number, text=named.value))
        r.at += 1
        return
    if named is not None and named.target is None and not named.value and name_in(named.label):
        # "Iliacus:" alone on its line, over its labelled lines: a heading.
        r.blocks.append(Block("heading", line.number, text=named.label, level=4))
        r.at += 1
        return
    asked = None if line.heading else _asked_name(line.text)
    if asked is not None:
        r.blocks.append(Block("heading", line.number, text=asked, level=3))
        r.at += 1
        return
    inline = [] if line.heading else split_inline_labels(line.text, r.single_letters)
    if inline:
        name = text_before_inline_labels(line.text, r.single_letters) or None
        for inline_hit in inline:
            r.blocks.append(
                Block(
                    "field",
                    line.number,
                    target=inline_hit.target,
                    # "Dorsiflexes the ankle • Inverts the foot": a sidebar's list
                    items=[v for v in re.split(r"\s+[•·▪]\s+", inline_hit.value) if v],
                    name=name
                    or (
                        label_muscle(inline_hit.label)
                        if inline_hit.target not in _NOT_FACTS
                        else None
                    ),
                )
            )
        r.at += 1
        return
    hit = r.label(r.at)
    if hit is not None and hit.target is not None:
        _field(r, hit)
        return
    if hit is not None and not line.bullet:  # an unknown label ends what came before
        r.blocks.append(Block("label", line.number, text=hit.label))
        if not hit.value:
            r.at += 1
            return
    if line.heading:
        r.blocks.append(Block("heading", line.number, text=line.text, level=line.heading))
        r.at += 1
        return
    if line.bullet:
        _bullets(r)
        return
    if _looks_like_heading(r, r.at):
        r.blocks.append(Block("heading", line.number, text=line.text))
        r.at += 1
        return
    _paragraph(r)


_ASKED = re.compile(
    r"^(?P<labels>[A-Za-z][A-Za-z ,+&/]*?)\s+(?:of|for)\s+(?:the\s+)?"
    r"(?P<name>[A-Za-z][A-Za-z -]{2,40}?)\s*[?:]?$"
)


def _names_a_muscle(text: str) -> bool:
    """A short line that is a muscle's name ("Rectus femoris muscle") or asks about one."""
    if _asked_name(text) is not None:
        return True
    return len(text.split()) <= 5 and name_in(text) is not None and not has_fact_phrase(text)


def _asked_name(text: str) -> str | None:
    """'Origin, insertion, action + blood supply of the platysma' names the platysma."""
    match = _ASKED.match(text)
    if match is None:
        return None
    words = [w for w in re.split(r"\s*(?:,|\+|&|/|\band\b)\s*", match.group("labels")) if w.strip()]
    if len(words) < 2 or any(label_target(w) is None and w.lower() != "description" for w in words):
        return None
    if len({label_target(w) for w in words}) < 2:
        return None  # "Muscle Action/Function of Deltoid": one label, two words for it
    named = name_in(match.group("name"))
    return match.group("name") if named is not None else None


def _table(r: _Reader) -> None:
    start = r.lines[r.at].number
    rows: list[list[str]] = []
    while r.at < len(r.lines) and r.lines[r.at].text and is_table_row(r.lines[r.at].text):
        cells = table_cells(r.lines[r.at].text)
        if cells is not None:
            rows.append(cells)
        r.at += 1
    r.blocks.append(Block("table", start, rows=rows))


def _continues(value: str, next_text: str) -> bool:
    """Across a blank line, a value goes on when its sentence plainly does."""
    return not re.search(r"[.!?:;)\]]$", value) and next_text[:1].islower()


def _field(r: _Reader, hit: LabelHit) -> None:
    line = r.lines[r.at]
    assert hit.target is not None
    block = Block(
        "field",
        line.number,
        target=hit.target,
        # "Semitendinosus ORIGIN:", "Origin of Deltoid" (not "Psoas Stretch", a title)
        name=label_muscle(hit.label) if hit.target not in _NOT_FACTS else None,
        continued=re.search(r"\bcontinued\b", hit.label, re.IGNORECASE) is not None,
    )
    r.blocks.append(block)
    label_index = r.at
    r.at += 1
    if hit.value and hit.target == "ignore":
        block.items.append(hit.value)  # "By: …", "Latin: …": a line, never the text below
        return
    if hit.value:
        block.items.extend(_value_on_line(r, hit.value))
        return
    # The value is on the lines below the label. A label standing alone between blank
    # lines (or marked as a heading) heads a section: its value may run over paragraphs.
    before, after = r.line(label_index - 1), r.line(label_index + 1)
    heading_like = bool(line.heading) or (
        (before is None or not before.text) and (after is None or not after.text)
    )
    following = r.next_text(r.at)
    if following is None:
        return
    if r.known_label(following) and not r.lines[following].bullet:
        return  # "Attachments" over "Origin: …" and "Insertion: …": a heading, no value
    if r.lines[following].bullet:
        r.at = following
        while r.at < len(r.lines):
            current = r.lines[r.at]
            if current.bullet and not r.known_label(r.at):
                block.items.append(current.text)
            elif current.text:
                break
            r.at += 1
        return
    if following > r.at and not heading_like:
        return  # a blank line, then something else: the label had no value
    if _sub_labels(r, block, following):
        return
    r.at = following
    paragraphs = 0
    while r.at < len(r.lines) and paragraphs < MAX_SECTION_PARAGRAPHS:
        items = _lines_below(r)
        following = r.next_text(r.at)
        if (
            items
            and _LEADS_TO_LIST.search(items[-1])
            and has_fact_phrase(items[-1])
            and following == r.at
            and r.lines[r.at].bullet
        ):
            # "The brachialis muscle originates from the:" over a list: the list
            items = items[:-1] + _bullet_items(r)
        # A paragraph that speaks to the reader from its start is an instruction ("Lie
        # on your back …"), not the value; one such sentence inside a paragraph of facts
        # is left to the sentence reader.
        if not items or _SECOND_PERSON.search(re.split(r"(?<=[.!?])\s", items[0])[0]):
            break
        block.items.extend(items)
        paragraphs += 1
        following = r.next_text(r.at)
        if not heading_like or following is None or r.ends_value(following, within_list=True):
            break
        if _defines_a_muscle(r.lines[following].text):
            break  # "The semitendinosus is a long muscle …": the next muscle's section
        if _looks_like_heading(r, following):
            break
        r.at = following


def _bullet_items(r: _Reader) -> list[str]:
    items = []
    while r.at < len(r.lines) and r.lines[r.at].bullet and not r.known_label(r.at):
        items.append(r.lines[r.at].text)
        r.at += 1
    return items


def _defines_a_muscle(text: str) -> bool:
    named = name_in(" ".join(text.split()[:4]))
    return (
        named is not None
        and re.match(
            r"(?:the\s+)?[\w\s-]{3,40}?\s+(?:muscle\s+)?(?:is|are)\s+(?:a|an|the|one)\b",
            text,
            re.IGNORECASE,
        )
        is not None
    )


def _sub_labels(r: _Reader, block: Block, index: int) -> bool:
    """Under a lone label, sub-labels each over their own lines ("Muscle Actions:" /
    "Anterior Head:" / "a. Flexes the arm …"): items "Anterior Head: Flexes the arm …"."""
    found = False
    following: int | None = index
    while following is not None:
        sub = r.label(following)
        line = r.lines[following]
        if sub is None or sub.target is not None or sub.value or line.heading or line.bullet:
            break
        r.at = following + 1
        items: list[str] = []
        start = r.next_text(r.at)
        if start is not None and start == r.at and r.lines[start].bullet:
            while r.at < len(r.lines) and r.lines[r.at].bullet and r.label(r.at) is None:
                items.append(r.lines[r.at].text)
                r.at += 1
        elif start is not None and start == r.at:
            items = _lines_below(r)
        if not items:
            r.at = following
            break
        block.items += [f"{sub.label}: {item}" for item in items]
        found = True
        following = r.next_text(r.at)
    return found


def _new_sentence(value: str, text: str) -> bool:
    """'ACTIONS - lateral flexor of spine' and, on the next line, 'The QL also gives …':
    a sentence of its own, not the value wrapped."""
    return (
        re.match(r"(?:The|It|This|These|They|Its|In|As|When)\s", text) is not None
        and len(text.split()) >= 8
        and re.search(r"[.!?]$", text) is not None
        and re.search(r"(?:[,(]|\b(?:the|of|and|or|to|from|by|with|in))$", value) is None
    )


def _value_on_line(r: _Reader, value: str) -> list[str]:
    """A label's value on its own line, with the lines that continue it: wrapped text,
    and sub-labelled lines such as "Superficial part: …" under "Origin: Deep part: …"."""
    items = [value]
    while True:
        while r.at < len(r.lines):
            hit = r.label(r.at)
            line = r.lines[r.at]
            if (
                hit is not None
                and hit.target is None
                and hit.value
                and not line.bullet
                and _PART_LABEL.search(hit.label)
            ):
                items.append(line.text)
            elif r.ends_value(r.at) or _new_sentence(items[-1], line.text):
                break
            else:
                items[-1] += " " + line.text
            r.at += 1
        following = r.next_text(r.at)
        if following is None or r.ends_value(following):
            return items
        if not _continues(items[-1], r.lines[following].text):
            return items
        r.at = following


def _lines_below(r: _Reader) -> list[str]:
    """Items of the lines under a lone label: one a line, wrapped lines joined."""
    items: list[str] = []
    while r.at < len(r.lines) and not r.ends_value(r.at, within_list=True):
        text = r.lines[r.at].text
        if (
            items
            and items[-1].endswith(".")
            and len(items[-1].split()) > 10
            and len(text.split()) <= 6
            and not re.search(r"[.,;:]$", text)
        ):
            break  # after a full sentence, a short title line ("Test yourself")
        starts_new = text[:1].isupper() or text[:1].isdigit()
        if items and (not starts_new or re.search(r"[,;(]$|\b(?:and|or|of|the)$", items[-1])):
            items[-1] += " " + text
        else:
            items.append(text)
        r.at += 1
    return items


def _bullets(r: _Reader) -> None:
    block = Block("bullets", r.lines[r.at].number)
    while r.at < len(r.lines) and r.lines[r.at].bullet and not r.known_label(r.at):
        # An item may carry a label of its own ("Adduction of the arm: This means …").
        block.items.append(r.lines[r.at].text)
        r.at += 1
    if block.items:
        r.blocks.append(block)
    else:
        r.at += 1


def _looks_like_heading(r: _Reader, index: int) -> bool:
    line = r.lines[index]
    text = line.text
    if line.heading:
        return True
    if len(text) > 100 or len(text.split()) > 12 or re.search(r"[.,;]$", text):
        return False
    # A dictionary's headword ("psoas major (muscle)") is a title whatever its case.
    headword = len(text.split()) <= 6 and name_in(text) is not None and not has_fact_phrase(text)
    if headword and (index == 0 or not any(x.text for x in r.lines[max(0, index - 3) : index])):
        return True
    before, after = r.line(index - 1), r.line(index + 1)
    if headword and not r.continues_sentence(index):
        # A muscle's name alone between blank lines, or over a label ("Supraspinatus" /
        # "Origin"), heads what follows even in a page copied without blank lines.
        if (before is None or not before.text) and (after is None or not after.text):
            return True
        if after is not None and after.text and r.label(index + 1) is not None:
            return True
        # … or after a finished sentence, over a new one ("… on one leg." / "Gluteus
        # Minimus" / "The Gluteus Minimus is the smallest …").
        if (
            before is not None
            and re.search(r"[.!?]$", before.text)
            and after is not None
            and after.text[:1].isupper()
        ):
            return True
    if not (text[:1].isupper() or text[:1].isdigit()) or has_fact_phrase(text):
        return False
    alone_before = before is None or not before.text or bool(before.heading)
    ends = after is None or not after.text or r.label(index + 1) is not None or after.bullet
    # A muscle's name on its own short line heads what follows, even without a gap.
    named = len(text.split()) <= 8 and name_in(text) is not None
    return alone_before and (ends or named)


def _cut_short(line: str, following: str) -> bool:
    """A paragraph cut off mid-sentence by the page ("… derived") and the next one
    ("Functionally, the piriformis …"): full-length lines, the second a new sentence."""
    return (
        len(line) >= 60
        and len(following) >= 40
        and re.search(r"[a-z]$", line) is not None
        and re.match(r"[A-Z][a-z]+(?:,|\s)", following) is not None
        and (
            re.search(r"\b(?:the|of|and|or|a|an|to|from|by|with|as|in)$", line) is None
            or re.match(r"[A-Z][a-z]+ly,", following) is not None  # "… and" / "Clinically, …"
        )
    )


def _paragraph(r: _Reader) -> None:
    start = r.lines[r.at].number
    parts = [r.lines[r.at].text]
    r.at += 1
    while r.at < len(r.lines) and not r.ends_value(r.at):
        if _cut_short(parts[-1], r.lines[r.at].text):
            break
        parts.append(r.lines[r.at].text)
        r.at += 1
    r.blocks.append(Block("prose", start, text=" ".join(parts)))
