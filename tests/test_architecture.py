"""The shape of the code base, checked so it stays the way a maintainer can follow it.

- No import cycles between the portal's modules, counting imports inside functions too: a cycle
  hidden in a function is still two modules that cannot be understood one without the other.
- No module over 500 lines, except the demo generators, which are long lists of fictional data.
- Settings are read as `settings.X` (defaults live in settings.py), never through `getattr` with a
  silent default.
"""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("pep_portal", "schools", "dashboard", "governance", "strategy", "communications", "events", "search",
            "reports", "support", "refresh", "bench")
MAX_LINES = 500
# Fictional data written out row by row: long by nature, read by nobody line by line.
DEMO_GENERATORS = {"schools/demo_generator.py", "schools/demo_performance.py", "strategy/demo.py"}


def portal_modules():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path, known):
    """Every portal module `path` imports, at the top or inside a function."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.update(_known_prefix(alias.name, known) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = _absolute(node, package)
            for alias in node.names:
                # `from . import ratings` names a module; `from .models import School` a name in one.
                found.add(_known_prefix(f"{base}.{alias.name}", known) or _known_prefix(base, known))
    found.discard(None)
    found.discard(name)
    return found


def _absolute(node, package):
    if not node.level:
        return node.module
    base = package.split(".")
    if node.level > 1:
        base = base[: -(node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def _known_prefix(dotted, known):
    while dotted:
        if dotted in known:
            return dotted
        dotted = dotted.rpartition(".")[0]
    return None


def import_graph():
    paths = {module_name(p): p for p in portal_modules()}
    known = set(paths)
    # A package's __init__ is imported with any of its modules, but it is not a cycle for a module to
    # live in a package, so edges to a package's own __init__ from inside it are left out.
    return {name: {m for m in imported_modules(path, known) if not name.startswith(m + ".")}
            for name, path in paths.items()}


def cycles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = set()
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.add(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return found


def test_the_cycle_finder_finds_a_cycle_through_three_modules():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_no_import_cycles_between_the_portals_modules():
    assert cycles(import_graph()) == []


def test_no_module_is_over_500_lines_outside_the_demo_generators():
    long = {}
    for path in portal_modules():
        rel = path.relative_to(ROOT).as_posix()
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES and rel not in DEMO_GENERATORS:
            long[rel] = lines
    for path in sorted((ROOT / "tests").rglob("*.py")):
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES:
            long[path.relative_to(ROOT).as_posix()] = lines
    assert long == {}


def test_settings_are_read_directly_never_through_getattr_with_a_default():
    pattern = re.compile(r"getattr\(\s*settings\b")
    readers = [module_name(p) for p in portal_modules() if pattern.search(p.read_text())]
    assert readers == []
