"""A card's image in the terminal: said, opened with ``o`` in the system's viewer, and drawn
inline where the terminal speaks an image protocol.

The file shown is written once to the user's cache folder and used again: a card's image
as it is, an occlusion card's with its question masked (``flashcards.authoring.marks``),
under a name made from what is drawn, so an edited diagram gets a new file.

Inline drawing is textual-image's (Sixel, or kitty's graphics protocol), chosen by what
the terminal answers when asked; SVGs are rasterised for it by resvg. Nothing is asked
of a terminal unless both standard input and output are one (a scripted session reads
every byte of its input as answers). ``FLASHCARDS_INLINE_IMAGES`` = ``0`` turns inline
drawing off; ``sixel`` or ``kitty`` picks the protocol without asking.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from flashcards.cli.render import terminal_safe

if TYPE_CHECKING:
    from rich.console import Console

    from flashcards.study.context import App
    from flashcards_db.queries.study import StudyCard

__all__ = ["ShownImage", "cache_folder", "open_image", "show_image"]

INLINE_CELLS = 64  # widest an inline image is drawn, in terminal columns


@dataclass(frozen=True)
class ShownImage:
    path: Path
    diagram: bool


def cache_folder() -> Path:
    import platformdirs

    return Path(platformdirs.user_cache_dir("flashcards", appauthor=False)) / "images"


def _cached(name: str, make: Any) -> Path:
    """``name`` in the cache folder, made by ``make()`` (bytes) the first time only."""
    folder = cache_folder()
    path = folder / Path(name).name
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        part = path.with_name(f".{path.name}.{os.getpid()}.part")
        part.write_bytes(make())
        part.replace(path)
    return path


def _image_file(app: App, card: StudyCard) -> ShownImage | None:
    from flashcards.study.pictures import card_picture, media_file

    picture = card_picture(app, card.note_id, with_facts=False)
    if picture is None:
        return None
    media = media_file(app, picture.image)
    if media is None:
        return None
    diagram = picture.diagram
    if diagram is None:
        return ShownImage(_cached(picture.image, lambda: media.data), False)
    from flashcards.authoring.marks import mark_diagram
    from flashcards.authoring.occlusions import image_info_of

    info = image_info_of(media.data)
    if info is None:
        return ShownImage(_cached(picture.image, lambda: media.data), True)
    stored = {
        "width": diagram.width,
        "height": diagram.height,
        "mode": diagram.mode,
        "shapes": [dict(s) for s in diagram.shapes],
    }
    drawn = json.dumps([picture.image, stored, diagram.label], sort_keys=True)
    digest = hashlib.sha256(drawn.encode()).hexdigest()[:24]
    suffix = ".svg" if info.kind == "svg" else ".png"
    path = _cached(
        f"card-{digest}{suffix}",
        lambda: mark_diagram(media.data, info.kind, stored, diagram.label)[0],
    )
    return ShownImage(path, True)


def _inline_kind() -> type[Any] | None:
    """textual-image's renderable for this terminal's protocol, or None."""
    wanted = os.environ.get("FLASHCARDS_INLINE_IMAGES", "").strip().lower()
    if wanted in ("0", "no", "off"):
        return None
    if wanted not in ("sixel", "kitty") and not (sys.stdin.isatty() and sys.stdout.isatty()):
        return None
    try:
        from textual_image import renderable
    except Exception:  # no terminal to ask, or an answer it cannot read: say the file only
        return None
    if wanted == "sixel":
        return renderable.SixelImage
    if wanted == "kitty":
        return renderable.TGPImage
    chosen: type[Any] = renderable.Image
    return chosen if chosen in (renderable.SixelImage, renderable.TGPImage) else None


def _draw_inline(console: Console, image: ShownImage) -> None:
    kind = _inline_kind()
    if kind is None:
        return
    from PIL import Image

    data = image.path.read_bytes()
    if image.path.suffix == ".svg":
        import resvg_py

        data = resvg_py.svg_to_bytes(svg_string=data.decode("utf-8"), background="#ffffff")
    with Image.open(io.BytesIO(data)) as opened:
        picture = opened.convert("RGB")
    console.print(kind(picture, width=min(INLINE_CELLS, console.width - 2)))


def show_image(console: Console, app: App, card: StudyCard) -> ShownImage | None:
    """Say that the card has an image (drawn inline where the terminal can); None without."""
    if card.image is None:
        return None
    try:
        image = _image_file(app, card)
    except (OSError, ValueError) as exc:
        console.print(f"[yellow]Its image cannot be shown: {terminal_safe(str(exc))}[/yellow]")
        return None
    if image is None:
        console.print("[yellow]Its image is missing from the database.[/yellow]")
        return None
    what = "The diagram, the asked part masked in red" if image.diagram else "An image"
    console.print(f"[cyan]{what}:[/cyan] press o to open it ({terminal_safe(str(image.path))})")
    try:
        _draw_inline(console, image)
    except Exception as exc:  # a terminal or an image the drawing library cannot handle
        console.print(f"[dim](not drawn here: {terminal_safe(str(exc))[:120]})[/dim]")
    return image


def _no_viewer() -> str | None:
    """Why no image viewer can be opened here (None: one may be). On Linux and the BSDs
    a viewer needs ``xdg-open`` and a display; ``click.launch`` reports neither missing
    (it starts ``xdg-open`` and does not wait for it to fail)."""
    if sys.platform in ("darwin", "win32", "cygwin"):
        return None
    import shutil

    if shutil.which("xdg-open") is None:
        return "no xdg-open to start a viewer"
    if not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        return "no display: DISPLAY is not set"
    return None


def open_image(console: Console, image: ShownImage) -> None:
    """Open the image in the system's viewer and say so; where none can be opened, say
    why and give the file's path."""
    import click

    path = terminal_safe(str(image.path))
    reason = _no_viewer()
    if reason is not None:
        console.print(f"[yellow]No image viewer here ({reason}): the file is {path}[/yellow]")
        return
    if click.launch(str(image.path)):
        console.print(f"[yellow]No viewer opened it; the file is {path}[/yellow]")
    else:
        console.print("[dim]Opened in your image viewer.[/dim]")
