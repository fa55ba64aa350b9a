"""`flashcards config`: settings stored per user (and per deck) through the 0005 migration,
shown with where each value comes from, and the session limits they set: new cards a
day (`--new N` may go above, and says so), reviews a day, the leech threshold, the
day-start hour; `review --ahead DAYS` and its early reviews."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

from conftest import TODAY, Cli, ok, write
from sqlalchemy import create_engine, text
from test_migrations_upgrade import fill_at_first_revision

from flashcards.study.context import App
from flashcards.study.reviewing import ReviewSession
from flashcards_db.engine import current_revision, make_engine
from flashcards_db.migrations import upgrade


def cards_deck(tmp_path: Path, deck_id: str, name: str, count: int) -> Path:
    cards = "".join(
        f"  - id: c{i}\n    q: Question {deck_id} {i}?\n    a: A{i}\n" for i in range(count)
    )
    return write(tmp_path / f"{deck_id}.yaml", f"deck: {name}\nid: {deck_id}\ncards:\n{cards}")


def settings(run: Cli, *args: str, user: str | None = None) -> dict[str, dict[str, Any]]:
    rows = json.loads(ok(run("config", *args, "--json", user=user)))
    return {row["name"]: row for row in rows}


def test_config_lists_every_setting_with_its_default(run: Cli) -> None:
    ok(run("db", "upgrade"))  # a database with its schema and nothing else
    shown = settings(run)
    assert {name: (r["value"], r["source"]) for name, r in shown.items()} == {
        "new-per-day": ("20", "default"),
        "reviews-per-day": ("unlimited", "default"),
        "leech-threshold": ("8", "default"),
        "day-start": ("4", "default"),
        "timezone": ("local", "default"),
    }
    text_out = ok(run("config"))
    assert "new-per-day" in text_out and "from default" in text_out


def test_a_value_is_yours_or_a_decks_and_says_where_it_comes_from(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 3))))
    assert ok(run("config", "new-per-day", "30")) == "new-per-day is now 30\n"
    ok(run("config", "new_per_day", "5", "--deck", "Anatomy::Knee"))
    assert settings(run)["new-per-day"]["value"] == "30"
    knee = settings(run, "--deck", "knee")["new-per-day"]
    assert (knee["value"], knee["source"], knee["deck"]) == (
        "5",
        "deck Anatomy::Knee",
        "Anatomy::Knee",
    )
    assert settings(run, "--deck", "knee")["reviews-per-day"]["source"] == "default"
    said = ok(run("config", "new-per-day", "--unset", "--deck", "knee"))
    assert "now 30 (from your setting)" in said
    ok(run("config", "timezone", "Europe/Paris"))
    assert settings(run)["timezone"]["value"] == "Europe/Paris"
    assert ok(run("config", "day-start", "--json")).count('"name"') == 1


def test_config_refuses_what_it_cannot_keep(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 1))))
    for args, message in (
        (("new-per-day", "lots"), "new-per-day must be a whole number from 0 to 10000"),
        (("day-start", "24"), "day-start must be a whole number from 0 to 23"),
        (("timezone", "Mars/Olympus"), "is not a time zone name"),
        (("day-start", "5", "--deck", "knee"), "day-start is yours for every deck"),
        (("colour", "blue"), "no setting named 'colour'"),
        (("new-per-day", "5", "--deck", "nowhere"), "no deck named 'nowhere'"),
    ):
        result = run("config", *args)
        assert result.exit_code == 1, args
        assert message in result.stderr, (args, result.stderr)
    assert settings(run)["new-per-day"]["source"] == "default"


def test_a_groups_value_applies_to_its_sub_decks_the_nearest_value_first(
    run: Cli, tmp_path: Path
) -> None:
    """`--deck` with a group (only its sub-decks are decks): its value applies to them,
    a sub-deck's own value over it, and it over yours for every deck."""
    ok(run("import", str(cards_deck(tmp_path, "hip", "Anatomy::Lower limb::Hip", 12))))
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Lower limb::Knee", 12))))
    ok(run("import", str(cards_deck(tmp_path, "arm", "Anatomy::Upper limb::Arm", 12))))
    ok(run("config", "new-per-day", "9"))
    said = ok(run("config", "--deck", "Anatomy::Lower limb", "new-per-day", "5"))
    assert "new-per-day is now 5" in said
    ok(run("config", "new-per-day", "3", "--deck", "Anatomy::Lower limb::Knee"))
    ok(run("config", "leech-threshold", "4", "--deck", "Anatomy"))

    def shown(deck: str, name: str = "new-per-day") -> tuple[str, str]:
        row = settings(run, "--deck", deck)[name]
        return row["value"], row["source"]

    assert shown("Anatomy::Lower limb::Hip") == ("5", "deck Anatomy::Lower limb")
    assert shown("hip", "leech-threshold") == ("4", "deck Anatomy")
    assert shown("Anatomy::Lower limb::Knee") == ("3", "deck Anatomy::Lower limb::Knee")
    assert shown("Anatomy::Lower limb") == ("5", "deck Anatomy::Lower limb")
    assert shown("Anatomy::Upper limb::Arm") == ("9", "your setting")
    assert settings(run)["new-per-day"]["value"] == "9"
    text_out = ok(run("config", "--deck", "Anatomy::Lower limb::Hip"))
    assert "from deck Anatomy::Lower limb" in text_out and "from deck Anatomy" in text_out
    # Sessions: over a sub-deck, over the group itself, over another group.
    assert "5 new" in ok(run("review", "hip", input="\n5\n" * 12))
    assert "5 new" in ok(run("review", "Anatomy::Lower limb", input="\n5\n" * 12,
                             today=TODAY + dt.timedelta(days=40)))  # fmt: skip
    assert "9 new" in ok(run("review", "Anatomy::Upper limb", input="\n5\n" * 12,
                             today=TODAY + dt.timedelta(days=80)))  # fmt: skip
    said = ok(run("config", "new-per-day", "--unset", "--deck", "Anatomy::Lower limb"))
    assert "now 9 (from your setting)" in said
    assert shown("hip") == ("9", "your setting")


