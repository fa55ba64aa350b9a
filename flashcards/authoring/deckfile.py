"""Read and validate deck files (YAML) into plain dataclasses.

Every problem in a file is collected and reported at once, each with its line.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Sequence
from pathlib import Path

from yaml.nodes import MappingNode

from flashcards.authoring.factfields import read_clinical, read_fact
from flashcards.authoring.model import (
    FACT_FIELDS,
    REVERSIBLE_FIELDS,
    ClinicalCard,
    DeckFile,
    Fact,
    HandCard,
    Problem,
    Structure,
)
from flashcards.authoring.nodes import (
    Fields,
    NodeReader,
    card_id,
    cloze_answers,
    cloze_ordinals,
    cloze_problems,
    slugify,
)
from flashcards.authoring.occlusions import read_occlusions
from flashcards.authoring.phrasing import STRUCTURE_CLASSES
from flashcards.authoring.rules import check_deck
from flashcards.errors import FlashcardsError

__all__ = [
    "FACT_FIELDS",
    "KNOWN_KINDS",
    "REVERSIBLE_FIELDS",
    "ClinicalCard",
    "DeckFile",
    "Fact",
    "HandCard",
    "Problem",
    "Structure",
    "cloze_ordinals",
    "deck_files",
    "load_deck",
    "load_paths",
    "slugify",
]

_DECK_KEYS = (
    "deck",
    "id",
    "description",
    "tags",
    "source",
    "html",
    "reverse",
    "structures",
    "cards",
    "occlusions",
)
_STRUCTURE_KEYS = (
    "name",
    "id",
    "kind",
    "aliases",
    "region",
    "part_of",
    "image",
    "tags",
    "reverse",
    *FACT_FIELDS,
)
_CARD_KEYS = ("id", "q", "a", "cloze", "extra", "tags", "image", "accept", "note")
# What `kind:` may say: the classes questions are worded for (flashcards.authoring.phrasing),
# and the other things anatomy teaches by their attachments or contents, asked with the
# wording any structure takes. Anything else is most likely a slip ("musle").
KNOWN_KINDS: tuple[str, ...] = (
    *STRUCTURE_CLASSES,
    "region",
    "space",
    "fascia",
    "membrane",
    "cartilage",
    "bursa",
    "organ",
)


def load_deck(path: Path) -> tuple[DeckFile | None, list[Problem]]:
    """Parse one deck file: the deck (None if any error) and every problem found in it."""
    deck, problems, _ = _load(path)
    return deck, problems


def load_paths(paths: Sequence[Path]) -> tuple[list[DeckFile], list[Problem]]:
    """Load deck files and folders of them; a deck id declared twice is a problem in both files.

    Decks with errors (a clashing deck id included) are left out of the returned list.
    Problems come per file, in file order; checks across decks (reverse cards) are
    ``flashcards.authoring.decks``'s.
    """
    per_file: dict[Path, list[Problem]] = {}
    loaded: list[DeckFile] = []
    declared: dict[str, list[tuple[Path, int]]] = {}
    for path in deck_files(paths):
        deck, per_file[path], declared_id = _load(path)
        if declared_id is not None:
            declared.setdefault(declared_id[0], []).append((path, declared_id[1]))
        if deck is not None:
            loaded.append(deck)
    clashing: set[str] = set()
    for deck_id, places in declared.items():
        if len(places) > 1:
            clashing.add(deck_id)
            for path, line in places:
                others = ", ".join(f"{p}:{n}" for p, n in places if p != path)
                message = f"duplicate deck id '{deck_id}' (also in {others})"
                per_file[path].append(Problem(str(path), line, message))
    decks = [deck for deck in loaded if deck.id not in clashing]
    return decks, [p for found in per_file.values() for p in sorted(found, key=lambda p: p.line)]


def deck_files(paths: Sequence[Path]) -> list[Path]:
    """The deck files named or found in the folders named, each once, in the order given."""
    found: dict[Path, Path] = {}  # resolved -> as given, so a file named twice loads once
    for path in paths:
        if path.is_dir():
            in_folder = _folder_deck_files(path)
            if not in_folder:
                raise FlashcardsError(f"No deck files (*.yaml) in {path}")
        elif path.exists():
            in_folder = [path]
        else:
            raise FlashcardsError(f"No such file or folder: {path}")
        for file in in_folder:
            found.setdefault(file.resolve(), file)
    return list(found.values())


def _folder_deck_files(root: Path) -> list[Path]:
    files: list[Path] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        files.extend(
            Path(folder, name)
            for name in names
            if name.lower().endswith((".yaml", ".yml")) and not name.startswith(".")
        )
    return sorted(files)


def _load(path: Path) -> tuple[DeckFile | None, list[Problem], tuple[str, int] | None]:
    """The deck, its problems, and its id with the id's line even when the file has errors."""
    reader = NodeReader(path)
    deck, declared_id = None, None
    root = reader.document()
    if root is not None:
        deck, declared_id = _deck(reader, root)
    problems = [
        Problem(str(path), line, message, severity, rule)
        for line, message, severity, rule in reader.findings
    ]
    if deck is not None:
        # The rules of formulating knowledge read what the file says, errors or not.
        problems += check_deck(deck)
    problems.sort(key=lambda p: p.line)
    if any(p.severity == "error" for p in problems):
        deck = None
    return deck, problems, declared_id


