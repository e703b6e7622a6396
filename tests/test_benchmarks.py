"""The benchmark scripts still run (their figures are measured by hand, not here)."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT


def _bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "benchmarks" / script), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def test_the_audit_benchmark_runs_on_a_small_set() -> None:
    done = _bench("bench_audit.py", "30")
    assert done.returncode == 0, done.stderr
    row = next(line.split() for line in done.stdout.splitlines() if line.strip().startswith("30 "))
    assert float(row[1]) > 0 and float(row[3]) > 0  # seconds and peak MB measured
    assert "ms per page" in done.stdout


def test_the_merge_benchmark_parses_its_arguments() -> None:
    done = _bench("bench_merge.py", "--help")
    assert done.returncode == 0 and "--with-check" in done.stdout, done.stderr
