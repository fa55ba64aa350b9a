"""A student's own PostgreSQL role: privileges, the users row it studies as, checks.

One database serves a class. The instructor's role owns every table (it ran the
migrations), so it sees and changes everything; table owners are not subject to
row-level security. A student's role gets:

- SELECT on the shared content (decks, notes, cards, media) and the schema revision;
- its own users row only (the migration's policy: ``users.db_role = current_user``),
  which it may read and whose time zone it may change;
- its own scheduling state, reviews, confusions and settings only (policy: the row's
  ``user_id`` is that users row): state it may insert and update, reviews and confusions
  it may only insert (a student cannot rewrite or erase their own history either), its
  settings it may change and remove.

Everything else is refused by the database itself, whatever program the student runs.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import String, literal, select, text
from sqlalchemy.orm import Session

from flashcards_db.models import Base, User

__all__ = [
    "CONTENT_TABLES",
    "PER_USER_TABLES",
    "RoleError",
    "StudentGrant",
    "grant_student",
    "grant_students_again",
    "missing_row_security",
    "student_roles",
    "unclassified_tables",
]

# Shared by the class, written by the instructor only.
CONTENT_TABLES = ("decks", "notes", "cards", "media")
# One row per user and something: each has a ``user_id`` and a row-level policy.
PER_USER_TABLES: dict[str, tuple[str, ...]] = {
    "card_states": ("SELECT", "INSERT", "UPDATE"),
    "reviews": ("SELECT", "INSERT"),
    "confusions": ("SELECT", "INSERT"),
    "settings": ("SELECT", "INSERT", "UPDATE", "DELETE"),
}
USERS_PRIVILEGES = "SELECT, UPDATE (timezone)"
READ_ONLY_BOOKKEEPING = ("alembic_version",)  # start-up checks the schema revision

# What works unquoted in a connection URL and a shell; PostgreSQL's limit is 63 bytes,
# and names starting with pg_ are reserved for the system.
ROLE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.@-]{0,62}")


class RoleError(Exception):
    """A role cannot be set up as asked: bad name, wrong engine, not allowed."""


@dataclass(frozen=True)
class StudentGrant:
    role: str
    user_name: str
    role_created: bool
    user_created: bool
    password_set: bool


def _quote(session: Session, name: str) -> str:
    return session.get_bind().dialect.identifier_preparer.quote_identifier(name)


def _literal(session: Session, value: str) -> str:
    # A password cannot be a bind parameter in ALTER ROLE: the dialect quotes it.
    quoted = literal(value, String()).compile(
        dialect=session.get_bind().dialect, compile_kwargs={"literal_binds": True}
    )
    return str(quoted)


def _require_postgresql(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        raise RoleError(
            "database roles exist only on PostgreSQL; an SQLite file is one student's own "
            "(give the class a postgresql+psycopg://… URL with --db)"
        )


def _content_owner(session: Session) -> str:
    owner = session.scalar(
        text("SELECT pg_get_userbyid(relowner) FROM pg_class WHERE oid = 'users'::regclass")
    )
    return str(owner)


def _check_caller_may_grant(session: Session, owner: str) -> None:
    allowed = session.scalar(
        text(
            "SELECT pg_has_role(current_user, :owner, 'USAGE') "
            "OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
        ),
        {"owner": owner},
    )
    if not allowed:
        me = session.scalar(text("SELECT current_user"))
        raise RoleError(
            f"only the owner of the flashcards tables (role {owner!r}, the instructor's) "
            f"can set up students; you are connected as {me!r}"
        )


def _check_student_role(session: Session, role: str, owner: str) -> bool:
    """Whether the role exists; refuses one that would bypass row-level security."""
    found = session.execute(
        text(
            "SELECT rolsuper OR rolbypassrls AS bypasses, pg_has_role(rolname, :owner, "
            "'USAGE') AS owns FROM pg_roles WHERE rolname = :role"
        ),
        {"role": role, "owner": owner},
    ).first()
    if found is None:
        return False
    if found.owns or found.bypasses:
        raise RoleError(
            f"role {role!r} owns the content or bypasses row-level security, so it would see "
            "every student's answers: it cannot be a student's role"
        )
    return True


def _create_role(session: Session, role: str) -> None:
    from sqlalchemy.exc import ProgrammingError

    try:
        with session.begin_nested():
            session.execute(text(f"CREATE ROLE {_quote(session, role)} LOGIN"))
    except ProgrammingError as exc:
        raise RoleError(
            f"cannot create role {role!r}: {str(exc.orig).strip()} (the instructor's role "
            "needs CREATEROLE, or a database administrator creates the role first)"
        ) from exc


def _grant_privileges(session: Session, role: str) -> None:
    """The student's privileges; every statement is safe to repeat."""
    who = _quote(session, role)
    connect = session.scalar(
        text("SELECT has_database_privilege(:role, current_database(), 'CONNECT')"),
        {"role": role},
    )
    if not connect:
        database = _quote(session, str(session.scalar(text("SELECT current_database()"))))
        session.execute(text(f"GRANT CONNECT ON DATABASE {database} TO {who}"))
    schema = str(session.scalar(text("SELECT current_schema()")))
    usage = session.scalar(
        text("SELECT has_schema_privilege(:role, :schema, 'USAGE')"),
        {"role": role, "schema": schema},
    )
    if not usage:
        session.execute(text(f"GRANT USAGE ON SCHEMA {_quote(session, schema)} TO {who}"))
    readable = ", ".join(CONTENT_TABLES + READ_ONLY_BOOKKEEPING)
    session.execute(text(f"GRANT SELECT ON {readable} TO {who}"))
    session.execute(text(f"GRANT {USERS_PRIVILEGES} ON users TO {who}"))
    for table, privileges in PER_USER_TABLES.items():
        session.execute(text(f"GRANT {', '.join(privileges)} ON {table} TO {who}"))
        if "INSERT" in privileges:
            sequence = session.scalar(
                text("SELECT pg_get_serial_sequence(:table, 'id')"), {"table": table}
            )
            if sequence is not None:
                session.execute(text(f"GRANT USAGE ON SEQUENCE {sequence} TO {who}"))


