"""A class on one PostgreSQL server: each student's own role, refused by the database itself.

The database is owned by an instructor's role (not a superuser, as on a real server).
`flashcards db grant` sets up students; row-level security (migration 0003) then lets a
student's role read the shared decks and only its own users row, scheduling state,
reviews and confusions. Every refusal here comes from PostgreSQL, checked with plain SQL
on the student's own connection, not through flashcards' code.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY, Cli, PgClass, ok, write
from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import DBAPIError

from flashcards_db.models import Base
from flashcards_db.queries.roles import (
    CONTENT_TABLES,
    PER_USER_TABLES,
    grant_students_again,
    unclassified_tables,
)

pytestmark = pytest.mark.postgres

KNEE = """\
deck: Anatomy::Knee
id: knee
cards:
  - id: knee-1
    q: Which muscle unlocks the extended knee?
    a: Popliteus
  - id: knee-2
    q: Which nerve supplies the short head of biceps femoris?
    a: Common fibular nerve
  - id: knee-3
    q: Which bone has the adductor tubercle?
    a: Femur
"""


@contextmanager
def connected(url: str) -> Iterator[Connection]:
    """One transaction on ``url``, committed at the end."""
    engine = create_engine(url)
    try:
        with engine.begin() as connection:
            yield connection
    finally:
        engine.dispose()


def refusal(url: str, sql: str, **params: Any) -> str:
    """The database's refusal of ``sql`` (its first line); fails if it was allowed."""
    with pytest.raises(DBAPIError) as caught, connected(url) as connection:
        connection.execute(text(sql), params)
    assert getattr(caught.value.orig, "sqlstate", None) == "42501", caught.value
    return str(caught.value.orig).splitlines()[0]


def rows(url: str, sql: str, **params: Any) -> list[tuple[Any, ...]]:
    with connected(url) as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def changed(url: str, sql: str, **params: Any) -> int:
    with connected(url) as connection:
        return connection.execute(text(sql), params).rowcount


class ClassRoom:
    """An instructor's database with the knee deck and two students who reviewed it."""

    def __init__(self, pg: PgClass, tmp_path: Path) -> None:
        self.pg = pg
        self.prof = Cli(pg.url, user="prof")
        ok(self.prof("import", str(write(tmp_path / "knee.yaml", KNEE))))
        self.ana, self.ben = pg.role("ana"), pg.role("ben")
        for role in (self.ana, self.ben):
            ok(self.prof("db", "grant", role))
        # Ana answers two cards, Ben one; each as their own role.
        ok(self.student(self.ana)("review", input="\n5\n\n4\nq\n"))
        ok(self.student(self.ben)("review", input="\n3\nq\n"))
        self.ids = {
            name: user_id
            for name, user_id in rows(pg.url, "SELECT name, id FROM users ORDER BY name")
        }
        # A confusion of Ben's, logged by the instructor's role (the owner writes anywhere).
        with connected(pg.url) as connection:
            connection.execute(
                text(
                    "INSERT INTO confusions (user_id, card_id, confused_with_card_id, "
                    "created_at) SELECT :ben, min(id), max(id), now() FROM cards"
                ),
                {"ben": self.ids[self.ben]},
            )

    def student(self, role: str) -> Cli:
        return Cli(self.pg.url_as(role), user=role)

    def url(self, role: str) -> str:
        return self.pg.url_as(role)


@pytest.fixture(scope="module")
def room(pg_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ClassRoom]:
    """One class for the tests that change nothing (a refusal changes nothing)."""
    database = PgClass(pg_server)
    try:
        yield ClassRoom(database, tmp_path_factory.mktemp("room"))
    finally:
        database.close()


@pytest.fixture
def own_room(pg_class: PgClass, tmp_path: Path) -> ClassRoom:
    """A class of the test's own, for tests that change privileges or policies."""
    return ClassRoom(pg_class, tmp_path)


# --- what a student's role may read -------------------------------------------------


