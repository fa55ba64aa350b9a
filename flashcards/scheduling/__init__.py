"""Scheduling around SM-2: today's queue, re-drills, new-card limits, siblings, leeches.

Pure: may import ``flashcards.sm2``; never sqlalchemy, click or ``study``/``cli``.
"""
