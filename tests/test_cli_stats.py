"""`flashcards stats`: every figure of `--json` against a hand count of a scripted history.

The history is built through the CLI over simulated days (`--today`), with known grades.
Six one-fact structures, so each card is its own sibling group and the queue order is
plain: due cards (most overdue first, then authoring order), then new cards.

    A  Pronator teres, forearm · innervation
    B  Flexor carpi radialis, forearm · innervation
    C  Biceps brachii, arm · action
    D  Brachialis, arm · innervation
    E  Coracobrachialis (suspended on day 74, never graded)
    F  Triceps brachii (never shown: stays new)

Day (from D0)  answers (r = same-day re-drill)            SM-2 afterwards
  0   A5 (new)                                             A I=1
  1   A5                                                   A I=6
  7   A5                                                   A I=17
 24   A5 (asked at interval 17: young, outside the window) A I=48
 70   B5 (new), C2 (new), C4r                              B I=1, C I=1
 71   B3, C5, B5r                                          B I=6 (due 77), C I=1
 72   A2 then undone, A4 (asked at 48: mature), C1 (lapse), C2r, C4r
                                                           A I=140, C I=1
 73   — missed —
 74   C5, D5 (new), E suspended                            C I=1, D I=1
 75   C4, D0 (lapse), D4r                                  C I=6 (due 81), D I=1 (76)

Hand count on day 75:
- answers: 1+1+1+1+3+3+4+2+3 = 19 (the undone A2 is not one of them);
- streak: runs 0-1, 7, 24, 70-72, 74-75: current 2 (across the missed day 73), longest 3;
- retention (days 46..75, the day's first grade of cards already studied):
  young B3 C5 C1 C5 C4 D0 = 4/6, mature A4 = 1/1, all 5/7;
- forecast from day 75: D on 76, B on 77, C on 81 (A on 212 is beyond 30 days) = 3;
- cards: F new, D learning (lapsed), B and C young (I=6), A mature (I=140), E suspended;
- weak spots (4 answers or more): arm · action 3/4 (arm · innervation 0/1 and
  forearm · innervation 2/2 are too few to judge).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, ok, write
from sqlalchemy import create_engine, text

D0 = dt.date(2025, 12, 1)

ARM_DECK = """\
deck: Anatomy::Arm
id: arm
structures:
  - name: Pronator teres
    region: forearm
    innervation: Median nerve
  - name: Flexor carpi radialis
    region: forearm
    innervation: Median nerve
  - name: Biceps brachii
    region: arm
    action: Flexes and supinates the forearm
  - name: Brachialis
    region: arm
    innervation: Musculocutaneous nerve
  - name: Coracobrachialis
    region: arm
    insertion: Medial shaft of the humerus
  - name: Triceps brachii
    region: arm
    insertion: Olecranon of the ulna
"""

KNEE_DECK = """\
deck: Anatomy::Knee
id: knee
cards:
  - id: k1
    q: Which muscle unlocks the knee?
    a: Popliteus