def _map_user(session: Session, role: str, user_name: str) -> bool:
    """Point the users row ``user_name`` at ``role``; whether the row was created."""
    taken = session.scalars(select(User).where(User.db_role == role)).one_or_none()
    if taken is not None and taken.name != user_name:
        raise RoleError(f"role {role!r} already studies as user {taken.name!r}")
    user = session.scalars(select(User).where(User.name == user_name)).one_or_none()
    if user is None:
        session.add(User(name=user_name, db_role=role))
        session.flush()
        return True
    if user.db_role not in (None, role):
        raise RoleError(f"user {user_name!r} already studies as role {user.db_role!r}")
    user.db_role = role
    session.flush()
    return False


def grant_student(
    session: Session, role: str, user_name: str | None = None, *, password: str | None = None
) -> StudentGrant:
    """Set up ``role`` as a student who studies as ``user_name`` (default: the role's name).

    Creates the role when missing (LOGIN; with ``password`` when given), grants what a
    student may do and maps the role to its users row (created when missing, so it shows
    in the instructor's lists from the start). Safe to run again. Does not commit.
    """
    _require_postgresql(session)
    if not ROLE_NAME.fullmatch(role) or role.lower().startswith("pg_"):
        raise RoleError(
            f"{role!r} is not a usable role name: 1 to 63 letters, digits, '_', '.', '@' "
            "or '-', starting with a letter or '_', not starting with pg_"
        )
    name = (user_name if user_name is not None else role).strip()
    if not name:
        raise RoleError("the user name must not be empty")
    owner = _content_owner(session)
    _check_caller_may_grant(session, owner)
    exists = _check_student_role(session, role, owner)
    if not exists:
        _create_role(session, role)
    if password is not None:
        session.execute(
            text(f"ALTER ROLE {_quote(session, role)} PASSWORD {_literal(session, password)}")
        )
    _grant_privileges(session, role)
    created = _map_user(session, role, name)
    return StudentGrant(
        role=role,
        user_name=name,
        role_created=not exists,
        user_created=created,
        password_set=password is not None,
    )


def student_roles(session: Session) -> list[str]:
    """Roles mapped to users that exist on the server (to grant again after an upgrade)."""
    _require_postgresql(session)
    query = text(
        "SELECT u.db_role FROM users AS u JOIN pg_roles AS r ON r.rolname = u.db_role "
        "ORDER BY u.db_role"
    )
    return [str(role) for role in session.scalars(query)]


def missing_row_security(session: Session) -> list[str]:
    """Tables a student could read beyond their own rows: no row-level security or policy."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    guarded = ["users", *PER_USER_TABLES]
    query = text(
        "SELECT c.relname FROM pg_class AS c WHERE c.oid = to_regclass(:table) "
        "AND c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy AS p WHERE p.polrelid = c.oid)"
    )
    return [t for t in guarded if session.scalar(query, {"table": t}) is None]


def unclassified_tables() -> list[str]:
    """Model tables this module does not say how students may use (a test keeps it empty)."""
    known = {*CONTENT_TABLES, *PER_USER_TABLES, "users"}
    return sorted(set(Base.metadata.tables) - known)


def grant_students_again(session: Session) -> list[str]:
    """Grant every mapped student role its privileges again (after an upgrade added a
    table, say); returns the roles. Does not commit."""
    _require_postgresql(session)
    _check_caller_may_grant(session, _content_owner(session))
    roles = student_roles(session)
    for role in roles:
        _grant_privileges(session, role)
    return roles
