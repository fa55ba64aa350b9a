"""Mutated Anki packages: each ends in a clear `Error:` and exit 1, or in a clean import.

Each package starts as one the real Anki made (tests/anki_packages.py) with one thing
changed. Refused, the database keeps every row count and no file appears anywhere, not
even a temporary one left behind; imported, the output is clean. Never a traceback, never
an escape sequence on the terminal. What each mutation does:

- a symbolic link in the zip (a media file, the collection, a stray entry): refused (Anki
  never writes one; it is never followed nor written as a link);
- a media file the media list names but the zip lacks: imported, the notes that use it
  warned of; a zip entry the media list does not name: ignored, never read;
- a media list that is not JSON, not protobuf, or of the wrong types: refused;
- invalid UTF-8 in a field, a deck name or a media file name, or in a name of the zip's
  own directory: refused ("corrupt package");
- a note of over 1,000,000 characters (a 100 MB field): the rest is imported, that note
  left out with a warning, as oversized media are; it is read cut short, so the import
  holds about one copy of the field, and no terminal is asked to draw it;
- `<script>` and `onerror=` in fields, escape sequences in fields, tags and deck names:
  imported as authored (an export hands Anki its own HTML back); the terminal shows the
  text without tags or control characters, and our HTML pages escape it.

A fuzz test mutates a small package's bytes (and, so that the checksums hold and the
mutation reaches the collection, its members' bytes): only `FlashcardsError` may escape.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sqlite3
import stat
import subprocess
import sys
import tempfile
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import zstandard
from anki_packages import AnkiPackages
from conftest import Cli, ok
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_anki_import_hostile import media_entries, rezip, table_counts, zstd

from flashcards.errors import FlashcardsError

THIGH = Path(__file__).parent / "fixtures" / "cli" / "thigh.yaml"
ESCAPES = ("\x1b", "\x9b", "\x07")
FUZZ_EXAMPLES = 2000

# --- making mutated packages -------------------------------------------------------------


def _unicase(a: str, b: str) -> int:
    return (a.casefold() > b.casefold()) - (a.casefold() < b.casefold())


def with_collection(
    source: Path, target: Path, change: Callable[[sqlite3.Connection], object]
) -> Path:
    """``source`` with its collection changed by ``change`` (either format)."""
    with zipfile.ZipFile(source) as archive:
        latest = "collection.anki21b" in archive.namelist()
        member = "collection.anki21b" if latest else "collection.anki21"
        raw = archive.read(member)
    if latest:
        raw = zstandard.ZstdDecompressor().decompress(raw, max_output_size=1 << 30)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "collection.anki2"
        path.write_bytes(raw)
        db = sqlite3.connect(path)
        db.create_collation("unicase", _unicase)  # Anki's own, on its decks' names
        try:
            change(db)
            db.commit()
        finally:
            db.close()
        raw = path.read_bytes()
    return rezip(source, target, {member: zstd(raw) if latest else raw})


def without(source: Path, target: Path, member: str) -> Path:
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename != member:
                new.writestr(info, old.read(info))
    return target


def symlinked(source: Path, target: Path, member: str, points_to: str = "/etc/passwd") -> Path:
    """``source`` with ``member`` (replaced or added) a symbolic link, as zip stores one."""
    link = zipfile.ZipInfo(member)
    link.create_system = 3  # Unix: external_attr holds st_mode
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename != member:
                new.writestr(info, old.read(info))
        new.writestr(link, points_to)
    return target


def bad_utf8_member_name(source: Path, target: Path) -> Path:
    """A zip entry whose name is flagged UTF-8 but is not."""
    name = "\u00e9vil.png"
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info))
        new.writestr(name, b"x")
    raw = target.read_bytes()
    encoded = name.encode()
    target.write_bytes(raw.replace(encoded, b"\xff\xfe" + encoded[2:]))  # same length
    return target


def truncated(source: Path, target: Path, keep: float) -> Path:
    data = source.read_bytes()
    target.write_bytes(data[: int(len(data) * keep)])
    return target


def set_first_note(fields: bytes) -> Callable[[sqlite3.Connection], object]:
    """The first note's fields set to raw bytes (invalid UTF-8 included), as text."""
    return lambda db: db.execute(
        "UPDATE notes SET flds = CAST(? AS TEXT) WHERE id = (SELECT min(id) FROM notes)",
        (fields,),
    )


