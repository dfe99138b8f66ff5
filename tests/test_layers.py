"""The pure core and the services import no web framework (issue 9 §6), not even through the
app modules they import."""

from __future__ import annotations

import ast
import functools
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
WEB_FRAMEWORKS = ("fastapi", "starlette")
PURE = ("bpmn", "services")


@functools.cache
def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):  # every import, also inside functions and TYPE_CHECKING blocks
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
            # `from app import auth` imports the module app.auth
            names.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _source(module: str) -> Path | None:
    """The file of an `app.…` module, if it is one."""
    base = APP.parent.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    return None


def _web_chain(path: Path, seen: set[Path]) -> list[str]:
    """The import chain from `path` to a web framework through app modules, or []."""
    seen.add(path)
    for module in _imported_modules(path):
        if _is_web(module):
            return [module]
        source = _source(module) if module.startswith("app.") else None
        if source is not None and source not in seen and (chain := _web_chain(source, seen)):
            return [module, *chain]
    return []


def _is_web(module: str) -> bool:
    return module.split(".")[0] in WEB_FRAMEWORKS


def _files(package: str) -> list[Path]:
    return sorted((APP / package).rglob("*.py"))


@pytest.mark.parametrize("package", PURE)
def test_no_web_framework_imports(package: str) -> None:
    files = _files(package)
    assert files, f"no modules found under app/{package}"
    offenders = [
        f"{path.relative_to(APP.parent)}: {module}"
        for path in files
        for module in _imported_modules(path)
        if _is_web(module)
    ]
    assert offenders == []


@pytest.mark.parametrize("package", PURE)
def test_no_web_framework_through_the_app_modules_they_import(package: str) -> None:
    chains = {
        str(path.relative_to(APP.parent)): chain
        for path in _files(package)
        if (chain := _web_chain(path, set()))
    }
    assert chains == {}


def test_the_error_tree_is_pure() -> None:
    assert not [m for m in _imported_modules(APP / "errors.py") if _is_web(m)]
    assert not [m for m in _imported_modules(APP / "db.py") if _is_web(m)]


def test_the_check_finds_an_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from starlette.requests import Request\n    import fastapi\n")
    assert [m for m in _imported_modules(module) if _is_web(m)] == [
        "starlette.requests",
        "starlette.requests.Request",
        "fastapi",
    ]


def test_the_chain_is_followed_through_app_modules() -> None:
    assert _web_chain(APP / "auth.py", set())  # app.auth is the request side: it may use fastapi
    assert _web_chain(APP / "api" / "v1.py", set())[-1].startswith("fastapi")