def test_a_groups_value_goes_with_the_decks_once_a_deck_of_that_name_is_imported(
    run: Cli, tmp_path: Path
) -> None:
    """A value set on a group (`Top::Mid` of `Top::Mid::Leaf`) before a deck named
    `Top::Mid` is imported is that deck's value from then on: setting the deck's value
    replaces it and `--unset` removes it, so it never applies again behind the deck's."""
    ok(run("import", str(cards_deck(tmp_path, "leaf", "Top::Mid::Leaf", 1))))
    ok(run("config", "new-per-day", "9"))
    ok(run("config", "--deck", "Top::Mid", "new-per-day", "3"))
    ok(run("import", str(cards_deck(tmp_path, "mid", "Top::Mid", 1))))
    assert settings(run, "--deck", "Top::Mid")["new-per-day"]["value"] == "3"  # still applies
    ok(run("config", "--deck", "Top::Mid", "new-per-day", "7"))
    assert settings(run, "--deck", "leaf")["new-per-day"]["value"] == "7"
    said = ok(run("config", "--deck", "Top::Mid", "new-per-day", "--unset"))
    assert "now 9 (from your setting)" in said
    for deck in ("Top::Mid", "leaf"):
        row = settings(run, "--deck", deck)["new-per-day"]
        assert (row["value"], row["source"]) == ("9", "your setting")
    # Removing the deck's value when only the group's one was there removes that too.
    ok(run("config", "new-per-day", "4", "--deck", "Top::Mid::Leaf"))
    ok(run("config", "--deck", "Top", "leech-threshold", "5"))
    ok(run("import", str(cards_deck(tmp_path, "top", "Top", 1))))
    said = ok(run("config", "--deck", "Top", "leech-threshold", "--unset"))
    assert "now 8 (from default)" in said
    assert settings(run, "--deck", "leaf")["new-per-day"]["value"] == "4"


