"""Anki's text files, plain CSV/TSV and Quizlet exports -> our decks and notes.

Anki's notes export starts with ``#key:value`` header lines (``#separator:``, ``#html:``,
``#tags:``, ``#columns:``, ``#deck:``, ``#notetype:``, and ``#deck column:``,
``#notetype column:``, ``#tags column:``, ``#guid column:``, numbered from 1); the rows
follow. A plain CSV/TSV may instead start with a row of column names (Front, Back, Tags
…), and Quizlet's export is simply ``term<TAB>definition`` lines. Without a header the
separator is guessed: the first of tab, pipe, semicolon, comma, colon, space that splits
every one of the first rows into the same number (two or more) of columns.

Identity: the deck is keyed by the file's name (and the deck's name when the file names
one), so re-importing the file, edited, updates it; a note by its GUID column when there
is one, else by its question, as a deck-file card without ``id:`` is.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.anki.html import looks_like_html, terminal_text
from flashcards.anki.imported import (
    ImportedDeck,
    ImportedNote,
    ImportedSource,
    guid_part,
    key_part,
)
from flashcards.anki.media import ImportedMedia, hashed_media, rename_media
from flashcards.anki.notetypes import build_notes, shape_of_text_row
from flashcards.anki.package import MAX_MEDIA_FILE_BYTES, check_media_name
from flashcards.authoring.deckfile import Problem
from flashcards.authoring.nodes import card_id, cloze_answers
from flashcards.errors import DeckFileError, FlashcardsError, read_bounded

__all__ = ["MAX_TEXT_BYTES", "TEXT_SUFFIXES", "read_text_file"]

TEXT_SUFFIXES = (".csv", ".tsv", ".txt")
MAX_TEXT_BYTES = 50 * 1024 * 1024
_SEPARATORS = {"tab": "\t", "pipe": "|", "semicolon": ";", "comma": ",", "colon": ":", "space": " "}
_META_LABELS = {"tags": "tags", "deck": "deck", "notetype": "notetype", "note type": "notetype",
                "guid": "guid"}  # fmt: skip
_FIELD_LABELS = {"front", "back", "question", "answer", "term", "definition", "text", "extra",
                 "back extra"}  # fmt: skip
_SNIFF_ROWS = 20
NO_QUESTION = "no question: a card needs a question and an answer"
NO_ANSWER = "no answer: a card needs a question and an answer"


@dataclass
class _Header:
    separator: str | None = None
    html: bool | None = None
    tags: tuple[str, ...] = ()
    labels: list[str] | None = None
    deck: str | None = None
    notetype: str | None = None
    columns: dict[str, int] = field(default_factory=dict)  # meta role -> 0-based column


def _header(lines: list[str]) -> tuple[_Header, int, list[str]]:
    """The ``#key:value`` lines at the top: the header, lines used, and the column labels
    line (parsed once the separator is known)."""
    header = _Header()
    raw_columns: list[str] = []
    used = 0
    for line in lines:
        if not line.startswith("#") and not (used == 0 and line.startswith("tags:")):
            break
        used += 1
        body = line[1:] if line.startswith("#") else line
        key, sep, value = body.partition(":")
        if not sep:
            continue
        key, value = key.strip().lower(), value.rstrip("\r\n")
        if key == "separator":
            chosen = _SEPARATORS.get(value.strip().lower(), value if len(value) == 1 else None)
            header.separator = chosen
        elif key == "html":
            header.html = value.strip().lower() == "true"
        elif key == "tags":
            header.tags = tuple(value.split())
        elif key == "columns":
            raw_columns = [value]
        elif key in ("deck", "notetype"):
            setattr(header, key, value.strip() or None)
        elif key.endswith(" column") and value.strip().isdigit():
            role = key.removesuffix(" column")
            if role in ("deck", "notetype", "tags", "guid") and int(value) > 0:
                header.columns[role] = int(value) - 1
    return header, used, raw_columns


def _split(lines: list[str], separator: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO("".join(lines)), delimiter=separator))


def _sniff(lines: list[str], suffix: str) -> str:
    """The separator that splits the sampled rows evenly, else the first one present."""
    sample = [line for line in lines if line.strip() and not line.startswith("#")][:_SNIFF_ROWS]
    preferred = {".tsv": ["\t"], ".csv": [",", ";"]}.get(suffix, [])
    candidates = preferred + [s for s in _SEPARATORS.values() if s not in preferred]
    for separator in candidates:
        try:
            widths = {len(row) for row in _split(sample, separator)}
        except csv.Error:
            continue
        if len(widths) == 1 and widths.pop() >= 2:
            return separator
    for separator in candidates:  # as Anki does: the first one present at all
        if any(separator in line for line in sample):
            return separator
    return "\t"


_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+[\"'(]?[A-Z0-9]")
_SHORT_QUESTION_WORDS = 15
_TERM_WORDS = 4


def _is_card_line(row: list[str], separator: str) -> bool:
    """A row as a card line looks: a question and an answer split by a separator (a row
    with an empty one is a card line too, reported with its line), and,
    when that separator also occurs in sentences (comma, semicolon, colon, pipe), a short
    question: one sentence at most, and a question or a term rather than the start of a
    sentence the separator cuts in two."""
    cells = [cell.strip() for cell in row]
    if len(cells) < 2:
        return False
    question = cells[0]
    if separator == "\t" or not question or not any(cells[1:]):
        return True  # sentences never hold a tab; a row lacking a field is an error of its own
    if _SENTENCE_END.search(question):  # more than one sentence before the split
        return False
    if question.endswith(("?", ":")):
        return True
    answer = next(cell for cell in cells[1:] if cell)
    if answer[0].islower() and cells[-1].endswith("."):  # one sentence cut at its comma?
        return len(question.split()) <= _TERM_WORDS  # only if what precedes is a term
    return len(question.split()) <= _SHORT_QUESTION_WORDS


def _looks_like_prose(header: _Header, rows: list[tuple[int, list[str]]], separator: str) -> bool:
    """Sentences, not question/answer rows: no header or column labels say how the file is
    split, and most lines are not card lines (or the only split found is at spaces)."""
    if header.separator is not None or header.labels is not None or not rows:
        return False
    if separator == " ":
        pairs = sum(len([cell for cell in row if cell.strip()]) == 2 for _, row in rows)
        return pairs < len(rows)
    cards = sum(_is_card_line(row, separator) for _, row in rows)
    return 2 * cards < len(rows)


def _decode(path: Path) -> str:
    size = path.stat().st_size
    if size > MAX_TEXT_BYTES:
        raise FlashcardsError(
            f"{path}: {size // 1024 // 1024} MB, over the {MAX_TEXT_BYTES // 1024 // 1024} MB "
            "limit for a text file"
        )
    try:
        # Bounded again: a device or a pipe says 0 bytes and never ends.
        return read_bounded(path, MAX_TEXT_BYTES, "a text file").decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise FlashcardsError(
            f"{path}: not UTF-8 text (byte {exc.start}); save it as UTF-8 and import it again"
        ) from exc


class _TextReader:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.source = ImportedSource(path=path)
        self.decks: dict[str, tuple[ImportedDeck, list[ImportedNote]]] = {}
        self.keys: dict[str, int] = {}  # note key -> line
        self.warned_types: set[str] = set()
        self.problems: list[Problem] = []  # rows that make no card: the file is refused

    def rows(self) -> tuple[_Header, list[tuple[int, list[str]]]]:
        lines = _decode(self.path).splitlines(keepends=True)
        header, used, raw_columns = _header(lines)
        body = lines[used:]
        separator = header.separator or ""
        if not separator:
            separator = _sniff(body, self.path.suffix.lower())
        if raw_columns:
            header.labels = _split(raw_columns, separator)[0] if raw_columns[0] else None
        rows: list[tuple[int, list[str]]] = []
        reader = csv.reader(io.StringIO("".join(body)), delimiter=separator)
        start = used + 1
        try:
            for row in reader:
                if row and any(cell.strip() for cell in row) and not row[0].startswith("#"):
                    rows.append((start, [cell.strip() for cell in row]))
                start = used + reader.line_num + 1
        except csv.Error as exc:
            raise FlashcardsError(f"{self.path}:{start}: unreadable row: {exc}") from exc
        if header.labels is None and rows and _is_label_row(rows[0][1]):
            header.labels = rows.pop(0)[1]
        for index, label in enumerate(header.labels or []):
            role = _META_LABELS.get(label.strip().casefold())
            if role is not None:
                header.columns.setdefault(role, index)
        if _looks_like_prose(header, rows, separator):
            raise FlashcardsError(
                f"{self.path}: this reads as prose, not cards (most lines are not a short "
                f"question and an answer split by a tab, comma or semicolon); to make cards from a "
                f"fact sheet, run `flashcards extract {self.path}`, check the deck file it "
                "writes, and import that"
            )
        return header, rows

    def media(self, rows: list[tuple[int, list[str]]]) -> dict[str, str]:
        """Files beside the text file that its fields refer to, stored content-hashed."""
        wanted: set[str] = set()
        for _, row in rows:
            for cell in row:
                wanted.update(rename_media(cell, {}).missing)
        renames: dict[str, str] = {}
        media: list[ImportedMedia] = []
        for name in sorted(wanted):
            candidate = self.path.parent / name
            if check_media_name(name) is not None or not candidate.is_file():
                continue
            if candidate.stat().st_size > MAX_MEDIA_FILE_BYTES:
                self.source.warn(f"media file {name} is over the size limit: left out")
                continue
            item = hashed_media(name, candidate.read_bytes())
            media.append(item)
            renames[name] = item.filename
        self.source.media = media
        return renames

    def deck_for(self, name: str | None, html: bool) -> tuple[ImportedDeck, list[ImportedNote]]:
        stem = self.path.stem
        deck_name = (name or stem)[:500]  # a deck name's room in the database
        key = (
            f"text-{key_part(stem)}" if name is None else f"text-{key_part(stem)}-{key_part(name)}"
        )
        if key not in self.decks:
            deck = ImportedDeck(key=key, name=deck_name, html=html, source_path=str(self.path))
            self.decks[key] = (deck, [])
        return self.decks[key]

    def note_key(self, deck_key: str, guid: str | None, identity: str, line: int) -> str:
        key = f"{deck_key}/{guid_part(guid)}" if guid else f"{deck_key}/{card_id(identity)}"
        if key in self.keys:
            first = self.keys[key]
            self.source.warn(
                f"same {'GUID' if guid else 'question'} as line {first}: kept as another card "
                "(its identity now depends on the order of the rows)",
                line,
            )
            n = 2
            while f"{key}-{n}" in self.keys:
                n += 1
            key = f"{key}-{n}"
        self.keys[key] = line
        return key

    def read(self) -> ImportedSource:
        header, rows = self.rows()
        html = header.html
        if html is None:
            html = any(looks_like_html(cell) for _, row in rows for cell in row)
        renames = self.media(rows) if html else {}
        meta_columns = set(header.columns.values())
        missing: set[str] = set()
        for line, row in rows:

            def cell(role: str, row: list[str] = row) -> str | None:
                index = header.columns.get(role)
                return row[index].strip() if index is not None and index < len(row) else None

            fields = [row[i] for i in range(len(row)) if i not in meta_columns]
            if html:
                renamed = [rename_media(value, renames) for value in fields]
                fields = [r.text for r in renamed]
                missing.update(name for r in renamed for name in r.missing)
            notetype = cell("notetype") or header.notetype
            shape = shape_of_text_row(notetype, fields)
            deck, notes = self.deck_for(cell("deck") or header.deck, html)
            question = fields[shape.question] if fields else ""
            identity = cloze_answers(question) if shape.kind == "cloze" else question
            key = self.note_key(
                deck.key, cell("guid"), terminal_text(identity) if html else identity, line
            )
            meta = {"source": "text", "notetype": notetype} if notetype else {"source": "text"}
            if cell("guid"):
                meta["guid"] = cell("guid") or ""
            tags = header.tags + tuple((cell("tags") or "").split())
            built = build_notes(shape, key, fields, None, tags=tags, meta=meta, as_html=html)
            if built.problem is not None:
                empty = built.problem == "its question field is empty"
                self.error(line, NO_QUESTION if empty else f"no card made: {built.problem}")
                continue
            if any(n.kind != "cloze" and not terminal_text(n.back).strip() for n in built.notes):
                self.error(line, NO_ANSWER)
                continue
            if shape.kind == "other" and (notetype or "") not in self.warned_types:
                self.warned_types.add(notetype or "")
                what = f"note type '{notetype}'" if notetype else "rows with more than 2 fields"
                self.source.warn(
                    f"{what}: neither basic nor cloze; the first field became the question "
                    "and the other fields the answer",
                    line,
                )
            notes.extend(built.notes)
        if missing:
            self.source.warn(
                f"fields refer to {len(missing)} media file(s) not found beside the file: "
                + ", ".join(sorted(missing)[:5])
            )
        if not rows:
            self.source.warn("no rows to import")
        if self.problems:
            raise DeckFileError(list[object](self.problems))
        self.source.decks = list(self.decks.values())
        return self.source

    def error(self, line: int, message: str) -> None:
        self.problems.append(Problem(str(self.path), line, message))


def _is_label_row(row: list[str]) -> bool:
    labels = [cell.strip().casefold() for cell in row if cell.strip()]
    known = _FIELD_LABELS | set(_META_LABELS)
    return (
        len(labels) >= 2
        and all(label in known for label in labels)
        and (bool(set(labels) & _FIELD_LABELS))
    )


def read_text_file(path: Path) -> ImportedSource:
    """Read and check one text file; raises a ``FlashcardsError`` if it is unusable."""
    return _TextReader(path).read()
