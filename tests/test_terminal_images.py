"""A card's image in the terminal: the review says it has one, `o` opens it in the system's
viewer, an occlusion card's image has its question masked (made once, then taken from the
cache), and where the terminal speaks Sixel or kitty's protocol it is drawn inline."""

from __future__ import annotations

import io
import os
import re
import time
from pathlib import Path

import pytest
from conftest import Cli, ok
from occlusion_decks import write_diagram_deck

from flashcards.authoring.marks import ASKED_FILL, OTHER_FILL


@pytest.fixture
def viewer(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A stand-in for the desktop's opener (xdg-open) that notes what it was asked to open;
    the image cache in a folder of the test's own."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    opened = tmp_path / "opened.txt"
    script = bin_dir / "xdg-open"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$1" >> "{opened}"\n')
    script.chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("FLASHCARDS_INLINE_IMAGES", "0")
    return opened


def _wait_for(path: Path) -> str:
    for _ in range(100):
        if path.exists() and path.read_text():
            return path.read_text()
        time.sleep(0.05)
    raise AssertionError(f"{path} was never written")


def _first_diagram_card(run: Cli, extra: str = "") -> str:
    """A session that answers the structure's fact, then shows the first diagram card."""
    return ok(run("review", input="\n5\n" + extra + "q\n"))


def test_an_occlusion_card_says_it_has_a_picture_and_o_opens_it_masked(
    run_sqlite: Cli, tmp_path: Path, viewer: Path
) -> None:
    ok(run_sqlite("import", str(write_diagram_deck(tmp_path / "deck"))))
    out = _first_diagram_card(run_sqlite, "o\n")
    assert "The diagram, the asked part masked in red: press o to open it" in out
    assert "o: open the image" in out and "Opened in your image viewer." in out
    shown = Path(_wait_for(viewer).strip())
    assert shown.parent == tmp_path / "cache" / "flashcards" / "images"
    svg = shown.read_text()
    masks = re.findall(r'<(rect|ellipse|polygon) [^>]*fill="(#[0-9a-f]+)"[^>]*flashcards-mask', svg)
    # hide-one: the asked shape alone is masked, drawn over the diagram's own shapes
    assert [fill for _, fill in masks] == [ASKED_FILL]
    assert svg.index("flashcards-masks") > svg.index('fill="#aa6644"')


@pytest.mark.parametrize("missing", ["display", "xdg-open"])
def test_without_a_viewer_o_says_so_and_gives_the_file_path(
    run_sqlite: Cli, tmp_path: Path, viewer: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    ok(run_sqlite("import", str(write_diagram_deck(tmp_path / "deck"))))
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    if missing == "display":
        monkeypatch.delenv("DISPLAY")
        reason = "no display: DISPLAY is not set"
    else:  # a PATH with python alone on it: no xdg-open, the stand-in's folder left out
        monkeypatch.setenv("PATH", str(Path(os.__file__).parents[2] / "bin"))
        reason = "no xdg-open to start a viewer"
    out = _first_diagram_card(run_sqlite, "o\n").replace("\n", "")
    assert "Opened in your image viewer" not in out
    shown = re.search(r"press o to open it \((/[^)]+)\)", out).group(1)  # type: ignore[union-attr]
    assert f"No image viewer here ({reason}): the file is {shown}" in out
    assert Path(shown).is_file()
    assert not viewer.exists()  # nothing was started


def test_the_masked_image_is_made_once_per_card(
    run_sqlite: Cli, tmp_path: Path, viewer: Path
) -> None:
    ok(run_sqlite("import", str(write_diagram_deck(tmp_path / "deck", image="hip.png"))))
    first = _first_diagram_card(run_sqlite)
    path = Path(re.search(r"\((/[^)]+\.png)\)", first.replace("\n", "")).group(1))  # type: ignore[union-attr]
    made = path.stat().st_mtime_ns
    time.sleep(0.02)
    again = ok(run_sqlite("review", input="q\n"))
    assert str(path) in again.replace("\n", "")
    assert path.stat().st_mtime_ns == made
    from PIL import Image

    with Image.open(path) as image:
        colours = {image.getpixel(p) for p in ((200, 110), (400, 200), (200, 330))}
    asked = tuple(int(ASKED_FILL[i : i + 2], 16) for i in (1, 3, 5))
    assert asked in colours  # one of the three shapes is masked, the others not
    assert tuple(int(OTHER_FILL[i : i + 2], 16) for i in (1, 3, 5)) not in colours


def test_hide_all_masks_the_other_shapes_too(run_sqlite: Cli, tmp_path: Path, viewer: Path) -> None:
    ok(run_sqlite("import", str(write_diagram_deck(tmp_path / "deck", mode="hide-all"))))
    _first_diagram_card(run_sqlite, "o\n")
    svg = Path(_wait_for(viewer).strip()).read_text()
    fills = re.findall(r'fill="(#[0-9a-f]+)"[^>]*flashcards-mask', svg)
    assert sorted(fills) == sorted([ASKED_FILL, OTHER_FILL, OTHER_FILL])
    assert fills[-1] == ASKED_FILL  # on top


def test_a_card_without_an_image_says_nothing_of_one(run_sqlite: Cli, tmp_path: Path) -> None:
    deck = tmp_path / "d.yaml"
    deck.write_text("deck: A\nid: a\ncards:\n  - id: c\n    q: Q?\n    a: A\n")
    ok(run_sqlite("import", str(deck)))
    out = ok(run_sqlite("review", input="o\n\n5\n"))
    assert "open the image" not in out and "Next review in" in out


@pytest.mark.parametrize(
    ("image", "protocol"), [("hip.svg", "sixel"), ("hip.png", "sixel"), ("hip.svg", "kitty")]
)
def test_where_the_terminal_speaks_an_image_protocol_the_picture_is_drawn_inline(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capfd: pytest.CaptureFixture[str],
    image: str,
    protocol: str,
) -> None:
    from rich.console import Console

    from flashcards.cli.images import ShownImage, _draw_inline

    write_diagram_deck(tmp_path, image=image)
    monkeypatch.setenv("FLASHCARDS_INLINE_IMAGES", protocol)
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=80)
    _draw_inline(console, ShownImage(tmp_path / "media" / image, True))
    if protocol == "sixel":  # Sixel's picture goes inline, as one DCS sequence
        assert "\x1bP" in out.getvalue() and len(out.getvalue()) > 500
    else:  # kitty's picture goes to the terminal itself; the console gets its placeholder
        assert "\x1b_G" in capfd.readouterr().out
        assert "\x1b[" in out.getvalue()
