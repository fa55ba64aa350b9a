"""Authoring: deck files and their checks, facts turned into cards, phrasing, reverse cards.

Pure: imports PyYAML and the standard library, never sqlalchemy, click or ``study``/``cli``.
Import the modules directly: ``model`` holds the dataclasses, ``deckfile`` reads a file
(``factfields`` the forms a fact may take), ``rules`` checks the rules of formulating
knowledge, ``decks`` loads a set of files with the checks across them, ``facts``,
``questions`` and ``reverse`` make the notes.
"""
