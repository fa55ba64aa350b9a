"""Labelled diagrams (image occlusion): an image and shapes with labels, one card per label.

```yaml
occlusions:
  - id: gluteal-deep
    image: media/gluteal-deep.svg          # relative to the file; PNG, JPEG, SVG, WebP
    header: Deep gluteal region, posterior view
    mode: hide-one                         # hide-one (others visible) | hide-all
    shapes:
      - {label: Piriformis, rect: [412, 180, 160, 48]}          # x, y, w, h
      - {label: Superior gemellus, ellipse: [480, 262, 70, 14]} # cx, cy, rx, ry
      - {label: Quadratus femoris, polygon: [[400, 330], [560, 320], [565, 372]]}
```

Coordinates are image pixels (an SVG's pixels are its ``width`` and ``height``, or its
``viewBox`` when it has no size). Shapes sharing a label are one card. A card's identity is
``deck id / occlusion id / label``: moving or redrawing a shape keeps its history.

Pure: the image is read only for its kind and size (Pillow for raster images, the
standard XML parser for SVG).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from flashcards.authoring.nodes import Fields, NodeReader, slugify

__all__ = [
    "MODES",
    "ImageInfo",
    "Occlusion",
    "Shape",
    "image_info",
    "image_info_of",
    "read_occlusions",
    "shape_from_json",
]

MODES = ("hide-one", "hide-all")
IMAGE_KINDS = {"PNG": "png", "JPEG": "jpeg", "WEBP": "webp"}
_OCCLUSION_KEYS = ("id", "image", "header", "mode", "extra", "tags", "shapes")
_SHAPE_KEYS = ("label", "rect", "ellipse", "polygon")
_GEOMETRY = ("rect", "ellipse", "polygon")
_NULL_TAG = "tag:yaml.org,2002:null"
_BOOL_TAG = "tag:yaml.org,2002:bool"
_LENGTH = re.compile(r"\s*([0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)\s*(px)?\s*")


@dataclass(frozen=True)
class Shape:
    """One shape in image pixels: a rect (x, y, w, h), an ellipse (cx, cy, rx, ry) or a
    polygon (its points)."""

    label: str
    kind: str  # rect | ellipse | polygon
    values: tuple[float, ...]  # rect and ellipse: 4 numbers; polygon: x1, y1, x2, y2, …
    line: int = 0

    @property
    def points(self) -> tuple[tuple[float, float], ...]:
        v = self.values
        return tuple((v[i], v[i + 1]) for i in range(0, len(v), 2))

    def bounds(self) -> tuple[float, float, float, float]:
        """Left, top, right, bottom."""
        v = self.values
        if self.kind == "rect":
            return v[0], v[1], v[0] + v[2], v[1] + v[3]
        if self.kind == "ellipse":
            return v[0] - v[2], v[1] - v[3], v[0] + v[2], v[1] + v[3]
        xs, ys = v[0::2], v[1::2]
        return min(xs), min(ys), max(xs), max(ys)

    def as_json(self) -> dict[str, Any]:
        """``{"label": …, "rect": [x, y, w, h]}``, as a deck file writes it."""
        if self.kind == "polygon":
            geometry: list[Any] = [[_number(x), _number(y)] for x, y in self.points]
        else:
            geometry = [_number(v) for v in self.values]
        return {"label": self.label, self.kind: geometry}

    def describe(self) -> str:
        if self.kind == "polygon":
            return "polygon " + " ".join(f"{_number(x)},{_number(y)}" for x, y in self.points)
        return f"{self.kind} " + ", ".join(str(_number(v)) for v in self.values)


def shape_from_json(data: dict[str, Any]) -> Shape:
    """The inverse of ``Shape.as_json`` (a note's stored meta)."""
    label = str(data["label"])
    for kind in _GEOMETRY:
        if kind in data:
            raw = data[kind]
            if kind == "polygon":
                values = tuple(float(c) for point in raw for c in point)
            else:
                values = tuple(float(v) for v in raw)
            return Shape(label, kind, values)
    raise ValueError(f"shape without geometry: {data!r}")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else round(value, 3)


@dataclass(frozen=True)
class ImageInfo:
    kind: str  # png | jpeg | webp | svg
    width: float
    height: float


@dataclass(frozen=True)
class Occlusion:
    id: str
    image: Path  # resolved, absolute
    size: tuple[float, float]  # the image's width and height in pixels
    header: str | None
    mode: str  # hide-one | hide-all
    extra: str | None
    shapes: tuple[Shape, ...]
    tags: tuple[str, ...]
    line: int

    def labels(self) -> list[str]:
        """Each label once, in the order the shapes give them: one card each."""
        return list(dict.fromkeys(shape.label for shape in self.shapes))

    def shapes_of(self, label: str) -> list[Shape]:
        return [shape for shape in self.shapes if shape.label == label]

    def as_json(self) -> dict[str, Any]:
        """What every card of the diagram stores: enough to draw any of them."""
        return {
            "id": self.id,
            "mode": self.mode,
            "header": self.header,
            "width": _number(self.size[0]),
            "height": _number(self.size[1]),
            "shapes": [shape.as_json() for shape in self.shapes],
        }


def image_info(path: Path) -> ImageInfo | None:
    """The image's kind and size in pixels; None when the file is not an image we take."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    return image_info_of(data)


def image_info_of(data: bytes) -> ImageInfo | None:
    """``image_info`` of an image's bytes (a media file of a package)."""
    head = data[:512]
    if b"<svg" in head or head.lstrip().startswith((b"<?xml", b"<!--")):
        return _svg_info(data)
    import io

    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = IMAGE_KINDS.get(image.format or "")
            return None if kind is None else ImageInfo(kind, *map(float, image.size))
    except (OSError, UnidentifiedImageError, ValueError):
        return None


def _svg_info(data: bytes) -> ImageInfo | None:
    import xml.etree.ElementTree as ElementTree

    try:
        root = ElementTree.fromstring(data)
    except (ElementTree.ParseError, ValueError):
        return None
    if root.tag not in ("svg", "{http://www.w3.org/2000/svg}svg"):
        return None
    width, height = _length(root.get("width")), _length(root.get("height"))
    box = (root.get("viewBox") or "").replace(",", " ").split()
    if (width is None or height is None) and len(box) == 4:
        try:
            box_width, box_height = float(box[2]), float(box[3])
        except ValueError:
            return None
        if width is None and height is None:
            width, height = box_width, box_height
        elif width is None and height and box_height:
            width = height * box_width / box_height
        elif height is None and width and box_width:
            height = width * box_height / box_width
    if not width or not height:
        return None
    return ImageInfo("svg", width, height)


def _length(text: str | None) -> float | None:
    """An SVG width or height in pixels; None for a missing one or another unit."""
    match = _LENGTH.fullmatch(text or "")
    return float(match.group(1)) if match else None


def _line(node: Node) -> int:
    return int(node.start_mark.line) + 1


def _numbers(r: NodeReader, node: Node, what: str) -> list[float] | None:
    """A flow list of numbers (``[412, 180, 160, 48]``), each checked."""
    if not isinstance(node, SequenceNode):
        r.error(_line(node), f"{what} must be a list of numbers")
        return None
    values: list[float] = []
    for item in node.value:
        number = _scalar_number(item)
        if number is None:
            shown = item.value if isinstance(item, ScalarNode) else "a list"
            r.error(_line(item), f"{what}: '{shown}' is not a number")
            return None
        values.append(number)
    return values


def _scalar_number(node: Node) -> float | None:
    if not isinstance(node, ScalarNode) or node.tag in (_NULL_TAG, _BOOL_TAG):
        return None
    try:
        value = float(str(node.value))
    except ValueError:
        return None
    return value if value == value and abs(value) != float("inf") else None


def _geometry(r: NodeReader, kind: str, node: Node, label: str) -> tuple[float, ...] | None:
    what = f"shape '{label}': {kind}"
    if kind == "polygon":
        if not isinstance(node, SequenceNode) or len(node.value) < 3:
            r.error(
                _line(node), f"{what} needs at least 3 points, like [[10, 10], [60, 10], [35, 50]]"
            )
            return None
        values: list[float] = []
        for point in node.value:
            pair = _numbers(r, point, f"{what} point")
            if pair is None:
                return None
            if len(pair) != 2:
                r.error(_line(point), f"{what}: each point is [x, y], not {len(pair)} numbers")
                return None
            values.extend(pair)
        return tuple(values)
    numbers = _numbers(r, node, what)
    if numbers is None:
        return None
    names = "x, y, w, h" if kind == "rect" else "cx, cy, rx, ry"
    if len(numbers) != 4:
        r.error(_line(node), f"{what} takes 4 numbers ({names}), not {len(numbers)}")
        return None
    if numbers[2] <= 0 or numbers[3] <= 0:
        sizes = "w and h" if kind == "rect" else "rx and ry"
        r.error(_line(node), f"{what}: {sizes} must be greater than 0")
        return None
    return tuple(numbers)


def _shape(r: NodeReader, node: MappingNode) -> Shape | None:
    f = r.fields(node, _SHAPE_KEYS)
    label = f.text("label")
    if "label" not in f:
        r.error(f.line, "shape has no 'label' (the name the card asks for)")
    given = [kind for kind in _GEOMETRY if kind in f]
    if not given:
        r.error(f.line, "shape needs one of rect: [x, y, w, h], ellipse: [cx, cy, rx, ry], polygon")
        return None
    if len(given) > 1:
        r.error(f.line, f"shape has both '{given[0]}' and '{given[1]}': one geometry per shape")
        return None
    kind = given[0]
    values = _geometry(r, kind, f.entries[kind][1], label or "?")
    if label is None or values is None:
        return None
    return Shape(label, kind, values, f.line)


def _mode(r: NodeReader, f: Fields) -> str:
    mode = f.text("mode")
    if mode is None:
        return MODES[0]
    if mode not in MODES:
        r.error(f.key_line("mode"), f"mode '{mode}' is not one of {', '.join(MODES)}")
        return MODES[0]
    return mode


def _outside(shape: Shape, width: float, height: float) -> str | None:
    left, top, right, bottom = shape.bounds()
    if left < 0 or top < 0:
        return f"starts at {_number(left)},{_number(top)}, before the image's top-left corner"
    if right > width or bottom > height:
        return (
            f"reaches {_number(right)},{_number(bottom)}, past the image's "
            f"{_number(width)}×{_number(height)} pixels"
        )
    return None


def _occlusion(r: NodeReader, node: MappingNode) -> Occlusion | None:
    f = r.fields(node, _OCCLUSION_KEYS)
    image = f.image()
    if "image" not in f:
        r.error(f.line, "occlusion has no 'image' (a PNG, JPEG, SVG or WebP file)")
    info = image_info(image) if image is not None else None
    if image is not None and info is None:
        r.error(
            f.key_line("image"),
            f"'{f.text('image')}' is not an image this program reads (PNG, JPEG, SVG, WebP)"
            + (
                " or an SVG without a width and height or viewBox" if image.suffix == ".svg" else ""
            ),
        )
    occlusion_id = f.slug("id")
    if "id" not in f and image is not None:
        occlusion_id = slugify(image.stem) or None
        if occlusion_id is not None:
            r.warn(
                f.line,
                "occlusion has no id: its identity comes from its image's file name, so "
                f"renaming the image will lose its review history; add id: {occlusion_id}",
            )
    header, extra, tags, mode = f.text("header"), f.text("extra"), f.tags(), _mode(r, f)
    shapes = [s for s in map(lambda n: _shape(r, n), f.mappings("shapes")) if s is not None]
    if "shapes" not in f:
        r.error(f.line, "occlusion has no 'shapes' (each a label and a rect, ellipse or polygon)")
    elif not shapes and not f.mappings("shapes"):
        r.error(f.key_line("shapes"), "occlusion has an empty list of shapes")
    if info is not None:
        for shape in shapes:
            problem = _outside(shape, info.width, info.height)
            if problem:
                r.error(shape.line, f"shape '{shape.label}' ({shape.describe()}) {problem}")
    _check_labels(r, shapes)
    if image is None or info is None or occlusion_id is None or not shapes:
        return None
    return Occlusion(
        occlusion_id, image, (info.width, info.height), header, mode, extra, tuple(shapes),
        tags, f.line,
    )  # fmt: skip


def _check_labels(r: NodeReader, shapes: Sequence[Shape]) -> None:
    """Two labels that differ only in case or punctuation would share one card's key."""
    seen: dict[str, Shape] = {}
    for shape in shapes:
        slug = slugify(shape.label)
        if not slug:
            r.error(shape.line, f"label '{shape.label}' has no letters or digits to name a card")
            continue
        first = seen.setdefault(slug, shape)
        if first.label != shape.label:
            r.error(
                shape.line,
                f"label '{shape.label}' and '{first.label}' (line {first.line}) would be one "
                "card: write them the same way to group the shapes, or name them apart",
            )


def read_occlusions(r: NodeReader, deck: Fields) -> tuple[Occlusion, ...]:
    """The deck's ``occlusions:``, every problem recorded on ``r``."""
    found: list[Occlusion] = []
    first_line: dict[str, int] = {}
    for node in deck.mappings("occlusions"):
        occlusion = _occlusion(r, node)
        if occlusion is None:
            continue
        if occlusion.id in first_line:
            first = first_line[occlusion.id]
            r.error(
                occlusion.line, f"duplicate occlusion id '{occlusion.id}' (first at line {first})"
            )
        first_line.setdefault(occlusion.id, occlusion.line)
        found.append(occlusion)
    return tuple(found)
