"""Deck sync: notes matched by stable key, so edits, removals and returns keep history."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from flashcards_db.models import Card, CardState, Media, Note, Review
from flashcards_db.queries.reviews import StateValues, record_review
from flashcards_db.queries.sync import SyncCounts, content_hash, store_media, sync_deck
from flashcards_db.queries.users import get_or_create_user

T1 = dt.datetime(2026, 3, 1, 8, 0, tzinfo=dt.UTC)
T2 = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
T3 = dt.datetime(2026, 3, 3, 8, 0, tzinfo=dt.UTC)
DAY = dt.date(2026, 3, 2)


@dataclass(frozen=True)
class DeckIn:
    """Satisfies ``DeckContent``."""

    key: str = "hip-flexors"
    name: str = "Anatomy::Lower limb::Hip flexors"
    description: str | None = "Muscles that flex the hip."
    source: str | None = None
    tags: Sequence[str] = ("anatomy",)
    html: bool = False
    source_path: str | None = None


@dataclass(frozen=True)
class NoteIn:
    """Satisfies ``NoteContent``."""

    key: str
    front: str
    back: str = ""
    kind: str = "basic"
    extra: str | None = None
    structure_key: str | None = None
    structure_name: str | None = None
    field: str | None = None
    meta: Mapping[str, Any] = dataclasses.field(default_factory=dict)
    image: str | None = None
    tags: Sequence[str] = ()
    ordinals: Sequence[int] = (0,)


@dataclass(frozen=True)
class MediaIn:
    """Satisfies ``MediaContent``."""

    data: bytes
    original_name: str | None = None
    suffix: str = ".png"

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def filename(self) -> str:
        return f"{self.sha256}{self.suffix}"


PSOAS = NoteIn(
    key="hip-flexors/psoas-major/insertion",
    kind="fact",
    front="Insertion of psoas major?",
    back="Lesser trochanter of the femur",
    structure_key="psoas-major",
    structure_name="Psoas major",
    field="insertion",
)
ILIACUS = NoteIn(
    key="hip-flexors/iliacus/innervation",
    kind="fact",
    front="Innervation of iliacus?",
    back="Femoral nerve",
    structure_key="iliacus",
    structure_name="Iliacus",
    field="innervation",
)
PARTS = NoteIn(
    key="hip-flexors/iliopsoas-parts",
    front="Which two muscles form the iliopsoas?",
    back="Psoas major and iliacus",
)
PLEXUS = NoteIn(
    key="hip-flexors/lumbar-plexus",
    kind="cloze",
    front="The {{c1::lumbar plexus}} lies {{c2::within psoas major}}.",
    ordinals=(1, 2),
)


def note(session: Session, key: str) -> Note:
    return session.scalars(select(Note).where(Note.key == key)).one()


def card_ids(session: Session, key: str) -> dict[int, int]:
    """Ordinal -> card id for the note with ``key``."""
    query = select(Card.ordinal, Card.id).join(Note).where(Note.key == key)
    return {ordinal: card_id for ordinal, card_id in session.execute(query)}


def count(session: Session, model: type[Any], *where: Any) -> int:
    return session.scalar(select(func.count()).select_from(model).where(*where)) or 0


def one_day_later(before: StateValues) -> StateValues:
    return dataclasses.replace(before, repetitions=before.repetitions + 1, interval=1)


def study(session: Session, card_id: int) -> None:
    """A student's history on the card: a state row and a review."""
    user = get_or_create_user(session, "ana")
    record_review(
        session, user_id=user.id, card_id=card_id, day=DAY, quality=4, schedule=one_day_later
    )


# --- add, unchanged, update ------------------------------------------------------------


def test_first_sync_adds_every_note_with_its_cards(session: Session) -> None:
    counts = sync_deck(session, DeckIn(), [PSOAS, ILIACUS, PARTS], now=T1)

    assert counts == SyncCounts(added=3)
    row = note(session, PSOAS.key)
    assert (row.front, row.back, row.kind, row.field) == (
        PSOAS.front,
        PSOAS.back,
        "fact",
        "insertion",
    )
    assert row.deck.name == "Anatomy::Lower limb::Hip flexors"
    assert row.content_hash == content_hash(PSOAS)
    assert row.content_changed_at == T1
    assert list(card_ids(session, PSOAS.key)) == [0]
    assert count(session, Card) == 3


def test_a_second_identical_sync_is_all_unchanged(session: Session) -> None:
    sync_deck(session, DeckIn(), [PSOAS, ILIACUS, PARTS], now=T1)

    counts = sync_deck(session, DeckIn(), [PSOAS, ILIACUS, PARTS], now=T2)

    assert counts == SyncCounts(unchanged=3)
    assert {n.content_changed_at for n in session.scalars(select(Note))} == {T1}
    assert count(session, Note) == 3
    assert count(session, Card) == 3


