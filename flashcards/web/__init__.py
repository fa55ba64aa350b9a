"""The review page (``flashcards serve``): routes and templates over ``flashcards.study``.

Flask renders every page on the server from the same use-cases the command line calls (a
review session, a quiz, the deck list, the stats page); the page's one script adds the
keys. Everything a page loads comes from this app. ``server`` runs it under waitress.

Nothing imports this package but ``flashcards.cli``.
"""

from flashcards.web.app import Guard, create_app

__all__ = ["Guard", "create_app"]
