"""``extract``: prose fact sheets (text, Markdown, HTML) into a deck file or JSON."""

from __future__ import annotations

from pathlib import Path

import click

from flashcards.cli.render import print_json, terminal_safe
from flashcards.errors import FlashcardsError, check_output_folder, not_overwritten

__all__ = ["extract"]


@click.command()
@click.argument("files", nargs=-1, required=True, metavar="FILE|URL...")
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Write the deck file here (default: print it).",
)
@click.option("--json", "as_json", is_flag=True, help="Print the structures found as JSON.")
@click.option(
    "--deck", "deck_name", metavar="NAME", help="Deck name (default: Extracted::<title>)."
)
@click.option("--id", "deck_id", metavar="ID", help="Deck id (default: from the file name).")
@click.option("--force", is_flag=True, help="Overwrite the -o file if it exists.")
def extract(
    files: tuple[str, ...],
    output: Path | None,
    as_json: bool,
    deck_name: str | None,
    deck_id: str | None,
    force: bool,
) -> None:
    """Turn pages (files or http(s) addresses) into structure records: a deck file to check.

    Reads labelled facts ("Origin:", "Nerve supply -", "I:" …), tables, and sentences
    ("arises from …", "is innervated by …"); leaves out exercise steps, bylines,
    navigation and advertising. After the warnings (what was guessed), one line per
    structure says what was found, from which lines, and what is missing.
    """
    from flashcards.authoring.deckfile import load_deck
    from flashcards.extract.deck import deck_yaml, default_deck_name, source_stem
    from flashcards.extract.structures import extract_files

    if output is not None:
        check_output_folder(output)  # before the pages are read: a typo costs nothing
        if output.exists() and not force:
            raise not_overwritten(output, force="--force")
    extraction = extract_files(list(files))
    if as_json:
        print_json(extraction.as_json())
    else:
        for warning in extraction.warnings:
            click.echo(f"warning: {terminal_safe(warning)}", err=True)
        for line in extraction.report():
            click.echo(terminal_safe(line), err=True)
    if as_json and output is None:
        return
    if not extraction.structures:
        raise FlashcardsError("found no structures to write (see the warnings above)")
    name = deck_name or default_deck_name(list(files))
    key = deck_id or (output.stem if output is not None else source_stem(files[0]))
    text = deck_yaml(extraction, list(files), name, key)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise FlashcardsError(f"cannot write {output}: {exc.strerror or exc}") from exc
    _deck, problems = load_deck(output)
    for problem in problems:  # never expected: the writer makes files lint accepts
        click.echo(f"warning: {terminal_safe(str(problem))}", err=True)
    count = len(extraction.structures)
    click.echo(
        f"Wrote {count} structure(s) to {output}; check them, then: flashcards lint {output}",
        err=True,
    )
