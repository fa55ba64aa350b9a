"""Anki packages both ways: export with genanki, import of Anki's files.

May import the core; never ``cli`` (nor click): ``study`` calls it, with the database.

Kept empty of imports on purpose: ``flashcards --help`` loads the CLI, and the CLI must
not pay for genanki (or the importers' dependencies) until a command needs them. Import
the submodules (``flashcards.anki.export`` …) directly.
"""
