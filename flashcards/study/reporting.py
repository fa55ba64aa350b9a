"""The instructor's report: how hard each card and field is across a class, and what each
student has been doing. Read-only, over every user of the database.

How hard a card is, from the day's first grades of every student (the answers that moved
a schedule, so a re-drill never counts twice):

- *fail rate*: the share of them below 3. It ranks the hardest cards, because it sees
  both a card failed on first sight and one forgotten later; a card that nobody ever
  learns never "lapses", so the lapse rate alone would miss it;
- *lapse rate*: the share failed when the card had been recalled before (a lapse, as the
  schedule counts it) among those given to an already learned card;
- *mean first grade*: the mean of each student's very first grade on the card.
"""

from __future__ import annotations

import datetime as dt
import heapq
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from flashcards.progress import figures
from flashcards.study.context import App
from flashcards.study.reviewing import deck_ids_for
from flashcards.study.statistics import user_today
from flashcards_db.queries import stats as stats_queries
from flashcards_db.queries.stats import CardFacts, CardGrades

__all__ = [
    "HARDEST_SHOWN",
    "CardDifficulty",
    "CardSummary",
    "CardTable",
    "ClassReport",
    "Difficulty",
    "FieldDifficulty",
    "StudentActivity",
    "class_report",
    "hardest",
    "summarise",
]

HARDEST_SHOWN = 10
ACTIVITY_DAYS = 7


@dataclass(slots=True)
class Difficulty:
    """Counts behind the three difficulty figures (see the module's docstring)."""

    grades: int = 0
    failed: int = 0
    learned: int = 0  # first grades given to a card already recalled before
    lapses: int = 0
    first_grades: int = 0  # each student's very first grade on a card, counted
    first_grade_sum: int = 0
    students: int = 0  # who gave any of the grades

    @property
    def fail_rate(self) -> float | None:
        return self.failed / self.grades if self.grades else None

    @property
    def lapse_rate(self) -> float | None:
        return self.lapses / self.learned if self.learned else None

    @property
    def mean_first_grade(self) -> float | None:
        return self.first_grade_sum / self.first_grades if self.first_grades else None

    @classmethod
    def of_card(cls, card: CardGrades) -> Difficulty:
        return cls(
            grades=card.grades,
            failed=card.failed,
            learned=card.learned,
            lapses=card.lapses,
            first_grades=card.students,
            first_grade_sum=card.first_grade_sum,
            students=card.students,
        )

    def add(self, other: Difficulty) -> None:
        """Count ``other``'s grades in too; who gave them is the caller's to count, as a
        student of both counts once."""
        self.grades += other.grades
        self.failed += other.failed
        self.learned += other.learned
        self.lapses += other.lapses
        self.first_grades += other.first_grades
        self.first_grade_sum += other.first_grade_sum

    def ranking(self) -> tuple[float, float, float, int]:
        """Hardest first: most failed, then lowest first grade, most lapses, most seen."""
        return (
            -(self.fail_rate or 0.0),
            self.mean_first_grade if self.mean_first_grade is not None else 6.0,
            -(self.lapse_rate or 0.0),
            -self.grades,
        )

    def as_json(self) -> dict[str, object]:
        return {
            "students": self.students,
            "reviews": self.grades,
            "failed": self.failed,
            "fail_rate": self.fail_rate,
            "lapses": self.lapses,
            "lapse_rate": self.lapse_rate,
            "mean_first_grade": self.mean_first_grade,
        }


@dataclass(frozen=True, slots=True)
class CardDifficulty:
    card: CardFacts
    question: str
    difficulty: Difficulty

    def as_json(self) -> dict[str, object]:
        c = self.card
        return {
            "card_id": c.card_id,
            "deck": c.deck_name,
            "key": c.note_key if c.kind != "cloze" else f"{c.note_key}#c{c.ordinal}",
            "question": self.question,
            "structure": c.structure_name,
            "region": c.region,
            "field": c.field,
            "retired": c.retired,
            **self.difficulty.as_json(),
        }


@dataclass(frozen=True)
class FieldDifficulty:
    field: str | None  # None: hand-written cards
    cards: int
    difficulty: Difficulty

    def as_json(self) -> dict[str, object]:
        return {"field": self.field, "cards": self.cards, **self.difficulty.as_json()}


def _hardness(c: CardDifficulty) -> tuple[float, float, float, int, str, int]:
    return (*c.difficulty.ranking(), c.card.deck_name, c.card.position)


def hardest(cards: Iterable[CardDifficulty], most: int | None = None) -> list[CardDifficulty]:
    """Cards somebody answered, hardest first (ties in authoring order); with ``most``,
    only that many."""
    answered = (c for c in cards if c.difficulty.grades)
    if most is None:
        return sorted(answered, key=_hardness)
    return heapq.nsmallest(most, answered, key=_hardness)  # as sorted()[:most], sooner


@dataclass(frozen=True)
class CardSummary:
    hardest: list[CardDifficulty]  # the ``HARDEST_SHOWN`` hardest, hardest first
    fields: list[FieldDifficulty]  # fields somebody answered, hardest first
    cards: int  # cards in the report's table
    answered: int  # of which somebody answered


