"""What a card shows beside its text: its image, the diagram of an occlusion card, and the
other facts of the structure a diagram's label names. For the terminal and the web page."""

from __future__ import annotations

import mimetypes
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from flashcards.study.context import App
from flashcards_db.queries import pictures as queries

__all__ = [
    "Diagram",
    "LinkedFact",
    "MediaFile",
    "Picture",
    "card_picture",
    "card_picture_by_card",
    "media_file",
]

LinkedFact = queries.LinkedFact


@dataclass(frozen=True)
class Diagram:
    """An occlusion card's diagram: its shapes in image pixels and the label asked."""

    width: float
    height: float
    mode: str  # hide-one | hide-all
    header: str | None
    shapes: tuple[Mapping[str, Any], ...]  # {"label": …, "rect" | "ellipse" | "polygon": …}
    label: str

    def asks(self, shape: Mapping[str, Any]) -> bool:
        return shape.get("label") == self.label


@dataclass(frozen=True)
class Picture:
    image: str  # media file name
    diagram: Diagram | None = None
    facts: tuple[LinkedFact, ...] = field(default=())  # of the structure the label names


@dataclass(frozen=True)
class MediaFile:
    name: str
    data: bytes
    mimetype: str


def _diagram(meta: Mapping[str, Any]) -> Diagram | None:
    occlusion, label = meta.get("occlusion"), meta.get("label")
    if not isinstance(occlusion, Mapping) or not isinstance(label, str):
        return None
    try:
        return Diagram(
            width=float(occlusion["width"]),
            height=float(occlusion["height"]),
            mode=str(occlusion.get("mode") or "hide-one"),
            header=occlusion.get("header"),
            shapes=tuple(s for s in occlusion["shapes"] if isinstance(s, Mapping)),
            label=label,
        )
    except (KeyError, TypeError, ValueError):
        return None


def card_picture(app: App, note_id: int, *, with_facts: bool = True) -> Picture | None:
    """The note's image and, for an occlusion card, its diagram; None without an image."""
    with app.session() as session:
        found = queries.note_picture(session, note_id)
        if found is None or found.image is None:
            return None
        diagram = _diagram(found.meta)
        facts: list[LinkedFact] = []
        if diagram is not None and with_facts:
            facts = queries.linked_facts(
                session,
                deck_id=found.deck_id,
                structure_key=found.structure_key,
                name=diagram.label,
            )
    return Picture(found.image, diagram, tuple(facts))


def card_picture_by_card(app: App, card_id: int, *, with_facts: bool = True) -> Picture | None:
    """``card_picture`` of the note a card belongs to."""
    with app.session() as session:
        note_id = queries.note_of_card(session, card_id)
    return None if note_id is None else card_picture(app, note_id, with_facts=with_facts)


def media_file(app: App, name: str) -> MediaFile | None:
    with app.session() as session:
        found = queries.media_file(session, name)
    if found is None:
        return None
    data, _original = found
    if name.lower().endswith(".svg"):
        kind = "image/svg+xml"
    else:
        kind = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return MediaFile(name, data, kind)
