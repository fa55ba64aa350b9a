"""A page as the extractor reads it: plain lines, whatever the file was.

Real fact sheets arrive as text copied from a browser, Markdown, or saved HTML. Each is
brought to the same shape: one line per paragraph, list item, table row or heading,
with headings and list items marked, markup and citation marks ("[12]") removed.
HTML is read as a browser reads it (the HTML standard's parsing rules, through html5lib),
so markup that real and hand-saved pages get wrong (a missing ``</head>``, ``<h1>`` closed
by ``</h2>``, an unclosed ``<b>``, ``<li>``, ``<p>`` or ``<td>``, a stray ``</div>``) gives
the same page as the clean markup: headings become ``#`` lines, list items ``- `` lines,
table rows ``| a | b |`` lines, and scripts, styles, navigation and footers are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from bs4 import BeautifulSoup, Tag
from bs4.builder._html5lib import HTML5TreeBuilder, TreeBuilderForHtml5lib
from bs4.element import Comment, Doctype, NavigableString

from flashcards.errors import FlashcardsError, read_bounded

__all__ = ["PageLine", "html_to_text", "page_lines", "read_page", "source_name"]

MAX_PAGE_BYTES = 5 * 1024 * 1024
MAX_HTML_DEPTH = 400  # real pages nest a few dozen elements; the reader recurses per level


@dataclass(frozen=True)
class PageLine:
    number: int  # 1-based, in the text as read (after HTML became text)
    text: str  # cleaned; '' for a blank line
    heading: int  # Markdown/HTML heading level, 0 when not marked as a heading
    bullet: bool  # a list item (its marker removed)
    source: bool = False  # a "Source: URL" line, read as the title it names


def read_page(path: Path) -> str:
    """The text of a page file (HTML turned into text); errors name the file."""
    try:
        data = read_bounded(path, MAX_PAGE_BYTES, "a page")
    except FileNotFoundError:
        raise FlashcardsError(f"no such file: {path}") from None
    except IsADirectoryError:
        raise FlashcardsError(f"{path} is a folder; give the page files themselves") from None
    except OSError as exc:
        raise FlashcardsError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if b"\x00" in data[:4096] or data.startswith(b"%PDF"):
        raise FlashcardsError(f"{path}: not a text or HTML page (save the page as text first)")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if path.suffix.lower() in (".html", ".htm", ".xhtml") or _looks_like_html(text):
        try:
            text = html_to_text(text)
        except FlashcardsError as exc:
            raise FlashcardsError(f"{path}: {exc}") from None
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:4000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(re.findall(r"<(?:p|div|h[1-6]|table|li|br|span)\b", head)) >= 3


# Elements that are never the page's content, and class/id words that mark page chrome.
_SKIP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "nav",
    "footer",
    "aside",
    "form",
    "button",
    "select",
    "iframe",
    "object",
    "head",
)
_CHROME = re.compile(
    r"(?:^|[-_\s])(?:nav|navbar|navigation|menu|left-menu|sidebar|footer|site-footer|"
    r"cookie|cookies|banner|advert|advertisement|ads?|ad-slot|promo|share|social|"
    r"breadcrumbs?|related|catlinks|jump-to-nav|mw-jump-link|editsection|mw-editsection|"
    r"subscribe|newsletter|comments?|toc)(?:$|[-_\s])",
    re.IGNORECASE,
)
_BLOCK_TAGS = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "ul",
    "ol",
    "dl",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "hr",
    "address",
    "details",
    "summary",
    "body",
    "center",
    "br",
    "dt",
    "dd",
    "caption",
    "li",
    "table",
    "tr",
}


_INLINE_TAGS = ("b", "strong", "i", "em", "a", "span", "u", "small", "sup", "sub")
# What ends a line wherever it stands, an inline element left open around it too.
_BLOCK_NAMES = [*_BLOCK_TAGS, "h1", "h2", "h3", "h4", "h5", "h6", "td", "th"]


def _is_chrome(tag: Tag) -> bool:
    words = " ".join(
        [
            str(tag.get("id") or ""),
            *(str(c) for c in (tag.get("class") or [])),
            str(tag.get("role") or ""),
        ]
    )
    return bool(words.strip()) and _CHROME.search(words) is not None


def _deeper_than(soup: BeautifulSoup, limit: int) -> bool:
    """Whether any element lies more than ``limit`` elements deep, found without recursion."""
    stack: list[tuple[Tag, int]] = [(soup, 0)]
    while stack:
        tag, depth = stack.pop()
        if depth > limit:
            return True
        stack.extend((child, depth + 1) for child in tag.contents if isinstance(child, Tag))
    return False


class _TooDeepError(Exception):
    pass


class _OpenElements(list[object]):
    """The parser's stack of open elements, refused past ``MAX_HTML_DEPTH``: the standard's
    rules look through this stack for each tag, so a page of 100,000 unclosed ``<div>``
    or ``<b>`` would otherwise take minutes before the depth could be checked."""

    def append(self, item: object) -> None:
        if len(self) >= MAX_HTML_DEPTH:
            raise _TooDeepError
        super().append(item)


class _BoundedTree(TreeBuilderForHtml5lib):
    def reset(self) -> None:
        super().reset()
        self.openElements = _OpenElements()


class _BrowserParser(HTML5TreeBuilder):
    """html5lib, as bs4 drives it, with the depth bound on its stack of open elements."""

    def create_treebuilder(self, namespaceHTMLElements: bool) -> TreeBuilderForHtml5lib:  # noqa: N803
        self.underlying_builder = _BoundedTree(
            namespaceHTMLElements, self.soup, store_line_numbers=self.store_line_numbers
        )
        return self.underlying_builder


class _Tag(Tag):
    def index(self, element: object) -> int:
        """The child's position, looked for from the end: bs4's html5lib builder joins each
        run of text to the last child, found by ``index`` (from the start, that made a
        container of many children quadratic; a 1.5 MB page took 11 s, not 3)."""
        for position in range(len(self.contents) - 1, -1, -1):
            if self.contents[position] is element:
                return position
        raise ValueError("Tag.index: element not in tag")


def _too_deep() -> FlashcardsError:
    return FlashcardsError(
        f"its HTML is nested more than {MAX_HTML_DEPTH} elements deep; "
        "not a page to extract from (save the page as text instead)"
    )


def _parse(html: str) -> BeautifulSoup:
    """The page as a browser builds it: html5lib follows the HTML standard's rules for
    markup left open or closed twice, where Python's own parser nests whatever is left
    open (a page without ``</head>`` would be all head, and dropped)."""
    try:
        soup = BeautifulSoup(html, builder=_BrowserParser(), element_classes={Tag: _Tag})
    except _TooDeepError:
        raise _too_deep() from None
    if _deeper_than(soup, MAX_HTML_DEPTH):
        raise _too_deep()
    return soup


def _decomposed(tag: Tag) -> bool:
    """Whether the tag went with a chrome ancestor. Read from the tag's own attributes:
    bs4's ``decomposed`` property looks ``_decomposed`` up as a child tag on a live one,
    a search of the whole subtree per tag (a page of 16,000 nested ``<div>`` took 36 s)."""
    return bool(vars(tag).get("_decomposed", False))


def _text(tag: Tag) -> str:
    return " ".join(tag.get_text(" ", strip=True).split())


def html_to_text(html: str) -> str:
    """The page's text, one paragraph, heading, list item or table row a line.

    Read with BeautifulSoup: scripts, styles, navigation, footers, asides, forms and
    anything whose class or id marks it as a menu, banner, advert or the like are
    dropped; ``<title>`` and ``<h1>``-``<h6>`` become ``#`` headings, list items ``- ``
    lines, table rows ``| a | b |`` lines and a table's caption a heading above it.
    """
    soup = _parse(html)
    title = soup.find("title")
    title_text = _text(title) if isinstance(title, Tag) else ""
    for tag in soup.find_all([t for t in _SKIP_TAGS if t not in _WRAPPERS]):
        tag.decompose()
    body = soup.body or soup
    size = len(_text(body))
    kept: set[int] = set()
    for tag in soup.find_all(True):
        if (
            isinstance(tag, Tag)
            and not _decomposed(tag)
            and tag.name not in ("html", "body")
            and (tag.name in _WRAPPERS or _is_chrome(tag))
        ):
            _drop(tag, size, kept)
    lines: list[str] = []
    _walk(body, lines)
    if size and not lines:
        raise FlashcardsError(
            "all its text is in parts of a page that are left out (navigation, menus, "
            "sidebars, banners, footers, forms); nothing to extract (save the article's "
            "text as a .txt file instead)"
        )
    if title_text:
        lines.insert(0, f"# {title_text}")
    return "\n\n".join(line for line in lines if line.strip()) + "\n"


# Parts of a page left out that a page may be left inside: an unclosed <nav> or menu
# holds the rest of the page, and an ASP.NET page is one <form>.
_WRAPPERS = ("nav", "aside", "footer", "form")
_CONTENT = ["main", "article", "h1"]


def _drop(tag: Tag, page_size: int, kept: set[int]) -> None:
    """Leave out a part of the page that is not its content. One that holds the page's
    main content, article or first heading and most of its text is a menu or banner
    left open, or a form around the page: a browser shows the page after the menu, so
    only what comes before that content goes. ``kept``: the content already found so
    (menus left open inside each other hold the same page, measured once)."""
    content = tag.find(_CONTENT)
    if content is None:
        tag.decompose()
        return
    if id(content) not in kept:
        if 2 * len(_text(tag)) < page_size:
            tag.decompose()
            return
        kept.add(id(content))
    node: Tag = content
    while node is not tag and node.parent is not None:
        for sibling in list(node.previous_siblings):
            if isinstance(sibling, Tag):
                sibling.decompose()
            else:
                sibling.extract()
        node = node.parent


def _walk(node: Tag, lines: list[str]) -> None:
    inline: list[str] = []
    _walk_children(node, lines, inline)
    _flush(inline, lines)


def _flush(inline: list[str], lines: list[str]) -> None:
    text = " ".join("".join(inline).split())
    if text:
        lines.append(text)
    inline.clear()


def _walk_children(node: Tag, lines: list[str], inline: list[str]) -> None:
    for child in node.children:
        if isinstance(child, NavigableString):
            if not isinstance(child, (Comment, Doctype)):
                inline.append(str(child))
            continue
        if not isinstance(child, Tag):
            continue
        name = child.name
        if re.fullmatch(r"h[1-6]", name):
            _flush(inline, lines)
            text = _text(child)
            if text:
                lines.append("#" * int(name[1]) + " " + text)
        elif name == "table" and _layout_table(child):
            _flush(inline, lines)
            for cell in _own_cells(child):
                _walk(cell, lines)  # a page laid out in a table: read the cells as the page
        elif name == "table":
            _flush(inline, lines)
            _table(child, lines)
        elif name == "li":
            _flush(inline, lines)
            sub: list[str] = []
            _walk(child, sub)
            if sub:
                lines.append("- " + sub[0])
                lines.extend(sub[1:])
        elif name == "dt":
            _flush(inline, lines)
            text = _text(child)
            if text:
                lines.append(text.rstrip(":") + ":")
        elif name == "br":
            _flush(inline, lines)
        elif name in _BLOCK_TAGS:
            _flush(inline, lines)
            _walk(child, lines)
        elif child.find(_BLOCK_NAMES) is not None:
            # An inline element left open over blocks ("<b>Origin: fossa<div>Insertion: …"),
            # as a browser shows it: its text on the line, each of its blocks on its own.
            _walk_children(child, lines, inline)
        else:
            inline.append(
                " " + child.get_text(" ") + " " if name not in _INLINE_TAGS else child.get_text()
            )


def _own_cells(table: Tag) -> list[Tag]:
    return [
        cell
        for cell in table.find_all(["td", "th"])
        if isinstance(cell, Tag) and cell.find_parent("table") is table
    ]


def _layout_table(table: Tag) -> bool:
    """A table that lays out a page (an e-mail newsletter), not one of facts: its cells
    hold paragraphs, lists, headings or other tables."""
    return any(
        cell.find(["p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6"]) is not None
        for cell in _own_cells(table)
    )


def _table(table: Tag, lines: list[str]) -> None:
    caption = table.find("caption")
    if isinstance(caption, Tag):
        text = _text(caption)
        if text:
            lines.append(f"### {text}")
        caption.decompose()
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue  # a nested table's rows are read with it
        cells = [
            " ".join(cell.get_text("; ", strip=True).split()).strip(" ;")
            for cell in row.find_all(["td", "th"], recursive=False)
        ]
        if any(cells):
            lines.append("| " + " | ".join(cells) + " |")


_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_CITATION = re.compile(
    r"\[(?:\d+(?:\s*[,–-]\s*\d+)*|citation needed|note \d+|[a-z]|clarification needed|edit|"
    r"better source needed)\]|\bTemplate:[\w ]+|\bScript error: [^.]*\.",
    re.IGNORECASE,
)
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BULLET = re.compile(r"^(?:[-*+•·▪►◦‣●○■□➢✓✔–]|\d{1,2}[.)]|[a-h][.)]|\(\d{1,2}\))\s+")
_HEADING = re.compile(r"^(#{1,6})\s+")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")


def _clean(text: str) -> str:
    text = _INVISIBLE.sub("", text).replace("\u00a0", " ").replace("\u2009", " ")
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = re.sub(r"(?<=[A-Za-z])·(?=[A-Za-z])", "", text)  # a dictionary's "pso·as ma·jor"
    text = _CITATION.sub("", text)
    text = _URL.sub("", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?\S|\S)[*_](?!\w)", r"\1", text)  # *emphasis*
    text = text.rstrip("\\").rstrip()
    return text


# "Source: https://…" (or URL:, From:): where the page came from, as an instructor pastes it.
_SOURCE_LINE = re.compile(r"^\s*(?:source|url|from|link|address)\s*:\s*(https?://\S+)\s*$", re.I)
_WIKI_HEADING = re.compile(r"^(={1,6})\s*(.+?)\s*\1\s*$")
# Capital labels run into one paragraph ("ORIGIN Gluteus medius originates … INSERTION …").
_CAPS_LABEL = re.compile(
    r"\b(ORIGIN|INSERTION|INNERVATION|NERVE SUPPLY|BLOOD SUPPLY|ARTERIAL SUPPLY|ACTIONS?|"
    r"FUNCTION|DESCRIPTION|VARIATIONS|RELATIONS|NOTES?)\b(?=\s+[A-Z(])"
)
# "…of femurInsertion: Calcaneus": a label glued to the value before it.
_GLUED_LABEL = re.compile(
    r"(?<=[a-z.)])(?=(?:Origin|Insertion|Action|Actions|Function|Innervation|Nerve|"
    r"Nerve supply|Blood supply|Artery)\s*:\s)"
)
# A citation number glued to a word ("sacrum6", "trochanter7").
_GLUED_CITATION = re.compile(r"(?<=[a-z]{3})\d{1,2}\b")


def source_name(url: str) -> str | None:
    """The muscle a page's address names ('…/muscles-tendons/iliacus/' -> 'Iliacus')."""
    from flashcards.extract.lexicon import find_muscles

    path = re.sub(r"^https?://[^/]+", "", url).split("?")[0].split("#")[0]
    for segment in reversed([s for s in path.split("/") if s]):
        words = re.sub(r"\.\w{2,5}$", "", segment)
        words = re.sub(r"%20|[-_+.]", " ", words)
        found = {m.canonical for m in find_muscles(words) if not m.short}
        if len(found) == 1:
            return found.pop()
        if found:
            return None
    return None


