"""Benchmark: `govxl merge` end to end against an openpyxl read-only merge of the same returns, in one run.

    python benchmarks/bench_merge.py                  # N = 1000
    python benchmarks/bench_merge.py 100 1000 10000   # the curve
    python benchmarks/bench_merge.py 980+20           # 980 good returns and 20 broken ones (tests/corpus/)
    python benchmarks/bench_merge.py --with-check 1000 # also `govxl check` and `govxl template --roster` of N

How the returns are made, as an office suite saves them: a few templates are filled by govxl
(typed cells only: the totals stay the template's formulas) and saved by LibreOffice headless
(recalculating). Every return is then one of those LibreOffice files with only cell values changed
in its XML: the typed figures (new, consistent ones; one return in 20 with a typing slip that breaks
a balance, one in 50 with a cell left blank), the totals' cached results (the sums of their parts,
as LibreOffice would have computed them) and the unit name in the shared strings. The zip members,
their order, styles and everything else stay LibreOffice's. The checks' cached texts are left as
LibreOffice computed them for the base file: govxl does not read them.

The baseline is openpyxl in read-only mode (``load_workbook(read_only=True, data_only=True)``),
each sheet's rows iterated once, the input cells summed by address, the totals written with
openpyxl: a straightforward script by someone who cares about speed.

Generated returns are cached under benchmarks/.data/ (not committed). Each command runs in a fresh
process, timed from start to exit (wall) and by the CPU time of it and its worker processes (user +
system: steadier than wall time on a shared machine; the load average is printed beside); peak memory
is the sum of the resident memory of the command's processes (workers included: proportional set size,
so pages they share are counted once), sampled every 10 ms, and the resident memory of the largest
single process.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import machine_line  # noqa: E402
from govxl.editions import edition_for_year  # noqa: E402
from govxl.editions.model import Kind  # noqa: E402
from govxl.excel.template_book import build_template, effective_values  # noqa: E402
from govxl.judge.engine import prefill_definitions  # noqa: E402
from govxl.layout import a1, layouts  # noqa: E402
from govxl.read.xlsxparts import sheet_parts  # noqa: E402
from govxl.synth import consistent_values  # noqa: E402

YEAR = 2025
EDITION = edition_for_year(YEAR)
DATA = ROOT / "benchmarks" / ".data"
BASES = 6  # files saved by LibreOffice; every return is one of them with other values
BASE_UNIT = "第B{:02d}号基准单位"

BASELINE = r"""
import sys
from pathlib import Path
import openpyxl
from govxl.editions import edition_for_year
from govxl.layout import layouts

edition = edition_for_year(int(sys.argv[1]))
wanted = {lay.sheet: {(c.row + 1, c.col + 1): c.key for c in lay.cells} for lay in layouts(edition)}
totals = {c.key: 0.0 for lay in layouts(edition) for c in lay.cells}
for path in sorted(Path(sys.argv[2]).glob("*.xlsx")):
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    for sheet, cells in wanted.items():
        last_row = max(r for r, _ in cells)
        last_col = max(c for _, c in cells)
        rows = wb[sheet].iter_rows(min_row=1, max_row=last_row, max_col=last_col, values_only=True)
        for r, row in enumerate(rows, start=1):
            for c, v in enumerate(row, start=1):
                key = cells.get((r, c))
                if key is not None and isinstance(v, (int, float)):
                    totals[key] += v
    wb.close()
out = openpyxl.Workbook(write_only=True)
ws = out.create_sheet("汇总")
for key, total in totals.items():
    ws.append([key, total])
out.save(sys.argv[3])
"""

_PROFILE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<oor:items xmlns:oor="http://openoffice.org/2001/registry" '
    'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<item oor:path="/org.openoffice.Office.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse">'
    "<value>0</value></prop></item></oor:items>\n"
)


def typed_values(rng: random.Random) -> dict[str, object]:
    """A clerk's figures: every cell but the totals the template computes."""
    values = consistent_values(EDITION, rng)
    return {k: v for k, v in values.items() if k not in prefill_definitions(EDITION)}


def lo_bases() -> list[Path]:
    """A few filled templates, saved by LibreOffice headless (recalculated on load)."""
    folder = DATA / "lo_bases"
    made = [folder / f"base_{i:02d}.xlsx" for i in range(BASES)]
    if all(p.exists() for p in made):
        return made
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        raise SystemExit("LibreOffice (soffice) is needed once, to save the base returns")
    shutil.rmtree(folder, ignore_errors=True)
    with tempfile.TemporaryDirectory() as tmp:
        sources = []
        for i in range(BASES):
            src = Path(tmp) / f"base_{i:02d}.xlsx"
            build_template(src, EDITION, YEAR, unit=BASE_UNIT.format(i), values=typed_values(random.Random(-1 - i)))
            sources.append(src)
        user = Path(tmp) / "profile" / "user"
        user.mkdir(parents=True)
        (user / "registrymodifications.xcu").write_text(_PROFILE, encoding="utf-8")
        profile = f"-env:UserInstallation={(Path(tmp) / 'profile').as_uri()}"
        cmd = [soffice, profile, "--headless", "--norestore", "--convert-to", "xlsx", "--outdir", str(folder)]
        subprocess.run([*cmd, *map(str, sources)], check=True, capture_output=True, timeout=600)
    missing = [p for p in made if not p.exists()]
    if missing:
        raise SystemExit(f"LibreOffice did not save {missing}")
    return made


