"""settings: a student's limits and study day, for every deck or one deck

Revision ID: 0005_settings
Revises: 0004
Create Date: 2026-12-07

``flashcards config`` stores new cards per day, reviews per day, the leech threshold
and the day-start hour here, per user, for every deck (``deck_key`` empty) or for one
deck and its sub-decks. On PostgreSQL a student's role sees and changes its own rows
only, as with its card states and reviews (0003); `flashcards db upgrade` grants the
table to the students' roles already mapped.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0005_settings"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Written out here, as in 0003: a migration keeps doing what it did when written.
OWN_ROWS = "user_id = (SELECT u.id FROM users AS u WHERE u.db_role = current_user)"


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "settings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("deck_key", sa.String(length=200), nullable=False),
        sa.Column("name", sa.String(length=50), nullable=False),
        sa.Column("value", sa.String(length=200), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["users.id"],
            name=op.f("fk_settings_user_id_users"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_settings")),
        sa.UniqueConstraint("user_id", "deck_key", "name", name=op.f("uq_settings_user_id")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER TABLE settings ENABLE ROW LEVEL SECURITY")
        op.execute(
            f"CREATE POLICY settings_own_rows ON settings FOR ALL "
            f"USING ({OWN_ROWS}) WITH CHECK ({OWN_ROWS})"
        )


def downgrade() -> None:
    """Downgrade schema."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY IF EXISTS settings_own_rows ON settings")
    op.drop_table("settings")
