"""Use-cases: each takes the app context, opens a database session and calls the core.

May import the core, ``anki`` and ``flashcards_db``; never ``cli`` (nor click or rich):
the command line and the review page both stand on these.
"""
