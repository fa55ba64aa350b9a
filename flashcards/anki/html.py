"""Card HTML (Anki fields, HTML decks) as readable terminal text.

Imported fields keep their HTML, so an export gives Anki back what it had; only what is
shown in a terminal is stripped: line breaks and blocks become new lines, images and
sounds a short marker, entities their characters, every other tag nothing. Text that
does not look like HTML is returned as it is, so a plain card's ``<2 cm`` stays intact.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

__all__ = ["looks_like_html", "terminal_text"]

# A real tag (a letter after '<' or '</') or an entity with its ';': "<2 cm" is neither.
_HTML = re.compile(
    r"</?[A-Za-z][A-Za-z0-9]*(?:\s[^<>]*)?/?>|&(?:[A-Za-z][A-Za-z0-9]*|#[0-9]+|#x[0-9A-Fa-f]+);"
)
_BREAKS = frozenset({"br", "hr"})
_BLOCKS = frozenset(
    {"div", "p", "li", "tr", "ul", "ol", "table", "h1", "h2", "h3", "h4", "h5", "h6",
     "blockquote", "pre", "section", "article", "header", "footer", "dl", "dt", "dd"}
)  # fmt: skip
_HIDDEN = frozenset({"script", "style", "head", "title"})
_SOUND = re.compile(r"\[sound:[^\]]*\]")


def looks_like_html(text: str) -> bool:
    return bool(_HTML.search(text))


class _Text(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _HIDDEN:
            self.hidden += 1
        elif tag in _BREAKS:
            self.parts.append("\n")
        elif tag in _BLOCKS:
            self._block_edge()
        elif tag == "img":
            self.parts.append("[image]")
        elif tag in ("audio", "video"):
            self.parts.append(f"[{tag}]")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HIDDEN:
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in _HIDDEN:
            self.hidden = max(0, self.hidden - 1)
        elif tag in _BLOCKS:
            self._block_edge()

    def _block_edge(self) -> None:
        # A block starts on a line of its own, but two blocks in a row are not a gap.
        if self.parts and not self.parts[-1].endswith("\n"):
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.parts.append(data)


def _tidy(text: str) -> str:
    text = text.replace("\xa0", " ")
    lines = [" ".join(line.split()) for line in text.split("\n")]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):  # at most one blank line in a row
            tidy.append(line)
    return "\n".join(tidy).strip("\n")


def terminal_text(text: str, html: bool = True) -> str:
    """``text`` as plain lines for a terminal when it is HTML; unchanged otherwise.

    ``html=False``: the text is known to be plain (a deck file without ``html: true``), so
    it is shown exactly as written, ``a<b and c>d`` included."""
    if not html or (not looks_like_html(text) and "[sound:" not in text):
        return text
    text = _SOUND.sub("[sound]", text)
    parser = _Text()
    parser.feed(text)
    parser.close()
    return _tidy("".join(parser.parts))
