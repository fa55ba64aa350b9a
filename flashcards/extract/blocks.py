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
    name: str | None = None  # a name written before inline labels ("Sartorius — O: …")


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
        return parse_label_line(line.text, self.single_letters) or self.spaced.get(index)

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
        hit = self.label(index)
        if within_list:
            return hit is not None and (hit.target is not None or not hit.value)
        return hit is not None

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
        if line.text and not line.heading and parse_label_line(line.text) is None:
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
    if not line.text:
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
    inline = [] if line.heading else split_inline_labels(line.text, r.single_letters)
    if inline:
        name = text_before_inline_labels(line.text, r.single_letters) or None
        for inline_hit in inline:
            r.blocks.append(
                Block(
                    "field",
                    line.number,
                    target=inline_hit.target,
                    items=[inline_hit.value],
                    name=name,
                )
            )
        r.at += 1
        return
    hit = r.label(r.at)
    if hit is not None and hit.target is not None:
        _field(r, hit)
        return
    if hit is not None:  # an unknown label ends what came before; its text stays prose
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
    block = Block("field", line.number, target=hit.target)
    r.blocks.append(block)
    label_index = r.at
    r.at += 1
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
    r.at = following
    paragraphs = 0
    while r.at < len(r.lines) and paragraphs < MAX_SECTION_PARAGRAPHS:
        items = _lines_below(r)
        if not items or any(_SECOND_PERSON.search(i) for i in items):
            break
        block.items.extend(items)
        paragraphs += 1
        following = r.next_text(r.at)
        if not heading_like or following is None or r.ends_value(following, within_list=True):
            break
        if _looks_like_heading(r, following):
            break
        r.at = following


def _value_on_line(r: _Reader, value: str) -> list[str]:
    """A label's value on its own line, with the lines that continue it: wrapped text,
    and sub-labelled lines such as "Superficial part: …" under "Origin: Deep part: …"."""
    items = [value]
    while True:
        while r.at < len(r.lines):
            hit = r.label(r.at)
            line = r.lines[r.at]
            if hit is not None and hit.target is None and hit.value and not line.bullet:
                items.append(line.text)
            elif r.ends_value(r.at):
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
        starts_new = text[:1].isupper() or text[:1].isdigit()
        if items and (not starts_new or re.search(r"[,;(]$|\b(?:and|or|of|the)$", items[-1])):
            items[-1] += " " + text
        else:
            items.append(text)
        r.at += 1
    return items


def _bullets(r: _Reader) -> None:
    block = Block("bullets", r.lines[r.at].number)
    while r.at < len(r.lines) and r.lines[r.at].bullet and r.label(r.at) is None:
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
    if not (text[:1].isupper() or text[:1].isdigit()) or has_fact_phrase(text):
        return False
    before = r.line(index - 1)
    after = r.line(index + 1)
    alone_before = before is None or not before.text or bool(before.heading)
    ends = after is None or not after.text or r.label(index + 1) is not None or after.bullet
    # A muscle's name on its own short line heads what follows, even without a gap.
    named = len(text.split()) <= 8 and name_in(text) is not None
    return alone_before and (ends or named)


def _paragraph(r: _Reader) -> None:
    start = r.lines[r.at].number
    parts = [r.lines[r.at].text]
    r.at += 1
    while r.at < len(r.lines) and not r.ends_value(r.at):
        parts.append(r.lines[r.at].text)
        r.at += 1
    r.blocks.append(Block("prose", start, text=" ".join(parts)))
