"""Typed SQLAlchemy models: every entity of the design, from the first migration on.

Content (decks, notes, cards, media) is shared by all users; scheduling state and the
review log belong to one user each.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from flashcards_db.types import UTCDateTime, utcnow

__all__ = [
    "Base",
    "Card",
    "CardState",
    "Confusion",
    "Deck",
    "Media",
    "Note",
    "Review",
    "Setting",
    "User",
]

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 (SQLAlchemy reads it as a plain class attribute)
        dt.datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
    }


class User(Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    # IANA zone name for study days (None: the machine's local zone).
    timezone: Mapped[str | None] = mapped_column(String(64))
    # The PostgreSQL role this student connects as; row-level security shows that role
    # this row and the rows that point at it, nothing else (see flashcards_db.queries.roles).
    # 63: PostgreSQL's limit for a role name. A unique index, not a constraint, so that
    # SQLite adds it in place instead of copying the users table.
    db_role: Mapped[str | None] = mapped_column(String(63), unique=True, index=True)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Deck(Base):
    __tablename__ = "decks"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)  # the deck file's stable id
    name: Mapped[str] = mapped_column(String(500), index=True)  # full name, '::' sub-decks
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    tags: Mapped[list[str]] = mapped_column(default=list)
    html: Mapped[bool] = mapped_column(Boolean, default=False)
    source_path: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)

    notes: Mapped[list[Note]] = relationship(
        back_populates="deck", cascade="all, delete-orphan", passive_deletes=True
    )


class Media(Base):
    """A media file, addressed by its content: ``<sha256>.<ext>`` names it for good.

    The name, not the hash alone, is the key: the same bytes under two extensions are two
    files to Anki, and each note must find the name it refers to.
    """

    __tablename__ = "media"

    id: Mapped[int] = mapped_column(primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    filename: Mapped[str] = mapped_column(String(100), unique=True)  # <sha256>.<ext>
    original_name: Mapped[str | None] = mapped_column(Text)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Note(Base):
    """One fact of a structure or one hand-written card; identified by its stable key."""

    __tablename__ = "notes"

    id: Mapped[int] = mapped_column(primary_key=True)
    deck_id: Mapped[int] = mapped_column(ForeignKey("decks.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(500), unique=True)
    kind: Mapped[str] = mapped_column(String(20))  # fact | basic | cloze
    position: Mapped[int] = mapped_column(Integer)  # authoring order within the deck
    front: Mapped[str] = mapped_column(Text)  # question, or cloze text
    back: Mapped[str] = mapped_column(Text)  # answer ('' for cloze)
    extra: Mapped[str | None] = mapped_column(Text)
    structure_key: Mapped[str | None] = mapped_column(String(200))
    structure_name: Mapped[str | None] = mapped_column(Text)
    field: Mapped[str | None] = mapped_column(String(50))
    meta: Mapped[dict[str, Any]] = mapped_column(default=dict)
    image: Mapped[str | None] = mapped_column(
        ForeignKey("media.filename", ondelete="RESTRICT"), index=True
    )
    tags: Mapped[list[str]] = mapped_column(default=list)
    content_hash: Mapped[str] = mapped_column(String(64))
    content_changed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    retired_at: Mapped[dt.datetime | None] = mapped_column()

    deck: Mapped[Deck] = relationship(back_populates="notes")
    cards: Mapped[list[Card]] = relationship(
        back_populates="note",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Card.ordinal",
    )


class Card(Base):
    """What is asked: one per fact or basic note, one per cloze number."""

    __tablename__ = "cards"
    __table_args__ = (UniqueConstraint("note_id", "ordinal"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    note_id: Mapped[int] = mapped_column(ForeignKey("notes.id", ondelete="CASCADE"))
    ordinal: Mapped[int] = mapped_column(Integer)  # 0, or N of a cloze cN
    retired_at: Mapped[dt.datetime | None] = mapped_column()

    note: Mapped[Note] = relationship(back_populates="cards")


class CardState(Base):
    """One user's SM-2 state for one card. No row: the card is new to that user."""

    __tablename__ = "card_states"
    __table_args__ = (
        UniqueConstraint("user_id", "card_id"),
        Index("ix_card_states_user_due_card", "user_id", "due_day", "card_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"), index=True)
    repetitions: Mapped[int] = mapped_column(Integer, default=0)
    interval: Mapped[int] = mapped_column(Integer, default=0)
    easiness: Mapped[float] = mapped_column(Float, default=2.5)
    due_day: Mapped[dt.date | None] = mapped_column(Date)  # None: never reviewed
    last_review_day: Mapped[dt.date | None] = mapped_column(Date)
    lapses: Mapped[int] = mapped_column(Integer, default=0)
    reviews: Mapped[int] = mapped_column(Integer, default=0)
    suspended: Mapped[bool] = mapped_column(Boolean, default=False)
    leech: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    buried_until: Mapped[dt.date | None] = mapped_column(Date)
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Review(Base):
    """One answer, ever. Append-only: an undo is a new row pointing at what it undoes."""

    __tablename__ = "reviews"
    __table_args__ = (
        Index("ix_reviews_user_day", "user_id", "study_day"),
        Index("ix_reviews_card_user", "card_id", "user_id"),
        # A user's log newest first (the last action an undo takes back).
        Index("ix_reviews_user_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    reviewed_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
    study_day: Mapped[dt.date] = mapped_column(Date)
    # review: the day's first grade, moves the schedule; redrill: a same-day repeat;
    # undo: takes back the row in undoes_id.
    kind: Mapped[str] = mapped_column(String(20))
    # How the card was asked: flip (self-graded), typed, mc (multiple choice).
    mode: Mapped[str | None] = mapped_column(String(20))
    quality: Mapped[int | None] = mapped_column(Integer)
    typed_answer: Mapped[str | None] = mapped_column(Text)
    duration_ms: Mapped[int | None] = mapped_column(Integer)
    undoes_id: Mapped[int | None] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), index=True
    )
    repetitions_before: Mapped[int] = mapped_column(Integer)
    interval_before: Mapped[int] = mapped_column(Integer)
    easiness_before: Mapped[float] = mapped_column(Float)
    due_before: Mapped[dt.date | None] = mapped_column(Date)
    lapses_before: Mapped[int] = mapped_column(Integer)
    repetitions_after: Mapped[int] = mapped_column(Integer)
    interval_after: Mapped[int] = mapped_column(Integer)
    easiness_after: Mapped[float] = mapped_column(Float)
    due_after: Mapped[dt.date | None] = mapped_column(Date)
    lapses_after: Mapped[int] = mapped_column(Integer)
    # A first grade that made its card a leech (tagged and suspended it) says so, with
    # the card's leech tag before: an undo restores both. None on rows logged before
    # revision 0006 and on rows other than first grades.
    leech_before: Mapped[bool | None] = mapped_column(Boolean)
    leech_marked: Mapped[bool | None] = mapped_column(Boolean)


class Confusion(Base):
    """A typed answer that was another card's answer (iliacus' origin given for psoas')."""

    __tablename__ = "confusions"
    __table_args__ = (Index("ix_confusions_user_card", "user_id", "card_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    confused_with_card_id: Mapped[int] = mapped_column(ForeignKey("cards.id", ondelete="CASCADE"))
    review_id: Mapped[int | None] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    created_at: Mapped[dt.datetime] = mapped_column(default=utcnow)


class Setting(Base):
    """One user's setting (``flashcards config``): for every deck (``deck_key`` empty) or
    for one deck and its sub-decks (the deck's stable id)."""

    __tablename__ = "settings"
    __table_args__ = (UniqueConstraint("user_id", "deck_key", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    deck_key: Mapped[str] = mapped_column(String(200), default="")
    name: Mapped[str] = mapped_column(String(50))
    value: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[dt.datetime] = mapped_column(default=utcnow)
