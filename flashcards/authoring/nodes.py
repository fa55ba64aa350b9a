"""The low-level half of deck-file reading: YAML nodes to values, slugs and cloze markers.

Pure and free of the deck dataclasses, so `deckfile` can stay about the deck format itself.
Problems are recorded as ``(line, message, severity, rule)`` for `deckfile` to turn into
`Problem`s; ``rule`` names the lint rule of a warning that has one (``wrong-type``).
"""

from __future__ import annotations

import difflib
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path, PureWindowsPath
from typing import cast

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from flashcards.errors import MB, FlashcardsError, read_bounded

__all__ = [
    "Fields",
    "Finding",
    "NodeReader",
    "card_id",
    "cloze_answers",
    "cloze_ordinals",
    "cloze_problems",
    "item_slug",
    "slugify",
]

Finding = tuple[int, str, str, str | None]  # 1-based line, message, severity, rule

# Words authors reach for that difflib cannot connect to our short key names.
_SYNONYMS = {
    "question": "q",
    "front": "q",
    "answer": "a",
    "back": "a",
    "text": "cloze",
    "notes": "extra",
    "name": "deck",
    "nerve": "innervation",
    "nerve_supply": "innervation",
    "artery": "blood_supply",
    "arterial_supply": "blood_supply",
    "synonyms": "aliases",
}
_BOOLS = {"true": True, "yes": True, "false": False, "no": False}
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]*")
_CARD_ID_MAX = 60
MAX_DECK_FILE_BYTES = 64 * MB  # a 35,000-card deck file is a few MB
_NULL_TAG = "tag:yaml.org,2002:null"
# Plain scalars YAML reads as something other than text: kept as the text written, but
# `insertion: 5` or `origin: No` is more likely a slip than a fact (wrong-type).
_NOT_TEXT = {
    "tag:yaml.org,2002:int": "a number",
    "tag:yaml.org,2002:float": "a number",
    "tag:yaml.org,2002:bool": "a yes/no value",
    "tag:yaml.org,2002:timestamp": "a date",
}
# Keys whose value is an identifier, where a number is as good as a word.
_ANY_SCALAR_KEYS = frozenset({"id", "tags", "reverse", "html"})