def _deck(r: NodeReader, root: MappingNode) -> tuple[DeckFile | None, tuple[str, int] | None]:
    f = r.fields(root, _DECK_KEYS)
    name = f.text("deck")
    if "deck" not in f:
        r.error(f.line, "missing 'deck' (the deck's full name, like 'Anatomy::Lower limb')")
    elif name is not None:
        parts = [part.strip() for part in name.split("::")]
        if not all(parts):
            r.error(f.key_line("deck"), f"deck name '{name}' has an empty part between '::'")
        name = "::".join(parts)
    if "id" in f:
        deck_id = f.slug("id")
    else:
        deck_id = slugify(r.path.stem) or None
        if deck_id is None:
            r.error(f.line, f"cannot make a deck id from the file name '{r.path.name}'; add id:")
    description, source = f.text("description"), f.text("source")
    tags, html = f.tags(), f.flag("html")
    reverse = _reverse_fields(r, f) or ()
    structures = _structures(r, f)
    cards = _cards(r, f)
    occlusions = read_occlusions(r, f)
    if "structures" not in f and "cards" not in f and "occlusions" not in f:
        r.warn(f.line, "deck has no structures, cards or occlusions")
    declared_id = None if deck_id is None else (deck_id, f.key_line("id"))
    if name is None or deck_id is None:
        return None, declared_id
    deck = DeckFile(
        r.path,
        deck_id,
        name,
        description,
        tags,
        source,
        html,
        structures,
        cards,
        reverse,
        occlusions,
    )
    return deck, declared_id


def _reverse_fields(r: NodeReader, f: Fields) -> tuple[str, ...] | None:
    """`reverse: [insertion, innervation]`: the fields asked the other way round."""
    read = f.texts("reverse", may_be_empty=True)
    if read is None:
        return None
    fields: list[str] = []
    for line, text in read[0]:
        key = text.strip().lower().replace(" ", "_")
        if key in REVERSIBLE_FIELDS:
            fields.append(key)
        elif key in FACT_FIELDS:
            fields_text = ", ".join(REVERSIBLE_FIELDS)
            r.error(line, f"'{text}' cannot be asked in reverse; reverse works for {fields_text}")
        elif key in ("true", "yes", "false", "no"):
            r.error(line, "reverse takes a list of fields, like reverse: [insertion, innervation]")
        else:
            close = difflib.get_close_matches(key, REVERSIBLE_FIELDS, n=1)
            hint = f" (did you mean '{close[0]}'?)" if close else ""
            fields_text = ", ".join(REVERSIBLE_FIELDS)
            r.error(
                line, f"unknown field '{text}' in reverse{hint}; reverse works for {fields_text}"
            )
    return tuple(dict.fromkeys(fields))


def _structures(r: NodeReader, deck: Fields) -> tuple[Structure, ...]:
    structures: list[Structure] = []
    first_line: dict[str, int] = {}
    for node in deck.mappings("structures"):
        structure = _structure(r, node)
        if structure is None:
            continue
        if structure.id in first_line:
            first = first_line[structure.id]
            message = f"duplicate structure id '{structure.id}' (first at line {first})"
            r.error(structure.line, message)
        first_line.setdefault(structure.id, structure.line)
        structures.append(structure)
    return tuple(structures)


