"""The frontend's own unit tests (node --test: the city's bpmnlint rule set), run from pytest."""

from __future__ import annotations

import shutil
import subprocess

import pytest

from tests.web.conftest import FRONTEND


def test_frontend_unit_tests_pass() -> None:
    node = shutil.which("node")
    if node is None or not (FRONTEND / "node_modules" / "bpmnlint").exists():
        pytest.skip("node or frontend/node_modules missing (npm ci in frontend/)")
    result = subprocess.run(
        [node, "--test", "test/"], cwd=FRONTEND, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "# fail 0" in result.stdout
