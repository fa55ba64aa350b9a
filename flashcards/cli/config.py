"""``config``: show and change your settings, for every deck, one deck or a group."""

from __future__ import annotations

import click

from flashcards.cli.context import pass_app
from flashcards.cli.render import print_json, terminal_safe

__all__ = ["config"]


@click.command()
@click.argument("key", required=False)
@click.argument("value", required=False)
@click.option(
    "--deck",
    metavar="DECK",
    help="For this deck or group and every deck under it (named as `review` takes it; a "
    "deck's own value wins): new-per-day, reviews-per-day and leech-threshold.",
)
@click.option("--unset", is_flag=True, help="Remove your value of KEY: the next one applies.")
@click.option("--json", "as_json", is_flag=True, help="Print the settings as JSON.")
def config(
    key: str | None, value: str | None, deck: str | None, unset: bool, as_json: bool
) -> None:
    """Your settings: new cards per day, reviews per day, leech threshold, day start hour,
    time zone; each shown with where its value comes from.

    `flashcards config` lists them, `flashcards config KEY` shows one, `flashcards config
    KEY VALUE` sets it (for every deck, or with --deck for one deck or group and the decks
    under it),
    `flashcards config KEY --unset` removes your value.
    """
    from flashcards.errors import FlashcardsError
    from flashcards.scheduling.settings import SETTINGS, setting_named
    from flashcards.study.settings import change_setting, show_settings

    # Only setting a value may make the database's user (and the database): reading and
    # removing make neither, as other reading commands.
    app = pass_app(existing=value is None)
    if unset and value is not None:
        raise click.UsageError("give either a VALUE or --unset, not both")
    if key is not None and (value is not None or unset):
        spec, now, deck_name = change_setting(app, key, value, deck=deck)
        where = f" for {terminal_safe(deck_name)}" if deck_name else ""
        if unset:
            click.echo(
                f"{spec.name}: your value{where} removed; now {now.value} (from {now.source})"
            )
        else:
            click.echo(f"{spec.name} is now {terminal_safe(now.value)}{where}")
        return
    try:
        wanted = [setting_named(key).name] if key is not None else list(SETTINGS)
    except ValueError as exc:
        raise FlashcardsError(str(exc)) from None
    deck_name, resolved = show_settings(app, deck)
    shown = [r for r in resolved if r.name in wanted]
    if as_json:
        print_json(
            [
                {"name": r.name, "value": r.value, "source": r.source, "deck": deck_name}
                for r in shown
            ]
        )
        return
    if deck_name:
        click.echo(f"Settings for {terminal_safe(deck_name)}:")
    width = max(len(r.name) for r in shown)
    values = max(len(r.value) for r in shown)
    for r in shown:
        meaning = SETTINGS[r.name].meaning
        click.echo(
            f"{r.name:<{width}}  {terminal_safe(r.value):<{values}}  "
            f"from {terminal_safe(r.source):<24}  {meaning}"
        )
