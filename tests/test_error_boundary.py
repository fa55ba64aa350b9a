"""One error boundary: whatever a user can cause or meet ends in `Error: …`, exit 1, no
traceback, nothing half-written. Bad paths, unknown URLs and missing drivers, damaged
or foreign database files in every command, nesting and size bombs, a full disk."""

from __future__ import annotations

import json
import resource
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import KNEE, REPO, TODAY, write

from flashcards.cli import cli


def invoke(*args: str, input: str | None = None) -> Result:
    return CliRunner().invoke(cli, list(args), input=input)


def refused(result: Result, *words: str) -> str:
    """The output of a command that ended in a clear error naming ``words``."""
    assert result.exit_code == 1, result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), f"traceback: {result.exception!r}"
    assert "Traceback" not in result.output
    assert "Error: " in result.output, result.output
    for word in words:
        assert word in result.output, result.output
    return result.output


# -- paths and URLs ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("db", "words"),
    [
        ("/proc/nope/fc.db", ("/proc/nope",)),
        ("/sys/fc.db", ("/sys/fc.db",)),
        ("/proc/version/fc.db", ("/proc/version", "not a folder")),
    ],
)
def test_a_database_path_that_cannot_be_made_is_an_error(db: str, words: tuple[str]) -> None:
    refused(invoke("--db", db, "status"), *words)


def test_a_path_under_a_regular_file_is_an_error(tmp_path: Path) -> None:
    regular = write(tmp_path / "notes.txt", "not a folder")
    refused(invoke("--db", str(regular / "fc.db"), "status"), str(regular), "not a folder")


def test_a_missing_folder_is_named_and_never_created(tmp_path: Path) -> None:
    typo = tmp_path / "flahscards" / "more"
    refused(invoke("--db", str(typo / "fc.db"), "status"), str(typo), "no such folder")
    assert not (tmp_path / "flahscards").exists()


def test_a_folder_as_the_database_is_an_error(tmp_path: Path) -> None:
    refused(invoke("--db", str(tmp_path), "decks"), str(tmp_path), "is a folder")


def test_the_default_data_folder_is_made_on_first_use(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "data"), "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "flashcards", "--today", str(TODAY), "review"],
        input="q\n", capture_output=True, text=True, env={"PATH": "/usr/bin:/bin", **env,
        "PYTHONPATH": str(REPO)}, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "data" / "flashcards" / "flashcards.db").is_file()


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("foo://bar/baz", ("unknown kind of database", "postgresql+psycopg://")),
        ("mysql://x@localhost/db", ("driver for mysql", "MySQLdb")),
        ("sqlite+nosuch:///x.db", ("unknown kind of database",)),
    ],
)
def test_unknown_urls_and_missing_drivers(url: str, words: tuple[str]) -> None:
    refused(invoke("--db", url, "status"), *words)


def test_a_missing_postgres_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as on a machine without it
    refused(
        invoke("--db", "postgresql://ana@localhost/class", "status"),
        "pip install 'flashcards[postgres]'",
    )


# -- damaged and foreign database files -----------------------------------------------

EVERY_COMMAND = [
    ("status",),
    ("decks",),
    ("stats",),
    ("stats", "--json"),
    ("review",),
    ("quiz", "--json"),
    ("undo",),
    ("export", "-o", "{tmp}/out.apkg"),
    ("cards", "Knee"),
    ("report",),
    ("users",),
    ("import", "{tmp}/knee.yaml"),
    ("backup",),
]


def studied_file(tmp_path: Path) -> Path:
    db = tmp_path / "fc.db"
    write(tmp_path / "knee.yaml", KNEE)
    base = ["--db", str(db), "--user", "ana", "--today", str(TODAY)]
    assert invoke(*base, "import", str(tmp_path / "knee.yaml")).exit_code == 0
    assert invoke(*base, "review", input="\n5\n\n2\nq\n").exit_code == 0
    with sqlite3.connect(db) as c:
        c.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def damage_every_table(db: Path) -> None:
    """Overwrite the first page of every table but the schema revision with 0xff."""
    with sqlite3.connect(db) as c:
        size = c.execute("PRAGMA page_size").fetchone()[0]
        roots = [
            r
            for (r,) in c.execute(
                "SELECT rootpage FROM sqlite_master WHERE type = 'table' "
                "AND name != 'alembic_version' AND rootpage > 1"
            )
        ]
    with db.open("r+b") as file:
        for root in roots:
            file.seek((root - 1) * size)
            file.write(b"\xff" * size)


