"""Pure progress figures: streaks, retention, forecast, heatmap, counts."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flashcards.progress.figures import (
    MIN_WEAK_SPOT_ANSWERS,
    CardCounts,
    HeatmapDay,
    Recall,
    Streak,
    card_counts,
    forecast,
    heatmap,
    retention,
    streak,
    weakness_map,
)
from flashcards.progress.page import spot_label

D = dt.date(2024, 3, 10)


def _days(*offsets: int) -> list[dt.date]:
    return [D + dt.timedelta(days=o) for o in offsets]


def test_no_study_day_means_no_streak() -> None:
    assert streak([], D) == Streak(current=0, longest=0)


def test_a_run_ending_today_is_the_current_streak() -> None:
    assert streak(_days(-2, -1, 0), D) == Streak(current=3, longest=3)


def test_today_not_yet_studied_keeps_yesterdays_run_alive() -> None:
    assert streak(_days(-3, -2, -1), D) == Streak(current=3, longest=3)


def test_a_missed_day_breaks_the_current_run_but_not_the_longest() -> None:
    # studied -6..-3, missed -2, studied -1 and today
    assert streak(_days(-6, -5, -4, -3, -1, 0), D) == Streak(current=2, longest=4)


def test_two_days_without_study_end_the_current_streak() -> None:
    assert streak(_days(-4, -3, -2), D) == Streak(current=0, longest=3)


def test_repeated_days_and_any_order_count_once() -> None:
    assert streak(_days(0, -1, 0, -1, -2), D) == Streak(current=3, longest=3)


def test_days_after_today_are_ignored() -> None:
    assert streak(_days(-1, 0, 1, 2), D) == Streak(current=2, longest=2)


# --- records as the database layer hands them over -----------------------------------


@dataclass(frozen=True)
class Grade:
    study_day: dt.date
    quality: int
    interval_before: int
    region: str | None = None
    field: str | None = None


@dataclass(frozen=True)
class Day:
    study_day: dt.date
    answers: int


@dataclass(frozen=True)
class State:
    due_day: dt.date | None = None
    repetitions: int = 0
    interval: int = 0
    suspended: bool = False
    leech: bool = False
    buried_until: dt.date | None = None


def on(offset: int) -> dt.date:
    return D + dt.timedelta(days=offset)


def test_retention_splits_young_and_mature_at_21_days_and_skips_first_sightings() -> None:
    grades = [
        Grade(on(0), 5, 0),  # a new card met today: not a recall test
        Grade(on(0), 3, 1),  # young, passed (3 is enough)
        Grade(on(-1), 2, 20),  # young, failed (20 < 21)
        Grade(on(-2), 4, 21),  # mature from 21 days on
        Grade(on(-3), 0, 60),  # mature, failed
        Grade(on(-29), 5, 30),  # the 30th day back is in the window
        Grade(on(-30), 0, 2),  # the 31st is not
        Grade(on(1), 0, 2),  # nor is a day after today
    ]
    r = retention(grades, D)
    assert r.young == Recall(passed=1, reviewed=2)
    assert r.mature == Recall(passed=2, reviewed=3)
    assert r.all == Recall(passed=3, reviewed=5)
    assert r.all.rate == 3 / 5
    assert retention([], D).all.rate is None


def test_weakness_map_is_worst_first_with_firmer_evidence_first_on_ties() -> None:
    grades = [
        Grade(on(0), 5, 1, "forearm", "innervation"),
        Grade(on(0), 1, 1, "forearm", "innervation"),  # forearm innervation 1/2
        Grade(on(0), 2, 1, "arm", "action"),  # arm action 0/1
        Grade(on(0), 5, 1, "arm", "origin"),
        Grade(on(0), 5, 1, "arm", "origin"),  # arm origin 2/2
        Grade(on(0), 5, 1, None, None),  # hand-written 1/1
        Grade(on(0), 0, 0, "arm", "insertion"),  # first sighting: no spot
        Grade(on(-40), 0, 5, "leg", "origin"),  # outside the window
    ]
    spots = weakness_map(grades, D, min_answers=1)
    assert [(s.region, s.field, s.recall.passed, s.recall.reviewed) for s in spots] == [
        ("arm", "action", 0, 1),
        ("forearm", "innervation", 1, 2),
        ("arm", "origin", 2, 2),
        (None, None, 1, 1),
    ]


def test_weak_spots_need_a_minimum_sample() -> None:
    # 0 of 2 is no evidence of a weak spot; 5 of 8 is.
    grades = [Grade(on(0), 1, 1, "thigh-medial", "action")] * 2 + [
        Grade(on(0), 5 if i < 5 else 1, 1, "gluteal", "innervation") for i in range(8)
    ]
    spots = weakness_map(grades, D)
    assert [(s.region, s.recall.passed, s.recall.reviewed) for s in spots] == [("gluteal", 5, 8)]
    assert MIN_WEAK_SPOT_ANSWERS > 2


def test_region_names_are_shown_as_written() -> None:
    assert spot_label("Medial thigh", "action") == "Medial thigh · action"
    assert spot_label("thigh-medial", "blood_supply") == "thigh medial · blood supply"
    assert spot_label(None, None) == "no region · own cards"


def test_heatmap_keeps_the_last_365_days_with_answers_and_merges_duplicates() -> None:
    days = [Day(on(0), 3), Day(on(0), 2), Day(on(-364), 1), Day(on(-365), 9), Day(on(-5), 0)]
    assert heatmap(days, D) == [HeatmapDay(on(-364), 1), HeatmapDay(on(0), 5)]


def test_forecast_counts_per_day_with_overdue_cards_today() -> None:
    cards = [
        State(due_day=on(-10), repetitions=2, interval=6),  # overdue: today
        State(due_day=on(0), repetitions=1, interval=1),  # today
        State(due_day=on(3), repetitions=2, interval=6),
        State(due_day=on(3), repetitions=2, interval=6),
        State(due_day=on(29), repetitions=3, interval=16),  # the 30th day
        State(due_day=on(30), repetitions=3, interval=16),  # beyond
        State(due_day=on(1), suspended=True, repetitions=2, interval=6),  # suspended
        State(),  # new
        State(due_day=on(-1), repetitions=2, interval=6, buried_until=on(2)),  # back on day 2
    ]
    days = forecast(cards, D)
    assert len(days) == 30 and days[0].day == D and days[-1].day == on(29)
    assert {d.day: d.due for d in days if d.due} == {on(0): 2, on(2): 1, on(3): 2, on(29): 1}
    assert sum(d.due for d in days) == 6


def test_card_counts_partition_the_cards_and_leeches_overlap() -> None:
    cards = [
        State(),  # new
        State(due_day=on(1), repetitions=1, interval=1),  # learning: recalled once
        State(due_day=on(1), repetitions=0, interval=1),  # learning again: forgotten
        State(due_day=on(5), repetitions=2, interval=6),  # young
        State(due_day=on(20), repetitions=3, interval=20),  # young
        State(due_day=on(21), repetitions=4, interval=21),  # mature
        State(due_day=on(1), repetitions=2, interval=6, suspended=True, leech=True),
        State(suspended=True),  # suspended before ever seen
        State(due_day=on(1), repetitions=0, interval=1, leech=True),  # learning leech
    ]
    counts = card_counts(cards)
    assert counts == CardCounts(new=1, learning=3, young=2, mature=1, suspended=2, leeches=2)
    assert counts.total == len(cards)
