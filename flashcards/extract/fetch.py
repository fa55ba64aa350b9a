"""Pages from where they live: `flashcards extract URL` fetches the page first.

With httpx, and careful about what comes back: a time limit on connecting and on reading,
at most ``MAX_REDIRECTS`` redirects, at most ``MAX_PAGE_BYTES`` read (the download stops
there), only text or HTML (a PDF or an image is refused by its content type), and the
page's own character set. Every failure becomes a ``FlashcardsError`` that says what
happened in words ("could not connect", "timed out", "HTTP 404") — never a traceback.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flashcards.errors import FlashcardsError
from flashcards.extract.page import MAX_PAGE_BYTES, html_to_text

__all__ = ["FetchedPage", "fetch_page", "is_url"]

MAX_REDIRECTS = 5
TIMEOUT_SECONDS = 15.0
_TEXT_TYPES = ("text/html", "application/xhtml+xml", "text/plain", "text/markdown")
USER_AGENT = "flashcards-extract/1 (+an anatomy flashcard tool; one page at a user's request)"


@dataclass(frozen=True)
class FetchedPage:
    url: str  # after redirects
    text: str  # the page as text (HTML already turned into text)


def is_url(argument: str) -> bool:
    return re.match(r"^https?://", argument, re.IGNORECASE) is not None


def fetch_page(url: str, timeout: float = TIMEOUT_SECONDS) -> FetchedPage:
    """The page at ``url`` as text, or a clear ``FlashcardsError``."""
    import httpx

    try:
        with (
            httpx.Client(
                follow_redirects=True,
                max_redirects=MAX_REDIRECTS,
                timeout=httpx.Timeout(timeout),
                headers={"User-Agent": USER_AGENT, "Accept": "text/html, text/plain;q=0.9"},
            ) as client,
            client.stream("GET", url) as response,
        ):
            if response.status_code >= 400:
                reason = response.reason_phrase or "error"
                raise FlashcardsError(
                    f"{url}: the server answered HTTP {response.status_code} {reason}"
                )
            kind = response.headers.get("content-type", "").split(";")[0].strip().lower()
            if kind and kind not in _TEXT_TYPES:
                raise FlashcardsError(
                    f"{url}: not a web page ({kind}); save it as text or HTML and give the file"
                )
            declared = response.headers.get("content-length", "")
            if declared.isdigit() and int(declared) > MAX_PAGE_BYTES:
                raise FlashcardsError(
                    f"{url}: over {MAX_PAGE_BYTES // 1024 // 1024} MB, not a page"
                )
            data = bytearray()
            for chunk in response.iter_bytes():
                data += chunk
                if len(data) > MAX_PAGE_BYTES:
                    raise FlashcardsError(
                        f"{url}: over {MAX_PAGE_BYTES // 1024 // 1024} MB, not a page"
                    )
            final = str(response.url)
            encoding = response.charset_encoding or "utf-8"
    except FlashcardsError:
        raise
    except httpx.TooManyRedirects:
        raise FlashcardsError(
            f"{url}: more than {MAX_REDIRECTS} redirects; give the page's own address"
        ) from None
    except httpx.TimeoutException:
        raise FlashcardsError(f"{url}: timed out after {timeout:g} s (are you online?)") from None
    except httpx.ConnectError as exc:
        raise FlashcardsError(
            f"{url}: could not connect ({_reason(exc)}); are you online? "
            "Or save the page as HTML and give the file"
        ) from None
    except httpx.InvalidURL as exc:
        raise FlashcardsError(f"{url}: not a valid address ({exc})") from None
    except httpx.HTTPError as exc:
        raise FlashcardsError(f"{url}: could not fetch the page ({_reason(exc)})") from None
    try:
        text = bytes(data).decode(encoding)
    except (LookupError, UnicodeDecodeError):
        text = bytes(data).decode("utf-8", errors="replace")
    if kind in ("text/html", "application/xhtml+xml") or (
        not kind and re.search(r"<(?:html|body|p|div|h1)\b", text[:4000], re.IGNORECASE)
    ):
        try:
            text = html_to_text(text)
        except FlashcardsError as exc:
            raise FlashcardsError(f"{url}: {exc}") from None
    return FetchedPage(final, text)


def _reason(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.split("\n")[0][:120]
