"""Open an Anki package (.apkg, .colpkg) as untrusted input.

A package is a zip: the collection (an SQLite file), a media list and the media files,
each stored under a number. Current Anki writes ``meta`` (a protobuf naming the
version), ``collection.anki21b`` and every media file compressed with zstd, and a
protobuf media list; the legacy format has ``collection.anki21`` (or ``collection.anki2``
from Anki 2.0) and a JSON media list, uncompressed.

Nothing here trusts the archive: no member is ever extracted under its own name (the
collection goes to a fixed name in a private temporary folder, media stay in memory
under the names the media list gives, after those names are checked), and every byte
decompressed counts against a total, a per-file and a ratio limit, so a zip bomb or a
zstd bomb stops at the limit instead of filling the disk or the memory.
"""

from __future__ import annotations

import errno
import hashlib
import json
import re
import stat
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

import zstandard

from flashcards.anki.protobuf import ProtobufError, fields, first_int
from flashcards.errors import FlashcardsError

__all__ = [
    "MAX_MEDIA_FILE_BYTES",
    "MAX_PACKAGE_BYTES",
    "MAX_RATIO",
    "AnkiPackageError",
    "Package",
    "PackageMedia",
    "check_media_name",
    "open_package",
]

MAX_PACKAGE_BYTES = 1024 * 1024 * 1024  # everything in the package, once uncompressed
MAX_MEDIA_FILE_BYTES = 50 * 1024 * 1024  # larger media are left out, with a warning
MAX_RATIO = 100  # uncompressed / compressed, for anything over RATIO_FLOOR_BYTES
RATIO_FLOOR_BYTES = 1024 * 1024  # a small file may compress well without being a bomb
MAX_MEMBERS = 200_000
_CHUNK = 1024 * 1024

LEGACY_ANKI2, LEGACY_ANKI21, LATEST = 1, 2, 3
_COLLECTION_NAMES = {
    LEGACY_ANKI2: "collection.anki2",
    LEGACY_ANKI21: "collection.anki21",
    LATEST: "collection.anki21b",
}
# Windows drive prefixes ("C:") make a name absolute there.
_DRIVE = re.compile(r"^[A-Za-z]:")
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


class AnkiPackageError(FlashcardsError):
    """A package that cannot or must not be imported; nothing was changed."""


@dataclass(frozen=True)
class PackageMedia:
    name: str  # the file name the notes refer to
    data: bytes


@dataclass
class Package:
    path: Path
    version: int  # LEGACY_ANKI2, LEGACY_ANKI21 or LATEST
    collection: Path  # the collection, decompressed into a private temporary folder
    media: list[PackageMedia] = field(default_factory=list)
    oversized_media: list[str] = field(default_factory=list)


def check_media_name(name: str) -> str | None:
    """Why a media file name is unsafe, or None: a name must stay a bare file name."""
    if not name or name in (".", ".."):
        return "an empty or dot name"
    if "/" in name or "\\" in name:
        return "a path, not a bare file name"
    if _DRIVE.match(name):
        return "an absolute path"
    if _CONTROL.search(name):
        return "control characters"
    if len(name.encode("utf-8")) > 255:
        return "a name over 255 bytes"
    return None


class _Budget:
    """Bytes still allowed out of the whole package."""

    def __init__(self, path: Path, limit: int) -> None:
        self.path = path
        self.left = limit

    def take(self, size: int) -> None:
        self.left -= size
        if self.left < 0:
            raise AnkiPackageError(
                f"{self.path}: refused: it would unpack to more than "
                f"{MAX_PACKAGE_BYTES // 1024 // 1024} MB"
            )


def _bomb(path: Path, what: str) -> AnkiPackageError:
    return AnkiPackageError(
        f"{path}: refused: {what} expands more than {MAX_RATIO} times (a zip bomb?)"
    )


