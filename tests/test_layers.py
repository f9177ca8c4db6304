"""The package's layers import one way: each module imports only from its own layer or below.

core < rules < engine < features < lsp < cli. Every import counts, module-level, inside a
function or under ``TYPE_CHECKING``, and no module of one package takes part in an import cycle
between packages or between modules (at run time: a type-only import under ``TYPE_CHECKING``
may point back, as long as it points down).
"""

from __future__ import annotations

import ast
from pathlib import Path

import param_lsp

PACKAGE = Path(param_lsp.__file__).parent
#: Lowest first. `param_lsp` itself (the version) and `__main__` sit at the ends.
LAYERS = ("param_lsp", "core", "rules", "engine", "features", "lsp", "cli", "__main__")
#: Imports allowed to go up a layer: none.
ALLOWED_UPWARD: frozenset[tuple[str, str]] = frozenset()


def _module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _type_checking_nodes(tree: ast.Module) -> set[int]:
    """Ids of the nodes inside `if TYPE_CHECKING:` blocks (never run)."""
    inside: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            inside.update(id(sub) for stmt in node.body for sub in ast.walk(stmt))
    return inside


def _imports(*, at_run_time: bool = False) -> dict[str, set[str]]:
    """Module → the package's modules it imports (a `from x import y` of a submodule counts y);
    ``at_run_time`` leaves out the imports under `if TYPE_CHECKING:`."""
    modules = {_module_name(path): path for path in PACKAGE.rglob("*.py")}
    found: dict[str, set[str]] = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skipped = _type_checking_nodes(tree) if at_run_time else set()
        for node in ast.walk(tree):
            if id(node) in skipped:
                continue
            if isinstance(node, ast.Import):
                targets.update(alias.name for alias in node.names)
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[: len(package.split(".")) - node.level + 1]
                    source = ".".join([*base, *([node.module] if node.module else [])])
                else:
                    source = node.module or ""
                targets.add(source)
                targets.update(f"{source}.{alias.name}" for alias in node.names)
        found[name] = {t for t in targets if t in modules and t != name}
    return found


def _layer(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else parts[0]


def test_every_module_is_in_a_layer() -> None:
    assert {_layer(module) for module in _imports()} <= set(LAYERS)


def test_no_module_imports_from_a_layer_above_it() -> None:
    upward = sorted(
        (module, target)
        for module, targets in _imports().items()
        for target in targets
        if LAYERS.index(_layer(target)) > LAYERS.index(_layer(module))
        and (module, target) not in ALLOWED_UPWARD
    )
    assert upward == []


def test_core_imports_nothing_else_of_the_package() -> None:
    assert {
        (module, target)
        for module, targets in _imports().items()
        if _layer(module) == "core"
        for target in targets
        if _layer(target) not in ("core", "param_lsp")
    } == set()


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one member (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    result: list[list[str]] = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                members = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    members.append(member)
                    if member == node:
                        break
                if len(members) > 1:
                    result.append(sorted(members))
    return result


def test_no_import_cycle_between_packages() -> None:
    packages: dict[str, set[str]] = {}
    for module, targets in _imports().items():
        packages.setdefault(_layer(module), set()).update(
            _layer(target) for target in targets if _layer(target) != _layer(module)
        )
    assert _cycles(packages) == []


def test_no_import_cycle_between_modules() -> None:
    graph = _imports(at_run_time=True)
    # A package's __init__ is imported on the way to any of its modules: not an edge back.
    assert _cycles({m: {t for t in ts if not _is_parent(t, m)} for m, ts in graph.items()}) == []


def _is_parent(package: str, module: str) -> bool:
    return module.startswith(package + ".")


def test_the_walk_sees_function_level_and_relative_imports() -> None:
    graph = _imports()
    # engine.analyze imports the rule families at module level; the check must see them all.
    assert {"param_lsp.rules.dag", "param_lsp.rules.registry"} <= graph["param_lsp.engine.analyze"]
    # core.detect names the project configuration only for type checking.
    assert "param_lsp.core.project" in graph["param_lsp.core.detect"]
    assert "param_lsp.core.project" not in _imports(at_run_time=True)["param_lsp.core.detect"]
    # cli.main imports the server inside the `serve` command.
    assert "param_lsp.lsp.server" in graph["param_lsp.cli.main"]
