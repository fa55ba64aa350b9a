"""A page as the extractor reads it: plain lines, whatever the file was.

Real fact sheets arrive as text copied from a browser, Markdown, or saved HTML. Each is
brought to the same shape: one line per paragraph, list item, table row or heading,
with headings and list items marked, markup and citation marks ("[12]") removed.
HTML is read with the standard library's parser: headings become ``#`` lines, list
items ``- `` lines, table rows ``| a | b |`` lines, and scripts, styles, navigation and
footers are dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

from flashcards.errors import FlashcardsError, read_bounded

__all__ = ["PageLine", "html_to_text", "page_lines", "read_page"]

MAX_PAGE_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class PageLine:
    number: int  # 1-based, in the text as read (after HTML became text)
    text: str  # cleaned; '' for a blank line
    heading: int  # Markdown/HTML heading level, 0 when not marked as a heading
    bullet: bool  # a list item (its marker removed)


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
        text = html_to_text(text)
    return text


def _looks_like_html(text: str) -> bool:
    head = text[:4000].lstrip().lower()
    if head.startswith(("<!doctype html", "<html")):
        return True
    return len(re.findall(r"<(?:p|div|h[1-6]|table|li|br|span)\b", head)) >= 3


_SKIP = {
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
}
_BLOCK = {
    "p",
    "div",
    "section",
    "article",
    "main",
    "header",
    "ul",
    "ol",
    "dl",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "caption",
    "hr",
    "address",
    "details",
    "summary",
    "body",
    "center",
}
_VOID = {"br", "img", "hr", "meta", "link", "input", "wbr", "source", "col", "area", "base"}


class _TextBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skipping: list[str] = []
        self.cells: list[str] | None = None  # the row being read
        self.cell: list[str] | None = None
        self.title: list[str] | None = None

    def _break(self) -> None:
        text = " ".join("".join(self.current).split())
        if text:
            self.lines.append(text)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _VOID:
            if tag == "br":
                self._text_break()
            return
        if self.skipping or tag in _SKIP:
            self.skipping.append(tag)
            return
        if tag == "title":
            self.title = []
        elif tag == "tr":
            self._end_row()  # pages leave rows and cells unclosed; HTML allows it
            self._break()
            self.cells = []
        elif tag in ("td", "th") and self.cells is not None:
            self._end_cell()
            self.cell = []
        elif self.cell is not None:
            self.cell.append(" ")
        elif re.fullmatch(r"h[1-6]", tag):
            self._break()
            self.current.append("#" * int(tag[1]) + " ")
        elif tag == "li":
            self._break()
            self.current.append("- ")
        elif tag in ("dt", "dd") or tag in _BLOCK:
            self._break()

    def _end_cell(self) -> None:
        if self.cell is not None and self.cells is not None:
            self.cells.append(" ".join("".join(self.cell).split()).strip(" ;"))
        self.cell = None

    def _end_row(self) -> None:
        self._end_cell()
        if self.cells is not None and any(self.cells):
            self.lines.append("| " + " | ".join(self.cells) + " |")
        self.cells = None

    def _text_break(self) -> None:
        if self.cell is not None:
            self.cell.append("; ")
        elif not self.skipping:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        if self.skipping:
            if tag == self.skipping[-1]:
                self.skipping.pop()
            return
        if tag == "title" and self.title is not None:
            title = " ".join("".join(self.title).split())
            if title:
                self.lines.append(f"# {title}")
            self.title = None
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag in ("tr", "table"):
            self._end_row()
            self._break()
        elif self.cell is not None:
            self.cell.append(" ")
        elif tag == "dt":
            text = " ".join("".join(self.current).split())
            self.current = [text.rstrip(":") + ":"] if text else []
            self._break()
        elif re.fullmatch(r"h[1-6]", tag) or tag in _BLOCK or tag in ("li", "dd"):
            self._break()

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        if self.title is not None:
            self.title.append(data)
        elif self.cell is not None:
            self.cell.append(data)
        elif self.cells is None:
            self.current.append(data)


def html_to_text(html: str) -> str:
    builder = _TextBuilder()
    builder.feed(html)
    builder.close()
    builder._end_row()
    builder._break()
    # Paragraphs apart, so that each reads as one block.
    return "\n\n".join(builder.lines) + "\n"


_INVISIBLE = re.compile(r"[\u200b-\u200f\u2060\ufeff\u00ad]")
_CITATION = re.compile(
    r"\[(?:\d+(?:\s*[,–-]\s*\d+)*|citation needed|note \d+|[a-z]|clarification needed)\]"
)
_MARKDOWN_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_BULLET = re.compile(r"^(?:[-*+•·▪►◦‣●○■□➢✓✔]|\d{1,2}[.)]|[a-h][.)]|\(\d{1,2}\))\s+")
_HEADING = re.compile(r"^(#{1,6})\s+")
_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+")


def _clean(text: str) -> str:
    text = _INVISIBLE.sub("", text).replace("\u00a0", " ").replace("\u2009", " ")
    text = _MARKDOWN_LINK.sub(r"\1", text)
    text = _CITATION.sub("", text)
    text = _URL.sub("", text)
    text = re.sub(r"(\*\*|__|`)", "", text)
    text = re.sub(r"(?<!\w)[*_](\S[^*_]*?\S|\S)[*_](?!\w)", r"\1", text)  # *emphasis*
    text = text.rstrip("\\").rstrip()
    return text


def page_lines(text: str) -> list[PageLine]:
    """Numbered, cleaned lines; Markdown headings, underlined headings and bullets marked."""
    raw = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
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
        stripped = _clean(line).strip()
        stripped = re.sub(r"^>\s*", "", stripped)
        if re.fullmatch(r"(=){3,}|(-){3,}", stripped) and lines and lines[-1].text:
            # A Setext underline makes the line above a heading.
            previous = lines[-1]
            level = 1 if stripped.startswith("=") else 2
            lines[-1] = PageLine(previous.number, previous.text, level, False)
            lines.append(PageLine(index + 1, "", 0, False))
            continue
        heading = _HEADING.match(stripped)
        if heading:
            text_part = stripped[heading.end() :].strip().rstrip("#").strip()
            lines.append(PageLine(index + 1, text_part, len(heading.group(1)), False))
            continue
        bullet = _BULLET.match(stripped)
        if bullet and not re.fullmatch(r"[-*_=]{3,}", stripped):
            lines.append(PageLine(index + 1, stripped[bullet.end() :].strip(), 0, True))
            continue
        if re.fullmatch(r"[-*_=~]{3,}", stripped):
            stripped = ""
        lines.append(PageLine(index + 1, stripped, 0, False))
    return lines
