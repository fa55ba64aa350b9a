"""A plain-text deck's cards are shown exactly as written, angle brackets and all; only an
HTML deck (an Anki package, `html: true`) has its markup read as the words it shows."""

from __future__ import annotations

import json
from pathlib import Path

from conftest import Cli, ok, write

PLAIN = """\
deck: Ratios
cards:
  - id: r
    q: "Is the ratio a<b and c>d?"
    a: "Yes: <a> and <b>"
"""
HTML = """\
deck: Marked up
html: true
cards:
  - id: m
    q: "Which <b>bold</b> word?"
    a: "<i>This</i> one"
"""


def test_plain_cards_keep_their_angle_brackets_and_html_cards_show_their_words(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    plain = write(tmp_path / "ratios.yaml", PLAIN)
    html = write(tmp_path / "marked.yaml", HTML)
    ok(run_sqlite("import", str(plain), str(html)))
    for target in (str(plain), "Ratios"):
        shown = ok(run_sqlite("cards", target))
        assert "Is the ratio a<b and c>d?" in shown and "Yes: <a> and <b>" in shown
    assert "Which bold word?" in ok(run_sqlite("cards", "Marked up"))
    session = ok(run_sqlite("review", "Ratios", input="\n5\n"))
    assert "Is the ratio a<b and c>d?" in session and "Yes: <a> and <b>" in session
    session = ok(run_sqlite("review", "Marked up", input="\n5\n"))
    assert "Which bold word?" in session and "This one" in session
    quiz = json.loads(
        ok(run_sqlite("quiz", "Ratios", "--mode", "flip", "--count", "1", "--json", input="\n5\n"))
    )
    assert quiz["items"][0]["question"] == "Is the ratio a<b and c>d?"
    assert quiz["items"][0]["answer"] == "Yes: <a> and <b>"
