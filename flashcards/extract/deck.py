"""Extracted structures written as a deck file that `flashcards lint` accepts.

The file says where it comes from and that its facts are unchecked: extraction saves an
instructor the typing, not the checking. Warnings go in as comments at the top, where
the instructor will read them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import yaml

from flashcards.authoring.deckfile import slugify
from flashcards.extract.structures import Extraction

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
    for structure in extraction.structures:
        entry: dict[str, object] = {"name": structure.name}
        if structure.kind:
            entry["kind"] = structure.kind
        if structure.aliases:
            entry["aliases"] = list(structure.aliases)
        for key, items in structure.fields.items():
            entry[key] = items[0] if len(items) == 1 else list(items)
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
    body = yaml.dump(
        document,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return "\n".join(header) + "\n\n" + body
