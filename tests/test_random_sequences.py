"""Random sequences of commands against one database hunt tracebacks and disagreements.

Hypothesis draws sequences of import, review (random keys: grades, Enter, `u`, `s`, `q`,
stray text, the end of input), quiz, undo, stats, decks, status, export and doctor, with
random options (`--today`, `--user`, `--day-start`, DECK, `--new`, `--limit` …) before or
after the command name. After every step: no traceback, an exit code the docs allow
(0 done, 1 a clear `Error:`, 2 usage), `doctor` healthy, and the counts of `decks`,
`status` and `stats --json` equal a model of the schedule kept here from SM-2 and the
session rules (which card was asked is read from the session's transcript).

The suite runs FLASHCARDS_SEQUENCES sequences (default 300); set it higher for a longer
hunt: `FLASHCARDS_SEQUENCES=5000 pytest tests/test_random_sequences.py`.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from flashcards import sm2
from flashcards.cli import cli
from flashcards.scheduling.leeches import DEFAULT_LEECH_THRESHOLD, becomes_leech
from flashcards.scheduling.limits import DEFAULT_NEW_PER_DAY

SEQUENCES = int(os.environ.get("FLASHCARDS_SEQUENCES", "300"))
DAY0 = dt.date(2026, 5, 4)
USERS = ("ana", "bob")
HIP = "Anatomy::Lower limb::Hip"
KNEE = "Anatomy::Lower limb::Knee"
DECKS = {
    "hip.yaml": (HIP, "hip", [f"Hip question {i}?" for i in range(1, 9)]),
    "knee.yaml": (KNEE, "knee", [f"Knee question {i}?" for i in range(1, 6)]),
}
QUESTION = re.compile(r"(?:Hip|Knee) question \d+\?")


def deck_file(folder: Path, name: str) -> Path:
    deck, key, questions = DECKS[name]
    lines = [f"deck: {deck}", f"id: {key}", "cards:"]
    for i, question in enumerate(questions, 1):
        lines.append(f"  - {{id: {key}-{i}, q: '{question}', a: '{key} answer {i}'}}")
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


# -- the model ----------------------------------------------------------------------


@dataclass
class CardModel:
    repetitions: int = 0
    interval: int = 0
    easiness: float = 2.5
    due: dt.date | None = None
    lapses: int = 0
    last_review_day: dt.date | None = None
    suspended: bool = False
    leech: bool = False


@dataclass
class Answer:
    user: str
    card: str
    day: dt.date
    quality: int
    moved: bool
    new: bool
    before: CardModel
    leech: bool


@dataclass
class Suspension:
    """``s`` in a session: an action of its own, taken back by the next undo."""

    user: str
    card: str


@dataclass
class Model:
    """Every user's schedule as SM-2 and the session rules make it (SM2.md)."""

    active: set[str] = field(default_factory=set)  # questions of imported cards
    files: set[str] = field(default_factory=set)  # deck files imported

    def imported(self, name: str) -> None:
        self.files.add(name)
        self.active |= set(DECKS[name][2])

    def knows(self, args: tuple[str, ...]) -> bool:
        """Whether the DECK among ``args`` (if any) names an imported deck."""
        names = {"Hip": "hip.yaml", "hip": "hip.yaml", "knee": "knee.yaml",
                 "Anatomy::Lower limb::Knee": "knee.yaml"}  # fmt: skip
        for arg in args:
            if arg == "Nowhere":
                return False
            if arg == "Lower limb":
                return bool(self.files)
            if arg in names:
                return names[arg] in self.files
        return True

    cards: dict[tuple[str, str], CardModel] = field(default_factory=dict)
    log: list[Answer | Suspension] = field(default_factory=list)  # standing actions, oldest first

    def answers(self) -> list[Answer]:
        return [a for a in self.log if isinstance(a, Answer)]

    def suspend(self, user: str, question: str) -> None:
        self.card(user, question).suspended = True
        self.log.append(Suspension(user, question))

    def card(self, user: str, question: str) -> CardModel:
        return self.cards.setdefault((user, question), CardModel())

    def grade(self, user: str, question: str, day: dt.date, quality: int) -> None:
        card = self.card(user, question)
        before = copy.copy(card)
        moved = card.last_review_day != day
        leech = False
        if moved:
            after = sm2.review(
                sm2.Sm2State(card.repetitions, card.interval, card.easiness), quality
            )
            lapsed = quality < 3 and card.repetitions > 0
            card.repetitions, card.interval, card.easiness = (
                after.repetitions, after.interval, after.easiness,
            )  # fmt: skip
            card.due = day + dt.timedelta(days=after.interval)
            card.lapses += int(lapsed)
            card.last_review_day = day
            leech = becomes_leech(before.lapses, card.lapses, DEFAULT_LEECH_THRESHOLD)
            if leech:
                card.leech = card.suspended = True
        self.log.append(
            Answer(user, question, day, quality, moved, moved and before.interval == 0,
                   before, leech)
        )  # fmt: skip

    def undo(self, user: str) -> Answer | Suspension | None:
        """The user's last action taken back, a grade or a suspension, whenever it was."""
        mine = [i for i, a in enumerate(self.log) if a.user == user]
        if not mine:
            return None
        answer = self.log.pop(mine[-1])
        card = self.card(user, answer.card)
        if isinstance(answer, Suspension):
            card.suspended = False
        elif answer.moved:
            b = answer.before
            card.repetitions, card.interval, card.easiness = b.repetitions, b.interval, b.easiness
            card.due, card.lapses = b.due, b.lapses
            days = [
                a.day
                for a in self.answers()
                if a.user == user and a.card == answer.card and a.moved
            ]
            card.last_review_day = max(days, default=None)
            if answer.leech and card.leech:
                card.leech = card.suspended = False
        return answer

    def counts(self, user: str, day: dt.date) -> dict[str, int]:
        today = [a for a in self.answers() if a.user == user and a.day == day]
        latest: dict[str, int] = {}
        for a in today:
            latest.pop(a.card, None)
            latest[a.card] = a.quality
        states = {q: self.cards.get((user, q), CardModel()) for q in self.active}
        redrills = {
            q for q, quality in latest.items()
            if quality < 4 and q in self.active and not states[q].suspended
        }  # fmt: skip
        due = sum(
            1
            for q, c in states.items()
            if c.due is not None and c.due <= day and not c.suspended and q not in redrills
        )
        never = sum(1 for c in states.values() if c.due is None and not c.suspended)
        introduced = sum(a.new for a in today)
        return {
            "due": due,
            "redrills": len(redrills),
            "new": min(never, max(0, DEFAULT_NEW_PER_DAY - introduced)),
            "never": never,
            "cards": len(self.active),
            "suspended": sum(c.suspended for c in states.values()),
            "answers": sum(a.user == user for a in self.answers()),
        }


