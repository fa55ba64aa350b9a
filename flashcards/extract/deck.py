"""Extracted structures written as a deck file that `flashcards lint` accepts.

The file says where it comes from and that its facts are unchecked: extraction saves an
instructor the typing, not the checking. Warnings go in as comments at the top, where
the instructor will read them.

The deck keeps to the rules of formulating knowledge (`flashcards lint --strict` passes):
a list of more than four items is asked one item a card (``ask: each``); a value too long
for one card keeps its first clause as the answer and the whole text, as found, in the
field's ``note:``; clinical paragraphs, which need a question of their own, go into the
comments at the top for the instructor to write as cards. Nothing found is dropped.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from flashcards.authoring.deckfile import slugify
from flashcards.authoring.model import MAX_ITEMS, MAX_WORDS
from flashcards.authoring.rules import fits_one_card
from flashcards.extract.structures import ExtractedStructure, Extraction

__all__ = ["deck_yaml", "default_deck_name", "source_label", "source_stem"]


def source_stem(source: str | Path) -> str:
    """'psoas-stretch' for psoas-stretch.txt, 'iliacus' for https://…/iliacus/."""
    if isinstance(source, str) and re.match(r"^https?://", source, re.IGNORECASE):
        path = re.sub(r"^https?://", "", source).split("?")[0].split("#")[0].rstrip("/")
        return Path(path.rsplit("/", 1)[-1]).stem or path
    return Path(source).stem


def source_label(source: str | Path) -> str:
    if isinstance(source, str) and re.match(r"^https?://", source, re.IGNORECASE):
        return source
    return Path(source).name


def default_deck_name(files: Sequence[str | Path]) -> str:
    """'Extracted::Psoas stretch' for psoas-stretch.txt."""
    stem = source_stem(files[0]).replace("_", " ").replace("-", " ").strip() if files else ""
    title = " ".join(stem.split()).capitalize() or "Page"
    return f"Extracted::{title}"


class _Dumper(yaml.SafeDumper):
    """Lists of a structure indented under their key, as people write them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def deck_yaml(
    extraction: Extraction, files: Sequence[str | Path], deck_name: str, deck_id: str
) -> str:
    """The deck file's text: header comments, then deck, id, source and structures."""
    names = ", ".join(source_label(path) for path in files)
    structures = []
    to_write: list[str] = []  # clinical paragraphs, for the instructor to make cards of
    for structure in extraction.structures:
        entry: dict[str, object] = {"name": structure.name}
        if structure.kind:
            entry["kind"] = structure.kind
        if structure.aliases:
            entry["aliases"] = list(structure.aliases)
        for key, items in structure.fields.items():
            if key == "clinical":
                to_write += [_clinical_comment(structure, item) for item in items]
            else:
                entry[key] = _field(key, items)
        structures.append(entry)
    document = {
        "deck": deck_name,
        "id": slugify(deck_id) or "extracted",
        "source": f"Extracted from {names} by `flashcards extract`; "
        "not yet checked against a reference.",
        "structures": structures,
    }
    header = [
        f"# Extracted by `flashcards extract` from {names}.",
        "# Check every fact against a standard reference before a class sees it.",
    ]
    header += [f"# warning: {w}" for w in extraction.warnings]
    if to_write:
        header.append("# Clinical facts found, each to be written as a card of its own")
        header.append("# (clinical: [{q: Which sign …?, a: …}]):")
        header += to_write
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return "\n".join(header) + "\n\n" + body


def _field(key: str, items: list[str]) -> object:
    """A field as one card can ask it: the plain form where the rules allow, else the
    mapping form (``ask: each`` for a list too long for one card, the whole text in
    ``note:`` where an answer had to be cut). Synergists and antagonists are asked "name
    one" by default, so their lists stay whole."""
    answers = [_answer(item) for item in items]
    cut = [item for item, answer in zip(items, answers, strict=True) if answer != item]
    answer: object = answers[0] if len(answers) == 1 else answers
    one_by_one = key in ("synergist", "antagonist")
    whole = len(answers) <= MAX_ITEMS and fits_one_card("\n".join(answers))
    if not cut and (whole or one_by_one):
        return answer
    mapping: dict[str, object] = {"answer": answer}
    if not whole and not one_by_one:
        mapping["ask"] = "each"
    if cut:
        mapping["note"] = "As found on the page: " + " / ".join(cut)
    return mapping


_CLAUSE = re.compile(r"(?:;\s+|,\s+|\s+\(|\s+(?:and|or|with|which|where)\s+)")


def _answer(text: str) -> str:
    """``text`` if one card may ask it, else its first clause (the rest is in the note),
    else its first words."""
    if fits_one_card(text):
        return text
    for cut in _CLAUSE.finditer(text):
        head = text[: cut.start()].strip().rstrip(",;")
        if head and fits_one_card(head):
            return head
    words = text.split()[:MAX_WORDS]
    while words and not fits_one_card(" ".join(words)):
        words.pop()
    return " ".join(words) or text.split()[0]


def _clinical_comment(structure: ExtractedStructure, text: str) -> str:
    lines = structure.lines.get("clinical", [])
    where = f" (line {lines[0]})" if lines else ""
    flat = " ".join(text.split())
    return f"#   {structure.name}{where}: {flat}"
