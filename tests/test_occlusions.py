"""Labelled diagrams in deck files: shapes read in image pixels, one card per label keyed by
the label, every problem reported with its line, and imports that keep each card's history."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pytest
from conftest import Cli, deck_list, ok
from occlusion_decks import LABELS, SVG, write_diagram_deck, write_png

from flashcards.authoring.deckfile import load_deck
from flashcards.authoring.facts import notes_for_deck
from flashcards.authoring.occlusions import image_info


@pytest.mark.parametrize("image", ["hip.svg", "hip.png", "hip.jpg", "hip.webp"])
def test_a_diagram_makes_one_card_per_label_with_its_shapes(tmp_path: Path, image: str) -> None:
    deck, problems = load_deck(write_diagram_deck(tmp_path, image=image))
    assert problems == [] and deck is not None
    (occlusion,) = deck.occlusions
    assert occlusion.size == (600, 400)
    assert [s.kind for s in occlusion.shapes] == ["rect", "ellipse", "polygon"]
    assert occlusion.shapes[1].bounds() == (320, 170, 480, 230)
    notes = [n for n in notes_for_deck(deck) if n.kind == "occlusion"]
    assert [n.back for n in notes] == LABELS
    assert [n.key for n in notes] == [
        "hip-diagrams/hip-deep/piriformis",
        "hip-diagrams/hip-deep/obturator-internus",
        "hip-diagrams/hip-deep/quadratus-femoris",
    ]
    assert notes[0].front == "Deep hip, posterior view: which structure is marked?"
    assert notes[0].meta["occlusion"]["shapes"][0] == {
        "label": "Piriformis",
        "rect": [100, 80, 200, 60],
    }
    assert notes[0].meta["occlusion"]["mode"] == "hide-one"


def test_a_label_naming_a_structure_links_the_card_and_takes_its_other_names(
    tmp_path: Path,
) -> None:
    deck, _ = load_deck(write_diagram_deck(tmp_path))
    assert deck is not None
    piriformis, obturator, _ = [n for n in notes_for_deck(deck) if n.kind == "occlusion"]
    assert (piriformis.structure_key, piriformis.meta["aliases"]) == ("piriformis", ["Pyriformis"])
    assert obturator.structure_key is None and "aliases" not in obturator.meta


def test_shapes_sharing_a_label_are_one_card(tmp_path: Path) -> None:
    path = write_diagram_deck(tmp_path)
    text = path.read_text().replace(
        "      - {label: Obturator internus",
        "      - {label: Piriformis, rect: [0, 0, 10, 10]}\n      - {label: Obturator internus",
    )
    path.write_text(text)
    deck, problems = load_deck(path)
    assert problems == [] and deck is not None
    notes = [n for n in notes_for_deck(deck) if n.kind == "occlusion"]
    assert [n.back for n in notes] == LABELS
    assert deck.occlusions[0].shapes_of("Piriformis")[1].values == (0, 0, 10, 10)


def _lint(tmp_path: Path, body: str) -> list[str]:
    (tmp_path / "media").mkdir(exist_ok=True)
    (tmp_path / "media" / "hip.svg").write_text(SVG)
    (tmp_path / "media" / "notes.png").write_text("not a picture")
    path = tmp_path / "deck.yaml"
    path.write_text("deck: Anatomy::Test\nid: test\n" + textwrap.dedent(body))
    _, problems = load_deck(path)
    return [str(p).removeprefix(f"{path}:") for p in problems]


def test_lint_names_each_problem_of_a_diagram_with_its_line(tmp_path: Path) -> None:
    problems = _lint(
        tmp_path,
        """\
        occlusions:
          - id: hip
            image: media/hip.svg
            mode: hide-some
            shapes:
              - {label: Piriformis, rect: [500, 80, 200, 60]}
              - {label: Obturator, ellipse: [400, 200, 0, 30]}
              - {label: QF, polygon: [[100, 300], [300, 280]]}
              - {rect: [1, 2, 3, 4]}
              - {label: X, rect: [1, 2, three, 4]}
              - {label: piriformis, rect: [1, 2, 3, 4]}
              - {label: Y, ellipse: [20, 20, 30, 5]}
          - id: notes
            image: media/notes.png
            shapes: [{label: A, rect: [0, 0, 1, 1]}]
          - id: gone
            image: media/gone.png
            shapes: [{label: A, rect: [0, 0, 1, 1]}]
        """,
    )
    assert problems == [
        "6: mode 'hide-some' is not one of hide-one, hide-all",
        "8: shape 'Piriformis' (rect 500, 80, 200, 60) reaches 700,140, past the image's "
        "600×400 pixels",
        "9: shape 'Obturator': ellipse: rx and ry must be greater than 0",
        "10: shape 'QF': polygon needs at least 3 points, like [[10, 10], [60, 10], [35, 50]]",
        "11: shape has no 'label' (the name the card asks for)",
        "12: shape 'X': rect: 'three' is not a number",
        "13: label 'piriformis' and 'Piriformis' (line 8) would be one card: write them the "
        "same way to group the shapes, or name them apart",
        "14: shape 'Y' (ellipse 20, 20, 30, 5) starts at -10,15, before the image's top-left "
        "corner",
        "16: 'media/notes.png' is not an image this program reads (PNG, JPEG, SVG, WebP)",
        "19: image not found: 'media/gone.png' (relative to this file's folder)",
    ]


def test_a_diagram_without_an_id_is_keyed_by_its_image_and_lint_says_so(tmp_path: Path) -> None:
    problems = _lint(
        tmp_path,
        """\
        occlusions:
          - image: media/hip.svg
            shapes: [{label: A, rect: [0, 0, 10, 10]}]
        """,
    )
    assert problems == [
        "4: warning: occlusion has no id: its identity comes from its image's file name, so "
        "renaming the image will lose its review history; add id: hip"
    ]


def test_an_svg_takes_its_size_from_width_and_height_or_its_view_box(tmp_path: Path) -> None:
    def size(attributes: str) -> tuple[float, float] | None:
        path = tmp_path / "i.svg"
        path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" {attributes}></svg>')
        info = image_info(path)
        return None if info is None else (info.width, info.height)

    assert size('width="300" height="200"') == (300, 200)
    assert size('width="300px" height="200px" viewBox="0 0 30 20"') == (300, 200)
    assert size('viewBox="0 0 640 480"') == (640, 480)
    assert size('width="320" viewBox="0 0 640 480"') == (320, 240)
    assert size('width="10cm" height="5cm"') is None
    assert image_info(write_png(tmp_path / "p.png", (50, 40))) is not None


def test_moving_a_shape_keeps_every_card_and_its_history(run_sqlite: Cli, tmp_path: Path) -> None:
    path = write_diagram_deck(tmp_path)
    first = json.loads(ok(run_sqlite("import", str(path), "--json")))
    assert first["added"] == 4  # the structure's fact and the three labels
    ok(run_sqlite("review", input="\n5\n" * 4))
    path.write_text(path.read_text().replace("rect: [100, 80, 200, 60]", "rect: [90, 70, 210, 70]"))
    again = json.loads(ok(run_sqlite("import", str(path), "--json")))
    assert (again["added"], again["updated"], again["retired"]) == (0, 3, 0)
    status = ok(run_sqlite("status"))
    assert "0 due now" in status and "0 new today" in status


def test_a_file_with_a_broken_diagram_changes_nothing(run_sqlite: Cli, tmp_path: Path) -> None:
    path = write_diagram_deck(tmp_path)
    path.write_text(
        path.read_text().replace("rect: [100, 80, 200, 60]", "rect: [100, 80, 900, 60]")
    )
    result = run_sqlite("import", str(path))
    assert result.exit_code == 1
    assert f"{path}:14: shape 'Piriformis'" in result.stderr
    assert "1 error(s) in deck files; nothing was changed" in result.stderr
    assert deck_list(run_sqlite) == []
