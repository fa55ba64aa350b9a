"""Persistence for flashcards: typed SQLAlchemy models, the engine, queries, migrations.

Imports nothing from ``flashcards``: the application depends on this package, never the
other way round.
"""