def test_a_misspelt_setting_gets_a_suggestion(run: Cli) -> None:
    ok(run("db", "upgrade"))
    result = run("config", "new-per-dya", "3")
    assert result.exit_code == 1
    assert "no setting named 'new-per-dya'; did you mean new-per-day?" in result.stderr
    assert "did you mean" not in run("config", "colour").stderr
    assert settings(run)["new-per-day"]["source"] == "default"


def test_deck_takes_a_deck_as_review_does_and_review_then_keeps_its_limit(
    run: Cli, tmp_path: Path
) -> None:
    ok(run("import", str(cards_deck(tmp_path, "glut", "Anatomy::Lower limb::Gluteal region", 9))))
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 9))))
    said = ok(run("config", "new-per-day", "3", "--deck", "Gluteal region"))
    assert said == "new-per-day is now 3 for Anatomy::Lower limb::Gluteal region\n"
    shown = settings(run, "--deck", "gluteal")["new-per-day"]
    assert (shown["value"], shown["deck"]) == ("3", "Anatomy::Lower limb::Gluteal region")
    assert "3 cards — 3 new" in ok(run("review", "Gluteal region", input="q\n"))
    assert "9 cards — 9 new" in ok(run("review", "Knee", input="q\n"))
    typo = run("config", "new-per-day", "3", "--deck", "Glutael region")
    assert typo.exit_code == 1
    assert "did you mean 'Anatomy::Lower limb::Gluteal region'?" in typo.stderr


def test_a_database_at_0004_with_data_upgrades_to_0005_settings(db_url: str) -> None:
    engine = make_engine(db_url)
    upgrade(engine, "0001")
    fill_at_first_revision(engine)
    upgrade(engine, "0004")
    with engine.connect() as connection:
        reviews = connection.execute(text("SELECT count(*) FROM reviews")).scalar()
    upgrade(engine, "0005_settings")
    assert current_revision(engine) == "0005_settings"
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM reviews")).scalar() == reviews
        assert connection.execute(text("SELECT count(*) FROM settings")).scalar() == 0
    upgrade(engine)  # to this version's revision, which the command needs on PostgreSQL
    engine.dispose()
    run = Cli(db_url, user="ben")
    ok(run("config", "new-per-day", "3"))
    assert settings(run)["new-per-day"]["value"] == "3"
    assert settings(Cli(db_url, user="ana"))["new-per-day"]["value"] == "20"  # ben's own


def test_new_cards_follow_the_setting_and_new_n_goes_above_it(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 12))))
    ok(run("config", "new-per-day", "2"))
    out = ok(run("review", input="\n5\n" * 8))
    assert "2 cards — 2 new" in out
    out = ok(run("review", "--new", "3", input="\n5\n" * 8))
    assert "3 cards — 3 new" in out
    assert "--new 3: up to 3 new card(s) above today's limit of 2" in out
    ok(run("config", "new-per-day", "4", "--deck", "knee"))
    out = ok(run("review", "knee", input="\n5\n" * 12, today=TODAY + dt.timedelta(days=30)))
    assert "4 new" in out  # the deck's own limit, in a session over that deck


def test_reviews_per_day_caps_the_due_reviews(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 5))))
    ok(run("review", input="\n5\n" * 5))
    ok(run("config", "reviews-per-day", "3"))
    tomorrow = TODAY + dt.timedelta(days=1)
    out = ok(run("review", input="\n5\n\n5\nq\n", today=tomorrow))
    assert "3 cards — 0 new, 3 reviews" in out
    out = ok(run("review", input="\n5\n\n5\n", today=tomorrow))
    assert "1 card — 0 new, 1 review" in out
    out = ok(run("review", input="", today=tomorrow))
    assert "Nothing to review today" in out


