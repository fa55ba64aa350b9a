"""`flashcards report`: the instructor's view of a class, against a hand count.

Three students study four one-fact cards for two days; a fourth student never studies.
Grades (first grades of the day; r = same-day re-drill, not counted in difficulty):

            K1 innervation   K2 origin   K3 innervation   K4 insertion
    ana d0  2 (+4r)          5           1 (+4r)          5
    ana d1  4                5           2 (+4r)          4
    ben d0  5                5           2 (+4r)          4
    ben d1  2 lapse (+4r)    4           3 (+4r)          5
    cleo d0 4                5           0 (+5r)          5
    cleo d1 5                5           1 (+4r)          2 lapse (+4r)

Hand count:
- K3: failed 5/6, never recalled before any of its grades (lapse rate unknown), mean first
  grade (1+2+0)/3 = 1.0: the hardest card, though it never lapsed;
- K1: failed 2/6, lapses 1 of 2 grades given once learned, mean first grade 11/3;
- K4: failed 1/6, lapses 1/3, mean first grade 14/3;
- K2: failed 0/6, lapses 0/3, mean first grade 5.0. Hardest first: K3, K1, K4, K2.
- innervation (K1+K3) 7/12 failed, insertion 1/6, origin 0/6.
- answers (re-drills included): ana 6+5, ben 5+6, cleo 5+6; retention on day 1 (every
  card had been seen once): ana 3/4, ben 3/4, cleo 2/4.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from conftest import Cli, ok, write

D0 = dt.date(2026, 1, 12)
D1 = D0 + dt.timedelta(days=1)

DECK = """\
deck: Anatomy::Hand
id: hand
structures:
  - name: Abductor pollicis brevis
    region: hand
    innervation: Recurrent branch of the median nerve
  - name: Adductor pollicis
    region: hand
    origin: Capitate, bases of the 2nd and 3rd metacarpals, 3rd metacarpal shaft
  - name: First dorsal interosseous
    region: hand
    innervation: Deep branch of the ulnar nerve
  - name: Opponens pollicis
    region: hand
    insertion: Lateral border of the 1st metacarpal
