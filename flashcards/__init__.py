"""Spaced-repetition flashcards and quizzes for anatomy."""

__version__ = "0.1.0"
