"""Our Anki note types: fixed ids, fixed field lists, templates and CSS for a phone.

Anki recognises a note type by its id and checks its field and template names: a
renamed or reordered field makes Anki treat the next export as a different note type and
refuse to update the notes already in a student's collection. So the ids and the field
lists below are permanent. Append a field at the end if one is ever needed; never rename,
remove or reorder one.

Anki replaces a note type's templates and CSS only when the package's copy is newer
(``mod``). ``TEMPLATES_REVISION`` is that time: bump it when the templates or CSS change,
and leave it alone otherwise, so a student's own template tweaks survive re-exports.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

__all__ = [
    "BASIC_FIELDS",
    "BASIC_MODEL_ID",
    "CLOZE_FIELDS",
    "CLOZE_MODEL_ID",
    "CSS",
    "FACT_FIELDS",
    "FACT_MODEL_ID",
    "OUR_NOTE_TYPES",
    "TEMPLATES_REVISION",
    "note_type",
]

FACT_MODEL_ID = 1_761_430_101
BASIC_MODEL_ID = 1_761_430_102
CLOZE_MODEL_ID = 1_761_430_103

FACT_FIELDS = ("Question", "Answer", "Structure", "Field", "Image", "Source")
BASIC_FIELDS = ("Question", "Answer", "Extra", "Image", "Source")
CLOZE_FIELDS = ("Text", "Extra", "Image", "Source")

# Our note kinds by model id, with their fields: how an import knows our notes again.
OUR_NOTE_TYPES: dict[int, tuple[str, tuple[str, ...]]] = {
    FACT_MODEL_ID: ("fact", FACT_FIELDS),
    BASIC_MODEL_ID: ("basic", BASIC_FIELDS),
    CLOZE_MODEL_ID: ("cloze", CLOZE_FIELDS),
}

TEMPLATES_REVISION = int(dt.datetime(2026, 11, 25, tzinfo=dt.UTC).timestamp())

# Readable at arm's length on a phone: system fonts, a comfortable size, a narrow column
# on a desktop, images that never overflow, and Anki's night mode classes honoured.
CSS = """\
.card {
  font-family: -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 20px;
  line-height: 1.45;
  color: #1c1c1e;
  background-color: #ffffff;
  text-align: left;
  max-width: 36em;
  margin: 0 auto;
  padding: 0.4em 0.8em;
}
.nightMode.card, .night_mode .card { color: #e5e5e7; background-color: #1c1c1e; }
.fc-question { font-size: 1.1em; font-weight: 600; }
.fc-answer { margin-top: 0.2em; }
.fc-answer ul { margin: 0.2em 0; padding-left: 1.2em; }
.fc-answer li { margin: 0.15em 0; }
.fc-extra { margin-top: 0.8em; font-size: 0.9em; color: #48484a; }
.nightMode .fc-extra, .night_mode .fc-extra { color: #c7c7cc; }
.fc-image { margin-top: 0.8em; text-align: center; }
.fc-image img { max-width: 100%; height: auto; border-radius: 6px; }
.fc-meta { margin-top: 1em; font-size: 0.75em; color: #8e8e93; }
.fc-source { margin-top: 0.4em; font-size: 0.7em; color: #8e8e93; }
.fc-source summary { cursor: pointer; }
.cloze { font-weight: 700; color: #0a60c2; }
.nightMode .cloze, .night_mode .cloze { color: #64a8ff; }
hr#answer { border: none; border-top: 1px solid #d1d1d6; margin: 0.8em 0; }
"""

_IMAGE = '{{#Image}}<div class="fc-image">{{Image}}</div>{{/Image}}'
_SOURCE = (
    '{{#Source}}<details class="fc-source"><summary>Source</summary>{{Source}}</details>{{/Source}}'
)
_EXTRA = '{{#Extra}}<div class="fc-extra">{{Extra}}</div>{{/Extra}}'

_FACT_TEMPLATE = {
    "name": "Fact",
    "qfmt": '<div class="fc-question">{{Question}}</div>',
    "afmt": (
        "{{FrontSide}}\n"
        '<hr id="answer">\n'
        '<div class="fc-answer">{{Answer}}</div>\n'
        f"{_IMAGE}\n"
        '<div class="fc-meta">{{Structure}} · {{Field}}</div>\n'
        f"{_SOURCE}"
    ),
}
_BASIC_TEMPLATE = {
    "name": "Card",
    "qfmt": '<div class="fc-question">{{Question}}</div>',
    "afmt": (
        "{{FrontSide}}\n"
        '<hr id="answer">\n'
        '<div class="fc-answer">{{Answer}}</div>\n'
        f"{_EXTRA}\n{_IMAGE}\n{_SOURCE}"
    ),
}
_CLOZE_TEMPLATE = {
    "name": "Cloze",
    "qfmt": '<div class="fc-cloze">{{cloze:Text}}</div>',
    "afmt": '<div class="fc-cloze">{{cloze:Text}}</div>\n' + f"{_EXTRA}\n{_IMAGE}\n{_SOURCE}",
}

_NOTE_TYPES: dict[str, tuple[int, str, tuple[str, ...], dict[str, str], int]] = {
    "fact": (FACT_MODEL_ID, "flashcards: anatomy fact", FACT_FIELDS, _FACT_TEMPLATE, 0),
    "basic": (BASIC_MODEL_ID, "flashcards: basic", BASIC_FIELDS, _BASIC_TEMPLATE, 0),
    "cloze": (CLOZE_MODEL_ID, "flashcards: cloze", CLOZE_FIELDS, _CLOZE_TEMPLATE, 1),
}


def note_type(kind: str) -> Any:
    """A fresh ``genanki.Model`` for a note kind (fact, basic or cloze).

    Fresh each time: genanki writes ``ord`` and defaults into the dicts it is given.
    """
    import genanki  # here: reading our packages back needs the ids, not genanki

    model_id, name, fields, template, model_type = _NOTE_TYPES[kind]
    return genanki.Model(
        model_id,
        name,
        fields=[{"name": field} for field in fields],
        templates=[dict(template)],
        css=CSS,
        model_type=model_type,
        sort_field_index=0,
    )
