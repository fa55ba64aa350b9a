"""The `stats --html` page, opened once in a real headless browser (Debian's chromium).

The screenshot must show the charts: the forecast's bars and the calendar's green days
are there in their own colours, and a page without any study shows neither.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest
from conftest import Cli, ok, write

from flashcards.progress.page import FORECAST_BAR, HEAT_LEVELS, TODAY_BAR

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None,
    reason="SKIPPED: chromium is not installed (.ci/run installs it with apt-get)",
)
D0 = dt.date(2026, 2, 2)
DECK = "deck: Anatomy::Wrist\nid: wrist\ncards:\n" + "".join(
    f"  - id: w{i}\n    q: Which carpal bone is number {i}?\n    a: Bone {i}\n" for i in range(8)
)


def _rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def screenshot(page: Path, out: Path) -> None:
    assert CHROMIUM is not None
    with tempfile.TemporaryDirectory(prefix="flashcards-chromium-") as profile:
        subprocess.run(
            [
                CHROMIUM,
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--hide-scrollbars",
                f"--user-data-dir={profile}",
                f"--screenshot={out}",
                "--window-size=1100,1300",
                page.as_uri(),
            ],
            check=True,
            capture_output=True,
            timeout=120,
        )
    assert out.exists(), "chromium wrote no screenshot"


def pixels_near(png: Path, colour: str, tolerance: int = 8) -> int:
    from PIL import Image

    target = _rgb(colour)
    with Image.open(png) as image:
        counts = image.convert("RGB").getcolors(maxcolors=1 << 24) or []
    return sum(
        n
        for n, rgb in counts
        if all(abs(a - b) <= tolerance for a, b in zip(rgb, target, strict=True))
    )


def test_the_stats_page_renders_its_charts_in_chromium(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(write(tmp_path / "wrist.yaml", DECK)), today=D0))
    blank = tmp_path / "blank.html"
    ok(run_sqlite("stats", "--html", str(blank), today=D0))
    grades = ["5", "4", "3", "5", "2", "5", "4", "5"]
    for n in range(6):  # new cards on day 0, then their reviews: bars on later days
        script = "".join(f"\n{g}\n" for g in grades) + "\n4\n" * 4
        ok(run_sqlite("review", input=script, today=D0 + dt.timedelta(days=n)))
    page = tmp_path / "progress.html"
    today = D0 + dt.timedelta(days=3)
    ok(run_sqlite("stats", "--html", str(page), today=today))

    shot, blank_shot = tmp_path / "progress.png", tmp_path / "blank.png"
    screenshot(page, shot)
    screenshot(blank, blank_shot)
    bars = pixels_near(shot, FORECAST_BAR) + pixels_near(shot, TODAY_BAR)
    # the legend under the calendar shows the level colours on both pages
    days = sum(pixels_near(shot, c) for c in HEAT_LEVELS)
    legend = sum(pixels_near(blank_shot, c) for c in HEAT_LEVELS)
    assert bars > 300, f"no forecast bars in the screenshot ({bars} pixels)"
    assert days > legend + 300, f"no study days in the calendar ({days} vs {legend} pixels)"
    assert pixels_near(blank_shot, FORECAST_BAR) + pixels_near(blank_shot, TODAY_BAR) == 0


PHONE = 390  # CSS pixels: a phone's width


def width_at_phone_size(page: Path, work: Path) -> tuple[int, int]:
    """(content width, viewport width) of the page laid out 390 px wide.

    Headless chromium will not make a window under 500 px, so the page is laid out in an
    iframe of a phone's width; a copy of it (without its no-script policy) reports its
    width into the host's title, which --dump-dom prints."""
    assert CHROMIUM is not None
    import html
    import re

    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", page.read_text())
    probe = (
        "<script>parent.document.title = 'width ' + document.documentElement.scrollWidth"
        " + ' ' + window.innerWidth;</script></body>"
    )
    framed = text.replace("</body>", probe)
    host = work / "host.html"
    host.write_text(
        "<!doctype html><html><head><title>none</title></head><body style='margin:0'>"
        f'<iframe width="{PHONE}" height="844" style="border:0" '
        f'srcdoc="{html.escape(framed, quote=True)}"></iframe></body></html>'
    )
    with tempfile.TemporaryDirectory(prefix="flashcards-chromium-") as profile:
        dom = subprocess.run(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--disable-background-networking", "--disable-component-update",
             f"--user-data-dir={profile}", "--window-size=800,900",
             "--virtual-time-budget=3000", "--dump-dom", host.as_uri()],
            check=True, capture_output=True, text=True, timeout=120,
        ).stdout  # fmt: skip
    found = re.search(r"<title>width (\d+) (\d+)</title>", dom)
    assert found, "the page did not report its width"
    return int(found[1]), int(found[2])


FACTS = """\
deck: Anatomy::Lower limb::Medial thigh
id: thigh-medial
structures:
""" + "".join(
    f"""  - name: Adductor number {i}
    region: thigh-medial
    origin: Body of the pubis, part {i}
    insertion: Linea aspera of the femur, part {i}
    innervation: Obturator nerve (L{2 + i % 3}-L4)
"""
    for i in range(6)
)


def test_the_pages_fit_a_phone_without_sideways_scrolling(run_sqlite: Cli, tmp_path: Path) -> None:
    ok(run_sqlite("import", str(write(tmp_path / "thigh.yaml", FACTS)), today=D0))
    for n in range(4):  # enough answers for weak spots, the tables' widest rows
        grades = ["5", "2", "4", "1", "5", "3", "0", "5", "4", "5", "5", "2"]
        script = "".join(f"\n{g}\n" for g in grades) + "\n5\n" * 30
        ok(run_sqlite("review", input=script, today=D0 + dt.timedelta(days=n)))
    stats, report = tmp_path / "progress.html", tmp_path / "class.html"
    ok(run_sqlite("stats", "--html", str(stats), today=D0 + dt.timedelta(days=3)))
    ok(run_sqlite("report", "--html", str(report), today=D0 + dt.timedelta(days=3)))
    assert "Weak spots" in stats.read_text()
    for page in (stats, report):
        content, viewport = width_at_phone_size(page, tmp_path)
        assert viewport == PHONE
        assert content <= PHONE, f"{page.name} is {content} px wide at {PHONE} px"