def summarise(
    cards: Iterable[CardDifficulty], students_by_field: Mapping[str | None, int]
) -> CardSummary:
    """In one pass over ``cards``: the hardest, the fields (``students_by_field``: who
    graded any card of each field) and the counts."""
    totals: dict[str | None, Difficulty] = defaultdict(Difficulty)
    counts: dict[str | None, int] = defaultdict(int)
    seen = 0

    def answered() -> Iterator[CardDifficulty]:
        nonlocal seen
        for card in cards:
            seen += 1
            if card.difficulty.grades:
                totals[card.card.field].add(card.difficulty)
                counts[card.card.field] += 1
                yield card

    found = hardest(answered(), HARDEST_SHOWN)
    for f, total in totals.items():
        total.students = students_by_field.get(f, 0)
    fields = [FieldDifficulty(f, counts[f], d) for f, d in totals.items()]
    fields.sort(key=lambda f: (*f.difficulty.ranking(), f.field is None, f.field or ""))
    return CardSummary(found, fields, seen, sum(counts.values()))


@dataclass(frozen=True)
class StudentActivity:
    name: str
    today: dt.date
    last_review: dt.date | None
    reviews_recent: int  # answers (re-drills included) in the last 7 study days
    reviews_total: int
    streak: figures.Streak
    retention: figures.Recall  # true retention, last 30 days

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "last_review": self.last_review.isoformat() if self.last_review else None,
            "reviews_7d": self.reviews_recent,
            "reviews_total": self.reviews_total,
            "streak": self.streak.current,
            "retention": self.retention.rate,
            "retention_passed": self.retention.passed,
            "retention_reviewed": self.retention.reviewed,
        }


def _activity(
    name: str,
    today: dt.date,
    per_day: Sequence[stats_queries.AnswersOnDay],
    grades: Sequence[stats_queries.RecentGrade],
) -> StudentActivity:
    first, last = figures.window(today, ACTIVITY_DAYS)
    past = [d for d in per_day if d.study_day <= today]
    return StudentActivity(
        name=name,
        today=today,
        last_review=max((d.study_day for d in past), default=None),
        reviews_recent=sum(d.answers for d in past if first <= d.study_day <= last),
        reviews_total=sum(d.answers for d in per_day),
        streak=figures.streak((d.study_day for d in per_day), today),
        retention=figures.retention(grades, today).all,
    )


@dataclass(frozen=True)
class CardTable:
    """Every card of the report with its difficulty, read from the database each time it is
    iterated: a class's table of cards is written out row by row, never held whole."""

    app: App
    deck_ids: Sequence[int] | None
    grades: Mapping[int, CardGrades]  # by card id: the counts of every student's grades

    def __iter__(self) -> Iterator[CardDifficulty]:
        with self.app.session() as session:
            facts = stats_queries.card_facts(session, self.deck_ids)
            yield from _with_difficulty(facts, self.grades)


def _with_difficulty(
    facts: Iterable[CardFacts], grades: Mapping[int, CardGrades]
) -> Iterator[CardDifficulty]:
    """Each card with its difficulty, made as it is needed: a class's cards are counted
    once (``grades``), not held a second time as figures."""
    for f in facts:
        found = grades.get(f.card_id)
        if f.retired and found is None:
            continue  # a retired card matters only if it was studied
        difficulty = Difficulty() if found is None else Difficulty.of_card(found)
        yield CardDifficulty(f, _question(f), difficulty)


@dataclass(frozen=True)
class ClassReport:
    today: dt.date
    deck: str | None
    cards: Iterable[CardDifficulty]  # every card, in deck and authoring order
    students: list[StudentActivity]
    summary: CardSummary

    @property
    def hardest(self) -> list[CardDifficulty]:
        return self.summary.hardest

    @property
    def fields(self) -> list[FieldDifficulty]:
        return self.summary.fields

    def as_json(self) -> dict[str, object]:
        return {**self.summary_json(), "cards": [c.as_json() for c in self.cards]}

    def summary_json(self) -> dict[str, object]:
        """The report without its last part, the table of every card."""
        return {
            "today": self.today.isoformat(),
            "deck": self.deck,
            "students": [s.as_json() for s in self.students],
            "hardest_cards": [c.as_json() for c in self.hardest],
            "hardest_fields": [f.as_json() for f in self.fields],
        }


def _question(card: CardFacts) -> str:
    if card.kind == "cloze":
        from flashcards.authoring.facts import render_cloze

        return render_cloze(card.front, card.ordinal)[0]
    return card.front


def class_report(
    app: App, deck: str | None = None, *, now: dt.datetime | None = None
) -> ClassReport:
    """Every user's activity and every card's difficulty over one deck or all decks."""
    with app.session() as session:
        deck_ids = deck_ids_for(session, [deck] if deck else [])
        graded = stats_queries.class_grades(session, figures.PASSING_GRADE, deck_ids)
        # One pass over the cards for the hardest ones and the fields; the table of every
        # card is read again as it is written out (``CardTable``).
        facts = stats_queries.card_facts(session, deck_ids)
        summary = summarise(_with_difficulty(facts, graded.cards), graded.students_by_field)
        per_day = stats_queries.answers_per_day(session, None, deck_ids)
        users = [(u, user_today(app, u.timezone, now)) for u in stats_queries.students(session)]
        # True retention looks back from each student's own today.
        since = [figures.window(today, figures.RETENTION_DAYS)[0] for _, today in users]
        grades = stats_queries.recent_first_grades(session, min(since), deck_ids) if since else []
    days_by_user: dict[int, list[stats_queries.AnswersOnDay]] = defaultdict(list)
    for day in per_day:
        days_by_user[day.user_id].append(day)
    grades_by_user: dict[int, list[stats_queries.RecentGrade]] = defaultdict(list)
    for grade in grades:
        grades_by_user[grade.user_id].append(grade)
    students = [
        _activity(u.name, today, days_by_user[u.id], grades_by_user[u.id]) for u, today in users
    ]
    return ClassReport(
        today=app.today_override or user_today(app, None, now),
        deck=deck,
        cards=CardTable(app, deck_ids, graded.cards),
        students=students,
        summary=summary,
    )
