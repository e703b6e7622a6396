"""Benchmark: `govxl audit` of a folder of N published reports, and PDF reading per page.

    python benchmarks/bench_audit.py            # N = 1000
    python benchmarks/bench_audit.py 200 1000

The N reports are web pages and extracted texts as govxl renders them from filled
returns (2021 format, random consistent figures, a few with totals that don't
tally), one in ten with its table cells run together as scrapers leave them, one in
ten a whole page on one line (cells run together, as some page snapshots keep it), and
copies of the real 2020 report in tests/data. They are cached under
benchmarks/.data/ (not committed). The audit runs in a fresh process, timed from
start to exit, writing the workbook and the JSON, with its peak memory.
"""

from __future__ import annotations

import random
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.bench_merge import DATA, timed  # noqa: E402
from benchmarks.machine import machine_line  # noqa: E402
from govxl.editions import edition_for_year  # noqa: E402
from govxl.excel.template_book import build_template  # noqa: E402
from govxl.read.workbook import read_return  # noqa: E402
from govxl.report import render  # noqa: E402
from govxl.report.data import report_data  # noqa: E402
from govxl.synth import consistent_values  # noqa: E402
from tests.helpers import run_together  # noqa: E402

YEAR = 2025
SOURCES = 20  # distinct filled returns the reports are rendered from
REFERENCE = ROOT / "tests" / "data" / "reference_2020_xian.txt"
PDF = ROOT / "tests" / "data" / "report_2021_qinghe.pdf"


def reports(n: int) -> Path:
    folder = DATA / f"reports_v2_{n}"
    if folder.exists() and len(list(folder.iterdir())) == n:
        return folder
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    edition = edition_for_year(YEAR)
    rng = random.Random(n)
    pages: list[tuple[str, str]] = []
    for i in range(SOURCES):
        values = consistent_values(edition, rng)
        if i % 4 == 0:  # a total that does not tally
            values["t3.granted.total"] = float(values.get("t3.granted.total") or 0) + 1  # type: ignore[arg-type]
        book = DATA / f"source_{i:02d}.xlsx"
        build_template(book, edition, YEAR, unit=f"第{i:02d}号单位", values=values)
        ret = read_return(book)
        data = report_data(ret)  # type: ignore[arg-type]
        pages.append((".html", render(data, ".html").decode("utf-8")))
        pages.append((".txt", render(data, ".md").decode("utf-8")))
        book.unlink()
    reference = REFERENCE.read_text(encoding="utf-8")
    for k in range(n):
        if k % 50 == 49:
            suffix, text = ".txt", reference
        else:
            suffix, text = pages[k % len(pages)]
            if k % 10 == 3:
                suffix, text = ".txt", run_together(text)
            elif k % 10 == 7:  # the page's text on one line
                suffix, text = ".txt", "".join(run_together(text).splitlines()) + "\n"
        (folder / f"report_{k:05d}{suffix}").write_text(text, encoding="utf-8")
    return folder


def pdf_per_page(rounds: int = 5) -> tuple[float, int]:
    import pdfplumber

    from govxl.audit import audit

    with pdfplumber.open(PDF) as pdf:
        pages = len(pdf.pages)
    start = time.perf_counter()
    for _ in range(rounds):
        audit(PDF)
    return (time.perf_counter() - start) / rounds / pages, pages


def main(sizes: list[int]) -> None:
    print(machine_line())
    print(f"{'N':>8} {'govxl audit (s)':>16} {'ms/report':>10} {'peak MB':>8}")
    for n in sizes:
        folder = reports(n)
        out = DATA / f"audit_{n}"
        for made in (out.with_suffix(".xlsx"), out.with_suffix(".json")):  # an earlier run's, perhaps unmarked
            made.unlink(missing_ok=True)
        cmd = [sys.executable, "-m", "govxl.apps.cli", "audit", str(folder)]
        cmd += ["--xlsx", f"{out}.xlsx", "--json", f"{out}.json"]
        seconds, mem, _ = timed(cmd, allowed=(0, 1))
        print(f"{n:>8} {seconds:>16.2f} {seconds / n * 1000:>10.1f} {mem:>8.0f}")
    per_page, pages = pdf_per_page()
    print(f"PDF ({PDF.name}, {pages} pages): {per_page * 1000:.0f} ms per page")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000])
