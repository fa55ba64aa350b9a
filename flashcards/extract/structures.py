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
from flashcards.extract.fetch import fetch_page, is_url
from flashcards.extract.lexicon import find_muscles, muscle_key
from flashcards.extract.names import display_name, kind_for, name_in, plain_name, strip_heading
from flashcards.extract.page import page_lines, read_page, source_name
from flashcards.extract.prose import condense, prose_facts, sentences, starts_with_action
from flashcards.extract.tables import read_table

__all__ = ["ExtractedStructure", "Extraction", "extract_files", "extract_text", "read_source"]

_STRONG = ("origin", "insertion", "innervation", "blood_supply")


@dataclass
class ExtractedStructure:
    name: str
    kind: str | None
    fields: dict[str, list[str]]  # canonical field -> items, in FACT_FIELDS order
    aliases: list[str]
    source: str
    line: int
    lines: dict[str, list[int]] = field(
        default_factory=dict
    )  # field -> the page lines it came from

    @property
    def missing(self) -> list[str]:
        """The fact fields (clinical aside) the page gave nothing for."""
        return [key for key in FACT_FIELDS if key != "clinical" and key not in self.fields]

    def as_json(self) -> dict[str, object]:
        document: dict[str, object] = {
            "name": self.name,
            "fields": {key: "; ".join(items) for key, items in self.fields.items()},
            "lines": {key: self.lines.get(key, []) for key in self.fields},
            "missing": self.missing,
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

    def report(self) -> list[str]:
        """One line per structure: what was found (with the lines it came from), what not."""
        lines = []
        for s in self.structures:
            found = ", ".join(
                f"{key.replace('_', ' ')} (line{'s' if len(s.lines.get(key, [])) > 1 else ''} "
                f"{', '.join(str(n) for n in s.lines.get(key, [])) or '?'})"
                for key in s.fields
            )
            missing = ", ".join(key.replace("_", " ") for key in s.missing) or "nothing"
            lines.append(f"{s.name} ({s.source}:{s.line}): found {found}; missing {missing}")
        return lines


@dataclass
class _Draft:
    name: str | None
    line: int
    named_by: str  # heading | label | table | prose | page (inferred at the end)
    kind: str | None = None
    fields: dict[str, list[str]] = field(default_factory=dict)
    lines: dict[str, list[int]] = field(default_factory=dict)
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
        # Below a named structure, only a heading that names something of the body
        # ("Femoral nerve", "Gluteus quartus muscle") starts another ("Discussion" not).
        if plain is not None and (
            current is None or current.name is None or kind_for(plain, False) is not None
        ):
            page.draft(plain, block.line, "heading", kind_for(plain, False))


def _split(item: str) -> list[str]:
    """'Abduction of the hip; medial rotation of the thigh' is a list of two (but not
    'Tibial nerve (L4, L5; S1, S2)')."""
    parts: list[str] = []
    for piece in re.split(r"(;\s+|\.\s+(?=[A-Z]))", item):
        if parts and (
            re.fullmatch(r";\s+|\.\s+", piece) or parts[-1].count("(") > parts[-1].count(")")
        ):
            parts[-1] += piece
        else:
            parts.append(piece)
    parts = [p.strip().rstrip(";").strip() for p in parts if p.strip(" ;.")]
    if len(parts) > 1 and all(len(p.split()) <= 15 for p in parts):
        return parts
    return [item]


def _set(page: _Page, draft: _Draft, target: str, items: list[str], line: int, prose: bool) -> None:
    items = [i for i in (_clean_value(p) for item in items for p in _split(item)) if i]
    items = list(dict.fromkeys(items))
    if not items:
        return
    if target in draft.fields and target not in draft.from_prose:
        if prose and target == "innervation":
            _add_levels(draft, items, line)
            return
        if not prose:
            who = draft.name or "the structure"
            page.warnings.append(
                f"{page.source}:{line}: a second {target.replace('_', ' ')} "
                f"for {who}; kept the first"
            )
        return
    if target in draft.fields and prose:
        draft.fields[target].extend(i for i in items if i not in draft.fields[target])
        draft.lines.setdefault(target, []).append(line)
        return
    draft.fields[target] = items
    draft.lines[target] = [line]
    if prose:
        draft.from_prose.add(target)
    else:
        draft.from_prose.discard(target)


_LEVELS = re.compile(
    r"\b[CTLS]\d{1,2}(?:\s*(?:[-–—,]|and|to)\s*[CTLS]?\d{1,2})*\b|"
    r"\b(?:first|second|third|fourth|fifth)\b[\w\s,]*?\b(?:cervical|thoracic|lumbar|sacral)\b"
)


def spinal_levels(text: str) -> str | None:
    """'anterior branches of L2-3' -> 'L2–L3'; None when the text names no level."""
    found = [m.group(0) for m in _LEVELS.finditer(text) if re.match(r"[CTLS]\d", m.group(0))]
    if not found:
        return None
    levels = []
    for group in found:
        letter = group[0]
        parts = re.split(r"\s*(?:[-–—]|to)\s*", group)
        if len(parts) == 2 and re.fullmatch(r"[CTLS]?\d{1,2}", parts[1]):
            end = parts[1] if parts[1][0].isalpha() else letter + parts[1]
            levels.append(f"{parts[0]}–{end}")
        else:
            levels.append(group)
    return ", ".join(levels)


def _add_levels(draft: _Draft, items: Sequence[str], line: int) -> None:
    """A sentence gives the spinal levels a labelled nerve left out: join them to it."""
    nerve = draft.fields["innervation"]
    if spinal_levels(" ".join(nerve)):
        return
    levels = spinal_levels(" ".join(items))
    if levels:
        nerve[-1] = f"{nerve[-1]} ({levels})"
        draft.lines.setdefault("innervation", []).append(line)


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
    if target == "prose":
        # "Course", "Description": a section of sentences, which may state facts.
        for item in block.items:
            _prose(page, Block("prose", block.line, text=item))
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
    if draft is None or (
        draft.name is None and target in draft.fields and target == next(iter(draft.fields))
    ):
        # Facts before any name, or the first field again for an unnamed structure (a
        # second record begins): a new one. "Action" then "Function" is one structure.
        draft = page.draft(None, block.line, "page")
    if target == "aliases":
        draft.aliases += [a.strip() for i in block.items for a in re.split(r"[,;]", i) if a.strip()]
        return
    if target == "attachments":
        _attachments(page, draft, block)
        return
    items = block.items
    _mentions(draft, items)
    if target in _STRONG:
        # "Point(s) of Insertion: • Lesser trochanter • Flexes and rotates the thigh …":
        # an item that is a movement is the action, its own label lost.
        moves = [i for i in items if starts_with_action(i)]
        if moves and len(moves) < len(items):
            items = [i for i in items if i not in moves]
            _set(page, draft, "action", moves, block.line, prose=True)
    if block.continued and target in draft.fields:
        draft.fields[target] += [i for i in (_clean_value(x) for x in items) if i]
        draft.lines.setdefault(target, []).append(block.line)
        return
    if target in FACT_FIELDS:
        # Items are lines or list entries: each ends where the next begins.
        condensed = condense(
            target, " ".join(i if re.search(r"[.;:!?]$", i) else i + ";" for i in items)
        )
        if condensed is not None and condensed[0]:
            items = condensed[0]
        for fact in condensed[1] if condensed else []:
            if fact.field in FACT_FIELDS and fact.field not in draft.fields:
                _set(page, draft, fact.field, [fact.value], block.line, prose=True)
    _set(page, draft, target, items, block.line, prose=False)


def _attachments(page: _Page, draft: _Draft, block: Block) -> None:
    # Lines under "Attachments" are sentences each, even without a full stop.
    text = " ".join(
        item if re.search(r"[.!?;:]$", item.strip()) else item.strip() + "." for item in block.items
    )
    span = re.match(r"^(?:from\s+)?(.+?)\s+to\s+(?:the\s+)?(.+)$", text, re.IGNORECASE)
    facts = [f for f in prose_facts(text, any_subject=True) if f.field in ("origin", "insertion")]
    for key in ("origin", "insertion"):
        # "The lateral head originates from …. The medial head originates from …": one
        # origin of two parts.
        values = [
            f"{f.part}: {f.value[:1].lower()}{f.value[1:]}" if f.part else f.value
            for f in facts
            if f.field == key
        ]
        if values:
            _set(page, draft, key, values, block.line, prose=False)
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
    r"^(?:the\s+)?(?P<name>[\w\s-]{3,60}?)(?:\s+muscles?)?(?:\s*\([^)]*\))?\s+(?:is|are)\s+"
    r"(?:a|an|the|one)\b",
    re.IGNORECASE,
)


