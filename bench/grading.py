"""The grader against a teacher, on the graded corpus; and how long one grade takes.

    python bench/grading.py            # agreement, confusion matrix, misses, timing
    python bench/grading.py --runs 5  # more timing runs (the best of them is kept per row)

Prints, per category of tests/fixtures/grading/corpus.csv, how many rows the grader
grades inside the teacher's range, next to a plain string score (rapidfuzz's ratio,
80 % alike = right) judging the same rows right or wrong; the confusion matrix of the
teacher's ranges against the grades given; every row the grader misses; and the time to
grade one answer, p50 and p99, against the 5 ms target: "cold" with every cache cleared
before each row (nothing of either answer seen before), "warm" with the answers' words
already folded (a session, where the card's answer has been read before). Not a test:
nothing asserts on time.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz  # noqa: E402

import flashcards.grading.folding as folding  # noqa: E402
import flashcards.grading.grader as grader  # noqa: E402
import flashcards.grading.keyterms as keyterms  # noqa: E402
import flashcards.grading.matching as matching  # noqa: E402
import flashcards.grading.normalise as normalise  # noqa: E402
import flashcards.grading.parts as parts  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "grading" / "corpus.csv"
TARGET_MS = 5.0
PAIR_CACHES = (grader._judge, matching.compare)
WORD_CACHES = (
    folding.prepare, normalise.canonical, normalise.terms, normalise.words,
    normalise.fragments, parts.parts, keyterms.kind_of, keyterms.clash, keyterms.is_typo,
    keyterms.near_miss, keyterms._prefixes,
)  # fmt: skip


def load() -> list[dict[str, str]]:
    with CORPUS.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def fuzzy_right(row: dict[str, str]) -> bool:
    return fuzz.ratio(row["expected"].casefold(), row["typed"].casefold()) >= 80


def agreement(rows: list[dict[str, str]], grades: list[int]) -> None:
    by: dict[str, list[tuple[dict[str, str], int]]] = defaultdict(list)
    for row, g in zip(rows, grades, strict=True):
        by[row["category"]].append((row, g))
    print(f"{'category':<22} {'rows':>5} {'in range':>9} {'%':>6}   {'fuzzy score right':>17}")
    total_in, total_clear, total_fuzzy = 0, 0, 0
    for category in sorted(by, key=lambda c: -len(by[c])):
        pairs = by[category]
        inside = sum(int(r["low"]) <= g <= int(r["high"]) for r, g in pairs)
        clear = [r for r, _ in pairs if int(r["low"]) >= 4 or int(r["high"]) <= 2]
        fuzzy = sum(fuzzy_right(r) == (int(r["low"]) >= 4) for r in clear)
        total_in, total_clear, total_fuzzy = (
            total_in + inside,
            total_clear + len(clear),
            total_fuzzy + fuzzy,
        )
        shown = f"{fuzzy}/{len(clear)} {100 * fuzzy / len(clear):5.1f}%" if clear else "-"
        share = 100 * inside / len(pairs)
        print(f"{category:<22} {len(pairs):>5} {inside:>9} {share:>5.1f}%   {shown:>17}")
    print(
        f"{'all':<22} {len(rows):>5} {total_in:>9} {100 * total_in / len(rows):>5.1f}%   "
        f"{total_fuzzy}/{total_clear} {100 * total_fuzzy / total_clear:5.1f}%"
    )
    traps = sum(
        (int(r["low"]) >= 4 and not fuzzy_right(r)) or (int(r["high"]) <= 2 and fuzzy_right(r))
        for r in rows
    )
    share = 100 * traps / len(rows)
    print(f"traps a fuzzy score judges the wrong way: {traps} of {len(rows)} ({share:.1f}%)")


def confusion(rows: list[dict[str, str]], grades: list[int]) -> None:
    counts: Counter[tuple[str, int]] = Counter()
    ranges = sorted({(int(r["low"]), int(r["high"])) for r in rows})
    for row, g in zip(rows, grades, strict=True):
        counts[(f"{row['low']}–{row['high']}", g)] += 1
    print("\nteacher's range (rows) against the grade given (columns); * marks in range")
    print(f"{'range':<7}" + "".join(f"{g:>7}" for g in range(6)) + f"{'rows':>7}")
    for low, high in ranges:
        label = f"{low}–{high}"
        cells = ""
        for g in range(6):
            n = counts[(label, g)]
            cell = f"{n}{'*' if low <= g <= high else ' '}" if n else "."
            cells += f"{cell:>7}"
        print(f"{label:<7}{cells}{sum(counts[(label, g)] for g in range(6)):>7}")


def misses(rows: list[dict[str, str]]) -> None:
    missed = []
    for row in rows:
        judgement = grader.judge(row["expected"], row["typed"])
        if not int(row["low"]) <= judgement.grade <= int(row["high"]):
            missed.append((row, judgement))
    print(f"\nrows graded out of the teacher's range: {len(missed)}")
    for row, judgement in missed:
        expected = row["expected"].replace("\n", " / ")
        given = f"given {judgement.grade} ({judgement.reason})"
        print(f"- [{row['category']}] range {row['low']}–{row['high']}, {given}")
        print(f"    answer: {expected}")
        print(f"    typed:  {row['typed']}")


def timing(rows: list[dict[str, str]], runs: int) -> None:
    grader.grade("warm", "up")  # the lexicon is loaded once, at start
    results: dict[str, list[float]] = {}
    for name, caches in (("cold", PAIR_CACHES + WORD_CACHES), ("warm", PAIR_CACHES)):
        best = [float("inf")] * len(rows)
        for _ in range(runs):
            for i, row in enumerate(rows):
                for cached in caches:
                    cached.cache_clear()  # type: ignore[attr-defined]
                started = time.perf_counter()
                grader.grade(row["expected"], row["typed"])
                best[i] = min(best[i], (time.perf_counter() - started) * 1000)
        results[name] = sorted(best)
    print(f"\ntime to grade one answer ({len(rows)} rows, best of {runs} runs per row)")
    for name, times in results.items():
        p50 = statistics.median(times)
        p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
        verdict = "met" if p99 < TARGET_MS else "MISS"
        print(
            f"{name:<5} p50 {p50:6.2f} ms   p99 {p99:6.2f} ms   max {times[-1]:6.2f} ms   "
            f"p99 / target {p99 / TARGET_MS:4.2f} ({verdict}: p99 < {TARGET_MS:g} ms)"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timing runs (best kept per row)")
    args = parser.parse_args()
    rows = load()
    grades = [grader.grade(r["expected"], r["typed"]) for r in rows]
    agreement(rows, grades)
    confusion(rows, grades)
    misses(rows)
    timing(rows, args.runs)


if __name__ == "__main__":
    main()