def run_in(tmp_path: Path, db: Path, command: tuple[str, ...]) -> Result:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    return invoke("--db", str(db), "--user", "ana", "--today", str(TODAY), *args, input="q\n")


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=" ".join)
def test_a_damaged_file_in_every_command(tmp_path: Path, command: tuple[str, ...]) -> None:
    db = studied_file(tmp_path)
    damage_every_table(db)
    out = refused(run_in(tmp_path, db, command), "flashcards doctor")
    assert "damaged" in out or "integrity" in out


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=" ".join)
def test_a_file_that_is_no_database_in_every_command(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    db = write(tmp_path / "fc.db", "Just some notes, not a database.\n" * 200)
    write(tmp_path / "knee.yaml", KNEE)
    out = refused(run_in(tmp_path, db, command), f"{db} is not a flashcards database")
    assert "sqlite:" not in out
    assert db.read_text().startswith("Just some notes")


@pytest.mark.parametrize("command", EVERY_COMMAND, ids=" ".join)
def test_another_programs_database_in_every_command(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    db = tmp_path / "fc.db"
    with sqlite3.connect(db) as c:
        c.execute("CREATE TABLE recipes (name TEXT)")
    write(tmp_path / "knee.yaml", KNEE)
    refused(run_in(tmp_path, db, command), "not a flashcards database", "flashcards doctor")
    with sqlite3.connect(db) as c:
        tables = {n for (n,) in c.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert tables == {"recipes"}  # nothing of ours was added to it


def test_doctor_names_damage_it_cannot_read_past(tmp_path: Path) -> None:
    db = studied_file(tmp_path)
    damage_every_table(db)
    result = run_in(tmp_path, db, ("doctor",))
    assert result.exit_code == 1 and "integrity" in result.output, result.output
    foreign = write(tmp_path / "notes.db", "plain text\n" * 100)
    result = run_in(tmp_path, foreign, ("doctor",))
    assert result.exit_code == 1 and "unreadable" in result.output, result.output


def test_backup_refuses_a_file_that_fails_the_integrity_check(tmp_path: Path) -> None:
    db = studied_file(tmp_path)
    damage_every_table(db)

    def files() -> set[str]:  # SQLite's own -wal and -shm files come and go
        return {p.name for p in tmp_path.iterdir() if not p.name.endswith(("-wal", "-shm"))}

    before = files()
    refused(run_in(tmp_path, db, ("backup", str(tmp_path / "copy.db"))), "integrity check")
    refused(run_in(tmp_path, db, ("backup",)), "integrity check", "no backup was made")
    assert files() == before  # no copy left that looks like a backup


# -- nesting and size bombs -----------------------------------------------------------

NESTED = "[" * 5000


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("open.yaml", NESTED),
        ("card.yaml", "deck: X\ncards:\n  - q: " + NESTED + "\n"),
        ("closed.yaml", "deck: X\ncards: " + NESTED + "]" * 5000 + "\n"),
        ("mappings.yaml", "deck: X\ncards: " + "{a: " * 5000 + "}" * 5000 + "\n"),
        ("blocks.yaml", "deck: X\ncards:\n" + "".join("  " * i + "- \n" for i in range(3000))),
        ("deep.csv", NESTED + "," + NESTED + "\n"),
        ("deep.tsv", "q\t" + "{" * 100_000 + "\n"),
        ("deep.txt", "#separator:tab\n#html:true\n" + "<b>" * 100_000 + "\ta\n"),
    ],
)
def test_nesting_bombs_in_every_import_format(tmp_path: Path, name: str, text: str) -> None:
    path = write(tmp_path / name, text)
    db = str(tmp_path / "fc.db")
    for command in (("import",), ("lint",), ("cards",)):
        if command != ("import",) and not name.endswith(".yaml"):
            continue
        result = invoke("--db", db, *command, str(path))
        assert result.exit_code in (0, 1), result.output
        assert not isinstance(result.exception, RecursionError), result.output
        assert result.exit_code == 0 or "Error: " in result.output


def test_nesting_bombs_in_pages_to_extract(tmp_path: Path) -> None:
    page = write(tmp_path / "deep.html", "<div>" * 100_000 + "Psoas major arises from T12.")
    result = invoke("extract", str(page))
    refused(result, "nested more than 400 elements deep")


def test_a_page_nested_a_few_hundred_deep_is_still_read(tmp_path: Path) -> None:
    page = write(
        tmp_path / "deep.html",
        "<div>" * 300 + "<h1>Psoas major</h1><p>Origin: bodies of T12 to L4</p>",
    )
    result = invoke("extract", str(page))
    assert result.exit_code == 0, result.output
    assert "Psoas major" in result.output and "T12" in result.output


@pytest.mark.parametrize("command", ["import", "lint", "cards", "extract", "review"])
def test_a_file_that_never_ends_is_refused(tmp_path: Path, command: str) -> None:
    refused(invoke("--db", str(tmp_path / "fc.db"), command, "/dev/zero"), "/dev/zero")


def test_a_deck_file_over_the_size_limit_is_refused(tmp_path: Path) -> None:
    from flashcards.authoring.nodes import MAX_DECK_FILE_BYTES

    big = tmp_path / "big.yaml"
    with big.open("w") as file:
        file.write("deck: Big\ncards:\n")
        file.truncate(MAX_DECK_FILE_BYTES + 10)  # a sparse file: no disk used
    result = invoke("--db", str(tmp_path / "fc.db"), "import", str(big))
    refused(result, "nothing was changed")
    assert "too large for a deck file" in result.output


# -- a full disk ----------------------------------------------------------------------


def table_rows(db: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(db) as c:
        names = [n for (n,) in c.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: sorted(c.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr) for n in names}


def test_a_disk_that_fills_up_mid_import_leaves_nothing_half_written(tmp_path: Path) -> None:
    db = studied_file(tmp_path)
    before = table_rows(db)
    room = db.stat().st_size + 64 * 1024  # far less than the shipped decks need

    def small_disk() -> None:  # files may not grow past `room` bytes: a full disk
        resource.setrlimit(resource.RLIMIT_FSIZE, (room, room))

    result = subprocess.run(
        [sys.executable, "-m", "flashcards", "--db", str(db), "--user", "ana",
         "--today", str(TODAY), "import", str(REPO / "decks")],
        capture_output=True, text=True, preexec_fn=small_disk, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(REPO), "HOME": str(tmp_path)},
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert "disk" in result.stderr
    assert table_rows(db) == before
    shutil.copy(db, tmp_path / "after.db")
    with sqlite3.connect(tmp_path / "after.db") as c:
        assert c.execute("PRAGMA integrity_check").fetchone() == ("ok",)


# The commands that only read the current user's figures, then every command that only
# reads the database (a file may come out of it: a package, a page, a copy).
USER_COMMANDS = [
    ("status",),
    ("status", "--json"),
    ("decks",),
    ("stats",),
    ("stats", "--json"),
    ("search", "knee"),
]
READING_COMMANDS = [
    *USER_COMMANDS,
    ("cards", "Knee"),
    ("doctor",),
    ("users",),
    ("report",),
    ("export", "-o", "{tmp}/out.apkg"),
    ("backup",),
]


@pytest.mark.parametrize("command", READING_COMMANDS, ids=" ".join)
def test_a_command_that_only_reads_makes_no_database(
    tmp_path: Path, command: tuple[str, ...]
) -> None:
    for db in (tmp_path / "typo.db", write(tmp_path / "empty.db", "")):
        out = refused(run_in(tmp_path, db, command), "no flashcards database here yet")
        assert f"({db} " in out and "`flashcards import DECK…` creates one" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.db"]
    assert (tmp_path / "empty.db").stat().st_size == 0


@pytest.mark.parametrize("command", USER_COMMANDS, ids=" ".join)
def test_a_command_that_only_reads_makes_no_user(tmp_path: Path, command: tuple[str, ...]) -> None:
    db = studied_file(tmp_path)
    base = ["--db", str(db), "--user", "nobody", "--today", str(TODAY)]
    out = refused(invoke(*base, *command), "no user named 'nobody' in this database")
    assert "`flashcards users` lists its users" in out
    assert invoke(*base, "cards", "Knee").exit_code == 0  # a deck's cards are nobody's
    with sqlite3.connect(db) as connection:
        names = [name for (name,) in connection.execute("SELECT name FROM users")]
    assert "nobody" not in names


def test_doctor_on_a_text_file_says_so_plainly_and_its_json_stays_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    notes = write(tmp_path / "notes.txt", "Gluteus medius: abducts the hip.\n" * 50)
    for db in (str(notes), "notes.txt"):  # the path is shown as it was typed
        result = CliRunner().invoke(cli, ["--db", db, "doctor"])
        assert result.exit_code == 1
        assert f"  {db} is not a flashcards database\n" in result.output
        assert "sqlite:" not in result.output and "Error" not in result.output
        result = CliRunner().invoke(cli, ["--db", db, "doctor", "--json"])
        assert result.exit_code == 1
        report = json.loads(result.stdout)
        assert report["damaged"] is True
        assert report["findings"][0]["examples"] == [f"{db} is not a flashcards database"]
    assert notes.read_text().startswith("Gluteus medius")