_ATTACHES = re.compile(
    r"^(?P<subject>.{3,60}?)\s+(?:attaches|runs|extends|travels|spans)\s+from\s+(?P<origin>.+?)"
    r"\s+to\s+(?:the\s+)?(?P<insertion>[^.;]+)",
    re.IGNORECASE,
)
_LISTED_ACTION = re.compile(
    r"\b(?:acts?\s+to|actions?\s+(?:are|is)(?:\s+to)?|functions?(?:\s+are|,?\s+including)|"
    r"(?:is|are)\s+used\s+to)\s*:\s*$",
    re.IGNORECASE,
)


def _subject_draft(page: _Page, text: str, line: int) -> _Draft | None:
    names = [n for n in find_muscles(text) if not n.short]
    if not names:
        return page.current
    name = names[0].canonical
    for draft in page.drafts:
        if draft.name and muscle_key(draft.name) == muscle_key(name):
            page.current = draft
            return draft
    if page.current is not None and page.current.name is None:
        page.current.name, page.current.named_by = name, "prose"
        return page.current
    return page.draft(name, line, "prose", kind_for(name, True))


def _listed_action(page: _Page, block: Block, bullets: Block) -> bool:
    """'Iliacus acts to:' over a list: the list is its action."""
    text = block.text if block.text.rstrip().endswith(":") else block.text + ":"
    last = text.rstrip().rsplit(". ", 1)[-1]
    if not _LISTED_ACTION.search(last):
        return False
    draft = _subject_draft(page, last, block.line)
    if draft is None:
        return False
    # "Adduction of the arm: This means pulling the arm …": the movement is the label.
    items = [
        i.split(": ", 1)[0] if ": " in i and len(i.split(": ", 1)[0].split()) <= 6 else i
        for i in bullets.items
    ]
    _set(page, draft, "action", items, bullets.line, prose=True)
    return True


