"""The dependency rule: the pure core never imports the database, the CLI or the use-cases;
the Anki room and the use-cases never import the CLI; the persistence package never imports
the application; and no module imports another that imports it back."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# The pure core: modules at the top of `flashcards/` and whole packages of it.
PURE_CORE = [
    "sm2", "errors", "quiz", "scheduling", "authoring", "extract", "grading", "progress", "search"
]  # fmt: skip
FORBIDDEN_IN_CORE = ("sqlalchemy", "click", "flashcards_db", "genanki", "rich", "alembic")
ROOMS_ABOVE_ANKI = ("flashcards.cli", "flashcards.web")


def _imports(path: Path) -> set[str]:
    """Every absolute import of a module, those inside functions included."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _files(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def _core_files() -> list[Path]:
    found: list[Path] = []
    for name in PURE_CORE:
        module = ROOT / "flashcards" / f"{name}.py"
        found.extend([module] if module.exists() else _files(f"flashcards/{name}"))
    return found


def _in_core(module: str) -> bool:
    return any(
        module == f"flashcards.{m}" or module.startswith(f"flashcards.{m}.") for m in PURE_CORE
    )


def test_the_core_rooms_exist_and_the_top_holds_only_the_package_face() -> None:
    top = sorted(p.name for p in (ROOT / "flashcards").glob("*.py"))
    assert top == ["__init__.py", "__main__.py", "errors.py", "quiz.py", "sm2.py"]
    assert len(_core_files()) > len(PURE_CORE)  # the packages were found, not skipped


@pytest.mark.parametrize("path", _core_files(), ids=_module_name)
def test_pure_core_module_imports_no_database_cli_or_use_case(path: Path) -> None:
    imports = _imports(path)
    bad = {n for n in imports if n.split(".")[0] in FORBIDDEN_IN_CORE}
    bad |= {n for n in imports if n.startswith("flashcards.") and not _in_core(n)}
    assert not bad, f"{_module_name(path)} imports {sorted(bad)}"


def test_pure_core_loads_without_sqlalchemy_or_click_in_a_fresh_interpreter() -> None:
    modules = [_module_name(p) for p in _core_files()]
    code = (
        "import importlib, json, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "print(json.dumps(sorted({n.split('.')[0] for n in sys.modules})))"
    )
    loaded = set(json.loads(subprocess.check_output([sys.executable, "-c", code], text=True)))
    assert not loaded & set(FORBIDDEN_IN_CORE)


def test_the_anki_room_imports_no_command_line_or_web_page() -> None:
    offenders = {
        _module_name(path): sorted(
            n for n in _imports(path) if n == "click" or n.startswith(ROOMS_ABOVE_ANKI)
        )
        for path in _files("flashcards/anki")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_use_cases_import_no_command_line_or_terminal_library() -> None:
    offenders = {
        _module_name(path): sorted(
            n
            for n in _imports(path)
            if n.split(".")[0] in ("click", "rich") or n.startswith(ROOMS_ABOVE_ANKI)
        )
        for path in _files("flashcards/study")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_persistence_package_imports_nothing_from_the_application() -> None:
    offenders = {
        _module_name(path): sorted(n for n in _imports(path) if n.split(".")[0] == "flashcards")
        for path in _files("flashcards_db")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def _import_graph() -> dict[str, set[str]]:
    """Module -> the project's modules it imports (``from pkg import mod`` names ``pkg.mod``)."""
    paths = {_module_name(p): p for pkg in ("flashcards", "flashcards_db") for p in _files(pkg)}
    graph: dict[str, set[str]] = {}
    for module, path in paths.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                edges.update(a.name for a in node.names if a.name in paths)
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                if node.module in paths:
                    edges.add(node.module)
                edges.update(f"{node.module}.{a.name}" for a in node.names)
        graph[module] = {e for e in edges if e in paths and e != module}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph[node]:
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def _without_package_faces(graph: dict[str, set[str]]) -> dict[str, set[str]]:
    """A package's face re-exporting its own module is how Python packages work, not a circle:
    drop the edges from a package to the modules inside it."""
    return {m: {e for e in edges if not e.startswith(m + ".")} for m, edges in graph.items()}


def test_no_module_imports_another_that_imports_it_back() -> None:
    assert _cycles(_without_package_faces(_import_graph())) == []


def test_the_circle_finder_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


def test_nothing_but_the_command_line_imports_the_web_page() -> None:
    offenders = {
        _module_name(path): sorted(n for n in _imports(path) if n.startswith("flashcards.web"))
        for package in ("flashcards", "flashcards_db")
        for path in _files(package)
        if not _module_name(path).startswith(("flashcards.web", "flashcards.cli"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