def _split_caps_labels(line: str) -> list[str]:
    labels = list(_CAPS_LABEL.finditer(line))
    if len(labels) < 3:
        return [line]
    parts = [line[: labels[0].start()].strip()]
    for n, match in enumerate(labels):
        stop = labels[n + 1].start() if n + 1 < len(labels) else len(line)
        label = match.group(1).capitalize()
        parts.append(f"{label}: {line[match.end() : stop].strip()}")
    return [p for p in parts if p]


def page_lines(text: str) -> list[PageLine]:
    """Numbered, cleaned lines; Markdown headings, underlined headings and bullets marked."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    glued_citations = len(_GLUED_CITATION.findall(text)) >= 3
    lines: list[PageLine] = []
    fenced = False
    for index, line in enumerate(raw):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced  # code is not prose: a fenced block reads as blank lines
            lines.append(PageLine(index + 1, "", 0, False))
            continue
        if fenced:
            lines.append(PageLine(index + 1, "", 0, False))
            continue
        source = _SOURCE_LINE.match(line)
        if source:
            # The page's address names its subject: read as a title naming that muscle.
            name = source_name(source.group(1))
            lines.append(PageLine(index + 1, name or "", 1 if name else 0, False, source=True))
            continue
        if glued_citations:
            line = _GLUED_CITATION.sub("", line)
        line = _GLUED_LABEL.sub("\n", line)
        pieces = [p for part in line.split("\n") for p in _split_caps_labels(part)]
        for piece in pieces:
            lines.extend(_page_line(piece, index + 1, lines))
    return lines


def _page_line(line: str, number: int, lines: list[PageLine]) -> list[PageLine]:
    stripped = _clean(line).strip()
    stripped = re.sub(r"^>\s*", "", stripped)
    if re.fullmatch(r"(=){3,}|(-){3,}", stripped) and lines and lines[-1].text:
        # A Setext underline makes the line above a heading.
        previous = lines[-1]
        level = 1 if stripped.startswith("=") else 2
        lines[-1] = PageLine(previous.number, previous.text, level, False)
        return [PageLine(number, "", 0, False)]
    wiki = _WIKI_HEADING.match(stripped)
    if wiki:
        return [PageLine(number, wiki.group(2).strip(), len(wiki.group(1)), False)]
    heading = _HEADING.match(stripped)
    if heading:
        text_part = stripped[heading.end() :].strip().rstrip("#").strip()
        return [PageLine(number, text_part, len(heading.group(1)), False)]
    bullet = _BULLET.match(stripped)
    if bullet and not re.fullmatch(r"[-*_=]{3,}", stripped):
        return [PageLine(number, stripped[bullet.end() :].strip(), 0, True)]
    if re.fullmatch(r"[-*_=~]{3,}", stripped) or not re.search(r"[^\W_]|\|", stripped):
        stripped = ""  # a rule, or a line of nothing but punctuation (a stray ".")
    return [PageLine(number, stripped, 0, False)]