# -- steps ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    command: str
    args: tuple[str, ...]
    user: str
    day: dt.date
    after: bool  # global options after the command name
    keys: tuple[str, ...] = ()
    eof: bool = True  # the input ends (else it ends with q)
    day_start: int | None = None


MISUSES = [
    ("review", "--new", "-1"),
    ("status", "--bogus"),
    ("quiz", "--mode", "essay"),
    ("review", "--limit", "many"),
    ("undo", "extra-argument"),
    ("doctor", "--backed-up"),
    ("nosuchcommand",),
]
KEYS = st.sampled_from(["", "", "0", "1", "2", "3", "4", "5", "5", "4", "u", "s", "x", "q"])
GRADE = st.sampled_from(["0", "1", "2", "3", "4", "5", "5", "4", "4", "5"])
# What a student does with one card, mostly: reveal and grade; now and then undo, suspend,
# a stray line, a quit; and the odd key anywhere (KEYS).
CARD = st.one_of(
    st.tuples(st.just(""), GRADE),
    st.tuples(st.just(""), GRADE),
    st.tuples(st.just(""), GRADE),
    st.tuples(st.just(""), GRADE),
    st.tuples(st.sampled_from(["", "x"]), st.sampled_from(["x", "7", "u", "s"]), GRADE),
    st.tuples(st.sampled_from(["u", "s"])),
    st.tuples(KEYS),
)
# Lengths drawn evenly (hypothesis' lists favour short ones): long sessions happen too.
SESSION = (
    st.integers(0, 25)
    .flatmap(lambda n: st.lists(CARD, min_size=n, max_size=n))
    .map(lambda cards: tuple(k for card in cards for k in card))
)
DECK_ARGS = st.sampled_from(
    [(), (), ("Hip",), ("knee",), ("Lower limb",), ("Anatomy::Lower limb::Knee",), ("hip",),
     ("Nowhere",)]
)  # fmt: skip


