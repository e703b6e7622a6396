"""The benchmark scripts run and measure what they say they measure (their figures are read by hand)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from govxl.merge import MERGED_STATUSES, merge
from tests.conftest import ROOT, WHEN, require
from tests.helpers import load_script, sheet_values


def _bench(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, str(ROOT / "benchmarks" / script), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=600, check=False)


def test_the_audit_benchmark_runs_on_a_small_set() -> None:
    done = _bench("bench_audit.py", "30")
    assert done.returncode == 0, done.stderr
    row = next(line.split() for line in done.stdout.splitlines() if line.strip().startswith("30 "))
    assert float(row[1]) > 0 and float(row[3]) > 0  # seconds and peak MB measured
    assert "ms per page" in done.stdout


def test_the_merge_benchmark_times_two_merges_that_give_the_same_totals(tmp_path: Path) -> None:
    """bench_merge.py compares govxl merge with an openpyxl script: both must sum the same returns to the same
    totals, or the ratio it prints compares unlike work. Its returns have the slips its docstring promises."""
    require(shutil.which("soffice") or shutil.which("libreoffice"), "LibreOffice (soffice)", "scripts/test.sh")
    bench = load_script("benchmarks/bench_merge.py")
    folder = bench.returns(20)  # cached under benchmarks/.data, as when the benchmark runs
    result = merge([folder], when=WHEN)
    assert len(result.units) == 20 and not [e for e in result.files if e.status not in MERGED_STATUSES]
    assert {f.rule for f in result.errors} & {"A1", "B1", "B2", "B3"}  # one return in 20 with a typing slip
    out = tmp_path / "baseline.xlsx"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-c", bench.BASELINE, str(bench.YEAR), str(folder), str(out)]
    subprocess.run(command, env=env, check=True, capture_output=True, timeout=300)
    baseline = {str(key): float(total) for key, total in sheet_values(out)["汇总"]}
    assert baseline.keys() == result.totals.keys()
    assert [k for k, total in baseline.items() if abs(total - result.totals[k]) > 1e-6] == []
    assert sum(baseline.values()) > 0