def test_grant_creates_a_login_role_mapped_to_a_new_user_row(pg_class: PgClass) -> None:
    prof = Cli(pg_class.url, user="prof")
    role = pg_class.role("cleo")

    out = ok(prof("db", "grant", role, "--name", "Cleo Martin"))

    assert out == f"Role {role} (created) studies as new user Cleo Martin.\n"
    assert rows(pg_class.url, "SELECT rolcanlogin FROM pg_roles WHERE rolname = :r", r=role) == [
        (True,)
    ]
    assert rows(pg_class.url, "SELECT name, db_role FROM users") == [("Cleo Martin", role)]
    # Again: nothing new, nothing broken.
    again = ok(prof("db", "grant", role, "--name", "Cleo Martin"))
    assert again == f"Role {role} (existing) studies as user Cleo Martin.\n"
    assert rows(pg_class.url, "SELECT count(*) FROM users") == [(1,)]


def test_a_student_role_reads_every_deck_note_card_and_media_row(room: ClassRoom) -> None:
    for table in CONTENT_TABLES:
        count = f"SELECT count(*) FROM {table}"
        assert rows(room.url(room.ana), count) == rows(room.pg.url, count), table
    assert rows(room.url(room.ana), "SELECT count(*) FROM cards") == [(3,)]


def test_a_student_role_sees_only_its_own_user_state_reviews_and_confusions(
    room: ClassRoom,
) -> None:
    ana, ben = room.ids[room.ana], room.ids[room.ben]
    as_ana, as_ben = room.url(room.ana), room.url(room.ben)

    assert rows(as_ana, "SELECT id FROM users") == [(ana,)]
    assert rows(as_ana, "SELECT DISTINCT user_id FROM card_states") == [(ana,)]
    assert rows(as_ana, "SELECT user_id, count(*) FROM reviews GROUP BY user_id") == [(ana, 2)]
    assert rows(as_ana, "SELECT count(*) FROM confusions") == [(0,)]
    assert rows(as_ben, "SELECT user_id, count(*) FROM reviews GROUP BY user_id") == [(ben, 1)]
    assert rows(as_ben, "SELECT user_id FROM confusions") == [(ben,)]
    # Asking for Ben's rows by id finds nothing: they are not there for Ana's role.
    assert rows(as_ana, "SELECT count(*) FROM reviews WHERE user_id = :b", b=ben) == [(0,)]
    # The instructor's role (the owner) sees the whole class.
    assert rows(room.pg.url, "SELECT count(*) FROM reviews") == [(3,)]


def test_users_as_a_student_lists_only_themselves_and_the_instructor_everyone(
    room: ClassRoom,
) -> None:
    mine = json.loads(ok(room.student(room.ana)("users", "--json")))
    everyone = json.loads(ok(room.prof("users", "--json")))

    assert [(u["name"], u["role"], u["reviews"]) for u in mine] == [(room.ana, room.ana, 2)]
    assert sorted((u["name"], u["reviews"]) for u in everyone) == [(room.ana, 2), (room.ben, 1)]


# --- what a student's role may not change -------------------------------------------


def test_a_student_role_cannot_change_another_students_rows(room: ClassRoom) -> None:
    ben = room.ids[room.ben]
    as_ana = room.url(room.ana)
    before = rows(room.pg.url, "SELECT * FROM card_states WHERE user_id = :b ORDER BY id", b=ben)

    # Updates and locks reach no row of Ben's: row-level security hides them.
    assert changed(as_ana, "UPDATE card_states SET easiness = 1.3 WHERE user_id = :b", b=ben) == 0
    assert changed(as_ana, "UPDATE users SET timezone = 'UTC' WHERE id = :b", b=ben) == 0
    assert rows(as_ana, "SELECT id FROM card_states WHERE user_id = :b FOR UPDATE", b=ben) == []
    # Rows written in Ben's name are refused.
    assert "row-level security" in refusal(
        as_ana,
        "INSERT INTO card_states (user_id, card_id, repetitions, interval, easiness, lapses, "
        "reviews, suspended, leech, updated_at) "
        "SELECT :b, max(id), 0, 0, 2.5, 0, 0, false, false, now() FROM cards",
        b=ben,
    )
    assert "row-level security" in refusal(
        as_ana,
        "INSERT INTO reviews (user_id, card_id, reviewed_at, study_day, kind, quality, "
        "repetitions_before, interval_before, easiness_before, lapses_before, "
        "repetitions_after, interval_after, easiness_after, lapses_after) "
        "SELECT :b, min(id), now(), current_date, 'review', 5, 0, 0, 2.5, 0, 1, 1, 2.6, 0 "
        "FROM cards",
        b=ben,
    )
    # Moving one's own state onto Ben is refused too (WITH CHECK on the new row).
    assert "row-level security" in refusal(as_ana, "UPDATE card_states SET user_id = :b", b=ben)
    assert "permission denied" in refusal(as_ana, "DELETE FROM card_states")

    after = rows(room.pg.url, "SELECT * FROM card_states WHERE user_id = :b ORDER BY id", b=ben)
    assert after == before


