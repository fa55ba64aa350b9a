"""Query functions, one module per concern (study, reviews, decks, sync, stats, export …).

Each takes a session and never commits: the caller owns the transaction. Imports the
models and types of ``flashcards_db``, never anything of ``flashcards``.
"""