"""
K1 = "What innervates abductor pollicis brevis?"
K2 = "Where does adductor pollicis originate?"
K3 = "What innervates the first dorsal interosseous?"
K4 = "Where does opponens pollicis insert?"

GRADES = {  # (student, day): grades in the order the session asks
    ("ana", D0): "2 5 1 5 4 4",
    ("ana", D1): "4 5 2 4 4",
    ("ben", D0): "5 5 2 4 4",
    ("ben", D1): "2 4 3 5 4 4",
    ("cleo", D0): "4 5 0 5 5",
    ("cleo", D1): "5 5 1 2 4 4",
}


def _script(grades: str) -> str:
    return "".join(f"\n{g}\n" for g in grades.split())


@pytest.fixture(scope="module")
def klass(module_db_url: str, tmp_path_factory: pytest.TempPathFactory) -> Cli:
    """The class above, built once per engine; the tests only read it (one answer given
    and taken back aside, which must change nothing)."""
    run = Cli(module_db_url)
    deck = write(tmp_path_factory.mktemp("decks") / "hand.yaml", DECK)
    ok(run("import", str(deck), today=D0))
    for (student, day), grades in GRADES.items():
        ok(run("review", "--new", "4", input=_script(grades), today=day, user=student))
    ok(run("review", input="q\n", today=D1, user="dan"))  # dan appears, never studies
    return run


def report_json(run: Cli, *args: str) -> dict[str, Any]:
    return json.loads(ok(run("report", "--json", *args, today=D1)))  # type: ignore[no-any-return]


def test_report_names_the_hardest_cards_in_order(klass: Cli) -> None:
    hardest = report_json(klass)["hardest_cards"]
    assert [c["question"] for c in hardest] == [K3, K1, K4, K2]


def test_each_cards_figures_match_the_hand_count(klass: Cli) -> None:
    cards = {c["question"]: c for c in report_json(klass)["cards"]}
    figures = {
        q: (c["students"], c["reviews"], c["failed"], c["lapses"], c["lapse_rate"])
        for q, c in cards.items()
    }
    assert figures == {
        K1: (3, 6, 2, 1, 0.5),
        K2: (3, 6, 0, 0, 0.0),
        K3: (3, 6, 5, 0, None),
        K4: (3, 6, 1, 1, 1 / 3),
    }
    assert cards[K1]["mean_first_grade"] == pytest.approx(11 / 3)
    assert cards[K2]["mean_first_grade"] == 5.0
    assert cards[K3]["mean_first_grade"] == 1.0
    assert cards[K4]["mean_first_grade"] == pytest.approx(14 / 3)
    assert cards[K3]["fail_rate"] == 5 / 6
    assert cards[K3]["field"] == "innervation" and cards[K3]["region"] == "hand"


def test_hardest_fields_are_ranked_by_failed_first_grades(klass: Cli) -> None:
    fields = report_json(klass)["hardest_fields"]
    assert [(f["field"], f["cards"], f["failed"], f["reviews"]) for f in fields] == [
        ("innervation", 2, 7, 12),
        ("insertion", 1, 1, 6),
        ("origin", 1, 0, 6),
    ]
    assert fields[0]["mean_first_grade"] == pytest.approx(14 / 6)
    assert fields[0]["lapse_rate"] == 0.5


def test_each_students_activity(klass: Cli) -> None:
    students = report_json(klass)["students"]
    assert [
        (s["name"], s["last_review"], s["reviews_7d"], s["reviews_total"], s["streak"])
        for s in students
    ] == [
        ("ana", D1.isoformat(), 11, 11, 2),
        ("ben", D1.isoformat(), 11, 11, 2),
        ("cleo", D1.isoformat(), 11, 11, 2),
        ("dan", None, 0, 0, 0),
    ]
    assert [s["retention"] for s in students] == [0.75, 0.75, 0.5, None]
    later = json.loads(ok(klass("report", "--json", today=D1 + dt.timedelta(days=6))))
    assert [s["reviews_7d"] for s in later["students"]] == [5, 6, 6, 0]  # day 0 left the week


def test_json_is_one_document_indented_by_two_spaces(klass: Cli) -> None:
    out = ok(klass("report", "--json", today=D1))
    assert out == json.dumps(json.loads(out), indent=2, ensure_ascii=False) + "\n"


def test_json_report_of_a_database_without_cards(run: Cli) -> None:
    ok(run("db", "upgrade"))  # a database with its schema and nothing else
    out = ok(run("report", "--json"))
    document = json.loads(out)
    assert out == json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    assert document["cards"] == [] and document["hardest_fields"] == []


def test_undone_answers_do_not_count_in_the_report(klass: Cli) -> None:
    before = report_json(klass)
    day2 = D1 + dt.timedelta(days=1)
    ok(klass("review", input="\n0\nu\n", today=day2, user="ana"))  # graded, then taken back
    after = json.loads(ok(klass("report", "--json", today=day2)))
    assert after["cards"] == before["cards"]
    assert after["students"][0]["reviews_total"] == 11


def test_csv_tables_for_cards_fields_and_students(klass: Cli) -> None:
    cards = list(csv.DictReader(io.StringIO(ok(klass("report", "--csv", today=D1)))))
    assert [(r["question"], r["failed"], r["lapse_rate"]) for r in cards] == [
        (K1, "2", "0.5"),
        (K2, "0", "0.0"),
        (K3, "5", ""),
        (K4, "1", str(1 / 3)),
    ]
    students = ok(klass("report", "--csv", "--table", "students", today=D1))
    rows = list(csv.DictReader(io.StringIO(students)))
    assert [(r["name"], r["reviews_7d"], r["last_review"]) for r in rows] == [
        ("ana", "11", D1.isoformat()),
        ("ben", "11", D1.isoformat()),
        ("cleo", "11", D1.isoformat()),
        ("dan", "0", ""),
    ]
    fields = ok(klass("report", "--csv", "--table", "fields", today=D1))
    assert fields.splitlines()[1].startswith("innervation,2,")


def test_terminal_report_and_html_page(klass: Cli, tmp_path: Path) -> None:
    out = ok(klass("report", today=D1))
    assert "4 student(s), 4 of 4 card(s) answered" in out
    hardest = out.split("Hardest cards")[1].split("Hardest fields")[0]
    rows = [line for line in hardest.splitlines() if line.startswith("│")]
    assert "What innervates the first" in rows[0] and "83 % (5/6)" in rows[0]
    assert "3.7" in rows[2] and "50 %" in rows[2]  # abductor, after its wrapped line
    page = tmp_path / "class.html"
    ok(klass("report", "--html", str(page), today=D1))
    text = page.read_text(encoding="utf-8")
    assert "<script" not in text and "Hardest cards" in text and "dan" in text
    hardest_html = text.split("Hardest cards")[1].split("Hardest fields")[0]
    assert hardest_html.index("first dorsal interosseous") < hardest_html.index("abductor")


def test_report_for_one_deck_and_usage_errors(klass: Cli) -> None:
    assert len(report_json(klass, "Anatomy::Hand")["cards"]) == 4
    missing = klass("report", "Anatomy::Foot", today=D1)
    assert missing.exit_code == 1 and "Error: no deck named" in missing.output
    both = klass("report", "--json", "--csv", today=D1)
    assert both.exit_code == 2
    assert klass("report", "--table", "students", today=D1).exit_code == 2


ODD_DECK = """\
deck: Anatomy::Odd
id: odd
cards:
  - id: o1
    q: "Is [bold]this[/bold] <b>bone</b> the hamate?"
    a: "Yes"