def set_deck_name(name: bytes) -> Callable[[sqlite3.Connection], object]:
    """A deck's name set to raw bytes, its index (which collates the names) dropped."""

    def change(db: sqlite3.Connection) -> None:
        for (index,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'decks' "
            "AND sql IS NOT NULL"
        ).fetchall():
            db.execute(f'DROP INDEX "{index}"')
        db.execute(
            "UPDATE decks SET name = CAST(? AS TEXT) WHERE name = ?",
            (name, "Anatomy\x1fLower limb"),
        )

    return change


def long_note(chars: int) -> Callable[[sqlite3.Connection], object]:
    def change(db: sqlite3.Connection) -> None:
        huge = os.urandom(chars // 2).hex()  # incompressible: no zip bomb
        db.execute(
            "UPDATE notes SET flds = ? || char(31) || 'Lesser trochanter' "
            "WHERE id = (SELECT min(id) FROM notes)",
            (f"<p>{huge}</p>",),
        )

    return change


def note_of(first_chars: int) -> Callable[[sqlite3.Connection], object]:
    """The first note's front ``first_chars`` long (even), its back "Lesser trochanter"."""

    def change(db: sqlite3.Connection) -> None:
        db.execute(
            "UPDATE notes SET flds = ? || char(31) || 'Lesser trochanter' "
            "WHERE id = (SELECT min(id) FROM notes)",
            (os.urandom(first_chars // 2).hex(),),  # incompressible: no zip bomb
        )

    return change


Breaker = Callable[[AnkiPackages, Path], Path]
CURRENT, LEGACY = "apkg", "apkg-legacy"


def _a(kind: str, make: Callable[[Path, Path], Path]) -> Breaker:
    return lambda packages, folder: make(packages.packages[kind], folder / "x.apkg")


# name -> (how to break the package, the error's words or None for a clean import,
#          a warning a clean import must give)
MUTATIONS: dict[str, tuple[Breaker, str | None, str | None]] = {
    "symlink-media": (
        _a(LEGACY, lambda s, t: symlinked(s, t, "0")), "'0' is a symbolic link", None),
    "symlink-collection": (
        _a(LEGACY, lambda s, t: symlinked(s, t, "collection.anki21")),
        "'collection.anki21' is a symbolic link", None),
    "symlink-stray": (
        _a(CURRENT, lambda s, t: symlinked(s, t, "escaped", "../../escaped")),
        "'escaped' is a symbolic link", None),
    "listed-media-absent-legacy": (
        _a(LEGACY, lambda s, t: without(s, t, "0")), None,
        "media file(s) missing from the package: "),
    "listed-media-absent-current": (
        _a(CURRENT, lambda s, t: without(s, t, "0")), None,
        "media file(s) missing from the package: "),
    "listed-media-absent-extra-name": (
        _a(CURRENT, lambda s, t: rezip(s, t, {"media": media_entries(
            "psoas.png", "femoral nerve.mp3", "ghost.png")})), None, None),
    "unlisted-zip-entries": (
        _a(LEGACY, lambda s, t: rezip(s, t, {"9": b"stray", "../escaped": b"x",
                                             "/tmp/escaped": b"x"})), None, None),
    "media-list-not-json": (
        _a(LEGACY, lambda s, t: rezip(s, t, {"media": b"{not json"})),
        "corrupt package: unreadable media list", None),
    "media-list-json-array": (
        _a(LEGACY, lambda s, t: rezip(s, t, {"media": b'["psoas.png"]'})),
        "corrupt package: malformed media list", None),
    "media-list-wrong-types": (
        _a(LEGACY, lambda s, t: rezip(s, t, {"media": b'{"0": 5, "x": "a.png"}'})),
        "corrupt package: malformed media list", None),
    "media-list-not-protobuf": (
        _a(CURRENT, lambda s, t: rezip(s, t, {"media": zstd(b"\xff\xff\xff")})),
        "corrupt package: unreadable media list", None),
    "media-list-not-zstd": (
        _a(CURRENT, lambda s, t: rezip(s, t, {"media": b'{"0": "psoas.png"}'})),
        "corrupt package", None),
    "media-list-protobuf-wrong-types": (  # the entry's name is a number
        _a(CURRENT, lambda s, t: rezip(s, t, {"media": zstd(b"\x0a\x02\x08\x05")})),
        "media file name '' is an empty or dot name", None),
    "media-name-invalid-utf8-legacy": (
        _a(LEGACY, lambda s, t: rezip(s, t, {"media": b'{"0": "ps\xffoas.png"}'})),
        "corrupt package: unreadable media list", None),
    "media-name-invalid-utf8-current": (
        _a(CURRENT, lambda s, t: rezip(s, t, {"media": zstd(b"\x0a\x06\x0a\x04a\xff.b")})),
        "corrupt package: unreadable media list", None),
    "zip-name-invalid-utf8": (
        _a(LEGACY, bad_utf8_member_name), "corrupt package: a file name in it is not UTF-8",
        None),
    "field-invalid-utf8-legacy": (
        _a(LEGACY, lambda s, t: with_collection(
            s, t, set_first_note(b"Psoas\xff\x1b[2J\x07\x1fBack"))),
        "corrupt package: its collection is not a readable Anki database", None),
    "field-invalid-utf8-current": (
        _a(CURRENT, lambda s, t: with_collection(
            s, t, set_first_note(b"\x1b]52;c;ZXZpbA==\x07\xc3\x28\x1fBack"))),
        "corrupt package: its collection is not a readable Anki database", None),
    "deck-name-invalid-utf8-current": (
        _a(CURRENT, lambda s, t: with_collection(s, t, set_deck_name(b"Anatomy\x1fL\xff"))),
        "corrupt package: its collection is not a readable Anki database", None),
    "truncated-half": (
        _a(LEGACY, lambda s, t: truncated(s, t, 0.5)), "not an Anki package", None),
    "truncated-tail": (
        _a(CURRENT, lambda s, t: truncated(s, t, 0.99)), "not an Anki package", None),
    "note-over-a-million-characters": (
        _a(CURRENT, lambda s, t: with_collection(s, t, long_note(2_000_000))), None,
        "1 note(s) not imported: its text is over 1,000,000 characters"),
    # Just over as stored, but not once the separator is left out and the back is cut
    # where the collection is read: left out too, never imported with its back cut short.
    "note-just-over-a-million-characters": (
        _a(CURRENT, lambda s, t: with_collection(s, t, note_of(999_996))), None,
        "1 note(s) not imported: its text is over 1,000,000 characters"),
}  # fmt: skip


def listing(folder: Path) -> set[str]:
    """Every file and folder under ``folder`` (a database file's own journal aside)."""
    return {
        str(p.relative_to(folder))
        for p in folder.rglob("*")
        if not p.name.startswith("flashcards.db")
    }


@pytest.fixture
def private_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The temporary folder the import unpacks into, here where it can be watched."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def no_escape(*texts: str) -> None:
    for text in texts:
        for byte in ESCAPES:
            assert byte not in text, f"{byte!r} reached the terminal: {text[:300]!r}"


@pytest.mark.parametrize("case", list(MUTATIONS))
def test_a_mutated_package_is_refused_or_imported_cleanly(
    run: Cli, anki_packages: AnkiPackages, tmp_path: Path, private_tmp: Path, case: str
) -> None:
    ok(run("import", str(THIGH)))  # a database with content in it
    breaker, error, warning = MUTATIONS[case]
    inbox = tmp_path / "inbox" / "deeper"
    inbox.mkdir(parents=True)
    package = breaker(anki_packages, inbox)
    before_rows, before_files = table_counts(run.db), listing(tmp_path)

    result = run("import", str(package), "--with-progress")

    output = result.stdout + result.stderr
    assert "Traceback" not in output
    no_escape(output)
    assert listing(tmp_path) == before_files  # nothing written, nothing left behind
    assert list(private_tmp.iterdir()) == []
    if error is not None:
        assert result.exit_code == 1, output
        assert result.stderr.startswith("Error: "), result.stderr
        assert error in result.stderr
        assert table_counts(run.db) == before_rows
        return
    assert result.exit_code == 0, output
    assert "Imported 4 deck(s)" in result.stdout
    if warning is not None:
        assert warning in result.stderr
    assert table_counts(run.db)["notes"] > before_rows["notes"]


def test_a_symbolic_link_is_never_followed_or_made(
    run_sqlite: Cli, anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    package = symlinked(anki_packages.packages[LEGACY], tmp_path / "x.apkg", "0", str(secret))
    before = listing(tmp_path)
    result = run_sqlite("import", str(package))
    assert result.exit_code == 1 and "is a symbolic link" in result.stderr
    assert listing(tmp_path) == before
    assert not any(p.is_symlink() for p in tmp_path.rglob("*"))


def test_media_absent_from_the_zip_leave_only_their_notes_warned_of(
    run: Cli, anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    package = without(anki_packages.packages[CURRENT], tmp_path / "x.apkg", "0")
    report = json.loads(ok(run("import", str(package), "--json")))
    assert report["added"] == 7 and report["media_added"] == 1  # the other file
    missing = [w for w in report["warnings"] if "media file(s) missing from the package" in w]
    assert len(missing) == 1
    assert missing[0].endswith(("psoas.png", "femoral nerve.mp3")), missing


# --- a 100 MB field ----------------------------------------------------------------------


# The command, then its own peak memory (VmHWM: this process's, not the parent's it was
# forked from) on stderr's last line.
_MEASURED = """
import sys
from flashcards.cli import cli
try:
    cli(sys.argv[1:], prog_name="flashcards")
finally:
    with open("/proc/self/status") as status:
        print(next(line for line in status if line.startswith("VmHWM:")), file=sys.stderr)
"""


@pytest.mark.skipif(not Path("/proc/self/status").exists(), reason="reads Linux's /proc")
def test_a_100_mb_field_leaves_its_note_out_within_sane_memory(
    anki_packages: AnkiPackages, tmp_path: Path
) -> None:
    field = 100 * 1024 * 1024
    package = with_collection(anki_packages.packages[LEGACY], tmp_path / "x.apkg", long_note(field))
    database = tmp_path / "flashcards.db"
    command = [sys.executable, "-c", _MEASURED, "--db", str(database), "--user", "ana"]
    imported = subprocess.run(
        [*command, "import", str(package), "--json"], capture_output=True, text=True, timeout=300
    )
    assert imported.returncode == 0, imported.stderr
    report = json.loads(imported.stdout)
    assert report["added"] == 6  # every note but the long one
    assert "1 note(s) not imported: its text is over 1,000,000 characters" in imported.stderr
    peak = int(imported.stderr.strip().splitlines()[-1].split()[1]) * 1024  # "VmHWM: N kB"
    # The interpreter and its libraries take some 70 MB; the field is held once, at most
    # (read whole, it was held three times over, and every later step copied it again).
    assert peak < 2 * field, f"peak memory {peak // 2**20} MB"
    shown = subprocess.run(
        [*command, "cards", "Anatomy::Lower limb"], capture_output=True, text=True, timeout=120
    )
    assert shown.returncode == 0 and "Iliopsoas" in shown.stdout


# --- HTML and escape sequences in card text ------------------------------------------------

SCRIPT = "<script>alert('front')</script>"
ONERROR = '<img src="nothing.png" onerror="alert(\'back\')">'
OSC52 = "\x1b]52;c;ZWNobyBwd25lZA==\x07"  # set the clipboard
CLEAR = "\x1b[2J"
LINK = "[link=https://example.org]limb[/link]"  # rich's markup: a hyperlink's escapes


def _hostile_text(db: sqlite3.Connection) -> None:
    """Script, event handlers and escape sequences in fields, tags, deck and note names."""
    db.execute(
        "UPDATE notes SET flds = ? || char(31) || ?, tags = ? "
        "WHERE id = (SELECT min(id) FROM notes)",
        (
            f"Where does {OSC52}<b>psoas major</b>{CLEAR} insert?{SCRIPT}",
            f"Lesser {CLEAR}trochanter{ONERROR}\x1b[31m\x9b1m",
            f" anatomy hip{CLEAR}flexors ",
        ),
    )
    tables = {n for (n,) in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if "decks" in tables:  # the current schema: '\x1f' between a deck name's levels
        db.execute(
            "UPDATE decks SET name = ? WHERE name = ?",
            (f"Anatomy\x1fLower {OSC52}limb<script>x</script>", "Anatomy\x1fLower limb"),
        )
        db.execute(
            "UPDATE decks SET name = ? WHERE name = ?",
            (f"Anatomy\x1fUpper {LINK}", "Anatomy\x1fUpper limb"),
        )
        db.execute("UPDATE notetypes SET name = ? WHERE name = 'Muscle'", (f"Mus{CLEAR}cle",))
        return
    (decks,) = db.execute("SELECT decks FROM col").fetchone()
    named = json.loads(decks)
    for deck in named.values():
        if deck["name"] == "Anatomy::Lower limb":
            deck["name"] = f"Anatomy::Lower {OSC52}limb<script>x</script>"
        if deck["name"] == "Anatomy::Upper limb":
            deck["name"] = f"Anatomy::Upper {LINK}"
    db.execute("UPDATE col SET decks = ?", (json.dumps(named),))


@pytest.mark.parametrize("kind", [CURRENT, LEGACY])
def test_html_and_escape_sequences_are_kept_but_never_run_or_shown(
    run: Cli,
    anki_packages: AnkiPackages,
    tmp_path: Path,
    kind: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COLUMNS", "200")  # the decks table shows long names whole
    package = with_collection(anki_packages.packages[kind], tmp_path / "x.apkg", _hostile_text)
    imported = run("import", str(package), "--with-progress")
    assert imported.exit_code == 0, imported.output
    deck = f"Anatomy::Lower {OSC52}limb<script>x</script>"
    outputs = {
        "import": imported.stdout + imported.stderr,
        "decks": ok(run("decks")),
        "cards": ok(run("cards", deck)),
        "review": ok(run("review", input="\n5\n" * 12)),
        "quiz": ok(run("quiz", "--mode", "flip", "--count", "7", "--seed", "1", input="\n4\n" * 7)),
    }
    for command, shown in outputs.items():
        no_escape(shown)
        # Fields are HTML, shown as text: no tag, no script's code, no handler. (A deck's
        # name is plain text in Anki: its "<script>" is shown as the characters it is.)
        assert "alert(" not in shown and "onerror" not in shown, command
    assert "psoas" in outputs["cards"] and "trochanter" in outputs["cards"]
    assert "[image]" in outputs["cards"]  # the <img> shown as a marker, its handler gone
    assert LINK in outputs["decks"]  # text, not markup rich would turn into escapes

    # Our own HTML pages escape card text and deck names: no tag of theirs survives.
    for command in ("stats", "report"):
        page_path = tmp_path / f"{command}.html"
        ok(run(command, "--html", str(page_path)))
        page = page_path.read_text(encoding="utf-8")
        assert "<script" not in page.lower() and "<img" not in page.lower(), command
    assert "&lt;script&gt;" in (tmp_path / "report.html").read_text(encoding="utf-8")

    # Kept as authored: an export hands Anki the HTML it had (Anki renders it itself).
    exported = tmp_path / "out.apkg"
    ok(run("export", deck, "-o", str(exported)))
    with zipfile.ZipFile(exported) as archive, tempfile.TemporaryDirectory() as folder:
        name = next(n for n in archive.namelist() if n.startswith("collection.anki2"))
        copy = Path(folder) / "c.anki2"
        copy.write_bytes(archive.read(name))
        with contextlib.closing(sqlite3.connect(copy)) as db:
            fields = "\x1f".join(f for (f,) in db.execute("SELECT flds FROM notes"))
    assert SCRIPT in fields and ONERROR in fields


# --- fuzzing -------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def small_packages(
    tmp_path_factory: pytest.TempPathFactory, anki_packages: AnkiPackages
) -> dict[str, bytes]:
    """The current and the legacy package, without the legacy stub current Anki adds."""
    folder = tmp_path_factory.mktemp("small")
    small: dict[str, bytes] = {}
    for kind in (CURRENT, LEGACY):
        source = anki_packages.packages[kind]
        small[kind] = without(source, folder / f"{kind}.apkg", "collection.anki2").read_bytes()
    return small


def _mutate(data: bytes, rng: random.Random) -> bytes:
    """One to four flips, overwrites, insertions, deletions or a truncation."""
    buffer = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        at = rng.randrange(max(1, len(buffer)))
        how = rng.choice(["flip", "set", "insert", "delete", "truncate"])
        if how == "flip" and buffer:
            buffer[at] ^= 1 << rng.randrange(8)
        elif how == "set" and buffer:
            buffer[at] = rng.randrange(256)
        elif how == "insert":
            buffer[at:at] = rng.randbytes(rng.randint(1, 16))
        elif how == "delete":
            del buffer[at : at + rng.randint(1, 16)]
        elif how == "truncate":
            del buffer[at:]
    return bytes(buffer)


def mutated(package: bytes, member: int | None, rng: random.Random) -> bytes:
    """The whole package's bytes mutated (``member`` None), or one member's, the zip
    rebuilt around it so that its checksum holds and the mutation reaches the reader."""
    if member is None:
        return _mutate(package, rng)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(package)) as old, zipfile.ZipFile(out, "w") as new:
        names = old.namelist()
        target = names[member % len(names)]
        for name in names:
            data = old.read(name)
            if name == target:
                if name == "collection.anki21b" and rng.random() < 0.5:
                    inner = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data)).read()
                    data = zstd(_mutate(inner, rng))  # the SQLite file itself, mutated
                else:
                    data = _mutate(data, rng)
            new.writestr(name, data)
    return out.getvalue()


def test_mutated_packages_read_cleanly_or_raise_a_flashcards_error(
    small_packages: dict[str, bytes], tmp_path: Path
) -> None:
    # Hypothesis draws the package, the member and a seed; the bytes are mutated from the
    # seed, which keeps each example cheap enough for 2,000 of them in CI.
    from flashcards.anki.apkg_import import read_anki_package

    path = tmp_path / "fuzzed.apkg"
    outcomes = {"read": 0, "refused": 0}

    @settings(
        max_examples=FUZZ_EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=[HealthCheck.too_slow],
    )
    @given(
        kind=st.sampled_from([CURRENT, LEGACY]),
        member=st.one_of(st.none(), st.integers(0, 9)),
        seed=st.integers(0, 2**64 - 1),
    )
    def read(kind: str, member: int | None, seed: int) -> None:
        path.write_bytes(mutated(small_packages[kind], member, random.Random(seed)))
        try:
            read_anki_package(path)
        except FlashcardsError:
            outcomes["refused"] += 1
        else:
            outcomes["read"] += 1

    read()
    assert outcomes["read"] + outcomes["refused"] >= FUZZ_EXAMPLES
    assert outcomes["read"] > 0 and outcomes["refused"] > 0  # both ends were reached
