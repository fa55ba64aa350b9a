"""Today's review in the browser: the CLI's ``ReviewSession``, a page per step.

A session lives in this process under a random id; each step is a form that changes it
(POST, then a redirect to the page that shows where it stands), so the browser's back
button and a reload never grade twice. A grade names the card it grades: a stale page
(another tab went on) grades nothing.
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from flask import Flask, abort, redirect, render_template, request, url_for
from werkzeug.wrappers import Response

from flashcards.web.context import study_app

if TYPE_CHECKING:
    from flashcards.study.reviewing import ReviewSession, Suggestion
    from flashcards_db.queries.study import StudyCard

__all__ = ["register"]

_KEPT = 20  # sessions kept in memory; the oldest goes first
# The SM-2 scale on a button (flashcards.sm2.QUALITY_MEANINGS has it whole, as a tooltip).
SHORT_MEANINGS = (
    "blackout",
    "wrong, familiar once seen",
    "wrong, easy once seen",
    "right, hard",
    "right, hesitant",
    "perfect",
)


@dataclass
class _Study:
    session: ReviewSession
    typed: bool
    deck: str | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    shown: dict[int, float] = field(default_factory=dict)  # card -> when first shown
    answers: dict[int, tuple[str, Suggestion, int]] = field(default_factory=dict)
    last: str | None = None  # what the last step did, said on the next page


_studies: OrderedDict[str, _Study] = OrderedDict()
_studies_lock = threading.Lock()


@contextmanager
def _study(sid: str) -> Iterator[_Study]:
    with _studies_lock:
        study = _studies.get(sid)
    if study is None:
        abort(404, "This review is over (or the server restarted): start it again.")
    with study.lock:
        yield study


def sides(card: StudyCard) -> tuple[str, str]:
    """The card's question and answer as text (imported HTML shown as its words)."""
    from flashcards.anki.html import terminal_text

    if card.kind == "cloze":
        from flashcards.authoring.facts import render_cloze

        question, answer = render_cloze(card.front, card.ordinal)
        return terminal_text(question, card.html), terminal_text(answer, card.html)
    return terminal_text(card.front, card.html), terminal_text(card.back, card.html)


def start() -> Response:
    from flashcards.study.reviewing import ReviewSession

    deck = request.form.get("deck") or None
    typed = request.form.get("typed") == "1"
    session = ReviewSession(study_app(), (deck,) if deck else ())
    sid = secrets.token_urlsafe(9)
    with _studies_lock:
        _studies[sid] = _Study(session, typed, deck)
        while len(_studies) > _KEPT:
            _studies.popitem(last=False)
    return redirect(url_for("review", sid=sid), 303)


def _diff(expected: str, typed: str) -> list[Any]:
    from flashcards.grading.word_diff import word_diff

    return list(word_diff(expected, typed))


def review(sid: str) -> str:
    from flashcards.sm2 import QUALITY_MEANINGS
    from flashcards.study.pictures import card_picture

    with _study(sid) as study:
        session = study.session
        entry = session.queue.current
        if entry is None:
            return _summary(sid, study)
        card = entry.card
        study.shown.setdefault(card.card_id, time.monotonic())
        answer_side = request.args.get("side") == "answer"
        typed = study.answers.get(card.card_id) if study.typed else None
        if study.typed and typed is None:
            answer_side = False  # the typed answer comes first
        question, answer = sides(card)
        new, reviews, redrills = session.queue.left()
        done = session.tally.first_grades + session.tally.redrills
        last, study.last = study.last, None
        picture = card_picture(session.app, card.note_id, with_facts=answer_side)
        return render_template(
            "review.html",
            sid=sid,
            card=card,
            kind="re-drill" if entry.redrill else ("new" if entry.new else "review"),
            question=question,
            answer=answer,
            extra=card.extra,
            picture=picture,
            answer_side=answer_side,
            typed_mode=study.typed,
            typed=typed,
            diff=_diff(typed[1].expected, typed[0]) if typed and typed[0] else [],
            meanings=QUALITY_MEANINGS,
            short=SHORT_MEANINGS,
            left=len(session.queue),
            more="" if session.queue.counted else "+",
            counts={"new": new, "review": reviews, "re-drill": redrills},
            done=done,
            last=last,
        )