def _check_archive(path: Path, archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > MAX_MEMBERS:
        raise AnkiPackageError(f"{path}: refused: {len(infos)} files in the archive")
    declared = sum(info.file_size for info in infos)
    if declared > MAX_PACKAGE_BYTES:
        raise AnkiPackageError(
            f"{path}: refused: it would unpack to {declared // 1024 // 1024} MB, over the "
            f"{MAX_PACKAGE_BYTES // 1024 // 1024} MB limit"
        )
    for info in infos:
        if stat.S_ISLNK(info.external_attr >> 16):  # Anki never writes one
            raise AnkiPackageError(f"{path}: refused: {info.filename!r} is a symbolic link")
        if info.file_size > RATIO_FLOOR_BYTES and info.file_size > MAX_RATIO * max(
            1, info.compress_size
        ):
            raise _bomb(path, f"'{info.filename}'")


class _MediaTooLargeError(Exception):
    """A media file over the per-file limit (left out, not an error)."""


def _read_member(
    package: Path,
    archive: zipfile.ZipFile,
    name: str,
    out: IO[bytes],
    budget: _Budget,
    *,
    zstd: bool,
    limit: int | None = None,
) -> int:
    """Copy one member, zstd-decoded when asked, into ``out``; returns the bytes written."""
    try:
        info = archive.getinfo(name)
    except KeyError:
        raise AnkiPackageError(f"{package}: corrupt package: '{name}' is missing") from None
    written = 0
    with archive.open(info) as member:
        source: IO[bytes] = member
        if zstd:
            reader = zstandard.ZstdDecompressor().stream_reader(member, read_across_frames=True)
            source = reader
        while chunk := source.read(_CHUNK):
            written += len(chunk)
            budget.take(len(chunk))
            if limit is not None and written > limit:
                raise _MediaTooLargeError
            if (
                zstd
                and written > RATIO_FLOOR_BYTES
                and written > MAX_RATIO * max(1, info.file_size)
            ):
                raise _bomb(package, f"'{name}'")
            out.write(chunk)
    return written


def _read_bytes(
    package: Path,
    archive: zipfile.ZipFile,
    name: str,
    budget: _Budget,
    *,
    zstd: bool,
    limit: int | None = None,
) -> bytes:
    import io

    buffer = io.BytesIO()
    _read_member(package, archive, name, buffer, budget, zstd=zstd, limit=limit)
    return buffer.getvalue()


def _version(path: Path, archive: zipfile.ZipFile, names: set[str]) -> int:
    if "meta" in names:
        meta = archive.read("meta") if archive.getinfo("meta").file_size < 1024 else b""
        try:
            version = first_int(meta, 1)
        except ProtobufError as exc:
            raise AnkiPackageError(f"{path}: corrupt package: unreadable 'meta' ({exc})") from exc
        if version not in _COLLECTION_NAMES:
            raise AnkiPackageError(
                f"{path}: made by a newer Anki (package version {version}); export it "
                "again with 'Support older Anki versions' ticked"
            )
        return version
    if "collection.anki21" in names:
        return LEGACY_ANKI21
    if "collection.anki2" in names:
        return LEGACY_ANKI2
    raise AnkiPackageError(f"{path}: not an Anki package: no collection inside")


def _media_list(path: Path, raw: bytes, version: int) -> list[tuple[str, str, int | None, bytes]]:
    """(member name, file name, declared size, sha1) of every media file."""
    if version != LATEST:
        try:
            mapping = json.loads(raw.decode("utf-8")) if raw.strip() else {}
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise AnkiPackageError(f"{path}: corrupt package: unreadable media list") from exc
        if not isinstance(mapping, dict) or not all(
            isinstance(k, str) and k.isdigit() and isinstance(v, str) for k, v in mapping.items()
        ):
            raise AnkiPackageError(f"{path}: corrupt package: malformed media list")
        return [(k, v, None, b"") for k, v in sorted(mapping.items(), key=lambda kv: int(kv[0]))]
    entries: list[tuple[str, str, int | None, bytes]] = []
    try:
        for index, (number, entry) in enumerate(fields(raw)):
            if number != 1 or not isinstance(entry, bytes):
                continue
            name, size, sha1, member = "", 0, b"", str(index)
            for n, value in fields(entry):
                if n == 1 and isinstance(value, bytes):
                    name = value.decode("utf-8")
                elif n == 2 and isinstance(value, int):
                    size = value
                elif n == 3 and isinstance(value, bytes):
                    sha1 = value
                elif n == 255 and isinstance(value, int):
                    member = str(value)
            entries.append((member, name, size, sha1))
    except (ProtobufError, UnicodeDecodeError) as exc:
        raise AnkiPackageError(f"{path}: corrupt package: unreadable media list ({exc})") from exc
    return entries


def _read_media(
    path: Path, archive: zipfile.ZipFile, version: int, budget: _Budget, package: Package
) -> None:
    raw = b""
    members = set(archive.namelist())
    if "media" in members:
        raw = _read_bytes(path, archive, "media", budget, zstd=version == LATEST, limit=64 << 20)
    seen: set[str] = set()
    for member, name, size, sha1 in _media_list(path, raw, version):
        problem = check_media_name(name)
        if problem is not None:
            raise AnkiPackageError(f"{path}: refused: media file name {name!r} is {problem}")
        if name in seen:
            continue
        seen.add(name)
        if member not in members:  # listed, not there: the notes using it are warned of
            continue
        if size is not None and size > MAX_MEDIA_FILE_BYTES:
            package.oversized_media.append(name)
            continue
        try:
            data = _read_bytes(
                path, archive, member, budget, zstd=version == LATEST, limit=MAX_MEDIA_FILE_BYTES
            )
        except _MediaTooLargeError:
            package.oversized_media.append(name)
            continue
        if sha1 and (len(data) != size or hashlib.sha1(data).digest() != sha1):
            raise AnkiPackageError(f"{path}: corrupt package: media file {name!r} is damaged")
        package.media.append(PackageMedia(name=name, data=data))


@contextmanager
def open_package(path: Path) -> Iterator[Package]:
    """The package's collection (in a temporary folder, removed on exit) and media."""
    with tempfile.TemporaryDirectory(prefix="flashcards-anki-") as folder:
        collection = Path(folder) / "collection.sqlite"
        try:
            with zipfile.ZipFile(path) as archive:
                _check_archive(path, archive)
                version = _version(path, archive, set(archive.namelist()))
                budget = _Budget(path, MAX_PACKAGE_BYTES)
                with collection.open("wb") as out:
                    _read_member(
                        path,
                        archive,
                        _COLLECTION_NAMES[version],
                        out,
                        budget,
                        zstd=version == LATEST,
                    )
                package = Package(path=path, version=version, collection=collection)
                _read_media(path, archive, version, budget, package)
        except zipfile.BadZipFile as exc:
            raise AnkiPackageError(f"{path}: not an Anki package: {exc}") from exc
        except UnicodeDecodeError as exc:  # a member's name flagged UTF-8 but is not
            raise AnkiPackageError(
                f"{path}: corrupt package: a file name in it is not UTF-8"
            ) from exc
        except (zlib.error, zstandard.ZstdError, EOFError) as exc:
            raise AnkiPackageError(f"{path}: corrupt package: {exc}") from exc
        except (NotImplementedError, RuntimeError) as exc:  # unknown compression, encryption
            raise AnkiPackageError(f"{path}: unsupported package: {exc}") from exc
        except OSError as exc:
            if exc.errno == errno.EINVAL:  # its directory points before the file's start
                raise AnkiPackageError(f"{path}: not an Anki package: a broken zip") from exc
            raise AnkiPackageError(f"{path}: cannot read it: {exc.strerror or exc}") from exc
        yield package
