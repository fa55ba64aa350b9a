"""Hostile and broken packages are refused with a clear `Error:` and change nothing.

Each one starts from a package the real Anki made and breaks one thing: a media name
that climbs out of the media folder or is absolute (in both media-list formats), a zip
bomb and a zstd bomb, a package over the size limit, a corrupt or missing database, a
corrupt zstd stream, a damaged media file, a package from a newer Anki, a file that is
not a zip at all. The database must be exactly as before (every table counted) and no
file may appear where the hostile name points.
"""

from __future__ import annotations

import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard
from anki_packages import AnkiPackages
from conftest import Cli, ok
from sqlalchemy import create_engine, inspect, text

THIGH = Path(__file__).parent / "fixtures" / "cli" / "thigh.yaml"
ZEROS = b"\0" * (8 * 1024 * 1024)


def table_counts(url: str) -> dict[str, int]:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return {
                t: int(connection.execute(text(f'SELECT count(*) FROM "{t}"')).scalar_one())
                for t in inspect(engine).get_table_names()
            }
    finally:
        engine.dispose()


def rezip(source: Path, target: Path, replace: dict[str, bytes], *, deflate: bool = False) -> Path:
    """``source`` with some members replaced (or added), the rest as they were."""
    method = zipfile.ZIP_DEFLATED if deflate else zipfile.ZIP_STORED
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w", method) as new:
        for name in old.namelist():
            new.writestr(name, replace.pop(name, None) or old.read(name))
        for name, data in replace.items():
            new.writestr(name, data)
    return target


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def media_entries(*names: str) -> bytes:
    """Anki's current media list (protobuf MediaEntries), written by hand."""
    message = b""
    for name in names:
        encoded = name.encode()
        entry = b"\x0a" + _varint(len(encoded)) + encoded + b"\x10\x00"
        message += b"\x0a" + _varint(len(entry)) + entry
    return zstandard.ZstdCompressor().compress(message)


def zstd(data: bytes) -> bytes:
    return zstandard.ZstdCompressor().compress(data)


Breaker = Callable[[AnkiPackages, Path], Path]

HOSTILE: dict[str, tuple[Breaker, str]] = {
    "not-a-zip": (
        lambda a, d: _write(d / "notes.apkg", b"Front,Back\nhello,world\n"),
        "not an Anki package",
    ),
    "dotdot-media-legacy": (
        lambda a, d: rezip(a.packages["apkg-legacy"], d / "x.apkg",
                           {"media": json.dumps({"0": "../escaped.png"}).encode()}),
        "refused: media file name '../escaped.png' is a path",
    ),
    "absolute-media-legacy": (
        lambda a, d: rezip(a.packages["apkg-legacy"], d / "x.apkg",
                           {"media": json.dumps({"0": str(d / "escaped.png")}).encode()}),
        "is a path, not a bare file name",
    ),
    "drive-media-legacy": (
        lambda a, d: rezip(a.packages["apkg-legacy"], d / "x.apkg",
                           {"media": json.dumps({"0": "C:escaped.png"}).encode()}),
        "is an absolute path",
    ),
    "dotdot-media-current": (
        lambda a, d: rezip(a.packages["apkg"], d / "x.apkg",
                           {"media": media_entries("../../escaped.png")}),
        "refused: media file name '../../escaped.png' is a path",
    ),
    "zip-bomb": (
        lambda a, d: rezip(a.packages["apkg-legacy"], d / "x.apkg",
                           {"collection.anki21": ZEROS}, deflate=True),
        "expands more than 100 times (a zip bomb?)",
    ),
    "zstd-bomb": (
        lambda a, d: rezip(a.packages["apkg"], d / "x.apkg", {"collection.anki21b": zstd(ZEROS)}),
        "expands more than 100 times (a zip bomb?)",
    ),
    "corrupt-database-legacy": (
        lambda a, d: rezip(a.packages["apkg-legacy"], d / "x.apkg",
                           {"collection.anki21": os.urandom(64 * 1024)}),
        "corrupt package: its collection is not a readable Anki database",
    ),
    "corrupt-database-current": (
        lambda a, d: rezip(a.packages["apkg"], d / "x.apkg",
                           {"collection.anki21b": zstd(b"SQLite format 3\0" + os.urandom(8192))}),
        "corrupt package: its collection is not a readable Anki database",
    ),
    "not-a-collection": (
        lambda a, d: rezip(a.packages["apkg"], d / "x.apkg",
                           {"collection.anki21b": zstd(_empty_sqlite(d))}),
        "not an Anki collection inside",
    ),
    "corrupt-zstd": (
        lambda a, d: rezip(a.packages["apkg"], d / "x.apkg", {"collection.anki21b": b"junk" * 9}),
        "corrupt package",
    ),
    "damaged-media": (
        lambda a, d: rezip(a.packages["apkg"], d / "x.apkg", {"0": zstd(b"other bytes")}),
        "is damaged",
    ),
    "newer-anki": (
        lambda a, d: rezip(a.packages["apkg"], d / "x.apkg", {"meta": b"\x08\x07"}),
        "made by a newer Anki",
    ),
    "no-collection": (
        lambda a, d: _zip(d / "x.apkg", {"media": b"{}"}),
        "not an Anki package: no collection inside",
    ),
}  # fmt: skip


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path