def test_an_edited_answer_updates_the_note_in_place_keeping_its_ids(session: Session) -> None:
    sync_deck(session, DeckIn(), [PSOAS, ILIACUS], now=T1)
    psoas_id, psoas_cards = note(session, PSOAS.key).id, card_ids(session, PSOAS.key)
    iliacus_cards = card_ids(session, ILIACUS.key)
    fixed = dataclasses.replace(PSOAS, back="Lesser trochanter of the femur (as iliopsoas)")

    counts = sync_deck(session, DeckIn(), [fixed, ILIACUS], now=T2)

    assert counts == SyncCounts(updated=1, unchanged=1)
    edited = note(session, PSOAS.key)
    assert edited.id == psoas_id
    assert card_ids(session, PSOAS.key) == psoas_cards
    assert edited.back == fixed.back
    assert edited.content_hash == content_hash(fixed)
    assert edited.content_changed_at == T2
    assert note(session, ILIACUS.key).content_changed_at == T1
    assert card_ids(session, ILIACUS.key) == iliacus_cards


# --- retire, return, prune -------------------------------------------------------------


def test_a_removed_note_is_retired_with_its_history_kept(session: Session) -> None:
    sync_deck(session, DeckIn(), [PSOAS, ILIACUS], now=T1)
    psoas_card = card_ids(session, PSOAS.key)[0]
    study(session, psoas_card)

    counts = sync_deck(session, DeckIn(), [ILIACUS], now=T2)

    assert counts == SyncCounts(unchanged=1, retired=1)
    retired = note(session, PSOAS.key)
    assert retired.retired_at == T2
    assert note(session, ILIACUS.key).retired_at is None
    assert count(session, Card, Card.id == psoas_card) == 1
    assert count(session, CardState, CardState.card_id == psoas_card) == 1
    assert count(session, Review, Review.card_id == psoas_card) == 1
    # Retiring again is not a new retirement.
    assert sync_deck(session, DeckIn(), [ILIACUS], now=T3) == SyncCounts(unchanged=1)
    assert note(session, PSOAS.key).retired_at == T2


def test_a_retired_note_comes_back_with_the_same_ids_and_history(session: Session) -> None:
    sync_deck(session, DeckIn(), [PSOAS, ILIACUS], now=T1)
    psoas_id, psoas_cards = note(session, PSOAS.key).id, card_ids(session, PSOAS.key)
    study(session, psoas_cards[0])
    sync_deck(session, DeckIn(), [ILIACUS], now=T2)

    counts = sync_deck(session, DeckIn(), [PSOAS, ILIACUS], now=T3)

    assert counts.added == 0
    assert counts == SyncCounts(updated=1, unchanged=1)
    back = note(session, PSOAS.key)
    assert back.retired_at is None
    assert back.id == psoas_id
    assert card_ids(session, PSOAS.key) == psoas_cards
    assert all(c.retired_at is None for c in back.cards)
    assert back.content_changed_at == T1  # its content did not change while away
    assert count(session, CardState, CardState.card_id == psoas_cards[0]) == 1
    assert count(session, Review, Review.card_id == psoas_cards[0]) == 1


def test_prune_deletes_removed_notes_with_cards_states_and_reviews(session: Session) -> None:
    sync_deck(session, DeckIn(), [PSOAS, ILIACUS, PLEXUS], now=T1)
    gone = [*card_ids(session, PSOAS.key).values(), *card_ids(session, PLEXUS.key).values()]
    kept = card_ids(session, ILIACUS.key)[0]
    for card_id in [*gone, kept]:
        study(session, card_id)
    session.commit()

    counts = sync_deck(session, DeckIn(), [ILIACUS], prune=True, now=T2)
    session.commit()

    assert counts == SyncCounts(unchanged=1, deleted=2)
    assert count(session, Note) == 1
    assert count(session, Card, Card.id.in_(gone)) == 0
    # States and reviews have no ORM relationship to cards: only the database's
    # ON DELETE CASCADE removes them, so this holds only with foreign keys enforced.
    assert count(session, CardState, CardState.card_id.in_(gone)) == 0
    assert count(session, Review, Review.card_id.in_(gone)) == 0
    assert count(session, CardState, CardState.card_id == kept) == 1
    assert count(session, Review, Review.card_id == kept) == 1


# --- cloze cards -----------------------------------------------------------------------


def test_a_cloze_note_gets_one_card_per_ordinal(session: Session) -> None:
    sync_deck(session, DeckIn(), [PLEXUS], now=T1)

    assert sorted(card_ids(session, PLEXUS.key)) == [1, 2]


def test_adding_a_cloze_number_adds_one_card_and_keeps_the_others(session: Session) -> None:
    sync_deck(session, DeckIn(), [PLEXUS], now=T1)
    before = card_ids(session, PLEXUS.key)
    three = dataclasses.replace(
        PLEXUS,
        front="The {{c1::lumbar plexus}} lies {{c2::within psoas major}} ({{c3::L1-L4}}).",
        ordinals=(1, 2, 3),
    )

    counts = sync_deck(session, DeckIn(), [three], now=T2)

    assert counts == SyncCounts(updated=1)
    after = card_ids(session, PLEXUS.key)
    assert sorted(after) == [1, 2, 3]
    assert {o: after[o] for o in (1, 2)} == before


