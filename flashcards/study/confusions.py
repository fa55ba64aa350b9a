"""Confusions: a wrong typed answer that is another card's right answer of that field.

"Lesser trochanter" typed for iliacus' origin is psoas' insertion: the student has the
two mixed up. Origin and insertion are compared with each other (both attachments); every
other field with itself.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from flashcards.grading import grade
from flashcards_db.queries import confusions as confusion_queries

__all__ = ["ConfusedWith", "find_confusion", "record_confusion"]

# Fields whose answers are of one sort, so one can be given for the other.
_FAMILIES = {"origin": ("origin", "insertion"), "insertion": ("origin", "insertion")}
_MATCHES = 4  # the typed answer is that other answer, a slip at most


@dataclass(frozen=True)
class ConfusedWith:
    card_id: int
    deck_name: str
    structure_name: str | None
    field: str
    answer: str


def find_confusion(
    session: Session, *, card_id: int, field: str | None, answer: str, typed: str
) -> ConfusedWith | None:
    """The other card whose answer ``typed`` is, when it is not this card's own answer."""
    if field is None or not typed.strip() or grade(answer, typed) >= 3:
        return None
    best: tuple[int, ConfusedWith] | None = None
    for other in confusion_queries.field_answers(session, _FAMILIES.get(field, (field,))):
        if other.card_id == card_id or grade(answer, other.answer) >= 3:
            continue  # the same answer written for two cards is no confusion
        quality = grade(other.answer, typed)
        if quality >= _MATCHES and (best is None or quality > best[0]):
            best = (
                quality,
                ConfusedWith(
                    other.card_id, other.deck_name, other.structure_name, other.field, other.answer
                ),
            )
    return best[1] if best else None


def record_confusion(
    session: Session, *, user_id: int, card_id: int, confused_with: int, review_id: int | None
) -> None:
    confusion_queries.record_confusion(
        session,
        user_id=user_id,
        card_id=card_id,
        confused_with_card_id=confused_with,
        review_id=review_id,
    )
