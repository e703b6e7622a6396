"""Published reports crafted to be slow to read (a hostile page, a clerk's runaway paste): each is read in time
linear in its size. Each case took many seconds, or hours at a few MB, before its fix; each must now take under
2 s of processor time."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from govxl.audit import audit
from govxl.read.documents import html_rows
from tests.conftest import DATA

REFERENCE = DATA / "reference_2020_xian.txt"


def _seconds(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def test_a_table_of_many_rows_is_laid_out_in_linear_time() -> None:
    """30,000 one-cell rows (270 KB): each row's width was found by a pass over every cell (18 s)."""
    page = "<html><table>" + "<tr><td>1" * 30_000
    assert _seconds(lambda: html_rows(page)) < 2
    assert len(html_rows(page)) == 30_000


def test_a_row_of_thousands_of_surplus_values_is_read_in_linear_time(tmp_path: Path) -> None:
    """A row of 40,000 values where the table has 3 (80 KB): each kept value was looked for among the dropped
    ones (27 s)."""
    text = REFERENCE.read_text(encoding="utf-8")
    assert "规章\t0\t0\t0" in text
    path = tmp_path / "report.txt"
    path.write_text(text.replace("规章\t0\t0\t0", "规章\t0\t0\t" + "0 " * 40_000), encoding="utf-8")
    assert _seconds(lambda: audit(path)) < 2
