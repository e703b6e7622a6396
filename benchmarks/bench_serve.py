"""Benchmark: `govxl serve` answering a burst of department uploads, on loopback.

    python benchmarks/bench_serve.py                 # 50 departments at once, 3 runs
    python benchmarks/bench_serve.py --units 100 --runs 5
    python benchmarks/bench_serve.py --units 0 --office 300   # the office uploading 300 returns in one go

Each run starts the real service (``govxl serve`` in a fresh process, a new work folder, a roster of the
units), lets every department open its page (its own token link, its CSRF token), then has all of them
post a filled return at the same moment (one thread each, released together by a barrier) and follow the
redirect to their findings page. A department's answer time runs from the start of its post to the
findings page received. Then every department uploads once more (a corrected return replacing the one that
counts, with 报表/ full): the second burst.

Printed per burst: slowest, median and fastest answer, the time from the first post to the last answer,
the CPU time (user + system) of the service's processes during the burst (steadier than wall time on a
shared machine) and the 1-minute load average at its end. The returns are filled by govxl (all rules pass)
and made once per invocation.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.machine import machine_line  # noqa: E402
from govxl.editions import edition_for_year  # noqa: E402
from govxl.excel.template_book import build_template  # noqa: E402
from govxl.synth import consistent_values  # noqa: E402

YEAR = 2025


@dataclass
class Burst:
    answers: list[float]
    total: float
    cpu: float  # the service's processes
    main: float  # the service's own process (HTTP, records, 报表/)
    client: float  # this process: the departments' side
    load: float


def make_returns(folder: Path, units: list[str], round_: int) -> dict[str, bytes]:
    """A filled return for each unit (every rule passes, no hint)."""
    out = {}
    for i, unit in enumerate(units):
        values: dict[str, object] = dict(consistent_values(edition_for_year(YEAR), random.Random(i * 7 + round_)))
        for key in values:
            if key.startswith("t2.regulations."):  # 规章 are above the district: a hint otherwise
                values[key] = 0
        path = folder / f"{round_}_{i}.xlsx"
        build_template(path, edition_for_year(YEAR), YEAR, unit=unit, values=values)
        out[unit] = path.read_bytes()
    return out


def _tree_cpu(pid: int) -> tuple[float, float]:
    """User + system seconds of a process (its threads included), and of it with its living descendants (its
    worker processes)."""
    tick = os.sysconf("SC_CLK_TCK")
    own = total = 0.0
    todo = [pid]
    while todo:
        p = todo.pop()
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            seconds = (int(fields[11]) + int(fields[12]) + int(fields[13]) + int(fields[14])) / tick
            total += seconds
            own = seconds if p == pid else own
            for task in Path(f"/proc/{p}/task").iterdir():
                todo += [int(c) for c in (task / "children").read_text().split()]
        except (OSError, ValueError):
            continue
    return own, total


def start(folder: Path, roster: Path) -> tuple[subprocess.Popen[str], dict[str, str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    cmd = [sys.executable, "-m", "govxl.apps.cli", "serve", str(folder), "--port", "0", "--no-browser"]
    proc = subprocess.Popen(
        [*cmd, "--year", str(YEAR), "--roster", str(roster)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    links: dict[str, str] = {}
    assert proc.stdout is not None
    for line in proc.stdout:
        if "办公室页面" in line:
            links[""] = line.split("：", 1)[1].strip()
        elif line.startswith("  ") and "/u/" in line:
            name, link = line.strip().split("：", 1)
            links[name] = link
        if line.startswith("按 Ctrl+C"):
            break
    base = links[""].split("/login", 1)[0]
    for _ in range(100):
        try:
            urllib.request.urlopen(base + "/static/app.css", timeout=2).read()
            break
        except OSError:
            time.sleep(0.1)
    return proc, links


def burst(proc: subprocess.Popen[str], links: dict[str, str], files: dict[str, bytes]) -> Burst:
    units = list(files)
    gate = threading.Barrier(len(units) + 1)
    answers: dict[str, float] = {}
    begins: dict[str, float] = {}
    ends: dict[str, float] = {}
    failed: list[str] = []

    def department(unit: str) -> None:
        link = urlsplit(links[unit])
        conn = http.client.HTTPConnection(link.hostname or "", link.port, timeout=120)
        try:
            conn.request("GET", link.path)
            m = re.search(r'name="csrf" value="([^"]+)"', conn.getresponse().read().decode())
            assert m, f"no form on the page of {unit}"
            body, kind = _multipart(m.group(1), f"{unit}.xlsx", files[unit])
            gate.wait()
            begins[unit] = time.perf_counter()
            conn.request("POST", link.path + "/upload", body=body, headers={"Content-Type": kind})
            posted = conn.getresponse()
            posted.read()
            conn.request("GET", (posted.getheader("location") or "").split("#", 1)[0])
            answer = conn.getresponse()
            page = answer.read().decode()
            ends[unit] = time.perf_counter()
            answers[unit] = ends[unit] - begins[unit]
            if posted.status != 303 or answer.status != 200 or "已报" not in page:
                failed.append(f"{unit}: {posted.status} {answer.status}")
        finally:
            conn.close()

    threads = [threading.Thread(target=department, args=(u,)) for u in units]
    for t in threads:
        t.start()
    main_before, cpu_before = _tree_cpu(proc.pid)
    client_before = time.process_time()
    gate.wait()
    for t in threads:
        t.join()
    total = max(ends.values()) - min(begins.values())
    client = time.process_time() - client_before
    main, cpu = _tree_cpu(proc.pid)
    if failed:
        raise SystemExit("uploads not accepted: " + ", ".join(failed))
    return Burst(list(answers.values()), total, cpu - cpu_before, main - main_before, client, os.getloadavg()[0])


def _spy(pid: int, out: str) -> subprocess.Popen[bytes]:
    cmd = ["py-spy", "record", "--pid", str(pid), "--format", "raw", "--rate", "250", "--threads", "--gil", "-o", out]
    spy = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(1)  # attached before the burst
    return spy


def _multipart(csrf: str, name: str, data: bytes, field: str = "file") -> tuple[bytes, str]:
    """A browser's upload form, encoded before the burst (the departments' side costs no time in it)."""
    return _form(csrf, {name: data}, field)


def _form(csrf: str, files: dict[str, bytes], field: str) -> tuple[bytes, str]:
    boundary = "----govxlbench" + os.urandom(8).hex()
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n{csrf}\r\n'.encode()]
    for name, data in files.items():
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{field}"; filename="{name}"\r\n'
            "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n\r\n"
        )
        parts.append(head.encode() + data + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def office_upload(links: dict[str, str], files: dict[str, bytes]) -> float:
    """The office uploads every return in one go (placed by their covers): seconds to the page of results."""
    login = urlsplit(links[""])
    conn = http.client.HTTPConnection(login.hostname or "", login.port, timeout=600)
    try:
        conn.request("GET", f"{login.path}?{login.query}")
        answer = conn.getresponse()
        answer.read()
        cookie = (answer.getheader("set-cookie") or "").split(";", 1)[0]
        conn.request("GET", "/", headers={"Cookie": cookie})
        m = re.search(r'name="csrf" value="([^"]+)"', conn.getresponse().read().decode())
        assert m, "no form on the office page"
        body, kind = _form(m.group(1), {f"{unit}.xlsx": data for unit, data in files.items()}, "files")
        begun = time.perf_counter()
        conn.request("POST", "/upload", body=body, headers={"Content-Type": kind, "Cookie": cookie})
        answer = conn.getresponse()
        page = answer.read().decode()
        took = time.perf_counter() - begun
        if answer.status != 200 or page.count("已报") < len(files):
            raise SystemExit(f"office upload not accepted: {answer.status}")
        return took
    finally:
        conn.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=50, help="departments uploading at once")
    parser.add_argument("--runs", type=int, default=3, help="services started, each with two bursts")
    parser.add_argument("--office", type=int, default=0, help="also time an office upload of this many returns")
    parser.add_argument("--py-spy", metavar="FILE", help="sample the service with py-spy (collapsed stacks)")
    args = parser.parse_args()
    units = [f"第{i:02d}街道办事处" for i in range(max(args.units, args.office))]
    print(machine_line())
    print(f"{args.units} departments uploading at the same moment; answer: post to findings page received")
    print("CPU: user + system seconds during the burst of the service's processes (all; its own process: main)")
    print("and of the departments' side (this process); load: 1-minute average at the end of the burst")
    head = f"{'run':>4} {'burst':>6} {'slowest':>8} {'median':>7} {'fastest':>8} {'total':>6}"
    print(f"{head} {'CPU':>6} {'main':>6} {'client':>6} {'load':>5}")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        roster = work / "名单.txt"
        roster.write_text("\n".join(units) + "\n", encoding="utf-8")
        rounds = [make_returns(work, units, r) for r in (1, 2)]
        for run in range(1, args.runs + 1 if args.units else 1):
            proc, links = start(work / f"收集{run}", roster)
            spy = _spy(proc.pid, f"{args.py_spy}.{run}") if args.py_spy else None
            try:
                for name, files in zip(("first", "again"), rounds, strict=True):
                    b = burst(proc, links, {u: files[u] for u in units[: args.units]})
                    print(
                        f"{run:>4} {name:>6} {max(b.answers):>8.2f} {statistics.median(b.answers):>7.2f} "
                        f"{min(b.answers):>8.2f} {b.total:>6.2f} {b.cpu:>6.2f} {b.main:>6.2f} {b.client:>6.2f} "
                        f"{b.load:>5.1f}",
                        flush=True,
                    )
            finally:
                if spy is not None:
                    spy.send_signal(signal.SIGINT)
                    spy.wait(30)
                proc.terminate()
                proc.wait(10)
        for run in range(1, args.runs + 1 if args.office else 1):
            proc, links = start(work / f"办公室{run}", roster)
            try:
                main_before, cpu_before = _tree_cpu(proc.pid)
                took = office_upload(links, {u: rounds[0][u] for u in units[: args.office]})
                main, cpu = _tree_cpu(proc.pid)
                print(
                    f"office upload of {args.office} returns in one go: {took:.2f} s, CPU {cpu - cpu_before:.2f} s "
                    f"(main {main - main_before:.2f} s), load {os.getloadavg()[0]:.1f}",
                    flush=True,
                )
            finally:
                proc.terminate()
                proc.wait(10)


if __name__ == "__main__":
    main()
