"""Every benchmark in one command: ratios against floors measured in the same run.

    python bench/run.py            # full sizes (35,000 notes, 200,000 cards, 2,000,000 reviews)
    python bench/run.py --quick    # a tenth of the sizes, 3 runs: a smoke run (about a minute)
    python bench/run.py --runs 7   # more runs, steadier medians

Generates the data once (bench/generate.py), then alternates runs of each pair on the
same files, each run a fresh process with its modules imported before the clock starts
(except the start-up pairs, which time the whole process). Prints, per pair, the median
wall and CPU time of each side, their ratio against the target, and the peak RSS of
each side's processes. Not a test: nothing asserts on time. The machine is shared, so
the load average is printed with the figures and CPU time stands beside wall time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import export as export_bench  # noqa: E402  (bench/export.py: the export pair's data and runs)
import generate  # noqa: E402

# The deck of the "new database" pair: one card, so that making the database is the most
# of what the command does.
TINY_DECK = "deck: Bench::Tiny\nid: bench-tiny\ncards:\n  - {id: one, q: Which bone?, a: Femur}\n"

Result = dict[str, float]


# --- children: each runs one timed side in a fresh process and prints JSON -------------


def _timed(work: Callable[[], Any]) -> Result:
    started, cpu_started = time.perf_counter(), time.process_time()
    work()
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return {"seconds": seconds, "cpu": cpu, "rss": rss}


def _app(db: Path) -> Any:
    from flashcards.study.context import App

    return App(db=str(db), user_name=generate.STUDENT, today_override=generate.TODAY)


def child_ours_import(data: Path, run: Path, source: str) -> Result:
    from flashcards.study.importing import import_deck_files

    shutil.copy(data / "empty.db", run / "ours.db")

    def work() -> None:
        app = _app(run / "ours.db")
        try:
            import_deck_files(app, [data / source])
        finally:
            app.close()

    return _timed(work)


def child_ours_reimport(data: Path, run: Path) -> Result:
    """The deck file imported again, unchanged, into the database it was imported into."""
    from flashcards.study.importing import import_deck_files

    shutil.copy(data / "deck-imported.db", run / "again.db")

    def work() -> None:
        app = _app(run / "again.db")
        try:
            import_deck_files(app, [data / "deck.yaml"])
        finally:
            app.close()

    return _timed(work)


def child_anki_import(data: Path, run: Path) -> Result:
    from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest

    shutil.copy(data / "empty.anki2", run / "anki.anki2")
    options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
    request = ImportAnkiPackageRequest(package_path=str(data / "anki.apkg"), options=options)

    def work() -> None:
        col = Collection(str(run / "anki.anki2"))
        try:
            col.import_anki_package(request)
        finally:
            col.close()

    return _timed(work)


def child_sqlite_rows(data: Path, run: Path) -> Result:
    """The floor: the rows our deck-file import wrote, inserted by raw sqlite3 executemany."""
    import sqlite3

    tables = ("decks", "notes", "cards")
    with sqlite3.connect(data / "deck-imported.db") as source:
        rows = {t: source.execute(f"SELECT * FROM {t}").fetchall() for t in tables}
    source.close()
    shutil.copy(data / "empty.db", run / "raw.db")

    def work() -> None:
        connection = sqlite3.connect(run / "raw.db")
        with connection:
            for table in tables:
                marks = ", ".join("?" * len(rows[table][0]))
                connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows[table])
        connection.close()

    return _timed(work)


def child_anki_export(data: Path, run: Path) -> Result:
    from anki.collection import Collection, ExportAnkiPackageOptions

    shutil.copy(data / "exported.anki2", run / "export.anki2")
    # Its media too: the package holds the same notes and images as ours.
    shutil.copytree(data / "exported.media", run / "export.media")
    options = ExportAnkiPackageOptions(
        with_scheduling=False, with_media=True, legacy=False, with_deck_configs=False
    )

    def work() -> None:
        col = Collection(str(run / "export.anki2"))
        try:
            col.export_anki_package(out_path=str(run / "anki.apkg"), options=options, limit=None)
        finally:
            col.close()

    result = _timed(work)
    result["bytes"] = (run / "anki.apkg").stat().st_size
    return result


def child_first_card(db: Path) -> Result:
    from flashcards.study.reviewing import ReviewSession

    first: list[Any] = []

    def work() -> None:
        app = _app(db)
        try:
            first.append(ReviewSession(app).queue.current)
        finally:
            app.close()

    result = _timed(work)
    assert first[0] is not None, "no card due"
    return result


def child_grades(db: Path, grades: int) -> Result:
    """``grades`` grades, each committed; every one timed on its own."""
    from flashcards.study.reviewing import ReviewSession

    app = _app(db)
    session = ReviewSession(app, limit=grades)
    times = []
    for n in range(grades):
        started = time.perf_counter()
        session.grade(4 if n % 5 else 2)
        times.append(time.perf_counter() - started)
        if session.queue.current is None:
            break
    app.close()
    times.sort()
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    return {
        "seconds": statistics.median(times),
        "p99": times[min(len(times) - 1, round(0.99 * (len(times) - 1)))],
        "count": len(times),
        "cpu": time.process_time(),
        "rss": rss,
    }


def explain_due_query(db: Path) -> list[str]:
    """EXPLAIN QUERY PLAN of the due query a session runs (caught as it is sent)."""
    from sqlalchemy import event

    from flashcards.study.reviewing import ReviewSession

    app = _app(db)
    sent: list[tuple[str, Any]] = []

    def catch(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if "card_states.due_day <=" in statement and "notes.front" in statement:  # a page
            sent.append((statement, params))

    event.listen(app.engine, "before_cursor_execute", catch)
    ReviewSession(app)
    with app.engine.connect() as connection:
        raw = connection.connection.driver_connection
        assert raw is not None and sent, "the due query was not seen"
        statement, params = sent[0]
        plan = raw.execute("EXPLAIN QUERY PLAN " + statement, params).fetchall()
    app.close()
    return [str(row[-1]) for row in plan]


def child(argv: list[str]) -> None:
    which, data, run = argv[0], Path(argv[1]), Path(argv[2])
    # Modules loaded before the clock: the work is timed, not the interpreter's start-up.
    import flashcards.study.importing
    import flashcards.study.reviewing

    if which in ("anki-import", "anki-export"):
        import anki.collection  # noqa: F401
    if which == "ours-apkg":
        import flashcards.anki.apkg_import  # noqa: F401  (as Anki's is, before the clock)
    result = {
        "ours-apkg": lambda: child_ours_import(data, run, "anki.apkg"),
        "anki-import": lambda: child_anki_import(data, run),
        "ours-deck": lambda: child_ours_import(data, run, "deck.yaml"),
        "ours-deck-again": lambda: child_ours_reimport(data, run),
        "sqlite": lambda: child_sqlite_rows(data, run),
        "anki-export": lambda: child_anki_export(data, run),
        "first-big": lambda: child_first_card(data / "study.db"),
        "first-small": lambda: child_first_card(data / "small.db"),
        "first-class": lambda: child_first_card(data / "class.db"),
        "grades": lambda: child_grades(run / "grade.db", int(argv[3])),
    }[which]()
    print(json.dumps(result))


# Anki's side of a whole-command pair: a fresh interpreter that imports the library, opens
# (or creates) a collection, does the one job and closes it, as a user's command would.
ANKI_IMPORT_SCRIPT = """
import sys
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
col = Collection(sys.argv[1])
options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
col.import_anki_package(ImportAnkiPackageRequest(package_path=sys.argv[2], options=options))
col.close()
"""
ANKI_EXPORT_SCRIPT = """
import sys
from anki.collection import Collection, ExportAnkiPackageOptions
col = Collection(sys.argv[1])
options = ExportAnkiPackageOptions(
    with_scheduling=False, with_media=True, legacy=False, with_deck_configs=False
)
col.export_anki_package(out_path=sys.argv[2], options=options, limit=None)
col.close()
"""


# --- the parent: spawn, collect, report ---------------------------------------------


def _spawn(argv: list[str]) -> Result:
    """One child process that times its own work and prints it as JSON."""
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode:
        raise SystemExit(f"{' '.join(argv)} failed:\n{done.stderr}")
    result: Result = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _spawn_whole(argv: list[str]) -> Result:
    """A whole process: wall from here, CPU and peak RSS from the kernel (wait4)."""
    started = time.perf_counter()
    process = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode:
        raise SystemExit(f"{' '.join(argv)} failed")
    return {
        "seconds": seconds,
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss * 1024,
    }


def _spawn_review(argv: list[str]) -> Result:
    """``flashcards review`` as a student runs it: wall time until the first card's panel
    is printed (then ``q``); CPU and peak RSS of the whole process (the summary too)."""
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    assert process.stdout is not None and process.stdin is not None
    seconds = None
    for line in process.stdout:
        if "\u256d".encode() in line:  # the top left corner of the card's panel
            seconds = time.perf_counter() - started
            break
    process.stdin.write(b"q\n")
    process.stdin.close()
    process.stdout.read()
    _, status, usage = os.wait4(process.pid, 0)
    if seconds is None or os.waitstatus_to_exitcode(status):
        raise SystemExit(f"{' '.join(argv)}: no card shown")
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime,
            "rss": usage.ru_maxrss * 1024}  # fmt: skip


@dataclass
class Pair:
    name: str
    ours: list[Result]
    base: list[Result]
    base_name: str
    target: float | None  # a ratio; None: a limit in ms over the base, or no target
    limit_ms: float | None = None
    peak_mb: float | None = None  # a peak memory target, for a measure without a base
    sizes: dict[str, int] | None = None  # bytes of each side's file, for a size ratio

    def medians(self, key: str) -> tuple[float, float]:
        return (statistics.median(r[key] for r in self.ours),
                statistics.median(r[key] for r in self.base))  # fmt: skip


def _alternate(
    runs: int, ours: Callable[[], Result], base: Callable[[], Result]
) -> tuple[list[Result], list[Result]]:
    a: list[Result] = []
    b: list[Result] = []
    for i in range(runs):
        for side in (0, 1) if i % 2 == 0 else (1, 0):
            (a if side == 0 else b).append(ours() if side == 0 else base())
    return a, b


def prepare(data: Path, sizes: generate.Sizes) -> None:
    from anki.collection import Collection

    from flashcards_db.engine import open_database

    generate.generate(data, sizes)
    open_database(str(data / "empty.db")).dispose()
    Collection(str(data / "empty.anki2")).close()
    # The rows the sqlite3 floor inserts: what our deck-file import writes.
    shutil.copy(data / "empty.db", data / "deck-imported.db")
    imported = ["--db", str(data / "deck-imported.db"), "import", str(data / "deck.yaml")]
    subprocess.run([sys.executable, "-m", "flashcards", *imported], check=True, capture_output=True)
    # The export pair: bench/export.py's database, and an Anki collection of the same notes.
    (data / "export" / "media").mkdir(parents=True)
    export_bench.generate(data / "export" / "bench.db", data / "export" / "media", sizes.notes)
    export_bench.run_ours(data / "export" / "bench.db", data / "export" / "ours.apkg")
    from anki.collection import ImportAnkiPackageOptions, ImportAnkiPackageRequest

    col = Collection(str(data / "exported.anki2"))
    options = ImportAnkiPackageOptions(with_scheduling=False, with_deck_configs=False)
    col.import_anki_package(
        ImportAnkiPackageRequest(package_path=str(data / "export" / "ours.apkg"), options=options)
    )
    col.close()


def measure(data: Path, runs: int, grades: int, only: str | None = None) -> list[Pair]:
    me = [sys.executable, __file__, "--child"]

    def side(which: str) -> Callable[[], Result]:
        def go() -> Result:
            with tempfile.TemporaryDirectory(dir=data) as run:
                return _spawn([*me, which, str(data), run])

        return go

    def whole(*argv: str) -> Callable[[], Result]:
        return lambda: _spawn_whole([sys.executable, *argv])

    def review(db: str) -> Callable[[], Result]:
        def go() -> Result:
            with tempfile.TemporaryDirectory(dir=data) as run:
                shutil.copy(data / db, Path(run) / db)  # a session writes (its user row)
                return _spawn_review(
                    [sys.executable, "-m", "flashcards", "--db", str(Path(run) / db),
                     "--user", generate.STUDENT, "--today", generate.TODAY.isoformat(),
                     "review"]
                )  # fmt: skip

        return go

    def in_run(prepare: Callable[[Path], list[str]]) -> Callable[[], Result]:
        """A whole process whose files are set up (untimed) in a fresh folder."""

        def go() -> Result:
            with tempfile.TemporaryDirectory(dir=data) as run:
                return _spawn_whole([sys.executable, *prepare(Path(run))])

        return go

    def ours_import_command(run: Path) -> list[str]:  # into a new database: created too
        return ["-m", "flashcards", "--db", str(run / "new.db"), "import",
                str(data / "anki.apkg")]  # fmt: skip

    def anki_import_command(run: Path) -> list[str]:  # into a new collection: created too
        return ["-c", ANKI_IMPORT_SCRIPT, str(run / "new.anki2"), str(data / "anki.apkg")]

    def ours_export_command(run: Path) -> list[str]:
        out = data / "export" / "whole-ours.apkg"
        return ["-m", "flashcards", "--db", str(data / "export" / "bench.db"), "export",
                "-o", str(out)]  # fmt: skip

    def anki_export_command(run: Path) -> list[str]:
        shutil.copy(data / "exported.anki2", run / "export.anki2")
        # Its media too, as the in-process pair has them: the same notes and images as ours.
        shutil.copytree(data / "exported.media", run / "export.media")
        out = data / "export" / "whole-anki.apkg"
        return ["-c", ANKI_EXPORT_SCRIPT, str(run / "export.anki2"), str(out)]

    def first_import(db: Callable[[Path], Path]) -> Callable[[Path], list[str]]:
        """A first import of a one-card deck: what makes a new database (a command that
        only reads makes none); into an existing empty one, it costs all but the making."""

        def argv(run: Path) -> list[str]:
            deck = run / "tiny.yaml"
            deck.write_text(TINY_DECK, encoding="utf-8")
            return ["-m", "flashcards", "--db", str(db(run)), "--user", generate.STUDENT,
                    "import", str(deck)]  # fmt: skip

        return argv

    def existing_empty(run: Path) -> Path:
        shutil.copy(data / "empty.db", run / "empty.db")
        return run / "empty.db"

    report_html = whole("-m", "flashcards", "--db", str(data / "class.db"), "--user",
                        generate.STUDENT, "--today", generate.TODAY.isoformat(), "report",
                        "--html", str(data / "report.html"))  # fmt: skip

    studied_day = (generate.TODAY - dt.timedelta(days=1)).isoformat()  # the log's last day
    pairs = []
    steps: list[tuple[str, str, Callable[[], Result], Callable[[], Result], float | None]] = [
        ("flashcards import .apkg", "Anki's import, whole", in_run(ours_import_command),
         in_run(anki_import_command), None),
        ("flashcards import .apkg", "Anki's import call", in_run(ours_import_command),
         side("anki-import"), 1.5),
        ("flashcards export", "Anki's export, whole", in_run(ours_export_command),
         in_run(anki_export_command), None),
        ("flashcards export", "Anki's export call", in_run(ours_export_command),
         side("anki-export"), 1.5),
        ("new database (first import)", "existing empty database",
         in_run(first_import(lambda r: r / "new.db")), in_run(first_import(existing_empty)),
         -100.0),
        ("flashcards status, large", "import sqlite3",
         whole("-m", "flashcards", "--db", str(data / "study.db"), "--user", generate.STUDENT,
               "--today", generate.TODAY.isoformat(), "status"),
         whole("-c", "import sqlite3"), 3.0),
        # The prompt after a session: the day's answers (5,000 on the large database) read.
        ("flashcards status, studied", "import sqlite3",
         whole("-m", "flashcards", "--db", str(data / "study.db"), "--user", generate.STUDENT,
               "--today", studied_day, "status"),
         whole("-c", "import sqlite3"), 3.0),
        # The last answer of a 2,000,000-answer log taken back (each run one more, on a
        # copy of study.db made for it).
        ("flashcards undo, large", "import sqlite3",
         whole("-m", "flashcards", "--db", str(data / "undo.db"), "--user", generate.STUDENT,
               "--today", studied_day, "undo"),
         whole("-c", "import sqlite3"), None),
        ("import .apkg", "Anki's importer", side("ours-apkg"), side("anki-import"), 1.0),
        ("import deck file", "sqlite3 executemany", side("ours-deck"), side("sqlite"), 2.5),
        ("re-import deck file", "its first import", side("ours-deck-again"), side("ours-deck"),
         None),
        ("export", "real Anki's export", lambda: export_bench._spawn("ours", data / "export"),
         side("anki-export"), 1.3),
        ("export", "bare genanki", lambda: export_bench._spawn("ours", data / "export"),
         lambda: export_bench._spawn("genanki", data / "export"), 1.15),
        ("first card, large", "first card, 1,000 cards", side("first-big"), side("first-small"),
         1.2),
        ("first card, class", "first card, 1,000 cards", side("first-class"),
         side("first-small"), 1.2),
        ("review, first card shown", "the same, 1,000 cards", review("study.db"),
         review("small.db"), 1.2),
        ("flashcards --help", "import click", whole("-m", "flashcards", "--help"),
         whole("-c", "import click"), 1.3),
    ]  # fmt: skip
    if only is not None:  # --only: the pairs whose name holds it, and nothing else
        steps = [step for step in steps if only in step[0]]
    if any(step[0].startswith("flashcards undo") for step in steps):
        shutil.copy(data / "study.db", data / "undo.db")
    for name, base_name, ours, base, target in steps:
        started = time.perf_counter()
        a, b = _alternate(runs, ours, base)
        # A negative target is a limit in milliseconds over the base, not a ratio.
        limit = -target if target is not None and target < 0 else None
        pair = Pair(name, a, b, base_name, None if limit else target, limit)
        pairs.append(pair)
        print(f"measured {name} vs {base_name} in {time.perf_counter() - started:.1f} s",
              file=sys.stderr, flush=True)  # fmt: skip
    if any(pair.base_name == "Anki's export call" for pair in pairs):  # files just written
        sizes = {side: (data / "export" / f"whole-{side}.apkg").stat().st_size
                 for side in ("ours", "anki")}  # fmt: skip
        pairs.append(Pair("package size", [], [], "", None, sizes=sizes))
    if only is not None:
        return pairs
    reports = [report_html() for _ in range(runs)]
    pairs.append(Pair("report --html, class DB", reports, [], "", None, peak_mb=150.0))
    shutil.copy(data / "study.db", data / "grade.db")
    graded = _spawn([*me, "grades", str(data), str(data), str(grades)])
    pairs.append(Pair("one grade, committed", [graded], [], "", None))
    return pairs


def report(pairs: list[Pair], plan: list[str], sizes: generate.Sizes, runs: int) -> None:
    mb = 1024 * 1024
    print(f"\nsizes: {sizes}; {runs} runs of each side, alternated; medians")
    header = f"{'measure':25} {'vs':24} {'ours':>9} {'base':>9} {'ratio':>7} {'CPU ratio':>9} " \
             f"{'target':>8}  {'peak RSS ours / base':>20}"  # fmt: skip
    print(header)
    print("-" * len(header))
    for pair in pairs:
        if pair.sizes is not None:
            ours_mb, anki_mb = pair.sizes["ours"] / mb, pair.sizes["anki"] / mb
            ratio = pair.sizes["ours"] / pair.sizes["anki"]
            miss = "" if ratio <= 1.1 else " MISS"
            print(f"{pair.name:25} {'Anki export, same notes':24} {ours_mb:7.1f}MB "
                  f"{anki_mb:7.1f}MB {ratio:7.2f} {'':9} {'<=1.1':>8}{miss}")  # fmt: skip
            continue
        if pair.peak_mb is not None:
            seconds = statistics.median(r["seconds"] for r in pair.ours)
            peak = max(r["rss"] for r in pair.ours) / mb
            miss = "" if peak <= pair.peak_mb else " MISS"
            print(f"{pair.name:25} {'':24} {seconds:8.3f}s {'':9} {'':7} {'':9} "
                  f"{f'<={pair.peak_mb:.0f}MB':>8}{miss}  {f'{peak:.0f} MB':>20}")  # fmt: skip
            continue
        if not pair.base:
            r = pair.ours[0]
            print(f"{pair.name:25} {'':24} median {r['seconds'] * 1000:.1f} ms, p99 "
                  f"{r['p99'] * 1000:.1f} ms over {r['count']:.0f} grades; peak RSS "
                  f"{r['rss'] / mb:.0f} MB")  # fmt: skip
            continue
        ours, base = pair.medians("seconds")
        cpu_ours, cpu_base = pair.medians("cpu")
        peaks = [max(r["rss"] for r in side) / mb for side in (pair.ours, pair.base)]
        rss = f"{peaks[0]:.0f} / {peaks[1]:.0f} MB"
        if pair.target is None and pair.limit_ms is None:  # printed beside its target pair
            ratio, verdict, met = f"{ours / base:.2f}", "", True
        elif pair.target is None:
            ratio, verdict = f"+{(ours - base) * 1000:.0f}ms", f"+{pair.limit_ms:.0f}ms"
            met = (ours - base) * 1000 <= (pair.limit_ms or 0)
        else:
            ratio, verdict = f"{ours / base:.2f}", f"<={pair.target}"
            met = ours / base <= pair.target
        miss = "" if met else " MISS"
        print(f"{pair.name:25} {pair.base_name:24} {ours:8.3f}s {base:8.3f}s {ratio:>7} "
              f"{cpu_ours / cpu_base:9.2f} {verdict:>8}{miss}  {rss:>20}")  # fmt: skip
    export = next((p for p in pairs if p.base_name == "real Anki's export"), None)
    if export is not None:
        ours_bytes, anki_bytes = int(export.ours[-1]["bytes"]), int(export.base[-1]["bytes"])
        print(export_bench.size_line(ours_bytes, anki_bytes))
    print("\nEXPLAIN QUERY PLAN of the due query (large database):")
    for line in plan:
        print(f"  {line}")
    print(f"load average (1, 5, 15 min): {', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the sizes, 3 runs")
    parser.add_argument("--runs", type=int, help="runs of each side (default 5; --quick 3)")
    parser.add_argument(
        "--keep",
        type=Path,
        help="generate into this folder, keep it, reuse it next time",
    )
    parser.add_argument(
        "--only",
        metavar="TEXT",
        help="measure only the pairs whose name holds TEXT (e.g. 'import .apkg', 'export')",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    parser.add_argument("--prepare", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--explain", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    sizes = generate.Sizes.quick() if args.quick else generate.Sizes.full()
    if args.child:
        child(args.child)
        return
    if args.prepare:
        prepare(args.prepare, sizes)
        return
    if args.explain:
        print(json.dumps(explain_due_query(args.explain / "study.db")))
        return
    runs = args.runs or (3 if args.quick else 5)
    started = time.perf_counter()
    # Bytecode as an installed copy has it (pip compiles on install; an editable install
    # writes it on first use unless PYTHONDONTWRITEBYTECODE is set, as on some machines):
    # the libraries on the other side of each pair are compiled too.
    subprocess.run(
        [sys.executable, "-m", "compileall", "-q", str(ROOT / "flashcards"),
         str(ROOT / "flashcards_db")], check=True,
    )  # fmt: skip
    with tempfile.TemporaryDirectory(prefix="flashcards-bench-") as tmp:
        data = args.keep or Path(tmp)
        if not (data / "plan.json").exists():  # --keep with a folder already prepared
            # In a child: a child's peak RSS starts from its parent's (Linux carries the
            # high-water mark across fork and exec), so the parent stays small.
            subprocess.run(
                [sys.executable, __file__, "--prepare", str(data), *(["--quick"] * args.quick)],
                check=True,
            )  # fmt: skip
            (data / "plan.json").write_text("prepared\n")
        print(f"prepared in {time.perf_counter() - started:.1f} s", file=sys.stderr, flush=True)
        pairs = measure(data, runs, 100 if args.quick else 300, args.only)
        explained = subprocess.run(
            [sys.executable, __file__, "--explain", str(data)],
            stdout=subprocess.PIPE, check=True, text=True,
        )  # fmt: skip
        plan = json.loads(explained.stdout.strip().splitlines()[-1])
    report(pairs, plan, sizes, runs)
    print(f"whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