@st.composite
def steps(draw: st.DrawFn) -> Step:
    command = draw(
        st.sampled_from(
            ["import", "review", "review", "review", "quiz", "undo", "stats", "decks",
             "status", "export", "doctor", "misuse"]
        )
    )  # fmt: skip
    args: tuple[str, ...] = ()
    keys: tuple[str, ...] = ()
    if command == "import":
        files = draw(st.sampled_from([("hip.yaml",), ("knee.yaml",), ("hip.yaml", "knee.yaml")]))
        args = (*(f"{{dir}}/{f}" for f in files), *draw(st.sampled_from([(), ("--json",)])))
    elif command == "review":
        target = draw(st.sampled_from([(), (), ("Hip",), ("knee",), ("{dir}/knee.yaml",),
                                       ("Lower limb",), ("Nowhere",)]))  # fmt: skip
        # Limits now and then: most sessions run through what the day holds.
        new = draw(st.sampled_from([(), (), (), ("--new", "0"), ("--new", "2"), ("--new", "30")]))
        limit = draw(st.sampled_from([(), (), (), (), ("--limit", "3")]))
        args = (*target, *new, *limit)
        keys = draw(SESSION)
    elif command == "quiz":
        mode = draw(st.sampled_from(["flip", "mc"]))
        count, seed = draw(st.integers(1, 4)), draw(st.integers(0, 3))
        as_json = draw(st.sampled_from([(), ("--json",)]))
        args = (*draw(DECK_ARGS), "--mode", mode, "--count", str(count), "--seed", str(seed))
        args += as_json
        keys = tuple(draw(st.lists(KEYS, max_size=10)))
    elif command == "stats":
        args = draw(DECK_ARGS)
    elif command in ("decks", "status"):
        args = draw(st.sampled_from([(), ("--json",)]))
    elif command == "export":
        progress = draw(st.sampled_from([(), ("--with-progress",)]))
        args = (*draw(DECK_ARGS), "-o", "{dir}/out.apkg", *progress)
    elif command == "misuse":  # a usage error: exit 2, nothing changed
        args = draw(st.sampled_from(MISUSES))
    return Step(
        command=command,
        args=args,
        user=draw(st.sampled_from(USERS)),
        day=DAY0 + dt.timedelta(days=draw(st.integers(0, 12))),
        after=draw(st.booleans()),
        keys=keys,
        eof=draw(st.booleans()),
        day_start=draw(st.sampled_from([None, None, 0, 4, 23])),
    )


class Runner:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.db = str(folder / "fc.db")

    def __call__(self, step: Step, *args: str, input: str | None = None) -> Result:
        options = ["--db", self.db, "--user", step.user, "--today", step.day.isoformat()]
        if step.day_start is not None:
            options += ["--day-start", str(step.day_start)]
        words = [a.replace("{dir}", str(self.folder)) for a in args]
        command = [*words, *options] if step.after else [*options, *words]
        result = CliRunner().invoke(cli, command, input=input)
        shown = f"$ flashcards {' '.join(command)}\n{result.output}"
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise AssertionError(f"traceback:\n{shown}") from result.exception
        assert "Traceback" not in result.output, shown
        assert result.exit_code in (0, 1, 2), shown
        if result.exit_code == 1:
            assert "Error: " in result.output, shown
        return result


def apply_session(model: Model, step: Step, keys: list[str], output: str) -> None:
    """Follow the session's reading of standard input over the cards it showed (from
    its transcript), grading, undoing and suspending in the model as it did."""
    shown = iter(QUESTION.findall(output))
    lines = iter(keys)
    session: list[str] = []  # this session's standing actions, grades and suspensions
    for question in shown:
        reveal = next(lines, None)
        if reveal is None or reveal == "q":
            return
        if reveal in ("u", "s"):
            act(model, step, reveal, question, session)
            continue
        while True:
            line = next(lines, None)
            if line is None or line == "q":
                return
            if line in ("u", "s"):
                act(model, step, line, question, session)
                break
            if line in ("0", "1", "2", "3", "4", "5"):
                model.grade(step.user, question, step.day, int(line))
                session.append(question)
                break


def act(model: Model, step: Step, key: str, question: str, session: list[str]) -> None:
    if key == "s":
        model.suspend(step.user, question)
        session.append(question)
    elif session:
        session.pop()
        model.undo(step.user)


def never_studied(model: Model, step: Step, result: Result) -> bool:
    """Whether a command that only reads refused the step's user as none of the
    database's users: then the model holds no answer of that name either."""
    if result.exit_code != 1 or "Error: no user named" not in result.output:
        return False
    assert not any(a.user == step.user for a in model.answers()), result.output
    return True


def run_step(run: Runner, model: Model, step: Step) -> None:
    keys = list(step.keys) + ([] if step.eof else ["q"])
    stdin = "".join(k + "\n" for k in keys)
    words = step.args if step.command == "misuse" else (step.command, *step.args)
    result = run(step, *words, input=stdin)
    code = result.exit_code
    if step.command == "import":
        assert code == 0, result.output
        for name in DECKS:
            if f"{{dir}}/{name}" in step.args:
                model.imported(name)
    elif step.command == "review":
        if "{dir}/knee.yaml" in step.args:
            model.imported("knee.yaml")
        if not model.knows(step.args):
            assert code == 1, result.output
            return
        assert code == 0, result.output
        apply_session(model, step, keys, result.stdout)
    elif step.command == "undo":
        undone = model.undo(step.user)
        assert code == (0 if undone is not None else 1), result.output
        if undone is not None:
            assert undone.card in result.output, result.output
    elif step.command in ("status", "decks") and never_studied(model, step, result):
        return  # only reading, they refuse a name others' database does not know
    elif step.command in ("doctor", "status", "decks"):
        assert code == 0, result.output
    elif step.command == "misuse":
        assert code == 2 and "Usage:" in result.output, result.output
    elif step.command in ("stats", "quiz", "export"):
        assert code in (0, 1), result.output
        if not model.knows(step.args):
            assert code == 1, result.output
        if code == 0 or not model.active or not model.knows(step.args):
            return
        if step.command == "stats" and never_studied(model, step, result):
            return
        if step.command == "quiz" and "mc" in step.args:
            return  # hand-written cards cannot be asked as multiple choice: a clear Error
        raise AssertionError(f"{step.command} failed on a database with cards: {result.output}")


