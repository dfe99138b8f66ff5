"""The pure core and the services import no web framework (issue 9 §6)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parent.parent / "app"
WEB_FRAMEWORKS = ("fastapi", "starlette")
PURE = ("bpmn", "services")


def _imported_modules(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names: list[str] = []
    for node in ast.walk(tree):  # every import, also inside functions and TYPE_CHECKING blocks
        if isinstance(node, ast.Import):
            names.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.append(node.module)
    return names


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


def test_the_error_tree_is_pure() -> None:
    assert not [m for m in _imported_modules(APP / "errors.py") if _is_web(m)]
    assert not [m for m in _imported_modules(APP / "db.py") if _is_web(m)]


def test_the_check_finds_an_import(tmp_path: Path) -> None:
    module = tmp_path / "m.py"
    module.write_text("def f():\n    from starlette.requests import Request\n    import fastapi\n")
    assert [m for m in _imported_modules(module) if _is_web(m)] == ["starlette.requests", "fastapi"]
