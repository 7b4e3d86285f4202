"""The code's shape, checked on every run: no import cycle between the project's modules, no module over 400
lines, and workflow apps never importing the apps that read them (oversight, yearend, assessment, accountability).

Every module of the project's own packages is parsed (migrations and tests excluded); every import counts,
including one inside a function: a lazy import that hides a cycle is still a cycle."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_LINES = 400
SKIP_DIRS = {"tests", "migrations", "node_modules", "static", "templates", "locale", "var"}
# Apps that read the workflow apps to report on them; nothing below them may import them.
READERS = {"oversight", "yearend", "assessment", "accountability"}
WORKFLOW = {"accounts", "branches", "common", "ops", "responsibility", "reports", "rectification", "orglife",
            "notifications"}


def project_modules() -> dict[str, Path]:
    """Dotted name → file for every module of the top-level packages (folders with __init__.py)."""
    modules = {}
    for package in sorted(p for p in ROOT.iterdir() if (p / "__init__.py").exists() and p.name not in SKIP_DIRS
                          and not p.name.startswith(".")):
        for path in package.rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if SKIP_DIRS & set(parts[:-1]) or any(part.startswith(".") for part in parts):
                continue
            name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
            modules[name] = path
    return modules


def _type_checking_only(node: ast.AST, parents: dict) -> bool:
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            return True
    return False


def imports_of(name: str, path: Path, modules: dict[str, Path]) -> set[str]:
    """The project modules `name` imports anywhere in its body (TYPE_CHECKING blocks aside)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()

    def resolve(dotted: str) -> str | None:
        while dotted and dotted not in modules:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    for node in ast.walk(tree):
        if _type_checking_only(node, parents):
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[:len(anchor) - node.level + 1]
                base = ".".join(anchor + ([base] if base else []))
            targets = [f"{base}.{alias.name}" for alias in node.names] or [base]
        else:
            continue
        for target in targets:
            module = resolve(target)
            if module and module != name:
                found.add(module)
    return found


def import_graph() -> dict[str, set[str]]:
    modules = project_modules()
    return {name: imports_of(name, path, modules) for name, path in modules.items()}


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan, iteratively)."""
    index, low, on_stack, stack, found, counter = {}, {}, set(), [], [], [0]
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in graph:
                    continue
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
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
    return found


def test_the_checker_finds_a_cycle_and_ignores_a_chain():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []


def test_the_graph_sees_function_level_and_relative_imports(tmp_path):
    modules = {"pkg": tmp_path / "pkg/__init__.py", "pkg.a": tmp_path / "pkg/a.py", "pkg.b": tmp_path / "pkg/b.py",
               "other.c": tmp_path / "other/c.py"}
    (tmp_path / "pkg").mkdir()
    modules["pkg.a"].write_text("from . import b\n\ndef f():\n    from other.c import thing\n", encoding="utf-8")
    assert imports_of("pkg.a", modules["pkg.a"], modules) == {"pkg.b", "other.c"}


def test_no_import_cycles():
    graph = import_graph()
    assert "reports.models" in graph and graph["reports.models"], "the project's modules were not found"
    assert cycles(graph) == []


def test_no_module_over_400_lines():
    too_long = {name: n for name, path in project_modules().items()
                if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert too_long == {}


def test_workflow_apps_never_import_the_apps_that_read_them():
    upward = {name: sorted(t for t in targets if t.split(".")[0] in READERS)
              for name, targets in import_graph().items() if name.split(".")[0] in WORKFLOW}
    assert {name: targets for name, targets in upward.items() if targets} == {}
