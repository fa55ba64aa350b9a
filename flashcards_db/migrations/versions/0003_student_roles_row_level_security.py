"""student database roles and row-level security

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26

A class shares one PostgreSQL database. Each student may connect as a role of their own
(``users.db_role``, set by ``flashcards db grant``); row-level security then shows that
role only its own users row and the scheduling state, reviews and confusions that point
at it. The instructor's role owns the tables, and owners are not subject to these
policies, so the instructor's report still sees everyone.

SQLite has no roles: there only the column is added.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The SQL is written out here, not imported: a migration must keep doing what it did
# when it was written, whatever the application's modules become.
OWN_USER = "db_role = current_user"
# A scalar subquery: PostgreSQL runs it once per statement, not once per row.
OWN_ROWS = "user_id = (SELECT u.id FROM users AS u WHERE u.db_role = current_user)"
PER_USER_TABLES = ("card_states", "reviews", "confusions")


def _policies() -> list[tuple[str, str]]:
    return [("users", OWN_USER)] + [(table, OWN_ROWS) for table in PER_USER_TABLES]


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("db_role", sa.String(length=63), nullable=True))
        batch_op.create_index(batch_op.f("ix_users_db_role"), ["db_role"], unique=True)

    if op.get_bind().dialect.name != "postgresql":
        return
    for table, own in _policies():
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        # USING filters what a student sees, updates or deletes; WITH CHECK refuses a
        # row written for anyone else. One policy for every command, for every role:
        # the owner (instructor) and superusers bypass row-level security.
        op.execute(
            f"CREATE POLICY {table}_own_rows ON {table} FOR ALL USING ({own}) WITH CHECK ({own})"
        )


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        for table, _own in reversed(_policies()):
            op.execute(f"DROP POLICY IF EXISTS {table}_own_rows ON {table}")
            op.execute(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_db_role"))
        batch_op.drop_column("db_role")