_CELL = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*?)(?:/>|>(.*?)</c>)', re.S)
_VALUE = re.compile(rb"<v>[^<]*</v>")
_BASE_NAME = re.compile("<si>(?:(?!</si>).)*基准单位</t></r></si>".encode(), re.S)


def _number(v: object) -> bytes:
    x = float(v)  # type: ignore[arg-type]
    return (str(int(x)) if x == int(x) else repr(x)).encode()


def _set_cells(xml: bytes, values: dict[str, object]) -> bytes:
    """The sheet XML with the given cells' values changed (None: the cell left blank), nothing else."""

    def swap(m: re.Match[bytes]) -> bytes:
        ref = m.group(1).decode()
        if ref not in values:
            return m.group(0)
        v = values[ref]
        attrs = m.group(2)
        if v is None:
            if b"<f" in (m.group(3) or b""):
                return m.group(0)
            return b'<c r="' + m.group(1) + b'"' + re.sub(rb'\s+t="[^"]*"', b"", attrs) + b"/>"
        inner = m.group(3) or b""
        new = b"<v>" + _number(v) + b"</v>"
        inner = _VALUE.sub(new, inner) if _VALUE.search(inner) else inner + new
        if b't="' not in attrs:
            attrs += b' t="n"'
        return b'<c r="' + m.group(1) + b'"' + attrs + b">" + inner + b"</c>"

    return _CELL.sub(swap, xml)


def _slip(values: dict[str, object], rng: random.Random, i: int) -> dict[str, object]:
    """One return in 20 with two digits swapped (a balance breaks), one in 50 with a blank cell."""
    counts = [k for k, v in values.items() if isinstance(v, int) and EDITION_KINDS[k] is Kind.COUNT]
    if i % 20 == 7:
        key = rng.choice(counts)
        values[key] = int(str(int(values[key]) + 12)[::-1])  # type: ignore[call-overload]
    if i % 50 == 13:
        values[rng.choice(counts)] = None
    return values


EDITION_KINDS = {c.key: c.kind for lay in layouts(EDITION) for c in lay.cells}


def _parts_of(path: Path) -> tuple[list[tuple[zipfile.ZipInfo, bytes]], dict[str, str]]:
    """A base file's members, and each table's sheet part."""
    with zipfile.ZipFile(path) as zf:
        members = [(info, zf.read(info)) for info in zf.infolist()]
        return members, sheet_parts(zf)


def returns(n: int) -> Path:
    folder = DATA / f"returns_{n}"
    if folder.exists() and len(list(folder.glob("*.xlsx"))) == n:
        return folder
    bases = [_parts_of(p) for p in lo_bases()]
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for i in range(n):
        rng = random.Random(i)
        members, parts = bases[i % BASES]
        typed = _slip(typed_values(rng), rng, i)
        shown, _ = effective_values(EDITION, {k: v for k, v in typed.items()})  # totals: the sums of the parts
        by_part: dict[str, dict[str, object]] = {}
        for lay in layouts(EDITION):
            cells = {a1(c.row, c.col): shown.get(c.key) for c in lay.cells}
            by_part[parts[lay.sheet]] = cells
        unit = f"第{i:05d}号单位".encode()
        with zipfile.ZipFile(folder / f"unit_{i:05d}.xlsx", "w") as out:
            for info, data in members:
                if info.filename in by_part:
                    data = _set_cells(data, by_part[info.filename])
                elif info.filename == "xl/sharedStrings.xml":  # LibreOffice may split the name into runs
                    data = _BASE_NAME.sub(b'<si><t xml:space="preserve">' + unit + b"</t></si>", data)
                out.writestr(info, data, compress_type=info.compress_type)
    return folder


def broken(k: int) -> Path:
    folder = DATA / f"broken_{k}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    corpus = sorted(p for p in (ROOT / "tests" / "corpus").glob("*.xlsx") if p.stat().st_size < 50_000)
    for i in range(k):
        shutil.copy(corpus[i % len(corpus)], folder / f"broken_{i:03d}.xlsx")
    return folder


