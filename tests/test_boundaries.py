"""The dependency rule: the pure core never imports the database or the CLI layer, and
the persistence package never imports the application."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PURE_CORE = ["sm2", "deckfile", "deckfile_checks", "facts", "session", "errors",
             "extract", "grading", "quiz", "stats", "stats_render",
             "normalise", "vocabulary", "word_diff", "leeches",
             "phrasing", "reverse", "extract_blocks", "extract_deck", "extract_labels",
             "extract_lexicon", "extract_names", "extract_page", "extract_prose",
             "extract_tables", "reverse_cues"]  # fmt: skip
FORBIDDEN_IN_CORE = ("sqlalchemy", "click", "flashcards_db", "genanki", "rich", "alembic")


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _core_files() -> list[Path]:
    return [
        ROOT / "flashcards" / f"{m}.py"
        for m in PURE_CORE
        if (ROOT / "flashcards" / f"{m}.py").exists()
    ]


@pytest.mark.parametrize("path", _core_files(), ids=lambda p: p.stem)
def test_pure_core_module_imports_no_database_cli_or_export_library(path: Path) -> None:
    bad = {n for n in _imports(path) if n.split(".")[0] in FORBIDDEN_IN_CORE}
    core = {f"flashcards.{m}" for m in PURE_CORE}
    bad |= {n for n in _imports(path) if n.startswith("flashcards.") and n not in core}
    assert not bad, f"{path.name} imports {sorted(bad)}"


def test_pure_core_loads_without_sqlalchemy_or_click_in_a_fresh_interpreter() -> None:
    modules = [f"flashcards.{p.stem}" for p in _core_files()]
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    loaded = set(json.loads(subprocess.check_output([sys.executable, "-c", code], text=True)))
    assert not loaded & set(FORBIDDEN_IN_CORE)


def test_persistence_package_imports_nothing_from_the_application() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            n for n in _imports(path) if n.split(".")[0] == "flashcards"
        )
        for path in (ROOT / "flashcards_db").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}