def _prose(page: _Page, block: Block) -> None:
    page.prose_mentions.update(n.canonical for n in find_muscles(block.text) if not n.short)
    for sentence in sentences(block.text):
        span = _ATTACHES.match(sentence)
        if span and find_muscles(span.group("subject")):
            spanned = _subject_draft(page, span.group("subject"), block.line)
            if spanned is not None:
                for key in ("origin", "insertion"):
                    value = re.sub(r"^(?:the|a|an)\s+", "", span.group(key), flags=re.IGNORECASE)
                    _set(page, spanned, key, [value], block.line, prose=True)
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


_READER = re.compile(r"\b(?:you|your|yourself)\b", re.IGNORECASE)
_BOUNDARY = re.compile(r"[,;:.•)]|\b[CTLS]\d{1,2}\b")


def _without_reader_text(text: str) -> str:
    """'L4–L5 earn CE hours at your convenience …' -> 'L4–L5': what speaks to the reader
    (an advert, an instruction) is no part of a value."""
    reader = _READER.search(text)
    if reader is None:
        return text
    ends = [m.end() for m in _BOUNDARY.finditer(text, 0, reader.start())]
    return text[: ends[-1]] if ends else text


def _clean_value(text: str) -> str:
    text = re.sub(r"\(\s*see\b[^)]*\)", " ", text, flags=re.IGNORECASE)  # "(see innervation)"
    text = _without_reader_text(text)
    text = " ".join(text.replace("\u00a0", " ").split()).strip(" :-–—|\\\"'“”")
    text = text.rstrip(" ;,")  # a list item's "distal half of the humerus;"
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
    # A page saved under the muscle's name ("podiapaedia-soleus.txt") names it.
    named = source_name(page.source)
    if named is not None and muscle_key(named) not in taken:
        draft.name, draft.kind = named, kind_for(named, True)
        page.warnings.append(
            f"{page.source}:{draft.line}: no heading or label names the "
            f"structure; named it '{draft.name}' after the file (check it)"
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
    if roots:
        draft.lines.setdefault("innervation", []).extend(draft.lines.get("roots", []))
    lines = {key: sorted(set(draft.lines.get(key, []))) for key in fields}
    return ExtractedStructure(
        draft.name, draft.kind, fields, aliases, page.source, draft.line, lines
    )


def _numbered_heading(blocks: Sequence[Block], index: int) -> bool:
    items = blocks[index].items
    return len(items) == 1 and (name_in(items[0]) is not None or _next_is_fact(blocks, index))


def extract_text(text: str, source: str = "<text>") -> Extraction:
    """The structures a page's text describes, with warnings about what was guessed."""
    page = _Page(source)
    blocks = page_blocks(page_lines(text))
    listed: set[int] = set()  # bullet blocks read as a sentence's list ("acts to:")
    for index, block in enumerate(blocks):
        if block.kind == "heading":
            _heading(page, blocks, index)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if (
                following is not None
                and following.kind == "bullets"
                and block.text.rstrip().endswith(":")
                and _listed_action(page, block, following)
            ):
                listed.add(index + 1)
        elif block.kind == "field":
            _field(page, block)
        elif block.kind == "table":
            _table(page, block)
        elif block.kind in ("prose", "label"):
            if block.kind == "prose":
                _prose(page, block)
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            if (
                following is not None
                and following.kind == "bullets"
                and _listed_action(page, block, following)
            ):
                listed.add(index + 1)
        elif block.kind == "bullets" and index in listed:
            continue
        elif block.kind == "bullets" and _numbered_heading(blocks, index):
            # "1. Adductor longus" alone: a numbered heading.
            as_heading = Block("heading", block.line, text=block.items[0])
            _heading(page, [as_heading, *blocks[index + 1 :]], 0)
        elif block.kind == "bullets":
            # A list of sentences ("• The biceps femoris attaches from … to …").
            for offset, item in enumerate(block.items):
                _prose(page, Block("prose", block.line + offset, text=item))
    structures = [s for d in page.drafts if (s := _finish(page, d)) is not None]
    if not structures:
        page.warnings.append(
            f"{source}: no structure found (no labelled facts such as "
            "'Origin:' and no sentences such as '… arises from …')"
        )
    return Extraction(structures, page.warnings)


def read_source(source: str | Path) -> tuple[str, str]:
    """(text, name to cite) of a page file or a page's address (fetched, see `fetch`)."""
    if isinstance(source, str) and is_url(source):
        page = fetch_page(source)
        # The address names the page's subject, as a pasted "Source:" line does.
        return f"Source: {page.url}\n\n{page.text}", source
    path = Path(source)
    return read_page(path), str(path)


def extract_files(paths: Sequence[str | Path]) -> Extraction:
    """Every page's structures; one muscle described in two pages is merged (first wins).

    A page is a file (text, Markdown, HTML) or an http(s) address.
    """
    result = Extraction()
    by_slug: dict[str, ExtractedStructure] = {}
    for path in paths:
        text, cited = read_source(path)
        found = extract_text(text, cited)
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