def _structure(r: NodeReader, node: MappingNode) -> Structure | None:
    f = r.fields(node, _STRUCTURE_KEYS)
    name = f.text("name")
    if "name" not in f:
        r.error(f.line, "structure has no 'name'")
    structure_id = f.slug("id")
    if "id" not in f and name is not None:
        structure_id = slugify(name) or None
        if structure_id is None:
            r.error(f.line, f"cannot make an id from the name '{name}'; add id:")
    aliases = f.texts("aliases", may_be_empty=True)
    facts = [fact for key in FACT_FIELDS[:-1] if (fact := read_fact(r, f, key)) is not None]
    plain_clinical, clinical = read_clinical(r, f)
    facts += [plain_clinical] if plain_clinical is not None else []
    if not any(key in f for key in FACT_FIELDS):
        label = f"structure '{name}'" if name else "structure"
        r.warn(f.line, f"{label} has no fact fields (origin, insertion, …): it makes no cards")
    kind, region, image, tags = f.text("kind"), f.text("region"), f.image(), f.tags()
    if kind is not None and kind.lower() not in KNOWN_KINDS:
        close = difflib.get_close_matches(kind.lower(), KNOWN_KINDS, n=1)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        r.warn(
            f.key_line("kind"),
            f"unknown kind '{kind}'{hint}: write one of {', '.join(KNOWN_KINDS)}",
            "unknown-kind",
        )
    part_of = f.slug("part_of")
    if part_of is not None and part_of == structure_id:
        r.error(f.key_line("part_of"), f"part_of '{part_of}' is the structure itself")
        part_of = None
    reverse = _reverse_fields(r, f)
    for missing in [k for k in reverse or () if k not in f]:
        r.warn(f.key_line("reverse"), f"reverse asks for '{missing}' but the structure has none")
    if name is None or structure_id is None:
        return None
    alias_texts = tuple(text for _, text in aliases[0]) if aliases else ()
    return Structure(
        structure_id,
        name,
        kind,
        alias_texts,
        region,
        image,
        tuple(facts),
        tags,
        f.line,
        reverse,
        clinical,
        part_of,
    )


def _cards(r: NodeReader, deck: Fields) -> tuple[HandCard, ...]:
    cards: list[HandCard] = []
    first_line: dict[str, int] = {}
    for node in deck.mappings("cards"):
        card = _card(r, node)
        if card is None:
            continue
        if card.id in first_line:
            first = first_line[card.id]
            r.error(card.line, f"duplicate card id '{card.id}' (first at line {first})")
        first_line.setdefault(card.id, card.line)
        cards.append(card)
    return tuple(cards)


def _card(r: NodeReader, node: MappingNode) -> HandCard | None:
    f = r.fields(node, _CARD_KEYS)
    question, answer, cloze = f.text("q"), f.text("a"), f.text("cloze")
    if "q" in f and "cloze" in f:
        r.error(f.line, "card has both 'q' and 'cloze': a card is either q + a or a cloze")
    elif "cloze" in f and "a" in f:
        r.error(f.key_line("a"), "a cloze card has no 'a': the answers are its {{c1::…}} markers")
    elif "q" in f and "a" not in f:
        r.error(f.line, "card has 'q' but no 'a'")
    elif "a" in f and "q" not in f and "cloze" not in f:
        r.error(f.line, "card has 'a' but no 'q'")
    elif "q" not in f and "cloze" not in f:
        r.error(f.line, "card has neither 'q' nor 'cloze'")
    for message in cloze_problems(cloze) if cloze is not None else []:
        r.error(f.key_line("cloze"), message)
    extra, tags, image = f.text("extra"), f.tags(), f.image()
    accept, note = f.texts("accept", may_be_empty=True), f.text("note")
    the_id = f.slug("id")
    if "id" not in f:
        what = "question" if question is not None else "cloze text"
        text = question if question is not None else cloze and cloze_answers(cloze)
        the_id = card_id(text) if text else None
        if the_id is not None:
            r.warn(
                f.line,
                f"card has no id: its identity comes from its {what}, so editing the {what} "
                f"will lose its review history; add id: {the_id}",
            )
    if the_id is None:
        return None
    return HandCard(
        the_id,
        "id" not in f,
        question,
        answer,
        cloze,
        extra,
        tags,
        image,
        f.line,
        accept=tuple(text for _, text in accept[0]) if accept else (),
        note=note,
    )