def test_a_student_role_cannot_take_another_role_or_rename_itself(room: ClassRoom) -> None:
    as_ana = room.url(room.ana)
    assert "permission denied" in refusal(as_ana, "UPDATE users SET db_role = :b", b=room.ben)
    assert "permission denied" in refusal(as_ana, "UPDATE users SET name = 'someone else'")
    assert "permission denied" in refusal(
        as_ana, "INSERT INTO users (name, db_role, created_at) VALUES ('x', :a, now())", a=room.ana
    )
    # Its own time zone it may set.
    assert changed(as_ana, "UPDATE users SET timezone = 'Europe/Brussels'") == 1


def test_a_student_role_cannot_rewrite_or_erase_its_own_history(room: ClassRoom) -> None:
    as_ana = room.url(room.ana)
    assert "permission denied" in refusal(as_ana, "UPDATE reviews SET quality = 5")
    assert "permission denied" in refusal(as_ana, "DELETE FROM reviews")
    assert "permission denied" in refusal(as_ana, "DELETE FROM confusions")
    assert rows(room.pg.url, "SELECT count(*) FROM reviews") == [(3,)]


def test_a_student_role_cannot_change_the_shared_content(room: ClassRoom) -> None:
    as_ana = room.url(room.ana)
    assert "permission denied" in refusal(as_ana, "UPDATE notes SET back = 'wrong'")
    assert "permission denied" in refusal(as_ana, "DELETE FROM cards")
    assert "permission denied" in refusal(as_ana, "UPDATE decks SET name = 'mine'")
    assert "permission denied" in refusal(as_ana, "DELETE FROM media")


def test_importing_as_a_student_is_refused_with_a_clear_error(
    room: ClassRoom, tmp_path: Path
) -> None:
    deck = write(tmp_path / "edited.yaml", KNEE.replace("Popliteus", "Gastrocnemius"))

    result = room.student(room.ana)("import", str(deck))

    assert result.exit_code == 1
    assert result.output.startswith("Error: the database refused: permission denied for table")
    assert "instructor's role" in result.output
    assert "Traceback" not in result.output
    assert rows(room.pg.url, "SELECT back FROM notes WHERE key = 'knee/knee-1'") == [("Popliteus",)]


def test_studying_under_another_name_is_refused_and_names_the_roles_user(
    room: ClassRoom,
) -> None:
    as_ana = room.student(room.ana)

    result = as_ana("review", input="\n5\n", user=room.ben)

    assert result.exit_code == 1
    assert result.output == (
        f"Error: you are connected as database role {room.ana!r}, which studies as user "
        f"{room.ana!r}, not {room.ben!r}: use --user {room.ana} "
        f"(or set FLASHCARDS_USER={room.ana})\n"
    )
    assert rows(room.pg.url, "SELECT count(*) FROM reviews") == [(3,)]


def test_a_role_without_a_grant_reads_nothing_and_is_told_why(room: ClassRoom) -> None:
    stranger = room.pg.role("stranger")
    with connected(room.pg.url) as connection:
        connection.execute(text(f'CREATE ROLE "{stranger}" LOGIN'))

    result = Cli(room.pg.url_as(stranger), user=stranger)("decks")

    assert result.exit_code == 1
    assert "permission denied for table alembic_version" in result.output
    assert "Traceback" not in result.output


