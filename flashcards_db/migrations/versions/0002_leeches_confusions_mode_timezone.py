"""leeches, confusions, review mode, user time zone

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-25

"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_table(
        "confusions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("card_id", sa.Integer(), nullable=False),
        sa.Column("confused_with_card_id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["card_id"], ["cards.id"], name=op.f("fk_confusions_card_id_cards"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["confused_with_card_id"],
            ["cards.id"],
            name=op.f("fk_confusions_confused_with_card_id_cards"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_confusions_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_confusions_user_id_users"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_confusions")),
    )
    with op.batch_alter_table("confusions", schema=None) as batch_op:
        batch_op.create_index("ix_confusions_user_card", ["user_id", "card_id"], unique=False)

    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("leech", sa.Boolean(), server_default=sa.false(), nullable=False)
        )

    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.add_column(sa.Column("mode", sa.String(length=20), nullable=True))

    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("timezone", sa.String(length=64), nullable=True))


def downgrade() -> None:
    """Downgrade schema."""
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_column("timezone")

    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_column("mode")

    with op.batch_alter_table("card_states", schema=None) as batch_op:
        batch_op.drop_column("leech")

    with op.batch_alter_table("confusions", schema=None) as batch_op:
        batch_op.drop_index("ix_confusions_user_card")

    op.drop_table("confusions")