def test_removing_a_cloze_number_retires_that_card_only(session: Session) -> None:
    three = dataclasses.replace(PLEXUS, ordinals=(1, 2, 3))
    sync_deck(session, DeckIn(), [three], now=T1)
    ids = card_ids(session, PLEXUS.key)
    study(session, ids[2])
    without_c2 = dataclasses.replace(PLEXUS, ordinals=(1, 3))

    sync_deck(session, DeckIn(), [without_c2], now=T2)

    row = note(session, PLEXUS.key)
    assert row.retired_at is None
    assert {c.ordinal: c.retired_at for c in row.cards} == {1: None, 2: T2, 3: None}
    assert card_ids(session, PLEXUS.key) == ids  # retired, not deleted
    assert count(session, Review, Review.card_id == ids[2]) == 1

    sync_deck(session, DeckIn(), [three], now=T3)  # c2 is back: the same card

    assert {c.ordinal: c.retired_at for c in note(session, PLEXUS.key).cards} == {
        1: None,
        2: None,
        3: None,
    }
    assert card_ids(session, PLEXUS.key) == ids


# --- order and hashing -----------------------------------------------------------------


def test_position_follows_input_order_and_a_reorder_changes_no_content(
    session: Session,
) -> None:
    sync_deck(session, DeckIn(), [PSOAS, ILIACUS, PARTS], now=T1)
    hashes = {n.key: n.content_hash for n in session.scalars(select(Note))}

    counts = sync_deck(session, DeckIn(), [PARTS, PSOAS, ILIACUS], now=T2)

    assert counts == SyncCounts(unchanged=3)
    positions = {n.key: n.position for n in session.scalars(select(Note))}
    assert positions == {PARTS.key: 0, PSOAS.key: 1, ILIACUS.key: 2}
    assert {n.key: n.content_hash for n in session.scalars(select(Note))} == hashes
    assert {n.content_changed_at for n in session.scalars(select(Note))} == {T1}


def test_content_hash_ignores_position_and_ordinal_order() -> None:
    assert content_hash(PLEXUS) == content_hash(dataclasses.replace(PLEXUS, ordinals=(2, 1)))


@pytest.mark.parametrize(
    "edit",
    [
        {"front": "Insertion of psoas major (precisely)?"},
        {"back": "Lesser trochanter"},
        {"extra": "Shares its tendon with iliacus."},
        {"kind": "basic"},
        {"structure_name": "Psoas"},
        {"field": "origin"},
        {"meta": {"aliases": ["psoas"]}},
        {"tags": ("lower-limb",)},
        {"ordinals": (1,)},
    ],
    ids=lambda edit: next(iter(edit)),
)
def test_content_hash_changes_with_every_content_field(edit: dict[str, Any]) -> None:
    assert content_hash(dataclasses.replace(PSOAS, **edit)) != content_hash(PSOAS)


# --- media -----------------------------------------------------------------------------


def test_store_media_stores_identical_content_once(session: Session) -> None:
    image = MediaIn(data=b"\x89PNG psoas", original_name="psoas.png")
    same_bytes = MediaIn(data=b"\x89PNG psoas", original_name="psoas-copy.png")
    other = MediaIn(data=b"\x89PNG iliacus", original_name="iliacus.png")

    assert store_media(session, [image, same_bytes]) == 1
    assert store_media(session, [same_bytes, other]) == 1
    assert store_media(session, [image, other]) == 0

    stored = {m.sha256: m for m in session.scalars(select(Media))}
    assert set(stored) == {image.sha256, other.sha256}
    assert stored[image.sha256].data == image.data
    assert stored[image.sha256].size == len(image.data)
    assert stored[image.sha256].filename == image.filename


def test_same_bytes_under_another_extension_get_their_own_name(session: Session) -> None:
    png = MediaIn(data=b"same bytes", original_name="a.png")
    jpg = MediaIn(data=b"same bytes", original_name="b.jpg", suffix=".jpg")

    assert store_media(session, [png, jpg]) == 2
    sync_deck(session, DeckIn(), [dataclasses.replace(PSOAS, image=jpg.filename)], now=T1)

    names = set(session.scalars(select(Media.filename)))
    assert names == {png.filename, jpg.filename}
    assert note(session, PSOAS.key).image == jpg.filename


def test_a_note_refers_to_its_stored_image(session: Session) -> None:
    image = MediaIn(data=b"\x89PNG psoas", original_name="psoas.png")
    store_media(session, [image])

    sync_deck(session, DeckIn(), [dataclasses.replace(PSOAS, image=image.filename)], now=T1)

    assert note(session, PSOAS.key).image == image.filename
