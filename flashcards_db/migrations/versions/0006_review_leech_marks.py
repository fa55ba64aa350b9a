"""reviews: a user's log by id; whether an answer made its card a leech

Revision ID: 0006_review_leech_marks
Revises: 0005_settings
Create Date: 2026-12-08

``flashcards undo`` takes back a user's last standing action: the log walked from the
newest row back (``ix_reviews_user_id``), one probe of ``ix_reviews_undoes_id`` a row,
instead of every row of the user's log read and sorted (two seconds at two million
answers).

An answer that made its card a leech (tagged and suspended it) says so
(``leech_marked``), with the tag the card had before (``leech_before``): undoing it
restores the card as it was, whatever the leech threshold is by then. Both are empty on
rows logged before this revision (an undo of those works the leech out from the
threshold, as before).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = "0006_review_leech_marks"
down_revision: str | Sequence[str] | None = "0005_settings"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema."""
    with op.batch_alter_table("reviews") as batch:
        batch.add_column(sa.Column("leech_before", sa.Boolean(), nullable=True))
        batch.add_column(sa.Column("leech_marked", sa.Boolean(), nullable=True))
    op.create_index("ix_reviews_user_id", "reviews", ["user_id", "id"])


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index("ix_reviews_user_id", table_name="reviews")
    with op.batch_alter_table("reviews") as batch:
        batch.drop_column("leech_marked")
        batch.drop_column("leech_before")