def _empty_sqlite(folder: Path) -> bytes:
    import sqlite3

    path = folder / "plain.sqlite"
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE things (id INTEGER)")
    db.close()
    return path.read_bytes()


def assert_refused(run: Cli, package: Path, message: str, *extra: str) -> None:
    before = table_counts(run.db)
    result = run("import", *extra, str(package), "--with-progress")
    assert result.exit_code == 1, result.output
    assert result.stderr.startswith("Error: "), result.stderr
    assert message in result.stderr
    assert "Traceback" not in result.output + result.stderr
    assert table_counts(run.db) == before


@pytest.mark.parametrize("case", list(HOSTILE))
def test_a_hostile_or_broken_package_is_refused_and_changes_nothing(
    run_sqlite: Cli, anki_packages: AnkiPackages, tmp_path: Path, case: str
) -> None:
    ok(run_sqlite("import", str(THIGH)))  # a database with content in it
    breaker, message = HOSTILE[case]
    work = tmp_path / "inbox" / "deeper"
    work.mkdir(parents=True)
    package = breaker(anki_packages, work)
    assert_refused(run_sqlite, package, message)
    escaped = [p for p in tmp_path.rglob("escaped*")]
    assert escaped == []  # nothing written where a hostile name pointed


def test_a_refused_package_takes_the_deck_files_of_its_run_with_it(
    run: Cli, anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    ok(run("review", input="q\n"))  # the schema, empty
    breaker, message = HOSTILE["dotdot-media-current"]
    package = breaker(anki_packages, tmp_path)
    assert_refused(run, package, message, str(THIGH))
    assert table_counts(run.db)["decks"] == 0


def test_a_package_over_the_size_limit_is_refused(
    run_sqlite: Cli, anki_packages: AnkiPackages, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flashcards.anki.package as package

    monkeypatch.setattr(package, "MAX_PACKAGE_BYTES", 64 * 1024)
    assert_refused(run_sqlite, anki_packages.packages["colpkg"], "would unpack to")


def test_an_oversized_media_file_is_left_out_with_a_warning(
    run_sqlite: Cli, anki_packages: AnkiPackages, monkeypatch: pytest.MonkeyPatch
) -> None:
    import flashcards.anki.package as package

    monkeypatch.setattr(package, "MAX_MEDIA_FILE_BYTES", 150)  # the image (144 B) fits
    result = run_sqlite("import", str(anki_packages.packages["apkg"]), "--json")
    report = json.loads(ok(result))
    assert report["added"] == 7 and report["media_added"] == 1
    assert any("left out: femoral nerve.mp3" in w for w in report["warnings"])


def test_an_unknown_kind_of_file_is_refused(run_sqlite: Cli, tmp_path: Path) -> None:
    odd = _write(tmp_path / "deck.pdf", b"%PDF-1.4")
    result = run_sqlite("import", str(odd))
    assert result.exit_code == 1
    assert "cannot import this kind of file" in result.stderr
