"""Grading: a typed answer turned into an SM-2 quality, with the anatomy lexicon and a word diff.

Pure: imports nothing of sqlalchemy, click or ``study``/``cli``. ``grade(expected, given)``
is the package's API; ``normalise``, ``vocabulary`` and ``word_diff`` serve it.
"""

from flashcards.grading.grader import PASSING, Verdict, equivalent, grade, overlaps

__all__ = ["PASSING", "Verdict", "equivalent", "grade", "overlaps"]