"""

# (day, --new, input lines): Enter reveals, then the grade; u undoes; s suspends.
HISTORY: list[tuple[int, int, list[str]]] = [
    (0, 1, ["", "5"]),
    (1, 0, ["", "5"]),
    (7, 0, ["", "5"]),
    (24, 0, ["", "5"]),
    (70, 2, ["", "5", "", "2", "", "4"]),
    (71, 0, ["", "3", "", "5", "", "5"]),
    (72, 0, ["", "2", "u", "", "4", "", "1", "", "2", "", "4"]),
    (74, 2, ["", "5", "", "5", "s"]),
    (75, 0, ["", "4", "", "0", "", "4"]),
]
# The question each answer above was given to, in order (checks the queue did as planned).
ASKED = {
    0: ["pronator teres"],
    1: ["pronator teres"],
    7: ["pronator teres"],
    24: ["pronator teres"],
    70: ["flexor carpi radialis", "biceps brachii", "biceps brachii"],
    71: ["flexor carpi radialis", "biceps brachii", "flexor carpi radialis"],
    72: ["pronator teres", "biceps brachii", "pronator teres", "biceps brachii"] + ["biceps"] * 2,
    74: ["biceps brachii", "brachialis", "coracobrachialis"],
    75: ["biceps brachii", "brachialis", "brachialis"],
}


def day(n: int) -> dt.date:
    return D0 + dt.timedelta(days=n)


def iso(n: int) -> str:
    return day(n).isoformat()


def study(run: Cli, folder: Path) -> None:
    deck = write(folder / "arm.yaml", ARM_DECK)
    ok(run("import", str(deck), today=day(0)))
    for n, new, lines in HISTORY:
        out = ok(run("review", "--new", str(new), input="\n".join(lines) + "\n", today=day(n)))
        shown = [line.lower() for line in out.splitlines() if "?" in line and "│" in line]
        assert len(shown) == len(ASKED[n]), (n, out)
        for expected, line in zip(ASKED[n], shown, strict=True):
            assert expected in line, (n, out)


def stats_json(run: Cli, *args: str, today: int) -> dict[str, Any]:
    return json.loads(ok(run("stats", "--json", *args, today=day(today))))  # type: ignore[no-any-return]


def forecast(today: int, due: dict[int, int]) -> list[dict[str, object]]:
    return [{"date": iso(today + i), "due": due.get(today + i, 0)} for i in range(30)]


HAND_COUNT_DAY_75: dict[str, Any] = {
    "user": "ana",
    "today": iso(75),
    "deck": None,
    "reviews_total": 19,
    "streak": {"current": 2, "longest": 3},
    "retention": {"young": 4 / 6, "mature": 1.0, "all": 5 / 7},
    "retention_counts": {
        "young": {"passed": 4, "reviewed": 6},
        "mature": {"passed": 1, "reviewed": 1},
        "all": {"passed": 5, "reviewed": 7},
    },
    "retention_days": 30,
    "forecast": forecast(75, {76: 1, 77: 1, 81: 1}),
    "heatmap": [
        {"date": iso(n), "reviews": r}
        for n, r in [(0, 1), (1, 1), (7, 1), (24, 1), (70, 3), (71, 3), (72, 4), (74, 2), (75, 3)]
    ],
    "cards": {
        "new": 1,
        "learning": 1,
        "young": 2,
        "mature": 1,
        "suspended": 1,
        "leeches": 0,
        "total": 6,
    },
    # Only spots with 4 answers or more rank: arm · innervation (0/1) and forearm ·
    # innervation (2/2) are too thin to call weak.
    "weakness_min_answers": 4,
    "weakness": [
        {"region": "arm", "field": "action", "retention": 0.75, "passed": 3, "reviewed": 4},
    ],
}


@pytest.fixture(scope="module")
def studied(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """The history above, built once per engine; the tests only read it (another
    student's answers aside, which must not change it)."""
    run = Cli(module_db_url)
    study(run, tmp_path_factory.mktemp("decks"))
    return run


def test_every_figure_of_stats_json_matches_the_hand_count(studied: Cli) -> None:
    assert stats_json(studied, today=75) == HAND_COUNT_DAY_75


def test_forecast_sums_to_the_cards_due_within_30_days(studied: Cli) -> None:
    figures = stats_json(studied, today=75)
    assert sum(d["due"] for d in figures["forecast"]) == 3
    assert len(figures["forecast"]) == 30 and figures["forecast"][0]["date"] == iso(75)


def test_overdue_cards_count_on_today_and_two_idle_days_end_the_streak(studied: Cli) -> None:
    figures = stats_json(studied, today=78)
    # B (due 77) and D (due 76) are overdue: both on today; C on 81.
    assert figures["forecast"] == forecast(78, {78: 2, 81: 1})
    assert sum(d["due"] for d in figures["forecast"]) == 3
    assert figures["streak"] == {"current": 0, "longest": 3}
    assert figures["reviews_total"] == 19
    # the window moved: day 48..77 still holds every recall test of days 71..75
    assert figures["retention_counts"]["all"] == {"passed": 5, "reviewed": 7}


def test_today_not_yet_studied_keeps_the_streak(studied: Cli) -> None:
    assert stats_json(studied, today=76)["streak"] == {"current": 2, "longest": 3}


def test_a_deck_argument_selects_that_deck_and_an_unknown_one_is_an_error(
    studied: Cli,
) -> None:
    assert stats_json(studied, "arm", today=75) == {**HAND_COUNT_DAY_75, "deck": "arm"}
    assert stats_json(studied, "Anatomy", today=75)["cards"]["total"] == 6
    result = studied("stats", "Anatomy::Leg", today=day(75))
    assert result.exit_code == 1
    assert "Error: no deck named 'Anatomy::Leg'" in result.output


def test_a_deck_never_studied_has_only_new_cards(run: Cli, tmp_path: Path) -> None:
    study(run, tmp_path)
    knee = write(tmp_path / "knee.yaml", KNEE_DECK)
    ok(run("import", str(knee), today=day(75)))
    figures = stats_json(run, "Anatomy::Knee", today=75)
    assert figures["reviews_total"] == 0 and figures["heatmap"] == []
    assert figures["cards"] == {**dict.fromkeys(HAND_COUNT_DAY_75["cards"], 0), "new": 1,
                                "total": 1}  # fmt: skip
    assert sum(d["due"] for d in figures["forecast"]) == 0
    assert stats_json(run, today=75)["cards"]["new"] == 2  # all decks: F and the knee card


def test_another_students_answers_are_not_counted(studied: Cli) -> None:
    ok(studied("review", input="\n5\n", today=day(75), user="ben"))
    assert stats_json(studied, today=75) == HAND_COUNT_DAY_75
    ben = json.loads(ok(studied("stats", "--json", today=day(75), user="ben")))
    assert ben["reviews_total"] == 1 and ben["streak"] == {"current": 1, "longest": 1}


def test_the_terminal_view_shows_each_chart_with_its_figures(studied: Cli) -> None:
    out = ok(studied("stats", today=day(75)))
    assert "Due reviews, next 30 days  3 in all, 0 today" in out
    assert "19 answers in all · streak 2 days, longest 3" in out
    assert "█" in out  # bars and the busiest days of the calendar
    assert "young (< 21 days)          67 %         4/6" in out
    assert "Cards: 1 new · 1 learning · 2 young · 1 mature · 1 suspended · 0 leeches" in out
    spots = [line for line in out.splitlines() if " · " in line and "/" in line]
    # Regions as the deck writes them; only spots with 4 answers or more, sample shown.
    assert [s.split()[0:3] + s.split()[-1:] for s in spots] == [["arm", "·", "action", "3/4"]]
    assert "spots with 4 answers or" in out


def test_stats_before_any_review_says_how_to_start(run: Cli) -> None:
    ok(run("review", input="q\n"))  # the database and its user, no decks
    out = ok(run("stats"))
    assert "No answers yet" in out and "nothing due" in out
    figures = json.loads(ok(run("stats", "--json")))
    assert figures["reviews_total"] == 0
    assert figures["retention"] == {"young": None, "mature": None, "all": None}
    assert figures["streak"] == {"current": 0, "longest": 0}


def test_html_page_is_self_contained_and_json_stays_alone_on_stdout(
    studied: Cli, tmp_path: Path
) -> None:
    page = tmp_path / "progress.html"
    result = studied("stats", "--json", "--html", str(page), today=day(75))
    assert result.exit_code == 0
    assert json.loads(result.stdout) == HAND_COUNT_DAY_75
    assert "Wrote" in result.stderr
    text = page.read_text(encoding="utf-8")
    assert text.startswith("<!doctype html>") and text.count("<svg") >= 3
    for fetching in ("<script", "<link", "src=", "@import", "url(", "@font-face"):
        assert fetching not in text
    assert "arm · action" in text and "3/4" in text and "4/6" in text
    assert "Arm · innervation" not in text  # 1 answer is no sample to judge by


def test_html_to_a_missing_folder_is_a_clear_error(studied: Cli, tmp_path: Path) -> None:
    result = studied("stats", "--html", str(tmp_path / "nowhere" / "p.html"), today=day(75))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: no such folder: {tmp_path / 'nowhere'} (create it first, or check the path)\n"
    )
    assert "Traceback" not in result.output