def _due(url: str, key: str) -> tuple[Any, ...]:
    engine = create_engine(url)
    with engine.connect() as connection:
        row = connection.execute(
            text(
                "SELECT s.due_day, s.interval, r.study_day, r.due_before FROM card_states s "
                "JOIN cards c ON c.id = s.card_id JOIN notes n ON n.id = c.note_id "
                "JOIN reviews r ON r.card_id = c.id WHERE n.key = :key "
                "ORDER BY r.id DESC LIMIT 1"
            ),
            {"key": key},
        ).one()
    engine.dispose()
    return tuple(str(v) for v in row)


def test_review_ahead_studies_cards_due_soon_as_early_reviews(run: Cli, tmp_path: Path) -> None:
    """A card due in 6 days, reviewed today with 5: SM-2 steps as on time (6 x 2.6 = 16
    days), counted from today, and the log shows it was early (due before > study day)."""
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 1))))
    ok(run("review", input="\n5\n"))
    ok(run("review", input="\n5\n", today=TODAY + dt.timedelta(days=1)))  # now due in 6 days
    day = TODAY + dt.timedelta(days=3)
    assert "Nothing to review today" in ok(run("review", input="", today=day))
    out = ok(run("review", "--ahead", "5", input="\n5\n", today=day))
    assert "Studying ahead: cards due by" in out
    assert "early review, due" in out
    due_day, interval, study_day, due_before = _due(run.db, "knee/c0")
    assert interval == "17"  # ceil(6 x 2.7): the E-Factor after the second 5 was 2.7
    assert due_day == str(day + dt.timedelta(days=17))
    assert due_before > study_day == str(day)


def test_settings_reach_the_day_start_and_leech_threshold(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 1))))
    ok(run("config", "day-start", "0"))
    ok(run("config", "leech-threshold", "3", "--deck", "knee"))
    app = App(db=run.db, user_name="ana")
    try:
        assert app.day_start_hour == 0
        assert ReviewSession(app, ["knee"]).leech_threshold == 3
        assert ReviewSession(app).leech_threshold == 8
    finally:
        app.close()
    app = App(db=run.db, user_name="ana", day_start_override=6)
    try:
        assert app.day_start_hour == 6
    finally:
        app.close()


def test_the_closing_line_counts_tomorrows_reviews_within_the_cap(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 5))))
    ok(run("config", "reviews-per-day", "3"))
    out = ok(run("review", input="\n5\n" * 5))  # five new cards, all due tomorrow
    assert "Tomorrow: 3 reviews due" in out
    tomorrow = TODAY + dt.timedelta(days=1)
    assert ok(run("status", today=tomorrow)).startswith("3 due now")
    assert "3 cards — 0 new, 3 reviews" in ok(run("review", input="q\n", today=tomorrow))
    out = ok(run("review", input="\n5\nq\n", today=tomorrow))  # one of the three, then quit
    left = ok(run("status", "--json", today=tomorrow))
    assert json.loads(left)["due"] == 2
    assert "2 cards left for today" in out or "2 card(s) left for today" in out, out
    ok(run("config", "reviews-per-day", "unlimited"))
    assert ok(run("status", today=tomorrow)).startswith("4 due now")  # the cap lifted


def test_a_group_named_in_other_case_is_the_group_not_its_first_deck(
    run: Cli, tmp_path: Path
) -> None:
    """SQLite's LIKE ignores case: 'anatomy::lower limb' once found the group's decks and
    set the value on the first of them ('Anterior leg'), saying so, exit 0."""
    ok(run("import", str(cards_deck(tmp_path, "ant", "Anatomy::Lower limb::Anterior leg", 2))))
    ok(run("import", str(cards_deck(tmp_path, "glut", "Anatomy::Lower limb::Gluteal region", 2))))
    said = ok(run("config", "new-per-day", "4", "--deck", "anatomy::lower limb"))
    assert said == "new-per-day is now 4 for Anatomy::Lower limb\n"
    shown = settings(run, "--deck", "Anatomy::Lower limb::Gluteal region")["new-per-day"]
    assert (shown["value"], shown["source"]) == ("4", "deck Anatomy::Lower limb")


