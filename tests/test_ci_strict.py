"""In CI a missing tool fails a test, never skips it; on a developer's machine it may skip."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, TESTS, require


def test_require_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="openxml-audit is required in CI"):
        require(None, "openxml-audit", "pip install -e '.[test]'")
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="openxml-audit is not available here"):
        require(None, "openxml-audit", "pip install -e '.[test]'")
    require("/usr/bin/x", "x", "")  # found: nothing happens


SKIPPING = """
import pytest

def test_skipped_at_run_time():
    pytest.skip("no such tool")

@pytest.mark.skipif(True, reason="no such tool")
def test_skipped_by_a_mark():
    pass

def test_skipped_by_importorskip():
    pytest.importorskip("no_such_module_at_all")

@pytest.mark.xfail(reason="a known failure stays a known failure", strict=True)
def test_expected_to_fail():
    assert False

def test_passes():
    pass
"""


def test_every_kind_of_skip_fails_under_ci(tmp_path: Path) -> None:
    (tmp_path / "conftest.py").write_text("from tests.conftest import pytest_runtest_makereport  # noqa: F401\n")
    (tmp_path / "test_skips.py").write_text(SKIPPING)
    env = {**os.environ, "CI": "true", "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-rfE", str(tmp_path)]
    done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and "2 failed, 1 passed, 1 xfailed, 1 error" in done.stdout, done.stdout  # mark: setup
    assert done.stdout.count("skipped in CI, where every test must run") == 6  # each in the report and summary
    assert "no such tool" in done.stdout and "no_such_module_at_all" in done.stdout


def test_tests_skip_only_through_require() -> None:
    """A new ``pytest.skip`` elsewhere would still fail in CI (the hook), but without saying what to install."""
    calls = []
    for path in sorted(TESTS.rglob("*.py")):
        if path.name in ("conftest.py", "test_ci_strict.py"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Attribute) and node.attr in ("skip", "skipif", "importorskip"):
                calls.append(f"{path.relative_to(TESTS)}:{node.lineno} {node.attr}")
    assert calls == []