def _tree_memory(pid: int) -> tuple[int, int]:
    """KB of a process and its descendants: proportional set size summed (pages shared by the worker
    processes counted once), and the largest single resident set."""
    total = largest = 0
    stack = [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/smaps_rollup") as f:
                fields = dict(line.split(":", 1) for line in f if line.split()[0].endswith(":"))
            with open(f"/proc/{p}/task/{p}/children") as f:
                stack += [int(c) for c in f.read().split()]
        except (OSError, ValueError):
            continue
        total += int(fields.get("Pss", "0 kB").split()[0])
        largest = max(largest, int(fields.get("Rss", "0 kB").split()[0]))
    return total, largest


@dataclass
class Run:
    wall: float  # seconds from start to exit
    cpu: float  # user + system seconds of the command and every process it waited for (its workers)
    peak: float  # MB of all its processes together (proportional set size)
    largest: float  # MB of the largest single process (resident)
    load: float  # the machine's 1-minute load average when the command ended (other work running)


def measured(cmd: list[str], allowed: tuple[int, ...] = (0,)) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = peak_one = 0
    while proc.poll() is None:
        total, largest = _tree_memory(proc.pid)
        peak, peak_one = max(peak, total), max(peak_one, largest)
        time.sleep(0.01)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode not in allowed:
        raise SystemExit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{err}")
    return Run(wall, cpu, peak / 1024, peak_one / 1024, os.getloadavg()[0])


def timed(cmd: list[str], allowed: tuple[int, ...] = (0,)) -> tuple[float, float, float]:
    """Wall seconds, peak MB of all the command's processes together, and of the largest one."""
    run = measured(cmd, allowed)
    return run.wall, run.peak, run.largest


def roster(n: int) -> Path:
    path = DATA / f"roster_{n}.txt"
    path.write_text("\n".join(f"第{i:05d}号单位" for i in range(n)) + "\n", encoding="utf-8")
    return path


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("sizes", nargs="*", default=["1000"])
    parser.add_argument("--with-check", action="store_true", help="also time govxl check and template --roster")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each command (all are printed)")
    parser.add_argument("--no-baseline", action="store_true", help="time govxl only (the baseline takes ~10x longer)")
    args = parser.parse_args()
    print(machine_line())
    print("baseline: openpyxl read-only mode (load_workbook(read_only=True, data_only=True)), cells summed by address")
    print("wall and CPU seconds (user + system, all processes); load: the 1-minute load average at the end")
    head = f"{'N':>8} {'merge wall':>10} {'CPU':>6} {'peak MB':>8} {'largest':>8} {'openpyxl wall':>13} {'CPU':>6}"
    print(f"{head} {'ratio':>6} {'load':>5}")
    govxl = [sys.executable, "-m", "govxl.apps.cli"]
    env_path = os.environ.get("PYTHONPATH", "")
    os.environ["PYTHONPATH"] = str(ROOT) + (os.pathsep + env_path if env_path else "")
    for size in args.sizes:
        n, _, k = size.partition("+")
        folders = [returns(int(n))] + ([broken(int(k))] if k else [])
        out = DATA / f"merged_{size}.xlsx"
        cmd = [*govxl, "merge", *map(str, folders), "-o", str(out), "--json", str(out.with_suffix(".json"))]
        cmd += ["--time", "2026-01-15 09:00"]
        for _ in range(args.repeat):
            ours = measured(cmd, allowed=(0, 1))
            line = f"{size:>8} {ours.wall:>10.2f} {ours.cpu:>6.2f} {ours.peak:>8.0f} {ours.largest:>8.0f}"
            if k or args.no_baseline:  # the baseline cannot cope with broken files
                print(f"{line} {'—':>13} {'—':>6} {'—':>6} {ours.load:>5.1f}")
                continue
            base_out = str(DATA / f"baseline_{n}.xlsx")
            base = measured([sys.executable, "-c", BASELINE, str(YEAR), str(folders[0]), base_out])
            ratio = base.wall / ours.wall
            print(f"{line} {base.wall:>13.2f} {base.cpu:>6.2f} {ratio:>5.1f}x {max(ours.load, base.load):>5.1f}")
        if args.with_check and not k:
            for _ in range(args.repeat):
                check = [*govxl, "check", str(folders[0]), "--json", str(DATA / f"check_{n}.json")]
                run = measured(check, allowed=(0, 1))
                print(
                    f"{'':>8} govxl check {n}: {run.wall:.2f} s wall, {run.cpu:.2f} s CPU, peak {run.peak:.0f} MB "
                    f"(largest process {run.largest:.0f} MB), load {run.load:.1f}"
                )
                target = DATA / f"templates_{n}"
                shutil.rmtree(target, ignore_errors=True)
                template = [*govxl, "template", "--year", str(YEAR), "--roster", str(roster(int(n))), "-o", str(target)]
                run = measured(template)
                done = f"{run.wall:.2f} s wall, {run.cpu:.2f} s CPU, peak {run.peak:.0f} MB"
                print(f"{'':>8} govxl template --roster {n}: {done}")


if __name__ == "__main__":
    main()
