"""Benchmark: `govxl merge` end to end against a plain openpyxl merge, on N generated returns.

    python benchmarks/bench_merge.py            # N = 1000
    python benchmarks/bench_merge.py 250 500 1000
    python benchmarks/bench_merge.py 980+20     # 980 good returns and 20 broken ones (tests/corpus/)

Generated returns are cached under benchmarks/.data/ (not committed). Each
merge runs in a fresh process, timed from start to exit, with its peak memory.
"""

from __future__ import annotations

import os
import platform
import random
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from govxl.editions import edition_for_year  # noqa: E402
from govxl.excel.template import build_template  # noqa: E402
from govxl.synth import consistent_values  # noqa: E402

YEAR = 2025
DATA = ROOT / "benchmarks" / ".data"

BASELINE = r"""
import sys
from pathlib import Path
import openpyxl
from govxl.editions import edition_for_year
from govxl.layout import layouts

edition = edition_for_year(int(sys.argv[1]))
cells = [(lay.sheet, c.key, c.ref) for lay in layouts(edition) for c in lay.cells]
totals = dict.fromkeys((k for _, k, _ in cells), 0.0)
for path in sorted(Path(sys.argv[2]).glob("*.xlsx")):
    wb = openpyxl.load_workbook(path, data_only=True)
    for sheet, key, ref in cells:
        v = wb[sheet][ref].value
        if isinstance(v, (int, float)):
            totals[key] += v
    wb.close()
out = openpyxl.Workbook()
ws = out.active
for i, (key, total) in enumerate(totals.items(), start=1):
    ws.cell(i, 1, key)
    ws.cell(i, 2, total)
out.save(sys.argv[3])
"""


def returns(n: int) -> Path:
    folder = DATA / f"returns_{n}"
    if folder.exists() and len(list(folder.glob("*.xlsx"))) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    edition = edition_for_year(YEAR)
    rng = random.Random(n)
    for i in range(n):
        build_template(
            folder / f"unit_{i:05d}.xlsx",
            edition,
            YEAR,
            unit=f"第{i:05d}号单位",
            values=consistent_values(edition, rng),
        )
    return folder


_MEASURE = (
    "import resource, subprocess, sys, time; t = time.perf_counter(); "
    "code = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL).returncode; "
    "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, code)"
)


def timed(cmd: list[str], allowed: tuple[int, ...] = (0,)) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB) of a command, measured in a fresh wrapper process."""
    out = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], check=False, capture_output=True, text=True)
    wall, peak_kb, code = out.stdout.split() if out.stdout else ("0", "0", "-1")
    if int(code) not in allowed:
        raise SystemExit(f"failed ({code}): {' '.join(cmd)}\n{out.stderr}")
    return float(wall), int(peak_kb) / 1024


def broken(k: int) -> Path:
    folder = DATA / f"broken_{k}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    corpus = sorted(p for p in (ROOT / "tests" / "corpus").glob("*.xlsx") if p.stat().st_size < 50_000)
    for i in range(k):
        shutil.copy(corpus[i % len(corpus)], folder / f"broken_{i:03d}.xlsx")
    return folder


def main(sizes: list[str]) -> None:
    system = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()}"
    print(f"machine: {system}")
    print(f"{'N':>8} {'govxl merge (s)':>16} {'peak MB':>8} {'openpyxl (s)':>13} {'speed-up':>9}")
    govxl = [sys.executable, "-m", "govxl.cli"]
    for size in sizes:
        n, _, k = size.partition("+")
        folders = [returns(int(n))] + ([broken(int(k))] if k else [])
        out = DATA / f"merged_{size}.xlsx"
        cmd = [*govxl, "merge", *map(str, folders), "-o", str(out), "--time", "2026-01-15 09:00"]
        ours, mem = timed(cmd, allowed=(0, 1))
        if k:  # the baseline cannot cope with broken files
            print(f"{size:>8} {ours:>16.2f} {mem:>8.0f} {'—':>13} {'—':>9}")
            continue
        base, _ = timed([sys.executable, "-c", BASELINE, str(YEAR), str(folders[0]), str(DATA / f"baseline_{n}.xlsx")])
        print(f"{size:>8} {ours:>16.2f} {mem:>8.0f} {base:>13.2f} {base / ours:>8.1f}x")


if __name__ == "__main__":
    main(sys.argv[1:] or ["1000"])
