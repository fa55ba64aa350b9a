"""Extraction: a page (text, HTML) turned into structure records for a deck file.

Pure: may import ``authoring`` (field names, slugs, phrasing); never sqlalchemy, click or
``study``/``cli``. ``structures`` is the entry point; ``deck`` writes the records as YAML.
"""
