"""``search``, ``suspend``, ``unsuspend``, ``forget``: find the current user's cards with
Anki's search syntax (``flashcards.search``), and act on every card a search lists.

An action changes the cards in one transaction and logs each change (kinds ``suspend``,
``unsuspend``, ``forget``) at one moment, so ``flashcards undo`` takes the command back
whole. Forgetting puts a card back to new: its SM-2 numbers start again, its log stays.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import and_, not_, or_
from sqlalchemy.orm import Session

from flashcards.search import AllOf, AnyOf, Node, Not, Prop, Rated, Term, parse_search
from flashcards.study.context import App
from flashcards_db.queries import search as q
from flashcards_db.queries.reviews import log_card_action
from flashcards_db.types import utcnow

__all__ = ["ActionReport", "SearchResult", "act_on_search", "search_cards"]


@dataclass(frozen=True)
class SearchResult:
    query: str
    today: dt.date
    cards: list[q.FoundCard]


@dataclass(frozen=True)
class ActionReport:
    kind: str  # suspend | unsuspend | forget
    matched: int  # cards the search lists
    changed: int  # of those, the ones this command changed (the others were so already)


def _condition(node: Node, session: Session, user_id: int, today: dt.date) -> q.Condition:
    if isinstance(node, AllOf):
        return and_(*(_condition(p, session, user_id, today) for p in node.parts))
    if isinstance(node, AnyOf):
        return or_(*(_condition(p, session, user_id, today) for p in node.parts))
    if isinstance(node, Not):
        return not_(_condition(node.part, session, user_id, today))
    if isinstance(node, Prop):
        return q.prop_condition(node.name, node.op, node.number, today)
    if isinstance(node, Rated):
        return q.rated_condition(user_id, node.days, node.grade, today)
    assert isinstance(node, Term)
    if node.key == "deck":
        return q.deck_condition(node.value)
    if node.key == "tag":
        return q.tag_condition(session, node.value)
    if node.key == "is":
        return q.is_condition(node.value, today)
    if node.key == "field":
        return q.field_condition(node.value)
    return q.text_condition(node.value)


def _found(session: Session, app: App, query: str) -> tuple[int, list[q.FoundCard]]:
    tree = parse_search(query)  # a mistake in the search is reported before any reading
    user_id = app.user_id(session)
    condition = _condition(tree, session, user_id, app.today)
    return user_id, q.found_cards(session, user_id, condition)


def search_cards(app: App, query: str) -> SearchResult:
    """The current user's active cards that match ``query``, deck by deck."""
    parse_search(query)
    with app.session() as session:
        _, cards = _found(session, app, query)
    return SearchResult(query, app.today, cards)


def act_on_search(app: App, query: str, kind: str) -> ActionReport:
    """Suspend, unsuspend or forget every card ``query`` lists, in one transaction."""
    parse_search(query)
    now = utcnow()
    with app.session() as session:
        user_id, cards = _found(session, app, query)
        changed = 0
        for card in cards:
            row = log_card_action(session, user_id, card.card_id, kind, day=app.today, now=now)
            changed += row is not None
    return ActionReport(kind, len(cards), changed)
