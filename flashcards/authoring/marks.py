"""An occlusion card's question drawn onto its image: the asked shapes masked in red, the
others masked in yellow under ``hide-all`` (left visible under ``hide-one``).

An SVG gets the masks written into it (its own drawing stays as it is, crisp at any size);
a PNG, JPEG or WebP gets them painted by Pillow, and is written as PNG.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

from flashcards.authoring.occlusions import Shape, shape_from_json

__all__ = ["ASKED_FILL", "OTHER_FILL", "mark_diagram"]

ASKED_FILL = "#ff8e8e"
OTHER_FILL = "#ffeba2"
OUTLINE = "#212121"
_VIEW_BOX = re.compile(r"""\bviewBox\s*=\s*["']([^"']*)["']""")
_SVG_END = re.compile(r"</svg\s*>\s*$", re.IGNORECASE)


def _masks(shapes: Sequence[Mapping[str, Any]], label: str, mode: str) -> list[tuple[Shape, str]]:
    masked = []
    for data in shapes:
        shape = shape_from_json(dict(data))
        if shape.label == label:
            masked.append((shape, ASKED_FILL))
        elif mode == "hide-all":
            masked.append((shape, OTHER_FILL))
    # The asked shapes last, so they sit on top.
    return sorted(masked, key=lambda m: m[1] == ASKED_FILL)


def _svg_element(shape: Shape, fill: str, stroke_width: float) -> str:
    v = shape.values
    paint = (
        f'fill="{fill}" stroke="{OUTLINE}" stroke-width="{stroke_width:g}" class="flashcards-mask"'
    )
    if shape.kind == "rect":
        return f'<rect x="{v[0]:g}" y="{v[1]:g}" width="{v[2]:g}" height="{v[3]:g}" {paint}/>'
    if shape.kind == "ellipse":
        return f'<ellipse cx="{v[0]:g}" cy="{v[1]:g}" rx="{v[2]:g}" ry="{v[3]:g}" {paint}/>'
    points = " ".join(f"{x:g},{y:g}" for x, y in shape.points)
    return f'<polygon points="{points}" {paint}/>'


def _mark_svg(text: str, masks: list[tuple[Shape, str]], width: float, height: float) -> bytes:
    """The SVG with a group of masks added last; shapes are in pixels, so a viewBox of
    another size is mapped onto them."""
    transform = ""
    box = _VIEW_BOX.search(text[: text.find(">", text.find("<svg")) + 1])
    if box:
        numbers = [float(n) for n in box.group(1).replace(",", " ").split()]
        if len(numbers) == 4 and numbers[2] and numbers[3]:
            x, y, w, h = numbers
            if (x, y, w, h) != (0, 0, width, height):
                transform = (
                    f' transform="translate({x:g} {y:g}) scale({w / width:g} {h / height:g})"'
                )
    stroke = max(width, height) / 300
    group = (
        f'<g class="flashcards-masks"{transform}>'
        + "".join(_svg_element(shape, fill, stroke) for shape, fill in masks)
        + "</g>\n"
    )
    end = _SVG_END.search(text)
    if end is None:
        raise ValueError("an SVG without its closing </svg>")
    return (text[: end.start()] + group + text[end.start() :]).encode("utf-8")


def _mark_raster(data: bytes, masks: list[tuple[Shape, str]]) -> bytes:
    from PIL import Image, ImageDraw

    with Image.open(io.BytesIO(data)) as opened:
        image = opened.convert("RGB")
    draw = ImageDraw.Draw(image)
    line = max(1, round(max(image.size) / 300))
    for shape, fill in masks:
        v = shape.values
        if shape.kind == "rect":
            draw.rectangle((v[0], v[1], v[0] + v[2], v[1] + v[3]), fill, OUTLINE, line)
        elif shape.kind == "ellipse":
            box = (v[0] - v[2], v[1] - v[3], v[0] + v[2], v[1] + v[3])
            draw.ellipse(box, fill, OUTLINE, line)
        else:
            draw.polygon(list(shape.points), fill, OUTLINE, line)
    out = io.BytesIO()
    image.save(out, "PNG")
    return out.getvalue()


def mark_diagram(
    data: bytes, kind: str, diagram: Mapping[str, Any], label: str
) -> tuple[bytes, str]:
    """The image with the card's question masked, and its file suffix (``.svg``/``.png``).

    ``kind`` is the image's (svg, png, jpeg, webp); ``diagram`` an occlusion note's stored
    diagram; ``label`` the card's.
    """
    masks = _masks(diagram["shapes"], label, str(diagram.get("mode") or "hide-one"))
    width, height = float(diagram["width"]), float(diagram["height"])
    if kind == "svg":
        return _mark_svg(data.decode("utf-8"), masks, width, height), ".svg"
    return _mark_raster(data, masks), ".png"
