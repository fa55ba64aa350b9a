"""Progress: the stats figures (streak, retention, forecast, heatmap) and the HTML page.

Pure: strings and numbers in, figures or a page out; never sqlalchemy, click or ``study``/``cli``.
"""
