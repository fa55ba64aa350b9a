"""Grading: a typed answer turned into an SM-2 quality, judged by its key terms.

Pure: imports nothing of sqlalchemy, click or ``study``/``cli``. ``grade(expected, given)``
is the package's API; ``judge`` gives the grade with its reason and, through an
``AnswerKey``, takes a card's accepted answers, any-one lists and other names. Inside:
``lexicon.toml`` and ``terms.txt`` hold the anatomy (read by ``vocabulary``); ``folding``
and ``normalise`` fold an answer into canonical terms; ``parts`` splits it into parts;
``keyterms`` knows each term's kind and when two are a typo apart; ``matching`` compares
a part with a part; ``grader`` grades the whole; ``word_diff`` shows what differs.
"""

from flashcards.grading.grader import (
    PASSING,
    AnswerKey,
    Judgement,
    equivalent,
    grade,
    judge,
    overlaps,
)

__all__ = ["PASSING", "AnswerKey", "Judgement", "equivalent", "grade", "judge", "overlaps"]
