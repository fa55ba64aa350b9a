"""due index ordered by card: (user, due day, card); reviews by what they undo

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26

The study session reads a day's due cards a page at a time, in (due day, card id)
order; with the card id in the index each page is a seek, not a sort of the whole day.
The new index also serves every query the old (user, due day) one served.

"Is this answer undone?" is asked per answer (study days, streaks) and by the
database itself when a review row is deleted (undo rows point at it, ON DELETE
CASCADE): without an index on ``undoes_id`` each asks it of the whole log.
"""

from collections.abc import Sequence

from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    op.create_index(
        "ix_card_states_user_due_card", "card_states", ["user_id", "due_day", "card_id"]
    )
    op.drop_index("ix_card_states_user_due", table_name="card_states")
    op.create_index("ix_reviews_undoes_id", "reviews", ["undoes_id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_reviews_undoes_id", table_name="reviews")
    op.create_index("ix_card_states_user_due", "card_states", ["user_id", "due_day"])
    op.drop_index("ix_card_states_user_due_card", table_name="card_states")
