"""Labelled diagrams as Anki's own Image Occlusion notes (Anki 23.10 and later), both ways.

Anki knows an Image Occlusion note type by its stock kind (``originalStockKind`` 6) and
its fields by their tags: Occlusion (0), Image (1), Header (2), Back Extra (3), Comments
(4). Its Occlusion field holds one cloze per card, in fractions of the image's size::

    {{c1::image-occlusion:rect:left=.1667:top=.2:width=.3333:height=.15:oi=1}}<br>

``ellipse`` gives the top-left corner of its box with ``rx`` and ``ry``; ``polygon`` its
``points`` ("x,y x,y …") with ``left`` and ``top`` at their top-left; ``oi=1`` ("occlude
inactive") masks the other shapes too (our ``hide-all``). genanki writes any note type
it is given, so the note type is built with genanki and carries the stock kind and the
field tags; its templates are ours, calling the drawing code every Anki has.

Anki's masks carry no label (its users' images have the labels printed). Our diagrams
name what is asked, so the Comments field (which Anki's occlusion editor leaves alone)
holds one cloze per card with its label, and the answer side shows the card's own.

One Anki note is one diagram; here each label is a note of its own (its key ends in the
label), so the note's cards are numbered by the diagram's labels in authoring order.
"""

from __future__ import annotations

import html
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from flashcards.anki.imported import ImportedNote

if TYPE_CHECKING:
    # Imported where used: the deck-file reader's modules load YAML, which a package
    # without diagrams needs not (start-up of `flashcards import` and `export`).
    from flashcards.authoring.occlusions import Shape

__all__ = [
    "FIELDS",
    "IMAGE_OCCLUSION_MODEL_ID",
    "IMAGE_OCCLUSION_STOCK_KIND",
    "AnkiOcclusion",
    "comments_text",
    "diagram_fields",
    "diagram_labels",
    "imported_notes",
    "label_key",
    "note_type",
    "occlusion_text",
    "read_occlusion_note",
    "shape_in_pixels",
]

IMAGE_OCCLUSION_MODEL_ID = 1_761_430_104
IMAGE_OCCLUSION_STOCK_KIND = 6  # StockNotetype.OriginalStockKind.IMAGE_OCCLUSION
FIELDS = ("Occlusion", "Image", "Header", "Back Extra", "Comments")
# Anki finds each field by this tag (ImageOcclusionField), not by its name.
OCCLUSIONS, IMAGE, HEADER, BACK_EXTRA, COMMENTS = range(5)

