"""Grading: a typed answer turned into an SM-2 quality, judged by its key terms.

Pure: imports nothing of sqlalchemy, click or ``study``/``cli``. ``grade(expected, given)``
is the package's API, ``judge`` the same with the reason and the instructor's accepted
answers; ``lexicon.toml`` holds the anatomy they know (read by ``vocabulary``),
``normalise`` folds answers, ``parts`` splits them, ``matching`` compares a part with a
part and ``word_diff`` shows the student what differs.
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