# --- grant: what it refuses, what it keeps ------------------------------------------


def test_grant_maps_an_existing_user_and_keeps_their_history(
    pg_class: PgClass, tmp_path: Path
) -> None:
    prof = Cli(pg_class.url, user="prof")
    ok(prof("import", str(write(tmp_path / "knee.yaml", KNEE))))
    role = pg_class.role("dora")
    ok(prof("review", input="\n5\n\n4\nq\n", user="Dora"))  # before she had a role

    assert ok(prof("db", "grant", role, "--name", "Dora")) == (
        f"Role {role} (created) studies as user Dora.\n"
    )

    mine = json.loads(ok(Cli(pg_class.url_as(role), user="Dora")("users", "--json")))
    assert [(u["name"], u["reviews"], u["cards_studied"]) for u in mine] == [("Dora", 2, 2)]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["pg_monitor"], "is not a usable role name"),
        (['ana"; DROP TABLE reviews; --'], "is not a usable role name"),
        (["x" * 64], "is not a usable role name"),
        (["{instructor}"], "owns the content or bypasses row-level security"),
        (["postgres"], "owns the content or bypasses row-level security"),
        (["{prefix}_eve", "--name", "{prefix}_ana"], "already studies as role"),
        (["{prefix}_ana", "--name", "Someone"], "already studies as user"),
    ],
    ids=["reserved", "injection", "too-long", "owner", "superuser", "user-taken", "role-taken"],
)
def test_grant_refuses_what_would_break_the_class(
    room: ClassRoom, args: list[str], message: str
) -> None:
    filled = [a.format(instructor=room.pg.instructor, prefix=room.pg.prefix) for a in args]

    result = room.prof("db", "grant", *filled)

    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output, result.output
    assert rows(room.pg.url, "SELECT count(*) FROM users") == [(2,)]
    assert rows(room.pg.url, "SELECT count(*) FROM reviews") == [(3,)]


def test_only_the_instructors_role_can_grant(room: ClassRoom) -> None:
    result = room.student(room.ana)("db", "grant", room.pg.role("mallory"))

    assert result.exit_code == 1
    assert "only the owner of the flashcards tables" in result.output
    assert rows(
        room.pg.url, "SELECT count(*) FROM pg_roles WHERE rolname = :r", r=room.pg.role("mallory")
    ) == [(0,)]


def test_grant_with_a_password_stores_it_hashed(pg_class: PgClass) -> None:
    role = pg_class.role("finn")
    ok(Cli(pg_class.url, user="prof")("db", "grant", role, "--password", "it's-a-secret"))

    stored = rows(
        pg_class.server_url, "SELECT rolpassword FROM pg_authid WHERE rolname = :r", r=role
    )
    assert stored[0][0].startswith("SCRAM-SHA-256$")


def test_grant_on_sqlite_says_roles_are_for_postgresql(run_sqlite: Cli) -> None:
    result = run_sqlite("db", "grant", "ana")
    assert result.exit_code == 1
    assert result.output.startswith("Error: database roles exist only on PostgreSQL")


def test_granting_again_restores_a_students_privileges(own_room: ClassRoom) -> None:
    with connected(own_room.pg.url) as connection:
        connection.execute(text(f'REVOKE INSERT ON reviews FROM "{own_room.ana}"'))
    assert "permission denied" in refusal(
        own_room.url(own_room.ana), "INSERT INTO reviews (user_id) VALUES (0)"
    )

    engine = create_engine(own_room.pg.url)
    try:
        from sqlalchemy.orm import Session

        with Session(engine) as session, session.begin():
            assert grant_students_again(session) == sorted([own_room.ana, own_room.ben])
    finally:
        engine.dispose()

    ok(own_room.student(own_room.ana)("review", input="\n5\nq\n"))
    assert rows(own_room.url(own_room.ana), "SELECT count(*) FROM reviews") == [(3,)]


# --- the policies themselves --------------------------------------------------------


def test_every_table_is_classified_and_every_per_user_table_has_a_user_id() -> None:
    assert unclassified_tables() == []
    with_user_id = {n for n, t in Base.metadata.tables.items() if "user_id" in t.columns}
    assert with_user_id == set(PER_USER_TABLES)