"""


def test_card_text_is_shown_as_written_never_as_markup(run: Cli, tmp_path: Path) -> None:
    ok(run("import", str(write(tmp_path / "odd.yaml", ODD_DECK)), today=D0))
    ok(run("review", input="\n1\n\n4\n", today=D0))
    out = ok(run("report", today=D0))
    assert "[bold]this[/bold]" in out and "<b>bone</b>" in out  # the table may wrap
    page = tmp_path / "odd.html"
    ok(run("report", "--html", str(page), today=D0))
    text = page.read_text(encoding="utf-8")
    assert "[bold]this[/bold] &lt;b&gt;bone&lt;/b&gt;" in text and "<b>bone" not in text


# A second class, where answers were taken back, quizzed and re-drilled. Two decks share
# the innervation field; only the day's first grades that still stand count:
#
#          W1 innervation (Wrist)    W2 origin (Wrist)   E1 innervation (Elbow)
#   ana d0 1 taken back, then 5      2 (+4r)             3 (+4r)
#   ben d0 5
#   ben d1 1 lapse (+4r)
#   cleo d0                                              4
#   cleo d1                                              2 lapse (+4r), a quiz graded 0
#
# W1: 3 grades, 1 failed, lapses 1/1, first grades 5 and 5 (not the 1 taken back): 5.0.
# W2: 1 grade, failed. E1: 3 grades, 1 failed, lapses 1/1, first grades (3+4)/2 = 3.5.
# Hardest: W2, then E1 before W1 (same fail rate, lower first grade).
# innervation: students ana, ben and cleo (3, though each card had 2), 2 of 6 failed,
# lapses 2/2, mean first grade (5+5+3+4)/4; origin: 1 student, 1 of 1 failed.
# Retention on day 1 (answers at an interval of a day or more): ben 0/1, cleo 0/1.

WRIST = """\
deck: Anatomy::Wrist
id: wrist
structures:
  - name: Pronator quadratus
    region: forearm
    innervation: Anterior interosseous nerve
  - name: Flexor carpi ulnaris
    region: forearm
    origin: Medial epicondyle of the humerus
