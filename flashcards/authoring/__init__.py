"""Authoring: deck files and their checks, facts turned into cards, phrasing, reverse cards.

Pure: imports PyYAML and the standard library, never sqlalchemy, click or ``study``/``cli``.
Import the modules directly: ``deckfile`` reads a file, ``decks`` loads a set of them with
reverse-card planning, ``facts`` and ``reverse`` make the notes.
"""
