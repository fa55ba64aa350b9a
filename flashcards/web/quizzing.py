"""A multiple-choice quiz in the browser: the CLI's ``QuizSession``, a question a page.

As ``flashcards quiz``, it never touches the schedule; every answer is logged for stats.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from flask import Flask, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from flashcards.web.context import study_app

if TYPE_CHECKING:
    from flashcards.study.quizzing import QuizAnswer, QuizSession

__all__ = ["register"]

_KEPT = 20


@dataclass
class _Quiz:
    session: QuizSession
    deck: str | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    last: QuizAnswer | None = None


_quizzes: OrderedDict[str, _Quiz] = OrderedDict()
_quizzes_lock = threading.Lock()


def _get(qid: str) -> _Quiz:
    with _quizzes_lock:
        quiz = _quizzes.get(qid)
    if quiz is None:
        abort(404, "This quiz is over (or the server restarted): start another.")
    return quiz


def choose() -> str:
    from flashcards.study.decks import deck_tree

    rows = deck_tree(study_app())
    return render_template("quiz_start.html", rows=rows, deck=request.args.get("deck", ""))


def start() -> Response:
    from flashcards.errors import FlashcardsError
    from flashcards.study.quizzing import QuizSession

    deck = request.form.get("deck") or None
    try:
        count = int(request.form.get("count") or 10)
    except ValueError as exc:
        raise FlashcardsError("the number of questions must be a whole number") from exc
    session = QuizSession(study_app(), deck, mode="mc", count=count, with_diagrams=True)
    qid = secrets.token_urlsafe(9)
    with _quizzes_lock:
        _quizzes[qid] = _Quiz(session, deck)
        while len(_quizzes) > _KEPT:
            _quizzes.popitem(last=False)
    return redirect(url_for("quiz", qid=qid), 303)


def quiz(qid: str) -> str:
    from flashcards.study.pictures import card_picture_by_card

    state = _get(qid)
    with state.lock:
        session = state.session
        asked = len(session.answers)
        questions = session.questions
        if asked >= len(questions):
            return render_template(
                "quiz_done.html",
                score=session.score(),
                answers=session.answers,
                warnings=session.quiz.warnings,
                deck=state.deck,
                has_decks=session.has_decks,
            )
        question = questions[asked]
        last, state.last = state.last, None
        return render_template(
            "quiz.html",
            qid=qid,
            number=asked + 1,
            total=len(questions),
            question=question,
            picture=card_picture_by_card(session.app, question.card.card_id, with_facts=False),
            last=last,
        )


def answer(qid: str) -> Response:
    state = _get(qid)
    with state.lock:
        session = state.session
        asked = len(session.answers)
        if asked < len(session.questions) and request.form.get("number") == str(asked + 1):
            question = session.questions[asked]
            try:
                option = int(request.form.get("option", ""))
            except ValueError:
                option = -1
            if 0 <= option < len(question.options):
                state.last = session.answer(question, option=option)
    return redirect(url_for("quiz", qid=qid), 303)


def register(web: Flask) -> None:
    web.add_url_rule("/quiz", "choose_quiz", choose)
    web.add_url_rule("/quiz", "start_quiz", start, methods=["POST"])
    web.add_url_rule("/quiz/<qid>", "quiz", quiz)
    web.add_url_rule("/quiz/<qid>/answer", "quiz_answer", answer, methods=["POST"])
