"""A small labelled diagram for tests: an SVG or PNG image and the deck file that asks it."""

from __future__ import annotations

from pathlib import Path

SVG = """<svg xmlns="http://www.w3.org/2000/svg" width="600" height="400" viewBox="0 0 600 400">
  <rect width="600" height="400" fill="#f7f3ea"/>
  <rect x="100" y="80" width="200" height="60" fill="#cc9966"/>
  <ellipse cx="400" cy="200" rx="80" ry="30" fill="#bb7755"/>
  <polygon points="100,300 300,280 310,360 110,370" fill="#aa6644"/>
</svg>
"""

DECK = """\
deck: Anatomy::Hip::Diagrams
id: hip-diagrams
structures:
  - name: Piriformis
    id: piriformis
    aliases: [Pyriformis]
    innervation: Nerve to piriformis (S1–S2)
occlusions:
  - id: hip-deep
    image: media/{image}
    header: Deep hip, posterior view
    mode: {mode}
    shapes:
      - {{label: Piriformis, rect: [100, 80, 200, 60]}}
      - {{label: Obturator internus, ellipse: [400, 200, 80, 30]}}
      - {{label: Quadratus femoris, polygon: [[100, 300], [300, 280], [310, 360], [110, 370]]}}
"""
LABELS = ["Piriformis", "Obturator internus", "Quadratus femoris"]


def write_png(path: Path, size: tuple[int, int] = (600, 400)) -> Path:
    from PIL import Image, ImageDraw

    path.parent.mkdir(parents=True, exist_ok=True)
    image = Image.new("RGB", size, "#f7f3ea")
    draw = ImageDraw.Draw(image)
    draw.rectangle((100, 80, 300, 140), fill="#cc9966")
    draw.ellipse((320, 170, 480, 230), fill="#bb7755")
    draw.polygon([(100, 300), (300, 280), (310, 360), (110, 370)], fill="#aa6644")
    image.save(path)
    return path


def write_diagram_deck(folder: Path, *, image: str = "hip.svg", mode: str = "hide-one") -> Path:
    """The deck file (and its image) in ``folder``; returns the deck file's path."""
    media = folder / "media"
    media.mkdir(parents=True, exist_ok=True)
    if image.endswith(".svg"):
        (media / image).write_text(SVG, encoding="utf-8")
    else:
        write_png(media / image)
    deck = folder / "hip-diagrams.yaml"
    deck.write_text(DECK.format(image=image, mode=mode), encoding="utf-8")
    return deck