# Letters that NFKD does not split into an ASCII base letter plus accents.
_FOLD = str.maketrans(
    {"ß": "ss", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L"}
)
_APOSTROPHES = re.compile(r"['’ʼ`]")
_CLOZE_ORDINAL = re.compile(r"\{\{c([0-9]+)::")
_CLOZE_MARKER = re.compile(r"\{\{c[0-9]+::(.*?)(?:::.*?)?\}\}", re.DOTALL)
_BRACES = re.compile(r"\{\{|\}\}")


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by '-': ``"Psoas major"`` -> ``"psoas-major"``."""
    # Apostrophes go first so "Meckel's" stays one word rather than "meckel-s".
    unquoted = _APOSTROPHES.sub("", text.translate(_FOLD))
    decomposed = unicodedata.normalize("NFKD", unquoted)
    # Accents go; any other non-ASCII character (a dash, a Greek letter) separates words.
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return "-".join(re.findall(r"[a-z0-9]+", folded.lower()))


def card_id(text: str) -> str:
    """Identity of a card without `id:`; the hash keeps long, similar questions apart."""
    slug = slugify(text)
    digest = hashlib.sha1(text.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    if not slug:
        return f"card-{digest}"
    if len(slug) <= _CARD_ID_MAX:
        return slug
    return f"{slug[:_CARD_ID_MAX].rstrip('-')}-{digest}"


def item_slug(item: str) -> str:
    """The key part of one list item asked alone (``ask: each``): its slug, cut short with
    a hash so that two long items that begin alike stay apart. "reverse" is taken (the
    reverse cards of the field), so an item of that slug gets another."""
    slug = slugify(item) or "item"
    if slug == "reverse":
        return "reverse-item"
    if len(slug) <= _CARD_ID_MAX:
        return slug
    digest = hashlib.sha1(item.encode("utf-8"), usedforsecurity=False).hexdigest()[:8]
    return f"{slug[:_CARD_ID_MAX].rstrip('-')}-{digest}"


def cloze_ordinals(text: str) -> tuple[int, ...]:
    """Sorted distinct N of every ``{{cN::…}}`` marker in ``text``."""
    return tuple(sorted({int(n) for n in _CLOZE_ORDINAL.findall(text)}))


def cloze_answers(text: str) -> str:
    """The cloze text as a reader sees it with every answer shown (hints dropped)."""
    return _CLOZE_MARKER.sub(r"\1", text)


def cloze_problems(text: str) -> list[str]:
    """Every malformed or unbalanced marker in a cloze text; empty when it is fine."""
    problems: list[str] = []
    opened: list[int] = []
    markers = 0
    for brace in _BRACES.finditer(text):
        if brace.group() == "{{":
            if len(opened) == 1:
                problems.append("cloze markers cannot be nested: {{c1::… {{c2::…}} …}}")
            opened.append(brace.start())
        elif not opened:
            problems.append("unbalanced '}}' in the cloze text: no '{{' opens it")
        else:
            start = opened.pop()
            if not opened:
                markers += 1
                problem = _cloze_marker_problem(text[start + 2 : brace.start()])
                problems.extend([problem] if problem else [])
    if opened:
        problems.append("unbalanced '{{' in the cloze text: no '}}' closes it")
    if not markers and not problems:
        problems.append("cloze text has no {{c1::…}} marker")
    return problems


def _cloze_marker_problem(content: str) -> str | None:
    marker = "{{" + (content if len(content) <= 40 else content[:39] + "…") + "}}"
    if re.match(r"c[0-9]+:(?!:)", content):
        return f"cloze marker '{marker}' has a single ':'; write {{{{c1::answer}}}}"
    head, separator, rest = content.partition("::")
    if not separator or not head.startswith("c"):
        return f"'{marker}' is not a cloze marker; write {{{{c1::answer}}}}"
    if not re.fullmatch(r"[0-9]+", head[1:]):
        return f"cloze marker '{marker}' needs a number after 'c' (c1, c2, …)"
    if int(head[1:]) == 0:
        return f"cloze marker '{marker}': numbering starts at c1"
    if not rest.partition("::")[0].strip():
        return f"cloze marker '{marker}' is empty"
    return None


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _kind(node: Node) -> str:
    if isinstance(node, MappingNode):
        return "a mapping"
    if isinstance(node, SequenceNode):
        return "a list"
    return "text"


def _is_null(node: Node) -> bool:
    return isinstance(node, ScalarNode) and node.tag == _NULL_TAG


def _unknown_key(key: str, known: tuple[str, ...]) -> str:
    synonym = _SYNONYMS.get(key.lower().replace(" ", "_"))
    close = [synonym] if synonym in known else difflib.get_close_matches(key.lower(), known, n=1)
    if close:
        return f"unknown key '{key}' (did you mean '{close[0]}'?)"
    return f"unknown key '{key}' (known keys: {', '.join(known)})"


@dataclass
class NodeReader:
    """Reads the node tree of one file, recording every problem on the way."""

    path: Path
    findings: list[Finding] = field(default_factory=list)

    def error(self, line: int, message: str) -> None:
        self.findings.append((line, message, "error", None))

    def warn(self, line: int, message: str, rule: str | None = None) -> None:
        """A warning; with ``rule`` (a lint rule's name) it reads ``<rule>: <message>``."""
        text = f"{rule}: {message}" if rule else message
        self.findings.append((line, text, "warning", rule))

    def check_text_type(self, key: str, node: ScalarNode) -> None:
        """Warn (wrong-type) when a plain value is read by YAML as a number, a yes/no or a
        date rather than text."""
        what = _NOT_TEXT.get(node.tag) if not node.style else None
        if what is None or key in _ANY_SCALAR_KEYS:
            return
        value = str(node.value)
        self.warn(
            _line(node),
            f"'{key}' is written as {what} ({value}), not text: write the fact in words, "
            f"or quote it ('{value}') if this is the text you mean",
            "wrong-type",
        )

    def document(self) -> MappingNode | None:
        """The top-level mapping, composed (never constructed) so each value keeps its line."""
        try:
            raw = read_bounded(self.path, MAX_DECK_FILE_BYTES, "a deck file")
        except OSError as exc:
            self.error(1, f"cannot read the file: {exc.strerror or exc}")
            return None
        except FlashcardsError:
            self.error(1, f"over {MAX_DECK_FILE_BYTES // MB} MB: too large for a deck file")
            return None
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            self.error(line, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}); save it as UTF-8")
            return None
        try:
            documents = _compose(text)
        except yaml.MarkedYAMLError as exc:
            self.error(*_syntax_error(exc))
            return None
        except yaml.reader.ReaderError as exc:
            line = text.count("\n", 0, int(exc.position)) + 1
            char = exc.character
            shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
            self.error(line, f"invalid YAML: control character {shown} is not allowed")
            return None
        if not documents or (len(documents) == 1 and _is_null(documents[0])):
            self.error(1, "the file is empty: a deck file needs at least 'deck: <name>'")
            return None
        for extra in documents[1:]:
            message = "a second YAML document starts here ('---'): one deck per file"
            self.error(_line(extra), message)
        if not isinstance(documents[0], MappingNode):
            kind = _kind(documents[0])
            message = f"the top level must be a mapping (deck: …), not {kind}"
            self.error(_line(documents[0]), message)
            return None
        return documents[0]

    def fields(self, node: MappingNode, known: tuple[str, ...]) -> Fields:
        entries: dict[str, tuple[int, Node]] = {}
        for key_node, value in node.value:
            line = key_node.start_mark.line + 1
            if not isinstance(key_node, ScalarNode) or key_node.tag == _NULL_TAG:
                self.error(line, f"a key must be a word, not {_kind(key_node)}")
                continue
            key = str(key_node.value)
            if key in entries:
                self.error(line, f"duplicate key '{key}' (first at line {entries[key][0]})")
            elif key not in known:
                self.error(line, _unknown_key(key, known))
            else:
                entries[key] = (line, value)
        return Fields(self, _line(node), entries)


def _compose(text: str) -> list[Node]:
    """The file's node trees: by libyaml when present (a 35,000-card deck file composed in
    0.8 s of CPU instead of 4.9 s), else, and for any problem, by the pure-Python loader,
    whose messages and positions the checks and their tests are written against."""
    fast = _FAST_LOADER or getattr(yaml, "CSafeLoader", None)
    if fast is not None:
        try:
            return list(yaml.compose_all(text, Loader=fast))
        except yaml.YAMLError:
            pass
    _check_depth(text)
    return list(yaml.compose_all(text, Loader=yaml.SafeLoader))


def _fast_loader() -> type | None:
    """libyaml's loader with its tag resolution in less Python: libyaml calls the loader's
    ``resolve`` for every scalar and ``descend_resolver``/``ascend_resolver`` for every
    node, an eighth of composing (0.19 s -> 0.165 s of CPU for the 35,000-card file).
    The same tags: SafeLoader's implicit resolvers, looked up by first character as
    ``BaseResolver.resolve`` does; None where path resolvers are registered, which this
    does not handle."""
    base = getattr(yaml, "CSafeLoader", None)
    if base is None or base.yaml_path_resolvers:
        return None
    implicit: dict[str | None, list[tuple[str, re.Pattern[str]]]] = base.yaml_implicit_resolvers
    anywhere = tuple(implicit.get(None, ()))
    by_first = {first: (*found, *anywhere) for first, found in implicit.items() if first}
    by_first[""] = (*implicit.get("", ()), *anywhere)
    scalar: str = base.DEFAULT_SCALAR_TAG
    sequence: str = base.DEFAULT_SEQUENCE_TAG
    mapping: str = base.DEFAULT_MAPPING_TAG

    class FastLoader(base):  # type: ignore[misc, valid-type]
        def resolve(self, kind: type, value: str, implicit: tuple[bool, bool]) -> str:
            if kind is ScalarNode:
                if implicit[0]:
                    for tag, pattern in by_first.get(value[:1], anywhere):
                        if pattern.match(value):
                            return tag
                return scalar
            return sequence if kind is SequenceNode else mapping

        def descend_resolver(self, current_node: Node | None, current_index: object) -> None:
            return None

        def ascend_resolver(self) -> None:
            return None

    return FastLoader


_FAST_LOADER = _fast_loader()


MAX_DEPTH = 100  # far deeper than any deck file; PyYAML's composer recurses per level


def _check_depth(text: str) -> None:
    """Refuse nesting deeper than ``MAX_DEPTH`` before the recursive composer meets it
    (5,000 ``[`` would exhaust Python's stack). The parser's events come without
    recursion; a syntax error before that depth is left for the composer to report."""
    depth = 0
    try:
        for event in yaml.parse(text, Loader=yaml.SafeLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise yaml.MarkedYAMLError(
                        problem=f"nested more than {MAX_DEPTH} levels deep",
                        problem_mark=cast("yaml.error.Mark", event.start_mark),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        if exc.problem and exc.problem.startswith("nested more than"):
            raise


def _syntax_error(exc: yaml.MarkedYAMLError) -> tuple[int, str]:
    mark = exc.problem_mark or exc.context_mark
    message = f"invalid YAML: {exc.problem or exc.context}"
    if exc.problem and exc.context and exc.context_mark:
        message += f" ({exc.context} at line {exc.context_mark.line + 1})"
    return (mark.line + 1 if mark else 1), message


@dataclass
class Fields:
    """The known keys of one mapping, each with the line of its key; absent keys read as None."""

    reader: NodeReader
    line: int
    entries: dict[str, tuple[int, Node]]

    def __contains__(self, key: str) -> bool:
        return key in self.entries

    def key_line(self, key: str) -> int:
        return self.entries[key][0] if key in self.entries else self.line

    def text(self, key: str) -> str | None:
        entry = self.entries.get(key)
        if entry is None:
            return None
        line, node = entry
        if not isinstance(node, ScalarNode):
            self.reader.error(line, f"'{key}' must be text, not {_kind(node)}")
            return None
        # The raw text, never the constructed value: `a: No` is the word "No", not False.
        value = "" if node.tag == _NULL_TAG else node.value.strip()
        if not value:
            self.reader.error(line, f"empty value for '{key}'")
            return None
        if not node.style and node.tag in _NOT_TEXT:  # the test of check_text_type
            self.reader.check_text_type(key, node)
        return value

    def texts(self, key: str, *, may_be_empty: bool) -> tuple[list[tuple[int, str]], bool] | None:
        """Items with their lines, and whether the file wrote a list (a string is one item)."""
        entry = self.entries.get(key)
        if entry is None:
            return None
        line, node = entry
        if isinstance(node, ScalarNode):
            if may_be_empty and node.tag == _NULL_TAG:
                return [], False
            value = self.text(key)
            return None if value is None else ([(line, value)], False)
        if isinstance(node, MappingNode):
            self.reader.error(line, f"'{key}' must be text or a list of text, not a mapping")
            return None
        items: list[tuple[int, str]] = []
        for item in node.value:
            if not isinstance(item, ScalarNode):
                message = f"each item of '{key}' must be text, not {_kind(item)}"
                self.reader.error(_line(item), message)
            elif not (text := "" if item.tag == _NULL_TAG else item.value.strip()):
                self.reader.error(_line(item), f"empty item in '{key}'")
            else:
                if not item.style and item.tag in _NOT_TEXT:
                    self.reader.check_text_type(key, item)
                items.append((item.start_mark.line + 1, text))
        if len(items) < len(node.value):
            return None
        if not items and not may_be_empty:
            self.reader.error(line, f"empty list for '{key}'")
            return None
        return items, True

    def mappings(self, key: str) -> list[MappingNode]:
        if key not in self.entries or _is_null(self.entries[key][1]):
            return []
        line, node = self.entries[key]
        if not isinstance(node, SequenceNode):
            self.reader.error(line, f"'{key}' must be a list, not {_kind(node)}")
            return []
        items: list[MappingNode] = []
        for item in node.value:
            if isinstance(item, MappingNode):
                items.append(item)
            else:
                message = f"each item of '{key}' must be a mapping, not {_kind(item)}"
                self.reader.error(_line(item), message)
        return items

    def tags(self) -> tuple[str, ...]:
        read = self.texts("tags", may_be_empty=True)
        for line, tag in read[0] if read else []:
            if len(tag.split()) > 1:
                hyphenated = "-".join(tag.split())
                self.reader.error(line, f"tag '{tag}' contains a space; use '{hyphenated}'")
        return tuple(dict.fromkeys(tag for _, tag in read[0])) if read else ()

    def flag(self, key: str) -> bool:
        if key not in self.entries:
            return False
        node = self.entries[key][1]
        if isinstance(node, ScalarNode) and str(node.value).lower() in _BOOLS:
            return _BOOLS[str(node.value).lower()]
        shown = f"'{node.value}'" if isinstance(node, ScalarNode) else _kind(node)
        self.reader.error(self.key_line(key), f"'{key}' must be true or false, not {shown}")
        return False

    def slug(self, key: str) -> str | None:
        value = self.text(key)
        if value is None or _SLUG.fullmatch(value):
            return value
        hint = f"; use '{slugify(value)}'" if slugify(value) else ""
        message = f"{key} '{value}' is not a slug (lowercase letters, digits and '-'){hint}"
        self.reader.error(self.key_line(key), message)
        return None

    def image(self) -> Path | None:
        """The image file, resolved against the deck file's folder."""
        value = self.text("image")
        if value is None:
            return None
        line = self.key_line("image")
        # Media travel with the deck file, so a path outside its folder would break on copy.
        if Path(value).is_absolute() or PureWindowsPath(value).anchor:
            message = f"image path '{value}' is absolute; make it relative to this file"
            self.reader.error(line, message)
            return None
        if Path(os.path.normpath(value)).parts[:1] == ("..",):
            self.reader.error(line, f"image path '{value}' leaves the deck file's folder ('..')")
            return None
        resolved = (self.reader.path.parent / value).resolve()
        if not resolved.is_file():
            self.reader.error(line, f"image not found: '{value}' (relative to this file's folder)")
            return None
        return resolved