"""
ELBOW = """\
deck: Anatomy::Elbow
id: elbow
structures:
  - name: Anconeus
    region: elbow
    innervation: Radial nerve
"""
W1 = "What innervates pronator quadratus?"
W2 = "Where does flexor carpi ulnaris originate?"
E1 = "What innervates anconeus?"


def test_taken_back_quizzed_and_redrilled_answers_against_a_hand_count(
    run: Cli, tmp_path: Path
) -> None:
    for name, text in (("wrist", WRIST), ("elbow", ELBOW)):
        ok(run("import", str(write(tmp_path / f"{name}.yaml", text)), today=D0))
    wrist, elbow = "Anatomy::Wrist", "Anatomy::Elbow"
    ok(run("review", wrist, "--new", "2", input="\n1\nu\n\n5\n\n2\n\n4\n", today=D0))
    ok(run("review", elbow, "--new", "1", input="\n3\n\n4\n", today=D0))
    ok(run("review", wrist, "--new", "1", input="\n5\n", today=D0, user="ben"))
    ok(run("review", wrist, "--new", "0", input="\n1\n\n4\n", today=D1, user="ben"))
    ok(run("review", elbow, "--new", "1", input="\n4\n", today=D0, user="cleo"))
    ok(run("review", elbow, "--new", "0", input="\n2\n\n4\n", today=D1, user="cleo"))
    ok(run("quiz", elbow, "--mode", "flip", "--count", "1", input="\n0\n", today=D1, user="cleo"))

    report = report_json(run)
    cards = {
        c["question"]: (
            c["students"],
            c["reviews"],
            c["failed"],
            c["lapses"],
            c["lapse_rate"],
            c["mean_first_grade"],
        )
        for c in report["cards"]
    }
    assert cards == {
        W1: (2, 3, 1, 1, 1.0, 5.0),
        W2: (1, 1, 1, 0, None, 2.0),
        E1: (2, 3, 1, 1, 1.0, 3.5),
    }
    assert [c["question"] for c in report["hardest_cards"]] == [W2, E1, W1]
    fields = [
        (f["field"], f["cards"], f["students"], f["reviews"], f["failed"], f["lapse_rate"])
        for f in report["hardest_fields"]
    ]
    assert fields == [("origin", 1, 1, 1, 1, None), ("innervation", 2, 3, 6, 2, 1.0)]
    assert report["hardest_fields"][1]["mean_first_grade"] == 17 / 4
    students = [
        (s["name"], s["retention_passed"], s["retention_reviewed"]) for s in report["students"]
    ]
    assert students == [("ana", 0, 0), ("ben", 0, 1), ("cleo", 0, 1)]


def test_the_html_page_lists_every_card_once_in_authoring_order(klass: Cli, tmp_path: Path) -> None:
    page = tmp_path / "class.html"
    ok(klass("report", "--html", str(page), today=D1))
    every = page.read_text(encoding="utf-8").split("<h2>Every card</h2>")[1]
    rows = every.split("<tr>")[2:]  # after the table's head
    first_cells = [row.split("</td>")[0].split(">", 1)[1] for row in rows]
    assert first_cells == [K1, K2, K3, K4]


def test_a_page_whose_pieces_fail_midway_leaves_no_file(tmp_path: Path) -> None:
    from flashcards.cli.stats import write_page

    def pieces() -> Iterator[str]:
        yield "<!doctype html>"
        raise RuntimeError("the database went away")

    target = tmp_path / "report.html"
    with pytest.raises(RuntimeError, match="went away"):
        write_page(target, pieces())
    assert list(tmp_path.iterdir()) == []  # neither the page nor its temporary file