def test_db_check_finds_a_per_user_table_without_row_level_security(own_room: ClassRoom) -> None:
    assert ok(own_room.prof("db", "check")).endswith(
        "OK: the database matches the models and row-level security is on.\n"
    )
    with connected(own_room.pg.url) as connection:
        connection.execute(text("ALTER TABLE reviews DISABLE ROW LEVEL SECURITY"))
    # Now Ana's role would read Ben's answers: exactly what the check is for.
    assert rows(own_room.url(own_room.ana), "SELECT count(*) FROM reviews") == [(3,)]

    result = own_room.prof("db", "check")

    assert result.exit_code == 1
    assert (
        "problem: table reviews has no row-level security: students could read each other's "
        "rows" in " ".join(result.output.split())
    )


def test_a_student_role_keeps_settings_of_its_own(own_room: ClassRoom) -> None:
    """`flashcards config` works for a student's role; another student sees none of it
    and cannot write one for them."""
    as_ana = own_room.student(own_room.ana)
    assert "new-per-day is now 7" in ok(as_ana("config", "new-per-day", "7"))
    ok(as_ana("config", "leech-threshold", "--unset"))
    assert '"value": "7"' in ok(as_ana("config", "new-per-day", "--json"))
    ben_sees = rows(own_room.url(own_room.ben), "SELECT count(*) FROM settings")
    assert ben_sees == [(0,)]
    assert '"value": "20"' in ok(own_room.student(own_room.ben)("config", "new-per-day", "--json"))
    refusal(
        own_room.url(own_room.ben),
        "INSERT INTO settings (user_id, deck_key, name, value, updated_at) "
        "VALUES (:ana, '', 'new-per-day', '1', now())",
        ana=own_room.ids[own_room.ana],
    )


# --- a student's leech: marked on the new row, never by changing one -----------------


def _ana_leech(room: ClassRoom) -> list[tuple[Any, ...]]:
    """(lapses, leech, suspended) of Ana's card states that have lapsed, read as Ana."""
    return rows(
        room.url(room.ana),
        "SELECT lapses, leech, suspended FROM card_states WHERE lapses > 0 ORDER BY card_id",
    )


def _ana_makes_a_leech(room: ClassRoom, script: str) -> str:
    """Ana forgets, the next day, a card she knew: with threshold 1 that lapse makes a
    leech. Returns the session's output."""
    tomorrow = TODAY + dt.timedelta(days=1)
    as_ana = room.student(room.ana)
    out = ok(as_ana("review", "--new", "0", "--leech-threshold", "1", input=script, today=tomorrow))
    assert "Leech: forgotten 1 time" in out
    return out


def test_a_students_grade_that_makes_a_leech_is_kept_and_undo_releases_it(
    own_room: ClassRoom,
) -> None:
    """A student's role may only insert reviews: the grade's row says it made the leech
    when written, and `flashcards undo` (an undo row and the card's state) releases it."""
    _ana_makes_a_leech(own_room, "\n1\nq\n")
    assert _ana_leech(own_room) == [(1, True, True)]
    marked = "SELECT count(*) FROM reviews WHERE leech_marked AND leech_before = false"
    assert rows(own_room.url(own_room.ana), marked) == [(1,)]
    tomorrow = TODAY + dt.timedelta(days=1)
    out = ok(own_room.student(own_room.ana)("undo", today=tomorrow))
    assert out.startswith("Took back grade 1")
    assert _ana_leech(own_room) == []  # lapses back to 0: not a leech, not suspended
    states = "SELECT count(*) FROM card_states WHERE leech OR suspended"
    assert rows(own_room.url(own_room.ana), states) == [(0,)]


def test_a_students_leech_taken_back_with_u_in_the_session(own_room: ClassRoom) -> None:
    out = _ana_makes_a_leech(own_room, "\n1\nu\nq\n")
    assert "Took back the last grade" in out
    states = "SELECT count(*) FROM card_states WHERE leech OR suspended OR lapses > 0"
    assert rows(own_room.url(own_room.ana), states) == [(0,)]
