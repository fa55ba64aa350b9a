"""`flashcards extract` against the hand-labelled corpus of real pages.

    python bench/extract.py              # the tables: per field, per site, per kind of layout
    python bench/extract.py --misses     # and every fact missed, every false structure

The corpus is tests/fixtures/extract/corpus/: public pages about muscles saved as copied
text (some also as HTML), each with a labels file written by hand from the page (see the
README there). For each page form the extractor runs as `flashcards extract FILE` does,
and its structures are matched to the labels by name:

- a labelled fact is found when the structure of that name has the field and the value
  holds every key term (case and dashes evened out; `a|b` accepts either);
- **labelled-field recall** counts the facts the page gives under a label; **all-field
  recall** adds those stated only in sentences;
- a **false structure** is one the labels do not expect (a muscle only mentioned, a
  heading, a link); a **wrongly named** one holds an expected structure's facts under
  another name; **noise** is a value holding text the labels list as never a fact
  (catalogue ids, citations, chrome); a **wrong value** holds a term its field must not.

Time per page is the wall time of reading and extracting one file, imports excluded.
Not a test: tests/test_extract_corpus.py holds the floors.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from flashcards.extract.lexicon import MUSCLES, muscle_key  # noqa: E402
from flashcards.extract.structures import ExtractedStructure, extract_files  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "extract" / "corpus"
FIELDS = ("origin", "insertion", "innervation", "action", "blood_supply", "antagonist", "synergist")


def normal(text: str) -> str:
    text = re.sub(r"[\u2010-\u2015\u2212]", "-", text.lower())
    return " ".join(text.replace("\u00a0", " ").split())


def has_term(value: str, term: str) -> bool:
    return any(normal(alt) in normal(value) for alt in term.split("|"))


def name_key(name: str) -> str:
    key = " ".join(w for w in muscle_key(name).split() if w not in ("the", "muscle", "muscles"))
    known = MUSCLES.get(key)
    return muscle_key(known[0]) if known else key


@dataclass
class Fact:
    page: str
    site: str
    kind: str
    structure: str
    field: str
    labelled: bool
    found: bool
    got: str  # what the extraction had in that field ('' when nothing)
    terms: list[str]


@dataclass
class PageResult:
    stem: str
    form: str
    site: str
    kind: str
    seconds: float
    facts: list[Fact] = field(default_factory=list)
    false: list[str] = field(default_factory=list)
    wrong_names: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    noise: list[str] = field(default_factory=list)
    wrong_values: list[str] = field(default_factory=list)


def labels() -> list[tuple[str, dict[str, Any]]]:
    return [
        (p.stem, yaml.safe_load(p.read_text(encoding="utf-8")))
        for p in sorted(CORPUS.glob("*.yaml"))
    ]


def _value(structure: ExtractedStructure | None, key: str) -> str:
    if structure is None:
        return ""
    return "; ".join(structure.fields.get(key, []))


def score_page(stem: str, label: dict[str, Any], form: str) -> PageResult:
    path = CORPUS / form
    start = time.perf_counter()
    extraction = extract_files([path])
    seconds = time.perf_counter() - start
    result = PageResult(stem, form, label["site"], label["kind"], seconds)
    expected = label.get("structures") or []
    keys = [{name_key(n) for n in [e["name"], *(e.get("also") or [])]} for e in expected]
    optional = {name_key(n) for n in label.get("optional_structures") or []}
    matched: dict[int, ExtractedStructure] = {}
    leftovers: list[ExtractedStructure] = []
    for structure in extraction.structures:
        key = name_key(structure.name)
        hit = next((i for i, k in enumerate(keys) if key in k and i not in matched), None)
        if hit is not None:
            matched[hit] = structure
        elif key not in optional:
            leftovers.append(structure)
    unmatched = [i for i in range(len(expected)) if i not in matched]
    for structure in leftovers:
        if unmatched and name_key(structure.name) not in {
            name_key(n) for n in label.get("not_structures") or []
        }:
            i = unmatched.pop(0)
            result.wrong_names.append(f"{structure.name!r} for {expected[i]['name']!r}")
        else:
            result.false.append(structure.name)
    result.missing = [expected[i]["name"] for i in range(len(expected)) if i not in matched]
    for i, entry in enumerate(expected):
        structure = matched.get(i)
        for kind, labelled in (("labelled", True), ("prose", False)):
            for key, terms in (entry.get(kind) or {}).items():
                got = _value(structure, key)
                found = bool(got) and all(has_term(got, t) for t in terms)
                result.facts.append(
                    Fact(
                        stem,
                        label["site"],
                        label["kind"],
                        entry["name"],
                        key,
                        labelled,
                        found,
                        got,
                        terms,
                    )
                )
        for key, terms in (entry.get("not_in") or {}).items():
            got = _value(structure, key)
            result.wrong_values += [
                f"{entry['name']} {key}: {t!r}" for t in terms if got and has_term(got, t)
            ]
    for structure in extraction.structures:
        for key, items in structure.fields.items():
            text = "; ".join(items)
            result.noise += [
                f"{structure.name} {key}: {n!r}"
                for n in label.get("noise") or []
                if has_term(text, n)
            ]
    return result


def run() -> list[PageResult]:
    results = []
    for stem, label in labels():
        for form in label.get("files") or [f"{stem}.txt"]:
            results.append(score_page(stem, label, form))
    return results


def _ratio(facts: Iterable[Fact]) -> tuple[int, int]:
    facts = list(facts)
    return sum(f.found for f in facts), len(facts)


def _pc(found: int, total: int) -> str:
    return f"{100 * found / total:5.1f} % ({found}/{total})" if total else "    –"


@dataclass
class Totals:
    labelled: tuple[int, int]
    all: tuple[int, int]
    false: int
    wrong_names: int
    noise: int
    wrong_values: int
    pages: int
    sites: int


def totals(results: list[PageResult]) -> Totals:
    facts = [f for r in results for f in r.facts]
    return Totals(
        _ratio(f for f in facts if f.labelled),
        _ratio(facts),
        sum(len(r.false) for r in results),
        sum(len(r.wrong_names) for r in results),
        sum(len(r.noise) for r in results),
        sum(len(r.wrong_values) for r in results),
        len({r.stem for r in results}),
        len({r.site for r in results}),
    )


def _group_table(title: str, results: list[PageResult], key: str) -> None:
    groups: dict[str, list[PageResult]] = defaultdict(list)
    for r in results:
        groups[getattr(r, key)].append(r)
    width = max(34, *(len(name) for name in groups))
    print(
        f"\n{title:<{width}} forms  labelled recall         all-field recall        false  "
        "wrong name"
    )
    for name in sorted(groups):
        rs = groups[name]
        facts = [f for r in rs for f in r.facts]
        print(
            f"{name:<{width}} {len(rs):>5}  {_pc(*_ratio(f for f in facts if f.labelled)):<23} "
            f"{_pc(*_ratio(facts)):<23} {sum(len(r.false) for r in rs):>5}  "
            f"{sum(len(r.wrong_names) for r in rs):>10}"
        )


def report(results: list[PageResult], misses: bool) -> None:
    facts = [f for r in results for f in r.facts]
    t = totals(results)
    print(f"Corpus: {t.pages} pages ({len(results)} page forms) from {t.sites} sites")
    print(f"\n{'field':<14} labelled recall         all-field recall")
    for key in FIELDS:
        own = [f for f in facts if f.field == key]
        print(f"{key:<14} {_pc(*_ratio(f for f in own if f.labelled)):<23} {_pc(*_ratio(own))}")
    _group_table("site", results, "site")
    _group_table("kind of layout", results, "kind")
    times = sorted(r.seconds * 1000 for r in results)
    print(
        f"\nTime per page: median {statistics.median(times):.1f} ms, "
        f"slowest {times[-1]:.1f} ms, total {sum(times):.0f} ms"
    )
    print(
        f"\nLabelled-field recall {_pc(*t.labelled)}   (goal ≥ 95 %)\n"
        f"All-field recall      {_pc(*t.all)}   (goal ≥ 85 %)\n"
        f"False structures      {t.false}   (goal 0)\n"
        f"Wrongly named         {t.wrong_names}   (goal 0)\n"
        f"Noise in values       {t.noise}\n"
        f"Wrong values          {t.wrong_values}"
    )
    if not misses:
        return
    print("\nMisses:")
    for r in results:
        for f in r.facts:
            if not f.found:
                kind = "label" if f.labelled else "prose"
                print(
                    f"  {r.form}: {f.structure} {f.field} ({kind}) wants {f.terms}; got {f.got!r}"
                )
        for name in r.false:
            print(f"  {r.form}: false structure {name!r}")
        for text in r.wrong_names + [f"missing {m!r}" for m in r.missing]:
            print(f"  {r.form}: {text}")
        for text in r.noise + r.wrong_values:
            print(f"  {r.form}: noise/wrong value {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--misses", action="store_true", help="list every miss")
    report(run(), parser.parse_args().misses)


if __name__ == "__main__":
    main()
