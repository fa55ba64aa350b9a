"""Finding cards: Anki's search syntax, the part a student knows, as a tree (pure).

The study layer (``flashcards.study.searching``) turns the tree into a database query.
"""

from flashcards.search.syntax import (
    IS_VALUES,
    PROP_NAMES,
    AllOf,
    AnyOf,
    Node,
    Not,
    Prop,
    Rated,
    SearchError,
    Term,
    parse_search,
)

__all__ = [
    "IS_VALUES",
    "PROP_NAMES",
    "AllOf",
    "AnyOf",
    "Node",
    "Not",
    "Prop",
    "Rated",
    "SearchError",
    "Term",
    "parse_search",
]