_QUESTION = """\
{{#Header}}<div class="io-header">{{Header}}</div>{{/Header}}
<div class="io-masks" style="display: none">{{cloze:Occlusion}}</div>
<div id="image-occlusion-container">
{{Image}}
<canvas id="image-occlusion-canvas"></canvas>
</div>
<div id="err"></div>
<script>
try {
  anki.imageOcclusion.setup();
} catch (error) {
  document.getElementById("err").textContent =
    "These masks need Anki 23.10 or later: " + error;
}
</script>
"""
_ANSWER = (
    _QUESTION
    + """\
{{#Comments}}<div class="io-label">{{cloze:Comments}}</div>{{/Comments}}
<div><button id="toggle">Toggle Masks</button></div>
{{#Back Extra}}<div class="io-extra">{{Back Extra}}</div>{{/Back Extra}}
"""
)
# The canvas colours are read by Anki's drawing code from these custom properties.
_CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  text-align: center;
  color: #1c1c1e;
  background-color: #ffffff;
}
.nightMode.card, .night_mode .card { color: #e5e5e7; background-color: #1c1c1e; }
#image-occlusion-canvas {
  --inactive-shape-color: #ffeba2;
  --active-shape-color: #ff8e8e;
  --inactive-shape-border: 1px #212121;
  --active-shape-border: 1px #212121;
  --highlight-shape-color: #ff8e8e00;
  --highlight-shape-border: 2px #d7263d;
}
.io-header { font-weight: 600; margin-bottom: 0.4em; }
.io-label { font-size: 1.2em; font-weight: 700; margin: 0.5em 0; }
.io-label .cloze-inactive { display: none; }
.io-label .cloze { color: #d7263d; }
.io-extra { margin-top: 0.6em; font-size: 0.9em; }
"""


def note_type() -> Any:
    """A fresh genanki model of Anki's Image Occlusion kind."""
    import genanki

    class StockKindModel(genanki.Model):  # type: ignore[misc]  # genanki is untyped
        def to_json(self, timestamp: float, deck_id: int) -> dict[str, Any]:
            model: dict[str, Any] = super().to_json(timestamp, deck_id)
            model["originalStockKind"] = IMAGE_OCCLUSION_STOCK_KIND
            model["req"] = [[0, "any", [OCCLUSIONS]]]  # Anki works a cloze's cards out itself
            return model

        @property
        def _req(self) -> list[Any]:
            return [[0, "any", [OCCLUSIONS]]]

    return StockKindModel(
        IMAGE_OCCLUSION_MODEL_ID,
        "flashcards: image occlusion",
        fields=[
            {"name": name, "tag": tag, "preventDeletion": tag != COMMENTS}
            for tag, name in enumerate(FIELDS)
        ],
        templates=[{"name": "Image Occlusion", "qfmt": _QUESTION, "afmt": _ANSWER}],
        css=_CSS,
        model_type=genanki.Model.CLOZE,
        sort_field_index=HEADER,
    )


def _fraction(value: float) -> str:
    """A fraction as Anki's editor writes one (``.25``, ``.0000`` for zero), with six
    digits where it keeps four, so a diagram's pixels come back exactly."""
    if value == 0:
        return ".0000"
    text = f"{value:.6f}".strip("0")
    return text.rstrip(".") if text.endswith(".") and text != "." else text


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace(":", "\\:")


def _shape_cloze(shape: Shape, ordinal: int, width: float, height: float, hide_all: bool) -> str:
    v = shape.values
    if shape.kind == "rect":
        props = [("left", v[0] / width), ("top", v[1] / height)]
        props += [("width", v[2] / width), ("height", v[3] / height)]
    elif shape.kind == "ellipse":
        props = [("left", (v[0] - v[2]) / width), ("top", (v[1] - v[3]) / height)]
        props += [("rx", v[2] / width), ("ry", v[3] / height)]
    else:
        left, top, _, _ = shape.bounds()
        props = [("left", left / width), ("top", top / height)]
    text = "".join(f":{name}={_fraction(number)}" for name, number in props)
    if shape.kind == "polygon":
        points = " ".join(
            f"{_fraction(x / width)},{_fraction(y / height)}" for x, y in shape.points
        )
        text += f":points={_escape(points)}"
    if hide_all:
        text += ":oi=1"
    return f"{{{{c{ordinal}::image-occlusion:{shape.kind}{text}}}}}<br>"


def _labels(diagram: Mapping[str, Any]) -> list[str]:
    return list(dict.fromkeys(str(s["label"]) for s in diagram["shapes"]))


def occlusion_text(diagram: Mapping[str, Any], labels: Sequence[str]) -> str:
    """The Occlusion field: each label's shapes as cloze N, N its place in ``labels``."""
    from flashcards.authoring.occlusions import shape_from_json

    width, height = float(diagram["width"]), float(diagram["height"])
    hide_all = diagram.get("mode") == "hide-all"
    number = {label: i for i, label in enumerate(labels, start=1)}
    return "".join(
        _shape_cloze(shape, number[shape.label], width, height, hide_all)
        for shape in map(shape_from_json, diagram["shapes"])
        if shape.label in number
    )


def comments_text(labels: Sequence[str]) -> str:
    """The Comments field: each card's label as its cloze (shown on its answer side)."""
    return " ".join(
        f"{{{{c{i}::{html.escape(label, quote=False)}}}}}" for i, label in enumerate(labels, 1)
    )


def diagram_fields(
    diagram: Mapping[str, Any],
    labels: Sequence[str],
    image: str | None,
    header: str,
    back_extra: str,
) -> list[str]:
    """The note's fields in the note type's order (``header``, ``back_extra`` as HTML)."""
    image_html = f'<img src="{html.escape(image)}">' if image else ""
    return [occlusion_text(diagram, labels), image_html, header, back_extra, comments_text(labels)]


def diagram_labels(diagram: Mapping[str, Any], active: Sequence[str]) -> list[str]:
    """The labels that have a card, in the diagram's order (cloze N is the Nth)."""
    wanted = set(active)
    return [label for label in _labels(diagram) if label in wanted]


# Reading Anki's notes back.

_CLOZE = re.compile(r"\{\{c([\d,]+)::(.*?)\}\}", re.DOTALL)
_IMG = re.compile(r"""<img\b[^>]*?\bsrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class AnkiOcclusion:
    """One Anki Image Occlusion note read back: its image, header and one label per card."""

    image: str | None  # the file name the Image field refers to
    header: str
    back_extra: str
    mode: str
    ordinals: tuple[int, ...]  # cloze numbers (Anki's card ord + 1)
    labels: Mapping[int, str]  # cloze number -> label
    shapes: Mapping[int, tuple[tuple[str, dict[str, str]], ...]]  # cloze number -> shapes


def _properties(text: str) -> tuple[str, dict[str, str]] | None:
    """``rect:left=.1:top=.2`` -> ("rect", {"left": ".1", …}), backslash escapes undone."""
    kind, sep, rest = text.partition(":")
    if not sep or kind not in ("rect", "ellipse", "polygon"):
        return None
    props: dict[str, str] = {}
    for part in re.split(r"(?<!\\):", rest):
        name, eq, value = part.partition("=")
        if eq:
            props[name] = re.sub(r"\\(.)", r"\1", value)
    return kind, props


def read_occlusion_note(fields: Sequence[str], tags: Mapping[int, int]) -> AnkiOcclusion | None:
    """An Image Occlusion note's fields (``tags``: field tag -> index); None without masks."""

    def field(tag: int, default: int) -> str:
        index = tags.get(tag, default)
        return fields[index] if index < len(fields) else ""

    shapes: dict[int, list[tuple[str, dict[str, str]]]] = {}
    hide_all = False
    for match in _CLOZE.finditer(field(OCCLUSIONS, 0)):
        body = match.group(2)
        if not body.startswith("image-occlusion:"):
            continue
        parsed = _properties(body.removeprefix("image-occlusion:"))
        if parsed is None:
            continue
        hide_all = hide_all or parsed[1].get("oi") == "1"
        for number in match.group(1).split(","):
            if number.isdigit() and int(number) > 0:
                shapes.setdefault(int(number), []).append(parsed)
    if not shapes:
        return None
    labels: dict[int, str] = {}
    for match in _CLOZE.finditer(field(COMMENTS, 4)):
        label = html.unescape(_TAGS.sub("", match.group(2))).strip()
        for number in match.group(1).split(","):
            if number.isdigit() and label:
                labels.setdefault(int(number), label)
    image = _IMG.search(field(IMAGE, 1))
    return AnkiOcclusion(
        image=next((g for g in image.groups() if g), None) if image else None,
        header=field(HEADER, 2),
        back_extra=field(BACK_EXTRA, 3),
        mode="hide-all" if hide_all else "hide-one",
        ordinals=tuple(sorted(shapes)),
        labels=labels,
        shapes={n: tuple(s) for n, s in shapes.items()},
    )


def _pixels(fraction: str, size: float) -> float:
    """A fraction of the image's size in pixels. Anki's editor writes four digits and
    draws at whole pixels; six digits (ours) put a pixel within 1/100, so two decimals
    give back what was written."""
    digits = len(fraction.partition(".")[2])
    value = float(fraction) * size
    if digits <= 4 or abs(value - round(value)) < 0.011:
        return float(round(value))
    return round(value, 2)


def shape_in_pixels(
    label: str, kind: str, props: Mapping[str, str], width: float, height: float
) -> Shape | None:
    """One of Anki's shapes in image pixels, or None when it lacks a number it needs."""
    from flashcards.authoring.occlusions import Shape

    try:
        left, top = _pixels(props.get("left", "0"), width), _pixels(props.get("top", "0"), height)
        if kind == "rect":
            values: tuple[float, ...] = (
                left,
                top,
                _pixels(props["width"], width),
                _pixels(props["height"], height),
            )
        elif kind == "ellipse":
            rx, ry = _pixels(props["rx"], width), _pixels(props["ry"], height)
            values = (round(left + rx, 2), round(top + ry, 2), rx, ry)
        else:
            points = [p.split(",") for p in props["points"].split()]
            xs = [_pixels(x, width) for x, _ in points]
            ys = [_pixels(y, height) for _, y in points]
            # Anki draws a polygon's points moved so that their corner sits at left/top.
            dx, dy = left - min(xs), top - min(ys)
            values = tuple(c for x, y in zip(xs, ys, strict=True) for c in (x + dx, y + dy))
            if len(values) < 6:
                return None
    except (KeyError, ValueError):
        return None
    if kind != "polygon" and (values[2] <= 0 or values[3] <= 0):
        return None
    return Shape(label, kind, values)


def label_key(label: str, ordinal: int) -> str:
    """The last part of an imported card's key: its label, else its cloze number."""
    from flashcards.authoring.nodes import slugify  # (YAML: imported when needed)

    return slugify(label) or f"c{ordinal}"


def imported_notes(
    read: AnkiOcclusion,
    key: str,
    image: str | None,
    image_data: bytes | None,
    meta: Mapping[str, Any],
    tags: tuple[str, ...],
) -> tuple[list[ImportedNote], dict[int, tuple[str, int]]] | str:
    """One note per card of an Anki occlusion note, with where each Anki card went; or why
    there are none. ``image`` is the image's name here, ``image_data`` its bytes."""
    from flashcards.authoring.facts import occlusion_question
    from flashcards.authoring.occlusions import image_info_of

    info = image_info_of(image_data) if image_data is not None else None
    if image is None or info is None:
        return "an image occlusion note without a readable image"
    labels = {n: read.labels.get(n) or f"Mask {n}" for n in read.ordinals}
    shapes: list[Shape] = []
    for number in read.ordinals:
        for kind, props in read.shapes[number]:
            shape = shape_in_pixels(labels[number], kind, props, info.width, info.height)
            if shape is not None:
                shapes.append(shape)
    kept = [n for n in read.ordinals if any(s.label == labels[n] for s in shapes)]
    if not kept:
        return "an image occlusion note whose masks have no size"
    header_text = _TAGS.sub("", html.unescape(read.header)).strip() or None
    diagram = {
        "id": key.rsplit("/", 1)[-1],
        "mode": read.mode,
        "header": header_text,
        "width": _whole(info.width),
        "height": _whole(info.height),
        "shapes": [shape.as_json() for shape in shapes],
    }
    notes: list[ImportedNote] = []
    cards: dict[int, tuple[str, int]] = {}
    for number in kept:
        note_key = f"{key}/{label_key(read.labels.get(number, ''), number)}"
        if any(n.key == note_key for n in notes):
            note_key = f"{key}/c{number}"
        notes.append(
            ImportedNote(
                key=note_key,
                kind="occlusion",
                front=occlusion_question(header_text),
                back=labels[number],
                extra=read.back_extra or None,
                meta={**meta, "occlusion": diagram, "label": labels[number]},
                image=image,
                tags=tags,
            )
        )
        cards[number - 1] = (note_key, 0)
    return notes, cards


def _whole(value: float) -> int | float:
    return int(value) if value.is_integer() else value