def test_quiz_answers_are_not_study_answers(studied: Cli) -> None:
    # A quiz never moves the schedule (DESIGN §5): it is practice, not the study that the
    # streak, the calendar and true retention describe. Here on a day never studied.
    ok(studied("quiz", "--mode", "flip", "--count", "3", input="\n0\n\n1\n\n5\n", today=day(73)))
    engine = create_engine(studied.db)
    try:
        with engine.connect() as connection:
            logged = connection.execute(
                text("SELECT count(*) FROM reviews WHERE study_day = :d"), {"d": day(73)}
            ).scalar_one()
    finally:
        engine.dispose()
    assert logged == 3  # the quiz's answers are in the log, on the missed day 73
    assert stats_json(studied, today=75) == HAND_COUNT_DAY_75


def test_html_over_the_database_or_any_other_file_is_refused_and_loses_nothing(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    """`--html` given the database by mistake once destroyed a student's history: a page
    replaces only a new file or an earlier page."""
    deck = write(tmp_path / "hip.yaml", "deck: Hip\ncards:\n  - {id: a, q: Q?, a: A}\n")
    ok(run_sqlite("import", str(deck)))
    database = Path(run_sqlite.db.removeprefix("sqlite:///"))
    before = database.read_bytes()
    for command in ("stats", "report"):
        for target in (database, deck):
            result = run_sqlite(command, "--html", str(target))
            assert result.exit_code == 1, result.output
            assert "is not an HTML page: not overwritten" in result.output
    assert database.read_bytes()[:16] == before[:16] == b"SQLite format 3\x00"
    assert deck.read_text().startswith("deck: Hip")
    ok(run_sqlite("status"))  # the database still opens
    page = tmp_path / "progress.html"
    ok(run_sqlite("stats", "--html", str(page)))
    ok(run_sqlite("stats", "--html", str(page)))  # an earlier page is replaced
    assert page.read_text().startswith("<!doctype html>")
