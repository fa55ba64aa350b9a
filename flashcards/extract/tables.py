"""Tables in fact sheets, whole or flattened.

Three shapes occur:

- one row per structure under a header of labels (``| Muscle | Origin | Insertion |``);
- an infobox: one row per label, its value beside it (``| Origin | Sacrum |``), and
  with more than two columns, one column per structure under a header of names;
- a *flattened* table, copied from a page one cell per line: a run of header lines
  ("Muscle", "Origin", "Insertion", …) and then the cells, row after row.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from flashcards.extract.labels import label_target, parse_label_line
from flashcards.extract.lexicon import find_muscles
from flashcards.extract.page import PageLine

__all__ = ["TableRecord", "flattened_table", "is_table_row", "read_table", "table_cells"]

# Targets a column or a row of a table may have besides canonical fields.
_NAME = "name"
_EMPTY = {"", "-", "–", "—", "n/a", "na", "none", "?", "…"}


@dataclass
class TableRecord:
    name: str | None  # None: the rows describe the structure of the surrounding text
    fields: dict[str, list[str]] = field(default_factory=dict)


def is_table_row(text: str) -> bool:
    return text.startswith("|") or text.count("|") >= 2 or text.count("\t") >= 2


def table_cells(text: str) -> list[str] | None:
    """A row's cells; None for a Markdown separator row (``|---|:---:|``)."""
    if "|" in text:
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
    else:
        cells = [c.strip() for c in text.split("\t")]
    if cells and all(re.fullmatch(r":?-{2,}:?", c) for c in cells if c):
        return None
    return cells


def _target(cell: str) -> str | None:
    target = label_target(cell)
    return None if target in (None, "ignore", "aliases", "attachments") else target


def _value(cell: str) -> str | None:
    text = cell.strip()
    return None if text.lower() in _EMPTY else text


def read_table(rows: Sequence[Sequence[str]]) -> list[TableRecord]:
    """The structure records a table holds; [] when it is not a table of facts."""
    table = [list(r) for r in rows if any(c.strip() for c in r)]
    if not table:
        return []
    header = [_target(c) for c in table[0]]
    fields_in_header = sum(1 for t in header if t not in (None, _NAME))
    if len(table[0]) >= 3 and fields_in_header >= 2:
        return _by_rows(table, header)
    first_column = [_target(r[0]) for r in table if r]
    if sum(1 for t in first_column if t not in (None, _NAME)) >= 1:
        width = max(len(r) for r in table)
        if width <= 2:
            return [_key_value(table)]
        return _by_columns(table)
    return []


def _by_rows(rows: list[list[str]], header: list[str | None]) -> list[TableRecord]:
    name_column = header.index(_NAME) if _NAME in header else 0
    records: list[TableRecord] = []
    for row in rows[1:]:
        if name_column >= len(row) or not _value(row[name_column]):
            continue
        record = TableRecord(row[name_column].strip())
        for column, target in enumerate(header):
            if column == name_column or target in (None, _NAME) or column >= len(row):
                continue
            value = _value(row[column])
            if value:
                record.fields.setdefault(target, []).append(value)
        records.append(record)
    return records


def _key_value(rows: list[list[str]]) -> TableRecord:
    record = TableRecord(None)
    for row in rows:
        target = _target(row[0]) if row else None
        value = _value(row[1]) if len(row) > 1 else None
        if target == _NAME and value:
            record.name = value
        elif target and value:
            record.fields.setdefault(target, []).append(value)
    return record


def _by_columns(rows: list[list[str]]) -> list[TableRecord]:
    names = rows[0][1:] if _target(rows[0][0]) is None or _target(rows[0][0]) == _NAME else []
    body = rows[1:] if names else rows
    records = [TableRecord(n.strip() or None) for n in names] or [TableRecord(None)]
    for row in body:
        target = _target(row[0]) if row else None
        if target is None or target == _NAME:
            continue
        for column, record in enumerate(records, start=1):
            value = _value(row[column]) if column < len(row) else None
            if value:
                record.fields.setdefault(target, []).append(value)
    return records


def _header_cell(line: PageLine) -> str | None:
    if not line.text or line.bullet or len(line.text.split()) > 4:
        return None
    hit = parse_label_line(line.text)
    if hit is None or hit.value or hit.target in (None, "ignore", "aliases", "attachments"):
        return None
    return hit.target


def _looks_like_name(text: str) -> bool:
    words = text.split()
    return 0 < len(words) <= 8 and not text.rstrip().endswith(".") and text[:1].isalpha()


def flattened_table(lines: Sequence[PageLine], start: int) -> tuple[list[list[str]], int] | None:
    """Rows (header first) of a table flattened to one cell a line, and the next index."""
    header: list[str] = []
    index = start
    while index < len(lines) and (target := _header_cell(lines[index])) is not None:
        header.append(lines[index].text)
        index += 1
        if target == _NAME and len(header) > 1:
            return None  # a second name column: not a header row
    targets = [_target(h) for h in header]
    fields = sum(1 for t in targets if t not in (None, _NAME))
    if len(header) < 3 or fields < 2:
        return None
    cells: list[str] = []
    while index < len(lines):
        line = lines[index]
        if not line.text:
            index += 1
            continue
        if line.heading or is_table_row(line.text):
            break
        hit = parse_label_line(line.text)
        if hit is not None and hit.target is not None and hit.value:
            break
        cells.append(line.text)
        index += 1
    if targets[0] != _NAME:
        # No header for the name column: rows still start with a name.
        if not cells or not find_muscles(cells[0]):
            return None
        header = ["Muscle", *header]
    width = len(header)
    rows = [header]
    for at in range(0, len(cells) - len(cells) % width, width):
        row = cells[at : at + width]
        if not _looks_like_name(row[0]):
            break
        rows.append(row)
    if len(rows) < 2:
        return None
    used = sum(len(r) for r in rows[1:])
    # The index after the last cell used: lines beyond it are read again as text.
    end = start + len(header) - (0 if targets[0] == _NAME else 1)
    seen = 0
    while end < len(lines) and seen < used:
        if lines[end].text:
            seen += 1
        end += 1
    return rows, end