def check_agreement(run: Runner, model: Model, step: Step) -> None:
    """doctor healthy; decks, status and stats --json equal the model."""
    probe = Step("probe", (), step.user, step.day, after=not step.after)
    doctor = run(probe, "doctor", "--json")
    assert doctor.exit_code == 0 and json.loads(doctor.stdout)["healthy"], doctor.output
    want = model.counts(step.user, step.day)
    said = run(probe, "status", "--json")
    if said.exit_code == 1 and "Error: no user named" in said.stderr:
        # A name that has never studied, in a database others study in: the commands that
        # only read refuse it (and make no user); it has nothing to count.
        assert want["answers"] == 0, (said.stderr, want)
        for command in ("decks", "stats"):
            refused = run(probe, command, "--json")
            assert refused.exit_code == 1 and "Error: no user named" in refused.stderr
        return
    status = json.loads(said.stdout)
    got = {k: status[k] for k in ("due", "new", "redrills")}
    assert got == {k: want[k] for k in got}, (status, want)
    assert status["left"] == want["due"] + want["new"] + want["redrills"]
    rows = json.loads(run(probe, "decks", "--json").stdout)
    top = next((r for r in rows if r["name"] == "Anatomy"), None)
    if not model.active:
        assert top is None
    else:
        assert top is not None
        deck = {k: top[k] for k in ("cards", "new", "due", "suspended", "redrills")}
        assert deck == {
            "cards": want["cards"],
            "new": want["never"],
            "due": want["due"],
            "suspended": want["suspended"],
            "redrills": want["redrills"],
        }, (top, want)
    stats = json.loads(run(probe, "stats", "--json").stdout)
    assert stats["reviews_total"] == want["answers"], (stats["reviews_total"], want)
    assert stats["cards"]["total"] == want["cards"]
    assert stats["cards"]["new"] == want["never"]
    assert stats["cards"]["suspended"] == want["suspended"]
    assert stats["forecast"][0]["due"] == want["due"] + 0, (stats["forecast"][0], want)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated, empty database file: copied for each sequence (no migration each time)."""
    folder = tmp_path_factory.mktemp("template")
    result = CliRunner().invoke(cli, ["--db", str(folder / "fc.db"), "db", "upgrade"])
    assert result.exit_code == 0, result.output
    return folder / "fc.db"


@contextmanager
def sequence_folder(template: Path) -> Iterator[Path]:
    # In memory where the machine has a tmpfs: thousands of small commits, no disk syncs.
    shm = Path("/dev/shm")
    folder = Path(tempfile.mkdtemp(prefix="flashcards-seq-", dir=shm if shm.is_dir() else None))
    try:
        shutil.copy(template, folder / "fc.db")
        for name in DECKS:
            deck_file(folder, name)
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@settings(
    max_examples=SEQUENCES,
    deadline=None,
    # A failing sequence is at most 8 steps, readable as it is; shrinking one costs
    # minutes (FLASHCARDS_SEQUENCES_SHRINK=1 shrinks all the same).
    phases=[Phase.explicit, Phase.reuse, Phase.generate]
    + ([Phase.shrink] if os.environ.get("FLASHCARDS_SEQUENCES_SHRINK") else []),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(
    start=st.sampled_from([(), ("hip.yaml",), ("hip.yaml",), ("hip.yaml", "knee.yaml")]),
    sequence=st.integers(1, 8).flatmap(lambda n: st.lists(steps(), min_size=n, max_size=n)),
)
def test_random_sequences_never_break_and_every_count_agrees(
    template: Path, start: tuple[str, ...], sequence: list[Step]
) -> None:
    with sequence_folder(template) as folder:
        run = Runner(folder)
        model = Model()
        if start:  # most sequences study decks already imported (the first step may too)
            first = Step("import", tuple(f"{{dir}}/{name}" for name in start), "ana", DAY0, False)
            run_step(run, model, first)
        for step in sequence:
            run_step(run, model, step)
            check_agreement(run, model, step)
            event(f"step: {step.command}")
        event(f"answers standing at the end: {min(len(model.answers()), 20) // 5 * 5}+")
