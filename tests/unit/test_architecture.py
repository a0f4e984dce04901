"""The shape of the code: package faces, what the edges may import, no import cycles.

Modelled on httpx's ``tests/test_exported_members.py``: every service area's ``__init__`` is its
public face and lists exactly its public names in ``__all__``; the edges (``cli/``, ``api/``,
``web/``) import services only through those faces, and reach SQLAlchemy and ``rapport.db`` only
through the one wiring point (``rapport.wiring``).
"""

from __future__ import annotations

import ast
import importlib
import pkgutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

import rapport
import rapport.services

SRC = Path(rapport.__file__).parent
EDGES = ("cli", "api", "web")
#: Shared kernel modules of the services that the edges may use besides the area faces.
KERNEL = {"rapport.services.context", "rapport.services.paging"}


def _area_packages() -> list[str]:
    found = []
    for info in pkgutil.walk_packages(rapport.services.__path__, "rapport.services."):
        if info.ispkg and not info.name.rsplit(".", 1)[-1].startswith("_"):
            found.append(info.name)
    return sorted(found)


AREAS = _area_packages()


def test_the_areas_are_the_business_areas() -> None:
    names = {name.removeprefix("rapport.services.") for name in AREAS}
    assert {
        "setup", "contacts", "contacts.files", "templates", "campaigns", "segments", "criteria",
        "log", "interactions", "demo",
    } <= names  # fmt: skip


def _own_subpackage(face: ModuleType, name: str) -> bool:
    """Whether ``name`` is a subpackage of ``face`` that the face does not re-export: an area of
    its own, loaded on its own (``segments.files``), which Python sets on its parent when it is
    imported."""
    value = vars(face)[name]
    return (isinstance(value, ModuleType) and value.__name__ == f"{face.__name__}.{name}"
            and name not in face.__all__)


@pytest.mark.parametrize("area", AREAS)
def test_every_public_name_of_a_face_is_exported(area: str) -> None:
    face = importlib.import_module(area)
    names = (n for n in vars(face) if not n.startswith("_") and not _own_subpackage(face, n))
    public = sorted(names, key=lambda n: (n.casefold(), n))
    assert face.__all__ == public


def test_a_face_does_not_load_a_subpackage_it_does_not_export() -> None:
    """``rapport segments …`` loads the segments face without the export and the contact files'
    writer behind it (only ``rapport segments export`` needs them)."""
    probe = "import sys, rapport.services.segments; print(*sorted(sys.modules))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    loaded = done.stdout.split()
    assert [m for m in loaded if m.startswith(("rapport.services.segments.files",
                                               "rapport.services.contacts"))] == []


@pytest.mark.parametrize("area", AREAS)
def test_a_face_exports_only_what_exists(area: str) -> None:
    face = importlib.import_module(area)
    missing = [name for name in face.__all__ if not hasattr(face, name)]
    assert missing == []


def _python_files(folder: Path) -> Iterator[Path]:
    yield from sorted(folder.rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(SRC.parent).with_suffix("").parts
    name = ".".join(parts)
    return name.removesuffix(".__init__")


def _imports(path: Path) -> Iterator[tuple[str, list[str], bool]]:
    """(module, names, at module level) for every import statement of a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = set()
    for statement in tree.body:
        if isinstance(statement, ast.If) and "TYPE_CHECKING" in ast.unparse(statement.test):
            continue
        top.add(id(statement))
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, [], id(node) in top
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                module = f"{base}.{module}" if module else base
            yield module, [a.name for a in node.names], id(node) in top


def _edge_files() -> Iterator[Path]:
    for edge in EDGES:
        if (SRC / edge).is_dir():
            yield from _python_files(SRC / edge)


def test_edges_import_services_only_through_faces() -> None:
    wrong = []
    for path in _edge_files():
        for module, names, _ in _imports(path):
            if not module.startswith("rapport.services") or module in KERNEL:
                continue
            if module == "rapport.services":
                targets = [f"rapport.services.{n}" for n in names]
            else:
                targets = [module]
            wrong += [f"{path.name}: {t}" for t in targets if t not in AREAS and t not in KERNEL]
    assert wrong == []


def test_edges_reach_the_database_only_through_the_wiring_point() -> None:
    wrong = [
        f"{path.relative_to(SRC)}: {module}"
        for path in _edge_files()
        for module, _, _ in _imports(path)
        if module.split(".")[0] == "sqlalchemy" or module.startswith("rapport.db")
    ]
    assert wrong == []


def _graph() -> dict[str, set[str]]:
    """Module → the rapport modules it imports at module level (submodule imports resolved)."""
    modules = {_module_name(p): p for p in _python_files(SRC)}
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for module, names, top in _imports(path):
            if not top or not module.startswith("rapport"):
                continue
            for item in names or [""]:
                sub = f"{module}.{item}"
                target = sub if sub in modules else module
                if target in modules and target != name:
                    graph[name].add(target)
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
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
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_import_graph_has_no_cycle() -> None:
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": set()}) == [["a", "b", "c"]]


def test_no_module_defers_an_import_of_rapport_to_hide_a_cycle() -> None:
    """Function-level imports of rapport modules are allowed only in the edges (start-up speed)
    and the wiring point (migrations load Alembic only when asked)."""
    allowed = {f"rapport.{edge}" for edge in EDGES} | {"rapport.wiring"}
    deferred = [
        f"{_module_name(path)} → {module}"
        for path in _python_files(SRC)
        if not any(_module_name(path).startswith(prefix) for prefix in allowed)
        for module, _, top in _imports(path)
        if not top and module.startswith("rapport")
    ]
    assert deferred == []


def _loaded(name: str) -> ModuleType:
    return importlib.import_module(name)


def test_every_module_imports_on_its_own() -> None:
    for info in pkgutil.walk_packages(rapport.__path__, "rapport."):
        assert _loaded(info.name).__name__ == info.name


def test_the_schema_head_is_the_migrations_head() -> None:
    from alembic.script import ScriptDirectory

    from rapport.db.migrate import alembic_config
    from rapport.db.schema import HEAD

    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD
