"""The pages that are no session: the deck list, the stats page and the media files."""

from __future__ import annotations

from flask import Flask, Response, abort, render_template

from flashcards.web.context import study_app

__all__ = ["register"]

# An image shown on our page never runs a script, but an SVG opened on its own would, on
# this origin: media are served as a sandboxed document.
_MEDIA_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox"


def decks() -> str:
    from flashcards.study.decks import deck_tree

    app = study_app()
    rows = deck_tree(app)
    return render_template("decks.html", rows=rows, today=app.today)


def stats() -> str:
    """The stats page of ``flashcards stats --html``, with the site's bar on top."""
    from flashcards.study.statistics import student_stats

    text = student_stats(study_app(), None).page()
    bar = render_template("bar.html", here="stats")
    return text.replace("<body>", "<body>" + bar, 1)


def media(name: str) -> Response:
    from flashcards.study.pictures import media_file

    found = media_file(study_app(), name)
    if found is None:
        abort(404, f"No media file named {name}.")
    response = Response(found.data, mimetype=found.mimetype)
    response.headers["Content-Security-Policy"] = _MEDIA_CSP
    response.headers["Cache-Control"] = "private, max-age=86400, immutable"  # content-hashed
    return response


def register(web: Flask) -> None:
    web.add_url_rule("/", "decks", decks)
    web.add_url_rule("/stats", "stats", stats)
    web.add_url_rule("/media/<path:name>", "media", media)
