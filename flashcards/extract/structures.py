"""Prose fact sheet -> structure records: what `flashcards extract` reads from a page.

The page is read in three passes, each in its own module:

1. `page`: the file becomes clean lines (HTML and Markdown included);
2. `blocks`: lines become headings, labelled values, tables and prose;
3. here, blocks become structures. A structure starts at its name: a heading that is a
   muscle's name ("Muscle of the Month – Piriformis"), a "Muscle:" label, a table row,
   or a sentence whose subject is a muscle and that states where it arises, inserts or
   what supplies it. Labelled values go to the structure being described; sentences go
   to the muscle they are about ("it" being the one being described). A label beats a
   sentence for the same field. A page whose facts come before any name (the psoas blog
   post) gets the muscle it talks about most, headings counting most.

Muscles only mentioned (as synergists, antagonists, neighbours) never become structures,
and what is neither a labelled fact nor a sentence stating one (exercise steps, bylines,
advertising, Latin/TA/FMA/Gray's keys) is left out. Rules, no model: everything found
can be traced to a line, and the warnings say what was guessed.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from flashcards.authoring.deckfile import FACT_FIELDS, slugify
from flashcards.extract.blocks import Block, page_blocks
from flashcards.extract.lexicon import find_muscles, muscle_key
from flashcards.extract.names import display_name, kind_for, name_in, plain_name, strip_heading
from flashcards.extract.page import page_lines, read_page
from flashcards.extract.prose import condense, prose_facts
from flashcards.extract.tables import read_table

__all__ = ["ExtractedStructure", "Extraction", "extract_files", "extract_text"]

_STRONG = ("origin", "insertion", "innervation", "blood_supply")


@dataclass
class ExtractedStructure:
    name: str
    kind: str | None
    fields: dict[str, list[str]]  # canonical field -> items, in FACT_FIELDS order
    aliases: list[str]
    source: str
    line: int

    def as_json(self) -> dict[str, object]:
        document: dict[str, object] = {
            "name": self.name,
            "fields": {key: "; ".join(items) for key, items in self.fields.items()},
        }
        if self.aliases:
            document["aliases"] = self.aliases
        if self.kind:
            document["kind"] = self.kind
        document["source"] = f"{self.source}:{self.line}"
        return document


@dataclass
class Extraction:
    structures: list[ExtractedStructure] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "structures": [s.as_json() for s in self.structures],
            "warnings": self.warnings,
        }


@dataclass
class _Draft:
    name: str | None
    line: int
    named_by: str  # heading | label | table | prose | page (inferred at the end)
    kind: str | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)
    from_prose: set[str] = field(default_factory=set)
    aliases: list[str] = field(default_factory=list)
    mentions: Counter[str] = field(default_factory=Counter)
    titles: list[str] = field(default_factory=list)  # muscles named in headings above


@dataclass
class _Page:
    source: str
    drafts: list[_Draft] = field(default_factory=list)
    current: _Draft | None = None
    titles: list[str] = field(default_factory=list)
    heading_texts: list[str] = field(default_factory=list)
    prose_mentions: Counter[str] = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)

    def draft(self, name: str | None, line: int, named_by: str, kind: str | None = None) -> _Draft:
        """The draft of that name (a page may come back to a muscle), or a new one."""
        key = muscle_key(name) if name else None
        for draft in self.drafts:
            if key is not None and draft.name and muscle_key(draft.name) == key:
                self.current = draft
                return draft
        draft = _Draft(name, line, named_by, kind, titles=list(self.titles))
        self.drafts.append(draft)
        self.current = draft
        return draft


def _next_is_fact(blocks: Sequence[Block], index: int) -> bool:
    following = blocks[index + 1] if index + 1 < len(blocks) else None
    return following is not None and (
        (following.kind == "field" and following.target in FACT_FIELDS) or following.kind == "table"
    )


def _heading(page: _Page, blocks: Sequence[Block], index: int) -> None:
    block = blocks[index]
    page.heading_texts.append(block.text)
    name = name_in(block.text)
    if name is not None:
        page.draft(display_name(name), block.line, "heading", kind_for(name.canonical, True))
        if name.short and page.current is not None:
            page.current.aliases.append(name.written)
        return
    page.titles.extend(n.canonical for n in find_muscles(block.text) if not n.short)
    # A heading outside the muscle list names what follows only if facts follow at once,
    # and never takes over a muscle named just above it that has no facts yet.
    current = page.current
    if _next_is_fact(blocks, index) and (current is None or current.fields):
        plain = plain_name(block.text)
        if plain is not None:
            page.draft(plain, block.line, "heading", kind_for(plain, False))


def _split(item: str) -> list[str]:
    """'Abduction of the hip; medial rotation of the thigh' is a list of two."""
    parts = [p for p in re.split(r";\s+|\.\s+(?=[A-Z])", item) if p.strip()]
    if len(parts) > 1 and all(len(p.split()) <= 15 for p in parts):
        return parts
    return [item]


def _set(page: _Page, draft: _Draft, target: str, items: list[str], line: int, prose: bool) -> None:
    items = [i for i in (_clean_value(p) for item in items for p in _split(item)) if i]
    items = list(dict.fromkeys(items))
    if not items:
        return
    if target in draft.fields and target not in draft.from_prose:
        if not prose:
            who = draft.name or "the structure"
            page.warnings.append(
                f"{page.source}:{line}: a second {target.replace('_', ' ')} "
                f"for {who}; kept the first"
            )
        return
    if target in draft.fields and prose:
        draft.fields[target].extend(i for i in items if i not in draft.fields[target])
        return
    draft.fields[target] = items
    if prose:
        draft.from_prose.add(target)
    else:
        draft.from_prose.discard(target)


def _mentions(draft: _Draft, items: Sequence[str]) -> None:
    """Muscles a structure's own text names: the page's subject is usually among them."""
    for item in items:
        draft.mentions.update(n.canonical for n in find_muscles(item) if not n.short)


def _field(page: _Page, block: Block) -> None:
    target = block.target
    assert target is not None
    if block.name:
        named = name_in(block.name)
        if named is not None:
            page.draft(display_name(named), block.line, "label", kind_for(named.canonical, True))
    if target == "ignore" or not block.items:
        return
    if target == "name":
        value = block.items[0]
        if len(value.split()) > 8 or value.rstrip().endswith("."):
            # "Structure" heading a section of prose, not a name: read the prose.
            _prose(page, Block("prose", block.line, text=" ".join(block.items)))
            return
        named = name_in(value)
        shown = display_name(named) if named else strip_heading(value)
        page.draft(
            shown,
            block.line,
            "label",
            kind_for(named.canonical if named else shown, named is not None),
        )
        return
    draft = page.current
    if draft is None or (draft.name is None and target in draft.fields):
        # Facts before any name, or a field again for an unnamed structure: a new one.
        draft = page.draft(None, block.line, "page")
    if target == "aliases":
        draft.aliases += [a.strip() for i in block.items for a in re.split(r"[,;]", i) if a.strip()]
        return
    if target == "attachments":
        _attachments(page, draft, block)
        return
    items = block.items
    _mentions(draft, items)
    if target in FACT_FIELDS:
        condensed = condense(target, " ".join(items))
        if condensed is not None and condensed[0]:
            items = condensed[0]
        for fact in condensed[1] if condensed else []:
            if fact.field in FACT_FIELDS and fact.field not in draft.fields:
                _set(page, draft, fact.field, [fact.value], block.line, prose=True)
    _set(page, draft, target, items, block.line, prose=False)


def _attachments(page: _Page, draft: _Draft, block: Block) -> None:
    text = " ".join(block.items)
    span = re.match(r"^(?:from\s+)?(.+?)\s+to\s+(?:the\s+)?(.+)$", text, re.IGNORECASE)
    facts = [f for f in prose_facts(text, any_subject=True) if f.field in ("origin", "insertion")]
    for fact in facts:
        _set(page, draft, fact.field, [fact.value], block.line, prose=False)
    if not facts and span and text.lower().startswith("from "):
        _set(page, draft, "origin", [span.group(1)], block.line, prose=False)
        _set(page, draft, "insertion", [span.group(2)], block.line, prose=False)
    elif not facts:
        page.warnings.append(
            f"{page.source}:{block.line}: could not tell origin from "
            f"insertion in 'Attachments'; left out"
        )


def _table(page: _Page, block: Block) -> None:
    for record in read_table(block.rows):
        if record.name is not None:
            named = name_in(record.name)
            shown = display_name(named) if named else strip_heading(record.name)
            kind = kind_for(named.canonical if named else shown, named is not None)
            draft = page.draft(shown, block.line, "table", kind)
        else:
            draft = page.current or page.draft(None, block.line, "page")
        for target, items in record.fields.items():
            _mentions(draft, items)
            if target == "roots" or target in FACT_FIELDS:
                _set(page, draft, target, items, block.line, prose=False)


_DEFINITION = re.compile(
    r"^(?:the\s+)?(?P<name>[\w\s-]{3,60}?)(?:\s+muscles?)?\s+(?:is|are)\s+"
    r"(?:a|an|the|one)\b",
    re.IGNORECASE,
)


def _prose(page: _Page, block: Block) -> None:
    page.prose_mentions.update(n.canonical for n in find_muscles(block.text) if not n.short)
    # "Sartorius is the longest muscle …" opens a description of sartorius.
    defined = _DEFINITION.match(block.text)
    named = name_in(defined.group("name")) if defined else None
    if named is not None and (page.current is None or page.current.name is None):
        if page.current is not None and not page.current.fields:
            page.drafts.remove(page.current)
        page.draft(display_name(named), block.line, "prose", kind_for(named.canonical, True))
    for fact in prose_facts(block.text):
        draft: _Draft | None
        if fact.subject is not None:
            draft = next(
                (
                    d
                    for d in page.drafts
                    if d.name and muscle_key(d.name) == muscle_key(fact.subject)
                ),
                None,
            )
            current = page.current
            if draft is None and fact.field in _STRONG:
                if (
                    current is not None
                    and current.name is None
                    and fact.field not in current.fields
                ):
                    current.name, current.named_by = fact.subject, "prose"
                    current.kind = kind_for(fact.subject, True)
                    draft = current
                else:
                    draft = page.draft(
                        fact.subject, block.line, "prose", kind_for(fact.subject, True)
                    )
            if draft is None:
                continue  # a muscle named only in passing ("assisted by gluteus minimus")
            page.current = draft
        else:
            draft = page.current
            if draft is None:
                if fact.field not in _STRONG:
                    continue
                draft = page.draft(None, block.line, "page")
        _set(page, draft, fact.field, [fact.value], block.line, prose=True)


def _clean_value(text: str) -> str:
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" :-–—|\\\"'“”")
    if text.lower() in ("", "-", "n/a", "none", "unknown") or not re.search(r"[^\W_]", text):
        return ""
    if text.endswith(".") and ". " not in text[:-1]:
        text = text[:-1]
    return text[:1].upper() + text[1:]


def _name_unnamed(page: _Page, draft: _Draft) -> None:
    taken = {muscle_key(d.name) for d in page.drafts if d.name}
    scores: Counter[str] = Counter()
    for name, count in draft.mentions.items():
        scores[name] += min(count, 6)
    for name in draft.titles:
        scores[name] += 3
    for name, count in page.prose_mentions.items():
        scores[name] += min(count, 3)
    choices = [(n, s) for n, s in scores.most_common() if muscle_key(n) not in taken]
    if choices:
        draft.name, draft.kind = choices[0][0], kind_for(choices[0][0], True)
        page.warnings.append(
            f"{page.source}:{draft.line}: no heading or label names the "
            f"structure; named it '{draft.name}' from the text (check it)"
        )
        return
    title = next((t for t in (plain_name(h) for h in page.heading_texts) if t), None)
    draft.name = title or Path(page.source).stem.replace("-", " ").replace("_", " ").capitalize()
    page.warnings.append(
        f"{page.source}:{draft.line}: no name found for the structure; "
        f"called it '{draft.name}' (check it)"
    )


def _finish(page: _Page, draft: _Draft) -> ExtractedStructure | None:
    roots = draft.fields.pop("roots", None)
    if roots:
        levels = ", ".join(roots)
        nerve = draft.fields.get("innervation")
        if nerve and levels not in " ".join(nerve):
            nerve[-1] = f"{nerve[-1]} ({levels})"
        elif not nerve:
            draft.fields["innervation"] = [levels]
    if not draft.fields:
        return None
    if draft.name is None:
        _name_unnamed(page, draft)
    assert draft.name is not None
    fields = {key: draft.fields[key] for key in FACT_FIELDS if key in draft.fields}
    aliases = [a for a in dict.fromkeys(draft.aliases) if muscle_key(a) != muscle_key(draft.name)]
    return ExtractedStructure(draft.name, draft.kind, fields, aliases, page.source, draft.line)


def _numbered_heading(blocks: Sequence[Block], index: int) -> bool:
    items = blocks[index].items
    return len(items) == 1 and (name_in(items[0]) is not None or _next_is_fact(blocks, index))


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """The structures a page's text describes, with warnings about what was guessed."""
    page = _Page(source)
    blocks = page_blocks(page_lines(text))
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            _heading(page, blocks, index)
        elif block.kind == "field":
            _field(page, block)
        elif block.kind == "table":
            _table(page, block)
        elif block.kind == "prose":
            _prose(page, block)
        elif block.kind == "bullets" and _numbered_heading(blocks, index):
            # "1. Adductor longus" alone: a numbered heading.
            as_heading = Block("heading", block.line, text=block.items[0])
            _heading(page, [as_heading, *blocks[index + 1 :]], 0)
    structures = [s for d in page.drafts if (s := _finish(page, d)) is not None]
    if not structures:
        page.warnings.append(
            f"{source}: no structure found (no labelled facts such as "
            "'Origin:' and no sentences such as '… arises from …')"
        )
    return Extraction(structures, page.warnings)


def extract_files(paths: Sequence[Path]) -> Extraction:
    """Every page's structures; one muscle described in two pages is merged (first wins)."""
    result = Extraction()
    by_slug: dict[str, ExtractedStructure] = {}
    for path in paths:
        found = extract_text(read_page(path), str(path))
        result.warnings += found.warnings
        for structure in found.structures:
            slug = slugify(structure.name)
            if not slug:
                result.warnings.append(
                    f"{structure.source}:{structure.line}: '{structure.name}' has no letters "
                    "or digits a deck id can be made of; left out"
                )
                continue
            if slug not in by_slug:
                by_slug[slug] = structure
                result.structures.append(structure)
                continue
            kept = by_slug[slug]
            for key, items in structure.fields.items():
                if key not in kept.fields:
                    kept.fields[key] = items
                elif kept.fields[key] != items:
                    result.warnings.append(
                        f"{structure.source}:{structure.line}: "
                        f"{structure.name}'s {key.replace('_', ' ')} differs "
                        f"from {kept.source}:{kept.line}; kept the first"
                    )
            kept.fields = {k: kept.fields[k] for k in FACT_FIELDS if k in kept.fields}
    return result