def _summary(sid: str, study: _Study) -> str:
    session = study.session
    tally = session.tally
    return render_template(
        "summary.html",
        sid=sid,
        tally=tally,
        left=len(session.queue),
        tomorrow=session.tomorrow(),
        streak=session.streak(),
        accuracy=round(100 * tally.passed / tally.first_grades) if tally.first_grades else None,
        deck=study.deck,
    )


def end(sid: str) -> str:
    with _study(sid) as study:
        return _summary(sid, study)


def _current(study: _Study) -> StudyCard | None:
    """The card on screen, if the form was about it (else the page was stale)."""
    entry = study.session.queue.current
    if entry is None or request.form.get("card") != str(entry.card.card_id):
        study.last = "That page was out of date: here is the card now asked."
        return None
    return entry.card


def answer(sid: str) -> Response:
    with _study(sid) as study:
        card = _current(study)
        if card is not None:
            typed = request.form.get("typed", "").strip()
            started = study.shown.get(card.card_id, time.monotonic())
            duration = int((time.monotonic() - started) * 1000)
            study.answers[card.card_id] = (typed, study.session.suggest(typed), duration)
    return redirect(url_for("review", sid=sid, side="answer"), 303)


def grade(sid: str) -> Response:
    with _study(sid) as study:
        card = _current(study)
        quality = request.form.get("quality", "")
        if card is not None and quality in ("0", "1", "2", "3", "4", "5"):
            typed = study.answers.pop(card.card_id, None)
            started = study.shown.pop(card.card_id, time.monotonic())
            if typed is not None:
                text, suggestion, duration = typed
                outcome = study.session.grade(
                    int(quality),
                    typed_answer=text,
                    duration_ms=duration,
                    confused_with=suggestion.confused_with,
                )
            else:
                duration = int((time.monotonic() - started) * 1000)
                outcome = study.session.grade(int(quality), duration_ms=duration)
            study.last = _after_grade(outcome)
    return redirect(url_for("review", sid=sid), 303)


def _after_grade(outcome: Any) -> str:
    if outcome.leech:
        return (
            f"Leech: forgotten {outcome.lapses} times, now suspended. Rewrite it, or learn it "
            "a new way."
        )
    if not outcome.scheduled:
        return "Re-drill: " + ("again later today." if outcome.quality < 4 else "done for today.")
    days = "1 day" if outcome.interval == 1 else f"{outcome.interval} days"
    again = " · once more later today" if outcome.quality < 4 else ""
    return f"Graded {outcome.quality}: next review in {days}{again}."


def undo(sid: str) -> Response:
    with _study(sid) as study:
        undone = study.session.undo()
        study.answers.clear()
        study.last = (
            "Took back the last grade: that card comes again."
            if undone is not None
            else "Nothing to undo in this session."
        )
    return redirect(url_for("review", sid=sid), 303)


def suspend(sid: str) -> Response:
    with _study(sid) as study:
        if _current(study) is not None:
            study.session.suspend()
            study.last = "Suspended: this card will not be asked again."
    return redirect(url_for("review", sid=sid), 303)


def register(web: Flask) -> None:
    web.add_url_rule("/review", "start_review", start, methods=["POST"])
    web.add_url_rule("/review/<sid>", "review", review)
    web.add_url_rule("/review/<sid>/end", "end_review", end)
    web.add_url_rule("/review/<sid>/answer", "answer", answer, methods=["POST"])
    web.add_url_rule("/review/<sid>/grade", "grade", grade, methods=["POST"])
    web.add_url_rule("/review/<sid>/undo", "undo", undo, methods=["POST"])
    web.add_url_rule("/review/<sid>/suspend", "suspend", suspend, methods=["POST"])
