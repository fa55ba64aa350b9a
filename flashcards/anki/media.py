"""Media of imported notes: stored under content-hashed names, and fields renamed to match.

Anki refers to a media file from a field by its bare name: ``<img src="psoas.png">`` or
``[sound:psoas.mp3]``. Here every file is stored as ``<sha256>.<ext>`` (so two decks'
``image1.png`` never clash and one file is stored once), and each reference in a field
is rewritten to that name, so an export finds the very file again.
"""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote

__all__ = ["ImportedMedia", "RenamedField", "has_media_reference", "hashed_media", "rename_media"]

_SUFFIX = re.compile(r"\.[a-z0-9]{1,10}")
_TAG = re.compile(r"<[A-Za-z][^>]*>")
_ATTRIBUTE = re.compile(
    r"""(?P<lead>\b(?:src|data)\s*=\s*)(?:"(?P<dq>[^"]*)"|'(?P<sq>[^']*)'|(?P<bare>[^\s"'>]+))""",
    re.IGNORECASE,
)
_SOUND = re.compile(r"\[sound:(?P<name>[^\]]+)\]")
# Remote or inline sources are not files of the package.
_NOT_A_FILE = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|/)", re.IGNORECASE)


@dataclass(frozen=True)
class ImportedMedia:
    filename: str  # <sha256>.<ext>
    sha256: str
    data: bytes
    original_name: str | None


@dataclass(frozen=True)
class RenamedField:
    text: str
    used: tuple[str, ...]  # the stored names this field now refers to
    missing: tuple[str, ...]  # names it refers to that no file answers


def hashed_media(name: str, data: bytes) -> ImportedMedia:
    digest = hashlib.sha256(data).hexdigest()
    suffix = PurePosixPath(name).suffix.lower()
    suffix = suffix if _SUFFIX.fullmatch(suffix) else ""
    return ImportedMedia(filename=f"{digest}{suffix}", sha256=digest, data=data, original_name=name)


def _lookup(raw: str, renames: Mapping[str, str]) -> str | None:
    unescaped = html.unescape(raw)
    for candidate in (raw, unescaped, unquote(unescaped)):
        if candidate in renames:
            return renames[candidate]
    return None


def has_media_reference(text: str) -> bool:
    """Whether ``text`` may refer to a media file (a quick test: most fields do not)."""
    return "=" in text or "[sound:" in text  # an attribute (src=, data=) or a sound


def rename_media(text: str, renames: Mapping[str, str]) -> RenamedField:
    """``text`` with every media reference found in ``renames`` (original -> stored name)
    pointing at the stored name; references to files not there are listed as missing."""
    if not has_media_reference(text):
        return RenamedField(text=text, used=(), missing=())
    used: list[str] = []
    missing: list[str] = []

    def attribute(match: re.Match[str]) -> str:
        raw = match.group("dq") or match.group("sq") or match.group("bare") or ""
        new = _lookup(raw, renames)
        if new is None:
            if raw and not _NOT_A_FILE.match(raw):
                missing.append(html.unescape(raw))
            return match.group(0)
        used.append(new)
        return f'{match.group("lead")}"{new}"'

    def tag(match: re.Match[str]) -> str:
        return _ATTRIBUTE.sub(attribute, match.group(0))

    def sound(match: re.Match[str]) -> str:
        new = _lookup(match.group("name"), renames)
        if new is None:
            missing.append(match.group("name"))
            return match.group(0)
        used.append(new)
        return f"[sound:{new}]"

    renamed = _SOUND.sub(sound, _TAG.sub(tag, text))
    return RenamedField(
        text=renamed, used=tuple(dict.fromkeys(used)), missing=tuple(dict.fromkeys(missing))
    )
