"""Real pages of the extraction corpus, broken the ways real and hand-saved pages are
(a missing </head>, <h1> closed by </h2>, tags left open, a stray </div>, no <html> or
<body>, &nbsp; and <br> between a label and its value), give the same structures and
values as the clean page: HTML is read as a browser reads it."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import Cli, write

from flashcards.extract.page import html_to_text
from flashcards.extract.structures import extract_text

PAGES = Path(__file__).parent / "fixtures" / "extract"
CORPUS = PAGES / "corpus"


def page(name: str) -> str:
    path = CORPUS / name
    return (path if path.exists() else PAGES / name).read_text(encoding="utf-8")


def once(old: str, new: str) -> Callable[[str], str]:
    def breaking(html: str) -> str:
        assert old in html, old  # the page still has what the breakage changes
        return html.replace(old, new, 1)

    return breaking


def every(*pairs: tuple[str, str]) -> Callable[[str], str]:
    def breaking(html: str) -> str:
        for old, new in pairs:
            assert old in html, old
            html = html.replace(old, new)
        return html

    return breaking


def no_html_head_body(html: str) -> str:
    return re.sub(r"</?(?:html|head|body)\b[^>]*>", "", html)


def as_is(html: str) -> str:
    return html


# Long pages: a closing notice printed 450 times (old-style HTML leaves each <p> open),
# a site menu of 450 entries (each <li> left open).
NOTICE = "<p>Printed from the anatomy archive; see the index for other muscles.</p>\n"
MENU = "".join(f'<li><a href="/m/{n}">Entry {n}</a></li>' for n in range(450))


def long_notice(html: str) -> str:
    return once('<div class="catlinks">', NOTICE * 450 + '<div class="catlinks">')(html)


def long_menu(html: str) -> str:
    return once("</ul></nav></header>", MENU + "</ul></nav></header>")(html)


WIKIDOC = "wikidoc-iliacus.html"
TEACHME = "teachmeanatomy-gluteus-medius.html"
TIBIALIS = "tibialis-anterior.html"

# (page, what the clean page is made into first, the breakage)
BREAKAGES: dict[str, tuple[str, Callable[[str], str], Callable[[str], str]]] = {
    "no </head>": (WIKIDOC, as_is, once("</head>", "")),
    "no </head>, a page with a <main>": (TIBIALIS, as_is, once("</head>", "")),
    "<h1> closed by </h2>": (WIKIDOC, as_is, once("Iliacus muscle</h1>", "Iliacus muscle</h2>")),
    "<h1> closed by </h2> over a table": (TIBIALIS, as_is, once("</h1>", "</h2>")),
    "<b> left open over <br> lines": (
        "constantcontact-piriformis.html",
        as_is,
        once("</span></b>", "</span>"),
    ),
    "<li> left open in a long menu": (TEACHME, long_menu, every(("</li>", ""))),
    "<td>, <th> and <tr> left open": (
        WIKIDOC,
        as_is,
        every(("</td>", ""), ("</th>", ""), ("</tr>", "")),
    ),
    "<td> and <tr> left open": (
        "orthobullets-deltoid.html",
        as_is,
        every(("</td>", ""), ("</tr>", "")),
    ),
    "<p> left open on a long page": (WIKIDOC, long_notice, every(("</p>", ""))),
    "a stray </div> in a table cell": (
        WIKIDOC,
        as_is,
        once("<td>iliac fossa</td>", "<td>iliac fossa</div></td>"),
    ),
    "</br> written for <br> between label lines": (
        "constantcontact-piriformis.html",
        as_is,
        every(("<br>", "</br>")),
    ),
    # A menu or banner left open holds the rest of the page, which a browser still shows.
    "a cookie banner left open": (
        TEACHME,
        as_is,
        once("<button>Accept</button></div>", "<button>Accept</button>"),
    ),
    "a side menu left open": ("orthobullets-deltoid.html", as_is, once("</ul></div>", "</ul>")),
    "a <nav> left open": (
        "orthobullets-deltoid.html",
        as_is,
        once("Anatomy</a></nav>", "Anatomy</a>"),
    ),
    "a jump-to bar left open": (WIKIDOC, as_is, once("search</a></div>", "search</a>")),
    "the page inside a <form>, as ASP.NET saves it": (
        WIKIDOC,
        as_is,
        every(
            ("<body>", '<body><form method="post" id="aspnetForm">'), ("</body>", "</form></body>")
        ),
    ),
    # Python's own parser recovered from these as a browser does; kept so they stay read.
    "&nbsp; and <br> between label and value": (
        TEACHME,
        as_is,
        every(("</strong> ", "</strong>&nbsp;<br>")),
    ),
    "&nbsp; and <br> in a table's value cell": (
        "artanatomy-deltoid.html",
        as_is,
        every(("</th><td>", "&nbsp;</th><td>&nbsp;<br>")),
    ),
    "<strong> and <li> left open": (TEACHME, as_is, every(("</strong>", ""), ("</li>", ""))),
    "a stray </div> in a list item": (
        TEACHME,
        as_is,
        once("Superior gluteal nerve.</li>", "Superior gluteal nerve.</div></li>"),
    ),
    "no <html>, <head> or <body>": (WIKIDOC, as_is, no_html_head_body),
    "no <html>, <head> or <body>, a page with a <main>": (TIBIALIS, as_is, no_html_head_body),
}


def structures(html: str) -> list[tuple[str, dict[str, list[str]]]]:
    extraction = extract_text(html_to_text(html), "page.html")
    return [(s.name, s.fields) for s in extraction.structures]


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_broken_page_gives_the_clean_pages_structures_and_values(breakage: str) -> None:
    name, prepare, breaking = BREAKAGES[breakage]
    clean = prepare(page(name))
    broken = breaking(clean)
    assert broken != clean
    expected = structures(clean)
    assert expected and all(fields for _, fields in expected)  # the clean page has facts
    assert structures(broken) == expected


REPORTED = (
    "<html><head><title>Iliacus</title></head><body><h1>Iliacus</h1>"
    "<p><b>Origin: Iliac fossa</p><p><b>Insertion:</b> Lesser trochanter</p>"
    "<p><b>Antagonist:</b> Gluteus maximus</p></body></html>"
)
EXPECTED = {
    "origin": ["Iliac fossa"],
    "insertion": ["Lesser trochanter"],
    "antagonist": ["Gluteus maximus"],
}


@pytest.mark.parametrize(
    "html",
    [
        REPORTED,
        # each <b> left open, the lines apart by <br> alone
        "<h1>Iliacus</h1><b>Origin: Iliac fossa<br><b>Insertion:</b> Lesser trochanter<br>"
        "<b>Antagonist:</b> Gluteus maximus<br>",
        # a <b> left open over the blocks that follow
        "<h1>Iliacus</h1><div><b>Origin: Iliac fossa<div>Insertion: Lesser trochanter</div>"
        "<div>Antagonist: Gluteus maximus</div></div>",
        # &nbsp; and <br> between labels and values
        "<h1>Iliacus</h1><b>Origin:</b>&nbsp;<br>Iliac fossa<br><b>Insertion:&nbsp;</b><br>"
        "&nbsp;Lesser trochanter<br><b>Antagonist</b>&nbsp;:&nbsp;Gluteus maximus<br>",
    ],
    ids=["reported", "open-b-br", "open-b-div", "nbsp-br"],
)
def test_each_value_stops_at_the_next_label_whatever_the_markup_leaves_open(html: str) -> None:
    [(name, fields)] = structures(html)
    assert (name, fields) == ("Iliacus", EXPECTED)


def test_the_cli_reads_a_page_saved_without_its_head_closed(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    saved = write(tmp_path / "page.html", page(WIKIDOC).replace("</head>", "", 1))
    result = run_sqlite("extract", str(saved), "--json")
    assert result.exit_code == 0, result.output
    [iliacus] = json.loads(result.stdout)["structures"]
    assert iliacus["name"] == "Iliacus"
    assert iliacus["fields"]["origin"] == "Iliac fossa"
    assert iliacus["fields"]["antagonist"] == "Gluteus maximus"


def test_a_page_whose_text_is_all_in_a_menu_left_open_is_refused_clearly(
    run_sqlite: Cli, tmp_path: Path
) -> None:
    # Nothing marks where the sidebar ends (no <main>, <article> or <h1>): no guess.
    saved = write(
        tmp_path / "page.html",
        '<html><body><div class="sidebar"><p>Related: Psoas major</p>'
        "<p>Origin: vertebrae T12-L4</p><p>Insertion: lesser trochanter</p></body></html>",
    )
    result = run_sqlite("extract", str(saved))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert f"Error: {saved}: all its text is in parts of a page that are left out" in (
        result.output
    )
    assert "navigation, menus, sidebars" in result.output
