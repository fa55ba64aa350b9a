"""One grader behind `review --typed`, `quiz --mode typed` and the mix-up record.

Notes are stored with the meta keys of DESIGN §3 (``accept``, ``ask``/``items``,
``aliases``) through the real deck sync, then answered through the study use-cases.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
from conftest import TODAY
from sqlalchemy import select

from flashcards.authoring.facts import NoteSpec
from flashcards.study.context import App
from flashcards.study.quizzing import QuizSession
from flashcards.study.reviewing import ReviewSession
from flashcards_db.models import Confusion
from flashcards_db.queries.sync import sync_deck


@dataclasses.dataclass(frozen=True)
class Deck:
    key: str = "gluteal"
    name: str = "Anatomy::Lower limb::Gluteal region"
    description: str | None = None
    source: str | None = None
    tags: Sequence[str] = ()
    html: bool = False
    source_path: str | None = None


def fact(structure: str, field: str, back: str, **meta: Any) -> NoteSpec:
    slug = structure.lower().replace(" ", "-")
    return NoteSpec(
        key=f"gluteal/{slug}/{field}",
        kind="fact",
        front=f"{field} of {structure}?",
        back=back,
        structure_key=slug,
        structure_name=structure,
        field=field,
        meta={"kind": "muscle", "region": "gluteal", **meta},
    )


@pytest.fixture
def app(tmp_path: Path) -> Iterator[App]:
    application = App(db=str(tmp_path / "study.db"), user_name="ana", today_override=TODAY)
    yield application
    application.close()


def store(app: App, *notes: NoteSpec) -> None:
    with app.session() as session:
        sync_deck(session, Deck(), list(notes))


def suggest_first(app: App, typed: str) -> Any:
    return ReviewSession(app).suggest(typed)


def test_an_accepted_answer_is_right_in_review(app: App) -> None:
    store(
        app, fact("Deltoid", "innervation", "Axillary nerve (C5–C6)", accept=["Circumflex nerve"])
    )
    suggestion = suggest_first(app, "circumflex nerve")
    assert suggestion.quality == 5
    assert "accepted" in suggestion.reason
    assert suggest_first(app, "radial nerve").quality <= 2


def test_without_accept_the_alternative_is_not_the_answer(app: App) -> None:
    store(app, fact("Deltoid", "innervation", "Axillary nerve (C5–C6)"))
    assert suggest_first(app, "circumflex nerve").quality <= 2


def test_ask_any_takes_any_one_item(app: App) -> None:
    items = ["Gluteus minimus", "Tensor fasciae latae"]
    store(app, fact("Gluteus medius", "synergist", "\n".join(items), ask="any", items=items))
    assert suggest_first(app, "TFL").quality == 5
    assert suggest_first(app, "gluteus minimus").quality == 5
    assert suggest_first(app, "TFL, gracilis").quality == 4  # a wrong one added costs a grade
    assert suggest_first(app, "gracilis").quality <= 2


def test_asked_whole_a_list_is_graded_by_share(app: App) -> None:
    items = ["Gluteus minimus", "Tensor fasciae latae"]
    store(app, fact("Gluteus medius", "synergist", "\n".join(items), ask="all", items=items))
    suggestion = suggest_first(app, "TFL")
    assert suggestion.quality == 3
    assert suggestion.reason == "1 of 2 items"


def test_a_structures_aliases_are_right_where_its_name_is_the_answer(app: App) -> None:
    reverse = NoteSpec(
        key="hip/psoas-major/insertion/reverse",
        kind="reverse",
        front="Which muscle inserts on the lesser trochanter with iliacus?",
        back="Psoas major",
        structure_key="psoas-major",
        structure_name="Psoas major",
        field="insertion",
        meta={"direction": "reverse", "items": ["Psoas major"], "aliases": ["psoas magnus"]},
    )
    store(app, reverse)
    assert suggest_first(app, "psoas minor").quality <= 2
    suggestion = suggest_first(app, "psoas magnus")
    assert suggestion.quality == 5
    assert "another name" in suggestion.reason


def test_aliases_are_not_answers_to_a_fact_about_the_structure(app: App) -> None:
    store(app, fact("Psoas major", "insertion", "Lesser trochanter", aliases=["psoas magnus"]))
    assert suggest_first(app, "psoas magnus").quality <= 1


def test_a_long_answer_that_is_another_cards_is_a_mix_up_recorded(app: App) -> None:
    medius = "Outer surface of the ilium between the anterior and posterior gluteal lines"
    minimus = "Outer surface of the ilium between the anterior and inferior gluteal lines"
    store(app, fact("Gluteus medius", "origin", medius), fact("Gluteus minimus", "origin", minimus))
    session = ReviewSession(app)
    suggestion = session.suggest(minimus.lower())
    assert suggestion.quality <= 2
    assert suggestion.reason == "wrong side: inferior for posterior"
    assert suggestion.confused_with is not None
    assert suggestion.confused_with.structure_name == "Gluteus minimus"
    session.grade(suggestion.quality, typed_answer=minimus, confused_with=suggestion.confused_with)
    with app.session() as db:
        assert len(db.scalars(select(Confusion)).all()) == 1


def test_quiz_typed_answers_use_the_same_judgement(app: App) -> None:
    medius = "Outer surface of the ilium between the anterior and posterior gluteal lines"
    minimus = "Outer surface of the ilium between the anterior and inferior gluteal lines"
    store(
        app,
        fact("Gluteus medius", "origin", medius, accept=["Gluteal surface of the ilium"]),
        fact("Gluteus minimus", "origin", minimus),
    )
    quiz = QuizSession(app, None, mode="typed", count=2, seed=1)
    by_structure = {q.card.structure_name: q for q in quiz.questions}
    wrong = quiz.answer(by_structure["Gluteus medius"], given=minimus.lower())
    assert wrong.quality <= 2 and not wrong.correct  # no more "Right (grade 3)"
    assert wrong.reason == "wrong side: inferior for posterior"
    assert wrong.confused_with is not None
    right = quiz.answer(by_structure["Gluteus medius"], given="gluteal surface of the ilium")
    assert right.quality == 5 and right.correct
    assert quiz.as_json()["items"][0]["reason"] == "wrong side: inferior for posterior"