def test_reading_settings_makes_no_database(run_sqlite: Cli, tmp_path: Path) -> None:
    """`config` without a VALUE only reads: on a database not made yet it says so, as
    `status` does, and leaves no file behind; `--unset` has nothing to remove there."""
    path = Path(run_sqlite.db.removeprefix("sqlite:///"))
    for args in (("new-per-day",), (), ("--deck", "knee"), ("new-per-day", "--unset")):
        result = run_sqlite("config", *args)
        assert result.exit_code == 1, args
        assert "no flashcards database here yet" in result.stderr, (args, result.stderr)
        assert not path.exists(), args
    ok(run_sqlite("config", "new-per-day", "5"))  # setting a value makes it, and the user
    assert settings(run_sqlite)["new-per-day"]["value"] == "5"


def test_reading_settings_makes_no_user(run: Cli, tmp_path: Path) -> None:
    """A name that is no user yet: in a database nobody has studied in, `config` shows
    the defaults and makes no user; once others have, it is refused as by `status`.
    Only setting a value makes the user."""
    ok(run("import", str(cards_deck(tmp_path, "knee", "Anatomy::Knee", 1))))
    shown = settings(run, user="bob")
    assert {r["source"] for r in shown.values()} == {"default"}
    assert settings(run, "--deck", "knee", user="bob")["new-per-day"]["value"] == "20"
    ok(run("config", "timezone", "--unset", user="bob"))
    assert ok(run("users", "--json")) == "[]\n"
    ok(run("config", "new-per-day", "5", user="ana"))
    for args in ((), ("new-per-day",), ("new-per-day", "--unset")):
        refused = run("config", *args, user="bob")
        assert refused.exit_code == 1, args
        assert "no user named 'bob'" in refused.stderr, (args, refused.stderr)
    assert [u["name"] for u in json.loads(ok(run("users", "--json")))] == ["ana"]
    ok(run("config", "new-per-day", "7", user="bob"))
    assert [u["name"] for u in json.loads(ok(run("users", "--json")))] == ["ana", "bob"]
    assert settings(run, user="bob")["new-per-day"]["value"] == "7"


def test_a_group_name_too_long_to_keep_a_setting_for_says_so_and_the_limit(
    run: Cli, tmp_path: Path
) -> None:
    """A group's value is kept under its name, which may have at most 198 characters:
    a longer one is refused with a sentence that names the group and the limit, while
    reading its settings and setting those of the decks under it still work."""
    fits, too_long = "F" * 198, "L" * 199
    ok(run("import", str(cards_deck(tmp_path, "fits", f"{fits}::Leaf", 1))))
    ok(run("import", str(cards_deck(tmp_path, "long", f"{too_long}::Leaf", 1))))
    ok(run("config", "new-per-day", "3", "--deck", fits))
    assert settings(run, "--deck", f"{fits}::Leaf")["new-per-day"]["value"] == "3"
    refused = run("config", "new-per-day", "3", "--deck", too_long)
    assert refused.exit_code == 1
    assert refused.stderr == (
        f"Error: the group '{'L' * 59}…' has a name of 199 characters, too long to keep a "
        "setting for (a group's name may have at most 198): give the value to each deck "
        "under it instead\n"
    )
    assert settings(run, "--deck", too_long)["new-per-day"]["source"] == "default"
    ok(run("config", "new-per-day", "4", "--deck", f"{too_long}::Leaf"))
    assert settings(run, "--deck", f"{too_long}::Leaf")["new-per-day"]["value"] == "4"
