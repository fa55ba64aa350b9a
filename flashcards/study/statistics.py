"""A student's progress: every figure of ``flashcards stats``, read from the review log.

Which study day an answer belongs to is the ``study_day`` stored with it, not one
recomputed from its time stamp: the scheduler computed the card's due day from that day,
the first-grade-of-the-day rule was applied on it, ``--today`` logs on it, and a student
who later moves to another time zone (or changes the day-start hour) keeps the history
as it was lived. Only *today* is computed here, in the user's own time zone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flashcards.progress import figures
from flashcards.study.context import App, user_zone
from flashcards.study.reviewing import deck_ids_for
from flashcards_db.queries import stats as stats_queries

__all__ = ["StudentStats", "student_stats", "user_today", "user_zone"]


def user_today(app: App, timezone: str | None, now: dt.datetime | None = None) -> dt.date:
    """Today's study day for a user: ``--today`` when given, else the day in the user's
    time zone, which starts at the day-start hour (01:30 belongs to the day before)."""
    return app.today_for(timezone, now)


@dataclass(frozen=True)
class StudentStats:
    user: str
    today: dt.date
    deck: str | None
    reviews_total: int
    streak: figures.Streak
    retention: figures.Retention
    forecast: list[figures.DueDay]
    heatmap: list[figures.HeatmapDay]
    cards: figures.CardCounts
    weakness: list[figures.WeakSpot]

    @property
    def has_answers(self) -> bool:
        return self.reviews_total > 0

    def page(self) -> str:
        """These figures as the self-contained page of ``stats --html`` (and the review
        page's stats)."""
        from flashcards.progress.page import stats_page

        return stats_page(
            user=self.user,
            scope=self.deck or "all decks",
            today=self.today,
            reviews_total=self.reviews_total,
            streak=self.streak,
            retention=self.retention,
            forecast=self.forecast,
            heatmap=self.heatmap,
            cards=self.cards,
            weakness=self.weakness,
        )

    def as_json(self) -> dict[str, object]:
        r = self.retention
        recalls = {"young": r.young, "mature": r.mature, "all": r.all}
        c = self.cards
        return {
            "user": self.user,
            "today": self.today.isoformat(),
            "deck": self.deck,
            "reviews_total": self.reviews_total,
            "streak": {"current": self.streak.current, "longest": self.streak.longest},
            "retention": {k: v.rate for k, v in recalls.items()},
            "retention_counts": {
                k: {"passed": v.passed, "reviewed": v.reviewed} for k, v in recalls.items()
            },
            "retention_days": figures.RETENTION_DAYS,
            "forecast": [{"date": d.day.isoformat(), "due": d.due} for d in self.forecast],
            "heatmap": [{"date": d.day.isoformat(), "reviews": d.reviews} for d in self.heatmap],
            "cards": {
                "new": c.new,
                "learning": c.learning,
                "young": c.young,
                "mature": c.mature,
                "suspended": c.suspended,
                "leeches": c.leeches,
                "total": c.total,
            },
            "weakness_min_answers": figures.MIN_WEAK_SPOT_ANSWERS,
            "weakness": [
                {
                    "region": w.region,
                    "field": w.field,
                    "retention": w.recall.rate,
                    "passed": w.recall.passed,
                    "reviewed": w.recall.reviewed,
                }
                for w in self.weakness
            ],
        }


def student_stats(
    app: App, deck: str | None = None, *, now: dt.datetime | None = None
) -> StudentStats:
    """The current user's figures over one deck (with its sub-decks) or every deck."""
    with app.session() as session:
        user = app.user(session)
        today = user_today(app, user.timezone, now)
        deck_ids = deck_ids_for(session, [deck] if deck else [])
        per_day = stats_queries.answers_per_day(session, user.id, deck_ids)
        since, _ = figures.window(today, figures.RETENTION_DAYS)
        grades = stats_queries.first_grades(session, user.id, deck_ids, since=since)
        cards = stats_queries.card_statuses(session, user.id, deck_ids)
    return StudentStats(
        user=app.user_name,
        today=today,
        deck=deck,
        reviews_total=sum(d.answers for d in per_day),
        streak=figures.streak((d.study_day for d in per_day), today),
        retention=figures.retention(grades, today),
        forecast=figures.forecast(cards, today),
        heatmap=figures.heatmap(per_day, today),
        cards=figures.card_counts(cards),
        weakness=figures.weakness_map(grades, today),
    )
