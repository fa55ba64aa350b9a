"""Reading one fact field of a structure: a string, a list, or a mapping that says how
the fact is asked; and `clinical:` as question/answer pairs.

```yaml
innervation:
  answer: Axillary nerve (C5–C6)      # a string or a list: what the card asks
  accept: [Circumflex nerve]          # other answers graded as right
  note: Some texts add C4.            # shown after the answer, never graded
  ask: each                           # lists only: all | any | each
clinical:
  - id: psoas-sign                    # optional: from the question
    q: Which sign tests for irritation of psoas major?
    a: Psoas sign
```
"""

from __future__ import annotations

from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from flashcards.authoring.model import ASK_MODES, ClinicalCard, Fact
from flashcards.authoring.nodes import Fields, NodeReader, card_id, item_slug

__all__ = ["FACT_KEYS", "QA_KEYS", "read_clinical", "read_fact"]

FACT_KEYS = ("answer", "accept", "note", "ask")
QA_KEYS = ("id", "q", "a", "accept", "note")


def read_fact(r: NodeReader, f: Fields, key: str) -> Fact | None:
    """The fact under ``key`` (None when absent or broken: the problem is recorded)."""
    if key not in f:
        return None
    line, node = f.entries[key]
    if not isinstance(node, MappingNode):
        read = f.texts(key, may_be_empty=False)
        if read is None:
            return None
        items, is_list = read
        lines, texts = zip(*items, strict=True)  # never empty: may_be_empty=False
        return Fact(key, texts, is_list, line, (), None, None, lines)
    m = r.fields(node, FACT_KEYS)
    if "answer" not in m:
        r.error(line, f"'{key}' written as a mapping needs 'answer:' (what the card asks)")
    answer = m.texts("answer", may_be_empty=False)
    accept = m.texts("accept", may_be_empty=True)
    note = m.text("note")
    ask = _ask(r, m, key, answer[1] if answer else False)
    if answer is None:
        return None
    items, is_list = answer
    if ask == "each":
        _distinct_items(r, key, items)
    if ask == "each" and accept and accept[0]:
        r.warn(
            m.key_line("accept"),
            f"'{key}' is asked with 'ask: each', one card per item: 'accept' would count for "
            "every item's card; leave it out, or ask the list with 'all' or 'any'",
        )
    return Fact(
        key,
        tuple(text for _, text in items),
        is_list,
        line,
        accept=tuple(text for _, text in accept[0]) if accept else (),
        note=note,
        ask=ask,
        item_lines=tuple(n for n, _ in items),
    )


def _distinct_items(r: NodeReader, key: str, items: list[tuple[int, str]]) -> None:
    """Each item asked alone is a card keyed by the item: two of one key cannot be."""
    first_line: dict[str, int] = {}
    for line, text in items:
        slug = item_slug(text)
        if slug in first_line:
            r.error(
                line,
                f"two items of '{key}' make the same card ('{slug}', first at line "
                f"{first_line[slug]}): with 'ask: each' every item needs its own words",
            )
        first_line.setdefault(slug, line)


def _ask(r: NodeReader, m: Fields, key: str, is_list: bool) -> str | None:
    ask = m.text("ask")
    if ask is None:
        return None
    if ask.lower() not in ASK_MODES:
        modes = ", ".join(ASK_MODES)
        r.error(m.key_line("ask"), f"'ask' of '{key}' must be one of {modes}, not '{ask}'")
        return None
    if not is_list:
        r.warn(
            m.key_line("ask"),
            f"'ask: {ask}' of '{key}' has no effect: the answer is one item, asked whole; "
            "leave 'ask' out, or make the answer a list",
            "wrong-type",
        )
    return ask.lower()


def read_clinical(r: NodeReader, f: Fields) -> tuple[Fact | None, tuple[ClinicalCard, ...]]:
    """`clinical:` as plain text or a list of it (the old form: one card without a cue,
    returned as a Fact), or as question/answer pairs, each its own card."""
    if "clinical" not in f:
        return None, ()
    line, node = f.entries["clinical"]
    if isinstance(node, MappingNode):
        r.error(
            line,
            "'clinical' takes a list of question/answer pairs (- q: … a: …), not one mapping",
        )
        return None, ()
    if isinstance(node, ScalarNode) or not any(
        isinstance(item, MappingNode) for item in node.value
    ):
        return read_fact(r, f, "clinical"), ()
    assert isinstance(node, SequenceNode)
    cards: list[ClinicalCard] = []
    first_line: dict[str, int] = {}
    for item in node.value:
        if not isinstance(item, MappingNode):
            r.error(
                int(item.start_mark.line) + 1,
                "each item of 'clinical' must be a q/a pair (- q: … a: …) when any of them is",
            )
            continue
        card = _clinical_card(r, item)
        if card is None:
            continue
        if card.id in first_line:
            first = first_line[card.id]
            r.error(card.line, f"duplicate clinical card id '{card.id}' (first at line {first})")
        first_line.setdefault(card.id, card.line)
        cards.append(card)
    return None, tuple(cards)


def _clinical_card(r: NodeReader, node: MappingNode) -> ClinicalCard | None:
    c = r.fields(node, QA_KEYS)
    question, answer = c.text("q"), c.text("a")
    if "q" not in c:
        r.error(c.line, "clinical card has no 'q' (its question, with a specific cue)")
    if "a" not in c:
        r.error(c.line, "clinical card has no 'a' (its answer)")
    accept = c.texts("accept", may_be_empty=True)
    note = c.text("note")
    the_id = c.slug("id") if "id" in c else (card_id(question) if question else None)
    if question is None or answer is None or the_id is None:
        return None
    return ClinicalCard(
        the_id,
        question,
        answer,
        c.line,
        accept=tuple(text for _, text in accept[0]) if accept else (),
        note=note,
    )
