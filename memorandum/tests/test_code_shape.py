"""The shape of the code: no module over 600 lines, no view over 40.

docs/architecture.md promises that a module is cut into a package when it passes ~600 lines
and that a view is at most 40 lines (decorators, fetch the object for this user, a form, one
service call, a message, redirect or render). These tests keep the promise checked, and name
every offender so the failure says where to look.

A view module is a ``views.py`` module, a module inside a ``views/`` package, or any module a
URL pattern routes to (``survey/voting.py`` holds views too); every function in it and every
method of its classes is measured, helpers included. A function's length counts its decorators, its signature, docstring and body.
"""

import ast
import inspect
from collections.abc import Iterator
from pathlib import Path

from django.urls import URLPattern, URLResolver, get_resolver

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("memorandum", "ranking")
SKIPPED_DIRECTORIES = {"migrations", ".venv", "__pycache__", "node_modules"}
MAX_MODULE_LINES = 600
MAX_VIEW_LINES = 40
# Modules over the limit whose split waits for other work on them to land, each with the reason.
# The test fails once an entry is no longer over the limit, so an entry cannot outlive its need.
WAITING: dict[str, str] = {}


def python_modules() -> Iterator[Path]:
    """Every Python file of our own packages, migrations left out."""
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if not SKIPPED_DIRECTORIES.intersection(path.relative_to(ROOT).parts):
                yield path


def span(node: ast.FunctionDef | ast.AsyncFunctionDef) -> int:
    """Lines a function takes, from its first decorator to its last line."""
    first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
    return node.end_lineno - first + 1


def functions_in(tree: ast.Module) -> Iterator[tuple[str, ast.FunctionDef | ast.AsyncFunctionDef]]:
    """Module-level functions and the methods of module-level classes, with qualified names."""
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node.name, node
        elif isinstance(node, ast.ClassDef):
            for member in node.body:
                if isinstance(member, ast.FunctionDef | ast.AsyncFunctionDef):
                    yield f"{node.name}.{member.name}", member


def routed_callbacks(patterns=None) -> Iterator[object]:
    """Every callable a URL pattern of the project routes to."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(pattern, URLResolver):
            yield from routed_callbacks(pattern.url_patterns)
        elif isinstance(pattern, URLPattern):
            yield pattern.callback


def routed_modules() -> set[Path]:
    """Source files of the views the URL patterns route to, in our own packages (Django's own
    views are not ours to measure)."""
    modules = set()
    for callback in routed_callbacks():
        view = getattr(callback, "view_class", None) or inspect.unwrap(callback)
        if getattr(view, "__module__", "").startswith(tuple(f"{name}." for name in PACKAGES)):
            modules.add(Path(inspect.getsourcefile(view)).resolve())
    return modules


def view_modules() -> Iterator[Path]:
    """``views.py`` modules, modules inside a ``views/`` package, and any other module holding a
    routed view (``survey/voting.py``)."""
    routed = routed_modules()
    for path in python_modules():
        if (
            path.name == "views.py"
            or "views" in path.relative_to(ROOT).parts[:-1]
            or path in routed
        ):
            yield path


def test_no_module_is_longer_than_600_lines():
    """Every module outside migrations fits in 600 lines; a longer one becomes a package."""
    too_long, waiting = [], set()
    for path in python_modules():
        count = len(path.read_text(encoding="utf-8").splitlines())
        if count > MAX_MODULE_LINES:
            name = str(path.relative_to(ROOT))
            if name in WAITING:
                waiting.add(name)
            else:
                too_long.append(f"{name}: {count} lines")
    assert not too_long, "Modules over 600 lines:\n" + "\n".join(too_long)
    assert waiting == set(WAITING), (
        f"No longer over 600 lines, remove from WAITING: {set(WAITING) - waiting}"
    )


def test_no_view_is_longer_than_40_lines():
    """Every view function and view method fits in 40 lines; business rules live elsewhere."""
    too_long = []
    for path in view_modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, node in functions_in(tree):
            if span(node) > MAX_VIEW_LINES:
                too_long.append(f"{path.relative_to(ROOT)}: {name} ({span(node)} lines)")
    assert not too_long, "Views over 40 lines:\n" + "\n".join(too_long)


def test_the_checker_sees_every_app_and_the_routed_views_outside_views_modules():
    """The walk finds the modules it promises to measure, so a passing check means something."""
    names = {str(path.relative_to(ROOT)) for path in python_modules()}
    assert "memorandum/survey/views.py" in names
    assert "ranking/__init__.py" in names
    assert "memorandum/tests/test_code_shape.py" in names
    assert not any("/migrations/" in name for name in names)
    measured = {str(path.relative_to(ROOT)) for path in view_modules()}
    assert {"memorandum/survey/views.py", "memorandum/survey/voting.py"} <= measured
    assert "memorandum/survey/models/surveys.py" not in measured
